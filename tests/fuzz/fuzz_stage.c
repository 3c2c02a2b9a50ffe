/* fuzz_stage.c - one built-in stage through the embed API
 * (galley_stage_open, galley_stage_run on galley_doc_new documents), on
 * any text. Built once per stage with -DFUZZ_STAGE="name".
 *
 * The input is one byte of options, then the text (repaired to valid
 * UTF-8 first, as the readers do: galley_doc_new takes valid text):
 *   bits 0-1  which of the stage's option sets (variants[] below)
 *   bit 2     the first line is also the document's metadata title
 *   bits 3-7  dedup: more options (see dedup_settings)
 * Every stage but dedup is opened once per option set and sees one
 * document per input. dedup (ordered, with state) is opened fresh for
 * each input, which it splits at NUL bytes into up to 16 documents, so
 * that copies and near copies meet within one input.
 * quotes runs after entities, as in pipelines/news.cfg: its speakers
 * come from the entities layer.
 *
 * Invariants: a stage succeeds or fails with a message; every document
 * it leaves passes fuzz_check_doc; a parallel stage gives the same
 * output for the same document twice in a row (nothing of one document
 * stays in the instance for the next); finish reports; nothing leaks or
 * hangs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

#ifndef FUZZ_STAGE
#error "build with -DFUZZ_STAGE=\"stage name\""
#endif

#define MAX_DOCS 16

/* Four option sets a stage is fuzzed with ("option=value", NULL-ended). */
typedef struct stage_variants {
    const char *name;
    const char *const *variants[4];
} stage_variants;

static const char *const defaults[] = { NULL };
static const char *const normalize_nfkc[] = { "form=nfkc", "straighten_quotes=true",
                                              "keep_removed=true", NULL };
static const char *const normalize_off[] = { "repair_mojibake=false",
                                             "decode_entities=false",
                                             "strip_html=false",
                                             "boilerplate=false",
                                             "dateline=false",
                                             "drop_title_line=false",
                                             NULL };
/* Its extra_boilerplate file is written by LLVMFuzzerInitialize. */
static char extra_setting[4200];
static const char *const normalize_extra[] = { extra_setting, "keep_removed=true", NULL };
static const char extra_patterns[] = "promo\t^Advertisement$\nclick\t(?i)click here.*\n";
static const char *const entities_no_propagate[] = { "propagate=false", NULL };
static const char *const quotes_direct[] = { "indirect=false", NULL };
static const char *const quotes_short[] = { "scare_max_words=1", "max_quote_bytes=100", NULL };
static const char *const quotes_long[] = { "scare_max_words=50", NULL };
static const char *const stats_letters[] = { "letters=true", "min_words=3", NULL };
static const char *const stats_field[] = { "field=counts", "min_words=1000000", NULL };

static const stage_variants stages[] = {
    { "normalize", { defaults, normalize_nfkc, normalize_off, normalize_extra } },
    { "entities", { defaults, entities_no_propagate, defaults, entities_no_propagate } },
    { "quotes", { defaults, quotes_direct, quotes_short, quotes_long } },
    { "stats", { defaults, stats_letters, stats_field, defaults } },
    { "dedup", { defaults, defaults, defaults, defaults } },
};

static const stage_variants *stage;
static galley_stage_handle *handles[4];
static galley_stage_handle *entities_first; /* quotes only */

/* Opens a stage or stops the target: a stage that cannot start with
 * settings that are valid is a finding too. */
static galley_stage_handle *open_or_die(const char *name, const char *const *settings)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open(name, settings, &err);
    FUZZ_CHECK(h != NULL, "cannot open stage \"%s\": %s", name, err.message);
    return h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof stages / sizeof *stages; i++)
        if (strcmp(stages[i].name, FUZZ_STAGE) == 0)
            stage = &stages[i];
    FUZZ_CHECK(stage != NULL, "no stage \"%s\" in fuzz_stage.c", FUZZ_STAGE);
    if (strcmp(stage->name, "dedup") == 0)
        return 0;
    const char *extra =
        fuzz_write_file("extra.tsv", (const uint8_t *)extra_patterns, sizeof extra_patterns - 1);
    snprintf(extra_setting, sizeof extra_setting, "extra_boilerplate=%s", extra);
    for (int v = 0; v < 4; v++)
        handles[v] = open_or_die(stage->name, stage->variants[v]);
    if (strcmp(stage->name, "quotes") == 0)
        entities_first = open_or_die("entities", NULL);
    return 0;
}

