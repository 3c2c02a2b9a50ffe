/* featurize.c - word and context features of the entity model (see
 * featurize.h). Every template is a row of a table or a constant here;
 * ENTITIES_FEATURES names the set, and changing any feature means changing
 * that name, so that old models are refused instead of misread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "featurize.h"

#define ENTITIES_FEATURES "entities-features-5"

/* Template ids: seeds of galley_feature, distinct a template. */
enum {
    T_WORD = 0x101,
    T_LOWER,
    T_SHAPE,
    T_SHORT_SHAPE,
    T_PREFIX,
    T_SUFFIX,
    T_LENGTH,
    T_GAZ,
    T_CLUSTER,
    T_OFFSET,
    T_BOUNDARY,
    T_BIAS = 0x201,
    T_SENT_START,
    T_LINE,
    T_DICT,
    T_DOC,
    T_PARA_START,
    T_AGG_PREV,
    T_AGG_NEXT,
    T_NAMES,
    T_HISTORY
};

/* Offset masks: bit k + 2 for offset k. */
#define AT_0 0x04u
#define AT_1 0x0Eu /* -1..1 */
#define AT_2 0x1Fu /* -2..2 */

/* A context feature: a template and a small value. */
static uint64_t ctx_id(uint64_t tmpl, uint64_t value)
{
    return galley_feature_pair(tmpl, value);
}

/* ---- clusters --------------------------------------------------------- */

struct entities_clusters {
    uint64_t *keys;  /* word hashes, 0 empty */
    uint32_t *paths; /* offset of the path in `strings` */
    size_t cap;
    char *strings;
    size_t len, strcap;
    uint64_t hash; /* of the whole file: part of the template hash */
};

/* Adds a word and its classes (the first entry of a word wins). */
static void clusters_put(entities_clusters *c, const char *word, size_t wlen, const char *path)
{
    uint64_t h = galley_hash64(word, wlen, 0);
    if (!h)
        h = 1;
    size_t j = h & (c->cap - 1);
    while (c->keys[j] && c->keys[j] != h)
        j = (j + 1) & (c->cap - 1);
    if (c->keys[j])
        return;
    size_t plen = strlen(path) + 1;
    if (c->len + plen > c->strcap) {
        while (c->len + plen > c->strcap)
            c->strcap = c->strcap ? c->strcap * 2 : 1 << 16;
        c->strings = realloc(c->strings, c->strcap);
        if (!c->strings)
            abort();
    }
    memcpy(c->strings + c->len, path, plen);
    c->keys[j] = h;
    c->paths[j] = (uint32_t)c->len;
    c->len += plen;
}

/* One line "WORD<TAB>CLASS<TAB>CLASS...": the classes are kept as one
 * string, split when features are made. */
static int clusters_line(void *ctx, char *line, size_t len, galley_error *err)
{
    entities_clusters *c = ctx;
    c->hash = galley_hash_mix(c->hash, galley_hash64(line, len, 0));
    char *tab = strchr(line, '\t');
    if (!tab || !tab[1])
        return galley_error_set(err, "expected WORD<TAB>CLASS...");
    *tab = '\0';
    clusters_put(c, line, (size_t)(tab - line), tab + 1);
    return 0;
}

entities_clusters *entities_clusters_load(const char *path, galley_error *err)
{
    entities_clusters *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->cap = 1 << 18;
    c->keys = calloc(c->cap, sizeof *c->keys);
    c->paths = calloc(c->cap, sizeof *c->paths);
    if (!c->keys || !c->paths)
        abort();
    if (galley_read_data_file(path, "word clusters", clusters_line, c, err) < 0) {
        entities_clusters_free(c);
        return NULL;
    }
    return c;
}

void entities_clusters_free(entities_clusters *c)
{
    if (!c)
        return;
    free(c->keys);
    free(c->paths);
    free(c->strings);
    free(c);
}

/* The cluster path of a word, or NULL. */
static const char *cluster_of(const entities_clusters *c, const char *s, size_t len)
{
    uint64_t h = galley_hash64(s, len, 0);
    if (!h)
        h = 1;
    for (size_t j = h & (c->cap - 1); c->keys[j]; j = (j + 1) & (c->cap - 1))
        if (c->keys[j] == h)
            return c->strings + c->paths[j];
    return NULL;
}

