/* menu.c - the features of a line, the menu labels, and which runs of
 * lines are menus. */
#include <stdlib.h>
#include <string.h>
#include "menu.h"

/* A menu item is at most this long, in bytes and in words. */
#define ITEM_MAX_BYTES 48
#define ITEM_MAX_WORDS 5
/* A run of link-like lines outside the article's sentences is a menu
 * without a known label from this many items on. */
#define MENU_MIN_UNLABELED 4
/* Inside the article, a menu needs this many items, most of them labels. */
#define MENU_MIN_INSIDE 3
/* A line of this many words is article text even without a full stop. */
#define PROSE_MIN_WORDS 6

/* Bullets that start a list item or a menu item (followed by a space). */
#define BULLET(s)                                                                                  \
    {                                                                                              \
        s, sizeof s - 1                                                                            \
    }
static const struct {
    const char *s;
    size_t len;
} bullets[] = {
    BULLET("•"), BULLET("·"), BULLET("►"), BULLET("▶"), BULLET("»"), BULLET("*"), BULLET("-"),
    BULLET("–"), BULLET("—"), BULLET("|"), BULLET("■"), BULLET("▪"), BULLET("○"),
};
/* Small words that stay in lower case in a capitalised label. */
static const char *const connectors[] = { "&",  "a",   "an",  "and", "at", "de", "des", "du",
                                          "e",  "et",  "for", "i",   "in", "la", "le",  "of",
                                          "on", "the", "to",  "und", "y",  "/",  "+" };
/* Bytes that never occur in a menu item: sentence marks, quotation
 * marks, brackets. A table, as every byte of every short line is tested. */
static const unsigned char item_forbidden[256] = {
    ['.'] = 1, [','] = 1, [';'] = 1, [':'] = 1, ['!'] = 1, ['?'] = 1, ['"'] = 1,
    ['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
};

/* qsort's and bsearch's comparison of two label strings. */
static int label_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One line of the label file: a label, kept in lower case (ASCII). */
static int label_line(void *ctx, char *line, size_t len, galley_error *err)
{
    normalize_menu *m = ctx;
    if (len > ITEM_MAX_BYTES)
        return galley_error_set(err, "a menu label is at most %d bytes", ITEM_MAX_BYTES);
    char **grown = realloc(m->labels, (m->n + 1) * sizeof *m->labels);
    if (!grown)
        return galley_error_set(err, "out of memory");
    m->labels = grown;
    for (size_t i = 0; i < len; i++)
        if (line[i] >= 'A' && line[i] <= 'Z')
            line[i] = (char)(line[i] | 0x20);
    if (!(m->labels[m->n] = strdup(line)))
        return galley_error_set(err, "out of memory");
    m->n++;
    return 0;
}

int normalize_menu_load(normalize_menu *m, const char *path, galley_error *err)
{
    if (galley_read_data_file(path, "menu labels", label_line, m, err) < 0)
        return -1;
    qsort(m->labels, m->n, sizeof *m->labels, label_cmp);
    return 0;
}

void normalize_menu_free(normalize_menu *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->labels[i]);
    free(m->labels);
    memset(m, 0, sizeof *m);
}

/* Is s[0..n) one of the labels (ASCII case ignored)? */
static int is_label(const normalize_menu *m, const char *s, size_t n)
{
    char key[ITEM_MAX_BYTES + 1];
    if (!m->n || n > ITEM_MAX_BYTES)
        return 0;
    for (size_t i = 0; i < n; i++)
        key[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
    key[n] = '\0';
    const char *k = key;
    return bsearch(&k, m->labels, m->n, sizeof *m->labels, label_cmp) != NULL;
}

/* Does the word s[0..n) start with a capital letter (any script) or a
 * digit? */
static int capitalised(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    int32_t cp;
    galley_utf8_decode(s, n, &cp);
    return galley_cp_is_upper(cp);
}

/* Is the word s[0..n) one of the small words ("and", "of", "&", ...) that
 * may stand between a menu item's capitalised words? Case counts: the
 * list is lower case. */
static int is_connector(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof connectors / sizeof *connectors; i++)
        if (strlen(connectors[i]) == n && memcmp(connectors[i], s, n) == 0)
            return 1;
    return 0;
}

/* A menu item's shape: a few capitalised words (small connectors
 * between them allowed), no sentence or quotation marks. */
