/* stages.c - stage instances and running them on documents. */
#include "config.h"

#include <stdlib.h>
#include "run/reports.h"
#include "run/stages.h"

/* Where each stage runs: everything before the first ordered stage in
 * the workers; an ordered stage's prepare in the workers too while no
 * parallel stage that could change the document sits between. */
static void place_stages(gl_stages *st, const gl_pipeline *p, unsigned nworkers)
{
    int ordered_seen = 0, parallel_after = 0;
    for (size_t i = 0; i < st->n; i++) {
        gl_stage_run *s = &st->run[i];
        s->conf = &p->stages[i];
        s->info = s->conf->module->info;
        if (s->info->concurrency == GALLEY_ORDERED) {
            ordered_seen = 1;
            s->prepare_in_workers = s->info->prepare != NULL && !parallel_after;
        } else if (ordered_seen) {
            parallel_after = 1;
        }
        s->in_workers = !ordered_seen;
        s->ninstances = s->in_workers ? nworkers : 1;
        s->instances = gl_xcalloc(s->ninstances, sizeof *s->instances);
    }
    st->has_ordered = ordered_seen;
}

int gl_stages_create(gl_stages *st, const gl_pipeline *p, unsigned nworkers, unsigned shard,
                     unsigned nshards, galley_error *err)
{
    st->n = p->nstages;
    st->run = gl_xcalloc(st->n ? st->n : 1, sizeof *st->run);
    place_stages(st, p, nworkers);
    for (size_t i = 0; i < st->n; i++) {
        gl_stage_run *s = &st->run[i];
        for (size_t k = 0; k < s->ninstances; k++) {
            s->instances[k] = gl_stage_conf_create(s->conf, p->config_dir, (unsigned)k,
                                                   (unsigned)s->ninstances, shard, nshards, err);
            if (!s->instances[k]) {
                gl_stages_destroy(st);
                return -1;
            }
        }
    }
    return 0;
}

void gl_stages_destroy(gl_stages *st)
{
    for (size_t i = 0; i < st->n; i++) {
        gl_stage_run *s = &st->run[i];
        for (size_t k = 0; k < s->ninstances; k++)
            if (s->instances[k])
                s->info->destroy(s->instances[k]);
        free(s->instances);
    }
    free(st->run);
    st->run = NULL;
    st->n = 0;
}

/* Runs one callback of a stage on a document; a failure rejects the
 * document as stage_error, with the stage's message on stderr. */
static void run_one(gl_batch *b, gl_stage_run *s, void *self, galley_doc *doc, int prepare)
{
    galley_error err = { 0 };
    int rc = prepare ? s->info->prepare(self, doc, &err) : s->info->process(self, doc, &err);
    if (rc == 0)
        return;
    const char *msg = err.set ? err.message : "failed without a message";
    gl_buf_printf(&b->messages, "galley: stage \"%s\": document \"%s\" (%s): %s\n", s->conf->name,
                  galley_doc_id(doc), galley_doc_source(doc), msg);
    galley_doc_reject(doc, "stage_error");
}

void gl_stages_parallel(gl_stages *st, unsigned worker, galley_doc *doc, gl_batch *b)
{
    for (size_t i = 0; i < st->n && galley_doc_status(doc) == GALLEY_KEPT; i++) {
        gl_stage_run *s = &st->run[i];
        if (s->in_workers)
            run_one(b, s, s->instances[worker], doc, 0);
        else if (s->prepare_in_workers)
            run_one(b, s, s->instances[0], doc, 1);
    }
}

void gl_stages_ordered(gl_stages *st, galley_doc *doc, gl_batch *b)
{
    for (size_t i = 0; i < st->n && galley_doc_status(doc) == GALLEY_KEPT; i++) {
        gl_stage_run *s = &st->run[i];
        if (s->in_workers)
            continue;
        if (s->info->prepare && !s->prepare_in_workers)
            run_one(b, s, s->instances[0], doc, 1);
        if (galley_doc_status(doc) == GALLEY_KEPT)
            run_one(b, s, s->instances[0], doc, 0);
    }
}

int gl_stages_finish(gl_stages *st, galley_object *reports, galley_error *err)
{
    int rc = 0;
    galley_arena *a = galley_arena_new(0);
    for (size_t i = 0; i < st->n; i++) {
        gl_stage_run *s = &st->run[i];
        if (!s->info->finish)
            continue;
        galley_object *merged = galley_object_set_object(reports, s->conf->name);
        for (size_t k = 0; k < s->ninstances; k++) {
            galley_object *one = galley_object_new(a);
            galley_error e = { 0 };
            if (s->info->finish(s->instances[k], one, &e) != 0 && rc == 0)
                rc = galley_error_set(err, "stage \"%s\": %s", s->conf->name,
                                      e.set ? e.message : "finish failed");
            gl_reports_merge(merged, one);
        }
        if (galley_object_size(merged) == 0)
            galley_object_remove(reports, s->conf->name);
    }
    galley_arena_free(a);
    return rc;
}

int gl_stages_commit(gl_stages *st, galley_error *err)
{
    for (size_t i = 0; i < st->n; i++) {
        gl_stage_run *s = &st->run[i];
        int (*commit)(void *, galley_error *) = gl_stage_commit_fn(s->info);
        for (size_t k = 0; commit && k < s->ninstances; k++) {
            galley_error e = { 0 };
            if (commit(s->instances[k], &e) != 0)
                return galley_error_set(err, "stage \"%s\": %s", s->conf->name,
                                        e.set ? e.message : "could not save its state");
        }
    }
    return 0;
}
