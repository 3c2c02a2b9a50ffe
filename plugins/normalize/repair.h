/* repair.h - repairs of the normalize stage: HTML character references
 * and mojibake (residual tags: tags.h). Each function reads `in`, writes the repaired
 * text to `out` (an arena buffer, allocated at its first write) in one
 * pass, and returns the number of repairs; when that is 0 the input
 * stands and `out` holds a copy or nothing. */
#ifndef NORMALIZE_REPAIR_H
#define NORMALIZE_REPAIR_H

#include <stddef.h>
#include <galley/galley.h>

typedef struct normalize_buf {
    galley_arena *arena;
    char *data;
    size_t len, cap;
} normalize_buf;

void normalize_buf_init(normalize_buf *b, galley_arena *a, size_t cap);
void normalize_buf_add(normalize_buf *b, const char *s, size_t n);
void normalize_buf_addcp(normalize_buf *b, int32_t cp);

/* &amp; &#8217; &#x2019; &nbsp; ... decoded once (not recursively). */
size_t normalize_decode_entities(const char *in, size_t len, normalize_buf *out);
/* UTF-8 that was decoded as Windows-1252 or Latin-1 and encoded again
 * ("â€™" for "’", "Ã©" for "é"): repaired only where the bytes form a
 * valid UTF-8 sequence again, so real Latin-1 text ("Zürich") is kept. */
size_t normalize_repair_mojibake(const char *in, size_t len, normalize_buf *out);

#endif
