/* chars.h - what the normalize stage does to each character, decided once
 * per code point when the stage is created, and the one pass over a text
 * that tells which repairs it needs (most news text needs none, and then
 * costs one read). */
#ifndef NORMALIZE_CHARS_H
#define NORMALIZE_CHARS_H

#include <stddef.h>
#include <stdint.h>
#include "repair.h"

/* What a text needs, from normalize_scan. */
enum {
    NORMALIZE_NEED_ENTITIES = 1 << 0, /* has '&' */
    NORMALIZE_NEED_TAGS = 1 << 1,     /* has '<' */
    NORMALIZE_NEED_MOJIBAKE = 1 << 2, /* has byte 0xC3, where every mojibake starts */
    NORMALIZE_NEED_CHARS = 1 << 3,    /* a character normalize_clean_chars changes */
    NORMALIZE_NEED_NFC = 1 << 4,      /* a character the normal form may change */
    NORMALIZE_NEED_LAYOUT = 1 << 5,   /* spaces to collapse or trim, blank-line runs */
};

/* The class of every code point of the Basic Multilingual Plane (64 KB):
 * NORMALIZE_NEED_CHARS and NORMALIZE_NEED_NFC bits. Code points above it are classed
 * when met (rare in news text). */
typedef struct normalize_chars {
    int straighten;
    galley_nf form;
    uint8_t bmp[0x10000];
} normalize_chars;

/* Fills the table for the stage's options. */
void normalize_chars_init(normalize_chars *ch, int straighten, galley_nf form);

/* One pass over the text: the NORMALIZE_NEED_* bits it needs. */
unsigned normalize_scan(const normalize_chars *ch, const char *s, size_t len);

/* Invisible characters removed, odd spaces made plain, \r\n and \r made
 * \n, quotation mark variants mapped (or straightened). Returns the
 * number of characters changed; `out` is written only when that is not 0. */
size_t normalize_clean_chars(const normalize_chars *ch, const char *in, size_t len,
                             normalize_buf *out);

/* The text in the normal form, or NULL when it is already in it. Only
 * the words (runs between spaces and line breaks, which never compose
 * with a neighbour) that hold a character of class NORMALIZE_NEED_NFC are
 * normalized: the same result as normalizing the whole text. */
char *normalize_normalize(const normalize_chars *ch, galley_arena *a, const char *s, size_t len,
                          size_t *out_len);

#endif
