/* quotes.h - the parts of the quotes stage and what they share.
 *
 * One document goes through: context.c (tokens, word ids, title lines),
 * marks.c (quotation marks paired into quotes), tagger.c (features.c and
 * the sequence model label each token Source, Cue or Content), assemble.c
 * (labels and quotes into attributions), speaker.c (who a source mention
 * is), emit.c (the `quotes` layer). polnear.c and train.c are the
 * training command. Everything per document comes from its arena. */
#ifndef QUOTES_QUOTES_H
#define QUOTES_QUOTES_H

#include <stdint.h>
#include <galley/galley.h>
#include <galley/model.h>

#define QT_NONE UINT32_MAX

/* Mixes two 64-bit values into a feature value or id (never 0): inline,
 * since every token makes a dozen. The same in training and tagging. */
static inline uint64_t qt_mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    return h ? h : 1;
}

/* ---- Word lists (lexicon.c) --------------------------------------------- */

/* A set of lower-cased words keyed by their id (qt_word_id), each with a
 * small value: the data files' lists (cue words, pronouns, given names). */
typedef struct qt_wordset {
    uint64_t *keys;
    uint8_t *vals;
    size_t cap, n;            /* cap is a power of two */
} qt_wordset;

void qt_wordset_put(qt_wordset *s, uint64_t key, uint8_t val);
/* The value of `key`, or 0 when absent. */
uint8_t qt_wordset_get(const qt_wordset *s, uint64_t key);
void qt_wordset_free(qt_wordset *s);

/* The id of a word: XXH3 of its lower-cased text (ASCII fast path,
 * Unicode case folding otherwise). Never 0. */
uint64_t qt_word_id(const char *s, size_t len);

/* What a word in references.txt is. */
enum {
    QT_REF_HE = 1, QT_REF_SHE, QT_REF_IT, QT_REF_THEY, QT_REF_I, QT_REF_WE, QT_REF_YOU, QT_REF_REL,
    QT_REF_NOMINAL_PERSON, QT_REF_NOMINAL_ORG, QT_REF_NOMINAL_DOC
};
enum { QT_GENDER_F = 1, QT_GENDER_M = 2 };

typedef struct qt_fast qt_fast;
typedef struct qt_cache qt_cache;

/* The stage's shipped lists and model, shared read-only by its workers. */
typedef struct qt_res {
    qt_wordset cue_words;     /* word -> cue-rate bucket (1..4), cue-words.txt */
    qt_wordset refs;          /* pronouns and nominal heads, references.txt */
    qt_wordset names;         /* given name -> QT_GENDER_*, given-names.txt */
    uint64_t lists_hash;      /* of cue-words.txt: part of the template hash */
    galley_model *model;      /* NULL while training */
    qt_fast *fast;            /* the model's finite rows */
} qt_res;

/* Loads the lists from `dir`, the cue words from `cue_words` when not
 * NULL (training writes its own); the model is opened apart. */
int qt_res_load_lists(qt_res *r, const char *dir, const char *cue_words, galley_error *err);
void qt_res_free(qt_res *r);

/* ---- The document --------------------------------------------------------- */

/* Token flags of the stage (qt_ctx.tf). */
enum {
    QT_TF_IN_QUOTE = 1 << 0,   /* inside a paired quote's marks */
    QT_TF_OPEN = 1 << 1,       /* an opening mark of a quote */
    QT_TF_CLOSE = 1 << 2,      /* a closing mark of a quote */
    QT_TF_TITLE = 1 << 3,      /* in the article's title line */
    QT_TF_CAPSEQ = 1 << 4,     /* in a run of capitalized words */
};

/* A quote found by its marks. */
typedef struct qt_quote {
    uint32_t open, close;      /* token indexes of the marks; QT_NONE: missing */
    uint32_t first, last;      /* content tokens [first, last) */
    uint32_t start, end;       /* content bytes, marks and edge space excluded */
    uint32_t para;
    uint8_t single;            /* single marks (British, or nested) */
    uint8_t flagged;           /* a mark was missing: bounded at the paragraph */
    uint8_t continues;         /* runs on into the next paragraph */
    uint8_t continued;         /* goes on from the previous paragraph */
    uint8_t shape;             /* QT_SHAPE_* (marks.c) */
} qt_quote;

enum {
    QT_SHAPE_SENTENCE = 1,     /* a sentence or more: direct when attributed */
    QT_SHAPE_FRAGMENT,         /* words inside a sentence */
    QT_SHAPE_TITLE,            /* a title of a work ("on “Morning Joe”") */
};

/* The entities layer indexed by token (speaker.c). */
typedef struct qt_ents {
    galley_span **v;           /* entities with a type, by start */
    size_t n;
    int32_t *at;               /* per token: index in v of the covering entity, or -1 */
    int32_t *prev_person;      /* per token: last PERSON ending before it, or -1 */
    int32_t *prev_org;         /* per token: last ORG ending before it, or -1 */
} qt_ents;

