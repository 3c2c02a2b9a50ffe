/* json_read.c - one JSON line straight into a document, with no tree in
 * between: a strict recursive-descent scanner (RFC 8259) whose strings
 * are decoded once, into a scratch buffer (the text) or into galley
 * values (the metadata). Bad bytes are repaired and counted as the
 * readers do for text files: invalid UTF-8 and lone surrogate escapes
 * become U+FFFD, and so does U+0000 in the text and the id (a document's
 * text and id never hold NUL). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/json_bytes.h"
#include "io/json_read.h"

#define MAX_DEPTH 2048 /* as jansson's parser */
#define REPLACEMENT "\xEF\xBF\xBD"

typedef struct scanner {
    const char *start, *p, *end;
    gl_json_scratch *scratch;
    uint64_t repaired;
    int depth;
    int failed;
    galley_error *err;
} scanner;

/* Records the first syntax error, with its byte position (1-based). */
static void fail(scanner *s, const char *fmt, ...) GALLEY_PRINTF(2, 3);
static void fail(scanner *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    s->failed = 1;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    galley_error_set(s->err, "malformed JSON at byte %zu: %s", (size_t)(s->p - s->start) + 1, what);
}

/* Skips JSON whitespace. */
static void skip_ws(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* The value of one hex digit, or -1. */
static int hex(int c)
{
    static const signed char table[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
        ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
        ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    };
    return table[(unsigned char)c] - 1;
}

/* Four hex digits after "\u"; -1 when they are not. */
static long hex4(scanner *s)
{
    if (s->end - s->p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex(s->p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    s->p += 4;
    return v;
}

/* One \u escape (the "\u" already read), a surrogate pair as one code
 * point; a lone surrogate becomes U+FFFD (repaired). */
static void unicode_escape(scanner *s, gl_buf *out, int no_nul)
{
    long cp = hex4(s);
    if (cp < 0) {
        fail(s, "\\u must be followed by four hex digits");
        return;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
        const char *save = s->p;
        s->p += 2;
        long lo = hex4(s);
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
            s->p = save; /* not a pair: the second escape stands alone */
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp == 0 && no_nul)) {
        gl_buf_add(out, REPLACEMENT, 3);
        s->repaired++;
        return;
    }
    char enc[4];
    gl_buf_add(out, enc, galley_utf8_encode((int32_t)cp, enc));
}

/* Copies raw bytes [from, to) of a string, repairing invalid UTF-8. */
static void raw_bytes(scanner *s, gl_buf *out, const char *from, const char *to)
{
    size_t n = (size_t)(to - from);
    if (galley_utf8_valid(from, n)) {
        gl_buf_add(out, from, n);
        return;
    }
    while (from < to) {
        int32_t cp;
        size_t k = galley_utf8_decode(from, (size_t)(to - from), &cp);
        if (cp == 0xFFFD && !(k == 3 && memcmp(from, REPLACEMENT, 3) == 0))
            s->repaired++;
        if (cp == 0xFFFD)
            gl_buf_add(out, REPLACEMENT, 3);
        else
            gl_buf_add(out, from, k);
        from += k;
    }
}

/* A string (the opening quote is at s->p), decoded and appended to out.
 * `no_nul`: \u0000 becomes U+FFFD (the text and the id). */
static void scan_string(scanner *s, gl_buf *out, int no_nul)
{
    s->p++;
    for (;;) {
        const char *run = s->p;
        uint64_t w;
        while (s->end - s->p >= 8 && (memcpy(&w, s->p, 8), !gl_json_word_special(w)))
            s->p += 8;
        while (s->p < s->end && !gl_json_byte_special((unsigned char)*s->p))
            s->p++;
        if (s->p > run)
            raw_bytes(s, out, run, s->p);
        if (s->p >= s->end) {
            fail(s, "the string does not end");
            return;
        }
        char c = *s->p++;
        if (c == '"')
            return;
        if (c != '\\') {
            s->p--;
            fail(s, "control character 0x%02x inside a string (escape it)", (unsigned char)c);
            return;
        }
        if (s->p >= s->end) {
            fail(s, "the string does not end");
            return;
        }
        static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
        const char *e = memchr(plain, *s->p, sizeof plain - 1);
        if (e) {
            gl_buf_addc(out, decoded[e - plain]);
            s->p++;
        } else if (*s->p == 'u') {
            s->p++;
            unicode_escape(s, out, no_nul);
        } else {
            fail(s, "invalid escape \\%c", *s->p);
        }
        if (s->failed)
            return;
    }
}

/* A number, as an int when it is one that fits, else as a real. */
static void scan_number(scanner *s, galley_object *o, const char *key, galley_array *arr)
{
    const char *b = s->p;
    if (s->p < s->end && *s->p == '-')
        s->p++;
    const char *digits = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    if (s->p == digits || (*digits == '0' && s->p - digits > 1)) {
        fail(s, "invalid number");
        return;
    }
    int real = 0;
    if (s->p < s->end && *s->p == '.') {
        const char *frac = ++s->p;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
            s->p++;
        if (s->p == frac) {
            fail(s, "invalid number (digits must follow the point)");
            return;
        }
        real = 1;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        const char *exp = s->p;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
            s->p++;
        if (s->p == exp) {
            fail(s, "invalid number (digits must follow the exponent)");
            return;
        }
        real = 1;
    }
    gl_buf *nb = &s->scratch->number;
    nb->len = 0;
    gl_buf_add(nb, b, (size_t)(s->p - b));
    errno = 0;
    char *endp;
    if (!real) {
        long long v = strtoll(nb->data, &endp, 10);
        if (errno == 0) {
            if (o)
                galley_object_set_int(o, key, v);
            else
                galley_array_push_int(arr, v);
            return;
        }
    }
    double r = strtod(nb->data, &endp);
    if (o)
        galley_object_set_real(o, key, r);
    else
        galley_array_push_real(arr, r);
}

/* A literal word: true, false or null. */
static int scan_word(scanner *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) >= n && memcmp(s->p, w, n) == 0) {
        s->p += n;
        return 1;
    }
    fail(s, "unexpected character '%c'", *s->p);
    return 0;
}

