/* entities.h - one entities tagger: dictionaries, word clusters, the
 * model and its cache; what the stage's instances and its commands
 * (train.c) share. */
#ifndef ENTITIES_ENTITIES_H
#define ENTITIES_ENTITIES_H

#include <galley/galley.h>
#include "rules.h"
#include "featurize.h"
#include "tagger.h"

/* The model file and word clusters in the stage's data folder. */
#define ENTITIES_MODEL_FILE "entities.model"
#define ENTITIES_CLUSTERS_FILE "clusters.txt"
#define ENTITIES_NAMES_FILE "names.txt"

/* The resources every tagger needs, without a model. */
typedef struct entities_base {
    entities_dicts d;
    entities_clusters *clusters;
    galley_dict *names, *names_ci;
    entities_res res;
} entities_base;

int entities_base_load(entities_base *b, const char *data_dir, const char *config_dir,
                       const galley_strlist *dictionaries, galley_error *err);
void entities_base_free(entities_base *b);

typedef struct entities_instance {
    const entities_base *base;
    const galley_model *model;
    entities_tagger tagger;
    entities_rule_options o;
    int model_types[ENTITIES_MAX_TYPES]; /* unused slot: -1 */
    const char *layer_types[ENTITIES_MAX_TYPES];
    /* The view, scores and rule state of the document being tagged, reset
     * for the next: a document that waits in the run for an ordered stage
     * keeps only its layer (in its own arena), not some 100 KB of these. */
    galley_arena *scratch;
} entities_instance;

/* A tagger on `model` (not owned). Fails for a model whose labels are
 * not entity labels. */
int entities_instance_init(entities_instance *e, const entities_base *base,
                           const galley_model *model, int propagate, galley_error *err);
void entities_instance_free(entities_instance *e);
/* Adds the entities layer to the document. */
void entities_instance_tag(entities_instance *e, galley_doc *doc);

/* The stage's commands (train.c). */
int entities_command_train(int argc, char **argv, const galley_stage_env *env);
int entities_command_eval(int argc, char **argv, const galley_stage_env *env);

#endif
