/* failing.c - a stage that fails on documents whose text contains "FAIL"
 * and refuses to start with refuse = true: the runner's error reports. */
#include <string.h>
#include <galley/galley.h>

struct failing_options {
    int refuse;
};

static const galley_option failing_table[] = {
    GALLEY_OPTION_BOOL(struct failing_options, refuse, "false", "fail in create"), GALLEY_OPTION_END
};

/* Refuses to start ("refused on purpose") when the refuse option is set, for
 * the report of a stage that cannot start; otherwise every instance is the same
 * static int. */
static void *create(const void *o, const galley_stage_env *e, galley_error *err)
{
    (void)e;
    static int x;
    if (((const struct failing_options *)o)->refuse) {
        galley_error_set(err, "refused on purpose");
        return NULL;
    }
    return &x;
}

/* Fails ("cannot handle this text") on a document whose text contains FAIL, and
 * leaves the others as they are. */
static int process(void *s, galley_doc *d, galley_error *e)
{
    (void)s;
    if (strstr(galley_doc_text(d), "FAIL"))
        return galley_error_set(e, "cannot handle this text");
    return 0;
}

/* Nothing to free: the instance is static. */
static void destroy(void *s)
{
    (void)s;
}

GALLEY_STAGE(failing) = {
    GALLEY_STAGE_HEADER,
    .name = "failing",
    .version = "test",
    .summary = "fails on purpose",
    .options = failing_table,
    .options_size = sizeof(struct failing_options),
    .concurrency = GALLEY_PARALLEL,
    .create = create,
    .process = process,
    .destroy = destroy,
};
