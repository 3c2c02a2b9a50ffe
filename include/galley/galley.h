/* galley/galley.h - everything a stage author needs, in one include. */
#ifndef GALLEY_GALLEY_H
#define GALLEY_GALLEY_H

#include <galley/arena.h>
#include <galley/error.h>
#include <galley/value.h>
#include <galley/doc.h>
#include <galley/text.h>
#include <galley/hash.h>
#include <galley/dict.h>
#include <galley/datafile.h>
#include <galley/model.h>
#include <galley/stage.h>
#include <galley/embed.h>

#endif
