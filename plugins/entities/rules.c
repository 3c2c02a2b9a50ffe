/* rules.c - from the model's spans to the entities layer (see rules.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"
#include "featurize.h"

/* ---- dictionaries --------------------------------------------------------- */

static const struct {
    const char *file;
    size_t offset;
    int flags;
    const char *label;
} files[] = {
    { "places.txt", offsetof(entities_dicts, known), 0, "LOC" },
    { "places.txt", offsetof(entities_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE, "LOC" },
    { "demonyms.txt", offsetof(entities_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE, "NORP" },
    { "organizations.txt", offsetof(entities_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE,
      "ORG" },
    { "demonyms.txt", offsetof(entities_dicts, known), 0, "NORP" },
    { "organizations.txt", offsetof(entities_dicts, known), 0, "ORG" },
    { "demonyms.txt", offsetof(entities_dicts, demonyms), GALLEY_DICT_CASE_INSENSITIVE, "NORP" },
    { "given-names.txt", offsetof(entities_dicts, given), 0, "GIVEN" },
    { "roles.txt", offsetof(entities_dicts, roles), 0, "ROLE" },
    { "role-words.txt", offsetof(entities_dicts, rolewords), GALLEY_DICT_CASE_INSENSITIVE,
      "ROLEWORD" },
    { "org-keywords.txt", offsetof(entities_dicts, orgkeys), 0, "ORGKEY" },
    { "misc-keywords.txt", offsetof(entities_dicts, misckeys), 0, "MISCKEY" },
    { "dates.txt", offsetof(entities_dicts, dates), GALLEY_DICT_CASE_INSENSITIVE, "MONTH" },
    { "stopwords.txt", offsetof(entities_dicts, stop), 0, "STOP" },
};

int entities_dicts_load(entities_dicts *d, const char *data_dir, const char *config_dir,
                        const galley_strlist *extra, galley_error *err)
{
    memset(d, 0, sizeof *d);
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        galley_dict **slot = (galley_dict **)((char *)d + files[i].offset);
        if (!*slot)
            *slot = galley_dict_new(files[i].flags);
        snprintf(path, sizeof path, "%s/%s", data_dir, files[i].file);
        if (galley_dict_load(*slot, path, files[i].label, err) < 0)
            return -1;
    }
    d->user = galley_dict_new(0);
    d->user_ci = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
    for (size_t i = 0; extra && i < extra->n; i++) {
        const char *p = extra->items[i];
        if (p[0] == '/')
            snprintf(path, sizeof path, "%s", p);
        else
            snprintf(path, sizeof path, "%s/%s", config_dir, p);
        /* User entries: NAME<TAB>TYPE, PERSON when the type is left out. */
        if (galley_dict_load(d->user, path, "PERSON", err) < 0 ||
            galley_dict_load(d->user_ci, path, "PERSON", err) < 0)
            return -1;
    }
    d->user_entries = galley_dict_size(d->user);
    return 0;
}

void entities_dicts_free(entities_dicts *d)
{
    /* Several files share a dictionary: free each one once. */
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        galley_dict **slot = (galley_dict **)((char *)d + files[i].offset);
        galley_dict_free(*slot);
        *slot = NULL;
    }
    galley_dict_free(d->user);
    galley_dict_free(d->user_ci);
    d->user = d->user_ci = NULL;
}

/* ---- document state --------------------------------------------------------- */

typedef struct ent {
    size_t first, last; /* tokens [first, last) */
    const char *type;
    const char *canonical; /* NULL: the text */
} ent;

typedef struct alias { /* a name part or acronym -> its entity */
    const char *key;
    size_t len;
    const char *type;
    const char *canonical;
} alias;

typedef struct doc_state {
    const entities_dicts *d;
    const entities_rule_options *o;
    const entities_doc_view *v;
    galley_arena *a;
    const char *text;
    const galley_token *tok;
    size_t ntok;
    unsigned char *taken;
    ent *ents;
    size_t nents, capents;
    alias *aliases;
    size_t naliases, capaliases;
    uint32_t *alias_index; /* open addressing over aliases, by key hash: */
    size_t alias_slots;    /* alias number + 1, 0 empty; half full at most */
} doc_state;

/* Token i's bytes and length. */
static const char *tok_str(const doc_state *st, size_t i, size_t *len)
{
    *len = st->tok[i].end - st->tok[i].start;
    return st->text + st->tok[i].start;
}

/* Is token i exactly the word w? */
static int tok_is(const doc_state *st, size_t i, const char *w)
{
    if (i >= st->ntok)
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    return len == strlen(w) && memcmp(s, w, len) == 0;
}

/* Is token i a word or number (not punctuation)? */
static int is_word(const doc_state *st, size_t i)
{
    return i < st->ntok && st->tok[i].kind != GALLEY_TOK_PUNCT;
}

/* Is token i a capitalized word (not a possessive 's)? */
static int is_cap(const doc_state *st, size_t i)
{
    if (!is_word(st, i) || !(st->tok[i].flags & GALLEY_TF_UPPER_INITIAL))
        return 0;
    unsigned char c = (unsigned char)st->text[st->tok[i].start];
    return !(c == '\'' || c == 0xE2); /* not 's or ’s */
}

/* The longest entry of dict at token i within [i, limit), or NULL. */
static const char *match(const doc_state *st, const galley_dict *dict, size_t i, size_t limit,
                         size_t *n)
{
    if (i >= limit)
        return NULL;
    return galley_dict_match(dict, st->text, st->tok, i, limit, n);
}

/* Is no token of [first, last) taken by an entity yet? */
static int span_free(const doc_state *st, size_t first, size_t last)
{
    for (size_t k = first; k < last; k++)
        if (st->taken[k])
            return 0;
    return 1;
}

/* Adds an entity over tokens [first, last) and takes them. */
static void add_ent(doc_state *st, size_t first, size_t last, const char *type,
                    const char *canonical)
{
    if (first >= last)
        return;
    if (st->nents == st->capents) {
        size_t cap = st->capents ? st->capents * 2 : 32;
        st->ents = galley_arena_realloc(st->a, st->ents, st->capents * sizeof *st->ents,
                                        cap * sizeof *st->ents);
        st->capents = cap;
    }
    st->ents[st->nents++] = (ent){ first, last, type, canonical };
    for (size_t k = first; k < last; k++)
        st->taken[k] = 1;
}

/* The index slot of key s[0..len): where its alias is, or the empty slot
 * where it would go. */
static size_t alias_slot(const doc_state *st, const char *s, size_t len)
{
    size_t mask = st->alias_slots - 1;
    size_t j = galley_hash64(s, len, 0) & mask;
    for (; st->alias_index[j]; j = (j + 1) & mask) {
        const alias *al = &st->aliases[st->alias_index[j] - 1];
        if (al->len == len && memcmp(al->key, s, len) == 0)
            break;
    }
    return j;
}

/* Doubles the alias index (arena) and puts every alias back in it. */
static void grow_alias_index(doc_state *st)
{
    st->alias_slots = st->alias_slots ? st->alias_slots * 2 : 64;
    st->alias_index = galley_arena_calloc(st->a, st->alias_slots, sizeof *st->alias_index);
    for (size_t i = 0; i < st->naliases; i++)
        st->alias_index[alias_slot(st, st->aliases[i].key, st->aliases[i].len)] = (uint32_t)i + 1;
}

/* Lets a name part or acronym stand for an entity (the first claim wins).
 * Hashed, so an article costs time linear in its names. */
static void add_alias(doc_state *st, const char *key, size_t len, const char *type,
                      const char *canonical)
{
    if (2 * (st->naliases + 1) > st->alias_slots)
        grow_alias_index(st);
    size_t j = alias_slot(st, key, len);
    if (st->alias_index[j])
        return; /* the first entity to claim a name keeps it */
    if (st->naliases == st->capaliases) {
        size_t cap = st->capaliases ? st->capaliases * 2 : 16;
        st->aliases = galley_arena_realloc(st->a, st->aliases, st->capaliases * sizeof *st->aliases,
                                           cap * sizeof *st->aliases);
        st->capaliases = cap;
    }
    st->aliases[st->naliases++] = (alias){ key, len, type, canonical };
    st->alias_index[j] = (uint32_t)st->naliases;
}

/* The alias whose key is s[0..len), or NULL. */
static const alias *find_alias(const doc_state *st, const char *s, size_t len)
{
    if (!st->alias_slots)
        return NULL;
    uint32_t k = st->alias_index[alias_slot(st, s, len)];
    return k ? &st->aliases[k - 1] : NULL;
}

/* A copy of the text of tokens [first, last) (arena). */
static char *span_text(const doc_state *st, size_t first, size_t last)
{
    return galley_arena_strndup(st->a, st->text + st->tok[first].start,
                                st->tok[last - 1].end - st->tok[first].start);
}

/* ---- dates -------------------------------------------------------------------- */

/* Is token i (which may be past the last) a number of at most four plain
 * digits, without a leading zero, whose value is in [lo, hi]? The test
 * behind years, days of the month and article numbers. */
static int is_number(const doc_state *st, size_t i, int lo, int hi)
{
    if (i >= st->ntok || st->tok[i].kind != GALLEY_TOK_NUMBER)
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    if (len > 4)
        return 0;
    int v = 0;
    for (size_t k = 0; k < len; k++) {
        if (s[k] < '0' || s[k] > '9')
            return 0;
        v = v * 10 + (s[k] - '0');
    }
    return v >= lo && v <= hi && (len == 1 || s[0] != '0');
}

/* Is token i a year (1800-2199)? */
static int is_year(const doc_state *st, size_t i)
{
    return is_number(st, i, 1800, 2199);
}

static const char *const relative[] = { "last", "next", "this", "past", "coming", NULL };
static const char *const periods[] = { "week",   "month",  "year",   "weekend", "decade", "century",
                                       "spring", "summer", "autumn", "winter",  NULL };
static const char *const year_preps[] = { "in",     "since", "until",  "by",      "from", "of",
                                          "before", "after", "during", "through", "to",   NULL };
static const char *const date_prefixes[] = { "mid-", "early-", "late-", NULL };

/* Is token i one of the words of list (ignoring case when ci)? */
static int word_in(const doc_state *st, size_t i, const char *const *list, int ci)
{
    if (!is_word(st, i))
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    for (size_t k = 0; list[k]; k++)
        if (strlen(list[k]) == len &&
            (ci ? strncasecmp(list[k], s, len) : strncmp(list[k], s, len)) == 0)
            return 1;
    return 0;
}

/* "mid-July", "early-2023": a prefix and a month or year in one token. */
static int prefixed_date(const doc_state *st, size_t i)
{
    size_t len;
    const char *s = tok_str(st, i, &len);
    if (st->tok[i].kind != GALLEY_TOK_WORD || len <= 5)
        return 0;
    for (size_t k = 0; date_prefixes[k]; k++) {
        size_t pl = strlen(date_prefixes[k]);
        if (len <= pl || strncasecmp(s, date_prefixes[k], pl) != 0)
            continue;
        const char *rest = s + pl;
        size_t rl = len - pl;
        if (rl == 4 && rest[0] >= '1' && rest[0] <= '2')
            return 1;
        galley_token t = { 0, (uint32_t)rl, GALLEY_TOK_WORD, 0, 0 };
        size_t n;
        if (galley_dict_match(st->d->dates, rest, &t, 0, 1, &n))
            return 1;
    }
    return 0;
}

/* Can a date expression start at token i? A cheap first look that
 * spares the dictionary and the word lists most tokens: dates start
 * with a number, a capitalized word (a month, a weekday, "Last"), or
 * one of a few lower-case words ("the", "last", "next", "this", "past",
 * "coming", "mid-", "early-", "late-"). */
static int may_start_date(const doc_state *st, size_t i)
{
    const galley_token *t = &st->tok[i];
    if (t->kind == GALLEY_TOK_PUNCT)
        return 0;
    if (t->kind == GALLEY_TOK_NUMBER || (t->flags & GALLEY_TF_UPPER_INITIAL))
        return 1;
    return strchr("tlnpcme", st->text[t->start]) != NULL;
}

/* Length in tokens of a date expression at token i, or 0. */
static size_t match_date(const doc_state *st, size_t i, size_t end)
{
    if (!may_start_date(st, i))
        return 0;
    size_t n = 0;
    const char *kind = is_cap(st, i) ? match(st, st->d->dates, i, end, &n) : NULL;
    size_t len;
    const char *s = tok_str(st, i, &len);
    if (kind) {
        size_t j = i + n;
        if (strcmp(kind, "WEEKDAY") == 0) {
            /* "Friday, Sept. 16" */
            size_t m;
            if (j + 1 < end && tok_is(st, j, ",") && match(st, st->d->dates, j + 1, end, &m) &&
                is_number(st, j + 1 + m, 1, 31))
                return j + 2 + m - i;
            return n;
        }
        /* "May" opening a sentence is the verb more often than the month. */
        if (len == 3 && memcmp(s, "May", 3) == 0 && (st->tok[i].flags & GALLEY_TF_SENT_START) &&
            !is_number(st, j, 1, 31) && !is_year(st, j))
            return 0;
        if (is_number(st, j, 1, 31)) {
            j++;
            if (j + 1 < end && tok_is(st, j, ",") && is_year(st, j + 1))
                j += 2;
            else if (is_year(st, j))
                j++;
        } else if (is_year(st, j)) {
            j++;
        }
        return j - i;
    }
    /* "7 September 2022" */
    if (is_number(st, i, 1, 31) && is_cap(st, i + 1)) {
        const char *k2 = match(st, st->d->dates, i + 1, end, &n);
        if (k2 && strcmp(k2, "MONTH") == 0)
            return 1 + n + (is_year(st, i + 1 + n) ? 1 : 0);
    }
    if (prefixed_date(st, i))
        return 1;
    /* "the 1980s" */
    if (tok_is(st, i, "the") && i + 1 < end && st->tok[i + 1].kind == GALLEY_TOK_WORD) {
        size_t l2;
        const char *s2 = tok_str(st, i + 1, &l2);
        if (l2 == 5 && s2[4] == 's' && s2[0] >= '1' && s2[0] <= '2' && s2[1] >= '0' && s2[1] <= '9')
            return 2;
    }
    /* "last week", "next month", "this year" */
    if (i + 1 < end && word_in(st, i, relative, 1) && word_in(st, i + 1, periods, 0))
        return 2;
    /* "in 2015" -> 2015 */
    if (i > 0 && is_year(st, i) && word_in(st, i - 1, year_preps, 1))
        return 1;
    return 0;
}

/* ---- the rules ---------------------------------------------------------------- */

/* User dictionaries win over everything: their names are tagged first,
 * with the user's type, wherever they match. */
static void user_names(doc_state *st)
{
    if (!st->d->user_entries)
        return;
    for (size_t i = 0; i < st->ntok;) {
        size_t n = 0;
        const galley_dict *dict =
            (st->v->line_kind[i] & ENTITIES_LINE_CAPS) ? st->d->user_ci : st->d->user;
        const char *type = is_word(st, i) ? match(st, dict, i, st->ntok, &n) : NULL;
        if (type) {
            add_ent(st, i, i + n, galley_arena_strdup(st->a, type), NULL);
            i += n;
        } else {
            i++;
        }
    }
}

/* Is the line of token i the article's title (its text, or a title-case
 * headline of five or more words)? */
static int title_line(const doc_state *st, size_t i, const char *title)
{
    if (st->v->line_kind[i] & ENTITIES_LINE_HEADLINE)
        return 1;
    if (!title || !title[0])
        return 0;
    size_t a = i, b = i + 1;
    while (a > 0 && !(st->tok[a].flags & GALLEY_TF_NEWLINE_BEFORE))
        a--;
    while (b < st->ntok && !(st->tok[b].flags & GALLEY_TF_NEWLINE_BEFORE))
        b++;
    size_t len = st->tok[b - 1].end - st->tok[a].start;
    return len == strlen(title) && memcmp(st->text + st->tok[a].start, title, len) == 0;
}

/* The number of words in the line of token i. */
static size_t line_words(const doc_state *st, size_t i)
{
    size_t a = i, b = i + 1, n = 0;
    while (a > 0 && !(st->tok[a].flags & GALLEY_TF_NEWLINE_BEFORE))
        a--;
    while (b < st->ntok && !(st->tok[b].flags & GALLEY_TF_NEWLINE_BEFORE))
        b++;
    for (size_t k = a; k < b; k++)
        n += is_word(st, k);
    return n;
}

/* The model's spans, typed for the layer: a MISC that is a demonym is a
 * group (NORP); no PERSON of three words or more, or of half its line,
 * in a title line. */
static void model_names(doc_state *st, const entities_span *ms, size_t nms, const char *title)
{
    for (size_t k = 0; k < nms; k++) {
        size_t first = ms[k].first, last = ms[k].last;
        const char *type = ms[k].type;
        if (!span_free(st, first, last))
            continue;
        size_t n;
        if (strcmp(type, "MISC") == 0 && match(st, st->d->demonyms, first, last, &n) &&
            n == last - first)
            type = "NORP";
        /* "Article 5" is a law's article, "Vienna Convention" a treaty. */
        if (tok_is(st, first, "Article") && last == first + 1 && is_number(st, last, 1, 999) &&
            span_free(st, first, last + 1)) {
            add_ent(st, first, last + 1, "MISC", NULL);
            continue;
        }
        if (last - first >= 2 && strcmp(type, "PERSON") != 0 &&
            match(st, st->d->misckeys, last - 1, last, &n))
            type = "MISC";
        /* "However", "Furthermore": words that never start a name. */
        if (last == first + 1 && match(st, st->d->stop, first, last, &n))
            continue;
        add_ent(st, first, last, type, NULL);
    }
}

/* A title line is never a person (issue 14): a PERSON there stays only
 * when the article names the same person outside its title lines ("Rama
 * Meets ..." over a story about Edi Rama), and never when it covers three
 * words or half its line. Entities [from, st->nents) are the model's. */
static void no_title_persons(doc_state *st, size_t from, const char *title)
{
    size_t out = from;
    for (size_t e = from; e < st->nents; e++) {
        ent x = st->ents[e];
        int keep = 1;
        if (strcmp(x.type, "PERSON") == 0 && title_line(st, x.first, title)) {
            size_t words = 0, len;
            for (size_t t = x.first; t < x.last; t++)
                words += is_word(st, t);
            const char *s = tok_str(st, x.last - 1, &len);
            keep = 0;
            if (words < 3 && words * 2 < line_words(st, x.first))
                for (size_t o = from; o < st->nents && !keep; o++) {
                    const ent *y = &st->ents[o];
                    if (strcmp(y->type, "PERSON") != 0 || title_line(st, y->first, title))
                        continue;
                    for (size_t t = y->first; t < y->last && !keep; t++) {
                        size_t l2;
                        const char *s2 = tok_str(st, t, &l2);
                        keep = l2 == len && memcmp(s, s2, len) == 0;
                    }
                }
        }
        if (keep)
            st->ents[out++] = x;
        else
            for (size_t t = x.first; t < x.last; t++)
                st->taken[t] = 0;
    }
    st->nents = out;
}

typedef struct vote {
    uint64_t key; /* hash of the mention's text */
    size_t ent;
} vote;

/* Orders votes by text hash, then by entity. */
static int vote_cmp(const void *pa, const void *pb)
{
    const vote *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->ent > b->ent) - (a->ent < b->ent);
}

