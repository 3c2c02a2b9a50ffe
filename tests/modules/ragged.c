/* ragged.c - a stage whose spans do not all carry the same fields, with
 * an offset field and an object: what a session's COLUMNS form must keep
 * apart (null, absent) and convert (byte offsets to code points). On the
 * text "é ab": span [0, 1) has a = "x" and at = offset of "b"; span
 * [2, 4) has b = null and o = {"k": 1}. */
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

/* Adds the layer "ragged" with the two spans described at the top of this file,
 * at their byte offsets in "é ab". Fails on a text shorter than 5 bytes,
 * leaving the layer empty. */
static int process(void *self, galley_doc *doc, galley_error *err)
{
    (void)self;
    galley_layer *layer = galley_doc_add_layer(doc, "ragged");
    if (galley_doc_text_len(doc) < 5)
        return galley_error_set(err, "want a text of 5 bytes at least");
    galley_span *a = galley_layer_add(layer, 0, 2); /* "é" is two bytes */
    galley_object_set_str(a->fields, "a", "x");
    galley_object_set_offset(a->fields, "at", 4);
    galley_span *b = galley_layer_add(layer, 3, 5);
    galley_object_set_null(b->fields, "b");
    galley_object_set_int(galley_object_set_object(b->fields, "o"), "k", 1);
    return 0;
}

/* Nothing to free: the instance is static. */
static void destroy(void *s)
{
    (void)s;
}

static const char *const provides[] = { "ragged", NULL };

GALLEY_STAGE(ragged) = {
    GALLEY_STAGE_HEADER,  .name = "ragged",
    .version = "1",       .summary = "spans with differing fields",
    .provides = provides, .create = create,
    .process = process,   .destroy = destroy,
};
