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
} gl_run_opts;

/* Creates the stage instances (nothing runs when any fails), then runs.
 * Returns a galley_exit: OK when the run completed (rejections are
 * counted, not errors), USAGE when a stage could not be created or an
 * output not opened, FAILED when the run could not complete (output not
 * writable, a stage's finish failed). The account is filled either way. */
int gl_run(gl_pipeline *p, const gl_run_opts *ro, gl_account *acct,
           galley_error *err);

#endif