uint64_t entities_template_hash(const entities_res *r)
{
    uint64_t h = galley_hash64(ENTITIES_FEATURES, strlen(ENTITIES_FEATURES), 0);
    return galley_hash_mix(h, r->clusters ? r->clusters->hash : 0);
}

/* ---- word features ---------------------------------------------------- */

uint64_t entities_word_key(const char *s, size_t len, unsigned wflags)
{
    uint64_t h = galley_hash64(s, len, wflags);
    return h ? h : 1;
}

uint64_t entities_at_offset(uint64_t f, int k)
{
    return galley_feature_pair(f, (uint64_t)(T_OFFSET * 16 + k + ENTITIES_WINDOW));
}

/* Letter case class of the code point at s (its length in *n): 'X', 'x',
 * 'd', or the byte itself for ASCII punctuation, 'o' for other. */
static char shape_char(const char *s, size_t len, size_t *n)
{
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80) {
        *n = 1;
        if (b >= 'A' && b <= 'Z')
            return 'X';
        if (b >= 'a' && b <= 'z')
            return 'x';
        if (b >= '0' && b <= '9')
            return 'd';
        return (char)b;
    }
    int32_t cp;
    *n = galley_utf8_decode(s, len, &cp);
    if (galley_cp_is_upper(cp))
        return 'X';
    if (galley_cp_is_lower(cp))
        return 'x';
    if (galley_cp_is_digit(cp))
        return 'd';
    return 'o';
}

/* Adds feature (template, value) with its offsets. */
static void add(entities_wfeat *out, size_t *n, uint64_t tmpl, const char *v, size_t len,
                uint8_t at)
{
    if (*n < ENTITIES_MAX_WORD_FEATURES)
        out[(*n)++] = (entities_wfeat){ galley_feature(tmpl, v, len), at };
}

/* Single-token dictionary membership: one feature for each dictionary
 * that has the word as a whole entry. */
static void add_gazetteers(const entities_res *r, const char *s, size_t len, entities_wfeat *out,
                           size_t *n)
{
    if (!r->d)
        return;
    galley_token t = { 0, (uint32_t)len, GALLEY_TOK_WORD, 0, 0 };
    static const struct {
        size_t offset;
        const char *name;
    } dicts[] = {
        { offsetof(entities_dicts, known), "known" },
        { offsetof(entities_dicts, known_ci), "known_ci" },
        { offsetof(entities_dicts, given), "given" },
        { offsetof(entities_dicts, roles), "roles" },
        { offsetof(entities_dicts, rolewords), "rolewords" },
        { offsetof(entities_dicts, orgkeys), "orgkeys" },
        { offsetof(entities_dicts, misckeys), "misckeys" },
        { offsetof(entities_dicts, dates), "dates" },
        { offsetof(entities_dicts, stop), "stop" },
    };
    char buf[64];
    for (size_t i = 0; i < sizeof dicts / sizeof *dicts; i++) {
        const galley_dict *d = *(galley_dict *const *)((const char *)r->d + dicts[i].offset);
        size_t got;
        const char *label = d ? galley_dict_match(d, s, &t, 0, 1, &got) : NULL;
        if (!label)
            continue;
        int m = snprintf(buf, sizeof buf, "%s=%s", dicts[i].name, label);
        add(out, n, T_GAZ, buf, (size_t)m < sizeof buf ? (size_t)m : sizeof buf - 1, AT_1);
    }
}

