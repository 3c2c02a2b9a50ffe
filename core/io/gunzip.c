/* gunzip.c - the gzip stream: several members read as one, a truncated
 * or corrupt member an error naming its offset. ISA-L's igzip when
 * configure found it (libisal-dev), zlib otherwise; both give the same
 * bytes and the same errors. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif
#include "io/streams.h"

#define CHUNK (256 * 1024)

#if HAVE_ISAL
/* ISA-L's igzip: the same stream, 3-5x faster on x86-64. */
typedef struct gzip_stream {
    gl_stream base;
    gl_stream *inner;
    struct inflate_state z;
    unsigned char *in;
    int in_eof;
    int member_done; /* the last member ended cleanly */
    int finished;
    uint64_t in_total; /* compressed bytes read from inner */
} gzip_stream;

/* Starts decoding a new member (the header is parsed by igzip). */
static void start_member(gzip_stream *g)
{
    uint8_t *next_in = g->z.next_in;
    uint32_t avail_in = g->z.avail_in;
    isal_inflate_reset(&g->z);
    g->z.crc_flag = ISAL_GZIP;
    g->z.next_in = next_in;
    g->z.avail_in = avail_in;
    g->member_done = 0;
}

/* At the end of a member, igzip may hold bytes of what follows in its
 * bit buffer: give them back to the input. */
static void unread_bit_buffer(gzip_stream *g)
{
    uint32_t extra = (uint32_t)(g->z.read_in_length / 8);
    g->z.next_in -= extra;
    g->z.avail_in += extra;
    g->z.read_in = 0;
    g->z.read_in_length = 0;
}

/* The stream's read callback: inflates up to n bytes, going on from one member
 * to the next (concatenated .gz files) and skipping zero padding after a
 * member. A truncated or corrupt member sets err and the reason token; what was
 * decoded before it is handed out first, and the error comes from the next call
 * and every one after. */
static ssize_t gzip_read(gl_stream *s, void *buf, size_t n)
{
    gzip_stream *g = (gzip_stream *)s;
    if (g->finished)
        return s->err.set ? -1 : 0; /* an error stays an error */
    g->z.next_out = buf;
    g->z.avail_out = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
    while (g->z.avail_out > 0) {
        if (g->z.avail_in == 0 && !g->in_eof) {
            ssize_t r = gl_stream_read(g->inner, g->in, CHUNK);
            if (r < 0) {
                gl_stream_pass_error(s, g->inner);
                return -1;
            }
            if (r == 0)
                g->in_eof = 1;
            g->z.next_in = g->in;
            g->z.avail_in = (uint32_t)r;
            g->in_total += (uint64_t)r;
        }
        if (g->z.avail_in == 0 && g->in_eof) {
            g->finished = 1;
            if (!g->member_done) {
                galley_error_set(&s->err, "truncated gzip stream (ends at compressed byte %llu)",
                                 (unsigned long long)g->in_total);
                s->reason = "truncated_gzip";
                if (n - g->z.avail_out)
                    break; /* hand out what was decoded; the error comes next */
                return -1;
            }
            break;
        }
        if (g->member_done) {
            /* Another member follows, after any zero padding (which is
             * skipped byte by byte: a member may come after it). */
            if (g->z.next_in[0] == 0) {
                g->z.next_in++;
                g->z.avail_in--;
                continue;
            }
            start_member(g);
        }
        int rc = isal_inflate(&g->z);
        if (rc < 0) {
            galley_error_set(&s->err, "corrupt gzip data near compressed byte %llu: %s",
                             (unsigned long long)(g->in_total - g->z.avail_in),
                             rc == ISAL_INCORRECT_CHECKSUM    ? "incorrect data check"
                                 : rc == ISAL_INVALID_WRAPPER ? "incorrect header check"
                                                              : "invalid deflate data");
            s->reason = "corrupt_gzip";
            g->finished = 1;
            if (n - g->z.avail_out)
                break;
            return -1;
        }
        if (g->z.block_state == ISAL_BLOCK_FINISH) {
            unread_bit_buffer(g);
            g->member_done = 1;
        }
    }
    size_t got = n - g->z.avail_out;
    if (got == 0 && g->finished && s->err.set)
        return -1;
    s->consumed += got;
    return (ssize_t)got;
}

/* Closes the inner stream, which the gzip stream owns, and frees the buffers
 * and the stream. */
