/* stack.c - the second pass of the tagger: features of the first pass's
 * labels, for a second model (quotes-stack.model) that relabels the
 * stretches where the first pass found something.
 *
 * The first pass sees two words a side and distances to likely cue words;
 * the second sees what the first made of the whole stretch: its labels
 * two tokens a side, whether the sentence has a (first-pass) cue or
 * source before or after the token and how far, what stands between the
 * token and that cue (a complementizer "that", "to", a colon, an opening
 * mark; a comma or closing mark before a cue after it), what the stretch
 * and the sentences around hold. Every stack template is finite (a few
 * values), so its rows are copied once like the first pass's finite ones
 * (quotes_fast) and cost no lookups. Training makes the first-pass labels
 * by jackknifed models (train.c), never from gold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* The templates, in the order of the values quotes_stack_values makes.
 * Changing one changes the stack template hash (old models refused). */
static const struct {
    const char *name;
    uint32_t nvalues;
} stack_templates[QUOTES_NSTACK] = {
    { "s-l0|margin", QUOTES_NLABELS * 4 },
    { "s-l-2", QUOTES_NLABELS + 1 },
    { "s-l-1", QUOTES_NLABELS + 1 },
    { "s-l+1", QUOTES_NLABELS + 1 },
    { "s-l+2", QUOTES_NLABELS + 1 },
    { "s-type-1|0|+1", 5 * 5 * 5 },
    { "s-sent-has|type0", 16 * 4 },
    { "s-cue-dist-1|+1", 8 * 8 },
    { "s-src-dist-1|+1", 8 * 8 },
    { "s-after-cue|quote", 6 * 2 },
    { "s-before-cue", 5 },
    { "s-stretch-has|sent-cue", 16 },
    { "s-sents-around", 9 * 9 },
    { "s-l0|mark", QUOTES_NLABELS * 4 },
    { "k-cue-before|between", 7 * 8 },
    { "k-cue-after|between", 9 * 8 },
};

/* The offsets of the label-window templates 1..4 (with labels 3 to 5
 * tokens away too, PolNeAR dev content F1 was 0.794 against 0.793 and cue
 * 0.891 against 0.895: the sentence summaries reach that far). */
#define WINDOW 4
static const int window[WINDOW] = { -2, -1, 1, 2 };

/* The hashed templates: the nearest likely cue word itself with what is
 * between (before, after). */
static const char *const stack_hashed[QUOTES_NSTACK_H] = {
    "k-cuew-1|between",
    "k-cuew+1|between",
};
/* And the word with its first-pass label type, whose rows the word cache
 * holds (quotes_word_rows.typed). */
static const char *const word_type = "s-w0|type0";

uint64_t quotes_stack_hashed_template(int k)
{
    return galley_feature_template(stack_hashed[k]);
}

uint64_t quotes_stack_word_type_template(void)
{
    return galley_feature_template(word_type);
}

uint64_t quotes_stack_hashed_id(int k, uint64_t v)
{
    return quotes_mix(quotes_stack_hashed_template(k), v);
}

uint64_t quotes_stack_word_type_id(uint64_t w, int type)
{
    return quotes_mix(quotes_stack_word_type_template(), quotes_mix(w, (uint64_t)type));
}

uint32_t quotes_stack_nvalues(int k)
{
    return stack_templates[k].nvalues;
}

uint64_t quotes_stack_id(int k, uint32_t v)
{
    return quotes_mix(galley_feature_template(stack_templates[k].name), (uint64_t)v + 1);
}

uint64_t quotes_stack_template_hash(const quotes_res *r, uint64_t first_hash)
{
    uint64_t h = galley_hash_mix(quotes_template_hash(r), 0x737461636b31ULL);
    for (int k = 0; k < QUOTES_NSTACK; k++)
        h = galley_hash_mix(h,
                            galley_hash_mix(galley_feature_template(stack_templates[k].name),
                                            stack_templates[k].nvalues));
    for (int k = 0; k < QUOTES_NSTACK_H; k++)
        h = galley_hash_mix(h, galley_feature_template(stack_hashed[k]));
    h = galley_hash_mix(h, galley_feature_template(word_type));
    return galley_hash_mix(h, first_hash);
}

