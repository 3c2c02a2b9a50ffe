/* viterbi.c - the best label sequence under a sequence model's
 * transitions (declared in model_format.h; used by model.c to tag and by
 * model_train.c to train).
 *
 * Labels that may follow the same labels form a group (with BIO or
 * BILOU constraints: the labels that open a span or are O, and each
 * type's inside labels). A column of scores is kept in slot order: each
 * group's labels side by side, padded to a multiple of four, so a step
 * computes a group's best predecessors four labels to a vector and
 * stores them in place, and it costs the allowed transitions, not L * L.
 * Padding slots hold values far below any real label's and are never
 * read as predecessors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <smmintrin.h>
#define GL_VITERBI_DISPATCH 1 /* SSE4.1's pmaxsd chosen at run time */
#endif
#include "sdk/private.h"
#include "sdk/model_format.h"

/* A weight brought into +-GL_VITERBI_CLAMP, the range in which Viterbi's int32
 * sums cannot overflow (model_format.h says why). */
static inline int32_t clamp_weight(int64_t w)
{
    return (int32_t)(w > GL_VITERBI_CLAMP        ? GL_VITERBI_CLAMP
                         : w < -GL_VITERBI_CLAMP ? -GL_VITERBI_CLAMP
                                                 : w);
}

void gl_viterbi_plan_init(gl_viterbi_plan *pl, size_t L)
{
    memset(pl, 0, sizeof *pl);
    pl->L = L;
    pl->Lp = (L + 3) & ~(size_t)3;
    pl->trans = gl_xmalloc((L + 2) * pl->Lp * sizeof *pl->trans);
    pl->start = pl->trans + L * pl->Lp;
    pl->end = pl->start + pl->Lp;
    pl->group_of = gl_xmalloc(L);
    pl->slot_of = gl_xmalloc(L * sizeof *pl->slot_of);
    pl->kernel = GL_VITERBI_PLAIN;
#ifdef __SSE2__
    pl->kernel = GL_VITERBI_SSE2;
#ifdef GL_VITERBI_DISPATCH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.1"))
        pl->kernel = GL_VITERBI_SSE41;
#endif
#endif
}

/* Frees the groups of a plan (they change with the constraints). */
static void free_groups(gl_viterbi_plan *pl)
{
    for (size_t g = 0; g < pl->ngroups; g++) {
        free(pl->groups[g].targets);
        free(pl->groups[g].preds);
        free(pl->groups[g].pred_slots);
        free(pl->groups[g].weights);
    }
    free(pl->groups);
    pl->groups = NULL;
    pl->ngroups = 0;
}

/* Do labels a and b allow the same predecessors? */
static int same_preds(const gl_viterbi_plan *pl, size_t a, size_t b)
{
    for (size_t p = 0; p < pl->L; p++)
        if ((pl->trans[p * pl->Lp + a] == GL_VITERBI_FORBIDDEN) !=
            (pl->trans[p * pl->Lp + b] == GL_VITERBI_FORBIDDEN))
            return 0;
    return 1;
}

/* Groups the labels by their allowed predecessors, in label order, and
 * lays the groups' slots side by side. */
static void make_groups(gl_viterbi_plan *pl)
{
    size_t L = pl->L, Lp = pl->Lp;
    free_groups(pl);
    pl->groups = gl_xcalloc(L, sizeof *pl->groups);
    for (size_t c = 0; c < L; c++) {
        size_t g = 0;
        while (g < pl->ngroups && !same_preds(pl, pl->groups[g].targets[0], c))
            g++;
        gl_viterbi_group *gr = &pl->groups[g];
        if (g == pl->ngroups) {
            pl->ngroups++;
            gr->targets = gl_xmalloc(L);
            gr->preds = gl_xmalloc(L);
            for (size_t p = 0; p < L; p++)
                if (pl->trans[p * Lp + c] != GL_VITERBI_FORBIDDEN)
                    gr->preds[gr->npreds++] = (unsigned char)p;
        }
        gr->targets[gr->ntargets++] = (unsigned char)c;
        pl->group_of[c] = (unsigned char)g;
    }
    size_t slot = 0;
    for (size_t g = 0; g < pl->ngroups; g++) {
        gl_viterbi_group *gr = &pl->groups[g];
        gr->blocks = (gr->ntargets + 3) / 4;
        gr->first = slot;
        for (size_t j = 0; j < gr->ntargets; j++)
            pl->slot_of[gr->targets[j]] = (uint16_t)(slot + j);
        slot += gr->blocks * 4;
        gr->weights = gl_xmalloc((gr->npreds + 1) * gr->blocks * 4 * sizeof *gr->weights);
    }
    pl->W = slot;
    free(pl->real);
    pl->real = gl_xcalloc(slot, sizeof *pl->real);
    for (size_t c = 0; c < L; c++)
        pl->real[pl->slot_of[c]] = -1;
    for (size_t g = 0; g < pl->ngroups; g++) {
        gl_viterbi_group *gr = &pl->groups[g];
        gr->pred_slots = gl_xmalloc((gr->npreds + 1) * sizeof *gr->pred_slots);
        for (size_t k = 0; k < gr->npreds; k++)
            gr->pred_slots[k] = pl->slot_of[gr->preds[k]];
    }
}

