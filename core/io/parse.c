/* parse.c - building documents from input records. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/parse.h"

static void put_value(galley_object *o, galley_array *arr, const char *key, json_t *v);

/* JSON values become galley values: objects and arrays recursively. */
static void put_value(galley_object *o, galley_array *arr, const char *key, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        galley_object *child = o ? galley_object_set_object(o, key) : galley_array_push_object(arr);
        const char *k;
        json_t *val;
        json_object_foreach(v, k, val)
            put_value(child, NULL, k, val);
        break;
    }
    case JSON_ARRAY: {
        galley_array *child = o ? galley_object_set_array(o, key) : galley_array_push_array(arr);
        size_t i;
        json_t *val;
        json_array_foreach(v, i, val)
            put_value(NULL, child, NULL, val);
        break;
    }
    case JSON_STRING:
        if (o)
            galley_object_set_strn(o, key, json_string_value(v), json_string_length(v));
        else
            galley_array_push_strn(arr, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        if (o)
            galley_object_set_int(o, key, json_integer_value(v));
        else
            galley_array_push_int(arr, json_integer_value(v));
        break;
    case JSON_REAL:
        if (o)
            galley_object_set_real(o, key, json_real_value(v));
        else
            galley_array_push_real(arr, json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if (o)
            galley_object_set_bool(o, key, json_is_true(v));
        else
            galley_array_push_bool(arr, json_is_true(v));
        break;
    case JSON_NULL:
        if (o)
            galley_object_set_null(o, key);
        else
            galley_array_push_null(arr);
        break;
    }
}

galley_doc *gl_parse_json(const char *line, size_t len, const char *source,
                          const gl_input_opts *o, uint64_t *repaired,
                          const char **reason, galley_error *err)
{
    /* Invalid UTF-8 is repaired before parsing (jansson refuses it); the
     * repair's arena holds the line while it is parsed. */
    galley_arena *tmp = NULL;
    if (!galley_utf8_valid(line, len)) {
        tmp = galley_arena_new(len * 3 + 64);
        size_t n, count;
        line = galley_utf8_repair(tmp, line, len, &n, &count);
        len = n;
        *repaired += count;
    }
    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    galley_arena_free(tmp);
    if (!root) {
        *reason = "malformed_json";
        galley_error_set(err, "malformed JSON at column %d: %s", jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        *reason = "not_an_object";
        galley_error_set(err, "the line is JSON but not an object");
        return NULL;
    }
    json_t *text = json_object_get(root, o->text_field);
    if (!json_is_string(text)) {
        *reason = "missing_text";
        galley_error_set(err, text ? "field \"%s\" is not a string"
                                   : "no field \"%s\" (set input.text_field)", o->text_field);
        json_decref(root);
        return NULL;
    }
    json_t *idv = json_object_get(root, o->id_field);
    char idbuf[64];
    const char *id = source;
    if (json_is_string(idv) && json_string_length(idv) > 0) {
        id = json_string_value(idv);
    } else if (json_is_integer(idv)) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(idv));
        id = idbuf;
    }
    const char *t = json_string_value(text);
    size_t tlen = json_string_length(text);
    galley_doc *doc;
    if (memchr(t, '\0', tlen)) {
        /* \u0000 in the JSON: text never holds NUL. */
        galley_arena *nul = galley_arena_new(tlen * 3 + 64);
        size_t n, count;
        char *r = galley_utf8_repair(nul, t, tlen, &n, &count);
        doc = galley_doc_new(id, r, n);
        galley_arena_free(nul);
        *repaired += count;
    } else {
        doc = galley_doc_new(id, t, tlen);
    }
    galley_doc_set_source(doc, source);
    galley_object *meta = galley_doc_meta(doc);
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) {
        if (strcmp(k, o->text_field) == 0 || strcmp(k, o->id_field) == 0)
            continue;
        /* A "metadata" object (galley's own output) is merged, not nested,
         * so output can be fed back in. */
        if (strcmp(k, "metadata") == 0 && json_is_object(v)) {
            const char *mk;
            json_t *mv;
            json_object_foreach(v, mk, mv)
                put_value(meta, NULL, mk, mv);
            continue;
        }
        put_value(meta, NULL, k, v);
    }
    json_decref(root);
    return doc;
}

galley_doc *gl_parse_text(const char *data, size_t len, const char *source,
                          const gl_input_opts *o, uint64_t *repaired)
{
    galley_arena *tmp = NULL;
    if (!galley_utf8_valid(data, len)) {
        tmp = galley_arena_new(len * 3 + 64);
        size_t n, count;
        data = galley_utf8_repair(tmp, data, len, &n, &count);
        len = n;
        *repaired += count;
    }
    /* Skip a byte-order mark. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *title = NULL;
    size_t title_len = 0;
    if (o->title_line) {
        /* A first line followed by a blank line is the title. */
        const char *nl = memchr(data, '\n', len);
        if (nl && (size_t)(nl - data) < 400) {
            const char *p = nl + 1;
            if (p < data + len && *p == '\r')
                p++;
            if (p < data + len && *p == '\n') {
                title = data;
                title_len = (size_t)(nl - data);
                if (title_len && title[title_len - 1] == '\r')
                    title_len--;
                while (p < data + len && (*p == '\n' || *p == '\r'))
                    p++;
                len -= (size_t)(p - data);
                data = p;
            }
        }
    }
    galley_doc *doc = galley_doc_new(source, data, len);
    galley_doc_set_source(doc, source);
    if (title && title_len)
        galley_object_set_strn(galley_doc_meta(doc), "title", title, title_len);
    galley_arena_free(tmp);
    return doc;
}
