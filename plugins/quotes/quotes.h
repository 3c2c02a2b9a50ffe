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

#define QUOTES_NONE UINT32_MAX

/* Mixes two 64-bit values into a feature value or id (never 0): inline,
 * since every token makes a dozen. The same in training and tagging. */
static inline uint64_t quotes_mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    return h ? h : 1;
}

/* ---- Word lists (lexicon.c) --------------------------------------------- */

/* A set of lower-cased words keyed by their id (quotes_word_id), each with a
 * small value: the data files' lists (cue words, pronouns, given names). */
typedef struct quotes_wordset {
    uint64_t *keys;
    uint8_t *vals;
    size_t cap, n; /* cap is a power of two */
} quotes_wordset;

void quotes_wordset_put(quotes_wordset *s, uint64_t key, uint8_t val);
/* The value of `key`, or 0 when absent. */
uint8_t quotes_wordset_get(const quotes_wordset *s, uint64_t key);
void quotes_wordset_free(quotes_wordset *s);

/* The id of a word: XXH3 of its lower-cased text (ASCII fast path,
 * Unicode case folding otherwise). Never 0. */
uint64_t quotes_word_id(const char *s, size_t len);

/* What a word in references.txt is. */
enum {
    QUOTES_REF_HE = 1,
    QUOTES_REF_SHE,
    QUOTES_REF_IT,
    QUOTES_REF_THEY,
    QUOTES_REF_I,
    QUOTES_REF_WE,
    QUOTES_REF_YOU,
    QUOTES_REF_REL,
    QUOTES_REF_NOMINAL_PERSON,
    QUOTES_REF_NOMINAL_ORG,
    QUOTES_REF_NOMINAL_DOC
};
enum { QUOTES_GENDER_F = 1, QUOTES_GENDER_M = 2 };

typedef struct quotes_fast quotes_fast;
typedef struct quotes_cache quotes_cache;

/* The stage's shipped lists and model, shared read-only by its workers. */
typedef struct quotes_res {
    quotes_wordset cue_words; /* word -> cue-rate bucket (1..4), cue-words.txt */
    quotes_wordset refs;      /* pronouns and nominal heads, references.txt */
    quotes_wordset names;     /* given name -> QUOTES_GENDER_*, given-names.txt */
    uint64_t lists_hash;      /* of cue-words.txt: part of the template hash */
    galley_model *model;      /* the first pass; NULL while training */
    quotes_fast *fast;        /* its finite rows */
    galley_model *stack;      /* the second pass (stack.c); NULL: one pass */
    quotes_fast *stack_fast;  /* its finite rows, the stack templates' too */
} quotes_res;

/* Loads the lists from `dir`, the cue words from `cue_words` when not
 * NULL (training writes its own); the model is opened apart. */
int quotes_res_load_lists(quotes_res *r, const char *dir, const char *cue_words, galley_error *err);
void quotes_res_free(quotes_res *r);

/* ---- The document --------------------------------------------------------- */

/* Token flags of the stage (quotes_ctx.tf). */
enum {
    QUOTES_TF_IN_QUOTE = 1 << 0, /* inside a paired quote's marks */
    QUOTES_TF_OPEN = 1 << 1,     /* an opening mark of a quote */
    QUOTES_TF_CLOSE = 1 << 2,    /* a closing mark of a quote */
    QUOTES_TF_TITLE = 1 << 3,    /* in the article's title line */
    QUOTES_TF_CAPSEQ = 1 << 4,   /* in a run of capitalized words */
};

/* A quote found by its marks. */
typedef struct quotes_quote {
    uint32_t open, close; /* token indexes of the marks; QUOTES_NONE: missing */
    uint32_t first, last; /* content tokens [first, last) */
    uint32_t start, end;  /* content bytes, marks and edge space excluded */
    uint32_t para;
    uint8_t single;    /* single marks (British, or nested) */
    uint8_t flagged;   /* a mark was missing: bounded at the paragraph */
    uint8_t continues; /* runs on into the next paragraph */
    uint8_t continued; /* goes on from the previous paragraph */
    uint8_t shape;     /* QUOTES_SHAPE_* (marks.c) */
} quotes_quote;

