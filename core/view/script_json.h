/* script_json.h - JSON text that is safe inside an HTML <script> element:
 * '<', '>' and '&' are written as \u escapes (so no "</script>" or
 * "<!--" can end or bend the element, whatever the article says), and
 * U+2028/U+2029 too (they end a line in older JavaScript). */
#ifndef GALLEY_VIEW_SCRIPT_JSON_H
#define GALLEY_VIEW_SCRIPT_JSON_H

#include <jansson.h>
#include "sdk/private.h"

/* Appends s[0..len) (valid UTF-8, as jansson gives it) as a JSON string. */
void gl_script_json_string(gl_buf *b, const char *s, size_t len);
/* Appends any JSON value, objects and arrays recursively. */
void gl_script_json_value(gl_buf *b, const json_t *v);
/* Appends a JSON string, or null when v is not a string. */
void gl_script_json_string_or_null(gl_buf *b, const json_t *v);

#endif
