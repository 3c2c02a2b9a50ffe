/* fuzz_readers.c - the input readers over any bytes: format detection
 * (magic bytes, extension, content), JSONL, plain text, gzip (several
 * members), tar and compressed tar, in batches of any size, and the
 * parsing of every record into a document.
 *
 * The input is two bytes of options, then the file's bytes:
 *   byte 0  bits 0-1 input.format (auto, jsonl, text, auto)
 *           bit 2    input.title_line
 *           bits 3-5 the file's name: in, in.jsonl, in.txt, in.gz, in.tar,
 *                    in.jsonl.gz, in.tar.gz, in.json
 *           bits 6-7 input.max_doc_bytes: 64, 1024, 65536, 64 MiB
 *   byte 1  bits 0-3 records per batch - 1
 *           bits 4-6 batch bytes: 256 << n
 *           bit 7    the file is given twice
 *   byte 2  bit 0    tar checksums made right: every 512-byte block with
 *                    "ustar" at 257 gets the checksum of its bytes
 *           bit 1    the file is gzipped (after bit 0) by the target
 *           bit 2    ...as two gzip members, split in the middle
 * Bits 0-2 of byte 2 let the fuzzer change tar headers and compressed
 * content, which a checksum or deflate would otherwise hide from it.
 * tests/fuzz/seeds.py writes the seed corpus in this shape.
 *
 * Invariants: every record is JSON, text or a reject with a reason token
 * and a message; a batch never holds more records than asked; a JSON
 * record is one line no longer than max_doc_bytes; a text record is not
 * empty and no longer than max_doc_bytes; every record parses into a
 * document that fuzz_check_doc accepts, or (JSON only) into a rejection
 * with a reason and a message; a file given twice gives the same records
 * twice (nothing of one file leaks into the next); nothing leaks,
 * nothing hangs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "io/json_read.h"
#include "io/readers.h"
#include "io/text_read.h"
#include "fuzz.h"

/* A digest of each record read (kind, reason, bytes, source), to compare
 * the two readings of a file given twice. */
typedef struct digests {
    uint64_t *v;
    size_t n, cap;
} digests;

/* FNV-1a over p[0..n), continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* Appends the digest of one record. */
static void add_digest(digests *d, const gl_records *b, const gl_record *rec)
{
    uint64_t h = fnv(0xcbf29ce484222325ULL, &rec->kind, sizeof rec->kind);
    if (rec->reason)
        h = fnv(h, rec->reason, strlen(rec->reason));
    h = fnv(h, b->data.data + rec->off, rec->len);
    h = fnv(h, b->data.data + rec->src_off, rec->src_len);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        FUZZ_CHECK(d->v != NULL, "out of memory");
    }
    d->v[d->n++] = h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir();
    return 0;
}

/* Is the reason a token of the account: lower-case letters and '_'? */
static int is_reason_token(const char *r)
{
    if (!r || !*r)
        return 0;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || *r == '_'))
            return 0;
    return 1;
}

/* Checks one record of a batch and the document it parses into. */
static void check_record(const gl_records *b, const gl_record *rec, const gl_input_opts *o)
{
    FUZZ_CHECK(rec->off + rec->len < b->data.len && b->data.data[rec->off + rec->len] == '\0',
               "record bytes [%zu, +%zu) outside the batch's %zu bytes or not NUL-terminated",
               rec->off, rec->len, b->data.len);
    FUZZ_CHECK(rec->src_off + rec->src_len < b->data.len &&
                   b->data.data[rec->src_off + rec->src_len] == '\0',
               "record source outside the batch or not NUL-terminated");
    const char *data = b->data.data + rec->off;
    const char *source = b->data.data + rec->src_off;
    FUZZ_CHECK(strlen(source) == rec->src_len && rec->src_len > 0,
               "record source of %zu bytes holds a NUL or is empty", rec->src_len);
    uint64_t repaired = 0;
    switch (rec->kind) {
    case GL_REC_REJECT:
        FUZZ_CHECK(is_reason_token(rec->reason), "reject without a reason token (%s)",
                   rec->reason ? rec->reason : "NULL");
        FUZZ_CHECK(rec->len > 0, "reject \"%s\" without a message", rec->reason);
        return;
    case GL_REC_JSON: {
        FUZZ_CHECK(memchr(data, '\n', rec->len) == NULL, "JSON record holds a newline");
        FUZZ_CHECK(rec->len <= (size_t)o->max_doc_bytes,
                   "JSON record of %zu bytes over max_doc_bytes %lld", rec->len,
                   (long long)o->max_doc_bytes);
        const char *reason = NULL;
        galley_error err = { 0 };
        static gl_json_scratch sc;
        static int sc_ready;
        if (!sc_ready) {
            gl_json_scratch_init(&sc); /* kept for the process, like a worker's */
            sc_ready = 1;
        }
        galley_doc *doc =
            gl_json_read_doc(data, rec->len, source, o, &sc, &repaired, &reason, &err);
        if (!doc) {
            FUZZ_CHECK(is_reason_token(reason), "JSON rejected without a reason token");
            FUZZ_CHECK(err.set && err.message[0], "JSON rejected (%s) without a message", reason);
            return;
        }
        fuzz_check_doc(doc, "JSON record");
        galley_doc_free(doc);
        return;
    }
    case GL_REC_TEXT: {
        FUZZ_CHECK(rec->len > 0 && rec->len <= (size_t)o->max_doc_bytes,
                   "text record of %zu bytes (max_doc_bytes %lld)", rec->len,
                   (long long)o->max_doc_bytes);
        galley_doc *doc = gl_text_read_doc(data, rec->len, source, o, &repaired);
        FUZZ_CHECK(doc != NULL, "a text record gave no document");
        fuzz_check_doc(doc, "text record");
        galley_doc_free(doc);
        return;
    }
    }
    FUZZ_CHECK(0, "record of unknown kind %d", (int)rec->kind);
}