typedef struct qt_ctx {
    const qt_res *res;
    galley_doc *doc;
    galley_arena *a;
    const char *text;
    size_t len;
    const galley_token *tok;
    size_t ntok;
    const galley_sentence *sent;
    size_t nsent;
    const galley_paragraph *para;
    size_t npara;
    uint64_t *word;            /* per token: qt_word_id */
    uint8_t *cueb;             /* per token: its cue-rate bucket (cue-words.txt), 0 none */
    uint8_t *tf;               /* per token: QT_TF_* */
    qt_quote *q;               /* quotes by position */
    size_t nq;
    int32_t *quote_of;         /* per token: index in q of its quote, or -1 */
    qt_ents ents;
    uint16_t *label;           /* per token: QT_L_* from the tagger */
    int32_t *margin;           /* per token: its label's score over the next best */
} qt_ctx;

/* Tokens [*first, *last) of paragraph p. */
static inline void qt_para_range(const qt_ctx *c, size_t p, size_t *first, size_t *last)
{
    const galley_paragraph *pp = &c->para[p];
    if (!pp->nsentences) {
        *first = *last = 0;
        return;
    }
    const galley_sentence *b = &c->sent[pp->first_sentence + pp->nsentences - 1];
    *first = c->sent[pp->first_sentence].first_token;
    *last = b->first_token + b->ntokens;
}

/* Fills the context for `doc` (tokens, word ids, title lines). */
void qt_ctx_init(qt_ctx *c, const qt_res *res, galley_doc *doc);
/* Pairs the quotation marks: c->q, c->quote_of, the mark flags. */
void qt_find_marks(qt_ctx *c, size_t max_quote_bytes);

/* ---- Labels and the tagger ---------------------------------------------- */

enum { QT_L_O = 0, QT_L_B_SRC, QT_L_I_SRC, QT_L_B_CUE, QT_L_I_CUE, QT_L_B_CON, QT_L_I_CON,
       QT_NLABELS };
extern const char *const qt_label_names[QT_NLABELS];
/* The span type of a label: 0 none, 1 source, 2 cue, 3 content. */
#define QT_LABEL_TYPE(l) ((l) == QT_L_O ? 0 : ((l) + 1) / 2)

/* The hash of the feature templates and the cue list the model is bound to. */
uint64_t qt_template_hash(const qt_res *r);

/* What features.c computes of each token before it makes feature ids:
 * the values of the finite templates, the word id, the hashed values. */
#define QT_NFIN 16
#define QT_NHASHED 3
enum { QT_W_W0, QT_W_WM1, QT_W_WP1, QT_W_WM2, QT_W_WP2, QT_W_W0Q0, QT_W_W0Q1, QT_NWORD };
#define QT_NFEATURES (QT_NFIN + QT_NWORD - 1 + QT_NHASHED)
#define QT_MAX_L 8            /* labels padded to this in the caches */

typedef struct qt_tv {
    uint64_t word;
    uint64_t hashed[QT_NHASHED];
    uint32_t fin[QT_NFIN];
    uint8_t q;                /* inside a quote (for w0|quote) */
} qt_tv;

/* A stretch of tokens the tagger labels as one sequence: consecutive
 * sentences of one paragraph that may hold an attribution. */
typedef struct qt_seg {
    uint32_t para, first, last;
} qt_seg;

/* The stretches of the document worth tagging (arena). */
void qt_segments(const qt_ctx *c, qt_seg **segs, size_t *n);

/* The values of every token of a stretch, allocated in `a`. */
void qt_token_values(const qt_ctx *c, const qt_seg *sg, galley_arena *a, qt_tv **tv, size_t *n);

/* Features of every token of paragraph p, in compressed rows: token
 * (first + i) has feats[rows[i] .. rows[i + 1]). Arena memory. For
 * training; the stage takes the same scores through qt_scores. */
void qt_features(const qt_ctx *c, const qt_seg *sg, uint64_t **feats, uint32_t **rows, size_t *n);

/* A model's rows of the finite features, copied once (qt_fast_new). */
struct qt_fast {
    const galley_model *model;
    size_t L;
    uint32_t fin_base[QT_NFIN];
    int16_t *fin;             /* [value][QT_MAX_L] for every finite feature */
};
qt_fast *qt_fast_new(const galley_model *m);
void qt_fast_free(qt_fast *x);

/* Rows of words and hashed features already looked up, per stage
 * instance (one per worker): direct-mapped, a miss replaces the entry.
 * Same scores as the model's own lookups, fewer cache misses. */
