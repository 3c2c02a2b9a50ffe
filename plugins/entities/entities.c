/* entities.c - the entities stage: PERSON, ORG, LOC and MISC from a
 * sequence model trained on annotated news (CoNLL-2003), NORP and DATE
 * by dictionary and pattern, user dictionaries over all of them, and
 * names linked within each article to one canonical form.
 *
 * The model (data/entities.model, made by `galley entities train`, see
 * data/README.md) is mapped once per process and shared by every
 * worker's instance; each instance keeps its own cache of per-word
 * feature sums. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "entities.h"

struct entities_options {
    galley_strlist dictionaries;
    int propagate;
    const char *model;
};

static const galley_option entities_table[] = {
    GALLEY_OPTION_LIST(struct entities_options, dictionaries, "",
                       "more dictionaries (Name<TAB>TYPE a line, relative to the config): "
                       "their names win over the model"),
    GALLEY_OPTION_BOOL(
        struct entities_options, propagate, "true",
        "tag later mentions of a person's name part or a defined acronym the model left untagged"),
    GALLEY_OPTION_STRING(
        struct entities_options, model, NULL,
        "model file (relative to the config; default: the stage's data/entities.model)"),
    GALLEY_OPTION_END
};

/* How the model's types are named in the layer. */
static const struct {
    const char *model, *layer;
} type_names[] = {
    { "PER", "PERSON" },
    { "ORG", "ORG" },
    { "LOC", "LOC" },
    { "MISC", "MISC" },
};

/* ---- shared pieces ---------------------------------------------------- */

int entities_base_load(entities_base *b, const char *data_dir, const char *config_dir,
                       const galley_strlist *dictionaries, galley_error *err)
{
    memset(b, 0, sizeof *b);
    if (entities_dicts_load(&b->d, data_dir, config_dir, dictionaries, err) < 0) {
        entities_base_free(b);
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_dir, ENTITIES_CLUSTERS_FILE);
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        if (!(b->clusters = entities_clusters_load(path, err))) {
            entities_base_free(b);
            return -1;
        }
    }
    snprintf(path, sizeof path, "%s/%s", data_dir, ENTITIES_NAMES_FILE);
    f = fopen(path, "r");
    if (f) {
        fclose(f);
        b->names = galley_dict_new(0);
        b->names_ci = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
        if (galley_dict_load(b->names, path, "", err) < 0 ||
            galley_dict_load(b->names_ci, path, "", err) < 0) {
            entities_base_free(b);
            return -1;
        }
    }
    b->res.d = &b->d;
    b->res.clusters = b->clusters;
    b->res.names = b->names;
    b->res.names_ci = b->names_ci;
    return 0;
}

void entities_base_free(entities_base *b)
{
    entities_dicts_free(&b->d);
    entities_clusters_free(b->clusters);
    galley_dict_free(b->names);
    galley_dict_free(b->names_ci);
    memset(b, 0, sizeof *b);
}

int entities_instance_init(entities_instance *e, const entities_base *base,
                           const galley_model *model, int propagate, galley_error *err)
{
    memset(e, 0, sizeof *e);
    e->base = base;
    e->model = model;
    e->o.propagate = propagate;
    if (entities_tagger_init(&e->tagger, model, &base->res, 1 << 14, err) < 0)
        return -1;
    e->scratch = galley_arena_new(1 << 16);
    for (size_t t = 0; t < e->tagger.ntypes; t++) {
        e->layer_types[t] = e->tagger.types[t];
        for (size_t k = 0; k < sizeof type_names / sizeof *type_names; k++)
            if (strcmp(type_names[k].model, e->tagger.types[t]) == 0)
                e->layer_types[t] = type_names[k].layer;
    }
    return 0;
}

void entities_instance_free(entities_instance *e)
{
    entities_tagger_free(&e->tagger);
    galley_arena_free(e->scratch);
    e->scratch = NULL;
}

