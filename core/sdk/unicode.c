/* unicode.c - Unicode classes, case and normalization through utf8proc. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "sdk/private.h"

/* The general category of cp in utf8proc's tables. The classes below test
 * ranges of it and so rely on the order of utf8proc_category_t. */
static utf8proc_category_t cat(int32_t cp)
{
    return utf8proc_category(cp);
}

int galley_cp_is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t c = cat(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int galley_cp_is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = cat(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int galley_cp_is_lower(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return cat(cp) == UTF8PROC_CATEGORY_LL;
}

int galley_cp_is_digit(int32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return cat(cp) == UTF8PROC_CATEGORY_ND;
}

int galley_cp_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp == 0x85)
        return 1;
    utf8proc_category_t c = cat(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

int galley_cp_is_punct(int32_t cp)
{
    utf8proc_category_t c = cat(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int galley_cp_is_format(int32_t cp)
{
    return cp >= 0x80 && cat(cp) == UTF8PROC_CATEGORY_CF;
}

int galley_cp_is_control(int32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return 0;
    return cat(cp) == UTF8PROC_CATEGORY_CC;
}

int32_t galley_cp_tolower(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    return utf8proc_tolower(cp);
}

int32_t galley_cp_toupper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    return utf8proc_toupper(cp);
}

/* Runs utf8proc_map and moves the result into the arena. */
static char *map_into(galley_arena *a, const char *s, size_t len, utf8proc_option_t opts,
                      size_t *out_len)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out, opts);
    if (n < 0)
        return NULL;
    char *r = galley_arena_strndup(a, (const char *)out, (size_t)n);
    free(out);
    *out_len = (size_t)n;
    return r;
}

/* Whether the len bytes at s are all ASCII: such text is already in every
 * normal form and folds case byte by byte, without utf8proc. */
static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

char *galley_normalize(galley_arena *a, const char *s, size_t len, galley_nf form, size_t *out_len)
{
    /* ASCII is already in every normal form. */
    if (is_ascii(s, len)) {
        *out_len = len;
        return galley_arena_strndup(a, s, len);
    }
    utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    if (form == GALLEY_NFKC)
        opts |= UTF8PROC_COMPAT;
    return map_into(a, s, len, opts, out_len);
}

char *galley_casefold(galley_arena *a, const char *s, size_t len, size_t *out_len)
{
    if (is_ascii(s, len)) {
        char *r = galley_arena_alloc(a, len + 1);
        for (size_t i = 0; i < len; i++)
            r[i] = (char)galley_cp_tolower((unsigned char)s[i]);
        r[len] = '\0';
        *out_len = len;
        return r;
    }
    return map_into(a, s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, out_len);
}
