/* view.h - `galley view`: JSONL files of galley's output as one
 * self-contained HTML page (entities highlighted by type, quotes with
 * their speaker and cue, a who-said-what table per article, a corpus
 * summary, paging and search), readable with no network. */
#ifndef GALLEY_VIEW_H
#define GALLEY_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <galley/error.h>

typedef struct gl_view_opts {
    const char *const *inputs; /* JSONL files (gzip too); "-": standard input */
    size_t ninputs;
    const char *output; /* the page; NULL or "-": standard output */
    int byte_offsets;   /* written with output.offsets = "bytes" */
    int top;            /* rows of the summary's name tables (0: 100) */
} gl_view_opts;

/* What went into the page, for the caller's message. */
typedef struct gl_view_counts {
    uint64_t articles;   /* lines that became articles */
    uint64_t unreadable; /* lines that were not a JSON object */
    uint64_t bad_spans;  /* spans whose offsets do not fit their text */
} gl_view_counts;

/* Writes the page for the inputs, read one after the other, streaming
 * (memory does not grow with the input beyond the summary's name tables).
 * Returns GALLEY_EXIT_OK; GALLEY_EXIT_REJECTED when some lines were
 * unreadable (skipped, counted on the page and in `counts`);
 * GALLEY_EXIT_USAGE when an input cannot be opened (nothing is written);
 * GALLEY_EXIT_FAILED when an input cannot be read to its end or the page
 * cannot be written. The message is in `err` for the last two. */
int gl_view(const gl_view_opts *o, gl_view_counts *counts, galley_error *err);

#endif
