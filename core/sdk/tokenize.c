/* tokenize.c - the shared tokenizer: words (with inner apostrophes,
 * hyphens and initialisms), numbers, and single punctuation marks, with
 * shape flags that every stage would otherwise recompute. */
#include "config.h"

#include <string.h>
#include "sdk/private.h"

/* Marks that open or close quotations (and the apostrophe, which may be
 * either); the quote stage decides which. */
static int is_quote_cp(int32_t cp)
{
    switch (cp) {
    case '"':
    case '\'':
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2039:
    case 0x203A:
    case 0x2033:
    case 0x2032:
        return 1;
    default:
        return 0;
    }
}

/* The apostrophes of "don't" and of a possessive 's: ASCII ' and U+2019, which
 * typesetting puts in both places. */
static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

/* The hyphens that join a compound into one word (cyber-enabled, 24-hour):
 * ASCII -, U+2010 and U+2011 (non-breaking). Dashes are not among them: they
 * separate words. */
static int is_hyphen(int32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Letters, digits and combining marks beyond ASCII continue a word. */
static int is_word_cp_wide(int32_t cp)
{
    return galley_cp_is_letter(cp) || galley_cp_is_digit(cp) ||
        (!galley_cp_is_space(cp) && !galley_cp_is_punct(cp) && !galley_cp_is_format(cp) &&
         !is_quote_cp(cp) && cp != 0xFFFD && !(cp >= 0x2000 && cp <= 0x2BFF));
}

/* Letters, digits and combining marks continue a word (ASCII inline). */
static inline int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9');
    return is_word_cp_wide(cp);
}

typedef struct cursor {
    const char *s;
    size_t len;
} cursor;

/* Code point at byte i (0 at the end) and its length in *n. */
static int32_t at(const cursor *c, size_t i, size_t *n)
{
    if (i >= c->len) {
        *n = 0;
        return 0;
    }
    unsigned char b = (unsigned char)c->s[i];
    if (b < 0x80) {
        *n = 1;
        return b;
    }
    int32_t cp;
    *n = galley_utf8_decode(c->s + i, c->len - i, &cp);
    return cp;
}

/* The code point at byte i, or 0 at the end, for a look-ahead that does not
 * need its length. */
static int32_t peek(const cursor *c, size_t i)
{
    size_t n;
    return at(c, i, &n);
}

/* "U.S." "U.N." "a.m.": single letters each followed by a dot, two or
 * more. Returns the end of the initialism or 0. */
static size_t initialism_end(const cursor *c, size_t i)
{
    size_t j = i, count = 0, n;
    for (;;) {
        int32_t cp = at(c, j, &n);
        if (!galley_cp_is_letter(cp))
            break;
        size_t k = j + n;
        if (peek(c, k) != '.')
            break;
        size_t n2;
        int32_t after = at(c, k + 1, &n2);
        count++;
        j = k + 1;
        /* The next single letter must itself be followed by a dot. */
        if (!galley_cp_is_letter(after))
            break;
        size_t n3;
        at(c, j, &n3);
        if (peek(c, j + n3) != '.')
            break;
    }
    return count >= 2 ? j : 0;
}

/* The shape flags of the word in bytes start..end: GALLEY_TF_HAS_DIGIT;
 * GALLEY_TF_UPPER_INITIAL when its first letter is upper case, digits before it
 * or not ("3M"); GALLEY_TF_ALL_UPPER when it has letters and none of them is
 * lower case, so a word of letters without case has it too. */
static uint16_t shape_flags(const cursor *c, size_t start, size_t end)
{
    uint16_t f = 0;
    int seen_letter = 0, seen_lower = 0;
    size_t n;
    for (size_t i = start; i < end; i += n) {
        unsigned char b = (unsigned char)c->s[i];
        if (b < 0x80) { /* ASCII without the Unicode tables */
            n = 1;
            if (b >= '0' && b <= '9') {
                f |= GALLEY_TF_HAS_DIGIT;
            } else if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
                if (!seen_letter && b <= 'Z')
                    f |= GALLEY_TF_UPPER_INITIAL;
                seen_letter = 1;
                seen_lower |= b >= 'a';
            }
            continue;
        }
        int32_t cp = at(c, i, &n);
        if (galley_cp_is_digit(cp))
            f |= GALLEY_TF_HAS_DIGIT;
        if (!galley_cp_is_letter(cp))
            continue;
        if (!seen_letter && galley_cp_is_upper(cp))
            f |= GALLEY_TF_UPPER_INITIAL;
        seen_letter = 1;
        if (galley_cp_is_lower(cp))
            seen_lower = 1;
    }
    if (seen_letter && !seen_lower)
        f |= GALLEY_TF_ALL_UPPER;
    return f;
}

