/* runner.c - the scheduler.
 *
 *   reader thread -> [work queue] -> workers -> [reorder ring] -> main
 *
 * The reader cuts the input into batches of records for the worker pool
 * (run/pool.h), which numbers them in input order. A worker parses each
 * record into a document and runs the parallel part of the pipeline
 * (run/stages.h) and, when there is no ordered stage, formats. The main
 * thread takes batches back in number order and writes them; with an
 * ordered stage it first runs the ordered part on each batch and hands
 * it back to the workers to format (the pool's second phase), so the
 * main thread does only the in-order decisions and the writing. The
 * pool's window bounds memory whatever the input size. */
#define _GNU_SOURCE 1 /* RUSAGE_THREAD: the main thread's own CPU time */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io/outfile.h"
#include "io/json_read.h"
#include "io/text_read.h"
#include "io/sink.h"
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

    gl_inputs *inputs;
    char out_path[4096]; /* the output, shard-named under --shard */
    char stats_path[4096], rejects_path[4096], marker_path[4200];
    gl_sink *sink;
    gl_outfile rejects; /* --rejects, when given */
    int have_rejects;
    gl_progress prog;
    double t0;

    gl_pool *pool;
    gl_json_scratch *scratch; /* one per worker */
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
static galley_doc *parse_record(runner *r, unsigned worker, gl_batch *b, const gl_record *rec)
{
    const char *data = b->recs.data.data + rec->off;
    const char *source = b->recs.data.data + rec->src_off;
    if (rec->kind == GL_REC_REJECT) {
        gl_batch_reject(b, source, rec->reason, data, 1);
        return NULL;
    }
    galley_doc *doc;
    if (rec->kind == GL_REC_TEXT) {
        doc = gl_text_read_doc(data, rec->len, source, &r->p->input, &b->acct.repaired);
    } else {
        const char *reason;
        galley_error err = { 0 };
        doc = gl_json_read_doc(data, rec->len, source, &r->p->input, &r->scratch[worker],
                               &b->acct.repaired, &reason, &err);
        if (!doc) {
            gl_batch_reject(b, source, reason, err.message, 1);
            return NULL;
        }
    }
    galley_doc_set_order(doc, rec->order);
    return doc;
}

/* Worker side: parse every record and run the parallel part. */
static void work_batch(runner *r, unsigned worker, gl_batch *b)
{
    for (size_t i = 0; i < b->recs.n; i++) {
        b->acct.read++;
        galley_doc *doc = parse_record(r, worker, b, &b->recs.recs[i]);
        if (!doc)
            continue;
        b->acct.text_bytes += galley_doc_text_len(doc);
        gl_stages_parallel(&r->stages, worker, doc, b);
        if (!r->stages.has_ordered || galley_doc_status(doc) != GALLEY_KEPT)
            settle(r, b, doc);
        else
            gl_batch_keep_doc(b, doc);
    }
}

/* Main-thread side, in input order: the ordered part of the pipeline.
 * The documents it keeps stay in b for the workers to format; the ones
 * it drops or rejects are settled here. */
static void order_batch(runner *r, gl_batch *b)
{
    size_t kept = 0;
    for (size_t i = 0; i < b->ndocs; i++) {
        galley_doc *doc = b->docs[i];
        gl_stages_ordered(&r->stages, doc, b);
        if (galley_doc_status(doc) == GALLEY_KEPT)
            b->docs[kept++] = doc;
        else
            settle(r, b, doc);
    }
    b->ndocs = kept;
}

/* Worker side, after the ordered part: formats the kept documents. */
static void format_batch(runner *r, gl_batch *b)
{
    for (size_t i = 0; i < b->ndocs; i++)
        settle(r, b, b->docs[i]);
    b->ndocs = 0;
}

/* ---- threads ---------------------------------------------------------------- */

/* The pool's work: runs in the worker threads. */
static void pool_work(void *ctx, unsigned worker, gl_batch *b)
{
    work_batch(ctx, worker, b);
}

/* The pool's second phase, with an ordered stage: formatting. */
static void pool_format(void *ctx, unsigned worker, gl_batch *b)
{
    (void)worker;
    format_batch(ctx, b);
}

