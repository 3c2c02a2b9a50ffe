/* test_arena.c - unit tests of arena.c: the per-document bump allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

START_TEST(arena_alignment_realloc_and_large)
{
    galley_arena *a = galley_arena_new(0);
    for (int i = 1; i < 100; i++) {
        void *p = galley_arena_alloc(a, (size_t)i);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
    }
    char *p = galley_arena_alloc(a, 10);
    memcpy(p, "abcdefghij", 10);
    char *q = galley_arena_realloc(a, p, 10, 20);
    ck_assert_ptr_eq(p, q); /* the last allocation grows in place */
    ck_assert_int_eq(memcmp(q, "abcdefghij", 10), 0);
    char *big = galley_arena_alloc(a, 10 << 20);
    memset(big, 1, 10 << 20);
    ck_assert_str_eq(galley_arena_strndup(a, "hello world", 5), "hello");
    ck_assert_uint_ge(galley_arena_used(a), 10u << 20);
    galley_arena_reset(a);
    ck_assert_uint_eq(galley_arena_used(a), 0);
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("arena", arena_alignment_realloc_and_large)
