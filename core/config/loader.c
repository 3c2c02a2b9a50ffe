/* loader.c - the plugin search path and the module checks.
 *
 * Search order: the built-in stages first (preloaded into a static
 * galley, the build tree when this galley runs uninstalled, the
 * installed plugin folder), then the folders from the config's
 * plugin_path, then GALLEY_PLUGIN_PATH (colon-separated). A stage
 * configured with replaces_builtin = true is looked for in the latter
 * first. Every module file is checked before libltdl maps it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config/loader.h"
#include "config/module_file.h"
#include "config/options.h"

#define MAX_DIRS 64
#define MAX_MODULES 128

static int initialized;
static char *dirs[MAX_DIRS + 1];
static int dir_is_builtin[MAX_DIRS + 1]; /* the build tree's or the installed stages */
static size_t ndirs;
static size_t nconfig_dirs;
static gl_module modules[MAX_MODULES];
static size_t nmodules;
static int trace;
static int use_preloaded;

void gl_loader_use_preloaded(void)
{
    use_preloaded = 1;
}

/* Orders C strings by strcmp, for qsort over an array of char *: the build
 * tree's stage folders and the list of available stages come out in the same
 * order on every machine. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Traces a step of the plugin search on standard error ("galley: load: ...")
 * when GALLEY_DEBUG names "load"; silent otherwise. fmt takes at most the two
 * strings a and b, in that order. */
static void debug(const char *fmt, const char *a, const char *b)
{
    if (trace) {
        fputs("galley: load: ", stderr);
        fprintf(stderr, fmt, a, b);
        fputc('\n', stderr);
    }
}

/* Is this galley the one in the build tree? Then stages and their data
 * come from the build and source trees, not from the install folders. */
static int running_uninstalled(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    size_t blen = strlen(GALLEY_BUILD_DIR);
    return strncmp(exe, GALLEY_BUILD_DIR, blen) == 0 && exe[blen] == '/';
}

/* Appends folder d to the search path, marked as holding built-in stages or
 * not; the path keeps its own copy. A NULL or empty d, and any folder past
 * MAX_DIRS, is left out without a word. */
static void push_dir(const char *d, int builtin)
{
    if (ndirs < MAX_DIRS && d && *d) {
        dir_is_builtin[ndirs] = builtin;
        dirs[ndirs++] = gl_xstrdup(d);
    }
}

/* Builds the part of the search path that comes after the config's. */
static void default_dirs(void)
{
    const char *env = getenv("GALLEY_PLUGIN_PATH");
    if (env) {
        char *copy = gl_xstrdup(env), *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
            push_dir(p, 0);
        free(copy);
    }
    if (running_uninstalled()) {
        /* One folder per built-in stage: plugins/<name>/<name>.la */
        char path[4096];
        snprintf(path, sizeof path, "%s/plugins", GALLEY_BUILD_DIR);
        DIR *dh = opendir(path);
        if (dh) {
            struct dirent *e;
            char *names[MAX_DIRS];
            size_t n = 0;
            while ((e = readdir(dh)) && n < MAX_DIRS)
                if (e->d_name[0] != '.')
                    names[n++] = gl_xstrdup(e->d_name);
            closedir(dh);
            qsort(names, n, sizeof *names, cmp_str);
            for (size_t i = 0; i < n; i++) {
                char sub[4096 + 260];
                snprintf(sub, sizeof sub, "%s/%s", path, names[i]);
                push_dir(sub, 1);
                free(names[i]);
            }
        }
    }
    push_dir(GALLEY_PLUGIN_DIR, 1);
}

int gl_loader_init(galley_error *err)
{
    if (initialized)
        return 0;
    const char *dbg = getenv("GALLEY_DEBUG");
    trace = dbg && strstr(dbg, "load") != NULL;
    if (lt_dlinit() != 0)
        return galley_error_set(err, "cannot initialize libltdl: %s", lt_dlerror());
    default_dirs();
    initialized = 1;
    return 0;
}

void gl_loader_add_dir(const char *dir)
{
    if (ndirs >= MAX_DIRS)
        return;
    /* Config folders go before the defaults, in the order given. */
    memmove(&dirs[nconfig_dirs + 1], &dirs[nconfig_dirs], (ndirs - nconfig_dirs) * sizeof *dirs);
    memmove(&dir_is_builtin[nconfig_dirs + 1], &dir_is_builtin[nconfig_dirs],
            (ndirs - nconfig_dirs) * sizeof *dir_is_builtin);
    dir_is_builtin[nconfig_dirs] = 0;
    dirs[nconfig_dirs++] = gl_xstrdup(dir);
    ndirs++;
}

