/* writers.c - the output formats and the sink. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/json_write.h"
#include "io/writers.h"

static const char *const output_formats[] = { "jsonl", "conll", "csv", NULL };
static const char *const offset_units[] = { "codepoints", "bytes", NULL };

/* Options of every output format. */
const galley_option gl_output_table[] = {
    GALLEY_OPTION_ENUM(gl_output_opts, format, "jsonl", output_formats,
                       "jsonl: one JSON object an article; conll: tokens with BIO entity tags; "
                       "csv: one row a span of `layer`"),
    GALLEY_OPTION_STRING(gl_output_opts, path, "-",
                         "output file (- for standard output; .gz compresses)"),
    GALLEY_OPTION_ENUM(gl_output_opts, offsets, "codepoints", offset_units,
                       "unit of start/end offsets in the output"),
    GALLEY_OPTION_INT(gl_output_opts, shard_size, "0", 0, 1e15,
                      "split the output into numbered files of this many documents (0: one file)"),
    GALLEY_OPTION_END
};

/* JSONL's own options. */
static const galley_option jsonl_table[] = { GALLEY_OPTION_BOOL(gl_output_opts, text, "true",
                                                                "jsonl: include the text field"),
                                             GALLEY_OPTION_END };

/* CoNLL's own options. */
static const galley_option conll_table[] = {
    GALLEY_OPTION_LIST(gl_output_opts, conll_map, "NORP=MISC,DATE=O",
                       "conll: entity types written under another tag (O: not written)"),
    GALLEY_OPTION_END
};

/* CSV's own options. */
static const galley_option csv_table[] = {
    GALLEY_OPTION_STRING(
        gl_output_opts, layer, "quotes",
        "csv: the layer whose spans become rows (one a stage of the pipeline provides)"),
    GALLEY_OPTION_LIST(
        gl_output_opts, columns, "id,speaker,kind,cue,text,title,date,source",
        "csv: columns; a span field, else id/source/start/end, else a metadata field "
        "(metadata.NAME: always the metadata field)"),
    GALLEY_OPTION_END
};

const galley_option *const gl_output_tables[] = { gl_output_table, jsonl_table, conll_table,
                                                  csv_table, NULL };

int gl_output_table_applies(const galley_option *table, int format)
{
    static const struct {
        const galley_option *table;
        int format;
    } own[] = {
        { jsonl_table, GL_OUT_JSONL },
        { conll_table, GL_OUT_CONLL },
        { csv_table, GL_OUT_CSV },
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

/* Writes value v as one CSV field: a string as its text, null as an empty
 * field, anything else as its JSON (offsets through m), quoted as needed. */
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

/* The column names, as the first row. */
static void csv_header(const gl_output_opts *o, gl_buf *b)
{
    for (size_t c = 0; c < o->columns.n; c++) {
        if (c)
            gl_buf_addc(b, ',');
        csv_field(b, o->columns.items[c], strlen(o->columns.items[c]));
    }
    gl_buf_add(b, "\r\n", 2);
}

/* Writes one CSV row for each span of the layer named by the layer option, in
 * text order. Each column is a field of the span, else the document's id or
 * source or the span's start or end, else a metadata field (metadata.NAME:
 * always the metadata field); a value that is missing is an empty field. A
 * document without the layer writes no row. Rows end with CRLF, as RFC 4180 has
 * them. */
static void csv_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b)
{
    galley_layer *layer = galley_doc_layer(doc, o->layer);
    if (!layer)
        return;
    gl_offset_map m;
    gl_offset_map_init(&m, doc, o->offsets == GL_OFFSETS_BYTES);
    galley_span **spans = galley_layer_in_text_order(doc, layer, NULL);
    for (size_t i = 0; spans[i]; i++) {
        for (size_t c = 0; c < o->columns.n; c++) {
            const char *col = o->columns.items[c];
            if (c)
                gl_buf_addc(b, ',');
            const galley_value *v;
            if (strncmp(col, "metadata.", 9) == 0) {
                /* Explicitly the article's metadata, whatever the span has. */
                if ((v = galley_object_get(galley_doc_meta(doc), col + 9)))
                    csv_value(b, v, &m, doc);
                continue;
            }
            v = galley_object_get(spans[i]->fields, col);
            if (v)
                csv_value(b, v, &m, doc);
            else if (strcmp(col, "id") == 0)
                csv_field(b, galley_doc_id(doc), strlen(galley_doc_id(doc)));
            else if (strcmp(col, "source") == 0)
                csv_field(b, galley_doc_source(doc), strlen(galley_doc_source(doc)));
            else if (strcmp(col, "start") == 0 || strcmp(col, "end") == 0)
                gl_buf_printf(
                    b, "%zu",
                    gl_offset_map_get(&m, doc, col[0] == 's' ? spans[i]->start : spans[i]->end));
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

/* Writes the document as CoNLL: a -DOCSTART- line, then one line per token,
 * "TOKEN TAG" with a BIO tag from the types of the "entities" layer (mapped
 * through conll_map; an entity without a type is O), and a blank line after
 * each sentence. A token begins an entity (B-) when it is the first token or
 * the one before it ends at or before the entity's start. */
static void conll_doc(const gl_output_opts *o, galley_doc *doc, gl_buf *b)
{
    size_t ntok, nsent;
    const galley_token *tok = galley_doc_tokens(doc, &ntok);
    const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
    const char *text = galley_doc_text(doc);
    galley_layer *layer = galley_doc_layer(doc, "entities");
    galley_span **spans = layer ? galley_layer_in_text_order(doc, layer, NULL) : NULL;
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

const char *const gl_csv_document_columns[] = { "id", "source", "start", "end", NULL };

void gl_format_header(const gl_output_opts *o, gl_buf *b)
{
    if (o->format == GL_OUT_CSV)
        csv_header(o, b);
}
