/* value.c - JSON-shaped objects and arrays in an arena. Objects are small
 * (metadata, annotation fields), so lookup is a linear scan that keeps
 * insertion order for free. */
#include "config.h"

#include <string.h>
#include "sdk/private.h"

const char *galley_type_name(galley_type t)
{
    static const char *const names[] = { "null",   "bool",   "int",    "real",
                                         "string", "offset", "object", "array" };
    return (unsigned)t < GL_ARRAY_LEN(names) ? names[t] : "unknown";
}

typedef struct member {
    const char *key;
    galley_value value;
} member;

struct galley_object {
    galley_arena *arena;
    member *items;
    size_t n, cap;
};

struct galley_array {
    galley_arena *arena;
    galley_value *items;
    size_t n, cap;
};

galley_object *galley_object_new(galley_arena *a)
{
    return gl_object_new_cap(a, 0);
}

galley_object *gl_object_new_cap(galley_arena *a, size_t cap)
{
    galley_object *o = galley_arena_calloc(a, 1, sizeof *o);
    o->arena = a;
    if (cap) {
        o->items = galley_arena_alloc(a, cap * sizeof *o->items);
        o->cap = cap;
    }
    return o;
}

galley_array *galley_array_new(galley_arena *a)
{
    galley_array *arr = galley_arena_calloc(a, 1, sizeof *arr);
    arr->arena = a;
    return arr;
}

/* The member of o named key, or NULL: a linear scan, objects being small. The
 * pointer is good until the object grows. */
static member *find(const galley_object *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->items[i].key, key) == 0)
            return &o->items[i];
    return NULL;
}

/* The slot for `key`: the existing member or a new one at the end. Keys
 * are interned in the object's arena (one copy a string), so members are
 * compared as pointers. */
static galley_value *slot(galley_object *o, const char *key)
{
    if (!o || !key)
        return NULL;
    const char *k = gl_arena_key(o->arena, key);
    for (size_t i = 0; i < o->n; i++)
        if (o->items[i].key == k)
            return &o->items[i].value;
    member *m;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4;
        o->items = galley_arena_realloc(o->arena, o->items, o->cap * sizeof *o->items,
                                        cap * sizeof *o->items);
        o->cap = cap;
    }
    m = &o->items[o->n++];
    m->key = k;
    m->value.type = GALLEY_NULL;
    return &m->value;
}

/* A new null element at the end of arr, which grows in its arena; NULL when arr
 * is NULL, so that the setters fail with -1. The pointer is good until the next
 * push. */
static galley_value *push(galley_array *arr)
{
    if (!arr)
        return NULL;
    if (arr->n == arr->cap) {
        size_t cap = arr->cap ? arr->cap * 2 : 2;
        arr->items = galley_arena_realloc(arr->arena, arr->items, arr->cap * sizeof *arr->items,
                                          cap * sizeof *arr->items);
        arr->cap = cap;
    }
    galley_value *v = &arr->items[arr->n++];
    v->type = GALLEY_NULL;
    return v;
}

/* Makes v a string: a copy of the len bytes at s in arena a, NUL-terminated
 * (len may count NUL bytes inside); a NULL s makes v null. Returns -1 when
 * there is no v (a NULL object or key gave no slot), else 0. */
static int set_str(galley_arena *a, galley_value *v, const char *s, size_t len)
{
    if (!v)
        return -1;
    if (!s) {
        v->type = GALLEY_NULL;
        return 0;
    }
    v->type = GALLEY_STRING;
    v->u.str.s = galley_arena_strndup(a, s, len);
    v->u.str.len = len;
    return 0;
}

#define SET_SCALAR(v, t, field, val)                                                               \
    do {                                                                                           \
        if (!(v))                                                                                  \
            return -1;                                                                             \
        (v)->type = (t);                                                                           \
        (v)->u.field = (val);                                                                      \
        return 0;                                                                                  \
    } while (0)

int galley_object_set_null(galley_object *o, const char *key)
{
    galley_value *v = slot(o, key);
    if (!v)
        return -1;
    v->type = GALLEY_NULL;
    return 0;
}

