/* pool.h - worker threads over numbered batches, handed back in number
 * order: the parallel heart of a run, shared by `galley run` (whose
 * reader thread feeds it from files) and by embedders that push
 * documents themselves.
 *
 *   producer: reserve -> fill -> submit ... end_input
 *   workers:  work(batch) for each submitted batch, in any order
 *   consumer: next (in submit order) -> ordered work, output -> release
 *
 * With a second phase (gl_pool_set_after), the consumer hands each batch
 * back after its ordered work (resubmit), the workers run `after` on it
 * (formatting, in parallel), and the consumer takes it once more, in
 * order, to write it (next_any tells which phase a batch comes from).
 *
 * At most `window` batches are reserved and not yet released, which
 * bounds memory whatever the input size. One producer thread and one
 * consumer thread (they may be the same thread when it never blocks). */
#ifndef GALLEY_POOL_H
#define GALLEY_POOL_H

#include "run/batch.h"

typedef struct gl_pool gl_pool;

/* What a worker does with a batch; runs in worker `worker`. */
typedef void (*gl_pool_work)(void *ctx, unsigned worker, gl_batch *b);

/* Starts `nworkers` threads (at least 1) with a window of
 * 2 * nworkers + 4 batches. */
gl_pool *gl_pool_start(unsigned nworkers, gl_pool_work work, void *ctx);
/* An empty batch for the producer to fill, once the window has room;
 * with `wait` 0 it returns NULL instead of waiting. */
gl_batch *gl_pool_reserve(gl_pool *pool, int wait);
/* Sets the second phase; before any submit. */
void gl_pool_set_after(gl_pool *pool, gl_pool_work after);
/* Hands a filled batch to the workers; it gets the next number. */
void gl_pool_submit(gl_pool *pool, gl_batch *b);
/* Hands a batch taken from the first phase to the second. */
void gl_pool_resubmit(gl_pool *pool, gl_batch *b);
/* No more batches will be submitted. */
void gl_pool_end_input(gl_pool *pool);
/* The next batch in submit order once its work is done. With `wait` 0,
 * NULL when it is not ready yet; NULL after the last one (*done set). */
gl_batch *gl_pool_next(gl_pool *pool, int wait, int *done);
/* With a second phase: the next batch of either phase in order (*phase
 * 0 or 1), the second phase's first; waits. NULL (*done set) once every
 * batch has passed the second phase after end_input. */
gl_batch *gl_pool_next_any(gl_pool *pool, int *phase, int *done);
/* Gives a consumed batch back, freeing its place in the window. */
void gl_pool_release(gl_pool *pool, gl_batch *b);
/* Stops and joins the threads and frees the pool; every batch must have
 * been released. */
void gl_pool_stop(gl_pool *pool);

#endif
