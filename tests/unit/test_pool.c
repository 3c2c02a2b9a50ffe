/* test_pool.c - unit tests of run/pool.c: batches come back in submit
 * order whatever order the workers finish them in, the window bounds
 * what is in flight, and the non-blocking calls do not block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <galley/galley.h>
#include "run/pool.h"
#include "tap_check.h"

/* Work that takes longer for some batches, so workers finish out of
 * order; it records the worker in the batch's account. */
static void slow_work(void *ctx, unsigned worker, gl_batch *b)
{
    (void)ctx;
    struct timespec ts = { 0, (long)((b->input_bytes * 7919) % 5) * 1000000L };
    nanosleep(&ts, NULL);
    b->acct.read = b->input_bytes * 10;
    b->acct.written = worker;
}

START_TEST(batches_come_back_in_submit_order)
{
    gl_pool *pool = gl_pool_start(4, slow_work, NULL);
    uint64_t want = 0;
    int done = 0;
    for (uint64_t i = 0; i < 200; i++) {
        gl_batch *b = gl_pool_reserve(pool, 0);
        while (!b) {
            /* Window full: consume one, as a single-threaded embedder would. */
            gl_batch *got = gl_pool_next(pool, 1, &done);
            ck_assert_ptr_nonnull(got);
            ck_assert_uint_eq(got->input_bytes, want);
            ck_assert_uint_eq(got->acct.read, want * 10);
            want++;
            gl_pool_release(pool, got);
            b = gl_pool_reserve(pool, 0);
        }
        b->input_bytes = i;
        gl_pool_submit(pool, b);
    }
    gl_pool_end_input(pool);
    gl_batch *got;
    while ((got = gl_pool_next(pool, 1, &done))) {
        ck_assert_uint_eq(got->input_bytes, want);
        ck_assert_uint_eq(got->seq, want);
        want++;
        gl_pool_release(pool, got);
    }
    ck_assert(done);
    ck_assert_uint_eq(want, 200);
    gl_pool_stop(pool);
}
END_TEST

START_TEST(the_window_bounds_reserved_batches)
{
    gl_pool *pool = gl_pool_start(1, slow_work, NULL);
    gl_batch *held[32];
    size_t n = 0;
    while (n < 32 && (held[n] = gl_pool_reserve(pool, 0)))
        n++;
    ck_assert_uint_eq(n, 2 * 1 + 4); /* the window of one worker */
    int done;
    ck_assert_ptr_null(gl_pool_next(pool, 0, &done)); /* nothing submitted: not ready */
    ck_assert(!done);
    for (size_t i = 0; i < n; i++)
        gl_pool_release(pool, held[i]); /* never submitted */
    gl_pool_end_input(pool);
    ck_assert_ptr_null(gl_pool_next(pool, 1, &done));
    ck_assert(done);
    gl_pool_stop(pool);
}
END_TEST

/* The second phase: doubles what the first one wrote. */
static void after_work(void *ctx, unsigned worker, gl_batch *b)
{
    slow_work(ctx, worker, b); /* out of order again */
    b->acct.read = b->input_bytes * 20;
    b->acct.dropped = 1;
}

START_TEST(the_second_phase_comes_back_in_order_too)
{
    gl_pool *pool = gl_pool_start(3, slow_work, NULL);
    gl_pool_set_after(pool, after_work);
    uint64_t sent = 0, first = 0, second = 0;
    int done = 0, phase, ended = 0;
    while (second < 100) {
        gl_batch *b;
        while (sent < 100 && (b = gl_pool_reserve(pool, 0))) {
            b->input_bytes = sent++;
            gl_pool_submit(pool, b);
        }
        if (sent == 100 && !ended) {
            gl_pool_end_input(pool);
            ended = 1;
        }
        b = gl_pool_next_any(pool, &phase, &done);
        ck_assert_ptr_nonnull(b);
        if (phase == 0) {
            ck_assert_uint_eq(b->input_bytes, first);
            ck_assert_uint_eq(b->acct.read, first * 10);
            first++;
            gl_pool_resubmit(pool, b);
        } else {
            ck_assert_uint_eq(b->input_bytes, second);
            ck_assert_uint_eq(b->acct.read, second * 20);
            ck_assert_uint_eq(b->acct.dropped, 1);
            second++;
            gl_pool_release(pool, b);
        }
    }
    ck_assert_ptr_null(gl_pool_next_any(pool, &phase, &done));
    ck_assert(done);
    gl_pool_stop(pool);
}
END_TEST

GALLEY_TEST_MAIN("pool", batches_come_back_in_submit_order, the_window_bounds_reserved_batches,
                 the_second_phase_comes_back_in_order_too)
