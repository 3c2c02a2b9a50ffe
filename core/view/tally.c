/* tally.c - counters by name for the view's summary. Each table is a
 * jansson object from a name to [count, articles, last article seen]:
 * a hash table we already link, and names come from jansson strings. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "view/script_json.h"
#include "view/tally.h"

struct gl_tally {
    json_int_t article; /* the current article's number, from 1 */
    json_int_t entities, quotes, attributed;
    json_t *types;    /* entity type -> counter */
    json_t *kinds;    /* quote kind -> counter */
    json_t *names;    /* "TYPE\x1fname" -> counter */
    json_t *speakers; /* speaker -> counter */
    json_t *layers;   /* other layer -> counter */
};

gl_tally *gl_tally_new(void)
{
    gl_tally *t = gl_xcalloc(1, sizeof *t);
    t->types = json_object();
    t->kinds = json_object();
    t->names = json_object();
    t->speakers = json_object();
    t->layers = json_object();
    return t;
}

void gl_tally_free(gl_tally *t)
{
    if (!t)
        return;
    json_decref(t->types);
    json_decref(t->kinds);
    json_decref(t->names);
    json_decref(t->speakers);
    json_decref(t->layers);
    free(t);
}

void gl_tally_article(gl_tally *t)
{
    t->article++;
}

/* Adds one to the counter of `key` in `table`, and one to its articles
 * when the current article has not been counted for it yet. */
static void count(gl_tally *t, json_t *table, const char *key)
{
    json_t *c = json_object_get(table, key);
    if (!c) {
        c = json_pack("[III]", (json_int_t)0, (json_int_t)0, (json_int_t)0);
        if (!c || json_object_set_new(table, key, c) < 0)
            return; /* not UTF-8: cannot be a name we were given */
    }
    json_t *n = json_array_get(c, 0), *docs = json_array_get(c, 1), *last = json_array_get(c, 2);
    json_integer_set(n, json_integer_value(n) + 1);
    if (json_integer_value(last) != t->article) {
        json_integer_set(docs, json_integer_value(docs) + 1);
        json_integer_set(last, t->article);
    }
}

void gl_tally_entity(gl_tally *t, const char *type, const char *name)
{
    t->entities++;
    count(t, t->types, type);
    size_t lt = strlen(type), ln = strlen(name);
    char *key = gl_xmalloc(lt + ln + 2);
    memcpy(key, type, lt);
    key[lt] = '\x1f';
    memcpy(key + lt + 1, name, ln + 1);
    count(t, t->names, key);
    free(key);
}

void gl_tally_quote(gl_tally *t, const char *kind, const char *speaker)
{
    t->quotes++;
    count(t, t->kinds, kind);
    if (speaker && speaker[0]) {
        t->attributed++;
        count(t, t->speakers, speaker);
    }
}

void gl_tally_layer(gl_tally *t, const char *layer)
{
    count(t, t->layers, layer);
}

/* One row of a table being sorted. */
typedef struct row {
    const char *key;
    json_int_t n, docs;
} row;

/* Most frequent first, then in more articles, then by name: the same
 * input always gives the same page. */
static int row_cmp(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    if (a->docs != b->docs)
        return a->docs > b->docs ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* The table's rows sorted (malloc'd; *n their number). */
static row *sorted_rows(json_t *table, size_t *n)
{
    row *rows = gl_xcalloc(json_object_size(table) + 1, sizeof *rows);
    const char *key;
    json_t *c;
    size_t k = 0;
    json_object_foreach(table, key, c)
    {
        rows[k].key = key;
        rows[k].n = json_integer_value(json_array_get(c, 0));
        rows[k].docs = json_integer_value(json_array_get(c, 1));
        k++;
    }
    qsort(rows, k, sizeof *rows, row_cmp);
    *n = k;
    return rows;
}

/* "name":[[key,count,articles],...] for the first `top` rows. With
 * `split`, a key "TYPE\x1fname" is written as two columns, name then type. */
static void write_table(gl_buf *b, const char *name, json_t *table, size_t top, int split)
{
    size_t n;
    row *rows = sorted_rows(table, &n);
    gl_buf_printf(b, "\"%s\":[", name);
    for (size_t i = 0; i < n && i < top; i++) {
        if (i)
            gl_buf_addc(b, ',');
        gl_buf_addc(b, '[');
        const char *sep = split ? strchr(rows[i].key, '\x1f') : NULL;
        if (sep) {
            gl_script_json_string(b, sep + 1, strlen(sep + 1));
            gl_buf_addc(b, ',');
            gl_script_json_string(b, rows[i].key, (size_t)(sep - rows[i].key));
        } else {
            gl_script_json_string(b, rows[i].key, strlen(rows[i].key));
        }
        gl_buf_printf(b, ",%" JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT "]", rows[i].n,
                      rows[i].docs);
    }
    gl_buf_addc(b, ']');
    free(rows);
}

void gl_tally_json(gl_tally *t, gl_buf *b, size_t top)
{
    gl_buf_printf(b, "\"entities\":%" JSON_INTEGER_FORMAT ",", t->entities);
    write_table(b, "types", t->types, (size_t)-1, 0);
    gl_buf_printf(b,
                  ",\"quotes\":%" JSON_INTEGER_FORMAT ",\"attributed\":%" JSON_INTEGER_FORMAT ",",
                  t->quotes, t->attributed);
    write_table(b, "kinds", t->kinds, (size_t)-1, 0);
    gl_buf_addc(b, ',');
    write_table(b, "speakers", t->speakers, top, 0);
    gl_buf_addc(b, ',');
    write_table(b, "top_entities", t->names, top, 1);
    gl_buf_addc(b, ',');
    write_table(b, "layers", t->layers, (size_t)-1, 0);
}
