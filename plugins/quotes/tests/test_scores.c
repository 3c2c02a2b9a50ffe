/* test_scores.c - the quotes tagger's fast scores are exact: for every
 * stretch of a few documents, the scores quotes_scores sums through its
 * copied finite rows and its word and row caches equal, integer for
 * integer, the sums of the model's weights over the features training
 * sees (quotes_features), with a cold cache and a warm one. Built from
 * the stage's own sources with its shipped model and lists. */
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
    "Президент сказал: «Мы не отступим». Ζωή Κωνσταντοπούλου told reporters that it was over.",
};

START_TEST(fast_scores_equal_model_sums)
{
    galley_error err = { 0 };
    quotes_res res;
    memset(&res, 0, sizeof res);
    ck_assert_msg(quotes_res_load_lists(&res, DATA_DIR, NULL, &err) == 0, "%s", err.message);
    res.model = galley_model_open(DATA_DIR "/quotes.model", quotes_template_hash(&res), &err);
    ck_assert_msg(res.model != NULL, "%s", err.message);
    res.fast = quotes_fast_new(res.model);
    quotes_cache *cache = calloc(1, sizeof *cache);
    ck_assert(res.fast && cache);
    size_t L = galley_model_nlabels(res.model), checked = 0;
    for (int round = 0; round < 2; round++) /* the second round hits the caches */
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            galley_doc *doc = galley_doc_new("t", texts[k], strlen(texts[k]));
            quotes_ctx c;
            quotes_ctx_init(&c, &res, doc, NULL);
            quotes_find_marks(&c, 20000);
            quotes_seg *segs;
            size_t nseg;
            quotes_segments(&c, &segs, &nseg);
            for (size_t s = 0; s < nseg; s++) {
                int32_t *fast;
                size_t n, nf;
                quotes_scores(&c, cache, &segs[s], &fast, &n);
                uint64_t *feats;
                uint32_t *rows;
                quotes_features(&c, &segs[s], &feats, &rows, &nf);
                ck_assert_uint_eq(n, nf);
                int32_t *full = calloc(n * L + 1, sizeof *full);
                for (size_t i = 0; i < n; i++)
                    for (uint32_t f = rows[i]; f < rows[i + 1]; f++)
                        galley_model_add(res.model, feats[f], full + i * L);
                ck_assert_msg(memcmp(fast, full, n * L * sizeof *full) == 0,
                              "text %zu stretch %zu: fast scores differ", k, s);
                checked += n;
                free(full);
            }
            galley_doc_free(doc);
        }
    ck_assert_uint_gt(checked, 50);
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
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
