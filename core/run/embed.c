/* embed.c - one stage on one document, without the runner: what a
 * stage's unit tests and embedding programs use. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "config/stage_conf.h"
#include "io/json_write.h"

struct galley_stage_handle {
    gl_stage_conf conf;
    galley_arena *arena; /* options and their strings */
    void *self;
};

/* Applies one "option=value" setting. */
static int apply_setting(galley_stage_handle *h, const char *setting, galley_error *err)
{
    const char *eq = strchr(setting, '=');
    if (!eq)
        return galley_error_set(err, "setting \"%s\": expected option=value", setting);
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - setting), setting);
    return gl_stage_conf_set_text(&h->conf, key, eq + 1, h->arena, err);
}

galley_stage_handle *galley_stage_open(const char *name, const char *const *settings,
                                       galley_error *err)
{
    const gl_module *m = gl_loader_load(name, err);
    if (!m)
        return NULL;
    galley_stage_handle *h = gl_xcalloc(1, sizeof *h);
    h->arena = galley_arena_new(0);
    if (gl_stage_conf_init(&h->conf, m, name, h->arena, err) < 0)
        goto fail;
    for (size_t i = 0; settings && settings[i]; i++)
        if (apply_setting(h, settings[i], err) < 0)
            goto fail;
    h->self = gl_stage_conf_create(&h->conf, ".", 0, 1, 0, 1, err);
    if (!h->self)
        goto fail;
    return h;
fail:
    galley_arena_free(h->arena);
    free(h);
    return NULL;
}

int galley_stage_prepare(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    const galley_stage_info *info = h->conf.module->info;
    return info->prepare ? info->prepare(h->self, doc, err) : 0;
}

int galley_stage_process(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    return h->conf.module->info->process(h->self, doc, err);
}

int galley_stage_run(galley_stage_handle *h, galley_doc *doc, galley_error *err)
{
    if (galley_stage_prepare(h, doc, err) != 0)
        return -1;
    return galley_stage_process(h, doc, err);
}

int galley_stage_finish(galley_stage_handle *h, galley_object *report, galley_error *err)
{
    const galley_stage_info *info = h->conf.module->info;
    int rc = 0;
    if (info->finish) {
        galley_arena *a = NULL;
        if (!report) {
            a = galley_arena_new(0);
            report = galley_object_new(a);
        }
        rc = info->finish(h->self, report, err);
        galley_arena_free(a);
    }
    int (*commit)(void *, galley_error *) = gl_stage_commit_fn(info);
    if (rc == 0 && commit)
        rc = commit(h->self, err);
    return rc;
}

const galley_stage_info *galley_stage_descriptor(const galley_stage_handle *h)
{
    return h->conf.module->info;
}

void galley_stage_close(galley_stage_handle *h)
{
    if (!h)
        return;
    h->conf.module->info->destroy(h->self);
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
