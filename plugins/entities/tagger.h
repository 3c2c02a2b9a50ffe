/* tagger.h - the entity model applied to a document: scores from cached
 * per-word sums plus context features, Viterbi per sentence, spans. */
#ifndef ENTITIES_TAGGER_H
#define ENTITIES_TAGGER_H

#include <galley/galley.h>
#include "featurize.h"

/* A model span: tokens [first, last) of one of the model's entity types
 * (its index in entities_tagger.types). */
typedef struct entities_mspan {
    size_t first, last;
    int type;
} entities_mspan;

#define ENTITIES_CTX_CACHE 1024

typedef struct entities_tagger {
    const galley_model *m;
    const entities_res *r;
    size_t L;
    /* Labels parsed: 'B' 'I' 'L' 'U' 'O' and the type index. */
    char role[GALLEY_MODEL_MAX_LABELS];
    int type[GALLEY_MODEL_MAX_LABELS];
    const char *types[ENTITIES_MAX_TYPES]; /* "PER", "ORG", ... (into the model) */
    size_t ntypes;
    /* Per word type and offset, the summed weights of its word features:
     * a direct-mapped table, so a word's sums are computed once while it
     * stays in (the sums are exact, so eviction only costs time). */
    uint64_t *keys;
    int32_t *sums; /* cap * ENTITIES_OFFSETS * L */
    size_t cap;
    int32_t *boundary; /* 2 sides * ENTITIES_OFFSETS * L */
    /* Context features repeat a lot (the bias, line kinds, dictionary
     * flags): their rows, widened, in a direct-mapped table of
     * ENTITIES_CTX_CACHE ids (a feature not in the model: a row of 0). */
    uint64_t *ctx_keys;
    int32_t *ctx_rows; /* ENTITIES_CTX_CACHE * L */
    uint64_t hits, misses;
} entities_tagger;

/* Prepares a tagger for a model (which must outlive it). `cache_words`
 * is rounded up to a power of two. Fails on a model without entity
 * labels. */
int entities_tagger_init(entities_tagger *tg, const galley_model *m, const entities_res *r,
                         size_t cache_words, galley_error *err);
void entities_tagger_free(entities_tagger *tg);

/* The model's spans in the document, in text order, in arena a (with the
 * scores and the decoder's scratch). Tags the sentences in text order and
 * adds each to the view's prediction history. */
entities_mspan *entities_tagger_tag(entities_tagger *tg, galley_doc *doc, galley_arena *a,
                                    entities_doc_view *v, size_t *n);
/* The scores of the sentence [first, end) (n rows of the model's labels)
 * through the cache: exactly the sums of the weights of every feature
 * entities_token_features gives each token (tests/test_tagger.c checks). */
void entities_tagger_score(entities_tagger *tg, const entities_doc_view *v, size_t first,
                           size_t end, int32_t *scores);
/* The type index of a type name, or -1. */
int entities_tagger_type(const entities_tagger *tg, const char *name);

#endif
