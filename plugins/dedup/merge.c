/* merge.c - `galley dedup merge -o GLOBAL SHARD-INDEX...`: the decisions
 * of a single run over all the shards of pass = "sign".
 *
 * The shards of `galley run --shard` are contiguous runs of the input
 * files in the single run's order, so their documents, shard after
 * shard, are in the single run's order. The merge reads them so and
 * decides each document with dedup_decide, the function the single run
 * calls, against an index of the documents before it: the same keepers
 * (the earliest copy in the global order), the same `duplicate.of`, the
 * same cluster numbers and the same repeated paragraphs, for any number
 * of shards. Its memory is a single run's index (about 220 bytes a kept
 * document, README.md), the shard files being mapped, not loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "global.h"
#include "merge.h"
#include "shard.h"

/* Seconds on a monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Says what is wrong with the command line, and the usage, on stderr;
 * returns the exit status for the command to return. */
static int usage(const char *msg)
{
    fprintf(stderr,
            "galley dedup merge: %s\nusage: galley dedup merge -o GLOBAL.idx "
            "SHARD-INDEX...\n",
            msg);
    return GALLEY_EXIT_USAGE;
}

/* Opens every shard file and checks that they are the N shards of one
 * run built with one set of options by this galley; fills *p with those
 * options and sorts files by shard. 0, or -1 with err. */
static int open_shards(dedup_shard_file *files, size_t n, char **paths, dedup_params *p,
                       galley_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (dedup_shard_open(&files[i], paths[i], err) < 0)
            return -1;
    char what[4200], first[4200];
    snprintf(first, sizeof first, "shard index %s", files[0].path);
    if (dedup_params_of(&files[0].shape, p) < 0)
        return galley_error_set(err, "%s: unreadable options; the file is damaged", files[0].path);
    dedup_shape want;
    dedup_shape_of(p, DEDUP_FILE_SIGN, &want);
    if (dedup_shape_compare(&files[0].shape, &want, first, "this galley", err) < 0)
        return -1;
    dedup_shape_add(&want, "nshards", dedup_shape_get(&files[0].shape, "nshards"));
    for (size_t i = 1; i < n; i++) {
        snprintf(what, sizeof what, "shard index %s", files[i].path);
        if (dedup_shape_compare(&files[i].shape, &want, what, first, err) < 0)
            return -1;
    }
    unsigned nshards = files[0].nshards;
    dedup_shard_file **by = calloc(nshards, sizeof *by);
    if (!by)
        return galley_error_set(err, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (by[files[i].shard])
            rc = galley_error_set(err, "shard indexes %s and %s are both shard %u of %u",
                                  by[files[i].shard]->path, files[i].path, files[i].shard, nshards);
        by[files[i].shard] = &files[i];
    }
    for (unsigned s = 0; s < nshards && rc == 0; s++)
        if (!by[s])
            rc = galley_error_set(err,
                                  "the shard index of shard %u of %u is missing (%zu of %u "
                                  "given): pass 1 of that shard did not finish, or its file was "
                                  "not given",
                                  s, nshards, n, nshards);
    if (rc == 0) {
        dedup_shard_file *sorted = malloc(n * sizeof *sorted);
        if (!sorted)
            rc = galley_error_set(err, "out of memory");
        for (unsigned s = 0; sorted && s < nshards; s++)
            sorted[s] = *by[s];
        if (sorted)
            memcpy(files, sorted, n * sizeof *files);
        free(sorted);
    }
    free(by);
    return rc;
}

/* Decides every document of the sorted shards into the writer; counts
 * kept, exact, near and repeated paragraphs. 0 or -1 with err. */
