/* find.c - quotation marks paired into quotes, and quotes attributed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

int qt_dicts_load(qt_dicts *d, const char *data_dir, galley_error *err)
{
    static const struct { const char *file; size_t off; const char *label; } files[] = {
        { "cues.txt", offsetof(qt_dicts, cues), "CUE" },
        { "reporting.txt", offsetof(qt_dicts, reporting), "REPORT" },
        { "references.txt", offsetof(qt_dicts, refs), "REF" },
    };
    memset(d, 0, sizeof *d);
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        galley_dict **slot = (galley_dict **)((char *)d + files[i].off);
        *slot = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
        snprintf(path, sizeof path, "%s/%s", data_dir, files[i].file);
        if (galley_dict_load(*slot, path, files[i].label, err) < 0)
            return -1;
    }
    return 0;
}

void qt_dicts_free(qt_dicts *d)
{
    galley_dict_free(d->cues);
    galley_dict_free(d->reporting);
    galley_dict_free(d->refs);
}

/* ---- document state ------------------------------------------------------- */

typedef struct speaker {
    const char *name;         /* canonical, or NULL */
    size_t start, end;        /* the mention, bytes; start == end: none */
    int is_org;
} speaker;

typedef struct seg {
    size_t open, close;       /* token indexes of the marks; SIZE_MAX: missing */
    size_t start, end;        /* content, bytes */
    size_t para;
    int flagged, continues, continued;
} seg;

/* The entities layer indexed by token, built once per document in
 * O(tokens + entities log entities): the entity that covers each token,
 * and the last person and organization that end before each token. */
typedef struct ent_index {
    galley_span **v;          /* entities with a type, by start */
    size_t n;
    int32_t *at;              /* per token: index in v or -1 */
    galley_span **prev_person, **prev_org;   /* per token, or NULL */
} ent_index;

typedef struct state {
    const qt_dicts *d;
    const qt_options *o;
    galley_doc *doc;
    galley_arena *a;
    const char *text;
    const galley_token *tok;
    size_t ntok;
    const galley_sentence *sent;
    size_t nsent;
    galley_layer *ents;       /* entities layer or NULL */
    struct ent_index ix;
    speaker last_person, last_org;
    unsigned char *in_quote;  /* per token: inside a quote's marks */
} state;

#define NONE ((size_t)-1)

static int32_t cp_at(state *st, size_t t)
{
    int32_t cp;
    galley_utf8_decode(st->text + st->tok[t].start, st->tok[t].end - st->tok[t].start, &cp);
    return cp;
}

static int tok_is(state *st, size_t t, const char *w)
{
    size_t len = st->tok[t].end - st->tok[t].start;
    return t < st->ntok && len == strlen(w) && strncasecmp(st->text + st->tok[t].start, w, len) == 0;
}

static int is_punct(state *st, size_t t)
{
    return st->tok[t].kind == GALLEY_TOK_PUNCT;
}

/* ---- marks --------------------------------------------------------------------- */

enum { M_NONE, M_OPEN, M_CLOSE, M_EITHER };

/* What a double mark can be: opening, closing, or (straight) either. */
static int double_mark(state *st, size_t t, size_t para_first)
{
    if (!(st->tok[t].flags & GALLEY_TF_QUOTE))
        return M_NONE;
    int32_t cp = cp_at(st, t);
    if (cp == 0x201C || cp == 0xAB || cp == 0x201E)
        return M_OPEN;
    if (cp == 0x201D || cp == 0xBB)
        return M_CLOSE;
    if (cp != '"')
        return M_NONE;
    int space_before = t == para_first || (st->tok[t].flags & GALLEY_TF_SPACE_BEFORE) ||
                       (t > 0 && is_punct(st, t - 1) && !(st->tok[t - 1].flags & GALLEY_TF_QUOTE) &&
                        (st->text[st->tok[t - 1].start] == '(' || st->text[st->tok[t - 1].start] == '['));
    int space_after = t + 1 >= st->ntok || (st->tok[t + 1].flags & GALLEY_TF_SPACE_BEFORE);
    if (space_before && !space_after)
        return M_OPEN;
    if (!space_before && space_after)
        return M_CLOSE;
    return M_EITHER;
}

