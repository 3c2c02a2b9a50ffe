/* test_core.c - unit tests of libgalley's pieces: arena, values, UTF-8,
 * tokens and sentences, dictionaries, option tables, the JSON writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "io/json_write.h"
#include "config/options.h"
#include "tap_check.h"

/* ---- arena -------------------------------------------------------------- */

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
    ck_assert_ptr_eq(p, q);   /* the last allocation grows in place */
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

/* ---- values ---------------------------------------------------------------- */

START_TEST(values_set_replace_nested)
{
    galley_arena *a = galley_arena_new(0);
    galley_object *o = galley_object_new(a);
    galley_object_set_str(o, "title", "First");
    galley_object_set_int(o, "n", 3);
    galley_object_set_str(o, "title", "Second");   /* replaced in place */
    ck_assert_uint_eq(galley_object_size(o), 2);
    ck_assert_str_eq(galley_object_key_at(o, 0), "title");
    ck_assert_str_eq(galley_object_get_str(o, "title"), "Second");
    ck_assert_int_eq(galley_object_get_int(o, "n", -1), 3);
    ck_assert_int_eq(galley_object_get_int(o, "title", -1), -1);   /* wrong type: default */
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

/* ---- UTF-8 ---------------------------------------------------------------------- */

START_TEST(utf8_decode_and_validate)
{
    int32_t cp;
    ck_assert_uint_eq(galley_utf8_decode("\xE2\x80\x99", 3, &cp), 3);
    ck_assert_int_eq(cp, 0x2019);
    ck_assert_uint_eq(galley_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    ck_assert_int_eq(cp, 0x1F600);
    ck_assert(galley_utf8_valid("Zürich ’ 😀", strlen("Zürich ’ 😀")));
    ck_assert(!galley_utf8_valid("\xC0\xAF", 2));          /* overlong */
    ck_assert(!galley_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
    ck_assert(!galley_utf8_valid("\xE2\x80", 2));          /* truncated */
    ck_assert(!galley_utf8_valid("\xF5\x80\x80\x80", 4));  /* above U+10FFFF */
    ck_assert(!galley_utf8_valid("a\0b", 3));              /* NUL */
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

/* ---- tokens and sentences ------------------------------------------------------------ */

static char *tokens_of(const char *s)
{
    static char buf[2048];
    galley_arena *a = galley_arena_new(0);
    size_t n;
    galley_token *t = galley_tokenize(a, s, strlen(s), &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, i ? "|" : "", sizeof buf - strlen(buf) - 1);
        strncat(buf, s + t[i].start, t[i].end - t[i].start);
    }
    galley_arena_free(a);
    return buf;
}

START_TEST(tokenizer_cases)
{
    ck_assert_str_eq(tokens_of("Iran’s U.S. don't cyber-enabled 1,200 3.5 “x”"),
                     "Iran|’s|U.S.|don't|cyber-enabled|1,200|3.5|“|x|”");
    ck_assert_str_eq(tokens_of("the ministers’ view"), "the|ministers|’|view");
    galley_arena *a = galley_arena_new(0);
    size_t n;
    galley_token *t = galley_tokenize(a, "NATO Kanaani said “", strlen("NATO Kanaani said “"), &n);
    ck_assert(t[0].flags & GALLEY_TF_ALL_UPPER);
    ck_assert(t[1].flags & GALLEY_TF_UPPER_INITIAL);
    ck_assert(!(t[1].flags & GALLEY_TF_ALL_UPPER));
    ck_assert(!(t[2].flags & GALLEY_TF_UPPER_INITIAL));
    ck_assert(t[3].flags & GALLEY_TF_QUOTE);
    galley_arena_free(a);
}
END_TEST

static char *sentences_of(const char *s)
{
    static char buf[2048];
    galley_doc *d = galley_doc_new("s", s, strlen(s));
    size_t n;
    const galley_sentence *x = galley_doc_sentences(d, &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, i ? " | " : "", sizeof buf - strlen(buf) - 1);
        strncat(buf, s + x[i].start, x[i].end - x[i].start);
    }
    galley_doc_free(d);
    return buf;
}

START_TEST(sentence_splitter_cases)
{
    ck_assert_str_eq(sentences_of("Mr. Smith met John F. Kennedy. He left."),
                     "Mr. Smith met John F. Kennedy. | He left.");
    ck_assert_str_eq(sentences_of("“It is over.” Then he left. Really?! Yes"),
                     "“It is over.” | Then he left. | Really?! | Yes");
    ck_assert_str_eq(sentences_of("No stop here\nNew paragraph. Two"), "No stop here | New paragraph. | Two");
    ck_assert_str_eq(sentences_of("Prices rose 3.5 percent on Sept. 12 in the U.S. market."),
                     "Prices rose 3.5 percent on Sept. 12 in the U.S. market.");
    galley_doc *d = galley_doc_new("p", "Aa.\n\nBb. Cc.\nDd.", 16);
    size_t np, ns;
    const galley_paragraph *p = galley_doc_paragraphs(d, &np);
    const galley_sentence *s = galley_doc_sentences(d, &ns);
    ck_assert_uint_eq(np, 3);
    ck_assert_uint_eq(p[1].nsentences, 2);
    ck_assert_uint_eq(s[3].paragraph, 2);
    galley_doc_free(d);
}
END_TEST

/* ---- data files --------------------------------------------------------------------- */

typedef struct lines_seen {
    char text[256];
    int refuse_at;    /* refuse the entry with this text */
} lines_seen;

static int collect_line(void *ctx, char *line, size_t len, galley_error *err)
{
    lines_seen *ls = ctx;
    ck_assert_uint_eq(strlen(line), len);
    if (ls->refuse_at && strcmp(line, "refuse me") == 0)
        return galley_error_set(err, "a line the stage does not want");
    strcat(ls->text, line);
    strcat(ls->text, "|");
    return 0;
}

START_TEST(data_file_lines_comments_and_errors)
{
    char path[] = "/tmp/galley-data-XXXXXX";
    int fd = mkstemp(path);
    const char *content = "# a comment\n\n  # an indented comment\none\r\n  two\twith tab\n\t\nrefuse me\nlast";
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    galley_error err = { 0 };
    lines_seen ls = { "", 0 };
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &ls, &err), 0);
    ck_assert_str_eq(ls.text, "one|  two\twith tab|refuse me|last|");
    lines_seen refuse = { "", 1 };
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &refuse, &err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:7: a line the stage does not want", path);
    ck_assert_str_eq(err.message, want);
    unlink(path);
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &ls, &err), -1);
    snprintf(want, sizeof want, "%s: cannot read list: No such file or directory", path);
    ck_assert_str_eq(err.message, want);
}
END_TEST

