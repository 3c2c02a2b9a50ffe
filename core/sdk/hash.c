/* hash.c - hashing through xxHash (XXH3), which is fast on short keys and
 * stable across platforms, so hashes may be stored in files. */
#include "config.h"

#include <xxhash.h>
#include "sdk/private.h"

uint64_t galley_hash64(const void *data, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, len, seed);
}

galley_hash128 galley_hash128_of(const void *data, size_t len, uint64_t seed)
{
    XXH128_hash_t h = XXH3_128bits_withSeed(data, len, seed);
    galley_hash128 r = { h.low64, h.high64 };
    return r;
}

uint64_t galley_hash_mix(uint64_t a, uint64_t b)
{
    /* The 64-bit finalizer of MurmurHash3 over a combination that is not
     * symmetric, so (a, b) and (b, a) differ. */
    uint64_t h = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}
