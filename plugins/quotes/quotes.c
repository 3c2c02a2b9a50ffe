/* quotes.c - the quotes stage: who said what.
 *
 * Per paragraph, quotation marks are paired (curly, straight, guillemets,
 * single marks as nested or British quotes; apostrophes never open a
 * quote). A quote missing a mark is bounded at its paragraph and flagged;
 * one that goes on in the next paragraph (an opening mark there, no
 * closing mark here) continues. Each quote is then attributed: a cue
 * ("said", "according to", "read the statement") next to it names the
 * speaker, a noun phrase resolved through the entities layer when there is
 * one, pronouns and nominal references ("he", "the ministry") to the most
 * recent compatible speaker. See speaker.c and marks.c. */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

struct quotes_options {
    int indirect;
    int64_t scare_max_words;   /* GALLEY_OPT_INT fields are int64_t */
    int64_t max_quote_bytes;
};

static const galley_option quotes_table[] = {
    GALLEY_OPTION_BOOL(struct quotes_options, indirect, "true",
                       "also find reported speech without marks (\"X said the plan would fail\")"),
    GALLEY_OPTION_INT(struct quotes_options, scare_max_words, "5", 1, 50,
                      "an unattributed quote of at most this many words is a scare quote"),
    GALLEY_OPTION_INT(struct quotes_options, max_quote_bytes, "20000", 100, 100000000,
                      "a quote longer than this is cut at its paragraph and flagged"),
    GALLEY_OPTION_END
};

typedef struct quotes {
    const struct quotes_options *opt;
    qt_dicts d;
} quotes;

static void quotes_destroy(void *self)
{
    quotes *q = self;
    qt_dicts_free(&q->d);
    free(q);
}

static void *quotes_create(const void *options, const galley_stage_env *env,
                           galley_error *err)
{
    quotes *q = calloc(1, sizeof *q);
    if (!q) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    q->opt = options;
    if (qt_dicts_load(&q->d, env->data_dir, err) < 0) {
        quotes_destroy(q);
        return NULL;
    }
    return q;
}

static int quotes_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    quotes *q = self;
    qt_options o = { q->opt->indirect, (int)q->opt->scare_max_words,
                     (size_t)q->opt->max_quote_bytes };
    qt_find_quotes(&q->d, &o, doc);
    return 0;
}

static const char *const provides[] = { "quotes", NULL };

GALLEY_STAGE(quotes) = {
    GALLEY_STAGE_HEADER,
    .name = "quotes",
    .version = "1.0",
    .summary = "finds quotations (direct, partial, indirect, scare) and resolves who said them",
    .options = quotes_table,
    .options_size = sizeof(struct quotes_options),
    .provides = provides,
    .concurrency = GALLEY_PARALLEL,
    .create = quotes_create,
    .process = quotes_process,
    .destroy = quotes_destroy,
};
