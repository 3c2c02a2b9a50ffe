/* embed.c - one stage on one document, without the runner: what a
 * stage's unit tests and embedding programs use. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "io/json_write.h"
#include "config/loader.h"
#include "config/options.h"

struct galley_stage_handle {
    const gl_module *module;
    galley_arena *arena;      /* options and their strings */
    void *options;
    void *self;
};

galley_stage_handle *galley_stage_open(const char *name,
                                       const char *const *settings,
                                       galley_error *err)
{
    const gl_module *m = gl_loader_load(name, err);
    if (!m)
        return NULL;
    galley_stage_handle *h = gl_xcalloc(1, sizeof *h);
    h->module = m;
    h->arena = galley_arena_new(0);
    const galley_stage_info *info = m->info;
    h->options = galley_arena_calloc(h->arena, 1, info->options_size ? info->options_size : 1);
    if (gl_options_defaults(info->options, h->options, h->arena, err) < 0)
        goto fail;
    for (size_t i = 0; settings && settings[i]; i++) {
        const char *eq = strchr(settings[i], '=');
        if (!eq) {
            galley_error_set(err, "setting \"%s\": expected option=value", settings[i]);
            goto fail;
        }
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(eq - settings[i]), settings[i]);
        const galley_option *opt = gl_options_find(info->options, key);
        if (!opt) {
            gl_options_unknown(info->options, key, "option", err);
            goto fail;
        }
        if (gl_options_set_text(opt, h->options, eq + 1, h->arena, err) < 0)
            goto fail;
    }
    galley_stage_env env = {
        .struct_size = sizeof env, .name = name, .data_dir = m->data_dir,
        .config_dir = ".", .worker = 0, .nworkers = 1,
    };
    h->self = info->create(h->options, &env, err);
    if (!h->self) {
        if (err && !err->set)
            galley_error_set(err, "stage \"%s\" could not be created", name);
        goto fail;
    }
    return h;
fail:
    galley_arena_free(h->arena);
    free(h);
    return NULL;
}

int galley_stage_prepare(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    const galley_stage_info *info = h->module->info;
    return info->prepare ? info->prepare(h->self, doc, err) : 0;
}

int galley_stage_process(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    return h->module->info->process(h->self, doc, err);
}

int galley_stage_run(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    if (galley_stage_prepare(h, doc, err) != 0)
        return -1;
    return galley_stage_process(h, doc, err);
}

int galley_stage_finish(galley_stage_handle *h, galley_object *report,
                        galley_error *err)
{
    const galley_stage_info *info = h->module->info;
    if (!info->finish)
        return 0;
    galley_arena *a = NULL;
    if (!report) {
        a = galley_arena_new(0);
        report = galley_object_new(a);
    }
    int rc = info->finish(h->self, report, err);
    galley_arena_free(a);
    return rc;
}

const galley_stage_info *galley_stage_descriptor(const galley_stage_handle *h)
{
    return h->module->info;
}

void galley_stage_close(galley_stage_handle *h)
{
    if (!h)
        return;
    h->module->info->destroy(h->self);
    galley_arena_free(h->arena);
    free(h);
}

char *galley_doc_to_json(galley_doc *doc)
{
    gl_buf b = { 0 };
    gl_json_doc(&b, doc, 0, 1);
    if (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    return b.data;
}
