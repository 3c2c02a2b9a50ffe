/* options.c - declarative option tables: the single source of truth for
 * defaults, validation, the fill of options structs, and the docs. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config/options.h"

/* Where option opt's value lives in the options struct dst. The caller reads or
 * writes it as the C type of the option's type (int for BOOL and ENUM, int64_t,
 * double, const char *, galley_strlist), which GALLEY_FIELD checks where the
 * table is compiled. */
static void *field(void *dst, const galley_option *opt)
{
    return (char *)dst + opt->offset;
}

const char *gl_option_type_name(galley_option_type t)
{
    static const char *const names[] = {
        [GALLEY_OPT_BOOL] = "bool",     [GALLEY_OPT_INT] = "int",     [GALLEY_OPT_REAL] = "number",
        [GALLEY_OPT_STRING] = "string", [GALLEY_OPT_ENUM] = "choice", [GALLEY_OPT_LIST] = "list",
    };
    return t >= GALLEY_OPT_BOOL && t <= GALLEY_OPT_LIST ? names[t] : "?";
}

const galley_option *gl_options_find(const galley_option *table, const char *name)
{
    for (const galley_option *o = table; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/* Whether the table gives opt a range to check: a row opts out with min > max,
 * as the GALLEY_OPTION_ macros do for the types that have none. */
static int has_range(const galley_option *opt)
{
    return opt->min <= opt->max;
}

/* Checks a number given for opt against its range, when it has one (NaN never
 * passes). Returns 0, or -1 with err set to a message that gives the range and
 * the value. */
static int check_range(const galley_option *opt, double v, galley_error *err)
{
    if (has_range(opt) && (v < opt->min || v > opt->max || isnan(v)))
        return galley_error_set(err, "option \"%s\" must be between %.16g and %.16g, got %.16g",
                                opt->name, opt->min, opt->max, v);
    return 0;
}

/* Sets the ENUM option opt in dst to the index of v among its choices. An
 * unknown value is an error that names the choice it is probably a typo of, or
 * else lists every allowed one. */
static int set_enum(const galley_option *opt, void *dst, const char *v, galley_error *err)
{
    for (int i = 0; opt->choices && opt->choices[i]; i++)
        if (strcmp(opt->choices[i], v) == 0) {
            *(int *)field(dst, opt) = i;
            return 0;
        }
    char list[512] = "";
    for (int i = 0; opt->choices && opt->choices[i]; i++) {
        if (i)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, opt->choices[i], sizeof list - strlen(list) - 1);
    }
    const char *guess = gl_did_you_mean(v, opt->choices);
    if (guess)
        return galley_error_set(err, "option \"%s\": unknown value \"%s\" (did you mean \"%s\"?)",
                                opt->name, v, guess);
    return galley_error_set(err, "option \"%s\": unknown value \"%s\" (allowed: %s)", opt->name, v,
                            list);
}

/* String values end up in the output (a metadata key, a column name) or
 * name files: text, so valid UTF-8, or the output would not be JSON. */
static int check_utf8(const galley_option *opt, const char *v, galley_error *err)
{
    if (galley_utf8_valid(v, strlen(v)))
        return 0;
    return galley_error_set(err, "option \"%s\" must be valid UTF-8 text", opt->name);
}

/* Sets the LIST option opt in dst to copies of the n strings of items, made in
 * arena a with a NULL-terminated array, so items may be temporary (a libconfig
 * setting, a buffer being parsed). */
static void set_list(void *dst, const galley_option *opt, const char **items, size_t n,
                     galley_arena *a)
{
    galley_strlist *l = field(dst, opt);
    const char **copy = galley_arena_calloc(a, n + 1, sizeof *copy);
    for (size_t i = 0; i < n; i++)
        copy[i] = galley_arena_strdup(a, items[i]);
    l->n = n;
    l->items = copy;
}

/* A list written as in a config, ["a", "b"] or ("a", "b") (a --set of
 * output.columns, say): read by libconfig, so quoting and commas inside
 * the strings mean what they mean in the file. */
static int set_list_literal(const galley_option *opt, void *dst, const char *text, galley_arena *a,
                            galley_error *err)
{
    size_t n = strlen(text) + 16;
    char *src = gl_xmalloc(n);
    snprintf(src, n, "v = %s;", text);
    config_t cfg;
    config_init(&cfg);
    int rc;
    if (config_read_string(&cfg, src) != CONFIG_TRUE)
        rc = galley_error_set(err, "option \"%s\": cannot read the list %s: %s", opt->name, text,
                              config_error_text(&cfg));
    else
        rc = gl_options_set_setting(opt, dst, config_lookup(&cfg, "v"), a, err);
    config_destroy(&cfg);
    free(src);
    return rc;
}

int gl_options_set_text(const galley_option *opt, void *dst, const char *text, galley_arena *a,
                        galley_error *err)
{
    char *end;
    switch (opt->type) {
    case GALLEY_OPT_BOOL: {
        static const char *const yes[] = { "true", "yes", "on", "1", NULL };
        static const char *const no[] = { "false", "no", "off", "0", NULL };
        for (int i = 0; yes[i]; i++)
            if (strcasecmp(text, yes[i]) == 0) {
                *(int *)field(dst, opt) = 1;
                return 0;
            }
        for (int i = 0; no[i]; i++)
            if (strcasecmp(text, no[i]) == 0) {
                *(int *)field(dst, opt) = 0;
                return 0;
            }
        return galley_error_set(err, "option \"%s\" must be true or false, got \"%s\"", opt->name,
                                text);
    }
    case GALLEY_OPT_INT: {
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (*text == '\0' || *end != '\0' || errno)
            return galley_error_set(err, "option \"%s\" must be an integer, got \"%s\"", opt->name,
                                    text);
        if (check_range(opt, (double)v, err) < 0)
            return -1;
        *(int64_t *)field(dst, opt) = v;
        return 0;
    }
    case GALLEY_OPT_REAL: {
        errno = 0;
        double v = strtod(text, &end);
        if (*text == '\0' || *end != '\0' || errno || !isfinite(v))
            return galley_error_set(err, "option \"%s\" must be a number, got \"%s\"", opt->name,
                                    text);
        if (check_range(opt, v, err) < 0)
            return -1;
        *(double *)field(dst, opt) = v;
        return 0;
    }
    case GALLEY_OPT_STRING:
        if (check_utf8(opt, text, err) < 0)
            return -1;
        *(const char **)field(dst, opt) = galley_arena_strdup(a, text);
        return 0;
    case GALLEY_OPT_ENUM:
        return set_enum(opt, dst, text, err);
    case GALLEY_OPT_LIST: {
        if (text[strspn(text, " \t")] == '[' || text[strspn(text, " \t")] == '(')
            return set_list_literal(opt, dst, text, a, err);
        /* Comma-separated; an empty string is the empty list. */
        if (check_utf8(opt, text, err) < 0)
            return -1;
        size_t n = 0, cap = 8;
        const char **items = galley_arena_calloc(a, cap, sizeof *items);
        const char *p = text;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (n == cap) {
                items =
                    galley_arena_realloc(a, items, cap * sizeof *items, cap * 2 * sizeof *items);
                cap *= 2;
            }
            items[n++] = galley_arena_strndup(a, p, len);
            p += len + (comma ? 1 : 0);
        }
        set_list(dst, opt, items, n, a);
        return 0;
    }
    }
    return galley_error_set(err, "option \"%s\" has an unknown type", opt->name);
}

