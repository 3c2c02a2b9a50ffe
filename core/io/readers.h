/* readers.h - turning input paths into records: JSONL lines and text
 * files, from plain files, gzip, tar and compressed tar, folders walked in
 * sorted order, or standard input. Bad input becomes a REJECT record with
 * a reason and a position, and reading goes on with what follows. */
#ifndef GALLEY_READERS_H
#define GALLEY_READERS_H

#include "sdk/private.h"

enum gl_input_format { GL_IN_AUTO = 0, GL_IN_JSONL, GL_IN_TEXT };

/* The config's input section, filled from gl_input_table. */
typedef struct gl_input_opts {
    int format;
    const char *text_field;
    const char *id_field;
    int title_line;        /* text files: first line is the title */
    int64_t max_doc_bytes; /* a longer line or file is rejected */
} gl_input_opts;

/* The input section's option tables: the one every format has, then
 * each format's own (NULL-terminated). A key may be set whatever the
 * format; `galley check` shows the tables that apply to the format. */
extern const galley_option gl_input_table[];
extern const galley_option *const gl_input_tables[];
int gl_input_table_applies(const galley_option *table, int format);

typedef enum gl_record_kind {
    GL_REC_JSON = 0, /* one JSON line */
    GL_REC_TEXT,     /* one plain-text article */
    GL_REC_REJECT    /* bad input: data is the message */
} gl_record_kind;

typedef struct gl_record {
    gl_record_kind kind;
    const char *reason;      /* REJECT: static reason token */
    size_t off, len;         /* the bytes, in the batch's data buffer */
    size_t src_off, src_len; /* the source string, same buffer */
    uint64_t order;          /* place in the whole run (galley_doc_order) */
} gl_record;

/* Records and their bytes; one batch of the runner. */
typedef struct gl_records {
    gl_record *recs;
    size_t n, cap;
    gl_buf data;
} gl_records;

void gl_records_clear(gl_records *r);
void gl_records_free(gl_records *r);

typedef struct gl_inputs gl_inputs;

/* Expands paths (folders walked recursively, sorted) and prepares to
 * read this run's share of the files (shard of nshards; 0 of 1 for all).
 * A top-level path that does not exist, or is a URL, is a usage error:
 * NULL with err set. Paths that cannot be listed or read become REJECT
 * records later. */
gl_inputs *gl_inputs_open(const char *const *paths, size_t n, const gl_input_opts *opts,
                          unsigned shard, unsigned nshards, galley_error *err);
/* Non-zero when writing `path` would overwrite an input file of the run
 * (any shard's) or put a file under an input folder. */
int gl_inputs_claim(const gl_inputs *in, const char *path);
/* Appends records until `max_recs` records or `max_bytes` bytes are in
 * `out`. Returns the number appended; 0 at the end of all input. */
size_t gl_inputs_read(gl_inputs *in, gl_records *out, size_t max_recs, size_t max_bytes);
/* Bytes read from the files so far, and their total size when known
 * (0 when any input is a pipe). */
uint64_t gl_inputs_bytes_read(const gl_inputs *in);
uint64_t gl_inputs_total_bytes(const gl_inputs *in);
size_t gl_inputs_file_count(const gl_inputs *in); /* of this share */
void gl_inputs_close(gl_inputs *in);

#endif
