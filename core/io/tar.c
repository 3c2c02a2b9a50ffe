/* tar.c - tar header blocks: numbers, checksums, names, kinds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/tar.h"

/* An octal field (or GNU base-256 for sizes of 8 GiB and more); *ok is 0
 * when it holds anything else. */
static uint64_t tar_number(const unsigned char *p, size_t n, int *ok)
{
    *ok = 1;
    if (p[0] & 0x80) {
        uint64_t v = p[0] & 0x7F;
        for (size_t i = 1; i < n; i++)
            v = (v << 8) | p[i];
        return v;
    }
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    int digits = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++, digits++)
        v = v * 8 + (uint64_t)(p[i] - '0');
    for (; i < n; i++)
        if (p[i] != ' ' && p[i] != '\0')
            *ok = 0;
    if (!digits)
        *ok = 0;
    return v;
}

/* The stored checksum equals the sum of the block's bytes, with the
 * checksum field itself counted as spaces. */
static int checksum_ok(const unsigned char *h)
{
    int ok;
    uint64_t want = tar_number(h + 148, 8, &ok);
    if (!ok)
        return 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < GL_TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == want;
}

void gl_tar_parse(const unsigned char *h, gl_tar_header *out)
{
    memset(out, 0, sizeof *out);
    int zero = 1;
    for (size_t i = 0; i < GL_TAR_BLOCK && zero; i++)
        zero = h[i] == 0;
    if (zero) {
        out->kind = GL_TAR_END;
        return;
    }
    if (!checksum_ok(h)) {
        out->kind = GL_TAR_CORRUPT;
        out->why = "bad checksum";
        return;
    }
    int ok;
    out->size = tar_number(h + 124, 12, &ok);
    if (!ok) {
        out->kind = GL_TAR_CORRUPT;
        out->why = "bad size";
        return;
    }
    out->padded = (out->size + GL_TAR_BLOCK - 1) & ~(uint64_t)(GL_TAR_BLOCK - 1);
    if (memcmp(h + 257, "ustar", 5) == 0 && h[345])
        snprintf(out->name, sizeof out->name, "%.155s/%.100s", (const char *)h + 345,
                 (const char *)h);
    else
        snprintf(out->name, sizeof out->name, "%.100s", (const char *)h);
    static const struct {
        char type;
        gl_tar_kind kind;
    } kinds[] = {
        { '0', GL_TAR_FILE },      { '\0', GL_TAR_FILE }, { '7', GL_TAR_FILE },
        { 'L', GL_TAR_LONG_NAME }, { 'x', GL_TAR_PAX },
    };
    out->kind = GL_TAR_OTHER;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kinds[i].type == (char)h[156])
            out->kind = kinds[i].kind;
}

char *gl_tar_pax_path(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* "LEN key=value\n", LEN counting the whole record. */
        size_t rec = 0, j = i;
        while (j < len && data[j] >= '0' && data[j] <= '9' && rec < len)
            rec = rec * 10 + (size_t)(data[j++] - '0');
        if (rec == 0 || j >= len || data[j] != ' ' || rec > len - i)
            return NULL;
        const char *kv = data + j + 1;
        const char *end = data + i + rec; /* just past the '\n' */
        if (kv >= end)
            return NULL;
        size_t kvlen = (size_t)(end - kv);
        if (kvlen > 5 && strncmp(kv, "path=", 5) == 0)
            return strndup(kv + 5, kvlen - 6);
        i += rec;
    }
    return NULL;
}
