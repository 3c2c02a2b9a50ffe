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
#define ENT_MODEL_FILE "entities.model"
#define ENT_CLUSTERS_FILE "clusters.txt"
#define ENT_NAMES_FILE "names.txt"

/* The resources every tagger needs, without a model. */
typedef struct ent_base {
    ner_dicts d;
    ent_clusters *clusters;
    galley_dict *names, *names_ci;
    ent_res res;
} ent_base;

int ent_base_load(ent_base *b, const char *data_dir, const char *config_dir,
                  const galley_strlist *dictionaries, galley_error *err);
void ent_base_free(ent_base *b);

typedef struct ent_instance {
    const ent_base *base;
    const galley_model *model;
    ent_tagger tagger;
    ner_options o;
    int model_types[ENT_MAX_TYPES];   /* unused slot: -1 */
    const char *layer_types[ENT_MAX_TYPES];
} ent_instance;

/* A tagger on `model` (not owned). Fails for a model whose labels are
 * not entity labels. */
int ent_instance_init(ent_instance *e, const ent_base *base, const galley_model *model,
                      int propagate, galley_error *err);
void ent_instance_free(ent_instance *e);
/* Adds the entities layer to the document. */
void ent_instance_tag(ent_instance *e, galley_doc *doc);

/* The stage's commands (train.c). */
int ent_command_train(int argc, char **argv, const galley_stage_env *env);
int ent_command_eval(int argc, char **argv, const galley_stage_env *env);

#endif
