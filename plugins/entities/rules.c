/* rules.c - tagging rules of the entities stage (see entities.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"

/* ---- dictionaries --------------------------------------------------------- */

static const struct { const char *file; size_t offset; int flags; const char *label; } files[] = {
    { "places.txt", offsetof(ner_dicts, known), 0, "LOC" },
    { "places.txt", offsetof(ner_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE, "LOC" },
    { "demonyms.txt", offsetof(ner_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE, "NORP" },
    { "organizations.txt", offsetof(ner_dicts, known_ci), GALLEY_DICT_CASE_INSENSITIVE, "ORG" },
    { "demonyms.txt", offsetof(ner_dicts, known), 0, "NORP" },
    { "organizations.txt", offsetof(ner_dicts, known), 0, "ORG" },
    { "given-names.txt", offsetof(ner_dicts, given), 0, "GIVEN" },
    { "roles.txt", offsetof(ner_dicts, roles), 0, "ROLE" },
    { "role-words.txt", offsetof(ner_dicts, rolewords), GALLEY_DICT_CASE_INSENSITIVE, "ROLEWORD" },
    { "org-keywords.txt", offsetof(ner_dicts, orgkeys), 0, "ORGKEY" },
    { "misc-keywords.txt", offsetof(ner_dicts, misckeys), 0, "MISCKEY" },
    { "dates.txt", offsetof(ner_dicts, dates), GALLEY_DICT_CASE_INSENSITIVE, "MONTH" },
    { "stopwords.txt", offsetof(ner_dicts, stop), 0, "STOP" },
};

int ner_dicts_load(ner_dicts *d, const char *data_dir, const char *config_dir,
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
    for (size_t i = 0; i < extra->n; i++) {
        const char *p = extra->items[i];
        if (p[0] == '/')
            snprintf(path, sizeof path, "%s", p);
        else
            snprintf(path, sizeof path, "%s/%s", config_dir, p);
        /* User entries: NAME<TAB>TYPE, PERSON when the type is left out. */
        if (galley_dict_load(d->known, path, "PERSON", err) < 0 ||
            galley_dict_load(d->known_ci, path, "PERSON", err) < 0)
            return -1;
    }
    return 0;
}

void ner_dicts_free(ner_dicts *d)
{
    /* Several files share a dictionary: free each one once. */
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        galley_dict **slot = (galley_dict **)((char *)d + files[i].offset);
        galley_dict_free(*slot);
        *slot = NULL;
    }
}

/* ---- document state --------------------------------------------------------- */

typedef struct ent {
    size_t first, last;       /* tokens [first, last) */
    const char *type;
    const char *canonical;    /* NULL: the text */
} ent;

typedef struct alias {        /* a name part or acronym -> its entity */
    const char *key;
    const char *type;
    const char *canonical;
} alias;

typedef struct doc_state {
    const ner_dicts *d;
    const ner_options *o;
    galley_doc *doc;
    galley_arena *a;
    const char *text;
    const galley_token *tok;
    size_t ntok;
    unsigned char *taken;
    ent *ents;
    size_t nents, capents;
    alias *aliases;
    size_t naliases, capaliases;
    uint64_t *lower;          /* hashes of the words seen in lower case */
    size_t lowercap;
} doc_state;

/* Words the article also uses in lower case are common words, not names:
 * "Collective Defense" is no person when "defense" appears elsewhere. */
static uint64_t lower_hash(const char *s, size_t len)
{
    char buf[64];
    if (len > sizeof buf)
        len = sizeof buf;
    for (size_t i = 0; i < len; i++)
        buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    uint64_t h = galley_hash64(buf, len, 0);
    return h ? h : 1;
}

static void build_lower_set(doc_state *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->ntok; i++)
        n += st->tok[i].kind == GALLEY_TOK_WORD && !(st->tok[i].flags & GALLEY_TF_UPPER_INITIAL);
    st->lowercap = 16;
    while (st->lowercap < n * 2)
        st->lowercap *= 2;
    st->lower = galley_arena_calloc(st->a, st->lowercap, sizeof *st->lower);
    for (size_t i = 0; i < st->ntok; i++) {
        const galley_token *t = &st->tok[i];
        if (t->kind != GALLEY_TOK_WORD || (t->flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_HAS_DIGIT)))
            continue;
        uint64_t h = lower_hash(st->text + t->start, t->end - t->start);
        size_t k = h & (st->lowercap - 1);
        while (st->lower[k] && st->lower[k] != h)
            k = (k + 1) & (st->lowercap - 1);
        st->lower[k] = h;
    }
}

