/* test_model.c - the sequence model in libgalley: feature ids, label
 * constraints, Viterbi, perceptron training on toy languages whose best
 * tagging is known, determinism, the model file (round trip, the shared
 * cache) and every way a model file can be bad; Viterbi against brute
 * force on random BIO and BILOU tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "sdk/model_format.h"
#include "tap_check.h"

static const char *const bio[] = { "O", "B-A", "I-A", "B-B", "I-B" };
enum { O, BA, IA, BB, IB, NL = 5 };

static char tmpl[64];

/* A fresh temporary path for a model file. */
static const char *tmp_path(const char *tag)
{
    snprintf(tmpl, sizeof tmpl, "/tmp/galley-model-%ld-%s", (long)getpid(), tag);
    return tmpl;
}

/* Feature ids of one word: "w=WORD" and a bias shared by every token. */
static size_t word_features(const char *word, uint64_t *out)
{
    out[0] = galley_feature(galley_feature_template("w"), word, strlen(word));
    out[1] = galley_feature_template("bias");
    return 2;
}

/* Adds a sentence of space-separated words and its labels. */
static void add_sentence(galley_model_trainer *t, const char *words, const uint16_t *labels)
{
    uint64_t feats[256];
    uint32_t first[65];
    size_t n = 0, nf = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", words);
    first[0] = 0;
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
        nf += word_features(w, feats + nf);
        first[++n] = (uint32_t)nf;
    }
    galley_error err = { 0 };
    ck_assert_msg(galley_model_trainer_add(t, feats, first, labels, n, &err) == 0, "%s",
                  err.message);
}

/* Tags space-separated words; labels out, count returned. */
static size_t tag_words(const galley_model *m, const char *words, uint16_t *labels)
{
    uint64_t feats[256];
    uint32_t first[65];
    size_t n = 0, nf = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", words);
    first[0] = 0;
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
        nf += word_features(w, feats + nf);
        first[++n] = (uint32_t)nf;
    }
    galley_arena *a = galley_arena_new(0);
    galley_model_tag(m, feats, first, n, labels, a);
    galley_arena_free(a);
    return n;
}

/* The spec of the toy models: the five labels of bio[] under BIO constraints,
 * with `hash` standing for the feature templates (a model saved under one
 * hash is refused where another is wanted). */
static galley_model_spec spec_of(uint64_t hash)
{
    galley_model_spec s = { bio, NL, GALLEY_MODEL_BIO, hash };
    return s;
}

/* A toy language: "ann" and "bo" name A things, "cy" names B things,
 * "inc" continues a B name, everything else is O. */
static galley_model_trainer *toy_trainer(uint64_t seed, unsigned min_count)
{
    galley_model_spec spec = spec_of(0x1234);
    galley_train_options o = { min_count, seed, 0 };
    galley_error err = { 0 };
    galley_model_trainer *t = galley_model_trainer_new(&spec, &o, &err);
    ck_assert_msg(t != NULL, "%s", err.message);
    static const uint16_t l1[] = { O, BA, O, BB, IB };
    static const uint16_t l2[] = { BA, IA, O, O };
    static const uint16_t l3[] = { O, O, BB, O };
    static const uint16_t l4[] = { BB, IB, O, BA };
    for (int rep = 0; rep < 3; rep++) {
        add_sentence(t, "the ann met cy inc", l1);
        add_sentence(t, "ann bo said so", l2);
        add_sentence(t, "it was cy today", l3);
        add_sentence(t, "cy inc hired bo", l4);
    }
    galley_model_trainer_set_info(t, "corpus", "toy");
    galley_model_trainer_set_info(t, "split", "all");
    return t;
}

/* A model of the toy language after `epochs` epochs from `seed`, keeping every
 * feature (min_count 0); any failure fails the test. The caller frees the
 * model. */
