/* batch.h - the unit of work of a run: a slice of the input's records,
 * numbered in input order, and everything the run makes of them (kept
 * documents awaiting the ordered stages, formatted output, the account's
 * figures, reject lines and messages), until the writer takes it. */
#ifndef GALLEY_BATCH_H
#define GALLEY_BATCH_H

#include "io/readers.h"
#include "run/account.h"
#include "sdk/private.h"

typedef struct gl_batch {
    uint64_t seq; /* its number in input order (run/pool.h) */
    int phase;    /* which of the pool's phases it is queued for */
    gl_records recs;
    galley_doc **docs; /* kept documents awaiting the ordered stages */
    size_t ndocs, capdocs;
    gl_buf out;   /* formatted documents */
    size_t *ends; /* end of each document in out */
    size_t nends, capends;
    gl_account acct;
    gl_buf rejects;       /* --rejects lines */
    gl_buf messages;      /* stage errors and rejections, for stderr */
    uint64_t input_bytes; /* file bytes read up to this batch */
} gl_batch;

/* A stack of spare batches, so that steady state allocates nothing. */
typedef struct gl_batch_pool {
    gl_batch *spare[64];
    size_t n;
} gl_batch_pool;

/* A batch from the pool (or a new one), empty. The caller locks. */
gl_batch *gl_batch_get(gl_batch_pool *pool);
/* Empties b and keeps it for reuse (or frees it when the pool is full). */
void gl_batch_put(gl_batch_pool *pool, gl_batch *b);
void gl_batch_free(gl_batch *b);
void gl_batch_pool_free(gl_batch_pool *pool);

/* Ends the document just formatted into b->out. */
void gl_batch_end_doc(gl_batch *b);
/* Keeps a document for the ordered stages. */
void gl_batch_keep_doc(gl_batch *b, galley_doc *doc);
/* Counts a rejection: the --rejects line and, when `message` is for
 * stderr too, "galley: SOURCE: MESSAGE". */
void gl_batch_reject(gl_batch *b, const char *source, const char *reason, const char *message,
                     int to_stderr);

#endif
