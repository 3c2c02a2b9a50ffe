/* session.c - a whole pipeline inside another program (galley/embed.h):
 * open a config, run it over files like `galley run`, or push documents
 * through it and pull them back in order.
 *
 * A session is the runner's worker pool (run/pool.h) with the caller as
 * both reader and writer: push fills a batch of JSON records and submits
 * it when full; workers parse each record and run the parallel stages;
 * pull takes batches back in order, runs the ordered stages, and hands out
 * one document at a time. Unlike the runner, a batch keeps every document
 * (dropped and rejected ones too) so the caller sees each in its place;
 * a record that is not a document becomes an empty rejected one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/json_write.h"
#include "io/json_read.h"
#include "run/pool.h"
#include "run/runner.h"
#include "run/stages.h"
#include "sdk/sys.h"

#define SESSION_BATCH_RECORDS 256
#define SESSION_BATCH_BYTES (1024 * 1024)

struct galley_pipeline {
    gl_pipeline *p;
    const char **layers; /* what the stages provide, NULL-terminated */
};

struct galley_session {
    gl_pipeline *p;
    gl_output_opts out; /* JSONL with code points and text, always */
    int form;           /* galley_form */
    gl_stages stages;
    unsigned nworkers;
    gl_json_scratch *scratch; /* one per worker */
    gl_pool *pool;
    gl_batch *open;  /* being filled by push, not yet submitted */
    gl_batch *cur;   /* being pulled from */
    size_t cur_next; /* its next document */
    uint64_t pushed, pulled;
    int ended;
    int caller_ended; /* end_input came from the caller */
    gl_account acct;
    double t0;
};

/* ---- pipelines -------------------------------------------------------------- */

/* The layers the stages provide, each once, in stage order (malloc'd
 * array of the descriptors' strings). */
static const char **collect_layers(const gl_pipeline *p)
{
    size_t n = 0, cap = 8;
    const char **list = gl_xmalloc(cap * sizeof *list);
    for (size_t i = 0; i < p->nstages; i++) {
        const char *const *provides = p->stages[i].module->info->provides;
        for (size_t k = 0; provides && provides[k]; k++) {
            size_t j = 0;
            while (j < n && strcmp(list[j], provides[k]) != 0)
                j++;
            if (j < n)
                continue;
            if (n + 1 == cap)
                list = gl_xrealloc(list, (cap *= 2) * sizeof *list);
            list[n++] = provides[k];
        }
    }
    list[n] = NULL;
    return list;
}

galley_pipeline *galley_pipeline_open(const char *path, const char *const *settings, char **errors)
{
    size_t n = 0;
    while (settings && settings[n])
        n++;
    gl_errors errs = { 0 };
    gl_pipeline *p = gl_pipeline_load(path, settings, n, &errs);
    if (errors)
        *errors = NULL;
    if (!p) {
        if (errors) {
            gl_buf b = { 0 };
            for (size_t i = 0; i < errs.n; i++)
                gl_buf_printf(&b, "%s\n", errs.msgs[i]);
            if (!b.data)
                gl_buf_adds(&b, "the pipeline could not be loaded\n");
            *errors = b.data;
        }
        gl_errors_free(&errs);
        return NULL;
    }
    galley_pipeline *gp = gl_xcalloc(1, sizeof *gp);
    gp->p = p;
    gp->layers = collect_layers(p);
    return gp;
}

void galley_pipeline_close(galley_pipeline *gp)
{
    if (!gp)
        return;
    gl_pipeline_free(gp->p);
    free(gp->layers);
    free(gp);
}

const char *galley_pipeline_text_field(const galley_pipeline *gp)
{
    return gp->p->input.text_field;
}

const char *galley_pipeline_id_field(const galley_pipeline *gp)
{
    return gp->p->input.id_field;
}

const char *const *galley_pipeline_layers(const galley_pipeline *gp)
{
    return gp->layers;
}

galley_doc *galley_pipeline_parse(const galley_pipeline *gp, const char *json, size_t len,
                                  const char *source, galley_error *err)
{
    uint64_t repaired = 0;
    const char *reason;
    gl_json_scratch sc;
    gl_json_scratch_init(&sc);
    galley_doc *doc = gl_json_read_doc(json, len, source ? source : "(pushed)", &gp->p->input, &sc,
                                       &repaired, &reason, err);
    gl_json_scratch_free(&sc);
    return doc;
}

