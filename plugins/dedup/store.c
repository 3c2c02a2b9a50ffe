/* store.c - locks, checked reads and durable writes of the dedup files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store.h"

uint64_t dedup_checksum(const void *data, size_t len)
{
    const char *p = data;
    uint64_t s = 0;
    for (size_t off = 0; off < len; off += DEDUP_SUM_BLOCK) {
        size_t n = len - off < DEDUP_SUM_BLOCK ? len - off : DEDUP_SUM_BLOCK;
        s = galley_hash64(p + off, n, s);
    }
    return s;
}

char *dedup_path_join(const char *dir, const char *path)
{
    size_t n = strlen(dir) + strlen(path) + 2;
    char *out = malloc(n);
    if (!out)
        return NULL;
    if (path[0] == '/' || !dir[0])
        snprintf(out, n, "%s", path);
    else
        snprintf(out, n, "%s/%s", dir, path);
    return out;
}

/* What a non-regular file is, for messages. */
static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

int dedup_check_regular(const char *path, int *missing, galley_error *err)
{
    struct stat st;
    *missing = 0;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) {
            *missing = 1;
            return 0;
        }
        return galley_error_set(err, "dedup index %s: %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return galley_error_set(err,
                                "dedup index %s is %s, not a regular file: point index at a "
                                "file",
                                path, file_kind(st.st_mode));
    return 0;
}

/* ---- the lock ------------------------------------------------------------- */

/* The lock files this process holds, by device and inode: fcntl locks
 * never conflict within one process, and closing any descriptor of the
 * file would drop the lock, so a second stage on the same index is
 * refused here. */
typedef struct held_lock {
    dev_t dev;
    ino_t ino;
    int fd;
} held_lock;

static pthread_mutex_t held_mutex = PTHREAD_MUTEX_INITIALIZER;
static held_lock held[64];
static size_t nheld;

/* Records a lock as held unless it already is; 0 or -1. */
static int hold(const struct stat *st, int fd)
{
    int rc = 0;
    pthread_mutex_lock(&held_mutex);
    for (size_t i = 0; i < nheld; i++)
        if (held[i].dev == st->st_dev && held[i].ino == st->st_ino)
            rc = -1;
    if (rc == 0 && nheld == sizeof held / sizeof held[0])
        rc = -2;
    if (rc == 0)
        held[nheld++] = (held_lock){ st->st_dev, st->st_ino, fd };
    pthread_mutex_unlock(&held_mutex);
    return rc;
}

int dedup_lock(const char *path, int wait, galley_error *err)
{
    size_t n = strlen(path) + 6;
    char *lock = malloc(n);
    if (!lock)
        return galley_error_set(err, "out of memory");
    snprintf(lock, n, "%s.lock", path);
    /* O_NONBLOCK: a FIFO under the lock's name must not block the open. */
    int fd = open(lock, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0666);
    struct stat st = { 0 };
    if (fd < 0) {
        galley_error_set(err, "dedup index %s: cannot create its lock %s: %s", path, lock,
                         strerror(errno));
        free(lock);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        galley_error_set(err, "dedup index %s: its lock %s is %s, not a regular file", path, lock,
                         file_kind(st.st_mode));
        goto fail;
    }
    int h = hold(&st, fd);
    if (h == -1) {
        galley_error_set(err,
                         "dedup index %s is already used by another dedup stage of this run: "
                         "give each stage its own index",
                         path);
        goto fail;
    }
    if (h == -2) {
        galley_error_set(err, "dedup index %s: too many dedup indexes open in one process", path);
        goto fail;
    }
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int rc;
    while ((rc = fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl)) != 0 && errno == EINTR)
        ;
    if (rc != 0) {
        int e = errno;
        struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        char holder[64] = "another process";
        if ((e == EAGAIN || e == EACCES) && fcntl(fd, F_GETLK, &who) == 0 &&
            who.l_type != F_UNLCK && who.l_pid > 0)
            snprintf(holder, sizeof holder, "process %ld", (long)who.l_pid);
        if (e == EAGAIN || e == EACCES)
            galley_error_set(err,
                             "dedup index %s is in use by %s (it holds the lock %s): let that run "
                             "finish, or set wait_for_index = true to wait for it",
                             path, holder, lock);
        else
            galley_error_set(err, "dedup index %s: cannot lock %s: %s", path, lock, strerror(e));
        dedup_unlock(fd);
        free(lock);
        return -1;
    }
    free(lock);
    return fd;
fail:
    close(fd);
    free(lock);
    return -1;
}

void dedup_unlock(int lock)
{
    if (lock < 0)
        return;
    pthread_mutex_lock(&held_mutex);
    for (size_t i = 0; i < nheld; i++)
        if (held[i].fd == lock) {
            held[i] = held[--nheld];
            break;
        }
    pthread_mutex_unlock(&held_mutex);
    close(lock); /* releases the fcntl lock */
}

/* ---- reading -------------------------------------------------------------- */

