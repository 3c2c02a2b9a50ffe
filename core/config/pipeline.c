/* pipeline.c - reading a pipeline config with libconfig and validating
 * it: the run settings, the input and output sections (option tables like
 * a stage's), every stage's options, overrides, and the order of layers.
 * Every error is collected with its file and line before giving up. */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/options.h"
#include "config/pipeline.h"

void gl_errors_add(gl_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e->msgs = gl_xrealloc(e->msgs, (e->n + 1) * sizeof *e->msgs);
    e->msgs[e->n++] = gl_xstrdup(buf);
}

void gl_errors_print(const gl_errors *e, FILE *out)
{
    for (size_t i = 0; i < e->n; i++)
        fprintf(out, "galley: %s\n", e->msgs[i]);
}

void gl_errors_free(gl_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->msgs[i]);
    free(e->msgs);
    e->msgs = NULL;
    e->n = 0;
}

/* "file:line" of a setting. */
static void where(const gl_pipeline *p, const config_setting_t *s, char *buf,
                  size_t size)
{
    const char *file = config_setting_source_file(s);
    snprintf(buf, size, "%s:%u", file ? file : p->file,
             config_setting_source_line(s));
}

/* Applies every member of a group to an options struct; `skip` names
 * members handled by the caller (use, name). */
static void apply_group(gl_pipeline *p, const config_setting_t *group,
                        const galley_option *table, void *dst,
                        const char *context, const char *const *skip,
                        gl_errors *errs)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *key = config_setting_name(s);
        int skipped = 0;
        for (size_t k = 0; skip && skip[k]; k++)
            skipped |= strcmp(skip[k], key) == 0;
        if (skipped)
            continue;
        char at[1024];
        where(p, s, at, sizeof at);
        galley_error err = { 0 };
        const galley_option *opt = gl_options_find(table, key);
        if (!opt)
            gl_options_unknown(table, key, "option", &err);
        else
            gl_options_set_setting(opt, dst, s, p->arena, &err);
        if (err.set)
            gl_errors_add(errs, "%s: %s: %s", at, context, err.message);
    }
}

static const char *const top_keys[] = {
    "name", "threads", "input", "output", "stages", "plugin_path", NULL
};

static void read_plugin_path(gl_pipeline *p, const config_setting_t *s,
                             gl_errors *errs)
{
    char at[1024];
    where(p, s, at, sizeof at);
    int t = config_setting_type(s);
    int n = t == CONFIG_TYPE_STRING ? 1 : (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST)
                                             ? config_setting_length(s) : -1;
    if (n < 0) {
        gl_errors_add(errs, "%s: plugin_path must be a string or a list of strings", at);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *dir = t == CONFIG_TYPE_STRING
                              ? config_setting_get_string(s)
                              : config_setting_get_string_elem(s, i);
        if (!dir) {
            gl_errors_add(errs, "%s: plugin_path entries must be strings", at);
            continue;
        }
        char full[4096];
        if (dir[0] == '/')
            snprintf(full, sizeof full, "%s", dir);
        else
            snprintf(full, sizeof full, "%s/%s", p->config_dir, dir);
        gl_loader_add_dir(full);
    }
}

