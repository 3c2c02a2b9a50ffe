/* dict.c - phrase dictionaries matched token by token. Every entry and
 * every proper prefix of an entry is in one open-addressing hash table,
 * so matching at a token costs one probe per token of the longest entry
 * and stops as soon as no entry continues that way. Most tokens start
 * no entry at all: a small filter of the entries' first tokens answers
 * for them before any hashing of the table's kind. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

#define KEY_MAX 1024

typedef struct slot {
    uint64_t hash;
    char *key;   /* tokens joined by one space; NULL: empty slot */
    char *label; /* NULL for a prefix that is not an entry itself */
    size_t len;  /* of key */
} slot;

/* The first-token filter: 2^FIRST_BITS bits, two set for each entry's
 * first token (a Bloom filter: the halves of a 32-bit hash), so a token
 * no entry starts with is usually turned away by two bit tests. */
#define FIRST_BITS 16

struct galley_dict {
    int flags;
    slot *slots;
    size_t cap, used, entries;
    size_t max_tokens;
    uint64_t first[((size_t)1 << FIRST_BITS) / 64];
};

/* FNV-1a of a first token's key: cheap, inline, and only for the filter. */
static uint32_t first_hash(const char *key, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

/* The filter's two bits of hash h: its halves. */
static void first_bits(uint32_t h, size_t *a, size_t *b)
{
    *a = h & 0xFFFF;
    *b = h >> 16;
}

/* May some entry start with this first token? (No: certainly none.) */
static int first_maybe(const galley_dict *d, const char *key, size_t len)
{
    size_t a, b;
    first_bits(first_hash(key, len), &a, &b);
    return (d->first[a / 64] >> (a % 64) & 1) && (d->first[b / 64] >> (b % 64) & 1);
}

/* Records an entry's first token in the filter. */
static void first_mark(galley_dict *d, const char *key, size_t len)
{
    size_t a, b;
    first_bits(first_hash(key, len), &a, &b);
    d->first[a / 64] |= (uint64_t)1 << (a % 64);
    d->first[b / 64] |= (uint64_t)1 << (b % 64);
}

galley_dict *galley_dict_new(int flags)
{
    galley_dict *d = gl_xcalloc(1, sizeof *d);
    d->flags = flags;
    d->cap = 256;
    d->slots = gl_xcalloc(d->cap, sizeof *d->slots);
    return d;
}

void galley_dict_free(galley_dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->cap; i++) {
        free(d->slots[i].key);
        free(d->slots[i].label);
    }
    free(d->slots);
    free(d);
}

size_t galley_dict_size(const galley_dict *d)
{
    return d->entries;
}

/* The slot of key (len bytes, hash h), or the empty slot where it would go:
 * linear probing from h. The table is never full (put grows it at three
 * quarters), so the probe ends. The pointer is good until the table grows. */
