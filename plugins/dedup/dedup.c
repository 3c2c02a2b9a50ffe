/* dedup.c - the dedup stage: exact and near-duplicate articles.
 *
 * An ordered stage: `prepare` computes each document's signature in the
 * worker threads; `process` sees documents in input order and decides,
 * so the first copy in input order is always the one kept and the result
 * is the same for any number of threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "index.h"
#include "store.h"

struct dedup_options {
    double threshold;
    int action;               /* 0 mark, 1 drop */
    int64_t shingle;
    int64_t bands;
    int64_t rows;
    int64_t seed;
    int normalize_exact;
    int paragraphs;
    int64_t min_paragraph;
    const char *index;
    int wait_for_index;
};

static const char *const actions[] = { "mark", "drop", NULL };

static const galley_option dedup_table[] = {
    GALLEY_OPTION_REAL(struct dedup_options, threshold, "0.8", 0.05, 1.0,
                       "estimated Jaccard similarity of word shingles at which a document is a near duplicate"),
    GALLEY_OPTION_ENUM(struct dedup_options, action, "mark", actions,
                       "mark: add metadata.duplicate to later copies; drop: leave them out (counted as dropped)"),
    GALLEY_OPTION_INT(struct dedup_options, shingle, "5", 1, 20, "words per shingle"),
    GALLEY_OPTION_INT(struct dedup_options, bands, "10", 1, DEDUP_MAX_BANDS,
                      "LSH bands (more bands: more recall below the threshold, more candidates)"),
    GALLEY_OPTION_INT(struct dedup_options, rows, "7", 1, DEDUP_MAX_ROWS,
                      "MinHash rows per band (more rows: fewer candidates below the threshold)"),
    GALLEY_OPTION_INT(struct dedup_options, seed, "1", 0, 9007199254740991.0,
                      "seed of the hash functions (an index only matches its own seed)"),
    GALLEY_OPTION_BOOL(struct dedup_options, normalize_exact, "false",
                       "exact duplicates ignore case, punctuation and whitespace"),
    GALLEY_OPTION_BOOL(struct dedup_options, paragraphs, "false",
                       "mark paragraphs seen in an earlier document (layer repeated_paragraphs)"),
    GALLEY_OPTION_INT(struct dedup_options, min_paragraph, "80", 1, 100000,
                      "paragraphs shorter than this many bytes are not compared"),
    GALLEY_OPTION_STRING(struct dedup_options, index, NULL,
                         "index file loaded at start and saved when the output is complete (relative to the config)"),
    GALLEY_OPTION_BOOL(struct dedup_options, wait_for_index, "false",
                       "wait while another run holds the index, instead of failing at once"),
    GALLEY_OPTION_END
};

/* Every bands x rows the option table allows fits the 128 values, so
 * that `galley check` (which reads the table) refuses what run refuses. */
typedef char dedup_bands_fit[DEDUP_MAX_BANDS * DEDUP_MAX_ROWS <= DEDUP_HASHES ? 1 : -1];

typedef struct dedup {
    const struct dedup_options *opt;
    dedup_params params;
    dedup_index *ix;
    char *index_path;
    int lock;                 /* held from create to destroy, or -1 */
    int64_t docs, exact, near, loaded, paragraphs_repeated;
} dedup;

static void dedup_destroy(void *self)
{
    dedup *d = self;
    dedup_index_free(d->ix);
    dedup_unlock(d->lock);
    free(d->index_path);
    free(d);
}

/* Locks the index file, clears what killed runs left, and loads it. */
static int open_index(dedup *d, galley_error *err)
{
    int missing;
    if (dedup_check_regular(d->index_path, &missing, err) < 0)
        return -1;
    if ((d->lock = dedup_lock(d->index_path, d->opt->wait_for_index, err)) < 0)
        return -1;
    dedup_remove_stale(d->index_path);
    if (dedup_index_load(d->ix, d->index_path, &missing, err) < 0)
        return -1;
    d->loaded = dedup_index_count(d->ix);
    return 0;
}

static void *dedup_create(const void *options, const galley_stage_env *env,
                          galley_error *err)
{
    const struct dedup_options *o = options;
    dedup *d = calloc(1, sizeof *d);
    if (!d) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    d->opt = o;
    d->lock = -1;
    d->params = (dedup_params){ (int)o->shingle, (int)o->bands, (int)o->rows, (uint64_t)o->seed,
                                o->normalize_exact, o->paragraphs, (int)o->min_paragraph,
                                o->threshold, o->action };
    d->ix = dedup_index_new(&d->params);
    if (!d->ix || (o->index && !(d->index_path = dedup_path_join(env->config_dir, o->index)))) {
        galley_error_set(err, "out of memory");
        dedup_destroy(d);
        return NULL;
    }
    if (d->index_path && open_index(d, err) < 0) {
        dedup_destroy(d);
        return NULL;
    }
    return d;
}

