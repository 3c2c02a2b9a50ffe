/* tagger.c - tagging a document with the entity model (see tagger.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tagger.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* dst[0..L) += src[0..L), four at a time where the machine can. */
static inline void add_row(int32_t *dst, const int32_t *src, size_t L)
{
    size_t c = 0;
#ifdef __SSE2__
    for (; c + 4 <= L; c += 4)
        _mm_storeu_si128((__m128i *)(dst + c),
                         _mm_add_epi32(_mm_loadu_si128((const __m128i *)(dst + c)),
                                       _mm_loadu_si128((const __m128i *)(src + c))));
#endif
    for (; c < L; c++)
        dst[c] += src[c];
}

/* Fills role[] and type[] from the model's label names ("B-PER"). */
static int parse_labels(entities_tagger *tg, galley_error *err)
{
    for (size_t l = 0; l < tg->L; l++) {
        const char *name = galley_model_label(tg->m, l);
        tg->type[l] = -1;
        tg->role[l] = 'O';
        if (strcmp(name, "O") == 0)
            continue;
        if (strlen(name) < 3 || name[1] != '-' || !strchr("BILUES", name[0]))
            return galley_error_set(err, "model label \"%s\" is not O, B-X, I-X, L-X or U-X", name);
        tg->role[l] = name[0] == 'E' ? 'L' : name[0] == 'S' ? 'U' : name[0];
        int t = entities_tagger_type(tg, name + 2);
        if (t < 0) {
            if (tg->ntypes == ENTITIES_MAX_TYPES)
                return galley_error_set(err, "model has more than %d entity types",
                                        ENTITIES_MAX_TYPES);
            t = (int)tg->ntypes;
            tg->types[tg->ntypes++] = name + 2;
        }
        tg->type[l] = t;
    }
    if (tg->ntypes == 0)
        return galley_error_set(err, "model has no entity labels");
    return 0;
}

int entities_tagger_type(const entities_tagger *tg, const char *name)
{
    for (size_t t = 0; t < tg->ntypes; t++)
        if (strcmp(tg->types[t], name) == 0)
            return (int)t;
    return -1;
}

/* Adds the weights of word features `wf` at each offset to sums
 * (ENTITIES_OFFSETS rows of L). */
static void sum_word(const entities_tagger *tg, const entities_wfeat *wf, size_t nw, int32_t *sums)
{
    memset(sums, 0, ENTITIES_OFFSETS * tg->L * sizeof *sums);
    for (int k = -ENTITIES_WINDOW; k <= ENTITIES_WINDOW; k++) {
        int32_t *row = sums + (size_t)(k + ENTITIES_WINDOW) * tg->L;
        for (size_t f = 0; f < nw; f++)
            if (wf[f].offsets & (1u << (k + ENTITIES_WINDOW)))
                galley_model_add(tg->m, entities_at_offset(wf[f].id, k), row);
    }
}

int entities_tagger_init(entities_tagger *tg, const galley_model *m, const entities_res *r,
                         size_t cache_words, galley_error *err)
{
    memset(tg, 0, sizeof *tg);
    tg->m = m;
    tg->r = r;
    tg->L = galley_model_nlabels(m);
    if (parse_labels(tg, err) < 0)
        return -1;
    tg->cap = 16;
    while (tg->cap < cache_words)
        tg->cap *= 2;
    tg->keys = calloc(tg->cap, sizeof *tg->keys);
    tg->sums = malloc(tg->cap * ENTITIES_OFFSETS * tg->L * sizeof *tg->sums);
    tg->boundary = malloc(2 * ENTITIES_OFFSETS * tg->L * sizeof *tg->boundary);
    tg->ctx_keys = calloc(ENTITIES_CTX_CACHE, sizeof *tg->ctx_keys);
    tg->ctx_rows = malloc(ENTITIES_CTX_CACHE * tg->L * sizeof *tg->ctx_rows);
    if (!tg->keys || !tg->sums || !tg->boundary || !tg->ctx_keys || !tg->ctx_rows) {
        entities_tagger_free(tg);
        return galley_error_set(err, "out of memory");
    }
    entities_wfeat wf[ENTITIES_MAX_WORD_FEATURES];
    for (int side = 0; side < 2; side++) {
        size_t nw = entities_boundary_features(side ? 1 : -1, wf);
        sum_word(tg, wf, nw, tg->boundary + (size_t)side * ENTITIES_OFFSETS * tg->L);
    }
    return 0;
}

void entities_tagger_free(entities_tagger *tg)
{
    free(tg->keys);
    free(tg->sums);
    free(tg->boundary);
    free(tg->ctx_keys);
    free(tg->ctx_rows);
    memset(tg, 0, sizeof *tg);
}

