/* index.c - the dedup index in memory and on disk.
 *
 * Per document: its id (in one pool, with a 4-byte offset), its kind, its
 * exact hash and its 128 one-byte MinHash values. The tables hold only
 * document numbers: the exact table finds a document by exact hash, one
 * table per LSH band by band key, and both keys are computed again from
 * the arrays above. Nothing in the tables is written to the file: they
 * are rebuilt when it is loaded.
 *
 * File format 2 (little-endian):
 *   header: "GALLEYDEDUP\n", u32 version (2), the parameters (shingle,
 *   bands, rows, hashes, seed, fold, paragraphs), u32 documents, u32 id
 *   bytes, u32 paragraph entries; then the id pool, the id offsets, the
 *   kinds, the exact hashes, the signatures, the paragraph entries (hash
 *   and document), and last an XXH3 checksum of everything before it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "index.h"
#include "table.h"

#define MAGIC "GALLEYDEDUP\n"
#define VERSION 2u

/* What a document number stands for. */
enum { KIND_ID_ONLY = 0, KIND_EXACT = 1, KIND_NEAR = 2 };

typedef struct band_owner {
    const dedup_index *ix;
    int band;
} band_owner;

struct dedup_index {
    dedup_params p;
    /* per document */
    char *ids;                 /* NUL-terminated ids, back to back */
    size_t ids_len, ids_cap;
    uint32_t *id_off;
    uint8_t *kind;
    uint64_t *exact;
    uint8_t *sigs;             /* DEDUP_HASHES bytes each */
    uint32_t n, cap;
    /* finding them */
    dedup_table exact_table;
    dedup_table bands[DEDUP_MAX_BANDS];
    band_owner band_owners[DEDUP_MAX_BANDS];
    /* paragraphs: hash and first document of each, and a table by hash */
    uint64_t *para_hash;
    uint32_t *para_doc;
    size_t npara, para_cap;
    dedup_table para_table;
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

static uint64_t exact_key(const void *owner, uint32_t doc)
{
    return ((const dedup_index *)owner)->exact[doc];
}

static uint64_t band_key(const void *owner, uint32_t doc)
{
    const band_owner *bo = owner;
    return dedup_band_key(&bo->ix->p, bo->ix->sigs + (size_t)doc * DEDUP_HASHES, bo->band);
}

static uint64_t para_key(const void *owner, uint32_t para)
{
    return ((const dedup_index *)owner)->para_hash[para];
}

dedup_index *dedup_index_new(const dedup_params *p)
{
    dedup_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->p = *p;
    dedup_table_init(&ix->exact_table, exact_key, ix);
    for (int b = 0; b < p->bands; b++) {
        ix->band_owners[b] = (band_owner){ ix, b };
        dedup_table_init(&ix->bands[b], band_key, &ix->band_owners[b]);
    }
    dedup_table_init(&ix->para_table, para_key, ix);
    return ix;
}

void dedup_index_free(dedup_index *ix)
{
    if (!ix)
        return;
    free(ix->ids);
    free(ix->id_off);
    free(ix->kind);
    free(ix->exact);
    free(ix->sigs);
    dedup_table_free(&ix->exact_table);
    for (int b = 0; b < ix->p.bands; b++)
        dedup_table_free(&ix->bands[b]);
    free(ix->para_hash);
    free(ix->para_doc);
    dedup_table_free(&ix->para_table);
    free(ix);
}

uint32_t dedup_index_count(const dedup_index *ix) { return ix->n; }

/* Bytes in use. The per-document arrays grow by realloc, whose reserve
 * is not touched, so not resident, until documents fill it: they count
 * by what is filled. The tables count whole. */
size_t dedup_index_bytes(const dedup_index *ix)
{
    size_t bytes = ix->ids_len + (size_t)ix->n * (sizeof *ix->id_off + sizeof *ix->kind +
                                                  sizeof *ix->exact + DEDUP_HASHES);
    bytes += dedup_table_bytes(&ix->exact_table);
    for (int b = 0; b < ix->p.bands; b++)
        bytes += dedup_table_bytes(&ix->bands[b]);
    bytes += ix->npara * (sizeof *ix->para_hash + sizeof *ix->para_doc) +
             dedup_table_bytes(&ix->para_table);
    return bytes;
}

const char *dedup_index_id(const dedup_index *ix, uint32_t doc)
{
    return ix->ids + ix->id_off[doc];
}

/* ---- documents ------------------------------------------------------------ */

static uint32_t add_slot(dedup_index *ix, const char *id, int kind, uint64_t exact,
                         const uint8_t *sig)
{
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 1024;
        ix->id_off = xrealloc(ix->id_off, ix->cap * sizeof *ix->id_off);
        ix->kind = xrealloc(ix->kind, ix->cap * sizeof *ix->kind);
        ix->exact = xrealloc(ix->exact, ix->cap * sizeof *ix->exact);
        ix->sigs = xrealloc(ix->sigs, (size_t)ix->cap * DEDUP_HASHES);
    }
    size_t len = strlen(id) + 1;
    if (ix->ids_len + len > ix->ids_cap) {
        while (ix->ids_len + len > ix->ids_cap)
            ix->ids_cap = ix->ids_cap ? ix->ids_cap * 2 : 65536;
        ix->ids = xrealloc(ix->ids, ix->ids_cap);
    }
    memcpy(ix->ids + ix->ids_len, id, len);
    uint32_t doc = ix->n++;
    ix->id_off[doc] = (uint32_t)ix->ids_len;
    ix->ids_len += len;
    ix->kind[doc] = (uint8_t)kind;
    ix->exact[doc] = exact;
    uint8_t *s = ix->sigs + (size_t)doc * DEDUP_HASHES;
    if (sig)
        memcpy(s, sig, DEDUP_HASHES);
    else
        memset(s, 0, DEDUP_HASHES);
    return doc;
}

