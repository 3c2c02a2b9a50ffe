/* arena.c - the per-document bump allocator. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sdk/private.h"

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK 4096
#define ARENA_MAX_GROWTH (4u << 20)
#define ARENA_RECENT 64 /* callers' key pointers remembered, a power of two */

typedef struct arena_block {
    struct arena_block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    /* data follows, aligned */
} arena_block;

struct galley_arena {
    arena_block *head;  /* current block, newest first */
    arena_block *first; /* the block kept by reset */
    size_t total;       /* bytes handed out */
    void *last;         /* most recent allocation, for realloc */
    /* The object keys (gl_arena_key), one copy of each string: a layer
     * of 100,000 spans names its few fields 100,000 times, and one copy
     * lets objects and writers compare keys as pointers. Open addressing,
     * malloc'd (not arena memory: it grows); `recent` remembers which
     * copy a caller's pointer (a string literal, mostly) was, so most
     * calls hash nothing. */
    const char **key_slot;
    uint32_t *key_hash;
    size_t key_cap, nkeys;
    struct {
        const char *from, *key;
    } recent[ARENA_RECENT];
};

#define BLOCK_HEADER (((sizeof(arena_block) + ARENA_ALIGN - 1) / ARENA_ALIGN) * ARENA_ALIGN)

/* The first usable byte of block b, just past its header (padded to ARENA_ALIGN
 * bytes, so the data starts as aligned as the block itself). */
static char *block_data(arena_block *b)
{
    return (char *)b + BLOCK_HEADER;
}

/* A new empty block of `size` usable bytes, ARENA_MIN_BLOCK at least, linked to
 * nothing: the caller puts it in an arena, which then owns it. Aborts when
 * memory is exhausted (gl_xmalloc). */
static arena_block *block_new(size_t size)
{
    if (size < ARENA_MIN_BLOCK)
        size = ARENA_MIN_BLOCK;
    arena_block *b = gl_xmalloc(BLOCK_HEADER + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

galley_arena *galley_arena_new(size_t hint)
{
    galley_arena *a = gl_xcalloc(1, sizeof *a);
    a->first = a->head = block_new(hint);
    return a;
}

void galley_arena_free(galley_arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a->key_slot);
    free(a->key_hash);
    free(a);
}

void galley_arena_reset(galley_arena *a)
{
    arena_block *b = a->head;
    while (b && b != a->first) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = a->first;
    a->first->used = 0;
    a->first->next = NULL;
    a->total = 0;
    a->last = NULL;
    if (a->key_slot)
        memset(a->key_slot, 0, a->key_cap * sizeof *a->key_slot);
    a->nkeys = 0;
    memset(a->recent, 0, sizeof a->recent);
}

void *galley_arena_alloc(galley_arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size) {
        fputs("galley: allocation size overflow\n", stderr);
        abort();
    }
    arena_block *b = a->head;
    if (b->size - b->used < need) {
        /* Grow geometrically so a document makes few blocks, up to
         * ARENA_MAX_GROWTH a block: past that a doubled block would mostly
         * sit empty, and a big article's memory would be twice its use. */
        size_t next = b->size < ARENA_MAX_GROWTH ? b->size * 2 : ARENA_MAX_GROWTH;
        b = block_new(need > next ? need : next);
        b->next = a->head;
        a->head = b;
    }
    void *p = block_data(b) + b->used;
    b->used += need;
    a->total += need;
    a->last = p;
    return p;
}

void *galley_arena_calloc(galley_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fputs("galley: allocation size overflow\n", stderr);
        abort();
    }
    void *p = galley_arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

void *galley_arena_realloc(galley_arena *a, void *p, size_t old_size, size_t new_size)
{
    if (p && p == a->last) {
        arena_block *b = a->head;
        size_t off = (size_t)((char *)p - block_data(b));
        size_t need = (new_size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        if (need >= new_size && off + need <= b->size) {
            a->total += need - (b->used - off);
            b->used = off + need;
            return p;
        }
    }
    void *q = galley_arena_alloc(a, new_size);
    if (p && old_size)
        memcpy(q, p, old_size < new_size ? old_size : new_size);
    return q;
}

/* Doubles the key table (or makes its first one), keeping every key. */
static void grow_keys(galley_arena *a)
{
    size_t cap = a->key_cap ? a->key_cap * 2 : 64;
    const char **slot = gl_xcalloc(cap, sizeof *slot);
    uint32_t *hash = gl_xmalloc(cap * sizeof *hash);
    for (size_t i = 0; i < a->key_cap; i++) {
        if (!a->key_slot[i])
            continue;
        size_t j = a->key_hash[i] & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = a->key_slot[i];
        hash[j] = a->key_hash[i];
    }
    free(a->key_slot);
    free(a->key_hash);
    a->key_slot = slot;
    a->key_hash = hash;
    a->key_cap = cap;
}

const char *gl_arena_key(galley_arena *a, const char *key)
{
    size_t r = ((uintptr_t)key >> 3) & (ARENA_RECENT - 1);
    /* The caller's buffer may hold another key now: compare the text. */
    if (a->recent[r].from == key && strcmp(a->recent[r].key, key) == 0)
        return a->recent[r].key;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    if (2 * (a->nkeys + 1) > a->key_cap)
        grow_keys(a);
    size_t j = h & (a->key_cap - 1);
    while (a->key_slot[j] && !(a->key_hash[j] == h && strcmp(a->key_slot[j], key) == 0))
        j = (j + 1) & (a->key_cap - 1);
    if (!a->key_slot[j]) {
        a->key_slot[j] = galley_arena_strdup(a, key);
        a->key_hash[j] = h;
        a->nkeys++;
    }
    a->recent[r].from = key;
    a->recent[r].key = a->key_slot[j];
    return a->key_slot[j];
}

char *galley_arena_strndup(galley_arena *a, const char *s, size_t n)
{
    char *p = galley_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *galley_arena_strdup(galley_arena *a, const char *s)
{
    return galley_arena_strndup(a, s, strlen(s));
}

size_t galley_arena_used(const galley_arena *a)
{
    return a->total;
}
