/* commander.c - a stage with a command of its own and a layer-field
 * table: `galley commander echo ARGS...` prints its arguments. */
#include <stdio.h>
#include <string.h>
#include <galley/galley.h>

/* The stage keeps no state: every instance is the same static int. */
static void *create(const void *o, const galley_stage_env *e, galley_error *err)
{
    (void)o;
    (void)e;
    (void)err;
    static int x;
    return &x;
}

/* Leaves the document as it is: the stage is here for its command and its table
 * of fields. */
static int process(void *s, galley_doc *d, galley_error *e)
{
    (void)s;
    (void)d;
    (void)e;
    return 0;
}

/* Nothing to free: the instance is static. */
static void destroy(void *s)
{
    (void)s;
}

/* Prints each argument on a line, then the stage's name; fails with the
 * usage status when given "fail". */
static int echo(int argc, char **argv, const galley_stage_env *env)
{
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "fail") == 0)
            return GALLEY_EXIT_USAGE;
        printf("%s\n", argv[i]);
    }
    printf("stage %s\n", env->name);
    return GALLEY_EXIT_OK;
}

static const galley_stage_command commands[] = {
    { "echo", "ARGS...", "prints its arguments", echo }, GALLEY_STAGE_COMMAND_END
};

static const galley_layer_field fields[] = { { "words", "count", GALLEY_INT, 0, "how many" },
                                             { "words", "head", GALLEY_OFFSET, 1,
                                               "where the head word starts" },
                                             GALLEY_LAYER_FIELD_END };

static const char *const provides[] = { "words", NULL };

GALLEY_STAGE(commander) = {
    GALLEY_STAGE_HEADER,  .name = "commander",  .version = "1",     .summary = "has a command",
    .provides = provides, .create = create,     .process = process, .destroy = destroy,
    .fields = fields,     .commands = commands,
};
