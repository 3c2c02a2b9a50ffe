/* galley/arena.h - bump allocator that owns all memory of one document.
 *
 * Everything a stage allocates for a document comes from the document's
 * arena and is released at once when the document has been written, so a
 * stage never frees per-document memory itself. */
#ifndef GALLEY_ARENA_H
#define GALLEY_ARENA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct galley_arena galley_arena;

/* A new arena whose first block holds at least `hint` bytes (0: default).
 * Returns NULL only when memory is exhausted. */
galley_arena *galley_arena_new(size_t hint);

/* Releases the arena and everything allocated from it. NULL is allowed. */
void galley_arena_free(galley_arena *a);

/* Frees everything but keeps the first block for reuse. */
void galley_arena_reset(galley_arena *a);

/* `size` bytes aligned for any type. Aborts on exhaustion, like xmalloc:
 * a document that cannot be allocated cannot be processed either. */
void *galley_arena_alloc(galley_arena *a, size_t size);

/* Zero-filled array of `n` elements of `size` bytes (overflow-checked). */
void *galley_arena_calloc(galley_arena *a, size_t n, size_t size);

/* Grows the most recent allocation `p` (of `old_size` bytes) in place when
 * possible, else copies it. `p` may be NULL. */
void *galley_arena_realloc(galley_arena *a, void *p, size_t old_size, size_t new_size);

/* NUL-terminated copies. */
char *galley_arena_strdup(galley_arena *a, const char *s);
char *galley_arena_strndup(galley_arena *a, const char *s, size_t n);

/* Bytes handed out so far (for statistics and tests). */
size_t galley_arena_used(const galley_arena *a);

#ifdef __cplusplus
}
#endif
#endif
