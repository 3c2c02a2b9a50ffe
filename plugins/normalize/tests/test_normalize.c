/* test_normalize.c - the normalize stage alone: each repair, each kind of
 * boilerplate, the dateline, and text that must not change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

/* A new document of `text` after a normalize instance of its own, opened
 * with these settings (NULL: the defaults) and closed again; the test
 * fails when the stage refuses either. The caller frees the document. */
static galley_doc *norm(const char *text, const char *const *settings)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("normalize", settings, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    ck_assert_msg(galley_stage_run(h, doc, &err) == 0, "run: %s", err.message);
    galley_stage_close(h);
    return doc;
}

#define CHECK_TEXT(in, want)                                                                       \
    do {                                                                                           \
        galley_doc *d_ = norm(in, NULL);                                                           \
        ck_assert_str_eq(galley_doc_text(d_), want);                                               \
        galley_doc_free(d_);                                                                       \
    } while (0)

/* One count of metadata.normalize ("chars_changed", ...), or -1 when the
 * stage did not write it. */
static int64_t stat_of(galley_doc *d, const char *key)
{
    galley_object *s = galley_object_get_object(galley_doc_meta(d), "normalize");
    return galley_object_get_int(s, key, -1);
}

/* How many lines the stage removed for `reason` ("nav", "title", ...):
 * 0 when none was. */
static int64_t removed_for(galley_doc *d, const char *reason)
{
    galley_object *s = galley_object_get_object(galley_doc_meta(d), "normalize");
    return galley_object_get_int(galley_object_get_object(s, "lines_removed"), reason, 0);
}

START_TEST(clean_text_passes_byte_for_byte)
{
    const char *clean = "Zürich’s café reopened on Monday, officials said.\n"
                        "“We are glad,” the mayor said. Prices rose 3.5% in 2025.\n\n"
                        "Edi Rama\nA second paragraph — with a dash.";
    galley_doc *d = norm(clean, NULL);
    ck_assert_str_eq(galley_doc_text(d), clean);
    ck_assert_int_eq(stat_of(d, "chars_changed"), 0);
    ck_assert_int_eq(stat_of(d, "mojibake_repaired"), 0);
    galley_doc_free(d);
}
END_TEST

START_TEST(mojibake_repaired_latin1_kept)
{
    galley_doc *d = norm(
        "Lithuaniaâ€™s chief VaitkutÄ— said â€œnoâ€\xC2\x9D. CafÃ© in ZÃ¼rich, not Zürich.", NULL);
    ck_assert_str_eq(galley_doc_text(d),
                     "Lithuania’s chief Vaitkutė said “no”. Café in Zürich, not Zürich.");
    ck_assert_int_eq(stat_of(d, "mojibake_repaired"), 6);
    galley_doc_free(d);
    CHECK_TEXT("The deal was â€œdoneâ€ today.", "The deal was “done” today.");
    CHECK_TEXT("Price: 5Â€ or Â£3", "Price: 5Â€ or £3");
}
END_TEST

START_TEST(entities_decoded_once)
{
    CHECK_TEXT("Q&amp;A: it&#8217;s &quot;ok&quot; &#x2014; &nbsp;yes &bogus; &amp;amp;",
               "Q&A: it’s \"ok\" — yes &bogus; &amp;");
}
END_TEST

START_TEST(html_tags_removed_when_html)
{
    CHECK_TEXT("<p>First <b>bold</b> para.</p><p>Second.<br>Third.</p><script>var x=1;</script>",
               "First bold para.\n\nSecond.\nThird.");
    /* A lone "<" in text is not HTML. */
    CHECK_TEXT("Turnout was <50% in 3 < 4 districts.", "Turnout was <50% in 3 < 4 districts.");
}
END_TEST

START_TEST(invisible_and_odd_characters)
{
    CHECK_TEXT("\xEF\xBB\xBFThe\xE2\x80\x8B ban\xC2\xAD"
               "ned\xC2\xA0 \xE2\x80\x89word\x07s\tend",
               "The banned words end");
}
END_TEST

