/* main.c - the galley command: a table of subcommands (run, check,
 * stages) and the commands stages add (`galley STAGE COMMAND ...`). */
#include "config.h"

#include <getopt.h>
#ifdef GALLEY_STATIC_STAGES
#include <ltdl.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config/loader.h"
#include "config/options.h"
#include "config/pipeline.h"
#include "run/runner.h"
#include "view/view.h"

static const char usage_text[] =
    "Usage: galley run PIPELINE.cfg [INPUT...] [options]\n"
    "       galley check PIPELINE.cfg [--set STAGE.OPTION=VALUE]...\n"
    "       galley stages [NAME] [--markdown]\n"
    "       galley settings [--markdown]       (the config's top-level, input and output "
    "settings)\n"
    "       galley view OUTPUT.jsonl... [-o view.html]   (the articles as one HTML page)\n"
    "       galley STAGE COMMAND [ARGS...]   (a stage's own command, e.g. galley entities train)\n"
    "       galley --help | --version\n"
    "\n"
    "Runs a pipeline of stages over news articles and writes one JSON object\n"
    "per article. INPUT is a file (JSONL, text, .gz, .tar, .tar.gz), a folder\n"
    "(walked recursively, in sorted order) or - for standard input.\n"
    "\n"
    "Options for run and check:\n"
    "  -o, --output FILE        write here instead of standard output (.gz compresses)\n"
    "  -s, --set K=V            override an option: STAGE.OPTION=VALUE, threads=N,\n"
    "                           input.OPTION=VALUE or output.OPTION=VALUE\n"
    "  -j, --threads N          worker threads (0: all cores)\n"
    "      --shard-size N       split the output into files of N documents\n"
    "      --shard I/N          process the I-th (0 to N-1) of N shares of the inputs; the\n"
    "                           outputs are named by shard and FILE.done marks a finished one\n"
    "      --force              run a shard again even though its marker says it is done\n"
    "      --stats FILE         write the account as JSON\n"
    "      --rejects FILE       write each rejected input with its reason (JSONL)\n"
    "      --progress           show the progress line even when not on a terminal\n"
    "  -q, --quiet              no progress line and no account\n"
    "  -v, --verbose            trace the plugin search (same as GALLEY_DEBUG=load)\n"
    "\n"
    "Exit status: 0 done; 1 done, but some input was rejected (see the account);\n"
    "2 usage or configuration error; 3 the run could not complete; 130 or 143\n"
    "stopped by SIGINT or SIGTERM (no output is left under its final name).\n"
    "\n"
    "Environment: GALLEY_PLUGIN_PATH (folders of stage modules, searched first),\n"
    "GALLEY_DATA_PATH (folders of stage data), GALLEY_DEBUG=load.\n";

/* Prints "galley: MESSAGE" and the hint; returns the usage status. */
static int usage_error(const char *fmt, const char *arg)
{
    fputs("galley: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'galley --help'.\n", stderr);
    return GALLEY_EXIT_USAGE;
}

/* What the flags said, for the subcommand that runs. */
typedef struct cli {
    const char **sets; /* overrides, --set and flags alike */
    size_t nsets;
    char **owned; /* the overrides made from flags */
    size_t nowned;
    gl_run_opts run;
    int markdown;
    int force_progress, quiet;
} cli;

/* Appends one override. */
static void add_set(cli *c, const char *s)
{
    c->sets = gl_xrealloc(c->sets, (c->nsets + 1) * sizeof *c->sets);
    c->sets[c->nsets++] = s;
}

/* A flag that is an option of the config (-o, -j, --shard-size) becomes
 * an override like a --set one. */
static void add_flag_override(cli *c, const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    char *s = gl_xmalloc(n);
    snprintf(s, n, "%s=%s", key, value);
    c->owned = gl_xrealloc(c->owned, (c->nowned + 1) * sizeof *c->owned);
    c->owned[c->nowned++] = s;
    add_set(c, s);
}

/* Frees what the flags made: the overrides built from flags and the list of all
 * overrides. The --set strings themselves are argv's. */
