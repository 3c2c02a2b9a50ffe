/* shard.h - the file of pass = "sign": one shard's documents, in input
 * order, with everything the merge needs to decide them as a single run
 * would, and nothing decided.
 *
 * After the head (header.h, kind DEDUP_FILE_SIGN, with `shard` and
 * `nshards` among its facts), one record a document:
 *     u64 order        galley_doc_order: its place in the whole run
 *     u64 exact        its exact hash
 *     u8  shingles     1 when it has a MinHash signature
 *     u32 id_len       the id's bytes with their NUL, then the id
 *     [128 bytes]      the signature, when shingles = 1
 *     u32 nparas       then nparas u64 paragraph hashes
 * then u64 documents, and the checksum. Orders rise strictly. */
#ifndef DEDUP_SHARD_H
#define DEDUP_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include "header.h"
#include "signature.h"

typedef struct dedup_sign_writer {
    dedup_writer w;
    uint64_t docs;
} dedup_sign_writer;

/* Opens PATH.tmp.PID with the head for shard `shard` of `nshards`. */
int dedup_sign_open(dedup_sign_writer *s, const char *path, const dedup_params *p, unsigned shard,
                    unsigned nshards, galley_error *err);
void dedup_sign_add(dedup_sign_writer *s, uint64_t order, const char *id, const dedup_sig *sig);
/* Puts the file in place (only after a whole run), or drops it. */
int dedup_sign_commit(dedup_sign_writer *s, galley_error *err);
void dedup_sign_abort(dedup_sign_writer *s);

/* A shard file opened for the merge: mapped, its checksum checked, read
 * a record at a time. */
typedef struct dedup_shard_file {
    char *path;
    const char *data;
    size_t size;
    dedup_shape shape;
    unsigned shard, nshards;
    uint64_t docs, read;
    size_t pos, end;
    /* the current record */
    uint64_t order;
    const char *id;
    dedup_sig sig;
    size_t para_cap;
} dedup_shard_file;

/* Opens and checks a shard file; 0 or -1 with a message naming it. */
int dedup_shard_open(dedup_shard_file *f, const char *path, galley_error *err);
/* Reads the next record into f->order, f->id and f->sig (bands filled
 * for p); 1, 0 at the end, or -1 when the file is damaged. */
int dedup_shard_next(dedup_shard_file *f, const dedup_params *p, galley_error *err);
void dedup_shard_close(dedup_shard_file *f);

#endif
