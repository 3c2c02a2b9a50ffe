/* viterbi_forward.h - Viterbi's forward pass, for viterbi.c alone, which
 * includes it once for each way of taking a lane-wise max: it defines
 * the function VITERBI_FORWARD (compiled for VITERBI_TARGET, taking
 * maxima with VITERBI_MAX) and undefines the three. No include guard on
 * purpose. */
#define VF_CAT2(a, b) a##b
#define VF_CAT(a, b) VF_CAT2(a, b)
#define VF_BLOCKS VF_CAT(VITERBI_FORWARD, _blocks)
#define VF_RENORMALIZE VF_CAT(VITERBI_FORWARD, _renormalize)

/* Shifts a column so its best (over the real labels: pl->real masks the
 * padding out) is 0 and floors it, in place, four slots at a time. */
VITERBI_TARGET static void VF_RENORMALIZE(const gl_viterbi_plan *pl, int32_t *col)
{
    const __m128i *v = (const __m128i *)col,
                  *real = (const __m128i *)pl->real; /* real: unaligned */
    const __m128i none = _mm_set1_epi32(INT32_MIN);
    __m128i m = none;
    for (size_t k = 0; k < pl->W / 4; k++) {
        __m128i r = _mm_loadu_si128(real + k);
        m = VITERBI_MAX(
            m, _mm_or_si128(_mm_and_si128(r, _mm_load_si128(v + k)), _mm_andnot_si128(r, none)));
    }
    m = VITERBI_MAX(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = VITERBI_MAX(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128i floor = _mm_set1_epi32(GL_VITERBI_FLOOR);
    for (size_t k = 0; k < pl->W / 4; k++)
        _mm_store_si128((__m128i *)col + k,
                        VITERBI_MAX(floor, _mm_sub_epi32(_mm_load_si128(v + k), m)));
}

/* cur[first + j0 + j] += max over the group's predecessors p of prev[p]
 * + weight[p][j0 + j], for nb blocks of four (nb 1..4, a constant where
 * it is inlined, so the accumulators stay in registers). */
VITERBI_TARGET static inline __attribute__((always_inline)) void VF_BLOCKS(
    const gl_viterbi_group *gr, size_t width, size_t j0, size_t nb, const int32_t *prev,
    int32_t *cur)
{
    __m128i a0 = _mm_set1_epi32(INT32_MIN), a1 = a0, a2 = a0, a3 = a0;
    const int32_t *w = gr->weights + j0;
    for (size_t k = 0; k < gr->npreds; k++, w += width) {
        const __m128i *row = (const __m128i *)w;
        __m128i f = _mm_set1_epi32(prev[gr->pred_slots[k]]);
        a0 = VITERBI_MAX(a0, _mm_add_epi32(f, _mm_loadu_si128(row)));
        if (nb > 1)
            a1 = VITERBI_MAX(a1, _mm_add_epi32(f, _mm_loadu_si128(row + 1)));
        if (nb > 2)
            a2 = VITERBI_MAX(a2, _mm_add_epi32(f, _mm_loadu_si128(row + 2)));
        if (nb > 3)
            a3 = VITERBI_MAX(a3, _mm_add_epi32(f, _mm_loadu_si128(row + 3)));
    }
    __m128i *d = (__m128i *)(cur + gr->first + j0);
    _mm_store_si128(d, _mm_add_epi32(_mm_load_si128(d), a0));
    if (nb > 1)
        _mm_store_si128(d + 1, _mm_add_epi32(_mm_load_si128(d + 1), a1));
    if (nb > 2)
        _mm_store_si128(d + 2, _mm_add_epi32(_mm_load_si128(d + 2), a2));
    if (nb > 3)
        _mm_store_si128(d + 3, _mm_add_epi32(_mm_load_si128(d + 3), a3));
}

/* Columns 1..n-1 of col (each holding its token's emissions) get the
 * best path into each slot added; renormalized every eight tokens and at
 * the last. Labels no label may precede get GL_VITERBI_FORBIDDEN. */
VITERBI_TARGET static void VITERBI_FORWARD(const gl_viterbi_plan *pl, int32_t *col, size_t n)
{
    for (size_t t = 1; t < n; t++) {
        int32_t *cur = col + t * pl->W;
        const int32_t *prev = cur - pl->W;
        for (size_t g = 0; g < pl->ngroups; g++) {
            const gl_viterbi_group *gr = &pl->groups[g];
            size_t width = gr->blocks * 4;
            if (!gr->npreds) {
                for (size_t j = 0; j < width; j++)
                    cur[gr->first + j] += GL_VITERBI_FORBIDDEN;
                continue;
            }
            if (width == 4) {
                /* One block (an inside label's group, a small label
                 * set): no bookkeeping of blocks. */
                const int32_t *w = gr->weights;
                const uint16_t *ps = gr->pred_slots;
                __m128i a =
                    _mm_add_epi32(_mm_set1_epi32(prev[ps[0]]), _mm_loadu_si128((const __m128i *)w));
                for (size_t k = 1; k < gr->npreds; k++)
                    a = VITERBI_MAX(a,
                                    _mm_add_epi32(_mm_set1_epi32(prev[ps[k]]),
                                                  _mm_loadu_si128((const __m128i *)(w + 4 * k))));
                __m128i *d = (__m128i *)(cur + gr->first);
                _mm_store_si128(d, _mm_add_epi32(_mm_load_si128(d), a));
                continue;
            }
            /* One copy of the loop for each block count. */
            for (size_t j0 = 0; j0 < width; j0 += 16)
                switch ((width - j0) / 4) {
                case 1:
                    VF_BLOCKS(gr, width, j0, 1, prev, cur);
                    break;
                case 2:
                    VF_BLOCKS(gr, width, j0, 2, prev, cur);
                    break;
                case 3:
                    VF_BLOCKS(gr, width, j0, 3, prev, cur);
                    break;
                default:
                    VF_BLOCKS(gr, width, j0, 4, prev, cur);
                    break;
                }
        }
        /* Eight tokens move the scores by at most 8 * 2^24: renormalizing
         * that often keeps every sum inside int32 (see model_format.h). */
        if ((t & 7) == 0 || t + 1 == n)
            VF_RENORMALIZE(pl, cur);
    }
}

#undef VF_BLOCKS
#undef VF_RENORMALIZE
#undef VF_CAT
#undef VF_CAT2
#undef VITERBI_MAX
#undef VITERBI_FORWARD
#undef VITERBI_TARGET
