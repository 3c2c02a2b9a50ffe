/* doc.c - documents, their layers, status and scratch data. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

struct galley_layer {
    galley_doc *doc;
    const char *name;
    galley_span *spans;
    size_t n, cap;
};

typedef struct scratch {
    const void *key;
    void *data;
    struct scratch *next;
} scratch;

struct galley_doc {
    galley_arena *arena;
    const char *id;
    const char *source;
    const char *text;
    size_t len;
    galley_object *meta;
    galley_layer **layers;
    size_t nlayers, caplayers;
    galley_status status;
    const char *reason;
    scratch *scratch;
    uint64_t order; /* place in the whole run's input order */
    /* Text structure, computed on demand, dropped when the text changes. */
    galley_token *tokens;
    size_t ntokens;
    galley_sentence *sentences;
    size_t nsentences;
    galley_paragraph *paragraphs;
    size_t nparagraphs;
    int have_tokens;
};

/* Ids and sources come from file and member names, which may hold any
 * bytes: they are repaired like text, so the output stays valid JSON. */
static const char *valid_copy(galley_arena *a, const char *s)
{
    size_t len = strlen(s), out_len, repaired;
    if (galley_utf8_valid(s, len))
        return galley_arena_strndup(a, s, len);
    return galley_utf8_repair(a, s, len, &out_len, &repaired);
}

/* The text as a document holds it: a copy in the arena, NUL-terminated,
 * valid UTF-8 with no NUL inside. Invalid bytes (and NULs) become U+FFFD,
 * as the readers repair input, so that nothing downstream (PCRE2 matches
 * without its own UTF check, the JSON writer) ever sees bad UTF-8; one
 * validating pass when the text is clean. */
static const char *valid_text(galley_arena *a, const char *text, size_t len, size_t *out_len)
{
    size_t repaired;
    if (galley_utf8_valid(text, len)) {
        *out_len = len;
        return galley_arena_strndup(a, text, len);
    }
    return galley_utf8_repair(a, text, len, out_len, &repaired);
}

galley_doc *galley_doc_new(const char *id, const char *text, size_t len)
{
    /* One block sized for the text and the usual annotations. */
    galley_arena *a = galley_arena_new(len * 2 + 4096);
    galley_doc *doc = galley_arena_calloc(a, 1, sizeof *doc);
    doc->arena = a;
    doc->id = valid_copy(a, id ? id : "");
    doc->source = "";
    doc->text = valid_text(a, text ? text : "", text ? len : 0, &doc->len);
    doc->meta = galley_object_new(a);
    return doc;
}

void galley_doc_free(galley_doc *doc)
{
    if (doc)
        galley_arena_free(doc->arena);
}

galley_arena *galley_doc_arena(galley_doc *doc)
{
    return doc->arena;
}
const char *galley_doc_id(const galley_doc *doc)
{
    return doc->id;
}
const char *galley_doc_source(const galley_doc *doc)
{
    return doc->source;
}
const char *galley_doc_text(const galley_doc *doc)
{
    return doc->text;
}
size_t galley_doc_text_len(const galley_doc *doc)
{
    return doc->len;
}
galley_object *galley_doc_meta(galley_doc *doc)
{
    return doc->meta;
}
galley_status galley_doc_status(const galley_doc *doc)
{
    return doc->status;
}
const char *galley_doc_status_reason(const galley_doc *doc)
{
    return doc->reason;
}

uint64_t galley_doc_order(const galley_doc *doc)
{
    return doc->order;
}

void galley_doc_set_order(galley_doc *doc, uint64_t order)
{
    doc->order = order;
}

void galley_doc_set_id(galley_doc *doc, const char *id)
{
    doc->id = valid_copy(doc->arena, id ? id : "");
}

void galley_doc_set_source(galley_doc *doc, const char *source)
{
    doc->source = valid_copy(doc->arena, source ? source : "");
}

int galley_doc_set_text(galley_doc *doc, const char *text, size_t len)
{
    if (doc->nlayers > 0)
        return -1;
    /* Stages often build the new text in the arena already: it is kept
     * where it is when it is valid and NUL-terminated. */
    if (text != doc->text || !galley_utf8_valid(text, len) || text[len] != '\0')
        doc->text = valid_text(doc->arena, text, len, &doc->len);
    else
        doc->len = len;
    doc->have_tokens = 0;
    return 0;
}

galley_layer *galley_doc_layer(const galley_doc *doc, const char *name)
{
    for (size_t i = 0; i < doc->nlayers; i++)
        if (strcmp(doc->layers[i]->name, name) == 0)
            return doc->layers[i];
    return NULL;
}

galley_layer *galley_doc_add_layer(galley_doc *doc, const char *name)
{
    galley_layer *l = galley_doc_layer(doc, name);
    if (l)
        return l;
    if (doc->nlayers == doc->caplayers) {
        size_t cap = doc->caplayers ? doc->caplayers * 2 : 4;
        doc->layers =
            galley_arena_realloc(doc->arena, doc->layers, doc->caplayers * sizeof *doc->layers,
                                 cap * sizeof *doc->layers);
        doc->caplayers = cap;
    }
    l = galley_arena_calloc(doc->arena, 1, sizeof *l);
    l->doc = doc;
    l->name = galley_arena_strdup(doc->arena, name);
    doc->layers[doc->nlayers++] = l;
    return l;
}