#define QT_WORD_CACHE (1 << 14)
#define QT_ROW_CACHE (1 << 15)
typedef struct qt_word_rows {
    uint64_t key;
    int16_t rows[QT_NWORD][QT_MAX_L];
} qt_word_rows;
typedef struct qt_row_entry {
    uint64_t key;
    int16_t row[QT_MAX_L];
} qt_row_entry;
struct qt_cache {
    qt_word_rows words[QT_WORD_CACHE];
    qt_row_entry rows[QT_ROW_CACHE];
    /* What scoring one stretch needs, emptied before the next: a big
     * article costs the memory of its longest stretch, not of all. */
    galley_arena *scratch;
};

/* Forgets every row (the cache starts zeroed: calloc): for a new model. */
void qt_cache_reset(qt_cache *cache);
/* Frees the cache and its scratch. */
void qt_cache_free(qt_cache *cache);

/* The label scores of paragraph p's tokens ([n][L]), in cache->scratch:
 * valid until the next call. */
void qt_scores(const qt_ctx *c, qt_cache *cache, const qt_seg *sg, int32_t **scores, size_t *n);


/* Labels every token (c->label) with the model; paragraphs with nothing
 * to attribute (no cue word, quotation mark or colon) stay O. */
void qt_tag(qt_ctx *c, qt_cache *cache);

/* ---- Attributions ----------------------------------------------------------- */

enum { QT_KIND_DIRECT = 0, QT_KIND_PARTIAL, QT_KIND_INDIRECT, QT_KIND_SCARE, QT_KIND_TITLE };
enum { QT_SPK_NONE = 0, QT_SPK_NAMED, QT_SPK_PRONOUN, QT_SPK_NOMINAL };

typedef struct qt_piece {
    uint32_t start, end;       /* bytes */
} qt_piece;

typedef struct qt_attr {
    qt_piece *pieces;
    size_t npieces;
    uint32_t src_first, src_last;   /* source mention tokens [first, last); QT_NONE */
    uint32_t cue_first, cue_last;   /* cue tokens; QT_NONE */
    uint8_t kind;
    uint8_t flagged;
    uint8_t inherited;         /* source taken from the attribution before */
    uint8_t has_sentence;      /* a piece is a quote of a sentence (assembly) */
    uint8_t has_quote;         /* a piece is or holds a quote (assembly) */
    uint8_t has_unquoted;      /* a piece has words outside marks (assembly) */
    float confidence;
    /* Filled by speaker.c. */
    const char *speaker;       /* canonical name, or the nominal phrase */
    uint8_t speaker_kind;      /* QT_SPK_* */
    uint32_t spk_start, spk_end;    /* the mention, bytes; QT_NONE */
} qt_attr;

/* The mean label margin at which an attribution's confidence is 0.5. */
#define QT_MARGIN_HALF 2000.0

typedef struct qt_options {
    int indirect;
    size_t scare_max_words;
    size_t max_quote_bytes;
} qt_options;

/* Attributions from the labels and the quotes, in text order. */
void qt_assemble(qt_ctx *c, const qt_options *o, qt_attr **out, size_t *n);
/* Indexes the entities layer (c->ents). */
void qt_index_entities(qt_ctx *c);
/* Who each attribution's source mention is. */
void qt_resolve_speakers(qt_ctx *c, qt_attr *v, size_t n);
/* Adds the `quotes` layer. */
void qt_emit(qt_ctx *c, const qt_attr *v, size_t n);

/* The whole of one document, as the stage's process callback does it. */
void qt_process(const qt_res *res, qt_cache *cache, const qt_options *o, galley_doc *doc);

/* The layer's fields, for the descriptor. */
extern const galley_layer_field qt_fields[];

/* ---- Training (polnear.c, train.c) ------------------------------------------ */

typedef struct qt_gold {
    qt_piece *content;
    size_t ncontent;
    qt_piece *source;
    size_t nsource;
    qt_piece *cue;
    size_t ncue;
} qt_gold;

typedef struct qt_article {
    char *name;
    galley_doc *doc;           /* the text, title in metadata */
    qt_gold *gold;             /* attributions, byte offsets */
    size_t ngold;
    uint16_t *label;           /* per token: the gold label */
} qt_article;

typedef struct qt_corpus {
    qt_article *v;
    size_t n;
} qt_corpus;

/* Reads a PolNeAR split folder (text/, attributions/; titles from
 * ../metadata.tsv): one annotator per article, the one whose id sorts
 * first. Returns 0 or -1 with `err` set. */
int qt_polnear_read(const char *dir, qt_corpus *out, galley_error *err);
/* Labels each token of the articles from their gold (needs the tokens). */
void qt_polnear_label(qt_corpus *c);
void qt_corpus_free(qt_corpus *c);

/* The stage's commands. */
int qt_cmd_train(int argc, char **argv, const galley_stage_env *env);

#endif
