/* assemble.c - attributions from the tagger's labels and the paired quotes.
 *
 * 1. Spans: each run of Source, Cue or Content labels.
 * 2. Contents: a Content span that is a paired quote (its words, give or
 *    take the marks and edge punctuation) takes the quote's exact bounds
 *    and is direct (a sentence) or partial (a fragment); one that holds a
 *    quote and more words is partial, with the tagger's bounds; one with
 *    no quote is indirect. A quote the tagger left out is a title of a
 *    work, a scare quote (short, or a fragment), or a direct quote that
 *    is not attributed in its sentence (a sentence of several words).
 * 3. Each content goes to the nearest cue outside it in its paragraph
 *    (within the sentences it touches and one on each side, no other
 *    content in between); contents of one cue are the pieces of one
 *    attribution (“X,” he said, “Y.”). Its source is the Source span
 *    nearest the cue.
 * 4. A direct quote with no cue of its own continues the attribution of
 *    the quote before it, in its paragraph or the one before: it becomes
 *    one more piece of it. Other contents with no cue are dropped.
 * Every search is bounded by the paragraph: linear in the document. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "quotes.h"

/* A Content span of one quote and at most this many words outside it is
 * the quote; an unquoted piece of at most QUOTES_TAIL_WORDS words beside a
 * quote of a sentence is the tail of the cue ("said several months after
 * her release", "said on Fox News"), not content; so is one of any length
 * in the sentence of the cue (cue_tail). */
#define QUOTES_SNAP_WORDS 3
#define QUOTES_TAIL_WORDS 6
/* Tokens a cue after a partial or indirect content counts as farther. */
#define QUOTES_AFTER_PENALTY 4
/* Attributions a participle cue looks back over for its sentence's cue. */
#define PARTICIPLE_BACK 8

typedef struct span {
    uint32_t first, last; /* tokens */
    uint8_t type;         /* 1 source, 2 cue, 3 content */
    uint32_t para;
} span;

typedef struct content {
    uint32_t first, last; /* tokens, for distances */
    quotes_piece piece;
    uint8_t kind;
    uint8_t from_quote; /* the piece is a paired quote's */
    uint8_t tagged;     /* the tagger labelled it */
    uint8_t flagged;
    uint32_t para;
    int32_t quote; /* index in c->q, or -1 */
    int32_t cue;   /* index in spans, or -1 */
} content;

typedef struct vec {
    void *v;
    size_t n, cap, size;
} vec;

/* Appends one element (copied) to an arena vector. */
static void *push(galley_arena *a, vec *x, const void *elem)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        x->v = galley_arena_realloc(a, x->v, x->cap * x->size, cap * x->size);
        x->cap = cap;
    }
    void *p = (char *)x->v + x->n * x->size;
    memcpy(p, elem, x->size);
    x->n++;
    return p;
}

/* Is token t punctuation that a content piece not taken from a quote
 * sheds at its edges: a comma, full stop, colon, semicolon or hyphen, or
 * a character of U+2000-U+2FFF (its UTF-8 starts with 0xE2: the dashes,
 * the ellipsis)? Quotation marks are not: they stay with the piece. */
static int edge_punct(const quotes_ctx *c, size_t t)
{
    if (c->tok[t].kind != GALLEY_TOK_PUNCT || (c->tok[t].flags & GALLEY_TF_QUOTE))
        return 0;
    char ch = c->text[c->tok[t].start];
    return ch == ',' || ch == '.' || ch == ':' || ch == ';' || ch == '-' ||
        (unsigned char)ch == 0xE2; /* — – … */
}

/* Runs of labels into spans, in text order. */
static void collect_spans(const quotes_ctx *c, vec *spans)
{
    for (size_t t = 0; t < c->ntok;) {
        int type = QUOTES_LABEL_TYPE(c->label[t]);
        if (!type) {
            t++;
            continue;
        }
        size_t e = t + 1;
        while (e < c->ntok && c->label[e] == c->label[t] + 1 - (c->label[t] % 2 == 0))
            e++;
        /* B-X is odd, I-X = B-X + 1: the loop above keeps I-X of the same X. */
        span s = { (uint32_t)t, (uint32_t)e, (uint8_t)type,
                   c->tok[t].sentence < c->nsent ? c->sent[c->tok[t].sentence].paragraph : 0 };
        push(c->a, spans, &s);
        t = e;
    }
}

