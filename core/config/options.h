/* options.h - the option-table engine: defaults, validation, filling an
 * options struct by offset, and describing a table to people. Used for
 * stage options and for the config's own input/output sections. */
#ifndef GALLEY_OPTIONS_H
#define GALLEY_OPTIONS_H

#include <stdio.h>
#include <libconfig.h>
#include "sdk/private.h"

/* Fills `dst` (a struct the table describes) with every default. Strings
 * and lists are allocated in `a`. Returns -1 when a default itself is
 * invalid (a bug in the table: the message says which). */
int gl_options_defaults(const galley_option *table, void *dst, galley_arena *a, galley_error *err);

/* The row named `name`, or NULL. */
const galley_option *gl_options_find(const galley_option *table, const char *name);

/* Sets one option from a config setting, checking its type and range.
 * The message does not include the file, line or stage: callers add them. */
int gl_options_set_setting(const galley_option *opt, void *dst, const config_setting_t *s,
                           galley_arena *a, galley_error *err);
/* Sets one option from text (a --set override or a default). */
int gl_options_set_text(const galley_option *opt, void *dst, const char *text, galley_arena *a,
                        galley_error *err);

/* `unknown option "x"` with the closest known name, or the full list:
 * the table's names and `extra` (NULL-terminated, may be NULL). */
void gl_options_unknown(const galley_option *table, const char *const *extra, const char *name,
                        const char *what, galley_error *err);

/* The closest of `names` (NULL-terminated) to `word`, or NULL when none is
 * close enough to be a likely typo. */
const char *gl_did_you_mean(const char *word, const char *const *names);

/* Human-readable type name ("bool", "int", ...), and the value a filled
 * struct holds for `opt`, as text (for `galley check`). */
const char *gl_option_type_name(galley_option_type t);
void gl_option_value_text(const galley_option *opt, const void *src, char *buf, size_t size);

/* Prints the table as text (`galley stages NAME`) or as Markdown. */
void gl_options_print(const galley_option *table, FILE *out, int markdown);

#endif
