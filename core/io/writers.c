/* writers.c - the output formats and the sink. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "io/json_write.h"
#include "io/writers.h"

static const char *const output_formats[] = { "jsonl", "conll", "csv", NULL };
static const char *const offset_units[] = { "codepoints", "bytes", NULL };

/* Options of every output format. */
const galley_option gl_output_table[] = {
    GALLEY_OPTION_ENUM(gl_output_opts, format, "jsonl", output_formats,
        "jsonl: one JSON object an article; conll: tokens with BIO entity tags; csv: one row a span of `layer`"),
    GALLEY_OPTION_STRING(gl_output_opts, path, "-",
        "output file (- for standard output; .gz compresses)"),
    GALLEY_OPTION_ENUM(gl_output_opts, offsets, "codepoints", offset_units,
        "unit of start/end offsets in the output"),
    GALLEY_OPTION_INT(gl_output_opts, shard_size, "0", 0, 1e15,
        "split the output into numbered files of this many documents (0: one file)"),
    GALLEY_OPTION_END
};

/* JSONL's own options. */
static const galley_option jsonl_table[] = {
    GALLEY_OPTION_BOOL(gl_output_opts, text, "true",
        "jsonl: include the text field"),
    GALLEY_OPTION_END
};

/* CoNLL's own options. */
static const galley_option conll_table[] = {
    GALLEY_OPTION_LIST(gl_output_opts, conll_map, "NORP=MISC,DATE=O",
        "conll: entity types written under another tag (O: not written)"),
    GALLEY_OPTION_END
};

/* CSV's own options. */
static const galley_option csv_table[] = {
    GALLEY_OPTION_STRING(gl_output_opts, layer, "quotes",
        "csv: the layer whose spans become rows"),
    GALLEY_OPTION_LIST(gl_output_opts, columns, "id,speaker,kind,cue,text,title,date,source",
        "csv: columns; a span field, else id/source/start/end, else a metadata field"),
    GALLEY_OPTION_END
};

const galley_option *const gl_output_tables[] = {
    gl_output_table, jsonl_table, conll_table, csv_table, NULL
};

int gl_output_table_applies(const galley_option *table, int format)
{
    static const struct { const galley_option *table; int format; } own[] = {
        { jsonl_table, GL_OUT_JSONL }, { conll_table, GL_OUT_CONLL }, { csv_table, GL_OUT_CSV },
    };
    for (size_t i = 0; i < GL_ARRAY_LEN(own); i++)
        if (own[i].table == table)
            return own[i].format == format;
    return 1;
}

/* ---- CSV ---------------------------------------------------------------- */

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(gl_buf *b, const char *s, size_t len)
{
    if (!s)
        return;
    if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
        !memchr(s, '\r', len)) {
        gl_buf_add(b, s, len);
        return;
    }
    gl_buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            gl_buf_addc(b, '"');
        gl_buf_addc(b, s[i]);
    }
    gl_buf_addc(b, '"');
}

static void csv_value(gl_buf *b, const galley_value *v, gl_offset_map *m, galley_doc *doc)
{
    switch (galley_value_type(v)) {
    case GALLEY_NULL:
        break;
    case GALLEY_STRING: {
        size_t len;
        const char *s = galley_value_str(v, &len);
        csv_field(b, s, len);
        break;
    }
    default: {
        gl_buf tmp = { 0 };
        gl_json_value(&tmp, v, m, doc);
        csv_field(b, tmp.data, tmp.len);
        gl_buf_free(&tmp);
    }
    }
}

static void csv_header(const gl_output_opts *o, gl_buf *b)
{
    for (size_t c = 0; c < o->columns.n; c++) {
        if (c)
            gl_buf_addc(b, ',');
        csv_field(b, o->columns.items[c], strlen(o->columns.items[c]));
    }
    gl_buf_add(b, "\r\n", 2);
}

