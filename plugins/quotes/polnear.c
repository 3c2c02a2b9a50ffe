/* polnear.c - reading PolNeAR (Newell, Margolin and Ruths, LREC 2018) for
 * training and scoring: articles, their attributions, and a gold label
 * per token.
 *
 * A split folder holds text/NAME.txt and attributions/NAME_ANNOTATOR.ann
 * (brat standoff: T lines are spans "Type START END[;START END...]" in
 * code points, E lines tie an Attribution to its Content, Content2, Cue
 * and Source). Some articles have several annotators: we take the one
 * whose id sorts first (as eval/polnear.py does), so every article counts
 * once. The title comes from ../metadata.tsv. Files are read in place;
 * nothing of them is kept past the run. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* The whole of a file, NUL-terminated (malloc), or NULL with err set. */
static char *read_all(const char *path, size_t *len, galley_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        galley_error_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        galley_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* qsort's comparison of two strings by pointer: the split's .ann files
 * in byte order, so the articles load in the same order on every file
 * system. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Byte offset of each code point of text (and of its end). */
static uint32_t *cp_offsets(galley_arena *a, const char *text, size_t len, size_t *ncp)
{
    uint32_t *off = galley_arena_alloc(a, (len + 2) * sizeof *off);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            off[n++] = (uint32_t)i;
    off[n] = (uint32_t)len;
    *ncp = n;
    return off;
}

typedef struct tspan {
    char id[16];
    char type[24];
    quotes_piece *pieces;
    size_t n;
} tspan;

/* Parses "Type S E;S E" into a span with byte pieces. Returns 0 or -1. */
static int parse_tspan(galley_arena *a, char *field, const uint32_t *off, size_t ncp, tspan *t)
{
    char *sp = strchr(field, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    snprintf(t->type, sizeof t->type, "%s", field);
    size_t cap = 1;
    for (char *p = sp + 1; *p; p++)
        cap += *p == ';';
    t->pieces = galley_arena_alloc(a, cap * sizeof *t->pieces);
    t->n = 0;
    for (char *p = sp + 1; *p;) {
        char *end;
        long s = strtol(p, &end, 10), e = strtol(end, &end, 10);
        if (s < 0 || e < s || (size_t)e > ncp)
            return -1;
        t->pieces[t->n++] = (quotes_piece){ off[s], off[e] };
        p = *end == ';' ? end + 1 : end;
        if (*end != ';')
            break;
    }
    return 0;
}

/* The attributions of one .ann file, in byte offsets. */
static int read_ann(const char *path, galley_arena *a, const uint32_t *off, size_t ncp,
                    quotes_article *art, galley_error *err)
{
    size_t len;
    char *buf = read_all(path, &len, err);
    if (!buf)
        return -1;
    size_t nlines = 1;
    for (size_t i = 0; i < len; i++)
        nlines += buf[i] == '\n';
    tspan *spans = galley_arena_calloc(a, nlines, sizeof *spans);
    char **events = galley_arena_calloc(a, nlines, sizeof *events);
    size_t ns = 0, ne = 0;
    for (char *line = buf, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue; /* the rest of a span text that held a line break */
        *tab = '\0';
        char *field = tab + 1, *tab2 = strchr(field, '\t');
        if (tab2)
            *tab2 = '\0';
        if (line[0] == 'T') {
            snprintf(spans[ns].id, sizeof spans[ns].id, "%s", line);
            if (parse_tspan(a, field, off, ncp, &spans[ns]) == 0)
                ns++;
        } else if (line[0] == 'E') {
            events[ne++] = galley_arena_strdup(a, field);
        }
    }
    art->gold = galley_arena_calloc(a, ne + 1, sizeof *art->gold);
    for (size_t i = 0; i < ne; i++) {
        quotes_gold g = { 0 };
        /* Each argument ROLE:TID; the roles' pieces gathered. */
        quotes_piece *tmp[3] = { NULL, NULL, NULL };
        size_t cnt[3] = { 0, 0, 0 };
        for (char *arg = strtok(events[i], " "); arg; arg = strtok(NULL, " ")) {
            char *colon = strchr(arg, ':');
            if (!colon)
                continue;
            *colon = '\0';
            int role = strncmp(arg, "Content", 7) == 0 ? 0
                : strcmp(arg, "Source") == 0           ? 1
                : strcmp(arg, "Cue") == 0              ? 2
                                                       : -1;
            if (role < 0)
                continue;
            for (size_t k = 0; k < ns; k++) {
                if (strcmp(spans[k].id, colon + 1) != 0)
                    continue;
                quotes_piece *p = galley_arena_alloc(a, (cnt[role] + spans[k].n + 1) * sizeof *p);
                if (cnt[role])
                    memcpy(p, tmp[role], cnt[role] * sizeof *p);
                memcpy(p + cnt[role], spans[k].pieces, spans[k].n * sizeof *p);
                tmp[role] = p;
                cnt[role] += spans[k].n;
                break;
            }
        }
        if (!cnt[0])
            continue;
        g.content = tmp[0];
        g.ncontent = cnt[0];
        g.source = tmp[1];
        g.nsource = cnt[1];
        g.cue = tmp[2];
        g.ncue = cnt[2];
        art->gold[art->ngold++] = g;
    }
    free(buf);
    return 0;
}

/* Titles by article name from metadata.tsv beside the split (may be absent). */
static char *title_of(const char *meta, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (const char *line = meta; line && line < meta + len;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = meta + len;
        /* compartment, filename, level, annotators, publisher, date, author, title */
        const char *f = line;
        int col = 0;
        const char *name_at = NULL, *title_at = NULL, *title_end = NULL;
        for (const char *p = line; p <= end; p++) {
            if (p == end || *p == '\t') {
                if (col == 1)
                    name_at = f;
                if (col == 7) {
                    title_at = f;
                    title_end = p;
                }
                col++;
                f = p + 1;
            }
        }
        if (name_at && title_at && strncmp(name_at, name, nl) == 0 && name_at[nl] == '\t')
            return strndup(title_at, (size_t)(title_end - title_at));
        line = end + 1;
    }
    return NULL;
}

int quotes_polnear_read(const char *dir, quotes_corpus *out, galley_error *err)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/attributions", dir);
    DIR *d = opendir(path);
    if (!d)
        return galley_error_set(err, "%s: %s (expected a PolNeAR split folder)", path,
                                strerror(errno));
    size_t n = 0, cap = 256;
    char **files = malloc(cap * sizeof *files);
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ann") != 0)
            continue;
        if (n == cap)
            files = realloc(files, (cap *= 2) * sizeof *files);
        files[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(files, n, sizeof *files, cmp_str);
    snprintf(path, sizeof path, "%s/../metadata.tsv", dir);
    size_t meta_len = 0;
    galley_error ignore = { 0 };
    char *meta = read_all(path, &meta_len, &ignore);
    out->v = calloc(n + 1, sizeof *out->v);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* NAME_ANNOTATOR.ann: the first file of each NAME in sorted order
         * is its first annotator's ("_" sorts before letters and digits
         * only within one NAME, so compare the names themselves). */
        char *us = strrchr(files[i], '_');
        if (!us)
            continue;
        size_t nl = (size_t)(us - files[i]);
        if (out->n && strlen(out->v[out->n - 1].name) == nl &&
            strncmp(out->v[out->n - 1].name, files[i], nl) == 0)
            continue;
        quotes_article *art = &out->v[out->n];
        art->name = strndup(files[i], nl);
        snprintf(path, sizeof path, "%s/text/%s.txt", dir, art->name);
        size_t len;
        char *text = read_all(path, &len, err);
        if (!text) {
            rc = -1;
            break;
        }
        if (!galley_utf8_valid(text, len)) {
            free(text);
            rc = galley_error_set(err, "%s: not valid UTF-8", path);
            break;
        }
        art->doc = galley_doc_new(art->name, text, len);
        free(text);
        out->n++;
        galley_arena *a = galley_doc_arena(art->doc);
        char *title = meta ? title_of(meta, meta_len, art->name) : NULL;
        if (title) {
            galley_object_set_str(galley_doc_meta(art->doc), "title", title);
            free(title);
        }
        size_t ncp;
        uint32_t *off = cp_offsets(a, galley_doc_text(art->doc), len, &ncp);
        snprintf(path, sizeof path, "%s/attributions/%s", dir, files[i]);
        rc = read_ann(path, a, off, ncp, art, err);
    }
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    free(meta);
    return rc;
}

