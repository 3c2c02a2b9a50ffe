/* fuzz_util.c - the helpers of fuzz.h: failing loudly, a private
 * temporary folder, and the checks every document must pass. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: invariant broken: %s: ", file, line, cond);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* Leaks of system libraries that galley cannot free, for LeakSanitizer
 * (in the fuzzers and the replay tests alike, whatever LSAN_OPTIONS say);
 * none of galley's own code belongs here.
 * libconfig 1.5 (Debian 12): a syntax error right after a string token
 * leaks the token's text (its parser has no destructor for strings):
 * config_read_string(&cfg, "\"\"") loses 1 byte. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libconfig_yylex\nleak:strbuf_append\n";
}

/* ---- the temporary folder -------------------------------------------- */

static char dir_path[4096];

/* Removes the folder's files and the folder (at exit). The folder is flat:
 * the targets only ever write files into it. */
static void remove_dir(void)
{
    DIR *d = opendir(dir_path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096 + 260];
        snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir_path);
}

const char *fuzz_dir(void)
{
    if (dir_path[0])
        return dir_path;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir_path, sizeof dir_path, "%s/galley-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir_path)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(remove_dir);
    return dir_path;
}

const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[4096 + 260];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            perror(path);
            abort();
        }
        done += (size_t)n;
    }
    close(fd);
    return path;
}

uint8_t fuzz_take_byte(const uint8_t **data, size_t *size)
{
    if (*size == 0)
        return 0;
    uint8_t b = **data;
    (*data)++;
    (*size)--;
    return b;
}

/* ---- UTF-8 -------------------------------------------------------------- */

int fuzz_utf8_ok(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i < n)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

/* Code points of valid UTF-8. */
static size_t count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Is byte offset `at` of the text the start of a character (or its end)? */
static int on_boundary(const char *text, size_t len, size_t at)
{
    return at == len || ((unsigned char)text[at] & 0xC0) != 0x80;
}

/* ---- documents ------------------------------------------------------- */

static void check_object(const galley_object *o, const char *text, size_t len, const char *what);

/* Every GALLEY_OFFSET inside v (objects and arrays walked) is a byte
 * offset on a character boundary of the text; every string is valid
 * UTF-8 (NUL allowed: JSON carries it escaped). */
static void check_value(const galley_value *v, const char *text, size_t len, const char *what,
                        const char *key)
{
    switch (galley_value_type(v)) {
    case GALLEY_OFFSET: {
        int64_t at = galley_value_int(v);
        FUZZ_CHECK(at >= 0 && (size_t)at <= len && on_boundary(text, len, (size_t)at),
                   "%s: offset \"%s\" = %lld is not a character boundary of a text of %zu bytes",
                   what, key, (long long)at, len);
        break;
    }
    case GALLEY_STRING: {
        size_t n;
        const char *s = galley_value_str(v, &n);
        for (size_t i = 0, run = 0; i <= n; i++) {
            if (i == n || s[i] == '\0') {
                FUZZ_CHECK(fuzz_utf8_ok(s + run, i - run), "%s: string \"%s\" is not valid UTF-8",
                           what, key);
                run = i + 1;
            }
        }
        break;
    }
    case GALLEY_OBJECT:
        check_object(galley_value_object(v), text, len, what);
        break;
    case GALLEY_ARRAY: {
        const galley_array *arr = galley_value_array(v);
        for (size_t i = 0; i < galley_array_size(arr); i++)
            check_value(galley_array_at(arr, i), text, len, what, key);
        break;
    }
    default:
        break;
    }
}

/* check_value over each member of an object, whose keys must be valid
 * UTF-8 too. */
static void check_object(const galley_object *o, const char *text, size_t len, const char *what)
{
    for (size_t i = 0; i < galley_object_size(o); i++) {
        const char *key = galley_object_key_at(o, i);
        FUZZ_CHECK(fuzz_utf8_ok(key, strlen(key)), "%s: a key is not valid UTF-8", what);
        check_value(galley_object_value_at(o, i), text, len, what, key);
    }
}

/* The layers as the output has them: an array per layer, each element an
 * object with integer start <= end inside the text's code points. */
