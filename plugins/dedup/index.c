/* index.c - the dedup index in memory and on disk.
 *
 * Per document: its id (in one pool, with a 4-byte offset), its kind, its
 * exact hash and its 128 one-byte MinHash values. The tables hold only
 * document numbers: the exact table finds a document by exact hash, one
 * table per LSH band by band key, and both keys are computed again from
 * the arrays above. Nothing in the tables is written to the file: they
 * are rebuilt when it is loaded.
 *
 * The file (format 3, header.h) holds the arrays after its head:
 *   u32 documents, u32 id bytes, u32 paragraph entries; the ids; the id
 *   offsets (u32 each); the kinds (u8); the exact hashes (u64); the
 *   signatures (128 bytes each); the paragraph entries (u64 hash, u32
 *   document). Format 2 had the same arrays behind a fixed head that did
 *   not record min_paragraph; it is still read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "header.h"
#include "index.h"
#include "table.h"

/* What a document number stands for. */
enum { KIND_ID_ONLY = 0, KIND_EXACT = 1, KIND_NEAR = 2 };

typedef struct band_owner {
    const dedup_index *ix;
    int band;
} band_owner;

struct dedup_index {
    dedup_params p;
    /* per document */
    char *ids; /* NUL-terminated ids, back to back */
    size_t ids_len, ids_cap;
    uint32_t *id_off;
    uint8_t *kind;
    uint64_t *exact;
    uint8_t *sigs; /* DEDUP_HASHES bytes each */
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

/* realloc that never returns NULL: exhaustion aborts, as with the core's
 * checked allocators (which a stage cannot call). n = 0 still allocates. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("dedup: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* The exact table's key of document doc, asked back by the table (which
 * stores no keys): its exact hash from the arrays. */
static uint64_t exact_key(const void *owner, uint32_t doc)
{
    return ((const dedup_index *)owner)->exact[doc];
}

/* A band table's key of document doc, computed again from its stored
 * 8-bit values; `owner` is that band's band_owner. */
static uint64_t band_key(const void *owner, uint32_t doc)
{
    const band_owner *bo = owner;
    return dedup_band_key(&bo->ix->p, bo->ix->sigs + (size_t)doc * DEDUP_HASHES, bo->band);
}

/* The paragraph table's key of paragraph entry para: its hash. */
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

uint32_t dedup_index_count(const dedup_index *ix)
{
    return ix->n;
}

/* Bytes in use. The per-document arrays grow by realloc, whose reserve
 * is not touched, so not resident, until documents fill it: they count
 * by what is filled. The tables count whole. */
size_t dedup_index_bytes(const dedup_index *ix)
{
    size_t bytes = ix->ids_len +
        (size_t)ix->n * (sizeof *ix->id_off + sizeof *ix->kind + sizeof *ix->exact + DEDUP_HASHES);
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

void dedup_index_ids(const dedup_index *ix, const char **pool, size_t *len, const uint32_t **off)
{
    *pool = ix->ids;
    *len = ix->ids_len;
    *off = ix->id_off;
}

/* ---- documents ------------------------------------------------------------ */

/* Appends a document to the arrays (its id copied into the pool; sig NULL
 * for an id-only slot, stored as zeros) and returns its number. It does
 * not enter the tables: index_doc does. Aborts when the 4-byte offsets
 * or numbers would overflow. */
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
    /* Offsets are 4 bytes, in memory and in the files: 4 GiB of ids
     * (about 300 million documents with 12-byte ids) in one index. */
    if (ix->ids_len + len > UINT32_MAX || ix->n == UINT32_MAX - 1) {
        fputs("dedup: the index is full (4 GiB of ids or 4 billion documents)\n", stderr);
        abort();
    }
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

int64_t dedup_index_near(const dedup_index *ix, const dedup_sig *sig, double threshold,
                         double *similarity)
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

/* The counts that open the body (format 3) or end the head (format 2). */
typedef struct body_counts {
    uint32_t docs, id_bytes, para_entries;
} body_counts;

/* Bytes of a body with these counts. */
static size_t body_size(const body_counts *c)
{
    return sizeof *c + c->id_bytes + (size_t)c->docs * (4 + 1 + 8 + DEDUP_HASHES) +
        (size_t)c->para_entries * 12;
}

int dedup_index_save(const dedup_index *ix, const char *path, galley_error *err)
{
    dedup_writer *w = malloc(sizeof *w);
    if (!w)
        return galley_error_set(err, "dedup index %s: out of memory", path);
    if (dedup_writer_open(w, path, err) < 0) {
        free(w);
        return -1;
    }
    dedup_shape shape;
    dedup_shape_of(&ix->p, DEDUP_FILE_SINGLE, &shape);
    dedup_header_write(w, DEDUP_FILE_SINGLE, &shape);
    body_counts c = { ix->n, (uint32_t)ix->ids_len, (uint32_t)ix->npara };
    dedup_writer_put(w, &c, sizeof c);
    dedup_writer_put(w, ix->ids, ix->ids_len);
    dedup_writer_put(w, ix->id_off, (size_t)ix->n * 4);
    dedup_writer_put(w, ix->kind, (size_t)ix->n);
    dedup_writer_put(w, ix->exact, (size_t)ix->n * 8);
    dedup_writer_put(w, ix->sigs, (size_t)ix->n * DEDUP_HASHES);
    for (size_t i = 0; i < ix->npara; i++) {
        dedup_writer_put(w, &ix->para_hash[i], 8);
        dedup_writer_put(w, &ix->para_doc[i], 4);
    }
    int rc = dedup_writer_commit(w, err);
    free(w);
    return rc;
}

/* Reads the arrays of a checked file into the index and builds the
 * tables; refuses values that point outside the file. */
static int load_body(dedup_index *ix, const char *path, const body_counts *c, const char *p,
                     galley_error *err)
{
    const char *ids = p;
    p += c->id_bytes;
    const char *off = p;
    p += (size_t)c->docs * 4;
    const uint8_t *kinds = (const uint8_t *)p;
    p += c->docs;
    const char *exact = p;
    p += (size_t)c->docs * 8;
    const uint8_t *sigs = (const uint8_t *)p;
    p += (size_t)c->docs * DEDUP_HASHES;
    for (uint32_t d = 0; d < c->docs; d++) {
        uint32_t o;
        uint64_t x;
        memcpy(&o, off + (size_t)d * 4, 4);
        memcpy(&x, exact + (size_t)d * 8, 8);
        if (o >= c->id_bytes || !memchr(ids + o, '\0', c->id_bytes - o) || kinds[d] > KIND_NEAR)
            return galley_error_set(err, "dedup index %s: bad document %u; the file is damaged",
                                    path, d);
        uint32_t doc = add_slot(ix, ids + o, kinds[d], x, sigs + (size_t)d * DEDUP_HASHES);
        if (kinds[d] != KIND_ID_ONLY && dedup_index_exact(ix, x) >= 0)
            return galley_error_set(err,
                                    "dedup index %s: document %u repeats an exact hash; "
                                    "the file is damaged",
                                    path, d);
        index_doc(ix, doc, NULL);
    }
    for (uint32_t i = 0; i < c->para_entries; i++, p += 12) {
        uint64_t ph;
        uint32_t pd;
        memcpy(&ph, p, 8);
        memcpy(&pd, p + 8, 4);
        if (pd >= c->docs)
            return galley_error_set(err, "dedup index %s: bad paragraph entry; the file is damaged",
                                    path);
        dedup_index_add_paragraph(ix, ph, pd);
    }
    return 0;
}

/* The head of format 2: fixed fields, a checksum of the whole file in
 * one XXH3. Still read, so that an index built before format 3 keeps
 * working; it did not record min_paragraph. */
typedef struct header_v2 {
    char magic[12];
    uint32_t version;
    int32_t shingle, bands, rows, hashes;
    uint64_t seed;
    int32_t fold, paragraphs;
    body_counts c;
} header_v2;

/* Checks a format-2 file in buf against the stage's options; fills the
 * counts and the body's offset. */
static int read_v2(const dedup_index *ix, const char *what, const char *buf, size_t size,
                   body_counts *c, size_t *body, galley_error *err)
{
    header_v2 h;
    if (size < sizeof h + 8)
        return galley_error_set(err, "%s: truncated; the file is damaged", what);
    memcpy(&h, buf, sizeof h);
    uint64_t sum;
    memcpy(&sum, buf + size - 8, 8);
    if (galley_hash64(buf, size - 8, 0) != sum)
        return galley_error_set(err,
                                "%s: checksum mismatch: the file is damaged (truncated or "
                                "edited); restore it from a backup, or remove it and build it "
                                "again",
                                what);
    dedup_params fp = ix->p;
    fp.shingle = h.shingle;
    fp.bands = h.bands;
    fp.rows = h.rows;
    fp.seed = h.seed;
    fp.fold = h.fold;
    fp.paragraphs = h.paragraphs;
    dedup_shape have, want;
    dedup_shape_of(&fp, DEDUP_FILE_SINGLE, &have);
    dedup_shape_of(&ix->p, DEDUP_FILE_SINGLE, &want);
    /* Rows 3 and (with paragraphs) last: hashes and min_paragraph, in
     * the order dedup_shape_of writes them. */
    snprintf(have.row[3].value, sizeof have.row[3].value, "%d", (int)h.hashes);
    if (h.paragraphs)
        snprintf(have.row[have.n - 1].value, sizeof have.row[0].value,
                 "(not recorded by format 2)");
    if (dedup_shape_compare(&have, &want, what, NULL, err) < 0)
        return -1;
    *c = h.c;
    *body = sizeof h;
    return 0;
}

int dedup_index_load(dedup_index *ix, const char *path, int *missing, galley_error *err)
{
    char *buf;
    size_t size, body, body_len;
    if (dedup_read_file(path, &buf, &size, missing, err) < 0 || *missing)
        return *missing ? 0 : -1;
    char what[4200];
    snprintf(what, sizeof what, "dedup index %s", path);
    dedup_shape have, want;
    body_counts c;
    int rc = dedup_header_read(buf, size, DEDUP_FILE_SINGLE, what, &have, &body, &body_len, err);
    if (rc == DEDUP_FILE_FORMAT2) {
        rc = read_v2(ix, what, buf, size, &c, &body, err);
        body_len = size - 8 - body;
        /* Format 2 counts come from the head, not the body. */
        if (rc == 0 && body_size(&c) - sizeof c != body_len)
            rc = galley_error_set(err, "%s: inconsistent sizes; the file is damaged", what);
    } else if (rc > 0) {
        dedup_shape_of(&ix->p, DEDUP_FILE_SINGLE, &want);
        rc = dedup_shape_compare(&have, &want, what, NULL, err);
        if (rc == 0 && body_len >= sizeof c) {
            memcpy(&c, buf + body, sizeof c);
            body += sizeof c;
        }
        if (rc == 0 && (body_len < sizeof c || body_size(&c) != body_len))
            rc = galley_error_set(err, "%s: inconsistent sizes; the file is damaged", what);
    }
    if (rc >= 0)
        rc = load_body(ix, path, &c, buf + body, err);
    free(buf);
    return rc < 0 ? -1 : 0;
}