static int replay(dedup_shard_file *files, size_t n, const dedup_params *p, dedup_index *ix,
                  dedup_global_writer *g, uint64_t counts[5], galley_error *err)
{
    int64_t *first_seen = NULL;
    size_t cap = 0;
    uint64_t last = 0;
    int have_last = 0, rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        dedup_shard_file *f = &files[i];
        int got;
        while ((got = dedup_shard_next(f, p, err)) == 1) {
            if (have_last && f->order <= last) {
                rc = galley_error_set(err,
                                      "shard index %s: its documents do not come after those "
                                      "of the shard before it: the indexes are not the shards of "
                                      "one run over the same inputs",
                                      f->path);
                break;
            }
            last = f->order;
            have_last = 1;
            if (f->sig.nparas > cap) {
                cap = f->sig.nparas * 2;
                int64_t *nf = realloc(first_seen, cap * sizeof *nf);
                if (!nf) {
                    rc = galley_error_set(err, "out of memory");
                    break;
                }
                first_seen = nf;
            }
            dedup_decision dec;
            dedup_decide(ix, p, f->id, &f->sig, first_seen, &dec);
            counts[0]++;
            counts[dec.kind == DEDUP_KEEP ? 1 : dec.kind == DEDUP_EXACT ? 2 : 3]++;
            counts[4] += dec.repeated;
            if (dedup_global_add(g, f->order, f->sig.exact, &dec, first_seen, f->sig.nparas, err) <
                0) {
                rc = -1;
                break;
            }
        }
        if (got < 0)
            rc = -1;
    }
    free(first_seen);
    return rc;
}

int dedup_merge_command(int argc, char **argv, const galley_stage_env *env)
{
    (void)env;
    const char *out = NULL;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t n = 0;
    if (!paths)
        return GALLEY_EXIT_FAILED;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2])
            out = argv[i] + 2;
        else if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return usage(strcmp(argv[i], "-o") == 0 ? "-o needs a file" : "unknown option");
        } else
            paths[n++] = argv[i];
    }
    if (!out || !n) {
        free(paths);
        return usage(!out ? "no output: give -o GLOBAL.idx" : "no shard index given");
    }
    double t0 = now();
    galley_error err = { 0 };
    int status = GALLEY_EXIT_USAGE, missing, lock = -1;
    dedup_shard_file *files = calloc(n, sizeof *files);
    dedup_params p;
    dedup_index *ix = NULL;
    dedup_global_writer *g = malloc(sizeof *g);
    uint64_t counts[5] = { 0 };
    if (!files || !g) {
        err.set = 1;
        snprintf(err.message, sizeof err.message, "out of memory");
    } else if (open_shards(files, n, paths, &p, &err) == 0 &&
               dedup_check_regular(out, &missing, &err) == 0 &&
               (lock = dedup_lock(out, 0, &err)) >= 0) {
        dedup_remove_stale(out);
        ix = dedup_index_new(&p);
        status = GALLEY_EXIT_FAILED;
        if (ix && dedup_global_open(g, out, &p, files[0].nshards, &err) == 0) {
            if (replay(files, n, &p, ix, g, counts, &err) == 0) {
                status =
                    dedup_global_commit(g, ix, &err) == 0 ? GALLEY_EXIT_OK : GALLEY_EXIT_FAILED;
            } else {
                /* A damaged or foreign shard found while reading. */
                status = GALLEY_EXIT_USAGE;
                dedup_global_abort(g);
            }
        }
    }
    if (status == GALLEY_EXIT_OK)
        fprintf(stderr,
                "galley dedup merge: %zu shard indexes, %llu documents: %llu kept, %llu exact "
                "and %llu near copies, %llu repeated paragraphs; index %zu bytes in memory (%llu a "
                "kept document); %.2f s\n",
                n, (unsigned long long)counts[0], (unsigned long long)counts[1],
                (unsigned long long)counts[2], (unsigned long long)counts[3],
                (unsigned long long)counts[4], dedup_index_bytes(ix),
                (unsigned long long)(counts[1] ? dedup_index_bytes(ix) / counts[1] : 0),
                now() - t0);
    else
        fprintf(stderr, "galley dedup merge: %s\n", err.message);
    dedup_index_free(ix);
    dedup_unlock(lock);
    for (size_t i = 0; files && i < n; i++)
        dedup_shard_close(&files[i]);
    free(files);
    free(g);
    free(paths);
    return status;
}
