/* pipeline.c - reading a pipeline config with libconfig and validating
 * it: the top-level settings, the input and output sections and every
 * stage's options (all option tables, like a stage's), the overrides, and
 * the order of layers. Every error is collected with its file and line
 * before giving up. */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/options.h"
#include "config/pipeline.h"

const galley_option gl_top_table[] = {
    GALLEY_OPTION_STRING(gl_top_opts, name, "", "the pipeline's name (shown by galley check)"),
    GALLEY_OPTION_INT(gl_top_opts, threads, "0", 0, 1024, "worker threads (0: all cores)"),
    GALLEY_OPTION_LIST(gl_top_opts, plugin_path, "",
                       "folders searched first for stage modules, relative to the config"),
    GALLEY_OPTION_END
};

/* The groups of the config besides the top level: their option tables
 * (the common one first) and the struct of the pipeline they fill. */
typedef struct section {
    const char *key;
    const galley_option *const *tables;
    int (*applies)(const galley_option *table, int format);
    size_t offset;        /* of the options struct in gl_pipeline */
    size_t format_offset; /* of its `format` (an int) in that struct */
} section;

static const section sections[] = {
    { "input", gl_input_tables, gl_input_table_applies, offsetof(gl_pipeline, input),
      offsetof(gl_input_opts, format) },
    { "output", gl_output_tables, gl_output_table_applies, offsetof(gl_pipeline, output),
      offsetof(gl_output_opts, format) },
};

/* Keys of the top level that are not options of gl_top_table. */
static const char *const group_keys[] = { "input", "output", "stages", NULL };

/* ---- helpers -------------------------------------------------------------- */

/* "file:line" of a setting. */
static void where(const gl_pipeline *p, const config_setting_t *s, char *buf, size_t size)
{
    const char *file = config_setting_source_file(s);
    snprintf(buf, size, "%s:%u", file ? file : p->file, config_setting_source_line(s));
}

/* Whether name is in the NULL-terminated list (a NULL list holds nothing). */
static int has(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* The row `key` in any table of a section, or NULL with an "unknown
 * option" message (did-you-mean over every table) in err. */
static const galley_option *section_find(const section *sec, const char *key, galley_error *err)
{
    for (size_t t = 0; sec->tables[t]; t++) {
        const galley_option *opt = gl_options_find(sec->tables[t], key);
        if (opt)
            return opt;
    }
    const char *names[128];
    size_t n = 0;
    for (size_t t = 1; sec->tables[t]; t++)
        for (const galley_option *o = sec->tables[t]; o->name && n < 127; o++)
            names[n++] = o->name;
    names[n] = NULL;
    gl_options_unknown(sec->tables[0], names, key, "option", err);
    return NULL;
}

/* The options struct of a section inside the pipeline. */
static void *section_dst(gl_pipeline *p, const section *sec)
{
    return (char *)p + sec->offset;
}

/* Applies every member of a section's group from the config. */
static void read_section(gl_pipeline *p, const section *sec, const config_setting_t *group,
                         gl_errors *errs)
{
    char at[1024];
    where(p, group, at, sizeof at);
    if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
        gl_errors_add(errs, "%s: %s must be a group: %s = { ... };", at, sec->key, sec->key);
        return;
    }
    for (int i = 0; i < config_setting_length(group); i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        galley_error err = { 0 };
        const galley_option *opt = section_find(sec, config_setting_name(s), &err);
        if (opt)
            gl_options_set_setting(opt, section_dst(p, sec), s, p->arena, &err);
        if (err.set) {
            where(p, s, at, sizeof at);
            gl_errors_add(errs, "%s: section \"%s\": %s", at, sec->key, err.message);
        }
    }
}

/* ---- the top level ---------------------------------------------------------- */

/* The top-level options (name, threads, plugin_path) and the sections;
 * any other key is an unknown setting. */
static void read_top(gl_pipeline *p, const config_setting_t *root, gl_errors *errs)
{
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *key = config_setting_name(s);
        char at[1024];
        where(p, s, at, sizeof at);
        galley_error err = { 0 };
        const galley_option *opt = gl_options_find(gl_top_table, key);
        if (opt) {
            if (gl_options_set_setting(opt, &p->top, s, p->arena, &err) < 0)
                gl_errors_add(errs, "%s: %s", at, err.message);
            continue;
        }
        int known = 0;
        for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++)
            if (strcmp(sections[k].key, key) == 0) {
                read_section(p, &sections[k], s, errs);
                known = 1;
            }
        if (known || strcmp(key, "stages") == 0)
            continue;
        gl_options_unknown(gl_top_table, group_keys, key, "setting", &err);
        gl_errors_add(errs, "%s: %s", at, err.message);
    }
}

