/* signature.c - one-permutation MinHash signatures (Li, Owen and Zhang,
 * "One Permutation Hashing", 2012) with optimal densification
 * (Shrivastava, ICML 2017).
 *
 * Words are lower-cased and hashed once; a shingle hash is a rolling
 * polynomial of k consecutive word hashes, then mixed. Its top 7 bits
 * pick one of 128 bins and the bin keeps the smallest of the other 57
 * bits: one hash per shingle, where k-permutation MinHash needs 128. For
 * two documents, a bin holds the same minimum with probability equal to
 * the Jaccard similarity of their shingle sets, as in k-permutation
 * MinHash, and sampling without replacement makes the estimate a little
 * tighter. A bin no shingle fell into (short documents) borrows the value
 * of the first filled bin on a fixed pseudo-random walk from it, the
 * same walk in every document, which keeps that probability. Only the
 * low 8 bits of each bin are kept. */
#include <string.h>
#include "signature.h"

/* Lower-cased hash of a word token. */
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

/* splitmix64's finalizer: every input bit moves every output bit. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The document's exact hash under the run's seed: of its text byte for
 * byte, or with normalize_exact (p->fold) of its tokens in order,
 * ASCII-lower-cased, so that ASCII case and the whitespace between
 * tokens do not count. Punctuation tokens are hashed too. */
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

/* SKETCHES independent one-permutation sketches of BINS bins each make
 * the 128 values: a document of 30 shingles still fills about 110 of
 * them with independent minimums (one sketch of 128 bins: 30), for 8
 * multiplications a shingle. */
#define SKETCHES 8
#define BINS (DEDUP_HASHES / SKETCHES)
#define BIN_BITS 4 /* 2^4 = BINS */
#define VALUE_MASK ((1ULL << (64 - BIN_BITS)) - 1)
#define ROLL 0x9E3779B97F4A7C15ULL /* odd multiplier of the rolling hash */

typedef struct sketch_keys {
    uint64_t xor [SKETCHES], mul[SKETCHES]; /* per sketch: x -> (x ^ xor) * mul */
} sketch_keys;

/* The SKETCHES permutations x -> (x ^ xor) * mul of the run's seed (odd
 * multipliers, so each is one to one): the same in every document and
 * every run with that seed, which is what makes signatures comparable. */
static void sketch_keys_init(sketch_keys *k, uint64_t seed)
{
    for (int t = 0; t < SKETCHES; t++) {
        k->xor [t] = mix64(seed + 2 * (uint64_t)t + 1);
        k->mul[t] = mix64(seed + 2 * (uint64_t)t + 2) | 1;
    }
}

/* Fills bins[] with the smallest value per bin; sets a bit in filled[]
 * for each bin that got one. */
static void fill_bins(const uint64_t *words, size_t nw, size_t k, const sketch_keys *keys,
                      uint64_t bins[DEDUP_HASHES], uint64_t filled[2])
{
    /* ROLL^(k-1), to take the oldest word out of the window. */
    uint64_t top = 1;
    for (size_t j = 1; j < k; j++)
        top *= ROLL;
    uint64_t s = 0;
    for (size_t j = 0; j < k; j++)
        s = s * ROLL + words[j];
    for (size_t i = 0;; i++) {
        uint64_t h = mix64(s);
        for (int t = 0; t < SKETCHES; t++) {
            uint64_t x = (h ^ keys->xor [t]) * keys->mul[t];
            unsigned bin = (unsigned)(t * BINS) + (unsigned)(x >> (64 - BIN_BITS));
            uint64_t v = x & VALUE_MASK;
            if (v < bins[bin])
                bins[bin] = v;
            filled[bin >> 6] |= 1ULL << (bin & 63);
        }
        if (i + k >= nw)
            break;
        s = (s - words[i] * top) * ROLL + words[i + k];
    }
}

/* Optimal densification, within each sketch: an empty bin takes the value
 * of the first filled bin of its sketch on its walk j = H(bin, attempt),
 * the same walk in every document. */
static void densify(uint64_t bins[DEDUP_HASHES], const uint64_t filled[2], uint64_t seed)
{
#define IS_FILLED(j) ((filled[(j) >> 6] >> ((j)&63)) & 1)
    for (unsigned i = 0; i < DEDUP_HASHES; i++) {
        if (IS_FILLED(i))
            continue;
        unsigned base = i - i % BINS, j = i;
        for (uint64_t attempt = 1; attempt <= 1024; attempt++) {
            j = base + (unsigned)(mix64(seed ^ ((uint64_t)i << 32) ^ attempt) >> (64 - BIN_BITS));
            if (IS_FILLED(j))
                break;
        }
        /* After 1024 misses (odds about e^-66 with one filled bin of 16),
         * the next filled bin of the sketch in order: still the same in
         * every document with the same filled bins. */
        while (!IS_FILLED(j))
            j = base + (j - base + 1) % BINS;
        bins[i] = bins[j];
    }
#undef IS_FILLED
}

uint64_t dedup_band_key(const dedup_params *p, const uint8_t *mins, int b)
{
    return galley_hash64(mins + (size_t)b * (size_t)p->rows, (size_t)p->rows,
                         p->seed ^ (0xB0A7ULL + (uint64_t)b));
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
        uint64_t bins[DEDUP_HASHES], filled[2] = { 0, 0 };
        memset(bins, 0xFF, sizeof bins);
        uint64_t seed = mix64(p->seed ^ 0x5DEECE66DULL);
        sketch_keys keys;
        sketch_keys_init(&keys, seed);
        fill_bins(words, nw, k, &keys, bins, filled);
        densify(bins, filled, seed);
        for (int h = 0; h < DEDUP_HASHES; h++)
            sig->mins[h] = (uint8_t)bins[h];
        for (int b = 0; b < p->bands; b++)
            sig->bands[b] = dedup_band_key(p, sig->mins, b);
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
