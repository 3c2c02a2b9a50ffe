/* json_bytes.h - the bytes that are special inside a JSON string (a
 * quote, a backslash, a control character), found in the reader and the
 * writer alike. */
#ifndef GALLEY_JSON_BYTES_H
#define GALLEY_JSON_BYTES_H

#include <stdint.h>

/* Non-zero when any byte of w is < 0x20, '"' or '\\' (SWAR: eight bytes
 * at a time, since most of a string is plain text). */
static inline int gl_json_word_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t lt = (w - ones * 0x20) & ~w;
    uint64_t q = w ^ (ones * '"');
    uint64_t bs = w ^ (ones * '\\');
    return ((lt | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & high) != 0;
}

/* The same test for one byte. */
static inline int gl_json_byte_special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

#endif