/* ASCII byte classes: scan_word skips runs of letters and digits without
 * decoding, most words being plain ASCII, and gathers their shape on the
 * way. */
enum { A_DIGIT = 1, A_UPPER = 2, A_LOWER = 4 };
static const uint8_t ascii_class[128] = {
    ['0'] = A_DIGIT, ['1'] = A_DIGIT, ['2'] = A_DIGIT, ['3'] = A_DIGIT, ['4'] = A_DIGIT,
    ['5'] = A_DIGIT, ['6'] = A_DIGIT, ['7'] = A_DIGIT, ['8'] = A_DIGIT, ['9'] = A_DIGIT,
    ['A'] = A_UPPER, ['B'] = A_UPPER, ['C'] = A_UPPER, ['D'] = A_UPPER, ['E'] = A_UPPER,
    ['F'] = A_UPPER, ['G'] = A_UPPER, ['H'] = A_UPPER, ['I'] = A_UPPER, ['J'] = A_UPPER,
    ['K'] = A_UPPER, ['L'] = A_UPPER, ['M'] = A_UPPER, ['N'] = A_UPPER, ['O'] = A_UPPER,
    ['P'] = A_UPPER, ['Q'] = A_UPPER, ['R'] = A_UPPER, ['S'] = A_UPPER, ['T'] = A_UPPER,
    ['U'] = A_UPPER, ['V'] = A_UPPER, ['W'] = A_UPPER, ['X'] = A_UPPER, ['Y'] = A_UPPER,
    ['Z'] = A_UPPER, ['a'] = A_LOWER, ['b'] = A_LOWER, ['c'] = A_LOWER, ['d'] = A_LOWER,
    ['e'] = A_LOWER, ['f'] = A_LOWER, ['g'] = A_LOWER, ['h'] = A_LOWER, ['i'] = A_LOWER,
    ['j'] = A_LOWER, ['k'] = A_LOWER, ['l'] = A_LOWER, ['m'] = A_LOWER, ['n'] = A_LOWER,
    ['o'] = A_LOWER, ['p'] = A_LOWER, ['q'] = A_LOWER, ['r'] = A_LOWER, ['s'] = A_LOWER,
    ['t'] = A_LOWER, ['u'] = A_LOWER, ['v'] = A_LOWER, ['w'] = A_LOWER, ['x'] = A_LOWER,
    ['y'] = A_LOWER, ['z'] = A_LOWER,
};

/* The class of byte b (0 for any byte that is not an ASCII letter or digit). */
static unsigned byte_class(unsigned char b)
{
    return b < 0x80 ? ascii_class[b] : 0;
}

/* Scans a word or number from i; returns its end and sets *kind and
 * *flags (shape_flags's). A number is digits, with , . or : between two
 * of them (1,200 3.5 10:30); a word also takes an inner apostrophe (not
 * that of a possessive 's, which becomes a token of its own) or hyphen,
 * and an initialism its dots. */
