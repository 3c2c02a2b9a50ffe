/* store.h - the dedup stage's files on disk, done safely: an exclusive
 * lock held for the whole run, paths that are not regular files refused,
 * temporary files of killed runs removed, every write checked and made
 * durable (temporary name, fsync, rename, fsync of the folder), and a
 * checksum over everything written.
 *
 * The checksum is XXH3 chained over blocks of DEDUP_SUM_BLOCK bytes
 * (s = XXH3(block, s), from 0), so a file can be written as a stream and
 * checked as a stream. */
#ifndef DEDUP_STORE_H
#define DEDUP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <galley/galley.h>

#define DEDUP_SUM_BLOCK 65536

/* The chained checksum of data (a whole file but its last 8 bytes). */
uint64_t dedup_checksum(const void *data, size_t len);

/* ---- the lock ------------------------------------------------------------- */

/* Takes the exclusive lock of the index at `path`: an fcntl lock on
 * "PATH.lock" (a file that holds no data and stays, so that every run
 * locks the same file whatever happens to the index itself). With
 * `wait`, waits for the holder; otherwise a held lock fails at once with
 * the holder's pid in the message. Also refused: a second lock of the
 * same index within this process (fcntl locks do not exclude their own
 * process). Returns the lock (>= 0) for dedup_unlock, or -1 with err. */
int dedup_lock(const char *path, int wait, galley_error *err);
void dedup_unlock(int lock);

/* ---- reading -------------------------------------------------------------- */

/* Refuses a path that exists and is not a regular file (a FIFO, a
 * folder, a device), without opening it in a way that could block.
 * Sets *missing when it does not exist. Returns 0 or -1 with err. */
int dedup_check_regular(const char *path, int *missing, galley_error *err);

/* Reads a whole regular file into a malloc'd buffer (*data, *size).
 * Sets *missing (and returns 0) when it does not exist. */
int dedup_read_file(const char *path, char **data, size_t *size, int *missing, galley_error *err);

/* Removes "PATH.tmp.PID" files whose process is gone (left by a run
 * that was killed while saving). Call with the lock held. */
void dedup_remove_stale(const char *path);

/* ---- writing -------------------------------------------------------------- */

/* A file written as a stream under "PATH.tmp.PID", checksummed as it
 * goes, and put in place only by dedup_writer_commit. */
typedef struct dedup_writer {
    char *path, *tmp;
    int fd;
    int failed; /* errno of the first failed write, or 0 */
    uint64_t sum, bytes;
    size_t len;
    unsigned char buf[DEDUP_SUM_BLOCK];
} dedup_writer;

/* Opens the temporary file; 0 or -1 with err. */
int dedup_writer_open(dedup_writer *w, const char *path, galley_error *err);
void dedup_writer_put(dedup_writer *w, const void *data, size_t len);
/* Appends the checksum, fsyncs, renames over PATH, fsyncs the folder and
 * closes; 0 or -1 with err (the temporary file is then removed). */
int dedup_writer_commit(dedup_writer *w, galley_error *err);
/* Closes and removes the temporary file (a run that failed). Safe to
 * call on a writer that was never opened or already committed. */
void dedup_writer_abort(dedup_writer *w);

/* "PATH" made absolute against `dir` when relative; malloc'd. */
char *dedup_path_join(const char *dir, const char *path);

#endif