size_t entities_word_features(const entities_res *r, const char *s, size_t len, unsigned wflags,
                              entities_wfeat *out)
{
    size_t n = 0;
    char form[96] = "", lower[96] = "", shape[16], shortshape[16];
    if (len > sizeof form - 1)
        len = sizeof form - 1;
    /* The form: digits as 0 ("1996-08-30" like any date), and title case
     * for an all-caps word in an all-caps line. */
    int title = (wflags & ENTITIES_W_CAPS_LINE) != 0;
    int seen_letter = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        char c = (char)(b >= '0' && b <= '9' ? '0' : b);
        if (b >= 'A' && b <= 'Z' && title && seen_letter)
            c = (char)(b + 32);
        seen_letter |= (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b >= 0x80;
        form[i] = c;
        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    size_t sl = 0, ssl = 0, k;
    for (size_t i = 0; i < len && sl < sizeof shape; i += k) {
        char c = shape_char(s + i, len - i, &k);
        if (title && c == 'X' && i > 0)
            c = 'x';
        shape[sl++] = c;
        if (ssl == 0 || shortshape[ssl - 1] != c)
            shortshape[ssl++] = c;
        if (ssl == sizeof shortshape)
            break;
    }
    add(out, &n, T_WORD, form, len, AT_1);
    add(out, &n, T_LOWER, lower, len, AT_2);
    add(out, &n, T_SHAPE, shape, sl, AT_1);
    add(out, &n, T_SHORT_SHAPE, shortshape, ssl, AT_2);
    for (size_t a = 1; a <= 4 && a < len; a++) {
        add(out, &n, T_PREFIX + 16 * a, lower, a, AT_0);
        add(out, &n, T_SUFFIX + 16 * a, lower + len - a, a, a == 3 ? AT_1 : AT_0);
    }
    char lb = (char)(len < 5 ? '0' + len : len < 7 ? '5' : len < 10 ? '7' : '9');
    add(out, &n, T_LENGTH, &lb, 1, AT_0);
    add_gazetteers(r, form, len, out, &n);
    if (r->clusters) {
        const char *classes = cluster_of(r->clusters, s, len);
        if (!classes && title)
            classes = cluster_of(r->clusters, form, len);
        for (unsigned g = 0; classes && *classes && g < 8; g++) {
            size_t m = strcspn(classes, "\t");
            add(out, &n, T_CLUSTER + 16 * g, classes, m, AT_2);
            classes += m + (classes[m] == '\t');
        }
    }
    return n;
}

size_t entities_boundary_features(int side, entities_wfeat *out)
{
    const char *v = side < 0 ? "<s>" : "</s>";
    out[0] = (entities_wfeat){ galley_feature(T_BOUNDARY, v, strlen(v)), AT_2 };
    return 1;
}

/* ---- the document view ------------------------------------------------ */

/* ASCII-lower-case hash of a token, for "the same word elsewhere". */
static uint64_t lower_key(const char *s, size_t len)
{
    char buf[64];
    if (len > sizeof buf)
        len = sizeof buf;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    uint64_t h = galley_hash64(buf, len, 0);
    return h ? h : 1;
}

/* A map of non-zero 64-bit keys to numbers in the document's arena,
 * growing as keys come (a big article has many tokens but few distinct
 * words: a table sized by tokens would be most of its memory). */
typedef struct key_map {
    galley_arena *a;
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} key_map;

/* An empty map. */
static void map_init(key_map *m, galley_arena *a)
{
    m->a = a;
    m->cap = 1024;
    m->n = 0;
    m->keys = galley_arena_calloc(a, m->cap, sizeof *m->keys);
    m->vals = galley_arena_alloc(a, m->cap * sizeof *m->vals);
}

/* The slot of key k: where it is, or the empty one where it would go. */
static size_t map_slot(const key_map *m, uint64_t k)
{
    size_t j = k & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != k)
        j = (j + 1) & (m->cap - 1);
    return j;
}

/* The number of key k; a new key gets `fresh`. */
static uint32_t map_put(key_map *m, uint64_t k, uint32_t fresh)
{
    size_t j = map_slot(m, k);
    if (m->keys[j])
        return m->vals[j];
    if (2 * (m->n + 1) > m->cap) {
        key_map bigger = { m->a, NULL, NULL, m->cap * 2, 0 };
        bigger.keys = galley_arena_calloc(m->a, bigger.cap, sizeof *bigger.keys);
        bigger.vals = galley_arena_alloc(m->a, bigger.cap * sizeof *bigger.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t b = map_slot(&bigger, m->keys[i]);
                bigger.keys[b] = m->keys[i];
                bigger.vals[b] = m->vals[i];
                bigger.n++;
            }
        *m = bigger;
        j = map_slot(m, k);
    }
    m->keys[j] = k;
    m->vals[j] = fresh;
    m->n++;
    return fresh;
}

/* Is key k in the map? */
static int map_has(const key_map *m, uint64_t k)
{
    return m->keys[map_slot(m, k)] != 0;
}

enum { DOC_LOWER = 1, DOC_MIDCAP = 2 };

/* A token like "1996-08-30" (a CoNLL dateline's date). */
static int iso_date(const char *s, size_t len)
{
    return len == 10 && s[4] == '-' && s[7] == '-' && s[0] >= '1' && s[0] <= '2';
}