static galley_model *train_toy(uint64_t seed, unsigned epochs)
{
    galley_model_trainer *t = toy_trainer(seed, 0);
    galley_error err = { 0 };
    for (unsigned e = 0; e < epochs; e++)
        ck_assert_msg(galley_model_trainer_epoch(t, NULL, &err) == 0, "%s", err.message);
    galley_model *m = galley_model_trainer_model(t, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    galley_model_trainer_free(t);
    return m;
}

/* Saves m at path, or fails the test with the reason. */
static void save_or_fail(const galley_model *m, const char *path)
{
    galley_error err = { 0 };
    ck_assert_msg(galley_model_save(m, path, &err) == 0, "%s", err.message);
}

/* Reads a whole file into malloc'd memory. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(*len + 1);
    ck_assert_uint_eq(fread(p, 1, *len, f), *len);
    fclose(f);
    return p;
}

/* Writes the len bytes at p to path, replacing the file (the bad model files),
 * or fails the test. */
static void spit(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, len, f), len);
    fclose(f);
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(feature_ids)
{
    uint64_t w = galley_feature_template("w"), s = galley_feature_template("suf3");
    ck_assert(w != 0 && s != 0 && w != s);
    ck_assert(galley_feature(w, "London", 6) == galley_feature(w, "London", 6));
    ck_assert(galley_feature(w, "London", 6) != galley_feature(s, "London", 6));
    ck_assert(galley_feature(w, "London", 6) != galley_feature(w, "london", 6));
    ck_assert(galley_feature_pair(w, s) != galley_feature_pair(s, w));
    ck_assert(galley_feature(w, "", 0) != 0);
}
END_TEST

/* A model with every weight at zero (trained on one sentence it already
 * tags right: all O) decodes whatever scores it is given, under the BIO
 * constraints alone. */
START_TEST(viterbi_follows_scores_and_constraints)
{
    galley_model_spec spec = spec_of(0);
    galley_error err = { 0 };
    galley_model_trainer *t = galley_model_trainer_new(&spec, NULL, &err);
    static const uint16_t all_o[] = { O, O };
    add_sentence(t, "x y", all_o);
    ck_assert_int_eq(galley_model_trainer_epoch(t, NULL, &err), 0);
    galley_model *m = galley_model_trainer_model(t, &err);
    ck_assert_ptr_nonnull(m);
    galley_model_trainer_free(t);
    galley_arena *a = galley_arena_new(0);
    uint16_t out[4];
    /* Token 0 prefers I-A, which cannot start a sentence: B-A wins if it
     * is second best; then I-A continues it. */
    int32_t s1[3 * NL] = {
        0, 5, 9, 0, 0, 0, 0, 6, 0, 0, 4, 0, 0, 0, 0,
    };
    galley_model_decode(m, s1, 3, out, a);
    ck_assert_int_eq(out[0], BA);
    ck_assert_int_eq(out[1], IA);
    ck_assert_int_eq(out[2], O);
    /* I-B may not follow B-A: the sum decides between B-A I-A and B-B I-B. */
    int32_t s2[2 * NL] = {
        0, 10, 0, 8, 0, 0, 0, 1, 0, 5,
    };
    galley_model_decode(m, s2, 2, out, a);
    ck_assert_int_eq(out[0], BB);
    ck_assert_int_eq(out[1], IB);
    /* Ties go to the lower label index. */
    int32_t s3[NL] = { 3, 3, 0, 3, 0 };
    galley_model_decode(m, s3, 1, out, a);
    ck_assert_int_eq(out[0], O);
    galley_model_decode(m, s3, 0, out, a); /* nothing to do */
    galley_arena_free(a);
    galley_model_close(m);
}
END_TEST