static void csv_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b)
{
    galley_layer *layer = galley_doc_layer(doc, o->layer);
    if (!layer)
        return;
    gl_offset_map m;
    gl_offset_map_init(&m, doc, o->offsets == GL_OFFSETS_BYTES);
    galley_span **spans = gl_layer_sorted(doc, layer);
    for (size_t i = 0; spans[i]; i++) {
        for (size_t c = 0; c < o->columns.n; c++) {
            const char *col = o->columns.items[c];
            if (c)
                gl_buf_addc(b, ',');
            const galley_value *v = galley_object_get(spans[i]->fields, col);
            if (v)
                csv_value(b, v, &m, doc);
            else if (strcmp(col, "id") == 0)
                csv_field(b, galley_doc_id(doc), strlen(galley_doc_id(doc)));
            else if (strcmp(col, "source") == 0)
                csv_field(b, galley_doc_source(doc), strlen(galley_doc_source(doc)));
            else if (strcmp(col, "start") == 0 || strcmp(col, "end") == 0)
                gl_buf_printf(b, "%zu", gl_offset_map_get(&m, doc, col[0] == 's' ? spans[i]->start
                                                                               : spans[i]->end));
            else if ((v = galley_object_get(galley_doc_meta(doc), col)))
                csv_value(b, v, &m, doc);
        }
        gl_buf_add(b, "\r\n", 2);
    }
}

/* ---- CoNLL -------------------------------------------------------------- */

/* The tag written for an entity type under conll_map ("O": none). */
static const char *conll_tag(const gl_output_opts *o, const char *type)
{
    size_t tl = strlen(type);
    for (size_t i = 0; i < o->conll_map.n; i++) {
        const char *m = o->conll_map.items[i];
        if (strncmp(m, type, tl) == 0 && m[tl] == '=')
            return m + tl + 1;
    }
    return type;
}

static void conll_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b)
{
    size_t ntok, nsent;
    const galley_token *tok = galley_doc_tokens(doc, &ntok);
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    const char *text = galley_doc_text(doc);
    galley_layer *layer = galley_doc_layer(doc, "entities");
    galley_span **spans = layer ? gl_layer_sorted(doc, layer) : NULL;
    size_t e = 0;
    gl_buf_add(b, "-DOCSTART- -X- -X- O\n\n", 22);
    for (size_t s = 0; s < nsent; s++) {
        for (size_t t = sent[s].first_token; t < sent[s].first_token + sent[s].ntokens; t++) {
            while (spans && spans[e] && spans[e]->end <= tok[t].start)
                e++;
            const char *tag = "O";
            int begin = 0;
            if (spans && spans[e] && spans[e]->start < tok[t].end) {
                const char *type = galley_object_get_str(spans[e]->fields, "type");
                tag = type ? conll_tag(o, type) : "O";
                begin = t == 0 || tok[t - 1].end <= spans[e]->start;
            }
            gl_buf_add(b, text + tok[t].start, tok[t].end - tok[t].start);
            if (strcmp(tag, "O") == 0)
                gl_buf_add(b, " O\n", 3);
            else
                gl_buf_printf(b, " %s-%s\n", begin ? "B" : "I", tag);
        }
        gl_buf_addc(b, '\n');
    }
}

void gl_format_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b)
{
    switch (o->format) {
    case GL_OUT_CONLL:
        conll_doc(o, doc, b);
        break;
    case GL_OUT_CSV:
        csv_doc(o, doc, b);
        break;
    default:
        gl_json_doc(b, doc, o->offsets == GL_OFFSETS_BYTES, o->text);
    }
}

/* ---- sink ----------------------------------------------------------------- */

struct gl_sink {
    const gl_output_opts *o;
    FILE *file;
    gzFile gz;
    int to_stdout;
    uint64_t shard;        /* index of the open shard */
    uint64_t in_shard;     /* documents in it */
    int opened;
};

/* out.jsonl.gz -> out-00003.jsonl.gz: the number goes before the first
 * dot of the file name. */
static void shard_path(const char *path, uint64_t n, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    if (!dot)
        dot = base + strlen(base);
    snprintf(out, size, "%.*s-%05llu%s", (int)(dot - path), path, (unsigned long long)n, dot);
}

