/* stage_conf.h - a configured stage: its module and a filled options
 * struct, and the one way the core turns it into a running instance.
 * Pipeline loading, the embed API and the runner all build stages here. */
#ifndef GALLEY_STAGE_CONF_H
#define GALLEY_STAGE_CONF_H

#include <libconfig.h>
#include "config/loader.h"
#include "sdk/private.h"

typedef struct gl_stage_conf {
    const char *use;  /* module name */
    const char *name; /* instance name (defaults to use) */
    const char *file; /* where it is configured ("" for none) */
    int line;
    const gl_module *module;
    void *options; /* filled options struct */
} gl_stage_conf;

/* Sets up `st` for module `m` with every option at its default; strings
 * and the options struct live in `a`. `name` NULL means `m`'s name. */
int gl_stage_conf_init(gl_stage_conf *st, const gl_module *m, const char *name, galley_arena *a,
                       galley_error *err);
/* Sets one option from text ("0.9", "a,b", "true"): a --set override or
 * an embed setting. Unknown options get a did-you-mean. */
int gl_stage_conf_set_text(gl_stage_conf *st, const char *key, const char *value, galley_arena *a,
                           galley_error *err);
/* Sets one option from a config setting (type-checked). */
int gl_stage_conf_set_setting(gl_stage_conf *st, const config_setting_t *s, galley_arena *a,
                              galley_error *err);
/* Creates worker `worker`'s instance (of `nworkers`), for input share
 * `shard` of `nshards` (0 of 1: not sharded). On failure the
 * message is the stage's, after "FILE:LINE: stage "NAME": " when the
 * stage was configured from a file. */
void *gl_stage_conf_create(const gl_stage_conf *st, const char *config_dir, unsigned worker,
                           unsigned nworkers, unsigned shard, unsigned nshards, galley_error *err);

#endif
