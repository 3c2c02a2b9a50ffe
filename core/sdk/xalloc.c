/* xalloc.c - malloc that aborts on exhaustion, for the core's own
 * (not per-document) memory. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

void *gl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("galley: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *gl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("galley: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *gl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("galley: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *gl_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(gl_xmalloc(n), s, n);
}
