/* test_table.c - the dedup index's key-less hash multimap on its own:
 * every value stored under a key is found under it and under no other,
 * through growth, with keys that share a tag and keys that share a home
 * slot. */
#include <stdlib.h>
#include <string.h>
#include "tap_check.h"
#include "../table.h"

/* The owner: the key of each value, as the index keeps them. */
typedef struct owner {
    uint64_t *keys;
} owner;

/* The table's key callback: the key the test stored `value` under. */
static uint64_t key_of(const void *o, uint32_t value)
{
    return ((const owner *)o)->keys[value];
}

/* How many values the table finds under key; the first nseen of them go
 * to seen[] when it is not NULL. */
static size_t count_under(const dedup_table *t, uint64_t key, uint32_t *seen, size_t nseen)
{
    dedup_table_iter it;
    uint32_t v;
    size_t n = 0;
    for (dedup_table_find(t, key, &it); dedup_table_next(&it, &v);) {
        if (seen && n < nseen)
            seen[n] = v;
        n++;
    }
    return n;
}

START_TEST(values_found_under_their_key_through_growth)
{
    enum { N = 100000 };
    owner o = { malloc(N * sizeof(uint64_t)) };
    dedup_table t;
    dedup_table_init(&t, key_of, &o);
    ck_assert_uint_eq(count_under(&t, 42, NULL, 0), 0); /* empty table */
    for (uint32_t i = 0; i < N; i++) {
        /* Keys 0..N/4-1, each four times: a multimap. Multiplying spreads
         * them; the low byte (the tag) repeats every 256 keys. */
        o.keys[i] = (uint64_t)(i % (N / 4)) * 0x9E3779B97F4A7C15ULL;
        dedup_table_add(&t, o.keys[i], i);
    }
    ck_assert_uint_eq(t.n, N);
    ck_assert(t.n * 8 <= t.cap * 7);
    for (uint32_t k = 0; k < N / 4; k++) {
        uint32_t seen[8];
        uint64_t key = (uint64_t)k * 0x9E3779B97F4A7C15ULL;
        ck_assert_uint_eq(count_under(&t, key, seen, 8), 4);
        for (int j = 0; j < 4; j++)
            ck_assert_uint_eq(seen[j] % (N / 4), k);
    }
    ck_assert_uint_eq(count_under(&t, 12345, NULL, 0), 0);
    ck_assert_uint_eq(dedup_table_bytes(&t), t.cap * 5);
    dedup_table_free(&t);
    free(o.keys);
}
END_TEST

START_TEST(same_tag_and_same_home_are_told_apart)
{
    /* Keys with one high half (one home slot) and one low byte (one tag)
     * differ only in between: only the owner's key tells them apart. */
    enum { N = 3000 };
    owner o = { malloc(N * sizeof(uint64_t)) };
    dedup_table t;
    dedup_table_init(&t, key_of, &o);
    for (uint32_t i = 0; i < N; i++) {
        o.keys[i] = 0xABCDEF0100000000ULL | ((uint64_t)i << 8) | 0x77;
        dedup_table_add(&t, o.keys[i], i);
    }
    for (uint32_t i = 0; i < N; i += 97) {
        uint32_t seen[2];
        ck_assert_uint_eq(count_under(&t, o.keys[i], seen, 2), 1);
        ck_assert_uint_eq(seen[0], i);
    }
    ck_assert_uint_eq(count_under(&t, 0xABCDEF0100000000ULL | 0x77 | ((uint64_t)N << 8), NULL, 0),
                      0);
    dedup_table_free(&t);
    free(o.keys);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dedup-table");
    TCase *tc = tcase_create("table");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, values_found_under_their_key_through_growth);
    tcase_add_test(tc, same_tag_and_same_home_are_told_apart);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