/* One name, one type: mentions of the same text that the model typed
 * differently in one article take the type most of them got ("plans for
 * Vadso", "delegates from Vadso", "which Vadso signed"); a tie changes
 * nothing. Entities [from, st->nents) are the model's. */
static void vote_types(doc_state *st, size_t from)
{
    static const char *const types[] = { "PERSON", "ORG", "LOC", "MISC" };
    size_t n = st->nents - from;
    if (n < 2)
        return;
    vote *v = galley_arena_alloc(st->a, n * sizeof *v);
    for (size_t k = 0; k < n; k++) {
        const ent *x = &st->ents[from + k];
        size_t start = st->tok[x->first].start, end = st->tok[x->last - 1].end;
        v[k] = (vote){ galley_hash64(st->text + start, end - start, 0), from + k };
    }
    qsort(v, n, sizeof *v, vote_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i, count[4] = { 0 };
        for (; j < n && v[j].key == v[i].key; j++)
            for (size_t t = 0; t < 4; t++)
                count[t] += strcmp(st->ents[v[j].ent].type, types[t]) == 0;
        size_t best = 0;
        for (size_t t = 1; t < 4; t++)
            if (count[t] > count[best])
                best = t;
        int unique = 1;
        for (size_t t = 0; t < 4; t++)
            unique &= t == best || count[t] < count[best];
        for (size_t k = i; k < j && unique && j - i >= 2; k++) {
            ent *x = &st->ents[v[k].ent];
            for (size_t t = 0; t < 4; t++)
                if (strcmp(x->type, types[t]) == 0)
                    x->type = types[best];
        }
        i = j;
    }
}

