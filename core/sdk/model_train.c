/* model_train.c - averaged structured perceptron training of sequence
 * models (Collins 2002), and the model images it makes.
 *
 * Sentences are kept in memory with their features interned to dense
 * indexes in order of first appearance, so the same input always gives
 * the same indexes, the same updates and the same bytes. Averaging is the
 * lazy kind: beside each weight w the trainer keeps u, the sum of every
 * update times the step it happened at, and the average after c steps is
 * w - u / c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "sdk/private.h"
#include "sdk/model_format.h"

struct galley_model_trainer {
    size_t L;
    char **labels;
    unsigned flags;
    uint64_t template_hash;
    galley_train_options opt;
    unsigned char *allowed; /* (L + 2) * L */

    /* Interned features: key -> index through an open-addressing map. */
    uint64_t *map_keys;
    uint32_t *map_vals;
    size_t map_cap;
    uint64_t *fkeys;  /* index -> feature id */
    uint32_t *fcount; /* tokens the feature was seen in */
    size_t nfeat, featcap;

    /* Sentences: token t's features are feats[tfirst[t] .. tfirst[t+1]). */
    uint32_t *feats;
    size_t nfeats, featscap;
    size_t *tfirst; /* ntok + 1 */
    uint16_t *gold;
    size_t ntok, tokcap;
    size_t *sfirst; /* nsent + 1: first token of each */
    size_t nsent, sentcap;

    /* Weights, after the first epoch froze the feature set. */
    int frozen;
    uint32_t *kept; /* old index -> kept index or UINT32_MAX */
    size_t nkept;
    int32_t *w; /* nkept * L */
    int64_t *u;
    int32_t *trans_w; /* (L + 2) * L */
    int64_t *trans_u;
    uint64_t steps; /* c: sentences seen, from 1 */
    unsigned epochs;

    char **info; /* key, value, key, value, ... */
    size_t ninfo;
};

galley_model_trainer *galley_model_trainer_new(const galley_model_spec *spec,
                                               const galley_train_options *o, galley_error *err)
{
    if (!spec->labels || spec->nlabels == 0 || spec->nlabels > GALLEY_MODEL_MAX_LABELS) {
        galley_error_set(err, "a model needs 1 to %d labels (got %zu)", GALLEY_MODEL_MAX_LABELS,
                         spec->nlabels);
        return NULL;
    }
    for (size_t i = 0; i < spec->nlabels; i++) {
        if (!spec->labels[i] || !spec->labels[i][0]) {
            galley_error_set(err, "label %zu is empty", i);
            return NULL;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(spec->labels[i], spec->labels[j]) == 0) {
                galley_error_set(err, "label \"%s\" appears twice", spec->labels[i]);
                return NULL;
            }
    }
    galley_model_trainer *t = gl_xcalloc(1, sizeof *t);
    t->L = spec->nlabels;
    t->labels = gl_xcalloc(t->L, sizeof *t->labels);
    for (size_t i = 0; i < t->L; i++)
        t->labels[i] = gl_xstrdup(spec->labels[i]);
    t->flags = spec->flags;
    t->template_hash = spec->template_hash;
    if (o)
        t->opt = *o;
    t->allowed = gl_xmalloc((t->L + 2) * t->L);
    gl_model_constraints(spec->labels, t->L, t->flags, t->allowed);
    t->map_cap = 1024;
    t->map_keys = gl_xcalloc(t->map_cap, sizeof *t->map_keys);
    t->map_vals = gl_xcalloc(t->map_cap, sizeof *t->map_vals);
    t->tfirst = gl_xcalloc(1, sizeof *t->tfirst);
    t->tokcap = 0;
    t->sfirst = gl_xcalloc(1, sizeof *t->sfirst);
    return t;
}

void galley_model_trainer_free(galley_model_trainer *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->L; i++)
        free(t->labels[i]);
    free(t->labels);
    free(t->allowed);
    free(t->map_keys);
    free(t->map_vals);
    free(t->fkeys);
    free(t->fcount);
    free(t->feats);
    free(t->tfirst);
    free(t->gold);
    free(t->sfirst);
    free(t->kept);
    free(t->w);
    free(t->u);
    free(t->trans_w);
    free(t->trans_u);
    for (size_t i = 0; i < 2 * t->ninfo; i++)
        free(t->info[i]);
    free(t->info);
    free(t);
}

