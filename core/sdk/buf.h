/* buf.h - a growable byte buffer (malloc'd), always NUL-terminated
 * after a write. */
#ifndef GALLEY_BUF_H
#define GALLEY_BUF_H

#include <stddef.h>
#include <string.h>
#include <galley/arena.h>
#include <galley/error.h>

typedef struct gl_buf {
    char *data;
    size_t len, cap;
} gl_buf;

void gl_buf_reserve(gl_buf *b, size_t extra);
void gl_buf_adds(gl_buf *b, const char *s);

/* The appenders the JSON writers call for every token: inline. */
static inline void gl_buf_add(gl_buf *b, const void *p, size_t n)
{
    if (b->cap - b->len < n + 1)
        gl_buf_reserve(b, n + 1);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void gl_buf_addc(gl_buf *b, char c)
{
    if (b->cap - b->len < 2)
        gl_buf_reserve(b, 2);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void gl_buf_printf(gl_buf *b, const char *fmt, ...) GALLEY_PRINTF(2, 3);
void gl_buf_free(gl_buf *b);

/* An array grown in malloc'd memory and handed to an arena once, whole,
 * when it is complete: growing by doubling inside an arena would leave
 * every smaller copy behind (a big article's tokens would cost twice
 * their size). */
typedef struct gl_vec {
    char *data;
    size_t n, cap;
    size_t size; /* of one element */
} gl_vec;

/* An empty array of elements of `size` bytes. */
void gl_vec_init(gl_vec *v, size_t size);
/* A new element at the end (uninitialized). */
void *gl_vec_push(gl_vec *v);
/* The elements, copied into `a` with one more zeroed after them; frees
 * the malloc'd memory. */
void *gl_vec_settle(gl_vec *v, galley_arena *a);

#endif
