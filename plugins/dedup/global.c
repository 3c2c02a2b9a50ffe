/* global.c - the merged index: written by the merge, mapped by pass 2. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "global.h"

typedef char dedup_global_rec_is_40_bytes[sizeof(dedup_global_rec) == 40 ? 1 : -1];

int dedup_global_open(dedup_global_writer *g, const char *path, const dedup_params *p,
                      unsigned nshards, galley_error *err)
{
    g->refs = NULL;
    g->nrefs = g->cap = 0;
    g->docs = 0;
    if (dedup_writer_open(&g->w, path, err) < 0)
        return -1;
    dedup_shape shape;
    char buf[32];
    dedup_shape_of(p, DEDUP_FILE_MERGED, &shape);
    snprintf(buf, sizeof buf, "%u", nshards);
    dedup_shape_add(&shape, "nshards", buf);
    dedup_header_write(&g->w, DEDUP_FILE_MERGED, &shape);
    return 0;
}

int dedup_global_add(dedup_global_writer *g, uint64_t order, uint64_t exact,
                     const dedup_decision *dec, const int64_t *first_seen, size_t nparas,
                     galley_error *err)
{
    dedup_global_rec r;
    memset(&r, 0, sizeof r);
    r.order = order;
    r.exact = exact;
    r.similarity = dec->kind == DEDUP_KEEP ? 0 : dec->similarity;
    r.of = dec->kind == DEDUP_KEEP ? DEDUP_NONE : dec->of;
    r.refs = DEDUP_NONE;
    r.nparas = (uint32_t)nparas;
    r.kind = (uint8_t)dec->kind;
    /* Refs only for a document with a repeated paragraph: most have none. */
    if (dec->repeated) {
        if (g->nrefs + nparas >= DEDUP_NONE)
            return galley_error_set(err,
                                    "more than 4 billion paragraph entries: too many for one "
                                    "merged index");
        if (g->nrefs + nparas > g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 4096;
            while (cap < g->nrefs + nparas)
                cap *= 2;
            uint32_t *nr = realloc(g->refs, cap * sizeof *nr);
            if (!nr)
                return galley_error_set(err, "out of memory");
            g->refs = nr;
            g->cap = cap;
        }
        r.refs = (uint32_t)g->nrefs;
        for (size_t i = 0; i < nparas; i++)
            g->refs[g->nrefs++] = first_seen[i] < 0 ? DEDUP_NONE : (uint32_t)first_seen[i];
    }
    dedup_writer_put(&g->w, &r, sizeof r);
    g->docs++;
    return 0;
}

int dedup_global_commit(dedup_global_writer *g, const dedup_index *ix, galley_error *err)
{
    const char *pool;
    size_t len;
    const uint32_t *off;
    dedup_index_ids(ix, &pool, &len, &off);
    uint64_t counts[4] = { g->docs, g->nrefs, dedup_index_count(ix), len };
    dedup_writer_put(&g->w, g->refs, g->nrefs * 4);
    dedup_writer_put(&g->w, off, (size_t)counts[2] * 4);
    dedup_writer_put(&g->w, pool, len);
    dedup_writer_put(&g->w, counts, sizeof counts);
    free(g->refs);
    g->refs = NULL;
    return dedup_writer_commit(&g->w, err);
}

void dedup_global_abort(dedup_global_writer *g)
{
    free(g->refs);
    g->refs = NULL;
    dedup_writer_abort(&g->w);
}

