/* global.h - the merged index that `galley dedup merge` writes and
 * pass = "apply" reads: every document of every shard with the decision
 * a single run over all of them makes.
 *
 * After the head (header.h, kind DEDUP_FILE_MERGED, with `nshards`):
 *     ndocs records of 40 bytes (dedup_global_rec), by rising order
 *     nrefs u32: for each document with a repeated paragraph, one entry
 *                a paragraph: the index number of the document it was
 *                first seen in, or DEDUP_NONE
 *     nslots u32 id offsets, then ids_len bytes of ids (the numbers of
 *                the single run's index: keepers and paragraph sources)
 *     u64 ndocs, nrefs, nslots, ids_len
 * then the checksum. Pass 2 maps the file and finds a document by
 * binary search on its order: memory is the page cache, 40 bytes a
 * document plus what its shard touches. */
#ifndef DEDUP_GLOBAL_H
#define DEDUP_GLOBAL_H

#include <stddef.h>
#include <stdint.h>
#include "header.h"
#include "decide.h"

#define DEDUP_NONE UINT32_MAX

typedef struct dedup_global_rec {
    uint64_t order;    /* galley_doc_order */
    uint64_t exact;    /* to check that pass 2 sees the same document */
    double similarity; /* a copy's */
    uint32_t of;       /* a copy's keeper (its cluster), or DEDUP_NONE */
    uint32_t refs;     /* first of nparas entries in the refs, or DEDUP_NONE */
    uint32_t nparas;   /* paragraphs compared (of at least min_paragraph bytes) */
    uint8_t kind;      /* DEDUP_KEEP, DEDUP_EXACT, DEDUP_NEAR */
    uint8_t pad[3];
} dedup_global_rec;

/* ---- writing (the merge) ---------------------------------------------------- */

typedef struct dedup_global_writer {
    dedup_writer w;
    uint32_t *refs;
    size_t nrefs, cap;
    uint64_t docs;
} dedup_global_writer;

int dedup_global_open(dedup_global_writer *g, const char *path, const dedup_params *p,
                      unsigned nshards, galley_error *err);
/* Adds the next document (by rising order) with its decision and its
 * paragraphs' first_seen (dedup_decide's). */
int dedup_global_add(dedup_global_writer *g, uint64_t order, uint64_t exact,
                     const dedup_decision *dec, const int64_t *first_seen, size_t nparas,
                     galley_error *err);
/* Writes the refs and the ids of ix, and puts the file in place. */
int dedup_global_commit(dedup_global_writer *g, const dedup_index *ix, galley_error *err);
void dedup_global_abort(dedup_global_writer *g);

/* ---- reading (pass 2) ---------------------------------------------------------- */

typedef struct dedup_global {
    const char *data;
    size_t size;
    dedup_shape shape;
    const dedup_global_rec *recs;
    const uint32_t *refs, *id_off;
    const char *ids;
    uint64_t ndocs, nrefs, nslots, ids_len;
} dedup_global;

/* Maps and checks a merged index: its checksum, its options against
 * `want` (the stage's), its sizes. 0 or -1 with a message. */
int dedup_global_load(dedup_global *g, const char *path, const dedup_shape *want,
                      galley_error *err);
/* The record of the document at `order`, or NULL. */
const dedup_global_rec *dedup_global_find(const dedup_global *g, uint64_t order);
/* The id of index number `slot`, or NULL when out of range. */
const char *dedup_global_id(const dedup_global *g, uint32_t slot);
void dedup_global_close(dedup_global *g);

#endif
