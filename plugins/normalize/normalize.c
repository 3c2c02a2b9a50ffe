/* normalize.c - the normalize stage: clean, comparable text out of messy
 * news pages. Character repairs (repair.c), then line by line: trim and
 * collapse spaces, drop boilerplate lines (patterns in data files plus
 * line features), move a leading dateline to metadata. Counts every
 * change in metadata.normalize. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repair.h"

struct normalize_options {
    int form;                    /* 0 nfc, 1 nfkc */
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
    GALLEY_OPTION_BOOL(struct normalize_options, repair_mojibake, "true",
                       "repair UTF-8 decoded as Windows-1252/Latin-1 (â€™ -> ’) where the repair is unambiguous"),
    GALLEY_OPTION_BOOL(struct normalize_options, decode_entities, "true",
                       "decode HTML character references (&amp; &#8217; &nbsp;)"),
    GALLEY_OPTION_BOOL(struct normalize_options, strip_html, "true",
                       "remove residual HTML tags when the document looks like HTML"),
    GALLEY_OPTION_BOOL(struct normalize_options, straighten_quotes, "false",
                       "turn typographic quotation marks into straight ones"),
    GALLEY_OPTION_BOOL(struct normalize_options, boilerplate, "true",
                       "remove lines that are not article text (share, follow-us, footers, credits...)"),
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

typedef struct pattern {
    char *reason;
    regex_t re;
} pattern;

typedef struct normalize {
    const struct normalize_options *opt;
    pattern *patterns;
    size_t npatterns;
    regex_t dateline, dateline_agency;
} normalize;

/* ---- pattern files ------------------------------------------------------------ */

static int load_patterns(normalize *nz, const char *path, galley_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return galley_error_set(err, "%s: cannot read boilerplate patterns", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            rc = galley_error_set(err, "%s:%u: expected REASON<TAB>REGEX", path, lineno);
            break;
        }
        *tab = '\0';
        nz->patterns = realloc(nz->patterns, (nz->npatterns + 1) * sizeof *nz->patterns);
        pattern *p = &nz->patterns[nz->npatterns];
        /* Lines are lower-cased before matching (much faster than
         * REG_ICASE), so the pattern is lower-cased too. */
        for (char *c = tab + 1; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        int e = regcomp(&p->re, tab + 1, REG_EXTENDED | REG_NOSUB);
        if (e != 0) {
            char msg[256];
            regerror(e, &p->re, msg, sizeof msg);
            rc = galley_error_set(err, "%s:%u: bad pattern: %s", path, lineno, msg);
            break;
        }
        p->reason = strdup(line);
        nz->npatterns++;
    }
    free(line);
    fclose(f);
    return rc;
}

static void normalize_destroy(void *self)
{
    normalize *nz = self;
    for (size_t i = 0; i < nz->npatterns; i++) {
        regfree(&nz->patterns[i].re);
        free(nz->patterns[i].reason);
    }
    free(nz->patterns);
    regfree(&nz->dateline);
    regfree(&nz->dateline_agency);
    free(nz);
}

/* A dateline: a city in capitals, optionally ", Country", a date and an
 * agency in parentheses, then a dash: "KAUNAS, Lithuania (Baltic Wire) —",
 * "TALLINN, Sept. 17 (TTC) -", "TEHRAN—". Or the agency alone. */
#define DATELINE_RE \
    "^([A-Z][A-Z'.-]+( [A-Z][A-Z'.-]+){0,3}(, [A-Z][A-Za-z.]+( [A-Z][A-Za-z.]+){0,2})?" \
    "(,? [A-Z][a-z]{2,8}\\.? [0-9]{1,2})?( \\([A-Za-z][^()]{0,40}\\))?) *(—|–|--|-|:) *"
#define DATELINE_AGENCY_RE "^(\\([A-Z][^()]{1,40}\\)) *(—|–|--|-) *"

static void *normalize_create(const void *options, const galley_stage_env *env,
                              galley_error *err)
{
    normalize *nz = calloc(1, sizeof *nz);
    if (!nz) {
        galley_error_set(err, "out of memory");
        return NULL;
    }
    nz->opt = options;
    regcomp(&nz->dateline, DATELINE_RE, REG_EXTENDED);
    regcomp(&nz->dateline_agency, DATELINE_AGENCY_RE, REG_EXTENDED);
    char path[4096];
    snprintf(path, sizeof path, "%s/boilerplate.txt", env->data_dir);
    if (nz->opt->boilerplate && load_patterns(nz, path, err) < 0)
        goto fail;
    for (size_t i = 0; i < nz->opt->extra_boilerplate.n; i++) {
        const char *p = nz->opt->extra_boilerplate.items[i];
        if (p[0] == '/')
            snprintf(path, sizeof path, "%s", p);
        else
            snprintf(path, sizeof path, "%s/%s", env->config_dir, p);
        if (load_patterns(nz, path, err) < 0)
            goto fail;
    }
    return nz;
fail:
    normalize_destroy(nz);
    return NULL;
}