const char *const *gl_loader_search_path(void)
{
    dirs[ndirs] = NULL;
    return (const char *const *)dirs;
}

/* Whether name can name a stage: 1 to 64 lower-case ASCII letters, digits and
 * _, not starting with a digit. The name becomes a file name and the NAME_LTX_
 * symbol prefix, so nothing that could climb out of a folder or break a symbol
 * gets through. */
static int valid_name(const char *name)
{
    if (!*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return name[0] < '0' || name[0] > '9';
}

int gl_loader_check_info(const galley_stage_info *info, const char *name, const char *path,
                         galley_error *err)
{
    if (info->abi_major != GALLEY_ABI_MAJOR)
        return galley_error_set(
            err,
            "%s: stage \"%s\" was built for galley stage ABI %u.%u, but this galley "
            "has ABI %d.%d; rebuild the module against this galley's headers",
            path, name, info->abi_major, info->abi_minor, GALLEY_ABI_MAJOR, GALLEY_ABI_MINOR);
    if (info->abi_minor > GALLEY_ABI_MINOR)
        return galley_error_set(
            err,
            "%s: stage \"%s\" needs galley stage ABI %u.%u, newer than this galley's "
            "%d.%d; upgrade galley or rebuild the module against these headers",
            path, name, info->abi_major, info->abi_minor, GALLEY_ABI_MAJOR, GALLEY_ABI_MINOR);
    if (info->struct_size < offsetof(galley_stage_info, destroy) + sizeof info->destroy)
        return galley_error_set(
            err, "%s: stage \"%s\" has a descriptor of %u bytes, too small for ABI %u.%u", path,
            name, info->struct_size, info->abi_major, info->abi_minor);
    if (!info->name || strcmp(info->name, name) != 0)
        return galley_error_set(
            err,
            "%s: module \"%s\" describes itself as stage \"%s\"; the module file, "
            "its GALLEY_STAGE() name and the config's use must be the same",
            path, name, info->name ? info->name : "(null)");
    if (!info->create || !info->process || !info->destroy)
        return galley_error_set(err, "%s: stage \"%s\" lacks a create, process or destroy callback",
                                path, name);
    if (info->prepare && info->concurrency != GALLEY_ORDERED)
        return galley_error_set(err, "%s: stage \"%s\" has a prepare callback but is not ordered",
                                path, name);
    return 0;
}

/* Whether the descriptor is large enough to hold the member ending at
 * byte `end`: a 1.0 module's descriptor stops before the 1.1 fields. */
static int info_covers(const galley_stage_info *info, size_t end)
{
    return info->struct_size >= end;
}

const galley_layer_field *gl_stage_fields(const galley_stage_info *info)
{
    if (!info_covers(info, offsetof(galley_stage_info, fields) + sizeof info->fields))
        return NULL;
    return info->fields;
}

const galley_stage_command *gl_stage_commands(const galley_stage_info *info)
{
    if (!info_covers(info, offsetof(galley_stage_info, commands) + sizeof info->commands))
        return NULL;
    return info->commands;
}

int (*gl_stage_commit_fn(const galley_stage_info *info))(void *, galley_error *)
{
    if (!info_covers(info, offsetof(galley_stage_info, commit) + sizeof info->commit))
        return NULL;
    return info->commit;
}

const galley_stage_command *gl_stage_command(const galley_stage_info *info, const char *name)
{
    for (const galley_stage_command *c = gl_stage_commands(info); c && c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* Whether anything (a file or a folder) is at path, as stat(2) sees it: a
 * dangling link, or a path in a folder that cannot be searched, counts as
 * absent. */
static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The data folder of stage `name` loaded from module_path, newly allocated (the
 * caller frees it). The first of: <folder>/<name>/data or <folder>/<name> in a
 * folder of GALLEY_DATA_PATH, when it exists; the source tree's
 * plugins/<name>/data for a module of the build tree (or a preloaded stage of
 * an uninstalled galley); <dir>/<name>-data beside an outside module, when it
 * exists; else the installed GALLEY_DATA_DIR/<name>. The source-tree and
 * installed folders are given whether they exist or not. */
static char *data_dir_for(const char *name, const char *module_path)
{
    char path[4096];
    const char *env = getenv("GALLEY_DATA_PATH");
    if (env) {
        char *copy = gl_xstrdup(env), *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            /* <folder>/<stage>/data (a source tree), or <folder>/<stage>. */
            static const char *const forms[] = { "%s/%s/data", "%s/%s" };
            for (size_t f = 0; f < 2; f++) {
                snprintf(path, sizeof path, forms[f], p, name);
                if (file_exists(path)) {
                    free(copy);
                    return gl_xstrdup(path);
                }
            }
        }
        free(copy);
    }
    size_t blen = strlen(GALLEY_BUILD_DIR);
    int preloaded = strcmp(module_path, "(preloaded)") == 0;
    if ((strncmp(module_path, GALLEY_BUILD_DIR, blen) == 0 && module_path[blen] == '/') ||
        (preloaded && running_uninstalled())) {
        snprintf(path, sizeof path, "%s/plugins/%s/data", GALLEY_SOURCE_DIR, name);
        return gl_xstrdup(path);
    }
    /* An outside module may keep its data beside it: <dir>/<name>-data */
    const char *slash = strrchr(module_path, '/');
    if (slash) {
        snprintf(path, sizeof path, "%.*s/%s-data", (int)(slash - module_path), module_path, name);
        if (file_exists(path))
            return gl_xstrdup(path);
    }
    snprintf(path, sizeof path, "%s/%s", GALLEY_DATA_DIR, name);
    return gl_xstrdup(path);
}

/* Finishes loading: looks up the descriptor and checks it. */
static const gl_module *register_module(lt_dlhandle h, const char *name, const char *path,
                                        galley_error *err)
{
    char sym[128];
    snprintf(sym, sizeof sym, "%s_LTX_" GALLEY_STAGE_SYMBOL, name);
    const galley_stage_info *info = lt_dlsym(h, sym);
    if (!info) {
        int plain = lt_dlsym(h, GALLEY_STAGE_SYMBOL) != NULL;
        lt_dlclose(h);
        if (plain)
            return galley_error_set(err,
                                    "%s: module exports \"" GALLEY_STAGE_SYMBOL
                                    "\" but not \"%s\"; declare it with GALLEY_STAGE(%s)",
                                    path, sym, name),
                   NULL;
        return galley_error_set(err,
                                "%s: not a galley stage (no symbol \"%s\"; "
                                "declare the descriptor with GALLEY_STAGE(%s))",
                                path, sym, name),
               NULL;
    }
    if (gl_loader_check_info(info, name, path, err) < 0) {
        lt_dlclose(h);
        return NULL;
    }
    if (nmodules == MAX_MODULES) {
        lt_dlclose(h);
        return galley_error_set(err, "too many stage modules (at most %d)", MAX_MODULES), NULL;
    }
    gl_module *m = &modules[nmodules++];
    m->name = gl_xstrdup(name);
    m->path = gl_xstrdup(path);
    m->data_dir = data_dir_for(name, path);
    m->info = info;
    m->handle = h;
    debug("stage \"%s\" loaded from %s", name, path);
    return m;
}

/* Warns once per path when a module or its folder may be written by
 * others than its owner. */
static void warn_if_unsafe(const char *path)
{
    static char *warned[MAX_MODULES * 2];
    static size_t nwarned;
    if (!gl_module_file_unsafe(path))
        return;
    for (size_t i = 0; i < nwarned; i++)
        if (strcmp(warned[i], path) == 0)
            return;
    if (nwarned < GL_ARRAY_LEN(warned))
        warned[nwarned++] = gl_xstrdup(path);
    fprintf(stderr,
            "galley: warning: %s can be written by others than its owner: anyone who "
            "can write there can run code inside galley (chmod go-w it)\n",
            path);
}

/* Loads the module found at `found` (a .la or .so) for stage `name`
 * from folder `dir`, after checking the file. */
static const gl_module *load_found(const char *name, const char *dir, const char *stem,
                                   const char *found, galley_error *err)
{
    warn_if_unsafe(dir);
    warn_if_unsafe(found);
    if (gl_module_file_check(found, err) < 0)
        return NULL;
    lt_dlhandle h = lt_dlopenext(stem);
    if (!h)
        /* The file is there: the reason is libltdl's (often a missing
         * dependency of the module), not "not found". */
        return galley_error_set(err, "%s: cannot load stage \"%s\": %s", found, name, lt_dlerror()),
               NULL;
    return register_module(h, name, found, err);
}

/* Looks for the module in the folders whose builtin flag is `builtin`;
 * *tried lists them. Returns the module, NULL with err set when a file
 * was found but failed, or NULL with err unset when none was found. */
static const gl_module *search(const char *name, int builtin, galley_error *err)
{
    char path[4096];
    for (size_t i = 0; i < ndirs; i++) {
        if (dir_is_builtin[i] != builtin)
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        char la[4200], so[4200];
        snprintf(la, sizeof la, "%s.la", path);
        snprintf(so, sizeof so, "%s.so", path);
        const char *found = file_exists(la) ? la : file_exists(so) ? so : NULL;
        debug("trying %s%s", path, found ? " (found)" : "");
        if (found)
            return load_found(name, dirs[i], path, found, err);
    }
    return NULL;
}

/* The message for a stage found nowhere. */
static void not_found(const char *name, galley_error *err)
{
    char tried[2048] = "";
    for (size_t i = 0; i < ndirs; i++) {
        strncat(tried, i ? ", " : "", sizeof tried - strlen(tried) - 1);
        strncat(tried, dirs[i], sizeof tried - strlen(tried) - 1);
    }
    char **names = gl_loader_available();
    const char *guess = gl_did_you_mean(name, (const char *const *)names);
    if (guess)
        galley_error_set(err, "unknown stage \"%s\" (did you mean \"%s\"?); searched %s", name,
                         guess, tried);
    else
        galley_error_set(err,
                         "unknown stage \"%s\": no %s.la or %s.so in %s "
                         "(add a folder with plugin_path in the config or GALLEY_PLUGIN_PATH)",
                         name, name, name, tried);
    gl_loader_free_names(names);
}

const gl_module *gl_loader_load(const char *name, galley_error *err)
{
    return gl_loader_load_from(name, 0, err);
}

const gl_module *gl_loader_load_from(const char *name, int replace_builtin, galley_error *err)
{
    if (gl_loader_init(err) < 0)
        return NULL;
    for (size_t i = 0; i < nmodules; i++)
        if (strcmp(modules[i].name, name) == 0)
            return &modules[i];
    if (!valid_name(name))
        return galley_error_set(err,
                                "invalid stage name \"%s\" (use lower-case letters, "
                                "digits and _)",
                                name),
               NULL;
    galley_error e = { 0 };
    const gl_module *m;
    if (replace_builtin && (m = search(name, 0, &e)))
        return m;
    if (e.set) {
        *err = e;
        return NULL;
    }
    if (use_preloaded) {
        /* Stages linked into this binary are the built-in ones. */
        char la[256];
        snprintf(la, sizeof la, "%s.la", name);
        lt_dlhandle ph = lt_dlopen(la);
        debug("stage \"%s\" %s", name, ph ? "is preloaded" : "is not preloaded");
        if (ph)
            return register_module(ph, name, "(preloaded)", err);
    }
    /* A built-in stage wins over a same-named module elsewhere. */
    if ((m = search(name, 1, &e)) || e.set)
        return e.set ? (*err = e, NULL) : m;
    if (!replace_builtin && ((m = search(name, 0, &e)) || e.set))
        return e.set ? (*err = e, NULL) : m;
    not_found(name, err);
    return NULL;
}

char **gl_loader_available(void)
{
    galley_error err;
    gl_loader_init(&err);
    size_t n = 0, cap = 16;
    char **names = gl_xcalloc(cap, sizeof *names);
    for (size_t i = 0; i < ndirs; i++) {
        DIR *dh = opendir(dirs[i]);
        if (!dh)
            continue;
        struct dirent *e;
        while ((e = readdir(dh))) {
            size_t len = strlen(e->d_name);
            size_t stem;
            if (len > 3 && strcmp(e->d_name + len - 3, ".la") == 0)
                stem = len - 3;
            else if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0)
                stem = len - 3;
            else
                continue;
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)stem, e->d_name);
            if (strncmp(name, "lib", 3) == 0 || !valid_name(name))
                continue;
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= strcmp(names[k], name) == 0;
            if (dup)
                continue;
            if (n + 1 >= cap) {
                names = gl_xrealloc(names, cap * 2 * sizeof *names);
                cap *= 2;
            }
            names[n++] = gl_xstrdup(name);
        }
        closedir(dh);
    }
    /* The stages a static galley carries, when it carries them. */
    static const char *const builtin[] = { "dedup", "entities", "normalize", "quotes", "stats" };
    for (size_t b = 0; use_preloaded && b < GL_ARRAY_LEN(builtin); b++) {
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(names[k], builtin[b]) == 0;
        if (dup)
            continue;
        if (n + 1 >= cap) {
            names = gl_xrealloc(names, cap * 2 * sizeof *names);
            cap *= 2;
        }
        names[n++] = gl_xstrdup(builtin[b]);
    }
    qsort(names, n, sizeof *names, cmp_str);
    names[n] = NULL;
    return names;
}

void gl_loader_free_names(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

void gl_loader_shutdown(void)
{
    if (!initialized)
        return;
    for (size_t i = 0; i < nmodules; i++) {
        lt_dlclose(modules[i].handle);
        free(modules[i].name);
        free(modules[i].path);
        free(modules[i].data_dir);
    }
    nmodules = 0;
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    ndirs = nconfig_dirs = 0;
    lt_dlexit();
    initialized = 0;
}
