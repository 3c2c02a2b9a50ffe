/* private.h - internals of libgalley shared between its files.
 * Everything here carries the gl_ prefix and is not part of the API. */
#ifndef GALLEY_PRIVATE_H
#define GALLEY_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <galley/galley.h>

#define GL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* malloc family that aborts on exhaustion: out of memory is not an input
 * error we can report per document. */
void *gl_xmalloc(size_t n);
void *gl_xcalloc(size_t n, size_t size);
void *gl_xrealloc(void *p, size_t n);
char *gl_xstrdup(const char *s);

/* A growable byte buffer (malloc'd). */
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

/* Document internals used by the runner and writers. */
typedef struct gl_layer_list gl_layer_list;
void gl_doc_set_seq(galley_doc *doc, uint64_t seq);
uint64_t gl_doc_seq(const galley_doc *doc);

/* The value of an option or field is a tagged union (value.c). */
struct galley_value {
    galley_type type;
    union {
        int b;
        int64_t i;
        double r;
        struct { const char *s; size_t len; } str;
        galley_object *obj;
        galley_array *arr;
    } u;
};

#endif