/* Is the token a word with letters (not a number or a mark)? */
static int has_letter(const galley_token *t)
{
    return t->kind == GALLEY_TOK_WORD &&
        (t->flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_ALL_UPPER) ||
         !(t->flags & GALLEY_TF_HAS_DIGIT));
}

/* The kind of the line of tokens [first, end). */
static uint8_t line_kind(const entities_doc_view *v, size_t first, size_t end)
{
    size_t words = 0, upper = 0, numbers = 0, capital = 0, long_words = 0, long_capital = 0;
    size_t commas = 0, brackets = 0, head_words = 0, head_capital = 0;
    int date_at = -1;
    for (size_t i = first; i < end; i++) {
        const galley_token *t = &v->tok[i];
        size_t len = t->end - t->start;
        if (t->kind == GALLEY_TOK_NUMBER)
            numbers++;
        commas += t->kind == GALLEY_TOK_PUNCT && v->text[t->start] == ',';
        brackets += t->kind == GALLEY_TOK_PUNCT && v->text[t->start] == '(';
        if (iso_date(v->text + t->start, len) && date_at < 0)
            date_at = (int)(i - first);
        if (!has_letter(t) || (t->flags & GALLEY_TF_HAS_DIGIT))
            continue;
        words++;
        upper += (t->flags & GALLEY_TF_ALL_UPPER) != 0;
        capital += (t->flags & GALLEY_TF_UPPER_INITIAL) != 0;
        if (len >= 4) {
            long_words++;
            long_capital += (t->flags & GALLEY_TF_UPPER_INITIAL) != 0;
            /* A headline's possessive 's is no lower-case word. */
            unsigned char c0 = (unsigned char)v->text[t->start];
            if (c0 != '\'' && c0 != 0xE2) {
                head_words++;
                head_capital += (t->flags & GALLEY_TF_UPPER_INITIAL) != 0;
            }
        }
    }

    size_t ntok = end - first;
    uint8_t k = 0;
    if (upper >= 1 && upper * 10 >= words * 7)
        k |= ENTITIES_LINE_CAPS;
    if (date_at >= 1 && date_at <= 6 && (v->tok[first].flags & GALLEY_TF_ALL_UPPER))
        k |= ENTITIES_LINE_DATELINE;
    if (ntok >= 3 && numbers * 10 >= ntok * 3)
        k |= ENTITIES_LINE_TABLE;
    if (words <= 3 && !(ntok && v->text[v->tok[end - 1].start] == '.'))
        k |= ENTITIES_LINE_SHORT;
    int stop = ntok && v->text[v->tok[end - 1].start] == '.';
    if (!(k & ENTITIES_LINE_CAPS) && numbers == 0 && long_words >= 5 &&
        long_capital == long_words && !stop)
        k |= ENTITIES_LINE_TITLE;
    if (!(k & ENTITIES_LINE_CAPS) && numbers == 0 && commas <= 2 && brackets == 0 &&
        head_words >= 5 && head_capital == head_words && !stop)
        k |= ENTITIES_LINE_HEADLINE;
    if (commas >= 3 && capital * 10 >= words * 7 && words - capital <= 2)
        k |= ENTITIES_LINE_LIST;
    return k;
}

/* Marks multi-word dictionary names starting at capitalized tokens. */
static void mark_dictionary(const entities_res *r, entities_doc_view *v)
{
    static const char *const labels[] = { "PERSON", "ORG", "LOC", "NORP", "DATE", "MISC" };
    for (size_t i = 0; i < v->ntok;) {
        const galley_token *t = &v->tok[i];
        size_t n = 0;
        const char *label = NULL;
        if (r->d && (t->flags & GALLEY_TF_UPPER_INITIAL)) {
            const galley_dict *d =
                (v->line_kind[i] & ENTITIES_LINE_CAPS) ? r->d->known_ci : r->d->known;
            label = galley_dict_match(d, v->text, v->tok, i, v->ntok, &n);
        }
        if (!label || n < 2) {
            i++;
            continue;
        }
        uint8_t code = 0;
        for (size_t k = 0; k < 6; k++)
            if (strcmp(labels[k], label) == 0)
                code = (uint8_t)(k + 1);
        for (size_t k = 0; k < n; k++)
            v->dict_flags[i + k] = (uint8_t)(code * 2 + (k == 0));
        i += n;
    }
}

