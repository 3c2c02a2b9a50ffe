/* account.h - the run's account: every document read ends up written,
 * dropped (by reason) or rejected (by reason), and the figures add up. */
#ifndef GALLEY_ACCOUNT_H
#define GALLEY_ACCOUNT_H

#include <stdio.h>
#include "sdk/private.h"

#define GL_MAX_REASONS 32

typedef struct gl_reason_count {
    char reason[48];
    uint64_t count;
} gl_reason_count;

typedef struct gl_account {
    uint64_t read, written, dropped, rejected;
    /* Documents the run made but that did not reach the output: the run
     * was interrupted or the output failed, and its files were removed. */
    uint64_t unwritten;
    const char *unwritten_reason; /* "interrupted", "output_failed" */
    int interrupted;              /* the signal that stopped the run */
    uint64_t input_bytes;         /* bytes read from the input files */
    uint64_t text_bytes;          /* bytes of article text read */
    uint64_t repaired;            /* invalid UTF-8 sequences replaced */
    gl_reason_count drops[GL_MAX_REASONS];
    gl_reason_count rejects[GL_MAX_REASONS];
    size_t ndrops, nrejects;
    double seconds;
    double cpu_seconds;      /* user + system, every thread */
    double main_cpu_seconds; /* the main thread's, while documents flow: the serial part */
} gl_account;

void gl_account_drop(gl_account *a, const char *reason, uint64_t n);
void gl_account_reject(gl_account *a, const char *reason, uint64_t n);
/* Adds b's figures to a. */
void gl_account_merge(gl_account *a, const gl_account *b);
/* read == written + dropped + rejected + unwritten */
int gl_account_balanced(const gl_account *a);

/* The account for people (stderr) and as JSON (--stats), with each
 * stage's report (an object keyed by stage name, or NULL). */
void gl_account_print(const gl_account *a, FILE *out, const galley_object *reports);
void gl_account_json(const gl_account *a, gl_buf *b, const galley_object *reports);

#endif
