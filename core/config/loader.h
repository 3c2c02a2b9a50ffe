/* loader.h - finding and loading stage modules through libltdl. Main
 * thread only (libltdl is not thread-safe): everything is loaded before
 * any worker starts. */
#ifndef GALLEY_LOADER_H
#define GALLEY_LOADER_H

#include "sdk/private.h"

typedef struct gl_module {
    char *name;
    char *path;     /* the file that was loaded, or "(preloaded)" */
    char *data_dir; /* the stage's data folder */
    const galley_stage_info *info;
    void *handle; /* lt_dlhandle */
} gl_module;

/* A static galley (built with --enable-static-stages) calls this before
 * anything else: its preloaded stages are then found first. */
void gl_loader_use_preloaded(void);

/* Initializes libltdl once. */
int gl_loader_init(galley_error *err);
/* Adds a folder to search first (config plugin_path), in order. */
void gl_loader_add_dir(const char *dir);
/* Loads (once) and checks the module for stage `name`: a built-in stage
 * wins over a same-named module on the plugin path. */
const gl_module *gl_loader_load(const char *name, galley_error *err);
/* The same, but with `replace_builtin` the plugin path's module wins
 * (the config said replaces_builtin = true). */
const gl_module *gl_loader_load_from(const char *name, int replace_builtin, galley_error *err);
/* Checks a descriptor against this core's ABI and the expected name. */
int gl_loader_check_info(const galley_stage_info *info, const char *name, const char *path,
                         galley_error *err);
/* The descriptor's ABI 1.1 tables, or NULL for a module built against
 * 1.0 (whose descriptor ends before them) or one that has none. */
const galley_layer_field *gl_stage_fields(const galley_stage_info *info);
const galley_stage_command *gl_stage_commands(const galley_stage_info *info);
/* The descriptor's commit callback, or NULL (none, or a 1.0 module). */
int (*gl_stage_commit_fn(const galley_stage_info *info))(void *, galley_error *);
/* The command `name` of a stage, or NULL. */
const galley_stage_command *gl_stage_command(const galley_stage_info *info, const char *name);

/* Names of all stages found on the search path, sorted, NULL-terminated;
 * free with gl_loader_free_names. */
char **gl_loader_available(void);
void gl_loader_free_names(char **names);
/* The folders searched, in order, NULL-terminated (static storage). */
const char *const *gl_loader_search_path(void);
/* Unloads everything (at exit). */
void gl_loader_shutdown(void);

#endif
