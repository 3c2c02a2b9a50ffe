/* pool.c - the worker pool and its reorder ring. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include "run/pool.h"

typedef struct worker_arg {
    gl_pool *pool;
    unsigned index;
} worker_arg;

struct gl_pool {
    gl_pool_work work;
    gl_pool_work after; /* the second parallel phase, or NULL */
    void *ctx;
    unsigned nworkers;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, done_cv, slot_cv;
    gl_batch **queue; /* submitted, not yet taken: FIFO ring of `window` */
    size_t queue_head, queue_n;
    gl_batch **ring;  /* batches done with `work`, by seq % window */
    gl_batch **ring2; /* batches done with `after`, by seq % window */
    size_t window;
    size_t inflight;    /* reserved and not yet released */
    uint64_t submitted; /* numbers given so far */
    uint64_t next;      /* the number the consumer waits for */
    uint64_t next2;     /* the same, after the second phase */
    int input_done;
    int stopping; /* the threads are to exit */
    gl_batch_pool spare;
    pthread_t *threads;
    worker_arg *args;
};

/* Takes the oldest queued batch, or NULL when the pool is stopping (the
 * thread then exits). */
static gl_batch *take_work(gl_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    while (pool->queue_n == 0 && !pool->stopping)
        pthread_cond_wait(&pool->work_cv, &pool->mu);
    gl_batch *b = NULL;
    if (pool->queue_n > 0) {
        b = pool->queue[pool->queue_head];
        pool->queue_head = (pool->queue_head + 1) % pool->window;
        pool->queue_n--;
    }
    pthread_mutex_unlock(&pool->mu);
    return b;
}

/* A worker thread: runs each batch it takes through its phase's callback (work,
 * or after for a batch in the second phase) outside the lock, with the worker's
 * index, then files it in that phase's ring at its sequence number and wakes
 * whoever waits for it. Returns when the pool stops. */
static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    gl_pool *pool = wa->pool;
    gl_batch *b;
    while ((b = take_work(pool))) {
        int second = b->phase == 1;
        (second ? pool->after : pool->work)(pool->ctx, wa->index, b);
        pthread_mutex_lock(&pool->mu);
        (second ? pool->ring2 : pool->ring)[b->seq % pool->window] = b;
        pthread_cond_broadcast(&pool->done_cv);
        pthread_mutex_unlock(&pool->mu);
    }
    return NULL;
}

gl_pool *gl_pool_start(unsigned nworkers, gl_pool_work work, void *ctx)
{
    gl_pool *pool = gl_xcalloc(1, sizeof *pool);
    pool->work = work;
    pool->ctx = ctx;
    pool->nworkers = nworkers ? nworkers : 1;
    pool->window = 2 * (size_t)pool->nworkers + 4;
    pool->queue = gl_xcalloc(pool->window, sizeof *pool->queue);
    pool->ring = gl_xcalloc(pool->window, sizeof *pool->ring);
    pool->ring2 = gl_xcalloc(pool->window, sizeof *pool->ring2);
    pthread_mutex_init(&pool->mu, NULL);
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->done_cv, NULL);
    pthread_cond_init(&pool->slot_cv, NULL);
    pool->threads = gl_xcalloc(pool->nworkers, sizeof *pool->threads);
    pool->args = gl_xcalloc(pool->nworkers, sizeof *pool->args);
    for (unsigned i = 0; i < pool->nworkers; i++) {
        pool->args[i].pool = pool;
        pool->args[i].index = i;
        pthread_create(&pool->threads[i], NULL, worker_main, &pool->args[i]);
    }
    return pool;
}

gl_batch *gl_pool_reserve(gl_pool *pool, int wait)
{
    pthread_mutex_lock(&pool->mu);
    while (wait && pool->inflight >= pool->window)
        pthread_cond_wait(&pool->slot_cv, &pool->mu);
    gl_batch *b = NULL;
    if (pool->inflight < pool->window) {
        pool->inflight++;
        b = gl_batch_get(&pool->spare);
    }
    pthread_mutex_unlock(&pool->mu);
    return b;
}