/* ---- lines ------------------------------------------------------------------- */

/* Why a line is not article text, or NULL. */
static const char *classify(const normalize *nz, const char *line, size_t len)
{
    /* Boilerplate lines are short (240 bytes, 24 words at most); longer
     * lines are body and skip the patterns, which keeps the stage fast. */
    if (len > 240)
        return NULL;
    size_t words = 1;
    for (size_t i = 0; i < len; i++)
        words += line[i] == ' ';
    if (words > 24)
        return NULL;
    char buf[241];
    /* Patterns see the line without a leading bullet. */
    size_t skip = 0;
    static const char *const marks[] = { "•", "·", "►", "▶", "»", "*", "-", "|" };
    for (size_t b = 0; b < sizeof marks / sizeof *marks; b++) {
        size_t bl = strlen(marks[b]);
        if (len > bl && memcmp(line, marks[b], bl) == 0 && line[bl] == ' ') {
            skip = bl + 1;
            break;
        }
    }
    /* Lower-cased once here, so the patterns need no REG_ICASE. */
    for (size_t i = skip; i < len; i++) {
        char ch = line[i];
        buf[i - skip] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
    }
    buf[len - skip] = '\0';
    for (size_t i = 0; i < nz->npatterns; i++)
        if (regexec(&nz->patterns[i].re, buf, 0, NULL, 0) == 0)
            return nz->patterns[i].reason;
    /* A bullet that is a short menu item, not a sentence. */
    static const char *const bullets[] = { "•", "·", "►", "▶", "»", "* ", "- ", "| " };
    for (size_t b = 0; b < sizeof bullets / sizeof *bullets; b++) {
        size_t bl = strlen(bullets[b]);
        if (len > bl && len < 60 && memcmp(line, bullets[b], bl) == 0 &&
            !memchr(line, '.', len) && !memchr(line, ',', len))
            return "nav";
    }
    return NULL;
}

/* Copies one line into out with its spaces collapsed; returns its length. */
static size_t squeeze(const char *s, size_t len, char *out)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ') {
            space = 1;
            continue;
        }
        if (space && o)
            out[o++] = ' ';
        space = 0;
        out[o++] = s[i];
    }
    return o;
}

typedef struct counts {
    int64_t by_reason_n[16];
    const char *by_reason[16];
    size_t nreasons;
    int64_t removed;
} counts;

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

/* A footer glued to the last paragraph ("... officers. All Content by
 * Mehr News Agency is licensed under ..."): the last sentences of the
 * text are tested like lines, and cut when they are footers. */
static size_t cut_trailing_footer(const normalize *nz, char *out, size_t olen,
                                  counts *c, galley_array *removed)
{
    for (int round = 0; round < 3 && olen > 0; round++) {
        size_t line_start = olen;
        while (line_start > 0 && out[line_start - 1] != '\n')
            line_start--;
        size_t k = olen;
        while (k > line_start + 2 && !(out[k - 1] == ' ' && (out[k - 2] == '.' || out[k - 2] == '"')))
            k--;
        if (k <= line_start + 2 || olen - k > 240)
            return olen;
        const char *reason = classify(nz, out + k, olen - k);
        if (!reason || (strcmp(reason, "footer") != 0 && strcmp(reason, "social") != 0))
            return olen;
        count_reason(c, reason);
        if (removed) {
            galley_object *r = galley_array_push_object(removed);
            galley_object_set_strn(r, "line", out + k, olen - k);
            galley_object_set_str(r, "reason", reason);
        }
        while (k > line_start && out[k - 1] == ' ')
            k--;
        olen = k;
        out[olen] = '\0';
    }
    return olen;
}

static int same_text_ci(const char *a, size_t al, const char *b)
{
    size_t bl = strlen(b);
    return al == bl && strncasecmp(a, b, al) == 0;
}