/* Longer spans first, so that a nested attribution's shorter spans
 * overwrite the labels of the content around them. */
typedef struct role_span {
    quotes_piece p;
    int type; /* 1 source, 2 cue, 3 content */
} role_span;

/* qsort's comparison for the order above: longer spans first, spans of a
 * length by their start, so that the order does not depend on qsort. */
static int longer_first(const void *pa, const void *pb)
{
    const role_span *a = pa, *b = pb;
    uint32_t la = a->p.end - a->p.start, lb = b->p.end - b->p.start;
    if (la != lb)
        return la > lb ? -1 : 1;
    return a->p.start < b->p.start ? -1 : a->p.start > b->p.start;
}

void quotes_polnear_label(quotes_corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        quotes_article *art = &c->v[i];
        galley_arena *a = galley_doc_arena(art->doc);
        size_t ntok;
        const galley_token *tok = galley_doc_tokens(art->doc, &ntok);
        art->label = galley_arena_calloc(a, ntok + 1, sizeof *art->label);
        size_t total = 0;
        for (size_t g = 0; g < art->ngold; g++)
            total += art->gold[g].ncontent + art->gold[g].nsource + art->gold[g].ncue;
        role_span *rs = galley_arena_alloc(a, (total + 1) * sizeof *rs);
        size_t n = 0;
        for (size_t g = 0; g < art->ngold; g++) {
            const quotes_gold *x = &art->gold[g];
            for (size_t k = 0; k < x->ncontent; k++)
                rs[n++] = (role_span){ x->content[k], 3 };
            for (size_t k = 0; k < x->nsource; k++)
                rs[n++] = (role_span){ x->source[k], 1 };
            for (size_t k = 0; k < x->ncue; k++)
                rs[n++] = (role_span){ x->cue[k], 2 };
        }
        qsort(rs, n, sizeof *rs, longer_first);
        /* Piece id per token, to tell B from I: the index of the span. */
        int32_t *owner = galley_arena_alloc(a, (ntok + 1) * sizeof *owner);
        for (size_t t = 0; t < ntok; t++)
            owner[t] = -1;
        for (size_t k = 0; k < n; k++) {
            /* Tokens that start inside the piece. */
            for (size_t t = quotes_first_token(tok, ntok, rs[k].p.start);
                 t < ntok && tok[t].start < rs[k].p.end; t++)
                owner[t] = (int32_t)k;
        }
        for (size_t t = 0; t < ntok; t++) {
            if (owner[t] < 0)
                continue;
            int type = rs[owner[t]].type;
            int begin = t == 0 || owner[t - 1] != owner[t];
            art->label[t] = (uint16_t)(type * 2 - 1 + !begin);
        }
    }
}

void quotes_corpus_free(quotes_corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].name);
        galley_doc_free(c->v[i].doc);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}
