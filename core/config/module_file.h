/* module_file.h - checks a stage module's file before libltdl maps it: a
 * truncated shared object would crash the process (SIGBUS) when its
 * pages are touched, and a text file would otherwise read as "file not
 * found". */
#ifndef GALLEY_MODULE_FILE_H
#define GALLEY_MODULE_FILE_H

#include "sdk/private.h"

/* Checks `path` (a .so, or a libtool .la and the object it names):
 * a whole ELF shared object for this machine. Returns 0, or -1 with err
 * set to "PATH: not a loadable module: REASON". */
int gl_module_file_check(const char *path, galley_error *err);

/* Non-zero when the file or folder at `path` may be written by others
 * than its owner (group or world), or is owned by another user than
 * this process and root: anyone who can write there can run code inside
 * galley. */
int gl_module_file_unsafe(const char *path);

#endif
