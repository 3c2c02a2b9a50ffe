/* header.c - the head of the dedup files and the options it records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "header.h"

#ifndef DEDUP_GALLEY_VERSION
#define DEDUP_GALLEY_VERSION "unknown"
#endif

static const char *const action_names[] = { "mark", "drop" };

void dedup_shape_add(dedup_shape *s, const char *name, const char *value)
{
    if (s->n == DEDUP_SHAPE_ROWS)
        return;
    snprintf(s->row[s->n].name, sizeof s->row[s->n].name, "%s", name);
    snprintf(s->row[s->n].value, sizeof s->row[s->n].value, "%s", value);
    s->n++;
}

/* Adds an integer row. */
static void add_int(dedup_shape *s, const char *name, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    dedup_shape_add(s, name, buf);
}

void dedup_shape_of(const dedup_params *p, int kind, dedup_shape *s)
{
    char buf[64];
    s->n = 0;
    add_int(s, "shingle", p->shingle);
    add_int(s, "bands", p->bands);
    add_int(s, "rows", p->rows);
    add_int(s, "hashes", DEDUP_HASHES);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)p->seed);
    dedup_shape_add(s, "seed", buf);
    dedup_shape_add(s, "normalize_exact", p->fold ? "true" : "false");
    dedup_shape_add(s, "paragraphs", p->paragraphs ? "true" : "false");
    /* Without paragraphs, min_paragraph changes nothing in the file. */
    if (p->paragraphs)
        add_int(s, "min_paragraph", p->min_paragraph);
    if (kind == DEDUP_FILE_SINGLE)
        return;
    snprintf(buf, sizeof buf, "%.17g", p->threshold);
    dedup_shape_add(s, "threshold", buf);
    dedup_shape_add(s, "action", action_names[p->action ? 1 : 0]);
    dedup_shape_add(s, "galley", DEDUP_GALLEY_VERSION);
}

/* An integer row within [lo, hi]; 0 or -1. */
static int get_int(const dedup_shape *s, const char *name, long long lo, long long hi, long long *v)
{
    const char *t = dedup_shape_get(s, name);
    char *end;
    if (!t || !*t)
        return -1;
    *v = strtoll(t, &end, 10);
    return *end || *v < lo || *v > hi ? -1 : 0;
}

/* A "true"/"false" row; its value (0 or 1), or -1. */
static int get_bool(const dedup_shape *s, const char *name)
{
    const char *t = dedup_shape_get(s, name);
    return !t ? -1 : strcmp(t, "true") == 0 ? 1 : strcmp(t, "false") == 0 ? 0 : -1;
}

int dedup_params_of(const dedup_shape *s, dedup_params *p)
{
    long long shingle, bands, rows, minp = 80, hashes;
    const char *seed = dedup_shape_get(s, "seed"), *thr = dedup_shape_get(s, "threshold"),
               *action = dedup_shape_get(s, "action");
    char *end;
    memset(p, 0, sizeof *p);
    if (get_int(s, "shingle", 1, 20, &shingle) || get_int(s, "bands", 1, DEDUP_MAX_BANDS, &bands) ||
        get_int(s, "rows", 1, DEDUP_MAX_ROWS, &rows) ||
        get_int(s, "hashes", DEDUP_HASHES, DEDUP_HASHES, &hashes) || !seed || !thr || !action)
        return -1;
    p->shingle = (int)shingle;
    p->bands = (int)bands;
    p->rows = (int)rows;
    p->seed = strtoull(seed, &end, 10);
    if (*end || !*seed)
        return -1;
    p->threshold = strtod(thr, &end);
    if (*end || !*thr || !(p->threshold > 0 && p->threshold <= 1))
        return -1;
    p->fold = get_bool(s, "normalize_exact");
    p->paragraphs = get_bool(s, "paragraphs");
    if (p->fold < 0 || p->paragraphs < 0 ||
        (p->paragraphs && get_int(s, "min_paragraph", 1, 100000, &minp)))
        return -1;
    p->min_paragraph = (int)minp;
    p->action = strcmp(action, "drop") == 0 ? 1 : strcmp(action, "mark") == 0 ? 0 : -1;
    return p->action < 0 ? -1 : 0;
}

const char *dedup_shape_get(const dedup_shape *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->row[i].name, name) == 0)
            return s->row[i].value;
    return NULL;
}

int dedup_shape_compare(const dedup_shape *have, const dedup_shape *want, const char *what,
                        const char *against, galley_error *err)
{
    if (!against)
        against = "this stage";
    for (size_t i = 0; i < want->n; i++) {
        const char *name = want->row[i].name, *w = want->row[i].value;
        const char *h = dedup_shape_get(have, name);
        if (h && strcmp(h, w) == 0)
            continue;
        if (strcmp(name, "galley") == 0)
            return galley_error_set(err,
                                    "%s was built by galley %s, but this is galley %s: build it "
                                    "again with this galley",
                                    what, h ? h : "(unknown)", w);
        return galley_error_set(err,
                                "%s was built with %s = %s, but %s has %s = %s: use "
                                "the same options, or another index file",
                                what, name, h ? h : "(not set)", against, name, w);
    }
    return 0;
}

