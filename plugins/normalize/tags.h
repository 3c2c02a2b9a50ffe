/* tags.h - residual HTML in article text: is the text HTML, and its tags
 * out. Only real markup counts as a tag: a known element name (or a
 * custom element's, with a dash, or a namespaced one such as o:p) written
 * in one case, attributes in HTML syntax, then '>'; another name when the
 * syntax says it is markup (an end tag, an attribute value, "<x/>") or the
 * text closes it later ("<tweet>" ... "</tweet>"); comments and
 * declarations (<!DOCTYPE ...>). Wire copy's company names in angle
 * brackets ("<Airbus Industrie>", "<McDonnell Douglas Corp.>") are text
 * and stay, in plain text and in HTML alike. */
#ifndef NORMALIZE_TAGS_H
#define NORMALIZE_TAGS_H

#include <stddef.h>
#include "repair.h"

/* Is the text HTML? It is when it holds a comment or declaration, a
 * closing tag, an attribute with a value, two tags, or one tag and some
 * of the `entities` character references decoded before. One tag-like
 * span alone is not enough, and a span that is not a tag never counts. */
int normalize_looks_like_html(const char *in, size_t len, size_t entities);

/* Tags, comments and declarations removed; scripts and styles with their
 * content; <br>, <p>, <div>, <li>, headings and other blocks end a line.
 * Returns the number of tags removed (0: `out` is untouched). Linear in
 * the text. */
size_t normalize_strip_tags(const char *in, size_t len, normalize_buf *out);

#endif
