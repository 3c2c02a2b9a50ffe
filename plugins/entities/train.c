/* train.c - the stage's commands: `galley entities train` makes the model
 * from CoNLL-2003 files, `galley entities eval` scores the stage or its
 * model on one. Both read the CoNLL text as articles (conll.h) and run
 * the stage's own code on them, so the scores are the stage's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conll.h"
#include "entities.h"

/* Label tables: BIO (the default) and BILOU. */
static const char *const bio_labels[] = { "O",     "B-PER", "I-PER",  "B-ORG", "I-ORG",
                                          "B-LOC", "I-LOC", "B-MISC", "I-MISC" };
static const char *const bilou_labels[] = { "O",     "B-PER",  "I-PER",  "L-PER",  "U-PER", "B-ORG",
                                            "I-ORG", "L-ORG",  "U-ORG",  "B-LOC",  "I-LOC", "L-LOC",
                                            "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC" };

typedef struct scheme {
    const char *const *labels;
    size_t n;
    int bilou;
} scheme;

/* The label of a token at position `pos` of an entity of `len` tokens. */
static uint16_t label_of(const scheme *sc, int type, size_t pos, size_t len)
{
    if (type < 0)
        return 0;
    if (!sc->bilou)
        return (uint16_t)(1 + type * 2 + (pos > 0));
    char role = len == 1 ? 'U' : pos == 0 ? 'B' : pos + 1 == len ? 'L' : 'I';
    static const char roles[] = "BILU";
    return (uint16_t)(1 + type * 4 + (strchr(roles, role) - roles));
}

/* Gold labels of a document's galley tokens; counts the CoNLL tokens
 * that are not exactly one galley token in *differ. */
static uint16_t *gold_labels(const scheme *sc, const entities_conll_doc *d, const galley_token *tok,
                             size_t ntok, size_t *differ)
{
    uint16_t *labels = calloc(ntok + 1, sizeof *labels);
    int *type = malloc((ntok + 1) * sizeof *type);
    size_t *entities_of = calloc(ntok + 1, sizeof *entities_of); /* the gold entity of each token */
    if (!labels || !type || !entities_of)
        abort();
    size_t e = 0;
    for (size_t i = 0; i < ntok; i++) {
        type[i] = -1;
        while (e < d->nents && d->ents[e].end <= tok[i].start)
            e++;
        if (e < d->nents && d->ents[e].start <= tok[i].start && tok[i].start < d->ents[e].end)
            type[i] = d->ents[e].type;
        entities_of[i] = type[i] >= 0 ? e : (size_t)-1;
    }
    for (size_t i = 0; i < ntok;) {
        size_t j = i + 1;
        while (j < ntok && type[i] >= 0 && entities_of[j] == entities_of[i])
            j++;
        for (size_t k = i; k < j; k++)
            labels[k] = label_of(sc, type[i], k - i, j - i);
        i = j;
    }
    /* CoNLL tokens against galley tokens, both in text order. */
    size_t t = 0;
    for (size_t c = 0; c < d->ntokens; c++) {
        while (t < ntok && tok[t].start < d->tokens[c].start)
            t++;
        if (!(t < ntok && tok[t].start == d->tokens[c].start && tok[t].end == d->tokens[c].end))
            (*differ)++;
    }
    free(type);
    free(entities_of);
    return labels;
}

/* The stage's spans in a tagged document, as CoNLL spans: PERSON is PER,
 * NORP is MISC (CoNLL's nationalities), DATE is not a CoNLL type. */
static size_t layer_spans(galley_doc *doc, entities_conll_span *out, size_t cap)
{
    static const struct {
        const char *layer;
        int type;
    } map[] = {
        { "PERSON", CONLL_PER }, { "ORG", CONLL_ORG },   { "LOC", CONLL_LOC },
        { "MISC", CONLL_MISC },  { "NORP", CONLL_MISC },
    };
    galley_layer *l = galley_doc_layer(doc, "entities");
    size_t n = 0;
    for (size_t i = 0; l && i < galley_layer_size(l) && n < cap; i++) {
        galley_span *s = galley_layer_at(l, i);
        const char *type = galley_object_get_str(s->fields, "type");
        for (size_t k = 0; k < sizeof map / sizeof *map; k++)
            if (type && strcmp(type, map[k].layer) == 0)
                out[n++] =
                    (entities_conll_span){ (uint32_t)s->start, (uint32_t)s->end, map[k].type };
    }
    return n;
}