static int normalize_process(void *self, galley_doc *doc, galley_error *err)
{
    normalize *nz = self;
    const struct normalize_options *o = nz->opt;
    galley_arena *a = galley_doc_arena(doc);
    const char *text = galley_doc_text(doc);
    size_t len = galley_doc_text_len(doc);
    int64_t entities = 0, tags = 0, mojibake = 0, chars = 0;
    nz_buf b;

    if (o->decode_entities && memchr(text, '&', len)) {
        nz_buf_init(&b, a, len);
        entities = (int64_t)nz_decode_entities(text, len, &b);
        text = b.data, len = b.len;
    }
    if (o->strip_html && memchr(text, '<', len) && nz_looks_like_html(text, len)) {
        nz_buf_init(&b, a, len);
        tags = (int64_t)nz_strip_tags(text, len, &b);
        text = b.data, len = b.len;
        /* References inside tags' text come out only now. */
        if (o->decode_entities && memchr(text, '&', len)) {
            nz_buf_init(&b, a, len);
            entities += (int64_t)nz_decode_entities(text, len, &b);
            text = b.data, len = b.len;
        }
    }
    if (o->repair_mojibake) {
        nz_buf_init(&b, a, len);
        mojibake = (int64_t)nz_repair_mojibake(text, len, &b);
        text = b.data, len = b.len;
    }
    nz_buf_init(&b, a, len);
    chars = (int64_t)nz_clean_chars(text, len, o->straighten_quotes, &b);
    text = b.data, len = b.len;
    if (o->form == 1 || nz_needs_nfc(text, len)) {
        size_t n;
        char *t = galley_normalize(a, text, len, o->form == 1 ? GALLEY_NFKC : GALLEY_NFC, &n);
        if (t)
            text = t, len = n;
    }

    /* Lines: trimmed, spaces collapsed, boilerplate out, blank runs
     * made one blank line. */
    galley_object *meta = galley_doc_meta(doc);
    const char *title = galley_object_get_str(meta, "title");
    galley_array *removed = o->keep_removed ? galley_object_set_array(meta, "removed_lines") : NULL;
    counts c = { 0 };
    char *out = galley_arena_alloc(a, len + 1);
    size_t olen = 0;
    int pending_blank = 0, first = 1;
    size_t i = 0;
    while (i <= len) {
        const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t)(nl - text) : len;
        char *line = out + olen + (olen ? 1 : 0);
        size_t ll = squeeze(text + i, e - i, line);
        i = e + 1;
        if (ll == 0) {
            pending_blank = olen > 0;
            if (!nl)
                break;
            continue;
        }
        const char *reason = o->boilerplate ? classify(nz, line, ll) : NULL;
        if (!reason && first && o->drop_title_line && title && same_text_ci(line, ll, title))
            reason = "title";
        if (reason) {
            count_reason(&c, reason);
            if (removed) {
                galley_object *r = galley_array_push_object(removed);
                galley_object_set_strn(r, "line", line, ll);
                galley_object_set_str(r, "reason", reason);
            }
            if (!nl)
                break;
            continue;
        }
        /* Place the kept line: after a newline (two for a paragraph gap). */
        if (olen) {
            memmove(out + olen + 1 + pending_blank, line, ll);
            out[olen++] = '\n';
            if (pending_blank)
                out[olen++] = '\n';
            line = out + olen;
        }
        olen += ll;
        pending_blank = 0;
        first = 0;
        if (!nl)
            break;
    }
    out[olen] = '\0';
    olen = cut_trailing_footer(nz, out, olen, &c, removed);

    /* The dateline leaves the text for metadata. */
    if (o->dateline && olen) {
        regmatch_t m[2];
        char head[161];
        size_t hl = olen < 160 ? olen : 160;
        memcpy(head, out, hl);
        head[hl] = '\0';
        if (regexec(&nz->dateline, head, 2, m, 0) == 0 ||
            regexec(&nz->dateline_agency, head, 2, m, 0) == 0) {
            size_t end = (size_t)m[0].rm_eo;
            /* The story starts right after: a capital, a quotation mark,
             * a non-ASCII letter, or the next line. */
            unsigned char next = end < olen ? (unsigned char)out[end] : '\n';
            if (next == '\n' || (next >= 'A' && next <= 'Z') || next == '"' || next >= 0x80) {
                galley_object_set_strn(meta, "dateline", out + m[1].rm_so,
                                       (size_t)(m[1].rm_eo - m[1].rm_so));
                while (end < olen && (out[end] == '\n' || out[end] == ' '))
                    end++;
                out += end;
                olen -= end;
            }
        }
    }

    if (olen == 0) {
        galley_doc_reject(doc, "empty");
        return 0;
    }
    if (galley_doc_set_text(doc, out, olen) < 0)
        return galley_error_set(err, "the document already has layers: put normalize first");
    galley_object *stats = galley_object_set_object(meta, "normalize");
    galley_object_set_int(stats, "entities_decoded", entities);
    galley_object_set_int(stats, "tags_removed", tags);
    galley_object_set_int(stats, "mojibake_repaired", mojibake);
    galley_object_set_int(stats, "chars_changed", chars);
    galley_object *lr = galley_object_set_object(stats, "lines_removed");
    for (size_t k = 0; k < c.nreasons; k++)
        galley_object_set_int(lr, c.by_reason[k], c.by_reason_n[k]);
    return 0;
}

GALLEY_STAGE(normalize) = {
    GALLEY_STAGE_HEADER,
    .name = "normalize",
    .version = "1.0",
    .summary = "repairs and cleans article text: Unicode, mojibake, entities, boilerplate, dateline",
    .options = normalize_table,
    .options_size = sizeof(struct normalize_options),
    .flags = GALLEY_STAGE_REWRITES_TEXT,
    .concurrency = GALLEY_PARALLEL,
    .create = normalize_create,
    .process = normalize_process,
    .destroy = normalize_destroy,
};
