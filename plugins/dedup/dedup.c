/* dedup.c - the dedup stage: exact and near-duplicate articles.
 *
 * An ordered stage: `prepare` computes each document's signature in the
 * worker threads; `process` sees documents in input order and decides,
 * so the first copy in input order is always the one kept and the result
 * is the same for any number of threads.
 *
 * Three passes: "single" decides as it goes (against `index`, loaded at
 * create and saved by commit); "sign" decides nothing and writes each
 * document's signature with its place in the whole run (shard.h) for
 * `galley dedup merge` (merge.c), which decides them all as one run
 * would; "apply" marks or drops each document by the merged decision
 * (global.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include "decide.h"
#include "global.h"
#include "index.h"
#include "merge.h"
#include "shard.h"
#include "store.h"

enum { PASS_SINGLE = 0, PASS_SIGN = 1, PASS_APPLY = 2 };

struct dedup_options {
    double threshold;
    int action; /* 0 mark, 1 drop */
    int64_t shingle;
    int64_t bands;
    int64_t rows;
    int64_t seed;
    int normalize_exact;
    int paragraphs;
    int64_t min_paragraph;
    const char *index;
    int wait_for_index;
    int pass;
};

static const char *const actions[] = { "mark", "drop", NULL };
static const char *const passes[] = { "single", "sign", "apply", NULL };

static const galley_option dedup_table[] = {
    GALLEY_OPTION_REAL(
        struct dedup_options, threshold, "0.8", 0.05, 1.0,
        "estimated Jaccard similarity of word shingles at which a document is a near duplicate"),
    GALLEY_OPTION_ENUM(
        struct dedup_options, action, "mark", actions,
        "mark: add metadata.duplicate to later copies; drop: leave them out (counted as dropped)"),
    GALLEY_OPTION_INT(struct dedup_options, shingle, "5", 1, 20, "words per shingle"),
    GALLEY_OPTION_INT(struct dedup_options, bands, "10", 1, DEDUP_MAX_BANDS,
                      "LSH bands (more bands: more recall below the threshold, more candidates)"),
    GALLEY_OPTION_INT(struct dedup_options, rows, "7", 1, DEDUP_MAX_ROWS,
                      "MinHash rows per band (more rows: fewer candidates below the threshold)"),
    GALLEY_OPTION_INT(struct dedup_options, seed, "1", 0, 9007199254740991.0,
                      "seed of the hash functions (an index only matches its own seed)"),
    GALLEY_OPTION_BOOL(
        struct dedup_options, normalize_exact, "false",
        "exact duplicates ignore case and spacing (the tokens are compared, lower-cased)"),
    GALLEY_OPTION_BOOL(struct dedup_options, paragraphs, "false",
                       "mark paragraphs seen in an earlier document (layer repeated_paragraphs)"),
    GALLEY_OPTION_INT(struct dedup_options, min_paragraph, "80", 1, 100000,
                      "paragraphs shorter than this many bytes are not compared"),
    GALLEY_OPTION_STRING(struct dedup_options, index, NULL,
                         "index file loaded at start and saved when the output is complete "
                         "(relative to the config)"),
    GALLEY_OPTION_BOOL(struct dedup_options, wait_for_index, "false",
                       "wait while another run holds the index, instead of failing at once"),
    GALLEY_OPTION_ENUM(
        struct dedup_options, pass, "single", passes,
        "single: decide in this run; sign: write this shard's signatures to index, decide nothing; "
        "apply: mark or drop by the merged index (galley dedup merge)"),
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
    int lock; /* held from create to destroy, or -1 */
    int64_t docs, exact, near, loaded, paragraphs_repeated;
    dedup_sign_writer *sign; /* pass = "sign" */
    dedup_global global;     /* pass = "apply" */
    int64_t uncovered;       /* pass = "apply": documents the merged index lacks */
    char first_uncovered[512];
} dedup;

/* Releases an instance, also a half-made one that dedup_create gives up
 * on: a shard's signature file that commit never put in place is removed
 * (its temporary file), the merged index unmapped, the lock let go. */
static void dedup_destroy(void *self)
{
    dedup *d = self;
    dedup_index_free(d->ix);
    if (d->sign) {
        dedup_sign_abort(d->sign); /* a run that did not commit */
        free(d->sign);
    }
    dedup_global_close(&d->global);
    dedup_unlock(d->lock);
    free(d->index_path);
    free(d);
}

