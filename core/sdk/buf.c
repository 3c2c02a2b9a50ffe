/* buf.c - the growable byte buffer the core formats output into. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

void gl_buf_reserve(gl_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra)
        cap *= 2;
    b->data = gl_xrealloc(b->data, cap);
    b->cap = cap;
}

void gl_buf_adds(gl_buf *b, const char *s)
{
    gl_buf_add(b, s, strlen(s));
}

void gl_buf_printf(gl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    gl_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gl_buf_free(gl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void gl_vec_init(gl_vec *v, size_t size)
{
    v->data = NULL;
    v->n = v->cap = 0;
    v->size = size;
}

void *gl_vec_push(gl_vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->data = gl_xrealloc(v->data, v->cap * v->size);
    }
    return v->data + v->n++ * v->size;
}

void *gl_vec_settle(gl_vec *v, galley_arena *a)
{
    char *out = galley_arena_alloc(a, (v->n + 1) * v->size);
    if (v->n)
        memcpy(out, v->data, v->n * v->size);
    memset(out + v->n * v->size, 0, v->size);
    free(v->data);
    v->data = NULL;
    return out;
}