/* Puts the config's plugin folders first on the loader's search path. */
static void use_plugin_path(const gl_pipeline *p)
{
    for (size_t i = 0; i < p->top.plugin_path.n; i++) {
        const char *dir = p->top.plugin_path.items[i];
        while (dir[0] == '.' && dir[1] == '/')
            dir += 2; /* "./mods" is "mods": paths shown read cleanly */
        char full[4096];
        if (dir[0] == '/' || strcmp(p->config_dir, ".") == 0)
            snprintf(full, sizeof full, "%s", dir[0] ? dir : ".");
        else
            snprintf(full, sizeof full, "%s/%s", p->config_dir, dir);
        gl_loader_add_dir(full);
    }
}

/* ---- stages --------------------------------------------------------------- */

/* The keys of a stage group that are not the stage's options: the
 * module, the instance's name, and whether a module on the plugin path
 * replaces the built-in stage of that name. */
static const char *const stage_keys[] = { "use", "name", "replaces_builtin", NULL };

/* One element of `stages`: its module and options. */
static void read_stage(gl_pipeline *p, const config_setting_t *s, gl_stage_conf *st,
                       gl_errors *errs)
{
    char at[1024];
    where(p, s, at, sizeof at);
    /* Copied: libconfig's strings go with the config. */
    st->file = config_setting_source_file(s)
        ? galley_arena_strdup(p->arena, config_setting_source_file(s))
        : p->file;
    st->line = (int)config_setting_source_line(s);
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        gl_errors_add(errs, "%s: each stage must be a group such as { use = \"normalize\"; }", at);
        return;
    }
    const char *use = NULL, *name = NULL;
    if (!config_setting_lookup_string(s, "use", &use)) {
        gl_errors_add(errs, "%s: stage without \"use\" (write use = \"STAGE\"; naming the module)",
                      at);
        return;
    }
    config_setting_lookup_string(s, "name", &name);
    int replaces = 0;
    config_setting_lookup_bool(s, "replaces_builtin", &replaces);
    st->use = galley_arena_strdup(p->arena, use);
    st->name = galley_arena_strdup(p->arena, name ? name : use);
    galley_error err = { 0 };
    const gl_module *m = gl_loader_load_from(use, replaces, &err);
    if (!m) {
        gl_errors_add(errs, "%s: %s", at, err.message);
        return;
    }
    if (gl_stage_conf_init(st, m, st->name, p->arena, &err) < 0) {
        gl_errors_add(errs, "%s: stage \"%s\": %s", at, use, err.message);
        st->module = NULL;
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *o = config_setting_get_elem(s, (unsigned)i);
        const char *key = config_setting_name(o);
        if (has(stage_keys, key))
            continue;
        galley_error e = { 0 };
        if (gl_stage_conf_set_setting(st, o, p->arena, &e) < 0) {
            where(p, o, at, sizeof at);
            gl_errors_add(errs, "%s: stage \"%s\": %s", at, st->name, e.message);
        }
    }
}

/* The `stages` list. */
static void read_stages(gl_pipeline *p, const config_t *cfg, gl_errors *errs)
{
    config_setting_t *s = config_lookup(cfg, "stages");
    if (!s) {
        gl_errors_add(errs, "%s: no stages: add stages = ( { use = \"STAGE\"; } );", p->file);
        return;
    }
    if (config_setting_type(s) != CONFIG_TYPE_LIST) {
        char at[1024];
        where(p, s, at, sizeof at);
        gl_errors_add(
            errs, "%s: stages must be a list in parentheses: stages = ( { use = \"...\"; } );", at);
        return;
    }
    p->nstages = (size_t)config_setting_length(s);
    p->stages = galley_arena_calloc(p->arena, p->nstages ? p->nstages : 1, sizeof *p->stages);
    for (size_t i = 0; i < p->nstages; i++) {
        p->stages[i].name = "";
        read_stage(p, config_setting_get_elem(s, (unsigned)i), &p->stages[i], errs);
    }
}

