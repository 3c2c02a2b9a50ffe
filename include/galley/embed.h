/* galley/embed.h - run one stage on documents without the runner: for a
 * stage's own unit tests and for programs that embed galley. */
#ifndef GALLEY_EMBED_H
#define GALLEY_EMBED_H

#include <galley/doc.h>
#include <galley/error.h>
#include <galley/stage.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct galley_stage_handle galley_stage_handle;

/* Loads stage `name` from the plugin search path (GALLEY_PLUGIN_PATH, the
 * build tree when uninstalled, the installed plugin folder), validates
 * `settings` ("option=value" strings, NULL-terminated; NULL for defaults)
 * against its option table and creates one instance. */
galley_stage_handle *galley_stage_open(const char *name,
                                       const char *const *settings,
                                       galley_error *err);
/* Runs prepare (if any) and process on one document. */
int galley_stage_run(galley_stage_handle *h, galley_doc *doc,
                     galley_error *err);
/* The two halves of galley_stage_run, for benchmarks and tests that time
 * or check them apart: prepare does nothing (returns 0) for a stage
 * without one; process must follow prepare on the same document. */
int galley_stage_prepare(galley_stage_handle *h, galley_doc *doc,
                         galley_error *err);
int galley_stage_process(galley_stage_handle *h, galley_doc *doc,
                         galley_error *err);
/* Calls finish, then commit (the stage saves its state); `report` may
 * be NULL. */
int galley_stage_finish(galley_stage_handle *h, galley_object *report,
                        galley_error *err);
const galley_stage_info *galley_stage_descriptor(const galley_stage_handle *h);
void galley_stage_close(galley_stage_handle *h);

/* The document as one JSON line (what `galley run` writes), malloc'd;
 * offsets in code points. For tests. */
char *galley_doc_to_json(galley_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
