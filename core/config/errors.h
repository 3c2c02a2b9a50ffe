/* errors.h - a list of error messages, for the operations that report
 * every mistake at once (loading a pipeline) rather than the first.
 *
 * galley has two error shapes, and only two:
 *  - galley_error (include/galley/error.h): one message, filled by the
 *    operation that failed; stage callbacks, the embed API, streams and
 *    parsers use it;
 *  - gl_errors: a list of complete messages ("file:line: ..."), filled by
 *    config loading so the user sees every mistake in one run.
 * Bad input is not an error of either kind: it is a document rejected
 * with a reason token and a message, counted in the account. */
#ifndef GALLEY_ERRORS_H
#define GALLEY_ERRORS_H

#include <stdio.h>
#include "sdk/private.h"

typedef struct gl_errors {
    char **msgs;
    size_t n;
} gl_errors;

/* Appends one complete message. */
void gl_errors_add(gl_errors *e, const char *fmt, ...) GALLEY_PRINTF(2, 3);
/* Prints each message as "galley: MESSAGE". */
void gl_errors_print(const gl_errors *e, FILE *out);
void gl_errors_free(gl_errors *e);

#endif