void dedup_header_write(dedup_writer *w, int kind, const dedup_shape *s)
{
    char text[DEDUP_SHAPE_ROWS * 132];
    size_t len = 0;
    for (size_t i = 0; i < s->n && len < sizeof text; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s = %s\n", s->row[i].name,
                                s->row[i].value);
    if (len > sizeof text)
        len = sizeof text;
    uint32_t version = DEDUP_FORMAT, k = (uint32_t)kind, n = (uint32_t)len;
    dedup_writer_put(w, DEDUP_MAGIC, DEDUP_MAGIC_LEN);
    dedup_writer_put(w, &version, 4);
    dedup_writer_put(w, &k, 4);
    dedup_writer_put(w, &n, 4);
    dedup_writer_put(w, text, len);
    /* Zeros to an 8-byte boundary: a mapped body can be read in place. */
    static const char zeros[8];
    size_t head = DEDUP_MAGIC_LEN + 12 + len;
    dedup_writer_put(w, zeros, (8 - head % 8) % 8);
}

/* Parses "name = value\n" lines; 0, or -1 when malformed. */
static int parse_text(const char *text, size_t len, dedup_shape *s)
{
    s->n = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eq = nl ? memchr(p, '=', (size_t)(nl - p)) : NULL;
        if (!eq || eq - p < 2 || eq[-1] != ' ' || eq + 1 >= nl || eq[1] != ' ')
            return -1;
        char name[32], value[96];
        size_t nlen = (size_t)(eq - 1 - p), vlen = (size_t)(nl - eq - 2);
        if (nlen >= sizeof name || vlen >= sizeof value)
            return -1;
        memcpy(name, p, nlen);
        name[nlen] = '\0';
        memcpy(value, eq + 2, vlen);
        value[vlen] = '\0';
        dedup_shape_add(s, name, value);
        p = nl + 1;
    }
    return 0;
}

/* What a file of this kind is, in words, for the message that refuses an
 * index of the wrong kind ("X is a merged index ..., but ... is needed
 * here"); a kind no galley writes is "of an unknown kind". */
static const char *kind_name(uint32_t kind)
{
    switch (kind) {
    case DEDUP_FILE_SINGLE:
        return "an index of pass = \"single\"";
    case DEDUP_FILE_SIGN:
        return "a shard index of pass = \"sign\"";
    case DEDUP_FILE_MERGED:
        return "a merged index (galley dedup merge)";
    }
    return "of an unknown kind";
}

int dedup_header_read(const char *data, size_t size, int kind, const char *what, dedup_shape *s,
                      size_t *body, size_t *body_len, galley_error *err)
{
    if (size < DEDUP_MAGIC_LEN + 4 || memcmp(data, DEDUP_MAGIC, DEDUP_MAGIC_LEN) != 0)
        return galley_error_set(err,
                                "%s: not a galley dedup index; remove it or point index at "
                                "another file",
                                what);
    uint32_t version, k, n;
    memcpy(&version, data + DEDUP_MAGIC_LEN, 4);
    if (version == 2)
        return DEDUP_FILE_FORMAT2;
    if (version != DEDUP_FORMAT)
        return galley_error_set(err,
                                "%s: format version %u, this galley reads versions 2 and %u; "
                                "build the index again (remove the file) with this galley",
                                what, version, DEDUP_FORMAT);
    size_t head = DEDUP_MAGIC_LEN + 12;
    if (size < head + 8)
        return galley_error_set(err, "%s: truncated; the file is damaged", what);
    uint64_t sum;
    memcpy(&sum, data + size - 8, 8);
    if (dedup_checksum(data, size - 8) != sum)
        return galley_error_set(err,
                                "%s: checksum mismatch: the file is damaged (truncated or "
                                "edited); restore it from a backup, or remove it and build it "
                                "again",
                                what);
    memcpy(&k, data + DEDUP_MAGIC_LEN + 4, 4);
    memcpy(&n, data + DEDUP_MAGIC_LEN + 8, 4);
    if (n > size - 8 - head || parse_text(data + head, n, s) < 0)
        return galley_error_set(err, "%s: unreadable header; the file is damaged", what);
    if (kind && k != (uint32_t)kind)
        return galley_error_set(err, "%s is %s, but %s is needed here", what, kind_name(k),
                                kind_name((uint32_t)kind));
    *body = (head + n + 7) / 8 * 8;
    if (*body > size - 8)
        return galley_error_set(err, "%s: truncated; the file is damaged", what);
    *body_len = size - 8 - *body;
    return (int)k;
}
