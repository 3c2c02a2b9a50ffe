/* test_text.c - unit tests of tokenize.c and sentences.c: tokens, sentences, paragraphs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

/* The tokens of s joined by |, so that a check compares a whole tokenization at
 * once. The string is static: the next call overwrites it, and it holds at most
 * 2047 bytes. */
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

/* The sentences of s joined by " | ", in a static string as tokens_of's. */
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
    ck_assert_str_eq(sentences_of("No stop here\nNew paragraph. Two"),
                     "No stop here | New paragraph. | Two");
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

GALLEY_TEST_MAIN("text", tokenizer_cases, sentence_splitter_cases)
