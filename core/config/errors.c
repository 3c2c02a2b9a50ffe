/* errors.c - the list of error messages of config loading. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include "config/errors.h"

void gl_errors_add(gl_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e->msgs = gl_xrealloc(e->msgs, (e->n + 1) * sizeof *e->msgs);
    e->msgs[e->n++] = gl_xstrdup(buf);
}

void gl_errors_print(const gl_errors *e, FILE *out)
{
    for (size_t i = 0; i < e->n; i++)
        fprintf(out, "galley: %s\n", e->msgs[i]);
}

void gl_errors_free(gl_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->msgs[i]);
    free(e->msgs);
    e->msgs = NULL;
    e->n = 0;
}
