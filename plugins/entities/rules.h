/* rules.h - the entities stage's dictionaries, and the rules that turn
 * the model's spans into the `entities` layer: user dictionaries first,
 * dates by pattern, groups (NORP) from the demonym list, title lines,
 * canonical forms and links within the article. */
#ifndef ENTITIES_RULES_H
#define ENTITIES_RULES_H

#include <galley/galley.h>

typedef struct entities_dicts {
    galley_dict *known;     /* PHRASE -> PERSON/ORG/LOC/NORP/DATE/MISC */
    galley_dict *known_ci;  /* the same, ignoring case: for all-caps text */
    galley_dict *given;     /* given names */
    galley_dict *roles;     /* titles before a name */
    galley_dict *rolewords; /* lower-case roles, case-insensitive */
    galley_dict *orgkeys;
    galley_dict *misckeys;
    galley_dict *dates; /* MONTH, WEEKDAY */
    galley_dict *stop;
    galley_dict *demonyms; /* NORP, case-insensitive */
    galley_dict *user;     /* the `dictionaries` option: overrides the model */
    galley_dict *user_ci;
    size_t user_entries;
} entities_dicts;

typedef struct entities_rule_options {
    int propagate;
} entities_rule_options;

int entities_dicts_load(entities_dicts *d, const char *data_dir, const char *config_dir,
                        const galley_strlist *extra, galley_error *err);
void entities_dicts_free(entities_dicts *d);

/* A span the model found: tokens [first, last), type PERSON/ORG/LOC/MISC
 * (the layer's names). */
typedef struct entities_span {
    size_t first, last;
    const char *type;
} entities_span;

struct entities_doc_view;
/* Adds the "entities" layer to the document from the model's spans (in
 * text order) and the rules, whose working state goes in arena a (the
 * layer's values are copies in the document's arena). */
void entities_tag_document(const entities_dicts *d, const entities_rule_options *o, galley_doc *doc,
                           galley_arena *a, const struct entities_doc_view *v,
                           const entities_span *model, size_t nmodel);

#endif