static void cli_free(cli *c)
{
    for (size_t i = 0; i < c->nowned; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c->sets);
}

/* ---- galley stages ------------------------------------------------------ */

/* A NULL-terminated list of layer names, after a label. */
static void print_layers(FILE *out, const char *label, const char *const *list, int markdown)
{
    if (!list || !list[0])
        return;
    fprintf(out, markdown ? "- %s layers:" : "  %s layers", label);
    for (size_t i = 0; list[i]; i++)
        fprintf(out, markdown ? " `%s`" : " %s", list[i]);
    fputc('\n', out);
}

/* The fields each element of the stage's layers carries. */
static void print_fields(FILE *out, const galley_stage_info *info, int markdown)
{
    const galley_layer_field *f = gl_stage_fields(info);
    if (!f || !f->layer)
        return;
    if (markdown)
        fputs("Fields of each element (besides `start`, `end` and `text`):\n\n"
              "| layer | field | type | meaning |\n|---|---|---|---|\n",
              out);
    else
        fputs("  fields (besides start, end and text):\n", out);
    for (; f->layer; f++) {
        const char *type = galley_type_name(f->type);
        if (markdown)
            fprintf(out, "| `%s` | `%s` | %s%s | %s |\n", f->layer, f->name, type,
                    f->nullable ? " or null" : "", f->help ? f->help : "");
        else
            fprintf(out, "    %s.%-16s %s%s  %s\n", f->layer, f->name, type,
                    f->nullable ? " or null" : "", f->help ? f->help : "");
    }
    if (markdown)
        fputc('\n', out);
}

/* The commands the stage adds to the command line. */
static void print_commands(FILE *out, const galley_stage_info *info, int markdown)
{
    const galley_stage_command *c = gl_stage_commands(info);
    if (!c || !c->name)
        return;
    fputs(markdown ? "Commands:\n\n" : "  commands:\n", out);
    for (; c->name; c++)
        fprintf(out, markdown ? "- `galley %s %s %s`: %s\n" : "    galley %s %s %s\n      %s\n",
                info->name, c->name, c->usage ? c->usage : "", c->summary ? c->summary : "");
    if (markdown)
        fputc('\n', out);
}

/* Everything `galley stages NAME` says about one stage. */
static void print_stage(const gl_module *m, FILE *out, int markdown)
{
    const galley_stage_info *info = m->info;
    if (markdown) {
        fprintf(out, "## %s %s\n\n%s\n\n", info->name, info->version ? info->version : "",
                info->summary ? info->summary : "");
        fprintf(out, "- concurrency: %s\n",
                info->concurrency == GALLEY_ORDERED ? "ordered" : "parallel");
    } else {
        fprintf(out, "%s %s: %s\n", info->name, info->version ? info->version : "",
                info->summary ? info->summary : "");
        fprintf(out, "  loaded from %s\n", m->path);
        fprintf(out, "  data folder %s\n", m->data_dir);
        fprintf(out, "  concurrency %s%s\n",
                info->concurrency == GALLEY_ORDERED ? "ordered" : "parallel",
                info->flags & GALLEY_STAGE_REWRITES_TEXT ? ", rewrites the text" : "");
    }
    print_layers(out, "requires", info->requires, markdown);
    print_layers(out, "provides", info->provides, markdown);
    if (info->flags & GALLEY_STAGE_REWRITES_TEXT && markdown)
        fprintf(out, "- rewrites the text (must come before annotating stages)\n");
    fputs(markdown ? "\n" : "  options:\n", out);
    gl_options_print(info->options, out, markdown);
    if (markdown)
        fputc('\n', out);
    print_fields(out, info, markdown);
    print_commands(out, info, markdown);
}

