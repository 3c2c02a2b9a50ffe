/* test_entities.c - the entities stage alone: the model's names, the
 * rules around it (dates, groups, canonical forms, user dictionaries,
 * title lines), what must not be tagged, and a bad model file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

static galley_stage_handle *h;

/* A new document of `text` run through the stage opened by setup, or the
 * test fails with the stage's error. The caller frees the document. */
static galley_doc *tag(const char *text)
{
    galley_error err = { 0 };
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    ck_assert_msg(galley_stage_run(h, doc, &err) == 0, "run: %s", err.message);
    return doc;
}

/* "text/TYPE>canonical" of every entity, joined by " | ". */
static char *summary(galley_doc *doc)
{
    static char buf[8192];
    buf[0] = '\0';
    galley_layer *l = galley_doc_layer(doc, "entities");
    for (size_t i = 0; l && i < galley_layer_size(l); i++) {
        galley_span *s = galley_layer_at(l, i);
        const char *text = galley_object_get_str(s->fields, "text");
        const char *canon = galley_object_get_str(s->fields, "canonical");
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s/%s", i ? " | " : "", text,
                 galley_object_get_str(s->fields, "type"));
        if (strcmp(canon, text) != 0) {
            n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, ">%s", canon);
        }
    }
    return buf;
}

#define CHECK(text, want)                                                                          \
    do {                                                                                           \
        galley_doc *d_ = tag(text);                                                                \
        ck_assert_str_eq(summary(d_), want);                                                       \
        galley_doc_free(d_);                                                                       \
    } while (0)

/* Before each test: the stage with its defaults and shipped model, into
 * h; the test fails when it cannot be opened. */
