/* featurize.h - the entity model's features: what a token looks like to
 * the tagger. Training (train.c) and tagging (tagger.c) both build them
 * here, so the two cannot drift apart.
 *
 * Two kinds, for speed:
 *  - word features depend on one word's string alone (its form, lower
 *    case, shape, affixes, word cluster, dictionary membership) and are
 *    used at window offsets -2..2: the tagger sums their weights once per
 *    word type and offset and caches the sums;
 *  - context features depend on the token's place (sentence start, the
 *    kind of line, multi-word dictionary matches, the rest of the
 *    article): a handful a token, all of few values. */
#ifndef ENTITIES_FEATURIZE_H
#define ENTITIES_FEATURIZE_H

#include <galley/galley.h>
#include "rules.h"

#define ENTITIES_WINDOW 2 /* offsets -2..2 */
#define ENTITIES_OFFSETS (2 * ENTITIES_WINDOW + 1)
#define ENTITIES_MAX_WORD_FEATURES 48
#define ENTITIES_MAX_CONTEXT_FEATURES 32
#define ENTITIES_MAX_TYPES 16 /* entity types a model may have */

/* A word's string as the features see it, and how: in an ALL-CAPS line
 * a word is seen title-cased ("GERMANY" as "Germany"). */
enum { ENTITIES_W_CAPS_LINE = 1 };

typedef struct entities_wfeat {
    uint64_t id;     /* offset-independent id */
    uint8_t offsets; /* bit k + ENTITIES_WINDOW: used at offset k */
} entities_wfeat;

/* Word clusters: word -> its class at a few granularities, from
 * data/clusters.txt (tools/clusters.c makes it); may be absent. */
typedef struct entities_clusters entities_clusters;
entities_clusters *entities_clusters_load(const char *path, galley_error *err);
void entities_clusters_free(entities_clusters *c);

typedef struct entities_res {
    const entities_dicts *d;
    const entities_clusters *clusters; /* NULL: none */
    /* Names seen in annotated text (data/names.txt: PHRASE<TAB>TYPES,
     * TYPES such as "LOC|ORG"), matched as written and, in all-caps
     * lines, ignoring case; NULL: none. */
    const galley_dict *names, *names_ci;
} entities_res;

/* The hash of the feature set (its name in featurize.c) and of the word
 * clusters: a model made with other templates is refused at load. */
uint64_t entities_template_hash(const entities_res *r);

/* The cache key of a word: its bytes and how it is seen. */
uint64_t entities_word_key(const char *s, size_t len, unsigned wflags);
/* The word features of s[0..len) (at most ENTITIES_MAX_WORD_FEATURES). */
size_t entities_word_features(const entities_res *r, const char *s, size_t len, unsigned wflags,
                              entities_wfeat *out);
/* The id of word feature f used at offset k (-2..2). */
uint64_t entities_at_offset(uint64_t f, int k);
/* Word features of the pseudo-words before the start (-1) and after the
 * end (+1) of a sentence. */
size_t entities_boundary_features(int side, entities_wfeat *out);

/* Line kinds, a flag set a line (paragraph). */
enum {
    ENTITIES_LINE_CAPS = 1 << 0,     /* ALL-CAPS headline or text */
    ENTITIES_LINE_DATELINE = 1 << 1, /* "LONDON 1996-08-30", "TEHRAN (Reuters) -" */
    ENTITIES_LINE_TABLE = 1 << 2,    /* a row of names and numbers */
    ENTITIES_LINE_SHORT = 1 << 3,    /* three words or fewer: bylines, headings */
    ENTITIES_LINE_TITLE = 1 << 4,    /* five or more words, all capitalized, no stop */
    ENTITIES_LINE_LIST = 1 << 5,     /* "Given, Breen, Staunton, Irwin": a list of names */
    /* Not a feature (the model was trained without it), for the rules:
     * a title-case headline, ENTITIES_LINE_TITLE without lists and brackets,
     * possessives not counted as words. */
    ENTITIES_LINE_HEADLINE = 1 << 6
};

/* What the context features of a document need, built once a document
 * (memory from the document's arena). */
typedef struct entities_doc_view {
    const char *text;
    const galley_token *tok;
    size_t ntok;
    uint8_t *line_kind;   /* per token: its line's ENTITIES_LINE_* */
    uint8_t *dict_flags;  /* per token: multi-word dictionary matches */
    uint64_t *lower;      /* per token: hash of its lower-cased text */
    uint16_t *name_codes; /* per token: a names.txt match (types, role) */
    uint8_t *doc_flags;   /* per token: what the rest of the article says */
    unsigned *wflags;     /* per token: ENTITIES_W_* */
    /* Context aggregation (Ratinov and Roth 2009): for a capitalized
     * word, the words next to its other mentions in the article, as
     * feature ids, kept once a distinct word (a record): token i's word
     * is record agg_rec[i] (UINT32_MAX: none), whose ids on side s
     * (0 before, 1 after) are agg_ids[(r*2+s)*AGG_MAX ..] and number
     * agg_count[r*2+s]. */
    uint32_t *agg_rec;
    uint64_t *agg_ids;
    uint8_t *agg_count;
    /* Prediction history (Ratinov and Roth's non-local features): for
     * each record, how often its mentions in the sentences tagged so far
     * got each model type (index ENTITIES_HIST_O: none), so that a
     * mention sees what the earlier mentions of its word were. Filled by
     * entities_history_add as sentences are tagged, in text order. */
    uint16_t *hist;
} entities_doc_view;

/* History classes: the model's types, and one for a mention left out. */
#define ENTITIES_HIST_O ENTITIES_MAX_TYPES
#define ENTITIES_HIST_CLASSES (ENTITIES_MAX_TYPES + 1)

/* Adds the tagging of the sentence [first, end) to the history: type[k]
 * is the model type of token first + k (-1: none). Call it for each
 * sentence after its features are made, in text order: a sentence then
 * sees the sentences before it, the same way in training and tagging. */
void entities_history_add(entities_doc_view *v, size_t first, size_t end, const int8_t *type);

/* The view of doc, its arrays in arena a: the document's, or scratch that
 * outlives the view's use (the stage's, reset for each document). */
void entities_doc_view_build(const entities_res *r, galley_doc *doc, galley_arena *a,
                             entities_doc_view *v);
/* The context features of token i of the sentence [first, end). */
size_t entities_context_features(const entities_doc_view *v, size_t first, size_t end, size_t i,
                                 uint64_t *out);
/* Every feature of token i of the sentence [first, end), word features
 * of its window at their offsets included: what training sees (the
 * tagger adds the same weights through its cache). At most
 * ENTITIES_OFFSETS * ENTITIES_MAX_WORD_FEATURES + ENTITIES_MAX_CONTEXT_FEATURES. */
size_t entities_token_features(const entities_res *r, const entities_doc_view *v, size_t first,
                               size_t end, size_t i, uint64_t *out);

#endif