/* The first token that starts at or after byte b. */
static size_t tok_index(const quotes_ctx *c, uint32_t b)
{
    return quotes_first_token(c->tok, c->ntok, b);
}

/* "…, said Lee Park at Halvern Capital." - a Content span right after a
 * cue that follows a comma or a closing mark, and that is a name (an
 * entity's start, or a capitalized word when there are no entities),
 * short, up to a comma or the sentence end, is the source the cue comes
 * before: the tagger reads the inverted order badly. */
static void names_after_cues(const quotes_ctx *c, span *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        span *s = &v[i];
        if (s->type != 3 || v[i - 1].type != 2 || v[i - 1].last != s->first ||
            s->last - s->first > 8)
            continue;
        size_t t = s->first;
        int name = c->ents.n
            ? c->ents.at[t] >= 0 && c->ents.v[c->ents.at[t]]->start == c->tok[t].start
            : (c->tok[t].flags & GALLEY_TF_UPPER_INITIAL) &&
                !quotes_wordset_get(&c->res->refs, c->word[t]);
        if (!name || (c->tf[t] & (QUOTES_TF_IN_QUOTE | QUOTES_TF_OPEN)))
            continue;
        /* Inverted only after what was said: "…, said" or "…” said". */
        size_t cf = v[i - 1].first;
        if (cf == 0 ||
            !(c->tok[cf - 1].kind == GALLEY_TOK_PUNCT &&
              (c->text[c->tok[cf - 1].start] == ',' || (c->tf[cf - 1] & QUOTES_TF_CLOSE))))
            continue;
        size_t e = s->last;
        const galley_sentence *se = &c->sent[c->tok[t].sentence];
        int at_end = e >= se->first_token + se->ntokens - 1 ||
            (c->tok[e].kind == GALLEY_TOK_PUNCT && strchr(",.;", c->text[c->tok[e].start]));
        if (at_end)
            s->type = 1;
    }
}

/* Words (not punctuation) of tokens [a, b). */
static size_t words_of(const quotes_ctx *c, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t t = a; t < b; t++)
        n += c->tok[t].kind != GALLEY_TOK_PUNCT;
    return n;
}

/* The content a Content span makes, with the quotes it touches. */
static void content_of_span(quotes_ctx *c, const span *s, content *out)
{
    memset(out, 0, sizeof *out);
    out->first = s->first;
    out->last = s->last;
    out->para = s->para;
    out->tagged = 1;
    out->quote = -1;
    out->cue = -1;
    /* The quotes it touches, and the words it has outside them. */
    int32_t q = -1;
    int several = 0;
    size_t outside = 0;
    for (size_t t = s->first; t < s->last; t++) {
        int32_t k = c->quote_of[t];
        if (k < 0) {
            outside += c->tok[t].kind != GALLEY_TOK_PUNCT;
            continue;
        }
        if (q >= 0 && k != q)
            several = 1;
        q = k;
    }
    /* A quote with a few words around it ("says of Clinton, “…”"): the
     * quote. */
    if (q >= 0 && !several && outside <= QUOTES_SNAP_WORDS) {
        const quotes_quote *x = &c->q[q];
        out->piece = (quotes_piece){ x->start, x->end };
        out->from_quote = 1;
        out->quote = q;
        out->flagged = x->flagged;
        out->kind = x->shape == QUOTES_SHAPE_SENTENCE ? QUOTES_KIND_DIRECT : QUOTES_KIND_PARTIAL;
        out->first = x->open != QUOTES_NONE ? x->open : x->first;
        out->last = x->close != QUOTES_NONE ? x->close + 1 : x->last;
        return;
    }
    size_t a = s->first, b = s->last;
    while (a < b && edge_punct(c, a))
        a++;
    while (b > a && edge_punct(c, b - 1))
        b--;
    if (a == b) {
        a = s->first;
        b = s->last;
    }
    out->piece = (quotes_piece){ c->tok[a].start, c->tok[b - 1].end };
    out->kind = q >= 0 ? QUOTES_KIND_PARTIAL : QUOTES_KIND_INDIRECT;
}

/* Token distance from content x to span s, or a large number when s is
 * too far (another paragraph, beyond the sentence next to x's). */
