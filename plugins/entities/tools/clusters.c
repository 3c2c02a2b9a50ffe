/* clusters.c - word clusters for the entity model from unlabeled text:
 * the exchange algorithm (Kneser and Ney 1993, Martin et al. 1998) for
 * the class bigram model, run at several numbers of classes. Words that
 * take the same neighbours fall into one class, so a word the annotated
 * corpus never showed is still seen as "like Tuesday" or "like Lazio".
 *
 *     entities-clusters [--min-count N] [--classes N,N,...] [--iterations N]
 *                       [--conll FILE]... [--text DIR|FILE]... [--timeml DIR|FILE]...
 *                       -o clusters.txt
 *
 * Text is tokenized with galley's tokenizer (CoNLL files are read as
 * articles, like the training reader does), so the words are the
 * stage's tokens. Output: one line a word, WORD<TAB>CLASS<TAB>CLASS...
 * (one class a run, in the order of --classes), sorted by word; the
 * same input and options always give the same file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <galley/galley.h>
#include "../conll.h"

/* ---- vocabulary ------------------------------------------------------- */

typedef struct vocab {
    uint64_t *keys; /* hash of the word, 0 empty */
    uint32_t *ids;
    size_t cap;
    char **words;
    uint64_t *counts;
    size_t n, wcap;
} vocab;

/* The id of a word, made on first sight. */
static uint32_t vocab_id(vocab *v, const char *s, size_t len)
{
    uint64_t h = galley_hash64(s, len, 0);
    h = h ? h : 1;
    if ((v->n + 1) * 2 > v->cap) {
        size_t oc = v->cap;
        uint64_t *ok = v->keys;
        uint32_t *oi = v->ids;
        v->cap = v->cap ? v->cap * 2 : 1 << 16;
        v->keys = calloc(v->cap, sizeof *v->keys);
        v->ids = calloc(v->cap, sizeof *v->ids);
        for (size_t i = 0; i < oc; i++)
            if (ok[i]) {
                size_t j = ok[i] & (v->cap - 1);
                while (v->keys[j])
                    j = (j + 1) & (v->cap - 1);
                v->keys[j] = ok[i];
                v->ids[j] = oi[i];
            }
        free(ok);
        free(oi);
    }
    size_t j = h & (v->cap - 1);
    while (v->keys[j] && v->keys[j] != h)
        j = (j + 1) & (v->cap - 1);
    if (v->keys[j])
        return v->ids[j];
    if (v->n == v->wcap) {
        v->wcap = v->wcap ? v->wcap * 2 : 1 << 14;
        v->words = realloc(v->words, v->wcap * sizeof *v->words);
        v->counts = realloc(v->counts, v->wcap * sizeof *v->counts);
    }
    v->words[v->n] = strndup(s, len);
    v->counts[v->n] = 0;
    v->keys[j] = h;
    v->ids[j] = (uint32_t)v->n;
    return (uint32_t)v->n++;
}

/* The corpus as word ids, UINT32_MAX between lines. */
typedef struct stream {
    uint32_t *ids;
    size_t n, cap;
} stream;

/* Appends a word id to the stream. */
static void push(stream *s, uint32_t id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1 << 20;
        s->ids = realloc(s->ids, s->cap * sizeof *s->ids);
    }
    s->ids[s->n++] = id;
}

/* Tokenizes a text and appends its words, a line break as a boundary. */
static void add_text(vocab *v, stream *st, const char *text, size_t len)
{
    galley_arena *a = galley_arena_new(0);
    size_t n;
    galley_token *tok = galley_tokenize(a, text, len, &n);
    for (size_t i = 0; i < n; i++) {
        if (tok[i].flags & GALLEY_TF_NEWLINE_BEFORE)
            push(st, UINT32_MAX);
        uint32_t id = vocab_id(v, text + tok[i].start, tok[i].end - tok[i].start);
        v->counts[id]++;
        push(st, id);
    }
    push(st, UINT32_MAX);
    galley_arena_free(a);
}

/* A whole file in malloc'd memory (exits with 2 when unreadable). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "entities-clusters: cannot read %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n < cap ? n : cap - 1] = '\0';
    *len = n;
    return buf;
}

/* The text inside TimeML's <TEXT> element, tags removed. */
static void add_timeml(vocab *v, stream *st, const char *path)
{
    size_t len;
    char *xml = read_file(path, &len);
    char *from = strstr(xml, "<TEXT>"), *to = from ? strstr(from, "</TEXT>") : NULL;
    if (from && to) {
        char *out = malloc((size_t)(to - from) + 1);
        size_t n = 0;
        int in_tag = 0;
        for (char *p = from + 6; p < to; p++) {
            if (*p == '<')
                in_tag = 1;
            else if (*p == '>')
                in_tag = 0;
            else if (!in_tag)
                out[n++] = *p;
        }
        add_text(v, st, out, n);
        free(out);
    }
    free(xml);
}

