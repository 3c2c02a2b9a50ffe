/* tags.c - what a tag is, whether a text is HTML, and taking tags out.
 * Every scan stops at the next '<' or after TAG_MAX bytes, and the
 * searches for the end of a comment or a script are remembered, so the
 * whole is linear in the text however it is made. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include "tags.h"

#define TAG_MAX 2000 /* longest tag, attributes included */

/* HTML (and inline SVG) element names, sorted for bsearch; `block`: the
 * element ends a line of text; `raw`: its content is code, not text. */
static const struct element {
    const char *name;
    unsigned char block, raw;
} elements[] = {
    { "a", 0, 0 },          { "abbr", 0, 0 },     { "address", 1, 0 },    { "area", 0, 0 },
    { "article", 1, 0 },    { "aside", 1, 0 },    { "audio", 0, 0 },      { "b", 0, 0 },
    { "base", 0, 0 },       { "bdi", 0, 0 },      { "bdo", 0, 0 },        { "big", 0, 0 },
    { "blockquote", 1, 0 }, { "body", 1, 0 },     { "br", 1, 0 },         { "button", 0, 0 },
    { "canvas", 0, 0 },     { "caption", 1, 0 },  { "center", 1, 0 },     { "circle", 0, 0 },
    { "cite", 0, 0 },       { "code", 0, 0 },     { "col", 0, 0 },        { "colgroup", 0, 0 },
    { "data", 0, 0 },       { "datalist", 0, 0 }, { "dd", 1, 0 },         { "defs", 0, 0 },
    { "del", 0, 0 },        { "details", 1, 0 },  { "dfn", 0, 0 },        { "dialog", 1, 0 },
    { "div", 1, 0 },        { "dl", 1, 0 },       { "dt", 1, 0 },         { "em", 0, 0 },
    { "embed", 0, 0 },      { "fieldset", 1, 0 }, { "figcaption", 1, 0 }, { "figure", 1, 0 },
    { "font", 0, 0 },       { "footer", 1, 0 },   { "form", 1, 0 },       { "frame", 0, 0 },
    { "frameset", 0, 0 },   { "g", 0, 0 },        { "h1", 1, 0 },         { "h2", 1, 0 },
    { "h3", 1, 0 },         { "h4", 1, 0 },       { "h5", 1, 0 },         { "h6", 1, 0 },
    { "head", 1, 0 },       { "header", 1, 0 },   { "hgroup", 1, 0 },     { "hr", 1, 0 },
    { "html", 1, 0 },       { "i", 0, 0 },        { "iframe", 0, 0 },     { "img", 0, 0 },
    { "input", 0, 0 },      { "ins", 0, 0 },      { "kbd", 0, 0 },        { "label", 0, 0 },
    { "legend", 1, 0 },     { "li", 1, 0 },       { "line", 0, 0 },       { "link", 0, 0 },
    { "main", 1, 0 },       { "map", 0, 0 },      { "mark", 0, 0 },       { "meta", 0, 0 },
    { "meter", 0, 0 },      { "nav", 1, 0 },      { "noscript", 0, 0 },   { "object", 0, 0 },
    { "ol", 1, 0 },         { "optgroup", 0, 0 }, { "option", 0, 0 },     { "output", 0, 0 },
    { "p", 1, 0 },          { "param", 0, 0 },    { "path", 0, 0 },       { "picture", 0, 0 },
    { "polygon", 0, 0 },    { "polyline", 0, 0 }, { "pre", 1, 0 },        { "progress", 0, 0 },
    { "q", 0, 0 },          { "rect", 0, 0 },     { "rp", 0, 0 },         { "rt", 0, 0 },
    { "ruby", 0, 0 },       { "s", 0, 0 },        { "samp", 0, 0 },       { "script", 0, 1 },
    { "section", 1, 0 },    { "select", 0, 0 },   { "small", 0, 0 },      { "source", 0, 0 },
    { "span", 0, 0 },       { "strike", 0, 0 },   { "strong", 0, 0 },     { "style", 0, 1 },
    { "sub", 0, 0 },        { "summary", 1, 0 },  { "sup", 0, 0 },        { "svg", 0, 0 },
    { "symbol", 0, 0 },     { "table", 1, 0 },    { "tbody", 0, 0 },      { "td", 0, 0 },
    { "template", 0, 0 },   { "textarea", 0, 0 }, { "tfoot", 0, 0 },      { "th", 0, 0 },
    { "thead", 0, 0 },      { "time", 0, 0 },     { "title", 1, 0 },      { "tr", 1, 0 },
    { "track", 0, 0 },      { "tt", 0, 0 },       { "u", 0, 0 },          { "ul", 1, 0 },
    { "use", 0, 0 },        { "var", 0, 0 },      { "video", 0, 0 },      { "wbr", 0, 0 },
};