static size_t distance(const quotes_ctx *c, const content *x, const span *s)
{
    if (s->para != x->para)
        return SIZE_MAX;
    size_t xs = c->tok[x->first].sentence, xe = c->tok[x->last - 1].sentence;
    size_t ss = c->tok[s->first].sentence;
    if (ss + 1 < xs || ss > xe + 1)
        return SIZE_MAX;
    size_t d = s->first >= x->last ? s->first - x->last
        : x->first >= s->last      ? x->first - s->last
                                   : SIZE_MAX;
    if (d == SIZE_MAX)
        return d;
    /* Across a sentence boundary costs more than any gap inside one. */
    return d + (ss < xs || ss > xe ? 1000 : 0);
}

/* The nearest Source span to cue k (index in spans), or -1: within the
 * paragraph, not inside any content; the same sentence preferred. */
static int32_t nearest_source(const quotes_ctx *c, const span *v, size_t n, size_t k)
{
    const span *cue = &v[k];
    int32_t best = -1;
    size_t bestd = SIZE_MAX;
    size_t cs = c->tok[cue->first].sentence;
    for (size_t dir = 0; dir < 2; dir++) {
        for (size_t j = k; dir ? j + 1 < n : j > 0;) {
            j = dir ? j + 1 : j - 1;
            const span *s = &v[j];
            if (s->para != cue->para)
                break;
            if (s->type != 1)
                continue;
            size_t d = s->first >= cue->last ? s->first - cue->last : cue->first - s->last;
            size_t ss = c->tok[s->first].sentence;
            if (ss != cs)
                d += 1000;
            if (d < bestd) {
                bestd = d;
                best = (int32_t)j;
            }
            break; /* only the nearest on each side */
        }
    }
    return best;
}

/* A quote signed after a dash at the end of its paragraph, as in vox
 * pops: “…” ― Esther Tapia. Sets the dash token and the name's tokens. */
static int signed_by_dash(const quotes_ctx *c, const content *x, size_t *dash, size_t *first,
                          size_t *last)
{
    size_t t = x->last; /* after the closing mark */
    if (t >= c->ntok || c->tok[t].kind != GALLEY_TOK_PUNCT)
        return 0;
    int32_t cp;
    galley_utf8_decode(c->text + c->tok[t].start, c->tok[t].end - c->tok[t].start, &cp);
    if (cp != 0x2015 && cp != 0x2014 && cp != 0x2013 && cp != '-')
        return 0;
    size_t para = c->sent[c->tok[t].sentence].paragraph, k = t + 1, words = 0;
    while (k < c->ntok && c->sent[c->tok[k].sentence].paragraph == para && words <= 6) {
        if (c->tok[k].kind == GALLEY_TOK_WORD && !(c->tok[k].flags & GALLEY_TF_UPPER_INITIAL) &&
            c->tok[k].end - c->tok[k].start > 3)
            return 0; /* a lower-case word: a sentence goes on, not a name */
        words += c->tok[k].kind == GALLEY_TOK_WORD;
        k++;
    }
    if (!words || words > 6 || (k < c->ntok && c->sent[c->tok[k].sentence].paragraph == para))
        return 0;
    size_t e = k;
    while (e > t + 1 && c->tok[e - 1].kind == GALLEY_TOK_PUNCT)
        e--;
    *dash = t;
    *first = t + 1;
    *last = e;
    return e > t + 1;
}

static float confidence_of(const quotes_ctx *c, const content *x, const span *cue, const span *src);

/* A cue ends before a phrase of time or place that the tagger took with
 * it: "said on Friday", "said in the letter" -> "said" ("went on to say"
 * stays whole: no determiner, name or number after "on"). */
