/* boilerplate.c - pattern files and the classification of one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boilerplate.h"

pcre2_code *normalize_regex_compile(const char *re, uint32_t flags, char *msg, size_t size)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, flags | PCRE2_UTF, &code,
                                  &offset, NULL);
    if (!c) {
        char text[256];
        pcre2_get_error_message(code, (PCRE2_UCHAR *)text, sizeof text);
        snprintf(msg, size, "%s at offset %zu", text, (size_t)offset);
        return NULL;
    }
    /* Without JIT (no executable memory) the interpreter still works. */
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

/* Can the pattern be one alternative of a larger regex and mean the
 * same? Not when it numbers groups (back references, subroutine calls),
 * quotes to its end (\Q), or sets options or verbs that reach past it. */
static int combinable(const char *re, const pcre2_code *c)
{
    uint32_t backrefs = 0;
    pcre2_pattern_info(c, PCRE2_INFO_BACKREFMAX, &backrefs);
    if (backrefs)
        return 0;
    static const char *const unsafe[] = { "\\Q", "(?", "(*", "\\g", "\\k" };
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++)
        if (strstr(re, unsafe[i]))
            return 0;
    return 1;
}

/* One line: REASON<TAB>REGEX. */
static int pattern_line(void *ctx, char *line, size_t len, galley_error *err)
{
    (void)len;
    normalize_boilerplate *bp = ctx;
    char *tab = strchr(line, '\t');
    if (!tab || tab == line || !tab[1])
        return galley_error_set(err, "expected REASON<TAB>REGEX");
    *tab = '\0';
    char msg[300];
    pcre2_code *re = normalize_regex_compile(tab + 1, PCRE2_CASELESS, msg, sizeof msg);
    if (!re)
        return galley_error_set(err, "bad pattern: %s", msg);
    normalize_pattern *grown = realloc(bp->patterns, (bp->n + 1) * sizeof *bp->patterns);
    if (!grown) {
        pcre2_code_free(re);
        return galley_error_set(err, "out of memory");
    }
    bp->patterns = grown;
    bp->patterns[bp->n++] =
        (normalize_pattern){ strdup(line), strdup(tab + 1), re, !combinable(tab + 1, re) };
    return 0;
}

int normalize_boilerplate_load(normalize_boilerplate *bp, const char *path, galley_error *err)
{
    return galley_read_data_file(path, "boilerplate patterns", pattern_line, bp, err);
}

int normalize_boilerplate_ready(normalize_boilerplate *bp, galley_error *err)
{
    size_t size = 1;
    for (size_t i = 0; i < bp->n; i++)
        size += strlen(bp->patterns[i].source) + 6;
    char *all = malloc(size);
    if (!all)
        return galley_error_set(err, "out of memory");
    size_t len = 0;
    for (size_t i = 0; i < bp->n; i++)
        if (!bp->patterns[i].alone)
            len += (size_t)sprintf(all + len, "%s(?:%s)", len ? "|" : "", bp->patterns[i].source);
    all[len] = '\0';
    char msg[300];
    /* Too large a regex for PCRE2 leaves every pattern to match alone. */
    bp->combined = len ? normalize_regex_compile(all, PCRE2_CASELESS, msg, sizeof msg) : NULL;
    if (!bp->combined)
        for (size_t i = 0; i < bp->n; i++)
            bp->patterns[i].alone = 1;
    free(all);
    bp->md = pcre2_match_data_create(16, NULL);
    bp->mc = pcre2_match_context_create(NULL);
    if (!bp->md || !bp->mc)
        return galley_error_set(err, "out of memory");
    pcre2_set_match_limit(bp->mc, 100000);
    pcre2_set_depth_limit(bp->mc, 1000);
    return 0;
}

void normalize_boilerplate_free(normalize_boilerplate *bp)
{
    for (size_t i = 0; i < bp->n; i++) {
        pcre2_code_free(bp->patterns[i].re);
        free(bp->patterns[i].reason);
        free(bp->patterns[i].source);
    }
    free(bp->patterns);
    pcre2_code_free(bp->combined);
    pcre2_match_data_free(bp->md);
    pcre2_match_context_free(bp->mc);
    memset(bp, 0, sizeof *bp);
}

/* A match within the limits: > 0 a match, PCRE2_ERROR_NOMATCH none, and
 * another negative code when the limits ran out. Without PCRE2's UTF
 * check, which would cost a pass per pattern: every line is cut at ASCII
 * bytes out of the document's text, valid UTF-8 (galley_doc_new and
 * galley_doc_set_text repair it) and kept valid by every repair. */
static int match(normalize_boilerplate *bp, const pcre2_code *re, const char *s, size_t len)
{
    return pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, bp->md, bp->mc);
}

/* Marks that patterns do not see when a space follows them. */
static const char *const marks[] = { "•", "·", "►", "▶", "»", "*", "-", "|" };

int normalize_boilerplate_match(normalize_boilerplate *bp, const char *line, size_t len)
{
    /* Boilerplate lines are short (240 bytes, 24 words at most); longer
     * lines are body and skip the patterns, which keeps the stage fast. */
    if (len > 240)
        return -1;
    size_t words = 1;
    for (size_t i = 0; i < len; i++)
        words += line[i] == ' ';
    if (words > 24)
        return -1;
    size_t skip = 0;
    for (size_t b = 0; b < sizeof marks / sizeof *marks; b++) {
        size_t bl = strlen(marks[b]);
        if (len > bl && memcmp(line, marks[b], bl) == 0 && line[bl] == ' ') {
            skip = bl + 1;
            break;
        }
    }
    const char *s = line + skip;
    size_t n = len - skip;
    /* Most lines match no pattern: one match of the combined regex says
     * so; otherwise (a match, or the limits ran out in one pattern) the
     * patterns are tried in file order and the first match names the
     * reason. A pattern that runs out of its limits does not match: the
     * line stays, as removing article text is the worse mistake. */
    int maybe = !bp->combined || match(bp, bp->combined, s, n) != PCRE2_ERROR_NOMATCH;
    for (size_t i = 0; i < bp->n; i++)
        if ((maybe || bp->patterns[i].alone) && match(bp, bp->patterns[i].re, s, n) > 0)
            return (int)i;
    return -1;
}

const char *normalize_boilerplate_classify(normalize_boilerplate *bp, const char *line, size_t len)
{
    int i = normalize_boilerplate_match(bp, line, len);
    return i < 0 ? NULL : bp->patterns[i].reason;
}