uint64_t quotes_file_hash(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    uint64_t h = 0x66696c65ULL;
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        h = galley_hash_mix(h, galley_hash64(buf, got, 0));
    int bad = ferror(f);
    fclose(f);
    return bad ? 0 : h;
}

void quotes_stack_path(const char *model, char *buf, size_t n)
{
    size_t len = strlen(model);
    if (len >= 6 && strcmp(model + len - 6, ".model") == 0)
        len -= 6;
    snprintf(buf, n, "%.*s-stack.model", (int)len, model);
}

int quotes_stack_wanted(const uint16_t *l1, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l1[i] != QUOTES_L_O)
            return 1;
    return 0;
}

/* A token distance in 7 buckets (0, 1, 2, 3, 4-6, 7-12, farther), as
 * features.c buckets them. */
static uint32_t bucket(size_t d)
{
    return d <= 3 ? (uint32_t)d : d <= 6 ? 4 : d <= 12 ? 5 : 6;
}

/* A first-pass margin in 4 buckets: below zero (Viterbi chose a label
 * that was not the token's best), weak, fair, strong. */
static uint32_t margin_bucket(int32_t m)
{
    return m < 0 ? 0 : m < 1000 ? 1 : m < 4000 ? 2 : 3;
}

/* The span types present among l1[a..b): bit 0 source, 1 cue, 2 content. */
static uint32_t types_in(const uint16_t *l1, size_t a, size_t b)
{
    uint32_t bits = 0;
    for (size_t i = a; i < b; i++)
        if (l1[i] != QUOTES_L_O)
            bits |= 1u << (QUOTES_LABEL_TYPE(l1[i]) - 1);
    return bits;
}

/* What token t is after a cue: 1 "that", 2 "to", 3 a colon, 4 an
 * opening mark, 5 a comma; 0 anything else. */
static int notable(const quotes_ctx *c, size_t t, uint64_t that, uint64_t to)
{
    if (c->word[t] == that)
        return 1;
    if (c->word[t] == to)
        return 2;
    if (c->tf[t] & QUOTES_TF_OPEN)
        return 4;
    if (c->tok[t].kind == GALLEY_TOK_PUNCT)
        return c->text[c->tok[t].start] == ':' ? 3 : c->text[c->tok[t].start] == ',' ? 5 : 0;
    return 0;
}