void galley_free(void *p)
{
    free(p);
}

/* The whole of a small file, malloc'd and NUL-terminated, or NULL. */
static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    gl_buf b = { 0 };
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gl_buf_add(&b, chunk, n);
    fclose(f);
    if (!b.data)
        gl_buf_adds(&b, "");
    return b.data;
}

/* The runner writes the account with its stages' reports to --stats
 * only, so the account comes back through a temporary file. */
int galley_pipeline_run(galley_pipeline *gp, const char *const *inputs, size_t ninputs,
                        const char *output, const char *rejects, char **account, galley_error *err)
{
    if (account)
        *account = NULL;
    if (ninputs == 0) {
        galley_error_set(err, "no input: give files, folders, or - for standard input");
        return GALLEY_EXIT_USAGE;
    }
    const char *tmp = getenv("TMPDIR");
    char stats[4096];
    snprintf(stats, sizeof stats, "%s/galley-account-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(stats);
    if (fd < 0) {
        galley_error_set(err, "%s: cannot create: %m", stats);
        return GALLEY_EXIT_FAILED;
    }
    close(fd);
    gl_run_opts ro = { .inputs = inputs,
                       .ninputs = ninputs,
                       .quiet = 1,
                       .stats_path = stats,
                       .rejects_path = rejects,
                       .shard = 0,
                       .nshards = 1 };
    gl_pipeline *p = gp->p;
    const char *configured = p->output.path;
    if (output)
        p->output.path = output;
    gl_account acct;
    int status = gl_run(p, &ro, &acct, err);
    p->output.path = configured;
    if (status == GALLEY_EXIT_OK && acct.rejected > 0)
        status = GALLEY_EXIT_REJECTED;
    char *json = read_small_file(stats);
    unlink(stats);
    if (json && json[0] && account)
        *account = json;
    else
        free(json);
    return status;
}

/* ---- sessions: the workers' side ------------------------------------------ */

/* Remembers a message for the document (scratch keyed by the session),
 * without the "galley: " the runner puts before messages for stderr. */
static void keep_message(galley_session *s, galley_doc *doc, const char *msg, size_t len)
{
    if (len >= 8 && memcmp(msg, "galley: ", 8) == 0) {
        msg += 8;
        len -= 8;
    }
    while (len && msg[len - 1] == '\n')
        len--;
    galley_doc_set_scratch(doc, s, galley_arena_strndup(galley_doc_arena(doc), msg, len));
}

/* The document of one record; a record that is not a document becomes an
 * empty one, rejected with the reason and message. */
static galley_doc *parse_record(galley_session *s, unsigned worker, gl_batch *b,
                                const gl_record *rec)
{
    const char *data = b->recs.data.data + rec->off;
    const char *source = b->recs.data.data + rec->src_off;
    const char *reason;
    galley_error err = { 0 };
    galley_doc *doc = gl_json_read_doc(data, rec->len, source, &s->p->input, &s->scratch[worker],
                                       &b->acct.repaired, &reason, &err);
    if (!doc) {
        doc = galley_doc_new(source, "", 0);
        galley_doc_set_source(doc, source);
        galley_doc_reject(doc, reason);
        keep_message(s, doc, err.message, strlen(err.message));
    }
    galley_doc_set_order(doc, rec->order);
    return doc;
}

/* Runs one part of the pipeline on a kept document; a stage's failure
 * rejects it, and its message (which the stages write into the batch)
 * becomes the document's. */
static void run_part(galley_session *s, gl_batch *b, galley_doc *doc, unsigned worker, int ordered)
{
    if (galley_doc_status(doc) != GALLEY_KEPT)
        return;
    size_t mark = b->messages.len;
    if (ordered)
        gl_stages_ordered(&s->stages, doc, b);
    else
        gl_stages_parallel(&s->stages, worker, doc, b);
    if (b->messages.len > mark) {
        keep_message(s, doc, b->messages.data + mark, b->messages.len - mark);
        b->messages.len = mark;
    }
}

/* Appends an object's members as JSON, offsets through the map. */
static void object_json(gl_buf *b, const galley_object *o, gl_offset_map *m, galley_doc *doc)
{
    gl_buf_addc(b, '{');
    for (size_t i = 0; i < galley_object_size(o); i++) {
        const char *key = galley_object_key_at(o, i);
        if (i)
            gl_buf_addc(b, ',');
        gl_json_string(b, key, strlen(key));
        gl_buf_addc(b, ':');
        gl_json_value(b, galley_object_value_at(o, i), m, doc);
    }
    gl_buf_addc(b, '}');
}

/* The index of key among the nf names (nf when absent), `hint` tried
 * first: a layer's spans share their arena's interned keys, mostly in one
 * order, so pointers match before any string is compared. */
static size_t name_index(const char **names, size_t nf, const char *key, size_t hint)
{
    if (hint < nf && names[hint] == key)
        return hint;
    for (size_t f = 0; f < nf; f++)
        if (names[f] == key)
            return f;
    for (size_t f = 0; f < nf; f++)
        if (strcmp(names[f], key) == 0)
            return f;
    return nf;
}

/* The names of every field the spans carry, in first-seen order (arena
 * array, NULL-terminated); *nf gets their count. */
static const char **field_names(galley_doc *doc, galley_span **spans, size_t n, size_t *nf)
{
    size_t count = 0, cap = 8;
    const char **names = galley_arena_alloc(galley_doc_arena(doc), cap * sizeof *names);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < galley_object_size(spans[i]->fields); k++) {
            const char *key = galley_object_key_at(spans[i]->fields, k);
            if (name_index(names, count, key, k) < count)
                continue;
            if (count + 1 == cap) {
                names = galley_arena_realloc(galley_doc_arena(doc), names, cap * sizeof *names,
                                             2 * cap * sizeof *names);
                cap *= 2;
            }
            names[count++] = key;
        }
    names[count] = NULL;
    *nf = count;
    return names;
}

