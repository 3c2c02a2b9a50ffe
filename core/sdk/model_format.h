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
    uint32_t flags;           /* the spec's GALLEY_MODEL_* flags */
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
struct galley_model *gl_model_from_image(unsigned char *image, size_t size,
                                         galley_error *err);

/* The label constraints of a label table: allowed[(p) * L + c] for p < L,
 * rows L (start) and L + 1 (end) as in the transitions. */
void gl_model_constraints(const char *const *labels, size_t n, unsigned flags,
                          unsigned char *allowed);

/* Viterbi over int32 emission scores and int64 transitions in the file's
 * layout (forbidden ones at GL_MODEL_NEG). */
#define GL_MODEL_NEG (INT64_MIN / 4)
void gl_model_viterbi(const int64_t *trans, size_t L, const int32_t *scores,
                      size_t n, uint16_t *labels, unsigned char *bp);

#endif
