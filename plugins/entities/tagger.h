/* tagger.h - the entity model applied to a document: scores from cached
 * per-word sums plus context features, Viterbi per sentence, spans. */
#ifndef ENTITIES_TAGGER_H
#define ENTITIES_TAGGER_H

#include <galley/galley.h>
#include "featurize.h"

/* A model span: tokens [first, last) of one of the model's entity types
 * (its index in ent_tagger.types). */
typedef struct ent_mspan {
    size_t first, last;
    int type;
} ent_mspan;

#define ENT_MAX_TYPES 16

typedef struct ent_tagger {
    const galley_model *m;
    const ent_res *r;
    size_t L;
    /* Labels parsed: 'B' 'I' 'L' 'U' 'O' and the type index. */
    char role[GALLEY_MODEL_MAX_LABELS];
    int type[GALLEY_MODEL_MAX_LABELS];
    const char *types[ENT_MAX_TYPES];   /* "PER", "ORG", ... (into the model) */
    size_t ntypes;
    /* Per word type and offset, the summed weights of its word features:
     * a direct-mapped table, so a word's sums are computed once while it
     * stays in (the sums are exact, so eviction only costs time). */
    uint64_t *keys;
    int32_t *sums;                 /* cap * ENT_OFFSETS * L */
    size_t cap;
    int32_t *boundary;             /* 2 sides * ENT_OFFSETS * L */
    uint64_t hits, misses;
} ent_tagger;

/* Prepares a tagger for a model (which must outlive it). `cache_words`
 * is rounded up to a power of two. Fails on a model without entity
 * labels. */
int ent_tagger_init(ent_tagger *tg, const galley_model *m, const ent_res *r,
                    size_t cache_words, galley_error *err);
void ent_tagger_free(ent_tagger *tg);

/* The model's spans in the document, in text order (arena memory). */
ent_mspan *ent_tagger_tag(ent_tagger *tg, galley_doc *doc, const ent_doc_view *v,
                          size_t *n);
/* The scores of the sentence [first, end) (n rows of the model's labels)
 * through the cache: exactly the sums of the weights of every feature
 * ent_token_features gives each token (tests/test_tagger.c checks). */
void ent_tagger_score(ent_tagger *tg, const ent_doc_view *v, size_t first, size_t end,
                      int32_t *scores);
/* The type index of a type name, or -1. */
int ent_tagger_type(const ent_tagger *tg, const char *name);

#endif