static void check_json_layers(galley_doc *doc, json_t *root, size_t ncp, const char *what)
{
    for (size_t i = 0; i < galley_doc_layer_count(doc); i++) {
        galley_layer *l = galley_doc_layer_at(doc, i);
        const char *name = galley_layer_name(l);
        json_t *arr = json_object_get(root, name);
        if (galley_layer_size(l) == 0 && !arr)
            continue; /* an empty layer may be left out */
        FUZZ_CHECK(json_is_array(arr), "%s: layer \"%s\" is not an array in the output", what,
                   name);
        FUZZ_CHECK(json_array_size(arr) == galley_layer_size(l),
                   "%s: layer \"%s\" has %zu spans, the output %zu", what, name,
                   galley_layer_size(l), json_array_size(arr));
        size_t k;
        json_t *el;
        json_array_foreach(arr, k, el)
        {
            json_t *st = json_object_get(el, "start"), *en = json_object_get(el, "end");
            FUZZ_CHECK(json_is_integer(st) && json_is_integer(en),
                       "%s: layer \"%s\" element %zu without integer start and end", what, name, k);
            json_int_t a = json_integer_value(st), b = json_integer_value(en);
            FUZZ_CHECK(a >= 0 && a <= b && (size_t)b <= ncp,
                       "%s: layer \"%s\" element %zu is [%lld, %lld) in a text of %zu code points",
                       what, name, k, (long long)a, (long long)b, ncp);
        }
    }
}

void fuzz_check_doc(galley_doc *doc, const char *what)
{
    const char *text = galley_doc_text(doc);
    size_t len = galley_doc_text_len(doc);
    FUZZ_CHECK(text != NULL && text[len] == '\0', "%s: text not NUL-terminated", what);
    FUZZ_CHECK(fuzz_utf8_ok(text, len), "%s: text of %zu bytes is not valid UTF-8", what, len);
    const char *id = galley_doc_id(doc), *source = galley_doc_source(doc);
    FUZZ_CHECK(fuzz_utf8_ok(id, strlen(id)), "%s: id is not valid UTF-8", what);
    FUZZ_CHECK(fuzz_utf8_ok(source, strlen(source)), "%s: source is not valid UTF-8", what);
    for (size_t i = 0; i < galley_doc_layer_count(doc); i++) {
        galley_layer *l = galley_doc_layer_at(doc, i);
        for (size_t k = 0; k < galley_layer_size(l); k++) {
            const galley_span *sp = galley_layer_at(l, k);
            FUZZ_CHECK(sp->start <= sp->end && sp->end <= len,
                       "%s: layer \"%s\" span %zu is [%zu, %zu) in a text of %zu bytes", what,
                       galley_layer_name(l), k, sp->start, sp->end, len);
            FUZZ_CHECK(on_boundary(text, len, sp->start) && on_boundary(text, len, sp->end),
                       "%s: layer \"%s\" span %zu [%zu, %zu) splits a character", what,
                       galley_layer_name(l), k, sp->start, sp->end);
            if (sp->fields)
                check_object(sp->fields, text, len, what);
        }
    }
    check_object(galley_doc_meta(doc), text, len, what);
    char *line = galley_doc_to_json(doc);
    FUZZ_CHECK(line != NULL, "%s: no JSON", what);
    FUZZ_CHECK(strchr(line, '\n') == NULL, "%s: the JSON line holds a newline", what);
    json_error_t jerr;
    json_t *root = json_loads(line, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    FUZZ_CHECK(json_is_object(root),
               "%s: the output is not a JSON object (%s at column %d): %.200s", what, jerr.text,
               jerr.column, line);
    json_t *jt = json_object_get(root, "text");
    FUZZ_CHECK(json_is_string(jt) && json_string_length(jt) == len &&
                   memcmp(json_string_value(jt), text, len) == 0,
               "%s: the output's text is not the document's", what);
    FUZZ_CHECK(json_is_string(json_object_get(root, "id")), "%s: the output has no id", what);
    check_json_layers(doc, root, count_code_points(text, len), what);
    json_decref(root);
    free(line);
}