START_TEST(perceptron_learns_toy_language)
{
    galley_model *m = train_toy(7, 5);
    uint16_t out[16];
    /* Training sentences come out right. */
    size_t n = tag_words(m, "ann bo said so", out);
    ck_assert_uint_eq(n, 4);
    ck_assert(out[0] == BA && out[1] == IA && out[2] == O && out[3] == O);
    /* A new sentence made of known words. */
    n = tag_words(m, "so cy inc met ann", out);
    ck_assert(out[0] == O && out[1] == BB && out[2] == IB && out[3] == O && out[4] == BA);
    /* Unknown words are O; the labels and provenance are in the model. */
    tag_words(m, "zz qq", out);
    ck_assert(out[0] == O && out[1] == O);
    ck_assert_uint_eq(galley_model_nlabels(m), NL);
    ck_assert_str_eq(galley_model_label(m, IB), "I-B");
    ck_assert_int_eq(galley_model_label_index(m, "B-B"), BB);
    ck_assert_int_eq(galley_model_label_index(m, "B-C"), -1);
    ck_assert_str_eq(galley_model_info(m, "corpus"), "toy");
    ck_assert_str_eq(galley_model_info(m, "epochs"), "5");
    ck_assert_ptr_nonnull(galley_model_info(m, "galley_version"));
    ck_assert_ptr_null(galley_model_info(m, "nothing"));
    const char *v;
    ck_assert_str_eq(galley_model_info_at(m, 0, &v), "corpus");
    ck_assert_str_eq(v, "toy");
    /* Quantized: the largest weight is at full scale. */
    int16_t max = 0;
    const int16_t *row = galley_model_row(m, galley_feature(galley_feature_template("w"), "cy", 2));
    ck_assert_ptr_nonnull(row);
    for (size_t c = 0; c < NL; c++)
        if (abs(row[c]) > max)
            max = (int16_t)abs(row[c]);
    ck_assert_int_gt(max, 0);
    galley_model_close(m);
}
END_TEST

START_TEST(training_is_deterministic)
{
    galley_model *a = train_toy(42, 4), *b = train_toy(42, 4), *c = train_toy(43, 4);
    ck_assert_uint_eq(galley_model_size(a), galley_model_size(b));
    char pa[64], pb[64], pc[64];
    snprintf(pa, sizeof pa, "%s", tmp_path("det-a"));
    snprintf(pb, sizeof pb, "%s", tmp_path("det-b"));
    snprintf(pc, sizeof pc, "%s", tmp_path("det-c"));
    save_or_fail(a, pa);
    save_or_fail(b, pb);
    save_or_fail(c, pc);
    size_t la, lb, lc;
    unsigned char *ba = slurp(pa, &la), *bb = slurp(pb, &lb), *bc = slurp(pc, &lc);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(ba, bb, la), 0);
    /* The seed is written down, so another seed is other bytes. */
    ck_assert(la != lc || memcmp(ba, bc, la) != 0);
    free(ba);
    free(bb);
    free(bc);
    unlink(pa);
    unlink(pb);
    unlink(pc);
    galley_model_close(a);
    galley_model_close(b);
    galley_model_close(c);
}
END_TEST

START_TEST(rare_features_are_pruned)
{
    galley_model_trainer *t = toy_trainer(1, 0);
    static const uint16_t once[] = { BB }; /* a mistake: an update */
    add_sentence(t, "hapax", once);
    galley_error err = { 0 };
    galley_model_trainer_epoch(t, NULL, &err);
    galley_model *all = galley_model_trainer_model(t, &err);
    galley_model_trainer_free(t);
    t = toy_trainer(1, 2);
    add_sentence(t, "hapax", once);
    galley_model_trainer_epoch(t, NULL, &err);
    galley_model *pruned = galley_model_trainer_model(t, &err);
    ck_assert_int_eq(galley_model_trainer_add(t, NULL, (uint32_t[]){ 0 }, NULL, 0, &err), -1);
    galley_model_trainer_free(t);
    uint64_t hapax = galley_feature(galley_feature_template("w"), "hapax", 5);
    ck_assert_ptr_nonnull(galley_model_row(all, hapax));
    ck_assert_ptr_null(galley_model_row(pruned, hapax));
    ck_assert_uint_lt(galley_model_nfeatures(pruned), galley_model_nfeatures(all));
    ck_assert_str_eq(galley_model_info(pruned, "min_count"), "2");
    galley_model_close(all);
    galley_model_close(pruned);
}
END_TEST

