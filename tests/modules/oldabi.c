/* oldabi.c - a module built for another ABI major: the loader refuses it. */
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

GALLEY_STAGE(oldabi) = {
    .abi_major = 0,
    .abi_minor = 3,
    .struct_size = sizeof(galley_stage_info),
    .name = "oldabi",
    .version = "0",
    .summary = "built for ABI 0",
    .create = create,
    .process = process,
    .destroy = destroy,
};