static void trim_cue(const quotes_ctx *c, quotes_attr *at)
{
    static const char *const preps[] = { "in",   "on",   "at", "during", "after", "before",
                                         "with", "from", "by", "for",    NULL };
    static const char *const dets[] = { "the", "a",     "an",   "his",  "her",
                                        "its", "their", "this", "that", NULL };
    for (size_t t = at->cue_first + 1; t + 1 < at->cue_last; t++) {
        size_t len = c->tok[t].end - c->tok[t].start,
               nlen = c->tok[t + 1].end - c->tok[t + 1].start;
        int prep = 0, det = 0;
        for (size_t i = 0; preps[i] && !prep; i++)
            prep = strlen(preps[i]) == len &&
                strncasecmp(c->text + c->tok[t].start, preps[i], len) == 0;
        for (size_t i = 0; dets[i] && !det; i++)
            det = strlen(dets[i]) == nlen &&
                strncasecmp(c->text + c->tok[t + 1].start, dets[i], nlen) == 0;
        if (prep &&
            (det || (c->tok[t + 1].flags & (GALLEY_TF_UPPER_INITIAL | GALLEY_TF_HAS_DIGIT)))) {
            at->cue_last = (uint32_t)t;
            return;
        }
    }
}

/* A source mention never ends on a determiner ("read the statement"
 * tagged "the"): it takes the words after it, up to punctuation or the
 * cue, at most four. */
static void complete_source(const quotes_ctx *c, quotes_attr *at)
{
    static const char *const determiners[] = { "the", "a",   "an",  "this",  "that",
                                               "its", "his", "her", "their", NULL };
    size_t t = at->src_last - 1, len = c->tok[t].end - c->tok[t].start;
    int det = 0;
    for (size_t i = 0; determiners[i] && !det; i++)
        det = strlen(determiners[i]) == len &&
            strncasecmp(c->text + c->tok[t].start, determiners[i], len) == 0;
    if (!det)
        return;
    size_t e = at->src_last;
    while (e < c->ntok && e < at->src_last + 4 && c->tok[e].kind == GALLEY_TOK_WORD &&
           c->tok[e].sentence == c->tok[t].sentence &&
           (at->cue_first == QUOTES_NONE || e != at->cue_first) &&
           !(c->tf[e] & (QUOTES_TF_IN_QUOTE | QUOTES_TF_OPEN)))
        e++;
    at->src_last = (uint32_t)e;
}

/* Pieces of a quote over paragraphs whose closing piece never came (or
 * was not a quote): one direct attribution of their own, its speaker
 * the one before. Returns 1 (the attribution made in *at). */
static size_t flush_pending(quotes_ctx *c, const content *cv, const size_t *pending,
                            size_t *npending, quotes_attr *at)
{
    memset(at, 0, sizeof *at);
    at->kind = QUOTES_KIND_DIRECT;
    at->cue_first = at->cue_last = at->src_first = at->src_last = QUOTES_NONE;
    at->inherited = 1;
    at->pieces = galley_arena_alloc(c->a, (*npending + 1) * sizeof *at->pieces);
    for (size_t k = 0; k < *npending; k++) {
        at->pieces[at->npieces++] = cv[pending[k]].piece;
        at->flagged |= cv[pending[k]].flagged;
    }
    at->has_sentence = at->has_quote = 1;
    at->confidence = confidence_of(c, &cv[pending[0]], NULL, NULL);
    *npending = 0;
    return 1;
}

/* A quote led in by a name and a colon, with no verb: "Maria Chen,
 * Channel 9: “…”", "Caddell: “…”". Sets the colon token and the lead-in's
 * first words (up to a comma). */
static int led_by_colon(const quotes_ctx *c, const content *x, size_t *colon, size_t *first,
                        size_t *last)
{
    size_t open = x->first; /* the opening mark */
    if (open == 0 || !(c->tf[open] & QUOTES_TF_OPEN) || c->tok[open - 1].kind != GALLEY_TOK_PUNCT ||
        c->text[c->tok[open - 1].start] != ':')
        return 0;
    size_t k = open - 1, s0 = c->sent[c->tok[k].sentence].first_token;
    if (k <= s0 || k - s0 > 8 || !(c->tok[s0].flags & GALLEY_TF_UPPER_INITIAL))
        return 0;
    size_t e = s0;
    while (e < k && !(c->tok[e].kind == GALLEY_TOK_PUNCT && c->text[c->tok[e].start] == ','))
        e++;
    for (size_t t = s0; t < k; t++)
        if (c->cueb[t] >= 3)
            return 0; /* "The mayor added:": the model's own cue */
    *colon = k;
    *first = s0;
    *last = e;
    return e > s0;
}

/* Is indirect attribution `at` reported in the sentence of the cue of
 * attribution `last` (“X,” said Y, who has been challenging the industry
 * for years. “Z.”)? Then it is part of that sentence's attribution clause
 * and does not end the run of `last`'s quotes. */