START_TEST(quote_variants_mapped_and_straightened)
{
    CHECK_TEXT("„Ja″ and ‹oui›", "“Ja” and ‘oui’");
    const char *const straight[] = { "straighten_quotes=true", NULL };
    galley_doc *d = norm("“Yes,” he said, ‘no’.", straight);
    ck_assert_str_eq(galley_doc_text(d), "\"Yes,\" he said, 'no'.");
    galley_doc_free(d);
}
END_TEST

START_TEST(whitespace_and_paragraphs)
{
    CHECK_TEXT("  One   two  \r\nthree\n\n\n\n  four  \n", "One two\nthree\n\nfour");
}
END_TEST

START_TEST(nfc_and_nfkc)
{
    CHECK_TEXT("Cafe\xCC\x81 \xE2\x84\xAB", "Café Å");
    const char *const nfkc[] = { "form=nfkc", NULL };
    galley_doc *d = norm("ﬁle ①", nfkc);
    ck_assert_str_eq(galley_doc_text(d), "file 1");
    galley_doc_free(d);
}
END_TEST

/* The scan reads plain ASCII eight bytes at a time: what it must see is
 * found at every position within those eight. */
START_TEST(scan_finds_at_every_alignment)
{
    static const struct {
        const char *insert, *want;
    } cases[] = {
        { "\x7F", "" },   { "\x01", "" },      { "\t", " " },          { "  ", " " },
        { "&amp;", "&" }, { "\xC2\xA0", " " }, { "\xE2\x80\x8B", "" }, { "\r\n", "\n" },
    };
    const char *base = "Officials said the talks would resume within weeks";
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (size_t k = 1; k < 17; k++) {
            char in[256], want[256];
            snprintf(in, sizeof in, "%.*s%s%s", (int)k, base, cases[c].insert, base + k);
            snprintf(want, sizeof want, "%.*s%s%s", (int)k, base, cases[c].want, base + k);
            /* A space next to an inserted space collapses with it, and
             * lines are trimmed. */
            char *two;
            while ((two = strstr(want, "  ")) || (two = strstr(want, " \n")))
                memmove(two, two + 1, strlen(two));
            while ((two = strstr(want, "\n ")))
                memmove(two + 1, two + 2, strlen(two + 1));
            galley_doc *d = norm(in, NULL);
            ck_assert_msg(strcmp(galley_doc_text(d), want) == 0, "case %zu at %zu: got \"%s\"", c,
                          k, galley_doc_text(d));
            galley_doc_free(d);
        }
}
END_TEST

START_TEST(nfkc_spacing_marks_are_laid_out)
{
    /* NFKC makes U+00A8 a space and a combining diaeresis. */
    const char *const nfkc[] = { "form=nfkc", NULL };
    galley_doc *d = norm("Word \xC2\xA8 end", nfkc);
    ck_assert_str_eq(galley_doc_text(d), "Word \xCC\x88 end");
    galley_doc_free(d);
}
END_TEST

START_TEST(boilerplate_each_kind)
{
    galley_doc *d = norm("• Share on Facebook\nShare this article\nNews > World > Europe\n"
                         "The minister resigned on Friday.\n"
                         "Read more: Why ministers resign\nPhoto: Jan Novak/Reuters\n"
                         "Follow us on Twitter @NewsDesk\nPost with no comments.\n"
                         "© 2026 Example News. All rights reserved.\nTTC/KL/JM",
                         NULL);
    ck_assert_str_eq(galley_doc_text(d), "The minister resigned on Friday.");
    ck_assert_int_eq(removed_for(d, "nav"), 1);
    ck_assert_int_eq(removed_for(d, "share"), 2);
    ck_assert_int_eq(removed_for(d, "readmore"), 1);
    ck_assert_int_eq(removed_for(d, "credit"), 1);
    ck_assert_int_eq(removed_for(d, "social"), 1);
    ck_assert_int_eq(removed_for(d, "comments"), 1);
    ck_assert_int_eq(removed_for(d, "footer"), 1);
    ck_assert_int_eq(removed_for(d, "agency"), 1);
    galley_doc_free(d);
}
END_TEST

