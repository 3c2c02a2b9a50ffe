/* misnamed.c - a module whose descriptor names another stage. */
#include <galley/galley.h>

/* Never called: the loader refuses the module (its descriptor names another
 * stage) before it makes an instance. The descriptor has every callback, so
 * that it is wrong in that one way only. */
static void *create(const void *o, const galley_stage_env *e, galley_error *err)
{
    (void)o;
    (void)e;
    (void)err;
    static int x;
    return &x;
}

/* Never called either (see create). */
static int process(void *s, galley_doc *d, galley_error *e)
{
    (void)s;
    (void)d;
    (void)e;
    return 0;
}

/* Never called either (see create). */
static void destroy(void *s)
{
    (void)s;
}

GALLEY_STAGE(misnamed) = {
    GALLEY_STAGE_HEADER, .name = "other",    .version = "0",     .summary = "names itself other",
    .create = create,    .process = process, .destroy = destroy,
};
