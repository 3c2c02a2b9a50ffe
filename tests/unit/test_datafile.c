/* test_datafile.c - unit tests of datafile.c: the reader of stage data files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "tap_check.h"

typedef struct lines_seen {
    char text[256];
    int refuse_at; /* refuse the entry with this text */
} lines_seen;

/* The entry callback of these tests: appends each entry to ctx's text with a |
 * after it and, when refuse_at is set, refuses the entry "refuse me" as a stage
 * refuses a bad line. Also checks that len is the entry's strlen. */
static int collect_line(void *ctx, char *line, size_t len, galley_error *err)
{
    lines_seen *ls = ctx;
    ck_assert_uint_eq(strlen(line), len);
    if (ls->refuse_at && strcmp(line, "refuse me") == 0)
        return galley_error_set(err, "a line the stage does not want");
    strcat(ls->text, line);
    strcat(ls->text, "|");
    return 0;
}

START_TEST(data_file_lines_comments_and_errors)
{
    char path[] = "/tmp/galley-data-XXXXXX";
    int fd = mkstemp(path);
    const char *content =
        "# a comment\n\n  # an indented comment\none\r\n  two\twith tab\n\t\nrefuse me\nlast";
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    galley_error err = { 0 };
    lines_seen ls = { "", 0 };
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &ls, &err), 0);
    ck_assert_str_eq(ls.text, "one|  two\twith tab|refuse me|last|");
    lines_seen refuse = { "", 1 };
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &refuse, &err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:7: a line the stage does not want", path);
    ck_assert_str_eq(err.message, want);
    unlink(path);
    ck_assert_int_eq(galley_read_data_file(path, "list", collect_line, &ls, &err), -1);
    snprintf(want, sizeof want, "%s: cannot read list: No such file or directory", path);
    ck_assert_str_eq(err.message, want);
}
END_TEST

GALLEY_TEST_MAIN("datafile", data_file_lines_comments_and_errors)