/* Every layer a stage requires must be provided by an earlier one, a
 * stage that rewrites the text must come before every annotating one,
 * and instance names are unique. */
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
                found = p->stages[j].module &&
                    has(p->stages[j].module->info->provides, info->requires[r]);
            if (!found)
                gl_errors_add(errs,
                              "%s:%d: stage \"%s\" requires the layer \"%s\", which no "
                              "earlier stage provides: put a stage that provides it before",
                              st->file, st->line, st->name, info->requires[r]);
        }
        if (info->flags & GALLEY_STAGE_REWRITES_TEXT) {
            for (size_t j = 0; j < i; j++) {
                const gl_stage_conf *prev = &p->stages[j];
                if (prev->module && prev->module->info->provides && prev->module->info->provides[0])
                    gl_errors_add(errs,
                                  "%s:%d: stage \"%s\" rewrites the text after stage \"%s\" "
                                  "annotated it: move \"%s\" before \"%s\"",
                                  st->file, st->line, st->name, prev->name, st->name, prev->name);
            }
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->stages[j].name, st->name) == 0)
                gl_errors_add(errs,
                              "%s:%d: a second stage named \"%s\": give one a "
                              "name = \"...\" of its own",
                              st->file, st->line, st->name);
    }
}

/* ---- the output against the pipeline ------------------------------------- */

/* "FILE:LINE" of an output setting, or "--set" when it is not in the file. */
static void output_where(const gl_pipeline *p, const config_t *cfg, const char *key, char *buf,
                         size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "output.%s", key);
    const config_setting_t *s = config_lookup(cfg, path);
    if (s)
        where(p, s, buf, size);
    else
        snprintf(buf, size, "%s", p->file);
}

/* The CSV output's layer must be one a stage provides, and a column that
 * is not one of its fields (or id/source/start/end) but is one letter or
 * two away from one is a typo, not a metadata field. */
static void check_csv(gl_pipeline *p, const config_t *cfg, gl_errors *errs)
{
    const char *names[130];
    size_t n = 0;
    const galley_stage_info *provider = NULL;
    for (size_t i = 0; i < p->nstages; i++) {
        const galley_stage_info *info = p->stages[i].module ? p->stages[i].module->info : NULL;
        for (size_t k = 0; info && info->provides && info->provides[k]; k++) {
            if (strcmp(info->provides[k], p->output.layer) == 0)
                provider = info;
            if (n < 128)
                names[n++] = info->provides[k];
        }
    }
    names[n] = NULL;
    char at[1024];
    if (!provider) {
        output_where(p, cfg, "layer", at, sizeof at);
        const char *guess = gl_did_you_mean(p->output.layer, names);
        char list[1024] = "";
        for (size_t i = 0; i < n; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, names[i], sizeof list - strlen(list) - 1);
        }
        gl_errors_add(errs,
                      "%s: output.layer \"%s\": no stage of the pipeline provides it%s%s%s "
                      "(layers: %s)",
                      at, p->output.layer, guess ? " (did you mean \"" : "", guess ? guess : "",
                      guess ? "\"?)" : "", list[0] ? list : "none");
        return;
    }
    const galley_layer_field *fields = gl_stage_fields(provider);
    if (!fields)
        return; /* a stage that does not say what its elements carry */
    const char *known[130];
    size_t nk = 0;
    for (size_t i = 0; gl_csv_document_columns[i]; i++)
        known[nk++] = gl_csv_document_columns[i];
    for (const galley_layer_field *f = fields; f->layer && nk < 128; f++)
        if (strcmp(f->layer, p->output.layer) == 0)
            known[nk++] = f->name;
    known[nk++] = "text";
    known[nk] = NULL;
    output_where(p, cfg, "columns", at, sizeof at);
    for (size_t c = 0; c < p->output.columns.n; c++) {
        const char *col = p->output.columns.items[c];
        if (has(known, col) || strncmp(col, "metadata.", 9) == 0)
            continue;
        const char *guess = gl_did_you_mean(col, known);
        if (guess)
            gl_errors_add(errs,
                          "%s: output.columns: \"%s\" is not a field of the layer \"%s\" "
                          "(did you mean \"%s\"? a metadata field of that name: write "
                          "\"metadata.%s\")",
                          at, col, p->output.layer, guess, col);
    }
}

/* ---- overrides ------------------------------------------------------------ */

/* Splits "owner.option=value" (owner may be empty: "threads=4") into
 * key[] (owner and option, NUL between) and value. Returns the option
 * name, or NULL when there is no '='. */
static const char *split_override(const char *ov, char *key, size_t size, const char **owner,
                                  const char **value)
{
    const char *eq = strchr(ov, '=');
    if (!eq)
        return NULL;
    snprintf(key, size, "%.*s", (int)(eq - ov), ov);
    *value = eq + 1;
    char *dot = strchr(key, '.');
    if (!dot) {
        *owner = "";
        return key;
    }
    *dot = '\0';
    *owner = key;
    return dot + 1;
}

/* A top-level or section override (threads=4, output.path=x); returns 0
 * when `ov` names neither (it is a stage's, for the second pass). */