static int dedup_prepare(const void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    const dedup *d = self;
    galley_doc_set_scratch(doc, self, dedup_signature(&d->params, doc));
    return 0;
}

/* Marks (or drops) a copy of document `of_id`, whose number in the
 * index (the single run's) names the cluster. */
static void mark(const dedup *d, galley_doc *doc, const char *of_id, uint32_t cluster, double sim,
                 int kind)
{
    if (d->opt->action == 1) {
        galley_doc_drop(doc, "duplicate");
        return;
    }
    galley_object *dup = galley_object_set_object(galley_doc_meta(doc), "duplicate");
    galley_object_set_str(dup, "of", of_id);
    galley_object_set_real(dup, "similarity", sim);
    galley_object_set_str(dup, "kind", kind == DEDUP_EXACT ? "exact" : "near");
    /* The cluster is named by its first document's number in the index. */
    galley_object_set_int(dup, "cluster", cluster);
}

static int dedup_process(void *self, galley_doc *doc, galley_error *err)
{
    dedup *d = self;
    const dedup_sig *sig = galley_doc_scratch(doc, self);
    if (!sig)
        return galley_error_set(err, "no signature (prepare did not run)");
    d->docs++;
    int64_t *first_seen = galley_arena_alloc(galley_doc_arena(doc),
                                             (sig->nparas + 1) * sizeof *first_seen);
    dedup_decision dec;
    dedup_decide(d->ix, &d->params, galley_doc_id(doc), sig, first_seen, &dec);
    if (dec.kind != DEDUP_KEEP) {
        d->exact += dec.kind == DEDUP_EXACT;
        d->near += dec.kind == DEDUP_NEAR;
        mark(d, doc, dedup_index_id(d->ix, dec.of), dec.of, dec.similarity, dec.kind);
    }
    galley_layer *layer = NULL;
    for (size_t i = 0; i < sig->nparas && dec.repeated; i++) {
        if (first_seen[i] < 0)
            continue;
        if (!layer)
            layer = galley_doc_add_layer(doc, "repeated_paragraphs");
        galley_span *sp = galley_layer_add(layer, sig->paras[i].start, sig->paras[i].end);
        galley_object_set_str(sp->fields, "first_seen", dedup_index_id(d->ix, (uint32_t)first_seen[i]));
    }
    d->paragraphs_repeated += (int64_t)dec.repeated;
    return 0;
}

static int dedup_finish(void *self, galley_object *report, galley_error *err)
{
    dedup *d = self;
    uint32_t n = dedup_index_count(d->ix);
    galley_object_set_int(report, "documents", d->docs);
    galley_object_set_int(report, "exact_duplicates", d->exact);
    galley_object_set_int(report, "near_duplicates", d->near);
    galley_object_set_int(report, "indexed", n);
    if (d->loaded)
        galley_object_set_int(report, "loaded_from_index", d->loaded);
    if (d->opt->paragraphs)
        galley_object_set_int(report, "repeated_paragraphs", d->paragraphs_repeated);
    galley_object_set_int(report, "index_bytes", (int64_t)dedup_index_bytes(d->ix));
    if (n)
        galley_object_set_int(report, "index_bytes_per_document",
                              (int64_t)(dedup_index_bytes(d->ix) / n));
    return 0;
}

/* Saves the index, only after a run whose output is complete: a failed
 * or interrupted run leaves the file as it was. */
static int dedup_commit(void *self, galley_error *err)
{
    dedup *d = self;
    return d->index_path ? dedup_index_save(d->ix, d->index_path, err) : 0;
}

static const char *const dedup_provides[] = { "repeated_paragraphs", NULL };

GALLEY_STAGE(dedup) = {
    GALLEY_STAGE_HEADER,
    .name = "dedup",
    .version = "1.0",
    .summary = "marks or drops exact and near-duplicate articles (MinHash LSH), across runs with an index",
    .options = dedup_table,
    .options_size = sizeof(struct dedup_options),
    .provides = dedup_provides,
    .concurrency = GALLEY_ORDERED,
    .create = dedup_create,
    .prepare = dedup_prepare,
    .process = dedup_process,
    .finish = dedup_finish,
    .destroy = dedup_destroy,
    .commit = dedup_commit,
};
