/* marks.c - quotation marks paired into quotes, deterministically.
 *
 * Per paragraph, double marks are paired: curly “ ”, low „, guillemets
 * « », and straight " (opening or closing by the spaces around it).
 * Single marks (‘ ’ ' ‹ ›) quote several words when no double quote is
 * open (British style); inside a double quote they are nested and belong
 * to it; apostrophes (Iran’s, don’t) never open or close. A quote whose
 * closing mark is missing is bounded at its paragraph and flagged, unless
 * the next paragraph opens with a mark: then it goes on there (the
 * convention for a quote over several paragraphs). One pass over the
 * tokens: linear in the document. */
#include <string.h>
#include "quotes.h"

enum { M_NONE, M_OPEN, M_CLOSE, M_EITHER };

/* A closing mark without an opening one starts its quote at the
 * paragraph's start when the paragraph has at most this many sentences. */
#define ORPHAN_SENTENCES 3

/* The first code point of token t: a mark token is one character. */
static int32_t cp_of(const quotes_ctx *c, size_t t)
{
    int32_t cp;
    galley_utf8_decode(c->text + c->tok[t].start, c->tok[t].end - c->tok[t].start, &cp);
    return cp;
}

/* Is token t one punctuation or symbol character? */
static int is_punct(const quotes_ctx *c, size_t t)
{
    return c->tok[t].kind == GALLEY_TOK_PUNCT;
}

/* Whitespace before token t, where the paragraph's start counts as
 * whitespace: what a straight mark's direction is judged by. */
static int space_before(const quotes_ctx *c, size_t t, size_t para_first)
{
    return t == para_first || (c->tok[t].flags & GALLEY_TF_SPACE_BEFORE);
}

/* Whitespace after token t; the text's end counts as whitespace. */
static int space_after(const quotes_ctx *c, size_t t)
{
    return t + 1 >= c->ntok || (c->tok[t + 1].flags & GALLEY_TF_SPACE_BEFORE);
}

/* Two apostrophes written together ('') stand for a straight double
 * mark in some newspapers' copy. */
static int apostrophe_pair(const quotes_ctx *c, size_t t)
{
    return t + 1 < c->ntok && c->text[c->tok[t].start] == '\'' &&
        c->tok[t].end - c->tok[t].start == 1 && c->text[c->tok[t + 1].start] == '\'' &&
        c->tok[t + 1].end - c->tok[t + 1].start == 1 && c->tok[t].end == c->tok[t + 1].start;
}

/* What a double mark can be: opening, closing, or (straight) either. A
 * straight mark right after an opening bracket opens. An apostrophe pair
 * is judged by the space before its first and after its second. */
static int double_mark(const quotes_ctx *c, size_t t, size_t para_first)
{
    if (!(c->tok[t].flags & GALLEY_TF_QUOTE))
        return M_NONE;
    if (apostrophe_pair(c, t)) {
        char prev = t > para_first ? c->text[c->tok[t - 1].start] : ' ';
        int before = space_before(c, t, para_first) || prev == '(' || prev == '[';
        int after = space_after(c, t + 1);
        return before && !after ? M_OPEN : !before && after ? M_CLOSE : M_EITHER;
    }
    int32_t cp = cp_of(c, t);
    if (cp == 0x201C || cp == 0xAB || cp == 0x201E)
        return M_OPEN;
    if (cp == 0x201D || cp == 0xBB)
        return M_CLOSE;
    if (cp != '"')
        return M_NONE;
    char prev = t > para_first ? c->text[c->tok[t - 1].start] : ' ';
    int before = space_before(c, t, para_first) || prev == '(' || prev == '[';
    int after = space_after(c, t);
    if (before && !after)
        return M_OPEN;
    if (!before && after)
        return M_CLOSE;
    return M_EITHER;
}

/* Single marks open only after a space and close only before a space or
 * punctuation, so that "Iran’s" and "don’t" never reach here as marks. */
