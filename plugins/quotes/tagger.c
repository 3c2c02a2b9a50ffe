/* tagger.c - the sequence model over the stretches of text that may hold
 * an attribution: Source, Cue and Content labels (BIO) per token, and a
 * margin per token for the confidence of what is assembled from them. */
#include <string.h>
#include "quotes.h"

/* Whether sentence s may hold (part of) an attribution: a likely cue word,
 * a quotation mark of a quote, or a colon. */
static int candidate(const quotes_ctx *c, size_t s)
{
    const galley_sentence *se = &c->sent[s];
    for (size_t t = se->first_token; t < se->first_token + se->ntokens; t++) {
        if (c->tf[t] & (QUOTES_TF_OPEN | QUOTES_TF_CLOSE | QUOTES_TF_IN_QUOTE))
            return 1;
        if (c->tok[t].kind == GALLEY_TOK_PUNCT ? c->text[c->tok[t].start] == ':' : c->cueb[t] >= 3)
            return 1;
    }
    return 0;
}

void quotes_segments(const quotes_ctx *c, quotes_seg **out, size_t *np)
{
    quotes_seg *v = galley_arena_alloc(c->a, (c->nsent + 1) * sizeof *v);
    size_t n = 0;
    for (size_t p = 0; p < c->npara; p++) {
        const galley_paragraph *pp = &c->para[p];
        size_t s = pp->first_sentence, end = s + pp->nsentences;
        while (s < end) {
            if (!candidate(c, s)) {
                s++;
                continue;
            }
            /* A run of candidates. (With the sentence before each run too,
             * PolNeAR dev content F1 was the same and sources worse.) */
            size_t a = s;
            while (s < end && candidate(c, s))
                s++;
            const galley_sentence *last = &c->sent[s - 1];
            if (n && v[n - 1].para == p && v[n - 1].last == c->sent[a].first_token)
                v[n - 1].last = last->first_token + last->ntokens; /* joins the run before */
            else
                v[n++] = (quotes_seg){ (uint32_t)p, c->sent[a].first_token,
                                       last->first_token + last->ntokens };
        }
    }
    *out = v;
    *np = n;
}

/* Decodes one stretch's scores ([n][L]) with model m into labels[0..n)
 * and the margin of each token's label over the best other one. */
static void decode(const galley_model *m, quotes_cache *cache, const int32_t *scores, size_t n,
                   uint16_t *labels, int32_t *margin)
{
    size_t L = galley_model_nlabels(m);
    galley_model_decode(m, scores, n, labels, cache->scratch);
    for (size_t i = 0; i < n; i++) {
        const int32_t *s = scores + i * L;
        uint16_t l = labels[i];
        int32_t other = INT32_MIN;
        for (size_t j = 0; j < L; j++)
            if (j != l && s[j] > other)
                other = s[j];
        margin[i] = s[l] - other;
    }
}

void quotes_tag(quotes_ctx *c, quotes_cache *cache)
{
    const quotes_res *r = c->res;
    c->margin = galley_arena_calloc(c->a, c->ntok + 1, sizeof *c->margin);
    if (r->stack) {
        c->label1 = galley_arena_calloc(c->a, c->ntok + 1, sizeof *c->label1);
        c->margin1 = galley_arena_calloc(c->a, c->ntok + 1, sizeof *c->margin1);
    }
    quotes_seg *segs;
    size_t nseg;
    quotes_segments(c, &segs, &nseg);
    for (size_t k = 0; k < nseg; k++) {
        size_t first = segs[k].first;
        quotes_stretch st;
        quotes_stretch_prepare(c, cache, &segs[k], &st);
        size_t n = st.n;
        decode(r->model, cache, st.scores[0], n, c->label + first, c->margin + first);
        if (!r->stack)
            continue;
        /* The second pass sees the first's labels and margins. */
        memcpy(c->label1 + first, c->label + first, n * sizeof *c->label1);
        memcpy(c->margin1 + first, c->margin + first, n * sizeof *c->margin1);
        if (!quotes_stack_wanted(c->label1 + first, n))
            continue;
        uint32_t *sv;
        uint64_t *hv;
        quotes_stack_values(c, &segs[k], c->label1 + first, c->margin1 + first, cache->scratch, &sv,
                            &hv);
        quotes_stretch_add_stack(c, cache, &st, c->label1 + first, sv, hv);
        decode(r->stack, cache, st.scores[1], n, c->label + first, c->margin + first);
    }
}