static int in_cue_sentence(const quotes_ctx *c, const quotes_attr *out, int32_t last,
                           const quotes_attr *at)
{
    if (last < 0 || out[last].cue_first == QUOTES_NONE || at->cue_first == QUOTES_NONE)
        return 0;
    return c->tok[at->cue_first].sentence == c->tok[out[last].cue_first].sentence;
}

/* Is an unquoted piece starting at token t in the sentence of the cue of
 * `at`? Beside a quote of a sentence it is the attribution clause, what
 * the cue is about, not words said (“…,” he said of the prospect of
 * tampering with election returns). */
static int cue_tail(const quotes_ctx *c, const quotes_attr *at, size_t t)
{
    return at->cue_first != QUOTES_NONE && c->tok[t].sentence == c->tok[at->cue_first].sentence;
}

/* "He said the plot was designed in Washington, adding that Tirana …":
 * a cue in -ing after a comma reports what the subject of the sentence's
 * earlier cue says: the attribution (of out[0..n)) whose source it
 * shares, or NULL. Only the last PARTICIPLE_BACK attributions are looked
 * at, so that a run of scare quotes cannot make the search quadratic. */
static const quotes_attr *participle_of(const quotes_ctx *c, const quotes_attr *out, size_t n,
                                        const quotes_attr *at)
{
    size_t t = at->cue_first;
    size_t len = c->tok[t].end - c->tok[t].start;
    if (t == 0 || len < 5 || memcmp(c->text + c->tok[t].end - 3, "ing", 3) != 0 ||
        c->text[c->tok[t - 1].start] != ',')
        return NULL;
    for (size_t i = n; i-- > 0 && n - i <= PARTICIPLE_BACK;) {
        const quotes_attr *y = &out[i];
        if (y->cue_first == QUOTES_NONE || y->cue_first >= t)
            continue;
        if (c->tok[y->cue_first].sentence != c->tok[t].sentence)
            return NULL;
        return y->src_first != QUOTES_NONE ? y : NULL;
    }
    return NULL;
}

/* "…,” as stated in NATO’s website": a source that is only "as" is not
 * one; the first entity after the cue in its sentence is. Tokens after
 * the cue to the sentence's end, at most a few: bounded. */
static void source_after_as(const quotes_ctx *c, quotes_attr *at)
{
    size_t a = at->src_first;
    if (a == QUOTES_NONE || at->src_last != a + 1 || c->tok[a].end - c->tok[a].start != 2 ||
        strncasecmp(c->text + c->tok[a].start, "as", 2) != 0 || !c->ents.n)
        return;
    const galley_sentence *se = &c->sent[c->tok[at->cue_first].sentence];
    size_t end = se->first_token + se->ntokens;
    for (size_t t = at->cue_last; t < end && t < at->cue_last + 6; t++) {
        int32_t e = c->ents.at[t];
        if (e < 0)
            continue;
        const galley_span *x = c->ents.v[e];
        size_t last = t;
        while (last < end && c->tok[last].start < x->end)
            last++;
        at->src_first = (uint32_t)t;
        at->src_last = (uint32_t)last;
        return;
    }
}

