/* lexicon.c - the stage's word lists: word ids, a small hash set of them,
 * and the loading of cue-words.txt, references.txt and given-names.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* The id of a word from its lower-cased bytes, lowered into a local
 * buffer (ASCII directly, other code points through utf8proc's lower
 * case): no allocation. Words longer than the buffer hash as they are
 * past it. */
uint64_t quotes_word_id(const char *s, size_t len)
{
    char buf[256]; /* only buf[0..n) is read: no need to clear it */
    buf[0] = 0;
    size_t n = 0, i = 0;
    while (i < len && n + 4 <= sizeof buf) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            buf[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
            continue;
        }
        int32_t cp;
        i += galley_utf8_decode(s + i, len - i, &cp);
        n += galley_utf8_encode(galley_cp_tolower(cp), buf + n);
    }
    uint64_t h = galley_hash64(buf, n, 0x71756f746573ULL);
    if (i < len)
        h = galley_hash_mix(h, galley_hash64(s + i, len - i, 0));
    return h ? h : 1;
}

/* Doubles the table when it is half full (keys are never 0). */
static void wordset_grow(quotes_wordset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint8_t *vals = calloc(cap, 1);
    if (!keys || !vals) {
        fputs("galley: quotes: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[i])
            continue;
        size_t j = (size_t)s->keys[i] & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = s->keys[i];
        vals[j] = s->vals[i];
    }
    free(s->keys);
    free(s->vals);
    s->keys = keys;
    s->vals = vals;
    s->cap = cap;
}

void quotes_wordset_put(quotes_wordset *s, uint64_t key, uint8_t val)
{
    if ((s->n + 1) * 2 > s->cap)
        wordset_grow(s);
    size_t j = (size_t)key & (s->cap - 1);
    while (s->keys[j] && s->keys[j] != key)
        j = (j + 1) & (s->cap - 1);
    if (!s->keys[j])
        s->n++;
    s->keys[j] = key;
    s->vals[j] = val;
}

uint8_t quotes_wordset_get(const quotes_wordset *s, uint64_t key)
{
    if (!s->cap)
        return 0;
    size_t j = (size_t)key & (s->cap - 1);
    while (s->keys[j]) {
        if (s->keys[j] == key)
            return s->vals[j];
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

void quotes_wordset_free(quotes_wordset *s)
{
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

/* ---- The files ---------------------------------------------------------- */

typedef struct list_ctx {
    quotes_wordset *set;
    uint64_t *hash; /* running hash of the lines, or NULL */
    int kind;       /* which file: 0 cues, 1 references, 2 names */
} list_ctx;

/* references.txt's second column. */
static const struct {
    const char *name;
    uint8_t val;
} ref_kinds[] = {
    { "HE", QUOTES_REF_HE },
    { "SHE", QUOTES_REF_SHE },
    { "IT", QUOTES_REF_IT },
    { "THEY", QUOTES_REF_THEY },
    { "I", QUOTES_REF_I },
    { "WE", QUOTES_REF_WE },
    { "YOU", QUOTES_REF_YOU },
    { "REL", QUOTES_REF_REL },
    { "PERSON", QUOTES_REF_NOMINAL_PERSON },
    { "ORG", QUOTES_REF_NOMINAL_ORG },
    { "DOC", QUOTES_REF_NOMINAL_DOC },
};

/* The cue rate of a word (cues / occurrences in the training text) as a
 * bucket 1..4: the feature's value. */
static uint8_t cue_bucket(double cues, double seen)
{
    double r = seen > 0 ? cues / seen : 0;
    return r >= 0.6 ? 4 : r >= 0.3 ? 3 : r >= 0.1 ? 2 : 1;
}

/* One line of a list: WORD<TAB>VALUE[<TAB>...]. */
static int list_line(void *vctx, char *line, size_t len, galley_error *err)
{
    list_ctx *lc = vctx;
    char *tab = memchr(line, '\t', len);
    if (!tab)
        return galley_error_set(err, "expected WORD<TAB>VALUE");
    *tab = '\0';
    char *val = tab + 1;
    uint8_t v = 0;
    if (lc->kind == 0) {
        char *end;
        double cues = strtod(val, &end), seen = *end == '\t' ? strtod(end + 1, NULL) : 0;
        if (end == val || cues <= 0)
            return galley_error_set(err, "expected WORD<TAB>CUES<TAB>OCCURRENCES");
        v = cue_bucket(cues, seen);
    } else if (lc->kind == 1) {
        for (size_t i = 0; i < sizeof ref_kinds / sizeof *ref_kinds; i++)
            if (strcmp(val, ref_kinds[i].name) == 0)
                v = ref_kinds[i].val;
        if (!v)
            return galley_error_set(err, "unknown reference kind \"%s\"", val);
    } else {
        v = strcmp(val, "F") == 0 ? QUOTES_GENDER_F : strcmp(val, "M") == 0 ? QUOTES_GENDER_M : 0;
        if (!v)
            return galley_error_set(err, "expected F or M");
    }
    uint64_t id = quotes_word_id(line, strlen(line));
    quotes_wordset_put(lc->set, id, v);
    if (lc->hash)
        *lc->hash = galley_hash_mix(*lc->hash, galley_hash_mix(id, v));
    return 0;
}

int quotes_res_load_lists(quotes_res *r, const char *dir, const char *cue_words, galley_error *err)
{
    static const struct {
        const char *file;
        size_t off;
        int kind;
    } files[] = {
        { "cue-words.txt", offsetof(quotes_res, cue_words), 0 },
        { "references.txt", offsetof(quotes_res, refs), 1 },
        { "given-names.txt", offsetof(quotes_res, names), 2 },
    };
    char path[4096];
    r->lists_hash = 0x6c69737473ULL;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        list_ctx lc = { (quotes_wordset *)((char *)r + files[i].off),
                        files[i].kind == 0 ? &r->lists_hash : NULL, files[i].kind };
        if (files[i].kind == 0 && cue_words)
            snprintf(path, sizeof path, "%s", cue_words);
        else
            snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
        if (galley_read_data_file(path, "word list", list_line, &lc, err) < 0)
            return -1;
    }
    return 0;
}

void quotes_res_free(quotes_res *r)
{
    quotes_wordset_free(&r->cue_words);
    quotes_wordset_free(&r->refs);
    quotes_wordset_free(&r->names);
    quotes_fast_free(r->fast);
    r->fast = NULL;
    galley_model_close(r->model);
    r->model = NULL;
    quotes_fast_free(r->stack_fast);
    r->stack_fast = NULL;
    galley_model_close(r->stack);
    r->stack = NULL;
}
