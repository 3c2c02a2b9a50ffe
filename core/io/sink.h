/* sink.h - the output: standard output, a file, gzip (a name ending in
 * .gz), or numbered shards of N documents. */
#ifndef GALLEY_SINK_H
#define GALLEY_SINK_H

#include "io/writers.h"

typedef struct gl_sink gl_sink;

/* Opens the output (the first shard when sharding). */
gl_sink *gl_sink_open(const gl_output_opts *o, galley_error *err);
/* Writes formatted documents: `ends[i]` is the end offset of document i
 * in data (so that shards split between documents). */
int gl_sink_write(gl_sink *s, const char *data, const size_t *ends,
                  size_t ndocs, galley_error *err);
/* Flushes and closes; reports a failed write (disk full). */
int gl_sink_close(gl_sink *s, galley_error *err);

/* The name of shard n of `path`: out.jsonl.gz -> out-00003.jsonl.gz
 * (the number goes before the first dot of the file name). */
void gl_shard_path(const char *path, uint64_t n, char *out, size_t size);

#endif
