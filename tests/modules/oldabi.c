/* oldabi.c - a module built for another ABI major: the loader refuses it. */
#include <galley/galley.h>

/* Never called: the loader refuses the module (it was built for another ABI
 * major) before it makes an instance. The descriptor has every callback, so
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