START_TEST(short_body_lines_stay)
{
    CHECK_TEXT("The prime minister spoke.\nEdi Rama\nHe left.",
               "The prime minister spoke.\nEdi Rama\nHe left.");
    CHECK_TEXT("- Prices rose, the bank said.", "- Prices rose, the bank said.");
}
END_TEST

START_TEST(glued_footer_sentence_cut)
{
    CHECK_TEXT("They left on Friday. All Content by Example Agency is licensed under a Creative "
               "Commons License.",
               "They left on Friday.");
}
END_TEST

START_TEST(dateline_to_metadata)
{
    static const struct {
        const char *in, *dateline, *text;
    } cases[] = {
        { "TEHRAN— In its latest move, the US acted.", "TEHRAN",
          "In its latest move, the US acted." },
        { "KAUNAS, Lithuania (Baltic Wire) — The grid failed.", "KAUNAS, Lithuania (Baltic Wire)",
          "The grid failed." },
        { "WASHINGTON (Reuters) - Officials said no.", "WASHINGTON (Reuters)",
          "Officials said no." },
        { "TALLINN, Sept. 17 (TTC) - Estonia raised its alert.", "TALLINN, Sept. 17 (TTC)",
          "Estonia raised its alert." },
        { "VILNIUS —\nNATO will send a team.", "VILNIUS", "NATO will send a team." },
        { "(Baltic Wire) — Lithuania said this.", "(Baltic Wire)", "Lithuania said this." },
        { "GDAŃSK, Poland (Baltic Wire) — The port reopened.", "GDAŃSK, Poland (Baltic Wire)",
          "The port reopened." },
        { "TROMSØ —\nÅsa Berg said no.", "TROMSØ", "Åsa Berg said no." },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        galley_doc *d = norm(cases[i].in, NULL);
        ck_assert_str_eq(galley_object_get_str(galley_doc_meta(d), "dateline"), cases[i].dateline);
        ck_assert_str_eq(galley_doc_text(d), cases[i].text);
        galley_doc_free(d);
    }
    /* Not datelines: a sentence that starts with capitals, a hyphenated word. */
    galley_doc *d = norm("NATO - the alliance - met today.", NULL);
    ck_assert_ptr_null(galley_object_get(galley_doc_meta(d), "dateline"));
    galley_doc_free(d);
    d = norm("UN-backed talks resumed.", NULL);
    ck_assert_ptr_null(galley_object_get(galley_doc_meta(d), "dateline"));
    ck_assert_str_eq(galley_doc_text(d), "UN-backed talks resumed.");
    galley_doc_free(d);
}
END_TEST

START_TEST(all_boilerplate_is_rejected_empty)
{
    galley_doc *d = norm("Share this article\nPost with no comments.\n", NULL);
    ck_assert_int_eq(galley_doc_status(d), GALLEY_REJECTED);
    ck_assert_str_eq(galley_doc_status_reason(d), "empty");
    galley_doc_free(d);
    d = norm("", NULL);
    ck_assert_int_eq(galley_doc_status(d), GALLEY_REJECTED);
    galley_doc_free(d);
}
END_TEST

START_TEST(keep_removed_keeps_lines)
{
    const char *const keep[] = { "keep_removed=true", NULL };
    galley_doc *d = norm("Body text here.\nFollow us on X @desk", keep);
    const galley_value *v = galley_object_get(galley_doc_meta(d), "removed_lines");
    galley_array *arr = galley_value_array(v);
    ck_assert_uint_eq(galley_array_size(arr), 1);
    galley_object *r = galley_value_object(galley_array_at(arr, 0));
    ck_assert_str_eq(galley_object_get_str(r, "line"), "Follow us on X @desk");
    ck_assert_str_eq(galley_object_get_str(r, "reason"), "social");
    galley_doc_free(d);
}
END_TEST

