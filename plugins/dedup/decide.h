/* decide.h - the decision of the single run, in one place: what a
 * document is (kept, an exact copy, a near copy of which document) and
 * which of its paragraphs were seen before, given the documents before
 * it in input order, and how the index records it. The stage calls it in
 * `process` (pass = "single"); `galley dedup merge` calls it over the
 * documents of every shard in global input order, so the two cannot
 * disagree. */
#ifndef DEDUP_DECIDE_H
#define DEDUP_DECIDE_H

#include <stdint.h>
#include "index.h"

enum { DEDUP_KEEP = 0, DEDUP_EXACT = 1, DEDUP_NEAR = 2 };

typedef struct dedup_decision {
    int kind;          /* DEDUP_KEEP, DEDUP_EXACT or DEDUP_NEAR */
    uint32_t of;       /* a copy's keeper: its number in the index, also its cluster */
    double similarity; /* a copy's estimated similarity (1 for exact) */
    size_t repeated;   /* paragraphs seen in an earlier document */
} dedup_decision;

/* Decides the next document in input order and records it in ix (as a
 * keeper, and its new paragraphs with it as their source). `first_seen`
 * has room for sig->nparas entries: each gets the number in the index of
 * the document that paragraph was first seen in, or -1 when it is new
 * (or seen only earlier in this document). A copy dropped by action =
 * "drop" has no paragraphs looked at (all -1), as in the output. */
void dedup_decide(dedup_index *ix, const dedup_params *p, const char *id, const dedup_sig *sig,
                  int64_t *first_seen, dedup_decision *out);

#endif