static int single_mark(const quotes_ctx *c, size_t t, size_t para_first)
{
    if (!(c->tok[t].flags & GALLEY_TF_QUOTE))
        return M_NONE;
    int32_t cp = cp_of(c, t);
    if (cp != 0x2018 && cp != 0x2019 && cp != '\'' && cp != 0x2039 && cp != 0x203A)
        return M_NONE;
    int before = space_before(c, t, para_first);
    int after = space_after(c, t) || (t + 1 < c->ntok && is_punct(c, t + 1));
    if ((cp == 0x2018 || cp == 0x2039 || cp == '\'') && before && !after)
        return M_OPEN;
    if ((cp == 0x2019 || cp == 0x203A || cp == '\'') && !before && after)
        return M_CLOSE;
    return M_NONE;
}

typedef struct builder {
    quotes_ctx *c;
    size_t cap;
    size_t max_bytes;
} builder;

/* Words after which a title-case quote names a work, not words said. */
static const char *const work_words[] = { "on",     "in",      "of",      "titled",      "entitled",
                                          "called", "named",   "dubbed",  "headlined",   "’s",
                                          "'s",     "show",    "book",    "film",        "movie",
                                          "song",   "album",   "program", "programme",   "series",
                                          "column", "article", "episode", "documentary", "play",
                                          "hit",    "anthem",  NULL };

/* Small words a title of a work may keep in lower case. */
static const char *const small_words[] = { "a",  "an", "the", "of",   "and", "or",   "in", "on",
                                           "at", "to", "for", "with", "by",  "from", "is", NULL };

/* Is token t one of the words of `list` (NULL-terminated), ASCII case
 * ignored? */
static int word_in(const quotes_ctx *c, size_t t, const char *const *list)
{
    size_t len = c->tok[t].end - c->tok[t].start;
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == len && strncasecmp(c->text + c->tok[t].start, list[i], len) == 0)
            return 1;
    return 0;
}

/* Does quote q start a sentence an editor cut or recased: an ellipsis
 * ("… overall, I think") or a capital in brackets ("[W]e are reminded")? */
static int cut_sentence_start(const quotes_ctx *c, const quotes_quote *q)
{
    size_t f = q->first;
    if (f + 1 >= q->last || !is_punct(c, f))
        return 0;
    const char *s = c->text + c->tok[f].start;
    size_t len = c->tok[f].end - c->tok[f].start;
    if (len == 3 && memcmp(s, "\xE2\x80\xA6", 3) == 0) /* … */
        return 1;
    if (*s == '.' && f + 2 < q->last && c->text[c->tok[f + 1].start] == '.' &&
        c->text[c->tok[f + 2].start] == '.')
        return 1; /* ... */
    return *s == '[' && (c->tok[f + 1].flags & GALLEY_TF_UPPER_INITIAL);
}

/* What the quote's words look like (QUOTES_SHAPE_*): a title of a work is
 * short, every word capitalized but small ones, with no punctuation of a
 * sentence, after "on", "titled", a possessive...; a sentence starts with
 * a capital (or a start an editor cut: cut_sentence_start) and ends with
 * punctuation inside the marks, or stands at a sentence start or after a
 * colon; anything else is a fragment. */