void quotes_stack_values(const quotes_ctx *c, const quotes_seg *sg, const uint16_t *l1,
                         const int32_t *m1, galley_arena *a, uint32_t **out, uint64_t **hashed)
{
    size_t first = sg->first, n = sg->last - sg->first;
    uint32_t *v = galley_arena_alloc(a, (n + 1) * QUOTES_NSTACK * sizeof *v);
    /* Per token, from sweeps over its sentence: the nearest first-pass cue
     * and source before and after, and what lies between it and them. */
    uint32_t *cue_l = galley_arena_alloc(a, (n + 1) * 4 * sizeof *cue_l);
    uint32_t *cue_r = cue_l + n + 1, *src_l = cue_r + n + 1, *src_r = src_l + n + 1;
    uint8_t *after = galley_arena_alloc(a, 2 * (n + 1)), *before = after + n + 1;
    /* The same for the nearest likely cue word (cue-words.txt). */
    uint8_t *kw_l = galley_arena_alloc(a, 2 * (n + 1)), *kw_r = kw_l + n + 1;
    uint64_t *hv = galley_arena_alloc(a, (n + 1) * QUOTES_NSTACK_H * sizeof *hv);
    /* Per token: the types its sentence holds, and those of the sentences
     * before and after it in the stretch (8: none, the edge). */
    uint8_t *sent_has = galley_arena_alloc(a, 3 * (n + 1));
    uint8_t *prev_has = sent_has + n + 1, *next_has = prev_has + n + 1;
    uint64_t that = quotes_word_id("that", 4), to = quotes_word_id("to", 2);
    uint32_t stretch_has = types_in(l1, 0, n);
    uint32_t last_bits = 8;
    for (size_t s0 = 0; s0 < n;) {
        size_t s1 = s0;
        while (s1 < n && c->tok[first + s1].sentence == c->tok[first + s0].sentence)
            s1++;
        uint32_t bits = types_in(l1, s0, s1);
        for (size_t i = s0; i < s1; i++) {
            sent_has[i] = (uint8_t)bits;
            prev_has[i] = (uint8_t)last_bits;
            next_has[i] = 8;
        }
        if (s0)
            for (size_t i = s0;
                 i-- > 0 && c->tok[first + i].sentence == c->tok[first + s0 - 1].sentence;)
                next_has[i] = (uint8_t)bits;
        last_bits = bits;
        /* Forward: the cue and source before each token. */
        size_t lc = QUOTES_NONE, ls = QUOTES_NONE, lk = QUOTES_NONE;
        uint8_t comp = 0, kcomp = 0;
        for (size_t i = s0; i < s1; i++) {
            size_t t = first + i;
            kw_l[i] = (uint8_t)(lk == QUOTES_NONE ? 0 : kcomp * 8 + bucket(i - lk) + 1);
            hv[i * QUOTES_NSTACK_H] =
                lk == QUOTES_NONE ? 1 : quotes_mix(c->word[first + lk], kw_l[i]);
            int note = notable(c, t, that, to);
            if (c->cueb[t] >= 3) {
                lk = i;
                kcomp = 1;
            } else if (kcomp == 1 && note) {
                kcomp = (uint8_t)(1 + note);
            }
            cue_l[i] = lc == QUOTES_NONE ? 0 : bucket(i - lc) + 1;
            src_l[i] = ls == QUOTES_NONE ? 0 : bucket(i - ls) + 1;
            after[i] = comp;
            int type = QUOTES_LABEL_TYPE(l1[i]);
            if (type == 2) {
                lc = i;
                comp = 1;
            } else if (comp == 1) {
                if (c->word[t] == that)
                    comp = 2;
                else if (c->word[t] == to)
                    comp = 3;
                else if (c->tok[t].kind == GALLEY_TOK_PUNCT && c->text[c->tok[t].start] == ':')
                    comp = 4;
                else if (c->tf[t] & QUOTES_TF_OPEN)
                    comp = 5;
            }
            if (type == 1)
                ls = i;
        }
        /* Backward: the cue and source after; a comma (bit 0) or a closing
         * mark (bit 1) between the token and the cue after it. */
        size_t rc = QUOTES_NONE, rs = QUOTES_NONE, rk = QUOTES_NONE;
        uint8_t between = 0, kbetween = 0;
        for (size_t i = s1; i-- > s0;) {
            size_t t = first + i;
            kw_r[i] = (uint8_t)(rk == QUOTES_NONE ? 0 : (kbetween + 1) * 8 + bucket(rk - i));
            hv[i * QUOTES_NSTACK_H + 1] =
                rk == QUOTES_NONE ? 1 : quotes_mix(c->word[first + rk], kw_r[i]);
            if (c->cueb[t] >= 3) {
                rk = i;
                kbetween = 0;
            } else if (c->tf[t] & QUOTES_TF_CLOSE) {
                kbetween |= 2;
            } else if (c->tf[t] & QUOTES_TF_OPEN) {
                kbetween |= 4;
            } else if (c->tok[t].kind == GALLEY_TOK_PUNCT && c->text[c->tok[t].start] == ',') {
                kbetween |= 1;
            }
            cue_r[i] = rc == QUOTES_NONE ? 0 : bucket(rc - i) + 1;
            src_r[i] = rs == QUOTES_NONE ? 0 : bucket(rs - i) + 1;
            before[i] = rc == QUOTES_NONE ? 0 : (uint8_t)(1 + between);
            int type = QUOTES_LABEL_TYPE(l1[i]);
            if (type == 2) {
                rc = i;
                between = 0;
            } else if (c->tf[t] & QUOTES_TF_CLOSE) {
                between |= 2;
            } else if (c->tok[t].kind == GALLEY_TOK_PUNCT && c->text[c->tok[t].start] == ',') {
                between |= 1;
            }
            if (type == 1)
                rs = i;
        }
        s0 = s1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t t = first + i;
        uint32_t *f = v + i * QUOTES_NSTACK;
        uint32_t l0 = l1[i];
        f[0] = l0 * 4 + margin_bucket(m1[i]);
        for (int k = 0; k < WINDOW; k++) {
            ptrdiff_t j = (ptrdiff_t)i + window[k];
            f[1 + k] = j < 0 || (size_t)j >= n ? QUOTES_NLABELS : l1[j];
        }
        uint32_t tm = i ? (uint32_t)QUOTES_LABEL_TYPE(l1[i - 1]) : 4;
        uint32_t tp = i + 1 < n ? (uint32_t)QUOTES_LABEL_TYPE(l1[i + 1]) : 4;
        f[5] = tm * 25 + (uint32_t)QUOTES_LABEL_TYPE(l0) * 5 + tp;
        f[6] =
            ((cue_l[i] != 0) | (cue_r[i] != 0) << 1 | (src_l[i] != 0) << 2 | (src_r[i] != 0) << 3) *
                4 +
            (uint32_t)QUOTES_LABEL_TYPE(l0);
        f[7] = cue_l[i] * 8 + cue_r[i];
        f[8] = src_l[i] * 8 + src_r[i];
        f[9] = after[i] * 2u + ((c->tf[t] & QUOTES_TF_IN_QUOTE) != 0);
        f[10] = before[i];
        f[11] = stretch_has * 2 + ((sent_has[i] & 2) != 0);
        f[12] = prev_has[i] * 9u + next_has[i];
        uint32_t mark = (c->tf[t] & QUOTES_TF_OPEN) ? 1
            : (c->tf[t] & QUOTES_TF_CLOSE)          ? 2
            : (c->tf[t] & QUOTES_TF_IN_QUOTE)       ? 3
                                                    : 0;
        f[13] = l0 * 4 + mark;
        f[14] = kw_l[i];
        f[15] = kw_r[i];
    }
    *out = v;
    if (hashed)
        *hashed = hv;
}

