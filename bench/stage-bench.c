/* stage-bench.c - one stage's own speed, on one core, without the runner.
 *
 *     stage-bench CORPUS.jsonl[.gz] STAGE [OPTION=VALUE...] [-r REPEAT]
 *
 * Reads every document of the corpus into memory (jansson, zlib), then
 * runs the stage on each through the embed API and times only the stage's
 * callbacks: `prepare` (the part of an ordered stage that runs in the
 * workers) and `process` apart. Reading, JSON parsing, making documents
 * and writing are outside the clock, so the figure is the stage's own
 * MB/s of text per core, which is what the stage targets are stated in.
 * STAGE "tokenize" times galley_doc_tokens alone, the share of the
 * stages that start by tokenizing. Best of REPEAT runs (default 3), each
 * with a fresh instance (an ordered stage's state starts empty). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <galley/galley.h>

typedef struct corpus {
    char **ids, **texts;
    size_t *lens;
    size_t n, cap, bytes;
} corpus;

/* realloc that ends the benchmark with a message when memory runs out
 * (the corpus is held in memory whole). */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "stage-bench: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return q;
}

/* A copy of the n bytes at s and a NUL, through xrealloc. */
static char *xmemdup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Seconds on a monotonic clock, for the time spent in the stage's callbacks. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Adds the document of one JSONL line to the corpus: a copy of its "text" and
 * of its "id" (doc-N when it has none). A line that is not JSON or has no
 * string "text" is skipped. The corpus owns the copies. */
static void add_line(corpus *c, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    json_t *t = o ? json_object_get(o, "text") : NULL;
    if (!json_is_string(t)) {
        json_decref(o);
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->ids = xrealloc(c->ids, c->cap * sizeof *c->ids);
        c->texts = xrealloc(c->texts, c->cap * sizeof *c->texts);
        c->lens = xrealloc(c->lens, c->cap * sizeof *c->lens);
    }
    json_t *id = json_object_get(o, "id");
    char fallback[32];
    snprintf(fallback, sizeof fallback, "doc-%zu", c->n);
    const char *idv = json_is_string(id) ? json_string_value(id) : fallback;
    c->ids[c->n] = xmemdup(idv, strlen(idv));
    c->lens[c->n] = json_string_length(t);
    c->texts[c->n] = xmemdup(json_string_value(t), c->lens[c->n]);
    c->bytes += c->lens[c->n];
    c->n++;
    json_decref(o);
}

/* Reads a JSONL file, gzipped or not (gzread passes plain files through). */
static int read_corpus(const char *path, corpus *c)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 20, len = 0;
    char *buf = xrealloc(NULL, cap);
    int n;
    while ((n = gzread(f, buf + len, (unsigned)(cap - len))) > 0) {
        len += (size_t)n;
        size_t start = 0;
        for (char *nl; (nl = memchr(buf + start, '\n', len - start));) {
            add_line(c, buf + start, (size_t)(nl - buf) - start);
            start = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    if (len)
        add_line(c, buf, len);
    free(buf);
    gzclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: stage-bench CORPUS STAGE [OPTION=VALUE...] [-r REPEAT]\n", stderr);
        return 2;
    }
    const char *stage = argv[2];
    int repeat = 3;
    const char **settings = xrealloc(NULL, (size_t)argc * sizeof *settings);
    size_t ns = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else
            settings[ns++] = argv[i];
    }
    settings[ns] = NULL; /* galley_stage_open reads to a NULL */
    corpus c = { 0 };
    if (read_corpus(argv[1], &c) < 0 || c.n == 0) {
        fprintf(stderr, "stage-bench: %s: no documents\n", argv[1]);
        return 2;
    }
    int tokenize_only = strcmp(stage, "tokenize") == 0;
    int has_prepare = 0;
    double best_prepare = 1e30, best_process = 1e30;
    size_t dropped = 0, rejected = 0;
    for (int r = 0; r < repeat; r++) {
        galley_error err = { 0 };
        galley_stage_handle *h = NULL;
        if (!tokenize_only && !(h = galley_stage_open(stage, settings, &err))) {
            fprintf(stderr, "stage-bench: %s\n", err.message);
            return 2;
        }
        has_prepare = h && galley_stage_descriptor(h)->prepare != NULL;
        double prepare = 0, process = 0;
        dropped = rejected = 0;
        for (size_t i = 0; i < c.n; i++) {
            galley_doc *doc = galley_doc_new(c.ids[i], c.texts[i], c.lens[i]);
            double t0 = now();
            if (tokenize_only) {
                size_t nt;
                galley_doc_tokens(doc, &nt);
                process += now() - t0;
                galley_doc_free(doc);
                continue;
            }
            if (galley_stage_prepare(h, doc, &err) != 0) {
                fprintf(stderr, "stage-bench: %s: prepare: %s\n", c.ids[i], err.message);
                return 1;
            }
            double t1 = now();
            if (galley_stage_process(h, doc, &err) != 0) {
                fprintf(stderr, "stage-bench: %s: process: %s\n", c.ids[i], err.message);
                return 1;
            }
            double t2 = now();
            prepare += t1 - t0;
            process += t2 - t1;
            dropped += galley_doc_status(doc) == GALLEY_DROPPED;
            rejected += galley_doc_status(doc) == GALLEY_REJECTED;
            galley_doc_free(doc);
        }
        if (h && galley_stage_finish(h, NULL, &err) != 0) {
            fprintf(stderr, "stage-bench: finish: %s\n", err.message);
            return 1;
        }
        galley_stage_close(h);
        if (prepare + process < best_prepare + best_process)
            best_prepare = prepare, best_process = process;
    }
    double mb = (double)c.bytes / 1e6, total = best_prepare + best_process;
    printf("%-10s %8zu docs %8.1f MB  ", stage, c.n, mb);
    if (has_prepare)
        printf("prepare %6.3f s  process %6.3f s  ", best_prepare, best_process);
    printf("total %6.3f s  %7.1f MB/s", total, mb / total);
    if (has_prepare)
        printf("  (prepare alone %.1f MB/s)", mb / best_prepare);
    if (dropped || rejected)
        printf("  dropped %zu rejected %zu", dropped, rejected);
    printf("\n");
    for (size_t i = 0; i < c.n; i++)
        free(c.ids[i]), free(c.texts[i]);
    free(c.ids), free(c.texts), free(c.lens), free(settings);
    return 0;
}
