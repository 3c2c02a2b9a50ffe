/* train.c - `galley quotes train`: the attribution model from PolNeAR.
 *
 *     galley quotes train --train DIR --dev DIR -o MODEL
 *                         [--epochs N] [--seed N] [--min-count N]
 *
 * 1. Reads the train split, counts how often each word is part of a cue
 *    and how often it occurs, and writes the likely cue words (the
 *    reporting verbs and phrases learned from the training cues) with
 *    their counts to cue-words.txt beside MODEL: the features read it, so
 *    it ships with the model and its hash is part of the model's.
 * 2. Adds every paragraph the stage would tag (see tagger.c) as a
 *    training sequence, labels from the gold attributions.
 * 3. Runs the epochs; after each one, runs the whole stage (tagger,
 *    assembly) on the dev split and scores it as eval/polnear.py does
 *    (in bytes rather than code points, so a tie may break otherwise),
 *    prints the scores, and keeps the model of the best epoch (content
 *    F1 + source F1 + cue F1, all end to end).
 * Same inputs and arguments, same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* A cue word must be part of this many training cues and be a cue in
 * this share of its occurrences to be listed. */
#define CUE_MIN_COUNT 3
#define CUE_MIN_RATE 0.05

typedef struct word_count {
    uint64_t id;
    char *text; /* lower case as first seen */
    size_t cues, seen;
} word_count;

typedef struct counts {
    word_count *v; /* open addressing on id */
    size_t cap, n;
} counts;

/* The counts of word `id` (not 0, which marks an empty slot), made with
 * zero counts and no text when new. The table doubles at half full, so
 * a pointer returned is good only until the next call. */
static word_count *count_slot(counts *c, uint64_t id)
{
    if ((c->n + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        word_count *v = calloc(cap, sizeof *v);
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->v[i].id)
                continue;
            size_t j = (size_t)c->v[i].id & (cap - 1);
            while (v[j].id)
                j = (j + 1) & (cap - 1);
            v[j] = c->v[i];
        }
        free(c->v);
        c->v = v;
        c->cap = cap;
    }
    size_t j = (size_t)id & (c->cap - 1);
    while (c->v[j].id && c->v[j].id != id)
        j = (j + 1) & (c->cap - 1);
    if (!c->v[j].id) {
        c->v[j].id = id;
        c->n++;
    }
    return &c->v[j];
}

/* qsort's comparison for cue-words.txt: the most cues first, ties by
 * text, so that the same inputs write the same file. */
static int by_cues(const void *pa, const void *pb)
{
    const word_count *a = *(word_count *const *)pa, *b = *(word_count *const *)pb;
    if (a->cues != b->cues)
        return a->cues > b->cues ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* Lower-cased copy of a token's text (ASCII lowered; enough for a list
 * whose ids are made by quotes_word_id, which lowers the same way). */
static char *lower_copy(const char *s, size_t len)
{
    char *out = malloc(len * 4 + 1), *w = out;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        i += galley_utf8_decode(s + i, len - i, &cp);
        w += galley_utf8_encode(galley_cp_tolower(cp), w);
    }
    *w = '\0';
    return out;
}

/* Counts cue words over the train split and writes the list. */
static int write_cue_words(const quotes_corpus *train, const char *path, const char *split,
                           galley_error *err)
{
    counts cc = { 0 };
    for (size_t i = 0; i < train->n; i++) {
        const quotes_article *art = &train->v[i];
        size_t ntok;
        const galley_token *tok = galley_doc_tokens(art->doc, &ntok);
        const char *text = galley_doc_text(art->doc);
        for (size_t t = 0; t < ntok; t++) {
            if (tok[t].kind == GALLEY_TOK_NUMBER)
                continue;
            word_count *w =
                count_slot(&cc, quotes_word_id(text + tok[t].start, tok[t].end - tok[t].start));
            if (!w->text)
                w->text = lower_copy(text + tok[t].start, tok[t].end - tok[t].start);
            w->seen++;
            if (QUOTES_LABEL_TYPE(art->label[t]) == 2)
                w->cues++;
        }
    }
    word_count **keep = calloc(cc.n + 1, sizeof *keep);
    size_t nk = 0;
    for (size_t i = 0; i < cc.cap; i++) {
        word_count *w = &cc.v[i];
        if (w->id && w->cues >= CUE_MIN_COUNT &&
            (double)w->cues >= CUE_MIN_RATE * (double)w->seen && !strchr(w->text, '\t'))
            keep[nk++] = w;
    }
    qsort(keep, nk, sizeof *keep, by_cues);
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    if (!f) {
        rc = galley_error_set(err, "%s: cannot write", tmp);
    } else {
        fprintf(
            f,
            "# cue words learned from PolNeAR 1.0 (Newell, Margolin and Ruths 2018), split %s:\n"
            "# WORD<TAB>CUES<TAB>OCCURRENCES: how many training cues the word is part of, and\n"
            "# how often it occurs in the training text; kept when CUES >= %d and\n"
            "# CUES >= %.0f%% of OCCURRENCES. Written by `galley quotes train` (see train.c).\n",
            split, CUE_MIN_COUNT, CUE_MIN_RATE * 100);
        for (size_t i = 0; i < nk; i++)
            fprintf(f, "%s\t%zu\t%zu\n", keep[i]->text, keep[i]->cues, keep[i]->seen);
        if (fclose(f) != 0 || rename(tmp, path) != 0)
            rc = galley_error_set(err, "%s: cannot write", path);
    }
    for (size_t i = 0; i < cc.cap; i++)
        free(cc.v[i].text);
    free(cc.v);
    free(keep);
    return rc;
}