#define AGG_MAX 10 /* neighbours kept a side and word */

/* The id of the neighbour on `side` (0 before, 1 after) of token i, for
 * the context aggregation. */
static uint64_t neighbour_id(const entities_doc_view *v, const uint64_t *keys, size_t i, int side)
{
    long nb = side ? (long)i + 1 : (long)i - 1;
    if (nb < 0 || nb >= (long)v->ntok ||
        (v->tok[side ? nb : (long)i].flags & GALLEY_TF_NEWLINE_BEFORE))
        return ctx_id(side ? T_AGG_NEXT : T_AGG_PREV, 1);
    if (keys[nb] && (v->tok[nb].flags & GALLEY_TF_UPPER_INITIAL))
        return ctx_id(side ? T_AGG_NEXT : T_AGG_PREV, 2); /* another capital */
    return ctx_id(side ? T_AGG_NEXT : T_AGG_PREV,
                  lower_key(v->text + v->tok[nb].start, v->tok[nb].end - v->tok[nb].start));
}

/* The article-wide neighbours of each capitalized word: for every
 * mention, the lower-cased words before and after its other mentions
 * (at most AGG_MAX a side, in order of appearance). Kept once a distinct
 * word, not once a mention: a big article's memory stays a few bytes a
 * token. */
static void aggregate_contexts(entities_doc_view *v, galley_arena *a, const uint64_t *keys)
{
    v->agg_rec = galley_arena_alloc(a, (v->ntok + 1) * sizeof *v->agg_rec);
    /* Pass 1: a record number for each distinct capitalized word. */
    key_map recs;
    map_init(&recs, a);
    uint32_t nrec = 0;
    for (size_t i = 0; i < v->ntok; i++) {
        v->agg_rec[i] = UINT32_MAX;
        if (!keys[i] || !(v->tok[i].flags & GALLEY_TF_UPPER_INITIAL))
            continue;
        v->agg_rec[i] = map_put(&recs, keys[i], nrec);
        nrec += v->agg_rec[i] == nrec;
    }
    /* Pass 2: each record's neighbour ids, both sides, in order seen. */
    v->agg_ids = galley_arena_alloc(a, ((size_t)nrec * 2 * AGG_MAX + 1) * sizeof *v->agg_ids);
    v->agg_count = galley_arena_calloc(a, (size_t)nrec * 2 + 1, 1);
    v->hist = galley_arena_calloc(a, (size_t)nrec * ENTITIES_HIST_CLASSES + 1, sizeof *v->hist);
    for (size_t i = 0; i < v->ntok; i++) {
        if (v->agg_rec[i] == UINT32_MAX)
            continue;
        for (int side = 0; side < 2; side++) {
            uint64_t id = neighbour_id(v, keys, i, side);
            size_t r = (size_t)v->agg_rec[i] * 2 + (size_t)side;
            uint64_t *list = v->agg_ids + r * AGG_MAX;
            uint8_t *n = &v->agg_count[r];
            int seen = 0;
            for (size_t k = 0; k < *n; k++)
                seen |= list[k] == id;
            if (!seen && *n < AGG_MAX)
                list[(*n)++] = id;
        }
    }
}

void entities_history_add(entities_doc_view *v, size_t first, size_t end, const int8_t *type)
{
    for (size_t i = first; i < end; i++) {
        if (v->agg_rec[i] == UINT32_MAX)
            continue;
        int t = type[i - first];
        uint16_t *c = v->hist + (size_t)v->agg_rec[i] * ENTITIES_HIST_CLASSES +
            (t >= 0 && t < ENTITIES_MAX_TYPES ? (size_t)t : ENTITIES_HIST_O);
        *c += *c < UINT16_MAX;
    }
}

/* The history features of token i: the class most of its word's earlier
 * mentions got (the lowest on a tie) and whether all did; the set of
 * classes they got. None for a word not seen before. */
