/* test_options.c - unit tests of config/options.c: option tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <galley/galley.h>
#include "config/options.h"
#include "tap_check.h"

struct opts {
    int flag;
    int64_t count;
    double threshold;
    const char *name;
    int mode;
    galley_strlist files;
};
static const char *const modes[] = { "mark", "drop", NULL };
static const galley_option table[] = {
    GALLEY_OPTION_BOOL(struct opts, flag, "true", "a flag"),
    GALLEY_OPTION_INT(struct opts, count, "5", 1, 10, "a count"),
    GALLEY_OPTION_REAL(struct opts, threshold, "0.8", 0, 1, "a threshold"),
    GALLEY_OPTION_STRING(struct opts, name, NULL, "a name"),
    GALLEY_OPTION_ENUM(struct opts, mode, "mark", modes, "a mode"),
    GALLEY_OPTION_LIST(struct opts, files, "a.txt,b.txt", "files"),
    GALLEY_OPTION_END
};

START_TEST(options_defaults_types_ranges)
{
    galley_arena *a = galley_arena_new(0);
    struct opts o;
    galley_error err = { 0 };
    ck_assert_int_eq(gl_options_defaults(table, &o, a, &err), 0);
    ck_assert_int_eq(o.flag, 1);
    ck_assert_int_eq(o.count, 5);
    ck_assert(o.threshold == 0.8);
    ck_assert_ptr_null(o.name);
    ck_assert_int_eq(o.mode, 0);
    ck_assert_uint_eq(o.files.n, 2);
    ck_assert_str_eq(o.files.items[1], "b.txt");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "mode"), &o, "drop", a, &err), 0);
    ck_assert_int_eq(o.mode, 1);
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "count"), &o, "11", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"count\" must be between 1 and 10, got 11");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "threshold"), &o, "high", a, &err),
                     -1);
    ck_assert_str_eq(err.message, "option \"threshold\" must be a number, got \"high\"");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "flag"), &o, "maybe", a, &err), -1);
    ck_assert_str_eq(err.message, "option \"flag\" must be true or false, got \"maybe\"");
    ck_assert_int_eq(gl_options_set_text(gl_options_find(table, "mode"), &o, "drpo", a, &err), -1);
    ck_assert_str_eq(err.message,
                     "option \"mode\": unknown value \"drpo\" (did you mean \"drop\"?)");
    gl_options_unknown(table, NULL, "treshold", "option", &err);
    ck_assert_str_eq(err.message, "unknown option \"treshold\" (did you mean \"threshold\"?)");
    gl_options_unknown(table, NULL, "zzzzzz", "option", &err);
    ck_assert_str_eq(
        err.message,
        "unknown option \"zzzzzz\" (known: flag, count, threshold, name, mode, files)");
    galley_arena_free(a);
}
END_TEST

GALLEY_TEST_MAIN("options", options_defaults_types_ranges)
