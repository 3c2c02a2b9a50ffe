/* runner.c - the scheduler.
 *
 *   reader thread -> [work queue] -> workers -> [reorder ring] -> main
 *
 * The reader cuts the input into batches of records, numbered in input
 * order. A worker parses each record into a document and runs the stages
 * before the first ordered stage (one instance per worker), plus the
 * `prepare` of the ordered stages. The main thread takes batches back in
 * number order, runs the ordered stages, formats and writes. At most
 * `window` batches are in flight, which bounds memory whatever the input
 * size; with no ordered stage, formatting happens in the workers. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/json_write.h"
#include "io/parse.h"
#include "run/progress.h"
#include "sdk/sys.h"
#include "io/readers.h"
#include "run/runner.h"
#include "io/writers.h"

#define BATCH_RECORDS 256
#define BATCH_BYTES (1024 * 1024)

typedef struct batch {
    uint64_t seq;
    int last;                 /* the empty batch that ends the stream */
    gl_records recs;
    galley_doc **docs;        /* kept documents awaiting the ordered stages */
    size_t ndocs, capdocs;
    gl_buf out;               /* formatted documents */
    size_t *ends;
    size_t nends, capends;
    gl_account acct;
    gl_buf rejects;           /* --rejects lines */
    gl_buf messages;          /* stage errors, for stderr */
    uint64_t input_bytes;     /* file bytes read up to this batch */
} batch;

/* One stage's instances: one per worker, or one (ordered, or after an
 * ordered stage). */
typedef struct stage_run {
    const gl_stage_conf *conf;
    const galley_stage_info *info;
    void **instances;
    size_t ninstances;
    int in_workers;           /* runs in the worker threads */
    int prepare_in_workers;   /* its prepare runs in the workers */
} stage_run;

typedef struct runner {
    gl_pipeline *p;
    const gl_run_opts *ro;
    stage_run *stages;
    size_t nstages;
    unsigned nworkers;
    int format_in_workers;

    gl_inputs *inputs;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, done_cv, slot_cv;
    batch **work;             /* FIFO ring of `window` */
    size_t work_head, work_n;
    batch **ring;             /* reorder ring, by seq % window */
    size_t window;
    size_t inflight;
    int reader_done;
    uint64_t nbatches;        /* set when the reader is done */
    batch *free_list[64];
    size_t nfree;
} runner;

/* ---- batches ------------------------------------------------------------ */

static batch *batch_get(runner *r)
{
    batch *b;
    pthread_mutex_lock(&r->mu);
    b = r->nfree ? r->free_list[--r->nfree] : NULL;
    pthread_mutex_unlock(&r->mu);
    if (!b)
        b = gl_xcalloc(1, sizeof *b);
    return b;
}

static void batch_reset(batch *b)
{
    gl_records_clear(&b->recs);
    b->ndocs = 0;
    b->out.len = 0;
    b->nends = 0;
    memset(&b->acct, 0, sizeof b->acct);
    b->rejects.len = 0;
    b->messages.len = 0;
    b->last = 0;
}

static void batch_free(batch *b)
{
    gl_records_free(&b->recs);
    free(b->docs);
    gl_buf_free(&b->out);
    free(b->ends);
    gl_buf_free(&b->rejects);
    gl_buf_free(&b->messages);
    free(b);
}

static void batch_put(runner *r, batch *b)
{
    batch_reset(b);
    pthread_mutex_lock(&r->mu);
    if (r->nfree < GL_ARRAY_LEN(r->free_list)) {
        r->free_list[r->nfree++] = b;
        b = NULL;
    }
    pthread_mutex_unlock(&r->mu);
    if (b)
        batch_free(b);
}

static void add_end(batch *b)
{
    if (b->nends == b->capends) {
        b->capends = b->capends ? b->capends * 2 : 256;
        b->ends = gl_xrealloc(b->ends, b->capends * sizeof *b->ends);
    }
    b->ends[b->nends++] = b->out.len;
}

static void add_reject_line(batch *b, const char *source, size_t srclen,
                            const char *reason, const char *message)
{
    gl_buf_adds(&b->rejects, "{\"source\":");
    gl_json_string_repaired(&b->rejects, source, srclen);
    gl_buf_adds(&b->rejects, ",\"reason\":");
    gl_json_string(&b->rejects, reason, strlen(reason));
    gl_buf_adds(&b->rejects, ",\"message\":");
    gl_json_string_repaired(&b->rejects, message, strlen(message));
    gl_buf_adds(&b->rejects, "}\n");
}

