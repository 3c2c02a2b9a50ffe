/* view.c - `galley view`: reads galley's JSONL output line by line and
 * writes the page: page.html with the articles and the summary put in as
 * JSON (script_json.h keeps article text from ending the script element;
 * the page's script builds every element with textContent, never HTML).
 *
 * Each article is reshaped for the page: offsets become UTF-16 indexes
 * (what JavaScript strings index by), entities [start, end, type, name],
 * quotes [start, end, kind, speaker, speaker_start, speaker_end, cue,
 * flagged], other layers [start, end, {fields}]. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/streams.h"
#include "view/page.h"
#include "view/script_json.h"
#include "view/tally.h"
#include "view/view.h"

#define VIEW_MAX_LINE ((size_t)1 << 30)
#define NO_INDEX UINT32_MAX

typedef struct view {
    const gl_view_opts *o;
    gl_tally *tally;
    gl_view_counts *counts;
    char first_unreadable[300]; /* where and why, for the page */
    uint32_t *map;              /* offset in the file's unit -> UTF-16 index */
    size_t nmap, capmap;
    gl_buf b; /* the article being written */
    FILE *out;
    size_t written; /* articles written so far */
} view;

/* The top-level members that are not layers, or are layers drawn apart. */
static const char *const known_members[] = { "id",     "text",     "metadata",
                                             "source", "entities", "quotes" };

/* Fills v->map for `text`: for each code point (or each byte, with
 * byte_offsets) its UTF-16 index, and one more entry for the end. A byte
 * inside a character maps to NO_INDEX: no span may start or end there. */
static void build_map(view *v, const char *text, size_t len)
{
    if (v->capmap < len + 1) {
        v->capmap = len + 1;
        free(v->map);
        v->map = gl_xmalloc(v->capmap * sizeof *v->map);
    }
    uint32_t u16 = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xc0) == 0x80) {
            if (v->o->byte_offsets)
                v->map[n++] = NO_INDEX;
            continue;
        }
        v->map[n++] = u16;
        u16 += c >= 0xf0 ? 2 : 1; /* outside the BMP: a surrogate pair */
    }
    v->map[n++] = u16;
    v->nmap = n;
}

/* The UTF-16 index of offset `off`, or -1 when it is not an offset into
 * the text. */
static long long to_index(const view *v, const json_t *off)
{
    if (!json_is_integer(off))
        return -1;
    json_int_t x = json_integer_value(off);
    if (x < 0 || (size_t)x >= v->nmap || v->map[x] == NO_INDEX)
        return -1;
    return v->map[x];
}

/* The start and end of element `el` as UTF-16 indexes; 0 when they do not
 * make a span of the text (counted). */
static int span_of(view *v, const json_t *el, long long *s, long long *e)
{
    *s = to_index(v, json_object_get(el, "start"));
    *e = to_index(v, json_object_get(el, "end"));
    if (*s < 0 || *e < *s) {
        v->counts->bad_spans++;
        return 0;
    }
    return 1;
}

/* A string member, or `fallback` when it is absent or not a string. */
static const char *str_member(const json_t *el, const char *key, const char *fallback)
{
    const json_t *s = json_object_get(el, key);
    return json_is_string(s) ? json_string_value(s) : fallback;
}

/* Writes the string s (NUL-terminated), or null for NULL. */
static void add_str(gl_buf *b, const char *s)
{
    if (s)
        gl_script_json_string(b, s, strlen(s));
    else
        gl_buf_adds(b, "null");
}

/* What an element of a layer adds after its "[start,end" (the element
 * writers below); `layer` is the layer's name. */
typedef void (*element_writer)(view *v, const json_t *el, const char *layer);

/* KEY:[[start,end,...],...]: every element of `layer` (NULL: none) that is
 * an object spanning the text, the rest written by `each`; the others are
 * counted (span_of) and left out. */
