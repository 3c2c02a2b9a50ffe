/* galley/stage.h - the contract between the core and a stage module.
 *
 * A stage is one C file (or a few) built as a libtool module. It exports
 * exactly one symbol, its descriptor, through GALLEY_STAGE(name):
 *
 *     GALLEY_STAGE(wordcount) = {
 *         GALLEY_STAGE_HEADER,
 *         .name = "wordcount", .version = "1.0", .summary = "...",
 *         .options = wordcount_options,
 *         .options_size = sizeof(struct wordcount_options),
 *         .provides = (const char *const[]){"words", NULL},
 *         .concurrency = GALLEY_PARALLEL,
 *         .create = wc_create, .process = wc_process, .destroy = wc_destroy,
 *     };
 *
 * The name is the config's `use`, the module's file stem and its libltdl
 * `<name>_LTX_` prefix; the loader refuses a module where they differ.
 *
 * ABI policy: the loader accepts a module whose abi_major equals its own
 * and whose abi_minor is not newer. Minor versions only add fields at the
 * end of structs and add functions; anything else bumps the major. */
#ifndef GALLEY_STAGE_H
#define GALLEY_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include <galley/doc.h>
#include <galley/error.h>
#include <galley/value.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GALLEY_ABI_MAJOR 1
#define GALLEY_ABI_MINOR 1

/* ---- Options ---------------------------------------------------------- */

/* The type of an option decides the C type of its field in the stage's
 * options struct, which the core fills (by offset) from the config. */
typedef enum galley_option_type {
    GALLEY_OPT_BOOL = 1, /* int: 0 or 1 */
    GALLEY_OPT_INT,      /* int64_t, checked against [min, max] */
    GALLEY_OPT_REAL,     /* double, checked against [min, max] */
    GALLEY_OPT_STRING,   /* const char * (NULL when default is NULL) */
    GALLEY_OPT_ENUM,     /* int: index of the value in `choices` */
    GALLEY_OPT_LIST      /* galley_strlist: a list of strings */
} galley_option_type;

typedef struct galley_strlist {
    size_t n;
    const char *const *items;
} galley_strlist;

/* One row of a stage's option table; the table ends with a row whose name
 * is NULL. Defaults are written as they would be in a config: "true",
 * "5", "0.8", "nfc"; a LIST default is comma-separated ("" for empty). */
typedef struct galley_option {
    const char *name;
    galley_option_type type;
    size_t offset; /* offsetof(options struct, field) */
    const char *default_value;
    double min, max;            /* INT and REAL: checked when min <= max */
    const char *const *choices; /* ENUM: NULL-terminated allowed values */
    const char *help;           /* one line, shown by `galley stages NAME` */
} galley_option;

/* The offset of field f of struct st, which must have C type T: a field
 * of the wrong type is a compile error (a negative bit-field width), not
 * memory corruption at run time. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define GALLEY_FIELD(st, f, T)                                                                     \
    (offsetof(st, f) + 0 * sizeof(struct {                                                         \
                           int galley_field_has_wrong_type : _Generic(((st *)0)->f, T : 1, default \
                                                                      : -1);                       \
                       }))
#else
#define GALLEY_FIELD(st, f, T) offsetof(st, f)
#endif

/* Table rows where the option is named after its field. */
#define GALLEY_OPTION_BOOL(st, f, dflt, help)                                                      \
    {                                                                                              \
#f, GALLEY_OPT_BOOL, GALLEY_FIELD(st, f, int), dflt, 0, -1, NULL, help                     \
    }
#define GALLEY_OPTION_INT(st, f, dflt, lo, hi, help)                                               \
    {                                                                                              \
#f, GALLEY_OPT_INT, GALLEY_FIELD(st, f, int64_t), dflt, lo, hi, NULL, help                 \
    }
#define GALLEY_OPTION_REAL(st, f, dflt, lo, hi, help)                                              \
    {                                                                                              \
#f, GALLEY_OPT_REAL, GALLEY_FIELD(st, f, double), dflt, lo, hi, NULL, help                 \
    }
#define GALLEY_OPTION_STRING(st, f, dflt, help)                                                    \
    {                                                                                              \
#f, GALLEY_OPT_STRING, GALLEY_FIELD(st, f, const char *), dflt, 0, -1, NULL, help          \
    }
#define GALLEY_OPTION_ENUM(st, f, dflt, choices, help)                                             \
    {                                                                                              \
#f, GALLEY_OPT_ENUM, GALLEY_FIELD(st, f, int), dflt, 0, -1, choices, help                  \
    }
#define GALLEY_OPTION_LIST(st, f, dflt, help)                                                      \
    {                                                                                              \
#f, GALLEY_OPT_LIST, GALLEY_FIELD(st, f, galley_strlist), dflt, 0, -1, NULL, help          \
    }
#define GALLEY_OPTION_END                                                                          \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0, NULL, NULL                                                         \
    }

/* ---- What a stage is given -------------------------------------------- */

typedef struct galley_stage_env {
    uint32_t struct_size;
    const char *name;       /* instance name (the config's `name`, or use) */
    const char *data_dir;   /* the stage's data folder (its shipped lists) */
    const char *config_dir; /* folder of the config: base of relative paths */
    unsigned worker;        /* 0-based worker index of this instance */
    unsigned nworkers;
    /* ABI 1.1 (read only when struct_size covers them): the run's share
     * of its input, galley run --shard SHARD/NSHARDS; 0 and 1 when the
     * run is not sharded. */
    unsigned shard;
    unsigned nshards;
} galley_stage_env;