/* ---- running stages ------------------------------------------------------- */

/* Runs one stage on a document; a failure rejects the document. */
static void run_stage(batch *b, stage_run *s, void *self, galley_doc *doc,
                      int prepare)
{
    galley_error err = { 0 };
    int rc = prepare ? s->info->prepare(self, doc, &err) : s->info->process(self, doc, &err);
    if (rc == 0)
        return;
    const char *msg = err.set ? err.message : "failed without a message";
    gl_buf_printf(&b->messages, "galley: stage \"%s\": document \"%s\" (%s): %s\n",
                  s->conf->name, galley_doc_id(doc), galley_doc_source(doc), msg);
    galley_doc_reject(doc, "stage_error");
}

/* Accounts for a finished document and formats it when kept. */
static void settle(runner *r, batch *b, galley_doc *doc)
{
    switch (galley_doc_status(doc)) {
    case GALLEY_KEPT:
        gl_format_doc(&r->p->output, doc, &b->out);
        add_end(b);
        b->acct.written++;
        break;
    case GALLEY_DROPPED:
        gl_account_drop(&b->acct, galley_doc_status_reason(doc), 1);
        break;
    case GALLEY_REJECTED: {
        const char *reason = galley_doc_status_reason(doc);
        gl_account_reject(&b->acct, reason, 1);
        const char *src = galley_doc_source(doc);
        char msg[256];
        snprintf(msg, sizeof msg, "rejected by a stage (document \"%s\")", galley_doc_id(doc));
        add_reject_line(b, src, strlen(src), reason, msg);
        break;
    }
    }
    galley_doc_free(doc);
}

/* Worker side: parse every record and run the parallel part. */
static void work_batch(runner *r, unsigned worker, batch *b)
{
    for (size_t i = 0; i < b->recs.n; i++) {
        const gl_record *rec = &b->recs.recs[i];
        const char *data = b->recs.data.data + rec->off;
        const char *src = b->recs.data.data + rec->src_off;
        char source[4096];
        snprintf(source, sizeof source, "%.*s", (int)rec->src_len, src);
        b->acct.read++;
        galley_doc *doc = NULL;
        if (rec->kind == GL_REC_REJECT) {
            char msg[1100];
            snprintf(msg, sizeof msg, "%.*s", (int)rec->len, data);
            gl_account_reject(&b->acct, rec->reason, 1);
            add_reject_line(b, src, rec->src_len, rec->reason, msg);
            gl_buf_printf(&b->messages, "galley: %s: %s\n", source, msg);
            continue;
        }
        if (rec->kind == GL_REC_JSON) {
            const char *reason;
            char msg[512];
            doc = gl_parse_json(data, rec->len, source, &r->p->input, &b->acct.repaired,
                                &reason, msg, sizeof msg);
            if (!doc) {
                gl_account_reject(&b->acct, reason, 1);
                add_reject_line(b, src, rec->src_len, reason, msg);
                gl_buf_printf(&b->messages, "galley: %s: %s\n", source, msg);
                continue;
            }
        } else {
            doc = gl_parse_text(data, rec->len, source, &r->p->input, &b->acct.repaired);
        }
        b->acct.text_bytes += galley_doc_text_len(doc);
        for (size_t s = 0; s < r->nstages && galley_doc_status(doc) == GALLEY_KEPT; s++) {
            stage_run *st = &r->stages[s];
            if (st->in_workers)
                run_stage(b, st, st->instances[worker], doc, 0);
            else if (st->prepare_in_workers)
                run_stage(b, st, st->instances[0], doc, 1);
        }
        if (r->format_in_workers || galley_doc_status(doc) != GALLEY_KEPT) {
            settle(r, b, doc);
            continue;
        }
        if (b->ndocs == b->capdocs) {
            b->capdocs = b->capdocs ? b->capdocs * 2 : 256;
            b->docs = gl_xrealloc(b->docs, b->capdocs * sizeof *b->docs);
        }
        b->docs[b->ndocs++] = doc;
    }
}

