/* replay.c - a fuzz target without libFuzzer: feeds files to its
 * LLVMFuzzerTestOneInput one by one and prints TAP, so that make check
 * (with any compiler, and under the sanitizers in CI) replays the seed
 * corpus and every input a fuzzer once crashed on.
 *
 *   replay_TARGET              every file of the target's corpus folder
 *   replay_TARGET PATH...      these files, or every file of these folders
 *
 * The plan is printed first: an input that crashes the target ends the
 * output early, and the TAP driver reports the missing results. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

#ifndef FUZZ_CORPUS
#error "build with -DFUZZ_CORPUS=\"folder of the target's corpus\""
#endif

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

/* Appends a copy of s. */
static void push(paths *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (!p->v)
            abort();
    }
    p->v[p->n++] = strdup(s);
}

/* qsort order of paths: by bytes, the same on every machine. */
static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file as itself, a folder as its files (sorted, hidden ones left
 * out: libFuzzer's own notes). */
static void collect(paths *p, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: not found\n", path);
        exit(99);
    }
    if (!S_ISDIR(st.st_mode)) {
        push(p, path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        exit(99);
    }
    size_t first = p->n;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096 + 260];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        push(p, full);
    }
    closedir(d);
    qsort(p->v + first, p->n - first, sizeof *p->v, cmp_paths);
}

/* The whole file, malloc'd (at least one byte, so an empty file is a
 * valid pointer too). */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(99);
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        abort();
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    paths p = { 0 };
    if (argc < 2)
        collect(&p, FUZZ_CORPUS);
    for (int i = 1; i < argc; i++)
        collect(&p, argv[i]);
    LLVMFuzzerInitialize(&argc, &argv);
    printf("1..%zu\n", p.n);
    fflush(stdout);
    for (size_t i = 0; i < p.n; i++) {
        size_t size;
        uint8_t *file = read_file(p.v[i], &size);
        /* A block of exactly the input's size, as libFuzzer gives: a read
         * past the end is then one AddressSanitizer sees. */
        uint8_t *data = malloc(size ? size : 1);
        memcpy(data, file, size);
        free(file);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        const char *shown = strstr(p.v[i], "tests/fuzz/");
        printf("ok %zu - %s\n", i + 1, shown ? shown + 11 : p.v[i]);
        fflush(stdout);
        free(p.v[i]);
    }
    free(p.v);
    return 0;
}
