/* signature.c - MinHash signatures. Words are lower-cased and hashed once;
 * a shingle is the mix of k consecutive word hashes; each of the 128
 * MinHash functions is a multiply-add of the shingle hash (a universal
 * family), keeping the minimum of the high 32 bits. Bands are hashes of
 * `rows` consecutive minimums; only 8 low bits of each minimum are kept
 * for the similarity estimate. */
#include <string.h>
#include "signature.h"

/* Lower-cased hash of a word token; punctuation tokens are skipped. */
static uint64_t word_hash(const char *s, size_t len, uint64_t seed)
{
    char buf[64];
    if (len > sizeof buf)
        return galley_hash64(s, len, seed);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        buf[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    return galley_hash64(buf, len, seed);
}

/* splitmix64: the coefficients of the hash family, from the seed. */
static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t exact_hash(const dedup_params *p, galley_doc *doc)
{
    const char *t = galley_doc_text(doc);
    size_t len = galley_doc_text_len(doc);
    if (!p->fold)
        return galley_hash64(t, len, p->seed);
    /* Case- and whitespace-insensitive: hash the words in order. */
    size_t ntok;
    const galley_token *tok = galley_doc_tokens(doc, &ntok);
    uint64_t h = p->seed;
    for (size_t i = 0; i < ntok; i++)
        h = galley_hash_mix(h, word_hash(t + tok[i].start, tok[i].end - tok[i].start, p->seed));
    return h;
}

dedup_sig *dedup_signature(const dedup_params *p, galley_doc *doc)
{
    galley_arena *a = galley_doc_arena(doc);
    dedup_sig *sig = galley_arena_calloc(a, 1, sizeof *sig);
    const char *t = galley_doc_text(doc);
    sig->exact = exact_hash(p, doc);

    size_t ntok;
    const galley_token *tok = galley_doc_tokens(doc, &ntok);
    uint64_t *words = galley_arena_alloc(a, (ntok + 1) * sizeof *words);
    size_t nw = 0;
    for (size_t i = 0; i < ntok; i++)
        if (tok[i].kind != GALLEY_TOK_PUNCT)
            words[nw++] = word_hash(t + tok[i].start, tok[i].end - tok[i].start, p->seed);

    size_t k = (size_t)p->shingle;
    if (nw >= k) {
        sig->has_shingles = 1;
        uint64_t coef[DEDUP_HASHES][2];
        uint64_t state = p->seed ^ 0x5DEECE66DULL;
        for (int h = 0; h < DEDUP_HASHES; h++) {
            coef[h][0] = splitmix(&state) | 1;
            coef[h][1] = splitmix(&state);
        }
        uint32_t mins[DEDUP_HASHES];
        memset(mins, 0xFF, sizeof mins);
        for (size_t i = 0; i + k <= nw; i++) {
            uint64_t s = words[i];
            for (size_t j = 1; j < k; j++)
                s = galley_hash_mix(s, words[i + j]);
            for (int h = 0; h < DEDUP_HASHES; h++) {
                uint32_t v = (uint32_t)((coef[h][0] * s + coef[h][1]) >> 32);
                if (v < mins[h])
                    mins[h] = v;
            }
        }
        for (int b = 0; b < p->bands; b++) {
            uint64_t bh = galley_hash64(&mins[b * p->rows], (size_t)p->rows * sizeof *mins,
                                        (uint64_t)b);
            uint32_t key = (uint32_t)(bh ^ (bh >> 32));
            sig->bands[b] = key ? key : 1;   /* 0 marks an empty slot */
        }
        for (int h = 0; h < DEDUP_HASHES; h++)
            sig->mins[h] = (uint8_t)mins[h];
    }

    if (p->paragraphs) {
        size_t np;
        const galley_paragraph *para = galley_doc_paragraphs(doc, &np);
        sig->paras = galley_arena_alloc(a, (np + 1) * sizeof *sig->paras);
        for (size_t i = 0; i < np; i++) {
            if (para[i].end - para[i].start < (uint32_t)p->min_paragraph)
                continue;
            dedup_para *dp = &sig->paras[sig->nparas++];
            dp->hash = galley_hash64(t + para[i].start, para[i].end - para[i].start, p->seed + 1);
            dp->start = para[i].start;
            dp->end = para[i].end;
        }
    }
    return sig;
}

double dedup_similarity(const uint8_t *a, const uint8_t *b)
{
    int same = 0;
    for (int h = 0; h < DEDUP_HASHES; h++)
        same += a[h] == b[h];
    /* Unequal minimums still agree on 8 bits once in 256. */
    double m = (double)same / DEDUP_HASHES;
    double j = (m - 1.0 / 256) / (1.0 - 1.0 / 256);
    return j < 0 ? 0 : j;
}