static int link_like(const char *s, size_t n)
{
    if (n == 0 || n > ITEM_MAX_BYTES)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (item_forbidden[(unsigned char)s[i]])
            return 0;
    size_t words = 0, capitals = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != ' ')
            e++;
        if (++words > ITEM_MAX_WORDS)
            return 0;
        if (capitalised(s + i, e - i))
            capitals++;
        else if (!is_connector(s + i, e - i))
            return 0;
        i = e + 1;
    }
    return capitals > 0;
}

/* Does the line end a sentence: . ! ? … or a closing quotation mark or
 * bracket after one? */
static int ends_sentence(const char *s, size_t n)
{
    static const char *const ends[] = { ".", "!", "?", "…", "”", "’", "\"", "'", ")", "»" };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t el = strlen(ends[i]);
        if (n >= el && memcmp(s + n - el, ends[i], el) == 0)
            return 1;
    }
    return 0;
}

unsigned normalize_menu_features(const normalize_menu *m, const char *line, size_t len)
{
    unsigned f = 0;
    const char *s = line;
    size_t n = len;
    /* Every bullet is '*', '-', '|' or not ASCII: most lines start with a
     * letter and are ruled out by their first byte. */
    unsigned char c0 = (unsigned char)s[0];
    for (size_t b = 0; (c0 >= 0x80 || c0 == '*' || c0 == '-' || c0 == '|') &&
         b < sizeof bullets / sizeof *bullets;
         b++) {
        size_t bl = bullets[b].len;
        if (n > bl + 1 && memcmp(s, bullets[b].s, bl) == 0 && s[bl] == ' ') {
            f |= NORMALIZE_LINE_BULLET;
            s += bl + 1;
            n -= bl + 1;
            break;
        }
    }
    if (n && s[n - 1] == ':')
        f |= NORMALIZE_LINE_LEADIN;
    /* A known label is a menu item whatever its case ("About us"). */
    if (is_label(m, s, n))
        return f | NORMALIZE_LINE_LINKLIKE | NORMALIZE_LINE_LABEL;
    if (link_like(s, n))
        return f | NORMALIZE_LINE_LINKLIKE;
    /* Words, counted only as far as the prose threshold. */
    size_t words = 1;
    for (const char *p = s; words < PROSE_MIN_WORDS && (p = memchr(p, ' ', (size_t)(s + n - p)));
         p++)
        words++;
    if (words >= PROSE_MIN_WORDS || (words >= 2 && ends_sentence(s, n)))
        f |= NORMALIZE_LINE_PROSE;
    return f;
}

void normalize_menu_find(normalize_line *lines, size_t n)
{
    size_t first_prose = n, last_prose = 0;
    for (size_t i = 0; i < n; i++)
        if ((lines[i].flags & (NORMALIZE_LINE_PROSE | NORMALIZE_LINE_SKIP)) ==
            NORMALIZE_LINE_PROSE) {
            if (first_prose == n)
                first_prose = i;
            last_prose = i;
        }
    int has_prose = first_prose < n;
    size_t i = 0;
    while (i < n) {
        unsigned f = lines[i].flags;
        if ((f & NORMALIZE_LINE_SKIP) || !(f & NORMALIZE_LINE_LINKLIKE)) {
            i++;
            continue;
        }
        /* The run: link-like lines, with lines removed already between. */
        size_t start = i, end = i, items = 0, labels = 0, j = i;
        for (; j < n && (lines[j].flags & (NORMALIZE_LINE_SKIP | NORMALIZE_LINE_LINKLIKE)); j++) {
            if (lines[j].flags & NORMALIZE_LINE_SKIP)
                continue;
            items++;
            labels += (lines[j].flags & NORMALIZE_LINE_LABEL) != 0;
            end = j;
        }
        size_t k = start;
        while (k > 0 && (lines[k - 1].flags & NORMALIZE_LINE_SKIP))
            k--;
        int introduced = k > 0 && (lines[k - 1].flags & NORMALIZE_LINE_LEADIN);
        int outside = has_prose && (end < first_prose || start > last_prose);
        int menu = !introduced &&
            ((outside && (labels > 0 || items >= MENU_MIN_UNLABELED)) ||
             (items >= MENU_MIN_INSIDE && 2 * labels >= items));
        if (menu)
            for (size_t m = start; m <= end; m++)
                if (!(lines[m].flags & NORMALIZE_LINE_SKIP))
                    lines[m].flags |= NORMALIZE_LINE_MENU;
        i = j;
    }
}