static void read_stage(gl_pipeline *p, const config_setting_t *s,
                       gl_stage_conf *st, gl_errors *errs)
{
    char at[1024];
    where(p, s, at, sizeof at);
    /* Copied: libconfig's strings go with the config. */
    st->file = config_setting_source_file(s)
                   ? galley_arena_strdup(p->arena, config_setting_source_file(s)) : p->file;
    st->line = (int)config_setting_source_line(s);
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        gl_errors_add(errs, "%s: each stage must be a group such as { use = \"normalize\"; }", at);
        return;
    }
    const char *use = NULL, *name = NULL;
    if (!config_setting_lookup_string(s, "use", &use)) {
        gl_errors_add(errs, "%s: stage without \"use\" (write use = \"STAGE\"; naming the module)", at);
        return;
    }
    config_setting_lookup_string(s, "name", &name);
    st->use = galley_arena_strdup(p->arena, use);
    st->name = galley_arena_strdup(p->arena, name ? name : use);
    galley_error err = { 0 };
    st->module = gl_loader_load(use, &err);
    if (!st->module) {
        gl_errors_add(errs, "%s: %s", at, err.message);
        return;
    }
    const galley_stage_info *info = st->module->info;
    st->options = galley_arena_calloc(p->arena, 1, info->options_size ? info->options_size : 1);
    if (gl_options_defaults(info->options, st->options, p->arena, &err) < 0) {
        gl_errors_add(errs, "%s: stage \"%s\": %s", at, use, err.message);
        return;
    }
    char context[256];
    snprintf(context, sizeof context, "stage \"%s\"", st->name);
    static const char *const skip[] = { "use", "name", NULL };
    apply_group(p, s, info->options, st->options, context, skip, errs);
}

static int has(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* Every layer a stage requires must be provided by an earlier one, and a
 * stage that rewrites the text must come before every annotating one. */
static void check_order(gl_pipeline *p, gl_errors *errs)
{
    for (size_t i = 0; i < p->nstages; i++) {
        const gl_stage_conf *st = &p->stages[i];
        if (!st->module)
            continue;
        const galley_stage_info *info = st->module->info;
        for (size_t r = 0; info->requires && info->requires[r]; r++) {
            int found = 0;
            for (size_t j = 0; j < i && !found; j++)
                found = p->stages[j].module && has(p->stages[j].module->info->provides,
                                                   info->requires[r]);
            if (!found)
                gl_errors_add(errs, "%s:%d: stage \"%s\" requires the layer \"%s\", which no "
                              "earlier stage provides: put a stage that provides it before",
                              st->file, st->line, st->name, info->requires[r]);
        }
        if (info->flags & GALLEY_STAGE_REWRITES_TEXT) {
            for (size_t j = 0; j < i; j++) {
                const gl_stage_conf *prev = &p->stages[j];
                if (prev->module && prev->module->info->provides &&
                    prev->module->info->provides[0])
                    gl_errors_add(errs, "%s:%d: stage \"%s\" rewrites the text after stage \"%s\" "
                                  "annotated it: move \"%s\" before \"%s\"",
                                  st->file, st->line, st->name, prev->name, st->name, prev->name);
            }
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->stages[j].name, st->name) == 0)
                gl_errors_add(errs, "%s:%d: a second stage named \"%s\": give one a "
                              "name = \"...\" of its own", st->file, st->line, st->name);
    }
}

/* "dedup.threshold=0.9", "threads=4", "output.path=out.jsonl". */
static void apply_override(gl_pipeline *p, const char *ov, gl_errors *errs)
{
    const char *eq = strchr(ov, '=');
    if (!eq) {
        gl_errors_add(errs, "--set %s: expected STAGE.OPTION=VALUE", ov);
        return;
    }
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - ov), ov);
    const char *value = eq + 1;
    galley_error err = { 0 };
    if (strcmp(key, "threads") == 0) {
        char *end;
        long long t = strtoll(value, &end, 10);
        if (*value == '\0' || *end || t < 0 || t > 1024)
            gl_errors_add(errs, "--set %s: threads must be an integer from 0 to 1024", ov);
        else
            p->threads = t;
        return;
    }
    char *dot = strchr(key, '.');
    if (!dot) {
        gl_errors_add(errs, "--set %s: expected STAGE.OPTION=VALUE (or threads=N)", ov);
        return;
    }
    *dot = '\0';
    const char *owner = key, *opt_name = dot + 1;
    const galley_option *table = NULL;
    void *dst = NULL;
    if (strcmp(owner, "input") == 0) {
        table = gl_input_table;
        dst = &p->input;
    } else if (strcmp(owner, "output") == 0) {
        table = gl_output_table;
        dst = &p->output;
    } else {
        const char *names[130];
        size_t n = 0;
        for (size_t i = 0; i < p->nstages; i++) {
            if (strcmp(p->stages[i].name, owner) == 0 && p->stages[i].module) {
                table = p->stages[i].module->info->options;
                dst = p->stages[i].options;
            }
            if (n < 128)
                names[n++] = p->stages[i].name;
        }
        names[n++] = "input";
        names[n++] = "output";
        names[n] = NULL;
        if (!dst) {
            const char *guess = gl_did_you_mean(owner, names);
            gl_errors_add(errs, "--set %s: the pipeline has no stage named \"%s\"%s%s%s", ov,
                          owner, guess ? " (did you mean \"" : "", guess ? guess : "",
                          guess ? "\"?)" : "");
            return;
        }
    }
    const galley_option *opt = gl_options_find(table, opt_name);
    if (!opt)
        gl_options_unknown(table, opt_name, "option", &err);
    else
        gl_options_set_text(opt, dst, value, p->arena, &err);
    if (err.set)
        gl_errors_add(errs, "--set %s: %s \"%s\": %s", ov,
                      dst == &p->input || dst == &p->output ? "section" : "stage", owner,
                      err.message);
}