/* Checks the sizes and the records of a mapped file; 0 or -1. */
static int check_body(dedup_global *g, const char *what, size_t body, size_t body_len,
                      galley_error *err)
{
    uint64_t counts[4];
    if (body_len < sizeof counts)
        return galley_error_set(err, "%s: truncated; the file is damaged", what);
    memcpy(counts, g->data + body + body_len - sizeof counts, sizeof counts);
    g->ndocs = counts[0];
    g->nrefs = counts[1];
    g->nslots = counts[2];
    g->ids_len = counts[3];
    /* Each count bounded first, so the sum cannot wrap. */
    if (g->ndocs > body_len / 40 || g->nrefs > body_len / 4 || g->nslots > body_len / 4 ||
        g->ids_len > body_len ||
        g->ndocs * 40 + (g->nrefs + g->nslots) * 4 + g->ids_len + sizeof counts != body_len)
        return galley_error_set(err, "%s: inconsistent sizes; the file is damaged", what);
    g->recs = (const dedup_global_rec *)(g->data + body);
    g->refs = (const uint32_t *)(g->data + body + g->ndocs * 40);
    g->id_off = g->refs + g->nrefs;
    g->ids = (const char *)(g->id_off + g->nslots);
    if (g->ids_len && g->ids[g->ids_len - 1])
        return galley_error_set(err, "%s: bad ids; the file is damaged", what);
    for (uint64_t i = 0; i < g->nslots; i++)
        if (g->id_off[i] >= g->ids_len)
            return galley_error_set(err, "%s: bad ids; the file is damaged", what);
    for (uint64_t i = 0; i < g->ndocs; i++) {
        const dedup_global_rec *r = &g->recs[i];
        int bad = (i && r->order <= g->recs[i - 1].order) || r->kind > DEDUP_NEAR ||
            (r->kind != DEDUP_KEEP && r->of >= g->nslots) ||
            (r->refs != DEDUP_NONE && (r->refs > g->nrefs || r->nparas > g->nrefs - r->refs));
        for (uint32_t k = 0; !bad && r->refs != DEDUP_NONE && k < r->nparas; k++)
            bad = g->refs[r->refs + k] != DEDUP_NONE && g->refs[r->refs + k] >= g->nslots;
        if (bad)
            return galley_error_set(err, "%s: bad record %llu; the file is damaged", what,
                                    (unsigned long long)i);
    }
    return 0;
}

int dedup_global_load(dedup_global *g, const char *path, const dedup_shape *want, galley_error *err)
{
    memset(g, 0, sizeof *g);
    char what[4200];
    snprintf(what, sizeof what, "merged dedup index %s", path);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return galley_error_set(err, "%s: cannot read: %s%s", what, strerror(errno),
                                errno == ENOENT ? " (make it with galley dedup merge -o FILE "
                                                  "SHARD-INDEXES...)"
                                                : "");
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return galley_error_set(err, "%s is not a regular file", what);
    }
    g->size = (size_t)st.st_size;
    void *map = g->size ? mmap(NULL, g->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (map == MAP_FAILED)
        return galley_error_set(err, "%s: %s", what,
                                g->size ? strerror(errno)
                                        : "empty; the "
                                          "file is damaged");
    g->data = map;
    size_t body, body_len;
    int kind = dedup_header_read(g->data, g->size, DEDUP_FILE_MERGED, what, &g->shape, &body,
                                 &body_len, err);
    if (kind == DEDUP_FILE_FORMAT2)
        return galley_error_set(err, "%s: an index of format 2, not a merged index", what);
    if (kind < 0 || dedup_shape_compare(&g->shape, want, what, NULL, err) < 0)
        return -1;
    return check_body(g, what, body, body_len, err);
}

const dedup_global_rec *dedup_global_find(const dedup_global *g, uint64_t order)
{
    uint64_t lo = 0, hi = g->ndocs;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (g->recs[mid].order < order)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->ndocs && g->recs[lo].order == order ? &g->recs[lo] : NULL;
}

const char *dedup_global_id(const dedup_global *g, uint32_t slot)
{
    return slot < g->nslots ? g->ids + g->id_off[slot] : NULL;
}

void dedup_global_close(dedup_global *g)
{
    if (g->data)
        munmap((void *)g->data, g->size);
    memset(g, 0, sizeof *g);
}