/* The reader thread: cuts the inputs into batches for the pool. */
static void *reader_main(void *arg)
{
    runner *r = arg;
    while (!gl_stop_requested()) {
        gl_batch *b = gl_pool_reserve(r->pool, 1);
        size_t got = gl_stop_requested()
            ? 0
            : gl_inputs_read(r->inputs, &b->recs, BATCH_RECORDS, BATCH_BYTES);
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

/* ---- signals -------------------------------------------------------------- */

/* SIGINT or SIGTERM: the first asks the run to stop (the reader stops,
 * what is in flight is drained, the outputs are removed); a second
 * SIGINT removes the temporary files and exits at once. */
static void on_signal(int signo)
{
    if (gl_stop_requested() > 0 && signo == SIGINT) {
        gl_outfile_abort_all_from_signal();
        _exit(128 + signo);
    }
    gl_stop_request(signo);
}

/* Installs (on) or restores (off) the handlers of SIGINT and SIGTERM.
 * No SA_RESTART: a read from a pipe wakes up to see the request. */
static void catch_signals(int on)
{
    static struct sigaction saved_int, saved_term;
    if (on) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &saved_int);
        sigaction(SIGTERM, &sa, &saved_term);
    } else {
        sigaction(SIGINT, &saved_int, NULL);
        sigaction(SIGTERM, &saved_term, NULL);
    }
}

/* ---- the run: start, drain in order, finish ------------------------------- */

/* run_start's answer for a shard whose marker says it is done. */
#define ALREADY_DONE (-1)

/* The name a --shard run gives an output path (unchanged otherwise). */
static void shard_name(const runner *r, const char *path, char *out, size_t size)
{
    if (r->ro->nshards > 1 && strcmp(path, "-") != 0)
        galley_shard_path(path, r->ro->shard, r->ro->nshards, out, size);
    else
        snprintf(out, size, "%s", path);
}

/* Names every output and refuses, before anything is read, an output
 * that is one of the inputs or would land under an input folder. */
static int check_outputs(runner *r, galley_error *err)
{
    const gl_run_opts *ro = r->ro;
    shard_name(r, r->p->output.path, r->out_path, sizeof r->out_path);
    if (ro->stats_path)
        shard_name(r, ro->stats_path, r->stats_path, sizeof r->stats_path);
    if (ro->rejects_path)
        shard_name(r, ro->rejects_path, r->rejects_path, sizeof r->rejects_path);
    if (ro->nshards > 1) {
        if (strcmp(r->out_path, "-") == 0)
            return galley_error_set(err,
                                    "--shard needs an output file (-o FILE): the shard's "
                                    "outputs and its completion marker are named after it");
        struct stat st;
        if (stat(r->p->output.path, &st) == 0 && !S_ISREG(st.st_mode))
            return galley_error_set(err,
                                    "%s: --shard needs an output file, not a device or a pipe: "
                                    "the shard's outputs and its completion marker are named "
                                    "after it",
                                    r->p->output.path);
        snprintf(r->marker_path, sizeof r->marker_path, "%s.done", r->out_path);
    }
    const char *const outs[] = { r->out_path, r->stats_path, r->rejects_path, r->marker_path };
    const char *const what[] = { "the output", "--stats", "--rejects", "the completion marker" };
    for (size_t i = 0; i < GL_ARRAY_LEN(outs); i++)
        if (outs[i][0] && strcmp(outs[i], "-") != 0 && gl_inputs_claim(r->inputs, outs[i]))
            return galley_error_set(err,
                                    "%s: %s is one of the inputs or lies in an input folder: "
                                    "galley would read its own output (write it elsewhere)",
                                    outs[i], what[i]);
    return 0;
}

/* Opens the outputs (under temporary names), then the stage instances,
 * then starts the threads. Returns 0, ALREADY_DONE, or a galley_exit
 * with err set; on failure nothing is left open. */