static slot *lookup(const galley_dict *d, const char *key, size_t len, uint64_t h)
{
    size_t mask = d->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &d->slots[i];
        if (!s->key)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

/* Doubles the table (its size stays a power of two, as lookup's mask needs) and
 * moves every slot to its place in the new one; the keys and labels go with
 * their slots, not copied. */
static void grow(galley_dict *d)
{
    slot *old = d->slots;
    size_t oldcap = d->cap;
    d->cap *= 2;
    d->slots = gl_xcalloc(d->cap, sizeof *d->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *lookup(d, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
}

/* Appends token text to key (lower-cased when the dictionary ignores
 * case). Returns the new length, or 0 when the key would be too long. */
static size_t append_token(const galley_dict *d, char *key, size_t klen, const char *s, size_t len)
{
    if (klen + len * 2 + 2 >= KEY_MAX)
        return 0;
    if (klen)
        key[klen++] = ' ';
    if (!(d->flags & GALLEY_DICT_CASE_INSENSITIVE)) {
        memcpy(key + klen, s, len);
        return klen + len;
    }
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* ASCII: lower-case in place */
            key[klen++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        size_t n = galley_utf8_decode(s + i, len - i, &cp);
        char buf[4];
        size_t m = galley_utf8_encode(galley_cp_tolower(cp), buf);
        if (klen + m >= KEY_MAX)
            return 0;
        memcpy(key + klen, buf, m);
        klen += m;
        i += n;
    }
    return klen;
}

/* Adds key (len bytes) to the table, as a copy, unless it is there. With a
 * label the key becomes an entry with a copy of that label (replacing an
 * earlier one: the last add wins); with NULL it only marks a prefix, and an
 * entry of that key keeps its label. Grows the table first when it would be
 * more than three quarters full. */
static void put(galley_dict *d, const char *key, size_t len, const char *label)
{
    if ((d->used + 1) * 4 > d->cap * 3)
        grow(d);
    uint64_t h = galley_hash64(key, len, 0);
    slot *s = lookup(d, key, len, h);
    if (!s->key) {
        s->key = gl_xmalloc(len + 1);
        memcpy(s->key, key, len);
        s->key[len] = '\0';
        s->len = len;
        s->hash = h;
        d->used++;
    }
    if (label) {
        if (!s->label)
            d->entries++;
        free(s->label);
        s->label = gl_xstrdup(label);
    }
}

int galley_dict_add(galley_dict *d, const char *phrase, const char *label)
{
    galley_arena *a = galley_arena_new(0);
    size_t ntok;
    galley_token *tok = galley_tokenize(a, phrase, strlen(phrase), &ntok);
    char key[KEY_MAX];
    size_t klen = 0;
    int rc = -1;
    for (size_t i = 0; i < ntok; i++) {
        klen = append_token(d, key, klen, phrase + tok[i].start, tok[i].end - tok[i].start);
        if (!klen)
            break;
        if (i == 0)
            first_mark(d, key, klen);
        /* Prefixes are marked so that matching knows when to go on. */
        put(d, key, klen, i + 1 == ntok ? (label ? label : "") : NULL);
        if (i + 1 == ntok) {
            rc = 0;
            if (ntok > d->max_tokens)
                d->max_tokens = ntok;
        }
    }
    galley_arena_free(a);
    return rc;
}

typedef struct dict_file {
    galley_dict *dict;
    const char *default_label;
} dict_file;

/* One line: "phrase" or "phrase<TAB>label". */
static int dict_line(void *ctx, char *line, size_t len, galley_error *err)
{
    (void)len;
    dict_file *df = ctx;
    char *p = line + strspn(line, " \t");
    const char *label = df->default_label;
    char *tab = strchr(p, '\t');
    if (tab) {
        *tab = '\0';
        label = tab + 1 + strspn(tab + 1, " \t");
    }
    if (galley_dict_add(df->dict, p, label) < 0)
        return galley_error_set(err, "empty or too long dictionary entry");
    return 0;
}

int galley_dict_load(galley_dict *d, const char *path, const char *default_label, galley_error *err)
{
    dict_file df = { d, default_label };
    return galley_read_data_file(path, "dictionary", dict_line, &df, err);
}

const char *galley_dict_get(const galley_dict *d, const char *phrase, size_t len)
{
    galley_arena *a = galley_arena_new(0);
    size_t ntok;
    galley_token *tok = galley_tokenize(a, phrase, len, &ntok);
    const char *label = NULL;
    size_t got;
    if (ntok > 0)
        label = galley_dict_match(d, phrase, tok, 0, ntok, &got);
    if (label && got != ntok)
        label = NULL;
    galley_arena_free(a);
    return label;
}

const char *galley_dict_match(const galley_dict *d, const char *text, const galley_token *tok,
                              size_t i, size_t limit, size_t *ntokens)
{
    char key[KEY_MAX];
    size_t klen = 0;
    const char *best = NULL;
    size_t best_n = 0;
    for (size_t k = i; k < limit && k - i < d->max_tokens; k++) {
        klen = append_token(d, key, klen, text + tok[k].start, tok[k].end - tok[k].start);
        if (!klen || (k == i && !first_maybe(d, key, klen)))
            break;
        const slot *s = lookup(d, key, klen, galley_hash64(key, klen, 0));
        if (!s->key)
            break; /* no entry starts this way */
        if (s->label) {
            best = s->label;
            best_n = k + 1 - i;
        }
    }
    if (best)
        *ntokens = best_n;
    return best;
}
