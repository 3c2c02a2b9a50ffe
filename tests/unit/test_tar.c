/* test_tar.c - unit tests of io/tar.c: header kinds, numbers, names,
 * checksums, pax paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "io/tar.h"
#include "tap_check.h"

/* Writes the right checksum into header h. */
static void set_checksum(unsigned char *h)
{
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < GL_TAR_BLOCK; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

/* A ustar header for `name` of `size` bytes and type `type`, with a
 * right checksum. */
static void make_header(unsigned char *h, const char *name, unsigned long size, char type)
{
    memset(h, 0, GL_TAR_BLOCK);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 124, 12, "%011lo", size);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    set_checksum(h);
}

START_TEST(kinds_sizes_and_names)
{
    unsigned char h[GL_TAR_BLOCK];
    gl_tar_header t;
    make_header(h, "news/a.jsonl", 1000, '0');
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_FILE);
    ck_assert_uint_eq(t.size, 1000);
    ck_assert_uint_eq(t.padded, 1024);
    ck_assert_str_eq(t.name, "news/a.jsonl");
    make_header(h, "news/", 0, '5');
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_OTHER);
    make_header(h, "././@LongLink", 300, 'L');
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_LONG_NAME);
    make_header(h, "PaxHeader", 30, 'x');
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_PAX);
    memset(h, 0, sizeof h);
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_END);
}
END_TEST

START_TEST(prefix_joins_the_name)
{
    unsigned char h[GL_TAR_BLOCK];
    make_header(h, "file.txt", 1, '0');
    memcpy(h + 345, "a/long/prefix", 13);
    set_checksum(h);
    gl_tar_header t;
    gl_tar_parse(h, &t);
    ck_assert_str_eq(t.name, "a/long/prefix/file.txt");
}
END_TEST

START_TEST(bad_checksum_and_bad_size_are_corrupt)
{
    unsigned char h[GL_TAR_BLOCK];
    gl_tar_header t;
    make_header(h, "a.txt", 10, '0');
    h[0] = 'b';
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_CORRUPT);
    ck_assert_str_eq(t.why, "bad checksum");
    make_header(h, "a.txt", 10, '0');
    memcpy(h + 124, "0000000x012", 11);
    set_checksum(h);
    gl_tar_parse(h, &t);
    ck_assert_int_eq(t.kind, GL_TAR_CORRUPT);
    ck_assert_str_eq(t.why, "bad size");
}
END_TEST

START_TEST(pax_path_records)
{
    const char rec[] = "20 mtime=1700000000\n23 path=some/long/name\n";
    char *p = gl_tar_pax_path(rec, sizeof rec - 1);
    ck_assert_str_eq(p, "some/long/name");
    free(p);
    ck_assert_ptr_null(gl_tar_pax_path("20 mtime=1700000000\n", 20));
    ck_assert_ptr_null(gl_tar_pax_path("99 path=x\n", 10)); /* longer than the data */
    ck_assert_ptr_null(gl_tar_pax_path("12345678", 8));     /* digits to the end */
}
END_TEST

GALLEY_TEST_MAIN("tar", kinds_sizes_and_names, prefix_joins_the_name,
                 bad_checksum_and_bad_size_are_corrupt, pax_path_records)
