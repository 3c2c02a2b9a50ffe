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
#include <string.h>
#include "quotes.h"

const char *const qt_label_names[QT_NLABELS] = {
    "O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"
};

/* The templates, in the order of their ids below. Changing, adding or
 * reordering one changes the template hash, and old models are refused. */
static const char *const template_names[] = {
    "bias", "w0", "w-1", "w+1", "w-2", "w+2", "shape0", "shape-1|0", "shape0|+1",
    "quote", "mark-1", "mark+1", "cue0", "cue0|quote", "cue-dist-1", "cue-dist+1",
    "position", "shape0|quote", "para-opens|quote", "w0|quote",
};
enum { F_BIAS, F_W0, F_WM1, F_WP1, F_WM2, F_WP2, F_SHAPE0, F_SHAPE_M1, F_SHAPE_P1,
       F_QUOTE, F_MARK_M1, F_MARK_P1, F_CUE0, F_CUE0_QUOTE, F_CUED_M1, F_CUED_P1,
       F_POS, F_SHAPE_QUOTE, F_PARA_QUOTE, F_W0_QUOTE, F_NTEMPLATES };
#define MAX_FEATURES F_NTEMPLATES

/* The template ids, computed from the names (the same in every process). */
static uint64_t template_id(int f)
{
    return galley_feature_template(template_names[f]);
}

uint64_t qt_template_hash(const qt_res *r)
{
    uint64_t h = 0x666561747331ULL;   /* bump the constant when a value changes meaning */
    for (int f = 0; f < F_NTEMPLATES; f++)
        h = galley_hash_mix(h, template_id(f));
    return galley_hash_mix(h, r->lists_hash);
}

enum { S_LOWER, S_CAP, S_ALLCAPS, S_NUMBER, S_OPEN, S_CLOSE, S_SINGLE, S_COMMA, S_STOP,
       S_BANG, S_COLON, S_SEMI, S_DASH, S_PAREN, S_OTHER, S_POSS, S_EDGE };

/* The shape class of token t (S_*). */
static int shape(const qt_ctx *c, size_t t)
{
    const galley_token *k = &c->tok[t];
    if (c->tf[t] & QT_TF_OPEN)
        return S_OPEN;
    if (c->tf[t] & QT_TF_CLOSE)
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
    case ',': return S_COMMA;
    case '.': return S_STOP;
    case '!': case '?': return S_BANG;
    case ':': return S_COLON;
    case ';': return S_SEMI;
    case '-': return S_DASH;
    case '(': case ')': case '[': case ']': return S_PAREN;
    default:
        /* — and – are three bytes starting E2 80 9x */
        if ((unsigned char)c->text[k->start] == 0xE2 && k->end - k->start == 3 &&
            (unsigned char)c->text[k->start + 2] >= 0x93 && (unsigned char)c->text[k->start + 2] <= 0x94)
            return S_DASH;
        return S_OTHER;
    }
}

/* The quote state of token t: 0 outside, else 1 + shape-ish (1 inside a
 * sentence quote, 2 inside a fragment, 3 inside a title, 4 a mark). */
static int quote_state(const qt_ctx *c, size_t t)
{
    if (c->tf[t] & (QT_TF_OPEN | QT_TF_CLOSE))
        return 4;
    if (!(c->tf[t] & QT_TF_IN_QUOTE))
        return 0;
    return c->q[c->quote_of[t]].shape;
}

static int bucket(size_t d)
{
    return d <= 3 ? (int)d : d <= 6 ? 4 : d <= 12 ? 5 : 6;
}

/* A feature of a template and a small number. */
static uint64_t fint(const uint64_t *T, int f, uint64_t v)
{
    return galley_feature_pair(T[f], v + 1);
}