/* The model's own spans (before the rules), as CoNLL spans. */
static size_t model_spans(entities_instance *e, galley_doc *doc, entities_conll_span *out,
                          size_t cap)
{
    entities_doc_view v;
    entities_doc_view_build(&e->base->res, doc, galley_doc_arena(doc), &v);
    size_t n, k = 0;
    entities_mspan *ms = entities_tagger_tag(&e->tagger, doc, galley_doc_arena(doc), &v, &n);
    for (size_t i = 0; i < n && k < cap; i++) {
        int t = -1;
        for (int c = 0; c < CONLL_NTYPES; c++)
            if (strcmp(e->tagger.types[ms[i].type], entities_conll_type_names[c]) == 0)
                t = c;
        if (t >= 0)
            out[k++] = (entities_conll_span){ (uint32_t)v.tok[ms[i].first].start,
                                              (uint32_t)v.tok[ms[i].last - 1].end, t };
    }
    return k;
}

/* Prints the spans of `d` that gold and prediction do not share, with
 * their line: "- " missed gold, "+ " wrong prediction. */
static void print_errors(const entities_conll_doc *d, const entities_conll_span *pred, size_t npred,
                         FILE *out)
{
    for (int side = 0; side < 2; side++) {
        const entities_conll_span *a = side ? pred : d->ents, *b = side ? d->ents : pred;
        size_t na = side ? npred : d->nents, nb = side ? d->nents : npred;
        for (size_t i = 0; i < na; i++) {
            int found = 0;
            for (size_t k = 0; k < nb && !found; k++)
                found = b[k].start == a[i].start && b[k].end == a[i].end && b[k].type == a[i].type;
            if (found)
                continue;
            size_t ls = a[i].start, le = a[i].end;
            while (ls > 0 && d->text[ls - 1] != '\n')
                ls--;
            while (le < d->len && d->text[le] != '\n')
                le++;
            fprintf(out, "%c %-4s %.*s\t| %.*s[[%.*s]]%.*s\n", side ? '+' : '-',
                    entities_conll_type_names[a[i].type], (int)(a[i].end - a[i].start),
                    d->text + a[i].start, (int)(a[i].start - ls), d->text + ls,
                    (int)(a[i].end - a[i].start), d->text + a[i].start, (int)(le - a[i].end),
                    d->text + a[i].end);
        }
    }
}

/* Scores a model on a corpus: the whole stage into *stage, the model's
 * spans alone into *model (either may be NULL); the stage's errors to
 * `errors` when not NULL. */
static int score_corpus(const entities_base *base, const galley_model *m,
                        const entities_conll_corpus *c, entities_conll_score *stage,
                        entities_conll_score *model, FILE *errors, galley_error *err)
{
    entities_instance inst;
    if (entities_instance_init(&inst, base, m, 1, err) < 0)
        return -1;
    size_t cap = 1 << 16;
    entities_conll_span *spans = malloc(cap * sizeof *spans);
    if (!spans)
        abort();
    for (size_t i = 0; i < c->ndocs; i++) {
        const entities_conll_doc *d = &c->docs[i];
        if (model) {
            galley_doc *doc = galley_doc_new("dev", d->text, d->len);
            size_t n = model_spans(&inst, doc, spans, cap);
            entities_conll_score_add(model, d, spans, n);
            galley_doc_free(doc);
        }
        if (stage) {
            galley_doc *doc = galley_doc_new("dev", d->text, d->len);
            entities_instance_tag(&inst, doc);
            size_t n = layer_spans(doc, spans, cap);
            entities_conll_score_add(stage, d, spans, n);
            if (errors)
                print_errors(d, spans, n, errors);
            galley_doc_free(doc);
        }
    }
    free(spans);
    entities_instance_free(&inst);
    return 0;
}

/* ---- names seen in training ------------------------------------------- */

#define NAME_FOLDS 10

typedef struct name_use {
    const char *text; /* NUL-terminated copy */
    unsigned fold;
    int type;
} name_use;

/* Orders name uses by text, then fold. */
static int name_use_cmp(const void *pa, const void *pb)
{
    const name_use *a = pa, *b = pb;
    int c = strcmp(a->text, b->text);
    return c ? c : (a->fold > b->fold) - (a->fold < b->fold);
}

