/* pipeline.h - a pipeline as read from its config file: the run settings,
 * input and output sections (validated by option tables like any stage),
 * and the list of stages with their validated options. */
#ifndef GALLEY_PIPELINE_H
#define GALLEY_PIPELINE_H

#include "loader.h"
#include "private.h"

enum gl_input_format { GL_IN_AUTO = 0, GL_IN_JSONL, GL_IN_TEXT };
enum gl_output_format { GL_OUT_JSONL = 0, GL_OUT_CONLL, GL_OUT_CSV };
enum gl_offsets { GL_OFFSETS_CODEPOINTS = 0, GL_OFFSETS_BYTES };

typedef struct gl_input_opts {
    int format;
    const char *text_field;
    const char *id_field;
    int title_line;           /* text files: first line is the title */
    int64_t max_doc_bytes;    /* a longer line or file is rejected */
} gl_input_opts;

typedef struct gl_output_opts {
    int format;
    const char *path;
    int offsets;
    int64_t shard_size;
    const char *layer;        /* csv: the layer that makes the rows */
    galley_strlist conll_map; /* TYPE=TAG, e.g. NORP=MISC, DATE=O */
    int text;                 /* write the text field */
    galley_strlist columns;   /* csv: the columns */
} gl_output_opts;

extern const galley_option gl_input_table[];
extern const galley_option gl_output_table[];

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
/* A pipeline of the given stages with default options and no file, for
 * the embed API. */
void gl_pipeline_free(gl_pipeline *p);

/* Prints the resolved pipeline (`galley check`). */
void gl_pipeline_print(const gl_pipeline *p, FILE *out);

#endif
