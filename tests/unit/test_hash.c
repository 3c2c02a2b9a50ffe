/* test_hash.c - unit tests of hash.c: galley's hashes are XXH3's, byte for
 * byte, as libxxhash computes them: models and dedup indexes store them,
 * so however hash.c gets XXH3, the values may not change. */
#include <stdint.h>
#include <string.h>
#include <xxhash.h>
#include <galley/galley.h>
#include "tap_check.h"

START_TEST(hash_is_libxxhash_xxh3)
{
    char buf[300];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i * 131 + 7);
    const uint64_t seeds[] = { 0, 1, 0x9E3779B97F4A7C15ULL };
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++)
        for (size_t len = 0; len <= sizeof buf; len++) {
            ck_assert_uint_eq(galley_hash64(buf, len, seeds[s]),
                              XXH3_64bits_withSeed(buf, len, seeds[s]));
            galley_hash128 h = galley_hash128_of(buf, len, seeds[s]);
            XXH128_hash_t x = XXH3_128bits_withSeed(buf, len, seeds[s]);
            ck_assert_uint_eq(h.lo, x.low64);
            ck_assert_uint_eq(h.hi, x.high64);
        }
    /* One value pinned (XXH3 0.8), so a change of algorithm in both shows. */
    ck_assert_uint_eq(galley_hash64("galley", 6, 0), 0x51067c426183cdbfULL);
}
END_TEST

START_TEST(hash_mix_is_not_symmetric)
{
    ck_assert_uint_ne(galley_hash_mix(1, 2), galley_hash_mix(2, 1));
    ck_assert_uint_eq(galley_hash_mix(1, 2), galley_hash_mix(1, 2));
}
END_TEST

GALLEY_TEST_MAIN("hash", hash_is_libxxhash_xxh3, hash_mix_is_not_symmetric)