static void setup(void)
{
    galley_error err = { 0 };
    h = galley_stage_open("entities", NULL, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
}

/* After each test: closes what setup opened. */
static void teardown(void)
{
    galley_stage_close(h);
}

START_TEST(roles_and_speech_make_persons)
{
    CHECK("Foreign Ministry spokesman Nasser Kanaani said the claims were false.",
          "Foreign Ministry/ORG | Nasser Kanaani/PERSON");
    CHECK("Prime Minister Edi Rama spoke. Later, Rama left.",
          "Edi Rama/PERSON | Rama/PERSON>Edi Rama");
    CHECK("The vote was close, Tarvo Kello told reporters.", "Tarvo Kello/PERSON");
    /* A name in capitals (a transcript's label) is the person named in
     * full elsewhere. */
    CHECK("Governor Mike Pence spoke on Sunday. Governor Pence said the debate mattered.\n\n"
          "PENCE: Well, look, this is serious business.",
          "Mike Pence/PERSON | Sunday/DATE | Pence/PERSON>Mike Pence | PENCE/PERSON>Mike Pence");
}
END_TEST

START_TEST(propagation_to_sentence_start)
{
    CHECK("Officials met Imre Saaresto on Monday. Saaresto dismissed the report.",
          "Imre Saaresto/PERSON | Monday/DATE | Saaresto/PERSON>Imre Saaresto");
}
END_TEST

START_TEST(organizations_by_keyword_and_acronym)
{
    CHECK("The National Center for Cyberspace (NCC) said the NCC would respond.",
          "National Center for Cyberspace/ORG | NCC/ORG>National Center for Cyberspace | "
          "NCC/ORG>National Center for Cyberspace");
    CHECK("Iran’s Intelligence Ministry denied it.", "Iran/LOC | Intelligence Ministry/ORG");
}
END_TEST

START_TEST(places_and_groups)
{
    CHECK("Albanian officials flew from Tirana to Kelmora.",
          "Albanian/NORP | Tirana/LOC | Kelmora/LOC");
}
END_TEST

START_TEST(dates)
{
    CHECK("It happened on September 10, on 7 September 2022, on Sep. 7, 2022, in mid-July, "
          "in the 1980s, last week and in 2015.",
          "September 10/DATE | 7 September 2022/DATE | Sep. 7, 2022/DATE | mid-July/DATE | "
          "the 1980s/DATE | last week/DATE | 2015/DATE");
}
END_TEST

START_TEST(misc_laws_and_treaties)
{
    CHECK("They cited Article 5 and the Vienna Convention.",
          "Article 5/MISC | Vienna Convention/MISC");
}
END_TEST

START_TEST(what_must_not_be_tagged)
{
    CHECK("However, the talks failed.", "");
    CHECK("On Friday the minister resigned.", "Friday/DATE");
    CHECK("Critics said the plan was late.", "");
    CHECK("The statement was labeled “Collective Defense” by critics who called the "
          "defense pact weak.",
          "");
}
END_TEST

START_TEST(headlines_and_datelines_are_tagged)
{
    CHECK("IRAN REJECTS CLAIMS BY ALBANIA OVER CYBER ATTACK", "IRAN/LOC | ALBANIA/LOC");
    CHECK("GERMANY BEAT ENGLAND IN LONDON\nBERLIN 1996-08-30\nGermany beat England on Sunday.",
          "GERMANY/LOC | ENGLAND/LOC | LONDON/LOC | BERLIN/LOC | Germany/LOC | England/LOC | "
          "Sunday/DATE");
}
END_TEST

/* Issue 14: a title repeated as a line of the body is never a person. */
START_TEST(title_lines_are_no_persons)
{
    CHECK("Rising Prices Hit Shoppers Across Europe As Winter Nears\n"
          "Shoppers across Europe paid more for bread in December.",
          "Europe/LOC | Europe/LOC | December/DATE");
    galley_error err = { 0 };
    const char *text = "Iran Says Albania's Severance Move Reckless And Short-Sighted\n"
                       "Iran said on Wednesday that the move was reckless.";
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    galley_object_set_str(galley_doc_meta(doc), "title",
                          "Iran Says Albania's Severance Move Reckless And Short-Sighted");
    ck_assert_int_eq(galley_stage_run(h, doc, &err), 0);
    ck_assert_ptr_null(strstr(summary(doc), "PERSON"));
    galley_doc_free(doc);
}
END_TEST

START_TEST(bad_input_is_linear_and_safe)
{
    /* No letters; thousands of capitalized words; non-Latin scripts. */
    CHECK("123 456 — !!! ???", "");
    size_t n = 20000;
    char *caps = malloc(n * 6 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(caps + i * 6, "Abcde ", 6);
    caps[n * 6] = '\0';
    galley_doc *d = tag(caps);
    galley_doc_free(d);
    free(caps);
    d = tag("Президент Путин и 習近平 встретились в Москве. Ζωή Κωνσταντοπούλου spoke.");
    galley_layer *l = galley_doc_layer(d, "entities");
    for (size_t i = 0; l && i < galley_layer_size(l); i++) {
        galley_span *s = galley_layer_at(l, i);
        ck_assert(galley_utf8_valid(galley_doc_text(d) + s->start, s->end - s->start));
    }
    galley_doc_free(d);
}
END_TEST

START_TEST(user_dictionary)
{
    char path[] = "/tmp/galley-entities-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *entries = "# our beat\nKelmora Shipping\tORG\nZed Quill\tPERSON\nLisbon\tORG\n";
    ck_assert_int_eq(write(fd, entries, strlen(entries)), (int)strlen(entries));
    close(fd);
    char set[64];
    snprintf(set, sizeof set, "dictionaries=%s", path);
    const char *const s[] = { set, NULL };
    galley_error err = { 0 };
    galley_stage_handle *u = galley_stage_open("entities", s, &err);
    ck_assert_msg(u != NULL, "%s", err.message);
    galley_doc *doc = galley_doc_new("u", "zed quill met Zed Quill of Kelmora Shipping.", 44);
    ck_assert_int_eq(galley_stage_run(u, doc, &err), 0);
    ck_assert_str_eq(summary(doc), "Zed Quill/PERSON | Kelmora Shipping/ORG");
    galley_doc_free(doc);
    /* The user's type wins over the model's (Lisbon would be LOC). */
    const char *t2 = "The Lisbon office of Kelmora Shipping opened.";
    doc = galley_doc_new("u", t2, strlen(t2));
    ck_assert_int_eq(galley_stage_run(u, doc, &err), 0);
    ck_assert_str_eq(summary(doc), "Lisbon/ORG | Kelmora Shipping/ORG");
    galley_doc_free(doc);
    galley_stage_close(u);
    unlink(path);
}
END_TEST

START_TEST(bad_model_is_refused_with_its_name)
{
    const char *const s[] = { "model=/nonexistent/entities.model", NULL };
    galley_error err = { 0 };
    galley_stage_handle *u = galley_stage_open("entities", s, &err);
    ck_assert_ptr_null(u);
    ck_assert_msg(strstr(err.message, "/nonexistent/entities.model") &&
                      strstr(err.message, "cannot read model"),
                  "%s", err.message);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("entities");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, roles_and_speech_make_persons);
    tcase_add_test(tc, propagation_to_sentence_start);
    tcase_add_test(tc, organizations_by_keyword_and_acronym);
    tcase_add_test(tc, places_and_groups);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, misc_laws_and_treaties);
    tcase_add_test(tc, what_must_not_be_tagged);
    tcase_add_test(tc, headlines_and_datelines_are_tagged);
    tcase_add_test(tc, title_lines_are_no_persons);
    tcase_add_test(tc, bad_model_is_refused_with_its_name);
    tcase_add_test(tc, bad_input_is_linear_and_safe);
    tcase_add_test(tc, user_dictionary);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