static int run_start(runner *r, galley_error *err)
{
    const gl_run_opts *ro = r->ro;
    r->inputs = gl_inputs_open(ro->inputs, ro->ninputs, &r->p->input, ro->shard,
                               ro->nshards ? ro->nshards : 1, err);
    if (!r->inputs)
        return GALLEY_EXIT_USAGE;
    if (check_outputs(r, err) < 0)
        goto fail_inputs;
    struct stat st;
    if (r->marker_path[0] && !ro->force && stat(r->marker_path, &st) == 0) {
        if (!ro->quiet)
            fprintf(stderr, "galley: shard %u/%u is already done (%s); --force runs it again\n",
                    ro->shard, ro->nshards, r->marker_path);
        gl_inputs_close(r->inputs);
        return ALREADY_DONE;
    }
    if (r->marker_path[0])
        unlink(r->marker_path); /* a forced rerun is not done until it is */
    r->nworkers = r->p->top.threads > 0 ? (unsigned)r->p->top.threads : gl_cpu_count();
    if (gl_stages_create(&r->stages, r->p, r->nworkers, ro->shard, ro->nshards, err) < 0)
        goto fail_inputs;
    if (!(r->sink = gl_sink_open(&r->p->output, r->out_path, err)))
        goto fail_stages;
    if (ro->rejects_path) {
        if (gl_outfile_open(&r->rejects, r->rejects_path, err) < 0)
            goto fail_sink;
        r->have_rejects = 1;
    }
    if (ro->stats_path && access(r->stats_path, F_OK) != 0) {
        /* Written at the end: find out now whether its folder takes it. */
        gl_outfile probe;
        if (gl_outfile_open(&probe, r->stats_path, err) < 0)
            goto fail_rejects;
        gl_outfile_abort(&probe);
    }
    r->t0 = gl_now();
    gl_progress_start(&r->prog, ro->progress, gl_inputs_total_bytes(r->inputs));
    r->scratch = gl_xcalloc(r->nworkers, sizeof *r->scratch);
    for (unsigned i = 0; i < r->nworkers; i++)
        gl_json_scratch_init(&r->scratch[i]);
    r->pool = gl_pool_start(r->nworkers, pool_work, r);
    if (r->stages.has_ordered)
        gl_pool_set_after(r->pool, pool_format);
    pthread_create(&r->reader, NULL, reader_main, r);
    return GALLEY_EXIT_OK;
fail_rejects:
    if (r->have_rejects)
        gl_outfile_abort(&r->rejects);
fail_sink:
    gl_sink_abort(r->sink);
fail_stages:
    gl_stages_destroy(&r->stages);
fail_inputs:
    gl_inputs_close(r->inputs);
    return GALLEY_EXIT_USAGE;
}

/* Writes one batch in order: the output, the rejects and messages, the
 * account. At the first output error the run stops: the reader is told,
 * and what is still in flight is drained (so the threads finish) but not
 * written. */
static void write_batch(runner *r, gl_batch *b, gl_account *acct, int *status, galley_error *err)
{
    int writing = *status == GALLEY_EXIT_OK && !gl_stop_requested();
    if (writing && gl_sink_write(r->sink, b->out.data, b->ends, b->nends, err) < 0) {
        *status = GALLEY_EXIT_FAILED;
        gl_stop_request(-1);
        writing = 0;
    }
    if (!writing) {
        b->acct.unwritten += b->acct.written;
        b->acct.written = 0;
    }
    galley_error e = { 0 };
    if (writing && r->have_rejects && b->rejects.len &&
        gl_outfile_write(&r->rejects, b->rejects.data, b->rejects.len, &e) < 0) {
        *err = e;
        *status = GALLEY_EXIT_FAILED;
        gl_stop_request(-1);
    }
    if (b->messages.len) {
        gl_progress_clear(&r->prog);
        fwrite(b->messages.data, 1, b->messages.len, stderr);
    }
    gl_account_merge(acct, &b->acct);
    acct->input_bytes = b->input_bytes;
    gl_progress_update(&r->prog, acct->read, acct->input_bytes);
    gl_pool_release(r->pool, b);
}

/* Takes every batch in input order and writes it. With an ordered stage
 * each batch comes back twice: after the parallel stages (the ordered
 * part runs here, then the workers format) and after formatting. */
static int run_drain(runner *r, gl_account *acct, galley_error *err)
{
    int status = GALLEY_EXIT_OK, done, phase;
    gl_batch *b;
    if (!r->stages.has_ordered) {
        while ((b = gl_pool_next(r->pool, 1, &done)))
            write_batch(r, b, acct, &status, err);
        return status;
    }
    while ((b = gl_pool_next_any(r->pool, &phase, &done))) {
        if (phase == 1) {
            write_batch(r, b, acct, &status, err);
            continue;
        }
        order_batch(r, b);
        gl_pool_resubmit(r->pool, b);
    }
    return status;
}

/* User + system CPU seconds of the process or of the calling thread
 * (the main thread's share while documents flow is the run's serial
 * fraction: start-up and the stages' set-up are not counted in it). */
static double cpu_seconds(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
        ru.ru_stime.tv_usec / 1e6;
}