/* "LOC|ORG" for a set of CoNLL types. */
static void types_label(unsigned mask, char *out, size_t cap)
{
    out[0] = '\0';
    for (int t = 0; t < CONLL_NTYPES; t++)
        if (mask & (1u << t)) {
            size_t n = strlen(out);
            snprintf(out + n, cap - n, "%s%s", n ? "|" : "", entities_conll_type_names[t]);
        }
}

/* The training corpus's names, for the names features: document d's
 * features are made with the names of the other folds (so that the
 * model learns how far to trust a list that has not seen the document,
 * as at tagging time), dev and tagging use them all; all of them are
 * written to `path` (sorted, PHRASE<TAB>TYPES) when it is not NULL. */
static int build_names(const entities_conll_corpus *c, const char *path, galley_dict **fold,
                       galley_dict **fold_ci, galley_dict **all, galley_dict **all_ci,
                       galley_error *err)
{
    size_t n = 0, cap = 0;
    name_use *uses = NULL;
    for (size_t i = 0; i < c->ndocs; i++)
        for (size_t e = 0; e < c->docs[i].nents; e++) {
            const entities_conll_span *s = &c->docs[i].ents[e];
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                uses = realloc(uses, cap * sizeof *uses);
                if (!uses)
                    abort();
            }
            char *text = malloc(s->end - s->start + 1);
            memcpy(text, c->docs[i].text + s->start, s->end - s->start);
            text[s->end - s->start] = '\0';
            uses[n++] = (name_use){ text, (unsigned)(i % NAME_FOLDS), s->type };
        }
    qsort(uses, n, sizeof *uses, name_use_cmp);
    FILE *out = path ? fopen(path, "w") : NULL;
    if (path && !out) {
        free(uses);
        return galley_error_set(err, "%s: cannot write", path);
    }
    if (out)
        fprintf(out,
                "# Names in the CoNLL-2003 training split with their types, made by\n"
                "# `galley entities train` (see README.md): PHRASE<TAB>TYPES.\n");
    for (unsigned k = 0; k < NAME_FOLDS; k++) {
        fold[k] = galley_dict_new(0);
        fold_ci[k] = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
    }
    *all = galley_dict_new(0);
    *all_ci = galley_dict_new(GALLEY_DICT_CASE_INSENSITIVE);
    char label[64];
    for (size_t i = 0; i < n;) {
        size_t j = i;
        unsigned in_fold[NAME_FOLDS] = { 0 }, mask = 0;
        for (; j < n && strcmp(uses[j].text, uses[i].text) == 0; j++) {
            in_fold[uses[j].fold] |= 1u << uses[j].type;
            mask |= 1u << uses[j].type;
        }
        types_label(mask, label, sizeof label);
        galley_dict_add(*all, uses[i].text, label);
        galley_dict_add(*all_ci, uses[i].text, label);
        if (out)
            fprintf(out, "%s\t%s\n", uses[i].text, label);
        for (unsigned k = 0; k < NAME_FOLDS; k++) {
            unsigned others = 0;
            for (unsigned f = 0; f < NAME_FOLDS; f++)
                if (f != k)
                    others |= in_fold[f];
            if (!others)
                continue;
            types_label(others, label, sizeof label);
            galley_dict_add(fold[k], uses[i].text, label);
            galley_dict_add(fold_ci[k], uses[i].text, label);
        }
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        free((char *)uses[i].text);
    free(uses);
    if (out && fclose(out) != 0)
        return galley_error_set(err, "%s: cannot write", path);
    return 0;
}

/* Adds every sentence of a corpus to the trainer, but those of fold
 * `skip` (documents i with i % NAME_FOLDS == skip; none when skip < 0);
 * document i's features use res[i % nres] and, when `history` is not
 * NULL, the prediction history of the types history[i] (one a token). */
