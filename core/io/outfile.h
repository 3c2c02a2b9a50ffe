/* outfile.h - an output file written under a temporary name in its own
 * folder and renamed to its name only when it is complete (after fsync of
 * the file, then of the folder): a run that fails, is interrupted or is
 * killed leaves nothing under the final name that looks finished. A
 * killed run's temporary files are removed by the next run that writes
 * the same name. A path that is a device or a pipe (/dev/stdout, a FIFO)
 * is written in place. */
#ifndef GALLEY_OUTFILE_H
#define GALLEY_OUTFILE_H

#include "sdk/private.h"

typedef struct gl_outfile {
    char *path; /* the final name */
    char *tmp;  /* DIR/.NAME.galley-tmp-PID; NULL when written in place */
    int fd;     /* open for writing, or -1 */
} gl_outfile;

/* Creates the temporary file for `path`. Returns 0, or -1 with err set
 * ("PATH: cannot write: REASON"). */
int gl_outfile_open(gl_outfile *f, const char *path, galley_error *err);
/* Writes all of data; -1 with err set on a short write (disk full). */
int gl_outfile_write(gl_outfile *f, const void *data, size_t len, galley_error *err);
/* Makes the file durable and gives it its name. -1 with err set when any
 * step fails; the temporary file is removed then. */
int gl_outfile_commit(gl_outfile *f, galley_error *err);
/* Removes the temporary file (a failed or interrupted run). */
void gl_outfile_abort(gl_outfile *f);

/* Writes a whole file at once through a temporary name. */
int gl_outfile_put(const char *path, const void *data, size_t len, galley_error *err);

/* From a signal handler: removes every temporary file still open, with
 * async-signal-safe calls only. */
void gl_outfile_abort_all_from_signal(void);

#endif