static int used_in_lower_case(doc_state *st, const char *s, size_t len)
{
    uint64_t h = lower_hash(s, len);
    for (size_t k = h & (st->lowercap - 1); st->lower[k]; k = (k + 1) & (st->lowercap - 1))
        if (st->lower[k] == h)
            return 1;
    return 0;
}

static const char *tok_str(doc_state *st, size_t i, size_t *len)
{
    *len = st->tok[i].end - st->tok[i].start;
    return st->text + st->tok[i].start;
}

static int tok_is(doc_state *st, size_t i, const char *w)
{
    size_t len;
    const char *s = tok_str(st, i, &len);
    return i < st->ntok && len == strlen(w) && memcmp(s, w, len) == 0;
}

static int is_word(doc_state *st, size_t i)
{
    return i < st->ntok && st->tok[i].kind != GALLEY_TOK_PUNCT;
}

static int is_cap(doc_state *st, size_t i)
{
    if (!is_word(st, i) || !(st->tok[i].flags & GALLEY_TF_UPPER_INITIAL))
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    return !(s[0] == '\'' || (unsigned char)s[0] == 0xE2);   /* not 's or ’s */
}

static const char *match(doc_state *st, const galley_dict *dict, size_t i, size_t limit, size_t *n)
{
    if (i >= limit)
        return NULL;
    return galley_dict_match(dict, st->text, st->tok, i, limit, n);
}

static char *span_text(doc_state *st, size_t first, size_t last)
{
    return galley_arena_strndup(st->a, st->text + st->tok[first].start,
                                st->tok[last - 1].end - st->tok[first].start);
}

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

static void add_alias(doc_state *st, const char *key, const char *type, const char *canonical)
{
    for (size_t i = 0; i < st->naliases; i++)
        if (strcmp(st->aliases[i].key, key) == 0)
            return;   /* the first entity to claim a name keeps it */
    if (st->naliases == st->capaliases) {
        size_t cap = st->capaliases ? st->capaliases * 2 : 16;
        st->aliases = galley_arena_realloc(st->a, st->aliases, st->capaliases * sizeof *st->aliases,
                                           cap * sizeof *st->aliases);
        st->capaliases = cap;
    }
    st->aliases[st->naliases++] = (alias){ key, type, canonical };
}

static const alias *find_alias(doc_state *st, const char *s, size_t len)
{
    for (size_t i = 0; i < st->naliases; i++)
        if (strlen(st->aliases[i].key) == len && memcmp(st->aliases[i].key, s, len) == 0)
            return &st->aliases[i];
    return NULL;
}

/* ---- dates -------------------------------------------------------------------- */

static int is_number(doc_state *st, size_t i, int lo, int hi)
{
    if (i >= st->ntok || st->tok[i].kind != GALLEY_TOK_NUMBER)
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    if (len > 4)
        return 0;
    int v = atoi(s);
    return v >= lo && v <= hi && len == (size_t)snprintf(NULL, 0, "%d", v);
}

static int is_year(doc_state *st, size_t i)
{
    return is_number(st, i, 1800, 2199);
}

static const char *const relative[] = { "last", "next", "this", "past", "coming", NULL };
static const char *const periods[] = { "week", "month", "year", "weekend", "decade", "century",
                                       "spring", "summer", "autumn", "winter", NULL };
static const char *const year_preps[] = { "in", "since", "until", "by", "from", "of", "before",
                                          "after", "during", "through", "to", NULL };

