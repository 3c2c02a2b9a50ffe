/* galley/model.h - a trainable sequence tagger for stages: hashed sparse
 * features, a small label table, first-order label transitions with
 * optional constraints (BIO validity), averaged structured perceptron
 * training and Viterbi decoding, and a versioned, checksummed model file
 * that is mapped into memory once per process and shared read-only by
 * every worker.
 *
 * The stage owns the features. For each token it makes feature ids (64-bit
 * hashes of strings such as "w=London" or "suf3=don|pos=-1"; see
 * galley_feature), and the model owns one weight per feature and label.
 * A token's score for a label is the sum of its features' weights; a
 * sentence's tagging is the label sequence that maximises the token scores
 * plus the transition weights between neighbouring labels.
 *
 * Decoding works on a score matrix that the stage fills (galley_model_add
 * or galley_model_row per feature), so a stage may cache the summed
 * scores of features that depend on one word alone and add them in one
 * go: weights are integers, so the sum is the same in any order.
 *
 * Training (galley_model_trainer_*) keeps every sentence in memory, one
 * epoch a call, and hands out a snapshot model after any epoch (averaged,
 * pruned, quantized: exactly what would be saved), so a training command
 * can score each epoch on a development set with its own decoding code
 * and keep the best. Same sentences, options and seed: same model bytes.
 *
 * All functions are thread-safe on distinct objects; a loaded model is
 * read-only and may be used by any number of threads at once. */
#ifndef GALLEY_MODEL_H
#define GALLEY_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <galley/arena.h>
#include <galley/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The model file format this library writes and reads. */
#define GALLEY_MODEL_FORMAT 1
/* At most this many labels (backpointers are bytes). */
#define GALLEY_MODEL_MAX_LABELS 255

typedef struct galley_model galley_model;
typedef struct galley_model_trainer galley_model_trainer;

/* ---- Feature ids ------------------------------------------------------ */

/* The id of a feature named by a template id and a string value: the
 * template says what the value is ("word at -1", "suffix of 3"), so equal
 * strings of different templates are different features. Never 0. */
uint64_t galley_feature(uint64_t template_id, const char *value, size_t len);
/* A template id from its name ("w-1", "suf3"). Never 0. */
uint64_t galley_feature_template(const char *name);
/* The conjunction of two features (order matters). Never 0. */
uint64_t galley_feature_pair(uint64_t a, uint64_t b);

/* ---- Labels ----------------------------------------------------------- */

enum {
    /* Derive the allowed transitions from the label names in the BIO and
     * BILOU conventions: "O"; "B-X" begins, "I-X" continues, "L-X" (or
     * "E-X") ends and "U-X" (or "S-X") is a whole span of type X. I-X and
     * L-X follow only B-X or I-X of the same X; a sentence may not end
     * inside a span when the label set has L- or U- labels. Names that
     * follow neither convention are unconstrained. */
    GALLEY_MODEL_BIO = 1 << 0
};

typedef struct galley_model_spec {
    const char *const *labels; /* names, copied; at most 255 */
    size_t nlabels;
    unsigned flags; /* GALLEY_MODEL_* */
    /* The stage's feature templates, hashed: a model made with other
     * templates is refused at load (its weights would mean nothing). */
    uint64_t template_hash;
} galley_model_spec;

/* ---- Loading: one mapping per file and process ------------------------ */

/* The model in the file at `path`, mapped read-only and shared: the first
 * open in a process maps and checks the file (magic, format version,
 * size, checksum, layout), later opens of the same file (by real path)
 * return the same model with one more reference. Refuses, with the path
 * and what is wrong in `err`: a missing or unreadable file, a file that
 * is not a galley model, another format version, a truncated or corrupt
 * file, and a model whose template hash differs from `template_hash`
 * (both hashes in the message); pass 0 to accept any templates. */
galley_model *galley_model_open(const char *path, uint64_t template_hash, galley_error *err);
/* Drops a reference (the last one unmaps the file), or frees a model from
 * galley_model_trainer_model. NULL is allowed. */
void galley_model_close(galley_model *m);