static int add_corpus(galley_model_trainer *t, const entities_res *res, size_t nres,
                      const scheme *sc, const entities_conll_corpus *c, long skip,
                      int8_t *const *history, size_t *ntok, size_t *differ, galley_error *err)
{
    size_t fcap = 1 << 16;
    uint64_t *feats = malloc(fcap * sizeof *feats);
    for (size_t i = 0; i < c->ndocs; i++) {
        if (skip >= 0 && i % NAME_FOLDS == (size_t)skip)
            continue;
        const entities_conll_doc *d = &c->docs[i];
        const entities_res *r = &res[i % nres];
        galley_doc *doc = galley_doc_new("train", d->text, d->len);
        entities_doc_view v;
        entities_doc_view_build(r, doc, galley_doc_arena(doc), &v);
        size_t nsent;
        const galley_sentence *sent = galley_doc_sentences(doc, &nsent);
        uint16_t *labels = gold_labels(sc, d, v.tok, v.ntok, differ);
        *ntok += v.ntok;
        for (size_t s = 0; s < nsent; s++) {
            size_t first = sent[s].first_token, end = first + sent[s].ntokens;
            uint32_t *rows = malloc((end - first + 1) * sizeof *rows);
            size_t nf = 0;
            rows[0] = 0;
            for (size_t k = first; k < end; k++) {
                size_t need =
                    ENTITIES_OFFSETS * ENTITIES_MAX_WORD_FEATURES + ENTITIES_MAX_CONTEXT_FEATURES;
                if (nf + need > fcap) {
                    while (nf + need > fcap)
                        fcap *= 2;
                    feats = realloc(feats, fcap * sizeof *feats);
                }
                nf += entities_token_features(r, &v, first, end, k, feats + nf);
                rows[k - first + 1] = (uint32_t)nf;
            }
            if (history)
                entities_history_add(&v, first, end, history[i] + first);
            int rc = galley_model_trainer_add(t, feats, rows, labels + first, end - first, err);
            free(rows);
            if (rc < 0) {
                free(labels);
                galley_doc_free(doc);
                free(feats);
                return -1;
            }
        }
        free(labels);
        galley_doc_free(doc);
    }
    free(feats);
    return 0;
}

/* ---- prediction history in training ---------------------------------- */

/* Epochs of each fold's model by default (--history-epochs): about where
 * the full model's dev score peaks (a fixed number: the folds have no dev
 * set of their own). */
#define HISTORY_EPOCHS 5

/* The types a tagger would give each training document's tokens, for the
 * prediction history: document i is tagged (in text order, as at tagging
 * time) by a model trained on the other folds, without history features,
 * so that the history the model learns to trust is made of predictions
 * and their mistakes, not of gold labels. *out[i] is malloc'd, one type
 * a galley token (-1: none). */
static int jackknife_types(const galley_model_spec *spec, const galley_train_options *o,
                           unsigned epochs, const entities_res *fold_res, const scheme *sc,
                           const entities_conll_corpus *c, int8_t **out, galley_error *err)
{
    for (long k = 0; k < NAME_FOLDS; k++) {
        galley_model_trainer *t = galley_model_trainer_new(spec, o, err);
        size_t ntok = 0, differ = 0, mistakes;
        galley_model *m = NULL;
        int ok = t && add_corpus(t, fold_res, NAME_FOLDS, sc, c, k, NULL, &ntok, &differ, err) == 0;
        for (unsigned ep = 0; ok && ep < epochs; ep++)
            ok = galley_model_trainer_epoch(t, &mistakes, err) == 0;
        if (ok)
            ok = (m = galley_model_trainer_model(t, err)) != NULL;
        galley_model_trainer_free(t);
        entities_tagger tg;
        if (ok)
            ok = entities_tagger_init(&tg, m, &fold_res[k], 1 << 14, err) == 0;
        for (size_t i = (size_t)k; ok && i < c->ndocs; i += NAME_FOLDS) {
            galley_doc *doc = galley_doc_new("train", c->docs[i].text, c->docs[i].len);
            entities_doc_view v;
            entities_doc_view_build(&fold_res[k], doc, galley_doc_arena(doc), &v);
            size_t n;
            entities_mspan *ms = entities_tagger_tag(&tg, doc, galley_doc_arena(doc), &v, &n);
            out[i] = malloc(v.ntok + 1);
            if (!out[i])
                abort();
            memset(out[i], -1, v.ntok + 1);
            for (size_t j = 0; j < n; j++)
                for (size_t x = ms[j].first; x < ms[j].last; x++)
                    out[i][x] = (int8_t)ms[j].type;
            galley_doc_free(doc);
        }
        if (m)
            entities_tagger_free(&tg);
        galley_model_close(m);
        if (!ok)
            return -1;
        printf("history: fold %ld of %d tagged by a model of the other folds\n", k + 1, NAME_FOLDS);
        fflush(stdout);
    }
    return 0;
}

