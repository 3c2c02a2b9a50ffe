/* test_tagger.c - the tagger's cache is exact: the scores it sums per
 * word type and offset equal, integer for integer, the sums over every
 * feature that training sees (entities_token_features), with a cache large
 * enough to keep every word and with one so small that words evict each
 * other; and the stage's spans follow the labels. Built from the stage's
 * own sources, with its shipped model and data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../entities.h"
#include "tap_check.h"

static const char *const texts[] = {
    "Foreign Ministry spokesman Nasser Kanaani said on Saturday that Iran's Intelligence Ministry "
    "was not involved.\nKanaani added that the Vienna Convention applied.",
    "SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT.\n"
    "AL-AIN, United Arab Emirates 1996-12-06\n"
    "Japan began the defence of their Asian Cup title with a lucky 2-1 win against Syria.",
    "Feyenoord 5 3 1 1 10 6 10\nAjax 5 3 0 2 9 4 9\nGiven, Breen, Staunton, Irwin, McAteer.",
    "x",
    "Президент Путин и 習近平 встретились в Москве. Ζωή Κωνσταντοπούλου spoke.",
};

static entities_base base;
static galley_model *model;

/* Loads the shipped lists and model. */
static void setup(void)
{
    galley_error err = { 0 };
    ck_assert_msg(entities_base_load(&base, DATA_DIR, ".", NULL, &err) == 0, "%s", err.message);
    model = galley_model_open(DATA_DIR "/" ENTITIES_MODEL_FILE, entities_template_hash(&base.res),
                              &err);
    ck_assert_msg(model != NULL, "%s", err.message);
}

/* Releases them. */
static void teardown(void)
{
    galley_model_close(model);
    entities_base_free(&base);
}

/* Compares the cached scores of every sentence of every text with the
 * sums over the full feature lists. */
static void check_exact(size_t cache_words)
{
    galley_error err = { 0 };
    entities_tagger tg;
    ck_assert_int_eq(entities_tagger_init(&tg, model, &base.res, cache_words, &err), 0);
    size_t L = galley_model_nlabels(model);
    for (int round = 0; round < 2; round++) /* the second round hits the cache */
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            galley_doc *doc = galley_doc_new("t", texts[k], strlen(texts[k]));
            entities_doc_view v;
            entities_doc_view_build(&base.res, doc, galley_doc_arena(doc), &v);
            size_t nsent;
            const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
            for (size_t s = 0; s < nsent; s++) {
                size_t first = sent[s].first_token, end = first + sent[s].ntokens;
                int32_t *cached = calloc((end - first) * L, sizeof *cached);
                int32_t *full = calloc((end - first) * L, sizeof *full);
                entities_tagger_score(&tg, &v, first, end, cached);
                uint64_t feats[ENTITIES_OFFSETS * ENTITIES_MAX_WORD_FEATURES +
                               ENTITIES_MAX_CONTEXT_FEATURES];
                for (size_t i = first; i < end; i++) {
                    size_t nf = entities_token_features(&base.res, &v, first, end, i, feats);
                    for (size_t f = 0; f < nf; f++)
                        galley_model_add(model, feats[f], full + (i - first) * L);
                }
                ck_assert_msg(memcmp(cached, full, (end - first) * L * sizeof *full) == 0,
                              "text %zu sentence %zu: cached scores differ", k, s);
                free(cached);
                free(full);
            }
            galley_doc_free(doc);
        }
    ck_assert(tg.hits > 0 && tg.misses > 0);
    entities_tagger_free(&tg);
}

START_TEST(cache_is_exact)
{
    check_exact(1 << 14);
}
END_TEST

START_TEST(evicting_cache_is_exact)
{
    check_exact(16);
}
END_TEST

START_TEST(spans_follow_labels)
{
    galley_error err = { 0 };
    entities_instance inst;
    ck_assert_int_eq(entities_instance_init(&inst, &base, model, 1, &err), 0);
    ck_assert_int_ge(entities_tagger_type(&inst.tagger, "PER"), 0);
    ck_assert_int_eq(entities_tagger_type(&inst.tagger, "PERSON"), -1);
    galley_doc *doc = galley_doc_new("t", texts[0], strlen(texts[0]));
    entities_instance_tag(&inst, doc);
    galley_layer *l = galley_doc_layer(doc, "entities");
    ck_assert_ptr_nonnull(l);
    int person = 0;
    for (size_t i = 0; i < galley_layer_size(l); i++) {
        galley_span *s = galley_layer_at(l, i);
        const char *type = galley_object_get_str(s->fields, "type");
        person += strcmp(type, "PERSON") == 0;
        ck_assert(strcmp(type, "PER") != 0); /* the layer's names, not the model's */
    }
    ck_assert_int_ge(person, 2);
    galley_doc_free(doc);
    entities_instance_free(&inst);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tagger");
    TCase *tc = tcase_create("tagger");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, cache_is_exact);
    tcase_add_test(tc, evicting_cache_is_exact);
    tcase_add_test(tc, spans_follow_labels);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
