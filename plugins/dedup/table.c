/* table.c - the key-less hash multimap of the dedup index. */
#include <stdio.h>
#include <stdlib.h>
#include "table.h"

#define MIN_CAP 64

/* calloc that never returns NULL: exhaustion aborts, as xrealloc in
 * index.c does. */
static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fputs("dedup: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* The home slot: the key's high half scaled to the capacity (any
 * capacity, so the table can grow by half rather than double). */
static size_t home(uint64_t key, size_t cap)
{
    return (size_t)(((key >> 32) * (uint64_t)cap) >> 32);
}

/* The one-byte tag kept for a key: its low byte (the home slot uses the
 * high half), made 1 when it is 0, which marks an empty slot. */
static uint8_t tag_of(uint64_t key)
{
    uint8_t t = (uint8_t)key;
    return t ? t : 1;
}

void dedup_table_init(dedup_table *t, dedup_key_fn key, const void *owner)
{
    *t = (dedup_table){ .key = key, .owner = owner };
}

void dedup_table_free(dedup_table *t)
{
    free(t->values);
    free(t->tags);
    t->values = NULL;
    t->tags = NULL;
    t->cap = t->n = 0;
}

size_t dedup_table_bytes(const dedup_table *t)
{
    return t->cap * (sizeof *t->values + sizeof *t->tags);
}

/* Stores value in the first empty slot from its key's home (linear
 * probing). The caller has made room: without an empty slot it would
 * never stop. */
static void place(dedup_table *t, uint64_t key, uint32_t value)
{
    size_t i = home(key, t->cap);
    while (t->tags[i])
        i = i + 1 == t->cap ? 0 : i + 1;
    t->tags[i] = tag_of(key);
    t->values[i] = value;
    t->n++;
}

/* Grows the table by half (to MIN_CAP slots the first time) and moves
 * every value to its new home, by the key its owner gives back, since
 * the table stores none. */
static void grow(dedup_table *t)
{
    dedup_table old = *t;
    t->cap = old.cap ? old.cap + old.cap / 2 : MIN_CAP;
    t->values = xcalloc(t->cap, sizeof *t->values);
    t->tags = xcalloc(t->cap, sizeof *t->tags);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.tags[i])
            place(t, t->key(t->owner, old.values[i]), old.values[i]);
    free(old.values);
    free(old.tags);
}

void dedup_table_add(dedup_table *t, uint64_t key, uint32_t value)
{
    if ((t->n + 1) * 8 > t->cap * 7)
        grow(t);
    place(t, key, value);
}

void dedup_table_find(const dedup_table *t, uint64_t key, dedup_table_iter *it)
{
    *it = (dedup_table_iter){ t, key, t->cap ? home(key, t->cap) : 0, tag_of(key) };
}

int dedup_table_next(dedup_table_iter *it, uint32_t *value)
{
    const dedup_table *t = it->t;
    if (!t->cap)
        return 0;
    while (t->tags[it->pos]) {
        size_t i = it->pos;
        it->pos = i + 1 == t->cap ? 0 : i + 1;
        if (t->tags[i] == it->tag && t->key(t->owner, t->values[i]) == it->key) {
            *value = t->values[i];
            return 1;
        }
    }
    return 0;
}
