/* galley/hash.h - fast non-cryptographic hashing (xxHash XXH3).
 * Stable across runs and machines: safe for persistent indexes. */
#ifndef GALLEY_HASH_H
#define GALLEY_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint64_t galley_hash64(const void *data, size_t len, uint64_t seed);

typedef struct galley_hash128 {
    uint64_t lo, hi;
} galley_hash128;
galley_hash128 galley_hash128_of(const void *data, size_t len, uint64_t seed);

/* Mixes two 64-bit values (for combining token hashes into n-grams). */
uint64_t galley_hash_mix(uint64_t a, uint64_t b);

#ifdef __cplusplus
}
#endif
#endif
