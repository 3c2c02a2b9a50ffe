/* test_json_read.c - unit tests of io/json_read.c, the JSON line reader:
 * the conformance cases jansson passes (checked against jansson itself),
 * and galley's repairs where it differs on purpose. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "config/options.h"
#include "io/json_read.h"
#include "io/json_write.h"
#include "tap_check.h"

/* Input options with every default. */
static gl_input_opts input_opts(galley_arena *a)
{
    gl_input_opts o;
    galley_error err = { 0 };
    for (size_t t = 0; gl_input_tables[t]; t++)
        ck_assert_int_eq(gl_options_defaults(gl_input_tables[t], &o, a, &err), 0);
    return o;
}

/* Reads one line; returns the document (or NULL) and the reason. */
static galley_doc *read_line(const char *line, size_t len, const char **reason, uint64_t *repaired,
                             galley_error *err)
{
    static galley_arena *a;
    static gl_input_opts o;
    static gl_json_scratch sc;
    if (!a) {
        a = galley_arena_new(0);
        o = input_opts(a);
        gl_json_scratch_init(&sc);
    }
    *reason = NULL;
    *repaired = 0;
    return gl_json_read_doc(line, len, "in.jsonl:1", &o, &sc, repaired, reason, err);
}

/* Lines jansson and galley must agree on: accepted (1) or refused (0). */
static const struct {
    const char *line;
    int valid;
} syntax[] = {
    { "{\"text\":\"a\"}", 1 },
    { " \t{ \"text\" : \"a\" , \"n\" : 1 } \r", 1 },
    { "{\"text\":\"a\",}", 0 },
    { "{\"text\":\"a\" \"x\":1}", 0 },
    { "{\"text\":\"a\"} x", 0 },
    { "{\"text\":\"a\"}{}", 0 },
    { "{\"text\":'a'}", 0 },
    { "{text:\"a\"}", 0 },
    { "{\"text\":\"a\\x\"}", 0 },
    { "{\"text\":\"a\\u12\"}", 0 },
    { "{\"text\":\"a\tb\"}", 0 },
    { "{\"text\":\"a\",\"n\":01}", 0 },
    { "{\"text\":\"a\",\"n\":1.}", 0 },
    { "{\"text\":\"a\",\"n\":.5}", 0 },
    { "{\"text\":\"a\",\"n\":-}", 0 },
    { "{\"text\":\"a\",\"n\":1e}", 0 },
    { "{\"text\":\"a\",\"n\":+1}", 0 },
    { "{\"text\":\"a\",\"n\":-0.5e-3}", 1 },
    { "{\"text\":\"a\",\"n\":1E+2}", 1 },
    { "{\"text\":\"a\",\"n\":tru}", 0 },
    { "{\"text\":\"a\",\"n\":nul}", 0 },
    { "{\"text\":\"a\",\"n\":[1,2,]}", 0 },
    { "{\"text\":\"a\",\"n\":[1,[2,{\"x\":null}],true,false]}", 1 },
    { "{\"text\":\"a\",\"n\":{}}", 1 },
    { "{\"text\":\"a\",\"n\":[]}", 1 },
    { "{\"text\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}", 1 },
    { "{\"text\":\"a\"", 0 },
    { "{\"text\":\"a", 0 },
    { "{", 0 },
    { "", 0 },
};

START_TEST(accepts_and_refuses_what_jansson_does)
{
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++) {
        const char *line = syntax[i].line;
        json_error_t je;
        json_t *j = json_loadb(line, strlen(line), JSON_ALLOW_NUL, &je);
        ck_assert_msg((j != NULL) == syntax[i].valid, "jansson disagrees with the table on %s",
                      line);
        json_decref(j);
        const char *reason;
        uint64_t repaired;
        galley_error err = { 0 };
        galley_doc *d = read_line(line, strlen(line), &reason, &repaired, &err);
        ck_assert_msg((d != NULL) == syntax[i].valid, "%s: %s", line, err.message);
        if (!d)
            ck_assert_msg(strcmp(reason, "malformed_json") == 0 &&
                              strstr(err.message, "malformed JSON at byte"),
                          "%s: %s %s", line, reason, err.message);
        galley_doc_free(d);
    }
}
END_TEST