static int open_current(gl_sink *s, galley_error *err)
{
    const gl_output_opts *o = s->o;
    char path[4096];
    if (s->to_stdout) {
        s->file = stdout;
    } else {
        if (o->shard_size > 0)
            shard_path(o->path, s->shard, path, sizeof path);
        else
            snprintf(path, sizeof path, "%s", o->path);
        size_t len = strlen(path);
        if (len > 3 && strcmp(path + len - 3, ".gz") == 0) {
            s->gz = gzopen(path, "wb6");
            if (!s->gz)
                return galley_error_set(err, "%s: cannot write: %s", path, strerror(errno));
            gzbuffer(s->gz, 256 * 1024);
        } else {
            s->file = fopen(path, "w");
            if (!s->file)
                return galley_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        }
    }
    s->opened = 1;
    s->in_shard = 0;
    if (o->format == GL_OUT_CSV) {
        gl_buf h = { 0 };
        csv_header(o, &h);
        int rc = s->gz ? (gzwrite(s->gz, h.data, (unsigned)h.len) == (int)h.len ? 0 : -1)
                       : (fwrite(h.data, 1, h.len, s->file) == h.len ? 0 : -1);
        gl_buf_free(&h);
        if (rc < 0)
            return galley_error_set(err, "cannot write the output: %s", strerror(errno));
    }
    return 0;
}

static int close_current(gl_sink *s, galley_error *err)
{
    int rc = 0;
    if (!s->opened)
        return 0;
    if (s->gz) {
        if (gzclose(s->gz) != Z_OK)
            rc = galley_error_set(err, "cannot finish the gzip output");
        s->gz = NULL;
    } else if (s->file) {
        if (fflush(s->file) != 0 || ferror(s->file))
            rc = galley_error_set(err, "cannot write the output: %s", strerror(errno));
        if (s->file != stdout && fclose(s->file) != 0 && rc == 0)
            rc = galley_error_set(err, "cannot write the output: %s", strerror(errno));
        s->file = NULL;
    }
    s->opened = 0;
    return rc;
}

gl_sink *gl_sink_open(const gl_output_opts *o, galley_error *err)
{
    if (o->shard_size > 0 && strcmp(o->path, "-") == 0) {
        galley_error_set(err, "output.shard_size needs an output file (-o FILE or output.path), "
                         "not standard output");
        return NULL;
    }
    gl_sink *s = gl_xcalloc(1, sizeof *s);
    s->o = o;
    s->to_stdout = strcmp(o->path, "-") == 0;
    if (open_current(s, err) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

static int put(gl_sink *s, const char *data, size_t len, galley_error *err)
{
    if (len == 0)
        return 0;
    if (s->gz) {
        if (gzwrite(s->gz, data, (unsigned)len) != (int)len)
            return galley_error_set(err, "cannot write the gzip output");
        return 0;
    }
    if (fwrite(data, 1, len, s->file) != len)
        return galley_error_set(err, "cannot write the output: %s", strerror(errno));
    return 0;
}

int gl_sink_write(gl_sink *s, const char *data, const size_t *ends,
                  size_t ndocs, galley_error *err)
{
    if (s->o->shard_size <= 0)
        return put(s, data, ndocs ? ends[ndocs - 1] : 0, err);
    size_t from = 0;
    for (size_t i = 0; i < ndocs; i++) {
        if (s->in_shard == (uint64_t)s->o->shard_size) {
            if (close_current(s, err) < 0)
                return -1;
            s->shard++;
            if (open_current(s, err) < 0)
                return -1;
        }
        if (put(s, data + from, ends[i] - from, err) < 0)
            return -1;
        from = ends[i];
        s->in_shard++;
    }
    return 0;
}

int gl_sink_close(gl_sink *s, galley_error *err)
{
    if (!s)
        return 0;
    int rc = close_current(s, err);
    free(s);
    return rc;
}
