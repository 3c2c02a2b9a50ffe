/* test_dedup.c - the dedup stage alone: exact, near, drop, short
 * documents, paragraphs, and the index file with its refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

static const char *BASE =
    "The port authority in Klaipeda said on Monday that it would reopen the northern terminal "
    "after a two-week closure caused by a storm that damaged three cranes and a pier.\n"
    "Harbour master Jonas Petraitis told reporters that ships had waited for days outside the port "
    "and that the repairs had cost more than two million euros so far this month.\n"
    "Fishermen in the town of Nida said the closure had cost them their best week of the season.";

/* A dedup instance with these settings (NULL for the defaults), or the
 * test fails with the stage's refusal. Close it with galley_stage_close. */
static galley_stage_handle *open_dedup(const char *const *settings)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("dedup", settings, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
    return h;
}

/* A new document run through the stage (prepare, then process) as the
 * next in input order, or the test fails with the stage's error. The
 * caller frees the document. */
static galley_doc *feed(galley_stage_handle *h, const char *id, const char *text)
{
    galley_error err = { 0 };
    galley_doc *doc = galley_doc_new(id, text, strlen(text));
    ck_assert_msg(galley_stage_run(h, doc, &err) == 0, "run: %s", err.message);
    return doc;
}

/* The id the stage marked doc a copy of (metadata duplicate.of), or NULL
 * when it was kept. */
static const char *dup_of(galley_doc *doc)
{
    galley_object *d = galley_object_get_object(galley_doc_meta(doc), "duplicate");
    return d ? galley_object_get_str(d, "of") : NULL;
}

START_TEST(exact_and_near_copies_are_marked)
{
    galley_stage_handle *h = open_dedup(NULL);
    galley_doc *a = feed(h, "a", BASE);
    galley_doc *b = feed(h, "b", BASE);
    char near[2048];
    snprintf(near, sizeof near, "%s\nThis story was provided by Example Wire.", BASE);
    galley_doc *c = feed(h, "c", near);
    galley_doc *other =
        feed(h, "d",
             "An entirely different story about a football match in Riga where the home "
             "side won three to one after a late goal by the captain on Sunday evening.");
    ck_assert_ptr_null(dup_of(a));
    ck_assert_str_eq(dup_of(b), "a");
    galley_object *db = galley_object_get_object(galley_doc_meta(b), "duplicate");
    ck_assert_str_eq(galley_object_get_str(db, "kind"), "exact");
    ck_assert(galley_object_get_real(db, "similarity", 0) == 1.0);
    ck_assert_int_eq(galley_object_get_int(db, "cluster", -1), 0);
    ck_assert_str_eq(dup_of(c), "a");
    galley_object *dc = galley_object_get_object(galley_doc_meta(c), "duplicate");
    ck_assert_str_eq(galley_object_get_str(dc, "kind"), "near");
    ck_assert(galley_object_get_real(dc, "similarity", 0) >= 0.8);
    ck_assert_ptr_null(dup_of(other));
    galley_doc_free(a);
    galley_doc_free(b);
    galley_doc_free(c);
    galley_doc_free(other);
    galley_arena *ar = galley_arena_new(0);
    galley_object *report = galley_object_new(ar);
    galley_error err = { 0 };
    ck_assert_int_eq(galley_stage_finish(h, report, &err), 0);
    ck_assert_int_eq(galley_object_get_int(report, "exact_duplicates", -1), 1);
    ck_assert_int_eq(galley_object_get_int(report, "near_duplicates", -1), 1);
    galley_arena_free(ar);
    galley_stage_close(h);
}
END_TEST

START_TEST(drop_action_drops_later_copies)
{
    const char *const drop[] = { "action=drop", NULL };
    galley_stage_handle *h = open_dedup(drop);
    galley_doc *a = feed(h, "a", BASE);
    galley_doc *b = feed(h, "b", BASE);
    ck_assert_int_eq(galley_doc_status(a), GALLEY_KEPT);
    ck_assert_int_eq(galley_doc_status(b), GALLEY_DROPPED);
    ck_assert_str_eq(galley_doc_status_reason(b), "duplicate");
    galley_doc_free(a);
    galley_doc_free(b);
    galley_stage_close(h);
}
END_TEST