static void gzip_close(gl_stream *s)
{
    gzip_stream *g = (gzip_stream *)s;
    gl_stream_close(g->inner);
    free(g->in);
    free(g);
}

gl_stream *gl_stream_gzip(gl_stream *inner)
{
    gzip_stream *g = gl_xcalloc(1, sizeof *g);
    g->base.read = gzip_read;
    g->base.close = gzip_close;
    g->inner = inner;
    g->in = gl_xmalloc(CHUNK);
    isal_inflate_init(&g->z);
    g->z.crc_flag = ISAL_GZIP;
    return &g->base;
}

const char *gl_gzip_backend(void)
{
    return "ISA-L igzip";
}

#else
/* zlib: the fallback. */
typedef struct gzip_stream {
    gl_stream base;
    gl_stream *inner;
    z_stream z;
    unsigned char *in;
    int in_eof;
    int member_done; /* the last member ended cleanly */
    int finished;
    uint64_t in_total; /* compressed bytes read from inner */
} gzip_stream;

/* The stream's read callback, as the igzip one above: up to n bytes, member
 * after member, zero padding skipped, and an error for a truncated or corrupt
 * member once the bytes decoded before it are out. */
static ssize_t gzip_read(gl_stream *s, void *buf, size_t n)
{
    gzip_stream *g = (gzip_stream *)s;
    if (g->finished)
        return s->err.set ? -1 : 0; /* an error stays an error */
    g->z.next_out = buf;
    g->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    while (g->z.avail_out > 0) {
        if (g->z.avail_in == 0 && !g->in_eof) {
            ssize_t r = gl_stream_read(g->inner, g->in, CHUNK);
            if (r < 0) {
                gl_stream_pass_error(s, g->inner);
                return -1;
            }
            if (r == 0)
                g->in_eof = 1;
            g->z.next_in = g->in;
            g->z.avail_in = (uInt)r;
            g->in_total += (uint64_t)r;
        }
        if (g->z.avail_in == 0 && g->in_eof) {
            if (!g->member_done) {
                galley_error_set(&s->err, "truncated gzip stream (ends at compressed byte %llu)",
                                 (unsigned long long)g->in_total);
                s->reason = "truncated_gzip";
                g->finished = 1;
                size_t got = n - g->z.avail_out;
                if (got)
                    break; /* hand out what was decoded; the error comes next */
                return -1;
            }
            g->finished = 1;
            break;
        }
        if (g->member_done) {
            /* Another member follows (concatenated .gz files), after any
             * zero padding (skipped byte by byte: a member may follow it). */
            if (g->z.next_in[0] == 0) {
                g->z.next_in++;
                g->z.avail_in--;
                continue;
            }
            inflateReset(&g->z);
            g->member_done = 0;
        }
        int rc = inflate(&g->z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            g->member_done = 1;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            galley_error_set(&s->err, "corrupt gzip data near compressed byte %llu: %s",
                             (unsigned long long)(g->in_total - g->z.avail_in),
                             g->z.msg ? g->z.msg : "inflate failed");
            s->reason = "corrupt_gzip";
            g->finished = 1;
            size_t got = n - g->z.avail_out;
            if (got)
                break;
            return -1;
        }
    }
    size_t got = n - g->z.avail_out;
    if (got == 0 && g->finished && s->err.set)
        return -1;
    s->consumed += got;
    return (ssize_t)got;
}

/* Ends the inflater, closes the inner stream (which the gzip stream owns) and
 * frees the buffers and the stream. */
static void gzip_close(gl_stream *s)
{
    gzip_stream *g = (gzip_stream *)s;
    inflateEnd(&g->z);
    gl_stream_close(g->inner);
    free(g->in);
    free(g);
}

gl_stream *gl_stream_gzip(gl_stream *inner)
{
    gzip_stream *g = gl_xcalloc(1, sizeof *g);
    g->base.read = gzip_read;
    g->base.close = gzip_close;
    g->inner = inner;
    g->in = gl_xmalloc(CHUNK);
    /* 15 + 16: gzip framing only. */
    if (inflateInit2(&g->z, 15 + 16) != Z_OK) {
        free(g->in);
        free(g);
        return NULL;
    }
    return &g->base;
}

const char *gl_gzip_backend(void)
{
    return "zlib";
}

#endif
