/* pipeline.h - a pipeline as read from its config file: the run settings,
 * input and output sections (validated by option tables like any stage),
 * and the list of stages with their validated options. */
#ifndef GALLEY_PIPELINE_H
#define GALLEY_PIPELINE_H

#include "config/loader.h"
#include "io/readers.h"
#include "io/writers.h"
#include "sdk/private.h"

typedef struct gl_stage_conf {
    const char *use;          /* module name */
    const char *name;         /* instance name (defaults to use) */
    const char *file;         /* where it is configured */
    int line;
    const gl_module *module;
    void *options;            /* filled options struct */
} gl_stage_conf;

typedef struct gl_pipeline {
    galley_arena *arena;      /* owns every string and options struct */
    const char *file;
    const char *config_dir;
    const char *name;
    int64_t threads;
    gl_input_opts input;
    gl_output_opts output;
    gl_stage_conf *stages;
    size_t nstages;
} gl_pipeline;

/* A list of error messages, each complete ("file:line: ..."). */
typedef struct gl_errors {
    char **msgs;
    size_t n;
} gl_errors;

void gl_errors_add(gl_errors *e, const char *fmt, ...) GALLEY_PRINTF(2, 3);
void gl_errors_print(const gl_errors *e, FILE *out);
void gl_errors_free(gl_errors *e);

/* Reads and validates a pipeline: the config file, every stage module
 * and its options, the overrides ("stage.option=value", "threads=N",
 * "output.path=..."), and the order of layers. Collects every error it
 * finds; returns NULL when there was any. */
gl_pipeline *gl_pipeline_load(const char *path, const char *const *overrides,
                              size_t noverrides, gl_errors *errs);
void gl_pipeline_free(gl_pipeline *p);

/* Prints the resolved pipeline (`galley check`). */
void gl_pipeline_print(const gl_pipeline *p, FILE *out);

#endif
