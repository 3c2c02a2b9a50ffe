/* test_streams.c - unit tests of io/streams.c: file, peek, gzip (several
 * members, truncated, corrupt), limited views and the buffered reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <galley/galley.h>
#include "io/streams.h"
#include "tap_check.h"

/* Writes data to a new temporary file; returns its path (static). */
static const char *temp_file(const void *data, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/galley-streams-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

/* s compressed as one gzip member, into out; returns the length. */
static size_t gzip_member(const char *s, unsigned char *out, size_t cap)
{
    z_stream z = { 0 };
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

/* Everything a stream gives, as a NUL-terminated string (static). */
static const char *read_all(gl_stream *s, ssize_t *last)
{
    static char buf[4096];
    size_t n = 0;
    ssize_t r;
    while ((r = gl_stream_read(s, buf + n, 7)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    *last = r;
    return buf;
}

START_TEST(peek_then_read_gives_every_byte_once)
{
    gl_stream *s = gl_stream_file(temp_file("hello, world", 12));
    const unsigned char *p;
    ck_assert_int_eq(gl_stream_peek(s, 2, &p), 2);
    ck_assert_int_eq(memcmp(p, "he", 2), 0);
    ck_assert_int_eq(gl_stream_peek(s, 5, &p), 5); /* peeks grow */
    ssize_t last;
    ck_assert_str_eq(read_all(s, &last), "hello, world");
    ck_assert_int_eq(last, 0);
    ck_assert_uint_eq(gl_stream_file_bytes(s), 12);
    gl_stream_close(s);
}
END_TEST

START_TEST(gzip_members_are_one_stream)
{
    unsigned char gz[512];
    size_t a = gzip_member("first member\n", gz, sizeof gz);
    size_t b = gzip_member("second\n", gz + a, sizeof gz - a);
    gl_stream *s = gl_stream_gzip(gl_stream_file(temp_file(gz, a + b)));
    ssize_t last;
    ck_assert_str_eq(read_all(s, &last), "first member\nsecond\n");
    ck_assert_int_eq(last, 0);
    gl_stream_close(s);
}
END_TEST

START_TEST(zero_padding_between_members_is_skipped)
{
    unsigned char gz[512];
    size_t a = gzip_member("before the padding\n", gz, sizeof gz);
    memset(gz + a, 0, 10);
    size_t b = gzip_member("after it\n", gz + a + 10, sizeof gz - a - 10);
    gl_stream *s = gl_stream_gzip(gl_stream_file(temp_file(gz, a + 10 + b)));
    ssize_t last;
    ck_assert_str_eq(read_all(s, &last), "before the padding\nafter it\n");
    ck_assert_int_eq(last, 0);
    gl_stream_close(s);
}
END_TEST

START_TEST(truncated_gzip_is_an_error_with_a_reason)
{
    unsigned char gz[512];
    size_t n = gzip_member("a line that will be cut short\n", gz, sizeof gz);
    gl_stream *s = gl_stream_gzip(gl_stream_file(temp_file(gz, n - 6)));
    ssize_t last;
    read_all(s, &last);
    ck_assert_int_eq(last, -1);
    ck_assert_str_eq(s->reason, "truncated_gzip");
    ck_assert_msg(strstr(s->err.message, "truncated gzip stream"), "%s", s->err.message);
    gl_stream_close(s);
}
END_TEST

START_TEST(corrupt_gzip_names_the_offset)
{
    unsigned char gz[512];
    size_t n = gzip_member("some text to be damaged in the middle\n", gz, sizeof gz);
    gz[12] ^= 0xFF;
    gz[13] ^= 0xFF;
    gl_stream *s = gl_stream_gzip(gl_stream_file(temp_file(gz, n)));
    ssize_t last;
    read_all(s, &last);
    ck_assert_int_eq(last, -1);
    ck_assert_msg(
        s->reason &&
            (strcmp(s->reason, "corrupt_gzip") == 0 || strcmp(s->reason, "truncated_gzip") == 0),
        "%s", s->reason);
    gl_stream_close(s);
}
END_TEST

START_TEST(limit_ends_early_as_truncated_member)
{
    gl_stream *s = gl_stream_limit(gl_stream_file(temp_file("0123456789", 10)), 20);
    ssize_t last;
    ck_assert_str_eq(read_all(s, &last), "0123456789");
    ck_assert_int_eq(last, -1);
    ck_assert_str_eq(s->reason, "truncated_member");
    gl_stream_close(s);
    s = gl_stream_limit(gl_stream_file(temp_file("0123456789", 10)), 4);
    ck_assert_str_eq(read_all(s, &last), "0123");
    ck_assert_int_eq(last, 0);
    ck_assert_uint_eq(gl_stream_limit_left(s), 0);
    gl_stream_close(s);
}
END_TEST

START_TEST(reader_lines_long_lines_and_the_last_line)
{
    const char *text = "one\ntoo long a line\n\nlast";
    gl_stream *s = gl_stream_file(temp_file(text, strlen(text)));
    gl_reader r;
    gl_reader_init(&r, s);
    const char *line;
    size_t len;
    int too_long;
    ck_assert_int_eq(gl_reader_line(&r, 8, &line, &len, &too_long), 1);
    ck_assert(len == 3 && memcmp(line, "one", 3) == 0 && !too_long);
    ck_assert_int_eq(gl_reader_line(&r, 8, &line, &len, &too_long), 1);
    ck_assert(too_long && len == 15);
    ck_assert_int_eq(gl_reader_line(&r, 8, &line, &len, &too_long), 1);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(gl_reader_line(&r, 8, &line, &len, &too_long), 1);
    ck_assert(len == 4 && memcmp(line, "last", 4) == 0);
    ck_assert_int_eq(gl_reader_line(&r, 8, &line, &len, &too_long), 0);
    gl_reader_free(&r);
    gl_stream_close(s);
}
END_TEST

START_TEST(reader_all_appends_or_says_too_long)
{
    const char *text = "an article of forty bytes, give or take.";
    gl_stream *s = gl_stream_file(temp_file(text, strlen(text)));
    gl_reader r;
    gl_reader_init(&r, s);
    gl_buf b = { 0 };
    gl_buf_adds(&b, "kept:");
    size_t len;
    int too_long;
    ck_assert_int_eq(gl_reader_all(&r, 1000, &b, &len, &too_long), 1);
    ck_assert(!too_long && len == strlen(text));
    ck_assert_str_eq(b.data, "kept:an article of forty bytes, give or take.");
    gl_reader_free(&r);
    gl_stream_close(s);
    s = gl_stream_file(temp_file(text, strlen(text)));
    gl_reader_init(&r, s);
    b.len = 5;
    ck_assert_int_eq(gl_reader_all(&r, 10, &b, &len, &too_long), 1);
    ck_assert(too_long && len == strlen(text));
    ck_assert_uint_eq(b.len, 5); /* nothing kept */
    gl_reader_free(&r);
    gl_stream_close(s);
    gl_buf_free(&b);
}
END_TEST

GALLEY_TEST_MAIN("streams", peek_then_read_gives_every_byte_once, gzip_members_are_one_stream,
                 zero_padding_between_members_is_skipped, truncated_gzip_is_an_error_with_a_reason,
                 corrupt_gzip_names_the_offset, limit_ends_early_as_truncated_member,
                 reader_lines_long_lines_and_the_last_line, reader_all_appends_or_says_too_long)