static uint8_t shape_of(const quotes_ctx *c, const quotes_quote *q)
{
    size_t words = 0, caps = 0, lower_small = 0;
    int inner_punct = 0;
    for (size_t t = q->first; t < q->last; t++) {
        if (is_punct(c, t)) {
            char ch = c->text[c->tok[t].start];
            inner_punct |=
                ch == '.' || ch == ',' || ch == '!' || ch == '?' || ch == ';' || ch == ':';
            continue;
        }
        words++;
        if (c->tok[t].flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_HAS_DIGIT))
            caps++;
        else if (word_in(c, t, small_words))
            lower_small++;
    }
    if (!words)
        return QUOTES_SHAPE_FRAGMENT;
    size_t prev = q->open != QUOTES_NONE && q->open > 0 ? q->open - 1 : QUOTES_NONE;
    int upper_start = q->first < q->last && (c->tok[q->first].flags & GALLEY_TF_UPPER_INITIAL);
    if (upper_start && words <= 8 && caps + lower_small == words && !inner_punct &&
        prev != QUOTES_NONE && c->tok[prev].sentence == c->tok[q->open].sentence &&
        word_in(c, prev, work_words))
        return QUOTES_SHAPE_TITLE;
    /* After a colon, or a comma that follows a cue ("According to NATO,
     * “allies stand together.”"), a quote ending a sentence is one. */
    char before = q->open != QUOTES_NONE && q->open > 0 && is_punct(c, q->open - 1)
        ? c->text[c->tok[q->open - 1].start]
        : 0;
    char inner_end = q->close != QUOTES_NONE && q->close > q->first && is_punct(c, q->close - 1)
        ? c->text[c->tok[q->close - 1].start]
        : 0;
    if (before == ':' ||
        (before == ',' && (inner_end == '.' || inner_end == '!' || inner_end == '?') && words >= 3))
        return QUOTES_SHAPE_SENTENCE;
    if (!upper_start && !cut_sentence_start(c, q) && q->first < q->last &&
        c->tok[q->first].kind != GALLEY_TOK_NUMBER)
        return QUOTES_SHAPE_FRAGMENT;
    /* The token before the closing mark: “We will not back down,” */
    if (q->close != QUOTES_NONE && q->close > q->first && is_punct(c, q->close - 1)) {
        char ch = c->text[c->tok[q->close - 1].start];
        if (ch == '.' || ch == ',' || ch == '!' || ch == '?' || ch == '-' ||
            (unsigned char)ch == 0xE2 /* … — – */)
            return QUOTES_SHAPE_SENTENCE;
    }
    if (q->open == QUOTES_NONE || q->open == 0 ||
        (c->tok[q->open].flags & (GALLEY_TF_SENT_START | GALLEY_TF_PARA_START)))
        return QUOTES_SHAPE_SENTENCE;
    char pc = c->text[c->tok[q->open - 1].start];
    if (is_punct(c, q->open - 1) && (pc == ':' || pc == ','))
        return QUOTES_SHAPE_SENTENCE;
    return words >= 8 ? QUOTES_SHAPE_SENTENCE : QUOTES_SHAPE_FRAGMENT;
}

/* Records a quote with content tokens [first, last); open/close may be
 * QUOTES_NONE. Bytes trimmed of space and of a comma before the closing
 * mark (“…,” — the comma belongs to the sentence around it). */
static void add_quote(builder *b, uint32_t open, uint32_t close, size_t first, size_t last,
                      size_t para, int single, int flagged, int continues, int continued)
{
    quotes_ctx *c = b->c;
    while (last > first && c->tok[last - 1].kind == GALLEY_TOK_PUNCT &&
           c->text[c->tok[last - 1].start] == ',' && close != QUOTES_NONE)
        last--;
    if (last <= first)
        return;
    uint32_t start = c->tok[first].start, end = c->tok[last - 1].end;
    if (end - start > b->max_bytes) {
        /* A runaway quote: cut at a token boundary and flagged. */
        while (last > first + 1 && c->tok[last - 1].end - start > b->max_bytes)
            last--;
        end = c->tok[last - 1].end;
        flagged = 1;
    }
    if (c->nq == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        c->q = galley_arena_realloc(c->a, c->q, b->cap * sizeof *c->q, cap * sizeof *c->q);
        b->cap = cap;
    }
    quotes_quote *q = &c->q[c->nq];
    *q = (quotes_quote){ open,
                         close,
                         (uint32_t)first,
                         (uint32_t)last,
                         start,
                         end,
                         (uint32_t)para,
                         (uint8_t)single,
                         (uint8_t)flagged,
                         (uint8_t)continues,
                         (uint8_t)continued,
                         0 };
    q->shape = shape_of(c, q);
    for (size_t t = first; t < last; t++) {
        c->tf[t] |= QUOTES_TF_IN_QUOTE;
        c->quote_of[t] = (int32_t)c->nq;
    }
    if (open != QUOTES_NONE) {
        c->tf[open] |= QUOTES_TF_OPEN;
        c->quote_of[open] = (int32_t)c->nq;
    }
    if (close != QUOTES_NONE) {
        c->tf[close] |= QUOTES_TF_CLOSE;
        c->quote_of[close] = (int32_t)c->nq;
    }
    c->nq++;
}