size_t galley_doc_layer_count(const galley_doc *doc)
{
    return doc->nlayers;
}

galley_layer *galley_doc_layer_at(const galley_doc *doc, size_t i)
{
    return i < doc->nlayers ? doc->layers[i] : NULL;
}

const char *galley_layer_name(const galley_layer *layer)
{
    return layer->name;
}

galley_span *galley_layer_add(galley_layer *l, size_t start, size_t end)
{
    if (start > end || end > l->doc->len)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        l->spans = galley_arena_realloc(l->doc->arena, l->spans, l->cap * sizeof *l->spans,
                                        cap * sizeof *l->spans);
        l->cap = cap;
    }
    size_t fields = l->n ? galley_object_size(l->spans[l->n - 1].fields) : 0;
    galley_span *s = &l->spans[l->n++];
    s->start = start;
    s->end = end;
    s->fields = gl_object_new_cap(l->doc->arena, fields);
    return s;
}

size_t galley_layer_size(const galley_layer *l)
{
    return l->n;
}

galley_span *galley_layer_at(const galley_layer *l, size_t i)
{
    return i < l->n ? &l->spans[i] : NULL;
}

void galley_doc_drop(galley_doc *doc, const char *reason)
{
    doc->status = GALLEY_DROPPED;
    doc->reason = galley_arena_strdup(doc->arena, reason ? reason : "dropped");
}

void galley_doc_reject(galley_doc *doc, const char *reason)
{
    doc->status = GALLEY_REJECTED;
    doc->reason = galley_arena_strdup(doc->arena, reason ? reason : "rejected");
}

void galley_doc_set_scratch(galley_doc *doc, const void *key, void *data)
{
    for (scratch *s = doc->scratch; s; s = s->next)
        if (s->key == key) {
            s->data = data;
            return;
        }
    scratch *s = galley_arena_alloc(doc->arena, sizeof *s);
    s->key = key;
    s->data = data;
    s->next = doc->scratch;
    doc->scratch = s;
}

void *galley_doc_scratch(const galley_doc *doc, const void *key)
{
    for (scratch *s = doc->scratch; s; s = s->next)
        if (s->key == key)
            return s->data;
    return NULL;
}

/* Tokens, sentences and paragraphs are computed together, once: each
 * sentence learns its paragraph. */
static void ensure_tokens(galley_doc *doc)
{
    if (doc->have_tokens)
        return;
    doc->tokens = galley_tokenize(doc->arena, doc->text, doc->len, &doc->ntokens);
    doc->sentences = galley_split_sentences(doc->arena, doc->text, doc->len, doc->tokens,
                                            doc->ntokens, &doc->nsentences);
    doc->paragraphs = galley_split_paragraphs(doc->arena, doc->text, doc->len, &doc->nparagraphs);
    size_t s = 0;
    for (size_t p = 0; p < doc->nparagraphs; p++) {
        galley_paragraph *para = &doc->paragraphs[p];
        while (s < doc->nsentences && doc->sentences[s].end <= para->start)
            s++;
        para->first_sentence = (uint32_t)s;
        size_t k = s;
        while (k < doc->nsentences && doc->sentences[k].start < para->end) {
            doc->sentences[k].paragraph = (uint32_t)p;
            k++;
        }
        para->nsentences = (uint32_t)(k - s);
        s = k;
    }
    doc->have_tokens = 1;
}

const galley_token *galley_doc_tokens(galley_doc *doc, size_t *n)
{
    ensure_tokens(doc);
    *n = doc->ntokens;
    return doc->tokens;
}

const galley_sentence *galley_doc_sentences(galley_doc *doc, size_t *n)
{
    ensure_tokens(doc);
    *n = doc->nsentences;
    return doc->sentences;
}

const galley_paragraph *galley_doc_paragraphs(galley_doc *doc, size_t *n)
{
    ensure_tokens(doc);
    *n = doc->nparagraphs;
    return doc->paragraphs;
}

void galley_shard_path(const char *path, unsigned shard, unsigned nshards, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    if (!dot)
        dot = base + strlen(base);
    snprintf(out, size, "%.*s.shard-%05u-of-%05u%s", (int)(dot - path), path, shard, nshards, dot);
}

/* By (start, end); equal spans in the order they were added (they sit
 * in one array in that order). */
static int span_cmp(const void *pa, const void *pb)
{
    const galley_span *a = *(galley_span *const *)pa, *b = *(galley_span *const *)pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    /* Equal spans keep the order they were added in. */
    return a < b ? -1 : a > b;
}

galley_span **galley_layer_in_text_order(galley_doc *doc, const galley_layer *layer, size_t *count)
{
    size_t n = galley_layer_size(layer);
    if (count)
        *count = n;
    galley_span **v = galley_arena_alloc(galley_doc_arena(doc), (n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = galley_layer_at(layer, i);
    qsort(v, n, sizeof *v, span_cmp);
    v[n] = NULL;
    return v;
}
