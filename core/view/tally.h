/* tally.h - the corpus summary of `galley view`: entity mentions by type
 * and by name, quotes by kind and by speaker, elements of other layers,
 * each with the number of articles it occurs in; the top names by count. */
#ifndef GALLEY_VIEW_TALLY_H
#define GALLEY_VIEW_TALLY_H

#include "sdk/private.h"

typedef struct gl_tally gl_tally;

gl_tally *gl_tally_new(void);
void gl_tally_free(gl_tally *t);
/* Starts the next article: what follows is counted in it (the "articles"
 * columns count each name once per article). */
void gl_tally_article(gl_tally *t);
void gl_tally_entity(gl_tally *t, const char *type, const char *name);
/* `speaker` is NULL for an unattributed quote. */
void gl_tally_quote(gl_tally *t, const char *kind, const char *speaker);
void gl_tally_layer(gl_tally *t, const char *layer);
/* Appends the members of the summary object (no braces): "entities",
 * "quotes", "speakers", "top_entities" and "layers", the name tables cut to
 * their `top` most frequent rows. */
void gl_tally_json(gl_tally *t, gl_buf *b, size_t top);

#endif
