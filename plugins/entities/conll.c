/* conll.c - CoNLL-2003 files read as articles, and conlleval-style
 * exact-span scores (see conll.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conll.h"

const char *const entities_conll_type_names[CONLL_NTYPES] = { "PER", "ORG", "LOC", "MISC" };

/* Tokens printed with no space before them. */
static const char *const glue_left[] = { ",",   ".",   ":",   ";",   "!",  "?",   ")",
                                         "]",   "}",   "%",   "'s",  "'S", "n't", "N'T",
                                         "'re", "'ve", "'ll", "'d",  "'m", "'RE", "'VE",
                                         "'LL", "'D",  "'M",  "...", NULL };
/* Tokens printed with no space after them. */
static const char *const glue_right[] = { "(", "[", "{", NULL };

/* Is w one of the NULL-terminated list? */
static int in_list(const char *const *list, const char *w)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], w) == 0)
            return 1;
    return 0;
}

/* The CONLL_* type of a tag such as "B-LOC", or -1. */
static int type_of(const char *tag)
{
    for (int t = 0; t < CONLL_NTYPES; t++)
        if (strcmp(tag + 2, entities_conll_type_names[t]) == 0)
            return t;
    return -1;
}

typedef struct builder {
    char *text;
    size_t len, cap;
    entities_conll_span *ents, *toks;
    size_t nents, capents, ntoks, captoks;
    int open_type;     /* type of the entity being built, or -1 */
    int no_space_next; /* the previous token glues to the next */
    int quote_open;    /* a " has opened a quotation in this sentence */
    int sentence_empty;
} builder;

/* Appends n bytes to the document text (aborts when memory is out). */
static void put_text(builder *b, const char *s, size_t n)
{
    if (b->len + n + 2 > b->cap) {
        while (b->len + n + 2 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->text = realloc(b->text, b->cap);
        if (!b->text)
            abort();
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

/* A new slot at the end of a growing span array. */
static entities_conll_span *push_span(entities_conll_span **arr, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *arr = realloc(*arr, *cap * sizeof **arr);
        if (!*arr)
            abort();
    }
    return &(*arr)[(*n)++];
}

/* Appends one token with its tag; `iob1` tags start an entity with I-
 * unless the previous token had the same type. */
static void add_token(builder *b, const char *word, const char *tag)
{
    int is_quote = strcmp(word, "\"") == 0;
    int glue = b->sentence_empty || b->no_space_next || in_list(glue_left, word) ||
        (is_quote && b->quote_open);
    if (!glue)
        put_text(b, " ", 1);
    size_t start = b->len;
    put_text(b, word, strlen(word));
    entities_conll_span *t = push_span(&b->toks, &b->ntoks, &b->captoks);
    *t = (entities_conll_span){ (uint32_t)start, (uint32_t)b->len, 0 };
    b->no_space_next = in_list(glue_right, word) || (is_quote && !b->quote_open);
    if (is_quote)
        b->quote_open = !b->quote_open;
    b->sentence_empty = 0;

    int type = tag[0] == 'O' || tag[1] != '-' ? -1 : type_of(tag);
    int begins = type >= 0 && (tag[0] == 'B' || type != b->open_type);
    if (type < 0 || begins)
        b->open_type = -1;
    if (begins) {
        entities_conll_span *e = push_span(&b->ents, &b->nents, &b->capents);
        *e = (entities_conll_span){ (uint32_t)start, (uint32_t)b->len, type };
        b->open_type = type;
    } else if (type >= 0) {
        b->ents[b->nents - 1].end = (uint32_t)b->len;
    }
}

/* Ends the sentence being built: a line break, quotes and entities closed. */
static void end_sentence(builder *b)
{
    if (b->sentence_empty)
        return;
    put_text(b, "\n", 1);
    b->sentence_empty = 1;
    b->no_space_next = 0;
    b->quote_open = 0;
    b->open_type = -1;
}

/* Moves the document being built into the corpus and starts a new one. */
static void end_doc(builder *b, entities_conll_corpus *c)
{
    end_sentence(b);
    if (b->len == 0 && b->ntoks == 0)
        return;
    c->docs = realloc(c->docs, (c->ndocs + 1) * sizeof *c->docs);
    if (!c->docs)
        abort();
    entities_conll_doc *d = &c->docs[c->ndocs++];
    d->text = b->text ? b->text : calloc(1, 1);
    d->len = b->len;
    d->ents = b->ents;
    d->nents = b->nents;
    d->tokens = b->toks;
    d->ntokens = b->ntoks;
    c->ntokens += b->ntoks;
    memset(b, 0, sizeof *b);
    b->open_type = -1;
    b->sentence_empty = 1;
}

int entities_conll_read(const char *path, entities_conll_corpus *c, galley_error *err)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "r");
    if (!f)
        return galley_error_set(err, "%s: cannot read: %s", path, strerror(errno));
    builder b = { 0 };
    b.open_type = -1;
    b.sentence_empty = 1;
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    int rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *fields[8];
        int n = 0;
        for (char *p = strtok(line, " \t\r\n"); p && n < 8; p = strtok(NULL, " \t\r\n"))
            fields[n++] = p;
        if (n == 0) {
            if (!b.sentence_empty)
                c->nsentences++;
            end_sentence(&b);
            continue;
        }
        if (strcmp(fields[0], "-DOCSTART-") == 0) {
            end_doc(&b, c);
            continue;
        }
        if (n < 2) {
            rc = galley_error_set(err, "%s:%u: expected WORD ... TAG", path, lineno);
            break;
        }
        add_token(&b, fields[0], fields[n - 1]);
    }
    if (!b.sentence_empty)
        c->nsentences++;
    if (rc == 0)
        end_doc(&b, c);
    free(b.text);
    free(b.ents);
    free(b.toks);
    free(line);
    fclose(f);
    if (rc == 0 && c->ndocs == 0)
        rc = galley_error_set(err, "%s: no sentences", path);
    if (rc < 0)
        entities_conll_free(c);
    return rc;
}