/* ---- Scoring, as eval/polnear.py ------------------------------------------ */

typedef struct score {
    size_t gold, pred, matched, source, cue;
    size_t d_gold, d_pred, d_matched, d_speaker;
} score;

/* Bytes two lists of pieces share, summed over every pair of pieces, as
 * eval/polnear.py's overlap (which counts code points). */
static size_t overlap(const quotes_piece *a, size_t na, const quotes_piece *b, size_t nb)
{
    size_t n = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            uint32_t s = a[i].start > b[j].start ? a[i].start : b[j].start;
            uint32_t e = a[i].end < b[j].end ? a[i].end : b[j].end;
            n += e > s ? e - s : 0;
        }
    return n;
}

typedef struct cand {
    size_t o, g, p;
} cand;

/* qsort's comparison of candidate pairs: the largest overlap first, ties
 * by gold then predicted index, the order eval/polnear.py's match takes
 * them in, so that the one-to-one matching is the same. */
static int by_overlap(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->o != b->o)
        return a->o > b->o ? -1 : 1;
    if (a->g != b->g)
        return a->g < b->g ? -1 : 1;
    return a->p < b->p ? -1 : a->p > b->p;
}

/* Does s start with an opening quotation mark: " ' “ ‘ « or „ (the last
 * four by their UTF-8 bytes)? */
static int is_opening(const char *s)
{
    return *s == '"' || *s == '\'' || strncmp(s, "“", 3) == 0 || strncmp(s, "‘", 3) == 0 ||
        strncmp(s, "«", 2) == 0 || strncmp(s, "„", 3) == 0;
}

/* Gold content in marks: opens with one and closes with one (trailing
 * punctuation aside), as eval/polnear.py's is_direct. */
static int gold_direct(const char *text, const quotes_gold *g)
{
    uint32_t s = g->content[0].start, e = g->content[g->ncontent - 1].end;
    while (s < e && (text[s] == ' ' || text[s] == '\n'))
        s++;
    if (s >= e || !is_opening(text + s))
        return 0;
    while (e > s && strchr(".,;:!?- )\n", text[e - 1]))
        e--;
    if (e >= s + 3 && (strncmp(text + e - 3, "”", 3) == 0 || strncmp(text + e - 3, "’", 3) == 0))
        return 1;
    if (e >= s + 2 && strncmp(text + e - 2, "»", 2) == 0)
        return 1;
    return e > s && (text[e - 1] == '"' || text[e - 1] == '\'');
}

typedef struct pred {
    const quotes_piece *content;
    size_t ncontent;
    quotes_piece source, cue;
    int has_source, has_cue, direct;
} pred;

