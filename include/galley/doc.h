/* galley/doc.h - a document (one article) on its way through the pipeline.
 *
 * A document has an id, a source (where it was read), metadata (an object
 * of JSON-shaped values passed through to the output), its text (always
 * valid UTF-8, NUL-terminated), annotation layers, and a status.
 *
 * All offsets in this API are BYTE offsets into the text; the writer turns
 * them into code points (the default) or keeps bytes, as configured.
 * All memory belongs to the document's arena. */
#ifndef GALLEY_DOC_H
#define GALLEY_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <galley/arena.h>
#include <galley/value.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct galley_doc galley_doc;
typedef struct galley_layer galley_layer;

/* One annotation: the half-open byte range [start, end) of the text and
 * the annotation's own fields (type, label, canonical form, ...). */
typedef struct galley_span {
    size_t start;
    size_t end;
    galley_object *fields;
} galley_span;

typedef enum galley_status {
    GALLEY_KEPT = 0,
    GALLEY_DROPPED, /* left out on purpose, e.g. "duplicate" */
    GALLEY_REJECTED /* bad input, e.g. "empty" */
} galley_status;

/* A new document with an arena of its own; `text` is copied, with each
 * invalid UTF-8 sequence and NUL byte replaced by U+FFFD (as the readers
 * repair input), so a document's text is always valid UTF-8. Used by
 * readers, embedders and tests that run one stage on one document. */
galley_doc *galley_doc_new(const char *id, const char *text, size_t len);
/* Releases the document and its arena. */
void galley_doc_free(galley_doc *doc);

galley_arena *galley_doc_arena(galley_doc *doc);

const char *galley_doc_id(const galley_doc *doc);
void galley_doc_set_id(galley_doc *doc, const char *id);
/* Where the document came from: "file", "file:line", "archive.tar.gz//member". */
const char *galley_doc_source(const galley_doc *doc);
void galley_doc_set_source(galley_doc *doc, const char *source);

/* The document's place in the input order of the whole run, the same in
 * a single run and in any shard of it (galley run --shard): the index of
 * its input file among all the run's input files, in their sorted order,
 * times 2^40, plus its ordinal among the records read from that file
 * (rejected ones count). Sorting by it gives a single run's order.
 * Documents made with galley_doc_new have 0 until set. */
uint64_t galley_doc_order(const galley_doc *doc);
void galley_doc_set_order(galley_doc *doc, uint64_t order);
#define GALLEY_ORDER(file, record)                                                                 \
    (((uint64_t)(file) << 40) | ((uint64_t)(record) & ((1ULL << 40) - 1)))

/* The name of shard `shard` (of `nshards`) of an output path, as galley
 * run --shard names its outputs: "out.jsonl.gz" -> 
 * "out.shard-00002-of-00007.jsonl.gz" (before the first dot of the file
 * name). Writes at most `size` bytes (NUL included) to out. */
void galley_shard_path(const char *path, unsigned shard, unsigned nshards, char *out, size_t size);

/* The text and its length in bytes. */
const char *galley_doc_text(const galley_doc *doc);
size_t galley_doc_text_len(const galley_doc *doc);
/* Replaces the text (copied into the arena and repaired like
 * galley_doc_new's). Only a stage that rewrites text may call it, and only
 * before any layer exists: returns -1 (and changes nothing) when the
 * document already has layers. */
int galley_doc_set_text(galley_doc *doc, const char *text, size_t len);

/* Metadata: title, url, date, outlet, ... and whatever stages add. */
galley_object *galley_doc_meta(galley_doc *doc);

/* Layers, by name. `galley_doc_layer` returns NULL when absent;
 * `galley_doc_add_layer` returns the existing layer or creates it. */
galley_layer *galley_doc_layer(const galley_doc *doc, const char *name);
galley_layer *galley_doc_add_layer(galley_doc *doc, const char *name);
size_t galley_doc_layer_count(const galley_doc *doc);
galley_layer *galley_doc_layer_at(const galley_doc *doc, size_t i);
const char *galley_layer_name(const galley_layer *layer);

/* Spans of a layer, in the order they were added. The writer sorts each
 * layer by (start, end) before output; references between spans should use
 * offsets (GALLEY_OFFSET fields), not indexes. Returns NULL when start >
 * end or end is past the text. */
galley_span *galley_layer_add(galley_layer *layer, size_t start, size_t end);
size_t galley_layer_size(const galley_layer *layer);
galley_span *galley_layer_at(const galley_layer *layer, size_t i);
/* The spans of a layer in text order, by (start, end), equal spans in the
 * order they were added: what a stage that reads another stage's layer
 * walks (layers keep insertion order, which differs across stages). An
 * array in the document's arena, NULL-terminated; *n (may be NULL) gets
 * the count. Linear after an O(n log n) sort. */
galley_span **galley_layer_in_text_order(galley_doc *doc, const galley_layer *layer, size_t *n);

/* Status. The reason is a short token ("duplicate", "empty", "too_long")
 * used as the key in the run's account. */
galley_status galley_doc_status(const galley_doc *doc);
const char *galley_doc_status_reason(const galley_doc *doc);
void galley_doc_drop(galley_doc *doc, const char *reason);
void galley_doc_reject(galley_doc *doc, const char *reason);

/* Per-stage scratch data that travels with the document, keyed by the
 * stage instance. An ordered stage's `prepare` (run in a worker) leaves its
 * result here for its `process` (run in order). */
void galley_doc_set_scratch(galley_doc *doc, const void *key, void *data);
void *galley_doc_scratch(const galley_doc *doc, const void *key);

#ifdef __cplusplus
}
#endif
#endif
