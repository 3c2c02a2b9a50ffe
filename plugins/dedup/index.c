/* index.c - compact tables with open addressing, and the index file.
 *
 * File format (little-endian):
 *   "GALLEYDEDUP\n" magic, u32 version (1), the parameters (shingle,
 *   bands, rows, hashes, seed, fold, paragraphs), u32 documents, u32 id
 *   bytes, u32 exact, band and paragraph entries, then the id pool,
 *   id offsets, signatures, exact entries, band entries, paragraph
 *   entries, and last an XXH3 checksum of everything before it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "index.h"

#define MAGIC "GALLEYDEDUP\n"
#define VERSION 1u

typedef struct band_entry { uint32_t key, doc; } band_entry;   /* key 0: empty */
typedef struct exact_entry { uint64_t hash; uint32_t doc; uint32_t used; } exact_entry;
typedef struct para_entry { uint64_t hash; uint32_t doc; uint32_t used; } para_entry;

struct dedup_index {
    dedup_params p;
    /* per document */
    char *ids;                 /* NUL-terminated ids, back to back */
    size_t ids_len, ids_cap;
    uint32_t *id_off;
    uint8_t *sigs;             /* DEDUP_HASHES bytes each; unused for id-only */
    uint32_t n, cap;
    /* tables */
    exact_entry *xt;
    size_t xcap, xn;
    band_entry *bt;
    size_t bcap, bn;
    para_entry *pt;
    size_t pcap, pn;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("dedup: out of memory\n", stderr);
        abort();
    }
    return q;
}

dedup_index *dedup_index_new(const dedup_params *p)
{
    dedup_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->p = *p;
    return ix;
}

void dedup_index_free(dedup_index *ix)
{
    if (!ix)
        return;
    free(ix->ids);
    free(ix->id_off);
    free(ix->sigs);
    free(ix->xt);
    free(ix->bt);
    free(ix->pt);
    free(ix);
}

uint32_t dedup_index_count(const dedup_index *ix) { return ix->n; }

size_t dedup_index_bytes(const dedup_index *ix)
{
    return ix->ids_cap + (size_t)ix->cap * (sizeof(uint32_t) + DEDUP_HASHES) +
           ix->xcap * sizeof(exact_entry) + ix->bcap * sizeof(band_entry) +
           ix->pcap * sizeof(para_entry);
}

const char *dedup_index_id(const dedup_index *ix, uint32_t doc)
{
    return ix->ids + ix->id_off[doc];
}

/* ---- tables: linear probing, grown at 7/8 full ---------------------------- */

static size_t slot_of(uint64_t h, size_t cap)
{
    return (size_t)(h * 0x9E3779B97F4A7C15ULL >> 17) & (cap - 1);
}

static void exact_put(dedup_index *ix, uint64_t hash, uint32_t doc);
static void band_put(dedup_index *ix, uint32_t key, uint32_t doc);
static void para_put(dedup_index *ix, uint64_t hash, uint32_t doc);

static void exact_grow(dedup_index *ix)
{
    exact_entry *old = ix->xt;
    size_t oldcap = ix->xcap;
    ix->xcap = oldcap ? oldcap * 2 : 1024;
    ix->xt = calloc(ix->xcap, sizeof *ix->xt);
    if (!ix->xt)
        abort();
    ix->xn = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].used)
            exact_put(ix, old[i].hash, old[i].doc);
    free(old);
}

static void exact_put(dedup_index *ix, uint64_t hash, uint32_t doc)
{
    if ((ix->xn + 1) * 8 > ix->xcap * 7)
        exact_grow(ix);
    size_t i = slot_of(hash, ix->xcap);
    while (ix->xt[i].used) {
        if (ix->xt[i].hash == hash)
            return;   /* the first document keeps the hash */
        i = (i + 1) & (ix->xcap - 1);
    }
    ix->xt[i] = (exact_entry){ hash, doc, 1 };
    ix->xn++;
}

int64_t dedup_index_exact(const dedup_index *ix, uint64_t hash)
{
    if (!ix->xcap)
        return -1;
    for (size_t i = slot_of(hash, ix->xcap); ix->xt[i].used; i = (i + 1) & (ix->xcap - 1))
        if (ix->xt[i].hash == hash)
            return ix->xt[i].doc;
    return -1;
}

