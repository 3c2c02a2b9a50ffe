/* context.c - what every part of the stage reads about a document: its
 * tokens, sentences and paragraphs, a word id per token, and which lines
 * are the article's title (never a speaker: issue 14 item 11). */
#include <string.h>
#include "quotes.h"

/* Words of at most this many letters may stay lower case in a headline. */
#define SMALL_WORD 3

/* A word token (not punctuation, not a lone quotation mark). */
static int is_word(const galley_token *t)
{
    return t->kind != GALLEY_TOK_PUNCT;
}

/* Whether paragraph p's words are the title's, word for word (case,
 * spacing and punctuation aside). */
static int same_words(const quotes_ctx *c, size_t p, const uint64_t *title, size_t nt)
{
    size_t k = 0, first, last;
    quotes_para_range(c, p, &first, &last);
    for (size_t t = first; t < last; t++) {
        if (!is_word(&c->tok[t]))
            continue;
        if (k >= nt || c->word[t] != title[k])
            return 0;
        k++;
    }
    return k == nt;
}

/* A headline by its shape: 5 to 25 words, most longer words capitalized,
 * no full stop at the end. Only for a paragraph of its own. */
static int headline_shaped(const quotes_ctx *c, size_t p)
{
    size_t words = 0, long_words = 0, caps = 0, last = QUOTES_NONE, first, end;
    quotes_para_range(c, p, &first, &end);
    for (size_t t = first; t < end; t++) {
        last = t;
        if (!is_word(&c->tok[t]) || c->tok[t].kind == GALLEY_TOK_NUMBER)
            continue;
        words++;
        if (c->tok[t].end - c->tok[t].start > SMALL_WORD) {
            long_words++;
            caps += (c->tok[t].flags & GALLEY_TF_UPPER_INITIAL) != 0;
        }
        if (words > 25)
            return 0;
    }
    if (words < 5 || last == QUOTES_NONE || long_words < 4 || caps * 5 < long_words * 4)
        return 0;
    char stop = c->text[c->tok[last].start];
    return !(c->tok[last].kind == GALLEY_TOK_PUNCT && (stop == '.' || stop == '!' || stop == '?'));
}

/* Marks the tokens of title lines: paragraphs that repeat
 * metadata.title, and headline-shaped paragraphs of their own. */
static void mark_titles(quotes_ctx *c)
{
    const char *title = galley_object_get_str(galley_doc_meta(c->doc), "title");
    uint64_t *tw = NULL;
    size_t nt = 0;
    if (title && *title) {
        size_t n;
        galley_token *tt = galley_tokenize(c->a, title, strlen(title), &n);
        tw = galley_arena_alloc(c->a, (n + 1) * sizeof *tw);
        for (size_t i = 0; i < n; i++)
            if (is_word(&tt[i]))
                tw[nt++] = quotes_word_id(title + tt[i].start, tt[i].end - tt[i].start);
    }
    for (size_t p = 0; p < c->npara; p++) {
        size_t first, last;
        quotes_para_range(c, p, &first, &last);
        if (first == last || !((nt && same_words(c, p, tw, nt)) || headline_shaped(c, p)))
            continue;
        for (size_t t = first; t < last; t++)
            c->tf[t] |= QUOTES_TF_TITLE;
    }
}

void quotes_ctx_init(quotes_ctx *c, const quotes_res *res, galley_doc *doc, galley_arena *scratch)
{
    memset(c, 0, sizeof *c);
    c->res = res;
    c->doc = doc;
    c->a = scratch ? scratch : galley_doc_arena(doc);
    c->text = galley_doc_text(doc);
    c->len = galley_doc_text_len(doc);
    c->tok = galley_doc_tokens(doc, &c->ntok);
    c->sent = galley_doc_sentences(doc, &c->nsent);
    c->para = galley_doc_paragraphs(doc, &c->npara);
    c->word = galley_arena_alloc(c->a, (c->ntok + 1) * sizeof *c->word);
    c->tf = galley_arena_calloc(c->a, c->ntok + 1, 1);
    c->quote_of = galley_arena_alloc(c->a, (c->ntok + 1) * sizeof *c->quote_of);
    c->label = galley_arena_calloc(c->a, c->ntok + 1, sizeof *c->label);
    c->cueb = galley_arena_alloc(c->a, c->ntok + 1);
    for (size_t t = 0; t < c->ntok; t++) {
        c->word[t] = quotes_word_id(c->text + c->tok[t].start, c->tok[t].end - c->tok[t].start);
        c->cueb[t] = quotes_wordset_get(&res->cue_words, c->word[t]);
        c->quote_of[t] = -1;
    }
    mark_titles(c);
}
