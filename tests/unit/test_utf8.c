/* test_utf8.c - unit tests of utf8.c: decoding, validation and repair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

START_TEST(utf8_decode_and_validate)
{
    int32_t cp;
    ck_assert_uint_eq(galley_utf8_decode("\xE2\x80\x99", 3, &cp), 3);
    ck_assert_int_eq(cp, 0x2019);
    ck_assert_uint_eq(galley_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    ck_assert_int_eq(cp, 0x1F600);
    ck_assert(galley_utf8_valid("Zürich ’ 😀", strlen("Zürich ’ 😀")));
    ck_assert(!galley_utf8_valid("\xC0\xAF", 2));         /* overlong */
    ck_assert(!galley_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    ck_assert(!galley_utf8_valid("\xE2\x80", 2));         /* truncated */
    ck_assert(!galley_utf8_valid("\xF5\x80\x80\x80", 4)); /* above U+10FFFF */
    ck_assert(!galley_utf8_valid("a\0b", 3));             /* NUL */
    ck_assert_uint_eq(galley_utf8_count("Zürich", 7), 6);
}
END_TEST

START_TEST(utf8_repair_counts)
{
    galley_arena *a = galley_arena_new(0);
    size_t n, repaired;
    char *r = galley_utf8_repair(a, "caf\xE9 \xE2\x80 ok\0!", 12, &n, &repaired);
    ck_assert_str_eq(r, "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok\xEF\xBF\xBD!");
    ck_assert_uint_eq(repaired, 4);
    ck_assert(galley_utf8_valid(r, n));
    r = galley_utf8_repair(a, "clean", 5, &n, &repaired);
    ck_assert_uint_eq(repaired, 0);
    galley_arena_free(a);
}
END_TEST

/* Validation skips ASCII eight bytes at a time: a bad byte, a NUL or a
 * good multi-byte character at every position of a 24-byte run is seen. */
START_TEST(utf8_every_alignment)
{
    galley_arena *a = galley_arena_new(0);
    const char *inserts[] = { "\xFF", "\0", "\xE2\x80", "\xE2\x80\x99" };
    for (size_t k = 0; k < sizeof inserts / sizeof *inserts; k++) {
        size_t ilen = k == 1 ? 1 : strlen(inserts[k]);
        for (size_t pos = 0; pos < 24; pos++) {
            char buf[32];
            memset(buf, 'a', sizeof buf);
            memcpy(buf + pos, inserts[k], ilen);
            size_t len = 24 + ilen, n, repaired;
            int good = k == 3;
            ck_assert_int_eq(galley_utf8_valid(buf, len), good);
            char *r = galley_utf8_repair(a, buf, len, &n, &repaired);
            ck_assert_uint_eq(repaired, good ? 0 : ilen);
            /* The bytes before the insert are kept, the repair is in place. */
            ck_assert_int_eq(memcmp(r, buf, pos), 0);
            if (!good)
                ck_assert_int_eq(memcmp(r + pos, "\xEF\xBF\xBD", 3), 0);
        }
    }
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("utf8", utf8_decode_and_validate, utf8_repair_counts, utf8_every_alignment)