START_TEST(escapes_and_surrogate_pairs_decode)
{
    const char *line = "{\"text\":\"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9 \\ud83d\\ude00\",\"id\":\"x\"}";
    const char *reason;
    uint64_t repaired;
    galley_error err = { 0 };
    galley_doc *d = read_line(line, strlen(line), &reason, &repaired, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(galley_doc_text(d), "q\"b\\s/n\nt\tu\xc3\xa9 \xf0\x9f\x98\x80");
    ck_assert_uint_eq(repaired, 0);
    galley_doc_free(d);
}
END_TEST

START_TEST(repairs_where_galley_differs_from_jansson)
{
    const char *reason;
    uint64_t repaired;
    galley_error err = { 0 };
    /* A lone surrogate: jansson refuses the line; galley repairs it. */
    const char *lone = "{\"text\":\"a\\ud800b\\udc00c\"}";
    galley_doc *d = read_line(lone, strlen(lone), &reason, &repaired, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(galley_doc_text(d),
                     "a\xef\xbf\xbd"
                     "b\xef\xbf\xbd"
                     "c");
    ck_assert_uint_eq(repaired, 2);
    galley_doc_free(d);
    /* U+0000 in the id and the text: U+FFFD, so ids cannot collide. */
    const char *nul = "{\"text\":\"a\\u0000b\",\"id\":\"x\\u0000y\",\"t\":\"k\\u0000v\"}";
    d = read_line(nul, strlen(nul), &reason, &repaired, &err);
    ck_assert_str_eq(galley_doc_id(d), "x\xef\xbf\xbdy");
    ck_assert_str_eq(galley_doc_text(d),
                     "a\xef\xbf\xbd"
                     "b");
    size_t len;
    const char *t = galley_value_str(galley_object_get(galley_doc_meta(d), "t"), &len);
    ck_assert(len == 3 && memcmp(t, "k\0v", 3) == 0); /* metadata keeps it */
    ck_assert_uint_eq(repaired, 2);
    galley_doc_free(d);
    /* Invalid UTF-8 bytes: repaired and counted, U+FFFD written as is stays. */
    const char bad[] = "{\"text\":\"a\xff\xfe\xef\xbf\xbdz\"}";
    d = read_line(bad, sizeof bad - 1, &reason, &repaired, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(galley_doc_text(d), "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz");
    ck_assert_uint_eq(repaired, 2);
    galley_doc_free(d);
    /* An integer too big for 64 bits: a real, not a refused line. */
    const char *big = "{\"text\":\"a\",\"n\":123456789012345678901234567890}";
    d = read_line(big, strlen(big), &reason, &repaired, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(galley_value_type(galley_object_get(galley_doc_meta(d), "n")), GALLEY_REAL);
    galley_doc_free(d);
}
END_TEST

START_TEST(fields_ids_metadata_and_duplicates)
{
    const char *reason;
    uint64_t repaired;
    galley_error err = { 0 };
    const char *line =
        "{\"title\":\"T\",\"text\":\"first\",\"id\":42,\"metadata\":{\"date\":\"2026\","
        "\"n\":[1,2.5]},\"title\":\"U\",\"text\":\"second\"}";
    galley_doc *d = read_line(line, strlen(line), &reason, &repaired, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(galley_doc_id(d), "42");
    ck_assert_str_eq(galley_doc_text(d), "second"); /* the last one wins, as in jansson */
    gl_buf b = { 0 };
    gl_json_object(&b, galley_doc_meta(d));
    ck_assert_str_eq(b.data, "{\"title\":\"U\",\"date\":\"2026\",\"n\":[1,2.5]}");
    gl_buf_free(&b);
    galley_doc_free(d);
    const char *noid = "{\"text\":\"x\",\"id\":\"\"}";
    d = read_line(noid, strlen(noid), &reason, &repaired, &err);
    ck_assert_str_eq(galley_doc_id(d), "in.jsonl:1"); /* empty id: the source */
    galley_doc_free(d);
}
END_TEST

START_TEST(rejections_have_their_reasons)
{
    static const struct {
        const char *line, *reason, *message;
    } cases[] = {
        { "[1,2]", "not_an_object", "the line is JSON but not an object" },
        { "\"just a string\"", "not_an_object", "the line is JSON but not an object" },
        { "{\"title\":\"x\"}", "missing_text", "no field \"text\" (set input.text_field)" },
        { "{\"text\":5}", "missing_text", "field \"text\" is not a string" },
        { "{\"text\":\"a\"} trailing", "malformed_json",
          "malformed JSON at byte 14: garbage after the object" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *reason;
        uint64_t repaired;
        galley_error err = { 0 };
        ck_assert_ptr_null(
            read_line(cases[i].line, strlen(cases[i].line), &reason, &repaired, &err));
        ck_assert_str_eq(reason, cases[i].reason);
        ck_assert_str_eq(err.message, cases[i].message);
    }
}
END_TEST

START_TEST(depth_is_bounded)
{
    gl_buf b = { 0 };
    gl_buf_adds(&b, "{\"text\":\"a\",\"deep\":");
    for (int i = 0; i < 3000; i++)
        gl_buf_addc(&b, '[');
    for (int i = 0; i < 3000; i++)
        gl_buf_addc(&b, ']');
    gl_buf_addc(&b, '}');
    const char *reason;
    uint64_t repaired;
    galley_error err = { 0 };
    ck_assert_ptr_null(read_line(b.data, b.len, &reason, &repaired, &err));
    ck_assert_msg(strstr(err.message, "nested more than 2048 deep"), "%s", err.message);
    gl_buf_free(&b);
}
END_TEST

GALLEY_TEST_MAIN("json_read", accepts_and_refuses_what_jansson_does,
                 escapes_and_surrogate_pairs_decode, repairs_where_galley_differs_from_jansson,
                 fields_ids_metadata_and_duplicates, rejections_have_their_reasons,
                 depth_is_bounded)
