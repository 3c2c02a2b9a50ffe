/* json_write.h - documents as JSON text, the way `galley run` writes them. */
#ifndef GALLEY_JSON_WRITE_H
#define GALLEY_JSON_WRITE_H

#include "sdk/private.h"

/* Appends s[0..len) as a JSON string literal (quotes included). */
void gl_json_string(gl_buf *b, const char *s, size_t len);

/* The same for bytes that may not be valid UTF-8 (file names, messages):
 * invalid sequences are written as U+FFFD. */
void gl_json_string_repaired(gl_buf *b, const char *s, size_t len);

/* Appends a decimal integer (offsets and counts: on every span, so no printf). */
void gl_json_int(gl_buf *b, long long v);

#define GL_OFFSET_STEP 64

/* Maps byte offsets of a text to the unit of the output. */
typedef struct gl_offset_map {
    const char *text;
    size_t len;
    int bytes;    /* non-zero: keep byte offsets */
    uint32_t *cp; /* code point index of every GL_OFFSET_STEP-th byte (lazily built) */
} gl_offset_map;

void gl_offset_map_init(gl_offset_map *m, galley_doc *doc, int bytes);
size_t gl_offset_map_get(gl_offset_map *m, galley_doc *doc, size_t byte);

/* Appends a value (objects and arrays recursively); offsets go through
 * the map of `doc`, or stay bytes when m is NULL. */
void gl_json_value(gl_buf *b, const galley_value *v, gl_offset_map *m, galley_doc *doc);
/* Appends an object that holds no offsets into a text (a report). */
void gl_json_object(gl_buf *b, const galley_object *o);

/* Appends one document as a JSON object and a newline:
 * {"id","text","metadata","source", one array per layer}. */
void gl_json_doc(gl_buf *b, galley_doc *doc, int byte_offsets, int with_text);

#endif
