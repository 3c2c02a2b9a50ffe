/* quotes.h - the parts of the quotes stage. */
#ifndef QUOTES_QUOTES_H
#define QUOTES_QUOTES_H

#include <galley/galley.h>

typedef struct qt_dicts {
    galley_dict *cues;        /* attribution cues, case-insensitive */
    galley_dict *reporting;   /* reporting verbs */
    galley_dict *refs;        /* pronouns and nominal references */
} qt_dicts;

typedef struct qt_options {
    int indirect;
    int scare_max_words;
    size_t max_quote_bytes;
} qt_options;

int qt_dicts_load(qt_dicts *d, const char *data_dir, galley_error *err);
void qt_dicts_free(qt_dicts *d);

/* Adds the "quotes" layer. */
void qt_find_quotes(const qt_dicts *d, const qt_options *o, galley_doc *doc);

#endif