int dedup_read_file(const char *path, char **data, size_t *size, int *missing, galley_error *err)
{
    *data = NULL;
    *size = 0;
    *missing = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            *missing = 1;
            return 0;
        }
        return galley_error_set(err, "dedup index %s: cannot read: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return galley_error_set(err,
                                "dedup index %s is %s, not a regular file: point index at a "
                                "file",
                                path, file_kind(st.st_mode));
    }
    char *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != (size_t)st.st_size) {
        free(buf);
        return galley_error_set(err, "dedup index %s: cannot read (%s)", path,
                                buf ? "shorter than its size" : "out of memory");
    }
    *data = buf;
    *size = got;
    return 0;
}

/* The folder of path and its last component; both malloc'd. */
static void split_path(const char *path, char **dir, char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = strdup(".");
        *base = strdup(path);
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        *dir = strndup(path, n);
        *base = strdup(slash + 1);
    }
}

void dedup_remove_stale(const char *path)
{
    char *dir, *base;
    split_path(path, &dir, &base);
    DIR *dp = dir && base ? opendir(dir) : NULL;
    size_t blen = base ? strlen(base) : 0;
    struct dirent *e;
    while (dp && (e = readdir(dp))) {
        if (strncmp(e->d_name, base, blen) != 0 || strncmp(e->d_name + blen, ".tmp.", 5) != 0)
            continue;
        const char *digits = e->d_name + blen + 5;
        char *end;
        long pid = strtol(digits, &end, 10);
        if (!*digits || *end || pid <= 0)
            continue;
        /* Only a dead process's file: a live one may still be writing. */
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *stale = dedup_path_join(dir, e->d_name);
        if (stale)
            unlink(stale);
        free(stale);
    }
    if (dp)
        closedir(dp);
    free(dir);
    free(base);
}

/* ---- writing -------------------------------------------------------------- */

int dedup_writer_open(dedup_writer *w, const char *path, galley_error *err)
{
    memset(w, 0, offsetof(dedup_writer, buf));
    w->fd = -1;
    size_t n = strlen(path) + 32;
    w->path = strdup(path);
    w->tmp = malloc(n);
    if (!w->path || !w->tmp) {
        dedup_writer_abort(w);
        return galley_error_set(err, "out of memory");
    }
    snprintf(w->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (w->fd < 0) {
        galley_error_set(err, "dedup index %s: cannot write %s: %s", path, w->tmp, strerror(errno));
        dedup_writer_abort(w);
        return -1;
    }
    /* A replaced index keeps its permissions. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        (void)fchmod(w->fd, st.st_mode & 07777);
    return 0;
}

/* Writes all of data, retrying short writes; records the first error. */
static void write_all(dedup_writer *w, const unsigned char *data, size_t len)
{
    while (len && !w->failed) {
        ssize_t r = write(w->fd, data, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            w->failed = r < 0 ? errno : ENOSPC;
            return;
        }
        data += r;
        len -= (size_t)r;
    }
}

/* Hashes and writes the buffered block. */
static void flush_block(dedup_writer *w)
{
    if (!w->len)
        return;
    w->sum = galley_hash64(w->buf, w->len, w->sum);
    write_all(w, w->buf, w->len);
    w->len = 0;
}

void dedup_writer_put(dedup_writer *w, const void *data, size_t len)
{
    const unsigned char *p = data;
    w->bytes += len;
    while (len) {
        size_t room = sizeof w->buf - w->len, n = len < room ? len : room;
        memcpy(w->buf + w->len, p, n);
        w->len += n;
        p += n;
        len -= n;
        if (w->len == sizeof w->buf)
            flush_block(w);
    }
}

/* fsyncs the folder of path so that the rename survives a crash. */
static int sync_folder(const char *path)
{
    char *dir, *base;
    split_path(path, &dir, &base);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    free(dir);
    free(base);
    return rc;
}

int dedup_writer_commit(dedup_writer *w, galley_error *err)
{
    flush_block(w);
    uint64_t sum = w->sum;
    write_all(w, (const unsigned char *)&sum, sizeof sum);
    if (!w->failed && fsync(w->fd) != 0)
        w->failed = errno;
    if (close(w->fd) != 0 && !w->failed)
        w->failed = errno;
    w->fd = -1;
    if (w->failed) {
        galley_error_set(err, "dedup index %s: cannot write %s: %s", w->path, w->tmp,
                         strerror(w->failed));
        dedup_writer_abort(w);
        return -1;
    }
    if (rename(w->tmp, w->path) != 0) {
        galley_error_set(err, "dedup index %s: cannot replace it: %s", w->path, strerror(errno));
        dedup_writer_abort(w);
        return -1;
    }
    if (sync_folder(w->path) != 0) {
        galley_error_set(err, "dedup index %s: written, but its folder could not be synced: %s",
                         w->path, strerror(errno));
        dedup_writer_abort(w);
        return -1;
    }
    free(w->tmp);
    w->tmp = NULL;
    dedup_writer_abort(w);
    return 0;
}

void dedup_writer_abort(dedup_writer *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    if (w->tmp)
        unlink(w->tmp);
    free(w->tmp);
    free(w->path);
    w->tmp = w->path = NULL;
}
