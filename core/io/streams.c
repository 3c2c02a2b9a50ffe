/* streams.c - file, gzip and limited streams, and the buffered reader. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/streams.h"
#include "sdk/sys.h"

#define CHUNK (256 * 1024)

/* ---- file ------------------------------------------------------------ */

typedef struct file_stream {
    gl_stream base;
    int fd;
    int owned;
} file_stream;

/* The file stream's read callback: read(2), tried again when a signal
 * interrupts it unless a stop was requested, so that SIGINT ends a read blocked
 * on standard input. Counts the bytes in consumed. */
static ssize_t file_read(gl_stream *s, void *buf, size_t n)
{
    file_stream *f = (file_stream *)s;
    for (;;) {
        ssize_t r = read(f->fd, buf, n);
        if (r >= 0) {
            s->consumed += (uint64_t)r;
            return r;
        }
        if (errno == EINTR && !gl_stop_requested())
            continue;
        galley_error_set(&s->err, "read error: %s", strerror(errno));
        s->reason = "read_error";
        return -1;
    }
}

/* Closes the descriptor when the stream opened it (not standard input) and
 * frees the stream. */
static void file_close(gl_stream *s)
{
    file_stream *f = (file_stream *)s;
    if (f->owned)
        close(f->fd);
    free(f);
}

gl_stream *gl_stream_file(const char *path)
{
    int fd;
    int owned = 1;
    if (strcmp(path, "-") == 0) {
        fd = 0;
        owned = 0;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return NULL;
    }
    file_stream *f = gl_xcalloc(1, sizeof *f);
    f->base.read = file_read;
    f->base.close = file_close;
    f->fd = fd;
    f->owned = owned;
    return &f->base;
}

uint64_t gl_stream_file_bytes(const gl_stream *s)
{
    return s->consumed;
}

void gl_stream_close(gl_stream *s)
{
    if (s)
        s->close(s);
}

ssize_t gl_stream_read(gl_stream *s, void *buf, size_t n)
{
    if (s->head_pos < s->head_len && n > 0) {
        size_t k = s->head_len - s->head_pos;
        if (k > n)
            k = n;
        memcpy(buf, s->head + s->head_pos, k);
        s->head_pos += k;
        return (ssize_t)k;
    }
    return s->read(s, buf, n);
}

ssize_t gl_stream_peek(gl_stream *s, size_t n, const unsigned char **p)
{
    if (n > sizeof s->head)
        n = sizeof s->head;
    /* Keep what is left of the head at its start, then top it up. */
    memmove(s->head, s->head + s->head_pos, s->head_len - s->head_pos);
    s->head_len -= s->head_pos;
    s->head_pos = 0;
    while (s->head_len < n) {
        ssize_t r = s->read(s, s->head + s->head_len, n - s->head_len);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        s->head_len += (size_t)r;
    }
    *p = s->head;
    return (ssize_t)(s->head_len < n ? s->head_len : n);
}

void gl_stream_pass_error(gl_stream *s, const gl_stream *inner)
{
    s->err = inner->err;
    s->reason = inner->reason;
}

/* ---- limit ----------------------------------------------------------- */

typedef struct limit_stream {
    gl_stream base;
    gl_stream *inner;
    uint64_t left;
} limit_stream;

/* The limited stream's read callback: at most the bytes left of the member,
 * then 0. An inner stream that ends before them is an error (truncated_member),
 * and an inner error is passed on. */
static ssize_t limit_read(gl_stream *s, void *buf, size_t n)
{
    limit_stream *l = (limit_stream *)s;
    if (l->left == 0)
        return 0;
    if (n > l->left)
        n = (size_t)l->left;
    ssize_t r = gl_stream_read(l->inner, buf, n);
    if (r < 0) {
        gl_stream_pass_error(s, l->inner);
        return -1;
    }
    if (r == 0) {
        galley_error_set(&s->err, "archive ends %llu bytes before the end of the member",
                         (unsigned long long)l->left);
        s->reason = "truncated_member";
        return -1;
    }
    l->left -= (uint64_t)r;
    s->consumed += (uint64_t)r;
    return r;
}

/* Closes the inner stream, which the limited stream owns, and frees it. */
static void limit_close(gl_stream *s)
{
    gl_stream_close(((limit_stream *)s)->inner);
    free(s);
}

/* Streams that own nothing but themselves. */
static void free_only(gl_stream *s)
{
    free(s);
}

gl_stream *gl_stream_limit(gl_stream *inner, uint64_t size)
{
    limit_stream *l = gl_xcalloc(1, sizeof *l);
    l->base.read = limit_read;
    l->base.close = limit_close;
    l->inner = inner;
    l->left = size;
    return &l->base;
}

/* ---- buffered reader -------------------------------------------------- */

void gl_reader_init(gl_reader *r, gl_stream *s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->cap = CHUNK;
    r->buf = gl_xmalloc(r->cap);
}