/* The one-line listing of every stage on the search path. */
static int list_stages(const cli *c)
{
    galley_error err = { 0 };
    char **names = gl_loader_available();
    int rc = GALLEY_EXIT_OK;
    if (c->markdown)
        printf("# Built-in stages\n\nGenerated by `galley stages --markdown` from each stage's "
               "option table.\n\n");
    for (size_t i = 0; names[i]; i++) {
        const gl_module *m = gl_loader_load(names[i], &err);
        if (c->markdown) {
            if (m)
                print_stage(m, stdout, 1);
            continue;
        }
        if (m)
            printf("%-12s %-6s %-8s %s\n%-12s from %s\n", names[i],
                   m->info->version ? m->info->version : "",
                   m->info->concurrency == GALLEY_ORDERED ? "ordered" : "parallel",
                   m->info->summary ? m->info->summary : "", "", m->path);
        else {
            printf("%-12s (cannot load: %s)\n", names[i], err.message);
            rc = GALLEY_EXIT_USAGE;
        }
    }
    if (!names[0]) {
        fprintf(stderr, "galley: no stages found; searched:");
        for (const char *const *d = gl_loader_search_path(); *d; d++)
            fprintf(stderr, " %s", *d);
        fputc('\n', stderr);
        rc = GALLEY_EXIT_USAGE;
    }
    gl_loader_free_names(names);
    return rc;
}

/* galley stages [NAME] */
static int cmd_stages(int argc, char **argv, cli *c)
{
    galley_error err = { 0 };
    if (gl_loader_init(&err) < 0) {
        fprintf(stderr, "galley: %s\n", err.message);
        return GALLEY_EXIT_USAGE;
    }
    if (argc == 0)
        return list_stages(c);
    const gl_module *m = gl_loader_load(argv[0], &err);
    if (!m) {
        fprintf(stderr, "galley: %s\n", err.message);
        return GALLEY_EXIT_USAGE;
    }
    print_stage(m, stdout, c->markdown);
    return GALLEY_EXIT_OK;
}

/* ---- galley check / run ------------------------------------------------- */

/* The pipeline with the command line's overrides, or NULL after printing
 * every error. */
static gl_pipeline *load_pipeline(int argc, char **argv, const char *cmd, cli *c)
{
    if (argc < 1) {
        usage_error("%s: which pipeline? (galley CMD PIPELINE.cfg)", cmd);
        return NULL;
    }
    gl_errors errs = { 0 };
    gl_pipeline *p = gl_pipeline_load(argv[0], c->sets, c->nsets, &errs);
    if (!p) {
        gl_errors_print(&errs, stderr);
        gl_errors_free(&errs);
    }
    return p;
}

/* galley check PIPELINE.cfg */
static int cmd_check(int argc, char **argv, cli *c)
{
    gl_pipeline *p = load_pipeline(argc, argv, "check", c);
    if (!p)
        return GALLEY_EXIT_USAGE;
    if (argc > 1)
        fprintf(stderr, "galley: check ignores the inputs given\n");
    gl_pipeline_print(p, stdout);
    printf("ok\n");
    gl_pipeline_free(p);
    return GALLEY_EXIT_OK;
}

/* galley run PIPELINE.cfg INPUT... */
static int cmd_run(int argc, char **argv, cli *c)
{
    gl_pipeline *p = load_pipeline(argc, argv, "run", c);
    if (!p)
        return GALLEY_EXIT_USAGE;
    if (argc < 2) {
        gl_pipeline_free(p);
        return usage_error("%s", "no input: give files, folders, or - for standard input");
    }
    c->run.inputs = (const char *const *)(argv + 1);
    c->run.ninputs = (size_t)(argc - 1);
    c->run.quiet = c->quiet;
    c->run.progress = !c->quiet && (c->force_progress || isatty(2));
    c->run.handle_signals = 1;
    if (!c->run.nshards)
        c->run.nshards = 1;
    gl_account acct;
    galley_error err = { 0 };
    int status = gl_run(p, &c->run, &acct, &err);
    if (status != GALLEY_EXIT_OK)
        fprintf(stderr, "galley: %s\n", err.message);
    else if (acct.rejected > 0)
        status = GALLEY_EXIT_REJECTED;
    gl_pipeline_free(p);
    return status;
}

