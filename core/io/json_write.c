/* json_write.c - writing documents as JSON lines. Hand-written rather
 * than built as a jansson tree: the writer is on the hot path of every
 * run and only ever appends. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/json_bytes.h"
#include "io/json_write.h"

void gl_json_string(gl_buf *b, const char *s, size_t len)
{
    gl_buf_reserve(b, len + 3);
    b->data[b->len++] = '"';
    size_t run = 0, i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!gl_json_word_special(w)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i++];
        if (!gl_json_byte_special(c))
            continue;
        gl_buf_add(b, s + run, i - 1 - run);
        run = i;
        switch (c) {
        case '"':
            gl_buf_add(b, "\\\"", 2);
            break;
        case '\\':
            gl_buf_add(b, "\\\\", 2);
            break;
        case '\n':
            gl_buf_add(b, "\\n", 2);
            break;
        case '\r':
            gl_buf_add(b, "\\r", 2);
            break;
        case '\t':
            gl_buf_add(b, "\\t", 2);
            break;
        case '\b':
            gl_buf_add(b, "\\b", 2);
            break;
        case '\f':
            gl_buf_add(b, "\\f", 2);
            break;
        default: {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            gl_buf_add(b, esc, 6);
        }
        }
    }
    gl_buf_add(b, s + run, len - run);
    gl_buf_addc(b, '"');
}

void gl_json_string_repaired(gl_buf *b, const char *s, size_t len)
{
    if (galley_utf8_valid(s, len)) {
        gl_json_string(b, s, len);
        return;
    }
    galley_arena *a = galley_arena_new(len * 3 + 16);
    size_t n, repaired;
    const char *fixed = galley_utf8_repair(a, s, len, &n, &repaired);
    gl_json_string(b, fixed, n);
    galley_arena_free(a);
}

void gl_offset_map_init(gl_offset_map *m, galley_doc *doc, int bytes)
{
    m->text = galley_doc_text(doc);
    m->len = galley_doc_text_len(doc);
    m->bytes = bytes;
    m->cp = NULL;
}

/* Code points start at every byte that is not a continuation byte
 * (10xxxxxx: bit 7 set, bit 6 clear), counted eight bytes at a time. */
