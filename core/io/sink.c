/* sink.c - where formatted documents go: standard output, a file, gzip,
 * or numbered files of N documents; files through io/outfile.h, so that
 * nothing is left under a final name unless the whole output is. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "io/outfile.h"
#include "io/sink.h"

#define GZ_CHUNK (256 * 1024)

/* One output file being written: its temporary file and, for .gz, the
 * deflate stream in front of it. */
typedef struct part {
    gl_outfile file;
    int gz;
    z_stream z;
    unsigned char *zbuf;
} part;

struct gl_sink {
    const gl_output_opts *o;
    const char *path; /* the final name (or "-") */
    int to_stdout;
    part *parts; /* every file opened, the last one current */
    size_t nparts;
    uint64_t in_part; /* documents in the current one */
};

void gl_numbered_path(const char *path, uint64_t n, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    if (!dot)
        dot = base + strlen(base);
    snprintf(out, size, "%.*s-%05llu%s", (int)(dot - path), path, (unsigned long long)n, dot);
}

/* Writes all of data to standard output. */
static int write_stdout(const char *data, size_t len, galley_error *err)
{
    while (len > 0) {
        ssize_t w = write(1, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return galley_error_set(err, "cannot write the output: %s",
                                    w < 0 ? strerror(errno) : "nothing written");
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Runs deflate over what is in p->z with `flush`, writing what comes out. */
static int deflate_out(part *p, int flush, galley_error *err)
{
    do {
        p->z.next_out = p->zbuf;
        p->z.avail_out = GZ_CHUNK;
        int rc = deflate(&p->z, flush);
        if (rc == Z_STREAM_ERROR)
            return galley_error_set(err, "%s: gzip compression failed", p->file.path);
        size_t n = GZ_CHUNK - p->z.avail_out;
        if (n && gl_outfile_write(&p->file, p->zbuf, n, err) < 0)
            return -1;
    } while (p->z.avail_out == 0);
    return 0;
}

/* Appends data to the current part (compressed for .gz). */
static int put(gl_sink *s, const char *data, size_t len, galley_error *err)
{
    if (len == 0)
        return 0;
    if (s->to_stdout)
        return write_stdout(data, len, err);
    part *p = &s->parts[s->nparts - 1];
    if (!p->gz)
        return gl_outfile_write(&p->file, data, len, err);
    p->z.next_in = (unsigned char *)data;
    p->z.avail_in = (uInt)len;
    return deflate_out(p, Z_NO_FLUSH, err);
}

/* Opens the next file (the first, or the next numbered one) and writes
 * the format's header. */
static int open_part(gl_sink *s, galley_error *err)
{
    const gl_output_opts *o = s->o;
    s->in_part = 0;
    if (!s->to_stdout) {
        char path[4096];
        if (o->shard_size > 0)
            gl_numbered_path(s->path, s->nparts, path, sizeof path);
        else
            snprintf(path, sizeof path, "%s", s->path);
        s->parts = gl_xrealloc(s->parts, (s->nparts + 1) * sizeof *s->parts);
        part *p = &s->parts[s->nparts];
        memset(p, 0, sizeof *p);
        if (gl_outfile_open(&p->file, path, err) < 0)
            return -1;
        s->nparts++;
        size_t len = strlen(path);
        p->gz = len > 3 && strcmp(path + len - 3, ".gz") == 0;
        if (p->gz) {
            /* Level 6, gzip framing (15 + 16), as gzopen's "wb6". */
            if (deflateInit2(&p->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                return galley_error_set(err, "%s: cannot start gzip compression", path);
            p->zbuf = gl_xmalloc(GZ_CHUNK);
        }
    }
    gl_buf h = { 0 };
    gl_format_header(o, &h);
    int rc = put(s, h.data, h.len, err);
    gl_buf_free(&h);
    return rc;
}

/* Ends the gzip stream of a part (its trailer). */
static int finish_part(part *p, galley_error *err)
{
    if (!p->gz)
        return 0;
    p->z.next_in = NULL;
    p->z.avail_in = 0;
    int rc = deflate_out(p, Z_FINISH, err);
    deflateEnd(&p->z);
    free(p->zbuf);
    p->gz = 0;
    return rc;
}

gl_sink *gl_sink_open(const gl_output_opts *o, const char *path, galley_error *err)
{
    if (o->shard_size > 0 && strcmp(path, "-") == 0) {
        galley_error_set(err,
                         "output.shard_size needs an output file (-o FILE or output.path), "
                         "not standard output");
        return NULL;
    }
    gl_sink *s = gl_xcalloc(1, sizeof *s);
    s->o = o;
    s->path = path;
    s->to_stdout = strcmp(path, "-") == 0;
    if (open_part(s, err) < 0) {
        gl_sink_abort(s);
        return NULL;
    }
    return s;
}

int gl_sink_write(gl_sink *s, const char *data, const size_t *ends, size_t ndocs, galley_error *err)
{
    if (s->o->shard_size <= 0)
        return put(s, data, ndocs ? ends[ndocs - 1] : 0, err);
    size_t from = 0;
    for (size_t i = 0; i < ndocs; i++) {
        if (s->in_part == (uint64_t)s->o->shard_size) {
            if (finish_part(&s->parts[s->nparts - 1], err) < 0 || open_part(s, err) < 0)
                return -1;
        }
        if (put(s, data + from, ends[i] - from, err) < 0)
            return -1;
        from = ends[i];
        s->in_part++;
    }
    return 0;
}

int gl_sink_commit(gl_sink *s, galley_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < s->nparts && rc == 0; i++)
        rc = finish_part(&s->parts[i], err);
    /* Every file is whole before any takes its name. */
    for (size_t i = 0; i < s->nparts; i++) {
        if (rc == 0)
            rc = gl_outfile_commit(&s->parts[i].file, err);
        else
            gl_outfile_abort(&s->parts[i].file);
    }
    free(s->parts);
    free(s);
    return rc;
}

void gl_sink_abort(gl_sink *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nparts; i++) {
        if (s->parts[i].gz) {
            deflateEnd(&s->parts[i].z);
            free(s->parts[i].zbuf);
        }
        gl_outfile_abort(&s->parts[i].file);
    }
    free(s->parts);
    free(s);
}