/* Puts a document into the tables its kind calls for. `bands` are its
 * band keys when the caller has them (a signature's, computed in the
 * workers); NULL computes them from the stored values (a loaded file). */
static void index_doc(dedup_index *ix, uint32_t doc, const uint64_t *bands)
{
    if (ix->kind[doc] == KIND_ID_ONLY)
        return;
    dedup_table_add(&ix->exact_table, ix->exact[doc], doc);
    if (ix->kind[doc] == KIND_NEAR)
        for (int b = 0; b < ix->p.bands; b++)
            dedup_table_add(&ix->bands[b], bands ? bands[b] : band_key(&ix->band_owners[b], doc),
                            doc);
}

uint32_t dedup_index_add_id(dedup_index *ix, const char *id)
{
    return add_slot(ix, id, KIND_ID_ONLY, 0, NULL);
}

uint32_t dedup_index_add(dedup_index *ix, const char *id, const dedup_sig *sig)
{
    uint32_t doc = add_slot(ix, id, sig->has_shingles ? KIND_NEAR : KIND_EXACT, sig->exact,
                            sig->has_shingles ? sig->mins : NULL);
    index_doc(ix, doc, sig->bands);
    return doc;
}

int64_t dedup_index_exact(const dedup_index *ix, uint64_t hash)
{
    dedup_table_iter it;
    uint32_t doc;
    dedup_table_find(&ix->exact_table, hash, &it);
    return dedup_table_next(&it, &doc) ? (int64_t)doc : -1;
}

