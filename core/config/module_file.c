/* module_file.c - is this file a module libltdl can map safely? */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config/module_file.h"

#if UINTPTR_MAX > 0xFFFFFFFFu
typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;
#define OUR_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr ehdr_t;
typedef Elf32_Phdr phdr_t;
#define OUR_CLASS ELFCLASS32
#endif

/* Reads exactly n bytes at offset off; 0 or -1. */
static int read_at(int fd, void *buf, size_t n, off_t off)
{
    ssize_t r = pread(fd, buf, n, off);
    return r == (ssize_t)n ? 0 : -1;
}

/* The ELF checks: magic, class, type, and every loadable segment inside
 * the file (a truncated copy fails the last). */
static int check_elf(const char *path, galley_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return galley_error_set(err, "%s: not a loadable module: %s", path, strerror(errno));
    struct stat st;
    ehdr_t eh;
    const char *why = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size == 0)
        why = "the file is empty";
    else if (read_at(fd, &eh, sizeof eh, 0) < 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        why = "not an ELF shared object (a text file, or another kind of file)";
    else if (eh.e_ident[EI_CLASS] != OUR_CLASS)
        why = "built for another word size";
    else if (eh.e_type != ET_DYN)
        why = "an ELF file but not a shared object";
    else if (eh.e_phentsize != sizeof(phdr_t) ||
             (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(phdr_t) > (uint64_t)st.st_size)
        why = "truncated (its program headers lie past the end of the file)";
    for (unsigned i = 0; !why && i < eh.e_phnum; i++) {
        phdr_t ph;
        if (read_at(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) < 0)
            why = "truncated (cannot read its program headers)";
        else if (ph.p_type == PT_LOAD && (uint64_t)ph.p_offset + ph.p_filesz > (uint64_t)st.st_size)
            why = "truncated (a segment lies past the end of the file)";
    }
    close(fd);
    return why ? galley_error_set(err, "%s: not a loadable module: %s", path, why) : 0;
}

/* The shared object a libtool .la names: dlname in .libs/ beside it
 * (uninstalled) or beside it (installed). */
static int check_la(const char *path, galley_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return galley_error_set(err, "%s: not a loadable module: %s", path, strerror(errno));
    char line[4096], dlname[1024] = "";
    int installed = 1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "dlname='%1023[^']'", dlname) == 1)
            continue;
        if (strncmp(line, "installed=no", 12) == 0)
            installed = 0;
    }
    fclose(f);
    if (!dlname[0])
        return galley_error_set(err,
                                "%s: not a loadable module: not a libtool module file "
                                "(no dlname)",
                                path);
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 1;
    const char *dir = slash ? path : ".";
    char so[8192];
    snprintf(so, sizeof so, "%.*s/%s%s", dirlen, dir, installed ? "" : ".libs/", dlname);
    return check_elf(so, err);
}

int gl_module_file_check(const char *path, galley_error *err)
{
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".la") == 0)
        return check_la(path, err);
    return check_elf(path, err);
}

int gl_module_file_unsafe(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    return (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 || (st.st_uid != geteuid() && st.st_uid != 0);
}