/* The cached sums of token j's word (computed on a miss). */
static const int32_t *word_sums(entities_tagger *tg, const entities_doc_view *v, size_t j)
{
    const galley_token *t = &v->tok[j];
    const char *s = v->text + t->start;
    size_t len = t->end - t->start;
    uint64_t key = entities_word_key(s, len, v->wflags[j]);
    size_t slot = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (tg->cap - 1);
    int32_t *sums = tg->sums + slot * ENTITIES_OFFSETS * tg->L;
    if (tg->keys[slot] == key) {
        tg->hits++;
        return sums;
    }
    tg->misses++;
    entities_wfeat wf[ENTITIES_MAX_WORD_FEATURES];
    size_t nw = entities_word_features(tg->r, s, len, v->wflags[j], wf);
    sum_word(tg, wf, nw, sums);
    tg->keys[slot] = key;
    return sums;
}

/* The weights of context feature f, widened (a row of 0 when the model
 * has none), from the tagger's table. The model reads id 0 as 1, so 0
 * can mark an empty slot. */
static const int32_t *ctx_row(entities_tagger *tg, uint64_t f)
{
    f = f ? f : 1;
    size_t slot = (size_t)(f * 0x9E3779B97F4A7C15ULL >> 54) & (ENTITIES_CTX_CACHE - 1);
    int32_t *row = tg->ctx_rows + slot * tg->L;
    if (tg->ctx_keys[slot] != f) {
        memset(row, 0, tg->L * sizeof *row);
        galley_model_add(tg->m, f, row);
        tg->ctx_keys[slot] = f;
    }
    return row;
}

void entities_tagger_score(entities_tagger *tg, const entities_doc_view *v, size_t first,
                           size_t end, int32_t *scores)
{
    size_t L = tg->L, n = end - first;
    memset(scores, 0, n * L * sizeof *scores);
    for (size_t j = first; j < end; j++) {
        const int32_t *sums = word_sums(tg, v, j);
        /* Word j is at offset k of token j - k. */
        for (int k = -ENTITIES_WINDOW; k <= ENTITIES_WINDOW; k++) {
            long i = (long)j - k;
            if (i < (long)first || i >= (long)end)
                continue;
            add_row(scores + (size_t)(i - (long)first) * L,
                    sums + (size_t)(k + ENTITIES_WINDOW) * L, L);
        }
    }
    uint64_t ctx[ENTITIES_MAX_CONTEXT_FEATURES];
    for (size_t i = first; i < end; i++) {
        int32_t *dst = scores + (i - first) * L;
        /* Window positions past the sentence's ends. */
        for (int k = -ENTITIES_WINDOW; k <= ENTITIES_WINDOW; k++) {
            long j = (long)i + k;
            if (j >= (long)first && j < (long)end)
                continue;
            add_row(
                dst,
                tg->boundary +
                    ((size_t)(j >= (long)end) * ENTITIES_OFFSETS + (size_t)(k + ENTITIES_WINDOW)) *
                        L,
                L);
        }
        size_t nc = entities_context_features(v, first, end, i, ctx);
        for (size_t f = 0; f < nc; f++)
            add_row(dst, ctx_row(tg, ctx[f]), L);
    }
}

entities_mspan *entities_tagger_tag(entities_tagger *tg, galley_doc *doc, galley_arena *a,
                                    entities_doc_view *v, size_t *nout)
{
    size_t nsent;
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    size_t maxn = 0;
    for (size_t s = 0; s < nsent; s++)
        if (sent[s].ntokens > maxn)
            maxn = sent[s].ntokens;
    int32_t *scores = galley_arena_alloc(a, (maxn + 1) * tg->L * sizeof *scores);
    uint16_t *labels = galley_arena_alloc(a, (maxn + 1) * sizeof *labels);
    void *scratch = galley_arena_alloc(a, galley_model_scratch_size(tg->m, maxn));
    int8_t *types = galley_arena_alloc(a, maxn + 1);
    size_t cap = 16, n = 0;
    entities_mspan *out = galley_arena_alloc(a, cap * sizeof *out);
    for (size_t s = 0; s < nsent; s++) {
        size_t first = sent[s].first_token, end = first + sent[s].ntokens;
        if (first == end)
            continue;
        entities_tagger_score(tg, v, first, end, scores);
        galley_model_decode_into(tg->m, scores, end - first, labels, scratch);
        for (size_t i = 0; i < end - first; i++)
            types[i] = (int8_t)(tg->role[labels[i]] == 'O' ? -1 : tg->type[labels[i]]);
        entities_history_add(v, first, end, types);
        for (size_t i = 0; i < end - first;) {
            char role = tg->role[labels[i]];
            int type = tg->type[labels[i]];
            if (role == 'O' || type < 0) {
                i++;
                continue;
            }
            /* A span starts at B or U, or at a stray I or L (only when the
             * model has no constraints); it goes on while I and L of the
             * same type follow. */
            size_t j = i + 1;
            if (role != 'U')
                while (j < end - first && tg->type[labels[j]] == type &&
                       (tg->role[labels[j]] == 'I' || tg->role[labels[j]] == 'L') &&
                       tg->role[labels[j - 1]] != 'L')
                    j++;
            if (n == cap) {
                out = galley_arena_realloc(a, out, cap * sizeof *out, cap * 2 * sizeof *out);
                cap *= 2;
            }
            out[n++] = (entities_mspan){ first + i, first + j, type };
            i = j;
        }
    }
    *nout = n;
    return out;
}