static void write_spans(view *v, const char *key, const char *name, const json_t *layer,
                        element_writer each)
{
    gl_buf *b = &v->b;
    gl_script_json_string(b, key, strlen(key));
    gl_buf_adds(b, ":[");
    int first = 1;
    for (size_t i = 0; i < json_array_size(layer); i++) {
        const json_t *el = json_array_get(layer, i);
        long long s, e;
        if (!json_is_object(el) || !span_of(v, el, &s, &e))
            continue;
        gl_buf_printf(b, "%s[%lld,%lld", first ? "" : ",", s, e);
        each(v, el, name);
        gl_buf_addc(b, ']');
        first = 0;
    }
    gl_buf_addc(b, ']');
}

/* An entity: ,type,name (the name is the canonical form when there is one). */
static void entity_fields(view *v, const json_t *el, const char *layer)
{
    (void)layer;
    gl_buf *b = &v->b;
    const char *type = str_member(el, "type", "?");
    const char *name = str_member(el, "canonical", str_member(el, "text", ""));
    gl_buf_addc(b, ',');
    add_str(b, type);
    gl_buf_addc(b, ',');
    add_str(b, name);
    gl_tally_entity(v->tally, type, name);
}

/* A quote: ,kind,speaker,speaker_start,speaker_end,cue,flagged; the
 * speaker's span is null when it is not in the text. */
static void quote_fields(view *v, const json_t *el, const char *layer)
{
    (void)layer;
    gl_buf *b = &v->b;
    const char *kind = str_member(el, "kind", "quote");
    const char *speaker = str_member(el, "speaker", NULL);
    long long ss = to_index(v, json_object_get(el, "speaker_start"));
    long long se = to_index(v, json_object_get(el, "speaker_end"));
    gl_buf_addc(b, ',');
    add_str(b, kind);
    gl_buf_addc(b, ',');
    add_str(b, speaker);
    if (ss >= 0 && se > ss)
        gl_buf_printf(b, ",%lld,%lld,", ss, se);
    else
        gl_buf_adds(b, ",null,null,");
    add_str(b, str_member(el, "cue", NULL));
    gl_buf_adds(b, json_is_true(json_object_get(el, "flagged")) ? ",true" : ",false");
    gl_tally_quote(v->tally, kind, speaker);
}

/* An element of a layer the page shows as a table: ,{its other fields}. */
static void other_fields(view *v, const json_t *el, const char *layer)
{
    gl_buf *b = &v->b;
    const char *key;
    json_t *val;
    int first = 1;
    gl_buf_adds(b, ",{");
    json_object_foreach((json_t *)el, key, val)
    {
        if (!strcmp(key, "start") || !strcmp(key, "end") || !strcmp(key, "text"))
            continue;
        if (!first)
            gl_buf_addc(b, ',');
        gl_script_json_string(b, key, strlen(key));
        gl_buf_addc(b, ':');
        gl_script_json_value(b, val);
        first = 0;
    }
    gl_buf_addc(b, '}');
    gl_tally_layer(v->tally, layer);
}

/* Non-zero when `key` is one of known_members. */
static int is_known(const char *key)
{
    for (size_t i = 0; i < GL_ARRAY_LEN(known_members); i++)
        if (strcmp(key, known_members[i]) == 0)
            return 1;
    return 0;
}

/* A member that is a layer: an array whose elements are objects. */
static int is_layer(const json_t *val)
{
    return json_is_array(val) &&
        (json_array_size(val) == 0 || json_is_object(json_array_get(val, 0)));
}

/* Appends one article to v->b: {"id","src","text","meta","x","e","q","l"},
 * "x" the other top-level members that are not layers. */
