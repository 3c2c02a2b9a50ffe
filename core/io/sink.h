/* sink.h - the output: standard output, a file, gzip (a name ending in
 * .gz), or numbered shards of N documents. */
#ifndef GALLEY_SINK_H
#define GALLEY_SINK_H

#include "io/writers.h"

typedef struct gl_sink gl_sink;

/* Opens the output at `path` ("-" for standard output; the first file
 * when output.shard_size numbers them). Files are written under
 * temporary names (io/outfile.h). */
gl_sink *gl_sink_open(const gl_output_opts *o, const char *path, galley_error *err);
/* Writes formatted documents: `ends[i]` is the end offset of document i
 * in data (so that numbered files split between documents). */
int gl_sink_write(gl_sink *s, const char *data, const size_t *ends, size_t ndocs,
                  galley_error *err);
/* Finishes every file and gives each its name; reports a failed write
 * (disk full). Frees the sink either way. */
int gl_sink_commit(gl_sink *s, galley_error *err);
/* Removes every file written (a failed or interrupted run); frees. */
void gl_sink_abort(gl_sink *s);

/* The name of numbered file n of `path` (output.shard_size): out.jsonl.gz
 * -> out-00003.jsonl.gz (the number goes before the first dot of the
 * file name). */
void gl_numbered_path(const char *path, uint64_t n, char *out, size_t size);

#endif
