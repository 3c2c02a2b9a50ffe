/* decide.c - the single run's decision for one document. */
#include "decide.h"

void dedup_decide(dedup_index *ix, const dedup_params *p, const char *id, const dedup_sig *sig,
                  int64_t *first_seen, dedup_decision *out)
{
    *out = (dedup_decision){ DEDUP_KEEP, 0, 0, 0 };
    int64_t self_no = -1;
    int64_t of = dedup_index_exact(ix, sig->exact);
    if (of >= 0) {
        *out = (dedup_decision){ DEDUP_EXACT, (uint32_t)of, 1.0, 0 };
    } else {
        double sim = 0;
        of = dedup_index_near(ix, sig, p->threshold, &sim);
        if (of >= 0)
            *out = (dedup_decision){ DEDUP_NEAR, (uint32_t)of, sim, 0 };
        else
            self_no = dedup_index_add(ix, id, sig);
    }
    for (size_t i = 0; i < sig->nparas; i++)
        first_seen[i] = -1;
    if (!p->paragraphs || (out->kind != DEDUP_KEEP && p->action == 1))
        return;
    for (size_t i = 0; i < sig->nparas; i++) {
        int64_t first = dedup_index_paragraph(ix, sig->paras[i].hash);
        if (first < 0) {
            /* A new paragraph: a copy gets an id slot only now, as the
             * paragraph's source. */
            if (self_no < 0)
                self_no = dedup_index_add_id(ix, id);
            dedup_index_add_paragraph(ix, sig->paras[i].hash, (uint32_t)self_no);
        } else if (first != self_no) {
            first_seen[i] = first;
            out->repeated++;
        }
    }
}