/* Writes the right checksum into every block of p[0..n) that looks like
 * a ustar header (the tar reader would reject a wrong one). */
static void fix_tar_checksums(uint8_t *p, size_t n)
{
    for (size_t at = 0; at + 512 <= n; at += 512) {
        uint8_t *h = p + at;
        if (memcmp(h + 257, "ustar", 5) != 0)
            continue;
        unsigned sum = 0;
        for (size_t i = 0; i < 512; i++)
            sum += (i >= 148 && i < 156) ? ' ' : h[i];
        char field[9];
        snprintf(field, sizeof field, "%06o", sum & 0777777);
        memcpy(h + 148, field, 6);
        h[154] = '\0';
        h[155] = ' ';
    }
}

/* Appends p[0..n) as one gzip member to out (at *len, room for it made
 * by the caller: deflateBound). */
static void gzip_member(const uint8_t *p, size_t n, uint8_t *out, size_t *len, size_t cap)
{
    z_stream z = { 0 };
    FUZZ_CHECK(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
               "deflateInit2");
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out + *len;
    z.avail_out = (uInt)(cap - *len);
    FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
    *len += z.total_out;
    deflateEnd(&z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "in",     "in.jsonl",    "in.txt",    "in.gz",
                                         "in.tar", "in.jsonl.gz", "in.tar.gz", "in.json" };
    static const int formats[] = { GL_IN_AUTO, GL_IN_JSONL, GL_IN_TEXT, GL_IN_AUTO };
    static const int64_t max_doc[] = { 64, 1024, 65536, 67108864 };
    uint8_t o0 = fuzz_take_byte(&data, &size), o1 = fuzz_take_byte(&data, &size);
    gl_input_opts opts = {
        .format = formats[o0 & 3],
        .text_field = "text",
        .id_field = "id",
        .title_line = (o0 >> 2) & 1,
        .max_doc_bytes = max_doc[o0 >> 6],
    };
    uint8_t o2 = fuzz_take_byte(&data, &size);
    size_t max_recs = (size_t)(o1 & 15) + 1, max_bytes = (size_t)256 << ((o1 >> 4) & 7);
    uint8_t *body = malloc(size ? size : 1), *gz = NULL;
    memcpy(body, data, size);
    if (o2 & 1)
        fix_tar_checksums(body, size);
    if (o2 & 2) {
        size_t half = o2 & 4 ? size / 2 : size, cap = 2 * (size + 64) + 64, len = 0;
        gz = malloc(cap);
        gzip_member(body, half, gz, &len, cap);
        if (half < size)
            gzip_member(body + half, size - half, gz, &len, cap);
        free(body);
        body = gz;
        size = len;
    }
    const char *path = fuzz_write_file(names[(o0 >> 3) & 7], body, size);
    free(body);
    const char *paths[2] = { path, path };
    size_t npaths = o1 & 0x80 ? 2 : 1;

    galley_error open_err = { 0 };
    gl_inputs *in = gl_inputs_open(paths, npaths, &opts, 0, 1, &open_err);
    FUZZ_CHECK(in != NULL, "the input file cannot be opened: %s", open_err.message);
    FUZZ_CHECK(gl_inputs_file_count(in) == npaths, "%zu files listed for %zu paths",
               gl_inputs_file_count(in), npaths);
    FUZZ_CHECK(gl_inputs_total_bytes(in) == size * npaths, "total bytes %llu for %zu",
               (unsigned long long)gl_inputs_total_bytes(in), size * npaths);
    gl_records batch = { 0 };
    digests seen = { 0 };
    size_t got;
    while ((got = gl_inputs_read(in, &batch, max_recs, max_bytes)) > 0) {
        FUZZ_CHECK(got == batch.n, "read returned %zu for %zu records", got, batch.n);
        FUZZ_CHECK(batch.n <= max_recs, "a batch of %zu records for at most %zu", batch.n,
                   max_recs);
        for (size_t i = 0; i < batch.n; i++) {
            check_record(&batch, &batch.recs[i], &opts);
            add_digest(&seen, &batch, &batch.recs[i]);
        }
        gl_records_clear(&batch);
        FUZZ_CHECK(gl_inputs_bytes_read(in) <= size * npaths, "read %llu bytes of %zu",
                   (unsigned long long)gl_inputs_bytes_read(in), size * npaths);
    }
    if (npaths == 2) {
        FUZZ_CHECK(seen.n % 2 == 0, "a file read twice gave %zu records", seen.n);
        for (size_t i = 0; i < seen.n / 2; i++)
            FUZZ_CHECK(seen.v[i] == seen.v[seen.n / 2 + i],
                       "record %zu of the second reading differs from the first's", i);
    }
    free(seen.v);
    gl_records_free(&batch);
    gl_inputs_close(in);
    return 0;
}
