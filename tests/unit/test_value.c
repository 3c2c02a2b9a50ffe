/* test_value.c - unit tests of value.c: objects and arrays of values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

START_TEST(values_set_replace_nested)
{
    galley_arena *a = galley_arena_new(0);
    galley_object *o = galley_object_new(a);
    galley_object_set_str(o, "title", "First");
    galley_object_set_int(o, "n", 3);
    galley_object_set_str(o, "title", "Second"); /* replaced in place */
    ck_assert_uint_eq(galley_object_size(o), 2);
    ck_assert_str_eq(galley_object_key_at(o, 0), "title");
    ck_assert_str_eq(galley_object_get_str(o, "title"), "Second");
    ck_assert_int_eq(galley_object_get_int(o, "n", -1), 3);
    ck_assert_int_eq(galley_object_get_int(o, "title", -1), -1); /* wrong type: default */
    galley_array *arr = galley_object_set_array(galley_object_set_object(o, "x"), "list");
    galley_array_push_real(arr, 2.5);
    galley_array_push_null(arr);
    ck_assert_uint_eq(galley_array_size(arr), 2);
    ck_assert(galley_value_real(galley_array_at(arr, 0)) == 2.5);
    ck_assert_int_eq(galley_object_remove(o, "n"), 0);
    ck_assert_ptr_null(galley_object_get(o, "n"));
    galley_arena_free(a);
}
END_TEST

/* Keys are copied (the caller's buffer may change), shared between objects
 * of one arena, and copied again after the arena is reset. */
START_TEST(keys_copied_shared_and_reset)
{
    galley_arena *a = galley_arena_new(0);
    for (int round = 0; round < 2; round++) {
        char key[16];
        galley_object *objs[300];
        for (int i = 0; i < 300; i++) {
            objs[i] = galley_object_new(a);
            snprintf(key, sizeof key, "k%d", i % 97); /* more keys than the cache keeps */
            galley_object_set_int(objs[i], key, i);
            galley_object_set_int(objs[i], "start", i);
            strcpy(key, "changed");
        }
        for (int i = 0; i < 300; i++) {
            snprintf(key, sizeof key, "k%d", i % 97);
            ck_assert_str_eq(galley_object_key_at(objs[i], 0), key);
            ck_assert_int_eq(galley_object_get_int(objs[i], key, -1), i);
            ck_assert_str_eq(galley_object_key_at(objs[i], 1), "start");
        }
        /* One copy of a key named again and again. */
        ck_assert_ptr_eq(galley_object_key_at(objs[0], 1), galley_object_key_at(objs[299], 1));
        galley_arena_reset(a);
    }
    galley_arena_free(a);
}
END_TEST

/* A layer's few field names are each kept once, whatever slots their
 * hashes fall in: the fields of the quotes layer, one span after another. */
START_TEST(a_layers_field_names_are_shared)
{
    static const char *const names[] = { "text",          "kind",        "pieces",       "speaker",
                                         "speaker_start", "speaker_end", "speaker_kind", "cue",
                                         "cue_start",     "cue_end",     "confidence",   "flagged",
                                         "type",          "canonical",   "start",        "end" };
    size_t nn = sizeof names / sizeof *names;
    galley_arena *a = galley_arena_new(0);
    galley_object *first = galley_object_new(a), *o = NULL;
    for (size_t k = 0; k < nn; k++)
        galley_object_set_int(first, names[k], 1);
    for (int span = 0; span < 50; span++) {
        o = galley_object_new(a);
        for (size_t k = 0; k < nn; k++)
            galley_object_set_int(o, names[k], span);
    }
    for (size_t k = 0; k < nn; k++)
        ck_assert_ptr_eq(galley_object_key_at(first, k), galley_object_key_at(o, k));
    galley_arena_free(a);
}
END_TEST

/* Keys are interned exactly: however many distinct keys an arena has seen,
 * and from whatever buffer a key comes, equal strings get one pointer, and
 * a reused buffer holding another key gets that key's. */
START_TEST(keys_are_interned_exactly)
{
    galley_arena *a = galley_arena_new(0);
    galley_object *o = galley_object_new(a), *p = galley_object_new(a);
    char buf[32];
    for (int k = 0; k < 500; k++) {
        snprintf(buf, sizeof buf, "key%d", k);
        ck_assert_int_eq(galley_object_set_int(o, buf, k), 0);
    }
    for (int k = 499; k >= 0; k--) {
        snprintf(buf, sizeof buf, "key%d", k);
        ck_assert_int_eq(galley_object_set_int(p, buf, -k), 0);
    }
    ck_assert_uint_eq(galley_object_size(o), 500);
    ck_assert_uint_eq(galley_object_size(p), 500);
    for (size_t i = 0; i < 500; i++) {
        const char *ko = galley_object_key_at(o, i), *kp = galley_object_key_at(p, 499 - i);
        ck_assert_str_eq(ko, kp);
        ck_assert_ptr_eq(ko, kp);
        ck_assert_int_eq(galley_object_get_int(p, ko, 0), -(int64_t)i);
    }
    /* Setting a key again replaces its value, found by its pointer. */
    snprintf(buf, sizeof buf, "key%d", 7);
    galley_object_set_int(o, buf, 70);
    ck_assert_uint_eq(galley_object_size(o), 500);
    ck_assert_int_eq(galley_object_get_int(o, "key7", 0), 70);
    /* After a reset the arena starts over (its old copies are gone). */
    galley_arena_reset(a);
    galley_object *q = galley_object_new(a);
    galley_object_set_int(q, "key7", 1);
    galley_object_set_int(q, "key7", 2);
    ck_assert_uint_eq(galley_object_size(q), 1);
    ck_assert_int_eq(galley_object_get_int(q, "key7", 0), 2);
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("value", values_set_replace_nested, keys_copied_shared_and_reset,
                 a_layers_field_names_are_shared, keys_are_interned_exactly)