static void scan_value(scanner *s, galley_object *o, const char *key, galley_array *arr);

/* What to do with one member of an object: its name (a copy that stays
 * until the line is done) and the value at s->p. */
typedef void (*member_fn)(scanner *s, const char *key, void *ctx);

/* The members of an object (the '{' at s->p), each handed to fn. */
static void scan_object(scanner *s, member_fn fn, void *ctx)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return;
    }
    gl_buf *key = &s->scratch->key;
    for (;;) {
        skip_ws(s);
        if (s->p >= s->end || *s->p != '"') {
            fail(s, "expected a member name in quotes");
            return;
        }
        key->len = 0;
        scan_string(s, key, 0);
        gl_buf_addc(key, '\0');
        skip_ws(s);
        if (!s->failed && (s->p >= s->end || *s->p++ != ':'))
            fail(s, "expected ':' after the member name");
        if (s->failed)
            return;
        /* The key buffer is reused by nested objects: keep a copy. */
        fn(s, galley_arena_strdup(s->scratch->junk_keys, key->data), ctx);
        skip_ws(s);
        if (s->failed)
            return;
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return;
        }
        fail(s, "expected ',' or '}' in an object");
        return;
    }
}

/* A member of a nested object: its value under its name in `into`. */
static void member_into(scanner *s, const char *key, void *into)
{
    scan_value(s, into, key, NULL);
}

/* An object's members (the '{' at s->p) into `into`. */
static void scan_members(scanner *s, galley_object *into)
{
    scan_object(s, member_into, into);
}

/* An array's elements (the '[' at s->p) into `into`. */
static void scan_elements(scanner *s, galley_array *into)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return;
    }
    for (;;) {
        scan_value(s, NULL, NULL, into);
        skip_ws(s);
        if (s->failed)
            return;
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return;
        }
        fail(s, "expected ',' or ']' in an array");
        return;
    }
}

/* One value, set as o[key] or pushed onto arr. */
static void scan_value(scanner *s, galley_object *o, const char *key, galley_array *arr)
{
    skip_ws(s);
    if (s->p >= s->end) {
        fail(s, "a value is missing");
        return;
    }
    if (++s->depth > MAX_DEPTH) {
        fail(s, "nested more than %d deep", MAX_DEPTH);
        return;
    }
    switch (*s->p) {
    case '{':
        scan_members(s, o ? galley_object_set_object(o, key) : galley_array_push_object(arr));
        break;
    case '[':
        scan_elements(s, o ? galley_object_set_array(o, key) : galley_array_push_array(arr));
        break;
    case '"': {
        gl_buf *b = &s->scratch->string;
        b->len = 0;
        scan_string(s, b, 0);
        if (o)
            galley_object_set_strn(o, key, b->data ? b->data : "", b->len);
        else
            galley_array_push_strn(arr, b->data ? b->data : "", b->len);
        break;
    }
    case 't':
        if (scan_word(s, "true"))
            o ? galley_object_set_bool(o, key, 1) : galley_array_push_bool(arr, 1);
        break;
    case 'f':
        if (scan_word(s, "false"))
            o ? galley_object_set_bool(o, key, 0) : galley_array_push_bool(arr, 0);
        break;
    case 'n':
        if (scan_word(s, "null"))
            o ? galley_object_set_null(o, key) : galley_array_push_null(arr);
        break;
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
            scan_number(s, o, key, arr);
        else
            fail(s, "unexpected character '%c'", *s->p);
    }
    s->depth--;
}

/* ---- the document's own fields -------------------------------------------- */

/* What the top level's special members gave. */
typedef struct fields {
    int have_text, text_not_string;
    int have_id;
} fields;