static uint32_t count_starts(const char *s, size_t n)
{
    uint32_t k = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, sizeof x);
        uint64_t cont = (x & ~(x << 1) & 0x8080808080808080ull) >> 7;
        /* The sum of the eight 0/1 bytes, gathered in the top byte. */
        k += 8 - (uint32_t)((cont * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

size_t gl_offset_map_get(gl_offset_map *m, galley_doc *doc, size_t byte)
{
    if (m->bytes)
        return byte;
    if (byte > m->len)
        byte = m->len;
    if (!m->cp) {
        /* The code-point index of every GL_OFFSET_STEP-th byte, in one pass:
         * an offset is then a lookup and a count over at most STEP-1
         * bytes, and the table costs 1/16 of the text, not 4 times it. */
        size_t nsteps = m->len / GL_OFFSET_STEP + 1;
        m->cp = galley_arena_alloc(galley_doc_arena(doc), nsteps * sizeof *m->cp);
        uint32_t n = 0;
        for (size_t k = 0; k < nsteps; k++) {
            m->cp[k] = n;
            size_t from = k * GL_OFFSET_STEP;
            size_t to = from + GL_OFFSET_STEP < m->len ? from + GL_OFFSET_STEP : m->len;
            if (from < to)
                n += count_starts(m->text + from, to - from);
        }
    }
    size_t k = byte / GL_OFFSET_STEP;
    return m->cp[k] + count_starts(m->text + k * GL_OFFSET_STEP, byte - k * GL_OFFSET_STEP);
}

void gl_json_int(gl_buf *b, long long v)
{
    char num[24];
    char *p = num + sizeof num;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    gl_buf_add(b, p, (size_t)(num + sizeof num - p));
}

/* Writes the members of o as JSON, offsets converted through m (NULL: as
 * stored). With `open` it writes a whole object, braces included; without, the
 * members alone, each after a comma, to go on with an object the caller opened
 * and will close (a span's fields after its start and end). */
static void json_object(gl_buf *b, const galley_object *o, gl_offset_map *m, galley_doc *doc,
                        int open)
{
    if (open)
        gl_buf_addc(b, '{');
    for (size_t i = 0; i < galley_object_size(o); i++) {
        if (i || !open)
            gl_buf_addc(b, ',');
        const char *key = galley_object_key_at(o, i);
        gl_json_string(b, key, strlen(key));
        gl_buf_addc(b, ':');
        gl_json_value(b, galley_object_value_at(o, i), m, doc);
    }
    if (open)
        gl_buf_addc(b, '}');
}

void gl_json_value(gl_buf *b, const galley_value *v, gl_offset_map *m, galley_doc *doc)
{
    switch (galley_value_type(v)) {
    case GALLEY_NULL:
        gl_buf_add(b, "null", 4);
        break;
    case GALLEY_BOOL:
        if (galley_value_bool(v))
            gl_buf_add(b, "true", 4);
        else
            gl_buf_add(b, "false", 5);
        break;
    case GALLEY_INT:
        gl_json_int(b, (long long)galley_value_int(v));
        break;
    case GALLEY_OFFSET:
        gl_json_int(b,
                    m ? (long long)gl_offset_map_get(m, doc, (size_t)galley_value_int(v))
                      : (long long)galley_value_int(v));
        break;
    case GALLEY_REAL: {
        double r = galley_value_real(v);
        if (!isfinite(r)) {
            gl_buf_add(b, "null", 4);
            break;
        }
        char num[40];
        int n = snprintf(num, sizeof num, "%.10g", r);
        gl_buf_add(b, num, (size_t)n);
        /* Keep it a JSON number that reads back as a float. */
        if (!strpbrk(num, ".eE"))
            gl_buf_add(b, ".0", 2);
        break;
    }
    case GALLEY_STRING: {
        size_t len;
        const char *s = galley_value_str(v, &len);
        gl_json_string(b, s, len);
        break;
    }
    case GALLEY_OBJECT:
        json_object(b, galley_value_object(v), m, doc, 1);
        break;
    case GALLEY_ARRAY: {
        const galley_array *arr = galley_value_array(v);
        gl_buf_addc(b, '[');
        for (size_t i = 0; i < galley_array_size(arr); i++) {
            if (i)
                gl_buf_addc(b, ',');
            gl_json_value(b, galley_array_at(arr, i), m, doc);
        }
        gl_buf_addc(b, ']');
        break;
    }
    }
}

void gl_json_object(gl_buf *b, const galley_object *o)
{
    json_object(b, o, NULL, NULL, 1);
}

void gl_json_doc(gl_buf *b, galley_doc *doc, int byte_offsets, int with_text)
{
    gl_offset_map m;
    gl_offset_map_init(&m, doc, byte_offsets);
    const char *id = galley_doc_id(doc);
    gl_buf_add(b, "{\"id\":", 6);
    gl_json_string(b, id, strlen(id));
    if (with_text) {
        gl_buf_add(b, ",\"text\":", 8);
        gl_json_string(b, galley_doc_text(doc), galley_doc_text_len(doc));
    }
    gl_buf_add(b, ",\"metadata\":", 12);
    json_object(b, galley_doc_meta(doc), &m, doc, 1);
    const char *src = galley_doc_source(doc);
    gl_buf_add(b, ",\"source\":", 10);
    gl_json_string(b, src, strlen(src));
    for (size_t l = 0; l < galley_doc_layer_count(doc); l++) {
        galley_layer *layer = galley_doc_layer_at(doc, l);
        const char *name = galley_layer_name(layer);
        gl_buf_addc(b, ',');
        gl_json_string(b, name, strlen(name));
        gl_buf_add(b, ":[", 2);
        galley_span **spans = galley_layer_in_text_order(doc, layer, NULL);
        for (size_t i = 0; spans[i]; i++) {
            if (i)
                gl_buf_addc(b, ',');
            gl_buf_add(b, "{\"start\":", 9);
            gl_json_int(b, (long long)gl_offset_map_get(&m, doc, spans[i]->start));
            gl_buf_add(b, ",\"end\":", 7);
            gl_json_int(b, (long long)gl_offset_map_get(&m, doc, spans[i]->end));
            json_object(b, spans[i]->fields, &m, doc, 0);
            gl_buf_addc(b, '}');
        }
        gl_buf_addc(b, ']');
    }
    gl_buf_add(b, "}\n", 2);
}