static void band_grow(dedup_index *ix)
{
    band_entry *old = ix->bt;
    size_t oldcap = ix->bcap;
    ix->bcap = oldcap ? oldcap * 2 : 4096;
    ix->bt = calloc(ix->bcap, sizeof *ix->bt);
    if (!ix->bt)
        abort();
    ix->bn = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            band_put(ix, old[i].key, old[i].doc);
    free(old);
}

static void band_put(dedup_index *ix, uint32_t key, uint32_t doc)
{
    if ((ix->bn + 1) * 8 > ix->bcap * 7)
        band_grow(ix);
    size_t i = slot_of(key, ix->bcap);
    while (ix->bt[i].key)
        i = (i + 1) & (ix->bcap - 1);
    ix->bt[i] = (band_entry){ key, doc };
    ix->bn++;
}

static void para_grow(dedup_index *ix)
{
    para_entry *old = ix->pt;
    size_t oldcap = ix->pcap;
    ix->pcap = oldcap ? oldcap * 2 : 1024;
    ix->pt = calloc(ix->pcap, sizeof *ix->pt);
    if (!ix->pt)
        abort();
    ix->pn = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].used)
            para_put(ix, old[i].hash, old[i].doc);
    free(old);
}

static void para_put(dedup_index *ix, uint64_t hash, uint32_t doc)
{
    if ((ix->pn + 1) * 8 > ix->pcap * 7)
        para_grow(ix);
    size_t i = slot_of(hash, ix->pcap);
    while (ix->pt[i].used)
        i = (i + 1) & (ix->pcap - 1);
    ix->pt[i] = (para_entry){ hash, doc, 1 };
    ix->pn++;
}

int64_t dedup_index_paragraph(dedup_index *ix, uint64_t hash, uint32_t doc)
{
    if (ix->pcap)
        for (size_t i = slot_of(hash, ix->pcap); ix->pt[i].used; i = (i + 1) & (ix->pcap - 1))
            if (ix->pt[i].hash == hash)
                return ix->pt[i].doc;
    para_put(ix, hash, doc);
    return -1;
}

/* ---- documents ------------------------------------------------------------ */

static uint32_t add_slot(dedup_index *ix, const char *id)
{
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 1024;
        ix->id_off = xrealloc(ix->id_off, ix->cap * sizeof *ix->id_off);
        ix->sigs = xrealloc(ix->sigs, (size_t)ix->cap * DEDUP_HASHES);
    }
    size_t len = strlen(id) + 1;
    if (ix->ids_len + len > ix->ids_cap) {
        while (ix->ids_len + len > ix->ids_cap)
            ix->ids_cap = ix->ids_cap ? ix->ids_cap * 2 : 65536;
        ix->ids = xrealloc(ix->ids, ix->ids_cap);
    }
    memcpy(ix->ids + ix->ids_len, id, len);
    ix->id_off[ix->n] = (uint32_t)ix->ids_len;
    ix->ids_len += len;
    memset(ix->sigs + (size_t)ix->n * DEDUP_HASHES, 0, DEDUP_HASHES);
    return ix->n++;
}

uint32_t dedup_index_add_id(dedup_index *ix, const char *id)
{
    return add_slot(ix, id);
}

uint32_t dedup_index_add(dedup_index *ix, const char *id, const dedup_sig *sig)
{
    uint32_t doc = add_slot(ix, id);
    exact_put(ix, sig->exact, doc);
    if (sig->has_shingles) {
        memcpy(ix->sigs + (size_t)doc * DEDUP_HASHES, sig->mins, DEDUP_HASHES);
        for (int b = 0; b < ix->p.bands; b++)
            band_put(ix, sig->bands[b], doc);
    }
    return doc;
}

int64_t dedup_index_near(const dedup_index *ix, const dedup_sig *sig,
                         double threshold, double *similarity)
{
    if (!sig->has_shingles || !ix->bcap)
        return -1;
    int64_t best = -1;
    double best_sim = -1;
    for (int b = 0; b < ix->p.bands; b++) {
        uint32_t key = sig->bands[b];
        for (size_t i = slot_of(key, ix->bcap); ix->bt[i].key; i = (i + 1) & (ix->bcap - 1)) {
            if (ix->bt[i].key != key)
                continue;
            uint32_t doc = ix->bt[i].doc;
            double s = dedup_similarity(sig->mins, ix->sigs + (size_t)doc * DEDUP_HASHES);
            if (s > best_sim || (s == best_sim && doc < best)) {
                best_sim = s;
                best = doc;
            }
        }
    }
    if (best < 0 || best_sim < threshold)
        return -1;
    *similarity = best_sim;
    return best;
}