void galley_model_trainer_set_info(galley_model_trainer *t, const char *key, const char *value)
{
    for (size_t i = 0; i < t->ninfo; i++)
        if (strcmp(t->info[2 * i], key) == 0) {
            free(t->info[2 * i + 1]);
            t->info[2 * i + 1] = gl_xstrdup(value);
            return;
        }
    t->info = gl_xrealloc(t->info, (t->ninfo + 1) * 2 * sizeof *t->info);
    t->info[2 * t->ninfo] = gl_xstrdup(key);
    t->info[2 * t->ninfo + 1] = gl_xstrdup(value);
    t->ninfo++;
}

/* ---- Interning -------------------------------------------------------- */

/* The number of bits of a power-of-two capacity, the smallest b with 2^b >=
 * cap, as gl_model_slot takes it. */
static unsigned log2_cap(size_t cap)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < cap)
        bits++;
    return bits;
}

/* The dense index of feature f, made on first sight. */
static uint32_t intern(galley_model_trainer *t, uint64_t f)
{
    if (!f)
        f = 1;
    if ((t->nfeat + 1) * 2 > t->map_cap) {
        size_t oldcap = t->map_cap;
        uint64_t *ok = t->map_keys;
        uint32_t *ov = t->map_vals;
        t->map_cap *= 2;
        t->map_keys = gl_xcalloc(t->map_cap, sizeof *t->map_keys);
        t->map_vals = gl_xcalloc(t->map_cap, sizeof *t->map_vals);
        unsigned bits = log2_cap(t->map_cap);
        for (size_t i = 0; i < oldcap; i++) {
            if (!ok[i])
                continue;
            size_t j = gl_model_slot(ok[i], bits);
            while (t->map_keys[j])
                j = (j + 1) & (t->map_cap - 1);
            t->map_keys[j] = ok[i];
            t->map_vals[j] = ov[i];
        }
        free(ok);
        free(ov);
    }
    unsigned bits = log2_cap(t->map_cap);
    size_t j = gl_model_slot(f, bits);
    while (t->map_keys[j]) {
        if (t->map_keys[j] == f)
            return t->map_vals[j];
        j = (j + 1) & (t->map_cap - 1);
    }
    if (t->nfeat == t->featcap) {
        t->featcap = t->featcap ? t->featcap * 2 : 4096;
        t->fkeys = gl_xrealloc(t->fkeys, t->featcap * sizeof *t->fkeys);
        t->fcount = gl_xrealloc(t->fcount, t->featcap * sizeof *t->fcount);
    }
    t->map_keys[j] = f;
    t->map_vals[j] = (uint32_t)t->nfeat;
    t->fkeys[t->nfeat] = f;
    t->fcount[t->nfeat] = 0;
    return (uint32_t)t->nfeat++;
}

int galley_model_trainer_add(galley_model_trainer *t, const uint64_t *features,
                             const uint32_t *first, const uint16_t *labels, size_t n,
                             galley_error *err)
{
    if (t->frozen)
        return galley_error_set(err, "sentences can only be added before the first epoch");
    for (size_t i = 0; i < n; i++) {
        if (labels[i] >= t->L)
            return galley_error_set(err, "label %u out of range (%zu labels)", labels[i], t->L);
        if (first[i + 1] < first[i])
            return galley_error_set(err, "feature rows out of order at token %zu", i);
    }
    if (n == 0)
        return 0;
    if (t->nfeat > UINT32_MAX / 2)
        return galley_error_set(err, "too many distinct features");
    size_t nf = first[n] - first[0];
    if (t->nfeats + nf > t->featscap) {
        while (t->nfeats + nf > t->featscap)
            t->featscap = t->featscap ? t->featscap * 2 : 1 << 16;
        t->feats = gl_xrealloc(t->feats, t->featscap * sizeof *t->feats);
    }
    if (t->ntok + n > t->tokcap) {
        while (t->ntok + n > t->tokcap)
            t->tokcap = t->tokcap ? t->tokcap * 2 : 4096;
        t->tfirst = gl_xrealloc(t->tfirst, (t->tokcap + 1) * sizeof *t->tfirst);
        t->gold = gl_xrealloc(t->gold, t->tokcap * sizeof *t->gold);
    }
    if (t->nsent + 1 >= t->sentcap) {
        t->sentcap = t->sentcap ? t->sentcap * 2 : 1024;
        t->sfirst = gl_xrealloc(t->sfirst, (t->sentcap + 1) * sizeof *t->sfirst);
    }
    for (size_t i = 0; i < n; i++) {
        for (uint32_t k = first[i]; k < first[i + 1]; k++) {
            uint32_t idx = intern(t, features[k]);
            t->fcount[idx]++;
            t->feats[t->nfeats++] = idx;
        }
        t->gold[t->ntok] = labels[i];
        t->tfirst[++t->ntok] = t->nfeats;
    }
    t->sfirst[++t->nsent] = t->ntok;
    return 0;
}

