/* test_tagger.c - the tagger's cache is exact: the scores it sums per
 * word type and offset equal, integer for integer, the sums over every
 * feature that training sees (entities_token_features), with a cache large
 * enough to keep every word and with one so small that words evict each
 * other, prediction history included; the history features say what
 * earlier mentions of a word were, and the shipped model uses them; and
 * the stage's spans follow the labels. Built from the stage's own
 * sources, with its shipped model and data. */
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
                /* The next sentences see this one as history (every
                 * token typed as the model's first type, or none). */
                int8_t *types = malloc(end - first);
                for (size_t i = first; i < end; i++)
                    types[i - first] = (int8_t)(i % 2 ? 0 : -1);
                entities_history_add(&v, first, end, types);
                free(types);
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

/* The features of token i of the sentence [first, end). */
static size_t features_of(entities_doc_view *v, size_t first, size_t end, size_t i, uint64_t *out)
{
    return entities_token_features(&base.res, v, first, end, i, out);
}

/* Does list a[0..na) hold id? */
static int has_id(const uint64_t *a, size_t na, uint64_t id)
{
    for (size_t k = 0; k < na; k++)
        if (a[k] == id)
            return 1;
    return 0;
}

START_TEST(history_sees_earlier_mentions)
{
    const char *text = "Magna said on Monday it would buy the firm.\n"
                       "Analysts said Magna would gain from it, and Lurie agreed.";
    galley_doc *doc = galley_doc_new("t", text, strlen(text));
    entities_doc_view v;
    entities_doc_view_build(&base.res, doc, galley_doc_arena(doc), &v);
    size_t nsent;
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    ck_assert_uint_eq(nsent, 2);
    size_t f1 = sent[1].first_token, e1 = f1 + sent[1].ntokens, magna = f1 + 2, lurie = e1 - 3;
    ck_assert(strncmp(text + v.tok[magna].start, "Magna", 5) == 0);
    ck_assert(strncmp(text + v.tok[lurie].start, "Lurie", 5) == 0);
    enum { CAP = ENTITIES_OFFSETS * ENTITIES_MAX_WORD_FEATURES + ENTITIES_MAX_CONTEXT_FEATURES };
    uint64_t before[CAP], as_org[CAP], as_per[CAP], lurie_before[CAP], lurie_after[CAP];
    size_t nb = features_of(&v, f1, e1, magna, before);
    size_t nl = features_of(&v, f1, e1, lurie, lurie_before);
    /* The first sentence tagged: Magna as type 1 (ORG in the shipped
     * model), the rest as none. */
    int8_t types[64];
    memset(types, -1, sizeof types);
    types[0] = 1;
    entities_history_add(&v, sent[0].first_token, sent[0].first_token + sent[0].ntokens, types);
    size_t no = features_of(&v, f1, e1, magna, as_org);
    ck_assert_uint_eq(no, nb + 2); /* the majority class, the set of classes */
    ck_assert_uint_eq(features_of(&v, f1, e1, lurie, lurie_after), nl); /* not seen before */
    ck_assert(memcmp(lurie_before, lurie_after, nl * sizeof *lurie_after) == 0);
    /* Another earlier type: other history features. */
    entities_doc_view w;
    entities_doc_view_build(&base.res, doc, galley_doc_arena(doc), &w);
    types[0] = 0;
    entities_history_add(&w, sent[0].first_token, sent[0].first_token + sent[0].ntokens, types);
    size_t np = features_of(&w, f1, e1, magna, as_per);
    ck_assert_uint_eq(np, nb + 2);
    size_t differ = 0, learned = 0;
    for (size_t k = 0; k < no; k++)
        if (!has_id(before, nb, as_org[k])) {
            differ += !has_id(as_per, np, as_org[k]);
            learned += galley_model_row(model, as_org[k]) != NULL;
        }
    ck_assert_uint_eq(differ, 2);
    ck_assert_uint_ge(learned, 1); /* the shipped model was trained with history */
    /* The tagger fills the history itself, sentence by sentence. */
    entities_tagger tg;
    galley_error err = { 0 };
    ck_assert_int_eq(entities_tagger_init(&tg, model, &base.res, 1 << 10, &err), 0);
    entities_doc_view t;
    entities_doc_view_build(&base.res, doc, galley_doc_arena(doc), &t);
    size_t n;
    entities_tagger_tag(&tg, doc, galley_doc_arena(doc), &t, &n);
    unsigned seen = 0;
    for (size_t k = 0; k < ENTITIES_HIST_CLASSES; k++)
        seen += t.hist[(size_t)t.agg_rec[magna] * ENTITIES_HIST_CLASSES + k];
    ck_assert_uint_eq(seen, 2); /* both mentions of Magna */
    entities_tagger_free(&tg);
    galley_doc_free(doc);
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
    tcase_add_test(tc, history_sees_earlier_mentions);
    tcase_add_test(tc, spans_follow_labels);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