static size_t scan_word(const cursor *c, size_t i, uint16_t *kind, uint16_t *flags)
{
    /* An initialism has a dot right after its first letter. */
    size_t first_len;
    at(c, i, &first_len);
    if (i + first_len < c->len && c->s[i + first_len] == '.') {
        size_t e = initialism_end(c, i);
        if (e) {
            *kind = GALLEY_TOK_WORD;
            *flags = shape_flags(c, i, e);
            return e;
        }
    }
    int numeric = 1, ascii = 1;
    unsigned seen = 0; /* the classes of the ASCII letters and digits */
    size_t j = i, n;
    for (;;) {
        /* Most words are plain ASCII letters: skip them in one go. */
        unsigned k;
        while (j < c->len && (k = byte_class((unsigned char)c->s[j])) != 0) {
            seen |= k;
            j++;
        }
        numeric &= !(seen & (A_UPPER | A_LOWER));
        int32_t cp = at(c, j, &n);
        if (n == 0)
            break;
        if (is_word_cp(cp)) {
            if (!galley_cp_is_digit(cp))
                numeric = 0;
            ascii = 0;
            j += n;
            continue;
        }
        size_t n2;
        int32_t next = at(c, j + n, &n2);
        /* 1,200  3.5  10:30 inside numbers. */
        if (numeric && (cp == ',' || cp == '.' || cp == ':') && j > i && galley_cp_is_digit(next)) {
            j += n;
            continue;
        }
        /* don't, O'Brien; but not the possessive 's, split off below. */
        if (is_apostrophe(cp) && galley_cp_is_letter(next) && j > i) {
            int32_t after = peek(c, j + n + n2);
            if ((next == 's' || next == 'S') && !is_word_cp(after))
                break;
            ascii &= cp < 0x80;
            j += n;
            continue;
        }
        /* cyber-enabled, Al-Hayat, 24-hour */
        if (is_hyphen(cp) && is_word_cp(next) && j > i) {
            numeric = 0;
            ascii &= cp < 0x80;
            j += n;
            continue;
        }
        break;
    }
    *kind = numeric ? GALLEY_TOK_NUMBER : GALLEY_TOK_WORD;
    if (!ascii) {
        *flags = shape_flags(c, i, j);
        return j;
    }
    /* All ASCII: the shape from the classes seen, and the first letter. */
    uint16_t f = seen & A_DIGIT ? GALLEY_TF_HAS_DIGIT : 0;
    if (seen & (A_UPPER | A_LOWER)) {
        size_t p = i;
        while (!(byte_class((unsigned char)c->s[p]) & (A_UPPER | A_LOWER)))
            p++;
        if (byte_class((unsigned char)c->s[p]) & A_UPPER)
            f |= GALLEY_TF_UPPER_INITIAL;
        if (!(seen & A_LOWER))
            f |= GALLEY_TF_ALL_UPPER;
    }
    *flags = f;
    return j;
}

galley_token *galley_tokenize(galley_arena *a, const char *s, size_t len, size_t *count)
{
    cursor c = { s, len };
    gl_vec v;
    gl_vec_init(&v, sizeof(galley_token));
    size_t n = 0;
    uint16_t pending = GALLEY_TF_NEWLINE_BEFORE;
    size_t i = 0, w;
    while (i < len) {
        int32_t cp = at(&c, i, &w);
        int blank = cp < 0x80
            ? (cp <= ' ' || cp == 0x7F)
            : (galley_cp_is_space(cp) || galley_cp_is_format(cp) || galley_cp_is_control(cp));
        if (blank) {
            pending |= GALLEY_TF_SPACE_BEFORE;
            if (cp == '\n' || cp == 0x2029 || cp == 0x2028)
                pending |= GALLEY_TF_NEWLINE_BEFORE;
            i += w;
            continue;
        }
        galley_token t;
        t.start = (uint32_t)i;
        t.sentence = 0;
        if (is_word_cp(cp)) {
            t.end = (uint32_t)scan_word(&c, i, &t.kind, &t.flags);
        } else if (is_apostrophe(cp) && (peek(&c, i + w) == 's' || peek(&c, i + w) == 'S') &&
                   n > 0 && ((galley_token *)v.data)[n - 1].end == i &&
                   ((galley_token *)v.data)[n - 1].kind == GALLEY_TOK_WORD &&
                   !is_word_cp(peek(&c, i + w + 1))) {
            /* The possessive ending of the previous word. */
            t.end = (uint32_t)(i + w + 1);
            t.kind = GALLEY_TOK_WORD;
            t.flags = 0;
        } else {
            t.end = (uint32_t)(i + w);
            t.kind = GALLEY_TOK_PUNCT;
            t.flags = is_quote_cp(cp) ? GALLEY_TF_QUOTE : 0;
        }
        t.flags |= pending;
        pending = 0;
        *(galley_token *)gl_vec_push(&v) = t;
        n++;
        i = t.end;
    }
    *count = n;
    return gl_vec_settle(&v, a);
}
