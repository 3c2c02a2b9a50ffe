/* test_abi.c - the loader refuses modules built for another ABI or whose
 * names disagree, with the exact reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <galley/galley.h>
#include "tap_check.h"

/* Checks that the module `name` of BUILDDIR/modules is refused with exactly the
 * message want_fmt, whose two %s are that folder (with its slash) and the name. */
static void expect_refusal(const char *name, const char *want_fmt)
{
    galley_error err = { 0 };
    ck_assert_ptr_null(galley_stage_open(name, NULL, &err));
    char want[1024];
    snprintf(want, sizeof want, want_fmt, BUILDDIR "/modules/", name);
    ck_assert_str_eq(err.message, want);
}

START_TEST(other_major_is_refused)
{
    expect_refusal("oldabi",
                   "%s%s.la: stage \"oldabi\" was built for galley stage ABI 0.3, but this "
                   "galley has ABI 1.1; rebuild the module against this galley's headers");
}
END_TEST

START_TEST(newer_minor_is_refused)
{
    expect_refusal("newminor",
                   "%s%s.la: stage \"newminor\" needs galley stage ABI 1.2, newer than this "
                   "galley's 1.1; upgrade galley or rebuild the module against these headers");
}
END_TEST

START_TEST(name_mismatch_is_refused)
{
    expect_refusal("misnamed",
                   "%s%s.la: module \"misnamed\" describes itself as stage \"other\"; the "
                   "module file, its GALLEY_STAGE() name and the config's use must be the same");
}
END_TEST

START_TEST(unknown_stage_names_the_path)
{
    galley_error err = { 0 };
    ck_assert_ptr_null(galley_stage_open("nosuchstage", NULL, &err));
    ck_assert_msg(strstr(err.message, "unknown stage \"nosuchstage\"") &&
                      strstr(err.message, BUILDDIR "/modules"),
                  "%s", err.message);
}
END_TEST

START_TEST(abi_10_module_loads_without_the_11_tables)
{
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open("abi10", NULL, &err);
    ck_assert_msg(h != NULL, "%s", err.message);
    galley_stage_close(h);
}
END_TEST

int main(void)
{
    /* Searched first, before the build tree's stages. */
    setenv("GALLEY_PLUGIN_PATH", BUILDDIR "/modules", 1);
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("loader");
    tcase_add_test(tc, other_major_is_refused);
    tcase_add_test(tc, newer_minor_is_refused);
    tcase_add_test(tc, name_mismatch_is_refused);
    tcase_add_test(tc, unknown_stage_names_the_path);
    tcase_add_test(tc, abi_10_module_loads_without_the_11_tables);
    suite_add_tcase(s, tc);
    return galley_run_suite(s);
}
