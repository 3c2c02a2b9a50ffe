/* repair.h - character-level repairs of the normalize stage: HTML
 * character references, residual tags, mojibake, invisible and odd
 * characters, quotation mark variants. Each function reads `in` and
 * appends to `out` (an arena buffer), in one pass. */
#ifndef NORMALIZE_REPAIR_H
#define NORMALIZE_REPAIR_H

#include <stddef.h>
#include <galley/galley.h>

typedef struct nz_buf {
    galley_arena *arena;
    char *data;
    size_t len, cap;
} nz_buf;

void nz_buf_init(nz_buf *b, galley_arena *a, size_t cap);
void nz_buf_add(nz_buf *b, const char *s, size_t n);
void nz_buf_addcp(nz_buf *b, int32_t cp);

/* &amp; &#8217; &#x2019; &nbsp; ... decoded once (not recursively). */
size_t nz_decode_entities(const char *in, size_t len, nz_buf *out);
/* Does the text look like HTML (several tags)? */
int nz_looks_like_html(const char *in, size_t len);
/* Tags removed; <br>, <p>, <div>, <li>, headings end a line. */
size_t nz_strip_tags(const char *in, size_t len, nz_buf *out);
/* UTF-8 that was decoded as Windows-1252 or Latin-1 and encoded again
 * ("â€™" for "’", "Ã©" for "é"): repaired only where the bytes form a
 * valid UTF-8 sequence again, so real Latin-1 text ("Zürich") is kept. */
size_t nz_repair_mojibake(const char *in, size_t len, nz_buf *out);

/* Invisible characters removed, odd spaces made plain, quotation mark
 * variants mapped (or straightened). Returns the characters changed. */
size_t nz_clean_chars(const char *in, size_t len, int straighten, nz_buf *out);

/* Does the text need Unicode normalization to NFC? A quick check: only
 * combining marks and a few singletons change under NFC. */
int nz_needs_nfc(const char *in, size_t len);

#endif