static int apply_setting_override(gl_pipeline *p, const char *ov, gl_errors *errs)
{
    char key[256];
    const char *owner, *value;
    const char *opt_name = split_override(ov, key, sizeof key, &owner, &value);
    if (!opt_name) {
        gl_errors_add(errs, "--set %s: expected STAGE.OPTION=VALUE", ov);
        return 1;
    }
    galley_error err = { 0 };
    if (!owner[0]) {
        const galley_option *opt = gl_options_find(gl_top_table, opt_name);
        if (!opt)
            gl_options_unknown(gl_top_table, NULL, opt_name, "setting", &err);
        else
            gl_options_set_text(opt, &p->top, value, p->arena, &err);
        if (err.set)
            gl_errors_add(errs, "--set %s: %s (or write STAGE.OPTION=VALUE)", ov, err.message);
        return 1;
    }
    for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++) {
        if (strcmp(sections[k].key, owner) != 0)
            continue;
        const galley_option *opt = section_find(&sections[k], opt_name, &err);
        if (opt)
            gl_options_set_text(opt, section_dst(p, &sections[k]), value, p->arena, &err);
        if (err.set)
            gl_errors_add(errs, "--set %s: section \"%s\": %s", ov, owner, err.message);
        return 1;
    }
    return 0;
}

/* A stage's override (dedup.threshold=0.9), after the stages are read. */
static void apply_stage_override(gl_pipeline *p, const char *ov, gl_errors *errs)
{
    char key[256];
    const char *owner, *value;
    const char *opt_name = split_override(ov, key, sizeof key, &owner, &value);
    const char *names[132];
    size_t n = 0;
    gl_stage_conf *st = NULL;
    for (size_t i = 0; i < p->nstages; i++) {
        if (strcmp(p->stages[i].name, owner) == 0 && p->stages[i].module)
            st = &p->stages[i];
        if (n < 128)
            names[n++] = p->stages[i].name;
    }
    if (!st) {
        names[n++] = "input";
        names[n++] = "output";
        names[n] = NULL;
        const char *guess = gl_did_you_mean(owner, names);
        char list[1024] = "";
        for (size_t i = 0; i + 2 < n; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, names[i], sizeof list - strlen(list) - 1);
        }
        if (guess)
            gl_errors_add(errs,
                          "--set %s: the pipeline has no stage named \"%s\" (did you mean "
                          "\"%s\"?)",
                          ov, owner, guess);
        else
            gl_errors_add(errs,
                          "--set %s: the pipeline has no stage named \"%s\" (its stages: %s; "
                          "and the sections input, output)",
                          ov, owner, list[0] ? list : "none");
        return;
    }
    galley_error err = { 0 };
    if (gl_stage_conf_set_text(st, opt_name, value, p->arena, &err) < 0)
        gl_errors_add(errs, "--set %s: stage \"%s\": %s", ov, owner, err.message);
}

/* ---- loading -------------------------------------------------------------- */

/* The folder of the config file at path, copied into arena a ("." for a bare
 * file name, "/" for a file at the root): relative plugin_path folders and
 * @include files are found from it, and stages get it in their env. */
static char *dir_of(galley_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return galley_arena_strdup(a, ".");
    if (slash == path)
        return galley_arena_strdup(a, "/");
    return galley_arena_strndup(a, path, (size_t)(slash - path));
}

/* A pipeline with every default and no stages yet. */
static gl_pipeline *pipeline_new(const char *path)
{
    galley_arena *a = galley_arena_new(0);
    gl_pipeline *p = galley_arena_calloc(a, 1, sizeof *p);
    p->arena = a;
    p->file = galley_arena_strdup(a, path);
    p->config_dir = dir_of(a, path);
    galley_error err = { 0 };
    gl_options_defaults(gl_top_table, &p->top, a, &err);
    for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++)
        for (size_t t = 0; sections[k].tables[t]; t++)
            gl_options_defaults(sections[k].tables[t], section_dst(p, &sections[k]), a, &err);
    return p;
}

/* Reads the file; NULL (and the error) when libconfig cannot. */
static int read_config(config_t *cfg, const gl_pipeline *p, gl_errors *errs)
{
    config_init(cfg);
    config_set_include_dir(cfg, p->config_dir);
    if (config_read_file(cfg, p->file) == CONFIG_TRUE)
        return 0;
    if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
        gl_errors_add(errs, "%s: cannot read the pipeline config: %s", p->file, strerror(errno));
    else
        gl_errors_add(errs, "%s:%d: %s", config_error_file(cfg) ? config_error_file(cfg) : p->file,
                      config_error_line(cfg), config_error_text(cfg));
    config_destroy(cfg);
    return -1;
}

