/* utf8.c - UTF-8 decoding, validation and repair (RFC 3629: no
 * surrogates, no overlong forms, nothing above U+10FFFF). */
#include "config.h"

#include <string.h>
#include "sdk/private.h"

size_t galley_utf8_decode(const char *str, size_t len, int32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    size_t n;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len < n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

size_t galley_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the valid prefix of s: ASCII runs are skipped eight bytes at
 * a time since news text is mostly ASCII. */
static size_t valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* No byte >= 0x80 and no NUL: (w - 0x01..) & ~w & 0x80.. is
             * non-zero exactly when a byte is zero (given no high bit). */
            uint64_t stop = (w & 0x8080808080808080ULL) |
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL);
            if (!stop) {
                i += 8;
                continue;
            }
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* The lowest flagged byte is the first non-ASCII or NUL byte
             * (the zero test errs only above a real zero): skip to it. */
            i += (size_t)__builtin_ctzll(stop) / 8;
#endif
        }
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = galley_utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1)
            return i;
        i += n;
    }
    return len;
}

int galley_utf8_valid(const char *s, size_t len)
{
    return valid_prefix(s, len) == len;
}

char *galley_utf8_repair(galley_arena *a, const char *s, size_t len, size_t *out_len,
                         size_t *repaired)
{
    size_t ok = valid_prefix(s, len);
    *repaired = 0;
    if (ok == len) {
        *out_len = len;
        return galley_arena_strndup(a, s, len);
    }
    /* Each bad byte becomes U+FFFD (3 bytes): at most 3x the input. */
    char *out = galley_arena_alloc(a, len * 3 + 1);
    memcpy(out, s, ok);
    size_t o = ok, i = ok;
    while (i < len) {
        size_t good = valid_prefix(s + i, len - i);
        memcpy(out + o, s + i, good);
        o += good;
        i += good;
        if (i >= len)
            break;
        /* One bad byte (or a NUL, which text must not hold) at a time:
         * the decoder resynchronises on the next lead byte. */
        o += galley_utf8_encode(0xFFFD, out + o);
        i += 1;
        (*repaired)++;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

size_t galley_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
