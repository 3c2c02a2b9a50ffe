/* progress.h - the progress line on a terminal. */
#ifndef GALLEY_PROGRESS_H
#define GALLEY_PROGRESS_H

#include <stdint.h>

typedef struct gl_progress {
    int enabled;
    double start, last;
    uint64_t total_bytes; /* 0: unknown, no ETA */
    int drawn;
} gl_progress;

void gl_progress_start(gl_progress *p, int enabled, uint64_t total_bytes);
/* Redraws at most a few times a second. */
void gl_progress_update(gl_progress *p, uint64_t docs, uint64_t bytes);
/* Clears the line, before anything else is written to stderr (it is
 * drawn again at the next update). */
void gl_progress_clear(gl_progress *p);
/* Clears the line at the end of the run. */
void gl_progress_end(gl_progress *p);

#endif
