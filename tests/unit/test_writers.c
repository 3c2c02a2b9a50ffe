/* test_writers.c - unit tests of io/writers.c: the CSV, CoNLL and JSONL
 * formats, field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "config/options.h"
#include "io/writers.h"
#include "tap_check.h"

/* Output options with every default, then `format`. */
static gl_output_opts opts_for(galley_arena *a, int format)
{
    gl_output_opts o;
    galley_error err = { 0 };
    for (size_t t = 0; gl_output_tables[t]; t++)
        ck_assert_int_eq(gl_options_defaults(gl_output_tables[t], &o, a, &err), 0);
    o.format = format;
    return o;
}

/* "Ana Ruiz said, “Yes, we will.”" with an entity and a quote. */
static galley_doc *sample_doc(void)
{
    const char *text = "Ana Ruiz said: \"Yes, we will.\" Then Oslo.";
    galley_doc *d = galley_doc_new("doc-1", text, strlen(text));
    galley_doc_set_source(d, "in.jsonl:3");
    galley_object_set_str(galley_doc_meta(d), "title", "Votes, and \"more\"");
    galley_layer *ents = galley_doc_add_layer(d, "entities");
    galley_object_set_str(galley_layer_add(ents, 36, 40)->fields, "type", "LOC");
    galley_object_set_str(galley_layer_add(ents, 0, 8)->fields, "type", "PERSON");
    galley_span *q = galley_layer_add(galley_doc_add_layer(d, "quotes"), 16, 29);
    galley_object_set_str(q->fields, "speaker", "Ana Ruiz");
    galley_object_set_str(q->fields, "text", "Yes, we will.");
    galley_object_set_offset(q->fields, "speaker_start", 0);
    return d;
}

START_TEST(csv_quotes_fields_and_falls_back_to_metadata)
{
    galley_arena *a = galley_arena_new(0);
    gl_output_opts o = opts_for(a, GL_OUT_CSV);
    const char *cols[] = { "id", "speaker", "text", "start", "speaker_start", "title", "nothing" };
    o.columns.n = 7;
    o.columns.items = cols;
    gl_buf b = { 0 };
    gl_format_header(&o, &b);
    ck_assert_str_eq(b.data, "id,speaker,text,start,speaker_start,title,nothing\r\n");
    b.len = 0;
    galley_doc *d = sample_doc();
    gl_format_doc(&o, d, &b);
    ck_assert_str_eq(b.data,
                     "doc-1,Ana Ruiz,\"Yes, we will.\",16,0,\"Votes, and \"\"more\"\"\",\r\n");
    galley_doc_free(d);
    gl_buf_free(&b);
    galley_arena_free(a);
}
END_TEST

START_TEST(conll_maps_types_and_splits_sentences)
{
    galley_arena *a = galley_arena_new(0);
    gl_output_opts o = opts_for(a, GL_OUT_CONLL);
    const char *map[] = { "PERSON=PER", "LOC=O" };
    o.conll_map.n = 2;
    o.conll_map.items = map;
    gl_buf b = { 0 };
    gl_format_header(&o, &b);
    ck_assert_uint_eq(b.len, 0); /* no header */
    galley_doc *d = sample_doc();
    gl_format_doc(&o, d, &b);
    ck_assert_msg(strncmp(b.data, "-DOCSTART- -X- -X- O\n\nAna B-PER\nRuiz I-PER\nsaid O\n", 49) ==
                      0,
                  "%s", b.data);
    ck_assert_msg(strstr(b.data, "\nOslo O\n"), "LOC mapped to O: %s", b.data);
    ck_assert_msg(strstr(b.data, ".\" O\n\nThen O\n") || strstr(b.data, "\" O\n\nThen O\n"),
                  "a blank line between sentences: %s", b.data);
    galley_doc_free(d);
    gl_buf_free(&b);
    galley_arena_free(a);
}
END_TEST

START_TEST(jsonl_without_text_and_with_byte_offsets)
{
    galley_arena *a = galley_arena_new(0);
    gl_output_opts o = opts_for(a, GL_OUT_JSONL);
    o.text = 0;
    o.offsets = GL_OFFSETS_BYTES;
    gl_buf b = { 0 };
    galley_doc *d = sample_doc();
    gl_format_doc(&o, d, &b);
    ck_assert_msg(!strstr(b.data, "\"text\":\"Ana"), "%s", b.data);
    ck_assert_msg(strstr(b.data,
                         "\"entities\":[{\"start\":0,\"end\":8,\"type\":\"PERSON\"},"
                         "{\"start\":36,\"end\":40,\"type\":\"LOC\"}]"),
                  "sorted by start: %s", b.data);
    ck_assert(b.data[b.len - 1] == '\n');
    galley_doc_free(d);
    gl_buf_free(&b);
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("writers", csv_quotes_fields_and_falls_back_to_metadata,
                 conll_maps_types_and_splits_sentences, jsonl_without_text_and_with_byte_offsets)
