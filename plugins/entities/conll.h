/* conll.h - CoNLL-2003 files as articles: the training and scoring input
 * of `galley entities train` and `galley entities eval`.
 *
 * Each -DOCSTART- document becomes one text, a sentence a line, with its
 * Penn Treebank tokens joined the way news prints them ("Iran 's" ->
 * "Iran's", "( Reuters )" -> "(Reuters)", "said ," -> "said,"), so the
 * stage meets the text as it would meet an article and tokenizes it with
 * galley's own tokenizer. Gold entities are byte spans of that text. */
#ifndef ENTITIES_CONLL_H
#define ENTITIES_CONLL_H

#include <galley/galley.h>

/* The CoNLL entity types, in the model's label order. */
enum { CONLL_PER, CONLL_ORG, CONLL_LOC, CONLL_MISC, CONLL_NTYPES };
extern const char *const entities_conll_type_names[CONLL_NTYPES];

typedef struct entities_conll_span {
    uint32_t start, end; /* bytes of the document's text */
    int type;            /* CONLL_* */
} entities_conll_span;

typedef struct entities_conll_doc {
    char *text; /* malloc'd, NUL-terminated */
    size_t len;
    entities_conll_span *ents; /* gold entities in text order */
    size_t nents;
    entities_conll_span *tokens; /* the CoNLL tokens' bytes (type unused) */
    size_t ntokens;
} entities_conll_doc;

typedef struct entities_conll_corpus {
    entities_conll_doc *docs;
    size_t ndocs, ntokens, nsentences;
} entities_conll_corpus;

/* Reads a CoNLL-2003 file (WORD POS CHUNK NER a line, IOB1 or IOB2).
 * Returns 0, or -1 with `err` naming the file and line. */
int entities_conll_read(const char *path, entities_conll_corpus *c, galley_error *err);
void entities_conll_free(entities_conll_corpus *c);

/* Exact-span counts per type (and over all types at CONLL_NTYPES). */
typedef struct entities_conll_score {
    size_t gold[CONLL_NTYPES + 1], found[CONLL_NTYPES + 1], correct[CONLL_NTYPES + 1];
} entities_conll_score;

/* Adds one document's predicted spans (text order not required). */
void entities_conll_score_add(entities_conll_score *s, const entities_conll_doc *d,
                              const entities_conll_span *pred, size_t npred);
double entities_conll_f1(const entities_conll_score *s, int type);
/* Prints "ALL P R F1 | PER F1 ..." lines like conlleval. */
void entities_conll_score_print(const entities_conll_score *s, FILE *out, const char *prefix);

#endif