size_t galley_model_nlabels(const galley_model *m);
const char *galley_model_label(const galley_model *m, size_t i);
/* Index of the label named `name`, or -1. */
int galley_model_label_index(const galley_model *m, const char *name);
uint64_t galley_model_template_hash(const galley_model *m);
/* Features with weights, and the size of the model's image in bytes. */
size_t galley_model_nfeatures(const galley_model *m);
size_t galley_model_size(const galley_model *m);
/* Provenance and training facts written into the model: "corpus",
 * "split", "command", "galley_version", "epochs", ... NULL when absent.
 * galley_model_info_at walks them all (NULL past the end). */
const char *galley_model_info(const galley_model *m, const char *key);
const char *galley_model_info_at(const galley_model *m, size_t i, const char **value);

/* ---- Scoring and decoding --------------------------------------------- */

/* Weights of feature `f`, one int16 per label, or NULL when the model has
 * none. Valid as long as the model is open. */
const int16_t *galley_model_row(const galley_model *m, uint64_t f);
/* Adds feature f's weights to scores[0..nlabels). Returns 1 when the
 * model knows the feature, 0 when not (scores unchanged). */
int galley_model_add(const galley_model *m, uint64_t f, int32_t *scores);
/* The best label sequence for n tokens given their scores (n rows of
 * nlabels, token-major), under the model's transitions and constraints.
 * Writes labels[0..n); ties go to the lower label index. Scratch comes
 * from `a` (galley_model_scratch_size bytes). */
void galley_model_decode(const galley_model *m, const int32_t *scores, size_t n, uint16_t *labels,
                         galley_arena *a);
/* The scratch galley_model_decode_into needs for n tokens (about
 * 4 * n * nlabels bytes). */
size_t galley_model_scratch_size(const galley_model *m, size_t n);
/* galley_model_decode with the caller's scratch (16-byte aligned, at
 * least galley_model_scratch_size(m, n) bytes): a stage that decodes
 * every sentence of a document allocates it once, for the longest, so a
 * big article's memory does not grow with each sentence decoded. */
void galley_model_decode_into(const galley_model *m, const int32_t *scores, size_t n,
                              uint16_t *labels, void *scratch);
/* Both at once for features in compressed rows: token i's features are
 * features[first[i] .. first[i + 1]). */
void galley_model_tag(const galley_model *m, const uint64_t *features, const uint32_t *first,
                      size_t n, uint16_t *labels, galley_arena *a);

/* ---- Training --------------------------------------------------------- */

typedef struct galley_train_options {
    unsigned min_count; /* drop features seen in fewer tokens (0 or 1: keep all) */
    uint64_t seed;      /* order of sentences in each epoch */
    int no_average;     /* 1: plain perceptron weights (for tests) */
} galley_train_options;

/* A trainer for the labels and templates of `spec`. NULL with `err` set
 * for a bad label table. `o` may be NULL for the defaults. */
galley_model_trainer *galley_model_trainer_new(const galley_model_spec *spec,
                                               const galley_train_options *o, galley_error *err);
void galley_model_trainer_free(galley_model_trainer *t);
/* Adds a sentence of n tokens (copied): token i has features
 * features[first[i] .. first[i + 1]) and the gold label labels[i]. Only
 * before the first epoch. Returns 0, or -1 with `err` set. */
int galley_model_trainer_add(galley_model_trainer *t, const uint64_t *features,
                             const uint32_t *first, const uint16_t *labels, size_t n,
                             galley_error *err);
/* Records a provenance entry for the models it makes ("corpus",
 * "split", "command", ...; a key set twice keeps the last value). The
 * library adds "galley_version", "epochs", "min_count", "seed",
 * "sentences" and "tokens" itself. */
void galley_model_trainer_set_info(galley_model_trainer *t, const char *key, const char *value);
/* One pass over the sentences in an order drawn from the seed and the
 * epoch number. Sets *mistakes to the tokens the current weights tagged
 * wrong during the pass (may be NULL). Returns 0 or -1 with `err` set. */
int galley_model_trainer_epoch(galley_model_trainer *t, size_t *mistakes, galley_error *err);
/* The model the weights make now: averaged over every update so far,
 * quantized to 16 bits, without the features whose weights all round to
 * zero. The caller closes it with galley_model_close. */
galley_model *galley_model_trainer_model(galley_model_trainer *t, galley_error *err);

/* Writes the model's image to `path` (through a temporary file renamed
 * into place). Returns 0 or -1 with `err` naming the path. */
int galley_model_save(const galley_model *m, const char *path, galley_error *err);

#ifdef __cplusplus
}
#endif
#endif