/* What a libconfig setting is, with its article ("an integer", "a group"), for
 * messages that say what was given where something else was wanted. */
static const char *setting_type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a bool";
    case CONFIG_TYPE_ARRAY:
        return "an array";
    case CONFIG_TYPE_LIST:
        return "a list";
    case CONFIG_TYPE_GROUP:
        return "a group";
    default:
        return "something else";
    }
}

/* Sets err to the message for a setting of the wrong type: what opt wants, what
 * it got, and a line to write instead (`example` is its value). Returns -1, so
 * a caller can return it. */
static int wrong_type(const galley_option *opt, const config_setting_t *s, const char *want,
                      const char *example, galley_error *err)
{
    return galley_error_set(err, "option \"%s\" must be %s, got %s (write %s = %s;)", opt->name,
                            want, setting_type_name(s), opt->name, example);
}

int gl_options_set_setting(const galley_option *opt, void *dst, const config_setting_t *s,
                           galley_arena *a, galley_error *err)
{
    int t = config_setting_type(s);
    switch (opt->type) {
    case GALLEY_OPT_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            return wrong_type(opt, s, "true or false", "true", err);
        *(int *)field(dst, opt) = config_setting_get_bool(s) != 0;
        return 0;
    case GALLEY_OPT_INT: {
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return wrong_type(opt, s, "an integer", opt->default_value ? opt->default_value : "1",
                              err);
        long long v = config_setting_get_int64(s);
        if (check_range(opt, (double)v, err) < 0)
            return -1;
        *(int64_t *)field(dst, opt) = v;
        return 0;
    }
    case GALLEY_OPT_REAL: {
        double v;
        if (t == CONFIG_TYPE_FLOAT)
            v = config_setting_get_float(s);
        else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
            v = (double)config_setting_get_int64(s);
        else
            return wrong_type(opt, s, "a number", opt->default_value ? opt->default_value : "0.5",
                              err);
        if (check_range(opt, v, err) < 0)
            return -1;
        *(double *)field(dst, opt) = v;
        return 0;
    }
    case GALLEY_OPT_STRING:
    case GALLEY_OPT_ENUM: {
        if (t != CONFIG_TYPE_STRING) {
            char ex[128];
            snprintf(ex, sizeof ex, "\"%s\"", opt->default_value ? opt->default_value : "...");
            return wrong_type(opt, s, "a string", ex, err);
        }
        return gl_options_set_text(opt, dst, config_setting_get_string(s), a, err);
    }
    case GALLEY_OPT_LIST: {
        if (t == CONFIG_TYPE_STRING) {
            const char *one = config_setting_get_string(s);
            if (check_utf8(opt, one, err) < 0)
                return -1;
            set_list(dst, opt, &one, 1, a);
            return 0;
        }
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
            return wrong_type(opt, s, "a list of strings", "[\"a\", \"b\"]", err);
        int n = config_setting_length(s);
        const char **items = galley_arena_calloc(a, (size_t)n + 1, sizeof *items);
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                return galley_error_set(err, "option \"%s\": element %d must be a string, got %s",
                                        opt->name, i + 1, setting_type_name(e));
            items[i] = config_setting_get_string(e);
            if (check_utf8(opt, items[i], err) < 0)
                return -1;
        }
        set_list(dst, opt, items, (size_t)n, a);
        return 0;
    }
    }
    return galley_error_set(err, "option \"%s\" has an unknown type", opt->name);
}

