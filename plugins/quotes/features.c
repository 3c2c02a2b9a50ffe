/* features.c - what the tagger sees of each token: hashed features for
 * the sequence model, made the same way in training and in the stage.
 *
 * Per token: the word and its neighbours (two each side), the shape of
 * the token and its neighbours, the quote-mark structure (inside a
 * paired quote or not and of which shape, an opening or closing mark,
 * the distance to the nearest mark on each side, a paragraph that opens
 * with a mark), how likely the word is a cue (cue-words.txt, learned from
 * the training cues), the distance to the nearest likely cue word on each
 * side within the sentence, and the position in the sentence and
 * paragraph (first token, sentence index, title line). No feature comes
 * from the entities layer: the model does not change with the entities
 * stage's version, and capitalization and the words carry most of it. */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

const char *const quotes_label_names[QUOTES_NLABELS] = { "O",     "B-SRC", "I-SRC", "B-CUE",
                                                         "I-CUE", "B-CON", "I-CON" };

/* The templates, in the order of their ids below. Changing, adding or
 * reordering one changes the template hash, and old models are refused. */
static const char *const template_names[] = {
    "bias",
    "w0",
    "w-1",
    "w+1",
    "w-2",
    "w+2",
    "shape0",
    "shape-1|0",
    "shape0|+1",
    "quote",
    "mark-1",
    "mark+1",
    "cue0",
    "cue0|quote",
    "cue-dist-1",
    "cue-dist+1",
    "position",
    "shape0|quote",
    "para-opens|quote",
    "w0|quote",
    "cuew-1",
    "cuew+1",
    "sent-edge",
    "suf3",
    "cue-1|cue+1",
};
enum {
    F_BIAS,
    F_W0,
    F_WM1,
    F_WP1,
    F_WM2,
    F_WP2,
    F_SHAPE0,
    F_SHAPE_M1,
    F_SHAPE_P1,
    F_QUOTE,
    F_MARK_M1,
    F_MARK_P1,
    F_CUE0,
    F_CUE0_QUOTE,
    F_CUED_M1,
    F_CUED_P1,
    F_POS,
    F_SHAPE_QUOTE,
    F_PARA_QUOTE,
    F_W0_QUOTE,
    F_CUEW_M1,
    F_CUEW_P1,
    F_SENT_EDGE,
    F_SUF3,
    F_CUE_NB,
    F_NTEMPLATES
};

/* The template ids, computed from the names (the same in every process). */
static uint64_t template_id(int f)
{
    return galley_feature_template(template_names[f]);
}

uint64_t quotes_template_hash(const quotes_res *r)
{
    uint64_t h = 0x666561747332ULL; /* bump the constant when a value or id changes meaning */
    for (int f = 0; f < F_NTEMPLATES; f++)
        h = galley_hash_mix(h, template_id(f));
    return galley_hash_mix(h, r->lists_hash);
}

enum {
    S_LOWER,
    S_CAP,
    S_ALLCAPS,
    S_NUMBER,
    S_OPEN,
    S_CLOSE,
    S_SINGLE,
    S_COMMA,
    S_STOP,
    S_BANG,
    S_COLON,
    S_SEMI,
    S_DASH,
    S_PAREN,
    S_OTHER,
    S_POSS,
    S_EDGE
};

/* The shape class of token t (S_*). */
static int shape(const quotes_ctx *c, size_t t)
{
    const galley_token *k = &c->tok[t];
    if (c->tf[t] & QUOTES_TF_OPEN)
        return S_OPEN;
    if (c->tf[t] & QUOTES_TF_CLOSE)
        return S_CLOSE;
    if (k->kind == GALLEY_TOK_NUMBER)
        return S_NUMBER;
    if (k->kind == GALLEY_TOK_WORD) {
        char ch = c->text[k->start];
        if ((ch == '\'' || (unsigned char)ch == 0xE2) && k->end - k->start <= 4)
            return S_POSS;
        if ((k->flags & GALLEY_TF_ALL_UPPER) && k->end - k->start > 1)
            return S_ALLCAPS;
        return (k->flags & GALLEY_TF_UPPER_INITIAL) ? S_CAP : S_LOWER;
    }
    if (k->flags & GALLEY_TF_QUOTE)
        return S_SINGLE;
    switch (c->text[k->start]) {
    case ',':
        return S_COMMA;
    case '.':
        return S_STOP;
    case '!':
    case '?':
        return S_BANG;
    case ':':
        return S_COLON;
    case ';':
        return S_SEMI;
    case '-':
        return S_DASH;
    case '(':
    case ')':
    case '[':
    case ']':
        return S_PAREN;
    default:
        /* — and – are three bytes starting E2 80 9x */
        if ((unsigned char)c->text[k->start] == 0xE2 && k->end - k->start == 3 &&
            (unsigned char)c->text[k->start + 2] >= 0x93 &&
            (unsigned char)c->text[k->start + 2] <= 0x94)
            return S_DASH;
        return S_OTHER;
    }
}