START_TEST(short_documents_compare_exactly)
{
    galley_stage_handle *h = open_dedup(NULL);
    galley_doc *a = feed(h, "a", "Breaking.");
    galley_doc *b = feed(h, "b", "Breaking!");
    galley_doc *c = feed(h, "c", "Breaking.");
    galley_doc *e1 = feed(h, "e1", "");
    galley_doc *e2 = feed(h, "e2", "");
    ck_assert_ptr_null(dup_of(b));
    ck_assert_str_eq(dup_of(c), "a");
    ck_assert_str_eq(dup_of(e2), "e1");
    galley_doc_free(a);
    galley_doc_free(b);
    galley_doc_free(c);
    galley_doc_free(e1);
    galley_doc_free(e2);
    galley_stage_close(h);
}
END_TEST

START_TEST(normalize_exact_ignores_case_and_spacing)
{
    const char *const fold[] = { "normalize_exact=true", NULL };
    galley_stage_handle *h = open_dedup(fold);
    galley_doc *a = feed(h, "a", "Short NOTE: the meeting moved.");
    galley_doc *b = feed(h, "b", "short note   the meeting moved");
    ck_assert_str_eq(dup_of(b), "a");
    galley_doc_free(a);
    galley_doc_free(b);
    galley_stage_close(h);
}
END_TEST

START_TEST(repeated_paragraphs_layer)
{
    const char *const para[] = { "paragraphs=true", "min_paragraph=40", NULL };
    galley_stage_handle *h = open_dedup(para);
    galley_doc *a = feed(h, "a",
                         "First story opening line that is long enough to count here.\n"
                         "The statement read: we condemn the attack in the strongest terms.");
    galley_doc *b = feed(h, "b",
                         "A different opening line for the second story, also long enough.\n"
                         "The statement read: we condemn the attack in the strongest terms.");
    galley_layer *l = galley_doc_layer(b, "repeated_paragraphs");
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(galley_layer_size(l), 1);
    galley_span *s = galley_layer_at(l, 0);
    ck_assert_str_eq(galley_object_get_str(s->fields, "first_seen"), "a");
    ck_assert_uint_eq(s->start, 65); /* after the first line and its newline */
    ck_assert_ptr_null(galley_doc_layer(a, "repeated_paragraphs"));
    galley_doc_free(a);
    galley_doc_free(b);
    galley_stage_close(h);
}
END_TEST

/* "w<from> w<from+1> ... " with every word of [from, to) except that
 * words in [cut, cut_to) are "x<i>" instead. */
static char *words(int from, int to, int cut, int cut_to)
{
    char *t = malloc((size_t)(to - from) * 8 + 1), *p = t;
    for (int i = from; i < to; i++)
        p += sprintf(p, "%s%c%d", i > from ? " " : "", i >= cut && i < cut_to ? 'x' : 'w', i);
    return t;
}

/* The estimated similarity the stage gave doc as a copy, or -1 when it
 * was kept. */
static double similarity_of(galley_doc *doc)
{
    galley_object *d = galley_object_get_object(galley_doc_meta(doc), "duplicate");
    return d ? galley_object_get_real(d, "similarity", -1) : -1;
}

/* The estimate follows the true Jaccard of 5-word shingles, for long
 * documents and for short ones (fewer shingles than MinHash values, where
 * densification fills the empty bins). */
START_TEST(similarity_estimates_true_jaccard)
{
    static const struct {
        int words, cut_from, cut_to;
    } cases[] = {
        { 400, 0, 40 },    /* 396 shingles, 40 words changed: J = 356/436 */
        { 400, 200, 210 }, /* 10 words changed inside: 14 shingles lost of 396 */
        { 24, 10, 11 },    /* 20 shingles, one word changed: J = 15/25 */
        { 12, 11, 12 },    /* 8 shingles, the last word changed: J = 7/9 */
    };
    /* 16 bands of 2 rows: a pair above J 0.6 is a candidate (odds 0.999), so
     * the estimate is what is tested, not the banding. */
    const char *const low[] = { "threshold=0.3", "bands=16", "rows=2", NULL };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        int n = cases[c].words, k = 5, shingles = n - k + 1;
        /* Shingles that hold no changed word survive in both. */
        int lost = 0;
        for (int i = 0; i < shingles; i++)
            lost += i + k > cases[c].cut_from && i < cases[c].cut_to;
        double truth = (double)(shingles - lost) / (shingles + lost);
        galley_stage_handle *h = open_dedup(low);
        char *a = words(0, n, 0, 0), *b = words(0, n, cases[c].cut_from, cases[c].cut_to);
        galley_doc *da = feed(h, "a", a), *db = feed(h, "b", b);
        double est = similarity_of(db);
        ck_assert_msg(est > truth - 0.12 && est < truth + 0.12,
                      "case %zu: estimated %.3f, true Jaccard %.3f", c, est, truth);
        galley_doc_free(da);
        galley_doc_free(db);
        free(a);
        free(b);
        galley_stage_close(h);
    }
}
END_TEST