gl_pipeline *gl_pipeline_load(const char *path, const char *const *overrides, size_t noverrides,
                              gl_errors *errs)
{
    size_t errs_before = errs->n;
    galley_error err = { 0 };
    if (gl_loader_init(&err) < 0) {
        gl_errors_add(errs, "%s", err.message);
        return NULL;
    }
    gl_pipeline *p = pipeline_new(path);
    config_t cfg;
    if (read_config(&cfg, p, errs) < 0) {
        gl_pipeline_free(p);
        return NULL;
    }
    read_top(p, config_root_setting(&cfg), errs);
    /* Settings overrides first: plugin_path decides where stages load from. */
    char *is_stage = gl_xcalloc(noverrides ? noverrides : 1, 1);
    for (size_t i = 0; i < noverrides; i++)
        is_stage[i] = !apply_setting_override(p, overrides[i], errs);
    use_plugin_path(p);
    read_stages(p, &cfg, errs);
    if (p->output.format == GL_OUT_CSV)
        check_csv(p, &cfg, errs);
    /* Strings from libconfig were copied; the config can go now. */
    config_destroy(&cfg);
    for (size_t i = 0; i < noverrides; i++)
        if (is_stage[i])
            apply_stage_override(p, overrides[i], errs);
    free(is_stage);
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

/* ---- printing ------------------------------------------------------------- */

/* "    key = value" for each row of a table, from a filled struct. */
static void print_table_values(const galley_option *table, const void *src, FILE *out,
                               const char *indent)
{
    for (const galley_option *o = table; o && o->name; o++) {
        char buf[1024];
        gl_option_value_text(o, src, buf, sizeof buf);
        fprintf(out, "%s%s = %s\n", indent, o->name, buf);
    }
}

/* The values of a section, from the tables that apply to its format. */
static void print_section(const gl_pipeline *p, const section *sec, FILE *out)
{
    const void *src = (const char *)p + sec->offset;
    int format = *(const int *)((const char *)src + sec->format_offset);
    fprintf(out, "%s:\n", sec->key);
    for (size_t t = 0; sec->tables[t]; t++)
        if (sec->applies(sec->tables[t], format))
            print_table_values(sec->tables[t], src, out, "    ");
}

/* A NULL-terminated list of layer names after a label. */
static void print_layers(FILE *out, const char *label, const char *const *list)
{
    if (!list || !list[0])
        return;
    fprintf(out, "     %s:", label);
    for (size_t k = 0; list[k]; k++)
        fprintf(out, " %s", list[k]);
    fputc('\n', out);
}

void gl_pipeline_print(const gl_pipeline *p, FILE *out)
{
    fprintf(out, "pipeline \"%s\" (%s)\n", p->top.name, p->file);
    if (p->top.threads)
        fprintf(out, "threads = %lld\n", (long long)p->top.threads);
    else
        fprintf(out, "threads = 0 (all cores)\n");
    if (p->top.plugin_path.n) {
        char buf[1024];
        gl_option_value_text(gl_options_find(gl_top_table, "plugin_path"), &p->top, buf,
                             sizeof buf);
        fprintf(out, "plugin_path = %s\n", buf);
    }
    for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++)
        print_section(p, &sections[k], out);
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
        print_layers(out, "requires", info->requires);
        print_layers(out, "provides", info->provides);
        print_table_values(info->options, st->options, out, "       ");
    }
}

void gl_pipeline_print_reference(FILE *out, int markdown)
{
    if (markdown)
        fputs("# Pipeline settings\n\nGenerated by `galley settings --markdown` from the "
              "option tables of the config's top level and its `input` and `output` sections. "
              "Stages and their options: [stages.md](stages.md).\n\n## Top level\n\n",
              out);
    else
        fputs("top level:\n", out);
    gl_options_print(gl_top_table, out, markdown);
    if (markdown)
        fputs("\n- `stages`: a list of stage groups, "
              "`( { use = \"STAGE\"; OPTION = VALUE; ... }, ... )`\n"
              "- `input`, `output`: the sections below\n",
              out);
    for (size_t k = 0; k < GL_ARRAY_LEN(sections); k++) {
        if (markdown)
            fprintf(out, "\n## %s = { ... };\n\n", sections[k].key);
        else
            fprintf(out, "%s = { ... }:\n", sections[k].key);
        for (size_t t = 0; sections[k].tables[t]; t++) {
            if (markdown && t > 0)
                fputc('\n', out);
            gl_options_print(sections[k].tables[t], out, markdown);
        }
    }
}