/* The quote state of token t: 0 outside, else 1 + shape-ish (1 inside a
 * sentence quote, 2 inside a fragment, 3 inside a title, 4 a mark). */
static int quote_state(const quotes_ctx *c, size_t t)
{
    if (c->tf[t] & (QUOTES_TF_OPEN | QUOTES_TF_CLOSE))
        return 4;
    if (!(c->tf[t] & QUOTES_TF_IN_QUOTE))
        return 0;
    return c->q[c->quote_of[t]].shape;
}

/* A token distance in one of 7 buckets (0, 1, 2, 3, 4-6, 7-12, farther):
 * the value counts of the distance templates in fin_templates count on
 * there being 7. */
static int bucket(size_t d)
{
    return d <= 3 ? (int)d : d <= 6 ? 4 : d <= 12 ? 5 : 6;
}

/* The finite templates (a small number each) and their value counts, in
 * the order of quotes_tv.fin; the word templates; the hashed ones. */
static const struct {
    int t;
    uint32_t nvalues;
} fin_templates[QUOTES_NFIN] = {
    { F_BIAS, 1 },
    { F_SHAPE0, 17 },
    { F_SHAPE_M1, 17 * 32 },
    { F_SHAPE_P1, 17 * 32 },
    { F_QUOTE, 5 },
    { F_MARK_M1, 15 },
    { F_MARK_P1, 15 },
    { F_CUE0, 5 },
    { F_CUE0_QUOTE, 37 },
    { F_CUED_M1, 8 },
    { F_CUED_P1, 8 },
    { F_POS, 12 },
    { F_SHAPE_QUOTE, 17 * 8 },
    { F_PARA_QUOTE, 13 },
    { F_SENT_EDGE, 55 },
    { F_CUE_NB, 25 },
};
static const int word_templates[QUOTES_NWORD] = { F_W0,  F_WM1,      F_WP1,     F_WM2,
                                                  F_WP2, F_W0_QUOTE, F_W0_QUOTE };
static const int hashed_templates[QUOTES_NHASHED] = { F_CUEW_M1, F_CUEW_P1, F_SUF3 };

/* The id of the feature for finite template k (index in `finite`) and
 * value v. */
static uint64_t finite_id(int k, uint32_t v)
{
    return quotes_mix(template_id(fin_templates[k].t), (uint64_t)v + 1);
}

/* The id of word template k (QUOTES_W_*) for word id w. */
static uint64_t word_id(int k, uint64_t w)
{
    if (k == QUOTES_W_W0Q0 || k == QUOTES_W_W0Q1)
        w = quotes_mix(w, (uint64_t)(k == QUOTES_W_W0Q1));
    return quotes_mix(template_id(word_templates[k]), w);
}

/* The id of hashed template k (index in hashed_templates) for value v,
 * itself a hash (of a cue word, of a suffix). */
static uint64_t hashed_id(int k, uint64_t v)
{
    return quotes_mix(template_id(hashed_templates[k]), v);
}

