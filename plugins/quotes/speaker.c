/* speaker.c - who an attribution's source is.
 *
 * The source mention as written (the tagger's Source tokens) is resolved:
 * a named entity in it gives its canonical name (a person before an
 * organization); a pronoun ("he", "it", "they") the nearest compatible
 * named entity before it, preferring the subject of the sentence (the
 * first entity of a sentence, the way "It accused..." follows "the US
 * Treasury designated Iran's ministry"), compatible by person or
 * organization and by gender (given-names.txt); a nominal source ("the
 * report", "officials", "the Post") stays a nominal speaker, its words
 * the speaker. A continuation quote takes the speaker of the one it
 * continues. Entities in a title line are never a speaker of the body,
 * nor an antecedent. Every look-back is bounded: linear in the document. */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* How far a pronoun looks back, in sentences, and how many tokens of each
 * sentence it reads. */
#define BACK_SENTENCES 6
#define SENTENCE_HEAD 80
/* How far back a relative pronoun looks for its name, in tokens. */
#define REL_BACK 6

enum { T_OTHER = 0, T_PERSON, T_ORG, T_LOC, T_GROUP };

/* What an entity can be as a speaker or an antecedent (T_*), from its
 * type field: the entities stage's names, and PER and GPE as other
 * taggers write them; any other type, or none, is T_OTHER. */
static int type_of(const galley_span *e)
{
    const char *t = galley_object_get_str(e->fields, "type");
    if (!t)
        return T_OTHER;
    if (strcmp(t, "PERSON") == 0 || strcmp(t, "PER") == 0)
        return T_PERSON;
    if (strcmp(t, "ORG") == 0)
        return T_ORG;
    if (strcmp(t, "LOC") == 0 || strcmp(t, "GPE") == 0)
        return T_LOC;
    if (strcmp(t, "NORP") == 0)
        return T_GROUP;
    return T_OTHER;
}

/* qsort's comparison of entity pointers: text order, and of two that
 * start together the longer first, so that the longer is the one that
 * covers their tokens (quotes_index_entities). */
static int by_start(const void *pa, const void *pb)
{
    const galley_span *a = *(galley_span *const *)pa, *b = *(galley_span *const *)pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1; /* the longer first */
    return 0;
}

void quotes_index_entities(quotes_ctx *c)
{
    quotes_ents *x = &c->ents;
    memset(x, 0, sizeof *x);
    galley_layer *l = galley_doc_layer(c->doc, "entities");
    if (!l)
        return;
    size_t n = galley_layer_size(l);
    x->v = galley_arena_calloc(c->a, n + 1, sizeof *x->v);
    for (size_t i = 0; i < n; i++) {
        galley_span *e = galley_layer_at(l, i);
        if (e->end > e->start && type_of(e) != T_OTHER)
            x->v[x->n++] = e;
    }
    qsort(x->v, x->n, sizeof *x->v, by_start);
    x->at = galley_arena_alloc(c->a, (c->ntok + 1) * sizeof *x->at);
    size_t e = 0;
    int32_t cover = -1;
    for (size_t t = 0; t < c->ntok; t++) {
        size_t b = c->tok[t].start;
        while (e < x->n && x->v[e]->start <= b) {
            if (x->v[e]->end > b && (cover < 0 || x->v[cover]->end <= b))
                cover = (int32_t)e;
            e++;
        }
        if (cover >= 0 && x->v[cover]->end <= b)
            cover = -1;
        x->at[t] = cover;
    }
    x->at[c->ntok] = -1;
}

/* The gender of a person's name from its given name (or an honorific),
 * QUOTES_GENDER_* or 0 when unknown. */
static int gender_of(const quotes_ctx *c, const char *name)
{
    if (!name)
        return 0;
    const char *p = name;
    for (int words = 0; *p && words < 3; words++) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ' && *p != '.')
            p++;
        size_t len = (size_t)(p - w);
        if (*p == '.')
            p++;
        if (!len)
            break;
        if ((len == 2 && strncasecmp(w, "Mr", 2) == 0))
            return QUOTES_GENDER_M;
        if ((len == 3 && (strncasecmp(w, "Mrs", 3) == 0)) ||
            (len == 2 && strncasecmp(w, "Ms", 2) == 0))
            return QUOTES_GENDER_F;
        int g = quotes_wordset_get(&c->res->names, quotes_word_id(w, len));
        if (g)
            return g;
    }
    return 0;
}

