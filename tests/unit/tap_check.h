/* tap_check.h - run a Check suite with TAP output for automake's driver.
 * Each START_TEST runs in its own process (Check's fork mode), so one
 * crash cannot hide the others. */
#ifndef GALLEY_TAP_CHECK_H
#define GALLEY_TAP_CHECK_H

#include <check.h>
#include <stdlib.h>

static inline int galley_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    /* Failures are reported by the TAP lines; the exit code says so too. */
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* The test list of one file, libuv-style: each test its own TCase, run
 * in its own process.
 *     GALLEY_TEST_MAIN("utf8", utf8_decode, utf8_repair)        */
#define GALLEY_TEST_MAIN(suite_name, ...)                                                          \
    int main(void)                                                                                 \
    {                                                                                              \
        const TTest *tests[] = { __VA_ARGS__ };                                                    \
        Suite *s = suite_create(suite_name);                                                       \
        for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {                                \
            TCase *tc = tcase_create(tests[i]->name);                                              \
            tcase_add_test(tc, tests[i]);                                                          \
            suite_add_tcase(s, tc);                                                                \
        }                                                                                          \
        return galley_run_suite(s);                                                                \
    }

#endif
