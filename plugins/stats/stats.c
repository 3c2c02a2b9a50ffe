/* stats.c - the example stage: word, sentence and paragraph counts of
 * each document in its metadata. The template for stage authors: a
 * descriptor, an option table, and four callbacks, using only the public
 * API. */
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>

/* Options: filled by the core from the config, by offset. */
struct stats_options {
    const char *field; /* metadata key for the counts */
    int letters;       /* also count letters */
    int64_t min_words; /* reject shorter documents */
};

static const galley_option stats_option_table[] = {
    GALLEY_OPTION_STRING(struct stats_options, field, "stats",
                         "metadata key that receives the counts"),
    GALLEY_OPTION_BOOL(struct stats_options, letters, "false", "also count letters"),
    GALLEY_OPTION_INT(struct stats_options, min_words, "0", 0, 1000000,
                      "reject documents with fewer words (reason too_short)"),
    GALLEY_OPTION_END
};

/* One instance per worker thread: it only counts, so it keeps just its
 * options and a running total for the report. */
struct stats {
    const struct stats_options *opt;
    int64_t documents, words;
};

/* An instance from the options the core has checked against the table.
 * They live as long as the instance, so a pointer to them is enough.
 * NULL only with err set. */
static void *stats_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    (void)env;
    struct stats *s = calloc(1, sizeof *s);
    if (!s) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    s->opt = options;
    return s;
}

/* Counts one document into metadata.FIELD: its words (tokens that are not
 * punctuation), sentences, paragraphs and, with `letters`, letters; the
 * tokens, sentences and paragraphs are the document's own, computed once
 * for every stage. A document under min_words is rejected as too_short:
 * a verdict on the input, so it returns 0, not an error. */
static int stats_process(void *self, galley_doc *doc, galley_error *err)
{
    struct stats *s = self;
    size_t ntok, nsent, npara;
    const galley_token *tok = galley_doc_tokens(doc, &ntok);
    galley_doc_sentences(doc, &nsent);
    galley_doc_paragraphs(doc, &npara);
    int64_t words = 0, letters = 0;
    const char *text = galley_doc_text(doc);
    for (size_t i = 0; i < ntok; i++) {
        if (tok[i].kind == GALLEY_TOK_PUNCT)
            continue;
        words++;
        if (!s->opt->letters)
            continue;
        for (size_t b = tok[i].start; b < tok[i].end;) {
            int32_t cp;
            b += galley_utf8_decode(text + b, tok[i].end - b, &cp);
            letters += galley_cp_is_letter(cp) != 0;
        }
    }
    if (words < s->opt->min_words) {
        galley_doc_reject(doc, "too_short");
        return 0;
    }
    galley_object *o = galley_object_set_object(galley_doc_meta(doc), s->opt->field);
    if (!o)
        return galley_error_set(err, "cannot set metadata \"%s\"", s->opt->field);
    galley_object_set_int(o, "words", words);
    galley_object_set_int(o, "sentences", (int64_t)nsent);
    galley_object_set_int(o, "paragraphs", (int64_t)npara);
    if (s->opt->letters)
        galley_object_set_int(o, "letters", letters);
    s->documents++;
    s->words += words;
    return 0;
}

/* The report is summed over the worker instances by the core. */
static int stats_finish(void *self, galley_object *report, galley_error *err)
{
    (void)err;
    struct stats *s = self;
    galley_object_set_int(report, "documents", s->documents);
    galley_object_set_int(report, "words", s->words);
    return 0;
}

/* Frees the instance; its options belong to the core. */
static void stats_destroy(void *self)
{
    free(self);
}

/* The fields of each provided layer's elements: stats provides no layer
 * (its counts go to metadata), and an empty table says so. A stage with
 * layers lists their fields here, one row each (see keywords.c in
 * examples/plugin). */
static const galley_layer_field stats_fields[] = { GALLEY_LAYER_FIELD_END };

GALLEY_STAGE(stats) = {
    GALLEY_STAGE_HEADER,
    .name = "stats",
    .version = "1.0",
    .summary = "adds word, sentence and paragraph counts to each document's metadata",
    .options = stats_option_table,
    .options_size = sizeof(struct stats_options),
    .concurrency = GALLEY_PARALLEL,
    .create = stats_create,
    .process = stats_process,
    .finish = stats_finish,
    .destroy = stats_destroy,
    .fields = stats_fields,
};