static void write_article(view *v, const json_t *doc)
{
    gl_buf *b = &v->b;
    const json_t *text = json_object_get(doc, "text");
    const char *t = json_is_string(text) ? json_string_value(text) : "";
    size_t tlen = json_is_string(text) ? json_string_length(text) : 0;
    build_map(v, t, tlen);
    gl_tally_article(v->tally);

    gl_buf_adds(b, "{\"id\":");
    const json_t *id = json_object_get(doc, "id");
    if (id)
        gl_script_json_value(b, id);
    else
        gl_buf_adds(b, "null");
    gl_buf_adds(b, ",\"src\":");
    gl_script_json_string_or_null(b, json_object_get(doc, "source"));
    gl_buf_adds(b, ",\"text\":");
    gl_script_json_string(b, t, tlen);
    const json_t *meta = json_object_get(doc, "metadata");
    gl_buf_adds(b, ",\"meta\":");
    if (json_is_object(meta))
        gl_script_json_value(b, meta);
    else
        gl_buf_adds(b, "{}");

    const char *key;
    json_t *val;
    int first = 1;
    gl_buf_adds(b, ",\"x\":{");
    json_object_foreach((json_t *)doc, key, val)
    {
        if (is_known(key) || is_layer(val))
            continue;
        gl_buf_adds(b, first ? "" : ",");
        gl_script_json_string(b, key, strlen(key));
        gl_buf_addc(b, ':');
        gl_script_json_value(b, val);
        first = 0;
    }
    gl_buf_addc(b, '}');

    /* "e":[[start,end,type,name],...], "q":[[start,end,kind,speaker,
     * speaker_start,speaker_end,cue,flagged],...], "l":{name:[[start,end,
     * {other fields}],...]} for the other layers. */
    const json_t *ents = json_object_get(doc, "entities");
    const json_t *quotes = json_object_get(doc, "quotes");
    gl_buf_addc(b, ',');
    write_spans(v, "e", "entities", is_layer(ents) ? ents : NULL, entity_fields);
    gl_buf_addc(b, ',');
    write_spans(v, "q", "quotes", is_layer(quotes) ? quotes : NULL, quote_fields);

    first = 1;
    gl_buf_adds(b, ",\"l\":{");
    json_object_foreach((json_t *)doc, key, val)
    {
        if (is_known(key) || !is_layer(val))
            continue;
        gl_buf_adds(b, first ? "" : ",");
        write_spans(v, key, key, val, other_fields);
        first = 0;
    }
    gl_buf_adds(b, "}}");
}

/* Counts an unreadable line, keeping the first one's place and reason. */
static void unreadable(view *v, const char *name, uint64_t lineno, const char *why)
{
    if (v->counts->unreadable++ == 0)
        snprintf(v->first_unreadable, sizeof v->first_unreadable, "%s:%llu: %s", name,
                 (unsigned long long)lineno, why);
}

/* Writes the page's articles from one input. Returns 0, or -1 with err
 * set when the input cannot be read to its end. */
static int read_input(view *v, const char *path, galley_error *err)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    gl_stream *file = gl_stream_file(path);
    if (!file)
        return galley_error_set(err, "%s: cannot open: %s", name, strerror(errno));
    const unsigned char *p;
    ssize_t n = gl_stream_peek(file, 2, &p);
    if (n < 0) {
        galley_error_set(err, "%s: %s", name, file->err.message);
        gl_stream_close(file);
        return -1;
    }
    int gz = n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
    gl_stream *chain = gz ? gl_stream_gzip(file) : file;
    gl_reader rd;
    gl_reader_init(&rd, chain);
    int rc = 0;
    for (uint64_t lineno = 1;; lineno++) {
        const char *line;
        size_t len;
        int too_long;
        int got = gl_reader_line(&rd, VIEW_MAX_LINE, &line, &len, &too_long);
        if (got < 0) {
            rc = galley_error_set(err, "%s:%llu: %s", name, (unsigned long long)lineno,
                                  rd.err.set ? rd.err.message : "read error");
            break;
        }
        if (got == 0)
            break;
        if (too_long) {
            unreadable(v, name, lineno, "line longer than 1 GB");
            continue;
        }
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            len--;
        if (len == 0)
            continue;
        json_error_t jerr;
        json_t *doc = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
        if (!json_is_object(doc)) {
            unreadable(v, name, lineno, doc ? "not a JSON object" : jerr.text);
            json_decref(doc);
            continue;
        }
        v->b.len = 0;
        if (v->written++)
            gl_buf_adds(&v->b, ",\n");
        write_article(v, doc);
        json_decref(doc);
        v->counts->articles++;
        fwrite(v->b.data, 1, v->b.len, v->out);
    }
    gl_reader_free(&rd);
    gl_stream_close(chain);
    return rc;
}