/* Matches and counts one side (all attributions or direct ones). */
static void score_side(const quotes_gold *const *g, size_t ng, const pred *const *p, size_t np,
                       int direct, score *s)
{
    cand *cv = malloc((ng * np + 1) * sizeof *cv);
    size_t nc = 0;
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < np; j++) {
            size_t o = overlap(g[i]->content, g[i]->ncontent, p[j]->content, p[j]->ncontent);
            if (o)
                cv[nc++] = (cand){ o, i, j };
        }
    qsort(cv, nc, sizeof *cv, by_overlap);
    uint8_t *ug = calloc(ng + 1, 1), *up = calloc(np + 1, 1);
    for (size_t k = 0; k < nc; k++) {
        if (ug[cv[k].g] || up[cv[k].p])
            continue;
        ug[cv[k].g] = up[cv[k].p] = 1;
        const quotes_gold *x = g[cv[k].g];
        const pred *y = p[cv[k].p];
        int src_ok = x->nsource ? y->has_source && overlap(x->source, x->nsource, &y->source, 1) > 0
                                : !y->has_source;
        int cue_ok = x->ncue ? y->has_cue && overlap(x->cue, x->ncue, &y->cue, 1) > 0 : !y->has_cue;
        if (direct) {
            s->d_matched++;
            s->d_speaker += src_ok;
        } else {
            s->matched++;
            s->source += src_ok;
            s->cue += cue_ok;
        }
    }
    free(cv);
    free(ug);
    free(up);
}

/* Adds one dev article's counts to s: its n predicted attributions (scare
 * quotes, titles and ones without pieces left out) matched to its gold
 * ones, all of them and the direct ones apart. */
static void score_article(const quotes_article *art, const quotes_ctx *c, const quotes_attr *v,
                          size_t n, score *s)
{
    const char *text = galley_doc_text(art->doc);
    pred *pv = calloc(n + 1, sizeof *pv);
    const pred **pa = calloc(n + 1, sizeof *pa), **pd = calloc(n + 1, sizeof *pd);
    const quotes_gold **ga = calloc(art->ngold + 1, sizeof *ga),
                      **gd = calloc(art->ngold + 1, sizeof *gd);
    size_t npa = 0, npd = 0, nga = 0, ngd = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind == QUOTES_KIND_SCARE || v[i].kind == QUOTES_KIND_TITLE || !v[i].npieces)
            continue;
        pred *p = &pv[i];
        p->content = v[i].pieces;
        p->ncontent = v[i].npieces;
        if (v[i].spk_start != QUOTES_NONE) {
            p->has_source = 1;
            p->source = (quotes_piece){ v[i].spk_start, v[i].spk_end };
        }
        if (v[i].cue_first != QUOTES_NONE) {
            p->has_cue = 1;
            p->cue = (quotes_piece){ c->tok[v[i].cue_first].start, c->tok[v[i].cue_last - 1].end };
        }
        pa[npa++] = p;
        if (v[i].kind == QUOTES_KIND_DIRECT)
            pd[npd++] = p;
    }
    for (size_t i = 0; i < art->ngold; i++) {
        ga[nga++] = &art->gold[i];
        if (gold_direct(text, &art->gold[i]))
            gd[ngd++] = &art->gold[i];
    }
    s->gold += nga;
    s->pred += npa;
    s->d_gold += ngd;
    s->d_pred += npd;
    score_side(ga, nga, pa, npa, 0, s);
    score_side(gd, ngd, pd, npd, 1, s);
    free(pv);
    free(pa);
    free(pd);
    free(ga);
    free(gd);
}

/* The F1 of m matches among p predicted and g gold; 0 when nothing
 * matched (so also with nothing predicted or no gold). */
static double f1(size_t m, size_t p, size_t g)
{
    double P = p ? (double)m / (double)p : 0, R = g ? (double)m / (double)g : 0;
    return P + R > 0 ? 2 * P * R / (P + R) : 0;
}

/* Runs the stage's own steps on every dev article with first-pass model
 * m1 and stack model m2 (NULL: one pass). */
static score evaluate(const quotes_corpus *dev, quotes_res *res, galley_model *m1, galley_model *m2,
                      quotes_cache *cache)
{
    score s = { 0 };
    res->model = m1;
    res->fast = quotes_fast_new(m1);
    res->stack = m2;
    res->stack_fast = m2 ? quotes_fast_new(m2) : NULL;
    quotes_cache_reset(cache);
    quotes_run_options o = { 1, 3, 20000 };
    for (size_t i = 0; i < dev->n; i++) {
        quotes_ctx c;
        quotes_ctx_init(&c, res, dev->v[i].doc, NULL);
        quotes_find_marks(&c, o.max_quote_bytes);
        quotes_index_entities(&c);
        quotes_tag(&c, cache);
        quotes_attr *v;
        size_t n;
        quotes_assemble(&c, &o, &v, &n);
        quotes_resolve_speakers(&c, v, n);
        score_article(&dev->v[i], &c, v, n, &s);
    }
    quotes_fast_free(res->fast);
    quotes_fast_free(res->stack_fast);
    res->fast = res->stack_fast = NULL;
    res->model = res->stack = NULL;
    return s;
}

