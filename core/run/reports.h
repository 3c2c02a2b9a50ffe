/* reports.h - the reports stages give at the end of a run (their finish
 * callback), merged across the instances of a parallel stage.
 *
 * The merge: numbers (int and real) are summed; objects are merged key by
 * key, recursively; any other value (string, bool, null, array) is taken
 * from the first instance that reports it. Which worker saw which
 * documents depends on scheduling, so a stage that wants the same report
 * for any thread count reports its figures as numbers. */
#ifndef GALLEY_REPORTS_H
#define GALLEY_REPORTS_H

#include "sdk/private.h"

/* Adds `from` into `into` by the rules above. */
void gl_reports_merge(galley_object *into, const galley_object *from);

#endif
