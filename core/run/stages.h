/* stages.h - a pipeline's stages as a run uses them: their instances
 * (one per worker for the parallel stages before the first ordered one;
 * one for the rest), and running them on a document, in the workers
 * (parallel part) or in input order (ordered part). */
#ifndef GALLEY_STAGES_H
#define GALLEY_STAGES_H

#include "config/pipeline.h"
#include "run/batch.h"

typedef struct gl_stage_run {
    const gl_stage_conf *conf;
    const galley_stage_info *info;
    void **instances;
    size_t ninstances;
    int in_workers;         /* runs in the worker threads */
    int prepare_in_workers; /* its prepare runs in the workers */
} gl_stage_run;

typedef struct gl_stages {
    gl_stage_run *run;
    size_t n;
    int has_ordered; /* some part must run in input order */
} gl_stages;

/* Creates every instance for `nworkers` workers, for input share `shard`
 * of `nshards`. On failure, destroys what was made and returns -1 with
 * the first stage's error. */
int gl_stages_create(gl_stages *st, const gl_pipeline *p, unsigned nworkers, unsigned shard,
                     unsigned nshards, galley_error *err);
void gl_stages_destroy(gl_stages *st);

/* The parallel part, in worker `worker`: the stages before the first
 * ordered one, and the ordered stages' prepare where it may run early.
 * A stage's failure rejects the document (message into b). */
void gl_stages_parallel(gl_stages *st, unsigned worker, galley_doc *doc, gl_batch *b);
/* The ordered part, in input order, on the one thread that keeps it. */
void gl_stages_ordered(gl_stages *st, galley_doc *doc, gl_batch *b);

/* Calls every instance's finish and merges the reports of each stage's
 * instances into `reports` (an object keyed by stage name; see
 * run/reports.h for the merge). Returns -1 with the first failure. */
int gl_stages_finish(gl_stages *st, galley_object *reports, galley_error *err);

/* Makes every stage's persistent state durable (their commit callbacks):
 * only after a run whose output is complete. Returns -1 with the first
 * failure. */
int gl_stages_commit(gl_stages *st, galley_error *err);

#endif