void quotes_token_values(const quotes_ctx *c, const quotes_seg *sg, galley_arena *a,
                         quotes_tv **out, size_t *np)
{
    size_t first = sg->first, last = sg->last, p = sg->para;
    size_t n = last - first;
    quotes_tv *tv = galley_arena_alloc(a, (n + 1) * sizeof *tv);
    int *sh = galley_arena_alloc(a, (n + 1) * sizeof *sh);
    /* Distances to the nearest mark and likely cue word, both sides, in
     * two sweeps over the paragraph; the cue word itself with the commas
     * between. */
    uint32_t *mark_l = galley_arena_alloc(a, (n + 1) * sizeof *mark_l);
    uint32_t *mark_r = galley_arena_alloc(a, (n + 1) * sizeof *mark_r);
    uint32_t *cue_l = galley_arena_alloc(a, (n + 1) * sizeof *cue_l);
    uint32_t *cue_r = galley_arena_alloc(a, (n + 1) * sizeof *cue_r);
    uint8_t *cueb = galley_arena_alloc(a, n + 1);
    size_t lm = QUOTES_NONE, lc = QUOTES_NONE, commas = 0;
    int lm_kind = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = first + i;
        sh[i] = shape(c, t);
        cueb[i] = c->cueb[t];
        if (i && c->tok[t].sentence != c->tok[t - 1].sentence)
            lc = QUOTES_NONE;
        mark_l[i] = lm == QUOTES_NONE ? 0 : (uint32_t)(bucket(i - lm) * 2 + lm_kind + 1);
        cue_l[i] = lc == QUOTES_NONE ? 0 : (uint32_t)bucket(i - lc) + 1;
        tv[i].hashed[0] = lc == QUOTES_NONE
            ? 1
            : quotes_mix(c->word[first + lc],
                         (uint64_t)(bucket(i - lc) * 4 + (commas > 2 ? 2 : commas)));
        if (sh[i] == S_COMMA)
            commas++;
        if (c->tf[t] & (QUOTES_TF_OPEN | QUOTES_TF_CLOSE)) {
            lm = i;
            lm_kind = (c->tf[t] & QUOTES_TF_OPEN) ? 0 : 1;
        }
        if (cueb[i] >= 3) {
            lc = i;
            commas = 0;
        }
    }
    lm = lc = QUOTES_NONE;
    commas = 0;
    for (size_t i = n; i-- > 0;) {
        size_t t = first + i;
        if (i + 1 < n && c->tok[t].sentence != c->tok[t + 1].sentence)
            lc = QUOTES_NONE;
        mark_r[i] = lm == QUOTES_NONE ? 0 : (uint32_t)(bucket(lm - i) * 2 + lm_kind + 1);
        cue_r[i] = lc == QUOTES_NONE ? 0 : (uint32_t)bucket(lc - i) + 1;
        tv[i].hashed[1] = lc == QUOTES_NONE
            ? 1
            : quotes_mix(c->word[first + lc],
                         (uint64_t)(bucket(lc - i) * 4 + (commas > 2 ? 2 : commas)));
        if (sh[i] == S_COMMA)
            commas++;
        if (c->tf[t] & (QUOTES_TF_OPEN | QUOTES_TF_CLOSE)) {
            lm = i;
            lm_kind = (c->tf[t] & QUOTES_TF_OPEN) ? 0 : 1;
        }
        if (cueb[i] >= 3) {
            lc = i;
            commas = 0;
        }
    }
    uint32_t para_opens = n && (c->tf[first] & QUOTES_TF_OPEN);
    for (size_t i = 0; i < n; i++) {
        size_t t = first + i;
        quotes_tv *v = &tv[i];
        uint32_t q = (uint32_t)quote_state(c, t);
        v->word = c->word[t];
        v->q = (uint8_t)(q != 0);
        size_t si = c->tok[t].sentence - c->para[p].first_sentence;
        uint32_t sent_first = (c->tok[t].flags & GALLEY_TF_SENT_START) != 0;
        const galley_sentence *se = &c->sent[c->tok[t].sentence];
        uint32_t *f = v->fin;
        f[0] = 0;
        f[1] = (uint32_t)sh[i];
        f[2] = (uint32_t)((i ? sh[i - 1] : S_EDGE) * 32 + sh[i]);
        f[3] = (uint32_t)(sh[i] * 32 + (i + 1 < n ? sh[i + 1] : S_EDGE));
        f[4] = q;
        f[5] = mark_l[i];
        f[6] = mark_r[i];
        f[7] = cueb[i];
        f[8] = cueb[i] * 8u + q;
        f[9] = cue_l[i];
        f[10] = cue_r[i];
        f[11] = (uint32_t)((si > 2 ? 2 : si) * 4 + sent_first * 2 +
                           ((c->tf[t] & QUOTES_TF_TITLE) != 0));
        f[12] = (uint32_t)sh[i] * 8u + q;
        f[13] = para_opens * 8u + q;
        f[14] = (uint32_t)(bucket(t - se->first_token) * 8 +
                           bucket(se->first_token + se->ntokens - 1 - t));
        f[15] = (uint32_t)((i ? cueb[i - 1] : 0) * 5 + (i + 1 < n ? cueb[i + 1] : 0));
        /* The last three bytes of a longer word, as written (case is in
         * the shape): "-ed", "-ing", "-ers". */
        size_t len = c->tok[t].end - c->tok[t].start;
        v->hashed[2] = len > 4 ? galley_hash64(c->text + c->tok[t].end - 3, 3, 3) : 1;
    }
    *out = tv;
    *np = n;
}

