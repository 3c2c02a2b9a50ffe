/* galley/embed.h - galley inside another program: one stage on one
 * document (for a stage's own unit tests), or a whole pipeline, over files
 * like `galley run` or over documents the program pushes (what the Python
 * binding uses). */
#ifndef GALLEY_EMBED_H
#define GALLEY_EMBED_H

#include <galley/doc.h>
#include <galley/error.h>
#include <galley/stage.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct galley_stage_handle galley_stage_handle;

/* Loads stage `name` from the plugin search path (GALLEY_PLUGIN_PATH, the
 * build tree when uninstalled, the installed plugin folder), validates
 * `settings` ("option=value" strings, NULL-terminated; NULL for defaults)
 * against its option table and creates one instance. */
galley_stage_handle *galley_stage_open(const char *name, const char *const *settings,
                                       galley_error *err);
/* Runs prepare (if any) and process on one document. */
int galley_stage_run(galley_stage_handle *h, galley_doc *doc, galley_error *err);
/* The two halves of galley_stage_run, for benchmarks and tests that time
 * or check them apart: prepare does nothing (returns 0) for a stage
 * without one; process must follow prepare on the same document. */
int galley_stage_prepare(galley_stage_handle *h, galley_doc *doc, galley_error *err);
int galley_stage_process(galley_stage_handle *h, galley_doc *doc, galley_error *err);
/* Calls finish, then commit (the stage saves its state); `report` may
 * be NULL. */
int galley_stage_finish(galley_stage_handle *h, galley_object *report, galley_error *err);
const galley_stage_info *galley_stage_descriptor(const galley_stage_handle *h);
void galley_stage_close(galley_stage_handle *h);

/* The document as one JSON line (what `galley run` writes), malloc'd;
 * offsets in code points. For tests. */
char *galley_doc_to_json(galley_doc *doc);

/* ---- a whole pipeline ------------------------------------------------------
 *
 * Open a pipeline config, then either run it over files (like `galley
 * run`) or start a session and push documents to it:
 *
 *     galley_session *s = galley_session_start(p, 0, GALLEY_FORM_JSONL, &err);
 *     for each document:
 *         while (galley_session_push(s, json, len, NULL) == 0)   // full
 *             while (galley_session_pull(s, 1, &r) == 1) use(&r);
 *         while (galley_session_pull(s, 0, &r) == 1) use(&r);
 *     galley_session_end_input(s);
 *     while (galley_session_pull(s, 1, &r) == 1) use(&r);
 *     galley_session_finish(s, &account, &err);
 *
 * The session's worker threads run the parallel stages; the ordered ones
 * (dedup) run in the thread that pulls. Push never blocks, so one thread
 * may push and pull in turn; at most one thread pushes and one pulls.
 * Memory is bounded by the session's window (about 2 * threads + 4 batches
 * of 256 documents), whatever the number of documents pushed. Open, run
 * and start load modules: call them from one thread at a time. */

typedef struct galley_pipeline galley_pipeline;
typedef struct galley_session galley_session;

/* Opens the pipeline config at `path` with `settings` (NULL-terminated
 * "STAGE.OPTION=VALUE", "threads=N", "input.OPTION=VALUE" or
 * "output.OPTION=VALUE" strings, like --set; NULL for none). On failure
 * returns NULL and, when `errors` is not NULL, sets *errors to every
 * mistake found, one "file:line: message" a line as `galley check` prints
 * them (free with galley_free). */
galley_pipeline *galley_pipeline_open(const char *path, const char *const *settings, char **errors);
void galley_pipeline_close(galley_pipeline *p);

/* The input fields the pipeline reads the text and the id from. */
const char *galley_pipeline_text_field(const galley_pipeline *p);
const char *galley_pipeline_id_field(const galley_pipeline *p);
/* The layers the pipeline's stages provide, in stage order, each once
 * (NULL-terminated; owned by the pipeline). */
const char *const *galley_pipeline_layers(const galley_pipeline *p);

/* One JSON object (one JSONL line, without its newline) as a document, the
 * way the pipeline's input section reads it (text_field, id_field, the
 * other fields as metadata, invalid UTF-8 repaired); `source` names it
 * (NULL: "(pushed)"). NULL with err set when it is not such an object. */
