/* test_scores.c - the quotes tagger's fast scores are exact: for every
 * stretch of a few documents, the scores quotes_scores sums through its
 * copied finite rows and its word and row caches equal, integer for
 * integer, the sums of the model's weights over the features training
 * sees (quotes_features), with a cold cache and a warm one, for both
 * passes (the stack model's over quotes_stack_features), also when two
 * words of a stretch share a cache slot. Built from the stage's own
 * sources with its shipped models and lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../quotes.h"
#include "tap_check.h"

static const char *const texts[] = {
    "“We have restored every line,” Energy Minister Tomas Giedraitis said on Friday, "
    "“and the last one came back at noon.”\n"
    "He called the attack “an act of sabotage.” According to the ministry, the grid was safe.",
    "PENCE: Well, look, this is serious business.\n\n\"WALLACE: Why would Trump do that?\n\n"
    "Officials said: \"We will not back down.\" The report said the talks had failed.",
    "x",
    "He said “no,” and “yes,” then she said it, adding that the vote was due to close: “Soon.”",
    "Президент сказал: «Мы не отступим». Ζωή Κωνσταντοπούλου told reporters that it was over.",
};

/* The shipped lists and both models, their rows copied, as the stage
 * has them. */
static void open_res(quotes_res *res)
{
    galley_error err = { 0 };
    memset(res, 0, sizeof *res);
    ck_assert_msg(quotes_res_load_lists(res, DATA_DIR, NULL, &err) == 0, "%s", err.message);
    const char *first = DATA_DIR "/quotes.model", *stack = DATA_DIR "/quotes-stack.model";
    res->model = galley_model_open(first, quotes_template_hash(res), &err);
    ck_assert_msg(res->model != NULL, "%s", err.message);
    res->stack =
        galley_model_open(stack, quotes_stack_template_hash(res, quotes_file_hash(first)), &err);
    ck_assert_msg(res->stack != NULL, "%s", err.message);
    res->fast = quotes_fast_new(res->model);
    res->stack_fast = quotes_fast_new(res->stack);
    ck_assert(res->fast && res->stack_fast);
}

/* Checks every stretch of `text`: both passes' fast scores equal the
 * sums of their models' weights over the features training makes (the
 * stack pass's from the first pass's labels and margins as quotes_tag
 * leaves them). Returns the tokens checked. */
static size_t check_text(const quotes_res *res, quotes_cache *cache, const char *text)
{
    size_t L = galley_model_nlabels(res->model), checked = 0;
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    quotes_ctx c;
    quotes_ctx_init(&c, res, doc, NULL);
    quotes_find_marks(&c, 20000);
    quotes_tag(&c, cache);
    ck_assert(c.label1 && c.margin1);
    quotes_seg *segs;
    size_t nseg;
    quotes_segments(&c, &segs, &nseg);
    for (size_t s = 0; s < nseg; s++)
        for (int pass = 0; pass < 2; pass++) {
            size_t first = segs[s].first, n, nf;
            int32_t *fast;
            quotes_scores(&c, cache, &segs[s], pass, c.label1 + first, c.margin1 + first, &fast,
                          &n);
            uint64_t *feats;
            uint32_t *rows;
            if (pass)
                quotes_stack_features(&c, &segs[s], c.label1 + first, c.margin1 + first, &feats,
                                      &rows, &nf);
            else
                quotes_features(&c, &segs[s], &feats, &rows, &nf);
            ck_assert_uint_eq(n, nf);
            if (pass) { /* every stack value within its template's rows */
                uint32_t *sv;
                galley_arena *a = galley_arena_new(0);
                quotes_stack_values(&c, &segs[s], c.label1 + first, c.margin1 + first, a, &sv,
                                    NULL);
                for (size_t i = 0; i < n * QUOTES_NSTACK; i++)
                    ck_assert_msg(sv[i] < quotes_stack_nvalues((int)(i % QUOTES_NSTACK)),
                                  "stack template %zu: value %u of %u", i % QUOTES_NSTACK, sv[i],
                                  quotes_stack_nvalues((int)(i % QUOTES_NSTACK)));
                galley_arena_free(a);
            }
            const galley_model *m = pass ? res->stack : res->model;
            int32_t *full = calloc(n * L + 1, sizeof *full);
            for (size_t i = 0; i < n; i++)
                for (uint32_t f = rows[i]; f < rows[i + 1]; f++)
                    galley_model_add(m, feats[f], full + i * L);
            ck_assert_msg(memcmp(fast, full, n * L * sizeof *full) == 0,
                          "\"%.40s\" stretch %zu pass %d: fast scores differ", text, s, pass);
            checked += n;
            free(full);
        }
    galley_doc_free(doc);
    return checked;
}

