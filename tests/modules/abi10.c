/* abi10.c - a module built against ABI 1.0, whose descriptor ends before
 * the 1.1 tables: it loads, and the core reads no fields or commands
 * from it even though the memory after its descriptor is not zero. */
#include <stddef.h>
#include <galley/galley.h>

/* The stage keeps no state: every instance is the same static int. The module
 * is here to be loaded through a 1.0 descriptor, not to work. */
static void *create(const void *o, const galley_stage_env *e, galley_error *err)
{
    (void)o;
    (void)e;
    (void)err;
    static int x;
    return &x;
}

/* Leaves the document as it is. */
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

static const galley_layer_field not_read[] = { { "words", "count", GALLEY_INT, 0,
                                                 "a field a 1.0 descriptor cannot have" },
                                               GALLEY_LAYER_FIELD_END };

GALLEY_STAGE(abi10) = {
    .abi_major = 1,
    .abi_minor = 0,
    .struct_size = offsetof(galley_stage_info, fields),
    .name = "abi10",
    .version = "0",
    .summary = "built for ABI 1.0",
    .create = create,
    .process = process,
    .destroy = destroy,
    .fields = not_read,
};
