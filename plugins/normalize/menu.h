/* menu.h - site menus in article text, told apart from lists that belong
 * to the article. A menu is a run of short link-like lines ("Home",
 * "World", "• Politics", "Arts & Culture") that lies outside the
 * article's sentences, before the first or after the last, and holds a
 * known menu label (data/menu.txt) or is long; or, anywhere, a run made
 * mostly of known labels. A list the article introduces ("The measures
 * include:") is never a menu, and neither is a bulleted list between the
 * article's sentences whose items are not menu labels: bullets alone
 * decide nothing. Each document is judged on its own lines only, so the
 * result does not depend on the other documents or on the threads. */
#ifndef NORMALIZE_MENU_H
#define NORMALIZE_MENU_H

#include <stddef.h>
#include <stdint.h>
#include <galley/galley.h>

/* What the first pass of the line clean-up learns about one line. */
enum {
    NORMALIZE_LINE_BULLET = 1 << 0,   /* starts with a bullet and a space */
    NORMALIZE_LINE_LINKLIKE = 1 << 1, /* short, capitalised words, no sentence marks */
    NORMALIZE_LINE_LABEL = 1 << 2,    /* link-like and a known menu label */
    NORMALIZE_LINE_PROSE = 1 << 3,    /* a sentence or a long line: article text */
    NORMALIZE_LINE_LEADIN = 1 << 4,   /* ends with ':' (introduces what follows) */
    NORMALIZE_LINE_SKIP = 1 << 5,     /* removed already (a pattern, the title) */
    NORMALIZE_LINE_TITLE = 1 << 6,    /* repeats metadata.title */
    NORMALIZE_LINE_MENU = 1 << 7,     /* set by normalize_menu_find */
};

typedef struct normalize_line {
    uint32_t pattern; /* 1 + the boilerplate pattern it matched, or 0 */
    uint8_t flags;    /* NORMALIZE_LINE_* */
} normalize_line;

/* The known menu labels, lower case, sorted. */
typedef struct normalize_menu {
    char **labels;
    size_t n;
} normalize_menu;

/* Reads a label file (one label a line); the error names file and line. */
int normalize_menu_load(normalize_menu *m, const char *path, galley_error *err);
void normalize_menu_free(normalize_menu *m);

/* The NORMALIZE_LINE_BULLET, _LINKLIKE, _LABEL, _PROSE and _LEADIN flags of one
 * line (trimmed, spaces collapsed). */
unsigned normalize_menu_features(const normalize_menu *m, const char *line, size_t len);

/* Sets NORMALIZE_LINE_MENU on every line of lines[0..n) that belongs to a menu
 * (lines with NORMALIZE_LINE_SKIP are passed over). Linear in n. */
void normalize_menu_find(normalize_line *lines, size_t n);

#endif