/* qsort's comparison: an attribution's pieces in text order. */
static int by_piece(const void *pa, const void *pb)
{
    const quotes_piece *a = pa, *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* The confidence of an attribution: the mean margin of the labels of its
 * tokens, squashed to (0, 1); a quote the tagger left out gets half. */
static float confidence_of(const quotes_ctx *c, const content *x, const span *cue, const span *src)
{
    double sum = 0;
    size_t n = 0;
    for (size_t t = x->first; t < x->last && n < 200; t++, n++)
        sum += c->margin[t];
    if (cue)
        for (size_t t = cue->first; t < cue->last; t++, n++)
            sum += c->margin[t];
    if (src)
        for (size_t t = src->first; t < src->last; t++, n++)
            sum += c->margin[t];
    double m = n ? sum / (double)n : 0;
    double conf = m > 0 ? m / (m + QUOTES_MARGIN_HALF) : 0;
    return (float)(x->tagged ? conf : conf * 0.5);
}

void quotes_assemble(quotes_ctx *c, const quotes_run_options *o, quotes_attr **outp, size_t *np)
{
    vec spans = { NULL, 0, 0, sizeof(span) };
    collect_spans(c, &spans);
    span *sv = spans.v;
    names_after_cues(c, sv, spans.n);
    vec cons = { NULL, 0, 0, sizeof(content) };
    /* Contents from Content spans, and from quotes the tagger left out. */
    uint8_t *quote_used = galley_arena_calloc(c->a, c->nq + 1, 1);
    size_t qi = 0;
    for (size_t i = 0; i <= spans.n; i++) {
        size_t upto = i < spans.n ? sv[i].first : c->ntok;
        /* Quotes wholly before this span and not touched by any content. */
        for (; qi < c->nq && c->q[qi].first < upto; qi++) {
            if (quote_used[qi])
                continue;
            const quotes_quote *x = &c->q[qi];
            int touched = 0;
            for (size_t t = x->first; t < x->last && !touched; t++)
                touched = QUOTES_LABEL_TYPE(c->label[t]) == 3;
            if (touched)
                continue;
            content y = { x->open != QUOTES_NONE ? x->open : x->first,
                          x->close != QUOTES_NONE ? x->close + 1 : x->last,
                          { x->start, x->end },
                          QUOTES_KIND_SCARE,
                          1,
                          0,
                          x->flagged,
                          x->para,
                          (int32_t)qi,
                          -1 };
            size_t words = words_of(c, x->first, x->last);
            if (x->shape == QUOTES_SHAPE_TITLE)
                y.kind = QUOTES_KIND_TITLE;
            else if (x->shape == QUOTES_SHAPE_SENTENCE &&
                     (words > o->scare_max_words || x->continued || x->continues))
                y.kind = QUOTES_KIND_DIRECT;
            push(c->a, &cons, &y);
            quote_used[qi] = 1;
        }
        if (i == spans.n)
            break;
        if (sv[i].type != 3)
            continue;
        content y;
        content_of_span(c, &sv[i], &y);
        if (y.quote >= 0) {
            if (quote_used[y.quote])
                continue; /* two Content spans in one quote: one content */
            quote_used[y.quote] = 1;
        }
        push(c->a, &cons, &y);
    }
    content *cv = cons.v;
    /* Each tagged content to its nearest cue. */
    for (size_t i = 0; i < cons.n; i++) {
        content *x = &cv[i];
        if (x->kind == QUOTES_KIND_SCARE || x->kind == QUOTES_KIND_TITLE)
            continue;
        size_t bestd = SIZE_MAX;
        /* Spans are few per paragraph: scan those of x's paragraph. */
        size_t lo = 0, hi = spans.n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sv[mid].para < x->para)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < spans.n && sv[k].para == x->para; k++) {
            if (sv[k].type != 2)
                continue;
            size_t d = distance(c, x, &sv[k]);
            /* Words reported in a clause hang on the verb before them
             * ("dismissed the claims as “baseless,” blaming the US"). */
            if (d != SIZE_MAX && x->kind != QUOTES_KIND_DIRECT && sv[k].first >= x->last)
                d += QUOTES_AFTER_PENALTY;
            if (d == SIZE_MAX || d >= bestd)
                continue;
            /* No reported speech of another attribution in between (a
             * direct quote between is the same speaker's, “X.” “Y,” he
             * said). */
            int blocked = 0;
            for (int j = -1; j <= 1 && !blocked; j += 2) {
                if ((j < 0 && i == 0) || (j > 0 && i + 1 >= cons.n))
                    continue;
                const content *y = &cv[(size_t)((ptrdiff_t)i + j)];
                if (y->para != x->para || y->kind == QUOTES_KIND_DIRECT ||
                    y->kind == QUOTES_KIND_SCARE || y->kind == QUOTES_KIND_TITLE)
                    continue;
                blocked = sv[k].first >= x->last ? (y->first >= x->last && y->last <= sv[k].first)
                                                 : (y->last <= x->first && y->first >= sv[k].last);
            }
            if (blocked)
                continue;
            bestd = d;
            x->cue = (int32_t)k;
        }
    }
    /* Attributions: one per cue with its contents; continuations join
     * the attribution before them; the rest stand alone or go. */
    quotes_attr *out = galley_arena_calloc(c->a, cons.n + 1, sizeof *out);
    int32_t *attr_of_cue = galley_arena_alloc(c->a, (spans.n + 1) * sizeof *attr_of_cue);
    for (size_t k = 0; k < spans.n; k++)
        attr_of_cue[k] = -1;
    size_t n = 0, dash, name_first, name_last;
    int32_t last_quoted = -1; /* the last attribution with a quote piece */
    uint32_t last_quoted_para = 0;
    /* Pieces of a quote over paragraphs that wait for the piece that
     * closes it (and has the cue, usually): contents of one attribution. */
    size_t *pending = galley_arena_alloc(c->a, (cons.n + 1) * sizeof *pending);
    size_t npending = 0;
    for (size_t i = 0; i < cons.n; i++) {
        content *x = &cv[i];
        quotes_attr *at = NULL;
        if (x->from_quote && x->quote >= 0 && c->q[x->quote].continues && x->cue < 0 &&
            x->kind != QUOTES_KIND_SCARE && x->kind != QUOTES_KIND_TITLE) {
            pending[npending++] = i;
            continue;
        }
        if (npending && !(x->from_quote && x->quote >= 0 && c->q[x->quote].continued))
            n += flush_pending(c, cv, pending, &npending, &out[n]);
        if (x->kind == QUOTES_KIND_SCARE || x->kind == QUOTES_KIND_TITLE) {
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = x->kind;
        } else if (x->cue >= 0 && attr_of_cue[x->cue] >= 0) {
            at = &out[attr_of_cue[x->cue]];
        } else if (x->cue >= 0) {
            attr_of_cue[x->cue] = (int32_t)n;
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = x->kind;
            at->cue_first = sv[x->cue].first;
            at->cue_last = sv[x->cue].last;
            /* "said:" - the colon leads the quote in; the cue is the word. */
            while (at->cue_last > at->cue_first + 1 &&
                   c->tok[at->cue_last - 1].kind == GALLEY_TOK_PUNCT)
                at->cue_last--;
            trim_cue(c, at);
            int32_t s = nearest_source(c, sv, spans.n, (size_t)x->cue);
            at->src_first = s >= 0 ? sv[s].first : QUOTES_NONE;
            at->src_last = s >= 0 ? sv[s].last : QUOTES_NONE;
            if (s >= 0)
                complete_source(c, at);
            const quotes_attr *first_cue = participle_of(c, out, n - 1, at);
            if (first_cue) {
                at->src_first = first_cue->src_first;
                at->src_last = first_cue->src_last;
            }
            source_after_as(c, at);
            at->confidence = confidence_of(c, x, &sv[x->cue], s >= 0 ? &sv[s] : NULL);
        } else if (x->from_quote && x->kind == QUOTES_KIND_DIRECT &&
                   signed_by_dash(c, x, &dash, &name_first, &name_last)) {
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = x->kind;
            at->cue_first = (uint32_t)dash;
            at->cue_last = (uint32_t)dash + 1;
            at->src_first = (uint32_t)name_first;
            at->src_last = (uint32_t)name_last;
            at->confidence = confidence_of(c, x, NULL, NULL);
        } else if (x->from_quote && x->kind == QUOTES_KIND_DIRECT &&
                   led_by_colon(c, x, &dash, &name_first, &name_last)) {
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = x->kind;
            at->cue_first = (uint32_t)dash;
            at->cue_last = (uint32_t)dash + 1;
            at->src_first = (uint32_t)name_first;
            at->src_last = (uint32_t)name_last;
            at->confidence = confidence_of(c, x, NULL, NULL);
        } else if (x->from_quote && x->kind == QUOTES_KIND_DIRECT && last_quoted >= 0 &&
                   out[last_quoted].cue_first != QUOTES_NONE && x->para <= last_quoted_para + 1) {
            at = &out[last_quoted];
        } else if (x->from_quote && x->kind == QUOTES_KIND_DIRECT) {
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = x->kind;
            at->cue_first = at->cue_last = at->src_first = at->src_last = QUOTES_NONE;
            at->inherited = 1;
            at->confidence = confidence_of(c, x, NULL, NULL);
        } else if (x->from_quote) {
            /* A quoted fragment nobody is reported to have said: scare. */
            at = &out[n++];
            memset(at, 0, sizeof *at);
            at->kind = QUOTES_KIND_SCARE;
        } else {
            continue;
        }
        if (at->kind == QUOTES_KIND_SCARE || at->kind == QUOTES_KIND_TITLE) {
            at->cue_first = at->cue_last = at->src_first = at->src_last = QUOTES_NONE;
        }
        /* Add x as a piece, after the pieces of its quote that came before. */
        int joins = at->kind != QUOTES_KIND_SCARE && at->kind != QUOTES_KIND_TITLE &&
            x->from_quote && x->quote >= 0 && c->q[x->quote].continued;
        size_t extra = joins ? npending : 0;
        quotes_piece *p = galley_arena_alloc(c->a, (at->npieces + extra + 1) * sizeof *p);
        if (at->npieces)
            memcpy(p, at->pieces, at->npieces * sizeof *p);
        for (size_t k = 0; k < extra; k++) {
            p[at->npieces++] = cv[pending[k]].piece;
            at->flagged |= cv[pending[k]].flagged;
        }
        npending = joins ? 0 : npending;
        p[at->npieces++] = x->piece;
        at->pieces = p;
        at->flagged |= x->flagged;
        /* The kind from all the pieces: all quotes, one of a sentence:
         * direct (“If you have...,” he said, “you now have...” too);
         * all quotes of fragments: partial; words outside marks: partial
         * when there is a quote too, else indirect. */
        if (at->kind != QUOTES_KIND_SCARE && at->kind != QUOTES_KIND_TITLE) {
            at->has_sentence |= x->from_quote && x->kind == QUOTES_KIND_DIRECT;
            at->has_quote |= x->from_quote || x->kind == QUOTES_KIND_PARTIAL;
            at->has_unquoted |= !x->from_quote;
            at->kind = at->has_unquoted
                ? (at->has_quote ? QUOTES_KIND_PARTIAL : QUOTES_KIND_INDIRECT)
                : at->has_sentence ? QUOTES_KIND_DIRECT
                                   : QUOTES_KIND_PARTIAL;
        }
        if (x->from_quote && at->kind != QUOTES_KIND_SCARE && at->kind != QUOTES_KIND_TITLE) {
            last_quoted = (int32_t)(at - out);
            last_quoted_para = x->para;
        } else if (at->kind == QUOTES_KIND_INDIRECT && !in_cue_sentence(c, out, last_quoted, at)) {
            last_quoted = -1; /* reported speech in between ends the run */
        }
    }
    if (npending)
        n += flush_pending(c, cv, pending, &npending, &out[n]);
    for (size_t i = 0; i < n; i++) {
        quotes_attr *at = &out[i];
        if (at->has_sentence && at->has_unquoted) {
            /* Keep the quotes and the longer unquoted pieces. */
            size_t k = 0, unquoted = 0;
            for (size_t j = 0; j < at->npieces; j++) {
                const quotes_piece *pc = &at->pieces[j];
                size_t t0 = tok_index(c, pc->start), t1 = tok_index(c, pc->end);
                int quoted = c->quote_of[t0] >= 0 && c->tf[t0] & QUOTES_TF_IN_QUOTE &&
                    c->q[c->quote_of[t0]].start == pc->start;
                if (!quoted && (words_of(c, t0, t1) <= QUOTES_TAIL_WORDS || cue_tail(c, at, t0)))
                    continue;
                unquoted += !quoted;
                at->pieces[k++] = *pc;
            }
            at->npieces = k;
            if (!unquoted)
                at->kind = QUOTES_KIND_DIRECT;
        }
        /* A short quoted fragment that no source is found for is a
         * scare quote ("The word “reform” was everywhere"). */
        if (at->kind == QUOTES_KIND_PARTIAL && !at->has_unquoted && at->src_first == QUOTES_NONE &&
            at->npieces == 1 &&
            words_of(c, tok_index(c, at->pieces[0].start), tok_index(c, at->pieces[0].end)) <=
                o->scare_max_words) {
            at->kind = QUOTES_KIND_SCARE;
            at->cue_first = at->cue_last = QUOTES_NONE;
        }
        if (at->npieces > 1)
            qsort(at->pieces, at->npieces, sizeof *at->pieces, by_piece);
    }
    *outp = out;
    *np = n;
    quotes_transcripts(c, outp, np);
}