/* ---- arguments -------------------------------------------------------- */

typedef struct args {
    const char *train, *dev, *out, *model, *scheme, *errors, *names;
    unsigned epochs, min_count, history_epochs;
    unsigned long long seed;
    int model_only, json;
} args;

/* Fills `a` from the command line; -1 (after a message) for a bad argument. */
static int parse_args(int argc, char **argv, args *a, int training)
{
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int used = 1;
        if (strcmp(k, "--model-only") == 0) {
            a->model_only = 1;
            used = 0;
        } else if (strcmp(k, "--json") == 0) {
            a->json = 1;
            used = 0;
        } else if (!v) {
            fprintf(stderr, "galley entities %s: %s needs a value\n", argv[0], k);
            return -1;
        } else if (strcmp(k, "--train") == 0 && training) {
            a->train = v;
        } else if (strcmp(k, "--dev") == 0) {
            a->dev = v;
        } else if ((strcmp(k, "-o") == 0 || strcmp(k, "--output") == 0) && training) {
            a->out = v;
        } else if ((strcmp(k, "-m") == 0 || strcmp(k, "--model") == 0) && !training) {
            a->model = v;
        } else if (strcmp(k, "--errors") == 0 && !training) {
            a->errors = v;
        } else if (strcmp(k, "--epochs") == 0 && training) {
            a->epochs = (unsigned)strtoul(v, NULL, 10);
        } else if (strcmp(k, "--history-epochs") == 0 && training) {
            a->history_epochs = (unsigned)strtoul(v, NULL, 10);
        } else if (strcmp(k, "--min-count") == 0 && training) {
            a->min_count = (unsigned)strtoul(v, NULL, 10);
        } else if (strcmp(k, "--seed") == 0 && training) {
            a->seed = strtoull(v, NULL, 10);
        } else if (strcmp(k, "--names") == 0 && training) {
            a->names = v;
        } else if (strcmp(k, "--scheme") == 0 && training) {
            a->scheme = v;
        } else {
            fprintf(stderr, "galley entities %s: unknown argument %s\n", argv[0], k);
            return -1;
        }
        i += used;
    }
    return 0;
}

/* Prints the scores as one JSON object, a member a type and ALL. */
static void print_score_json(const entities_conll_score *s, FILE *out)
{
    fprintf(out, "{");
    for (int t = 0; t <= CONLL_NTYPES; t++)
        fprintf(out, "%s\"%s\": {\"gold\": %zu, \"found\": %zu, \"correct\": %zu, \"f1\": %.4f}",
                t ? ", " : "", t < CONLL_NTYPES ? entities_conll_type_names[t] : "ALL", s->gold[t],
                s->found[t], s->correct[t], entities_conll_f1(s, t));
    fprintf(out, "}");
}

