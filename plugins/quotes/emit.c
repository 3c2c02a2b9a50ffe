/* emit.c - the `quotes` layer: one element per attribution, and the table
 * of its fields (the descriptor's `.fields`, docs/stages.md, README).
 * An element spans its first piece's start to its last piece's end; its
 * `text` is the words reported, without the marks, pieces joined by a
 * space. */
#include <string.h>
#include "quotes.h"

static const char *const kind_names[] = { "direct", "partial", "indirect",
                                          "scare",  "title",   "transcript" };
static const char *const speaker_kinds[] = { "none", "named", "pronoun", "nominal" };

const galley_layer_field quotes_fields[] = {
    { "quotes", "kind", GALLEY_STRING, 0,
      "direct (all in marks), partial (marks around part), indirect (no marks), scare, "
      "title (of a work), transcript (a turn of an interview transcript: \"PENCE: ...\")" },
    { "quotes", "pieces", GALLEY_ARRAY, 0,
      "the content as [{start, end}, ...]: one piece, or several for “X,” he said, “Y.” "
      "and continued quotes" },
    { "quotes", "speaker", GALLEY_STRING, 1,
      "who said it: an entity's canonical name, a pronoun's antecedent, "
      "or a nominal source as written" },
    { "quotes", "speaker_start", GALLEY_OFFSET, 1,
      "start of the source mention as written (\"he\", \"Lee Park\")" },
    { "quotes", "speaker_end", GALLEY_OFFSET, 1, "end of the source mention" },
    { "quotes", "speaker_kind", GALLEY_STRING, 0, "named, pronoun, nominal, or none" },
    { "quotes", "cue", GALLEY_STRING, 1, "the cue as written (\"said\", \"according to\", \":\")" },
    { "quotes", "cue_start", GALLEY_OFFSET, 1, "start of the cue" },
    { "quotes", "cue_end", GALLEY_OFFSET, 1, "end of the cue" },
    { "quotes", "confidence", GALLEY_REAL, 0,
      "0..1 from the tagger's label margins (0 for scare quotes and titles, 0.5 for "
      "transcript turns)" },
    { "quotes", "flagged", GALLEY_BOOL, 0,
      "a quotation mark was missing: the quote was bounded at its paragraph" },
    GALLEY_LAYER_FIELD_END
};

/* Sets key to the offset, or null when QUOTES_NONE. */
static void set_offset(galley_object *o, const char *key, uint32_t b)
{
    if (b == QUOTES_NONE)
        galley_object_set_null(o, key);
    else
        galley_object_set_offset(o, key, b);
}

void quotes_emit(quotes_ctx *c, const quotes_attr *v, size_t n)
{
    galley_layer *layer = galley_doc_add_layer(c->doc, "quotes");
    for (size_t i = 0; i < n; i++) {
        const quotes_attr *at = &v[i];
        if (!at->npieces)
            continue;
        uint32_t start = at->pieces[0].start, end = at->pieces[at->npieces - 1].end;
        galley_span *sp = galley_layer_add(layer, start, end);
        if (!sp)
            continue;
        if (at->npieces == 1) {
            galley_object_set_strn(sp->fields, "text", c->text + start, end - start);
        } else {
            size_t len = 0;
            for (size_t k = 0; k < at->npieces; k++)
                len += at->pieces[k].end - at->pieces[k].start + 1;
            char *buf = galley_arena_alloc(c->a, len + 1), *w = buf;
            for (size_t k = 0; k < at->npieces; k++) {
                if (k)
                    *w++ = ' ';
                memcpy(w, c->text + at->pieces[k].start, at->pieces[k].end - at->pieces[k].start);
                w += at->pieces[k].end - at->pieces[k].start;
            }
            galley_object_set_strn(sp->fields, "text", buf, (size_t)(w - buf));
        }
        galley_object_set_str(sp->fields, "kind", kind_names[at->kind]);
        galley_array *pieces = galley_object_set_array(sp->fields, "pieces");
        for (size_t k = 0; k < at->npieces; k++) {
            galley_object *p = galley_array_push_object(pieces);
            galley_object_set_offset(p, "start", at->pieces[k].start);
            galley_object_set_offset(p, "end", at->pieces[k].end);
        }
        if (at->speaker)
            galley_object_set_str(sp->fields, "speaker", at->speaker);
        else
            galley_object_set_null(sp->fields, "speaker");
        set_offset(sp->fields, "speaker_start", at->spk_start);
        set_offset(sp->fields, "speaker_end", at->spk_end);
        galley_object_set_str(sp->fields, "speaker_kind", speaker_kinds[at->speaker_kind]);
        if (at->cue_first != QUOTES_NONE) {
            uint32_t cs = c->tok[at->cue_first].start, ce = c->tok[at->cue_last - 1].end;
            galley_object_set_strn(sp->fields, "cue", c->text + cs, ce - cs);
            galley_object_set_offset(sp->fields, "cue_start", cs);
            galley_object_set_offset(sp->fields, "cue_end", ce);
        } else {
            galley_object_set_null(sp->fields, "cue");
            galley_object_set_null(sp->fields, "cue_start");
            galley_object_set_null(sp->fields, "cue_end");
        }
        galley_object_set_real(sp->fields, "confidence",
                               (double)(int)(at->confidence * 1000 + 0.5) / 1000);
        galley_object_set_bool(sp->fields, "flagged", at->flagged);
    }
}

void quotes_process_doc(const quotes_res *res, quotes_cache *cache, const quotes_run_options *o,
                        galley_doc *doc, galley_arena *scratch)
{
    quotes_ctx c;
    quotes_ctx_init(&c, res, doc, scratch);
    quotes_find_marks(&c, o->max_quote_bytes);
    quotes_index_entities(&c);
    quotes_tag(&c, cache);
    quotes_attr *v;
    size_t n;
    quotes_assemble(&c, o, &v, &n);
    if (!o->indirect) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].kind != QUOTES_KIND_INDIRECT)
                v[k++] = v[i];
        n = k;
    }
    quotes_resolve_speakers(&c, v, n);
    quotes_emit(&c, v, n);
}