/* pass = "sign": the shard's own index file, named as --shard names the
 * outputs (sigs.idx -> sigs.shard-00002-of-00007.idx), locked, written
 * as the documents come and put in place by commit. */
static int open_sign(dedup *d, const galley_stage_env *env, galley_error *err)
{
    unsigned shard = 0, nshards = 1;
    if (env->struct_size >= offsetof(galley_stage_env, nshards) + sizeof env->nshards) {
        shard = env->shard;
        nshards = env->nshards ? env->nshards : 1;
    }
    if (nshards > 1) {
        size_t n = strlen(d->index_path) + 64;
        char *named = malloc(n);
        if (!named)
            return galley_error_set(err, "out of memory");
        galley_shard_path(d->index_path, shard, nshards, named, n);
        free(d->index_path);
        d->index_path = named;
    }
    int missing;
    if (dedup_check_regular(d->index_path, &missing, err) < 0 ||
        (d->lock = dedup_lock(d->index_path, d->opt->wait_for_index, err)) < 0)
        return -1;
    dedup_remove_stale(d->index_path);
    if (!(d->sign = malloc(sizeof *d->sign)))
        return galley_error_set(err, "out of memory");
    if (dedup_sign_open(d->sign, d->index_path, &d->params, shard, nshards, err) < 0) {
        free(d->sign);
        d->sign = NULL;
        return -1;
    }
    return 0;
}

/* pass = "apply": the merged index, mapped read-only and not locked (the
 * merge replaces it whole by a rename; every shard of pass 2 reads it at
 * once), built with this stage's options by this galley. */
static int open_apply(dedup *d, galley_error *err)
{
    dedup_shape want;
    dedup_shape_of(&d->params, DEDUP_FILE_MERGED, &want);
    return dedup_global_load(&d->global, d->index_path, &want, err);
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

/* An instance from the checked options. With `index` (made absolute
 * against the config's folder), the pass decides what is opened at once:
 * the shard's signature file (sign), the merged index (apply), or the
 * locked and loaded index (single). NULL with err when a pass other than
 * single has no index, or its file cannot be had; what was taken is then
 * released. */
static void *dedup_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    const struct dedup_options *o = options;
    dedup *d = calloc(1, sizeof *d);
    if (!d) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    d->opt = o;
    d->lock = -1;
    d->params = (dedup_params){ (int)o->shingle,       (int)o->bands,      (int)o->rows,
                                (uint64_t)o->seed,     o->normalize_exact, o->paragraphs,
                                (int)o->min_paragraph, o->threshold,       o->action };
    d->ix = dedup_index_new(&d->params);
    if (!d->ix || (o->index && !(d->index_path = dedup_path_join(env->config_dir, o->index)))) {
        galley_error_set(err, "out of memory");
        dedup_destroy(d);
        return NULL;
    }
    if (o->pass != PASS_SINGLE && !d->index_path) {
        galley_error_set(err, "pass = \"%s\" needs index = \"FILE\": %s", passes[o->pass],
                         o->pass == PASS_SIGN ? "where this shard's signatures go"
                                              : "the merged index of galley dedup merge");
        dedup_destroy(d);
        return NULL;
    }
    int rc = !d->index_path     ? 0
        : o->pass == PASS_SIGN  ? open_sign(d, env, err)
        : o->pass == PASS_APPLY ? open_apply(d, err)
                                : open_index(d, err);
    if (rc < 0) {
        dedup_destroy(d);
        return NULL;
    }
    return d;
}

/* In the worker threads: the document's signature (in its arena), left in
 * its scratch under `self` for dedup_process. Reads nothing but the
 * options, so it cannot fail. */
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

/* Adds the layer of repeated paragraphs: paragraph i of sig was first
 * seen in the document named by id_of(first_seen[i]) when that is >= 0. */
static void add_repeated(galley_doc *doc, const dedup_sig *sig, const int64_t *first_seen,
                         const char *(*id_of)(const dedup *, int64_t), const dedup *d)
{
    galley_layer *layer = NULL;
    for (size_t i = 0; i < sig->nparas; i++) {
        if (first_seen[i] < 0)
            continue;
        if (!layer)
            layer = galley_doc_add_layer(doc, "repeated_paragraphs");
        galley_span *sp = galley_layer_add(layer, sig->paras[i].start, sig->paras[i].end);
        galley_object_set_str(sp->fields, "first_seen", id_of(d, first_seen[i]));
    }
}

