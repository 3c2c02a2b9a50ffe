/* table.h - a compact hash multimap from 64-bit keys to 32-bit values
 * (document or paragraph numbers), the building block of the dedup
 * index. It stores no keys: a slot is the value (4 bytes) and a one-byte
 * tag from the key, and the key of a value is asked of the owner when
 * needed (to confirm a tag match, and to move entries when the table
 * grows). Linear probing over the tags, grown by half at 7/8 full: 5.7
 * to 8.6 bytes an entry. */
#ifndef DEDUP_TABLE_H
#define DEDUP_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* The key the owner stored `value` under. */
typedef uint64_t (*dedup_key_fn)(const void *owner, uint32_t value);

typedef struct dedup_table {
    uint32_t *values;
    uint8_t *tags; /* 0: empty slot */
    size_t cap, n;
    dedup_key_fn key;
    const void *owner;
} dedup_table;

void dedup_table_init(dedup_table *t, dedup_key_fn key, const void *owner);
void dedup_table_free(dedup_table *t);
void dedup_table_add(dedup_table *t, uint64_t key, uint32_t value);
/* Bytes the table holds. */
size_t dedup_table_bytes(const dedup_table *t);

/* The values stored under a key, in no particular order:
 *     dedup_table_iter it;
 *     for (dedup_table_find(t, key, &it); dedup_table_next(&it, &v);) ... */
typedef struct dedup_table_iter {
    const dedup_table *t;
    uint64_t key;
    size_t pos;
    uint8_t tag;
} dedup_table_iter;

void dedup_table_find(const dedup_table *t, uint64_t key, dedup_table_iter *it);
int dedup_table_next(dedup_table_iter *it, uint32_t *value);

#endif
