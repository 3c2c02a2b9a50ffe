/* fuzz.h - what the fuzz targets share: the libFuzzer entry points, a
 * private folder for the files a target hands to code that reads paths,
 * and the invariant checks that turn a wrong result into a crash the
 * fuzzer (or the replay test) reports.
 *
 * Every target defines both entry points; the same source builds against
 * libFuzzer (make fuzz) and against replay.c (make check). */
#ifndef GALLEY_FUZZ_H
#define GALLEY_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <galley/galley.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the process with the message when `cond` is false: an invariant
 * was broken. abort() is what libFuzzer and the replay test both see as
 * a crash, with the input saved. */
#define FUZZ_CHECK(cond, ...) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__))
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

/* The target's own temporary folder, made on first use and removed with
 * everything in it at exit. */
const char *fuzz_dir(void);
/* Writes data[0..size) to the file `name` in fuzz_dir() (replacing it);
 * returns its full path (static storage, valid until the next call). */
const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size);

/* Strict UTF-8 (RFC 3629, no NUL), checked apart from libgalley's own
 * validator so that the two can disagree. */
int fuzz_utf8_ok(const char *s, size_t len);

/* A document as the output sees it: the text, id and source are valid
 * UTF-8; every span of every layer lies inside the text on character
 * boundaries; galley_doc_to_json gives one JSON object (checked with
 * jansson) whose text is the document's and whose layer offsets are
 * inside it. `what` names the caller in the message. */
void fuzz_check_doc(galley_doc *doc, const char *what);

/* The next byte of an input used to pick options, and 0 when it is used
 * up; *data and *size move past it. */
uint8_t fuzz_take_byte(const uint8_t **data, size_t *size);

#endif