void quotes_stack_features(const quotes_ctx *c, const quotes_seg *sg, const uint16_t *l1,
                           const int32_t *m1, uint64_t **feats, uint32_t **rows, size_t *np)
{
    uint64_t *bf;
    uint32_t *br;
    size_t n;
    quotes_features(c, sg, &bf, &br, &n);
    uint32_t *sv;
    uint64_t *hv;
    quotes_stack_values(c, sg, l1, m1, c->a, &sv, &hv);
    /* Per token: its base features, the finite and hashed stack ones, and
     * the word with its first-pass type. */
    uint64_t *f = galley_arena_alloc(
        c->a, (br[n] + n * (QUOTES_NSTACK + QUOTES_NSTACK_H + 1) + 1) * sizeof *f);
    uint32_t *r = galley_arena_alloc(c->a, (n + 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = (uint32_t)k;
        for (uint32_t j = br[i]; j < br[i + 1]; j++)
            f[k++] = bf[j];
        for (int j = 0; j < QUOTES_NSTACK; j++)
            f[k++] = quotes_stack_id(j, sv[i * QUOTES_NSTACK + j]);
        for (int j = 0; j < QUOTES_NSTACK_H; j++)
            f[k++] = quotes_stack_hashed_id(j, hv[i * QUOTES_NSTACK_H + j]);
        f[k++] = quotes_stack_word_type_id(c->word[sg->first + i], QUOTES_LABEL_TYPE(l1[i]));
    }
    r[n] = (uint32_t)k;
    *feats = f;
    *rows = r;
    *np = n;
}