START_TEST(file_round_trip_and_shared_cache)
{
    galley_model *m = train_toy(3, 5);
    const char *path = tmp_path("round");
    save_or_fail(m, path);
    galley_error err = { 0 };
    galley_model *l1 = galley_model_open(path, 0x1234, &err);
    ck_assert_msg(l1 != NULL, "%s", err.message);
    galley_model *l2 = galley_model_open(path, 0, &err);
    ck_assert_ptr_eq(l1, l2); /* one mapping per file */
    ck_assert_uint_eq(galley_model_size(l1), galley_model_size(m));
    ck_assert_uint_eq(galley_model_nfeatures(l1), galley_model_nfeatures(m));
    ck_assert_uint_eq(galley_model_template_hash(l1), 0x1234);
    ck_assert_str_eq(galley_model_info(l1, "split"), "all");
    uint16_t a[8], b[8];
    const char *s = "cy inc met ann bo today";
    size_t n = tag_words(m, s, a);
    tag_words(l1, s, b);
    ck_assert_int_eq(memcmp(a, b, n * sizeof *a), 0);
    galley_model_close(l2);
    /* Still open through l1 after one close. */
    tag_words(l1, s, b);
    ck_assert_int_eq(memcmp(a, b, n * sizeof *a), 0);
    galley_model_close(l1);
    /* A new open after the last close maps the file again. */
    galley_model *l3 = galley_model_open(path, 0x1234, &err);
    ck_assert_ptr_nonnull(l3);
    galley_model_close(l3);
    galley_model_close(NULL);
    unlink(path);
    galley_model_close(m);
}
END_TEST

/* Opens `path` expecting a refusal whose message contains `want`. */
static void refused(const char *path, uint64_t hash, const char *want)
{
    galley_error err = { 0 };
    galley_model *m = galley_model_open(path, hash, &err);
    ck_assert_msg(m == NULL, "opened a bad model (%s)", want);
    ck_assert_msg(strstr(err.message, want) != NULL, "\"%s\" lacks \"%s\"", err.message, want);
    ck_assert_msg(strstr(err.message, path) != NULL, "\"%s\" does not name the file", err.message);
}

START_TEST(bad_model_files_are_refused)
{
    galley_model *m = train_toy(5, 2);
    char good[64], bad[64];
    snprintf(good, sizeof good, "%s", tmp_path("good"));
    snprintf(bad, sizeof bad, "%s", tmp_path("bad"));
    save_or_fail(m, good);
    galley_model_close(m);
    size_t len;
    unsigned char *img = slurp(good, &len);

    refused("/nonexistent/entities.model", 0, "No such file");
    spit(bad, "", 0);
    refused(bad, 0, "not a galley model");
    spit(bad, "PHRASE\tLABEL\nLondon\tLOC\n", 23);
    refused(bad, 0, "not a galley model");
    spit(bad, img, 64);
    refused(bad, 0, "truncated");
    spit(bad, img, len - 8);
    refused(bad, 0, "truncated");
    unsigned char *copy = malloc(len);
    memcpy(copy, img, len);
    copy[len - 3] ^= 0x40; /* a weight */
    spit(bad, copy, len);
    refused(bad, 0, "checksum");
    memcpy(copy, img, len);
    copy[8] = 99; /* the format version */
    spit(bad, copy, len);
    refused(bad, 0, "format 99");
    refused(good, 0x9999, "0000000000001234");
    refused(good, 0x9999, "0000000000009999");
    /* The refusal left nothing behind: the right hash still opens it. */
    galley_error err = { 0 };
    galley_model *ok = galley_model_open(good, 0x1234, &err);
    ck_assert_msg(ok != NULL, "%s", err.message);
    galley_model_close(ok);
    free(copy);
    free(img);
    unlink(good);
    unlink(bad);
}
END_TEST

START_TEST(bad_label_tables_are_refused)
{
    galley_error err = { 0 };
    galley_model_spec none = { bio, 0, 0, 0 };
    ck_assert_ptr_null(galley_model_trainer_new(&none, NULL, &err));
    const char *const twice[] = { "O", "B-A", "O" };
    galley_model_spec dup = { twice, 3, 0, 0 };
    ck_assert_ptr_null(galley_model_trainer_new(&dup, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "twice"));
    galley_model_spec ok = spec_of(0);
    galley_model_trainer *t = galley_model_trainer_new(&ok, NULL, &err);
    ck_assert_int_eq(galley_model_trainer_epoch(t, NULL, &err), -1); /* no sentences */
    ck_assert_ptr_null(galley_model_trainer_model(t, &err));
    uint64_t f[1] = { 5 };
    uint32_t first[2] = { 0, 1 };
    uint16_t label[1] = { 9 };
    ck_assert_int_eq(galley_model_trainer_add(t, f, first, label, 1, &err), -1);
    galley_model_trainer_free(t);
}
END_TEST

