/* keywords.c - an example stage built outside galley's tree: it tags the
 * words and phrases of a user-supplied list as a "keywords" layer.
 *
 *     make                      # keywords.la, with libtool and pkg-config galley
 *     galley run keywords.cfg articles.jsonl
 *     galley keywords check beat.txt    # its command: is the list readable?
 *
 * Everything it uses comes from <galley/galley.h>: the option table, the
 * table of its layer's fields, the document's tokens, a galley_dict for
 * the list, the arena. docs/writing-a-stage.md walks through it. */
#include <stdio.h>
#include <stdlib.h>
#include <galley/galley.h>

struct keywords_options {
    const char *list; /* file of keywords, one a line */
    int ignore_case;
    const char *label; /* the field "label" of each span */
};

static const galley_option keywords_table[] = {
    GALLEY_OPTION_STRING(struct keywords_options, list, NULL,
                         "file of keywords, one word or phrase a line (relative to the config)"),
    GALLEY_OPTION_BOOL(struct keywords_options, ignore_case, "true", "match regardless of case"),
    GALLEY_OPTION_STRING(struct keywords_options, label, "keyword", "label given to each match"),
    GALLEY_OPTION_END
};

struct keywords {
    galley_dict *dict;
    const struct keywords_options *opt;
    long matches;
};

/* Frees what keywords_create made; also its clean-up on failure. */
static void keywords_destroy(void *self)
{
    struct keywords *k = self;
    galley_dict_free(k->dict);
    free(k);
}

/* One instance per worker: the list is read here, once, with a path
 * relative to the config's folder. Refuses (NULL and err) a missing list. */
static void *keywords_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    const struct keywords_options *o = options;
    if (!o->list) {
        galley_error_set(err, "the option \"list\" is required (a file of keywords)");
        return NULL;
    }
    struct keywords *k = calloc(1, sizeof *k);
    if (!k) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    k->opt = o;
    k->dict = galley_dict_new(o->ignore_case ? GALLEY_DICT_CASE_INSENSITIVE : 0);
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", o->list[0] == '/' ? "" : env->config_dir,
             o->list[0] == '/' ? "" : "/", o->list);
    if (galley_dict_load(k->dict, path, o->label, err) < 0) {
        keywords_destroy(k);
        return NULL;
    }
    return k;
}

/* Tags the longest match of the list at each token, left to right; the
 * layer's spans and fields live in the document's arena. */
static int keywords_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)err;
    struct keywords *k = self;
    size_t n;
    const galley_token *tok = galley_doc_tokens(doc, &n);
    galley_layer *layer = galley_doc_add_layer(doc, "keywords");
    const char *text = galley_doc_text(doc);
    for (size_t i = 0; i < n;) {
        size_t len;
        const char *label = galley_dict_match(k->dict, text, tok, i, n, &len);
        if (!label) {
            i++;
            continue;
        }
        galley_span *s = galley_layer_add(layer, tok[i].start, tok[i + len - 1].end);
        galley_object_set_strn(s->fields, "text", text + tok[i].start,
                               tok[i + len - 1].end - tok[i].start);
        galley_object_set_str(s->fields, "label", label);
        k->matches++;
        i += len;
    }
    return 0;
}

/* The run's account gets this instance's count; the core sums the
 * reports of the parallel instances. */
static int keywords_finish(void *self, galley_object *report, galley_error *err)
{
    (void)err;
    galley_object_set_int(report, "matches", ((struct keywords *)self)->matches);
    return 0;
}

/* galley keywords check LIST...: reads each keyword list as the stage
 * would and says how many entries it has, or what is wrong with it (file
 * and line). A command is a program of its own: it may print, and its
 * return value is galley's exit status. */
static int keywords_check(int argc, char **argv, const galley_stage_env *env)
{
    (void)env;
    if (argc < 2) {
        fprintf(stderr, "usage: galley keywords check LIST...\n");
        return GALLEY_EXIT_USAGE;
    }
    int status = GALLEY_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        galley_error err = { 0 };
        galley_dict *dict = galley_dict_new(0);
        if (galley_dict_load(dict, argv[i], "keyword", &err) < 0) {
            fprintf(stderr, "galley: %s\n", err.message);
            status = GALLEY_EXIT_USAGE;
        } else {
            printf("%s: %zu keywords\n", argv[i], galley_dict_size(dict));
        }
        galley_dict_free(dict);
    }
    return status;
}

static const galley_stage_command keywords_commands[] = {
    { "check", "LIST...", "reads each keyword list and reports its size or its errors",
      keywords_check },
    GALLEY_STAGE_COMMAND_END
};

/* What each element of the "keywords" layer carries besides start, end
 * and text: `galley stages keywords` prints it, readers of the layer rely
 * on it. */
static const galley_layer_field keywords_fields[] = {
    { "keywords", "label", GALLEY_STRING, 0, "the option label (\"keyword\" unless set)" },
    GALLEY_LAYER_FIELD_END
};

GALLEY_STAGE(keywords) = {
    GALLEY_STAGE_HEADER,
    .name = "keywords",
    .version = "1.0",
    .summary = "tags the words of a user-supplied list (an example stage built out of tree)",
    .options = keywords_table,
    .options_size = sizeof(struct keywords_options),
    .provides = (const char *const[]){ "keywords", NULL },
    .concurrency = GALLEY_PARALLEL,
    .create = keywords_create,
    .process = keywords_process,
    .finish = keywords_finish,
    .destroy = keywords_destroy,
    .fields = keywords_fields,
    .commands = keywords_commands,
};