int galley_object_set_bool(galley_object *o, const char *key, int b)
{
    galley_value *v = slot(o, key);
    SET_SCALAR(v, GALLEY_BOOL, b, b != 0);
}

int galley_object_set_int(galley_object *o, const char *key, int64_t i)
{
    galley_value *v = slot(o, key);
    SET_SCALAR(v, GALLEY_INT, i, i);
}

int galley_object_set_real(galley_object *o, const char *key, double r)
{
    galley_value *v = slot(o, key);
    SET_SCALAR(v, GALLEY_REAL, r, r);
}

int galley_object_set_offset(galley_object *o, const char *key, size_t byte)
{
    galley_value *v = slot(o, key);
    SET_SCALAR(v, GALLEY_OFFSET, i, (int64_t)byte);
}

int galley_object_set_str(galley_object *o, const char *key, const char *s)
{
    return set_str(o ? o->arena : NULL, slot(o, key), s, s ? strlen(s) : 0);
}

int galley_object_set_strn(galley_object *o, const char *key, const char *s, size_t len)
{
    return set_str(o ? o->arena : NULL, slot(o, key), s, len);
}

galley_object *galley_object_set_object(galley_object *o, const char *key)
{
    galley_value *v = slot(o, key);
    if (!v)
        return NULL;
    v->type = GALLEY_OBJECT;
    v->u.obj = galley_object_new(o->arena);
    return v->u.obj;
}

galley_array *galley_object_set_array(galley_object *o, const char *key)
{
    galley_value *v = slot(o, key);
    if (!v)
        return NULL;
    v->type = GALLEY_ARRAY;
    v->u.arr = galley_array_new(o->arena);
    return v->u.arr;
}

const galley_value *galley_object_get(const galley_object *o, const char *key)
{
    if (!o || !key)
        return NULL;
    member *m = find(o, key);
    return m ? &m->value : NULL;
}

const char *galley_object_get_str(const galley_object *o, const char *key)
{
    const galley_value *v = galley_object_get(o, key);
    return v && v->type == GALLEY_STRING ? v->u.str.s : NULL;
}

int64_t galley_object_get_int(const galley_object *o, const char *key, int64_t dflt)
{
    const galley_value *v = galley_object_get(o, key);
    return v && (v->type == GALLEY_INT || v->type == GALLEY_OFFSET) ? v->u.i : dflt;
}

double galley_object_get_real(const galley_object *o, const char *key, double dflt)
{
    const galley_value *v = galley_object_get(o, key);
    if (!v)
        return dflt;
    if (v->type == GALLEY_REAL)
        return v->u.r;
    if (v->type == GALLEY_INT)
        return (double)v->u.i;
    return dflt;
}

galley_object *galley_object_get_object(const galley_object *o, const char *key)
{
    const galley_value *v = galley_object_get(o, key);
    return v && v->type == GALLEY_OBJECT ? v->u.obj : NULL;
}

int galley_object_remove(galley_object *o, const char *key)
{
    if (!o || !key)
        return -1;
    member *m = find(o, key);
    if (!m)
        return -1;
    size_t i = (size_t)(m - o->items);
    memmove(&o->items[i], &o->items[i + 1], (o->n - i - 1) * sizeof *m);
    o->n--;
    return 0;
}

size_t galley_object_size(const galley_object *o)
{
    return o ? o->n : 0;
}

const char *galley_object_key_at(const galley_object *o, size_t i)
{
    return o && i < o->n ? o->items[i].key : NULL;
}

const galley_value *galley_object_value_at(const galley_object *o, size_t i)
{
    return o && i < o->n ? &o->items[i].value : NULL;
}

int galley_array_push_null(galley_array *arr)
{
    return push(arr) ? 0 : -1;
}

int galley_array_push_bool(galley_array *arr, int b)
{
    galley_value *v = push(arr);
    SET_SCALAR(v, GALLEY_BOOL, b, b != 0);
}

int galley_array_push_int(galley_array *arr, int64_t i)
{
    galley_value *v = push(arr);
    SET_SCALAR(v, GALLEY_INT, i, i);
}

