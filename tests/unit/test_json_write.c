/* test_json_write.c - unit tests of io/json_write.c: documents as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "io/json_write.h"
#include "tap_check.h"

START_TEST(json_escaping_and_offsets)
{
    gl_buf b = { 0 };
    gl_json_string(&b, "a\"b\\c\n\t\x01 ’ end of a long clean run", 36);
    ck_assert_str_eq(b.data, "\"a\\\"b\\\\c\\n\\t\\u0001 ’ end of a long clean run\"");
    gl_buf_free(&b);
    const char *text = "Zürich’s mayor";
    galley_doc *d = galley_doc_new("id\"1", text, strlen(text));
    galley_doc_set_source(d, "f.jsonl:1");
    galley_span *s = galley_layer_add(galley_doc_add_layer(d, "entities"), 0, 7);
    galley_object_set_str(s->fields, "type", "LOC");
    galley_object_set_offset(s->fields, "at", strlen("Zürich’s "));
    char *json = galley_doc_to_json(d);
    ck_assert_str_eq(json,
                     "{\"id\":\"id\\\"1\",\"text\":\"Zürich’s mayor\",\"metadata\":{},"
                     "\"source\":\"f.jsonl:1\","
                     "\"entities\":[{\"start\":0,\"end\":6,\"type\":\"LOC\",\"at\":9}]}");
    free(json);
    /* Spans past the text are refused. */
    ck_assert_ptr_null(galley_layer_add(galley_doc_layer(d, "entities"), 3, 999));
    ck_assert_int_eq(galley_doc_set_text(d, "x", 1), -1); /* layers exist */
    galley_doc_free(d);
}
END_TEST

/* Every byte offset of a text mixing one- to four-byte characters, at
 * every alignment, maps to the code points before it (the map counts a
 * word at a time from a checkpoint every GL_OFFSET_STEP bytes). */
START_TEST(offset_map_counts_code_points_at_every_byte)
{
    static const char *const chars[] = { "a", "\xc3\xbc", "\xe2\x80\x99", "\xf0\x9f\x98\x80", " " };
    char text[700];
    size_t len = 0, seed = 7;
    while (len < sizeof text - 5) {
        seed = seed * 1103515245 + 12345;
        const char *c = chars[(seed >> 16) % 5];
        memcpy(text + len, c, strlen(c));
        len += strlen(c);
    }
    galley_doc *d = galley_doc_new("m", text, len);
    gl_offset_map m;
    gl_offset_map_init(&m, d, 0);
    size_t cp = 0;
    for (size_t byte = 0; byte <= len; byte++) {
        if (byte < len && ((unsigned char)text[byte] & 0xC0) != 0x80) {
            ck_assert_uint_eq(gl_offset_map_get(&m, d, byte), cp);
            cp++;
        }
    }
    ck_assert_uint_eq(gl_offset_map_get(&m, d, len), cp);
    gl_offset_map_init(&m, d, 1);
    ck_assert_uint_eq(gl_offset_map_get(&m, d, 100), 100);
    galley_doc_free(d);
}
END_TEST

GALLEY_TEST_MAIN("json_write", json_escaping_and_offsets,
                 offset_map_counts_code_points_at_every_byte)
