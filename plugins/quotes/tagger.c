/* tagger.c - the sequence model over each paragraph: Source, Cue and
 * Content labels (BIO) per token, and a margin per token for the
 * confidence of what is assembled from them. */
#include <string.h>
#include "quotes.h"

/* Whether paragraph [first, last) can hold an attribution at all: a
 * likely cue word, a quotation mark of a quote, or a colon. The others
 * (most of a long document's filler) are not tagged: all O. */
int qt_worth_tagging(const qt_ctx *c, size_t first, size_t last)
{
    for (size_t t = first; t < last; t++) {
        if (c->tf[t] & (QT_TF_OPEN | QT_TF_CLOSE))
            return 1;
        if (qt_wordset_get(&c->res->cue_words, c->word[t]) >= 2)
            return 1;
        if (c->tok[t].kind == GALLEY_TOK_PUNCT && c->text[c->tok[t].start] == ':')
            return 1;
    }
    return 0;
}

void qt_tag(qt_ctx *c)
{
    const galley_model *m = c->res->model;
    size_t L = galley_model_nlabels(m);
    c->margin = galley_arena_calloc(c->a, c->ntok + 1, sizeof *c->margin);
    for (size_t p = 0; p < c->npara; p++) {
        size_t first, last;
        qt_para_range(c, p, &first, &last);
        if (first >= last || !qt_worth_tagging(c, first, last))
            continue;
        uint64_t *f;
        uint32_t *rows;
        size_t n;
        qt_features(c, p, &f, &rows, &n);
        int32_t *scores = galley_arena_calloc(c->a, n * L, sizeof *scores);
        for (size_t i = 0; i < n; i++)
            for (uint32_t k = rows[i]; k < rows[i + 1]; k++)
                galley_model_add(m, f[k], scores + i * L);
        galley_model_decode(m, scores, n, c->label + first, c->a);
        /* The margin of each token's label over the best other one. */
        for (size_t i = 0; i < n; i++) {
            const int32_t *s = scores + i * L;
            uint16_t l = c->label[first + i];
            int32_t other = INT32_MIN;
            for (size_t j = 0; j < L; j++)
                if (j != l && s[j] > other)
                    other = s[j];
            c->margin[first + i] = s[l] - other;
        }
    }
}