/* Main-thread side, in input order: the ordered part of the pipeline. */
static void order_batch(runner *r, batch *b)
{
    for (size_t i = 0; i < b->ndocs; i++) {
        galley_doc *doc = b->docs[i];
        for (size_t s = 0; s < r->nstages && galley_doc_status(doc) == GALLEY_KEPT; s++) {
            stage_run *st = &r->stages[s];
            if (st->in_workers)
                continue;
            if (st->info->prepare && !st->prepare_in_workers)
                run_stage(b, st, st->instances[0], doc, 1);
            if (galley_doc_status(doc) == GALLEY_KEPT)
                run_stage(b, st, st->instances[0], doc, 0);
        }
        settle(r, b, doc);
    }
    b->ndocs = 0;
}

/* ---- threads ---------------------------------------------------------------- */

typedef struct worker_arg {
    runner *r;
    unsigned index;
} worker_arg;

static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    runner *r = wa->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->work_n == 0)
            pthread_cond_wait(&r->work_cv, &r->mu);
        batch *b = r->work[r->work_head];
        if (b->last) {
            /* Leave the end marker for the other workers. */
            pthread_mutex_unlock(&r->mu);
            break;
        }
        r->work_head = (r->work_head + 1) % r->window;
        r->work_n--;
        pthread_mutex_unlock(&r->mu);

        work_batch(r, wa->index, b);

        pthread_mutex_lock(&r->mu);
        r->ring[b->seq % r->window] = b;
        pthread_cond_signal(&r->done_cv);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

static void *reader_main(void *arg)
{
    runner *r = arg;
    uint64_t seq = 0;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->inflight >= r->window - 1)
            pthread_cond_wait(&r->slot_cv, &r->mu);
        r->inflight++;
        pthread_mutex_unlock(&r->mu);

        batch *b = batch_get(r);
        size_t got = gl_inputs_read(r->inputs, &b->recs, BATCH_RECORDS, BATCH_BYTES);
        b->input_bytes = gl_inputs_bytes_read(r->inputs);
        b->seq = seq;
        b->last = got == 0;

        pthread_mutex_lock(&r->mu);
        r->work[(r->work_head + r->work_n) % r->window] = b;
        r->work_n++;
        if (b->last) {
            r->reader_done = 1;
            r->nbatches = seq;
            r->inflight--;
            pthread_cond_broadcast(&r->work_cv);
            pthread_cond_signal(&r->done_cv);
            pthread_mutex_unlock(&r->mu);
            break;
        }
        pthread_cond_signal(&r->work_cv);
        pthread_mutex_unlock(&r->mu);
        seq++;
    }
    return NULL;
}

/* ---- set-up and tear-down ---------------------------------------------------- */

static int create_instances(runner *r, galley_error *err)
{
    gl_pipeline *p = r->p;
    r->nstages = p->nstages;
    r->stages = gl_xcalloc(p->nstages ? p->nstages : 1, sizeof *r->stages);
    int ordered_seen = 0, parallel_after = 0;
    for (size_t i = 0; i < p->nstages; i++) {
        stage_run *s = &r->stages[i];
        s->conf = &p->stages[i];
        s->info = s->conf->module->info;
        if (s->info->concurrency == GALLEY_ORDERED) {
            ordered_seen = 1;
            /* Prepare may run early only while no parallel stage that
             * could change the document sits between. */
            s->prepare_in_workers = s->info->prepare != NULL && !parallel_after;
        } else if (ordered_seen) {
            parallel_after = 1;
        }
        s->in_workers = !ordered_seen;
        s->ninstances = s->in_workers ? r->nworkers : 1;
        s->instances = gl_xcalloc(s->ninstances, sizeof *s->instances);
    }
    r->format_in_workers = !ordered_seen;
    for (size_t i = 0; i < r->nstages; i++) {
        stage_run *s = &r->stages[i];
        for (size_t k = 0; k < s->ninstances; k++) {
            galley_stage_env env = {
                .struct_size = sizeof env,
                .name = s->conf->name,
                .data_dir = s->conf->module->data_dir,
                .config_dir = p->config_dir,
                .worker = (unsigned)k,
                .nworkers = (unsigned)s->ninstances,
            };
            galley_error e = { 0 };
            s->instances[k] = s->info->create(s->conf->options, &env, &e);
            if (!s->instances[k])
                return galley_error_set(err, "%s:%d: stage \"%s\": %s", s->conf->file,
                                        s->conf->line, s->conf->name,
                                        e.set ? e.message : "could not be created");
        }
    }
    return 0;
}

