/* buf.h - a growable byte buffer (malloc'd), always NUL-terminated
 * after a write. */
#ifndef GALLEY_BUF_H
#define GALLEY_BUF_H

#include <stddef.h>
#include <galley/error.h>

typedef struct gl_buf {
    char *data;
    size_t len, cap;
} gl_buf;

void gl_buf_reserve(gl_buf *b, size_t extra);
void gl_buf_add(gl_buf *b, const void *p, size_t n);
void gl_buf_adds(gl_buf *b, const char *s);
void gl_buf_addc(gl_buf *b, char c);
void gl_buf_printf(gl_buf *b, const char *fmt, ...) GALLEY_PRINTF(2, 3);
void gl_buf_free(gl_buf *b);

#endif
