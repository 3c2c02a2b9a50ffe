/* progress.c - "galley: 120,345 docs  512.3 MB  85.1 MB/s  ETA 0:42" on
 * stderr, redrawn in place. */
#include "config.h"

#include <stdio.h>
#include "run/progress.h"
#include "sdk/sys.h"

void gl_progress_start(gl_progress *p, int enabled, uint64_t total_bytes)
{
    p->enabled = enabled;
    p->start = p->last = gl_now();
    p->total_bytes = total_bytes;
    p->drawn = 0;
}

void gl_progress_update(gl_progress *p, uint64_t docs, uint64_t bytes)
{
    if (!p->enabled)
        return;
    double now = gl_now();
    if (now - p->last < 0.25)
        return;
    p->last = now;
    double secs = now - p->start;
    double mb = (double)bytes / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    fprintf(stderr, "\r\033[Kgalley: %llu docs  %.1f MB  %.1f MB/s  %.0f docs/s",
            (unsigned long long)docs, mb, rate, secs > 0 ? (double)docs / secs : 0.0);
    if (p->total_bytes && bytes > 0 && bytes <= p->total_bytes && rate > 0) {
        double left = ((double)(p->total_bytes - bytes) / 1e6) / rate;
        fprintf(stderr, "  %.0f%%  ETA %d:%02d", 100.0 * (double)bytes / (double)p->total_bytes,
                (int)left / 60, (int)left % 60);
    }
    fflush(stderr);
    p->drawn = 1;
}

void gl_progress_clear(gl_progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

void gl_progress_end(gl_progress *p)
{
    gl_progress_clear(p);
}