typedef enum tag_kind { TAG_OPEN = 1, TAG_CLOSE, TAG_COMMENT, TAG_DECL } tag_kind;

typedef struct tag {
    tag_kind kind;
    size_t len;    /* from '<' to '>', both included */
    int known;     /* an element of `elements`, or a custom one */
    char name[16]; /* the element's name in lower case ("" if longer) */
    size_t namelen;
    int block, raw; /* of the element (see `elements`) */
    int valued;     /* an attribute with a value: name="..." */
    int empty;      /* ends with "/>" */
} tag;

/* Where the next "-->" (or "</script", "</style") after a position is,
 * remembered: positions only grow, so each is searched for once. */
typedef struct found {
    size_t from; /* searched from here ... */
    size_t at;   /* ... and found here (SIZE_MAX: nowhere) */
    int valid;
} found;

typedef struct scan {
    found comment_end, script_end, style_end;
} scan;

/* An ASCII letter, what element and attribute names start with. This and
 * the three below ignore the locale and take a plain (maybe negative)
 * char, unlike <ctype.h>; a byte of a UTF-8 sequence is none of them. */
static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/* An ASCII digit, allowed in names after their first letter. */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}
/* An ASCII capital: names are remembered lower-cased, and a name that
 * mixes cases, or a bare attribute with a capital, is not what HTML writes. */
static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
/* HTML's whitespace: space, tab, line feed, carriage return, form feed. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* bsearch's comparison: a name against an element. */
static int element_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const struct element *)e)->name);
}

/* The first occurrence of `needle` (compared without case) at or after
 * in[from], through the cache `f`; SIZE_MAX when there is none. */
static size_t find_after(found *f, const char *in, size_t len, size_t from, const char *needle)
{
    if (f->valid && from >= f->from && (f->at == SIZE_MAX || from <= f->at))
        return f->at;
    size_t nl = strlen(needle), at = SIZE_MAX;
    for (size_t i = from; i + nl <= len; i++) {
        const char *p = memchr(in + i, needle[0], len - i);
        if (!p)
            break;
        i = (size_t)(p - in);
        if (i + nl <= len && strncasecmp(p, needle, nl) == 0) {
            at = i;
            break;
        }
    }
    *f = (found){ from, at, 1 };
    return at;
}

/* An element name at in[*p]: letters, digits and '_', with dashes or
 * colons between parts (custom elements, namespaces); its lower-case form goes
 * to t->name. Returns 0 when there is none. t->known: an element galley
 * knows (`elements`, its flags set), or a custom or namespaced name, in
 * one case; any other name ("Airbus", "tweet", "DOCID") is markup only
 * with more evidence (see parse_tag). */
static int element_name(const char *in, size_t limit, size_t *p, tag *t)
{
    size_t s = *p, i = s;
    int upper = 0, lower = 0, custom = 0;
    if (i >= limit || !is_alpha(in[i]))
        return 0;
    while (i < limit &&
           (is_alpha(in[i]) || is_digit(in[i]) || in[i] == '_' ||
            ((in[i] == '-' || in[i] == ':') && i + 1 < limit && is_alpha(in[i + 1])))) {
        custom |= in[i] == '-' || in[i] == ':';
        upper |= is_upper(in[i]);
        lower |= in[i] >= 'a' && in[i] <= 'z';
        i++;
    }
    *p = i;
    t->namelen = i - s < sizeof t->name ? i - s : 0; /* 0: too long to remember */
    for (size_t k = 0; k < t->namelen; k++)
        t->name[k] = (char)(is_upper(in[s + k]) ? in[s + k] | 0x20 : in[s + k]);
    t->name[t->namelen] = '\0';
    if (upper && lower) /* "<Airbus ...>", "<Time Warner>": not as HTML writes elements */
        return 1;
    if (custom) {
        t->known = lower;
        return 1;
    }
    const struct element *e = t->namelen
        ? bsearch(t->name, elements, sizeof elements / sizeof *elements, sizeof *elements,
                  element_cmp)
        : NULL;
    if (e) {
        t->known = 1;
        t->block = e->block;
        t->raw = e->raw;
    }
    return 1;
}