/* Prints one epoch's dev scores (`pass` names the model) and returns
 * what the best epoch is chosen by: content F1 + source F1 + cue F1. */
static double report(const char *pass, long e, size_t mistakes, const score *s)
{
    double cf = f1(s->matched, s->pred, s->gold), sf = f1(s->source, s->pred, s->gold),
           kf = f1(s->cue, s->pred, s->gold);
    printf("%s epoch %2ld: %7zu mistakes | dev content P %.3f R %.3f F1 %.3f | "
           "source %.3f cue %.3f | direct P %.3f R %.3f speaker %.3f\n",
           pass, e, mistakes, s->pred ? (double)s->matched / (double)s->pred : 0,
           s->gold ? (double)s->matched / (double)s->gold : 0, cf,
           s->matched ? (double)s->source / (double)s->matched : 0,
           s->matched ? (double)s->cue / (double)s->matched : 0,
           s->d_pred ? (double)s->d_matched / (double)s->d_pred : 0,
           s->d_gold ? (double)s->d_matched / (double)s->d_gold : 0,
           s->d_matched ? (double)s->d_speaker / (double)s->d_matched : 0);
    fflush(stdout);
    return cf + sf + kf;
}

/* The jackknife: this many folds of the train articles (article i is in
 * fold i % FOLDS), each tagged by a first-pass model trained on the
 * others, so that the stack model learns from first-pass labels with the
 * errors of text the first pass has not seen (gold labels over-trust). */
#define FOLDS 5

/* The first-pass labels and margins of every train article (per token). */
typedef struct first_pass {
    uint16_t **label;
    int32_t **margin;
} first_pass;

/* A trainer for `spec` with every stretch of the train articles outside
 * fold `fold` (-1: all of them); with `fp`, the stack model's trainer
 * (the stretches the first pass found something in, with the stack
 * features of fp's labels). NULL with err set. */
static galley_model_trainer *make_trainer(const quotes_corpus *train, quotes_res *res,
                                          const galley_model_spec *spec,
                                          const galley_train_options *to, long fold,
                                          const first_pass *fp, size_t *sequences, size_t *tokens,
                                          galley_error *err)
{
    galley_model_trainer *tr = galley_model_trainer_new(spec, to, err);
    if (!tr)
        return NULL;
    *sequences = *tokens = 0;
    for (size_t i = 0; i < train->n; i++) {
        if (fold >= 0 && (long)(i % FOLDS) == fold)
            continue;
        galley_arena *a = galley_arena_new(0);
        quotes_ctx c;
        quotes_ctx_init(&c, res, train->v[i].doc, a);
        quotes_find_marks(&c, 20000);
        quotes_seg *segs;
        size_t nseg;
        quotes_segments(&c, &segs, &nseg);
        for (size_t k = 0; k < nseg; k++) {
            uint64_t *f;
            uint32_t *rows;
            size_t n, first = segs[k].first;
            if (fp) {
                if (!quotes_stack_wanted(fp->label[i] + first, segs[k].last - first))
                    continue;
                quotes_stack_features(&c, &segs[k], fp->label[i] + first, fp->margin[i] + first, &f,
                                      &rows, &n);
            } else {
                quotes_features(&c, &segs[k], &f, &rows, &n);
            }
            if (galley_model_trainer_add(tr, f, rows, train->v[i].label + first, n, err) < 0) {
                galley_arena_free(a);
                galley_model_trainer_free(tr);
                return NULL;
            }
            (*sequences)++;
            *tokens += n;
        }
        galley_arena_free(a);
    }
    return tr;
}

/* Tags the train articles of fold `fold` with first-pass model m into fp. */
static void tag_fold(const quotes_corpus *train, quotes_res *res, galley_model *m, long fold,
                     quotes_cache *cache, first_pass *fp)
{
    res->model = m;
    res->fast = quotes_fast_new(m);
    quotes_cache_reset(cache);
    for (size_t i = 0; i < train->n; i++) {
        if ((long)(i % FOLDS) != fold)
            continue;
        galley_arena *a = galley_arena_new(0);
        quotes_ctx c;
        quotes_ctx_init(&c, res, train->v[i].doc, a);
        quotes_find_marks(&c, 20000);
        quotes_tag(&c, cache);
        fp->label[i] = malloc((c.ntok + 1) * sizeof **fp->label);
        fp->margin[i] = malloc((c.ntok + 1) * sizeof **fp->margin);
        memcpy(fp->label[i], c.label, c.ntok * sizeof *c.label);
        memcpy(fp->margin[i], c.margin, c.ntok * sizeof *c.margin);
        galley_arena_free(a);
    }
    quotes_fast_free(res->fast);
    res->fast = NULL;
    res->model = NULL;
}