/* A top-level member: the text and id fields, a "metadata" object
 * (galley's own output read back), or a metadata field. */
static void top_member(scanner *s, const gl_input_opts *o, const char *key, fields *f,
                       galley_object *meta)
{
    skip_ws(s);
    gl_json_scratch *sc = s->scratch;
    int is_string = s->p < s->end && *s->p == '"';
    if (strcmp(key, o->text_field) == 0) {
        if (is_string) {
            sc->text.len = 0;
            scan_string(s, &sc->text, 1);
            f->have_text = 1;
            f->text_not_string = 0;
            return;
        }
        f->text_not_string = 1;
        f->have_text = 0;
        galley_arena_reset(sc->junk_arena);
        scan_value(s, galley_object_new(sc->junk_arena), "x", NULL);
        return;
    }
    if (strcmp(key, o->id_field) == 0) {
        sc->id.len = 0;
        if (is_string) {
            scan_string(s, &sc->id, 1);
            f->have_id = sc->id.len > 0;
            return;
        }
        /* An integer id is written in decimal; anything else is ignored. */
        galley_arena_reset(sc->junk_arena);
        galley_object *tmp = galley_object_new(sc->junk_arena);
        scan_value(s, tmp, "id", NULL);
        const galley_value *v = galley_object_get(tmp, "id");
        f->have_id = v && galley_value_type(v) == GALLEY_INT;
        if (f->have_id)
            gl_buf_printf(&sc->id, "%lld", (long long)galley_value_int(v));
        return;
    }
    if (strcmp(key, "metadata") == 0 && s->p < s->end && *s->p == '{') {
        scan_members(s, meta);
        return;
    }
    scan_value(s, meta, key, NULL);
}

/* What top_member needs besides the scanner. */
typedef struct top_ctx {
    const gl_input_opts *o;
    fields *f;
    galley_object *meta;
} top_ctx;

/* A top-level member, through scan_object. */
static void top_member_of(scanner *s, const char *key, void *ctx)
{
    top_ctx *t = ctx;
    top_member(s, t->o, key, t->f, t->meta);
}

/* The top-level object's members (the '{' at s->p). */
static void scan_top(scanner *s, const gl_input_opts *o, fields *f, galley_object *meta)
{
    top_ctx t = { o, f, meta };
    scan_object(s, top_member_of, &t);
}

void gl_json_scratch_init(gl_json_scratch *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->meta_arena = galley_arena_new(0);
    sc->junk_arena = galley_arena_new(0);
    sc->junk_keys = galley_arena_new(0);
}

void gl_json_scratch_free(gl_json_scratch *sc)
{
    gl_buf_free(&sc->text);
    gl_buf_free(&sc->id);
    gl_buf_free(&sc->key);
    gl_buf_free(&sc->string);
    gl_buf_free(&sc->number);
    galley_arena_free(sc->meta_arena);
    galley_arena_free(sc->junk_arena);
    galley_arena_free(sc->junk_keys);
}

galley_doc *gl_json_read_doc(const char *line, size_t len, const char *source,
                             const gl_input_opts *o, gl_json_scratch *sc, uint64_t *repaired,
                             const char **reason, galley_error *err)
{
    scanner s = { .start = line, .p = line, .end = line + len, .scratch = sc, .err = err };
    galley_arena_reset(sc->meta_arena);
    galley_arena_reset(sc->junk_keys);
    galley_object *meta = galley_object_new(sc->meta_arena);
    fields f = { 0 };
    skip_ws(&s);
    if (s.p < s.end && *s.p == '{') {
        scan_top(&s, o, &f, meta);
    } else {
        /* Valid JSON of another kind is told apart from garbage. */
        galley_arena_reset(sc->junk_arena);
        scan_value(&s, galley_object_new(sc->junk_arena), "x", NULL);
        skip_ws(&s);
        if (!s.failed && s.p == s.end) {
            *reason = "not_an_object";
            galley_error_set(err, "the line is JSON but not an object");
            return NULL;
        }
    }
    skip_ws(&s);
    if (!s.failed && s.p != s.end)
        fail(&s, "garbage after the object");
    if (s.failed) {
        *reason = "malformed_json";
        return NULL;
    }
    if (!f.have_text) {
        *reason = "missing_text";
        galley_error_set(err,
                         f.text_not_string ? "field \"%s\" is not a string"
                                           : "no field \"%s\" (set input.text_field)",
                         o->text_field);
        return NULL;
    }
    *repaired += s.repaired;
    galley_doc *doc = galley_doc_new(f.have_id ? sc->id.data : source,
                                     sc->text.data ? sc->text.data : "", sc->text.len);
    galley_doc_set_source(doc, source);
    galley_object *dm = galley_doc_meta(doc);
    for (size_t i = 0; i < galley_object_size(meta); i++)
        galley_object_set_value(dm, galley_object_key_at(meta, i), galley_object_value_at(meta, i));
    return doc;
}
