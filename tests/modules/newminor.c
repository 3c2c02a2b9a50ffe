/* newminor.c - a module built for a newer ABI minor: the loader refuses it. */
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

GALLEY_STAGE(newminor) = {
    .abi_major = GALLEY_ABI_MAJOR,
    .abi_minor = GALLEY_ABI_MINOR + 1,
    .struct_size = sizeof(galley_stage_info),
    .name = "newminor",
    .version = "0",
    .summary = "needs a newer minor",
    .create = create,
    .process = process,
    .destroy = destroy,
};
