/* describe.c - prints a stage's descriptor as one JSON object, for the
 * end-to-end tests that compare it with what the stage really writes:
 *
 *     describe STAGE
 *     {"name": "dedup", "rewrites": false, "requires": [], "provides": [...],
 *      "fields": [{"layer": ..., "name": ..., "type": "string", "nullable": false}]}
 *
 * "fields" is null when the descriptor has no table (a 1.0 descriptor, or
 * .fields not set) and [] for an empty one. The stage is loaded the way
 * the embed API loads it (the build tree's modules when run from it). */
#include <stddef.h>
#include <stdio.h>
#include <galley/galley.h>

/* A JSON string: the table's texts are plain, but quotes and
 * backslashes are escaped all the same. */
static void json_str(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

/* A NULL-terminated list of strings as a JSON array. */
static void json_list(const char *const *list)
{
    putchar('[');
    for (size_t i = 0; list && list[i]; i++) {
        if (i)
            fputs(", ", stdout);
        json_str(list[i]);
    }
    putchar(']');
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: describe STAGE\n");
        return GALLEY_EXIT_USAGE;
    }
    galley_error err = { 0 };
    galley_stage_handle *h = galley_stage_open(argv[1], NULL, &err);
    if (!h) {
        fprintf(stderr, "describe: %s\n", err.message);
        return GALLEY_EXIT_USAGE;
    }
    const galley_stage_info *info = galley_stage_descriptor(h);
    /* The table is there only when the descriptor is large enough (ABI 1.1). */
    const galley_layer_field *f =
        info->struct_size >= offsetof(galley_stage_info, fields) + sizeof info->fields
        ? info->fields
        : NULL;
    fputs("{\"name\": ", stdout);
    json_str(info->name);
    printf(", \"rewrites\": %s, \"requires\": ",
           info->flags & GALLEY_STAGE_REWRITES_TEXT ? "true" : "false");
    json_list(info->requires);
    fputs(", \"provides\": ", stdout);
    json_list(info->provides);
    fputs(", \"fields\": ", stdout);
    if (!f) {
        fputs("null", stdout);
    } else {
        putchar('[');
        for (size_t i = 0; f[i].layer; i++) {
            fputs(i ? ", {\"layer\": " : "{\"layer\": ", stdout);
            json_str(f[i].layer);
            fputs(", \"name\": ", stdout);
            json_str(f[i].name);
            fputs(", \"type\": ", stdout);
            json_str(galley_type_name(f[i].type));
            printf(", \"nullable\": %s}", f[i].nullable ? "true" : "false");
        }
        putchar(']');
    }
    fputs("}\n", stdout);
    galley_stage_close(h);
    return GALLEY_EXIT_OK;
}
