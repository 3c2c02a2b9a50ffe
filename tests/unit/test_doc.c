/* test_doc.c - unit tests of doc.c: layers walked in text order, the
 * document's place in the run, shard names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

START_TEST(a_layer_walks_in_text_order)
{
    const char *text = "one two three four";
    galley_doc *d = galley_doc_new("d", text, strlen(text));
    galley_layer *l = galley_doc_add_layer(d, "words");
    static const size_t spans[][2] = {
        { 14, 18 }, { 0, 3 }, { 8, 13 }, { 0, 7 }, { 4, 7 }, { 0, 3 }
    };
    for (size_t i = 0; i < 6; i++)
        galley_object_set_int(galley_layer_add(l, spans[i][0], spans[i][1])->fields, "added",
                              (int64_t)i);
    size_t n;
    galley_span **v = galley_layer_in_text_order(d, l, &n);
    ck_assert_uint_eq(n, 6);
    static const int64_t want[] = { 1, 5, 3, 4, 2, 0 }; /* by start, end; ties as added */
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(galley_object_get_int(v[i]->fields, "added", -1), want[i]);
    ck_assert_ptr_null(v[n]);
    ck_assert_int_eq(galley_object_get_int(galley_layer_at(l, 0)->fields, "added", -1), 0);
    galley_doc_free(d);
}
END_TEST

START_TEST(order_sorts_files_then_records)
{
    galley_doc *d = galley_doc_new("d", "x", 1);
    ck_assert_uint_eq(galley_doc_order(d), 0);
    galley_doc_set_order(d, GALLEY_ORDER(3, 17));
    ck_assert(galley_doc_order(d) > GALLEY_ORDER(2, 999999999));
    ck_assert(galley_doc_order(d) < GALLEY_ORDER(3, 18));
    ck_assert_uint_eq(galley_doc_order(d) >> 40, 3);
    galley_doc_free(d);
}
END_TEST

GALLEY_TEST_MAIN("doc", a_layer_walks_in_text_order, order_sorts_files_then_records)
