/* test_quotes.c - the quotes stage alone (with entities made by hand, and
 * without any) and its shipped model: each kind, each hard case, and bad
 * input. The model's labels decide sources and cues, so these sentences
 * are plain news the model must get right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

static galley_stage_handle *h;

/* Before each test: the stage with its defaults and shipped model, into
 * h; the test fails when it cannot be opened. */
static void setup(void)
{
    galley_error err = { 0 };
    h = galley_stage_open("quotes", NULL, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
}

/* After each test: closes what setup opened. */
static void teardown(void)
{
    galley_stage_close(h);
}

/* Adds a PERSON/ORG entity for every occurrence of `name`. */
static void entity(galley_doc *doc, const char *name, const char *type, const char *canonical)
{
    galley_layer *l = galley_doc_add_layer(doc, "entities");
    const char *t = galley_doc_text(doc);
    for (const char *p = strstr(t, name); p; p = strstr(p + 1, name)) {
        galley_span *s = galley_layer_add(l, (size_t)(p - t), (size_t)(p - t) + strlen(name));
        galley_object_set_str(s->fields, "type", type);
        galley_object_set_str(s->fields, "canonical", canonical);
    }
}

/* A new document of `text` with no layers yet, so that entity() can add
 * some before run(). The caller frees it. */
static galley_doc *doc_of(const char *text)
{
    return galley_doc_new("q", text, strlen(text));
}

/* Runs the stage opened by setup on doc and returns its quotes layer
 * (NULL when the stage added none); the test fails on a stage error. */
static galley_layer *run(galley_doc *doc)
{
    galley_error err = { 0 };
    ck_assert_msg(galley_stage_run(h, doc, &err) == 0, "run: %s", err.message);
    return galley_doc_layer(doc, "quotes");
}

/* "kind|speaker|cue|text" of every quote (text: its pieces), joined by " ## ". */
static const char *summary(galley_doc *doc)
{
    static char buf[8192];
    buf[0] = '\0';
    galley_layer *l = run(doc);
    for (size_t i = 0; i < galley_layer_size(l); i++) {
        galley_span *s = galley_layer_at(l, i);
        const char *spk = galley_object_get_str(s->fields, "speaker");
        const char *cue = galley_object_get_str(s->fields, "cue");
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s|%s|%s|%s%s", i ? " ## " : "",
                 galley_object_get_str(s->fields, "kind"), spk ? spk : "-", cue ? cue : "-",
                 galley_object_get_str(s->fields, "text"),
                 galley_value_bool(galley_object_get(s->fields, "flagged")) ? "|flagged" : "");
    }
    return buf;
}

START_TEST(direct_after_and_before)
{
    galley_doc *d = doc_of("“The claims are false,” Kanaani said.\nRama said: “We will respond.”\n"
                           "\"It is over,\" said the minister.");
    entity(d, "Kanaani", "PERSON", "Nasser Kanaani");
    entity(d, "Rama", "PERSON", "Edi Rama");
    ck_assert_str_eq(summary(d),
                     "direct|Nasser Kanaani|said|The claims are false ## "
                     "direct|Edi Rama|said|We will respond. ## "
                     "direct|the minister|said|It is over");
    /* A source without a name is a nominal speaker, as written. */
    galley_layer *l = galley_doc_layer(d, "quotes");
    ck_assert_str_eq(galley_object_get_str(galley_layer_at(l, 0)->fields, "speaker_kind"), "named");
    ck_assert_str_eq(galley_object_get_str(galley_layer_at(l, 2)->fields, "speaker_kind"),
                     "nominal");
    galley_doc_free(d);
}
END_TEST

START_TEST(according_to_and_statement)
{
    galley_doc *d =
        doc_of("According to NATO, “allies stand together.”\n"
               "“An attack on one is an attack on all,” the statement released by NATO said.\n"
               "“We condemn it,” read the statement.");
    entity(d, "NATO", "ORG", "NATO");
    ck_assert_str_eq(summary(d),
                     "direct|NATO|According to|allies stand together. ## "
                     "direct|NATO|said|An attack on one is an attack on all ## "
                     "direct|the statement|read|We condemn it");
    galley_doc_free(d);
}
END_TEST