/* Single marks open only after a space and close only before one (or
 * punctuation): "Iran’s" and "don’t" never reach here as marks. */
static int single_mark(state *st, size_t t, size_t para_first)
{
    if (!(st->tok[t].flags & GALLEY_TF_QUOTE))
        return M_NONE;
    int32_t cp = cp_at(st, t);
    if (cp != 0x2018 && cp != 0x2019 && cp != '\'' && cp != 0x2039 && cp != 0x203A)
        return M_NONE;
    int space_before = t == para_first || (st->tok[t].flags & GALLEY_TF_SPACE_BEFORE);
    int space_after = t + 1 >= st->ntok || (st->tok[t + 1].flags & GALLEY_TF_SPACE_BEFORE) ||
                      is_punct(st, t + 1);
    if ((cp == 0x2018 || cp == 0x2039 || cp == '\'') && space_before && !space_after)
        return M_OPEN;
    if ((cp == 0x2019 || cp == 0x203A || cp == '\'') && !space_before && space_after)
        return M_CLOSE;
    return M_NONE;
}

typedef struct segs {
    seg *v;
    size_t n, cap;
} segs;

static void push_seg(state *st, segs *s, seg x)
{
    if (x.end <= x.start)
        return;
    /* A runaway quote is cut at its paragraph end already; cap its size. */
    if (x.end - x.start > st->o->max_quote_bytes) {
        x.end = x.start + st->o->max_quote_bytes;
        while (x.end > x.start && ((unsigned char)st->text[x.end] & 0xC0) == 0x80)
            x.end--;
        x.flagged = 1;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        s->v = galley_arena_realloc(st->a, s->v, s->cap * sizeof *s->v, cap * sizeof *s->v);
        s->cap = cap;
    }
    s->v[s->n++] = x;
}