/* ---- Epochs ----------------------------------------------------------- */

/* splitmix64: the trainer's only source of order, the same everywhere. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Keeps the features seen min_count times or more and makes the weights;
 * from now on no sentence can be added. */
static void freeze(galley_model_trainer *t)
{
    t->frozen = 1;
    t->kept = gl_xmalloc((t->nfeat + 1) * sizeof *t->kept);
    unsigned min = t->opt.min_count ? t->opt.min_count : 1;
    for (size_t i = 0; i < t->nfeat; i++)
        t->kept[i] = t->fcount[i] >= min ? (uint32_t)t->nkept++ : UINT32_MAX;
    t->w = gl_xcalloc(t->nkept * t->L + 1, sizeof *t->w);
    t->u = gl_xcalloc(t->nkept * t->L + 1, sizeof *t->u);
    size_t nt = (t->L + 2) * t->L;
    t->trans_w = gl_xcalloc(nt, sizeof *t->trans_w);
    t->trans_u = gl_xcalloc(nt, sizeof *t->trans_u);
    /* Rewrite the sentences in kept indexes; dropped features go. */
    size_t out = 0, k = 0;
    for (size_t tok = 0; tok < t->ntok; tok++) {
        size_t end = t->tfirst[tok + 1];
        for (; k < end; k++)
            if (t->kept[t->feats[k]] != UINT32_MAX)
                t->feats[out++] = t->kept[t->feats[k]];
        t->tfirst[tok + 1] = out;
    }
    t->nfeats = out;
    t->steps = 1;
}

/* The current (not averaged) transitions, widened, forbidden at NEG. */
static void current_trans(const galley_model_trainer *t, int64_t *trans)
{
    for (size_t i = 0; i < (t->L + 2) * t->L; i++)
        trans[i] = t->allowed[i] ? t->trans_w[i] : GL_MODEL_NEG;
}

/* One perceptron step d on weight w, recorded in u for the average. */
static void bump(const galley_model_trainer *t, int32_t *w, int64_t *u, int d)
{
    *w += d;
    *u += (int64_t)t->steps * d;
}

/* Perceptron update for one sentence: gold features up, predicted down,
 * where the two taggings differ. */
static void update(galley_model_trainer *t, size_t s, const uint16_t *pred)
{
    size_t L = t->L, first = t->sfirst[s], n = t->sfirst[s + 1] - first;
    const uint16_t *gold = t->gold + first;
    for (size_t i = 0; i < n; i++) {
        size_t gp = i ? gold[i - 1] : L, pp = i ? pred[i - 1] : L; /* L: the start row */
        if (gold[i] != pred[i] || gp != pp) {
            bump(t, &t->trans_w[gp * L + gold[i]], &t->trans_u[gp * L + gold[i]], 1);
            bump(t, &t->trans_w[pp * L + pred[i]], &t->trans_u[pp * L + pred[i]], -1);
        }
        if (gold[i] == pred[i])
            continue;
        for (size_t k = t->tfirst[first + i]; k < t->tfirst[first + i + 1]; k++) {
            size_t f = (size_t)t->feats[k] * L;
            bump(t, &t->w[f + gold[i]], &t->u[f + gold[i]], 1);
            bump(t, &t->w[f + pred[i]], &t->u[f + pred[i]], -1);
        }
    }
    if (n && gold[n - 1] != pred[n - 1]) {
        size_t e = (L + 1) * L;
        bump(t, &t->trans_w[e + gold[n - 1]], &t->trans_u[e + gold[n - 1]], 1);
        bump(t, &t->trans_w[e + pred[n - 1]], &t->trans_u[e + pred[n - 1]], -1);
    }
}