/* Dates, and demonyms the model left untagged, per sentence. */
static void dates_and_groups(doc_state *st, const galley_sentence *sent, size_t nsent)
{
    for (size_t s = 0; s < nsent; s++) {
        size_t i = sent[s].first_token, end = i + sent[s].ntokens;
        while (i < end) {
            size_t n;
            if (st->taken[i]) {
                i++;
                continue;
            }
            if (tok_is(st, i, "Article") && is_number(st, i + 1, 1, 999) &&
                span_free(st, i, i + 2)) {
                add_ent(st, i, i + 2, "MISC", NULL);
                i += 2;
                continue;
            }
            if ((n = match_date(st, i, end)) && span_free(st, i, i + n)) {
                add_ent(st, i, i + n, "DATE", NULL);
                i += n;
                continue;
            }
            if (is_cap(st, i) && match(st, st->d->demonyms, i, end, &n) &&
                span_free(st, i, i + n)) {
                add_ent(st, i, i + n, "NORP", NULL);
                i += n;
                continue;
            }
            i++;
        }
    }
}

/* Is token i an acronym (2 to 8 capitals)? */
static int all_caps_acronym(const doc_state *st, size_t i)
{
    size_t len;
    tok_str(st, i, &len);
    return (st->tok[i].flags & GALLEY_TF_ALL_UPPER) && len >= 2 && len <= 8;
}