enum {
    QUOTES_SHAPE_SENTENCE = 1, /* a sentence or more: direct when attributed */
    QUOTES_SHAPE_FRAGMENT,     /* words inside a sentence */
    QUOTES_SHAPE_TITLE,        /* a title of a work ("on “Morning Joe”") */
};

/* The entities layer indexed by token (speaker.c). */
typedef struct quotes_ents {
    galley_span **v; /* entities with a type, by start */
    size_t n;
    int32_t *at;          /* per token: index in v of the covering entity, or -1 */
    int32_t *prev_person; /* per token: last PERSON ending before it, or -1 */
    int32_t *prev_org;    /* per token: last ORG ending before it, or -1 */
} quotes_ents;

typedef struct quotes_ctx {
    const quotes_res *res;
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
    uint64_t *word;  /* per token: quotes_word_id */
    uint8_t *cueb;   /* per token: its cue-rate bucket (cue-words.txt), 0 none */
    uint8_t *tf;     /* per token: QUOTES_TF_* */
    quotes_quote *q; /* quotes by position */
    size_t nq;
    int32_t *quote_of; /* per token: index in q of its quote, or -1 */
    quotes_ents ents;
    uint16_t *label;  /* per token: QUOTES_L_* from the tagger */
    int32_t *margin;  /* per token: its label's score over the next best */
    uint16_t *label1; /* per token: the first pass's label (NULL: one pass) */
    int32_t *margin1; /* per token: the first pass's margin (NULL: one pass) */
} quotes_ctx;

/* The first of tok[0..ntok) that starts at or after byte b (ntok when
 * none): tokens are in text order, so a binary search. */
