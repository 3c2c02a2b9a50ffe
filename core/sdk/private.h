/* private.h - internals of libgalley shared between its files.
 * Everything here carries the gl_ prefix and is not part of the API. */
#ifndef GALLEY_PRIVATE_H
#define GALLEY_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <galley/galley.h>
#include "sdk/buf.h"

#define GL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* malloc family that aborts on exhaustion: out of memory is not an input
 * error we can report per document. */
void *gl_xmalloc(size_t n);
void *gl_xcalloc(size_t n, size_t size);
void *gl_xrealloc(void *p, size_t n);
char *gl_xstrdup(const char *s);

/* The copy of the object key `key` in arena a: one copy of each string an
 * arena (arena.c), so two keys of an arena are equal exactly when their
 * pointers are; keys are never changed in place. */
const char *gl_arena_key(galley_arena *a, const char *key);

/* A new empty object with room for `cap` members before it grows: a
 * layer's spans tend to carry the same fields, so a new span's object is
 * sized by the one before it (an object grown in an arena leaves its old
 * members behind). */
galley_object *gl_object_new_cap(galley_arena *a, size_t cap);

/* The value of an option or field is a tagged union (value.c). */
struct galley_value {
    galley_type type;
    union {
        int b;
        int64_t i;
        double r;
        struct {
            const char *s;
            size_t len;
        } str;
        galley_object *obj;
        galley_array *arr;
    } u;
};

#endif
