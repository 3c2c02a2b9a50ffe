/* test_stats.c - the stats stage alone, through the embed API: what a
 * stage author's unit tests look like. */
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

/* A new document of `text` after a stats instance of its own, opened with
 * these settings (NULL: the defaults) and closed again; the test fails
 * when the stage refuses either. The caller frees the document. */
static galley_doc *run_on(const char *text, const char *const *settings)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("stats", settings, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
    galley_doc *doc = galley_doc_new("t1", text, strlen(text));
    ck_assert_int_eq(galley_stage_run(h, doc, &err), 0);
    galley_stage_close(h);
    return doc;
}

START_TEST(counts_words_sentences_paragraphs)
{
    galley_doc *doc = run_on("Mr. Smith went to Washington. He said: “It’s fine.”\n"
                             "A second paragraph.",
                             NULL);
    galley_object *s = galley_object_get_object(galley_doc_meta(doc), "stats");
    ck_assert_ptr_nonnull(s);
    /* Mr Smith went to Washington He said It ’s fine A second paragraph */
    ck_assert_int_eq(galley_object_get_int(s, "words", -1), 13);
    ck_assert_int_eq(galley_object_get_int(s, "sentences", -1), 3);
    ck_assert_int_eq(galley_object_get_int(s, "paragraphs", -1), 2);
    ck_assert_ptr_null(galley_object_get(s, "letters"));
    galley_doc_free(doc);
}
END_TEST

START_TEST(options_change_field_and_count_letters)
{
    const char *const settings[] = { "field=counts", "letters=true", NULL };
    galley_doc *doc = run_on("Zürich café", settings);
    galley_object *s = galley_object_get_object(galley_doc_meta(doc), "counts");
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(galley_object_get_int(s, "letters", -1), 10);
    ck_assert_ptr_null(galley_object_get(galley_doc_meta(doc), "stats"));
    galley_doc_free(doc);
}
END_TEST

START_TEST(short_documents_are_rejected_when_asked)
{
    const char *const settings[] = { "min_words=3", NULL };
    galley_doc *doc = run_on("Two words", settings);
    ck_assert_int_eq(galley_doc_status(doc), GALLEY_REJECTED);
    ck_assert_str_eq(galley_doc_status_reason(doc), "too_short");
    galley_doc_free(doc);
}
END_TEST

START_TEST(bad_settings_are_refused_with_the_reason)
{
    galley_error err = { 0 };
    const char *const typo[] = { "leters=true", NULL };
    ck_assert_ptr_null(galley_stage_open("stats", typo, &err));
    ck_assert_str_eq(err.message, "unknown option \"leters\" (did you mean \"letters\"?)");
    const char *const range[] = { "min_words=-1", NULL };
    ck_assert_ptr_null(galley_stage_open("stats", range, &err));
    ck_assert_str_eq(err.message, "option \"min_words\" must be between 0 and 1000000, got -1");
}
END_TEST

START_TEST(finish_reports_totals)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("stats", NULL, &err);
    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < 3; i++) {
        galley_doc *doc = galley_doc_new("d", "One two three.", 14);
        ck_assert_int_eq(galley_stage_run(h, doc, &err), 0);
        galley_doc_free(doc);
    }
    galley_arena *a = galley_arena_new(0);
    galley_object *report = galley_object_new(a);
    ck_assert_int_eq(galley_stage_finish(h, report, &err), 0);
    ck_assert_int_eq(galley_object_get_int(report, "documents", -1), 3);
    ck_assert_int_eq(galley_object_get_int(report, "words", -1), 9);
    galley_arena_free(a);
    galley_stage_close(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stage");
    tcase_add_test(tc, counts_words_sentences_paragraphs);
    tcase_add_test(tc, options_change_field_and_count_letters);
    tcase_add_test(tc, short_documents_are_rejected_when_asked);
    tcase_add_test(tc, bad_settings_are_refused_with_the_reason);
    tcase_add_test(tc, finish_reports_totals);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
