/* tar.h - reading one tar header block (ustar, GNU and pax), apart from
 * the streams that carry the archive. */
#ifndef GALLEY_TAR_H
#define GALLEY_TAR_H

#include <stdint.h>
#include <stddef.h>

#define GL_TAR_BLOCK 512

typedef enum gl_tar_kind {
    GL_TAR_END = 0,   /* an all-zero block: the end of the archive */
    GL_TAR_FILE,      /* a regular file: its data follows */
    GL_TAR_LONG_NAME, /* GNU 'L': the data is the next member's name */
    GL_TAR_PAX,       /* pax 'x': records, maybe the next member's path */
    GL_TAR_OTHER,     /* folders, links, global headers: skip the data */
    GL_TAR_CORRUPT    /* bad checksum or size: `why` says which */
} gl_tar_kind;

typedef struct gl_tar_header {
    gl_tar_kind kind;
    uint64_t size;      /* bytes of data after the header */
    uint64_t padded;    /* size rounded up to whole blocks */
    char name[256 + 2]; /* prefix/name of a ustar header */
    const char *why;    /* GL_TAR_CORRUPT: "bad checksum", "bad size" */
} gl_tar_header;

/* Reads the header block h (GL_TAR_BLOCK bytes). */
void gl_tar_parse(const unsigned char *h, gl_tar_header *out);

/* The "path" of a pax extended header's records ("NN path=...\n"),
 * malloc'd, or NULL when there is none. */
char *gl_tar_pax_path(const char *data, size_t len);

#endif