START_TEST(fast_scores_equal_model_sums)
{
    quotes_res res;
    open_res(&res);
    quotes_cache *cache = calloc(1, sizeof *cache);
    ck_assert(cache);
    size_t checked = 0;
    for (int round = 0; round < 2; round++) /* the second round hits the caches */
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
            checked += check_text(&res, cache, texts[k]);
    ck_assert_uint_gt(checked, 100);
    quotes_cache_free(cache);
    quotes_res_free(&res);
}
END_TEST

/* What the stack templates see of a first pass that labelled "Officials"
 * a source, "said" a cue and the rest content: the labels around each
 * token (two a side), the cue and source before it and how far, the complementizer
 * between the cue and the token, what is between a token and the cue
 * after it, and what the stretch holds. */
START_TEST(stack_values_see_the_first_pass)
{
    quotes_res res;
    open_res(&res);
    const char *text = "Officials said that the deal, they said, had failed.";
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    quotes_ctx c;
    quotes_ctx_init(&c, &res, doc, NULL);
    quotes_find_marks(&c, 20000);
    quotes_seg *segs;
    size_t nseg;
    quotes_segments(&c, &segs, &nseg);
    ck_assert_uint_eq(nseg, 1);
    size_t n = segs[0].last - segs[0].first;
    ck_assert_uint_eq(n, 12); /* Officials said that the deal , they said , had failed . */
    uint16_t l1[12] = { QUOTES_L_B_SRC, QUOTES_L_B_CUE, QUOTES_L_B_CON, QUOTES_L_I_CON,
                        QUOTES_L_I_CON, QUOTES_L_O,     QUOTES_L_B_SRC, QUOTES_L_B_CUE,
                        QUOTES_L_O,     QUOTES_L_B_CON, QUOTES_L_I_CON, QUOTES_L_O };
    int32_t m1[12] = { -5, 10, 2000, 5000, 0, 0, 0, 0, 0, 0, 0, 0 };
    uint32_t *sv;
    quotes_stack_values(&c, &segs[0], l1, m1, c.a, &sv, NULL);
#define SV(i, k) sv[(i)*QUOTES_NSTACK + (k)]
    /* "Officials": its label and a margin below zero; nothing to its left. */
    ck_assert_uint_eq(SV(0, 0), QUOTES_L_B_SRC * 4 + 0);
    for (int k = 1; k <= 2; k++)
        ck_assert_uint_eq(SV(0, k), QUOTES_NLABELS);
    ck_assert_uint_eq(SV(0, 3), QUOTES_L_B_CUE); /* +1 */
    ck_assert_uint_eq(SV(0, 4), QUOTES_L_B_CON); /* +2: "that" */
    ck_assert_uint_eq(SV(6, 1), QUOTES_L_I_CON); /* "they", -2: "deal" */
    /* ... a cue right after it, nothing between; the last cue after it
     * has a comma between. */
    ck_assert_uint_eq(SV(0, 7), 0 * 8 + 1 + 1);
    ck_assert_uint_eq(SV(0, 10), 1);
    ck_assert_uint_eq(SV(4, 10), 1 + 1); /* "deal": a comma before "said" */
    /* "the": after the cue "said" with "that" between, the cue 2 back,
     * the source 3 back; cue and source before it (bits 0 and 2) and
     * after it (bits 1 and 3), and it is content. */
    ck_assert_uint_eq(SV(3, 9), 2 * 2 + 0);
    ck_assert_uint_eq(SV(3, 7), (2 + 1) * 8 + (4 + 1));
    ck_assert_uint_eq(SV(3, 8), (3 + 1) * 8 + (3 + 1));
    ck_assert_uint_eq(SV(3, 6), 15 * 4 + 3);
    ck_assert_uint_eq(SV(3, 0), QUOTES_L_I_CON * 4 + 3);
    /* The nearest likely cue word (cue-words.txt) each side of "the":
     * "said" 2 back with "that" between, "said" 4 on with a comma between. */
    ck_assert_uint_eq(SV(3, 14), (1 + 1) * 8 + 2 + 1);
    ck_assert_uint_eq(SV(3, 15), (1 + 1) * 8 + 4);
    /* "that" itself: right after the cue, nothing between yet. */
    ck_assert_uint_eq(SV(2, 9), 1 * 2 + 0);
    /* The type trigram of "said": source, cue, content. */
    ck_assert_uint_eq(SV(1, 5), 1 * 25 + 2 * 5 + 3);
    /* The stretch holds all three types, and so does the sentence. */
    ck_assert_uint_eq(SV(5, 11), 7 * 2 + 1);
    /* One sentence: none before it or after it in the stretch. */
    ck_assert_uint_eq(SV(5, 12), 8 * 9 + 8);
#undef SV
    galley_doc_free(doc);
    quotes_res_free(&res);
}
END_TEST

