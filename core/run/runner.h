/* runner.h - running a pipeline over inputs: a reader thread, a pool of
 * workers for the parallel stages, and the ordered stages and the writer
 * in input order, joined by bounded queues. The output is the same for
 * any number of threads. */
#ifndef GALLEY_RUNNER_H
#define GALLEY_RUNNER_H

#include "run/account.h"
#include "config/pipeline.h"

typedef struct gl_run_opts {
    const char *const *inputs;
    size_t ninputs;
    int progress;             /* draw the progress line */
    int quiet;                /* no account on stderr */
    const char *stats_path;   /* --stats FILE */
    const char *rejects_path; /* --rejects FILE */
    unsigned shard, nshards;  /* --shard I/N; 0 and 1 for the whole input */
    int force;                /* run a shard again though it is done */
    int handle_signals;       /* SIGINT/SIGTERM stop the run cleanly */
} gl_run_opts;

/* Creates the stage instances and opens every output (nothing runs when
 * any fails, or when an output is one of the inputs), then runs. Outputs
 * get their names only when the run completes (io/outfile.h); stage
 * state is committed only then too.
 *
 * Returns a galley_exit: OK when the run completed (rejections are
 * counted, not errors), USAGE when a stage could not be created, an
 * output not opened or it is an input, FAILED when the run could not
 * complete (an output failed: the run stops at the first error; a
 * stage's finish or commit failed), or 128 + the signal when SIGINT or
 * SIGTERM stopped it (handle_signals). The account is filled either way
 * and says what really reached the output. */
int gl_run(gl_pipeline *p, const gl_run_opts *ro, gl_account *acct, galley_error *err);

#endif