/* BILOU constraints: a span must end with L- or be a U-, so the best
 * tagging of a lone strong B- is U-. */
START_TEST(bilou_constraints)
{
    static const char *const bilou[] = { "O", "B-A", "I-A", "L-A", "U-A" };
    galley_model_spec spec = { bilou, 5, GALLEY_MODEL_BIO, 0 };
    galley_error err = { 0 };
    galley_model_trainer *t = galley_model_trainer_new(&spec, NULL, &err);
    static const uint16_t o1[] = { 0 };
    add_sentence(t, "x", o1);
    galley_model_trainer_epoch(t, NULL, &err);
    galley_model *m = galley_model_trainer_model(t, &err);
    galley_model_trainer_free(t);
    galley_arena *a = galley_arena_new(0);
    uint16_t out[2];
    int32_t s1[5] = { 0, 9, 0, 0, 2 };
    galley_model_decode(m, s1, 1, out, a);
    ck_assert_int_eq(out[0], 4); /* U-A: B-A cannot end a sentence */
    int32_t s2[10] = { 0, 9, 0, 0, 0, 3, 0, 5, 1, 0 };
    galley_model_decode(m, s2, 2, out, a);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[1], 3); /* B-A L-A, not B-A I-A */
    galley_arena_free(a);
    galley_model_close(m);
}
END_TEST

/* A label's role in a random table: BIO or BILOU (label 0 is O). */
static char role_of(int bilou, size_t c)
{
    return c == 0 ? 'O' : bilou ? "BILU"[(c - 1) % 4] : "BI"[(c - 1) % 2];
}

/* A label's type in a random table (O's is 0 too). */
static size_t type_of(int bilou, size_t c)
{
    return c == 0 ? 0 : (c - 1) / (bilou ? 4 : 2);
}

/* May label c follow label p (p = L: the start; c = L: the end)? */
static int allowed(int bilou, size_t L, size_t p, size_t c)
{
    char rp = p == L ? 'S' : role_of(bilou, p), rc = c == L ? 'E' : role_of(bilou, c);
    int inside = rc == 'I' || rc == 'L';
    int open = rp == 'B' || rp == 'I';
    if (!bilou) {
        if (rc == 'I')
            return rp != 'S' && rp != 'O' && type_of(0, p) == type_of(0, c);
        return 1;
    }
    if (inside)
        return open && type_of(1, p) == type_of(1, c);
    return !open; /* O, B, U and the end follow O, L, U or the start */
}

/* Can this machine run Viterbi's SSE4.1 forward pass? */
static int has_sse41(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.1") != 0;
#else
    return 0;
#endif
}

static uint32_t rng_state = 12345;

/* A deterministic pseudo-random number in [lo, hi]. */
static int32_t rnd(int32_t lo, int32_t hi)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return lo + (int32_t)((rng_state >> 8) % (uint32_t)(hi - lo + 1));
}

/* Random transition weights in [-range, range] for a BIO or BILOU table
 * of L labels, in the file's layout (rows L and L + 1: start and end),
 * the forbidden ones at GL_MODEL_NEG. */
static void random_transitions(int bilou, size_t L, int32_t range, int64_t *trans)
{
    for (size_t p = 0; p < L + 2; p++)
        for (size_t c = 0; c < L; c++) {
            int ok = p < L ? allowed(bilou, L, p, c)
                : p == L   ? allowed(bilou, L, L, c)
                           : allowed(bilou, L, c, L);
            trans[p * L + c] = ok ? rnd(-range, range) : GL_MODEL_NEG;
        }
}

