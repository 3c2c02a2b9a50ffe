/* streams.h - byte streams that read archives without unpacking them:
 * a file, gzip over any stream (multi-member), a length-limited view (a
 * tar member), each with a buffered reader for peeking and lines. */
#ifndef GALLEY_STREAMS_H
#define GALLEY_STREAMS_H

#include <sys/types.h>
#include "sdk/private.h"

typedef struct gl_stream gl_stream;

struct gl_stream {
    /* Reads up to n bytes; 0 at the end; -1 on error (err and reason
     * set). Callers use gl_stream_read, which serves peeked bytes first. */
    ssize_t (*read)(gl_stream *s, void *buf, size_t n);
    void (*close)(gl_stream *s);
    galley_error err;
    const char *reason;    /* the account's reason token for err */
    uint64_t consumed;     /* bytes this stream has returned */
    unsigned char head[8]; /* bytes peeked and not yet read */
    size_t head_len, head_pos;
};

/* Reads up to n bytes (peeked ones first); 0 at the end, -1 on error. */
ssize_t gl_stream_read(gl_stream *s, void *buf, size_t n);
/* The first n (at most 8) bytes not yet read, left to be read again:
 * lets a format be sniffed before it is decoded. Returns how many there
 * are (fewer at the end), -1 on error. */
ssize_t gl_stream_peek(gl_stream *s, size_t n, const unsigned char **p);

/* A file (or standard input for "-"). NULL with errno set on failure. */
gl_stream *gl_stream_file(const char *path);
/* gzip over `inner` (which it owns): several members are one stream;
 * a truncated or corrupt member is an error naming the offset
 * (io/gunzip.c: ISA-L's igzip when configure found it, else zlib). */
gl_stream *gl_stream_gzip(gl_stream *inner);
/* Exactly `size` bytes of `inner` (which it owns); ends with an error when
 * `inner` ends first. */
gl_stream *gl_stream_limit(gl_stream *inner, uint64_t size);
/* Bytes the underlying file has given (for progress). */
uint64_t gl_stream_file_bytes(const gl_stream *file_stream);
void gl_stream_close(gl_stream *s);

/* Copies an inner stream's error (message and reason) into s. */
void gl_stream_pass_error(gl_stream *s, const gl_stream *inner);
/* The gzip inflater in use: "ISA-L igzip" or "zlib" (configure chose). */
const char *gl_gzip_backend(void);

/* A buffered reader over a stream (not owned). */
typedef struct gl_reader {
    gl_stream *s;
    char *buf;
    size_t cap, start, end;
    int eof, error;
    galley_error err;
    const char *reason; /* the account's reason token for err */
} gl_reader;

void gl_reader_init(gl_reader *r, gl_stream *s);
void gl_reader_free(gl_reader *r);
/* Makes at least n bytes available (fewer at the end); returns how many
 * are available and sets *p to them. */
size_t gl_reader_peek(gl_reader *r, size_t n, const char **p);
/* The next line without its newline. Returns 1 and the line, 0 at the
 * end, -1 on a stream error. A line longer than max is skipped to its
 * end and reported with *too_long set (and *len its full length). */
int gl_reader_line(gl_reader *r, size_t max, const char **line, size_t *len, int *too_long);
/* Appends everything up to the end to `out`, at most max bytes (past
 * that: *too_long, nothing appended, the rest skipped). *len gets the
 * length. Returns 1, or -1 on a stream error. */
int gl_reader_all(gl_reader *r, size_t max, gl_buf *out, size_t *len, int *too_long);
/* Skips n bytes. Returns 0, or -1 when the stream ends first. */
int gl_reader_skip(gl_reader *r, uint64_t n);

/* A stream that reads what a buffered reader holds, then its stream (the
 * reader is not owned): a tar member's bytes come from the archive's
 * reader, which also reads its headers. */
gl_stream *gl_stream_from_reader(gl_reader *r);
/* Bytes a limited stream has not yet given. */
uint64_t gl_stream_limit_left(const gl_stream *limit_stream);

#endif