START_TEST(partial_scare_and_title)
{
    galley_doc *d =
        doc_of("Kanaani dismissed the allegations as “false and baseless,” blaming the US.\n"
               "The word “reform” was everywhere.\n"
               "She spoke on “Morning Roundtable” on Sunday.");
    entity(d, "Kanaani", "PERSON", "Nasser Kanaani");
    ck_assert_str_eq(summary(d),
                     "partial|Nasser Kanaani|dismissed|false and baseless ## "
                     "indirect|Nasser Kanaani|blaming|the US ## "
                     "scare|-|-|reform ## title|-|-|Morning Roundtable");
    galley_doc_free(d);
}
END_TEST

START_TEST(short_sentence_quote_is_direct)
{
    galley_doc *d = doc_of("“We will not back down,” Ortiz said.");
    entity(d, "Ortiz", "PERSON", "Dana Ortiz");
    ck_assert_str_eq(summary(d), "direct|Dana Ortiz|said|We will not back down");
    galley_doc_free(d);
}
END_TEST

START_TEST(pronouns_and_nominal_references)
{
    galley_doc *d = doc_of("Kanaani spoke in Tehran on Monday.\n“We are ready,” he said.\n"
                           "The Foreign Ministry issued a note. “Nothing changes,” it said.\n"
                           "“The door is open,” the diplomat added.");
    entity(d, "Kanaani", "PERSON", "Nasser Kanaani");
    entity(d, "Foreign Ministry", "ORG", "Foreign Ministry");
    const char *s = summary(d);
    ck_assert_str_eq(s,
                     "direct|Nasser Kanaani|said|We are ready ## "
                     "direct|Foreign Ministry|said|Nothing changes ## "
                     "direct|the diplomat|added|The door is open");
    /* The mention of a pronoun speaker is the pronoun. */
    galley_span *q = galley_layer_at(galley_doc_layer(d, "quotes"), 0);
    const char *t = galley_doc_text(d);
    ck_assert_int_eq(strncmp(t + galley_object_get_int(q->fields, "speaker_start", 0), "he", 2), 0);
    ck_assert_str_eq(galley_object_get_str(q->fields, "speaker_kind"), "pronoun");
    galley_doc_free(d);
}
END_TEST

START_TEST(pronoun_gender_and_subject)
{
    /* "she" skips the nearer man for the woman (given-names.txt); "It"
     * is the subject of the sentence before, not its object. */
    galley_doc *d = doc_of("Maria Chen met Tom Berg in Oslo on Monday.\n“We will sign,” she said.\n"
                           "The Treasury sanctioned the Intelligence Ministry on Friday. "
                           "“It is a warning,” it said.");
    entity(d, "Maria Chen", "PERSON", "Maria Chen");
    entity(d, "Tom Berg", "PERSON", "Tom Berg");
    entity(d, "Treasury", "ORG", "US Treasury");
    entity(d, "Intelligence Ministry", "ORG", "Intelligence Ministry");
    ck_assert_str_eq(
        summary(d),
        "direct|Maria Chen|said|We will sign ## direct|US Treasury|said|It is a warning");
    galley_doc_free(d);
}
END_TEST

START_TEST(interrupted_and_multi_paragraph_quotes_are_pieces)
{
    galley_doc *d =
        doc_of("“We will not stop here,” Vikre said, “and the next step comes in May.”\n"
               "“This is only the beginning.\n“Nobody will stop us,” she added.\n"
               "“The vote is in June.”");
    entity(d, "Vikre", "PERSON", "Oddny Vikre");
    galley_layer *l = run(d);
    ck_assert_uint_eq(galley_layer_size(l), 2);
    galley_span *a = galley_layer_at(l, 0), *b = galley_layer_at(l, 1);
    const galley_value *pa = galley_object_get(a->fields, "pieces");
    const galley_value *pb = galley_object_get(b->fields, "pieces");
    ck_assert_uint_eq(galley_array_size(galley_value_array(pa)), 2);
    ck_assert_str_eq(galley_object_get_str(a->fields, "kind"), "direct");
    ck_assert_str_eq(galley_object_get_str(a->fields, "speaker"), "Oddny Vikre");
    ck_assert_str_eq(galley_object_get_str(a->fields, "text"),
                     "We will not stop here and the next step comes in May.");
    /* Over paragraphs, and continued after the cue: one quote, three pieces. */
    ck_assert_uint_eq(galley_array_size(galley_value_array(pb)), 3);
    ck_assert_str_eq(galley_object_get_str(b->fields, "speaker"), "Oddny Vikre");
    galley_doc_free(d);
}
END_TEST