int galley_model_trainer_epoch(galley_model_trainer *t, size_t *mistakes, galley_error *err)
{
    if (t->nsent == 0)
        return galley_error_set(err, "no training sentences");
    if (!t->frozen)
        freeze(t);
    size_t L = t->L, maxn = 0;
    for (size_t s = 0; s < t->nsent; s++)
        if (t->sfirst[s + 1] - t->sfirst[s] > maxn)
            maxn = t->sfirst[s + 1] - t->sfirst[s];
    size_t *order = gl_xmalloc(t->nsent * sizeof *order);
    for (size_t s = 0; s < t->nsent; s++)
        order[s] = s;
    uint64_t rng = t->opt.seed ^ (0xD1B54A32D192ED03ULL * (t->epochs + 1));
    for (size_t s = t->nsent; s > 1; s--) {
        size_t j = (size_t)(next_random(&rng) % s);
        size_t x = order[s - 1];
        order[s - 1] = order[j];
        order[j] = x;
    }
    int32_t *scores = gl_xmalloc(maxn * L * sizeof *scores);
    unsigned char *bp = gl_xmalloc(gl_viterbi_scratch(L, maxn));
    uint16_t *pred = gl_xmalloc(maxn * sizeof *pred);
    int64_t *trans = gl_xmalloc((L + 2) * L * sizeof *trans);
    gl_viterbi_plan plan;
    gl_viterbi_plan_init(&plan, L);
    size_t wrong = 0;
    for (size_t o = 0; o < t->nsent; o++) {
        size_t s = order[o], first = t->sfirst[s], n = t->sfirst[s + 1] - first;
        current_trans(t, trans);
        gl_viterbi_plan_fill(&plan, trans);
        for (size_t i = 0; i < n; i++) {
            int64_t acc[GALLEY_MODEL_MAX_LABELS] = { 0 };
            for (size_t k = t->tfirst[first + i]; k < t->tfirst[first + i + 1]; k++) {
                const int32_t *w = t->w + (size_t)t->feats[k] * L;
                for (size_t c = 0; c < L; c++)
                    acc[c] += w[c];
            }
            for (size_t c = 0; c < L; c++)
                scores[i * L + c] = acc[c] > GL_VITERBI_CLAMP ? GL_VITERBI_CLAMP
                    : acc[c] < -GL_VITERBI_CLAMP              ? -GL_VITERBI_CLAMP
                                                              : (int32_t)acc[c];
        }
        gl_model_viterbi(&plan, scores, n, pred, bp);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += pred[i] != t->gold[first + i];
        if (bad)
            update(t, s, pred);
        wrong += bad;
        t->steps++;
    }
    t->epochs++;
    free(order);
    free(scores);
    free(bp);
    free(pred);
    free(trans);
    gl_viterbi_plan_free(&plan);
    if (mistakes)
        *mistakes = wrong;
    return 0;
}

/* ---- Snapshots -------------------------------------------------------- */

/* The weight after averaging (or the plain one with no_average). */
static double final_weight(const galley_model_trainer *t, int32_t w, int64_t u)
{
    if (t->opt.no_average)
        return w;
    return (double)w - (double)u / (double)t->steps;
}

/* Rounds a section offset up to a multiple of 8. */
static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Appends a key and value to the string table and counts the pair. */
static void add_info(gl_buf *b, uint32_t *n, const char *key, const char *value)
{
    gl_buf_add(b, key, strlen(key) + 1);
    gl_buf_add(b, value, strlen(value) + 1);
    (*n)++;
}

