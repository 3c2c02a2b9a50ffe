/* writers.h - output formats (JSONL, CoNLL, CSV) and the sink that writes
 * them to standard output, a file, gzip, or numbered shards. */
#ifndef GALLEY_WRITERS_H
#define GALLEY_WRITERS_H

#include "sdk/private.h"

enum gl_output_format { GL_OUT_JSONL = 0, GL_OUT_CONLL, GL_OUT_CSV };
enum gl_offsets { GL_OFFSETS_CODEPOINTS = 0, GL_OFFSETS_BYTES };

/* The config's output section, filled from gl_output_table. */
typedef struct gl_output_opts {
    int format;
    const char *path;
    int offsets;
    int64_t shard_size;
    const char *layer;        /* csv: the layer that makes the rows */
    galley_strlist conll_map; /* TYPE=TAG, e.g. NORP=MISC, DATE=O */
    int text;                 /* write the text field */
    galley_strlist columns;   /* csv: the columns */
} gl_output_opts;

/* The output section's option tables: the one every format has, then
 * each format's own (NULL-terminated); see gl_input_tables. */
extern const galley_option gl_output_table[];
extern const galley_option *const gl_output_tables[];
int gl_output_table_applies(const galley_option *table, int format);

/* Appends one document in the configured format to b. Pure: safe to call
 * from worker threads. */
void gl_format_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b);

typedef struct gl_sink gl_sink;

/* Opens the output (the first shard when sharding). */
gl_sink *gl_sink_open(const gl_output_opts *o, galley_error *err);
/* Writes formatted documents: `ends[i]` is the end offset of document i
 * in data (so that shards split between documents). */
int gl_sink_write(gl_sink *s, const char *data, const size_t *ends,
                  size_t ndocs, galley_error *err);
/* Flushes and closes; reports a failed write (disk full). */
int gl_sink_close(gl_sink *s, galley_error *err);

#endif
