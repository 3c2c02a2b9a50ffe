/* rules.h - the dictionaries and the tagging rules of the entities stage. */
#ifndef ENTITIES_RULES_H
#define ENTITIES_RULES_H

#include <galley/galley.h>

typedef struct ner_dicts {
    galley_dict *known;      /* PHRASE -> PERSON/ORG/LOC/NORP/DATE/MISC */
    galley_dict *known_ci;   /* the same, ignoring case: for all-caps text */
    galley_dict *given;      /* given names */
    galley_dict *roles;      /* titles before a name */
    galley_dict *rolewords;  /* lower-case roles, case-insensitive */
    galley_dict *orgkeys;
    galley_dict *misckeys;
    galley_dict *dates;      /* MONTH, WEEKDAY */
    galley_dict *stop;
} ner_dicts;

typedef struct ner_options {
    int guess_persons;
    int propagate;
} ner_options;

int ner_dicts_load(ner_dicts *d, const char *data_dir, const char *config_dir,
                   const galley_strlist *extra, galley_error *err);
void ner_dicts_free(ner_dicts *d);

/* Adds the "entities" layer to the document. */
void ner_tag_document(const ner_dicts *d, const ner_options *o, galley_doc *doc);

#endif
