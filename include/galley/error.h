/* galley/error.h - the error object every callback reports failure through.
 *
 * Callbacks never print or exit: they fill a galley_error and return a
 * failure code; the core adds the stage name, the document id and, for
 * config errors, the file and line. */
#ifndef GALLEY_ERROR_H
#define GALLEY_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define GALLEY_ERROR_MAX 1024

typedef struct galley_error {
    int set;                        /* non-zero once a message is set */
    char message[GALLEY_ERROR_MAX]; /* one line, no trailing newline */
} galley_error;

#if defined(__GNUC__)
#define GALLEY_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GALLEY_PRINTF(f, a)
#endif

/* Sets the message (printf-style). Returns -1 so that callers can write
 * `return galley_error_set(err, "...")`. `err` may be NULL. */
int galley_error_set(galley_error *err, const char *fmt, ...) GALLEY_PRINTF(2, 3);

/* Clears the error. */
void galley_error_clear(galley_error *err);

#ifdef __cplusplus
}
#endif
#endif
