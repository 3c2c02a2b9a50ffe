/* test_reports.c - unit tests of run/reports.c: how the finish reports
 * of a parallel stage's instances are merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "run/reports.h"
#include "tap_check.h"

START_TEST(numbers_sum_objects_merge_others_come_from_the_first)
{
    galley_arena *a = galley_arena_new(0);
    galley_object *into = galley_object_new(a);
    for (int k = 1; k <= 3; k++) {
        galley_object *one = galley_object_new(a);
        galley_object_set_int(one, "documents", k);
        galley_object_set_real(one, "seconds", 0.5);
        galley_object_set_str(one, "model", k == 1 ? "first" : "other");
        galley_object_set_int(galley_object_set_object(one, "by_type"), "PER", 10 * k);
        galley_array_push_int(galley_object_set_array(one, "sample"), k);
        gl_reports_merge(into, one);
    }
    ck_assert_int_eq(galley_object_get_int(into, "documents", 0), 6);
    ck_assert(galley_object_get_real(into, "seconds", 0) == 1.5);
    ck_assert_str_eq(galley_object_get_str(into, "model"), "first");
    ck_assert_int_eq(galley_object_get_int(galley_object_get_object(into, "by_type"), "PER", 0),
                     60);
    const galley_value *arr = galley_object_get(into, "sample");
    ck_assert_int_eq(galley_value_type(arr), GALLEY_ARRAY);
    ck_assert_uint_eq(galley_array_size(galley_value_array(arr)), 1);
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("reports", numbers_sum_objects_merge_others_come_from_the_first)
