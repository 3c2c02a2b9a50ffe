/* dedup.c - the dedup stage: exact and near-duplicate articles.
 *
 * An ordered stage: `prepare` computes each document's signature in the
 * worker threads; `process` sees documents in input order and decides,
 * so the first copy in input order is always the one kept and the result
 * is the same for any number of threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index.h"

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
};

static const char *const actions[] = { "mark", "drop", NULL };

static const galley_option dedup_table[] = {
    GALLEY_OPTION_REAL(struct dedup_options, threshold, "0.8", 0.05, 1.0,
                       "estimated Jaccard similarity of word shingles at which a document is a near duplicate"),
    GALLEY_OPTION_ENUM(struct dedup_options, action, "mark", actions,
                       "mark: add metadata.duplicate to later copies; drop: leave them out (counted as dropped)"),
    GALLEY_OPTION_INT(struct dedup_options, shingle, "5", 1, 20, "words per shingle"),
    GALLEY_OPTION_INT(struct dedup_options, bands, "10", 1, 32,
                      "LSH bands (more bands: more recall below the threshold, more candidates)"),
    GALLEY_OPTION_INT(struct dedup_options, rows, "7", 1, 32,
                      "MinHash rows per band (bands * rows <= 128)"),
    GALLEY_OPTION_INT(struct dedup_options, seed, "1", 0, 9007199254740991.0,
                      "seed of the hash functions (an index only matches its own seed)"),
    GALLEY_OPTION_BOOL(struct dedup_options, normalize_exact, "false",
                       "exact duplicates ignore case, punctuation and whitespace"),
    GALLEY_OPTION_BOOL(struct dedup_options, paragraphs, "false",
                       "mark paragraphs seen in an earlier document (layer repeated_paragraphs)"),
    GALLEY_OPTION_INT(struct dedup_options, min_paragraph, "80", 1, 100000,
                      "paragraphs shorter than this many bytes are not compared"),
    GALLEY_OPTION_STRING(struct dedup_options, index, NULL,
                         "index file loaded at start and saved at the end (relative to the config)"),
    GALLEY_OPTION_END
};

typedef struct dedup {
    const struct dedup_options *opt;
    dedup_params params;
    dedup_index *ix;
    char *index_path;
    int64_t docs, exact, near, loaded, paragraphs_repeated;
} dedup;

static void dedup_destroy(void *self)
{
    dedup *d = self;
    dedup_index_free(d->ix);
    free(d->index_path);
    free(d);
}

static void *dedup_create(const void *options, const galley_stage_env *env,
                          galley_error *err)
{
    const struct dedup_options *o = options;
    if (o->bands * o->rows > DEDUP_HASHES) {
        galley_error_set(err, "bands * rows must be at most %d, got %lld * %lld", DEDUP_HASHES,
                         (long long)o->bands, (long long)o->rows);
        return NULL;
    }
    dedup *d = calloc(1, sizeof *d);
    if (!d) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    d->opt = o;
    d->params = (dedup_params){ (int)o->shingle, (int)o->bands, (int)o->rows, (uint64_t)o->seed,
                                o->normalize_exact, o->paragraphs, (int)o->min_paragraph };
    d->ix = dedup_index_new(&d->params);
    if (o->index) {
        size_t n = strlen(env->config_dir) + strlen(o->index) + 2;
        d->index_path = malloc(n);
        if (o->index[0] == '/')
            snprintf(d->index_path, n, "%s", o->index);
        else
            snprintf(d->index_path, n, "%s/%s", env->config_dir, o->index);
        int missing;
        if (dedup_index_load(d->ix, d->index_path, &missing, err) < 0) {
            dedup_destroy(d);
            return NULL;
        }
        d->loaded = dedup_index_count(d->ix);
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

static void mark(dedup *d, galley_doc *doc, uint32_t of, double sim, const char *kind)
{
    if (d->opt->action == 1) {
        galley_doc_drop(doc, "duplicate");
        return;
    }
    galley_object *dup = galley_object_set_object(galley_doc_meta(doc), "duplicate");
    galley_object_set_str(dup, "of", dedup_index_id(d->ix, of));
    galley_object_set_real(dup, "similarity", sim);
    galley_object_set_str(dup, "kind", kind);
    /* The cluster is named by its first document's number in the index. */
    galley_object_set_int(dup, "cluster", of);
}

static int dedup_process(void *self, galley_doc *doc, galley_error *err)
{
    dedup *d = self;
    const dedup_sig *sig = galley_doc_scratch(doc, self);
    if (!sig)
        return galley_error_set(err, "no signature (prepare did not run)");
    d->docs++;
    int64_t of = dedup_index_exact(d->ix, sig->exact);
    int64_t self_no = -1;
    if (of >= 0) {
        d->exact++;
        mark(d, doc, (uint32_t)of, 1.0, "exact");
    } else {
        double sim = 0;
        of = dedup_index_near(d->ix, sig, d->opt->threshold, &sim);
        if (of >= 0) {
            d->near++;
            mark(d, doc, (uint32_t)of, sim, "near");
        } else {
            self_no = dedup_index_add(d->ix, galley_doc_id(doc), sig);
        }
    }
    if (d->opt->paragraphs && sig->nparas && galley_doc_status(doc) == GALLEY_KEPT) {
        galley_layer *layer = NULL;
        for (size_t i = 0; i < sig->nparas; i++) {
            int64_t first = dedup_index_paragraph(d->ix, sig->paras[i].hash);
            if (first < 0) {
                /* A new paragraph: a duplicate gets an id slot only now,
                 * as the paragraph's source. */
                if (self_no < 0)
                    self_no = dedup_index_add_id(d->ix, galley_doc_id(doc));
                dedup_index_add_paragraph(d->ix, sig->paras[i].hash, (uint32_t)self_no);
                continue;
            }
            if (first == self_no)
                continue;
            if (!layer)
                layer = galley_doc_add_layer(doc, "repeated_paragraphs");
            galley_span *sp = galley_layer_add(layer, sig->paras[i].start, sig->paras[i].end);
            galley_object_set_str(sp->fields, "first_seen", dedup_index_id(d->ix, (uint32_t)first));
            d->paragraphs_repeated++;
        }
    }
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
    if (d->index_path)
        return dedup_index_save(d->ix, d->index_path, err);
    return 0;
}

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
    .fields = dedup_fields,
};
