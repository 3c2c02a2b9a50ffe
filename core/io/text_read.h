/* text_read.h - a plain-text article (one file or archive member) into a
 * document: repaired to valid UTF-8 (counted), the first line the title
 * when a blank line follows it (input.title_line). */
#ifndef GALLEY_TEXT_READ_H
#define GALLEY_TEXT_READ_H

#include "io/readers.h"
#include "sdk/private.h"

/* The document of one text file (always one: bad bytes are repaired). */
galley_doc *gl_text_read_doc(const char *data, size_t len, const char *source,
                             const gl_input_opts *o, uint64_t *repaired);

#endif