START_TEST(the_issues_missed_speakers)
{
    /* Nominal and appositive sources after the quote, a continuation
     * after "said X.", a colon lead-in without a verb, "added:". */
    galley_doc *d = doc_of("“The vote was a disgrace,” wrote the Tribune.\n"
                           "“Prices will rise,” according to the report.\n"
                           "“We will not back down,” said Sen. Dana Ortiz, a Republican.\n"
                           "Markets fell on Monday, said Lee Park at Halvern Capital. "
                           "“The market reaction was swift and brutal.”\n"
                           "Maria Chen, Channel 9: “The bridge is closed until further notice.”\n"
                           "The mayor added: “Nobody was hurt in the collapse.”");
    entity(d, "Tribune", "ORG", "Chicago Tribune");
    entity(d, "Dana Ortiz", "PERSON", "Dana Ortiz");
    entity(d, "Lee Park", "PERSON", "Lee Park");
    entity(d, "Halvern Capital", "ORG", "Halvern Capital");
    entity(d, "Maria Chen", "PERSON", "Maria Chen");
    ck_assert_str_eq(summary(d),
                     "direct|Chicago Tribune|wrote|The vote was a disgrace ## "
                     "direct|the report|according to|Prices will rise ## "
                     "direct|Dana Ortiz|said|We will not back down ## "
                     "direct|Lee Park|said|The market reaction was swift and brutal. ## "
                     "direct|Maria Chen|:|The bridge is closed until further notice. ## "
                     "direct|The mayor|added|Nobody was hurt in the collapse.");
    galley_doc_free(d);
}
END_TEST

START_TEST(participles_and_as_stated)
{
    /* "…, adding that": the subject of the sentence's first cue; "as
     * stated in X": X, not "as". */
    galley_doc *d = doc_of("Foreign Ministry spokesman Nasser Kanaani said the plot had been "
                           "designed in Washington, adding that Tirana had fallen victim to it.\n"
                           "“Collective defense means that an attack against one ally is an "
                           "attack against all,” as stated on NATO’s website.");
    entity(d, "Nasser Kanaani", "PERSON", "Nasser Kanaani");
    entity(d, "Washington", "LOC", "Washington");
    entity(d, "Tirana", "LOC", "Tirana");
    entity(d, "NATO", "ORG", "NATO");
    ck_assert_str_eq(summary(d),
                     "indirect|Nasser Kanaani|said|the plot had been designed in Washington ## "
                     "indirect|Nasser Kanaani|adding|that Tirana had fallen victim to it ## "
                     "direct|NATO|stated|Collective defense means that an attack against one "
                     "ally is an attack against all");
    galley_doc_free(d);
}
END_TEST

START_TEST(vox_pop_signed_with_a_dash)
{
    galley_doc *d = doc_of("Voters told us what they think.\n"
                           "“He does not speak for me and never has.” ― Esther Tapia\n");
    entity(d, "Esther Tapia", "PERSON", "Esther Tapia");
    ck_assert_str_eq(summary(d),
                     "indirect|Voters|told|what they think ## "
                     "direct|Esther Tapia|―|He does not speak for me and never has.");
    galley_doc_free(d);
}
END_TEST

START_TEST(title_line_is_never_a_speaker)
{
    /* The headline repeated as the first line (five title-case words,
     * tagged PERSON by a careless tagger) is no antecedent for "he". */
    galley_doc *d = doc_of("Harbour Strike Ends After Long Talks\n\n“We have a deal,” he said.");
    galley_object_set_str(galley_doc_meta(d), "title", "Harbour Strike Ends After Long Talks");
    entity(d, "Harbour Strike Ends", "PERSON", "Harbour Strike Ends");
    galley_layer *l = run(d);
    ck_assert_uint_eq(galley_layer_size(l), 1);
    galley_span *q = galley_layer_at(l, 0);
    ck_assert(galley_object_get_str(q->fields, "speaker") == NULL);
    ck_assert_str_eq(galley_object_get_str(q->fields, "speaker_kind"), "pronoun");
    galley_doc_free(d);
}
END_TEST