int gl_options_defaults(const galley_option *table, void *dst, galley_arena *a, galley_error *err)
{
    for (const galley_option *o = table; o && o->name; o++) {
        if (o->type == GALLEY_OPT_STRING && !o->default_value) {
            *(const char **)field(dst, o) = NULL;
            continue;
        }
        if (gl_options_set_text(o, dst, o->default_value ? o->default_value : "", a, err) < 0) {
            char msg[GALLEY_ERROR_MAX];
            snprintf(msg, sizeof msg, "%s", err ? err->message : "");
            return galley_error_set(err, "invalid default in option table: %s", msg);
        }
    }
    return 0;
}

/* Edit distance with transpositions (optimal string alignment), for
 * typos such as "drpo"; names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *gl_did_you_mean(const char *word, const char *const *names)
{
    const char *best = NULL;
    size_t best_d = 99;
    for (size_t i = 0; names && names[i]; i++) {
        size_t d = distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}

void gl_options_unknown(const galley_option *table, const char *const *extra, const char *name,
                        const char *what, galley_error *err)
{
    const char *names[256];
    size_t n = 0;
    for (const galley_option *o = table; o && o->name && n < 200; o++)
        names[n++] = o->name;
    for (size_t i = 0; extra && extra[i] && n < 255; i++)
        names[n++] = extra[i];
    names[n] = NULL;
    const char *guess = gl_did_you_mean(name, names);
    if (guess) {
        galley_error_set(err, "unknown %s \"%s\" (did you mean \"%s\"?)", what, name, guess);
        return;
    }
    char list[700] = "";
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    if (n)
        galley_error_set(err, "unknown %s \"%s\" (known: %s)", what, name, list);
    else
        galley_error_set(err, "unknown %s \"%s\" (this stage has no options)", what, name);
}

void gl_option_value_text(const galley_option *opt, const void *src, char *buf, size_t size)
{
    const void *f = (const char *)src + opt->offset;
    switch (opt->type) {
    case GALLEY_OPT_BOOL:
        snprintf(buf, size, "%s", *(const int *)f ? "true" : "false");
        break;
    case GALLEY_OPT_INT:
        snprintf(buf, size, "%lld", (long long)*(const int64_t *)f);
        break;
    case GALLEY_OPT_REAL:
        snprintf(buf, size, "%g", *(const double *)f);
        break;
    case GALLEY_OPT_STRING: {
        const char *s = *(const char *const *)f;
        if (s)
            snprintf(buf, size, "\"%s\"", s);
        else
            snprintf(buf, size, "(none)");
        break;
    }
    case GALLEY_OPT_ENUM:
        snprintf(buf, size, "\"%s\"", opt->choices[*(const int *)f]);
        break;
    case GALLEY_OPT_LIST: {
        const galley_strlist *l = f;
        size_t used = 0;
        used += (size_t)snprintf(buf, size, "[");
        for (size_t i = 0; i < l->n && used < size; i++)
            used +=
                (size_t)snprintf(buf + used, size - used, "%s\"%s\"", i ? ", " : "", l->items[i]);
        if (used < size)
            snprintf(buf + used, size - used, "]");
        break;
    }
    }
}

/* What opt accepts, for gl_options_print: an enum's choices, comma-separated,
 * or a number's range as MIN..MAX; the empty string when any value of its type
 * will do. Writes at most size bytes to buf, a long list cut short. */