/* The value of each field of each span, or NULL where a span lacks the
 * field: at[i * nf + f] (arena array). One walk over each span's members. */
static const galley_value **place_fields(galley_doc *doc, galley_span **spans, size_t n,
                                         const char **names, size_t nf)
{
    const galley_value **at = galley_arena_calloc(galley_doc_arena(doc), n * nf + 1, sizeof *at);
    for (size_t i = 0; i < n; i++) {
        const galley_object *o = spans[i]->fields;
        for (size_t k = 0; k < galley_object_size(o); k++) {
            size_t f = name_index(names, nf, galley_object_key_at(o, k), k);
            if (f < nf)
                at[i * nf + f] = galley_object_value_at(o, k);
        }
    }
    return at;
}

/* Non-zero when every span's field `f` (the "text" field) is a string
 * equal to the text it covers: the consumer can then slice it from the
 * document's text instead of decoding it again. */
static int text_is_slice(galley_doc *doc, galley_span **spans, size_t n, const galley_value **at,
                         size_t nf, size_t f)
{
    const char *text = galley_doc_text(doc);
    if (f == nf)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const galley_value *v = at[i * nf + f];
        size_t len;
        const char *t =
            v && galley_value_type(v) == GALLEY_STRING ? galley_value_str(v, &len) : NULL;
        if (!t || len != spans[i]->end - spans[i]->start ||
            memcmp(t, text + spans[i]->start, len) != 0)
            return 0;
    }
    return 1;
}

/* Appends an offset as the 8 bytes of a uint64_t in memory order: a
 * consumer in this process reads a layer's offsets in one call (Python:
 * array("Q", ...)), which decoding JSON numbers is not. */
static void raw_offset(gl_buf *b, size_t offset)
{
    uint64_t v = offset;
    gl_buf_add(b, &v, sizeof v);
}

/* One layer as columns: N, {"fields"[,"sliced"][,"missing"]}, the
 * offsets, then each field's column, tab-separated, so that a consumer
 * decodes a column only when it reads that field (galley/embed.h). */
