/* pipeline.h - a pipeline as read from its config file: the top-level
 * settings, the input and output sections and the stages, each validated
 * by an option table. */
#ifndef GALLEY_PIPELINE_H
#define GALLEY_PIPELINE_H

#include <stdio.h>
#include "config/errors.h"
#include "config/stage_conf.h"
#include "io/readers.h"
#include "io/writers.h"
#include "sdk/private.h"

/* The top-level settings, filled from gl_top_table. */
typedef struct gl_top_opts {
    const char *name;
    int64_t threads; /* 0: all cores */
    galley_strlist plugin_path;
} gl_top_opts;

extern const galley_option gl_top_table[];

typedef struct gl_pipeline {
    galley_arena *arena; /* owns every string and options struct */
    const char *file;
    const char *config_dir;
    gl_top_opts top;
    gl_input_opts input;
    gl_output_opts output;
    gl_stage_conf *stages;
    size_t nstages;
} gl_pipeline;

/* Reads and validates a pipeline: the config file, every stage module
 * and its options, the overrides ("stage.option=value", "threads=N",
 * "output.path=..."), and the order of layers. Collects every error it
 * finds; returns NULL when there was any. */
gl_pipeline *gl_pipeline_load(const char *path, const char *const *overrides, size_t noverrides,
                              gl_errors *errs);
void gl_pipeline_free(gl_pipeline *p);

/* Prints the resolved pipeline (`galley check`): every setting in force,
 * the output options of the chosen format only. */
void gl_pipeline_print(const gl_pipeline *p, FILE *out);
/* Prints the reference of the top-level, input and output settings
 * (`galley settings`), as text or Markdown. */
void gl_pipeline_print_reference(FILE *out, int markdown);

#endif
