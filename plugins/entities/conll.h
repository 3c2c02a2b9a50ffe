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
extern const char *const conll_type_names[CONLL_NTYPES];

typedef struct conll_span {
    uint32_t start, end;    /* bytes of the document's text */
    int type;               /* CONLL_* */
} conll_span;

typedef struct conll_doc {
    char *text;             /* malloc'd, NUL-terminated */
    size_t len;
    conll_span *ents;       /* gold entities in text order */
    size_t nents;
    conll_span *tokens;     /* the CoNLL tokens' bytes (type unused) */
    size_t ntokens;
} conll_doc;

typedef struct conll_corpus {
    conll_doc *docs;
    size_t ndocs, ntokens, nsentences;
} conll_corpus;

/* Reads a CoNLL-2003 file (WORD POS CHUNK NER a line, IOB1 or IOB2).
 * Returns 0, or -1 with `err` naming the file and line. */
int conll_read(const char *path, conll_corpus *c, galley_error *err);
void conll_free(conll_corpus *c);

/* Exact-span counts per type (and over all types at CONLL_NTYPES). */
typedef struct conll_score {
    size_t gold[CONLL_NTYPES + 1], found[CONLL_NTYPES + 1], correct[CONLL_NTYPES + 1];
} conll_score;

/* Adds one document's predicted spans (text order not required). */
void conll_score_add(conll_score *s, const conll_doc *d, const conll_span *pred,
                     size_t npred);
double conll_f1(const conll_score *s, int type);
/* Prints "ALL P R F1 | PER F1 ..." lines like conlleval. */
void conll_score_print(const conll_score *s, FILE *out, const char *prefix);

#endif
