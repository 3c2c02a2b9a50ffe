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

#endif