/* Attributes after an element's name, up to and including '>': each
 * after a space, a name (a bare one in lower case, as HTML's boolean
 * attributes are), optionally = and a value, quoted or not. Returns 0 when
 * the span is not in that syntax. */
static int attributes(const char *in, size_t limit, size_t *p, tag *t)
{
    size_t i = *p;
    for (;;) {
        size_t before = i;
        while (i < limit && is_space(in[i]))
            i++;
        if (i >= limit)
            return 0;
        if (in[i] == '>' || (in[i] == '/' && i + 1 < limit && in[i + 1] == '>')) {
            t->empty = in[i] == '/';
            *p = i + (in[i] == '>' ? 1 : 2);
            return 1;
        }
        if (i == before || t->kind == TAG_CLOSE)
            return 0;
        size_t name = i;
        int caps = 0;
        if (!(is_alpha(in[i]) || in[i] == '_' || in[i] == ':' || in[i] == '@'))
            return 0;
        while (i < limit &&
               (is_alpha(in[i]) || is_digit(in[i]) || in[i] == '_' || in[i] == ':' ||
                in[i] == '@' || in[i] == '-' || in[i] == '.')) {
            caps |= is_upper(in[i]);
            i++;
        }
        size_t end = i;
        while (i < limit && is_space(in[i]))
            i++;
        if (i < limit && in[i] == '=') {
            i++;
            while (i < limit && is_space(in[i]))
                i++;
            if (i >= limit)
                return 0;
            if (in[i] == '"' || in[i] == '\'') {
                const char *q = memchr(in + i + 1, in[i], limit - i - 1);
                if (!q || memchr(in + i + 1, '<', (size_t)(q - (in + i + 1))))
                    return 0;
                i = (size_t)(q - in) + 1;
            } else {
                size_t v = i;
                while (i < limit && !is_space(in[i]) && !strchr("\"'=<>`", in[i]))
                    i++;
                if (i == v)
                    return 0;
            }
            t->valued = 1;
        } else {
            /* A bare word: HTML's are lower case ("async", "hidden"). */
            if (caps || memchr(in + name, '.', end - name))
                return 0;
            i = end;
        }
    }
}

/* The names that end tags close in a text (</tweet>, </DOCID>), lower
 * case: an unknown element is markup when the text closes it. */
#define CLOSED_MAX 64
typedef struct closed {
    char names[CLOSED_MAX][16];
    size_t n;
} closed;

/* Does the text close an element of t's name somewhere (an end tag the
 * text has)? `c` may be NULL, when end tags were not collected, and a tag
 * without a name is never closed. */
static int is_closed(const closed *c, const tag *t)
{
    for (size_t i = 0; c && t->namelen && i < c->n; i++)
        if (strcmp(c->names[i], t->name) == 0)
            return 1;
    return 0;
}

/* The tag at in[i] ('<'), or 0 when what starts there is text. `closed`
 * (or NULL): the names the text's end tags close. */
