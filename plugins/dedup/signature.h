/* signature.h - what the dedup stage computes for each document in the
 * worker threads: an exact hash, a one-permutation MinHash signature over
 * word shingles, its LSH band keys, and (optionally) paragraph hashes. */
#ifndef DEDUP_SIGNATURE_H
#define DEDUP_SIGNATURE_H

#include <stdint.h>
#include <galley/galley.h>

#define DEDUP_HASHES 128   /* MinHash bins kept per document (8 bits each) */
#define DEDUP_MAX_BANDS 16 /* with rows <= 8: bands * rows <= DEDUP_HASHES */
#define DEDUP_MAX_ROWS 8

typedef struct dedup_params {
    int shingle;     /* words per shingle */
    int bands, rows; /* LSH: bands * rows <= DEDUP_HASHES */
    uint64_t seed;
    int fold; /* exact hash ignores case and whitespace */
    int paragraphs;
    int min_paragraph; /* bytes */
    double threshold;  /* what decides: estimated Jaccard of a near copy */
    int action;        /* 0 mark, 1 drop (a dropped copy's paragraphs are not seen) */
} dedup_params;

typedef struct dedup_para {
    uint64_t hash;
    uint32_t start, end; /* byte offsets */
} dedup_para;

typedef struct dedup_sig {
    uint64_t exact;
    int has_shingles; /* 0: too short, compared exactly only */
    uint8_t mins[DEDUP_HASHES];
    uint64_t bands[DEDUP_MAX_BANDS]; /* dedup_band_key of each band */
    dedup_para *paras;
    size_t nparas;
} dedup_sig;

/* Fills sig (allocated in the document's arena) from the text. */
dedup_sig *dedup_signature(const dedup_params *p, galley_doc *doc);

/* The LSH key of band b: a hash of its rows' 8-bit values, so the index
 * can compute it again from the signatures it keeps. */
uint64_t dedup_band_key(const dedup_params *p, const uint8_t *mins, int b);

/* Estimated Jaccard similarity of two signatures (8-bit values,
 * corrected for chance agreement of unequal minimums). */
double dedup_similarity(const uint8_t *a, const uint8_t *b);

#endif