START_TEST(pathological_input_is_linear)
{
    /* 4 MB without a newline, 1 MB of &amp;amp;..., 200k unmatched '<'. */
    size_t n = 4 << 20;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "word "[i % 5];
    big[n] = '\0';
    galley_doc *d = norm(big, NULL);
    ck_assert_uint_eq(galley_doc_text_len(d), big[n - 1] == ' ' ? n - 1 : n);
    galley_doc_free(d);
    size_t m = 1 << 20;
    char *amp = malloc(m + 16);
    strcpy(amp, "&");
    for (size_t i = 1; i + 4 < m; i += 4)
        memcpy(amp + i, "amp;", 5);
    d = norm(amp, NULL);
    ck_assert_uint_eq(galley_doc_text_len(d), strlen(amp) - 4);
    galley_doc_free(d);
    for (size_t i = 0; i < m; i++)
        amp[i] = i % 2 ? 'a' : '<';
    amp[m] = '\0';
    d = norm(amp, NULL);
    ck_assert_uint_eq(galley_doc_text_len(d), m);
    galley_doc_free(d);
    free(big);
    free(amp);
}
END_TEST

START_TEST(invalid_utf8_from_the_embed_api_is_repaired)
{
    /* Nothing repairs text handed to galley_doc_new by an embedder, as
     * the readers do for input: the document must, before any stage (and
     * its PCRE2 matches, which skip PCRE2's own UTF check) sees it. Lead
     * bytes at the end of short lines and of the text, a truncated
     * sequence, an overlong form, a surrogate, a NUL. */
    static const char bad[] =
        "Share this \xE2\nFollow us \xF0\x9F\n"
        "The grid \xC0\xAF failed \xED\xA0\x80 on Monday, the operator said.\n"
        "Ends\0here \xF4";
    galley_doc *d = galley_doc_new("u", bad, sizeof bad - 1);
    const char *t = galley_doc_text(d);
    ck_assert(galley_utf8_valid(t, galley_doc_text_len(d)));
    ck_assert_uint_eq(strlen(t), galley_doc_text_len(d));
    ck_assert_str_eq(
        t,
        "Share this \xEF\xBF\xBD\nFollow us \xEF\xBF\xBD\xEF\xBF\xBD\n"
        "The grid \xEF\xBF\xBD\xEF\xBF\xBD failed \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD on Monday, "
        "the operator said.\nEnds\xEF\xBF\xBDhere \xEF\xBF\xBD");
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("normalize", NULL, &err);
    ck_assert_msg(h != NULL, "open: %s", err.message);
    ck_assert_int_eq(galley_stage_run(h, d, &err), 0);
    ck_assert(galley_utf8_valid(galley_doc_text(d), galley_doc_text_len(d)));
    galley_doc_free(d);

    /* A rewritten text is checked the same way, and a text that is
     * valid already is kept as it is. */
    d = galley_doc_new("v", "clean", 5);
    ck_assert_int_eq(galley_doc_set_text(d, bad, sizeof bad - 1), 0);
    ck_assert(galley_utf8_valid(galley_doc_text(d), galley_doc_text_len(d)));
    ck_assert_uint_eq(strlen(galley_doc_text(d)), galley_doc_text_len(d));
    ck_assert_int_eq(galley_doc_set_text(d, "Zürich", strlen("Zürich")), 0);
    ck_assert_str_eq(galley_doc_text(d), "Zürich");
    ck_assert_int_eq(galley_stage_run(h, d, &err), 0);
    ck_assert_str_eq(galley_doc_text(d), "Zürich");
    galley_doc_free(d);
    galley_stage_close(h);
}
END_TEST