void entities_instance_tag(entities_instance *e, galley_doc *doc)
{
    galley_arena *a = e->scratch; /* empty: reset after each document */
    entities_doc_view v;
    entities_doc_view_build(&e->base->res, doc, a, &v);
    size_t n;
    entities_mspan *ms = entities_tagger_tag(&e->tagger, doc, a, &v, &n);
    entities_span *spans = galley_arena_alloc(a, (n + 1) * sizeof *spans);
    for (size_t i = 0; i < n; i++)
        spans[i] = (entities_span){ ms[i].first, ms[i].last, e->layer_types[ms[i].type] };
    entities_tag_document(&e->base->d, &e->o, doc, a, &v, spans, n);
    /* A big article's working memory goes before the next stage's. */
    galley_arena_reset(a);
}

/* ---- the stage -------------------------------------------------------- */

typedef struct entities {
    entities_base base;
    galley_model *model;
    entities_instance inst;
} entities;

/* Releases an instance: its tagger, its reference to the model, its lists. */
static void entities_destroy(void *self)
{
    entities *e = self;
    entities_instance_free(&e->inst);
    galley_model_close(e->model);
    entities_base_free(&e->base);
    free(e);
}

/* An instance: the lists, the shared model (refused with exit 2 when bad), a tagger. */
static void *entities_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    const struct entities_options *opt = options;
    entities *e = calloc(1, sizeof *e);
    if (!e) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    if (entities_base_load(&e->base, env->data_dir, env->config_dir, &opt->dictionaries, err) < 0) {
        free(e);
        return NULL;
    }
    char path[4096];
    if (!opt->model)
        snprintf(path, sizeof path, "%s/%s", env->data_dir, ENTITIES_MODEL_FILE);
    else if (opt->model[0] == '/')
        snprintf(path, sizeof path, "%s", opt->model);
    else
        snprintf(path, sizeof path, "%s/%s", env->config_dir, opt->model);
    e->model = galley_model_open(path, entities_template_hash(&e->base.res), err);
    if (!e->model ||
        entities_instance_init(&e->inst, &e->base, e->model, opt->propagate, err) < 0) {
        if (e->model) {
            /* Name the file for an error about its labels too. */
            galley_error why = *err;
            galley_error_set(err, "%s: %s", path, why.message);
        }
        entities_destroy(e);
        return NULL;
    }
    return e;
}

/* Adds the entities layer to one document. */
static int entities_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    entities *e = self;
    entities_instance_tag(&e->inst, doc);
    return 0;
}

static const galley_layer_field fields[] = {
    { "entities", "type", GALLEY_STRING, 0,
      "PERSON, ORG, LOC, MISC (the model), NORP (nationalities, religious and political "
      "groups), DATE, or a user dictionary's type" },
    { "entities", "canonical", GALLEY_STRING, 0,
      "the name the mention stands for in this article: a person's full name for a part "
      "of it, an acronym's long form; else the text" },
    GALLEY_LAYER_FIELD_END
};

static const galley_stage_command commands[] = {
    { "train",
      "--train FILE --dev FILE -o MODEL [--epochs N] [--seed N] [--min-count N] "
      "[--scheme bio|bilou] [--names FILE] [--history-epochs N]",
      "trains the entity model on CoNLL-2003 files, keeps the epoch best on --dev",
      entities_command_train },
    { "eval", "--dev FILE [-m MODEL] [--model-only]",
      "scores the stage (or its model alone) on a CoNLL-2003 file: exact spans, per type",
      entities_command_eval },
    GALLEY_STAGE_COMMAND_END
};

static const char *const provides[] = { "entities", NULL };

GALLEY_STAGE(entities) = {
    GALLEY_STAGE_HEADER,
    .name = "entities",
    .version = "2.0",
    .summary = "finds people, organizations, places, groups, dates and other names "
               "(a model trained on news), linked within each article",
    .options = entities_table,
    .options_size = sizeof(struct entities_options),
    .provides = provides,
    .concurrency = GALLEY_PARALLEL,
    .create = entities_create,
    .process = entities_process,
    .destroy = entities_destroy,
    .fields = fields,
    .commands = commands,
};