void entities_conll_free(entities_conll_corpus *c)
{
    for (size_t i = 0; i < c->ndocs; i++) {
        free(c->docs[i].text);
        free(c->docs[i].ents);
        free(c->docs[i].tokens);
    }
    free(c->docs);
    memset(c, 0, sizeof *c);
}

/* ---- scores ----------------------------------------------------------- */

void entities_conll_score_add(entities_conll_score *s, const entities_conll_doc *d,
                              const entities_conll_span *pred, size_t npred)
{
    for (size_t i = 0; i < d->nents; i++) {
        s->gold[d->ents[i].type]++;
        s->gold[CONLL_NTYPES]++;
    }
    for (size_t i = 0; i < npred; i++) {
        const entities_conll_span *p = &pred[i];
        s->found[p->type]++;
        s->found[CONLL_NTYPES]++;
        /* Gold spans are sorted and do not overlap: binary search. */
        size_t lo = 0, hi = d->nents;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (d->ents[mid].start < p->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < d->nents && d->ents[lo].start == p->start && d->ents[lo].end == p->end &&
            d->ents[lo].type == p->type) {
            s->correct[p->type]++;
            s->correct[CONLL_NTYPES]++;
        }
    }
}

/* Precision, recall and F1 of one type (CONLL_NTYPES: all). */
static void prf(const entities_conll_score *s, int t, double *p, double *r, double *f)
{
    *p = s->found[t] ? (double)s->correct[t] / (double)s->found[t] : 0;
    *r = s->gold[t] ? (double)s->correct[t] / (double)s->gold[t] : 0;
    *f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

double entities_conll_f1(const entities_conll_score *s, int type)
{
    double p, r, f;
    prf(s, type, &p, &r, &f);
    return f;
}

void entities_conll_score_print(const entities_conll_score *s, FILE *out, const char *prefix)
{
    double p, r, f;
    prf(s, CONLL_NTYPES, &p, &r, &f);
    fprintf(out, "%sALL  P %.4f R %.4f F1 %.4f (gold %zu, found %zu, correct %zu)\n", prefix, p, r,
            f, s->gold[CONLL_NTYPES], s->found[CONLL_NTYPES], s->correct[CONLL_NTYPES]);
    fprintf(out, "%s", prefix);
    for (int t = 0; t < CONLL_NTYPES; t++) {
        prf(s, t, &p, &r, &f);
        fprintf(out, "%s%-4s P %.4f R %.4f F1 %.4f", t ? " | " : "", entities_conll_type_names[t],
                p, r, f);
    }
    fprintf(out, "\n");
}
