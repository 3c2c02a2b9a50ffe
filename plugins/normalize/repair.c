/* repair.c - character-level repairs, each one linear in the input. */
#include <string.h>
#include "repair.h"

void normalize_buf_init(normalize_buf *b, galley_arena *a, size_t cap)
{
    b->arena = a;
    b->cap = cap + 16;
    b->len = 0;
    b->data = NULL; /* allocated at the first write: most texts need none */
}

/* Room in b for n more bytes and a NUL, from its arena. The first write
 * allocates (at least the capacity given at init), later ones double;
 * b->data may move, so pointers into it do not survive. */
static void reserve(normalize_buf *b, size_t n)
{
    if (!b->data) {
        if (b->cap < n + 1)
            b->cap = n + 1;
        b->data = galley_arena_alloc(b->arena, b->cap);
    }
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap * 2;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->data = galley_arena_realloc(b->arena, b->data, b->len, cap);
    b->cap = cap;
}

void normalize_buf_add(normalize_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void normalize_buf_addcp(normalize_buf *b, int32_t cp)
{
    char tmp[4];
    normalize_buf_add(b, tmp, galley_utf8_encode(cp, tmp));
}

/* Windows-1252 bytes 0x80-0x9F as code points (its five holes map to the
 * Latin-1 control characters, as decoders that fall back to Latin-1 do). */
static const int32_t cp1252_high[32] = { 0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020,
                                         0x2021, 0x2C6,  0x2030, 0x160,  0x2039, 0x152,  0x8D,
                                         0x17D,  0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D,
                                         0x2022, 0x2013, 0x2014, 0x2DC,  0x2122, 0x161,  0x203A,
                                         0x153,  0x9D,   0x17E,  0x178 };

/* ---- HTML character references ------------------------------------------ */

static const struct {
    const char *name;
    int32_t cp;
} named[] = {
    { "amp", '&' },      { "lt", '<' },       { "gt", '>' },        { "quot", '"' },
    { "apos", '\'' },    { "nbsp", 0xA0 },    { "ldquo", 0x201C },  { "rdquo", 0x201D },
    { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },  { "bdquo", 0x201E },
    { "laquo", 0xAB },   { "raquo", 0xBB },   { "lsaquo", 0x2039 }, { "rsaquo", 0x203A },
    { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 }, { "bull", 0x2022 },
    { "middot", 0xB7 },  { "copy", 0xA9 },    { "reg", 0xAE },      { "trade", 0x2122 },
    { "deg", 0xB0 },     { "euro", 0x20AC },  { "pound", 0xA3 },    { "yen", 0xA5 },
    { "cent", 0xA2 },    { "sect", 0xA7 },    { "para", 0xB6 },     { "shy", 0xAD },
    { "zwj", 0x200D },   { "zwnj", 0x200C },  { "thinsp", 0x2009 }, { "ensp", 0x2002 },
    { "emsp", 0x2003 },  { "times", 0xD7 },   { "divide", 0xF7 },   { "frac12", 0xBD },
    { "frac14", 0xBC },  { "eacute", 0xE9 },  { "egrave", 0xE8 },   { "ecirc", 0xEA },
    { "euml", 0xEB },    { "aacute", 0xE1 },  { "agrave", 0xE0 },   { "acirc", 0xE2 },
    { "auml", 0xE4 },    { "aring", 0xE5 },   { "atilde", 0xE3 },   { "ccedil", 0xE7 },
    { "iacute", 0xED },  { "iuml", 0xEF },    { "oacute", 0xF3 },   { "ocirc", 0xF4 },
    { "ouml", 0xF6 },    { "otilde", 0xF5 },  { "oslash", 0xF8 },   { "uacute", 0xFA },
    { "uuml", 0xFC },    { "ntilde", 0xF1 },  { "szlig", 0xDF },    { "Eacute", 0xC9 },
    { "Auml", 0xC4 },    { "Ouml", 0xD6 },    { "Uuml", 0xDC },     { "Aring", 0xC5 },
    { "Oslash", 0xD8 },  { "Ccedil", 0xC7 },  { "Ntilde", 0xD1 },
};

/* The code point of the reference at in[0] ('&'), its length in *n, or -1. */
static int32_t reference(const char *in, size_t len, size_t *n)
{
    size_t max = len < 12 ? len : 12;
    const char *semi = memchr(in, ';', max);
    if (!semi)
        return -1;
    size_t rl = (size_t)(semi - in);
    *n = rl + 1;
    if (rl >= 3 && in[1] == '#') {
        int32_t v = 0;
        int hex = in[2] == 'x' || in[2] == 'X';
        size_t i = hex ? 3 : 2;
        if (i >= rl)
            return -1;
        for (; i < rl; i++) {
            char c = in[i];
            int d = c >= '0' && c <= '9'      ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
            if (d < 0 || v > 0x10FFFF)
                return -1;
            v = v * (hex ? 16 : 10) + d;
        }
        /* Windows-1252 numbers in references (&#146;) mean its glyphs. */
        if (v >= 0x80 && v <= 0x9F)
            v = cp1252_high[v - 0x80];
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0xFFFD;
        return v;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (strlen(named[k].name) == rl - 1 && memcmp(named[k].name, in + 1, rl - 1) == 0)
            return named[k].cp;
    return -1;
}

size_t normalize_decode_entities(const char *in, size_t len, normalize_buf *out)
{
    size_t count = 0, i = 0;
    while (i < len) {
        const char *amp = memchr(in + i, '&', len - i);
        size_t stop = amp ? (size_t)(amp - in) : len;
        normalize_buf_add(out, in + i, stop - i);
        i = stop;
        if (i >= len)
            break;
        size_t n;
        int32_t cp = reference(in + i, len - i, &n);
        if (cp < 0) {
            normalize_buf_add(out, "&", 1);
            i++;
            continue;
        }
        normalize_buf_addcp(out, cp);
        i += n;
        count++;
    }
    return count;
}

/* ---- mojibake ------------------------------------------------------------ */

/* The Windows-1252 byte for a code point, or -1. */
static int cp1252_byte(int32_t cp)
{
    if (cp < 0x80)
        return -1;
    if (cp >= 0xA0 && cp <= 0xFF)
        return (int)cp;
    for (int k = 0; k < 32; k++)
        if (cp1252_high[k] == cp)
            return 0x80 + k;
    return -1;
}

size_t normalize_repair_mojibake(const char *in, size_t len, normalize_buf *out)
{
    size_t count = 0, i = 0, copied = 0;
    /* Every repair starts at the UTF-8 of a Windows-1252 lead byte
     * (U+00C2 to U+00F4), whose first byte is 0xC3: jump from one to the
     * next. */
    for (const char *c3; i < len && (c3 = memchr(in + i, 0xC3, len - i));) {
        i = (size_t)(c3 - in);
        int32_t cp;
        size_t n = galley_utf8_decode(in + i, len - i, &cp);
        int lead = cp1252_byte(cp);
        int need = lead >= 0xC2 && lead <= 0xDF ? 1
            : lead >= 0xE0 && lead <= 0xEF      ? 2
            : lead >= 0xF0 && lead <= 0xF4      ? 3
                                                : 0;
        if (!need) {
            i += n;
            continue;
        }
        /* The next `need` characters must be continuation bytes in 1252. */
        unsigned char bytes[4] = { (unsigned char)lead };
        size_t j = i + n;
        int ok = 1;
        for (int k = 1; k <= need && ok; k++) {
            if (j >= len) {
                ok = 0;
                break;
            }
            int32_t cc;
            size_t m = galley_utf8_decode(in + j, len - j, &cc);
            int b = cp1252_byte(cc);
            ok = b >= 0x80 && b <= 0xBF;
            bytes[k] = (unsigned char)b;
            j += m;
        }
        /* "â€" whose third byte (0x9D, undefined in Windows-1252) was
         * lost: by far most often a closing double quotation mark. */
        if (!ok && lead == 0xE2 && bytes[1] == 0x80) {
            size_t m = i + n;
            int32_t euro, third = 0;
            size_t m2 = m + galley_utf8_decode(in + m, len - m, &euro);
            if (m2 < len)
                galley_utf8_decode(in + m2, len - m2, &third);
            int tb = m2 < len ? cp1252_byte(third) : -1;
            if (third == 0xFFFD) /* the lost byte, replaced by a decoder */
                m2 += 3, tb = -1;
            if (tb < 0x80 || tb > 0xBF) {
                normalize_buf_add(out, in + copied, i - copied);
                normalize_buf_add(out, "\xE2\x80\x9D", 3);
                copied = i = m2;
                count++;
                continue;
            }
        }
        int32_t fixed;
        if (ok &&
            galley_utf8_decode((const char *)bytes, (size_t)need + 1, &fixed) == (size_t)need + 1 &&
            fixed != 0xFFFD && fixed >= 0xA0) { /* never a control character */
            normalize_buf_add(out, in + copied, i - copied);
            normalize_buf_add(out, (const char *)bytes, (size_t)need + 1);
            copied = i = j;
            count++;
            continue;
        }
        i += n;
    }
    if (count)
        normalize_buf_add(out, in + copied, len - copied);
    return count;
}
