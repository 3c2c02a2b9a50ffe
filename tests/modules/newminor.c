/* newminor.c - a module built for a newer ABI minor: the loader refuses it. */
#include <galley/galley.h>

/* Never called: the loader refuses the module (it needs a newer ABI minor)
 * before it makes an instance. The descriptor has every callback, so that it is
 * wrong in that one way only. */
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
