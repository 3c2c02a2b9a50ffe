/* transcript.c - interview transcripts: turns of speech led by a label.
 *
 * A paragraph that opens with a speaker's label in capitals and a colon
 * ("PENCE: Well, the question...", "JAKE TAPPER: Donald Trump released",
 * also after a quotation mark that opens the paragraph, as some papers
 * print a transcript) is a turn: the label is the source, the colon the
 * cue, the rest of the paragraph the words said. It takes two such
 * paragraphs to make a transcript, so that a lone "UPDATE: ..." is not
 * one. A turn replaces whatever the tagger and the marks made of its
 * paragraph: a quote mark that opens each turn and never closes would
 * otherwise run the turns together into one quote. One pass over the
 * paragraphs and one over the attributions: linear in the document. */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* Words a label may have ("JAKE TAPPER", "SEN. TIM KAINE"). */
#define LABEL_MAX_WORDS 4
/* The confidence of a turn: a rule's, not the tagger's margins. */
#define TURN_CONFIDENCE 0.5f

/* One-word labels that head a note, not a turn ("UPDATE: ...", "WATCH:"). */
static const char *const not_speakers[] = {
    "NOTE",  "UPDATE", "UPDATED", "CORRECTION", "CLARIFICATION", "WATCH",   "READ",     "RELATED",
    "VIDEO", "PHOTO",  "PHOTOS",  "SOURCE",     "SOURCES",       "WARNING", "BREAKING", "ALSO",
    "MORE",  "LISTEN", "SEE",     "TRANSCRIPT", "DISCLOSURE",    "EDITOR",  NULL
};

/* A turn's tokens: the label [label, colon), the colon, the words
 * (colon, end). */
typedef struct turn {
    size_t label, colon, end;
} turn;

/* Is token t a word in capitals (two letters or more, or one with a full
 * stop after it: an initial)? */
static int caps_word(const quotes_ctx *c, size_t t)
{
    const galley_token *k = &c->tok[t];
    if (k->kind != GALLEY_TOK_WORD || !(k->flags & GALLEY_TF_ALL_UPPER))
        return 0;
    return k->end - k->start >= 2 ||
        (t + 1 < c->ntok && c->text[c->tok[t + 1].start] == '.' &&
         c->tok[t + 1].end == c->tok[t + 1].start + 1);
}

/* Is token t the one-byte punctuation ch? */
static int punct_is(const quotes_ctx *c, size_t t, char ch)
{
    return c->tok[t].kind == GALLEY_TOK_PUNCT && c->tok[t].end == c->tok[t].start + 1 &&
        c->text[c->tok[t].start] == ch;
}

/* The turn paragraph p opens, if it opens one. */
static int turn_of(const quotes_ctx *c, size_t p, turn *out)
{
    size_t first, last;
    quotes_para_range(c, p, &first, &last);
    size_t t = first;
    if (t < last && (c->tok[t].flags & GALLEY_TF_QUOTE))
        t++; /* "“PENCE: ..." */
    size_t label = t, words = 0;
    while (t < last && words < LABEL_MAX_WORDS && caps_word(c, t)) {
        words++;
        t++;
        if (t < last && punct_is(c, t, '.'))
            t++; /* "SEN." */
    }
    if (!words || t + 1 >= last || !punct_is(c, t, ':'))
        return 0;
    for (size_t k = 0; words == 1 && not_speakers[k]; k++)
        if (c->tok[label].end - c->tok[label].start == strlen(not_speakers[k]) &&
            memcmp(c->text + c->tok[label].start, not_speakers[k], strlen(not_speakers[k])) == 0)
            return 0;
    size_t end = last;
    /* A closing mark at the paragraph's end is not words said. */
    while (end > t + 1 && (c->tok[end - 1].flags & GALLEY_TF_QUOTE))
        end--;
    if (end <= t + 1)
        return 0;
    *out = (turn){ label, t, end };
    return 1;
}

/* qsort's comparison: attributions by their first piece. */
static int by_start(const void *pa, const void *pb)
{
    const quotes_attr *a = pa, *b = pb;
    uint32_t x = a->npieces ? a->pieces[0].start : 0, y = b->npieces ? b->pieces[0].start : 0;
    return x < y ? -1 : x > y;
}

/* The paragraph of a piece starting at byte b (a piece starts at a
 * token's start). */
static size_t para_of_piece(const quotes_ctx *c, uint32_t b)
{
    size_t t = quotes_first_token(c->tok, c->ntok, b);
    if (t >= c->ntok)
        t = c->ntok - 1;
    return c->sent[c->tok[t].sentence].paragraph;
}

void quotes_transcripts(quotes_ctx *c, quotes_attr **vp, size_t *np)
{
    if (!c->ntok)
        return;
    turn *turns = galley_arena_alloc(c->a, (c->npara + 1) * sizeof *turns);
    uint8_t *is_turn = galley_arena_calloc(c->a, c->npara + 1, 1);
    size_t nt = 0;
    /* The headline is never a turn ("TRUMP: I WILL WIN" is a headline's
     * shorthand); later short lines that the title test takes for
     * headings may be ("WALLACE: If I may, sir."). */
    size_t from = c->npara && c->para[0].nsentences &&
        (c->tf[c->sent[c->para[0].first_sentence].first_token] & QUOTES_TF_TITLE);
    for (size_t p = from; p < c->npara; p++)
        if (turn_of(c, p, &turns[nt])) {
            is_turn[p] = 1;
            nt++;
        }
    if (nt < 2)
        return;
    /* Pieces in turns go: the turn says who said them. */
    quotes_attr *v = *vp;
    size_t n = 0;
    for (size_t i = 0; i < *np; i++) {
        quotes_attr *at = &v[i];
        size_t k = 0;
        for (size_t j = 0; j < at->npieces; j++)
            if (!is_turn[para_of_piece(c, at->pieces[j].start)])
                at->pieces[k++] = at->pieces[j];
        at->npieces = k;
        if (k)
            v[n++] = *at;
    }
    quotes_attr *out = galley_arena_alloc(c->a, (n + nt + 1) * sizeof *out);
    memcpy(out, v, n * sizeof *out);
    for (size_t k = 0; k < nt; k++) {
        const turn *x = &turns[k];
        quotes_attr *at = &out[n++];
        memset(at, 0, sizeof *at);
        at->kind = QUOTES_KIND_TRANSCRIPT;
        at->pieces = galley_arena_alloc(c->a, sizeof *at->pieces);
        at->pieces[0] = (quotes_piece){ c->tok[x->colon + 1].start, c->tok[x->end - 1].end };
        at->npieces = 1;
        at->src_first = (uint32_t)x->label;
        at->src_last = (uint32_t)x->colon;
        /* "SEN.": the label's last full stop is not part of the name. */
        if (at->src_last > at->src_first + 1 && punct_is(c, at->src_last - 1, '.'))
            at->src_last--;
        at->cue_first = (uint32_t)x->colon;
        at->cue_last = (uint32_t)x->colon + 1;
        at->confidence = TURN_CONFIDENCE;
    }
    qsort(out, n, sizeof *out, by_start);
    *vp = out;
    *np = n;
}