static size_t history_features(const entities_doc_view *v, size_t i, uint64_t *out)
{
    if (v->agg_rec[i] == UINT32_MAX)
        return 0;
    const uint16_t *c = v->hist + (size_t)v->agg_rec[i] * ENTITIES_HIST_CLASSES;
    unsigned total = 0, best = 0, mask = 0;
    for (unsigned k = 0; k < ENTITIES_HIST_CLASSES; k++) {
        total += c[k];
        if (c[k] > c[best])
            best = k;
        if (c[k])
            mask |= 1u << k;
    }
    if (!total)
        return 0;
    out[0] = ctx_id(T_HISTORY, best * 2 + (c[best] == total));
    out[1] = ctx_id(T_HISTORY, 0x100000u + mask);
    return 2;
}

/* The code of a names.txt label ("LOC|ORG"): a hash of it, which is
 * stable and needs no table of type sets. */
static uint16_t names_label_code(const char *label)
{
    uint64_t h = galley_hash64(label, strlen(label), 0);
    return (uint16_t)(1 + (h % 4093));
}

/* Marks the longest names.txt match at each token that can start a
 * name: code * 4 + role (0 begin, 1 inside, 2 last, 3 whole). */
static void mark_names(const entities_res *r, entities_doc_view *v)
{
    if (!r->names)
        return;
    for (size_t i = 0; i < v->ntok;) {
        const galley_token *t = &v->tok[i];
        size_t n = 0;
        const char *label = NULL;
        if (t->kind != GALLEY_TOK_PUNCT &&
            (t->flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_HAS_DIGIT))) {
            const galley_dict *d = (v->line_kind[i] & ENTITIES_LINE_CAPS) ? r->names_ci : r->names;
            label = galley_dict_match(d, v->text, v->tok, i, v->ntok, &n);
        }
        if (!label) {
            i++;
            continue;
        }
        uint16_t code = names_label_code(label);
        for (size_t k = 0; k < n; k++)
            v->name_codes[i + k] = (uint16_t)(code * 4 +
                                              (n == 1           ? 3
                                                   : k == 0     ? 0
                                                   : k + 1 == n ? 2
                                                                : 1));
        i += n;
    }
}

void entities_doc_view_build(const entities_res *r, galley_doc *doc, galley_arena *a,
                             entities_doc_view *v)
{
    v->text = galley_doc_text(doc);
    v->tok = galley_doc_tokens(doc, &v->ntok);
    size_t nsent;
    galley_doc_sentences(doc, &nsent); /* sets SENT_START */
    v->line_kind = galley_arena_calloc(a, v->ntok + 1, 1);
    v->dict_flags = galley_arena_calloc(a, v->ntok + 1, 1);
    v->name_codes = galley_arena_calloc(a, v->ntok + 1, sizeof *v->name_codes);
    v->doc_flags = galley_arena_calloc(a, v->ntok + 1, 1);
    v->wflags = galley_arena_calloc(a, v->ntok + 1, sizeof *v->wflags);
    for (size_t i = 0; i < v->ntok;) {
        size_t e = i + 1;
        while (e < v->ntok && !(v->tok[e].flags & GALLEY_TF_NEWLINE_BEFORE))
            e++;
        uint8_t k = line_kind(v, i, e);
        for (size_t j = i; j < e; j++) {
            v->line_kind[j] = k;
            if ((k & ENTITIES_LINE_CAPS) && (v->tok[j].flags & GALLEY_TF_ALL_UPPER))
                v->wflags[j] = ENTITIES_W_CAPS_LINE;
        }
        i = e;
    }
    mark_dictionary(r, v);
    mark_names(r, v);
    /* The rest of the article: is a capitalized word also written in
     * lower case, or capitalized inside a sentence of ordinary text? */
    key_map lowerset, midcap;
    map_init(&lowerset, a);
    map_init(&midcap, a);
    uint64_t *keys = galley_arena_alloc(a, (v->ntok + 1) * sizeof *keys);
    v->lower = galley_arena_alloc(a, (v->ntok + 1) * sizeof *v->lower);
    for (size_t i = 0; i < v->ntok; i++) {
        const galley_token *t = &v->tok[i];
        keys[i] = 0;
        v->lower[i] = lower_key(v->text + t->start, t->end - t->start);
        if (t->kind != GALLEY_TOK_WORD)
            continue;
        keys[i] = v->lower[i];
        if (!(t->flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_HAS_DIGIT)))
            map_put(&lowerset, keys[i], 0);
        else if ((t->flags & GALLEY_TF_UPPER_INITIAL) && !(t->flags & GALLEY_TF_SENT_START) &&
                 !(v->line_kind[i] & (ENTITIES_LINE_CAPS | ENTITIES_LINE_TITLE)))
            map_put(&midcap, keys[i], 0);
    }
    for (size_t i = 0; i < v->ntok; i++) {
        if (!keys[i] || !(v->tok[i].flags & GALLEY_TF_UPPER_INITIAL))
            continue;
        v->doc_flags[i] = (uint8_t)((map_has(&lowerset, keys[i]) ? DOC_LOWER : 0) |
                                    (map_has(&midcap, keys[i]) ? DOC_MIDCAP : 0));
    }
    aggregate_contexts(v, a, keys);
}