/* The id of document number n in this run's index: add_repeated's id_of
 * for pass = "single". */
static const char *index_id(const dedup *d, int64_t n)
{
    return dedup_index_id(d->ix, (uint32_t)n);
}

/* The id of document number n in the merged index: add_repeated's id_of
 * for pass = "apply". */
static const char *global_id(const dedup *d, int64_t n)
{
    return dedup_global_id(&d->global, (uint32_t)n);
}

/* pass = "apply": the merged decision of this document, found by its
 * place in the whole run and checked to be the document pass 1 signed
 * there (same exact hash, same paragraphs). A document the merged index
 * does not cover is rejected with the reason, and the run then fails at
 * finish. */
static int process_apply(dedup *d, galley_doc *doc, const dedup_sig *sig, galley_error *err)
{
    uint64_t order = galley_doc_order(doc);
    const dedup_global_rec *r = dedup_global_find(&d->global, order);
    const char *why = !r           ? "has no entry for it"
        : r->exact != sig->exact   ? "signed another document there"
        : r->nparas != sig->nparas ? "has other paragraphs for it"
                                   : NULL;
    if (why) {
        if (!d->uncovered++)
            snprintf(d->first_uncovered, sizeof d->first_uncovered,
                     "\"%s\" (input file %llu, record "
                     "%llu)",
                     galley_doc_id(doc), (unsigned long long)(order >> 40),
                     (unsigned long long)(order & ((1ULL << 40) - 1)));
        return galley_error_set(
            err,
            "the merged index %s does not cover this document: it %s (was "
            "pass 1 run over the same inputs with the same stages before dedup?)",
            d->index_path, why);
    }
    if (r->kind != DEDUP_KEEP) {
        d->exact += r->kind == DEDUP_EXACT;
        d->near += r->kind == DEDUP_NEAR;
        mark(d, doc, dedup_global_id(&d->global, r->of), r->of, r->similarity, r->kind);
    }
    if (r->refs == DEDUP_NONE || galley_doc_status(doc) != GALLEY_KEPT)
        return 0;
    int64_t *first_seen =
        galley_arena_alloc(galley_doc_arena(doc), (sig->nparas + 1) * sizeof *first_seen);
    for (size_t i = 0; i < sig->nparas; i++) {
        uint32_t f = d->global.refs[r->refs + i];
        first_seen[i] = f == DEDUP_NONE ? -1 : (int64_t)f;
        d->paragraphs_repeated += f != DEDUP_NONE;
    }
    add_repeated(doc, sig, first_seen, global_id, d);
    return 0;
}

/* One document, in input order. "sign" writes its signature and decides
 * nothing; "apply" takes the merged decision (process_apply); "single"
 * decides against the documents before it, adding a keeper and its new
 * paragraphs to the index. Fails (the document is rejected) only when
 * prepare left no signature, or "apply" finds it not covered. */
static int dedup_process(void *self, galley_doc *doc, galley_error *err)
{
    dedup *d = self;
    const dedup_sig *sig = galley_doc_scratch(doc, self);
    if (!sig)
        return galley_error_set(err, "no signature (prepare did not run)");
    d->docs++;
    if (d->opt->pass == PASS_SIGN) {
        dedup_sign_add(d->sign, galley_doc_order(doc), galley_doc_id(doc), sig);
        return 0;
    }
    if (d->opt->pass == PASS_APPLY)
        return process_apply(d, doc, sig, err);
    int64_t *first_seen =
        galley_arena_alloc(galley_doc_arena(doc), (sig->nparas + 1) * sizeof *first_seen);
    dedup_decision dec;
    dedup_decide(d->ix, &d->params, galley_doc_id(doc), sig, first_seen, &dec);
    if (dec.kind != DEDUP_KEEP) {
        d->exact += dec.kind == DEDUP_EXACT;
        d->near += dec.kind == DEDUP_NEAR;
        mark(d, doc, dedup_index_id(d->ix, dec.of), dec.of, dec.similarity, dec.kind);
    }
    if (dec.repeated)
        add_repeated(doc, sig, first_seen, index_id, d);
    d->paragraphs_repeated += (int64_t)dec.repeated;
    return 0;
}

