/* writers.h - the output formats (JSONL, CoNLL, CSV), each with its own
 * option table. */
#ifndef GALLEY_WRITERS_H
#define GALLEY_WRITERS_H

#include "sdk/private.h"

enum gl_output_format { GL_OUT_JSONL = 0, GL_OUT_CONLL, GL_OUT_CSV };
enum gl_offsets { GL_OFFSETS_CODEPOINTS = 0, GL_OFFSETS_BYTES };

/* The config's output section, filled from gl_output_table. */
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

/* The output section's option tables: the one every format has, then
 * each format's own (NULL-terminated); see gl_input_tables. */
extern const galley_option gl_output_table[];
extern const galley_option *const gl_output_tables[];
int gl_output_table_applies(const galley_option *table, int format);

/* Appends one document in the configured format to b. Pure: safe to call
 * from worker threads. */
void gl_format_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b);

/* CSV columns that every row has, besides its span's fields. */
extern const char *const gl_csv_document_columns[];

/* The bytes a format writes once at the start of each output file (the
 * CSV header), or nothing. */
void gl_format_header(const gl_output_opts *o, gl_buf *b);

#endif