static void layer_columns(gl_buf *b, galley_doc *doc, galley_layer *layer, gl_offset_map *m)
{
    size_t n, nf;
    galley_span **spans = galley_layer_in_text_order(doc, layer, &n);
    const char **names = field_names(doc, spans, n, &nf);
    const galley_value **at = place_fields(doc, spans, n, names, nf);
    size_t text_f = nf;
    for (size_t f = 0; f < nf && text_f == nf; f++)
        if (strcmp(names[f], "text") == 0)
            text_f = f;
    int sliced = n > 0 && text_is_slice(doc, spans, n, at, nf, text_f);
    gl_json_int(b, (long long)n);
    gl_buf_adds(b, "\t{\"fields\":[");
    int any_missing = 0, first = 1;
    for (size_t f = 0; f < nf; f++) {
        if (sliced && f == text_f)
            continue;
        gl_buf_adds(b, first ? "" : ",");
        first = 0;
        gl_json_string(b, names[f], strlen(names[f]));
    }
    gl_buf_addc(b, ']');
    for (size_t k = 0; k < n * nf && !any_missing; k++)
        any_missing = !at[k];
    if (sliced)
        gl_buf_adds(b, ",\"sliced\":true");
    if (any_missing) {
        gl_buf_adds(b, ",\"missing\":{");
        first = 1;
        for (size_t f = 0; f < nf; f++) {
            int opened = 0;
            for (size_t i = 0; i < n; i++) {
                if (at[i * nf + f])
                    continue;
                if (!opened) {
                    gl_buf_adds(b, first ? "" : ",");
                    gl_json_string(b, names[f], strlen(names[f]));
                    gl_buf_adds(b, ":[");
                    first = 0;
                }
                gl_buf_adds(b, opened ? "," : "");
                gl_json_int(b, (long long)i);
                opened = 1;
            }
            if (opened)
                gl_buf_addc(b, ']');
        }
        gl_buf_addc(b, '}');
    }
    gl_buf_adds(b, "}\t");
    for (size_t i = 0; i < n; i++)
        raw_offset(b, gl_offset_map_get(m, doc, spans[i]->start));
    for (size_t i = 0; i < n; i++)
        raw_offset(b, gl_offset_map_get(m, doc, spans[i]->end));
    for (size_t f = 0; f < nf; f++) {
        if (sliced && f == text_f)
            continue;
        gl_buf_adds(b, "\t[");
        for (size_t i = 0; i < n; i++) {
            const galley_value *v = at[i * nf + f];
            if (i)
                gl_buf_addc(b, ',');
            if (v)
                gl_json_value(b, v, m, doc);
            else
                gl_buf_add(b, "null", 4);
        }
        gl_buf_addc(b, ']');
    }
}

/* The document in the COLUMNS form (galley/embed.h): parts the consumer
 * finds without parsing and decodes when it uses them. */
static void format_columns(gl_buf *b, galley_doc *doc)
{
    gl_offset_map m;
    gl_offset_map_init(&m, doc, 0);
    const char *id = galley_doc_id(doc), *src = galley_doc_source(doc);
    gl_buf_adds(b, "{\"id\":");
    gl_json_string(b, id, strlen(id));
    gl_buf_adds(b, ",\"source\":");
    gl_json_string(b, src, strlen(src));
    gl_buf_adds(b, ",\"text_bytes\":");
    gl_json_int(b, (long long)galley_doc_text_len(doc));
    gl_buf_adds(b, "}\n");
    /* The text as it is: the consumer decodes UTF-8, not a JSON string. */
    gl_buf_add(b, galley_doc_text(doc), galley_doc_text_len(doc));
    gl_buf_addc(b, '\n');
    object_json(b, galley_doc_meta(doc), &m, doc);
    for (size_t l = 0; l < galley_doc_layer_count(doc); l++) {
        galley_layer *layer = galley_doc_layer_at(doc, l);
        const char *name = galley_layer_name(layer);
        gl_buf_addc(b, '\n');
        gl_json_string(b, name, strlen(name));
        gl_buf_addc(b, '\t');
        layer_columns(b, doc, layer, &m);
    }
    /* The newline settle takes off: never an offset's last byte. */
    gl_buf_addc(b, '\n');
}