/* Whether paragraph p opens with a mark that can open a quote. */
static int opens_with_mark(const quotes_ctx *c, size_t p)
{
    size_t first, last;
    quotes_para_range(c, p, &first, &last);
    if (first >= last)
        return 0;
    int m = double_mark(c, first, first);
    return m == M_OPEN || m == M_EITHER;
}

void quotes_find_marks(quotes_ctx *c, size_t max_quote_bytes)
{
    builder b = { c, 0, max_quote_bytes };
    int carried = 0; /* the previous paragraph's quote goes on here */
    for (size_t p = 0; p < c->npara; p++) {
        size_t first, last;
        quotes_para_range(c, p, &first, &last);
        size_t open = QUOTES_NONE, sopen = QUOTES_NONE, last_end = first;
        int open_continued = 0;
        for (size_t t = first; t < last; t++) {
            int m = double_mark(c, t, first);
            if (m == M_NONE) {
                if (open != QUOTES_NONE)
                    continue; /* single marks inside a double quote are nested */
                int sm = single_mark(c, t, first);
                if (sm == M_OPEN && sopen == QUOTES_NONE) {
                    sopen = t;
                } else if (sm == M_CLOSE && sopen != QUOTES_NONE) {
                    size_t words = 0;
                    for (size_t k = sopen + 1; k < t && words < 2; k++)
                        words += !is_punct(c, k);
                    if (words >= 2)
                        add_quote(&b, (uint32_t)sopen, (uint32_t)t, sopen + 1, t, p, 1, 0, 0, 0);
                    sopen = QUOTES_NONE;
                }
                continue;
            }
            int pair = apostrophe_pair(c, t);
            if (open == QUOTES_NONE && (m == M_OPEN || m == M_EITHER)) {
                if (pair) {
                    c->tf[t] |= QUOTES_TF_OPEN; /* the first of the two; the second is the mark */
                    t++;
                }
                open = t;
                open_continued = carried && t == first;
                sopen = QUOTES_NONE;
                continue;
            }
            if (open != QUOTES_NONE && (m == M_CLOSE || m == M_EITHER)) {
                add_quote(&b, (uint32_t)open, (uint32_t)t, open + 1, t, p, 0, 0, 0, open_continued);
                open = QUOTES_NONE;
                if (pair)
                    c->tf[++t] |= QUOTES_TF_CLOSE;
                last_end = t + 1;
                continue;
            }
            if (open != QUOTES_NONE && m == M_OPEN) {
                /* A second opening mark: the first quote lost its closing one. */
                add_quote(&b, (uint32_t)open, QUOTES_NONE, open + 1, t, p, 0, 1, 0, open_continued);
                open = t;
                open_continued = 0;
                continue;
            }
            if (open == QUOTES_NONE && m == M_CLOSE) {
                /* A closing mark with no opening one: from the paragraph
                 * start, or in a paragraph of more than a few sentences
                 * (a whole article on one line) from its sentence's. */
                size_t from = first;
                if (c->para[p].nsentences > ORPHAN_SENTENCES)
                    from = c->sent[c->tok[t].sentence].first_token;
                if (from < last_end)
                    from = last_end;
                add_quote(&b, QUOTES_NONE, (uint32_t)t, from, t, p, 0, 1, 0, 0);
            }
        }
        carried = 0;
        if (open != QUOTES_NONE) {
            int next_opens = p + 1 < c->npara && opens_with_mark(c, p + 1);
            add_quote(&b, (uint32_t)open, QUOTES_NONE, open + 1, last, p, 0, !next_opens,
                      next_opens, open_continued);
            carried = next_opens;
        }
    }
}