/* Orders entities by their first token. */
static int entities_cmp(const void *pa, const void *pb)
{
    const ent *a = pa, *b = pb;
    return a->first < b->first ? -1 : a->first > b->first;
}

/* Is token k a title or role word ("Governor", "Sen.", "President")? */
static int is_role(const doc_state *st, size_t k)
{
    size_t n;
    return st->d->roles && match(st, st->d->roles, k, k + 1, &n) != NULL;
}

/* The tokens of [first, last) that are not titles or roles. */
static size_t name_words(const doc_state *st, size_t first, size_t last)
{
    size_t n = 0;
    for (size_t k = first; k < last; k++)
        n += is_word(st, k) && !is_role(st, k);
    return n;
}

/* The alias of token k as written, or, for a word in capitals
 * ("PENCE" in a transcript), as a name is written ("Pence"). */
static const alias *alias_of_token(const doc_state *st, size_t k)
{
    size_t len;
    const char *s = tok_str(st, k, &len);
    const alias *al = find_alias(st, s, len);
    if (al || !(st->tok[k].flags & GALLEY_TF_ALL_UPPER) || len < 2 || len > 63)
        return al;
    char buf[64];
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return NULL; /* ASCII only: no case tables here */
        buf[i] = (char)(i && c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return find_alias(st, buf, len);
}

/* Canonical forms: the name parts of a person named in full (titles
 * aside) and an organization's acronym defined in parentheses point at
 * the full name; other mentions of them — a surname after a title
 * ("Governor Pence"), one in capitals ("PENCE:") — get it as canonical,
 * and with `propagate` an untagged capitalized mention is tagged. */
static void link_names(doc_state *st)
{
    if (st->nents > 1) /* ents is NULL while there are none */
        qsort(st->ents, st->nents, sizeof *st->ents, entities_cmp);
    size_t nents = st->nents;
    for (size_t e = 0; e < nents; e++) {
        ent *x = &st->ents[e];
        size_t whole = x->last - x->first;
        /* A full name ("Mike Pence", not "Governor Pence") names its
         * words; titles are no one's alias. */
        if (strcmp(x->type, "PERSON") == 0 && whole >= 2 &&
            name_words(st, x->first, x->last) >= 2) {
            char *name = span_text(st, x->first, x->last);
            for (size_t k = x->first; k < x->last; k++) {
                size_t len;
                const char *s = tok_str(st, k, &len);
                if (is_cap(st, k) && len > 1 && !(st->tok[k].flags & GALLEY_TF_ALL_UPPER) &&
                    !is_role(st, k))
                    add_alias(st, s, len, "PERSON", name);
            }
        }
        /* "National Center for Cyberspace (NCC)" */
        size_t j = x->last;
        if ((strcmp(x->type, "ORG") == 0 || strcmp(x->type, "MISC") == 0) && whole >= 2 &&
            j + 2 < st->ntok && tok_is(st, j, "(") && all_caps_acronym(st, j + 1) &&
            tok_is(st, j + 2, ")")) {
            char *name = span_text(st, x->first, x->last);
            size_t len;
            const char *s = tok_str(st, j + 1, &len);
            add_alias(st, s, len, x->type, name);
        }
    }
    for (size_t e = 0; e < st->nents; e++) {
        ent *x = &st->ents[e];
        if (x->canonical)
            continue;
        const alias *al = NULL;
        if (x->last - x->first == 1)
            al = alias_of_token(st, x->first);
        else if (strcmp(x->type, "PERSON") == 0 && name_words(st, x->first, x->last) == 1 &&
                 !is_role(st, x->last - 1))
            al = alias_of_token(st, x->last - 1); /* "Governor Pence": Mike Pence */
        if (al && (x->last - x->first == 1 || strcmp(al->type, "PERSON") == 0) &&
            (strcmp(al->type, x->type) == 0 || strcmp(al->type, "PERSON") != 0)) {
            x->type = al->type;
            x->canonical = al->canonical;
        }
    }
    if (!st->o->propagate)
        return;
    for (size_t i = 0; i < st->ntok; i++) {
        if (st->taken[i] || !is_cap(st, i))
            continue;
        size_t len;
        const char *s = tok_str(st, i, &len);
        const alias *al = find_alias(st, s, len);
        if (al)
            add_ent(st, i, i + 1, al->type, al->canonical);
    }
}

void entities_tag_document(const entities_dicts *d, const entities_rule_options *o, galley_doc *doc,
                           galley_arena *a, const entities_doc_view *v, const entities_span *model,
                           size_t nmodel)
{
    doc_state st = { 0 };
    st.d = d;
    st.o = o;
    st.v = v;
    st.a = a;
    st.text = v->text;
    st.tok = v->tok;
    st.ntok = v->ntok;
    size_t nsent;
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    st.taken = galley_arena_calloc(st.a, st.ntok + 1, 1);
    const char *title = galley_object_get_str(galley_doc_meta(doc), "title");
    user_names(&st);
    size_t from = st.nents;
    model_names(&st, model, nmodel, title);
    vote_types(&st, from);
    no_title_persons(&st, from, title);
    dates_and_groups(&st, sent, nsent);
    link_names(&st);
    if (st.nents > 1)
        qsort(st.ents, st.nents, sizeof *st.ents, entities_cmp);
    galley_layer *layer = galley_doc_add_layer(doc, "entities");
    for (size_t e = 0; e < st.nents; e++) {
        const ent *x = &st.ents[e];
        size_t start = st.tok[x->first].start, end = st.tok[x->last - 1].end;
        galley_span *sp = galley_layer_add(layer, start, end);
        galley_object_set_strn(sp->fields, "text", st.text + start, end - start);
        galley_object_set_str(sp->fields, "type", x->type);
        if (x->canonical)
            galley_object_set_str(sp->fields, "canonical", x->canonical);
        else
            galley_object_set_strn(sp->fields, "canonical", st.text + start, end - start);
    }
}