void qt_features(const qt_ctx *c, size_t p, uint64_t **feats, uint32_t **rows, size_t *np)
{
    size_t first, last;
    qt_para_range(c, p, &first, &last);
    size_t n = last - first;
    uint64_t T[F_NTEMPLATES];
    for (int i = 0; i < F_NTEMPLATES; i++)
        T[i] = template_id(i);
    uint64_t *f = galley_arena_alloc(c->a, (n * MAX_FEATURES + 1) * sizeof *f);
    uint32_t *r = galley_arena_alloc(c->a, (n + 1) * sizeof *r);
    int *sh = galley_arena_alloc(c->a, (n + 1) * sizeof *sh);
    /* Distances to the nearest mark and likely cue word, both sides, in
     * two sweeps over the paragraph. */
    uint32_t *mark_l = galley_arena_alloc(c->a, (n + 1) * sizeof *mark_l);
    uint32_t *mark_r = galley_arena_alloc(c->a, (n + 1) * sizeof *mark_r);
    uint32_t *cue_l = galley_arena_alloc(c->a, (n + 1) * sizeof *cue_l);
    uint32_t *cue_r = galley_arena_alloc(c->a, (n + 1) * sizeof *cue_r);
    uint8_t *cueb = galley_arena_alloc(c->a, n + 1);
    size_t lm = QT_NONE, lc = QT_NONE;
    int lm_kind = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = first + i;
        sh[i] = shape(c, t);
        cueb[i] = qt_wordset_get(&c->res->cue_words, c->word[t]);
        if (i && c->tok[t].sentence != c->tok[t - 1].sentence)
            lc = QT_NONE;
        mark_l[i] = lm == QT_NONE ? 0 : (uint32_t)(bucket(i - lm) * 2 + lm_kind + 1);
        cue_l[i] = lc == QT_NONE ? 0 : (uint32_t)bucket(i - lc) + 1;
        if (c->tf[t] & (QT_TF_OPEN | QT_TF_CLOSE)) {
            lm = i;
            lm_kind = (c->tf[t] & QT_TF_OPEN) ? 0 : 1;
        }
        if (cueb[i] >= 3)
            lc = i;
    }
    lm = lc = QT_NONE;
    for (size_t i = n; i-- > 0;) {
        size_t t = first + i;
        if (i + 1 < n && c->tok[t].sentence != c->tok[t + 1].sentence)
            lc = QT_NONE;
        mark_r[i] = lm == QT_NONE ? 0 : (uint32_t)(bucket(lm - i) * 2 + lm_kind + 1);
        cue_r[i] = lc == QT_NONE ? 0 : (uint32_t)bucket(lc - i) + 1;
        if (c->tf[t] & (QT_TF_OPEN | QT_TF_CLOSE)) {
            lm = i;
            lm_kind = (c->tf[t] & QT_TF_OPEN) ? 0 : 1;
        }
        if (cueb[i] >= 3)
            lc = i;
    }
    int para_opens = n && (c->tf[first] & QT_TF_OPEN);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = first + i;
        r[i] = (uint32_t)k;
        int q = quote_state(c, t);
        f[k++] = fint(T, F_BIAS, 0);
        f[k++] = galley_feature_pair(T[F_W0], c->word[t]);
        f[k++] = galley_feature_pair(T[F_WM1], i >= 1 ? c->word[t - 1] : 1);
        f[k++] = galley_feature_pair(T[F_WP1], i + 1 < n ? c->word[t + 1] : 1);
        f[k++] = galley_feature_pair(T[F_WM2], i >= 2 ? c->word[t - 2] : 1);
        f[k++] = galley_feature_pair(T[F_WP2], i + 2 < n ? c->word[t + 2] : 1);
        f[k++] = fint(T, F_SHAPE0, (uint64_t)sh[i]);
        f[k++] = fint(T, F_SHAPE_M1, (uint64_t)((i ? sh[i - 1] : S_EDGE) * 32 + sh[i]));
        f[k++] = fint(T, F_SHAPE_P1, (uint64_t)(sh[i] * 32 + (i + 1 < n ? sh[i + 1] : S_EDGE)));
        f[k++] = fint(T, F_QUOTE, (uint64_t)q);
        f[k++] = fint(T, F_MARK_M1, mark_l[i]);
        f[k++] = fint(T, F_MARK_P1, mark_r[i]);
        f[k++] = fint(T, F_CUE0, cueb[i]);
        f[k++] = fint(T, F_CUE0_QUOTE, (uint64_t)(cueb[i] * 8 + q));
        f[k++] = fint(T, F_CUED_M1, cue_l[i]);
        f[k++] = fint(T, F_CUED_P1, cue_r[i]);
        size_t si = c->tok[t].sentence - c->para[p].first_sentence;
        int sent_first = (c->tok[t].flags & GALLEY_TF_SENT_START) != 0;
        f[k++] = fint(T, F_POS, (uint64_t)((si > 2 ? 2 : si) * 4 + sent_first * 2 +
                                        ((c->tf[t] & QT_TF_TITLE) != 0)));
        f[k++] = fint(T, F_SHAPE_QUOTE, (uint64_t)(sh[i] * 8 + q));
        f[k++] = fint(T, F_PARA_QUOTE, (uint64_t)(para_opens * 8 + q));
        f[k++] = galley_feature_pair(T[F_W0_QUOTE], galley_hash_mix(c->word[t], (uint64_t)(q != 0)));
    }
    r[n] = (uint32_t)k;
    *feats = f;
    *rows = r;
    *np = n;
}