/* Orders strings (for qsort of char pointers). */
static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls fn on the file, or on every regular file of the folder in name
 * order (so the corpus order, and the clusters, never depend on the
 * file system). */
static void each_file(const char *path, void (*fn)(vocab *, stream *, const char *), vocab *v,
                      stream *st)
{
    struct stat sb;
    if (stat(path, &sb) < 0) {
        fprintf(stderr, "entities-clusters: cannot read %s\n", path);
        exit(2);
    }
    if (!S_ISDIR(sb.st_mode)) {
        fn(v, st, path);
        return;
    }
    DIR *d = opendir(path);
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        sprintf(names[n++], "%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, str_cmp);
    for (size_t i = 0; i < n; i++) {
        fn(v, st, names[i]);
        free(names[i]);
    }
    free(names);
}

/* Adds a plain text file (skipped when not valid UTF-8). */
static void text_file(vocab *v, stream *st, const char *path)
{
    size_t len;
    char *t = read_file(path, &len);
    if (galley_utf8_valid(t, len))
        add_text(v, st, t, len);
    free(t);
}

/* Adds the articles of a CoNLL-2003 file. */
static void entities_conll_file(vocab *v, stream *st, const char *path)
{
    entities_conll_corpus c;
    galley_error err = { 0 };
    if (entities_conll_read(path, &c, &err) < 0) {
        fprintf(stderr, "entities-clusters: %s\n", err.message);
        exit(2);
    }
    for (size_t i = 0; i < c.ndocs; i++)
        add_text(v, st, c.docs[i].text, c.docs[i].len);
    entities_conll_free(&c);
}

/* ---- the exchange algorithm ------------------------------------------- */

/* A word's neighbours: (word, count) pairs. */
typedef struct adj {
    uint32_t *w;
    uint32_t *n;
    size_t len;
} adj;

/* x log x, 0 at 0: the terms of the class bigram likelihood. */
static double xlogx(double x)
{
    return x > 0 ? x * log(x) : 0;
}

typedef struct model {
    size_t V, C;      /* clustered words (ids 0..V-1), classes */
    uint32_t *cls;    /* class of each word; words >= V are in class C - 1 */
    int64_t *N;       /* C * C class bigrams */
    int64_t *NL, *NR; /* class counts as left and as right */
} model;

/* Moves every clustered word to its best class, once. Returns moves. */
static size_t exchange_pass(model *m, const adj *succ, const adj *pred, const int64_t *nl,
                            const int64_t *nr, const int64_t *self)
{
    size_t C = m->C, moves = 0;
    int64_t *s = calloc(C, sizeof *s), *p = calloc(C, sizeof *p);
    uint32_t *sd = malloc(C * sizeof *sd), *pd = malloc(C * sizeof *pd);
    for (size_t w = 0; w < m->V; w++) {
        size_t ns = 0, np = 0;
        for (size_t k = 0; k < succ[w].len; k++) {
            uint32_t d = m->cls[succ[w].w[k]];
            if (!s[d])
                sd[ns++] = d;
            s[d] += succ[w].n[k];
        }
        for (size_t k = 0; k < pred[w].len; k++) {
            uint32_t c = m->cls[pred[w].w[k]];
            if (!p[c])
                pd[np++] = c;
            p[c] += pred[w].n[k];
        }
        /* Take w out of its class a. */
        size_t a = m->cls[w];
        for (size_t k = 0; k < ns; k++)
            m->N[a * C + sd[k]] -= s[sd[k]];
        for (size_t k = 0; k < np; k++)
            m->N[pd[k] * C + a] -= p[pd[k]];
        m->N[a * C + a] -= self[w];
        m->NL[a] -= nl[w];
        m->NR[a] -= nr[w];
        /* The class that gains most by taking it (ties: the lower). */
        double best = -INFINITY;
        size_t arg = a;
        for (size_t b = 0; b + 1 < C; b++) {
            double gain = 0;
            for (size_t k = 0; k < ns; k++)
                if (sd[k] != b)
                    gain += xlogx((double)(m->N[b * C + sd[k]] + s[sd[k]])) -
                        xlogx((double)m->N[b * C + sd[k]]);
            for (size_t k = 0; k < np; k++)
                if (pd[k] != b)
                    gain += xlogx((double)(m->N[pd[k] * C + b] + p[pd[k]])) -
                        xlogx((double)m->N[pd[k] * C + b]);
            double bb = (double)m->N[b * C + b];
            gain += xlogx(bb + (double)(s[b] + p[b] + self[w])) - xlogx(bb);
            gain -= xlogx((double)(m->NL[b] + nl[w])) - xlogx((double)m->NL[b]);
            gain -= xlogx((double)(m->NR[b] + nr[w])) - xlogx((double)m->NR[b]);
            if (gain > best + 1e-9) {
                best = gain;
                arg = b;
            }
        }
        /* Put it in. */
        for (size_t k = 0; k < ns; k++)
            if (sd[k] != arg)
                m->N[arg * C + sd[k]] += s[sd[k]];
        for (size_t k = 0; k < np; k++)
            if (pd[k] != arg)
                m->N[pd[k] * C + arg] += p[pd[k]];
        m->N[arg * C + arg] += s[arg] + p[arg] + self[w];
        m->NL[arg] += nl[w];
        m->NR[arg] += nr[w];
        if (arg != a)
            moves++;
        m->cls[w] = (uint32_t)arg;
        for (size_t k = 0; k < ns; k++)
            s[sd[k]] = 0;
        for (size_t k = 0; k < np; k++)
            p[pd[k]] = 0;
    }
    free(s);
    free(p);
    free(sd);
    free(pd);
    return moves;
}

/* ---- main ------------------------------------------------------------- */

typedef struct pair_count {
    uint64_t key; /* left << 32 | right */
    uint32_t n;
} pair_count;

/* Orders bigrams by their key. */
static int pair_cmp(const void *a, const void *b)
{
    uint64_t x = ((const pair_count *)a)->key, y = ((const pair_count *)b)->key;
    return (x > y) - (x < y);
}

/* Orders word ids by count, most frequent first, then by id. */
static int by_count(const void *a, const void *b, void *ctx)
{
    const uint64_t *c = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (c[x] != c[y])
        return c[x] > c[y] ? -1 : 1;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    vocab v = { 0 };
    stream st = { 0 };
    const char *out = NULL, *classes = "64,256,1024";
    unsigned min_count = 3, iterations = 12;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) {
            fprintf(stderr, "entities-clusters: %s needs a value\n", k);
            return 2;
        }
        if (strcmp(k, "--conll") == 0)
            each_file(val, entities_conll_file, &v, &st);
        else if (strcmp(k, "--text") == 0)
            each_file(val, text_file, &v, &st);
        else if (strcmp(k, "--timeml") == 0)
            each_file(val, add_timeml, &v, &st);
        else if (strcmp(k, "-o") == 0)
            out = val;
        else if (strcmp(k, "--classes") == 0)
            classes = val;
        else if (strcmp(k, "--min-count") == 0)
            min_count = (unsigned)atoi(val);
        else if (strcmp(k, "--iterations") == 0)
            iterations = (unsigned)atoi(val);
        else {
            fprintf(stderr, "entities-clusters: unknown argument %s\n", k);
            return 2;
        }
        i++;
    }
    if (!out || v.n == 0) {
        fprintf(stderr, "usage: entities-clusters [--conll F] [--text D] [--timeml D] -o OUT\n");
        return 2;
    }
    /* Renumber: clustered words (count >= min_count) first, by count. */
    uint32_t *order = malloc(v.n * sizeof *order), *rank = malloc(v.n * sizeof *rank);
    for (size_t i = 0; i < v.n; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, v.n, sizeof *order, by_count, v.counts);
    size_t V = 0;
    while (V < v.n && v.counts[order[V]] >= min_count)
        V++;
    for (size_t i = 0; i < v.n; i++)
        rank[order[i]] = (uint32_t)i;
    /* Bigram counts of renumbered words; rare words all become word V. */
    size_t np = 0;
    pair_count *pairs = malloc(st.n * sizeof *pairs);
    for (size_t i = 1; i < st.n; i++) {
        if (st.ids[i - 1] == UINT32_MAX || st.ids[i] == UINT32_MAX)
            continue;
        uint64_t l = rank[st.ids[i - 1]], r = rank[st.ids[i]];
        l = l < V ? l : V;
        r = r < V ? r : V;
        pairs[np++] = (pair_count){ l << 32 | r, 1 };
    }
    qsort(pairs, np, sizeof *pairs, pair_cmp);
    size_t u = 0;
    for (size_t i = 0; i < np; i++) {
        if (u && pairs[u - 1].key == pairs[i].key)
            pairs[u - 1].n++;
        else
            pairs[u++] = pairs[i];
    }
    np = u;
    size_t W = V + 1;
    adj *succ = calloc(W, sizeof *succ), *pred = calloc(W, sizeof *pred);
    int64_t *nl = calloc(W, sizeof *nl), *nr = calloc(W, sizeof *nr),
            *self = calloc(W, sizeof *self);
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < np; i++) {
            uint32_t l = (uint32_t)(pairs[i].key >> 32), r = (uint32_t)pairs[i].key;
            if (pass == 0) {
                nl[l] += pairs[i].n;
                nr[r] += pairs[i].n;
                if (l == r)
                    self[l] += pairs[i].n;
                else {
                    succ[l].len++;
                    pred[r].len++;
                }
                continue;
            }
            if (l == r)
                continue;
            adj *a = &succ[l], *b = &pred[r];
            a->w[a->len] = r;
            a->n[a->len++] = pairs[i].n;
            b->w[b->len] = l;
            b->n[b->len++] = pairs[i].n;
        }
        if (pass == 0)
            for (size_t w = 0; w < W; w++) {
                succ[w].w = malloc((succ[w].len + 1) * sizeof(uint32_t));
                succ[w].n = malloc((succ[w].len + 1) * sizeof(uint32_t));
                pred[w].w = malloc((pred[w].len + 1) * sizeof(uint32_t));
                pred[w].n = malloc((pred[w].len + 1) * sizeof(uint32_t));
                succ[w].len = pred[w].len = 0;
            }
    }
    fprintf(stderr, "entities-clusters: %zu tokens, %zu words, %zu with %u or more, %zu bigrams\n",
            st.n, v.n, V, min_count, np);
    /* One run a class count. */
    size_t nruns = 0;
    size_t counts[8];
    for (const char *p = classes; *p && nruns < 8;) {
        counts[nruns++] = (size_t)strtoul(p, (char **)&p, 10) + 1; /* + the rare words' class */
        if (*p == ',')
            p++;
    }
    uint32_t **result = calloc(nruns, sizeof *result);
    for (size_t run = 0; run < nruns; run++) {
        model m = { V, counts[run], NULL, NULL, NULL, NULL };
        size_t C = m.C;
        m.cls = malloc(W * sizeof *m.cls);
        for (size_t w = 0; w < V; w++)
            m.cls[w] = (uint32_t)(w % (C - 1));
        m.cls[V] = (uint32_t)(C - 1);
        m.N = calloc(C * C, sizeof *m.N);
        m.NL = calloc(C, sizeof *m.NL);
        m.NR = calloc(C, sizeof *m.NR);
        for (size_t i = 0; i < np; i++) {
            uint32_t l = (uint32_t)(pairs[i].key >> 32), r = (uint32_t)pairs[i].key;
            m.N[m.cls[l] * C + m.cls[r]] += pairs[i].n;
        }
        for (size_t w = 0; w < W; w++) {
            m.NL[m.cls[w]] += nl[w];
            m.NR[m.cls[w]] += nr[w];
        }
        for (unsigned it = 0; it < iterations; it++) {
            size_t moves = exchange_pass(&m, succ, pred, nl, nr, self);
            fprintf(stderr, "entities-clusters: %zu classes, iteration %u: %zu words moved\n",
                    C - 1, it + 1, moves);
            if (moves == 0)
                break;
        }
        result[run] = m.cls;
        free(m.N);
        free(m.NL);
        free(m.NR);
    }
    /* Write, sorted by word. */
    char **words = malloc(V * sizeof *words);
    uint32_t *word_rank = malloc(V * sizeof *word_rank);
    for (size_t i = 0; i < V; i++)
        words[i] = v.words[order[i]];
    qsort(words, V, sizeof *words, str_cmp);
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "entities-clusters: cannot write %s\n", out);
        return 3;
    }
    fprintf(f,
            "# Word clusters for the entities model, made by entities-clusters (see README.md):\n"
            "# WORD<TAB>CLASS for each of %s classes.\n",
            classes);
    for (size_t i = 0; i < V; i++) {
        uint32_t id = vocab_id(&v, words[i], strlen(words[i]));
        fprintf(f, "%s", words[i]);
        for (size_t run = 0; run < nruns; run++)
            fprintf(f, "\t%u", result[run][rank[id]]);
        fprintf(f, "\n");
    }
    (void)word_rank;
    return fclose(f) == 0 ? 0 : 3;
}
