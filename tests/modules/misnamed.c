/* misnamed.c - a module whose descriptor names another stage. */
#include <galley/galley.h>

static void *create(const void *o, const galley_stage_env *e, galley_error *err)
{
    (void)o;
    (void)e;
    (void)err;
    static int x;
    return &x;
}
static int process(void *s, galley_doc *d, galley_error *e)
{
    (void)s;
    (void)d;
    (void)e;
    return 0;
}
static void destroy(void *s)
{
    (void)s;
}

GALLEY_STAGE(misnamed) = {
    GALLEY_STAGE_HEADER, .name = "other",    .version = "0",     .summary = "names itself other",
    .create = create,    .process = process, .destroy = destroy,
};
