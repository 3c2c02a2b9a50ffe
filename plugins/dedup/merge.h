/* merge.h - the stage's command `galley dedup merge`. */
#ifndef DEDUP_MERGE_H
#define DEDUP_MERGE_H

#include <galley/galley.h>

/* galley dedup merge -o GLOBAL.idx SHARD-INDEX...: exit 0, 2 for
 * indexes that do not make one run (other options or galley, a missing,
 * repeated or damaged shard), 3 when the output cannot be written. */
int dedup_merge_command(int argc, char **argv, const galley_stage_env *env);

#endif