/* Token range of each paragraph: [first, last). */
static void para_tokens(state *st, const galley_paragraph *p, size_t *first, size_t *last)
{
    size_t lo = 0, hi = st->ntok;
    while (lo < hi) {     /* first token starting at or after p->start */
        size_t mid = (lo + hi) / 2;
        if (st->tok[mid].start < p->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t k = lo;
    while (k < st->ntok && st->tok[k].start < p->end)
        k++;
    *last = k;
}

static size_t content_start(state *st, size_t open)
{
    return st->tok[open].end;
}

static size_t content_end(state *st, size_t close)
{
    size_t e = st->tok[close].start;
    /* “…,” — the comma belongs to the sentence around the quote. */
    while (e > 0 && (st->text[e - 1] == ',' || st->text[e - 1] == ' '))
        e--;
    return e;
}

static void find_segments(state *st, segs *out)
{
    size_t np;
    const galley_paragraph *para = galley_doc_paragraphs(st->doc, &np);
    int carried = 0;   /* the previous paragraph's quote goes on here */
    for (size_t p = 0; p < np; p++) {
        size_t first, last;
        para_tokens(st, &para[p], &first, &last);
        size_t open = NONE, sopen = NONE;
        int open_is_continuation = 0;
        for (size_t t = first; t < last; t++) {
            int m = double_mark(st, t, first);
            if (m == M_NONE) {
                if (open != NONE)
                    continue;   /* single marks inside a double quote are nested */
                int sm = single_mark(st, t, first);
                if (sm == M_OPEN && sopen == NONE) {
                    sopen = t;
                } else if (sm == M_CLOSE && sopen != NONE) {
                    /* British-style quote: several words between single marks. */
                    size_t words = 0;
                    for (size_t k = sopen + 1; k < t; k++)
                        words += !is_punct(st, k);
                    if (words >= 2)
                        push_seg(st, out, (seg){ sopen, t, content_start(st, sopen),
                                                 content_end(st, t), p, 0, 0, 0 });
                    sopen = NONE;
                }
                continue;
            }
            if (open == NONE && (m == M_OPEN || m == M_EITHER)) {
                open = t;
                open_is_continuation = carried && t == first;
                continue;
            }
            if (open != NONE && (m == M_CLOSE || m == M_EITHER)) {
                push_seg(st, out, (seg){ open, t, content_start(st, open), content_end(st, t), p, 0, 0,
                                         open_is_continuation });
                open = NONE;
                continue;
            }
            if (open != NONE && m == M_OPEN) {
                /* A second opening mark: the first quote lost its closing. */
                push_seg(st, out, (seg){ open, NONE, content_start(st, open),
                                         st->tok[t - 1].end, p, 1, 0, open_is_continuation });
                open = t;
                open_is_continuation = 0;
                continue;
            }
            if (open == NONE && m == M_CLOSE) {
                /* A closing mark with no opening: from the paragraph start. */
                size_t s = first < t ? st->tok[first].start : st->tok[t].start;
                push_seg(st, out, (seg){ NONE, t, s, content_end(st, t), p, 1, 0, 0 });
            }
        }
        carried = 0;
        if (open != NONE) {
            /* Unclosed at the paragraph end: it goes on if the next
             * paragraph opens with a mark, else it is bounded here. */
            int next_opens = 0;
            if (p + 1 < np) {
                size_t f2, l2;
                para_tokens(st, &para[p + 1], &f2, &l2);
                next_opens = f2 < l2 && double_mark(st, f2, f2) != M_NONE && double_mark(st, f2, f2) != M_CLOSE;
            }
            push_seg(st, out, (seg){ open, NONE, content_start(st, open), para[p].end, p,
                                     !next_opens, next_opens, open_is_continuation });
            carried = next_opens;
        }
    }
}

/* ---- speakers -------------------------------------------------------------------- */

static int span_start_cmp(const void *pa, const void *pb)
{
    const galley_span *a = *(galley_span *const *)pa, *b = *(galley_span *const *)pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? 1 : a->end > b->end ? -1 : 0;
}

/* Orders entities by end, then start (ties: the order of qsort is not
 * stable, so compare all that matters). */
static int span_end_cmp(const void *pa, const void *pb)
{
    const galley_span *a = *(galley_span *const *)pa, *b = *(galley_span *const *)pb;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

static int ent_is(const galley_span *e, const char *type)
{
    const char *t = galley_object_get_str(e->fields, "type");
    return t && strcmp(t, type) == 0;
}

/* Fills st->ix from the entities layer (nothing when there is none). */
static void index_entities(state *st)
{
    ent_index *ix = &st->ix;
    memset(ix, 0, sizeof *ix);
    if (!st->ents)
        return;
    size_t n = galley_layer_size(st->ents);
    ix->v = galley_arena_calloc(st->a, n + 1, sizeof *ix->v);
    for (size_t i = 0; i < n; i++) {
        galley_span *e = galley_layer_at(st->ents, i);
        if (galley_object_get_str(e->fields, "type"))
            ix->v[ix->n++] = e;
    }
    qsort(ix->v, ix->n, sizeof *ix->v, span_start_cmp);
    ix->at = galley_arena_alloc(st->a, (st->ntok + 1) * sizeof *ix->at);
    ix->prev_person = galley_arena_calloc(st->a, st->ntok + 1, sizeof *ix->prev_person);
    ix->prev_org = galley_arena_calloc(st->a, st->ntok + 1, sizeof *ix->prev_org);
    /* Two sweeps in text order: covering entity, and entities that ended. */
    size_t e = 0, ended = 0;
    int32_t cover = -1;
    galley_span *person = NULL, *org = NULL;
    galley_span **by_end = galley_arena_alloc(st->a, (ix->n + 1) * sizeof *by_end);
    memcpy(by_end, ix->v, ix->n * sizeof *by_end);
    qsort(by_end, ix->n, sizeof *by_end, span_end_cmp);
    for (size_t t = 0; t < st->ntok; t++) {
        size_t b = st->tok[t].start;
        while (e < ix->n && ix->v[e]->start <= b) {
            if (ix->v[e]->end > b)
                cover = (int32_t)e;
            e++;
        }
        if (cover >= 0 && ix->v[cover]->end <= b)
            cover = -1;
        ix->at[t] = cover;
        while (ended < ix->n && by_end[ended]->end <= b) {
            galley_span *x = by_end[ended++];
            if (ent_is(x, "PERSON"))
                person = x;
            else if (ent_is(x, "ORG"))
                org = x;
        }
        ix->prev_person[t] = person;
        ix->prev_org[t] = org;
    }
    ix->at[st->ntok] = -1;
    ix->prev_person[st->ntok] = person;
    ix->prev_org[st->ntok] = org;
}

/* The best entity inside tokens [a, b): a person first, then the first
 * organization or place (want_org < 0), or only a person (0) or an
 * organization (1). Costs b - a. */
static galley_span *entity_in(state *st, size_t a, size_t b, int want_org)
{
    if (!st->ix.n)
        return NULL;
    size_t start = st->tok[a].start, end = st->tok[b - 1].end;
    galley_span *best = NULL;
    for (size_t t = a; t < b; t++) {
        if (st->ix.at[t] < 0)
            continue;
        galley_span *e = st->ix.v[st->ix.at[t]];
        if (e->start < start || e->end > end)
            continue;
        int person = ent_is(e, "PERSON"), org = ent_is(e, "ORG");
        if ((want_org < 0 && (person || org || ent_is(e, "LOC"))) ||
            (want_org == 0 && person) || (want_org == 1 && org)) {
            if (!best || (person && !ent_is(best, "PERSON")))
                best = e;
        }
    }
    return best;
}

/* The most recent person or organization that ends before token t. */
static speaker recent_entity(state *st, size_t t, int org)
{
    speaker s = { 0 };
    if (!st->ix.n)
        return s;
    galley_span *e = org ? st->ix.prev_org[t] : st->ix.prev_person[t];
    if (!e)
        return s;
    s.name = galley_object_get_str(e->fields, "canonical");
    s.start = e->start;
    s.end = e->end;
    s.is_org = org;
    return s;
}

static speaker from_entity(galley_span *e)
{
    speaker s = { galley_object_get_str(e->fields, "canonical"), e->start, e->end, 0 };
    const char *type = galley_object_get_str(e->fields, "type");
    s.is_org = type && strcmp(type, "PERSON") != 0;
    return s;
}

/* The speaker a noun phrase (tokens [a, b)) names or refers to. */
static speaker resolve(state *st, size_t a, size_t b)
{
    speaker none = { 0 };
    if (a >= b)
        return none;
    galley_span *e = entity_in(st, a, b, -1);
    if (e)
        return from_entity(e);
    for (size_t t = a; t < b; t++) {
        size_t n;
        const char *ref = galley_dict_match(st->d->refs, st->text, st->tok, t, t + 1, &n);
        if (!ref)
            continue;
        int org = strstr(ref, "ORG") != NULL;
        int pronoun = strncmp(ref, "PRONOUN", 7) == 0;
        if (pronoun && t != a)
            continue;   /* a pronoun speaks only as the whole subject */
        speaker s = org ? st->last_org : st->last_person;
        if (!s.name)
            s = recent_entity(st, a, org);
        if (!s.name && !pronoun && !st->ents)
            break;
        /* The mention is the reference itself ("he", "the ministry"). */
        s.start = st->tok[pronoun ? t : a].start;
        s.end = st->tok[t].end;
        return s;
    }
    if (!st->ents) {
        /* Without entities: the capitalized words of the phrase. */
        size_t f = NONE, l = NONE;
        for (size_t t = a; t < b; t++)
            if (st->tok[t].flags & GALLEY_TF_UPPER_INITIAL && !is_punct(st, t)) {
                if (f == NONE)
                    f = t;
                l = t;
            } else if (f != NONE) {
                break;
            }
        if (f != NONE) {
            speaker s = { galley_arena_strndup(st->a, st->text + st->tok[f].start,
                                               st->tok[l].end - st->tok[f].start),
                          st->tok[f].start, st->tok[l].end, 0 };
            return s;
        }
    }
    return none;
}

static void remember(state *st, const speaker *s)
{
    if (!s->name)
        return;
    if (s->is_org)
        st->last_org = *s;
    else
        st->last_person = *s;
}

/* ---- attribution -------------------------------------------------------------------- */

typedef struct attribution {
    speaker who;
    const char *cue;
    int found;
} attribution;

static size_t sentence_of(state *st, size_t t)
{
    return st->tok[t].sentence;
}

static const char *cue_at(state *st, size_t t, size_t limit, size_t *n)
{
    return galley_dict_match(st->d->cues, st->text, st->tok, t, limit, n);
}

static char *cue_text(state *st, size_t t, size_t n)
{
    return galley_arena_strndup(st->a, st->text + st->tok[t].start,
                                st->tok[t + n - 1].end - st->tok[t].start);
}

/* After the closing mark: ", Kanaani said." / ", said the minister." /
 * ", read the statement." / ", the statement released by NATO said." */
static attribution after(state *st, size_t close, size_t limit)
{
    attribution r = { 0 };
    size_t a = close + 1;
    while (a < limit && is_punct(st, a) && !(st->tok[a].flags & GALLEY_TF_QUOTE))
        a++;
    size_t n;
    if (a < limit && cue_at(st, a, limit, &n)) {
        r.cue = cue_text(st, a, n);
        size_t b = a + n;
        while (b < limit && !is_punct(st, b) && b < a + n + 10)
            b++;
        r.who = resolve(st, a + n, b);
        if (!r.who.name && tok_is(st, a + n - 1, "statement"))
            r.who = resolve(st, a + n - 2, a + n);   /* "read the statement" */
        r.found = 1;
        return r;
    }
    for (size_t c = a; c < limit && c < a + 12; c++) {
        if (is_punct(st, c) && st->text[st->tok[c].start] != '-')
            break;
        if (cue_at(st, c, limit, &n)) {
            r.cue = cue_text(st, c, n);
            r.who = resolve(st, a, c);
            r.found = 1;
            return r;
        }
    }
    return r;
}

/* Before the opening mark: "Rama said: “" / "X told the Tehran Times: “" /
 * "according to X, “". */
static attribution before(state *st, size_t open, size_t sent_first)
{
    attribution r = { 0 };
    if (open == NONE || open == 0)
        return r;
    size_t end = open;
    while (end > sent_first && is_punct(st, end - 1) && !(st->tok[end - 1].flags & GALLEY_TF_QUOTE))
        end--;
    for (size_t c = end; c-- > sent_first && c + 8 >= end;) {
        size_t n;
        if (!cue_at(st, c, end, &n))
            continue;
        r.cue = cue_text(st, c, n);
        r.found = 1;
        if (strcasecmp(r.cue, "according to") == 0) {
            r.who = resolve(st, c + n, end);
        } else {
            /* The subject: back to the sentence start or a clause break. */
            size_t s = c;
            while (s > sent_first && s + 16 > c && !(is_punct(st, s - 1) && !(st->tok[s - 1].flags & GALLEY_TF_QUOTE) &&
                                       st->text[st->tok[s - 1].start] != '-'))
                s--;
            r.who = resolve(st, s, c);
            if (!r.who.name)
                r.who = resolve(st, c + n, end);   /* "said Kanaani: “" */
        }
        return r;
    }
    return r;
}

/* "Kanaani dismissed the allegations as “false and baseless,”": a
 * reporting verb earlier in the sentence makes its subject the speaker. */
static attribution partial_subject(state *st, size_t open, size_t sent_first)
{
    attribution r = { 0 };
    /* A bounded window: a sentence with many quotes costs its length. */
    if (open > sent_first + 40)
        sent_first = open - 40;
    for (size_t c = sent_first; c < open; c++) {
        size_t n;
        if (st->in_quote[c])
            continue;
        const char *rep = galley_dict_match(st->d->reporting, st->text, st->tok, c, open, &n);
        if (!rep)
            continue;
        size_t s = sent_first;
        for (size_t k = c; k > sent_first; k--)
            if (tok_is(st, k - 1, ",") || tok_is(st, k - 1, "that")) {
                s = k;
                break;
            }
        speaker who = resolve(st, s, c);
        if (!who.name)
            continue;
        r.who = who;
        r.cue = cue_text(st, c, n);
        r.found = 1;
        return r;
    }
    return r;
}

static size_t tok_at(state *st, size_t b);

/* Words of the quote [start, end): from its first token only, so that the
 * count costs the quote's length, not the document's. */
static size_t words_in(state *st, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t t = tok_at(st, start); t < st->ntok && st->tok[t].start < end; t++)
        n += !is_punct(st, t);
    return n;
}

/* Token index at or after byte b (binary search). */
static size_t tok_at(state *st, size_t b)
{
    size_t lo = 0, hi = st->ntok;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->tok[mid].start < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void emit(state *st, galley_layer *layer, size_t start, size_t end, const char *kind,
                 const speaker *who, const char *cue, int flagged)
{
    while (start < end && st->text[start] == ' ')
        start++;
    while (end > start && (st->text[end - 1] == ' ' || st->text[end - 1] == '\n'))
        end--;
    if (end <= start)
        return;
    galley_span *sp = galley_layer_add(layer, start, end);
    galley_object_set_strn(sp->fields, "text", st->text + start, end - start);
    galley_object_set_str(sp->fields, "kind", kind);
    if (who && who->name) {
        galley_object_set_str(sp->fields, "speaker", who->name);
        galley_object_set_offset(sp->fields, "speaker_start", who->start);
        galley_object_set_offset(sp->fields, "speaker_end", who->end);
    } else {
        galley_object_set_null(sp->fields, "speaker");
        galley_object_set_null(sp->fields, "speaker_start");
        galley_object_set_null(sp->fields, "speaker_end");
    }
    if (cue)
        galley_object_set_str(sp->fields, "cue", cue);
    else
        galley_object_set_null(sp->fields, "cue");
    galley_object_set_bool(sp->fields, "flagged", flagged);
}

/* Reported speech without marks: "Iravani underlined in the letter that
 * Iran ...", "X said the sanctions would ...". */
static void indirect(state *st, galley_layer *layer, size_t si)
{
    const galley_sentence *s = &st->sent[si];
    size_t first = s->first_token, last = first + s->ntokens;
    for (size_t t = first; t < last; t++)
        if (st->tok[t].flags & GALLEY_TF_QUOTE)
            return;
    for (size_t c = first + 1; c < last && c < first + 14; c++) {
        size_t n;
        const char *cue = cue_at(st, c, last, &n);
        if (!cue || tok_is(st, c, "according"))
            continue;
        speaker who = resolve(st, first, c);
        if (!who.name)
            return;
        /* The clause: after "that" when one follows soon, else right after. */
        size_t b = c + n;
        for (size_t k = b; k < last && k < b + 8; k++)
            if (tok_is(st, k, "that")) {
                b = k + 1;
                break;
            }
        if (b >= last || tok_is(st, b, ",") || tok_is(st, b, "."))
            return;
        size_t e = last;
        while (e > b && is_punct(st, e - 1))
            e--;
        if (e - b < 4)
            return;
        remember(st, &who);
        emit(st, layer, st->tok[b].start, st->tok[e - 1].end, "indirect", &who,
             cue_text(st, c, n), 0);
        return;
    }
}

void qt_find_quotes(const qt_dicts *d, const qt_options *o, galley_doc *doc)
{
    state st = { 0 };
    st.d = d;
    st.o = o;
    st.doc = doc;
    st.a = galley_doc_arena(doc);
    st.text = galley_doc_text(doc);
    st.tok = galley_doc_tokens(doc, &st.ntok);
    st.sent = galley_doc_sentences(doc, &st.nsent);
    st.ents = galley_doc_layer(doc, "entities");
    st.in_quote = galley_arena_calloc(st.a, st.ntok + 1, 1);
    index_entities(&st);
    galley_layer *layer = galley_doc_add_layer(doc, "quotes");

    segs sg = { 0 };
    find_segments(&st, &sg);
    for (size_t i = 0; i < sg.n; i++)
        for (size_t t = tok_at(&st, sg.v[i].start); t < st.ntok && st.tok[t].start < sg.v[i].end; t++)
            st.in_quote[t] = 1;

    /* Attribution, in text order so that "he" finds the speaker before. */
    attribution *att = galley_arena_calloc(st.a, sg.n + 1, sizeof *att);
    const char **kind = galley_arena_calloc(st.a, sg.n + 1, sizeof *kind);
    size_t next_sent = 0;
    for (size_t i = 0; i < sg.n; i++) {
        seg *x = &sg.v[i];
        size_t first_tok = x->open != NONE ? x->open : tok_at(&st, x->start);
        size_t si = sentence_of(&st, first_tok < st.ntok ? first_tok : st.ntok - 1);
        /* Indirect speech in the sentences before this quote. */
        for (; o->indirect && next_sent < si; next_sent++)
            indirect(&st, layer, next_sent);
        if (next_sent <= si)
            next_sent = si + 1;
        const galley_sentence *s = &st.sent[si];
        size_t close_sent_end = s->first_token + s->ntokens;
        if (x->close != NONE) {
            const galley_sentence *cs = &st.sent[sentence_of(&st, x->close)];
            close_sent_end = cs->first_token + cs->ntokens;
        }
        attribution r = { 0 };
        if (x->close != NONE)
            r = after(&st, x->close, close_sent_end);
        if (!r.found && x->close != NONE && x->close + 1 >= close_sent_end) {
            /* “….” He said. — the attribution is the next short sentence. */
            size_t ns = sentence_of(&st, x->close) + 1;
            if (ns < st.nsent && st.sent[ns].ntokens <= 8 &&
                st.sent[ns].paragraph == st.sent[sentence_of(&st, x->close)].paragraph)
                r = after(&st, st.sent[ns].first_token - 1, st.sent[ns].first_token + st.sent[ns].ntokens);
        }
        if (!r.found || !r.who.name) {
            /* A cue with no speaker of its own ("…,” and said the ...")
             * leaves the speaker to what comes before. */
            attribution b = before(&st, x->open, s->first_token);
            if (b.found && (b.who.name || !r.found))
                r = b;
            else if (r.found && !r.who.name) {
                attribution ps = partial_subject(&st, x->open != NONE ? x->open : first_tok, s->first_token);
                if (ps.found)
                    r = ps;
            }
        }
        size_t words = words_in(&st, x->start, x->end);
        int para_opener = x->open != NONE && (st.tok[x->open].flags & GALLEY_TF_NEWLINE_BEFORE);
        /* A fragment that starts in lower case inside a sentence ("said
         * the sanctions “will not cause any hindrance” to ...") is partial. */
        int lower_start = (unsigned char)st.text[x->start] >= 'a' && (unsigned char)st.text[x->start] <= 'z';
        int after_colon = x->open != NONE && x->open > 0 &&
                          (tok_is(&st, x->open - 1, ":") || tok_is(&st, x->open - 1, ","));
        if (r.found) {
            int sentence_opener = x->open != NONE && x->open == s->first_token;
            kind[i] = (!lower_start || after_colon || sentence_opener || para_opener) ? "direct" : "partial";
        } else if ((r = partial_subject(&st, x->open != NONE ? x->open : first_tok, s->first_token)).found) {
            kind[i] = "partial";
        } else if (x->continued && i > 0) {
            kind[i] = "direct";
        } else if (para_opener && !x->continues && words > (size_t)o->scare_max_words && i > 0 &&
                   att[i - 1].found && sg.v[i - 1].para + 1 == x->para) {
            /* A quote paragraph with no attribution: the previous speaker's. */
            r = att[i - 1];
            kind[i] = "direct";
        } else if (words > (size_t)o->scare_max_words) {
            kind[i] = "direct";
        } else {
            kind[i] = "scare";
        }
        att[i] = r;
        remember(&st, &r.who);
    }
    for (; o->indirect && next_sent < st.nsent; next_sent++)
        indirect(&st, layer, next_sent);
    /* Pieces of a quote that goes on over paragraphs share the speaker
     * of the piece that closes it. */
    for (size_t i = sg.n; i-- > 0;)
        if (sg.v[i].continues && i + 1 < sg.n && sg.v[i + 1].continued && !att[i].found) {
            att[i] = att[i + 1];
            kind[i] = "direct";
        }
    for (size_t i = 0; i < sg.n; i++) {
        int scare = strcmp(kind[i], "scare") == 0;
        emit(&st, layer, sg.v[i].start, sg.v[i].end, kind[i], scare ? NULL : &att[i].who,
             scare ? NULL : att[i].cue, sg.v[i].flagged);
    }
}