void gl_viterbi_plan_fill(gl_viterbi_plan *pl, const int64_t *trans)
{
    size_t L = pl->L, Lp = pl->Lp;
    for (size_t r = 0; r < L + 2; r++)
        for (size_t c = 0; c < Lp; c++) {
            int64_t w = c < L ? trans[r * L + c] : GL_MODEL_NEG;
            pl->trans[r * Lp + c] = w == GL_MODEL_NEG ? GL_VITERBI_FORBIDDEN : clamp_weight(w);
        }
    /* Training refills the plan after every update: regroup only when
     * the allowed transitions changed. */
    int regroup = pl->ngroups == 0;
    for (size_t g = 0; g < pl->ngroups && !regroup; g++)
        for (size_t k = 1; k < pl->groups[g].ntargets; k++)
            regroup |= !same_preds(pl, pl->groups[g].targets[0], pl->groups[g].targets[k]);
    if (regroup)
        make_groups(pl);
    for (size_t g = 0; g < pl->ngroups; g++) {
        gl_viterbi_group *gr = &pl->groups[g];
        for (size_t k = 0; k < gr->npreds; k++)
            for (size_t j = 0; j < gr->blocks * 4; j++)
                gr->weights[k * gr->blocks * 4 + j] = j < gr->ntargets
                    ? pl->trans[gr->preds[k] * Lp + gr->targets[j]]
                    : GL_VITERBI_FORBIDDEN;
    }
}

void gl_viterbi_plan_free(gl_viterbi_plan *pl)
{
    free_groups(pl);
    free(pl->trans);
    free(pl->group_of);
    free(pl->slot_of);
    free(pl->real);
    memset(pl, 0, sizeof *pl);
}

/* A column has at most 4 L slots (every group padded by 3 at most). */
size_t gl_viterbi_scratch(size_t L, size_t n)
{
    return 16 + n * 4 * L * sizeof(int32_t);
}

/* Shifts a column so its best (over the L real labels) is 0 and floors
 * it, in place. */
static void renormalize(const gl_viterbi_plan *pl, int32_t *col)
{
    int32_t max = col[pl->slot_of[0]];
    for (size_t c = 1; c < pl->L; c++) {
        int32_t v = col[pl->slot_of[c]];
        max = v > max ? v : max;
    }
    for (size_t k = 0; k < pl->W; k++) {
        int32_t v = col[k] - max;
        col[k] = v < GL_VITERBI_FLOOR ? GL_VITERBI_FLOOR : v;
    }
}

/* Puts the emission scores of n tokens (label order) into their columns
 * (slot order), clamped unless in_range says all are inside the clamp
 * already; the padding gets 0. */
static void emissions(const gl_viterbi_plan *pl, const int32_t *scores, size_t n, int in_range,
                      int32_t *col)
{
    size_t L = pl->L, W = pl->W;
    for (size_t t = 0; t < n; t++, scores += L, col += W) {
        for (size_t k = 0; k < W; k++)
            col[k] = 0;
        if (in_range)
            for (size_t c = 0; c < L; c++)
                col[pl->slot_of[c]] = scores[c];
        else
            for (size_t c = 0; c < L; c++)
                col[pl->slot_of[c]] = clamp_weight(scores[c]);
    }
}

#ifdef __SSE2__
/* max(a, b) lane by lane (SSE2 has no pmaxsd). */
static inline __m128i max_sse2(__m128i a, __m128i b)
{
    __m128i m = _mm_cmpgt_epi32(a, b);
    return _mm_or_si128(_mm_and_si128(m, a), _mm_andnot_si128(m, b));
}

/* The forward pass, once for each way of taking a lane-wise max. */
#define VITERBI_MAX max_sse2
#define VITERBI_FORWARD forward_sse2
#define VITERBI_TARGET
#include "sdk/viterbi_forward.h"
#ifdef GL_VITERBI_DISPATCH
#define VITERBI_MAX _mm_max_epi32
#define VITERBI_FORWARD forward_sse41
#define VITERBI_TARGET __attribute__((target("sse4.1")))
#include "sdk/viterbi_forward.h"
#endif

#endif