static void destroy_instances(runner *r)
{
    for (size_t i = 0; i < r->nstages; i++) {
        stage_run *s = &r->stages[i];
        for (size_t k = 0; k < s->ninstances; k++)
            if (s->instances[k])
                s->info->destroy(s->instances[k]);
        free(s->instances);
    }
    free(r->stages);
}

/* Adds the numbers of `from` into `into` (reports of parallel instances
 * are summed); other values are taken from the first instance. */
static void merge_report(galley_object *into, const galley_object *from)
{
    for (size_t i = 0; i < galley_object_size(from); i++) {
        const char *key = galley_object_key_at(from, i);
        const galley_value *v = galley_object_value_at(from, i);
        const galley_value *have = galley_object_get(into, key);
        galley_type t = galley_value_type(v);
        if (!have) {
            if (t == GALLEY_INT)
                galley_object_set_int(into, key, galley_value_int(v));
            else if (t == GALLEY_REAL)
                galley_object_set_real(into, key, galley_value_real(v));
            else if (t == GALLEY_STRING)
                galley_object_set_str(into, key, galley_value_str(v, NULL));
            else if (t == GALLEY_BOOL)
                galley_object_set_bool(into, key, galley_value_bool(v));
            else if (t == GALLEY_OBJECT)
                merge_report(galley_object_set_object(into, key), galley_value_object(v));
        } else if (t == GALLEY_INT && galley_value_type(have) == GALLEY_INT) {
            galley_object_set_int(into, key, galley_value_int(have) + galley_value_int(v));
        } else if (t == GALLEY_REAL && galley_value_type(have) == GALLEY_REAL) {
            galley_object_set_real(into, key, galley_value_real(have) + galley_value_real(v));
        } else if (t == GALLEY_OBJECT && galley_value_type(have) == GALLEY_OBJECT) {
            merge_report(galley_value_object(have), galley_value_object(v));
        }
    }
}

/* Calls every finish; returns the reports as one JSON object text. */
static int finish_stages(runner *r, gl_buf *json, galley_error *err)
{
    galley_arena *a = galley_arena_new(0);
    galley_object *all = galley_object_new(a);
    int rc = 0;
    for (size_t i = 0; i < r->nstages; i++) {
        stage_run *s = &r->stages[i];
        if (!s->info->finish)
            continue;
        galley_object *merged = galley_object_set_object(all, s->conf->name);
        for (size_t k = 0; k < s->ninstances; k++) {
            galley_object *one = galley_object_new(a);
            galley_error e = { 0 };
            if (s->info->finish(s->instances[k], one, &e) != 0 && rc == 0)
                rc = galley_error_set(err, "stage \"%s\": %s", s->conf->name,
                                      e.set ? e.message : "finish failed");
            merge_report(merged, one);
        }
        if (galley_object_size(merged) == 0)
            galley_object_remove(all, s->conf->name);
    }
    /* Serialize through the value writer (no offsets in reports). */
    galley_doc *tmp = galley_doc_new("", "", 0);
    gl_offset_map m;
    gl_offset_map_init(&m, tmp, 1);
    gl_buf_addc(json, '{');
    for (size_t i = 0; i < galley_object_size(all); i++) {
        if (i)
            gl_buf_addc(json, ',');
        const char *key = galley_object_key_at(all, i);
        gl_json_string(json, key, strlen(key));
        gl_buf_addc(json, ':');
        gl_json_value(json, galley_object_value_at(all, i), &m, tmp);
    }
    gl_buf_addc(json, '}');
    galley_doc_free(tmp);
    galley_arena_free(a);
    return rc;
}

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