static inline size_t quotes_first_token(const galley_token *tok, size_t ntok, uint32_t b)
{
    size_t lo = 0, hi = ntok;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tok[mid].start < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Tokens [*first, *last) of paragraph p. */
static inline void quotes_para_range(const quotes_ctx *c, size_t p, size_t *first, size_t *last)
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

/* Fills the context for `doc` (tokens, word ids, title lines); its
 * per-token arrays come from `scratch`, or the document's arena when NULL. */
void quotes_ctx_init(quotes_ctx *c, const quotes_res *res, galley_doc *doc, galley_arena *scratch);
/* Pairs the quotation marks: c->q, c->quote_of, the mark flags. */
void quotes_find_marks(quotes_ctx *c, size_t max_quote_bytes);

/* ---- Labels and the tagger ---------------------------------------------- */

enum {
    QUOTES_L_O = 0,
    QUOTES_L_B_SRC,
    QUOTES_L_I_SRC,
    QUOTES_L_B_CUE,
    QUOTES_L_I_CUE,
    QUOTES_L_B_CON,
    QUOTES_L_I_CON,
    QUOTES_NLABELS
};
extern const char *const quotes_label_names[QUOTES_NLABELS];
/* The span type of a label: 0 none, 1 source, 2 cue, 3 content. */
#define QUOTES_LABEL_TYPE(l) ((l) == QUOTES_L_O ? 0 : ((l) + 1) / 2)

/* The hash of the feature templates and the cue list the model is bound to. */
uint64_t quotes_template_hash(const quotes_res *r);

/* What features.c computes of each token before it makes feature ids:
 * the values of the finite templates, the word id, the hashed values. */
#define QUOTES_NFIN 16
#define QUOTES_NHASHED 3
enum {
    QUOTES_W_W0,
    QUOTES_W_WM1,
    QUOTES_W_WP1,
    QUOTES_W_WM2,
    QUOTES_W_WP2,
    QUOTES_W_W0Q0,
    QUOTES_W_W0Q1,
    QUOTES_NWORD
};
#define QUOTES_NFEATURES (QUOTES_NFIN + QUOTES_NWORD - 1 + QUOTES_NHASHED)
#define QUOTES_MAX_L 8 /* labels padded to this in the caches */

typedef struct quotes_tv {
    uint64_t word;
    uint64_t hashed[QUOTES_NHASHED];
    uint32_t fin[QUOTES_NFIN];
    uint8_t q; /* inside a quote (for w0|quote) */
} quotes_tv;

/* A stretch of tokens the tagger labels as one sequence: consecutive
 * sentences of one paragraph that may hold an attribution. */
typedef struct quotes_seg {
    uint32_t para, first, last;
} quotes_seg;

/* The stretches of the document worth tagging (arena). */
void quotes_segments(const quotes_ctx *c, quotes_seg **segs, size_t *n);

/* The values of every token of a stretch, allocated in `a`. */
void quotes_token_values(const quotes_ctx *c, const quotes_seg *sg, galley_arena *a, quotes_tv **tv,
                         size_t *n);

/* Features of every token of paragraph p, in compressed rows: token
 * (first + i) has feats[rows[i] .. rows[i + 1]). Arena memory. For
 * training; the stage takes the same scores through quotes_scores. */
void quotes_features(const quotes_ctx *c, const quotes_seg *sg, uint64_t **feats, uint32_t **rows,
                     size_t *n);

/* The second pass's templates (stack.c): all finite, from the first
 * pass's labels of the stretch. */
#define QUOTES_NSTACK 16
#define QUOTES_NSTACK_H 2 /* and hashed ones, whose rows the row cache holds */

/* A model's rows of the finite features, copied once (quotes_fast_new):
 * the base templates', and the stack templates' (zero rows for a first
 * pass model, which has none). */
struct quotes_fast {
    const galley_model *model;
    size_t L;
    uint32_t fin_base[QUOTES_NFIN];
    int32_t *fin; /* [value][QUOTES_MAX_L] for every finite feature, widened once */
    uint32_t stack_base[QUOTES_NSTACK];
    int32_t *stack; /* the same for the stack templates */
    /* The ids of the hashed stack templates and of word x type, so that
     * a feature id is one mix (quotes_stack_hashed_id's, faster). */
    uint64_t stack_hashed_t[QUOTES_NSTACK_H], word_type_t;
};
quotes_fast *quotes_fast_new(const galley_model *m);
void quotes_fast_free(quotes_fast *x);

/* Rows of words and hashed features already looked up, per stage
 * instance (one per worker): direct-mapped, a miss replaces the entry.
 * Same scores as the model's own lookups, fewer cache misses. An entry
 * holds the rows of both passes' models (pass 0, the first; pass 1, the
 * stack), which look up the same feature ids. */
#define QUOTES_WORD_CACHE (1 << 14)
#define QUOTES_ROW_CACHE (1 << 15)
typedef struct quotes_word_rows {
    uint64_t key;
    int16_t rows[2][QUOTES_NWORD][QUOTES_MAX_L];
    int16_t typed[4][QUOTES_MAX_L]; /* the stack model's word x first-pass type */
} quotes_word_rows;
typedef struct quotes_row_entry {
    uint64_t key;
    int16_t row[2][QUOTES_MAX_L];
} quotes_row_entry;
struct quotes_cache {
    quotes_word_rows words[QUOTES_WORD_CACHE];
    quotes_row_entry rows[QUOTES_ROW_CACHE];
    /* What scoring one stretch needs, emptied before the next: a big
     * article costs the memory of its longest stretch, not of all. */
    galley_arena *scratch;
};

/* Forgets every row (the cache starts zeroed: calloc): for a new model. */
void quotes_cache_reset(quotes_cache *cache);
/* Frees the cache and its scratch. */
void quotes_cache_free(quotes_cache *cache);

/* The label scores of a stretch's tokens ([n][L]) under the first pass's
 * model (pass 0) or the stack model (pass 1: also the stack features of
 * the first pass's labels l1[0..n) and margins m1[0..n) of the stretch),
 * in cache->scratch: valid until the next call. */
void quotes_scores(const quotes_ctx *c, quotes_cache *cache, const quotes_seg *sg, int pass,
                   const uint16_t *l1, const int32_t *m1, int32_t **scores, size_t *n);

/* One stretch as both passes score it: its token values and word rows
 * made once, the scores of both passes' models summed in one sweep
 * (quotes_stretch_prepare, in cache->scratch, which it resets first):
 * scores[0] the first pass's ([n][L]), scores[1] the stack model's
 * without the stack features (NULL without a stack model), which
 * quotes_stretch_add_stack adds from the stack values sv
 * (quotes_stack_values) once the first pass has decoded. */
typedef struct quotes_stretch {
    const quotes_seg *sg;
    size_t n;
    int32_t *scores[2];
    const quotes_word_rows **wr; /* each token's word rows */
} quotes_stretch;
void quotes_stretch_prepare(const quotes_ctx *c, quotes_cache *cache, const quotes_seg *sg,
                            quotes_stretch *st);
void quotes_stretch_add_stack(const quotes_ctx *c, quotes_cache *cache, const quotes_stretch *st,
                              const uint16_t *l1, const uint32_t *sv, const uint64_t *hv);

/* Labels every token (c->label, c->margin) with the model, then again
 * with the stack model when there is one (c->label1 keeps the first
 * pass's labels); paragraphs with nothing to attribute (no cue word,
 * quotation mark or colon) stay O. */
void quotes_tag(quotes_ctx *c, quotes_cache *cache);

/* ---- The second pass (stack.c) ---------------------------------------------- */

/* Whether the stack model looks at a stretch whose first-pass labels are
 * l1[0..n): only when the first pass found something in it. */
int quotes_stack_wanted(const uint16_t *l1, size_t n);
/* The values of the stack templates for the n tokens of stretch sg,
 * given the first pass's labels and margins: vals[i * QUOTES_NSTACK + k]
 * (allocated in `a`). */
void quotes_stack_values(const quotes_ctx *c, const quotes_seg *sg, const uint16_t *l1,
                         const int32_t *m1, galley_arena *a, uint32_t **vals, uint64_t **hashed);
/* The features of the stack model for a stretch: quotes_features' and
 * the stack templates', in compressed rows (arena), for training. */
void quotes_stack_features(const quotes_ctx *c, const quotes_seg *sg, const uint16_t *l1,
                           const int32_t *m1, uint64_t **feats, uint32_t **rows, size_t *n);
/* The number of values of stack template k, and its feature id for value v. */
uint32_t quotes_stack_nvalues(int k);
uint64_t quotes_stack_id(int k, uint32_t v);
/* The feature id of hashed stack template k for value v (a hash), and
 * of the word w with the first-pass label type `type` (0..3). */
uint64_t quotes_stack_hashed_id(int k, uint64_t v);
uint64_t quotes_stack_word_type_id(uint64_t w, int type);
/* The template ids those two mix their values with (for quotes_fast). */
uint64_t quotes_stack_hashed_template(int k);
uint64_t quotes_stack_word_type_template(void);
/* The template hash of a stack model over a first pass whose model file
 * hashes to `first_hash` (quotes_file_hash). */
uint64_t quotes_stack_template_hash(const quotes_res *r, uint64_t first_hash);
/* The hash of a file's bytes (a model's), 0 when it cannot be read. */
uint64_t quotes_file_hash(const char *path);
/* The stack model's path beside a first-pass model's: "X.model" ->
 * "X-stack.model" (written into buf of size n). */
void quotes_stack_path(const char *model, char *buf, size_t n);

/* ---- Attributions ----------------------------------------------------------- */

enum {
    QUOTES_KIND_DIRECT = 0,
    QUOTES_KIND_PARTIAL,
    QUOTES_KIND_INDIRECT,
    QUOTES_KIND_SCARE,
    QUOTES_KIND_TITLE,
    QUOTES_KIND_TRANSCRIPT
};
enum { QUOTES_SPK_NONE = 0, QUOTES_SPK_NAMED, QUOTES_SPK_PRONOUN, QUOTES_SPK_NOMINAL };

typedef struct quotes_piece {
    uint32_t start, end; /* bytes */
} quotes_piece;

typedef struct quotes_attr {
    quotes_piece *pieces;
    size_t npieces;
    uint32_t src_first, src_last; /* source mention tokens [first, last); QUOTES_NONE */
    uint32_t cue_first, cue_last; /* cue tokens; QUOTES_NONE */
    uint8_t kind;
    uint8_t flagged;
    uint8_t inherited;    /* source taken from the attribution before */
    uint8_t has_sentence; /* a piece is a quote of a sentence (assembly) */
    uint8_t has_quote;    /* a piece is or holds a quote (assembly) */
    uint8_t has_unquoted; /* a piece has words outside marks (assembly) */
    float confidence;
    /* Filled by speaker.c. */
    const char *speaker;         /* canonical name, or the nominal phrase */
    uint8_t speaker_kind;        /* QUOTES_SPK_* */
    uint32_t spk_start, spk_end; /* the mention, bytes; QUOTES_NONE */
} quotes_attr;

/* The mean label margin at which an attribution's confidence is 0.5. */
#define QUOTES_MARGIN_HALF 2000.0

typedef struct quotes_run_options {
    int indirect;
    size_t scare_max_words;
    size_t max_quote_bytes;
} quotes_run_options;

/* Attributions from the labels and the quotes, in text order (the turns
 * of a transcript included). */
void quotes_assemble(quotes_ctx *c, const quotes_run_options *o, quotes_attr **out, size_t *n);
/* The turns of an interview transcript ("PENCE: ..."), each an
 * attribution of its own, in place of what was assembled in their
 * paragraphs (transcript.c); the array is replaced, still in text order. */
void quotes_transcripts(quotes_ctx *c, quotes_attr **v, size_t *n);
/* Indexes the entities layer (c->ents). */
void quotes_index_entities(quotes_ctx *c);
/* Who each attribution's source mention is. */
void quotes_resolve_speakers(quotes_ctx *c, quotes_attr *v, size_t n);
/* Adds the `quotes` layer. */
void quotes_emit(quotes_ctx *c, const quotes_attr *v, size_t n);

/* The whole of one document, as the stage's process callback does it;
 * its working memory from `scratch` (the caller resets it after; NULL: the
 * document's arena). */
void quotes_process_doc(const quotes_res *res, quotes_cache *cache, const quotes_run_options *o,
                        galley_doc *doc, galley_arena *scratch);

/* The layer's fields, for the descriptor. */
extern const galley_layer_field quotes_fields[];

/* ---- Training (polnear.c, train.c) ------------------------------------------ */

typedef struct quotes_gold {
    quotes_piece *content;
    size_t ncontent;
    quotes_piece *source;
    size_t nsource;
    quotes_piece *cue;
    size_t ncue;
} quotes_gold;

typedef struct quotes_article {
    char *name;
    galley_doc *doc;   /* the text, title in metadata */
    quotes_gold *gold; /* attributions, byte offsets */
    size_t ngold;
    uint16_t *label; /* per token: the gold label */
} quotes_article;

typedef struct quotes_corpus {
    quotes_article *v;
    size_t n;
} quotes_corpus;

/* Reads a PolNeAR split folder (text/, attributions/; titles from
 * ../metadata.tsv): one annotator per article, the one whose id sorts
 * first. Returns 0 or -1 with `err` set. */
int quotes_polnear_read(const char *dir, quotes_corpus *out, galley_error *err);
/* Labels each token of the articles from their gold (needs the tokens). */
void quotes_polnear_label(quotes_corpus *c);
void quotes_corpus_free(quotes_corpus *c);

/* The stage's commands. */
int quotes_cmd_train(int argc, char **argv, const galley_stage_env *env);

#endif