/* The account's figures for the pass: what the shard's file holds (sign),
 * or the copies found and the index's size. Pass = "apply" fails here,
 * failing the run, when any document was not covered by the merged index:
 * the message names the first. */
static int dedup_finish(void *self, galley_object *report, galley_error *err)
{
    dedup *d = self;
    galley_object_set_int(report, "documents", d->docs);
    if (d->opt->pass == PASS_SIGN) {
        /* What the file holds: every document, undecided; commit adds
         * the count and the checksum (16 bytes). */
        uint64_t bytes = d->sign->w.bytes + 16;
        galley_object_set_int(report, "signed", d->docs);
        galley_object_set_int(report, "index_file_bytes", (int64_t)bytes);
        if (d->docs)
            galley_object_set_int(report, "index_file_bytes_per_document",
                                  (int64_t)(bytes / (uint64_t)d->docs));
        return 0;
    }
    galley_object_set_int(report, "exact_duplicates", d->exact);
    galley_object_set_int(report, "near_duplicates", d->near);
    if (d->opt->paragraphs)
        galley_object_set_int(report, "repeated_paragraphs", d->paragraphs_repeated);
    if (d->opt->pass == PASS_APPLY) {
        if (!d->uncovered)
            return 0;
        galley_object_set_int(report, "not_covered", d->uncovered);
        return galley_error_set(
            err,
            "the merged index %s does not cover %lld of the documents, the "
            "first %s: run pass 2 over the inputs of pass 1, with the same stages "
            "before dedup",
            d->index_path, (long long)d->uncovered, d->first_uncovered);
    }
    uint32_t n = dedup_index_count(d->ix);
    galley_object_set_int(report, "indexed", n);
    if (d->loaded)
        galley_object_set_int(report, "loaded_from_index", d->loaded);
    galley_object_set_int(report, "index_bytes", (int64_t)dedup_index_bytes(d->ix));
    if (n)
        galley_object_set_int(report, "index_bytes_per_document",
                              (int64_t)(dedup_index_bytes(d->ix) / n));
    return 0;
}

/* Makes the index durable, only after a run whose output is complete: a
 * failed or interrupted run leaves the file as it was (and pass 1 leaves
 * no shard index, so the merge finds it missing). */
static int dedup_commit(void *self, galley_error *err)
{
    dedup *d = self;
    if (d->sign) {
        int rc = dedup_sign_commit(d->sign, err);
        free(d->sign);
        d->sign = NULL;
        return rc;
    }
    if (d->opt->pass == PASS_SINGLE && d->index_path)
        return dedup_index_save(d->ix, d->index_path, err);
    return 0;
}

static const galley_stage_command dedup_commands[] = {
    { "merge", "-o GLOBAL.idx SHARD-INDEX...",
      "decides the documents of every shard of pass = \"sign\" as one run would, "
      "for pass = \"apply\"",
      dedup_merge_command },
    GALLEY_STAGE_COMMAND_END
};

static const char *const dedup_provides[] = { "repeated_paragraphs", NULL };

/* Each element of repeated_paragraphs is one paragraph (start and end)
 * that an earlier document already had. */
static const galley_layer_field dedup_fields[] = {
    { "repeated_paragraphs", "first_seen", GALLEY_STRING, 0,
      "id of the first document (this run or the index) that had the paragraph" },
    GALLEY_LAYER_FIELD_END
};

GALLEY_STAGE(dedup) = {
    GALLEY_STAGE_HEADER,
    .name = "dedup",
    .version = "1.0",
    .summary =
        "marks or drops exact and near-duplicate articles (MinHash LSH), across runs with an index",
    .options = dedup_table,
    .options_size = sizeof(struct dedup_options),
    .provides = dedup_provides,
    .concurrency = GALLEY_ORDERED,
    .create = dedup_create,
    .prepare = dedup_prepare,
    .process = dedup_process,
    .finish = dedup_finish,
    .destroy = dedup_destroy,
    .fields = dedup_fields,
    .commands = dedup_commands,
    .commit = dedup_commit,
};
