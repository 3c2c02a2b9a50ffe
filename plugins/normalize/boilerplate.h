/* boilerplate.h - lines that are not article text: the pattern files
 * (REASON<TAB>REGEX a line, PCRE2 syntax, case-insensitive) and the line
 * features that go with them. Also the regex helper the dateline uses. */
#ifndef NORMALIZE_BOILERPLATE_H
#define NORMALIZE_BOILERPLATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <galley/galley.h>

typedef struct normalize_pattern {
    char *reason;
    char *source; /* the regex as written */
    pcre2_code *re;
    int alone; /* matched on its own, never in `combined` */
} normalize_pattern;

/* One instance per worker: the match data is not shared. */
typedef struct normalize_boilerplate {
    normalize_pattern *patterns;
    size_t n;
    pcre2_code *combined; /* every pattern not `alone`, as alternatives */
    pcre2_match_data *md;
    pcre2_match_context *mc; /* bounds the work of one match */
} normalize_boilerplate;

/* Compiles a regex (UTF-8, JIT when the machine allows it); on failure
 * returns NULL with PCRE2's message and the offset in `msg`. */
pcre2_code *normalize_regex_compile(const char *re, uint32_t flags, char *msg, size_t size);

/* Adds the patterns of one file; the error names the file and line. */
int normalize_boilerplate_load(normalize_boilerplate *bp, const char *path, galley_error *err);
/* After the last file: joins the patterns into one regex, so that a line
 * that is not boilerplate (nearly all of them) costs one match. */
int normalize_boilerplate_ready(normalize_boilerplate *bp, galley_error *err);
void normalize_boilerplate_free(normalize_boilerplate *bp);

/* The first pattern, in file order, that a line (trimmed, spaces
 * collapsed, a leading bullet and its space not seen) matches: its index
 * in `patterns`, or -1. Lines longer than 240 bytes or 24 words are
 * article text and match none. Menus are menu.h's. */
int normalize_boilerplate_match(normalize_boilerplate *bp, const char *line, size_t len);
/* The reason of the pattern the line matches, or NULL. */
const char *normalize_boilerplate_classify(normalize_boilerplate *bp, const char *line, size_t len);

#endif