void gl_pool_set_after(gl_pool *pool, gl_pool_work after)
{
    pool->after = after;
}

/* Queues b for the workers; the caller holds the lock. Reserved batches
 * never outnumber the window, and each is queued once at a time, so
 * there is room. */
static void enqueue(gl_pool *pool, gl_batch *b)
{
    pool->queue[(pool->queue_head + pool->queue_n) % pool->window] = b;
    pool->queue_n++;
    pthread_cond_signal(&pool->work_cv);
}

void gl_pool_submit(gl_pool *pool, gl_batch *b)
{
    pthread_mutex_lock(&pool->mu);
    b->seq = pool->submitted++;
    b->phase = 0;
    enqueue(pool, b);
    pthread_mutex_unlock(&pool->mu);
}

void gl_pool_resubmit(gl_pool *pool, gl_batch *b)
{
    pthread_mutex_lock(&pool->mu);
    b->phase = 1;
    enqueue(pool, b);
    pthread_mutex_unlock(&pool->mu);
}

void gl_pool_end_input(gl_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    pool->input_done = 1;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_cond_broadcast(&pool->done_cv);
    pthread_mutex_unlock(&pool->mu);
}

/* Takes the batch in `ring` numbered *next when it is there; the caller
 * holds the lock. */
static gl_batch *take_ready(gl_pool *pool, gl_batch **ring, uint64_t *next)
{
    size_t slot = *next % pool->window;
    gl_batch *b = ring[slot];
    if (b) {
        ring[slot] = NULL;
        (*next)++;
    }
    return b;
}

gl_batch *gl_pool_next(gl_pool *pool, int wait, int *done)
{
    pthread_mutex_lock(&pool->mu);
    gl_batch *b;
    for (;;) {
        b = take_ready(pool, pool->ring, &pool->next);
        *done = !b && pool->input_done && pool->next >= pool->submitted;
        if (b || *done || !wait)
            break;
        pthread_cond_wait(&pool->done_cv, &pool->mu);
    }
    pthread_mutex_unlock(&pool->mu);
    return b;
}

gl_batch *gl_pool_next_any(gl_pool *pool, int *phase, int *done)
{
    pthread_mutex_lock(&pool->mu);
    gl_batch *b;
    for (;;) {
        /* The second phase first: what it gives can be written and frees
         * its place in the window. */
        if ((b = take_ready(pool, pool->ring2, &pool->next2))) {
            *phase = 1;
            break;
        }
        if ((b = take_ready(pool, pool->ring, &pool->next))) {
            *phase = 0;
            break;
        }
        *done = pool->input_done && pool->next2 >= pool->submitted;
        if (*done)
            break;
        pthread_cond_wait(&pool->done_cv, &pool->mu);
    }
    pthread_mutex_unlock(&pool->mu);
    if (b)
        *done = 0;
    return b;
}

void gl_pool_release(gl_pool *pool, gl_batch *b)
{
    pthread_mutex_lock(&pool->mu);
    gl_batch_put(&pool->spare, b);
    pool->inflight--;
    pthread_cond_signal(&pool->slot_cv);
    pthread_mutex_unlock(&pool->mu);
}

void gl_pool_stop(gl_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->mu);
    pool->stopping = 1;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->mu);
    for (unsigned i = 0; i < pool->nworkers; i++)
        pthread_join(pool->threads[i], NULL);
    gl_batch_pool_free(&pool->spare);
    pthread_mutex_destroy(&pool->mu);
    pthread_cond_destroy(&pool->work_cv);
    pthread_cond_destroy(&pool->done_cv);
    pthread_cond_destroy(&pool->slot_cv);
    free(pool->threads);
    free(pool->args);
    free(pool->queue);
    free(pool->ring);
    free(pool->ring2);
    free(pool);
}