/* The summary object: the inputs, the counts and the tally. */
static void write_summary(view *v)
{
    gl_buf *b = &v->b;
    const gl_view_opts *o = v->o;
    b->len = 0;
    gl_buf_adds(b, "{\"inputs\":[");
    for (size_t i = 0; i < o->ninputs; i++) {
        if (i)
            gl_buf_addc(b, ',');
        add_str(b, strcmp(o->inputs[i], "-") == 0 ? "(stdin)" : o->inputs[i]);
    }
    gl_buf_printf(b,
                  "],\"offsets\":\"%s\",\"articles\":%llu,\"unreadable\":%llu,"
                  "\"bad_spans\":%llu,\"first_unreadable\":",
                  o->byte_offsets ? "bytes" : "codepoints", (unsigned long long)v->counts->articles,
                  (unsigned long long)v->counts->unreadable,
                  (unsigned long long)v->counts->bad_spans);
    add_str(b, v->counts->unreadable ? v->first_unreadable : NULL);
    gl_buf_addc(b, ',');
    gl_tally_json(v->tally, b, o->top > 0 ? (size_t)o->top : 100);
    gl_buf_addc(b, '}');
    fwrite(b->data, 1, b->len, v->out);
}

/* Fails early, before the page is created, when an input cannot be opened. */
static int check_inputs(const gl_view_opts *o, galley_error *err)
{
    for (size_t i = 0; i < o->ninputs; i++) {
        if (strcmp(o->inputs[i], "-") == 0)
            continue;
        int fd = open(o->inputs[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return galley_error_set(err, "%s: cannot open: %s", o->inputs[i], strerror(errno));
        close(fd);
    }
    return 0;
}

int gl_view(const gl_view_opts *o, gl_view_counts *counts, galley_error *err)
{
    memset(counts, 0, sizeof *counts);
    if (check_inputs(o, err) < 0)
        return GALLEY_EXIT_USAGE;
    int to_stdout = !o->output || strcmp(o->output, "-") == 0;
    view v = { .o = o, .counts = counts };
    v.out = to_stdout ? stdout : fopen(o->output, "w");
    if (!v.out) {
        galley_error_set(err, "%s: cannot write: %s", o->output, strerror(errno));
        return GALLEY_EXIT_FAILED;
    }
    v.tally = gl_tally_new();
    int rc = 0;
    fwrite(gl_view_page[0], 1, gl_view_page_len[0], v.out);
    gl_buf_addc(&v.b, '[');
    fwrite(v.b.data, 1, v.b.len, v.out);
    for (size_t i = 0; i < o->ninputs && rc == 0; i++)
        rc = read_input(&v, o->inputs[i], err);
    fputc(']', v.out);
    fwrite(gl_view_page[1], 1, gl_view_page_len[1], v.out);
    write_summary(&v);
    fwrite(gl_view_page[2], 1, gl_view_page_len[2], v.out);
    int werr = ferror(v.out) | (to_stdout ? fflush(v.out) : fclose(v.out));
    if (rc == 0 && werr) {
        rc = -1;
        galley_error_set(err, "%s: cannot write: %s", to_stdout ? "(stdout)" : o->output,
                         strerror(errno));
    }
    gl_tally_free(v.tally);
    gl_buf_free(&v.b);
    free(v.map);
    if (rc < 0)
        return GALLEY_EXIT_FAILED;
    return counts->unreadable ? GALLEY_EXIT_REJECTED : GALLEY_EXIT_OK;
}
