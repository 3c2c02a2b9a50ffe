/* runner.c - the scheduler.
 *
 *   reader thread -> [work queue] -> workers -> [reorder ring] -> main
 *
 * The reader cuts the input into batches of records for the worker pool
 * (run/pool.h), which numbers them in input order. A worker parses each
 * record into a document and runs the parallel part of the pipeline
 * (run/stages.h). The main thread takes batches back in number order,
 * runs the ordered part, formats and writes. The pool's window bounds
 * memory whatever the input size; with no ordered stage, formatting
 * happens in the workers. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/parse.h"
#include "run/pool.h"
#include "run/progress.h"
#include "run/runner.h"
#include "run/stages.h"
#include "sdk/sys.h"

#define BATCH_RECORDS 256
#define BATCH_BYTES (1024 * 1024)

typedef struct runner {
    gl_pipeline *p;
    const gl_run_opts *ro;
    gl_stages stages;
    unsigned nworkers;
    int format_in_workers;

    gl_inputs *inputs;
    gl_sink *sink;
    FILE *rejects;
    gl_progress prog;
    double t0;

    gl_pool *pool;
    pthread_t reader;
} runner;

/* ---- one batch ------------------------------------------------------------- */

/* Accounts for a finished document, formats it when kept, frees it. */
static void settle(runner *r, gl_batch *b, galley_doc *doc)
{
    switch (galley_doc_status(doc)) {
    case GALLEY_KEPT:
        gl_format_doc(&r->p->output, doc, &b->out);
        gl_batch_end_doc(b);
        b->acct.written++;
        break;
    case GALLEY_DROPPED:
        gl_account_drop(&b->acct, galley_doc_status_reason(doc), 1);
        break;
    case GALLEY_REJECTED: {
        char msg[256];
        snprintf(msg, sizeof msg, "rejected by a stage (document \"%s\")", galley_doc_id(doc));
        gl_batch_reject(b, galley_doc_source(doc), galley_doc_status_reason(doc), msg, 0);
        break;
    }
    }
    galley_doc_free(doc);
}

/* The document of one record, or NULL when the record is a rejection
 * (counted in b). */
static galley_doc *parse_record(runner *r, gl_batch *b, const gl_record *rec)
{
    const char *data = b->recs.data.data + rec->off;
    const char *source = b->recs.data.data + rec->src_off;
    if (rec->kind == GL_REC_REJECT) {
        gl_batch_reject(b, source, rec->reason, data, 1);
        return NULL;
    }
    if (rec->kind == GL_REC_TEXT)
        return gl_parse_text(data, rec->len, source, &r->p->input, &b->acct.repaired);
    const char *reason;
    galley_error err = { 0 };
    galley_doc *doc = gl_parse_json(data, rec->len, source, &r->p->input, &b->acct.repaired,
                                    &reason, &err);
    if (!doc)
        gl_batch_reject(b, source, reason, err.message, 1);
    return doc;
}

/* Worker side: parse every record and run the parallel part. */
static void work_batch(runner *r, unsigned worker, gl_batch *b)
{
    for (size_t i = 0; i < b->recs.n; i++) {
        b->acct.read++;
        galley_doc *doc = parse_record(r, b, &b->recs.recs[i]);
        if (!doc)
            continue;
        b->acct.text_bytes += galley_doc_text_len(doc);
        gl_stages_parallel(&r->stages, worker, doc, b);
        if (r->format_in_workers || galley_doc_status(doc) != GALLEY_KEPT)
            settle(r, b, doc);
        else
            gl_batch_keep_doc(b, doc);
    }
}

/* Main-thread side, in input order: the ordered part of the pipeline. */
static void order_batch(runner *r, gl_batch *b)
{
    for (size_t i = 0; i < b->ndocs; i++) {
        gl_stages_ordered(&r->stages, b->docs[i], b);
        settle(r, b, b->docs[i]);
    }
    b->ndocs = 0;
}

/* ---- threads ---------------------------------------------------------------- */

/* The pool's work: runs in the worker threads. */
static void pool_work(void *ctx, unsigned worker, gl_batch *b)
{
    work_batch(ctx, worker, b);
}

/* The reader thread: cuts the inputs into batches for the pool. */
static void *reader_main(void *arg)
{
    runner *r = arg;
    for (;;) {
        gl_batch *b = gl_pool_reserve(r->pool, 1);
        size_t got = gl_inputs_read(r->inputs, &b->recs, BATCH_RECORDS, BATCH_BYTES);
        b->input_bytes = gl_inputs_bytes_read(r->inputs);
        if (got == 0) {
            gl_pool_release(r->pool, b);
            break;
        }
        gl_pool_submit(r->pool, b);
    }
    gl_pool_end_input(r->pool);
    return NULL;
}

/* ---- the run: start, drain in order, finish ------------------------------- */

/* Creates the stage instances and opens the outputs and inputs, then
 * starts the threads. Returns 0, or a galley_exit with err set. */
