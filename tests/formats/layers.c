/* layers.c - a test stage that turns the metadata field "layers" into
 * annotation layers: {"entities": [{"start": 0, "end": 4, "type": "LOC"}]}
 * with code point offsets, as the output would have them. It lets the
 * writers (JSONL offsets, CoNLL, CSV) be tested without the real stages. */
#include <string.h>
#include <galley/galley.h>

/* Byte offset of code point `cp` in the text (clamped to its end). */
static size_t byte_at(const char *text, size_t len, int64_t cp)
{
    size_t i = 0;
    for (int64_t k = 0; k < cp && i < len; k++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* The stage keeps no state: every instance is the same static int. */
static void *layers_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    (void)options;
    (void)env;
    (void)err;
    static int instance;
    return &instance;
}

/* Turns the metadata field "layers" into the layers it describes, then removes
 * it. Each element's start and end are code-point offsets, made bytes (clamped
 * to the text); a field at_X becomes the offset field X, and string, integer
 * and null fields are copied (any other is left out). A span the document
 * refuses fails the document ("bad span"). */
static int layers_process(void *self, galley_doc *doc, galley_error *err)
{
    (void)self;
    galley_object *meta = galley_doc_meta(doc);
    galley_object *layers = galley_object_get_object(meta, "layers");
    if (!layers)
        return 0;
    const char *text = galley_doc_text(doc);
    size_t len = galley_doc_text_len(doc);
    for (size_t l = 0; l < galley_object_size(layers); l++) {
        galley_layer *layer = galley_doc_add_layer(doc, galley_object_key_at(layers, l));
        galley_array *spans = galley_value_array(galley_object_value_at(layers, l));
        for (size_t i = 0; i < galley_array_size(spans); i++) {
            galley_object *in = galley_value_object(galley_array_at(spans, i));
            size_t start = byte_at(text, len, galley_object_get_int(in, "start", 0));
            size_t end = byte_at(text, len, galley_object_get_int(in, "end", 0));
            galley_span *sp = galley_layer_add(layer, start, end);
            if (!sp)
                return galley_error_set(err, "bad span %zu..%zu", start, end);
            for (size_t k = 0; k < galley_object_size(in); k++) {
                const char *key = galley_object_key_at(in, k);
                const galley_value *v = galley_object_value_at(in, k);
                if (!strcmp(key, "start") || !strcmp(key, "end"))
                    continue;
                if (!strncmp(key, "at_", 3)) /* at_X: an offset field X */
                    galley_object_set_offset(sp->fields, key + 3,
                                             byte_at(text, len, galley_value_int(v)));
                else if (galley_value_type(v) == GALLEY_STRING)
                    galley_object_set_str(sp->fields, key, galley_value_str(v, NULL));
                else if (galley_value_type(v) == GALLEY_INT)
                    galley_object_set_int(sp->fields, key, galley_value_int(v));
                else if (galley_value_type(v) == GALLEY_NULL)
                    galley_object_set_null(sp->fields, key);
            }
        }
    }
    galley_object_remove(meta, "layers");
    return 0;
}

/* Nothing to free: the instance is static. */
static void layers_destroy(void *self)
{
    (void)self;
}

/* The layers the tests make it build (a stage declares what it adds:
 * the CSV output's layer must be one of them). */
static const char *const provides[] = { "entities", "quotes", NULL };

GALLEY_STAGE(layers) = {
    GALLEY_STAGE_HEADER,       .name = "layers",
    .version = "test",         .summary = "test stage: layers from the metadata field \"layers\"",
    .provides = provides,      .concurrency = GALLEY_PARALLEL,
    .create = layers_create,   .process = layers_process,
    .destroy = layers_destroy,
};