/* ---- dictionaries -------------------------------------------------------------------- */

START_TEST(dict_longest_match_and_case)
{
    galley_dict *d = galley_dict_new(0);
    galley_dict_add(d, "Prime Minister", "ROLE");
    galley_dict_add(d, "Prime", "ADJ");
    galley_dict_add(d, "Iran", "LOC");
    const char *text = "Prime Minister of Iran’s prime";
    galley_arena *a = galley_arena_new(0);
    size_t n, len;
    galley_token *t = galley_tokenize(a, text, strlen(text), &n);
    ck_assert_str_eq(galley_dict_match(d, text, t, 0, n, &len), "ROLE");
    ck_assert_uint_eq(len, 2);
    ck_assert_str_eq(galley_dict_match(d, text, t, 3, n, &len), "LOC");
    ck_assert_ptr_null(galley_dict_match(d, text, t, 5, n, &len));   /* case matters */
    ck_assert_str_eq(galley_dict_get(d, "Prime  Minister", 15), "ROLE");
    galley_dict *ci = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
    galley_dict_add(ci, "ZÜRICH", "LOC");
    ck_assert_str_eq(galley_dict_get(ci, "zürich", 7), "LOC");
    galley_error err = { 0 };
    ck_assert_int_eq(galley_dict_load(ci, "/nonexistent/list.txt", "X", &err), -1);
    ck_assert_msg(strstr(err.message, "/nonexistent/list.txt: cannot read dictionary: No such file"), "%s",
                  err.message);
    char path[] = "/tmp/galley-dict-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_eq(write(fd, "# c\nok\n\xff\xfe bad\n", 14), 14);
    close(fd);
    ck_assert_int_eq(galley_dict_load(ci, path, "X", &err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:3: not valid UTF-8", path);
    ck_assert_str_eq(err.message, want);
    unlink(path);
    galley_dict_free(ci);
    galley_dict_free(d);
    galley_arena_free(a);
}
END_TEST

/* ---- option tables -------------------------------------------------------------------- */

struct opts {
    int flag;
    int64_t count;
    double threshold;
    const char *name;
    int mode;
    galley_strlist files;
};
static const char *const modes[] = { "mark", "drop", NULL };
static const galley_option table[] = {
    GALLEY_OPTION_BOOL(struct opts, flag, "true", "a flag"),
    GALLEY_OPTION_INT(struct opts, count, "5", 1, 10, "a count"),
    GALLEY_OPTION_REAL(struct opts, threshold, "0.8", 0, 1, "a threshold"),
    GALLEY_OPTION_STRING(struct opts, name, NULL, "a name"),
    GALLEY_OPTION_ENUM(struct opts, mode, "mark", modes, "a mode"),
    GALLEY_OPTION_LIST(struct opts, files, "a.txt,b.txt", "files"),
    GALLEY_OPTION_END
};

START_TEST(options_defaults_types_ranges)
{
    galley_arena *a = galley_arena_new(0);
    struct opts o;
    galley_error err = { 0 };
    ck_assert_int_eq(gl_options_defaults(table, &o, a, &err), 0);
    ck_assert_int_eq(o.flag, 1);
    ck_assert_int_eq(o.count, 5);
    ck_assert(o.threshold == 0.8);
    ck_assert_ptr_null(o.name);
    ck_assert_int_eq(o.mode, 0);
    ck_assert_uint_eq(o.files.n, 2);
    ck_assert_str_eq(o.files.items[1], "b.txt");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "mode"), &o, "drop", a, &err), 0);
    ck_assert_int_eq(o.mode, 1);
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "count"), &o, "11", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"count\" must be between 1 and 10, got 11");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "threshold"), &o, "high", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"threshold\" must be a number, got \"high\"");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "flag"), &o, "maybe", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"flag\" must be true or false, got \"maybe\"");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "mode"), &o, "drpo", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"mode\": unknown value \"drpo\" (did you mean \"drop\"?)");
    gl_options_unknown(table, NULL, "treshold", "option", &err);
    ck_assert_str_eq(err.message, "unknown option \"treshold\" (did you mean \"threshold\"?)");
    gl_options_unknown(table, NULL, "zzzzzz", "option", &err);
    ck_assert_str_eq(err.message, "unknown option \"zzzzzz\" (known: flag, count, threshold, name, mode, files)");
    galley_arena_free(a);
}
END_TEST

