/* sink.c - where formatted documents go: standard output, a file, gzip,
 * or numbered shards. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "io/sink.h"

struct gl_sink {
    const gl_output_opts *o;
    FILE *file;
    gzFile gz;
    int to_stdout;
    uint64_t shard;        /* index of the open shard */
    uint64_t in_shard;     /* documents in it */
    int opened;
};

void gl_shard_path(const char *path, uint64_t n, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    if (!dot)
        dot = base + strlen(base);
    snprintf(out, size, "%.*s-%05llu%s", (int)(dot - path), path, (unsigned long long)n, dot);
}

static int open_current(gl_sink *s, galley_error *err)
{
    const gl_output_opts *o = s->o;
    char path[4096];
    if (s->to_stdout) {
        s->file = stdout;
    } else {
        if (o->shard_size > 0)
            gl_shard_path(o->path, s->shard, path, sizeof path);
        else
            snprintf(path, sizeof path, "%s", o->path);
        size_t len = strlen(path);
        if (len > 3 && strcmp(path + len - 3, ".gz") == 0) {
            s->gz = gzopen(path, "wb6");
            if (!s->gz)
                return galley_error_set(err, "%s: cannot write: %s", path, strerror(errno));
            gzbuffer(s->gz, 256 * 1024);
        } else {
            s->file = fopen(path, "w");
            if (!s->file)
                return galley_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        }
    }
    s->opened = 1;
    s->in_shard = 0;
    if (o->format == GL_OUT_CSV) {
        gl_buf h = { 0 };
        gl_format_header(o, &h);
        int rc = s->gz ? (gzwrite(s->gz, h.data, (unsigned)h.len) == (int)h.len ? 0 : -1)
                       : (fwrite(h.data, 1, h.len, s->file) == h.len ? 0 : -1);
        gl_buf_free(&h);
        if (rc < 0)
            return galley_error_set(err, "cannot write the output: %s", strerror(errno));
    }
    return 0;
}

static int close_current(gl_sink *s, galley_error *err)
{
    int rc = 0;
    if (!s->opened)
        return 0;
    if (s->gz) {
        if (gzclose(s->gz) != Z_OK)
            rc = galley_error_set(err, "cannot finish the gzip output");
        s->gz = NULL;
    } else if (s->file) {
        if (fflush(s->file) != 0 || ferror(s->file))
            rc = galley_error_set(err, "cannot write the output: %s", strerror(errno));
        if (s->file != stdout && fclose(s->file) != 0 && rc == 0)
            rc = galley_error_set(err, "cannot write the output: %s", strerror(errno));
        s->file = NULL;
    }
    s->opened = 0;
    return rc;
}

gl_sink *gl_sink_open(const gl_output_opts *o, galley_error *err)
{
    if (o->shard_size > 0 && strcmp(o->path, "-") == 0) {
        galley_error_set(err, "output.shard_size needs an output file (-o FILE or output.path), "
                         "not standard output");
        return NULL;
    }
    gl_sink *s = gl_xcalloc(1, sizeof *s);
    s->o = o;
    s->to_stdout = strcmp(o->path, "-") == 0;
    if (open_current(s, err) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

static int put(gl_sink *s, const char *data, size_t len, galley_error *err)
{
    if (len == 0)
        return 0;
    if (s->gz) {
        if (gzwrite(s->gz, data, (unsigned)len) != (int)len)
            return galley_error_set(err, "cannot write the gzip output");
        return 0;
    }
    if (fwrite(data, 1, len, s->file) != len)
        return galley_error_set(err, "cannot write the output: %s", strerror(errno));
    return 0;
}

int gl_sink_write(gl_sink *s, const char *data, const size_t *ends,
                  size_t ndocs, galley_error *err)
{
    if (s->o->shard_size <= 0)
        return put(s, data, ndocs ? ends[ndocs - 1] : 0, err);
    size_t from = 0;
    for (size_t i = 0; i < ndocs; i++) {
        if (s->in_shard == (uint64_t)s->o->shard_size) {
            if (close_current(s, err) < 0)
                return -1;
            s->shard++;
            if (open_current(s, err) < 0)
                return -1;
        }
        if (put(s, data + from, ends[i] - from, err) < 0)
            return -1;
        from = ends[i];
        s->in_shard++;
    }
    return 0;
}

int gl_sink_close(gl_sink *s, galley_error *err)
{
    if (!s)
        return 0;
    int rc = close_current(s, err);
    free(s);
    return rc;
}
