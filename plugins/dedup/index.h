/* index.h - the dedup index: every kept document's id, exact hash and
 * 8-bit MinHash signature in arrays, found again through compact tables
 * (table.h) by exact hash and by LSH band key; about 230 bytes a
 * document with short ids (see README.md). And its file. */
#ifndef DEDUP_INDEX_H
#define DEDUP_INDEX_H

#include <stdint.h>
#include <stddef.h>
#include <galley/galley.h>
#include "signature.h"

typedef struct dedup_index dedup_index;

dedup_index *dedup_index_new(const dedup_params *p);
void dedup_index_free(dedup_index *ix);

/* Number of documents, and bytes the index holds. */
uint32_t dedup_index_count(const dedup_index *ix);
size_t dedup_index_bytes(const dedup_index *ix);
const char *dedup_index_id(const dedup_index *ix, uint32_t doc);
/* The id pool (NUL-terminated ids back to back) and each document's
 * offset in it, for a file that lists the ids (the merged index). */
void dedup_index_ids(const dedup_index *ix, const char **pool, size_t *len, const uint32_t **off);

/* A document with this exact hash, or -1. */
int64_t dedup_index_exact(const dedup_index *ix, uint64_t exact);
/* The most similar indexed document sharing a band with sig, with its
 * estimated similarity, when it reaches `threshold`; else -1. Ties go to
 * the earliest document. */
int64_t dedup_index_near(const dedup_index *ix, const dedup_sig *sig, double threshold,
                         double *similarity);
/* Adds a document (its exact hash must be new); returns its number. */
uint32_t dedup_index_add(dedup_index *ix, const char *id, const dedup_sig *sig);

/* Paragraphs: the first document a paragraph hash was seen in, or -1;
 * and remembering a new one with its document. */
int64_t dedup_index_paragraph(const dedup_index *ix, uint64_t hash);
void dedup_index_add_paragraph(dedup_index *ix, uint64_t hash, uint32_t doc);
/* An id slot for a document that is not indexed (paragraph sources). */
uint32_t dedup_index_add_id(dedup_index *ix, const char *id);

/* The file: loaded at create, saved by the stage's commit (store.h:
 * temporary file, fsync, rename, fsync of the folder). Errors say what
 * is wrong and what to do. */
int dedup_index_load(dedup_index *ix, const char *path, int *missing, galley_error *err);
int dedup_index_save(const dedup_index *ix, const char *path, galley_error *err);

#endif