/* Keeps the first failure: err gets e only when nothing failed before. */
static int first_failure(int status, galley_error *err, const galley_error *e)
{
    if (status == GALLEY_EXIT_OK)
        *err = *e;
    return status == GALLEY_EXIT_OK ? GALLEY_EXIT_FAILED : status;
}

/* Gives the outputs their names (a completed run) or removes them (a
 * failed or interrupted one: then nothing reached the output, unless it
 * was standard output). */
static int settle_outputs(runner *r, int status, gl_account *acct, galley_error *err)
{
    galley_error e = { 0 };
    int keep = status == GALLEY_EXIT_OK && !gl_stop_requested();
    if (keep && gl_sink_commit(r->sink, &e) < 0)
        keep = 0, status = first_failure(status, err, &e);
    else if (!keep)
        gl_sink_abort(r->sink);
    r->sink = NULL;
    if (r->have_rejects) {
        if (keep && gl_outfile_commit(&r->rejects, &e) < 0)
            status = first_failure(status, err, &e);
        else if (!keep)
            gl_outfile_abort(&r->rejects);
    }
    if (!keep && strcmp(r->out_path, "-") != 0) {
        acct->unwritten += acct->written;
        acct->written = 0;
    }
    if (acct->unwritten)
        acct->unwritten_reason = gl_stop_requested() > 0 ? "interrupted" : "output_failed";
    acct->interrupted = gl_stop_requested() > 0 ? gl_stop_requested() : 0;
    return status;
}

/* Joins the threads, finishes the stages, settles the outputs, commits
 * the stages' state (only after a whole output), writes --stats and the
 * shard's marker, prints the account. Returns the run's status. */
static int run_finish(runner *r, int status, gl_account *acct, galley_error *err)
{
    pthread_join(r->reader, NULL);
    gl_pool_stop(r->pool);
    for (unsigned i = 0; i < r->nworkers; i++)
        gl_json_scratch_free(&r->scratch[i]);
    free(r->scratch);
    gl_progress_end(&r->prog);
    acct->input_bytes = gl_inputs_bytes_read(r->inputs);
    gl_inputs_close(r->inputs);

    galley_arena *a = galley_arena_new(0);
    galley_object *reports = galley_object_new(a);
    galley_error e = { 0 };
    if (gl_stages_finish(&r->stages, reports, &e) != 0)
        status = first_failure(status, err, &e);
    status = settle_outputs(r, status, acct, err);
    /* State follows the output: saved only when the output is whole. */
    if (status == GALLEY_EXIT_OK && !acct->interrupted && gl_stages_commit(&r->stages, &e) < 0)
        status = first_failure(status, err, &e);
    acct->seconds = gl_now() - r->t0;
    acct->cpu_seconds = cpu_seconds(RUSAGE_SELF);
    gl_buf sj = { 0 };
    gl_account_json(acct, &sj, reports);
    if (r->stats_path[0] && gl_outfile_put(r->stats_path, sj.data, sj.len, &e) < 0)
        status = first_failure(status, err, &e);
    if (status == GALLEY_EXIT_OK && !acct->interrupted && r->marker_path[0] &&
        gl_outfile_put(r->marker_path, sj.data, sj.len, &e) < 0)
        status = first_failure(status, err, &e);
    gl_buf_free(&sj);
    if (!r->ro->quiet)
        gl_account_print(acct, stderr, reports);
    galley_arena_free(a);
    gl_stages_destroy(&r->stages);
    if (acct->interrupted) {
        galley_error_set(err, "interrupted by signal %d: no output was kept", acct->interrupted);
        return 128 + acct->interrupted;
    }
    return status;
}

int gl_run(gl_pipeline *p, const gl_run_opts *ro, gl_account *acct, galley_error *err)
{
    runner r;
    memset(&r, 0, sizeof r);
    memset(acct, 0, sizeof *acct);
    r.p = p;
    r.ro = ro;
    gl_stop_clear();
    int status = run_start(&r, err);
    if (status == ALREADY_DONE)
        return GALLEY_EXIT_OK;
    if (status != GALLEY_EXIT_OK)
        return status;
    if (ro->handle_signals)
        catch_signals(1);
    double main_cpu = cpu_seconds(RUSAGE_THREAD);
    status = run_drain(&r, acct, err);
    acct->main_cpu_seconds = cpu_seconds(RUSAGE_THREAD) - main_cpu;
    status = run_finish(&r, status, acct, err);
    if (ro->handle_signals)
        catch_signals(0);
    return status;
}