/* Reads the words (first column) of a data list into v (at most max). */
static size_t read_words(const char *path, char (*v)[32], size_t max)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    char line[256];
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        size_t len = strcspn(line, "\t\n");
        if (len == 0 || len >= 32)
            continue;
        memcpy(v[n], line, len);
        v[n++][len] = '\0';
    }
    fclose(f);
    return n;
}

/* Two words of one stretch whose ids share a slot of the direct-mapped
 * word cache: the second one's lookup evicts the first's entry, and the
 * first must still score with its own rows (it scored with the second
 * word's rows before the stretch kept a private copy). */
START_TEST(word_cache_collisions_score_exactly)
{
    quotes_res res;
    open_res(&res);
    quotes_cache *cache = calloc(1, sizeof *cache);
    static char words[12000][32];
    size_t n = read_words(DATA_DIR "/given-names.txt", words, 10000);
    n += read_words(DATA_DIR "/cue-words.txt", words + n, 2000);
    ck_assert_uint_gt(n, 1000);
    int32_t *slot = malloc(QUOTES_WORD_CACHE * sizeof *slot);
    for (size_t i = 0; i < QUOTES_WORD_CACHE; i++)
        slot[i] = -1;
    size_t pairs = 0, checked = 0;
    for (size_t i = 0; i < n && pairs < 60; i++) {
        words[i][0] =
            (char)(words[i][0] >= 'a' && words[i][0] <= 'z' ? words[i][0] - 32 : words[i][0]);
        size_t k = quotes_word_id(words[i], strlen(words[i])) & (QUOTES_WORD_CACHE - 1);
        if (slot[k] < 0) {
            slot[k] = (int32_t)i;
            continue;
        }
        char text[256];
        snprintf(text, sizeof text, "“It was %s,” %s said, and %s agreed with %s.", words[slot[k]],
                 words[i], words[slot[k]], words[i]);
        checked += check_text(&res, cache, text);
        pairs++;
    }
    ck_assert_uint_ge(pairs, 60);
    ck_assert_uint_gt(checked, 600);
    free(slot);
    quotes_cache_free(cache);
    quotes_res_free(&res);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scores");
    TCase *tc = tcase_create("scores");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fast_scores_equal_model_sums);
    tcase_add_test(tc, word_cache_collisions_score_exactly);
    tcase_add_test(tc, stack_values_see_the_first_pass);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