static int parse_tag(const char *in, size_t len, size_t i, const closed *cl, scan *sc, tag *t)
{
    size_t limit = len - i > TAG_MAX ? i + TAG_MAX : len;
    const char *lt = i + 1 < limit ? memchr(in + i + 1, '<', limit - i - 1) : NULL;
    memset(t, 0, sizeof *t);
    size_t p = i + 1;
    if (p < limit && in[p] == '!') {
        if (p + 2 < len && in[p + 1] == '-' && in[p + 2] == '-') {
            size_t end = find_after(&sc->comment_end, in, len, p + 3, "-->");
            if (end == SIZE_MAX)
                return 0;
            t->kind = TAG_COMMENT;
            t->len = end + 3 - i;
            return 1;
        }
        /* <!DOCTYPE html>, <![CDATA[ ...: up to the next '>'. */
        if (p + 1 < limit && (is_alpha(in[p + 1]) || in[p + 1] == '[')) {
            size_t stop = lt ? (size_t)(lt - in) : limit;
            const char *gt = memchr(in + p, '>', stop - p);
            if (!gt)
                return 0;
            t->kind = TAG_DECL;
            t->len = (size_t)(gt - in) + 1 - i;
            return 1;
        }
        return 0;
    }
    t->kind = TAG_OPEN;
    if (p < limit && in[p] == '/')
        t->kind = TAG_CLOSE, p++;
    if (lt)
        limit = (size_t)(lt - in); /* a tag never holds a '<' */
    if (!element_name(in, limit, &p, t) || !attributes(in, limit, &p, t))
        return 0;
    t->len = p - i;
    /* A name galley does not know is markup when its syntax says so (an
     * end tag, an attribute value, "/>") or when the text closes it:
     * "<tweet>" before "</tweet>". "<IBM>" and "<Boeing Co>" stay text. */
    return t->known || t->kind == TAG_CLOSE || t->valued || t->empty || is_closed(cl, t);
}

int normalize_looks_like_html(const char *in, size_t len, size_t entities)
{
    scan sc = { 0 };
    size_t open = 0;
    for (const char *p = memchr(in, '<', len); p;
         p = memchr(p + 1, '<', (size_t)(in + len - p - 1))) {
        tag t;
        if (parse_tag(in, len, (size_t)(p - in), NULL, &sc, &t)) {
            if (t.kind != TAG_OPEN || t.valued || t.empty)
                return 1;
            if (++open >= 2 || entities > 0)
                return 1;
        }
        if (p + 1 >= in + len)
            break;
    }
    return 0;
}

/* The names of the text's end tags, as far as CLOSED_MAX of them. */
static void end_tag_names(const char *in, size_t len, closed *cl)
{
    scan sc = { 0 };
    cl->n = 0;
    for (const char *p = memchr(in, '<', len); p && cl->n < CLOSED_MAX;
         p = memchr(p + 1, '<', (size_t)(in + len - p - 1))) {
        tag t;
        if ((size_t)(in + len - p) > 2 && p[1] == '/' &&
            parse_tag(in, len, (size_t)(p - in), NULL, &sc, &t) && t.namelen && !t.known) {
            if (!is_closed(cl, &t))
                memcpy(cl->names[cl->n++], t.name, t.namelen + 1);
        }
        if (p + 1 >= in + len)
            break;
    }
}

size_t normalize_strip_tags(const char *in, size_t len, normalize_buf *out)
{
    scan sc = { 0 };
    closed cl;
    end_tag_names(in, len, &cl);
    size_t count = 0, i = 0, copied = 0;
    while (i < len) {
        const char *lt = memchr(in + i, '<', len - i);
        if (!lt)
            break;
        i = (size_t)(lt - in);
        tag t;
        if (!parse_tag(in, len, i, &cl, &sc, &t)) {
            i++;
            continue;
        }
        size_t n = t.len;
        /* Scripts and styles go with their content, to their end tag. */
        if (t.kind == TAG_OPEN && t.raw) {
            int script = (in[i + 1] | 0x20) == 's' && (in[i + 2] | 0x20) == 'c';
            size_t end = script ? find_after(&sc.script_end, in, len, i + n, "</script")
                                : find_after(&sc.style_end, in, len, i + n, "</style");
            if (end != SIZE_MAX) {
                const char *gt = memchr(in + end, '>', len - end);
                n = (gt ? (size_t)(gt - in) + 1 : len) - i;
            }
        }
        normalize_buf_add(out, in + copied, i - copied);
        if (t.block)
            normalize_buf_add(out, "\n", 1);
        i += n;
        copied = i;
        count++;
    }
    if (count)
        normalize_buf_add(out, in + copied, len - copied);
    return count;
}