/* Documents that share no shingle are not marked, however many there are
 * (a band key that matches by chance is confirmed by the estimate). */
START_TEST(unrelated_documents_stay_apart)
{
    galley_stage_handle *h = open_dedup(NULL);
    for (int d = 0; d < 2000; d++) {
        char *t = words(d * 30, d * 30 + 30, 0, 0), id[16];
        snprintf(id, sizeof id, "u%d", d);
        galley_doc *doc = feed(h, id, t);
        ck_assert_msg(dup_of(doc) == NULL, "%s marked as a copy of %s", id, dup_of(doc));
        galley_doc_free(doc);
        free(t);
    }
    galley_stage_close(h);
}
END_TEST

/* An index path under /tmp, its own to this process, with no file there
 * yet; the test removes the file when it is done. */
static void tmp_index(char *path, size_t size)
{
    snprintf(path, size, "/tmp/galley-dedup-%ld-%d.idx", (long)getpid(), rand());
    unlink(path);
}

START_TEST(index_persists_across_runs)
{
    char path[256], set[300];
    tmp_index(path, sizeof path);
    snprintf(set, sizeof set, "index=%s", path);
    const char *const s[] = { set, NULL };
    galley_error err = { 0 };
    galley_stage_handle *h = open_dedup(s);
    galley_doc *a = feed(h, "yesterday", BASE);
    ck_assert_int_eq(galley_stage_finish(h, NULL, &err), 0);
    galley_stage_close(h);
    galley_doc_free(a);
    ck_assert_int_eq(access(path, R_OK), 0);
    h = open_dedup(s);
    galley_doc *b = feed(h, "today", BASE);
    ck_assert_str_eq(dup_of(b), "yesterday");
    galley_doc_free(b);
    galley_stage_close(h);
    unlink(path);
}
END_TEST

/* Paragraphs, and documents kept only as paragraph sources, come back
 * from the file too. */
START_TEST(paragraphs_persist_across_runs)
{
    char path[256], set[300];
    tmp_index(path, sizeof path);
    snprintf(set, sizeof set, "index=%s", path);
    const char *const s[] = { set, "paragraphs=true", "min_paragraph=40", NULL };
    const char *statement = "The statement read: we condemn the attack in the strongest terms.";
    char text[512];
    galley_error err = { 0 };
    galley_stage_handle *h = open_dedup(s);
    snprintf(text, sizeof text, "Monday's story opens with a line long enough to count.\n%s",
             statement);
    galley_doc *a = feed(h, "monday", text);
    galley_doc *a2 = feed(h, "monday-again", text); /* a duplicate: an id-only slot */
    ck_assert_str_eq(dup_of(a2), "monday");
    ck_assert_int_eq(galley_stage_finish(h, NULL, &err), 0);
    galley_stage_close(h);
    galley_doc_free(a);
    galley_doc_free(a2);

    h = open_dedup(s);
    snprintf(text, sizeof text, "Tuesday's story is another one, also with a long first line.\n%s",
             statement);
    galley_doc *b = feed(h, "tuesday", text);
    galley_layer *l = galley_doc_layer(b, "repeated_paragraphs");
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(galley_layer_size(l), 1);
    ck_assert_str_eq(galley_object_get_str(galley_layer_at(l, 0)->fields, "first_seen"), "monday");
    ck_assert_ptr_null(dup_of(b));
    galley_doc_free(b);
    galley_stage_close(h);
    unlink(path);
}
END_TEST