int64_t dedup_index_near(const dedup_index *ix, const dedup_sig *sig,
                         double threshold, double *similarity)
{
    if (!sig->has_shingles)
        return -1;
    int64_t best = -1;
    double best_sim = -1;
    for (int b = 0; b < ix->p.bands; b++) {
        dedup_table_iter it;
        uint32_t doc;
        for (dedup_table_find(&ix->bands[b], sig->bands[b], &it); dedup_table_next(&it, &doc);) {
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

void dedup_index_add_paragraph(dedup_index *ix, uint64_t hash, uint32_t doc)
{
    if (ix->npara == ix->para_cap) {
        ix->para_cap = ix->para_cap ? ix->para_cap * 2 : 1024;
        ix->para_hash = xrealloc(ix->para_hash, ix->para_cap * sizeof *ix->para_hash);
        ix->para_doc = xrealloc(ix->para_doc, ix->para_cap * sizeof *ix->para_doc);
    }
    ix->para_hash[ix->npara] = hash;
    ix->para_doc[ix->npara] = doc;
    dedup_table_add(&ix->para_table, hash, (uint32_t)ix->npara);
    ix->npara++;
}

int64_t dedup_index_paragraph(const dedup_index *ix, uint64_t hash)
{
    dedup_table_iter it;
    uint32_t para;
    dedup_table_find(&ix->para_table, hash, &it);
    return dedup_table_next(&it, &para) ? (int64_t)ix->para_doc[para] : -1;
}

/* ---- file ------------------------------------------------------------------- */

typedef struct header {
    char magic[12];
    uint32_t version;
    int32_t shingle, bands, rows, hashes;
    uint64_t seed;
    int32_t fold, paragraphs;
    uint32_t docs, id_bytes, para_entries;
} header;

static void params_text(const dedup_params *p, int hashes, char *buf, size_t size)
{
    snprintf(buf, size, "shingle=%d bands=%d rows=%d hashes=%d seed=%llu normalize_exact=%s",
             p->shingle, p->bands, p->rows, hashes, (unsigned long long)p->seed,
             p->fold ? "true" : "false");
}

static size_t file_size(const header *h)
{
    return sizeof *h + h->id_bytes + (size_t)h->docs * (4 + 1 + 8 + DEDUP_HASHES) +
           (size_t)h->para_entries * 12 + 8;
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
    h.para_entries = (uint32_t)ix->npara;
    /* Everything goes through one buffer so the checksum covers it. */
    size_t size = file_size(&h);
    char *buf = malloc(size);
    if (!buf) {
        fclose(f);
        unlink(tmp);
        return galley_error_set(err, "dedup index: out of memory");
    }
    char *p = buf;
#define PUT(src, n) (memcpy(p, (src), (n)), p += (n))
    PUT(&h, sizeof h);
    PUT(ix->ids, ix->ids_len);
    PUT(ix->id_off, (size_t)ix->n * 4);
    PUT(ix->kind, (size_t)ix->n);
    PUT(ix->exact, (size_t)ix->n * 8);
    PUT(ix->sigs, (size_t)ix->n * DEDUP_HASHES);
    for (size_t i = 0; i < ix->npara; i++) {
        PUT(&ix->para_hash[i], 8);
        PUT(&ix->para_doc[i], 4);
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

/* Checks the header against this stage; 0 or -1 with the reason. */
static int check_header(const dedup_index *ix, const char *path, const header *h, size_t size,
                        galley_error *err)
{
    if (memcmp(h->magic, MAGIC, sizeof h->magic) != 0)
        return galley_error_set(err, "dedup index %s: not a galley dedup index; remove it or point "
                                "index at another file", path);
    if (h->version != VERSION)
        return galley_error_set(err, "dedup index %s: format version %u, this galley reads version %u; "
                                "build the index again (remove the file) with this galley",
                                path, h->version, VERSION);
    char have[256], want[256];
    dedup_params fp = { h->shingle, h->bands, h->rows, h->seed, h->fold, h->paragraphs, 0 };
    params_text(&fp, h->hashes, have, sizeof have);
    params_text(&ix->p, DEDUP_HASHES, want, sizeof want);
    if (strcmp(have, want) != 0)
        return galley_error_set(err, "dedup index %s was built with %s, but this stage has %s: "
                                "use the same options, or another index file", path, have, want);
    if (file_size(h) != size)
        return galley_error_set(err, "dedup index %s: inconsistent sizes; the file is damaged", path);
    return 0;
}

/* Reads the arrays of a checked file into the index and builds the
 * tables; refuses values that point outside the file. */
static int load_body(dedup_index *ix, const char *path, const header *h, const char *p,
                     galley_error *err)
{
    const char *ids = p;
    p += h->id_bytes;
    const char *off = p;
    p += (size_t)h->docs * 4;
    const uint8_t *kinds = (const uint8_t *)p;
    p += h->docs;
    const char *exact = p;
    p += (size_t)h->docs * 8;
    const uint8_t *sigs = (const uint8_t *)p;
    p += (size_t)h->docs * DEDUP_HASHES;
    for (uint32_t d = 0; d < h->docs; d++) {
        uint32_t o;
        uint64_t x;
        memcpy(&o, off + (size_t)d * 4, 4);
        memcpy(&x, exact + (size_t)d * 8, 8);
        if (o >= h->id_bytes || !memchr(ids + o, '\0', h->id_bytes - o) || kinds[d] > KIND_NEAR)
            return galley_error_set(err, "dedup index %s: bad document %u; the file is damaged", path, d);
        uint32_t doc = add_slot(ix, ids + o, kinds[d], x, sigs + (size_t)d * DEDUP_HASHES);
        if (kinds[d] != KIND_ID_ONLY && dedup_index_exact(ix, x) >= 0)
            return galley_error_set(err, "dedup index %s: document %u repeats an exact hash; "
                                    "the file is damaged", path, d);
        index_doc(ix, doc, NULL);
    }
    for (uint32_t i = 0; i < h->para_entries; i++, p += 12) {
        uint64_t ph;
        uint32_t pd;
        memcpy(&ph, p, 8);
        memcpy(&pd, p + 8, 4);
        if (pd >= h->docs)
            return galley_error_set(err, "dedup index %s: bad paragraph entry; the file is damaged", path);
        dedup_index_add_paragraph(ix, ph, pd);
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
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return galley_error_set(err, "dedup index %s: cannot read (not a regular file?)", path);
    }
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
    uint64_t sum;
    memcpy(&sum, buf + size - 8, 8);
    if (memcmp(h.magic, MAGIC, sizeof h.magic) == 0 && h.version == VERSION &&
        galley_hash64(buf, (size_t)size - 8, 0) != sum)
        rc = galley_error_set(err, "dedup index %s: checksum mismatch: the file is damaged "
                              "(truncated or edited); restore it from a backup or remove it to "
                              "start a new index", path);
    if (rc == 0)
        rc = check_header(ix, path, &h, (size_t)size, err);
    if (rc == 0)
        rc = load_body(ix, path, &h, buf + sizeof h, err);
    free(buf);
    return rc;
}