int entities_command_train(int argc, char **argv, const galley_stage_env *env)
{
    args a = { 0 };
    a.epochs = 15;
    a.history_epochs = HISTORY_EPOCHS;
    a.min_count = 1;
    a.seed = 1;
    a.scheme = "bio";
    if (parse_args(argc, argv, &a, 1) < 0)
        return GALLEY_EXIT_USAGE;
    if (!a.train || !a.dev || !a.out || a.epochs == 0) {
        fprintf(stderr,
                "usage: galley entities train --train FILE --dev FILE -o MODEL "
                "[--epochs N] [--seed N] [--min-count N] [--scheme bio|bilou] "
                "[--names FILE] [--history-epochs N]\n");
        return GALLEY_EXIT_USAGE;
    }
    scheme sc = { bio_labels, sizeof bio_labels / sizeof *bio_labels, 0 };
    if (strcmp(a.scheme, "bilou") == 0)
        sc = (scheme){ bilou_labels, sizeof bilou_labels / sizeof *bilou_labels, 1 };
    else if (strcmp(a.scheme, "bio") != 0) {
        fprintf(stderr, "galley entities train: --scheme is bio or bilou\n");
        return GALLEY_EXIT_USAGE;
    }
    galley_error err = { 0 };
    entities_base base;
    entities_conll_corpus train = { 0 }, dev = { 0 };
    if (entities_base_load(&base, env->data_dir, ".", NULL, &err) < 0) {
        fprintf(stderr, "galley entities train: %s\n", err.message);
        return GALLEY_EXIT_USAGE;
    }
    if (entities_conll_read(a.train, &train, &err) < 0 ||
        entities_conll_read(a.dev, &dev, &err) < 0) {
        fprintf(stderr, "galley entities train: %s\n", err.message);
        entities_conll_free(&train);
        entities_base_free(&base);
        return GALLEY_EXIT_USAGE;
    }
    galley_dict *fold[NAME_FOLDS] = { 0 }, *fold_ci[NAME_FOLDS] = { 0 };
    entities_res fold_res[NAME_FOLDS];
    if (a.names) {
        /* The names features come from this corpus: drop any shipped list. */
        galley_dict_free(base.names);
        galley_dict_free(base.names_ci);
        if (build_names(&train, a.names, fold, fold_ci, &base.names, &base.names_ci, &err) < 0) {
            fprintf(stderr, "galley entities train: %s\n", err.message);
            entities_conll_free(&train);
            entities_conll_free(&dev);
            entities_base_free(&base);
            return GALLEY_EXIT_FAILED;
        }
        base.res.names = base.names;
        base.res.names_ci = base.names_ci;
    }
    for (unsigned k = 0; k < NAME_FOLDS; k++) {
        fold_res[k] = base.res;
        if (a.names) {
            fold_res[k].names = fold[k];
            fold_res[k].names_ci = fold_ci[k];
        }
    }
    galley_model_spec spec = { sc.labels, sc.n, GALLEY_MODEL_BIO,
                               entities_template_hash(&base.res) };
    galley_train_options o = { a.min_count, a.seed, 0 };
    galley_model_trainer *t = galley_model_trainer_new(&spec, &o, &err);
    size_t ntok = 0, differ = 0;
    int rc = GALLEY_EXIT_FAILED;
    galley_model *best = NULL;
    int8_t **history = NULL; /* per training document, its tokens' predicted types */
    double best_f1 = -1;
    unsigned best_epoch = 0;
    history = a.history_epochs ? calloc(train.ndocs + 1, sizeof *history) : NULL;
    if (a.history_epochs && !history)
        abort();
    if (!t ||
        (history &&
         jackknife_types(&spec, &o, a.history_epochs, fold_res, &sc, &train, history, &err) < 0) ||
        add_corpus(t, fold_res, NAME_FOLDS, &sc, &train, -1, history, &ntok, &differ, &err) < 0)
        goto done;
    printf("train: %zu documents, %zu sentences, %zu CoNLL tokens -> %zu galley tokens "
           "(%zu CoNLL tokens, %.2f%%, are not exactly one galley token)\n",
           train.ndocs, train.nsentences, train.ntokens, ntok, differ,
           100.0 * (double)differ / (double)(train.ntokens ? train.ntokens : 1));
    printf("dev: %zu documents, %zu sentences, %zu tokens\n", dev.ndocs, dev.nsentences,
           dev.ntokens);
    char cmd[4096];
    size_t cl = (size_t)snprintf(cmd, sizeof cmd, "galley entities");
    for (int i = 0; i < argc && cl < sizeof cmd; i++)
        cl += (size_t)snprintf(cmd + cl, sizeof cmd - cl, " %s", argv[i]);
    galley_model_trainer_set_info(t, "corpus",
                                  "CoNLL-2003 English NER (Reuters RCV1, CoNLL++ copy)");
    galley_model_trainer_set_info(t, "split", "train (epoch chosen on dev)");
    galley_model_trainer_set_info(t, "command", cmd);
    galley_model_trainer_set_info(t, "labels", a.scheme);
    char hist[96];
    if (a.history_epochs)
        snprintf(hist, sizeof hist, "from models of the other folds: %d folds, %u epochs",
                 NAME_FOLDS, a.history_epochs);
    galley_model_trainer_set_info(t, "prediction_history", a.history_epochs ? hist : "none");
    if (base.clusters)
        galley_model_trainer_set_info(t, "clusters", "data/" ENTITIES_CLUSTERS_FILE);
    for (unsigned ep = 1; ep <= a.epochs; ep++) {
        size_t mistakes;
        if (galley_model_trainer_epoch(t, &mistakes, &err) < 0)
            goto done;
        galley_model *m = galley_model_trainer_model(t, &err);
        if (!m)
            goto done;
        entities_conll_score stage = { 0 }, model = { 0 };
        if (score_corpus(&base, m, &dev, &stage, &model, NULL, &err) < 0) {
            galley_model_close(m);
            goto done;
        }
        double f1 = entities_conll_f1(&stage, CONLL_NTYPES);
        printf("epoch %2u: %zu training tokens wrong (%.2f%%); %zu features; model alone F1 %.4f\n",
               ep, mistakes, 100.0 * (double)mistakes / (double)ntok, galley_model_nfeatures(m),
               entities_conll_f1(&model, CONLL_NTYPES));
        entities_conll_score_print(&stage, stdout, "  dev ");
        fflush(stdout);
        if (f1 > best_f1) {
            galley_model_close(best);
            best = m;
            best_f1 = f1;
            best_epoch = ep;
        } else {
            galley_model_close(m);
        }
    }
    if (galley_model_save(best, a.out, &err) < 0)
        goto done;
    printf("best epoch %u: dev F1 %.4f; %zu features, %.1f MB written to %s\n", best_epoch, best_f1,
           galley_model_nfeatures(best), (double)galley_model_size(best) / 1e6, a.out);
    rc = GALLEY_EXIT_OK;
done:
    if (rc != GALLEY_EXIT_OK)
        fprintf(stderr, "galley entities train: %s\n", err.message);
    galley_model_close(best);
    galley_model_trainer_free(t);
    for (size_t i = 0; history && i < train.ndocs; i++)
        free(history[i]);
    free(history);
    for (unsigned k = 0; k < NAME_FOLDS; k++) {
        galley_dict_free(fold[k]);
        galley_dict_free(fold_ci[k]);
    }
    entities_conll_free(&train);
    entities_conll_free(&dev);
    entities_base_free(&base);
    return rc;
}