/* ---- file ------------------------------------------------------------------- */

typedef struct header {
    char magic[12];
    uint32_t version;
    int32_t shingle, bands, rows, hashes;
    uint64_t seed;
    int32_t fold, paragraphs;
    uint32_t docs, id_bytes, exact_entries, band_entries, para_entries;
} header;

static void params_text(const dedup_params *p, int hashes, char *buf, size_t size)
{
    snprintf(buf, size, "shingle=%d bands=%d rows=%d hashes=%d seed=%llu normalize_exact=%s",
             p->shingle, p->bands, p->rows, hashes, (unsigned long long)p->seed,
             p->fold ? "true" : "false");
}

int dedup_index_save(const dedup_index *ix, const char *path, galley_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return galley_error_set(err, "dedup index %s: cannot write %s: %s", path, tmp, strerror(errno));
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, sizeof h.magic);
    h.version = VERSION;
    h.shingle = ix->p.shingle;
    h.bands = ix->p.bands;
    h.rows = ix->p.rows;
    h.hashes = DEDUP_HASHES;
    h.seed = ix->p.seed;
    h.fold = ix->p.fold;
    h.paragraphs = ix->p.paragraphs;
    h.docs = ix->n;
    h.id_bytes = (uint32_t)ix->ids_len;
    h.exact_entries = (uint32_t)ix->xn;
    h.band_entries = (uint32_t)ix->bn;
    h.para_entries = (uint32_t)ix->pn;
    /* Everything goes through one buffer so the checksum covers it. */
    size_t size = sizeof h + ix->ids_len + (size_t)ix->n * (4 + DEDUP_HASHES) +
                  ix->xn * 12 + ix->bn * sizeof(band_entry) + ix->pn * 12;
    char *buf = malloc(size + 8);
    if (!buf) {
        fclose(f);
        return galley_error_set(err, "dedup index: out of memory");
    }
    char *p = buf;
#define PUT(src, n) (memcpy(p, (src), (n)), p += (n))
    PUT(&h, sizeof h);
    PUT(ix->ids, ix->ids_len);
    PUT(ix->id_off, (size_t)ix->n * 4);
    PUT(ix->sigs, (size_t)ix->n * DEDUP_HASHES);
    for (size_t i = 0; i < ix->xcap; i++)
        if (ix->xt[i].used) {
            PUT(&ix->xt[i].hash, 8);
            PUT(&ix->xt[i].doc, 4);
        }
    for (size_t i = 0; i < ix->bcap; i++)
        if (ix->bt[i].key)
            PUT(&ix->bt[i], sizeof(band_entry));
    for (size_t i = 0; i < ix->pcap; i++)
        if (ix->pt[i].used) {
            PUT(&ix->pt[i].hash, 8);
            PUT(&ix->pt[i].doc, 4);
        }
    uint64_t sum = galley_hash64(buf, (size_t)(p - buf), 0);
    PUT(&sum, 8);
#undef PUT
    size_t want = (size_t)(p - buf);
    int ok = fwrite(buf, 1, want, f) == want && fflush(f) == 0 && fsync(fileno(f)) == 0;
    free(buf);
    if (fclose(f) != 0 || !ok) {
        unlink(tmp);
        return galley_error_set(err, "dedup index %s: cannot write: %s", path, strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return galley_error_set(err, "dedup index %s: cannot replace: %s", path, strerror(errno));
    }
    return 0;
}