int gl_run(gl_pipeline *p, const gl_run_opts *ro, gl_account *acct,
           galley_error *err)
{
    runner rr, *r = &rr;
    memset(r, 0, sizeof *r);
    memset(acct, 0, sizeof *acct);
    r->p = p;
    r->ro = ro;
    r->nworkers = p->threads > 0 ? (unsigned)p->threads : gl_cpu_count();
    if (create_instances(r, err) < 0) {
        destroy_instances(r);
        return 2;
    }
    gl_sink *sink = gl_sink_open(&p->output, err);
    if (!sink) {
        destroy_instances(r);
        return 2;
    }
    FILE *rejects = NULL;
    if (ro->rejects_path && !(rejects = fopen(ro->rejects_path, "w"))) {
        galley_error_set(err, "%s: cannot write: %m", ro->rejects_path);
        gl_sink_close(sink, NULL);
        destroy_instances(r);
        return 2;
    }
    double t0 = gl_now();
    r->inputs = gl_inputs_open(ro->inputs, ro->ninputs, &p->input);
    gl_progress prog;
    gl_progress_start(&prog, ro->progress, gl_inputs_total_bytes(r->inputs));

    r->window = 2 * r->nworkers + 4;
    r->work = gl_xcalloc(r->window, sizeof *r->work);
    r->ring = gl_xcalloc(r->window, sizeof *r->ring);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->work_cv, NULL);
    pthread_cond_init(&r->done_cv, NULL);
    pthread_cond_init(&r->slot_cv, NULL);
    pthread_t reader;
    pthread_t *workers = gl_xcalloc(r->nworkers, sizeof *workers);
    worker_arg *args = gl_xcalloc(r->nworkers, sizeof *args);
    pthread_create(&reader, NULL, reader_main, r);
    for (unsigned i = 0; i < r->nworkers; i++) {
        args[i].r = r;
        args[i].index = i;
        pthread_create(&workers[i], NULL, worker_main, &args[i]);
    }

    int status = 0;
    uint64_t next = 0;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (!r->ring[next % r->window] && !(r->reader_done && next >= r->nbatches))
            pthread_cond_wait(&r->done_cv, &r->mu);
        batch *b = r->ring[next % r->window];
        if (!b) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        r->ring[next % r->window] = NULL;
        pthread_mutex_unlock(&r->mu);

        order_batch(r, b);
        if (status == 0 && gl_sink_write(sink, b->out.data, b->ends, b->nends, err) < 0)
            status = 3;   /* keep draining so the threads finish */
        if (rejects && b->rejects.len)
            fwrite(b->rejects.data, 1, b->rejects.len, rejects);
        if (b->messages.len)
            fwrite(b->messages.data, 1, b->messages.len, stderr);
        gl_account_merge(acct, &b->acct);
        acct->input_bytes = b->input_bytes;
        gl_progress_update(&prog, acct->read, acct->input_bytes);
        next++;
        batch_put(r, b);
        pthread_mutex_lock(&r->mu);
        r->inflight--;
        pthread_cond_signal(&r->slot_cv);
        pthread_mutex_unlock(&r->mu);
    }
    pthread_join(reader, NULL);
    for (unsigned i = 0; i < r->nworkers; i++)
        pthread_join(workers[i], NULL);
    /* The end marker is still at the head of the work queue. */
    batch_free(r->work[r->work_head]);
    gl_progress_end(&prog);
    acct->input_bytes = gl_inputs_bytes_read(r->inputs);

    gl_buf reports = { 0 };
    galley_error ferr = { 0 };
    if (finish_stages(r, &reports, &ferr) != 0 && status == 0) {
        *err = ferr;
        status = 3;
    }
    galley_error cerr = { 0 };
    if (gl_sink_close(sink, &cerr) < 0 && status == 0) {
        *err = cerr;
        status = 3;
    }
    if (rejects)
        fclose(rejects);
    acct->seconds = gl_now() - t0;
    if (ro->stats_path) {
        gl_buf sj = { 0 };
        gl_account_json(acct, &sj, reports.data);
        galley_error serr = { 0 };
        if (write_file(ro->stats_path, sj.data, sj.len, &serr) < 0 && status == 0) {
            *err = serr;
            status = 3;
        }
        gl_buf_free(&sj);
    }
    if (reports.len > 2) {
        /* Keep the reports for the printed account. */
        gl_buf line = { 0 };
        gl_buf_adds(&line, "galley: stages: ");
        gl_buf_add(&line, reports.data, reports.len);
        gl_buf_addc(&line, '\n');
        gl_buf_free(&reports);
        reports = line;
    } else {
        gl_buf_free(&reports);
    }
    if (!ro->quiet)
        gl_account_print(acct, stderr, reports.len ? reports.data : NULL);
    gl_buf_free(&reports);

    for (size_t i = 0; i < r->nfree; i++)
        batch_free(r->free_list[i]);
    free(workers);
    free(args);
    free(r->work);
    free(r->ring);
    gl_inputs_close(r->inputs);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->work_cv);
    pthread_cond_destroy(&r->done_cv);
    pthread_cond_destroy(&r->slot_cv);
    destroy_instances(r);
    return status;
}