typedef enum galley_concurrency {
    /* One instance per worker thread; each document on its own. */
    GALLEY_PARALLEL = 0,
    /* One instance that sees every document in input order (after its
     * optional `prepare`, which runs in the workers). */
    GALLEY_ORDERED
} galley_concurrency;

enum {
    /* The stage replaces the text (galley_doc_set_text); it must run
     * before every stage that annotates. */
    GALLEY_STAGE_REWRITES_TEXT = 1 << 0
};

/* ---- Layer fields and stage commands (ABI 1.1) ------------------------- */

/* One field that the elements of a provided layer carry, besides start,
 * end and text: the single place a layer's reader learns what to expect.
 * `galley stages NAME` and docs/stages.md print these rows, and the tests
 * compare them with real output. The table ends with a row whose layer is
 * NULL. */
typedef struct galley_layer_field {
    const char *layer; /* one of the stage's `provides` */
    const char *name;  /* "type", "speaker_start" */
    galley_type type;  /* GALLEY_OFFSET for offsets into the text */
    int nullable;      /* may be null (e.g. no speaker found) */
    const char *help;  /* one line */
} galley_layer_field;

#define GALLEY_LAYER_FIELD_END                                                                     \
    {                                                                                              \
        NULL, NULL, 0, 0, NULL                                                                     \
    }

/* Exit statuses of the galley command, and of stage commands. */
typedef enum galley_exit {
    GALLEY_EXIT_OK = 0,       /* done */
    GALLEY_EXIT_REJECTED = 1, /* done, but some input was rejected */
    GALLEY_EXIT_USAGE = 2,    /* usage, configuration or model error */
    GALLEY_EXIT_FAILED = 3    /* the run could not complete */
} galley_exit;

/* A command the stage adds to the command line, run as
 * `galley STAGE COMMAND ARGS...` (`galley entities train ...`,
 * `galley dedup merge ...`). Unlike the callbacks below, a command is a
 * program of its own: it parses `argv` (argv[0] is the command's name),
 * may print to stdout and stderr, and returns a galley_exit. `env`
 * gives the stage's data folder; worker 0 of 1. The table ends with a
 * row whose name is NULL. */
typedef struct galley_stage_command {
    const char *name;
    const char *usage;   /* "--train FILE --dev FILE -o MODEL" */
    const char *summary; /* one line */
    int (*run)(int argc, char **argv, const galley_stage_env *env);
} galley_stage_command;

#define GALLEY_STAGE_COMMAND_END                                                                   \
    {                                                                                              \
        NULL, NULL, NULL, NULL                                                                     \
    }

/* ---- The descriptor --------------------------------------------------- */

typedef struct galley_stage_info {
    /* Never move these three: the loader reads them before anything else. */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;

    const char *name;
    const char *version;
    const char *summary;

    const galley_option *options; /* NULL or ends with GALLEY_OPTION_END */
    size_t options_size;          /* sizeof the options struct */

    const char *const *requires; /* layers needed, NULL-terminated */
    const char *const *provides; /* layers added, NULL-terminated */
    unsigned flags;              /* GALLEY_STAGE_* */
    galley_concurrency concurrency;

    /* Makes an instance from validated options (a filled struct of
     * options_size bytes that lives as long as the instance). Returns the
     * instance (never NULL on success; return a dummy pointer if there is
     * no state) or NULL with `err` set. */
    void *(*create)(const void *options, const galley_stage_env *env, galley_error *err);
    /* ORDERED stages only, optional: work that does not depend on other
     * documents (signatures, hashes), run in the worker threads before
     * `process`. Must only read `self`. Results go to the document's
     * scratch (galley_doc_set_scratch with `self` as key). */
    int (*prepare)(const void *self, galley_doc *doc, galley_error *err);
    /* Processes one document. Returns 0, or -1 with `err` set: the
     * document is then rejected as "stage_error" and the run goes on. A
     * stage drops or rejects a document by setting its status and
     * returning 0. */
    int (*process)(void *self, galley_doc *doc, galley_error *err);
    /* Optional, at the end of the stream: flush state, and add figures to
     * `report` (printed in the run's account and written by --stats). */
    int (*finish)(void *self, galley_object *report, galley_error *err);
    /* Releases the instance. */
    void (*destroy)(void *self);

    /* ABI 1.1: the fields of the provided layers' elements, and the
     * stage's commands (both may be NULL). The core reads them only from
     * a descriptor whose struct_size covers them. */
    const galley_layer_field *fields;
    const galley_stage_command *commands;
    /* ABI 1.1, optional: makes the stage's persistent state (an index on
     * disk) durable. Called after `finish`, and only when the run's
     * output was written completely and the run was not interrupted, so
     * that state never records documents the output lost: a retry after
     * a failure then gives what a clean first run gives. The embed API's
     * galley_stage_finish calls it right after finish. Returns 0, or -1
     * with `err` set (the run then fails). */
    int (*commit)(void *self, galley_error *err);
} galley_stage_info;

#define GALLEY_STAGE_HEADER                                                                        \
    .abi_major = GALLEY_ABI_MAJOR, .abi_minor = GALLEY_ABI_MINOR,                                  \
    .struct_size = sizeof(galley_stage_info)

/* The exported descriptor, under the name libltdl looks up first for
 * module `name` (and that static preloading keeps apart). */
#define GALLEY_STAGE_SYMBOL "galley_stage"
#define GALLEY_STAGE(name)                                                                         \
    extern const galley_stage_info name##_LTX_galley_stage;                                        \
    const galley_stage_info name##_LTX_galley_stage

#ifdef __cplusplus
}
#endif
#endif