/* galley settings: the reference of the config's own settings. */
static int cmd_settings(int argc, char **argv, cli *c)
{
    (void)argc;
    (void)argv;
    gl_pipeline_print_reference(stdout, c->markdown);
    return GALLEY_EXIT_OK;
}

/* galley view FILE.jsonl... [-o PAGE.html] [--set output.offsets=bytes]:
 * -o and the offsets come as overrides, like run's. */
static int cmd_view(int argc, char **argv, cli *c)
{
    gl_view_opts o = { .inputs = (const char *const *)argv, .ninputs = (size_t)argc };
    for (size_t i = 0; i < c->nsets; i++) {
        if (strncmp(c->sets[i], "output.path=", 12) == 0)
            o.output = c->sets[i] + 12;
        else if (strcmp(c->sets[i], "output.offsets=bytes") == 0)
            o.byte_offsets = 1;
        else if (strcmp(c->sets[i], "output.offsets=codepoints") != 0)
            return usage_error("view: %s: view takes only -o FILE and --set output.offsets=bytes",
                               c->sets[i]);
    }
    if (argc < 1)
        return usage_error("%s", "view: which file? (galley view OUTPUT.jsonl -o view.html)");
    gl_view_counts n;
    galley_error err = { 0 };
    int status = gl_view(&o, &n, &err);
    if (err.set)
        fprintf(stderr, "galley: %s\n", err.message);
    else if (!c->quiet)
        fprintf(stderr,
                "galley: view of %llu articles%s%s; %llu lines unreadable, %llu spans left out\n",
                (unsigned long long)n.articles, o.output ? " in " : "", o.output ? o.output : "",
                (unsigned long long)n.unreadable, (unsigned long long)n.bad_spans);
    return status;
}

/* ---- the command table -------------------------------------------------- */

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv, cli *c);
} commands[] = {
    { "run", cmd_run },           { "check", cmd_check }, { "stages", cmd_stages },
    { "settings", cmd_settings }, { "view", cmd_view },
};

static const char *const command_names[] = { "run", "check", "stages", "settings", "view", NULL };

/* `galley STAGE COMMAND ARGS...`: the stage's own command, with its own
 * flags (parsed by the stage, before galley's getopt could see them).
 * Returns -1 when argv[1] does not name a loadable stage. */
static int run_stage_command(int argc, char **argv)
{
    galley_error err = { 0 };
    if (argc < 2 || argv[1][0] == '-' || gl_loader_init(&err) < 0)
        return -1;
    for (size_t i = 0; command_names[i]; i++)
        if (strcmp(argv[1], command_names[i]) == 0)
            return -1;
    const gl_module *m = gl_loader_load(argv[1], &err);
    if (!m)
        return -1;
    const galley_stage_info *info = m->info;
    const galley_stage_command *cmd = argc > 2 ? gl_stage_command(info, argv[2]) : NULL;
    if (!cmd) {
        const galley_stage_command *all = gl_stage_commands(info);
        if (!all || !all->name)
            fprintf(stderr, "galley: stage \"%s\" has no commands\n", info->name);
        else if (argc > 2)
            fprintf(stderr, "galley: stage \"%s\" has no command \"%s\"; it has:\n", info->name,
                    argv[2]);
        else
            fprintf(stderr, "galley: stage \"%s\": which command? It has:\n", info->name);
        for (const galley_stage_command *k = all; k && k->name; k++)
            fprintf(stderr, "    galley %s %s %s\n", info->name, k->name, k->usage ? k->usage : "");
        return GALLEY_EXIT_USAGE;
    }
    galley_stage_env env = {
        .struct_size = sizeof env,
        .name = info->name,
        .data_dir = m->data_dir,
        .config_dir = ".",
        .worker = 0,
        .nworkers = 1,
        .shard = 0,
        .nshards = 1,
    };
    return cmd->run(argc - 2, argv + 2, &env);
}