/* An entity's canonical name (its "canonical" field), or NULL when the
 * layer's producer wrote none. */
static const char *canonical(const galley_span *e)
{
    return galley_object_get_str(e->fields, "canonical");
}

/* Whether entity e can be what pronoun `ref` refers to. */
static int compatible(const quotes_ctx *c, const galley_span *e, int ref)
{
    int t = type_of(e);
    switch (ref) {
    case QUOTES_REF_HE:
    case QUOTES_REF_SHE:
    case QUOTES_REF_I: {
        if (t != T_PERSON)
            return 0;
        int g = gender_of(c, canonical(e));
        return !g || ref == QUOTES_REF_I ||
            g == (ref == QUOTES_REF_HE ? QUOTES_GENDER_M : QUOTES_GENDER_F);
    }
    case QUOTES_REF_IT:
        return t == T_ORG;
    case QUOTES_REF_THEY:
    case QUOTES_REF_WE:
        return t == T_ORG || t == T_GROUP;
    case QUOTES_REF_REL:
        return t == T_PERSON || t == T_ORG || t == T_GROUP;
    default:
        return 0;
    }
}

/* The antecedent of the pronoun at token t: in the sentences before it
 * (and the words of its own sentence before it), nearest sentence first,
 * the first compatible entity of that sentence; title lines skipped. */
static const galley_span *antecedent(const quotes_ctx *c, size_t t, int ref)
{
    if (!c->ents.n)
        return NULL;
    if (ref == QUOTES_REF_REL) {
        /* "who", "which": the name right before it, in its sentence. */
        size_t s0 = c->sent[c->tok[t].sentence].first_token;
        for (size_t k = t; k-- > s0 && k + REL_BACK > t;) {
            if (c->ents.at[k] >= 0 && compatible(c, c->ents.v[c->ents.at[k]], ref))
                return c->ents.v[c->ents.at[k]];
        }
        return NULL;
    }
    size_t s = c->tok[t].sentence;
    for (size_t back = 0; back <= BACK_SENTENCES && back <= s; back++) {
        const galley_sentence *se = &c->sent[s - back];
        size_t end = back ? se->first_token + se->ntokens : t;
        if (end > se->first_token + SENTENCE_HEAD)
            end = se->first_token + SENTENCE_HEAD;
        for (size_t k = se->first_token; k < end; k++) {
            if (c->ents.at[k] < 0 || (c->tf[k] & QUOTES_TF_TITLE) ||
                (c->tf[k] & QUOTES_TF_IN_QUOTE))
                continue;
            const galley_span *e = c->ents.v[c->ents.at[k]];
            if (e->start == c->tok[k].start && compatible(c, e, ref))
                return e;
        }
    }
    return NULL;
}

/* The best entity inside the tokens [a, b): a person, else an
 * organization, else a group or place; none in a title line unless the
 * attribution is in it too. */
static const galley_span *entity_in(const quotes_ctx *c, size_t a, size_t b, int in_title)
{
    const galley_span *best = NULL;
    int best_rank = 0;
    static const int rank[] = {
        [T_PERSON] = 4, [T_ORG] = 3, [T_GROUP] = 2, [T_LOC] = 1, [T_OTHER] = 0
    };
    for (size_t t = a; t < b && c->ents.n; t++) {
        if (c->ents.at[t] < 0 || ((c->tf[t] & QUOTES_TF_TITLE) && !in_title))
            continue;
        const galley_span *e = c->ents.v[c->ents.at[t]];
        int r = rank[type_of(e)];
        if (r > best_rank) {
            best = e;
            best_rank = r;
        }
    }
    return best;
}

