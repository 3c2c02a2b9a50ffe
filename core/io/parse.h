/* parse.h - records to documents: a JSON line (jansson) or a text file,
 * repaired to valid UTF-8 (counted). */
#ifndef GALLEY_PARSE_H
#define GALLEY_PARSE_H

#include "io/readers.h"
#include "sdk/private.h"

/* The document of one JSON line, or NULL with *reason (the account's
 * token) and err set. Invalid UTF-8 is repaired and counted. */
galley_doc *gl_parse_json(const char *line, size_t len, const char *source,
                          const gl_input_opts *o, uint64_t *repaired,
                          const char **reason, galley_error *err);
/* The document of one text file (always one: bad bytes are repaired). */
galley_doc *gl_parse_text(const char *data, size_t len, const char *source,
                          const gl_input_opts *o, uint64_t *repaired);

#endif