static char *dir_of(galley_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return galley_arena_strdup(a, ".");
    if (slash == path)
        return galley_arena_strdup(a, "/");
    return galley_arena_strndup(a, path, (size_t)(slash - path));
}

gl_pipeline *gl_pipeline_load(const char *path, const char *const *overrides,
                              size_t noverrides, gl_errors *errs)
{
    size_t errs_before = errs->n;
    galley_error err = { 0 };
    if (gl_loader_init(&err) < 0) {
        gl_errors_add(errs, "%s", err.message);
        return NULL;
    }
    galley_arena *a = galley_arena_new(0);
    gl_pipeline *p = galley_arena_calloc(a, 1, sizeof *p);
    p->arena = a;
    p->file = galley_arena_strdup(a, path);
    p->config_dir = dir_of(a, path);
    p->name = "";
    gl_options_defaults(gl_input_table, &p->input, a, &err);
    gl_options_defaults(gl_output_table, &p->output, a, &err);

    config_t cfg;
    config_init(&cfg);
    config_set_include_dir(&cfg, p->config_dir);
    if (config_read_file(&cfg, path) != CONFIG_TRUE) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            gl_errors_add(errs, "%s: cannot read the pipeline config: %s", path,
                          strerror(errno));
        else
            gl_errors_add(errs, "%s:%d: %s", config_error_file(&cfg) ? config_error_file(&cfg) : path,
                          config_error_line(&cfg), config_error_text(&cfg));
        config_destroy(&cfg);
        gl_pipeline_free(p);
        return NULL;
    }
    config_setting_t *root = config_root_setting(&cfg);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *key = config_setting_name(s);
        if (has(top_keys, key))
            continue;
        char at[1024];
        where(p, s, at, sizeof at);
        const char *guess = gl_did_you_mean(key, top_keys);
        gl_errors_add(errs, "%s: unknown setting \"%s\"%s%s%s (known: name, threads, input, "
                      "output, stages, plugin_path)", at, key, guess ? " (did you mean \"" : "",
                      guess ? guess : "", guess ? "\"?)" : "");
    }
    const char *name = NULL;
    if (config_lookup_string(&cfg, "name", &name))
        p->name = galley_arena_strdup(a, name);
    config_setting_t *s;
    p->threads = 0;
    if ((s = config_lookup(&cfg, "threads"))) {
        int t = config_setting_type(s);
        long long v = (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) ? config_setting_get_int64(s) : -1;
        if (v < 0 || v > 1024) {
            char at[1024];
            where(p, s, at, sizeof at);
            gl_errors_add(errs, "%s: threads must be an integer from 0 (all cores) to 1024", at);
        } else {
            p->threads = v;
        }
    }
    if ((s = config_lookup(&cfg, "plugin_path")))
        read_plugin_path(p, s, errs);
    static const struct { const char *key; const galley_option *table; size_t off; } sections[] = {
        { "input", gl_input_table, offsetof(gl_pipeline, input) },
        { "output", gl_output_table, offsetof(gl_pipeline, output) },
    };
    for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++) {
        if (!(s = config_lookup(&cfg, sections[k].key)))
            continue;
        char context[64];
        snprintf(context, sizeof context, "section \"%s\"", sections[k].key);
        if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
            char at[1024];
            where(p, s, at, sizeof at);
            gl_errors_add(errs, "%s: %s must be a group: %s = { ... };", at, sections[k].key,
                          sections[k].key);
            continue;
        }
        apply_group(p, s, sections[k].table, (char *)p + sections[k].off, context, NULL, errs);
    }
    s = config_lookup(&cfg, "stages");
    if (!s) {
        gl_errors_add(errs, "%s: no stages: add stages = ( { use = \"STAGE\"; } );", path);
    } else if (config_setting_type(s) != CONFIG_TYPE_LIST) {
        char at[1024];
        where(p, s, at, sizeof at);
        gl_errors_add(errs, "%s: stages must be a list in parentheses: stages = ( { use = \"...\"; } );", at);
    } else {
        p->nstages = (size_t)config_setting_length(s);
        p->stages = galley_arena_calloc(a, p->nstages ? p->nstages : 1, sizeof *p->stages);
        for (size_t i = 0; i < p->nstages; i++) {
            p->stages[i].name = "";
            read_stage(p, config_setting_get_elem(s, (unsigned)i), &p->stages[i], errs);
        }
    }
    /* Strings from libconfig were copied; the config can go now. */
    config_destroy(&cfg);
    for (size_t i = 0; i < noverrides; i++)
        apply_override(p, overrides[i], errs);
    check_order(p, errs);
    if (errs->n > errs_before) {
        gl_pipeline_free(p);
        return NULL;
    }
    return p;
}