START_TEST(viterbi_matches_brute_force)
{
    static const struct {
        int bilou;
        size_t types;
    } tables[] = { { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 1 }, { 1, 2 }, { 1, 4 } };
    for (size_t ti = 0; ti < sizeof tables / sizeof *tables; ti++) {
        int bilou = tables[ti].bilou;
        size_t L = 1 + tables[ti].types * (bilou ? 4 : 2);
        gl_viterbi_plan pl;
        gl_viterbi_plan_init(&pl, L);
        int64_t *trans = malloc((L + 2) * L * sizeof *trans);
        for (int trial = 0; trial < 30; trial++) {
            random_transitions(bilou, L, 1000, trans);
            gl_viterbi_plan_fill(&pl, trans);
            for (size_t n = 1; n <= (L > 9 ? 3u : 4u); n++) {
                int32_t scores[4 * 17];
                for (size_t i = 0; i < n * L; i++)
                    scores[i] = rnd(-5000, 5000);
                void *scratch = aligned_alloc(16, (gl_viterbi_scratch(L, n) + 15) & ~(size_t)15);
                uint16_t got[4], other[4];
                gl_model_viterbi(&pl, scores, n, got, scratch);
                /* Every forward pass the machine can run (plain C, SSE2,
                 * SSE4.1's maxima) gives the same labels. */
                for (int kernel = GL_VITERBI_PLAIN; kernel <= GL_VITERBI_SSE41; kernel++) {
                    gl_viterbi_plan alt = pl;
                    alt.kernel =
                        kernel == GL_VITERBI_SSE41 && !has_sse41() ? GL_VITERBI_PLAIN : kernel;
                    gl_model_viterbi(&alt, scores, n, other, scratch);
                    ck_assert_mem_eq(got, other, n * sizeof *got);
                }
                free(scratch);
                /* Every sequence, by brute force: the best total. */
                size_t total = 1, seq[4];
                for (size_t i = 0; i < n; i++)
                    total *= L;
                int64_t best = INT64_MIN, mine = INT64_MIN;
                for (size_t code = 0; code < total; code++) {
                    size_t x = code;
                    for (size_t i = 0; i < n; i++, x /= L)
                        seq[i] = x % L;
                    int ok = 1;
                    int64_t sum = 0;
                    for (size_t i = 0; i <= n && ok; i++) {
                        size_t p = i ? seq[i - 1] : L, c = i < n ? seq[i] : L;
                        int64_t w = i == 0 ? trans[L * L + c]
                            : i == n       ? trans[(L + 1) * L + p]
                                           : trans[p * L + c];
                        ok = w != GL_MODEL_NEG;
                        sum += w + (i < n ? scores[i * L + c] : 0);
                    }
                    if (!ok)
                        continue;
                    best = sum > best ? sum : best;
                    int same = 1;
                    for (size_t i = 0; i < n; i++)
                        same &= seq[i] == got[i];
                    if (same)
                        mine = sum;
                }
                ck_assert_msg(mine != INT64_MIN, "table %zu trial %d n %zu: a forbidden path", ti,
                              trial, n);
                ck_assert_msg(mine == best, "table %zu trial %d n %zu: %lld, the best is %lld", ti,
                              trial, n, (long long)mine, (long long)best);
            }
        }
        free(trans);
        gl_viterbi_plan_free(&pl);
    }
}
END_TEST

/* The best path's total by plain dynamic programming in int64, with
 * emissions clamped to +-GL_VITERBI_CLAMP as Viterbi clamps them. */
static int64_t reference_best(const int64_t *trans, const int32_t *scores, size_t n, size_t L)
{
    int64_t *cur = malloc(L * sizeof *cur), *next = malloc(L * sizeof *next);
    for (size_t t = 0; t < n; t++) {
        for (size_t c = 0; c < L; c++) {
            int64_t e = scores[t * L + c];
            e = e > GL_VITERBI_CLAMP    ? GL_VITERBI_CLAMP
                : e < -GL_VITERBI_CLAMP ? -GL_VITERBI_CLAMP
                                        : e;
            int64_t best = INT64_MIN;
            for (size_t p = 0; p < (t ? L : 1); p++) {
                int64_t w = t ? trans[p * L + c] : trans[L * L + c];
                if (w == GL_MODEL_NEG || (t && cur[p] == INT64_MIN))
                    continue;
                int64_t v = (t ? cur[p] : 0) + w;
                best = v > best ? v : best;
            }
            next[c] = best == INT64_MIN ? INT64_MIN : best + e;
        }
        int64_t *x = cur;
        cur = next;
        next = x;
    }
    int64_t best = INT64_MIN;
    for (size_t c = 0; c < L; c++)
        if (cur[c] != INT64_MIN && trans[(L + 1) * L + c] != GL_MODEL_NEG)
            best = cur[c] + trans[(L + 1) * L + c] > best ? cur[c] + trans[(L + 1) * L + c] : best;
    free(cur);
    free(next);
    return best;
}

