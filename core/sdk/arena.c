/* arena.c - the per-document bump allocator. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sdk/private.h"

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK 4096
#define ARENA_MAX_GROWTH (4u << 20)
#define ARENA_KEYS 64 /* the interned object keys kept, a power of two */
#define ARENA_KEY_PROBES 8

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
    /* Copies of recent object keys (gl_arena_key): a layer of 100,000 spans
     * names its few fields 100,000 times. */
    const char *keys[ARENA_KEYS];
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
    memset(a->keys, 0, sizeof a->keys);
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

const char *gl_arena_key(galley_arena *a, const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    /* Probing a few slots on: two keys of one layer that share a slot
     * would otherwise evict each other, and every span get its own copy
     * (and the writers, who compare interned keys as pointers, a miss). */
    for (uint32_t probe = 0; probe < ARENA_KEY_PROBES; probe++) {
        const char **k = &a->keys[(h + probe) & (ARENA_KEYS - 1)];
        if (!*k) {
            *k = galley_arena_strdup(a, key);
            return *k;
        }
        if (strcmp(*k, key) == 0)
            return *k;
    }
    return galley_arena_strdup(a, key);
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