START_TEST(missing_marks_are_bounded_and_flagged)
{
    galley_doc *d = doc_of("Kello said: “The port will close and nobody told us\n"
                           "The ministry did not comment on Tuesday.");
    entity(d, "Kello", "PERSON", "Tarvo Kello");
    ck_assert_str_eq(summary(d),
                     "direct|Tarvo Kello|said|The port will close and nobody told us|flagged");
    galley_doc_free(d);
}
END_TEST

START_TEST(apostrophes_nesting_and_guillemets)
{
    galley_doc *d = doc_of("Iran’s envoy said the US doesn’t care.\n"
                           "Pelic said: “They called it ‘a disgrace’ and we agree.”\n"
                           "«Nous sommes prêts», Pelic said.\n"
                           "''It is a fair plan,'' Pelic said.");
    entity(d, "Pelic", "PERSON", "Zorana Pelic");
    ck_assert_str_eq(summary(d),
                     "indirect|Iran’s envoy|said|the US doesn’t care ## "
                     "direct|Zorana Pelic|said|They called it ‘a disgrace’ and we agree. ## "
                     "direct|Zorana Pelic|said|Nous sommes prêts ## "
                     "direct|Zorana Pelic|said|It is a fair plan");
    galley_doc_free(d);
}
END_TEST

START_TEST(indirect_speech)
{
    galley_doc *d = doc_of("Iravani said on Tuesday that Iran had never attacked Albania.\n"
                           "The weather was fine.");
    entity(d, "Iravani", "PERSON", "Saeed Iravani");
    ck_assert_str_eq(summary(d),
                     "indirect|Saeed Iravani|said|that Iran had never attacked Albania");
    galley_doc_free(d);
}
END_TEST

START_TEST(works_without_entities)
{
    galley_doc *d = doc_of("“The talks failed,” Marta Kowalczyk said.");
    ck_assert_str_eq(summary(d), "direct|Marta Kowalczyk|said|The talks failed");
    galley_doc_free(d);
}
END_TEST

START_TEST(bad_input_linear_and_bounded)
{
    size_t n = 200000;
    char *s = malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 2 * i, i % 3 ? "\" " : "a ", 2);
    s[2 * n] = '\0';
    galley_doc *d = doc_of(s);
    run(d);
    galley_doc_free(d);
    /* A whole document that is one quote, and ten levels of nesting. */
    d = doc_of("“One long quote that never ends and never closes its mark at all");
    ck_assert_uint_eq(galley_layer_size(run(d)), 1);
    galley_doc_free(d);
    d = doc_of("He said: “a ‘b “c ‘d “e ‘f “g ‘h “i ‘j” k’ l” m’ n” o’ p” q’ r” s’ t” u’ v.”");
    run(d);
    galley_doc_free(d);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("quotes");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, direct_after_and_before);
    tcase_add_test(tc, according_to_and_statement);
    tcase_add_test(tc, partial_scare_and_title);
    tcase_add_test(tc, short_sentence_quote_is_direct);
    tcase_add_test(tc, pronouns_and_nominal_references);
    tcase_add_test(tc, pronoun_gender_and_subject);
    tcase_add_test(tc, interrupted_and_multi_paragraph_quotes_are_pieces);
    tcase_add_test(tc, the_issues_missed_speakers);
    tcase_add_test(tc, participles_and_as_stated);
    tcase_add_test(tc, vox_pop_signed_with_a_dash);
    tcase_add_test(tc, title_line_is_never_a_speaker);
    tcase_add_test(tc, missing_marks_are_bounded_and_flagged);
    tcase_add_test(tc, apostrophes_nesting_and_guillemets);
    tcase_add_test(tc, indirect_speech);
    tcase_add_test(tc, works_without_entities);
    tcase_add_test(tc, bad_input_linear_and_bounded);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
