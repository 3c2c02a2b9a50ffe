/* quotes.c - the quotes stage: who said what.
 *
 * Quotation marks are paired deterministically (marks.c); a sequence
 * model trained on PolNeAR labels each token as part of a Source, a Cue
 * or a Content (tagger.c, features.c); attributions are assembled from
 * the labels and the quotes, in pieces when a quote is interrupted or
 * continued (assemble.c); the source mention is resolved to a name, a
 * pronoun's antecedent or a nominal speaker (speaker.c). `galley quotes
 * train` makes the model (train.c). The fields of the `quotes` layer are
 * in emit.c; README.md and docs/attribution.md say more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

struct quotes_options {
    int indirect;
    int64_t scare_max_words; /* GALLEY_OPT_INT fields are int64_t */
    int64_t max_quote_bytes;
    const char *model;
    int second_pass;
};

static const galley_option quotes_table[] = {
    GALLEY_OPTION_BOOL(struct quotes_options, indirect, "true",
                       "also report speech without marks (\"X said the plan would fail\")"),
    GALLEY_OPTION_INT(
        struct quotes_options, scare_max_words, "3", 1, 50,
        "a quote of at most this many words that the model does not attribute is a scare quote"),
    GALLEY_OPTION_INT(struct quotes_options, max_quote_bytes, "20000", 100, 100000000,
                      "a quote longer than this is cut and flagged"),
    GALLEY_OPTION_STRING(
        struct quotes_options, model, NULL,
        "model file (default: quotes.model in the stage's data folder; relative to the config)"),
    GALLEY_OPTION_BOOL(struct quotes_options, second_pass, "true",
                       "tag attributions again with the stacked model beside the model "
                       "(X-stack.model): better sources and cues for about 1.6 times the stage's "
                       "time; false: the first pass alone, no stack model needed"),
    GALLEY_OPTION_END
};

typedef struct quotes {
    const struct quotes_options *opt;
    quotes_res res;
    quotes_run_options o;
    quotes_cache *cache;   /* this instance's (worker's) rows */
    galley_arena *scratch; /* a document's working memory, released after it */
} quotes;

/* Releases an instance, also a half-made one that quotes_create gives up
 * on: its word lists, its reference to the model, the model's copied
 * rows and its cache. */
static void quotes_destroy(void *self)
{
    quotes *q = self;
    quotes_res_free(&q->res);
    quotes_cache_free(q->cache);
    galley_arena_free(q->scratch);
    free(q);
}

/* Checks that model m (from `path`) has the stage's labels. */
static int check_labels(const galley_model *m, const char *path, galley_error *err)
{
    if (galley_model_nlabels(m) != QUOTES_NLABELS)
        return galley_error_set(err, "%s: %zu labels, the quotes stage has %d", path,
                                galley_model_nlabels(m), QUOTES_NLABELS);
    for (size_t i = 0; i < QUOTES_NLABELS; i++)
        if (strcmp(galley_model_label(m, i), quotes_label_names[i]) != 0)
            return galley_error_set(err, "%s: label %zu is \"%s\", the quotes stage's is \"%s\"",
                                    path, i, galley_model_label(m, i), quotes_label_names[i]);
    return 0;
}

/* Opens the model at `path` and, for a second pass, the stack model
 * beside it (X.model: X-stack.model, stack.c), the second bound by its
 * template hash to the first's bytes, and checks that their labels are
 * the stage's. */
static int open_model(quotes_res *r, const char *path, int second_pass, galley_error *err)
{
    r->model = galley_model_open(path, quotes_template_hash(r), err);
    if (!r->model || check_labels(r->model, path, err) < 0)
        return -1;
    if (!second_pass)
        return 0; /* r->stack stays NULL: one pass */
    char stack[4200];
    quotes_stack_path(path, stack, sizeof stack);
    r->stack = galley_model_open(stack, quotes_stack_template_hash(r, quotes_file_hash(path)), err);
    if (!r->stack || check_labels(r->stack, stack, err) < 0)
        return -1;
    return 0;
}

/* An instance per worker: the data folder's word lists, the model (the
 * `model` option, relative to the config's folder unless absolute; else
 * quotes.model of the data folder), refused unless its labels are the
 * stage's, its finite rows copied, and an empty cache. The model file is
 * mapped once and shared by the instances (galley_model_open). NULL with
 * err saying which file and what is wrong. */
static void *quotes_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    quotes *q = calloc(1, sizeof *q);
    if (!q) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    q->opt = options;
    q->o = (quotes_run_options){ q->opt->indirect, (size_t)q->opt->scare_max_words,
                                 (size_t)q->opt->max_quote_bytes };
    char path[4096];
    if (q->opt->model && q->opt->model[0] == '/')
        snprintf(path, sizeof path, "%s", q->opt->model);
    else if (q->opt->model)
        snprintf(path, sizeof path, "%s/%s", env->config_dir ? env->config_dir : ".",
                 q->opt->model);
    else
        snprintf(path, sizeof path, "%s/quotes.model", env->data_dir);
    if (quotes_res_load_lists(&q->res, env->data_dir, NULL, err) < 0 ||
        open_model(&q->res, path, q->opt->second_pass, err) < 0) {
        quotes_destroy(q);
        return NULL;
    }
    q->res.fast = quotes_fast_new(q->res.model);
    q->res.stack_fast = q->res.stack ? quotes_fast_new(q->res.stack) : NULL;
    q->cache = calloc(1, sizeof *q->cache);
    q->scratch = galley_arena_new(1 << 16);
    if (!q->res.fast || (q->res.stack && !q->res.stack_fast) || !q->cache) {
        galley_error_set(err, "out of memory");
        quotes_destroy(q);
        return NULL;
    }
    return q;
}

/* Adds the quotes layer to one document, from its tokens and the
 * entities layer a stage before it provided. Never fails. */
static int quotes_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    quotes *q = self;
    quotes_process_doc(&q->res, q->cache, &q->o, doc, q->scratch);
    /* A big article's working memory goes before the next stage's. */
    galley_arena_reset(q->scratch);
    return 0;
}

static const galley_stage_command commands[] = {
    { "train", "--train DIR --dev DIR -o MODEL [--epochs N] [--seed N] [--min-count N]",
      "trains the attribution model on PolNeAR splits; prints each epoch's dev scores, "
      "keeps the best",
      quotes_cmd_train },
    GALLEY_STAGE_COMMAND_END
};

static const char *const requires[] = { "entities", NULL };
static const char *const provides[] = { "quotes", NULL };

GALLEY_STAGE(quotes) = {
    GALLEY_STAGE_HEADER,
    .name = "quotes",
    .version = "2.0",
    .summary =
        "finds who said what: sources, cues and contents of direct, partial and indirect speech",
    .options = quotes_table,
    .options_size = sizeof(struct quotes_options),
    .requires = requires,
    .provides = provides,
    .concurrency = GALLEY_PARALLEL,
    .create = quotes_create,
    .process = quotes_process,
    .destroy = quotes_destroy,
    .fields = quotes_fields,
    .commands = commands,
};