/* ---- context features ------------------------------------------------- */

/* A token's case class from its flags: few values, for conjunctions. */
static unsigned case_class(const galley_token *t)
{
    if (t->kind == GALLEY_TOK_PUNCT)
        return 1;
    if (t->kind == GALLEY_TOK_NUMBER)
        return 2;
    if (t->flags & GALLEY_TF_ALL_UPPER)
        return 3;
    if (t->flags & GALLEY_TF_UPPER_INITIAL)
        return 4;
    return 5;
}

#define ctx ctx_id

size_t entities_context_features(const entities_doc_view *v, size_t first, size_t end, size_t i,
                                 uint64_t *out)
{
    (void)end;
    size_t n = 0;
    const galley_token *t = &v->tok[i];
    unsigned cc = case_class(t);
    int start = i == first;
    out[n++] = ctx(T_BIAS, 0);
    if (start)
        out[n++] = ctx(T_SENT_START, cc);
    if (t->flags & GALLEY_TF_NEWLINE_BEFORE)
        out[n++] = ctx(T_PARA_START, cc);
    uint8_t lk = v->line_kind[i];
    for (unsigned b = 0; b < 6; b++)
        if (lk & (1u << b)) {
            out[n++] = ctx(T_LINE, b);
            out[n++] = ctx(T_LINE, 16 + b * 8 + cc);
        }
    if ((lk & ENTITIES_LINE_DATELINE) && i == first)
        out[n++] = ctx(T_LINE, 100 + cc);
    if (v->dict_flags[i])
        out[n++] = ctx(T_DICT, v->dict_flags[i]);
    if (i > first && v->dict_flags[i - 1])
        out[n++] = ctx(T_DICT, 256 + v->dict_flags[i - 1]);
    if (i + 1 < end && v->dict_flags[i + 1])
        out[n++] = ctx(T_DICT, 512 + v->dict_flags[i + 1]);
    if (v->name_codes[i])
        out[n++] = ctx(T_NAMES, v->name_codes[i]);
    if (cc >= 3) {
        unsigned df = v->doc_flags[i];
        out[n++] = ctx(T_DOC, df * 4 + (unsigned)start * 2 + ((lk & ENTITIES_LINE_CAPS) != 0));
    }
    n += history_features(v, i, out + n);
    if (v->agg_rec[i] != UINT32_MAX)
        for (int side = 0; side < 2; side++) {
            size_t r = (size_t)v->agg_rec[i] * 2 + (size_t)side;
            for (size_t k = 0; k < v->agg_count[r] && n < ENTITIES_MAX_CONTEXT_FEATURES; k++)
                out[n++] = v->agg_ids[r * AGG_MAX + k];
        }
    return n;
}

size_t entities_token_features(const entities_res *r, const entities_doc_view *v, size_t first,
                               size_t end, size_t i, uint64_t *out)
{
    size_t n = 0;
    entities_wfeat wf[ENTITIES_MAX_WORD_FEATURES];
    for (int k = -ENTITIES_WINDOW; k <= ENTITIES_WINDOW; k++) {
        long j = (long)i + k;
        size_t nw;
        if (j < (long)first)
            nw = entities_boundary_features(-1, wf);
        else if (j >= (long)end)
            nw = entities_boundary_features(1, wf);
        else {
            const galley_token *t = &v->tok[j];
            nw = entities_word_features(r, v->text + t->start, t->end - t->start, v->wflags[j], wf);
        }
        for (size_t f = 0; f < nw; f++)
            if (wf[f].offsets & (1u << (k + ENTITIES_WINDOW)))
                out[n++] = entities_at_offset(wf[f].id, k);
    }
    return n + entities_context_features(v, first, end, i, out + n);
}
