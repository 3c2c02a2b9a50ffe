/* normalize.c - the normalize stage: clean, comparable text out of messy
 * news pages. One scan says which repairs a document needs (chars.c);
 * only those run (repair.c, tags.c, chars.c, then NFC); then line by
 * line: trim and collapse spaces, drop boilerplate lines (boilerplate.c)
 * and menus (menu.c), move a leading dateline to metadata. Counts every
 * change in metadata.normalize. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boilerplate.h"
#include "chars.h"
#include "menu.h"
#include "repair.h"
#include "tags.h"

struct normalize_options {
    int form; /* 0 nfc, 1 nfkc */
    int repair_mojibake;
    int decode_entities;
    int strip_html;
    int straighten_quotes;
    int boilerplate;
    galley_strlist extra_boilerplate;
    int dateline;
    int drop_title_line;
    int keep_removed;
};

static const char *const forms[] = { "nfc", "nfkc", NULL };

static const galley_option normalize_table[] = {
    GALLEY_OPTION_ENUM(struct normalize_options, form, "nfc", forms,
                       "Unicode normalization form (nfkc also folds compatibility characters)"),
    GALLEY_OPTION_BOOL(
        struct normalize_options, repair_mojibake, "true",
        "repair UTF-8 decoded as Windows-1252/Latin-1 (â€™ -> ’) where the repair is unambiguous"),
    GALLEY_OPTION_BOOL(struct normalize_options, decode_entities, "true",
                       "decode HTML character references (&amp; &#8217; &nbsp;)"),
    GALLEY_OPTION_BOOL(struct normalize_options, strip_html, "true",
                       "remove residual HTML tags when the document looks like HTML"),
    GALLEY_OPTION_BOOL(struct normalize_options, straighten_quotes, "false",
                       "turn typographic quotation marks into straight ones"),
    GALLEY_OPTION_BOOL(struct normalize_options, boilerplate, "true",
                       "remove lines that are not article text "
                       "(share and follow lines, menus, footers, credits...)"),
    GALLEY_OPTION_LIST(struct normalize_options, extra_boilerplate, "",
                       "more pattern files (REASON<TAB>REGEX a line), relative to the config"),
    GALLEY_OPTION_BOOL(struct normalize_options, dateline, "true",
                       "move a leading dateline (\"TEHRAN —\") to metadata.dateline"),
    GALLEY_OPTION_BOOL(struct normalize_options, drop_title_line, "true",
                       "remove a first line that repeats metadata.title"),
    GALLEY_OPTION_BOOL(struct normalize_options, keep_removed, "false",
                       "keep removed lines in metadata.removed_lines with their reason"),
    GALLEY_OPTION_END
};

typedef struct normalize {
    const struct normalize_options *opt;
    normalize_boilerplate boilerplate;
    normalize_menu menu;
    pcre2_code *dateline[2];
    pcre2_match_data *dateline_md;
    normalize_chars chars;
} normalize;

/* Releases an instance, also a half-made one that normalize_create gives
 * up on (its lists and patterns then partly empty). */
static void normalize_destroy(void *self)
{
    normalize *nz = self;
    normalize_boilerplate_free(&nz->boilerplate);
    normalize_menu_free(&nz->menu);
    pcre2_code_free(nz->dateline[0]);
    pcre2_code_free(nz->dateline[1]);
    pcre2_match_data_free(nz->dateline_md);
    free(nz);
}

/* A dateline: a city in capitals (any script's: "GDAŃSK"), optionally
 * ", Country", a date and an agency in parentheses, then a dash:
 * "KAUNAS, Lithuania (Baltic Wire) —", "TALLINN, Sept. 17 (TTC) -",
 * "TEHRAN—". Or the agency alone. */
#define DATELINE_RE                                                                                \
    "^(\\p{Lu}[\\p{Lu}'.-]+( \\p{Lu}[\\p{Lu}'.-]+){0,3}"                                           \
    "(, \\p{Lu}[\\p{L}.]+( \\p{Lu}[\\p{L}.]+){0,2})?"                                              \
    "(,? [A-Z][a-z]{2,8}\\.? [0-9]{1,2})?( \\([\\p{L}][^()]{0,40}\\))?) *(—|–|--|-|:) *"
#define DATELINE_AGENCY_RE "^(\\(\\p{Lu}[^()]{1,40}\\)) *(—|–|--|-) *"