static int run_start(runner *r, galley_error *err)
{
    r->nworkers = r->p->top.threads > 0 ? (unsigned)r->p->top.threads : gl_cpu_count();
    if (gl_stages_create(&r->stages, r->p, r->nworkers, err) < 0)
        return GALLEY_EXIT_USAGE;
    r->format_in_workers = !r->stages.has_ordered;
    if (!(r->sink = gl_sink_open(&r->p->output, err))) {
        gl_stages_destroy(&r->stages);
        return GALLEY_EXIT_USAGE;
    }
    if (r->ro->rejects_path && !(r->rejects = fopen(r->ro->rejects_path, "w"))) {
        galley_error_set(err, "%s: cannot write: %m", r->ro->rejects_path);
        gl_sink_close(r->sink, NULL);
        gl_stages_destroy(&r->stages);
        return GALLEY_EXIT_USAGE;
    }
    r->t0 = gl_now();
    r->inputs = gl_inputs_open(r->ro->inputs, r->ro->ninputs, &r->p->input);
    gl_progress_start(&r->prog, r->ro->progress, gl_inputs_total_bytes(r->inputs));
    r->pool = gl_pool_start(r->nworkers, pool_work, r);
    pthread_create(&r->reader, NULL, reader_main, r);
    return GALLEY_EXIT_OK;
}

/* Takes every batch in input order: the ordered stages, the output, the
 * rejects and messages, the account. After a write error the batches are
 * still drained (so the threads finish) but not written. */
static int run_drain(runner *r, gl_account *acct, galley_error *err)
{
    int status = GALLEY_EXIT_OK, done;
    gl_batch *b;
    while ((b = gl_pool_next(r->pool, 1, &done))) {
        order_batch(r, b);
        if (status == GALLEY_EXIT_OK && gl_sink_write(r->sink, b->out.data, b->ends, b->nends, err) < 0)
            status = GALLEY_EXIT_FAILED;
        if (r->rejects && b->rejects.len)
            fwrite(b->rejects.data, 1, b->rejects.len, r->rejects);
        if (b->messages.len)
            fwrite(b->messages.data, 1, b->messages.len, stderr);
        gl_account_merge(acct, &b->acct);
        acct->input_bytes = b->input_bytes;
        gl_progress_update(&r->prog, acct->read, acct->input_bytes);
        gl_pool_release(r->pool, b);
    }
    return status;
}

/* Writes data to path, replacing it; returns 0 or -1 with err set. */
static int write_file(const char *path, const char *data, size_t len, galley_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return galley_error_set(err, "%s: cannot write: %m", path);
    size_t n = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || n != len)
        return galley_error_set(err, "%s: cannot write", path);
    return 0;
}

/* Keeps the first failure: err gets e only when nothing failed before. */
static int first_failure(int status, galley_error *err, const galley_error *e)
{
    if (status == GALLEY_EXIT_OK)
        *err = *e;
    return status == GALLEY_EXIT_OK ? GALLEY_EXIT_FAILED : status;
}

/* Joins the threads, finishes the stages, closes the outputs, writes
 * --stats and prints the account. Returns the run's status. */
static int run_finish(runner *r, int status, gl_account *acct, galley_error *err)
{
    pthread_join(r->reader, NULL);
    gl_pool_stop(r->pool);
    gl_progress_end(&r->prog);
    acct->input_bytes = gl_inputs_bytes_read(r->inputs);
    gl_inputs_close(r->inputs);

    galley_arena *a = galley_arena_new(0);
    galley_object *reports = galley_object_new(a);
    galley_error e = { 0 };
    if (gl_stages_finish(&r->stages, reports, &e) != 0)
        status = first_failure(status, err, &e);
    if (gl_sink_close(r->sink, &e) < 0)
        status = first_failure(status, err, &e);
    if (r->rejects)
        fclose(r->rejects);
    acct->seconds = gl_now() - r->t0;
    if (r->ro->stats_path) {
        gl_buf sj = { 0 };
        gl_account_json(acct, &sj, reports);
        if (write_file(r->ro->stats_path, sj.data, sj.len, &e) < 0)
            status = first_failure(status, err, &e);
        gl_buf_free(&sj);
    }
    if (!r->ro->quiet)
        gl_account_print(acct, stderr, reports);
    galley_arena_free(a);
    gl_stages_destroy(&r->stages);
    return status;
}

int gl_run(gl_pipeline *p, const gl_run_opts *ro, gl_account *acct,
           galley_error *err)
{
    runner r;
    memset(&r, 0, sizeof r);
    memset(acct, 0, sizeof *acct);
    r.p = p;
    r.ro = ro;
    int status = run_start(&r, err);
    if (status != GALLEY_EXIT_OK)
        return status;
    status = run_drain(&r, acct, err);
    return run_finish(&r, status, acct, err);
}
