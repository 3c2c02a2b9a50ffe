/* fuzz_config.c - the pipeline loader over any bytes: libconfig's parser,
 * the top level, the input and output sections, every built-in stage's
 * option table, the --set overrides and the check of the layers' order;
 * then, for a config that loads, `galley check`'s printout, and each
 * stage created from its options and run on one small article.
 *
 * The input is the config file; after a line "%%" each further line is
 * one --set override. Inputs with '@' (an @include could name any file)
 * or "plugin_path" (folders searched for modules, kept for the whole
 * process) are skipped: the target reads no file but its own. Stages are
 * created only when the input holds no '/' and no '\\' (no path out of
 * the target's folder: a dedup index or a dictionary is then a file in
 * it), and not normalize or entities: their create builds a character
 * table or loads dictionaries (40-80 ms each with the sanitizers, 50
 * times the rest of a run); the normalize and entities targets run their
 * option sets instead.
 *
 * Invariants: the load succeeds with no message or fails with at least
 * one, each naming the config file (or the --set) it is about; a loaded
 * pipeline prints; a stage that cannot be created says why; the article
 * stays a valid document through the stages; nothing leaks or hangs. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/pipeline.h"
#include "config/stage_conf.h"
#include "fuzz.h"

#define MAX_OVERRIDES 16

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir();
    devnull = fopen("/dev/null", "w");
    return 0;
}

static const char article[] =
    "Title line\n\n"
    "KAUNAS, Lithuania (Baltic Wire) — <p>Grid operator Litgrid said on Monday that "
    "“the link will hold,” Energy Minister Jonas Petrauskas told reporters.</p>\n"
    "Read more: subscribe to our newsletter.\n";

/* Stages too slow to create on every input (see the top). */
static int slow_to_create(const gl_stage_conf *st)
{
    return strcmp(st->use, "normalize") == 0 || strcmp(st->use, "entities") == 0;
}

/* Creates the stages of a loaded pipeline (all but the slow ones), runs
 * them in order on the article, checks it, finishes and destroys them. */
static void run_stages(const gl_pipeline *p)
{
    void *self[64] = { 0 };
    size_t n = p->nstages < 64 ? p->nstages : 64;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (slow_to_create(&p->stages[i]))
            continue;
        galley_error err = { 0 };
        self[i] = gl_stage_conf_create(&p->stages[i], p->config_dir, 0, 1, 0, 1, &err);
        if (!self[i]) {
            FUZZ_CHECK(err.set && err.message[0], "stage \"%s\" not created, without a reason",
                       p->stages[i].name);
            ok = 0;
        }
    }
    if (ok) {
        galley_doc *doc = galley_doc_new("a1", article, sizeof article - 1);
        galley_object_set_str(galley_doc_meta(doc), "title", "Title line");
        for (size_t i = 0; i < n && galley_doc_status(doc) == GALLEY_KEPT; i++) {
            if (!self[i])
                continue;
            const galley_stage_info *info = p->stages[i].module->info;
            galley_error err = { 0 };
            int rc = info->prepare ? info->prepare(self[i], doc, &err) : 0;
            if (rc == 0)
                rc = info->process(self[i], doc, &err);
            FUZZ_CHECK(rc == 0 || (err.set && err.message[0]),
                       "stage \"%s\" failed without a reason", p->stages[i].name);
            if (rc != 0)
                break;
        }
        fuzz_check_doc(doc, "the article after the config's stages");
        galley_doc_free(doc);
        for (size_t i = 0; i < n; i++) {
            if (!self[i])
                continue;
            const galley_stage_info *info = p->stages[i].module->info;
            galley_arena *a = galley_arena_new(0);
            galley_error err = { 0 };
            if (info->finish)
                info->finish(self[i], galley_object_new(a), &err);
            galley_arena_free(a);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (self[i])
            p->stages[i].module->info->destroy(self[i]);
}

/* Does the message say where the mistake is: the config file, or the
 * override it is about? */
static int names_its_place(const char *msg, const char *path)
{
    size_t n = strlen(path);
    return (strncmp(msg, path, n) == 0 && msg[n] == ':') || strncmp(msg, "--set ", 6) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, '@', size) || memmem(data, size, "plugin_path", 11))
        return 0;
    int may_create = !memchr(data, '/', size) && !memchr(data, '\\', size);
    /* The config, then the override lines after "%%". */
    size_t cfg_len = size;
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *overrides[MAX_OVERRIDES];
    size_t nov = 0;
    char *mark = strstr(copy, "\n%%\n");
    if (mark && (size_t)(mark - copy) < size) {
        cfg_len = (size_t)(mark - copy) + 1;
        for (char *line = mark + 4; *line && nov < MAX_OVERRIDES;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (*line)
                overrides[nov++] = line;
            if (!nl)
                break;
            line = nl + 1;
        }
    }
    const char *path = fuzz_write_file("fuzz.cfg", data, cfg_len);
    char *cfg_path = strdup(path);

    gl_errors errs = { 0 };
    gl_pipeline *p = gl_pipeline_load(cfg_path, overrides, nov, &errs);
    if (p) {
        FUZZ_CHECK(errs.n == 0, "the pipeline loaded with %zu errors: %s", errs.n, errs.msgs[0]);
        for (size_t i = 0; i < p->nstages; i++)
            FUZZ_CHECK(p->stages[i].module != NULL, "stage %zu loaded without a module", i);
        gl_pipeline_print(p, devnull);
        if (may_create)
            run_stages(p);
        gl_pipeline_free(p);
    } else {
        FUZZ_CHECK(errs.n > 0, "the pipeline failed to load without a message");
    }
    for (size_t i = 0; i < errs.n; i++)
        FUZZ_CHECK(errs.msgs[i][0] && names_its_place(errs.msgs[i], cfg_path),
                   "an error that names neither the file nor the override: %s", errs.msgs[i]);
    gl_errors_free(&errs);
    free(cfg_path);
    free(copy);
    return 0;
}