/* An instance per worker: the table of every BMP code point for the form
 * and quote options (64 KB, built here), the dateline patterns, the data
 * folder's boilerplate.txt and menu.txt when boilerplate is on, and the
 * extra_boilerplate files (relative to the config's folder unless
 * absolute), which are read, and refused when missing, even with
 * boilerplate off. NULL with err saying which file or pattern failed. */
static void *normalize_create(const void *options, const galley_stage_env *env, galley_error *err)
{
    normalize *nz = calloc(1, sizeof *nz);
    if (!nz) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    nz->opt = options;
    normalize_chars_init(&nz->chars, nz->opt->straighten_quotes,
                         nz->opt->form == 1 ? GALLEY_NFKC : GALLEY_NFC);
    char path[4096];
    nz->dateline[0] = normalize_regex_compile(DATELINE_RE, 0, path, sizeof path);
    nz->dateline[1] = normalize_regex_compile(DATELINE_AGENCY_RE, 0, path, sizeof path);
    nz->dateline_md = pcre2_match_data_create(8, NULL);
    if (!nz->dateline[0] || !nz->dateline[1] || !nz->dateline_md) {
        galley_error_set(err, "dateline pattern: %s", path);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/boilerplate.txt", env->data_dir);
    if (nz->opt->boilerplate && normalize_boilerplate_load(&nz->boilerplate, path, err) < 0)
        goto fail;
    snprintf(path, sizeof path, "%s/menu.txt", env->data_dir);
    if (nz->opt->boilerplate && normalize_menu_load(&nz->menu, path, err) < 0)
        goto fail;
    for (size_t i = 0; i < nz->opt->extra_boilerplate.n; i++) {
        const char *p = nz->opt->extra_boilerplate.items[i];
        if (p[0] == '/')
            snprintf(path, sizeof path, "%s", p);
        else
            snprintf(path, sizeof path, "%s/%s", env->config_dir, p);
        if (normalize_boilerplate_load(&nz->boilerplate, path, err) < 0)
            goto fail;
    }
    if (normalize_boilerplate_ready(&nz->boilerplate, err) < 0)
        goto fail;
    return nz;
fail:
    normalize_destroy(nz);
    return NULL;
}

/* ---- characters ---------------------------------------------------------------- */

typedef struct repairs {
    int64_t entities, tags, mojibake, chars;
} repairs;

/* Runs the repairs the text needs; returns the text (the document's own
 * when nothing changed) and counts what changed. */
static const char *repair_text(const normalize *nz, galley_doc *doc, size_t *lenp, unsigned *needp,
                               repairs *r)
{
    const struct normalize_options *o = nz->opt;
    galley_arena *a = galley_doc_arena(doc);
    const char *text = galley_doc_text(doc);
    size_t len = galley_doc_text_len(doc);
    unsigned need = normalize_scan(&nz->chars, text, len);
    normalize_buf b;
    size_t n;

    /* After a repair the scan runs again: "&lt;" becomes a tag, "&nbsp;"
     * a character to clean up. */
    if (o->decode_entities && (need & NORMALIZE_NEED_ENTITIES)) {
        normalize_buf_init(&b, a, len);
        if ((n = normalize_decode_entities(text, len, &b))) {
            text = b.data, len = b.len, r->entities += (int64_t)n;
            need = normalize_scan(&nz->chars, text, len);
        }
    }
    if (o->strip_html && (need & NORMALIZE_NEED_TAGS) &&
        normalize_looks_like_html(text, len, (size_t)r->entities)) {
        normalize_buf_init(&b, a, len);
        if ((n = normalize_strip_tags(text, len, &b))) {
            text = b.data, len = b.len, r->tags = (int64_t)n;
            /* References inside tags' text come out only now. */
            if (o->decode_entities && memchr(text, '&', len)) {
                normalize_buf_init(&b, a, len);
                if ((n = normalize_decode_entities(text, len, &b)))
                    text = b.data, len = b.len, r->entities += (int64_t)n;
            }
            need = normalize_scan(&nz->chars, text, len);
        }
    }
    if (o->repair_mojibake && (need & NORMALIZE_NEED_MOJIBAKE)) {
        normalize_buf_init(&b, a, len);
        if ((n = normalize_repair_mojibake(text, len, &b))) {
            text = b.data, len = b.len, r->mojibake = (int64_t)n;
            need = normalize_scan(&nz->chars, text, len); /* "Â " is a no-break space */
        }
    }
    if (need & NORMALIZE_NEED_CHARS) {
        normalize_buf_init(&b, a, len);
        if ((n = normalize_clean_chars(&nz->chars, text, len, &b)))
            text = b.data, len = b.len, r->chars = (int64_t)n, need |= NORMALIZE_NEED_LAYOUT;
    }
    if (need & NORMALIZE_NEED_NFC) {
        size_t nl;
        char *t = normalize_normalize(&nz->chars, a, text, len, &nl);
        if (t) /* NFKC makes "¨" a space and a mark: lay out again */
            text = t, len = nl, need |= NORMALIZE_NEED_LAYOUT;
    }
    *lenp = len;
    *needp = need;
    return text;
}

/* ---- lines ------------------------------------------------------------------- */

/* Copies one line into out without leading and trailing spaces and with
 * runs of spaces made one; returns its length. Branch-free: every byte
 * is written, and kept by moving on only when it is not a second space. */
static size_t squeeze(const char *s, size_t len, char *out)
{
    size_t o = 0;
    int prev_space = 1; /* drops leading spaces */
    for (size_t i = 0; i < len; i++) {
        int space = s[i] == ' ';
        out[o] = s[i];
        o += !(space & prev_space);
        prev_space = space;
    }
    if (o && out[o - 1] == ' ')
        o--;
    return o;
}

typedef struct counts {
    int64_t by_reason_n[16];
    const char *by_reason[16];
    size_t nreasons;
    int64_t removed;
} counts;

/* Counts one removed line, in all and under its reason (for
 * metadata.normalize.lines_removed). `reason` is kept, not copied: a
 * pattern's or a literal, it lives as long as the instance. Past 16
 * reasons a line counts in all only. */
static void count_reason(counts *c, const char *reason)
{
    c->removed++;
    for (size_t i = 0; i < c->nreasons; i++)
        if (strcmp(c->by_reason[i], reason) == 0) {
            c->by_reason_n[i]++;
            return;
        }
    if (c->nreasons < 16) {
        c->by_reason[c->nreasons] = reason;
        c->by_reason_n[c->nreasons++] = 1;
    }
}

/* With keep_removed on (`removed` is then metadata.removed_lines, else
 * NULL and nothing happens): records a copy of the removed line with its
 * reason. */
static void keep_removed(galley_array *removed, const char *line, size_t len, const char *reason)
{
    if (!removed)
        return;
    galley_object *r = galley_array_push_object(removed);
    galley_object_set_strn(r, "line", line, len);
    galley_object_set_str(r, "reason", reason);
}

/* A footer glued to the last paragraph ("... officers. All Content by
 * Mehr News Agency is licensed under ..."): the last sentences of the
 * text are tested like lines, and cut when they are footers. */
static size_t cut_trailing_footer(normalize *nz, char *out, size_t olen, counts *c,
                                  galley_array *removed)
{
    for (int round = 0; round < 3 && olen > 0; round++) {
        size_t line_start = olen;
        while (line_start > 0 && out[line_start - 1] != '\n')
            line_start--;
        size_t k = olen;
        while (k > line_start + 2 &&
               !(out[k - 1] == ' ' && (out[k - 2] == '.' || out[k - 2] == '"')))
            k--;
        if (k <= line_start + 2 || olen - k > 240)
            return olen;
        const char *reason = normalize_boilerplate_classify(&nz->boilerplate, out + k, olen - k);
        if (!reason || (strcmp(reason, "footer") != 0 && strcmp(reason, "social") != 0))
            return olen;
        count_reason(c, reason);
        keep_removed(removed, out + k, olen - k, reason);
        while (k > line_start && out[k - 1] == ' ')
            k--;
        olen = k;
        out[olen] = '\0';
    }
    return olen;
}

/* Is a[0..al) the whole of b, ASCII case ignored? How a first line is
 * found to repeat metadata.title. */
static int same_text_ci(const char *a, size_t al, const char *b)
{
    size_t bl = strlen(b);
    return al == bl && strncasecmp(a, b, al) == 0;
}

/* The lines of a text, one after another, for both passes of
 * clean_lines: trimmed and with runs of spaces made one (into
 * `squeezed`) when the scan found spaces to collapse, blank lines
 * skipped and noted. */
typedef struct line_iter {
    const char *text;
    size_t len, i;
    char *squeezed; /* NULL when the lines need no squeezing */
} line_iter;

/* The next non-blank line (valid until the next call) in *line and *ll,
 * and whether a blank line came before it; 0 at the end of the text. */
static int next_line(line_iter *it, const char **line, size_t *ll, int *blank)
{
    *blank = 0;
    while (it->i < it->len) {
        const char *nl = memchr(it->text + it->i, '\n', it->len - it->i);
        size_t e = nl ? (size_t)(nl - it->text) : it->len;
        const char *s = it->text + it->i;
        size_t n = e - it->i;
        it->i = e + 1;
        if (it->squeezed) {
            n = squeeze(s, n, it->squeezed);
            s = it->squeezed;
        }
        if (n == 0) {
            *blank = 1;
            continue;
        }
        *line = s;
        *ll = n;
        return 1;
    }
    return 0;
}

/* First pass: what each line is. A line that matches a boilerplate
 * pattern, or the first line that repeats the title before any sentence,
 * is removed whatever its neighbours; then runs of link-like lines are
 * judged as menus (menu.h). `it` is a copy: the caller walks the same
 * lines again. Returns the lines (in the arena) and their number in *np. */
static normalize_line *judge_lines(normalize *nz, galley_doc *doc, line_iter it, size_t *np)
{
    const struct normalize_options *o = nz->opt;
    galley_arena *a = galley_doc_arena(doc);
    const char *title =
        o->drop_title_line ? galley_object_get_str(galley_doc_meta(doc), "title") : NULL;
    normalize_line *lines = NULL;
    size_t n = 0, cap = 0;
    int prose_seen = 0;
    const char *line;
    size_t ll;
    int blank;
    while (next_line(&it, &line, &ll, &blank)) {
        if (n == cap) {
            size_t grown = cap ? cap * 2 : 64;
            lines = galley_arena_realloc(a, lines, cap * sizeof *lines, grown * sizeof *lines);
            cap = grown;
        }
        normalize_line *l = &lines[n++];
        l->pattern = 0;
        l->flags = 0;
        if (o->boilerplate) {
            l->pattern = (uint32_t)(normalize_boilerplate_match(&nz->boilerplate, line, ll) + 1);
            l->flags = (uint8_t)normalize_menu_features(&nz->menu, line, ll);
        }
        if (l->pattern) {
            l->flags |= NORMALIZE_LINE_SKIP;
        } else if (title && !prose_seen && same_text_ci(line, ll, title)) {
            l->flags |= NORMALIZE_LINE_SKIP | NORMALIZE_LINE_TITLE;
            title = NULL;
        }
        prose_seen |=
            (l->flags & (NORMALIZE_LINE_PROSE | NORMALIZE_LINE_SKIP)) == NORMALIZE_LINE_PROSE;
    }
    if (o->boilerplate)
        normalize_menu_find(lines, n);
    *np = n;
    return lines;
}

/* Why a judged line goes, or NULL when it stays. */
static const char *removal_reason(const normalize *nz, const normalize_line *l)
{
    if (l->pattern)
        return nz->boilerplate.patterns[l->pattern - 1].reason;
    if (l->flags & NORMALIZE_LINE_TITLE)
        return "title";
    if (l->flags & NORMALIZE_LINE_MENU)
        return "nav";
    return NULL;
}

/* Lines: trimmed, spaces collapsed (when the scan found any to collapse),
 * boilerplate, menus and the repeated title out, blank runs made one
 * blank line. Returns the new text (in the arena) and its length in
 * *olenp. */
static char *clean_lines(normalize *nz, galley_doc *doc, const char *text, size_t len,
                         unsigned need, counts *c, size_t *olenp)
{
    galley_arena *a = galley_doc_arena(doc);
    galley_object *meta = galley_doc_meta(doc);
    galley_array *removed =
        nz->opt->keep_removed ? galley_object_set_array(meta, "removed_lines") : NULL;
    line_iter it = { text, len, 0,
                     (need & NORMALIZE_NEED_LAYOUT) ? galley_arena_alloc(a, len + 1) : NULL };
    size_t nlines;
    const normalize_line *lines = judge_lines(nz, doc, it, &nlines);
    char *out = galley_arena_alloc(a, len + 1);
    size_t olen = 0, k = 0;
    int pending_blank = 0;
    const char *line;
    size_t ll;
    int blank;
    for (; next_line(&it, &line, &ll, &blank); k++) {
        pending_blank |= blank && olen > 0;
        const char *reason = removal_reason(nz, &lines[k]);
        if (reason) {
            count_reason(c, reason);
            keep_removed(removed, line, ll, reason);
            continue;
        }
        /* After a newline, or two for a paragraph gap. */
        if (olen) {
            out[olen++] = '\n';
            if (pending_blank)
                out[olen++] = '\n';
        }
        memcpy(out + olen, line, ll);
        olen += ll;
        pending_blank = 0;
    }
    out[olen] = '\0';
    *olenp = cut_trailing_footer(nz, out, olen, c, removed);
    return out;
}

/* The dateline leaves the text for metadata; returns how many bytes of
 * the text it took. */
static size_t take_dateline(normalize *nz, galley_doc *doc, const char *out, size_t olen)
{
    /* Both patterns start with a capital and a capital, or "(" and a
     * capital: most texts are ruled out without a regex. */
    unsigned char c0 = (unsigned char)out[0], c1 = olen > 1 ? (unsigned char)out[1] : 0;
    int upper0 = (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
    int upper1 = (c1 >= 'A' && c1 <= 'Z') || c1 >= 0x80;
    if (!((upper0 && (upper1 || c1 == '\'' || c1 == '.' || c1 == '-')) || (c0 == '(' && upper1)))
        return 0;
    /* A dateline is within the first 160 bytes (cut at a character). */
    size_t hl = olen < 160 ? olen : 160;
    while (hl < olen && ((unsigned char)out[hl] & 0xC0) == 0x80)
        hl--;
    int rc = -1;
    /* No UTF check needed: valid UTF-8 (see boilerplate.c's match), cut at
     * a character. */
    for (int k = 0; k < 2 && rc < 0; k++)
        rc = pcre2_match(nz->dateline[k], (PCRE2_SPTR)out, hl, 0, PCRE2_NO_UTF_CHECK,
                         nz->dateline_md, NULL);
    if (rc < 0)
        return 0;
    const PCRE2_SIZE *m = pcre2_get_ovector_pointer(nz->dateline_md);
    size_t end = (size_t)m[1];
    /* The story starts right after: a capital, a quotation mark, a
     * non-ASCII letter, or the next line. */
    unsigned char next = end < olen ? (unsigned char)out[end] : '\n';
    if (!(next == '\n' || (next >= 'A' && next <= 'Z') || next == '"' || next >= 0x80))
        return 0;
    galley_object_set_strn(galley_doc_meta(doc), "dateline", out + m[2], (size_t)(m[3] - m[2]));
    while (end < olen && (out[end] == '\n' || out[end] == ' '))
        end++;
    return end;
}

/* Rewrites one document's text: the repairs it needs, its lines cleaned,
 * a leading dateline moved to metadata, and the counts in
 * metadata.normalize. A text left empty is rejected as "empty" (not an
 * error); the one error is a document that already has layers, since
 * its text cannot change under them. */
static int normalize_process(void *self, galley_doc *doc, galley_error *err)
{
    normalize *nz = self;
    repairs r = { 0 };
    counts c = { 0 };
    size_t len, olen;
    unsigned need;
    const char *text = repair_text(nz, doc, &len, &need, &r);
    char *out = clean_lines(nz, doc, text, len, need, &c, &olen);
    if (nz->opt->dateline && olen) {
        size_t cut = take_dateline(nz, doc, out, olen);
        out += cut;
        olen -= cut;
    }
    if (olen == 0) {
        galley_doc_reject(doc, "empty");
        return 0;
    }
    if (galley_doc_set_text(doc, out, olen) < 0)
        return galley_error_set(err, "the document already has layers: put normalize first");
    galley_object *stats = galley_object_set_object(galley_doc_meta(doc), "normalize");
    galley_object_set_int(stats, "entities_decoded", r.entities);
    galley_object_set_int(stats, "tags_removed", r.tags);
    galley_object_set_int(stats, "mojibake_repaired", r.mojibake);
    galley_object_set_int(stats, "chars_changed", r.chars);
    galley_object *lr = galley_object_set_object(stats, "lines_removed");
    for (size_t k = 0; k < c.nreasons; k++)
        galley_object_set_int(lr, c.by_reason[k], c.by_reason_n[k]);
    return 0;
}

/* normalize provides no layer (it rewrites the text and fills metadata):
 * an empty table of layer fields says so. */
static const galley_layer_field normalize_fields[] = { GALLEY_LAYER_FIELD_END };

GALLEY_STAGE(normalize) = {
    GALLEY_STAGE_HEADER,
    .name = "normalize",
    .version = "1.0",
    .summary =
        "repairs and cleans article text: Unicode, mojibake, entities, boilerplate, dateline",
    .options = normalize_table,
    .options_size = sizeof(struct normalize_options),
    .flags = GALLEY_STAGE_REWRITES_TEXT,
    .concurrency = GALLEY_PARALLEL,
    .create = normalize_create,
    .process = normalize_process,
    .destroy = normalize_destroy,
    .fields = normalize_fields,
};
