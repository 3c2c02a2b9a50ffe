/* test_session.c - a whole pipeline inside a program (galley/embed.h):
 * config errors come back as file:line messages; pushed documents come
 * back in push order, kept, dropped and rejected alike, whether the
 * caller pulls as it goes, lets the session fill up, or never pulls; the
 * account adds up; files run like `galley run`. */
#define _GNU_SOURCE 1 /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

#define PIPELINES SRCDIR "/../pipelines/"

/* A config file written for a test; returns its path (static storage). */
static const char *write_config(const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/galley-session-test-%d.cfg", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Document number i as a JSON line, with a text of its own. */
static size_t doc_json(char *buf, size_t size, int i)
{
    return (size_t)snprintf(buf, size,
                            "{\"id\":\"d%d\",\"text\":\"Article number %d says "
                            "something about %d things.\",\"n\":%d}",
                            i, i, i * 7, i);
}

/* The number in an id "dN", or -1. */
static int id_number(const char *id)
{
    return id[0] == 'd' ? atoi(id + 1) : -1;
}

START_TEST(config_errors_come_back_with_file_and_line)
{
    const char *cfg =
        write_config("name = \"bad\";\nstages = (\n  { use = \"dedup\"; treshold = 0.8; }\n);\n");
    char *errors = NULL;
    ck_assert_ptr_null(galley_pipeline_open(cfg, NULL, &errors));
    ck_assert_ptr_nonnull(errors);
    char want[512];
    snprintf(want, sizeof want,
             "%s:3: stage \"dedup\": unknown option \"treshold\" (did you mean "
             "\"threshold\"?)",
             cfg);
    ck_assert_msg(strstr(errors, want) != NULL, "got: %s", errors);
    galley_free(errors);
    const char *bad_set[] = { "dedup.threshold=2", NULL };
    ck_assert_ptr_null(galley_pipeline_open(PIPELINES "news.cfg", bad_set, &errors));
    ck_assert_msg(strstr(errors, "threshold") != NULL, "got: %s", errors);
    galley_free(errors);
    unlink(cfg);
}
END_TEST

START_TEST(parse_reads_like_the_input_section)
{
    const char *sets[] = { "input.text_field=body", "input.id_field=key", NULL };
    galley_pipeline *p = galley_pipeline_open(PIPELINES "passthrough.cfg", sets, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(galley_pipeline_text_field(p), "body");
    ck_assert_str_eq(galley_pipeline_id_field(p), "key");
    galley_error err = { 0 };
    const char *line = "{\"key\":\"k1\",\"body\":\"Hello there.\",\"title\":\"T\"}";
    galley_doc *doc = galley_pipeline_parse(p, line, strlen(line), "here:1", &err);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(galley_doc_id(doc), "k1");
    ck_assert_str_eq(galley_doc_text(doc), "Hello there.");
    ck_assert_str_eq(galley_doc_source(doc), "here:1");
    ck_assert_str_eq(galley_value_str(galley_object_get(galley_doc_meta(doc), "title"), NULL), "T");
    galley_doc_free(doc);
    line = "{\"key\":\"k2\",\"text\":\"no body\"}";
    ck_assert_ptr_null(galley_pipeline_parse(p, line, strlen(line), NULL, &err));
    ck_assert_msg(strstr(err.message, "body") != NULL, "got: %s", err.message);
    galley_pipeline_close(p);
}
END_TEST

/* Pushes n documents (number `bad` malformed), pulling as it goes when
 * `pull_along`, and checks that every one comes back in order. */
static void push_and_pull(const char *config, int threads, int n, int bad, int pull_along)
{
    galley_pipeline *p = galley_pipeline_open(config, NULL, NULL);
    ck_assert_ptr_nonnull(p);
    galley_error err = { 0 };
    galley_session *s = galley_session_start(p, threads, GALLEY_FORM_JSONL, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    int next = 0, fulls = 0;
    galley_result r;
    char buf[256];
    for (int i = 0; i < n; i++) {
        size_t len = i == bad ? (size_t)snprintf(buf, sizeof buf, "{\"id\": \"d%d\", oops", i)
                              : doc_json(buf, sizeof buf, i);
        int rc;
        while ((rc = galley_session_push(s, buf, len, NULL)) == 0) {
            fulls++;
            ck_assert_int_eq(galley_session_pull(s, 1, &r), 1);
            ck_assert_int_eq(next, r.status == GALLEY_REJECTED ? bad : id_number(r.id));
            next++;
        }
        ck_assert_int_eq(rc, 1);
        while (pull_along && galley_session_pull(s, 0, &r) == 1) {
            ck_assert_int_eq(next, r.status == GALLEY_REJECTED ? bad : id_number(r.id));
            next++;
        }
    }
    galley_session_end_input(s);
    ck_assert_int_eq(galley_session_push(s, buf, 2, NULL), -1);
    int rc;
    while ((rc = galley_session_pull(s, 1, &r)) == 1) {
        if (next == bad) {
            ck_assert_int_eq(r.status, GALLEY_REJECTED);
            ck_assert_str_eq(r.reason, "malformed_json");
            ck_assert_ptr_nonnull(r.message);
            ck_assert_msg(strstr(r.message, "malformed JSON") != NULL, "got: %s", r.message);
            snprintf(buf, sizeof buf, "pushed:%d", bad + 1);
            ck_assert_str_eq(r.source, buf);
        } else {
            ck_assert_int_eq(r.status, GALLEY_KEPT);
            ck_assert_int_eq(id_number(r.id), next);
            ck_assert_ptr_null(r.reason);
            char want[64];
            snprintf(want, sizeof want, "{\"id\":\"d%d\",\"text\":\"Article number %d ", next,
                     next);
            ck_assert_msg(r.json_len > strlen(want) && memcmp(r.json, want, strlen(want)) == 0,
                          "got: %.*s", (int)r.json_len, r.json);
            ck_assert_int_ne(r.json[r.json_len - 1], '\n');
        }
        next++;
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(next, n);
    if (!pull_along)
        ck_assert_msg(fulls > 0, "the session never said it was full");
    char *account = NULL;
    ck_assert_int_eq(galley_session_finish(s, &account, &err), GALLEY_EXIT_OK);
    snprintf(buf, sizeof buf, "{\"read\":%d,\"written\":%d,\"dropped\":0,\"rejected\":%d,", n,
             bad >= 0 ? n - 1 : n, bad >= 0 ? 1 : 0);
    ck_assert_msg(strncmp(account, buf, strlen(buf)) == 0, "got: %s", account);
    if (bad >= 0)
        ck_assert_msg(strstr(account, "\"rejected_by_reason\":{\"malformed_json\":1}") != NULL,
                      "got: %s", account);
    galley_free(account);
    galley_pipeline_close(p);
}

START_TEST(pulling_along_keeps_push_order)
{
    push_and_pull(PIPELINES "passthrough.cfg", 2, 1000, 517, 1);
}
END_TEST

START_TEST(a_full_session_says_so_and_drains)
{
    push_and_pull(PIPELINES "passthrough.cfg", 1, 5000, 3, 0);
}
END_TEST

START_TEST(the_news_pipeline_in_a_session)
{
    push_and_pull(PIPELINES "news.cfg", 2, 300, -1, 1);
}
END_TEST

START_TEST(dropped_documents_come_out_in_their_place)
{
    galley_pipeline *p = galley_pipeline_open(PIPELINES "dedup-only.cfg", NULL, NULL);
    ck_assert_ptr_nonnull(p);
    galley_error err = { 0 };
    galley_session *s = galley_session_start(p, 2, GALLEY_FORM_JSONL, &err);
    ck_assert_ptr_nonnull(s);
    const char *a =
        "{\"id\":\"a\",\"text\":\"The port of Klaipeda closed on Monday after a strike by "
        "dock workers who want higher pay and shorter shifts, the union said.\"}";
    const char *b =
        "{\"id\":\"b\",\"text\":\"Another story entirely, about the weather in Riga this "
        "week and the snow that is expected on Thursday night.\"}";
    const char *a2 =
        "{\"id\":\"a2\",\"text\":\"The port of Klaipeda closed on Monday after a strike by "
        "dock workers who want higher pay and shorter shifts, the union said.\"}";
    ck_assert_int_eq(galley_session_push(s, a, strlen(a), NULL), 1);
    ck_assert_int_eq(galley_session_push(s, a2, strlen(a2), NULL), 1);
    ck_assert_int_eq(galley_session_push(s, b, strlen(b), NULL), 1);
    galley_result r;
    ck_assert_int_eq(galley_session_pull(s, 1, &r), 1);
    ck_assert_str_eq(r.id, "a");
    ck_assert_int_eq(r.status, GALLEY_KEPT);
    ck_assert_int_eq(galley_session_pull(s, 1, &r), 1);
    ck_assert_str_eq(r.id, "a2");
    ck_assert_int_eq(r.status, GALLEY_DROPPED);
    ck_assert_str_eq(r.reason, "duplicate");
    ck_assert_int_eq(galley_session_pull(s, 1, &r), 1);
    ck_assert_str_eq(r.id, "b");
    ck_assert_int_eq(r.status, GALLEY_KEPT);
    ck_assert_int_eq(galley_session_pull(s, 1, &r), 0);
    char *account = NULL;
    ck_assert_int_eq(galley_session_finish(s, &account, &err), GALLEY_EXIT_OK);
    ck_assert_msg(strstr(account, "\"read\":3,\"written\":2,\"dropped\":1,") != NULL, "got: %s",
                  account);
    ck_assert_msg(strstr(account, "\"dedup\":{") != NULL, "the stage's report: %s", account);
    galley_free(account);
    galley_pipeline_close(p);
}
END_TEST

START_TEST(finish_counts_what_was_not_pulled)
{
    galley_pipeline *p = galley_pipeline_open(PIPELINES "news.cfg", NULL, NULL);
    galley_error err = { 0 };
    galley_session *s = galley_session_start(p, 2, GALLEY_FORM_JSONL, &err);
    char buf[256];
    for (int i = 0; i < 700; i++) {
        size_t len = doc_json(buf, sizeof buf, i);
        ck_assert_int_eq(galley_session_push(s, buf, len, NULL), 1);
    }
    char *account = NULL;
    ck_assert_int_eq(galley_session_finish(s, &account, &err), GALLEY_EXIT_OK);
    ck_assert_msg(strstr(account, "{\"read\":700,\"written\":700,") == account, "got: %s", account);
    galley_free(account);
    galley_pipeline_close(p);
}
END_TEST

/* The one document pushed, in the given form, as a string (malloc'd). */
/* The one document a session gives back for json, NUL-terminated (COLUMNS
 * holds binary offsets: *len, when not NULL, gets its length). */
static char *one_document(const char *config, int form, const char *json, size_t *len)
{
    galley_pipeline *p = galley_pipeline_open(config, NULL, NULL);
    ck_assert_ptr_nonnull(p);
    galley_error err = { 0 };
    galley_session *s = galley_session_start(p, 1, form, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    ck_assert_int_eq(galley_session_push(s, json, strlen(json), NULL), 1);
    galley_result r;
    ck_assert_int_eq(galley_session_pull(s, 1, &r), 1);
    ck_assert_int_eq(r.status, GALLEY_KEPT);
    char *out = malloc(r.json_len + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, r.json, r.json_len);
    out[r.json_len] = '\0';
    if (len)
        *len = r.json_len;
    ck_assert_int_eq(galley_session_finish(s, NULL, &err), GALLEY_EXIT_OK);
    galley_pipeline_close(p);
    return out;
}

START_TEST(columns_keep_null_absent_and_offsets_apart)
{
    const char *cfg = write_config("name = \"ragged\";\nplugin_path = [\"" BUILDDIR "/modules\"];\n"
                                   "stages = ( { use = \"ragged\"; } );\n");
    size_t got_len;
    char *got =
        one_document(cfg, GALLEY_FORM_COLUMNS, "{\"id\":\"r\",\"text\":\"\u00e9 ab\"}", &got_len);
    /* clang-format off */
    const char want[] =
        "{\"id\":\"r\",\"source\":\"pushed:1\",\"text_bytes\":5}\n\xc3\xa9 ab\n{}\n"
        "\"ragged\"\t2\t{\"fields\":[\"a\",\"at\",\"b\",\"o\"],"
        "\"missing\":{\"a\":[1],\"at\":[1],\"b\":[0],\"o\":[0]}}\t"
        "OFFSETS:16:BYTESOFFSETS:16:BYTES"
        "\t[\"x\",null]\t[3,null]\t[null,null]\t[null,{\"k\":1}]";
    /* clang-format on */
    char *offsets = strstr(want, "OFFSETS");
    const uint64_t values[] = { 0, 2, 1, 4 }; /* starts, then ends */
    memcpy(offsets, values, sizeof values);
    ck_assert_uint_eq(got_len, sizeof want - 1);
    ck_assert_mem_eq(got, want, sizeof want - 1);
    free(got);
    got = one_document(cfg, GALLEY_FORM_JSONL, "{\"id\":\"r\",\"text\":\"\u00e9 ab\"}", NULL);
    ck_assert_str_eq(
        got,
        "{\"id\":\"r\",\"text\":\"\xc3\xa9 ab\",\"metadata\":{},\"source\":\"pushed:1\","
        "\"ragged\":[{\"start\":0,\"end\":1,\"a\":\"x\",\"at\":3},"
        "{\"start\":2,\"end\":4,\"b\":null,\"o\":{\"k\":1}}]}");
    free(got);
    unlink(cfg);
}
END_TEST

START_TEST(columns_of_the_news_pipeline)
{
    size_t len;
    char *got =
        one_document(PIPELINES "news.cfg", GALLEY_FORM_COLUMNS,
                     "{\"id\":\"n\",\"text\":\"Rasa Vaitkut\u0117 visited Vilnius.\"}", &len);
    const char head[] =
        "\n\"entities\"\t2\t{\"fields\":[\"type\",\"canonical\"],\"sliced\":true}\t";
    const char *at = memmem(got, len, head, sizeof head - 1);
    ck_assert_msg(at != NULL, "got: %s", got);
    at += sizeof head - 1;
    const uint64_t offsets[] = { 0, 22, 13, 29 }; /* starts, then ends: code points */
    ck_assert_mem_eq(at, offsets, sizeof offsets);
    at += sizeof offsets;
    const char columns[] = "\t[\"PERSON\",\"LOC\"]\t[\"Rasa Vaitkut\xc4\x97\",\"Vilnius\"]\n";
    ck_assert_mem_eq(at, columns, sizeof columns - 1);
    /* No quotes: the layer ends after its head; the document, after it. */
    const char quotes[] = "\n\"quotes\"\t0\t{\"fields\":[]}\t";
    ck_assert_msg(memmem(got, len, quotes, sizeof quotes - 1) != NULL, "got: %s", got);
    free(got);
}
END_TEST

START_TEST(run_is_galley_run)
{
    galley_pipeline *p = galley_pipeline_open(PIPELINES "news.cfg", NULL, NULL);
    ck_assert_ptr_nonnull(p);
    char out[256];
    snprintf(out, sizeof out, "/tmp/galley-session-test-%d.jsonl", (int)getpid());
    const char *inputs[] = { SRCDIR "/../examples/sample.jsonl.gz" };
    char *account = NULL;
    galley_error err = { 0 };
    ck_assert_int_eq(galley_pipeline_run(p, inputs, 1, out, NULL, &account, &err), GALLEY_EXIT_OK);
    ck_assert_msg(strstr(account, "{\"read\":8,\"written\":8,\"dropped\":0,\"rejected\":0,") ==
                      account,
                  "got: %s", account);
    ck_assert_msg(strstr(account, "\"exact_duplicates\":1") != NULL, "the stages' reports: %s",
                  account);
    const char *const *layers = galley_pipeline_layers(p);
    ck_assert_str_eq(layers[0], "entities");
    ck_assert_str_eq(layers[1], "quotes");
    ck_assert_str_eq(layers[2], "repeated_paragraphs");
    ck_assert_ptr_null(layers[3]);
    galley_free(account);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    ck_assert_int_eq(lines, 8);
    unlink(out);
    char bad[256];
    snprintf(bad, sizeof bad, "/tmp/galley-session-test-%d-bad.jsonl", (int)getpid());
    f = fopen(bad, "w");
    fputs("{\"id\":\"ok\",\"text\":\"Fine.\"}\n{oops\n", f);
    fclose(f);
    const char *with_bad[] = { bad };
    ck_assert_int_eq(galley_pipeline_run(p, with_bad, 1, out, NULL, &account, &err),
                     GALLEY_EXIT_REJECTED);
    ck_assert_msg(strstr(account, "{\"read\":2,\"written\":1,") == account, "got: %s", account);
    galley_free(account);
    unlink(bad);
    unlink(out);
    ck_assert_int_eq(galley_pipeline_run(p, NULL, 0, out, NULL, &account, &err), GALLEY_EXIT_USAGE);
    ck_assert_ptr_null(account);
    galley_pipeline_close(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("session");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, config_errors_come_back_with_file_and_line);
    tcase_add_test(tc, parse_reads_like_the_input_section);
    tcase_add_test(tc, pulling_along_keeps_push_order);
    tcase_add_test(tc, a_full_session_says_so_and_drains);
    tcase_add_test(tc, the_news_pipeline_in_a_session);
    tcase_add_test(tc, dropped_documents_come_out_in_their_place);
    tcase_add_test(tc, finish_counts_what_was_not_pulled);
    tcase_add_test(tc, columns_keep_null_absent_and_offsets_apart);
    tcase_add_test(tc, columns_of_the_news_pipeline);
    tcase_add_test(tc, run_is_galley_run);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