galley_model *galley_model_trainer_model(galley_model_trainer *t, galley_error *err)
{
    if (!t->frozen) {
        galley_error_set(err, "no epoch has been trained");
        return NULL;
    }
    size_t L = t->L, nt = (L + 2) * L;
    /* The scale: the largest averaged weight becomes 32767. */
    double maxabs = 0;
    for (size_t i = 0; i < t->nkept * L; i++) {
        double v = fabs(final_weight(t, t->w[i], t->u[i]));
        if (v > maxabs)
            maxabs = v;
    }
    for (size_t i = 0; i < nt; i++) {
        double v = fabs(final_weight(t, t->trans_w[i], t->trans_u[i]));
        if (t->allowed[i] && v > maxabs)
            maxabs = v;
    }
    double scale = maxabs > 0 ? maxabs / 32767.0 : 1.0;
    /* Quantize; a feature whose weights all round to 0 is left out. */
    int16_t *q = gl_xmalloc((t->nkept * L + 1) * sizeof *q);
    uint64_t *qkeys = gl_xmalloc((t->nkept + 1) * sizeof *qkeys);
    size_t nq = 0;
    for (size_t i = 0; i < t->nfeat; i++) {
        uint32_t k = t->kept[i];
        if (k == UINT32_MAX)
            continue;
        int nonzero_row = 0;
        for (size_t c = 0; c < L; c++) {
            double v = nearbyint(final_weight(t, t->w[(size_t)k * L + c], t->u[(size_t)k * L + c]) /
                                 scale);
            q[nq * L + c] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
            nonzero_row |= q[nq * L + c] != 0;
        }
        if (nonzero_row)
            qkeys[nq++] = t->fkeys[i];
    }
    size_t cap = 16;
    while (cap < nq + nq / 2)
        cap *= 2;
    unsigned bits = log2_cap(cap);

    /* Strings: labels, then the stage's info, then the library's. */
    gl_buf strings = { 0 };
    for (size_t i = 0; i < L; i++)
        gl_buf_add(&strings, t->labels[i], strlen(t->labels[i]) + 1);
    uint32_t ninfo = 0;
    for (size_t i = 0; i < t->ninfo; i++)
        add_info(&strings, &ninfo, t->info[2 * i], t->info[2 * i + 1]);
    char num[64];
    add_info(&strings, &ninfo, "galley_version", PACKAGE_VERSION);
    snprintf(num, sizeof num, "%u", t->epochs);
    add_info(&strings, &ninfo, "epochs", num);
    snprintf(num, sizeof num, "%u", t->opt.min_count ? t->opt.min_count : 1);
    add_info(&strings, &ninfo, "min_count", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)t->opt.seed);
    add_info(&strings, &ninfo, "seed", num);
    snprintf(num, sizeof num, "%zu", t->nsent);
    add_info(&strings, &ninfo, "sentences", num);
    snprintf(num, sizeof num, "%zu", t->ntok);
    add_info(&strings, &ninfo, "tokens", num);
    add_info(&strings, &ninfo, "averaged", t->opt.no_average ? "no" : "yes");

    gl_model_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, GL_MODEL_MAGIC, 8);
    h.format = GALLEY_MODEL_FORMAT;
    h.byte_order = GL_MODEL_BYTE_ORDER;
    h.template_hash = t->template_hash;
    h.header_size = sizeof h;
    h.nlabels = (uint32_t)L;
    h.nfeatures = nq;
    h.table_cap = cap;
    h.scale = scale;
    h.ninfo = ninfo;
    h.flags = t->flags;
    size_t off = sizeof h;
    h.strings_off = off;
    h.strings_len = strings.len;
    off = align8(off + strings.len);
    h.trans_off = off;
    off = align8(off + nt * sizeof(int32_t));
    h.keys_off = off;
    off += cap * sizeof(uint64_t);
    h.rows_off = off;
    off = align8(off + cap * sizeof(uint32_t));
    h.weights_off = off;
    off = align8(off + nq * L * sizeof(int16_t));
    h.file_size = off;

    unsigned char *image = gl_xcalloc(1, off);
    memcpy(image + h.strings_off, strings.data, strings.len);
    gl_buf_free(&strings);
    int32_t *trans = (int32_t *)(image + h.trans_off);
    for (size_t i = 0; i < nt; i++) {
        double v = nearbyint(final_weight(t, t->trans_w[i], t->trans_u[i]) / scale);
        trans[i] = !t->allowed[i] ? GL_MODEL_FORBIDDEN
                                  : (int32_t)(v > 32767        ? 32767
                                                  : v < -32767 ? -32767
                                                               : v);
    }
    uint64_t *keys = (uint64_t *)(image + h.keys_off);
    uint32_t *rows = (uint32_t *)(image + h.rows_off);
    for (size_t r = 0; r < nq; r++) {
        size_t j = gl_model_slot(qkeys[r], bits);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = qkeys[r];
        rows[j] = (uint32_t)r;
    }
    memcpy(image + h.weights_off, q, nq * L * sizeof *q);
    free(q);
    free(qkeys);
    h.checksum = 0;
    memcpy(image, &h, sizeof h);
    h.checksum = XXH3_64bits(image + GL_MODEL_CHECKSUM_FROM, off - GL_MODEL_CHECKSUM_FROM);
    memcpy(image, &h, sizeof h);
    return gl_model_from_image(image, off, err);
}
