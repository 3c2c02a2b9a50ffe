/* entities.c - the entities stage: PERSON, ORG, LOC, NORP, DATE and MISC
 * mentions, linked within each article to one canonical form.
 *
 * Rules over libgalley's tokens, in two passes over a document:
 *  1. dates by pattern; dictionary names; capitalized spans classified by
 *     their words (organization and treaty keywords, given names), their
 *     context (a role before, a speech verb after) and acronyms defined in
 *     parentheses;
 *  2. propagation: a part of a person's name, or a defined acronym, is
 *     tagged wherever it appears again, even at the start of a sentence.
 * Dictionaries are data files (data/README.md), matched with galley_dict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"

struct entities_options {
    galley_strlist dictionaries;
    int guess_persons;
    int propagate;
};

static const galley_option entities_table[] = {
    GALLEY_OPTION_LIST(struct entities_options, dictionaries, "",
                       "more dictionaries (Name<TAB>TYPE a line), relative to the config"),
    GALLEY_OPTION_BOOL(struct entities_options, guess_persons, "true",
                       "tag unknown two- and three-word capitalized names as PERSON"),
    GALLEY_OPTION_BOOL(struct entities_options, propagate, "true",
                       "tag later mentions of a name part or acronym seen in the article"),
    GALLEY_OPTION_END
};

typedef struct entities {
    const struct entities_options *opt;
    ner_dicts d;
} entities;

static void entities_destroy(void *self)
{
    entities *e = self;
    ner_dicts_free(&e->d);
    free(e);
}

static void *entities_create(const void *options, const galley_stage_env *env,
                             galley_error *err)
{
    entities *e = calloc(1, sizeof *e);
    if (!e) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    e->opt = options;
    if (ner_dicts_load(&e->d, env->data_dir, env->config_dir, &e->opt->dictionaries, err) < 0) {
        entities_destroy(e);
        return NULL;
    }
    return e;
}

static int entities_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    entities *e = self;
    ner_options o = { e->opt->guess_persons, e->opt->propagate };
    ner_tag_document(&e->d, &o, doc);
    return 0;
}

static const char *const provides[] = { "entities", NULL };

GALLEY_STAGE(entities) = {
    GALLEY_STAGE_HEADER,
    .name = "entities",
    .version = "1.0",
    .summary = "finds people, organizations, places, groups, dates and other names, linked within each article",
    .options = entities_table,
    .options_size = sizeof(struct entities_options),
    .provides = provides,
    .concurrency = GALLEY_PARALLEL,
    .create = entities_create,
    .process = entities_process,
    .destroy = entities_destroy,
};
