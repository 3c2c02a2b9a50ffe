/* json_read.h - a JSON line straight into a document (io/json_read.c):
 * the text and id decoded once, the other fields into galley values, no
 * tree in between. */
#ifndef GALLEY_JSON_READ_H
#define GALLEY_JSON_READ_H

#include "io/readers.h"
#include "sdk/private.h"

/* Buffers a reader thread keeps from line to line, so that a line costs
 * no allocation once they have grown. One per thread. */
typedef struct gl_json_scratch {
    gl_buf text, id, key, string, number;
    galley_arena *meta_arena; /* the metadata until the document exists */
    galley_arena *junk_arena; /* values parsed only to be checked */
    galley_arena *junk_keys;  /* member names while their values are read */
} gl_json_scratch;

void gl_json_scratch_init(gl_json_scratch *sc);
void gl_json_scratch_free(gl_json_scratch *sc);

/* The document of one JSON line (an object: input.text_field its text,
 * input.id_field its id, "metadata" merged, every other member a
 * metadata field), or NULL with *reason (malformed_json, not_an_object,
 * missing_text) and err set. Repairs (invalid UTF-8, lone surrogates,
 * U+0000 in the text or id) are added to *repaired. */
galley_doc *gl_json_read_doc(const char *line, size_t len, const char *source,
                             const gl_input_opts *o, gl_json_scratch *sc, uint64_t *repaired,
                             const char **reason, galley_error *err);

#endif