int galley_array_push_real(galley_array *arr, double r)
{
    galley_value *v = push(arr);
    SET_SCALAR(v, GALLEY_REAL, r, r);
}

int galley_array_push_str(galley_array *arr, const char *s)
{
    return set_str(arr ? arr->arena : NULL, push(arr), s, s ? strlen(s) : 0);
}

int galley_array_push_strn(galley_array *arr, const char *s, size_t len)
{
    return set_str(arr ? arr->arena : NULL, push(arr), s, len);
}

galley_object *galley_array_push_object(galley_array *arr)
{
    galley_value *v = push(arr);
    if (!v)
        return NULL;
    /* Sized like the object before it: arrays of records repeat their fields. */
    const galley_value *prev = arr->n > 1 ? &arr->items[arr->n - 2] : NULL;
    v->type = GALLEY_OBJECT;
    v->u.obj =
        gl_object_new_cap(arr->arena, prev && prev->type == GALLEY_OBJECT ? prev->u.obj->n : 0);
    return v->u.obj;
}

galley_array *galley_array_push_array(galley_array *arr)
{
    galley_value *v = push(arr);
    if (!v)
        return NULL;
    v->type = GALLEY_ARRAY;
    v->u.arr = galley_array_new(arr->arena);
    return v->u.arr;
}

size_t galley_array_size(const galley_array *arr)
{
    return arr ? arr->n : 0;
}

const galley_value *galley_array_at(const galley_array *arr, size_t i)
{
    return arr && i < arr->n ? &arr->items[i] : NULL;
}

galley_type galley_value_type(const galley_value *v)
{
    return v ? v->type : GALLEY_NULL;
}

int galley_value_bool(const galley_value *v)
{
    return v && v->type == GALLEY_BOOL ? v->u.b : 0;
}

int64_t galley_value_int(const galley_value *v)
{
    return v && (v->type == GALLEY_INT || v->type == GALLEY_OFFSET) ? v->u.i : 0;
}

double galley_value_real(const galley_value *v)
{
    if (v && v->type == GALLEY_REAL)
        return v->u.r;
    if (v && v->type == GALLEY_INT)
        return (double)v->u.i;
    return 0.0;
}

const char *galley_value_str(const galley_value *v, size_t *len)
{
    if (!v || v->type != GALLEY_STRING)
        return NULL;
    if (len)
        *len = v->u.str.len;
    return v->u.str.s;
}

galley_object *galley_value_object(const galley_value *v)
{
    return v && v->type == GALLEY_OBJECT ? v->u.obj : NULL;
}

galley_array *galley_value_array(const galley_value *v)
{
    return v && v->type == GALLEY_ARRAY ? v->u.arr : NULL;
}

/* Writes a deep copy of `from` into slot `to`, in arena `a`. */
static void copy_value(galley_arena *a, galley_value *to, const galley_value *from)
{
    if (!to)
        return;
    switch (from->type) {
    case GALLEY_STRING:
        set_str(a, to, from->u.str.s, from->u.str.len);
        return;
    case GALLEY_OBJECT: {
        galley_object *o = galley_object_new(a);
        for (size_t i = 0; i < from->u.obj->n; i++)
            copy_value(a, slot(o, from->u.obj->items[i].key), &from->u.obj->items[i].value);
        to->type = GALLEY_OBJECT;
        to->u.obj = o;
        return;
    }
    case GALLEY_ARRAY: {
        galley_array *arr = galley_array_new(a);
        for (size_t i = 0; i < from->u.arr->n; i++)
            copy_value(a, push(arr), &from->u.arr->items[i]);
        to->type = GALLEY_ARRAY;
        to->u.arr = arr;
        return;
    }
    default:
        *to = *from;
    }
}

int galley_object_set_value(galley_object *o, const char *key, const galley_value *v)
{
    galley_value *to = slot(o, key);
    if (!to || !v)
        return -1;
    copy_value(o->arena, to, v);
    return 0;
}

int galley_array_push_value(galley_array *arr, const galley_value *v)
{
    galley_value *to = push(arr);
    if (!to || !v)
        return -1;
    copy_value(arr->arena, to, v);
    return 0;
}