/* "I/N" with 0 <= I < N <= 1000000; returns -1 when it is not. */
static int parse_shard(const char *s, unsigned *shard, unsigned *nshards)
{
    char *end;
    unsigned long i = strtoul(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *p = end + 1;
    unsigned long n = strtoul(p, &end, 10);
    if (end == p || *end || n == 0 || n > 1000000 || i >= n || s[0] == '-' || p[0] == '-')
        return -1;
    *shard = (unsigned)i;
    *nshards = (unsigned)n;
    return 0;
}

/* Parses galley's own flags into `c`; returns -1 to go on, or the exit
 * status when a flag ends the program (--help, --version, a bad flag). */
static int parse_flags(int argc, char **argv, cli *c)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "output", required_argument, NULL, 'o' },
        { "set", required_argument, NULL, 's' },
        { "threads", required_argument, NULL, 'j' },
        { "shard-size", required_argument, NULL, 'S' },
        { "shard", required_argument, NULL, 'H' },
        { "force", no_argument, NULL, 'F' },
        { "stats", required_argument, NULL, 'T' },
        { "rejects", required_argument, NULL, 'R' },
        { "progress", no_argument, NULL, 'P' },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "markdown", no_argument, NULL, 'M' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "ho:s:j:qvV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(usage_text, stdout);
            return GALLEY_EXIT_OK;
        case 'V':
            printf("galley %s (stage ABI %d.%d)\n", PACKAGE_VERSION, GALLEY_ABI_MAJOR,
                   GALLEY_ABI_MINOR);
            return GALLEY_EXIT_OK;
        case 'o':
            add_flag_override(c, "output.path", optarg);
            break;
        case 's':
            add_set(c, optarg);
            break;
        case 'j':
            add_flag_override(c, "threads", optarg);
            break;
        case 'S':
            add_flag_override(c, "output.shard_size", optarg);
            break;
        case 'H':
            if (parse_shard(optarg, &c->run.shard, &c->run.nshards) < 0)
                return usage_error("--shard %s: expected I/N with 0 <= I < N (0/4 is the first "
                                   "of four shares)",
                                   optarg);
            break;
        case 'F':
            c->run.force = 1;
            break;
        case 'T':
            c->run.stats_path = optarg;
            break;
        case 'R':
            c->run.rejects_path = optarg;
            break;
        case 'P':
            c->force_progress = 1;
            break;
        case 'q':
            c->quiet = 1;
            break;
        case 'v':
            setenv("GALLEY_DEBUG", "load", 1);
            break;
        case 'M':
            c->markdown = 1;
            break;
        default:
            fputs("Try 'galley --help'.\n", stderr);
            return GALLEY_EXIT_USAGE;
        }
    }
    return -1;
}

/* The subcommand named `name` run on the rest of the arguments. */
static int dispatch(const char *name, int argc, char **argv, cli *c)
{
    for (size_t i = 0; i < GL_ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc, argv, c);
    const char *guess = gl_did_you_mean(name, command_names);
    if (guess) {
        fprintf(stderr, "galley: unknown command \"%s\" (did you mean \"%s\"?)\n", name, guess);
        return GALLEY_EXIT_USAGE;
    }
    return usage_error("unknown command \"%s\": use run, check, stages or settings", name);
}

int main(int argc, char **argv)
{
#ifdef GALLEY_STATIC_STAGES
    /* The built-in stages are linked in (static/Makefile.am). */
    LTDL_SET_PRELOADED_SYMBOLS();
    gl_loader_use_preloaded();
#endif
    int status = run_stage_command(argc, argv);
    if (status >= 0) {
        gl_loader_shutdown();
        return status;
    }
    cli c;
    memset(&c, 0, sizeof c);
    status = parse_flags(argc, argv, &c);
    if (status < 0) {
        int rest = argc - optind;
        char **args = argv + optind;
        if (rest < 1)
            status = usage_error("%s", "no command: use run, check or stages");
        else
            status = dispatch(args[0], rest - 1, args + 1, &c);
    }
    cli_free(&c);
    gl_loader_shutdown();
    return status;
}