/* Runs `epochs` epochs of tr and returns the model of the epoch that
 * scores best on dev, its epoch in *best_epoch: a first pass's (first
 * NULL) or a stack model's, scored behind the first pass `first`. NULL
 * with err set when an epoch fails. */
static galley_model *best_of_epochs(galley_model_trainer *tr, long epochs, const char *pass,
                                    const quotes_corpus *dev, quotes_res *res, galley_model *first,
                                    quotes_cache *cache, long *best_epoch, galley_error *err)
{
    galley_model *best = NULL;
    double best_score = -1;
    *best_epoch = 0;
    for (long e = 1; e <= epochs; e++) {
        size_t mistakes;
        galley_model *m = NULL;
        if (galley_model_trainer_epoch(tr, &mistakes, err) < 0 ||
            !(m = galley_model_trainer_model(tr, err))) {
            galley_model_close(best);
            return NULL;
        }
        score s = first ? evaluate(dev, res, first, m, cache) : evaluate(dev, res, m, NULL, cache);
        double sc = report(pass, e, mistakes, &s);
        if (sc > best_score) {
            best_score = sc;
            *best_epoch = e;
            galley_model_close(best);
            best = m;
        } else {
            galley_model_close(m);
        }
    }
    return best;
}

/* Sets the provenance entries of a trainer's models. */
static void set_info(galley_model_trainer *tr, const char *pass)
{
    galley_model_trainer_set_info(tr, "corpus",
                                  "PolNeAR 1.0 (Newell, Margolin and Ruths, LREC 2018)");
    galley_model_trainer_set_info(tr, "split", "train (dev to pick the epoch)");
    galley_model_trainer_set_info(tr, "annotator", "the first by id of each article");
    galley_model_trainer_set_info(tr, "command",
                                  "galley quotes train --train DIR --dev DIR -o MODEL");
    galley_model_trainer_set_info(tr, "pass", pass);
}

/* ---- The command ------------------------------------------------------------ */

static const char *usage = "usage: galley quotes train --train DIR --dev DIR -o MODEL "
                           "[--epochs N] [--seed N] [--min-count N]\n";