/* ---- JSON writer ------------------------------------------------------------------------- */

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
    ck_assert_str_eq(json, "{\"id\":\"id\\\"1\",\"text\":\"Zürich’s mayor\",\"metadata\":{},"
                           "\"source\":\"f.jsonl:1\",\"entities\":[{\"start\":0,\"end\":6,\"type\":\"LOC\",\"at\":9}]}");
    free(json);
    /* Spans past the text are refused. */
    ck_assert_ptr_null(galley_layer_add(galley_doc_layer(d, "entities"), 3, 999));
    ck_assert_int_eq(galley_doc_set_text(d, "x", 1), -1);   /* layers exist */
    galley_doc_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    struct { const char *name; const TTest *t; } tests[] = {
        { "arena", arena_alignment_realloc_and_large },
        { "values", values_set_replace_nested },
        { "utf8", utf8_decode_and_validate },
        { "utf8", utf8_repair_counts },
        { "text", tokenizer_cases },
        { "text", sentence_splitter_cases },
        { "datafile", data_file_lines_comments_and_errors },
        { "dict", dict_longest_match_and_case },
        { "options", options_defaults_types_ranges },
        { "json", json_escaping_and_offsets },
    };
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_test(tc, tests[i].t);
        suite_add_tcase(s, tc);
    }
    return galley_run_suite(s);
}
