/* test_dict.c - unit tests of dict.c: gazetteer matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

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
    ck_assert_ptr_null(galley_dict_match(d, text, t, 5, n, &len)); /* case matters */
    ck_assert_str_eq(galley_dict_get(d, "Prime  Minister", 15), "ROLE");
    galley_dict *ci = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
    galley_dict_add(ci, "ZÜRICH", "LOC");
    ck_assert_str_eq(galley_dict_get(ci, "zürich", 7), "LOC");
    galley_error err = { 0 };
    ck_assert_int_eq(galley_dict_load(ci, "/nonexistent/list.txt", "X", &err), -1);
    ck_assert_msg(
        strstr(err.message, "/nonexistent/list.txt: cannot read dictionary: No such file"), "%s",
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

/* Many entries fill the first-token filter: every entry still matches, in
 * both kinds of dictionary, and most words that start none are turned
 * away (the filter may only err on the side of looking). */
START_TEST(dict_first_token_filter_keeps_every_entry)
{
    for (int ci = 0; ci <= 1; ci++) {
        galley_dict *d = galley_dict_new(ci ? GALLEY_DICT_CASE_INSENSITIVE : 0);
        char phrase[64], text[64];
        for (int i = 0; i < 30000; i++) {
            snprintf(phrase, sizeof phrase, i % 3 ? "Word%dx" : "Word%dx Town", i);
            ck_assert_int_eq(galley_dict_add(d, phrase, "LOC"), 0);
        }
        galley_arena *a = galley_arena_new(0);
        for (int i = 0; i < 30000; i++) {
            snprintf(text, sizeof text,
                     i % 3 ? (ci ? "WORD%dX said" : "Word%dx said") : "Word%dx Town", i);
            size_t n, len;
            galley_token *t = galley_tokenize(a, text, strlen(text), &n);
            const char *label = galley_dict_match(d, text, t, 0, n, &len);
            ck_assert_msg(label && strcmp(label, "LOC") == 0 && len == (i % 3 ? 1u : 2u),
                          "entry %d (%s) not found", i, text);
        }
        for (int i = 30000; i < 30100; i++) {
            snprintf(text, sizeof text, "Word%dx", i);
            size_t n, len;
            galley_token *t = galley_tokenize(a, text, strlen(text), &n);
            ck_assert_ptr_null(galley_dict_match(d, text, t, 0, n, &len));
        }
        galley_arena_free(a);
        galley_dict_free(d);
    }
}
END_TEST

GALLEY_TEST_MAIN("dict", dict_longest_match_and_case, dict_first_token_filter_keeps_every_entry)