void gl_pipeline_free(gl_pipeline *p)
{
    if (p)
        galley_arena_free(p->arena);
}

static void print_table_values(const galley_option *table, const void *src, FILE *out,
                               const char *indent)
{
    for (const galley_option *o = table; o && o->name; o++) {
        char buf[1024];
        gl_option_value_text(o, src, buf, sizeof buf);
        fprintf(out, "%s%s = %s\n", indent, o->name, buf);
    }
}

void gl_pipeline_print(const gl_pipeline *p, FILE *out)
{
    fprintf(out, "pipeline \"%s\" (%s)\n", p->name, p->file);
    if (p->threads)
        fprintf(out, "threads = %lld\n", (long long)p->threads);
    else
        fprintf(out, "threads = 0 (all cores)\n");
    fprintf(out, "input:\n");
    print_table_values(gl_input_table, &p->input, out, "    ");
    fprintf(out, "output:\n");
    print_table_values(gl_output_table, &p->output, out, "    ");
    fprintf(out, "stages:\n");
    for (size_t i = 0; i < p->nstages; i++) {
        const gl_stage_conf *st = &p->stages[i];
        const galley_stage_info *info = st->module->info;
        fprintf(out, "  %zu. %s", i + 1, st->name);
        if (strcmp(st->name, st->use) != 0)
            fprintf(out, " (use %s)", st->use);
        fprintf(out, "  %s %s, %s%s\n", info->name, info->version ? info->version : "",
                info->concurrency == GALLEY_ORDERED ? "ordered" : "parallel",
                info->flags & GALLEY_STAGE_REWRITES_TEXT ? ", rewrites text" : "");
        fprintf(out, "     from %s\n", st->module->path);
        if (info->requires && info->requires[0]) {
            fprintf(out, "     requires:");
            for (size_t k = 0; info->requires[k]; k++)
                fprintf(out, " %s", info->requires[k]);
            fputc('\n', out);
        }
        if (info->provides && info->provides[0]) {
            fprintf(out, "     provides:");
            for (size_t k = 0; info->provides[k]; k++)
                fprintf(out, " %s", info->provides[k]);
            fputc('\n', out);
        }
        print_table_values(info->options, st->options, out, "       ");
    }
}