void gl_reader_free(gl_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Reads more into the buffer, compacting or growing it. Returns bytes
 * added, 0 at the end, -1 on error. */
static ssize_t fill(gl_reader *r, size_t want_total)
{
    if (r->error)
        return -1; /* an error is reported to every later read too */
    if (r->eof)
        return 0;
    if (r->start > 0 && (r->end == r->cap || r->start > r->cap / 2)) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end - r->start + CHUNK / 4 > r->cap || want_total > r->cap) {
        size_t cap = r->cap * 2;
        while (cap < want_total)
            cap *= 2;
        r->buf = gl_xrealloc(r->buf, cap);
        r->cap = cap;
    }
    ssize_t n = gl_stream_read(r->s, r->buf + r->end, r->cap - r->end);
    if (n < 0) {
        r->error = 1;
        r->err = r->s->err;
        r->reason = r->s->reason;
        return -1;
    }
    if (n == 0)
        r->eof = 1;
    r->end += (size_t)n;
    return n;
}

size_t gl_reader_peek(gl_reader *r, size_t n, const char **p)
{
    while (r->end - r->start < n && fill(r, n) > 0)
        ;
    *p = r->buf + r->start;
    size_t have = r->end - r->start;
    return have < n ? have : n;
}

int gl_reader_line(gl_reader *r, size_t max, const char **line, size_t *len, int *too_long)
{
    *too_long = 0;
    size_t scanned = 0;
    for (;;) {
        char *b = r->buf + r->start;
        size_t have = r->end - r->start;
        char *nl = memchr(b + scanned, '\n', have - scanned);
        if (nl) {
            size_t l = (size_t)(nl - b);
            *line = b;
            *len = l;
            r->start += l + 1;
            if (l > max) {
                *too_long = 1;
            }
            return 1;
        }
        scanned = have;
        if (have > max) {
            /* Too long: drop what we have and skip to the next newline,
             * keeping memory bounded by max. */
            size_t total = have;
            r->start = r->end;
            for (;;) {
                ssize_t n = fill(r, 0);
                if (n < 0)
                    return -1;
                if (n == 0)
                    break;
                char *p = memchr(r->buf + r->start, '\n', r->end - r->start);
                if (p) {
                    total += (size_t)(p - (r->buf + r->start));
                    r->start = (size_t)(p - r->buf) + 1;
                    break;
                }
                total += r->end - r->start;
                r->start = r->end;
            }
            *too_long = 1;
            *line = NULL;
            *len = total;
            return 1;
        }
        ssize_t n = fill(r, have + 1);
        if (n < 0)
            return -1;
        if (n == 0) {
            b = r->buf + r->start;
            have = r->end - r->start;
            if (have == 0)
                return 0;
            /* The last line has no newline. */
            *line = b;
            *len = have;
            r->start = r->end;
            return 1;
        }
    }
}

int gl_reader_all(gl_reader *r, size_t max, gl_buf *out, size_t *len, int *too_long)
{
    *too_long = 0;
    size_t start = out->len;
    gl_buf_reserve(out, 1);
    /* What the reader holds, then the stream read straight into out. */
    size_t have = r->end - r->start;
    size_t total = have;
    if (have <= max)
        gl_buf_add(out, r->buf + r->start, have);
    r->start = r->end;
    while (!r->eof && !r->error) {
        if (total > max) {
            /* Too long: count the rest without keeping it. */
            ssize_t n = fill(r, 0);
            if (n < 0)
                break;
            total += r->end - r->start;
            r->start = r->end;
            continue;
        }
        gl_buf_reserve(out, CHUNK + 1);
        ssize_t n = gl_stream_read(r->s, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            r->error = 1;
            r->err = r->s->err;
            r->reason = r->s->reason;
            break;
        }
        if (n == 0)
            r->eof = 1;
        out->len += (size_t)n;
        total += (size_t)n;
    }
    if (r->error) {
        out->len = start;
        return -1;
    }
    *len = total;
    if (total > max) {
        *too_long = 1;
        out->len = start;
    }
    out->data[out->len] = '\0';
    return 1;
}

int gl_reader_skip(gl_reader *r, uint64_t n)
{
    while (n > 0) {
        size_t have = r->end - r->start;
        if (have == 0) {
            ssize_t got = fill(r, 0);
            if (got <= 0)
                return -1;
            continue;
        }
        size_t take = have < n ? have : (size_t)n;
        r->start += take;
        n -= take;
    }
    return 0;
}

/* ---- stream over a reader --------------------------------------------- */

typedef struct reader_stream {
    gl_stream base;
    gl_reader *r;
} reader_stream;

/* The callback of a stream over a reader: hands out what the reader holds,
 * refilling it from its stream when empty, so that the bytes of a tar member
 * come after the header bytes the reader already buffered. A stream error comes
 * back as the reader's error and reason. */
static ssize_t reader_stream_read(gl_stream *s, void *buf, size_t n)
{
    gl_reader *r = ((reader_stream *)s)->r;
    if (r->end == r->start) {
        ssize_t got = fill(r, 0);
        if (got < 0) {
            s->err = r->err;
            s->reason = r->reason;
            return -1;
        }
        if (got == 0)
            return 0;
    }
    size_t have = r->end - r->start;
    if (n > have)
        n = have;
    memcpy(buf, r->buf + r->start, n);
    r->start += n;
    s->consumed += n;
    return (ssize_t)n;
}

gl_stream *gl_stream_from_reader(gl_reader *r)
{
    reader_stream *rs = gl_xcalloc(1, sizeof *rs);
    rs->base.read = reader_stream_read;
    rs->base.close = free_only;
    rs->r = r;
    return &rs->base;
}

uint64_t gl_stream_limit_left(const gl_stream *s)
{
    return ((const limit_stream *)s)->left;
}
