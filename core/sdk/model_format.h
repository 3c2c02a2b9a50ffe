/* model_format.h - the layout of a galley model file (format 1), shared by
 * the loader (model.c) and the trainer that writes it (model_train.c).
 *
 * A model file is one image, mapped as is; every number is in the byte
 * order of the machine that wrote it (byte_order says which):
 *
 *     header      struct gl_model_header, 128 bytes
 *     strings     the label names, then `ninfo` pairs of key and value,
 *                 each NUL-terminated
 *     transitions int32 [(L + 2) * L]: row p < L is "label p then label
 *                 c", row L is "a sentence starts with c", row L + 1 is
 *                 "a sentence ends with c"; GL_MODEL_FORBIDDEN marks a
 *                 transition the constraints rule out
 *     keys        uint64 [table_cap]: feature ids, 0 for an empty slot,
 *                 open addressing with linear probing from gl_model_slot
 *     rows        uint32 [table_cap]: the weight row of the key's feature
 *     weights     int16 [nfeatures * L]: one row of L weights a feature
 *
 * Sections start at multiples of 8 bytes. A weight unit is worth `scale`
 * in the units the perceptron was trained in. The checksum is XXH3-64 of
 * bytes [32, file_size): everything after the checksum field. */
#ifndef GALLEY_MODEL_FORMAT_H
#define GALLEY_MODEL_FORMAT_H

#include <stdint.h>

#define GL_MODEL_MAGIC "GALLEYTM"
#define GL_MODEL_BYTE_ORDER 0x01020304u
#define GL_MODEL_FORBIDDEN INT32_MIN
#define GL_MODEL_CHECKSUM_FROM 32

typedef struct gl_model_header {
    char magic[8];
    uint32_t format;
    uint32_t byte_order;
    uint64_t file_size;
    uint64_t checksum;
    uint64_t template_hash;
    uint32_t header_size;
    uint32_t nlabels;
    uint64_t nfeatures;
    uint64_t table_cap;
    double scale;
    uint64_t strings_off, strings_len;
    uint32_t ninfo;
    uint32_t flags; /* the spec's GALLEY_MODEL_* flags */
    uint64_t trans_off;
    uint64_t keys_off;
    uint64_t rows_off;
    uint64_t weights_off;
} gl_model_header;

/* The home slot of feature f in a table of 2^bits slots: Fibonacci
 * hashing, so that ids that are not hashes still spread. */
static inline uint64_t gl_model_slot(uint64_t f, unsigned bits)
{
    return (f * 0x9E3779B97F4A7C15ULL) >> (64 - bits);
}

/* Builds a model image in memory (malloc'd; model_train.c) and wraps an
 * image into a model that owns it (model.c). */
struct galley_model;
struct galley_model *gl_model_from_image(unsigned char *image, size_t size, galley_error *err);

/* The label constraints of a label table: allowed[(p) * L + c] for p < L,
 * rows L (start) and L + 1 (end) as in the transitions. */
void gl_model_constraints(const char *const *labels, size_t n, unsigned flags,
                          unsigned char *allowed);

/* Viterbi over int32 emission scores, under transitions prepared into a
 * plan. The arithmetic is int32 in lanes of four (SSE2): every eight
 * tokens the scores are shifted so that the best is 0 and floored at
 * GL_VITERBI_FLOOR, forbidden transitions weigh GL_VITERBI_FORBIDDEN, and
 * emission and transition weights are clamped to +-GL_VITERBI_CLAMP, so
 * nothing can overflow (eight tokens move a score by 2^27 at most), a
 * forbidden transition never beats an allowed one, and the result is the
 * exact best path unless a path falls 2^28 behind the best and comes
 * back, which takes dozens of tokens of the largest possible scores. */
#define GL_MODEL_NEG (INT64_MIN / 8)
#define GL_VITERBI_FLOOR (-(1 << 28))
#define GL_VITERBI_FORBIDDEN (-(1 << 30))
#define GL_VITERBI_CLAMP (1 << 24)
typedef struct gl_viterbi_group {
    size_t ntargets, npreds, blocks; /* blocks: ntargets rounded up, over 4 */
    size_t first;                    /* its first slot in a column, a multiple of 4 */
    unsigned char *targets;          /* the labels of the group */
    unsigned char *preds;            /* their allowed predecessors, increasing */
    uint16_t *pred_slots;            /* the predecessors' slots */
    int32_t *weights;                /* npreds rows of blocks * 4 */
} gl_viterbi_group;

/* Labels that may follow the same set of labels form a group (with BIO
 * or BILOU constraints: the labels that open a span or are O, and each
 * type's inside labels), so a step costs the allowed transitions, not
 * L * L; a column of Viterbi keeps the groups' labels side by side
 * (viterbi.c). */
typedef struct gl_viterbi_plan {
    size_t L, Lp;         /* labels, and rounded up to a multiple of 4 */
    int32_t *trans;       /* L rows of Lp: label p then label c */
    int32_t *start, *end; /* Lp each */
    gl_viterbi_group *groups;
    size_t ngroups;
    unsigned char *group_of; /* L: each label's group */
    uint16_t *slot_of;       /* L: each label's slot in a column */
    size_t W;                /* slots a column: the groups' padded widths */
    int32_t *real;           /* W: -1 for a label's slot, 0 for padding */
    int kernel;              /* the forward pass: GL_VITERBI_PLAIN, _SSE2 or _SSE41 */
} gl_viterbi_plan;

/* The forward passes (viterbi.c): plain C everywhere, SSE2 where the
 * compiler targets it, SSE4.1 where the machine has it too (chosen when
 * a plan is made; a test may choose another). */
enum { GL_VITERBI_PLAIN, GL_VITERBI_SSE2, GL_VITERBI_SSE41 };

/* Allocates a plan for L labels (free with gl_viterbi_plan_free) and
 * fills it from transitions in the file's layout, widened to int64 with
 * forbidden ones at GL_MODEL_NEG; gl_viterbi_plan_fill refills it. */
void gl_viterbi_plan_init(gl_viterbi_plan *pl, size_t L);
void gl_viterbi_plan_fill(gl_viterbi_plan *pl, const int64_t *trans);
void gl_viterbi_plan_free(gl_viterbi_plan *pl);
/* The caller gives the scratch: gl_viterbi_scratch(L, n) bytes for n
 * tokens (aligned inside by viterbi.c). */
size_t gl_viterbi_scratch(size_t L, size_t n);
void gl_model_viterbi(const gl_viterbi_plan *pl, const int32_t *scores, size_t n, uint16_t *labels,
                      void *scratch);

#endif