int quotes_cmd_train(int argc, char **argv, const galley_stage_env *env)
{
    const char *train_dir = NULL, *dev_dir = NULL, *out = NULL;
    long epochs = 12, seed = 1, min_count = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fputs(usage, stderr);
            return GALLEY_EXIT_USAGE;
        }
        if (strcmp(a, "--train") == 0)
            train_dir = v;
        else if (strcmp(a, "--dev") == 0)
            dev_dir = v;
        else if (strcmp(a, "-o") == 0)
            out = v;
        else if (strcmp(a, "--epochs") == 0)
            epochs = strtol(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            seed = strtol(v, NULL, 10);
        else if (strcmp(a, "--min-count") == 0)
            min_count = strtol(v, NULL, 10);
        else {
            fprintf(stderr, "galley quotes train: unknown argument \"%s\"\n%s", a, usage);
            return GALLEY_EXIT_USAGE;
        }
        i++;
    }
    if (!train_dir || !dev_dir || !out || epochs < 1 || min_count < 0) {
        fputs(usage, stderr);
        return GALLEY_EXIT_USAGE;
    }
    galley_error err = { 0 };
    quotes_corpus train = { 0 }, dev = { 0 };
    quotes_res res = { 0 };
    galley_model_trainer *tr = NULL;
    galley_model *best = NULL, *best2 = NULL;
    quotes_cache *cache = calloc(1, sizeof *cache);
    first_pass fp = { NULL, NULL };
    int rc = GALLEY_EXIT_FAILED;
    if (quotes_polnear_read(train_dir, &train, &err) < 0 ||
        quotes_polnear_read(dev_dir, &dev, &err) < 0) {
        fprintf(stderr, "galley quotes train: %s\n", err.message);
        rc = GALLEY_EXIT_USAGE;
        goto done;
    }
    quotes_polnear_label(&train);
    quotes_polnear_label(&dev);
    fp.label = calloc(train.n + 1, sizeof *fp.label);
    fp.margin = calloc(train.n + 1, sizeof *fp.margin);
    /* The cue list beside the model, then the lists as the stage loads them. */
    char lists[4096], cues[4200], stack_out[4200];
    snprintf(lists, sizeof lists, "%s", out);
    char *slash = strrchr(lists, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(lists, sizeof lists, ".");
    snprintf(cues, sizeof cues, "%s/cue-words.txt", lists);
    quotes_stack_path(out, stack_out, sizeof stack_out);
    if (write_cue_words(&train, cues, "train", &err) < 0)
        goto fail;
    /* The stage's lists from its data folder, the new cue list from beside
     * the model (the same folder when training the shipped model). */
    if (quotes_res_load_lists(&res, env->data_dir, cues, &err) < 0)
        goto fail;
    galley_model_spec spec = { quotes_label_names, QUOTES_NLABELS, GALLEY_MODEL_BIO,
                               quotes_template_hash(&res) };
    galley_train_options to = { (unsigned)min_count, (uint64_t)seed, 0 };
    size_t sequences, tokens;
    /* 1. The jackknife: every train article tagged by a first-pass model
     * that did not see it (the last of `epochs` epochs). */
    for (long fold = 0; fold < FOLDS; fold++) {
        tr = make_trainer(&train, &res, &spec, &to, fold, NULL, &sequences, &tokens, &err);
        if (!tr)
            goto fail;
        for (long e = 1; e <= epochs; e++)
            if (galley_model_trainer_epoch(tr, NULL, &err) < 0)
                goto fail;
        galley_model *m = galley_model_trainer_model(tr, &err);
        if (!m)
            goto fail;
        tag_fold(&train, &res, m, fold, cache, &fp);
        galley_model_close(m);
        galley_model_trainer_free(tr);
        tr = NULL;
    }
    printf("jackknife: %d folds, each tagged by a model of %ld epochs on the others\n", FOLDS,
           epochs);
    /* 2. The first pass on all of train, its epoch chosen on dev. */
    tr = make_trainer(&train, &res, &spec, &to, -1, NULL, &sequences, &tokens, &err);
    if (!tr)
        goto fail;
    printf("train: %zu articles, %zu stretches, %zu tokens; dev: %zu articles\n", train.n,
           sequences, tokens, dev.n);
    set_info(tr, "first");
    long best_epoch;
    best = best_of_epochs(tr, epochs, "first", &dev, &res, NULL, cache, &best_epoch, &err);
    if (!best)
        goto fail;
    galley_model_trainer_free(tr);
    tr = NULL;
    if (galley_model_save(best, out, &err) < 0)
        goto fail;
    printf("kept first epoch %ld: %s (%zu features, %zu bytes)\n", best_epoch, out,
           galley_model_nfeatures(best), galley_model_size(best));
    /* 3. The stack model, on the jackknifed first-pass labels, bound to
     * the first pass's file; its epoch chosen on dev with both passes. */
    galley_model_spec spec2 = spec;
    spec2.template_hash = quotes_stack_template_hash(&res, quotes_file_hash(out));
    tr = make_trainer(&train, &res, &spec2, &to, -1, &fp, &sequences, &tokens, &err);
    if (!tr)
        goto fail;
    printf("stack: %zu stretches, %zu tokens\n", sequences, tokens);
    set_info(tr, "stack");
    best2 = best_of_epochs(tr, epochs, "stack", &dev, &res, best, cache, &best_epoch, &err);
    if (!best2)
        goto fail;
    if (galley_model_save(best2, stack_out, &err) < 0)
        goto fail;
    printf("kept stack epoch %ld: %s (%zu features, %zu bytes)\n", best_epoch, stack_out,
           galley_model_nfeatures(best2), galley_model_size(best2));
    rc = GALLEY_EXIT_OK;
    goto done;
fail:
    fprintf(stderr, "galley quotes train: %s\n", err.message);
done:
    for (size_t i = 0; fp.label && i < train.n; i++) {
        free(fp.label[i]);
        free(fp.margin[i]);
    }
    free(fp.label);
    free(fp.margin);
    quotes_cache_free(cache);
    galley_model_close(best);
    galley_model_close(best2);
    galley_model_trainer_free(tr);
    quotes_res_free(&res);
    quotes_corpus_free(&train);
    quotes_corpus_free(&dev);
    return rc;
}
