/* stage_conf.c - configured stages and their instances. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "config/options.h"
#include "config/stage_conf.h"

int gl_stage_conf_init(gl_stage_conf *st, const gl_module *m, const char *name, galley_arena *a,
                       galley_error *err)
{
    const galley_stage_info *info = m->info;
    st->module = m;
    st->use = galley_arena_strdup(a, m->name);
    st->name = galley_arena_strdup(a, name ? name : m->name);
    if (!st->file)
        st->file = "";
    st->options = galley_arena_calloc(a, 1, info->options_size ? info->options_size : 1);
    return gl_options_defaults(info->options, st->options, a, err);
}

/* The option row `key` of the stage, or NULL with a did-you-mean in err. */
static const galley_option *find_option(const gl_stage_conf *st, const char *key, galley_error *err)
{
    const galley_option *table = st->module->info->options;
    const galley_option *opt = gl_options_find(table, key);
    if (!opt)
        gl_options_unknown(table, NULL, key, "option", err);
    return opt;
}

int gl_stage_conf_set_text(gl_stage_conf *st, const char *key, const char *value, galley_arena *a,
                           galley_error *err)
{
    const galley_option *opt = find_option(st, key, err);
    return opt ? gl_options_set_text(opt, st->options, value, a, err) : -1;
}

int gl_stage_conf_set_setting(gl_stage_conf *st, const config_setting_t *s, galley_arena *a,
                              galley_error *err)
{
    const galley_option *opt = find_option(st, config_setting_name(s), err);
    return opt ? gl_options_set_setting(opt, st->options, s, a, err) : -1;
}

void *gl_stage_conf_create(const gl_stage_conf *st, const char *config_dir, unsigned worker,
                           unsigned nworkers, unsigned shard, unsigned nshards, galley_error *err)
{
    galley_stage_env env = {
        .struct_size = sizeof env,
        .name = st->name,
        .data_dir = st->module->data_dir,
        .config_dir = config_dir,
        .worker = worker,
        .nworkers = nworkers,
        .shard = shard,
        .nshards = nshards ? nshards : 1,
    };
    galley_error e = { 0 };
    void *self = st->module->info->create(st->options, &env, &e);
    if (self)
        return self;
    if (st->file[0])
        galley_error_set(err, "%s:%d: stage \"%s\": %s", st->file, st->line, st->name,
                         e.set ? e.message : "could not be created");
    else if (e.set)
        galley_error_set(err, "%s", e.message);
    else
        galley_error_set(err, "stage \"%s\" could not be created", st->name);
    return NULL;
}