/* The total of one labelling (clamped emissions; INT64_MIN: forbidden). */
static int64_t path_total(const int64_t *trans, const int32_t *scores, size_t n, size_t L,
                          const uint16_t *lab)
{
    int64_t sum = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t p = i ? lab[i - 1] : L, c = i < n ? lab[i] : L;
        int64_t w = i == 0 ? trans[L * L + c] : i == n ? trans[(L + 1) * L + p] : trans[p * L + c];
        if (w == GL_MODEL_NEG)
            return INT64_MIN;
        int64_t e = i < n ? scores[i * L + c] : 0;
        e = e > GL_VITERBI_CLAMP ? GL_VITERBI_CLAMP : e < -GL_VITERBI_CLAMP ? -GL_VITERBI_CLAMP : e;
        sum += w + e;
    }
    return sum;
}

/* Sentences long enough to renormalize many times, and emissions past
 * the clamp (the slow path), against plain dynamic programming, with every
 * forward pass. */
START_TEST(viterbi_long_and_clamped)
{
    for (int bilou = 0; bilou <= 1; bilou++) {
        size_t L = 1 + 4 * (bilou ? 4 : 2);
        gl_viterbi_plan pl;
        gl_viterbi_plan_init(&pl, L);
        int64_t *trans = malloc((L + 2) * L * sizeof *trans);
        for (int trial = 0; trial < 20; trial++) {
            random_transitions(bilou, L, 30000, trans);
            gl_viterbi_plan_fill(&pl, trans);
            /* Long: 61 tokens of scores inside the clamp; short: 6 tokens
             * of scores up to four times past it. */
            int clamped = trial % 2;
            size_t n = clamped ? 6 : 61;
            int32_t range = clamped ? 4 * GL_VITERBI_CLAMP : 1 << 20;
            int32_t *scores = malloc(n * L * sizeof *scores);
            for (size_t i = 0; i < n * L; i++)
                scores[i] = rnd(-range, range);
            void *scratch = malloc(gl_viterbi_scratch(L, n));
            uint16_t *got = malloc(n * sizeof *got);
            int64_t best = reference_best(trans, scores, n, L);
            for (int pass = GL_VITERBI_PLAIN; pass <= GL_VITERBI_SSE41; pass++) {
                gl_viterbi_plan alt = pl;
                alt.kernel = pass == GL_VITERBI_SSE41 && !has_sse41() ? GL_VITERBI_PLAIN : pass;
                gl_model_viterbi(&alt, scores, n, got, scratch);
                ck_assert_msg(path_total(trans, scores, n, L, got) == best,
                              "bilou %d trial %d pass %d: %lld, the best is %lld", bilou, trial,
                              pass, (long long)path_total(trans, scores, n, L, got),
                              (long long)best);
            }
            free(scores);
            free(scratch);
            free(got);
        }
        free(trans);
        gl_viterbi_plan_free(&pl);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    struct {
        const char *name;
        const TTest *t;
    } tests[] = {
        { "features", feature_ids },
        { "viterbi", viterbi_follows_scores_and_constraints },
        { "viterbi", bilou_constraints },
        { "viterbi", viterbi_matches_brute_force },
        { "viterbi", viterbi_long_and_clamped },
        { "train", perceptron_learns_toy_language },
        { "train", training_is_deterministic },
        { "train", rare_features_are_pruned },
        { "train", bad_label_tables_are_refused },
        { "file", file_round_trip_and_shared_cache },
        { "file", bad_model_files_are_refused },
    };
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_test(tc, tests[i].t);
        suite_add_tcase(s, tc);
    }
    return galley_run_suite(s);
}
