/* galley/value.h - JSON-shaped values that live in a document's arena.
 *
 * Metadata and the fields of every annotation are objects of this kind: the
 * writer turns them into JSON as they are. Keys keep their insertion order;
 * setting a key that exists replaces its value in place. Strings are
 * copied into the arena, so callers may pass temporaries. */
#ifndef GALLEY_VALUE_H
#define GALLEY_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <galley/arena.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum galley_type {
    GALLEY_NULL = 0,
    GALLEY_BOOL,
    GALLEY_INT,
    GALLEY_REAL,
    GALLEY_STRING,
    /* A byte offset into the document's text. Written as an integer in the
     * document's offset unit (code points by default), like start/end. */
    GALLEY_OFFSET,
    GALLEY_OBJECT,
    GALLEY_ARRAY
} galley_type;

/* "null", "bool", "int", "real", "string", "offset", "object", "array". */
const char *galley_type_name(galley_type t);

typedef struct galley_value galley_value;
typedef struct galley_object galley_object;
typedef struct galley_array galley_array;

/* A new empty object or array in arena `a`. */
galley_object *galley_object_new(galley_arena *a);
galley_array *galley_array_new(galley_arena *a);

/* Setters: each returns 0, or -1 on a NULL object or key. */
int galley_object_set_null(galley_object *o, const char *key);
int galley_object_set_bool(galley_object *o, const char *key, int v);
int galley_object_set_int(galley_object *o, const char *key, int64_t v);
int galley_object_set_real(galley_object *o, const char *key, double v);
int galley_object_set_str(galley_object *o, const char *key, const char *v);
int galley_object_set_strn(galley_object *o, const char *key, const char *v, size_t len);
int galley_object_set_offset(galley_object *o, const char *key, size_t byte);
/* A deep copy of `v` (from any arena) under `key`. */
int galley_object_set_value(galley_object *o, const char *key, const galley_value *v);
/* Child containers: created (or replaced) under `key` and returned. */
galley_object *galley_object_set_object(galley_object *o, const char *key);
galley_array *galley_object_set_array(galley_object *o, const char *key);

/* Getters: the value under `key` or NULL when absent. */
const galley_value *galley_object_get(const galley_object *o, const char *key);
/* Typed shortcuts: NULL / `dflt` when absent or of another type. */
const char *galley_object_get_str(const galley_object *o, const char *key);
int64_t galley_object_get_int(const galley_object *o, const char *key, int64_t dflt);
double galley_object_get_real(const galley_object *o, const char *key, double dflt);
galley_object *galley_object_get_object(const galley_object *o, const char *key);
int galley_object_remove(galley_object *o, const char *key);
size_t galley_object_size(const galley_object *o);
/* Iteration in insertion order: i from 0 to size-1. */
const char *galley_object_key_at(const galley_object *o, size_t i);
const galley_value *galley_object_value_at(const galley_object *o, size_t i);

/* Arrays. */
int galley_array_push_null(galley_array *arr);
int galley_array_push_bool(galley_array *arr, int v);
int galley_array_push_int(galley_array *arr, int64_t v);
int galley_array_push_real(galley_array *arr, double v);
int galley_array_push_str(galley_array *arr, const char *v);
int galley_array_push_strn(galley_array *arr, const char *v, size_t len);
galley_object *galley_array_push_object(galley_array *arr);
galley_array *galley_array_push_array(galley_array *arr);
/* A deep copy of `v` at the end. */
int galley_array_push_value(galley_array *arr, const galley_value *v);
size_t galley_array_size(const galley_array *arr);
const galley_value *galley_array_at(const galley_array *arr, size_t i);

/* Reading a value. */
galley_type galley_value_type(const galley_value *v);
int galley_value_bool(const galley_value *v);
int64_t galley_value_int(const galley_value *v); /* INT and OFFSET */
double galley_value_real(const galley_value *v); /* REAL, or INT */
const char *galley_value_str(const galley_value *v, size_t *len);
galley_object *galley_value_object(const galley_value *v);
galley_array *galley_value_array(const galley_value *v);

#ifdef __cplusplus
}
#endif
#endif