START_TEST(angle_bracket_names_are_text)
{
    /* Wire copy's company names are never tags, two of them included. */
    CHECK_TEXT("European consortium <Airbus Industrie> said <McDonnell Douglas Corp.> lost.",
               "European consortium <Airbus Industrie> said <McDonnell Douglas Corp.> lost.");
    CHECK_TEXT("<TIME WARNER INC.> and <Time Warner> and <time Warner> met.",
               "<TIME WARNER INC.> and <Time Warner> and <time Warner> met.");
    /* In HTML the markup goes and the names stay. */
    CHECK_TEXT("<p>Consortium <Airbus Industrie> said so.</p><p>Next.</p>",
               "Consortium <Airbus Industrie> said so.\n\nNext.");
    /* Comments, declarations, attributes, upper-case HTML, custom elements. */
    CHECK_TEXT("<!DOCTYPE html><!-- top --><DIV ALIGN=center>One <my-widget data-x='1'>two"
               "</my-widget></DIV>",
               "One two");
    /* Elements galley does not know are markup when their syntax says so
     * or the text closes them; a bare unknown name in HTML stays text. */
    CHECK_TEXT("<p>Said <tweet>so</tweet> and <DOC_ID>7</DOC_ID>, <x-note/> <Meta Name=\"a\">; "
               "<IBM> rose.</p>",
               "Said so and 7, ; <IBM> rose.");
    /* One tag-like span alone does not make a text HTML. */
    CHECK_TEXT("Use <b> for bold.", "Use <b> for bold.");
    /* A comment that never ends is text. */
    CHECK_TEXT("a <!-- b <i>c</i>", "a <!-- b c");
}
END_TEST

START_TEST(lists_stay_menus_go)
{
    const char *const keep[] = { "keep_removed=true", NULL };
    /* A bulleted list in the body, lower case or capitalised, stays. */
    CHECK_TEXT("The plan has three parts, the minister said.\n- cut fuel duty\n- Border Guards\n"
               "- School Meals\nIt starts in May.",
               "The plan has three parts, the minister said.\n- cut fuel duty\n- Border Guards\n"
               "- School Meals\nIt starts in May.");
    /* A menu above the story goes as nav, bulleted or not. */
    galley_doc *d =
        norm("• Home\n• World\nSport\nThe minister resigned on Friday, her office said.", keep);
    ck_assert_str_eq(galley_doc_text(d), "The minister resigned on Friday, her office said.");
    ck_assert_int_eq(removed_for(d, "nav"), 3);
    galley_doc_free(d);
    /* A lone capitalised line is no menu, nor a list after a lead-in. */
    CHECK_TEXT(
        "Baltic Wire\nThe minister resigned on Friday.\nCandidates:\n- Anna Lind\n- Jonas Berg",
        "Baltic Wire\nThe minister resigned on Friday.\nCandidates:\n- Anna Lind\n- Jonas Berg");
}
END_TEST

START_TEST(bad_pattern_file_is_refused)
{
    galley_error err = { 0 };
    const char *const missing[] = { "extra_boilerplate=/nonexistent/p.txt", NULL };
    ck_assert_ptr_null(galley_stage_open("normalize", missing, &err));
    ck_assert_str_eq(
        err.message,
        "/nonexistent/p.txt: cannot read boilerplate patterns: No such file or directory");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("stage");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, clean_text_passes_byte_for_byte);
    tcase_add_test(tc, mojibake_repaired_latin1_kept);
    tcase_add_test(tc, entities_decoded_once);
    tcase_add_test(tc, html_tags_removed_when_html);
    tcase_add_test(tc, invisible_and_odd_characters);
    tcase_add_test(tc, quote_variants_mapped_and_straightened);
    tcase_add_test(tc, whitespace_and_paragraphs);
    tcase_add_test(tc, nfc_and_nfkc);
    tcase_add_test(tc, scan_finds_at_every_alignment);
    tcase_add_test(tc, nfkc_spacing_marks_are_laid_out);
    tcase_add_test(tc, boilerplate_each_kind);
    tcase_add_test(tc, short_body_lines_stay);
    tcase_add_test(tc, glued_footer_sentence_cut);
    tcase_add_test(tc, dateline_to_metadata);
    tcase_add_test(tc, all_boilerplate_is_rejected_empty);
    tcase_add_test(tc, keep_removed_keeps_lines);
    tcase_add_test(tc, pathological_input_is_linear);
    tcase_add_test(tc, invalid_utf8_from_the_embed_api_is_repaired);
    tcase_add_test(tc, angle_bracket_names_are_text);
    tcase_add_test(tc, lists_stay_menus_go);
    tcase_add_test(tc, bad_pattern_file_is_refused);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