int entities_command_eval(int argc, char **argv, const galley_stage_env *env)
{
    args a = { 0 };
    if (parse_args(argc, argv, &a, 0) < 0)
        return GALLEY_EXIT_USAGE;
    if (!a.dev) {
        fprintf(stderr,
                "usage: galley entities eval --dev FILE [-m MODEL] [--model-only] [--json] "
                "[--errors FILE]\n");
        return GALLEY_EXIT_USAGE;
    }
    galley_error err = { 0 };
    entities_base base;
    if (entities_base_load(&base, env->data_dir, ".", NULL, &err) < 0) {
        fprintf(stderr, "galley entities eval: %s\n", err.message);
        return GALLEY_EXIT_USAGE;
    }
    char path[4096];
    if (a.model)
        snprintf(path, sizeof path, "%s", a.model);
    else
        snprintf(path, sizeof path, "%s/%s", env->data_dir, ENTITIES_MODEL_FILE);
    galley_model *m = galley_model_open(path, entities_template_hash(&base.res), &err);
    entities_conll_corpus dev = { 0 };
    int rc = GALLEY_EXIT_USAGE;
    if (m && entities_conll_read(a.dev, &dev, &err) == 0) {
        entities_conll_score s = { 0 };
        FILE *errors = a.errors ? fopen(a.errors, "w") : NULL;
        if (a.errors && !errors)
            galley_error_set(&err, "%s: cannot write", a.errors);
        else if (score_corpus(&base, m, &dev, a.model_only ? NULL : &s, a.model_only ? &s : NULL,
                              errors, &err) == 0) {
            if (a.json) {
                print_score_json(&s, stdout);
                printf("\n");
            } else {
                printf("%s on %s (%zu documents, %zu tokens):\n",
                       a.model_only ? "the model alone" : "the entities stage", a.dev, dev.ndocs,
                       dev.ntokens);
                entities_conll_score_print(&s, stdout, "  ");
            }
            rc = GALLEY_EXIT_OK;
        }
        if (errors)
            fclose(errors);
    }
    if (rc != GALLEY_EXIT_OK)
        fprintf(stderr, "galley entities eval: %s\n", err.message);
    entities_conll_free(&dev);
    galley_model_close(m);
    entities_base_free(&base);
    return rc;
}