/* Formats the document (whatever its status: the caller sees them all)
 * and counts it. */
static void settle(galley_session *s, gl_batch *b, galley_doc *doc)
{
    if (s->form == GALLEY_FORM_COLUMNS)
        format_columns(&b->out, doc);
    else
        gl_format_doc(&s->out, doc, &b->out);
    if (b->out.len && b->out.data[b->out.len - 1] == '\n')
        b->out.len--;
    gl_batch_end_doc(b);
    switch (galley_doc_status(doc)) {
    case GALLEY_KEPT:
        b->acct.written++;
        break;
    case GALLEY_DROPPED:
        gl_account_drop(&b->acct, galley_doc_status_reason(doc), 1);
        break;
    case GALLEY_REJECTED:
        gl_account_reject(&b->acct, galley_doc_status_reason(doc), 1);
        break;
    }
}

/* The pool's work, in a worker thread: parse and the parallel part; the
 * rest too when the pipeline has no ordered stage. */
static void session_work(void *ctx, unsigned worker, gl_batch *b)
{
    galley_session *s = ctx;
    for (size_t i = 0; i < b->recs.n; i++) {
        b->acct.read++;
        galley_doc *doc = parse_record(s, worker, b, &b->recs.recs[i]);
        b->acct.text_bytes += galley_doc_text_len(doc);
        run_part(s, b, doc, worker, 0);
        if (!s->stages.has_ordered)
            settle(s, b, doc);
        gl_batch_keep_doc(b, doc);
    }
}

/* ---- sessions: the caller's side ------------------------------------------ */

galley_session *galley_session_start(galley_pipeline *gp, int threads, int form, galley_error *err)
{
    gl_pipeline *p = gp->p;
    if (threads < 0)
        threads = (int)p->top.threads;
    unsigned nworkers = threads > 0 ? (unsigned)threads : gl_cpu_count();
    galley_session *s = gl_xcalloc(1, sizeof *s);
    s->p = p;
    s->out = p->output;
    s->out.format = GL_OUT_JSONL;
    s->out.offsets = GL_OFFSETS_CODEPOINTS;
    s->out.text = 1;
    s->form = form;
    if (gl_stages_create(&s->stages, p, nworkers, 0, 1, err) < 0) {
        free(s);
        return NULL;
    }
    s->nworkers = nworkers;
    s->scratch = gl_xcalloc(nworkers, sizeof *s->scratch);
    for (unsigned i = 0; i < nworkers; i++)
        gl_json_scratch_init(&s->scratch[i]);
    s->t0 = gl_now();
    s->pool = gl_pool_start(nworkers, session_work, s);
    return s;
}

/* Hands the open batch to the workers. */
static void submit_open(galley_session *s)
{
    if (!s->open)
        return;
    if (s->open->recs.n)
        gl_pool_submit(s->pool, s->open);
    else
        gl_pool_release(s->pool, s->open);
    s->open = NULL;
}

/* Appends one JSON record to the batch; both strings NUL-terminated in
 * the batch's data, as the readers leave them. */
static void add_record(gl_batch *b, const char *json, size_t len, const char *source,
                       uint64_t order)
{
    gl_records *r = &b->recs;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : SESSION_BATCH_RECORDS;
        r->recs = gl_xrealloc(r->recs, r->cap * sizeof *r->recs);
    }
    gl_record *rec = &r->recs[r->n++];
    memset(rec, 0, sizeof *rec);
    rec->kind = GL_REC_JSON;
    rec->order = order;
    rec->off = r->data.len;
    rec->len = len;
    gl_buf_add(&r->data, json, len);
    gl_buf_addc(&r->data, '\0');
    rec->src_off = r->data.len;
    gl_buf_adds(&r->data, source);
    rec->src_len = r->data.len - rec->src_off;
    gl_buf_addc(&r->data, '\0');
}