/* Without an entities layer: the first run of capitalized words. */
static int capitalized_run(const quotes_ctx *c, size_t a, size_t b, size_t *f, size_t *l)
{
    *f = *l = QUOTES_NONE;
    for (size_t t = a; t < b; t++) {
        int cap = (c->tok[t].flags & GALLEY_TF_UPPER_INITIAL) &&
            c->tok[t].kind == GALLEY_TOK_WORD && !quotes_wordset_get(&c->res->refs, c->word[t]);
        if (cap) {
            if (*f == QUOTES_NONE)
                *f = t;
            *l = t + 1;
        } else if (*f != QUOTES_NONE) {
            break;
        }
    }
    return *f != QUOTES_NONE;
}

/* Resolves one attribution with a source mention. */
static void resolve_one(quotes_ctx *c, quotes_attr *at, const quotes_attr *prev_named)
{
    size_t a = at->src_first, b = at->src_last;
    at->spk_start = c->tok[a].start;
    at->spk_end = c->tok[b - 1].end;
    int in_title = (c->tf[at->cue_first != QUOTES_NONE ? at->cue_first : a] & QUOTES_TF_TITLE) != 0;
    const galley_span *e = entity_in(c, a, b, in_title);
    /* "Iran's new ambassador at the UN", "Albania's prime minister": a
     * role noun outside an entity that is not a person makes the source
     * a nominal one (the UN did not speak, its ambassador did). */
    if (e && type_of(e) != T_PERSON) {
        for (size_t t = a; t < b; t++)
            if ((c->tok[t].start < e->start || c->tok[t].start >= e->end) &&
                quotes_wordset_get(&c->res->refs, c->word[t]) == QUOTES_REF_NOMINAL_PERSON) {
                e = NULL;
                break;
            }
    }
    if (e) {
        at->speaker = canonical(e);
        at->speaker_kind = QUOTES_SPK_NAMED;
        return;
    }
    int ref = b - a <= 2 ? quotes_wordset_get(&c->res->refs, c->word[a]) : 0;
    if (ref && ref <= QUOTES_REF_REL) {
        at->speaker_kind = QUOTES_SPK_PRONOUN;
        const galley_span *ant = antecedent(c, a, ref);
        if (ant) {
            at->speaker = canonical(ant);
        } else if (!c->ents.n && prev_named && prev_named->speaker) {
            at->speaker = prev_named->speaker; /* no entities: the last named speaker */
        }
        return;
    }
    size_t f, l;
    if (at->kind == QUOTES_KIND_TRANSCRIPT) {
        /* A transcript's label is a name ("PENCE"), as written. */
        at->speaker =
            galley_arena_strndup(c->a, c->text + at->spk_start, at->spk_end - at->spk_start);
        at->speaker_kind = QUOTES_SPK_NAMED;
        return;
    }
    if (!c->ents.n && capitalized_run(c, a, b, &f, &l)) {
        at->speaker = galley_arena_strndup(c->a, c->text + c->tok[f].start,
                                           c->tok[l - 1].end - c->tok[f].start);
        at->speaker_kind = QUOTES_SPK_NAMED;
        return;
    }
    at->speaker = galley_arena_strndup(c->a, c->text + at->spk_start, at->spk_end - at->spk_start);
    at->speaker_kind = QUOTES_SPK_NOMINAL;
}

void quotes_resolve_speakers(quotes_ctx *c, quotes_attr *v, size_t n)
{
    const quotes_attr *prev = NULL, *prev_named = NULL;
    for (size_t i = 0; i < n; i++) {
        quotes_attr *at = &v[i];
        at->spk_start = at->spk_end = QUOTES_NONE;
        at->speaker = NULL;
        at->speaker_kind = QUOTES_SPK_NONE;
        if (at->kind == QUOTES_KIND_SCARE || at->kind == QUOTES_KIND_TITLE)
            continue;
        if (at->src_first != QUOTES_NONE) {
            resolve_one(c, at, prev_named);
        } else if (at->inherited && prev) {
            at->speaker = prev->speaker;
            at->speaker_kind = prev->speaker_kind;
            at->spk_start = prev->spk_start;
            at->spk_end = prev->spk_end;
        }
        prev = at;
        if (at->speaker_kind == QUOTES_SPK_NAMED)
            prev_named = at;
    }
}