/* A document of text[0..len), repaired to valid UTF-8, with the first
 * line as its title when asked. */
static galley_doc *make_doc(const char *id, const uint8_t *text, size_t len, int title)
{
    galley_arena *a = galley_arena_new(len * 3 + 64);
    size_t n, repaired;
    const char *t = galley_utf8_repair(a, (const char *)text, len, &n, &repaired);
    galley_doc *doc = galley_doc_new(id, t, n);
    if (title) {
        const char *nl = memchr(t, '\n', n);
        galley_object_set_strn(galley_doc_meta(doc), "title", t, nl ? (size_t)(nl - t) : n);
    }
    galley_arena_free(a);
    return doc;
}

/* Runs h on doc (when it is still kept) and checks the result. */
static void run_checked(galley_stage_handle *h, galley_doc *doc, const char *what)
{
    if (galley_doc_status(doc) != GALLEY_KEPT)
        return;
    galley_error err = { 0 };
    int rc = galley_stage_run(h, doc, &err);
    FUZZ_CHECK(rc == 0 || (err.set && err.message[0]), "%s failed without a message", what);
    fuzz_check_doc(doc, what);
}

/* dedup's settings from the option byte: shingle size, the LSH shape,
 * exact-match normalization, paragraphs, the action. */
static size_t dedup_settings(uint8_t o, char buf[][32], const char **settings)
{
    static const int shapes[][2] = { { 10, 7 }, { 1, 1 }, { 16, 4 }, { 4, 8 } };
    size_t n = 0;
    snprintf(buf[n], 32, "shingle=%d", 1 + ((o >> 3) & 3) * 2);
    settings[n] = buf[n];
    n++;
    snprintf(buf[n], 32, "bands=%d", shapes[o & 3][0]);
    settings[n] = buf[n];
    n++;
    snprintf(buf[n], 32, "rows=%d", shapes[o & 3][1]);
    settings[n] = buf[n];
    n++;
    settings[n++] = o & 0x20 ? "normalize_exact=true" : "normalize_exact=false";
    settings[n++] = o & 0x40 ? "paragraphs=true" : "paragraphs=false";
    settings[n++] = o & 0x40 ? "min_paragraph=1" : "min_paragraph=80";
    settings[n++] = o & 0x80 ? "action=drop" : "action=mark";
    settings[n] = NULL;
    return n;
}

/* dedup: a fresh instance, the input's documents in order, finish. */
static void fuzz_dedup(uint8_t o, const uint8_t *data, size_t size)
{
    char buf[3][32];
    const char *settings[8];
    dedup_settings(o, buf, settings);
    galley_stage_handle *h = open_or_die("dedup", settings);
    const uint8_t *end = data + size;
    for (int i = 0; i < MAX_DOCS && data <= end; i++) {
        const uint8_t *nul = memchr(data, '\0', (size_t)(end - data));
        size_t len = nul ? (size_t)(nul - data) : (size_t)(end - data);
        char id[16];
        snprintf(id, sizeof id, "d%d", i);
        galley_doc *doc = make_doc(id, data, len, (o >> 2) & 1);
        run_checked(h, doc, "dedup");
        galley_doc_free(doc);
        if (!nul)
            break;
        data = nul + 1;
    }
    galley_arena *a = galley_arena_new(0);
    galley_error err = { 0 };
    int rc = galley_stage_finish(h, galley_object_new(a), &err);
    FUZZ_CHECK(rc == 0, "dedup finish failed: %s", err.message);
    galley_arena_free(a);
    galley_stage_close(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t o = fuzz_take_byte(&data, &size);
    if (!handles[0] && strcmp(stage->name, "dedup") == 0) {
        fuzz_dedup(o, data, size);
        return 0;
    }
    char *first = NULL;
    for (int round = 0; round < 2; round++) {
        galley_doc *doc = make_doc("f1", data, size, (o >> 2) & 1);
        if (entities_first)
            run_checked(entities_first, doc, "entities (before quotes)");
        run_checked(handles[o & 3], doc, stage->name);
        char *line = galley_doc_to_json(doc);
        if (first) {
            FUZZ_CHECK(strcmp(first, line) == 0,
                       "%s gave another output the second time:\n%.300s\n%.300s", stage->name,
                       first, line);
            free(line);
        } else {
            first = line;
        }
        galley_doc_free(doc);
    }
    free(first);
    return 0;
}