static int word_in(doc_state *st, size_t i, const char *const *list, int ci)
{
    if (!is_word(st, i))
        return 0;
    size_t len;
    const char *s = tok_str(st, i, &len);
    for (size_t k = 0; list[k]; k++)
        if ((list[k][0] | 0x20) == (s[0] | 0x20) && strlen(list[k]) == len &&
            (ci ? strncasecmp(list[k], s, len) : strncmp(list[k], s, len)) == 0)
            return 1;
    return 0;
}

/* Length in tokens of a date expression at token i, or 0. */
static size_t match_date(doc_state *st, size_t i, size_t end)
{
    size_t n;
    const char *kind = match(st, st->d->dates, i, end, &n);
    size_t len;
    const char *s = tok_str(st, i, &len);
    if (kind && is_cap(st, i)) {
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
    if (is_number(st, i, 1, 31) && match(st, st->d->dates, i + 1, end, &n) && is_cap(st, i + 1)) {
        const char *k2 = match(st, st->d->dates, i + 1, end, &n);
        if (strcmp(k2, "MONTH") == 0)
            return 1 + n + (is_year(st, i + 1 + n) ? 1 : 0);
    }
    /* "mid-July", "early-2023" */
    if (st->tok[i].kind == GALLEY_TOK_WORD && len > 5) {
        static const char *const pre[] = { "mid-", "early-", "late-" };
        for (size_t k = 0; k < 3; k++) {
            size_t pl = strlen(pre[k]);
            if (len > pl && strncasecmp(s, pre[k], pl) == 0) {
                galley_arena *tmp = galley_arena_new(0);
                const char *rest = s + pl;
                size_t rl = len - pl;
                int ok = (rl == 4 && rest[0] >= '1' && rest[0] <= '2') ||
                         galley_dict_get(st->d->dates, rest, rl) != NULL;
                galley_arena_free(tmp);
                if (ok)
                    return 1;
            }
        }
    }
    /* "the 1980s" */
    if (tok_is(st, i, "the") && i + 1 < end && st->tok[i + 1].kind == GALLEY_TOK_WORD) {
        size_t l2;
        const char *s2 = tok_str(st, i + 1, &l2);
        if (l2 == 5 && s2[4] == 's' && s2[0] >= '1' && s2[0] <= '2' && s2[1] >= '0' && s2[1] <= '9')
            return 2;
    }
    /* "last week", "next month", "this year" */
    if (word_in(st, i, relative, 1) && word_in(st, i + 1, periods, 0) && i + 1 < end)
        return 2;
    /* "in 2015" -> 2015 */
    if (i > 0 && is_year(st, i) && word_in(st, i - 1, year_preps, 1))
        return 1;
    return 0;
}

/* ---- capitalized spans ------------------------------------------------------ */

static const char *const connectors[] = { "of", "the", "for", "de", "del", "della", "di", "da", "do",
                                          "dos", "van", "von", "der", "den", "la", "le", "du", "al",
                                          "bin", "ibn", "y", NULL };
static const char *const speech[] = { "said", "says", "told", "added", "stressed", "noted", "warned",
                                      "wrote", "tweeted", "explained", "argued", "claimed",
                                      "insisted", "asked", "replied", "announced", "urged",
                                      "confirmed", "denied", "acknowledged", "underlined",
                                      "emphasized", "emphasised", "continued", "concluded", NULL };

static const char *const locative[] = { "in", "from", "near", "to", "outside", "around", "across",
                                        "towards", "toward", "via", "at", NULL };

/* End of the capitalized span starting at i (exclusive). */
static size_t span_end(doc_state *st, size_t i, size_t end)
{
    size_t j = i + 1, n;
    for (;;) {
        /* A month or weekday ends a name: "Saaresto Monday" is two things. */
        if (j < end && match(st, st->d->dates, j, j + 1, &n))
            return j;
        if (j < end && is_cap(st, j) && !st->taken[j]) {
            j++;
            continue;
        }
        /* An initial: "Brian E. Nelson". */
        if (j + 1 < end && tok_is(st, j, ".") && is_cap(st, j + 1) &&
            st->tok[j - 1].end - st->tok[j - 1].start == 1 && !(st->tok[j].flags & GALLEY_TF_SPACE_BEFORE)) {
            j++;
            continue;
        }
        /* "Ministry of the Interior": up to two connectors between capitals. */
        size_t k = j;
        while (k < end && k < j + 2 && word_in(st, k, connectors, 0))
            k++;
        if (k > j && k < end && is_cap(st, k) && !st->taken[k]) {
            j = k + 1;
            continue;
        }
        return j;
    }
}

static int any_key(doc_state *st, const galley_dict *dict, size_t first, size_t last)
{
    size_t n;
    for (size_t k = first; k < last; k++)
        if (match(st, dict, k, last, &n))
            return 1;
    return 0;
}

static int role_word_before(doc_state *st, size_t i, size_t sent_start)
{
    for (size_t k = 1; k <= 3 && k <= i - sent_start; k++) {
        size_t n;
        if (match(st, st->d->rolewords, i - k, i, &n) && n == k)
            return 1;
    }
    return 0;
}

static int all_caps_acronym(doc_state *st, size_t i)
{
    size_t len;
    tok_str(st, i, &len);
    return (st->tok[i].flags & GALLEY_TF_ALL_UPPER) && len >= 2 && len <= 6;
}

/* "National Center for Cyberspace (NCC)": the acronym gets the long form. */
static void acronym_after(doc_state *st, size_t last, size_t end, const char *type, const char *canonical)
{
    if (last + 2 < end && tok_is(st, last, "(") && all_caps_acronym(st, last + 1) &&
        tok_is(st, last + 2, ")")) {
        size_t len;
        const char *s = tok_str(st, last + 1, &len);
        add_alias(st, galley_arena_strndup(st->a, s, len), type, canonical);
        add_ent(st, last + 1, last + 2, type, canonical);
    }
}

/* Registers a multi-word person's name parts for propagation. */
static void person_parts(doc_state *st, size_t first, size_t last, const char *canonical)
{
    for (size_t k = first; k < last; k++) {
        size_t len;
        const char *s = tok_str(st, k, &len);
        if (is_cap(st, k) && len > 1 && !(st->tok[k].flags & GALLEY_TF_ALL_UPPER))
            add_alias(st, galley_arena_strndup(st->a, s, len), "PERSON", canonical);
    }
}

static int common_words(doc_state *st, size_t first, size_t last)
{
    for (size_t k = first; k < last; k++) {
        size_t len;
        const char *s = tok_str(st, k, &len);
        if (is_cap(st, k) && used_in_lower_case(st, s, len))
            return 1;
    }
    return 0;
}

static void tag_sentence(doc_state *st, const galley_sentence *sent)
{
    size_t s = sent->first_token, end = s + sent->ntokens;
    /* All-caps headlines and datelines: dictionary names only. */
    size_t words = 0, caps = 0;
    for (size_t k = s; k < end; k++)
        if (is_word(st, k)) {
            words++;
            caps += (st->tok[k].flags & GALLEY_TF_ALL_UPPER) != 0;
        }
    int shouting = words >= 3 && caps * 10 >= words * 6;
    int role_before = 0;
    size_t i = s;
    while (i < end) {
        size_t n;
        if (st->taken[i]) {
            i++;
            continue;
        }
        if ((n = match_date(st, i, end))) {
            add_ent(st, i, i + n, "DATE", NULL);
            i += n;
            role_before = 0;
            continue;
        }
        if (!is_cap(st, i)) {
            role_before = 0;
            i++;
            continue;
        }
        if (shouting) {
            const char *label = match(st, st->d->known_ci, i, end, &n);
            if (label) {
                add_ent(st, i, i + n, label, NULL);
                i += n;
            } else {
                i++;
            }
            continue;
        }
        size_t j = span_end(st, i, end);
        /* Openers ("However", "On") and titles ("Prime Minister") are not
         * part of a name; a title is evidence for the person after it. */
        if (match(st, st->d->stop, i, i + 1, &n)) {
            i++;
            continue;
        }
        if (match(st, st->d->roles, i, j, &n) && i + n < j) {
            role_before = 1;
            i += n;
            continue;
        }
        /* "White House Press Secretary Karine Jean-Pierre": a title inside
         * a span ends it; "Financial Intelligence Brian Nelson": so does a
         * given name that starts a name of two words or more. */
        for (size_t k = i + 1; k < j; k++) {
            size_t rn, gn;
            if ((match(st, st->d->roles, k, j, &rn) && k + rn < j) ||
                (match(st, st->d->given, k, j, &gn) && k + 1 < j && !match(st, st->d->given, i, k, &gn) &&
                 !match(st, st->d->known, i, j, &gn))) {
                j = k;
                break;
            }
        }
        size_t kn = 0;
        const char *known = match(st, st->d->known, i, j, &kn);
        size_t whole = j - i;
        const char *type = NULL;
        int person_evidence = role_before || role_word_before(st, i, s) ||
                              (match(st, st->d->given, i, j, &n) && whole >= 2) ||
                              (word_in(st, j, speech, 0) && !known &&
                               (whole >= 2 || !(st->tok[i].flags & GALLEY_TF_SENT_START)));
        role_before = 0;
        if (tok_is(st, i, "Article") && (is_number(st, i + 1, 1, 999) || is_cap(st, i + 1))) {
            j = i + 2;
            type = "MISC";
        } else if (known && kn == whole) {
            type = known;
        } else if (any_key(st, st->d->orgkeys, i, j) && !(known && kn == whole)) {
            type = "ORG";
        } else if (match(st, st->d->misckeys, j - 1, j, &n) && whole >= 2) {
            type = "MISC";
        } else if (known) {
            /* A known name followed by more capitals: take the name alone. */
            add_ent(st, i, i + kn, known, NULL);
            i += kn;
            continue;
        } else if (person_evidence) {
            type = "PERSON";
        } else if (whole == 1 && all_caps_acronym(st, i)) {
            type = "ORG";
        } else if (whole >= 2 && whole <= 4 && st->o->guess_persons && !common_words(st, i, j)) {
            type = "PERSON";
        } else if (whole == 1 && i > s && word_in(st, i - 1, locative, 0) &&
                   !(st->tok[i].flags & GALLEY_TF_SENT_START) && !common_words(st, i, j)) {
            /* "in Kelmora", "delegates from Ostrava": a place no list has. */
            type = "LOC";
            add_alias(st, span_text(st, i, j), "LOC", NULL);
        } else {
            /* One unknown capitalized word: propagation may claim it. */
            i = j;
            continue;
        }
        char *text = span_text(st, i, j);
        add_ent(st, i, j, type, NULL);
        if (strcmp(type, "PERSON") == 0 && whole >= 2)
            person_parts(st, i, j, text);
        if (strcmp(type, "ORG") == 0 || strcmp(type, "MISC") == 0)
            add_alias(st, text, type, text);
        acronym_after(st, j, end, type, text);
        i = j;
    }
}

/* Second pass: name parts and acronyms seen anywhere are tagged wherever
 * they appear untagged, and single mentions get their canonical form. */
static void propagate(doc_state *st)
{
    for (size_t e = 0; e < st->nents; e++) {
        ent *x = &st->ents[e];
        if (x->canonical || x->last - x->first != 1)
            continue;
        size_t len;
        const char *s = tok_str(st, x->first, &len);
        const alias *al = find_alias(st, s, len);
        if (al && strcmp(al->type, x->type) == 0)
            x->canonical = al->canonical;
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

static int ent_cmp(const void *pa, const void *pb)
{
    const ent *a = pa, *b = pb;
    return a->first < b->first ? -1 : a->first > b->first;
}

void ner_tag_document(const ner_dicts *d, const ner_options *o, galley_doc *doc)
{
    doc_state st = { 0 };
    st.d = d;
    st.o = o;
    st.doc = doc;
    st.a = galley_doc_arena(doc);
    st.text = galley_doc_text(doc);
    st.tok = galley_doc_tokens(doc, &st.ntok);
    size_t nsent;
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    st.taken = galley_arena_calloc(st.a, st.ntok + 1, 1);
    build_lower_set(&st);
    for (size_t k = 0; k < nsent; k++)
        tag_sentence(&st, &sent[k]);
    propagate(&st);
    if (st.nents)
        qsort(st.ents, st.nents, sizeof *st.ents, ent_cmp);
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