START_TEST(damaged_or_foreign_index_is_refused)
{
    char path[256], set[300];
    tmp_index(path, sizeof path);
    snprintf(set, sizeof set, "index=%s", path);
    const char *const s[] = { set, NULL };
    galley_error err = { 0 };
    galley_stage_handle *h = open_dedup(s);
    galley_doc *a = feed(h, "a", BASE);
    galley_doc_free(a);
    ck_assert_int_eq(galley_stage_finish(h, NULL, &err), 0);
    galley_stage_close(h);
    /* Other options: refused, naming both. */
    const char *const other[] = { set, "shingle=4", NULL };
    ck_assert_ptr_null(galley_stage_open("dedup", other, &err));
    ck_assert_msg(strstr(err.message, "was built with shingle = 5") &&
                      strstr(err.message, "this stage has shingle = 4"),
                  "%s", err.message);
    /* One byte changed: the checksum catches it. */
    FILE *f = fopen(path, "r+b");
    fseek(f, 70, SEEK_SET);
    fputc('X', f);
    fclose(f);
    ck_assert_ptr_null(galley_stage_open("dedup", s, &err));
    ck_assert_msg(strstr(err.message, "checksum mismatch"), "%s", err.message);
    /* An index of the first format (128 permutations): its own message. */
    f = fopen(path, "r+b");
    fseek(f, 12, SEEK_SET);
    fputc(1, f);
    fclose(f);
    ck_assert_ptr_null(galley_stage_open("dedup", s, &err));
    ck_assert_msg(strstr(err.message, "format version 1, this galley reads versions 2 and 3"), "%s",
                  err.message);
    /* Truncated, and not an index at all. */
    f = fopen(path, "r+b");
    fseek(f, 12, SEEK_SET);
    fputc(3, f);
    fclose(f);
    ck_assert_int_eq(truncate(path, 30), 0);
    ck_assert_ptr_null(galley_stage_open("dedup", s, &err));
    ck_assert_msg(strstr(err.message, "truncated; the file is damaged"), "%s", err.message);
    f = fopen(path, "w");
    fputs("hello, this is a text file and not an index at all, no no no no no no no no no\n", f);
    fclose(f);
    ck_assert_ptr_null(galley_stage_open("dedup", s, &err));
    ck_assert_msg(strstr(err.message, "not a galley dedup index"), "%s", err.message);
    unlink(path);
}
END_TEST

/* The table's ranges alone keep bands * rows within the 128 values, so
 * `galley check` refuses what run would (tests/e2e_index.py checks it). */
START_TEST(bad_band_settings_are_refused)
{
    galley_error err = { 0 };
    const char *const s[] = { "bands=20", "rows=6", NULL };
    ck_assert_ptr_null(galley_stage_open("dedup", s, &err));
    ck_assert_msg(strstr(err.message, "\"bands\" must be between 1 and 16, got 20"), "%s",
                  err.message);
    const char *const r[] = { "bands=16", "rows=9", NULL };
    ck_assert_ptr_null(galley_stage_open("dedup", r, &err));
    ck_assert_msg(strstr(err.message, "\"rows\" must be between 1 and 8, got 9"), "%s",
                  err.message);
    const char *const most[] = { "bands=16", "rows=8", NULL };
    galley_stage_handle *h = open_dedup(most);
    galley_stage_close(h);
}
END_TEST

START_TEST(many_identical_documents)
{
    const char *const drop[] = { "action=drop", NULL };
    galley_stage_handle *h = open_dedup(drop);
    for (int i = 0; i < 20000; i++) {
        char id[32];
        snprintf(id, sizeof id, "d%d", i);
        galley_doc *d = feed(h, id, BASE);
        ck_assert_int_eq(galley_doc_status(d), i ? GALLEY_DROPPED : GALLEY_KEPT);
        galley_doc_free(d);
    }
    galley_stage_close(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dedup");
    TCase *tc = tcase_create("stage");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, exact_and_near_copies_are_marked);
    tcase_add_test(tc, drop_action_drops_later_copies);
    tcase_add_test(tc, short_documents_compare_exactly);
    tcase_add_test(tc, normalize_exact_ignores_case_and_spacing);
    tcase_add_test(tc, repeated_paragraphs_layer);
    tcase_add_test(tc, index_persists_across_runs);
    tcase_add_test(tc, paragraphs_persist_across_runs);
    tcase_add_test(tc, damaged_or_foreign_index_is_refused);
    tcase_add_test(tc, bad_band_settings_are_refused);
    tcase_add_test(tc, similarity_estimates_true_jaccard);
    tcase_add_test(tc, unrelated_documents_stay_apart);
    tcase_add_test(tc, many_identical_documents);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
