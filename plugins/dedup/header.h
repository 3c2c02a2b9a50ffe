/* header.h - the head that every dedup file (format 3) starts with, and
 * the options it records.
 *
 *     "GALLEYDEDUP\n"  magic, 12 bytes
 *     u32 version      3
 *     u32 kind         DEDUP_FILE_SINGLE, _SIGN or _MERGED
 *     u32 text_len     then text_len bytes of "name = value\n" lines:
 *                      every option that shapes the file (see
 *                      dedup_shape_of), then facts (shard, galley version)
 *     ... the body of its kind ...
 *     u64 checksum     dedup_checksum of everything before it
 *
 * Numbers are little-endian as the machine writes them (x86-64, arm64). */
#ifndef DEDUP_HEADER_H
#define DEDUP_HEADER_H

#include <stddef.h>
#include <stdint.h>
#include "signature.h"
#include "store.h"

#define DEDUP_MAGIC "GALLEYDEDUP\n"
#define DEDUP_MAGIC_LEN 12
#define DEDUP_FORMAT 3u

enum {
    DEDUP_FILE_SINGLE = 1, /* pass = "single": the kept documents, loaded and saved */
    DEDUP_FILE_SIGN = 2,   /* pass = "sign": one shard's documents, undecided */
    DEDUP_FILE_MERGED = 3, /* `galley dedup merge`: every document's decision */
    DEDUP_FILE_FORMAT2 = 9 /* what dedup_header_read says of a format-2 file */
};

/* Options and facts as name/value text. */
#define DEDUP_SHAPE_ROWS 20
typedef struct dedup_shape {
    size_t n;
    struct {
        char name[32];
        char value[96];
    } row[DEDUP_SHAPE_ROWS];
} dedup_shape;

/* The options that shape a file of `kind` built with p: for every kind
 * the signature and exact-hash options (shingle, bands, rows, hashes,
 * seed, normalize_exact, paragraphs and, with paragraphs, min_paragraph);
 * for sign and merged files also what decides (threshold, action) and
 * the galley version, since the merge makes the decisions that pass 2
 * applies. */
void dedup_shape_of(const dedup_params *p, int kind, dedup_shape *s);
/* The options recorded by a sign or merged file, back into params (the
 * merge decides with them); 0, or -1 when a row is missing or not a
 * value the stage accepts. */
int dedup_params_of(const dedup_shape *s, dedup_params *p);
/* Adds a fact that is not compared (the shard number). */
void dedup_shape_add(dedup_shape *s, const char *name, const char *value);
/* The value of a row, or NULL. */
const char *dedup_shape_get(const dedup_shape *s, const char *name);

/* Checks that `have` (from a file) agrees with `want` on every row of
 * `want`; 0, or -1 with a message that names the first option that
 * differs and both values. `what` names the file in the message, and
 * `against` what `want` comes from (NULL: "this stage"). */
int dedup_shape_compare(const dedup_shape *have, const dedup_shape *want, const char *what,
                        const char *against, galley_error *err);

/* Writes the head of a file of `kind` with the rows of s. */
void dedup_header_write(dedup_writer *w, int kind, const dedup_shape *s);

/* Reads the head of a format-3 file held in data[0..size): checks the
 * magic, the version, the checksum (the last 8 bytes) and the kind
 * (`kind`, or any when 0); fills *s and the body's offset and length
 * (up to the checksum). Returns the kind, or -1 with a message naming
 * `what`. A format-2 file returns DEDUP_FILE_FORMAT2 without checking
 * anything else, for the caller that still reads it. */
int dedup_header_read(const char *data, size_t size, int kind, const char *what, dedup_shape *s,
                      size_t *body, size_t *body_len, galley_error *err);

#endif