int galley_session_push(galley_session *s, const char *json, size_t len, const char *source)
{
    if (s->ended)
        return -1;
    if (!s->open && !(s->open = gl_pool_reserve(s->pool, 0)))
        return 0;
    char name[32];
    if (!source) {
        snprintf(name, sizeof name, "pushed:%llu", (unsigned long long)s->pushed + 1);
        source = name;
    }
    add_record(s->open, json, len, source, GALLEY_ORDER(0, s->pushed));
    s->pushed++;
    s->acct.input_bytes += len;
    if (s->open->recs.n >= SESSION_BATCH_RECORDS || s->open->recs.data.len >= SESSION_BATCH_BYTES)
        submit_open(s);
    return 1;
}

/* Ends the input; `caller` when the caller said so (not finish). */
static void end_input(galley_session *s, int caller)
{
    if (s->ended)
        return;
    s->caller_ended = caller;
    submit_open(s);
    gl_pool_end_input(s->pool);
    s->ended = 1;
}

void galley_session_end_input(galley_session *s)
{
    end_input(s, 1);
}

/* A batch back from the workers, in order: the ordered part of the
 * pipeline, then its figures into the session's account. */
static void finish_batch(galley_session *s, gl_batch *b)
{
    if (s->stages.has_ordered)
        for (size_t i = 0; i < b->ndocs; i++) {
            run_part(s, b, b->docs[i], 0, 1);
            settle(s, b, b->docs[i]);
        }
    gl_account_merge(&s->acct, &b->acct);
}

/* Frees the documents of a batch that has been pulled, and gives it back. */
static void release_batch(galley_session *s, gl_batch *b)
{
    for (size_t i = 0; i < b->ndocs; i++)
        galley_doc_free(b->docs[i]);
    b->ndocs = 0;
    gl_pool_release(s->pool, b);
}

int galley_session_pull(galley_session *s, int wait, galley_result *r)
{
    for (;;) {
        gl_batch *b = s->cur;
        if (b && s->cur_next < b->ndocs) {
            size_t i = s->cur_next++;
            galley_doc *doc = b->docs[i];
            size_t start = i ? b->ends[i - 1] : 0;
            r->status = galley_doc_status(doc);
            r->json = b->out.data + start;
            r->json_len = b->ends[i] - start;
            r->id = galley_doc_id(doc);
            r->source = galley_doc_source(doc);
            r->reason = r->status == GALLEY_KEPT ? NULL : galley_doc_status_reason(doc);
            r->message = galley_doc_scratch(doc, s);
            s->pulled++;
            return 1;
        }
        if (b) {
            release_batch(s, b);
            s->cur = NULL;
        }
        if (s->pulled == s->pushed)
            return s->ended ? -1 : 0;
        int done;
        b = gl_pool_next(s->pool, 0, &done);
        if (!b && wait) {
            /* What is wanted may sit in the open batch: start it. */
            submit_open(s);
            b = gl_pool_next(s->pool, 1, &done);
        }
        if (!b)
            return 0;
        finish_batch(s, b);
        s->cur = b;
        s->cur_next = 0;
    }
}

int galley_session_finish(galley_session *s, char **account, galley_error *err)
{
    if (account)
        *account = NULL;
    end_input(s, 0);
    galley_result r;
    while (galley_session_pull(s, 1, &r) == 1)
        ;
    gl_pool_stop(s->pool);
    s->acct.seconds = gl_now() - s->t0;
    int status = GALLEY_EXIT_OK;
    galley_arena *a = galley_arena_new(0);
    galley_object *reports = galley_object_new(a);
    if (gl_stages_finish(&s->stages, reports, err) != 0)
        status = GALLEY_EXIT_FAILED;
    /* Stage state (a dedup index kept across runs) is made durable only
     * when the caller saw its input through. */
    if (status == GALLEY_EXIT_OK && s->caller_ended && gl_stages_commit(&s->stages, err) < 0)
        status = GALLEY_EXIT_FAILED;
    for (unsigned i = 0; i < s->nworkers; i++)
        gl_json_scratch_free(&s->scratch[i]);
    free(s->scratch);
    if (account) {
        gl_buf b = { 0 };
        gl_account_json(&s->acct, &b, reports);
        if (b.len && b.data[b.len - 1] == '\n')
            b.data[--b.len] = '\0';
        *account = b.data;
    }
    galley_arena_free(a);
    gl_stages_destroy(&s->stages);
    free(s);
    return status;
}