int dedup_index_load(dedup_index *ix, const char *path, int *missing,
                     galley_error *err)
{
    *missing = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) {
            *missing = 1;
            return 0;
        }
        return galley_error_set(err, "dedup index %s: cannot read: %s", path, strerror(errno));
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size < (long)(sizeof(header) + 8)) {
        fclose(f);
        return galley_error_set(err, "dedup index %s: not a galley dedup index (too short); "
                                "remove it or point index at another file", path);
    }
    char *buf = malloc((size_t)size);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        fclose(f);
        return galley_error_set(err, "dedup index %s: cannot read", path);
    }
    fclose(f);
    header h;
    memcpy(&h, buf, sizeof h);
    int rc = 0;
    char have[256], want[256];
    if (memcmp(h.magic, MAGIC, sizeof h.magic) != 0) {
        rc = galley_error_set(err, "dedup index %s: not a galley dedup index; remove it or point "
                              "index at another file", path);
        goto out;
    }
    if (h.version != VERSION) {
        rc = galley_error_set(err, "dedup index %s: format version %u, this galley reads version %u",
                              path, h.version, VERSION);
        goto out;
    }
    uint64_t sum;
    memcpy(&sum, buf + size - 8, 8);
    if (galley_hash64(buf, (size_t)size - 8, 0) != sum) {
        rc = galley_error_set(err, "dedup index %s: checksum mismatch: the file is damaged "
                              "(truncated or edited); restore it from a backup or remove it to "
                              "start a new index", path);
        goto out;
    }
    dedup_params fp = { h.shingle, h.bands, h.rows, h.seed, h.fold, h.paragraphs, 0 };
    params_text(&fp, h.hashes, have, sizeof have);
    params_text(&ix->p, DEDUP_HASHES, want, sizeof want);
    if (strcmp(have, want) != 0) {
        rc = galley_error_set(err, "dedup index %s was built with %s, but this stage has %s: "
                              "use the same options, or another index file", path, have, want);
        goto out;
    }
    size_t need = sizeof h + h.id_bytes + (size_t)h.docs * (4 + DEDUP_HASHES) +
                  (size_t)h.exact_entries * 12 + (size_t)h.band_entries * sizeof(band_entry) +
                  (size_t)h.para_entries * 12 + 8;
    if (need != (size_t)size) {
        rc = galley_error_set(err, "dedup index %s: inconsistent sizes; the file is damaged", path);
        goto out;
    }
    const char *p = buf + sizeof h;
    const char *ids = p;
    p += h.id_bytes;
    const uint32_t *off = (const uint32_t *)(const void *)p;
    p += (size_t)h.docs * 4;
    const uint8_t *sigs = (const uint8_t *)p;
    p += (size_t)h.docs * DEDUP_HASHES;
    for (uint32_t d = 0; d < h.docs; d++) {
        uint32_t o;
        memcpy(&o, (const char *)off + (size_t)d * 4, 4);
        if (o >= h.id_bytes || !memchr(ids + o, '\0', h.id_bytes - o)) {
            rc = galley_error_set(err, "dedup index %s: bad document id; the file is damaged", path);
            goto out;
        }
        uint32_t doc = add_slot(ix, ids + o);
        memcpy(ix->sigs + (size_t)doc * DEDUP_HASHES, sigs + (size_t)d * DEDUP_HASHES, DEDUP_HASHES);
    }
    for (uint32_t i = 0; i < h.exact_entries; i++, p += 12) {
        uint64_t xh;
        uint32_t xd;
        memcpy(&xh, p, 8);
        memcpy(&xd, p + 8, 4);
        if (xd >= h.docs) {
            rc = galley_error_set(err, "dedup index %s: bad exact entry; the file is damaged", path);
            goto out;
        }
        exact_put(ix, xh, xd);
    }
    for (uint32_t i = 0; i < h.band_entries; i++, p += sizeof(band_entry)) {
        band_entry e;
        memcpy(&e, p, sizeof e);
        if (!e.key || e.doc >= h.docs) {
            rc = galley_error_set(err, "dedup index %s: bad band entry; the file is damaged", path);
            goto out;
        }
        band_put(ix, e.key, e.doc);
    }
    for (uint32_t i = 0; i < h.para_entries; i++, p += 12) {
        uint64_t ph;
        uint32_t pd;
        memcpy(&ph, p, 8);
        memcpy(&pd, p + 8, 4);
        if (pd >= h.docs) {
            rc = galley_error_set(err, "dedup index %s: bad paragraph entry; the file is damaged", path);
            goto out;
        }
        para_put(ix, ph, pd);
    }
out:
    free(buf);
    return rc;
}