/* The word whose template k (QUOTES_W_*) token i of a paragraph of n uses:
 * itself, or a neighbour (1 at the edges). */
static uint64_t neighbour_word(const quotes_tv *tv, size_t i, size_t n, int k)
{
    static const int offset[QUOTES_NWORD] = { 0, -1, 1, -2, 2, 0, 0 };
    ptrdiff_t j = (ptrdiff_t)i + offset[k];
    return j < 0 || (size_t)j >= n ? 1 : tv[j].word;
}

void quotes_features(const quotes_ctx *c, const quotes_seg *sg, uint64_t **feats, uint32_t **rows,
                     size_t *np)
{
    quotes_tv *tv;
    size_t n;
    quotes_token_values(c, sg, c->a, &tv, &n);
    uint64_t *f = galley_arena_alloc(c->a, (n * QUOTES_NFEATURES + 1) * sizeof *f);
    uint32_t *r = galley_arena_alloc(c->a, (n + 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = (uint32_t)k;
        for (int j = 0; j < QUOTES_NFIN; j++)
            f[k++] = finite_id(j, tv[i].fin[j]);
        for (int j = 0; j < QUOTES_NWORD; j++) {
            if ((j == QUOTES_W_W0Q0 && tv[i].q) || (j == QUOTES_W_W0Q1 && !tv[i].q))
                continue;
            f[k++] = word_id(j, neighbour_word(tv, i, n, j));
        }
        for (int j = 0; j < QUOTES_NHASHED; j++)
            f[k++] = hashed_id(j, tv[i].hashed[j]);
    }
    r[n] = (uint32_t)k;
    *feats = f;
    *rows = r;
    *np = n;
}

/* ---- The fast path: the same scores through caches ------------------------ */

/* Copies model m's rows of n finite features (ids from id(k, v) for k in
 * [0, nk), v under nvalues(k)) widened to int32 into a new table; base[k]
 * receives template k's first value's row index. NULL when out of memory. */
static int32_t *copy_rows(const galley_model *m, size_t L, int nk, uint32_t (*nvalues)(int),
                          uint64_t (*id)(int, uint32_t), uint32_t *base)
{
    uint32_t total = 0;
    for (int k = 0; k < nk; k++) {
        base[k] = total;
        total += nvalues(k);
    }
    int32_t *rows = calloc((size_t)total * QUOTES_MAX_L + 1, sizeof *rows);
    if (!rows)
        return NULL;
    for (int k = 0; k < nk; k++)
        for (uint32_t v = 0; v < nvalues(k); v++) {
            const int16_t *row = galley_model_row(m, id(k, v));
            int32_t *dst = rows + (size_t)(base[k] + v) * QUOTES_MAX_L;
            for (size_t l = 0; row && l < L; l++)
                dst[l] = row[l];
        }
    return rows;
}

/* The value count of finite template k (for copy_rows). */
static uint32_t fin_nvalues(int k)
{
    return fin_templates[k].nvalues;
}

quotes_fast *quotes_fast_new(const galley_model *m)
{
    quotes_fast *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->model = m;
    x->L = galley_model_nlabels(m);
    x->fin = copy_rows(m, x->L, QUOTES_NFIN, fin_nvalues, finite_id, x->fin_base);
    x->stack =
        copy_rows(m, x->L, QUOTES_NSTACK, quotes_stack_nvalues, quotes_stack_id, x->stack_base);
    for (int k = 0; k < QUOTES_NSTACK_H; k++)
        x->stack_hashed_t[k] = quotes_stack_hashed_template(k);
    x->word_type_t = quotes_stack_word_type_template();
    if (!x->fin || !x->stack) {
        quotes_fast_free(x);
        return NULL;
    }
    return x;
}

void quotes_fast_free(quotes_fast *x)
{
    if (!x)
        return;
    free(x->fin);
    free(x->stack);
    free(x);
}

void quotes_cache_reset(quotes_cache *cache)
{
    galley_arena *keep = cache->scratch;
    memset(cache, 0, sizeof *cache);
    cache->scratch = keep;
}

void quotes_cache_free(quotes_cache *cache)
{
    if (cache)
        galley_arena_free(cache->scratch);
    free(cache);
}

/* Fills dst[0..QUOTES_MAX_L) with model m's row of feature id (zeros
 * when m is NULL or has no such feature). */
static void fetch_row(const galley_model *m, uint64_t id, int16_t *dst)
{
    const int16_t *row = m ? galley_model_row(m, id) : NULL;
    if (row)
        memcpy(dst, row, galley_model_nlabels(m) * sizeof *row);
    else
        memset(dst, 0, QUOTES_MAX_L * sizeof *dst);
}

/* The cached rows of word w (all QUOTES_NWORD templates, both passes). */
static void fill_word_rows(const quotes_res *r, uint64_t w, quotes_word_rows *e)
{
    e->key = w;
    for (int k = 0; k < QUOTES_NWORD; k++) {
        uint64_t id = word_id(k, w);
        fetch_row(r->model, id, e->rows[0][k]);
        fetch_row(r->stack, id, e->rows[1][k]);
    }
    for (int type = 0; type < 4; type++) /* = quotes_stack_word_type_id(w, type) */
        fetch_row(r->stack,
                  r->stack ? quotes_mix(r->stack_fast->word_type_t, quotes_mix(w, (uint64_t)type))
                           : 0,
                  e->typed[type]);
}

/* The cached rows of word w (all QUOTES_NWORD templates, both passes). */
static const quotes_word_rows *word_rows(quotes_cache *cache, const quotes_res *r, uint64_t w)
{
    quotes_word_rows *e = &cache->words[w & (QUOTES_WORD_CACHE - 1)];
    if (e->key != w)
        fill_word_rows(r, w, e);
    return e;
}

/* The cached rows (both passes) of a hashed feature id; with stack_only,
 * one of the stack templates', which the first pass's model has not. */
static const quotes_row_entry *hashed_row(quotes_cache *cache, const quotes_res *r, uint64_t id,
                                          int stack_only)
{
    quotes_row_entry *e = &cache->rows[id & (QUOTES_ROW_CACHE - 1)];
    if (e->key != id) {
        e->key = id;
        fetch_row(stack_only ? NULL : r->model, id, e->row[0]);
        fetch_row(r->stack, id, e->row[1]);
    }
    return e;
}

/* Token i's word rows, safe from eviction: the cache is direct-mapped,
 * so a later word of the stretch may have taken the entry of an earlier
 * one; such a word gets its rows copied into the scratch arena. */
static void settle_word_rows(const quotes_res *r, galley_arena *a, const quotes_tv *tv, size_t n,
                             const quotes_word_rows **wr)
{
    for (size_t i = 0; i < n; i++) {
        if (wr[i]->key == tv[i].word)
            continue;
        quotes_word_rows *e = galley_arena_alloc(a, sizeof *e);
        fill_word_rows(r, tv[i].word, e);
        wr[i] = e;
    }
}

/* Adds `row` (QUOTES_MAX_L values) to acc. */
static inline void add_row16(int32_t *acc, const int16_t *row)
{
    for (size_t l = 0; l < QUOTES_MAX_L; l++)
        acc[l] += row[l];
}

/* Adds `row` (QUOTES_MAX_L values) to acc. */
static inline void add_row32(int32_t *acc, const int32_t *row)
{
    for (size_t l = 0; l < QUOTES_MAX_L; l++)
        acc[l] += row[l];
}

void quotes_stretch_prepare(const quotes_ctx *c, quotes_cache *cache, const quotes_seg *sg,
                            quotes_stretch *st)
{
    const quotes_res *r = c->res;
    if (!cache->scratch)
        cache->scratch = galley_arena_new(0);
    galley_arena_reset(cache->scratch);
    galley_arena *a = cache->scratch;
    quotes_tv *tv;
    size_t n;
    quotes_token_values(c, sg, a, &tv, &n);
    const quotes_word_rows **wr = galley_arena_alloc(a, (n + 1) * sizeof *wr);
    for (size_t i = 0; i < n; i++)
        wr[i] = word_rows(cache, r, tv[i].word);
    const quotes_word_rows *edge = word_rows(cache, r, 1);
    settle_word_rows(r, a, tv, n, wr);
    if (edge->key != 1) {
        const quotes_tv one = { .word = 1 };
        settle_word_rows(r, a, &one, 1, &edge);
    }
    int passes = r->stack ? 2 : 1;
    size_t L = r->fast->L;
    uint64_t hashed_t[QUOTES_NHASHED];
    for (int j = 0; j < QUOTES_NHASHED; j++)
        hashed_t[j] = template_id(hashed_templates[j]);
    st->sg = sg;
    st->wr = wr;
    st->n = n;
    st->scores[1] = NULL;
    for (int p = 0; p < passes; p++)
        st->scores[p] = galley_arena_calloc(a, n * L + 1, sizeof *st->scores[p]);
    for (size_t i = 0; i < n; i++) {
        const quotes_row_entry *hr[QUOTES_NHASHED];
        for (int j = 0; j < QUOTES_NHASHED; j++)
            hr[j] = hashed_row(cache, r, quotes_mix(hashed_t[j], tv[i].hashed[j]), 0);
        const quotes_word_rows *nb[QUOTES_NWORD - 1] = {
            wr[i],
            i >= 1 ? wr[i - 1] : edge,
            i + 1 < n ? wr[i + 1] : edge,
            i >= 2 ? wr[i - 2] : edge,
            i + 2 < n ? wr[i + 2] : edge,
            wr[i],
        };
        const int wk[QUOTES_NWORD - 1] = {
            QUOTES_W_W0,  QUOTES_W_WM1, QUOTES_W_WP1,
            QUOTES_W_WM2, QUOTES_W_WP2, tv[i].q ? QUOTES_W_W0Q1 : QUOTES_W_W0Q0,
        };
        for (int p = 0; p < passes; p++) {
            const quotes_fast *x = p ? r->stack_fast : r->fast;
            int32_t acc[QUOTES_MAX_L] = { 0 };
            for (int j = 0; j < QUOTES_NFIN; j++)
                add_row32(acc, x->fin + (size_t)(x->fin_base[j] + tv[i].fin[j]) * QUOTES_MAX_L);
            for (int j = 0; j < QUOTES_NWORD - 1; j++)
                add_row16(acc, nb[j]->rows[p][wk[j]]);
            for (int j = 0; j < QUOTES_NHASHED; j++)
                add_row16(acc, hr[j]->row[p]);
            int32_t *s = st->scores[p] + i * L;
            for (size_t l = 0; l < L; l++)
                s[l] = acc[l];
        }
    }
}

void quotes_stretch_add_stack(const quotes_ctx *c, quotes_cache *cache, const quotes_stretch *st,
                              const uint16_t *l1, const uint32_t *sv, const uint64_t *hv)
{
    const quotes_fast *x = c->res->stack_fast;
    size_t L = x->L;
    for (size_t i = 0; i < st->n; i++) {
        int32_t acc[QUOTES_MAX_L] = { 0 };
        for (int j = 0; j < QUOTES_NSTACK; j++)
            add_row32(acc,
                      x->stack +
                          (size_t)(x->stack_base[j] + sv[i * QUOTES_NSTACK + j]) * QUOTES_MAX_L);
        for (int j = 0; j < QUOTES_NSTACK_H; j++) {
            /* = quotes_stack_hashed_id(j, ...) */
            uint64_t id = quotes_mix(x->stack_hashed_t[j], hv[i * QUOTES_NSTACK_H + j]);
            add_row16(acc, hashed_row(cache, c->res, id, 1)->row[1]);
        }
        add_row16(acc, st->wr[i]->typed[QUOTES_LABEL_TYPE(l1[i])]);
        int32_t *s = st->scores[1] + i * L;
        for (size_t l = 0; l < L; l++)
            s[l] += acc[l];
    }
}

void quotes_scores(const quotes_ctx *c, quotes_cache *cache, const quotes_seg *sg, int pass,
                   const uint16_t *l1, const int32_t *m1, int32_t **out, size_t *np)
{
    quotes_stretch st;
    quotes_stretch_prepare(c, cache, sg, &st);
    if (pass) {
        uint32_t *sv;
        uint64_t *hv;
        quotes_stack_values(c, sg, l1, m1, cache->scratch, &sv, &hv);
        quotes_stretch_add_stack(c, cache, &st, l1, sv, hv);
    }
    *out = st.scores[pass];
    *np = st.n;
}