/* The forward pass without vectors (machines without SSE2, and tested
 * against the others everywhere): cur[k] += max over the group's
 * predecessors of prev + weight, for the labels' slots (the padding keeps
 * its 0: no label reads it). */
static void forward_plain(const gl_viterbi_plan *pl, int32_t *col, size_t n)
{
    for (size_t t = 1; t < n; t++) {
        int32_t *cur = col + t * pl->W;
        const int32_t *prev = cur - pl->W;
        for (size_t g = 0; g < pl->ngroups; g++) {
            const gl_viterbi_group *gr = &pl->groups[g];
            size_t width = gr->blocks * 4;
            for (size_t j = 0; j < gr->ntargets; j++) {
                int32_t best = GL_VITERBI_FORBIDDEN;
                for (size_t k = 0; k < gr->npreds; k++) {
                    int32_t v = prev[gr->pred_slots[k]] + gr->weights[k * width + j];
                    best = k == 0 || v > best ? v : best;
                }
                cur[gr->first + j] += best;
            }
        }
        if ((t & 7) == 0 || t + 1 == n)
            renormalize(pl, cur);
    }
}

/* Are all n scores inside +-GL_VITERBI_CLAMP? (Scores summed from a
 * model's rows are far inside: checking a sentence at once spares
 * clamping label by label.) */
static int in_range(const int32_t *s, size_t n)
{
    size_t i = 0;
    int ok = 1;
#ifdef __SSE2__
    /* Four at a time: a lane goes all ones when its score is out. */
    const __m128i top = _mm_set1_epi32(GL_VITERBI_CLAMP),
                  bottom = _mm_set1_epi32(-GL_VITERBI_CLAMP);
    __m128i out = _mm_setzero_si128();
    for (; i + 4 <= n; i += 4) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        out = _mm_or_si128(out, _mm_or_si128(_mm_cmpgt_epi32(v, top), _mm_cmpgt_epi32(bottom, v)));
    }
    ok = _mm_movemask_epi8(out) == 0;
#endif
    for (; i < n; i++)
        ok &= s[i] >= -GL_VITERBI_CLAMP && s[i] <= GL_VITERBI_CLAMP;
    return ok;
}

void gl_model_viterbi(const gl_viterbi_plan *pl, const int32_t *scores, size_t n, uint16_t *labels,
                      void *scratch)
{
    if (n == 0)
        return;
    size_t L = pl->L, W = pl->W;
    /* One column of W scores a token, kept for the trace back; the
     * emissions go in first, the forward pass adds the paths to them. */
    int32_t *col = (int32_t *)(((uintptr_t)scratch + 15) & ~(uintptr_t)15);
    emissions(pl, scores, n, in_range(scores, n * L), col);
    for (size_t k = 0; k < W; k++)
        col[k] = GL_VITERBI_FORBIDDEN;
    for (size_t c = 0; c < L; c++)
        col[pl->slot_of[c]] = pl->start[c] + clamp_weight(scores[c]);
    renormalize(pl, col);
    switch (pl->kernel) {
#ifdef __SSE2__
#ifdef GL_VITERBI_DISPATCH
    case GL_VITERBI_SSE41:
        forward_sse41(pl, col, n);
        break;
#endif
    case GL_VITERBI_SSE2:
        forward_sse2(pl, col, n);
        break;
#endif
    default:
        forward_plain(pl, col, n);
        break;
    }
    const int32_t *last_col = col + (n - 1) * W;
    int64_t best = INT64_MIN;
    size_t last = 0;
    for (size_t c = 0; c < L; c++) {
        int64_t v = (int64_t)last_col[pl->slot_of[c]] + pl->end[c];
        if (v > best) {
            best = v;
            last = c;
        }
    }
    /* With no allowed path at all (a label table that allows none) every
     * token gets label 0. */
    if (best <= GL_VITERBI_FORBIDDEN) {
        memset(labels, 0, n * sizeof *labels);
        return;
    }
    /* Trace back: the predecessor is the lowest label that gives the
     * column's maximum, as a forward pass keeping the first best would. */
    for (size_t t = n; t-- > 0;) {
        labels[t] = (uint16_t)last;
        if (t == 0)
            break;
        const int32_t *prev = col + (t - 1) * W;
        const gl_viterbi_group *gr = &pl->groups[pl->group_of[last]];
        const int32_t *w = gr->weights + (pl->slot_of[last] - gr->first);
        size_t width = gr->blocks * 4;
        int32_t bestv = INT32_MIN;
        size_t arg = 0;
        for (size_t k = 0; k < gr->npreds; k++) {
            int32_t v = prev[gr->pred_slots[k]] + w[k * width];
            if (v > bestv) {
                bestv = v;
                arg = gr->preds[k];
            }
        }
        last = arg;
    }
}
