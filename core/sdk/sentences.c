/* sentences.c - sentence and paragraph boundaries for news text. */
#include "config.h"

#include <string.h>
#include <strings.h>
#include "sdk/private.h"

/* Words that end with a dot without ending the sentence. */
static const char *const abbreviations[] = {
    "mr",    "mrs",  "ms",   "dr",    "prof",   "gen",  "sen", "rep", "gov",  "lt",  "col",
    "maj",   "capt", "sgt",  "cpl",   "adm",    "rev",  "fr",  "st",  "jr",   "sr",  "hon",
    "pres",  "supt", "insp", "amb",   "messrs", "mt",   "ft",  "no",  "nos",  "vs",  "etc",
    "inc",   "corp", "ltd",  "co",    "bros",   "jan",  "feb", "mar", "apr",  "jun", "jul",
    "aug",   "sep",  "sept", "oct",   "nov",    "dec",  "mon", "tue", "tues", "wed", "thu",
    "thurs", "fri",  "sat",  "sun",   "approx", "dept", "est", "fig", "al",   "ave", "blvd",
    "rd",    "univ", "assn", "gov't", NULL
};

/* Whether the len bytes at s, a word before a dot, are one of the abbreviations
 * above, in any case ("Sept", "SEPT"). */
static int is_abbreviation(const char *s, size_t len)
{
    if (len == 0 || len > 8)
        return 0;
    for (const char *const *a = abbreviations; *a; a++)
        if (strlen(*a) == len && strncasecmp(*a, s, len) == 0)
            return 1;
    return 0;
}

/* Whether token t of text s can end a sentence: a punctuation token that starts
 * with . ! or ?, or the ellipsis character. The dots of a word token (an
 * initialism's, a number's) are not terminators. */
static int is_terminator(const char *s, const galley_token *t)
{
    if (t->kind != GALLEY_TOK_PUNCT)
        return 0;
    unsigned char c = (unsigned char)s[t->start];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    /* U+2026 HORIZONTAL ELLIPSIS */
    return t->end - t->start == 3 && memcmp(s + t->start, "\xE2\x80\xA6", 3) == 0;
}

/* Whether token t, after a terminator, still belongs to its sentence: a closing
 * bracket or quotation mark () ] " ' and the curly and angle ones) written
 * against the token before it. */
static int is_closer(const char *s, const galley_token *t)
{
    if (t->kind != GALLEY_TOK_PUNCT || (t->flags & GALLEY_TF_SPACE_BEFORE))
        return 0;
    unsigned char c = (unsigned char)s[t->start];
    if (c == ')' || c == ']' || c == '"' || c == '\'')
        return 1;
    /* ” ’ » › */
    return t->end - t->start >= 2 &&
        (memcmp(s + t->start, "\xE2\x80\x9D", 3) == 0 ||
         memcmp(s + t->start, "\xE2\x80\x99", 3) == 0 || memcmp(s + t->start, "\xC2\xBB", 2) == 0 ||
         memcmp(s + t->start, "\xE2\x80\xBA", 3) == 0);
}

/* Can the token begin a new sentence after a full stop? */
static int can_start(const char *s, const galley_token *t)
{
    if (t->flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_NEWLINE_BEFORE))
        return 1;
    if (t->kind == GALLEY_TOK_NUMBER)
        return 1;
    if (t->flags & GALLEY_TF_QUOTE)
        return 1;
    unsigned char c = (unsigned char)s[t->start];
    return c == '(' || c == '[' || c == 0xE2 /* dashes, quotes */;
}

/* Does a full stop after word token w not end the sentence? */
static int dot_is_abbreviation(const char *s, const galley_token *w, const galley_token *dot)
{
    if (w->end != dot->start || w->kind != GALLEY_TOK_WORD)
        return 0;
    size_t len = w->end - w->start;
    /* An initial: "John F. Kennedy". */
    if ((w->flags & GALLEY_TF_UPPER_INITIAL) && galley_utf8_count(s + w->start, len) == 1)
        return 1;
    return is_abbreviation(s + w->start, len);
}

galley_sentence *galley_split_sentences(galley_arena *a, const char *s, size_t len,
                                        galley_token *tok, size_t ntok, size_t *count)
{
    (void)len;
    size_t n = 0;
    gl_vec v;
    gl_vec_init(&v, sizeof(galley_sentence));
    size_t first = 0;
    for (size_t i = 0; i < ntok; i++) {
        int end_here = 0;
        size_t last = i;
        if (i + 1 == ntok) {
            end_here = 1;
        } else if (tok[i + 1].flags & GALLEY_TF_NEWLINE_BEFORE) {
            end_here = 1;
        } else if (is_terminator(s, &tok[i])) {
            /* Absorb closing quotes and brackets glued to the stop. */
            while (last + 1 < ntok && is_closer(s, &tok[last + 1]))
                last++;
            /* "..." or "?!" continue the same run of stops. */
            if (last == i && last + 1 < ntok && is_terminator(s, &tok[last + 1]) &&
                !(tok[last + 1].flags & GALLEY_TF_SPACE_BEFORE)) {
                continue;
            }
            if (last + 1 >= ntok) {
                end_here = 1;
            } else {
                const galley_token *next = &tok[last + 1];
                int abbrev = (unsigned char)s[tok[i].start] == '.' && i > first &&
                    dot_is_abbreviation(s, &tok[i - 1], &tok[i]);
                if ((next->flags & GALLEY_TF_SPACE_BEFORE) && can_start(s, next) && !abbrev)
                    end_here = 1;
            }
        }
        if (!end_here)
            continue;
        galley_sentence *sent = gl_vec_push(&v);
        sent->start = tok[first].start;
        sent->end = tok[last].end;
        sent->first_token = (uint32_t)first;
        sent->ntokens = (uint32_t)(last + 1 - first);
        sent->paragraph = 0;
        for (size_t k = first; k <= last; k++) {
            tok[k].sentence = (uint32_t)n;
            tok[k].flags &= (uint16_t) ~(GALLEY_TF_SENT_START | GALLEY_TF_PARA_START);
        }
        tok[first].flags |= GALLEY_TF_SENT_START;
        if (tok[first].flags & GALLEY_TF_NEWLINE_BEFORE)
            tok[first].flags |= GALLEY_TF_PARA_START;
        n++;
        first = last + 1;
        i = last;
    }
    *count = n;
    return gl_vec_settle(&v, a);
}

galley_paragraph *galley_split_paragraphs(galley_arena *a, const char *s, size_t len, size_t *count)
{
    size_t n = 0;
    gl_vec v;
    gl_vec_init(&v, sizeof(galley_paragraph));
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t b = i, f = e;
        while (b < f && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
            b++;
        while (f > b && (s[f - 1] == ' ' || s[f - 1] == '\t' || s[f - 1] == '\r'))
            f--;
        if (f > b) {
            galley_paragraph *para = gl_vec_push(&v);
            para->start = (uint32_t)b;
            para->end = (uint32_t)f;
            para->first_sentence = para->nsentences = 0;
            n++;
        }
        i = e + 1;
    }
    *count = n;
    return gl_vec_settle(&v, a);
}
