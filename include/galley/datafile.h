/* galley/datafile.h - reading a stage's data files: one entry a line,
 * blank lines and lines that start with '#' skipped, valid UTF-8 only.
 * Errors name the file and the line. */
#ifndef GALLEY_DATAFILE_H
#define GALLEY_DATAFILE_H

#include <stddef.h>
#include <galley/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called with each entry line: NUL-terminated, without its line end
 * (\n or \r\n), and the callback's to change (split at a tab, say). It
 * returns 0, or -1 with `err` set to what is wrong with the line (no
 * location: the reader adds "FILE:LINE: "). */
typedef int (*galley_line_fn)(void *ctx, char *line, size_t len, galley_error *err);

/* Reads the file at `path` and calls `fn` on each entry line. Returns 0,
 * or -1 with `err` set: the file cannot be read ("PATH: cannot read
 * WHAT: reason", with `what` such as "dictionary"), a line is not valid
 * UTF-8, or `fn` refused a line. */
int galley_read_data_file(const char *path, const char *what, galley_line_fn fn, void *ctx,
                          galley_error *err);

#ifdef __cplusplus
}
#endif
#endif
