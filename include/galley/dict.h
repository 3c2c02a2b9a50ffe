/* galley/dict.h - dictionaries (gazetteers): phrases of one or more tokens
 * mapped to a label, matched against a document's tokens in time linear in
 * the text (a hash per prefix length, never a scan of the list).
 *
 * File format (one entry a line, UTF-8):
 *     # comment
 *     phrase                 -> label given to galley_dict_load
 *     phrase<TAB>label       -> explicit label
 * A phrase is tokenized with galley_tokenize, so "Prime Minister",
 * "U.S." and "Iran's" match however they are spaced in the text. */
#ifndef GALLEY_DICT_H
#define GALLEY_DICT_H

#include <stddef.h>
#include <galley/error.h>
#include <galley/text.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct galley_dict galley_dict;

enum {
    GALLEY_DICT_CASE_INSENSITIVE = 1 << 0 /* compare case-folded */
};

galley_dict *galley_dict_new(int flags);
void galley_dict_free(galley_dict *d);

/* Adds a phrase with a label (both copied). A phrase added twice keeps the
 * last label. Returns 0, or -1 for an empty phrase. */
int galley_dict_add(galley_dict *d, const char *phrase, const char *label);
/* Loads a file as above; errors name the file and line. */
int galley_dict_load(galley_dict *d, const char *path, const char *default_label,
                     galley_error *err);
size_t galley_dict_size(const galley_dict *d);

/* Label of an exact phrase, or NULL. */
const char *galley_dict_get(const galley_dict *d, const char *phrase, size_t len);

/* Longest entry that starts at token i of `tok` (tokens of `text`) and
 * stays within tokens [i, limit). Returns its label and sets *ntokens, or
 * returns NULL. */
const char *galley_dict_match(const galley_dict *d, const char *text, const galley_token *tok,
                              size_t i, size_t limit, size_t *ntokens);

#ifdef __cplusplus
}
#endif
#endif
