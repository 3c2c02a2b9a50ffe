/* shard.c - writing and reading the files of pass = "sign". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shard.h"

int dedup_sign_open(dedup_sign_writer *s, const char *path, const dedup_params *p, unsigned shard,
                    unsigned nshards, galley_error *err)
{
    s->docs = 0;
    if (dedup_writer_open(&s->w, path, err) < 0)
        return -1;
    dedup_shape shape;
    char buf[32];
    dedup_shape_of(p, DEDUP_FILE_SIGN, &shape);
    snprintf(buf, sizeof buf, "%u", shard);
    dedup_shape_add(&shape, "shard", buf);
    snprintf(buf, sizeof buf, "%u", nshards);
    dedup_shape_add(&shape, "nshards", buf);
    dedup_header_write(&s->w, DEDUP_FILE_SIGN, &shape);
    return 0;
}

void dedup_sign_add(dedup_sign_writer *s, uint64_t order, const char *id, const dedup_sig *sig)
{
    uint8_t shingles = sig->has_shingles ? 1 : 0;
    uint32_t id_len = (uint32_t)strlen(id) + 1, nparas = (uint32_t)sig->nparas;
    dedup_writer_put(&s->w, &order, 8);
    dedup_writer_put(&s->w, &sig->exact, 8);
    dedup_writer_put(&s->w, &shingles, 1);
    dedup_writer_put(&s->w, &id_len, 4);
    dedup_writer_put(&s->w, id, id_len);
    if (shingles)
        dedup_writer_put(&s->w, sig->mins, DEDUP_HASHES);
    dedup_writer_put(&s->w, &nparas, 4);
    for (size_t i = 0; i < sig->nparas; i++)
        dedup_writer_put(&s->w, &sig->paras[i].hash, 8);
    s->docs++;
}

int dedup_sign_commit(dedup_sign_writer *s, galley_error *err)
{
    dedup_writer_put(&s->w, &s->docs, 8);
    return dedup_writer_commit(&s->w, err);
}

void dedup_sign_abort(dedup_sign_writer *s)
{
    dedup_writer_abort(&s->w);
}

/* A fact of the head as an unsigned number; -1 when absent or not one. */
static long long shape_number(const dedup_shape *s, const char *name)
{
    const char *v = dedup_shape_get(s, name);
    char *end;
    if (!v || !*v)
        return -1;
    long long n = strtoll(v, &end, 10);
    return *end || n < 0 ? -1 : n;
}

int dedup_shard_open(dedup_shard_file *f, const char *path, galley_error *err)
{
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    char what[4200];
    snprintf(what, sizeof what, "shard index %s", path);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return galley_error_set(err, "%s: cannot read: %s", what, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return galley_error_set(err, "%s is not a regular file", what);
    }
    f->size = (size_t)st.st_size;
    void *map = f->size ? mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (map == MAP_FAILED)
        return galley_error_set(err, "%s: %s", what,
                                f->size ? strerror(errno)
                                        : "empty: not a galley dedup index; the file is damaged");
    f->data = map;
    size_t body, body_len;
    int kind = dedup_header_read(f->data, f->size, DEDUP_FILE_SIGN, what, &f->shape, &body,
                                 &body_len, err);
    if (kind == DEDUP_FILE_FORMAT2)
        return galley_error_set(err,
                                "%s: an index of format 2, not a shard index of pass = "
                                "\"sign\"",
                                what);
    if (kind < 0)
        return -1;
    long long shard = shape_number(&f->shape, "shard"), n = shape_number(&f->shape, "nshards");
    if (body_len < 8 || shard < 0 || n < 1 || shard >= n)
        return galley_error_set(err, "%s: unreadable shard number; the file is damaged", what);
    f->shard = (unsigned)shard;
    f->nshards = (unsigned)n;
    memcpy(&f->docs, f->data + body + body_len - 8, 8);
    f->pos = body;
    f->end = body + body_len - 8;
    return 0;
}

/* Copies n bytes at the cursor into dst; -1 past the end. */
static int take(dedup_shard_file *f, void *dst, size_t n)
{
    if (f->end - f->pos < n)
        return -1;
    if (dst)
        memcpy(dst, f->data + f->pos, n);
    f->pos += n;
    return 0;
}

int dedup_shard_next(dedup_shard_file *f, const dedup_params *p, galley_error *err)
{
    if (f->pos == f->end) {
        if (f->read != f->docs)
            return galley_error_set(err,
                                    "shard index %s: %llu documents, but its count says %llu; "
                                    "the file is damaged",
                                    f->path, (unsigned long long)f->read,
                                    (unsigned long long)f->docs);
        return 0;
    }
    uint64_t order, exact;
    uint8_t shingles;
    uint32_t id_len, nparas;
    dedup_sig *sig = &f->sig;
    size_t id_at;
    if (take(f, &order, 8) || take(f, &exact, 8) || take(f, &shingles, 1) || take(f, &id_len, 4) ||
        (id_at = f->pos, take(f, NULL, id_len)) || id_len == 0 || f->data[id_at + id_len - 1] ||
        shingles > 1 || (shingles && take(f, sig->mins, DEDUP_HASHES)) || take(f, &nparas, 4) ||
        (size_t)nparas > (f->end - f->pos) / 8 || (f->read && order <= f->order))
        return galley_error_set(err, "shard index %s: bad record %llu; the file is damaged",
                                f->path, (unsigned long long)f->read);
    if (nparas > f->para_cap) {
        dedup_para *np = realloc(sig->paras, nparas * sizeof *np);
        if (!np)
            return galley_error_set(err, "out of memory");
        sig->paras = np;
        f->para_cap = nparas;
    }
    for (uint32_t i = 0; i < nparas; i++) {
        take(f, &sig->paras[i].hash, 8);
        sig->paras[i].start = sig->paras[i].end = 0;
    }
    f->order = order;
    f->id = f->data + id_at;
    sig->exact = exact;
    sig->has_shingles = shingles;
    sig->nparas = nparas;
    if (shingles)
        for (int b = 0; b < p->bands; b++)
            sig->bands[b] = dedup_band_key(p, sig->mins, b);
    f->read++;
    return 1;
}

void dedup_shard_close(dedup_shard_file *f)
{
    if (f->data)
        munmap((void *)f->data, f->size);
    free(f->sig.paras);
    free(f->path);
    memset(f, 0, sizeof *f);
}