static void describe_allowed(const galley_option *o, char *buf, size_t size)
{
    buf[0] = '\0';
    if (o->type == GALLEY_OPT_ENUM) {
        for (int i = 0; o->choices && o->choices[i]; i++) {
            strncat(buf, i ? ", " : "", size - strlen(buf) - 1);
            strncat(buf, o->choices[i], size - strlen(buf) - 1);
        }
    } else if ((o->type == GALLEY_OPT_INT || o->type == GALLEY_OPT_REAL) && has_range(o)) {
        snprintf(buf, size, "%.16g..%.16g", o->min, o->max);
    }
}

void gl_options_print(const galley_option *table, FILE *out, int markdown)
{
    if (!table || !table->name) {
        fprintf(out, markdown ? "This stage has no options.\n" : "  (no options)\n");
        return;
    }
    if (markdown)
        fprintf(out,
                "| option | type | default | allowed | description |\n"
                "|---|---|---|---|---|\n");
    for (const galley_option *o = table; o->name; o++) {
        char allowed[256];
        describe_allowed(o, allowed, sizeof allowed);
        const char *dflt = o->default_value ? o->default_value : "(none)";
        if (markdown) {
            fprintf(out, "| `%s` | %s | `%s` | %s | %s |\n", o->name, gl_option_type_name(o->type),
                    dflt, allowed[0] ? allowed : "", o->help ? o->help : "");
        } else {
            fprintf(out, "  %-18s %-7s default %s%s%s\n", o->name, gl_option_type_name(o->type),
                    dflt, allowed[0] ? "  allowed " : "", allowed);
            if (o->help)
                fprintf(out, "  %-18s %s\n", "", o->help);
        }
    }
}