galley_doc *galley_pipeline_parse(const galley_pipeline *p, const char *json, size_t len,
                                  const char *source, galley_error *err);

/* Runs the pipeline over files, folders or "-" like `galley run`, quietly:
 * the output goes where the config says, or to `output` when it is not
 * NULL; each rejected input to `rejects` (JSONL) when it is not NULL.
 * Returns a galley_exit (REJECTED: done, but some input was rejected).
 * *account gets the account as JSON, as --stats writes it (free with
 * galley_free); err the message when the run did not complete. */
int galley_pipeline_run(galley_pipeline *p, const char *const *inputs, size_t ninputs,
                        const char *output, const char *rejects, char **account, galley_error *err);

/* How a session writes each finished document (galley_result.json):
 *  - JSONL: as `galley run` writes it, code point offsets, with its text;
 *  - COLUMNS: the same content in parts a consumer decodes when it uses
 *    them, each layer as columns (far fewer objects; the Python binding
 *    uses it):
 *      {"id":...,"source":...,"text_bytes":T}\n
 *      TEXT (T bytes of UTF-8, as they are)\n
 *      {metadata}
 *    then for each layer
 *      \n"NAME"\tN\t{"fields":[FIELD,...],"sliced":true,"missing":{...}}\t
 *      OFFSETS\t[one value a span, of the first FIELD]\t[... the next]...
 *    N spans in the writer's order (by start, then end); OFFSETS are 16 N
 *    bytes: the N starts, then the N ends, each a uint64_t in this
 *    machine's byte order (the consumer is in the same process), and may
 *    hold any byte: a layer's end is found from N (then a tab and the
 *    columns, which like the JSON parts hold no raw newline or tab, up to
 *    the next newline or the end). A layer without fields ends after its
 *    offsets. "sliced" (only then present) says every span's "text" field
 *    equals the document text it covers, and is left out of "fields"; a
 *    field some spans lack is null for them, and "missing" (only then
 *    present) says which lacked it rather than held null. */
enum galley_form { GALLEY_FORM_JSONL = 0, GALLEY_FORM_COLUMNS = 1 };

/* Creates the stage instances and starts `threads` workers (0: all cores;
 * negative: the config's `threads`); `form` is a galley_form. NULL with
 * err set when a stage cannot be created. The pipeline must outlive the
 * session. */
galley_session *galley_session_start(galley_pipeline *p, int threads, int form, galley_error *err);

/* Hands one JSON object (as galley_pipeline_parse takes it) to the
 * session; it is parsed in a worker. `source` names it (NULL: "pushed:N",
 * N counting from 1, which is also its id when it has none). Returns 1
 * when taken, 0 when the session is full (pull first), -1 after
 * galley_session_end_input. Never blocks. */
int galley_session_push(galley_session *s, const char *json, size_t len, const char *source);

/* A finished document: every one pushed comes out, in push order. */
typedef struct galley_result {
    int status;       /* galley_status: kept, dropped or rejected */
    const char *json; /* the document in the session's form (no */
    size_t json_len;  /* newline; not NUL-terminated) */
    const char *id;
    const char *source;
    const char *reason;  /* dropped or rejected: the account's token */
    const char *message; /* rejected: what was wrong; else NULL */
} galley_result;

/* The next document in push order. With `wait`, blocks until it is done
 * (it may be one still waiting to fill a batch: that batch starts then).
 * Returns 1 with *r filled (valid until the next pull or finish); 0 when
 * it is not done yet (without `wait`), or when every document pushed has
 * been pulled and the input has not ended; -1 when the input has ended
 * and every document has been pulled. */
int galley_session_pull(galley_session *s, int wait, galley_result *r);

/* No more documents: the last batch starts. */
void galley_session_end_input(galley_session *s);

/* Ends the input if not yet done, finishes the documents not pulled
 * (counted, not shown), calls every stage's finish, joins the threads and
 * frees the session. *account (when not NULL) gets the account with the
 * stages' reports as JSON, as --stats writes it (free with galley_free).
 * Returns a galley_exit: OK, or FAILED with err set when a stage's finish
 * failed. */
int galley_session_finish(galley_session *s, char **account, galley_error *err);

/* Frees what the functions above return. */
void galley_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
