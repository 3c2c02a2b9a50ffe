/* outfile.c - outputs under temporary names, renamed when complete. */
#include "config.h"

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
#include "io/outfile.h"

#define TMP_TAG ".galley-tmp-"
#define MAX_OPEN 4096

/* The temporary files open now, for the signal handler. Slots are set
 * under the lock and read by the handler without it: a pointer is
 * written whole, and a slot is cleared before its string is freed. */
static char *volatile open_tmps[MAX_OPEN];
static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;

/* Lists the temporary file tmp as open, so that a fatal signal's handler can
 * remove it. The list keeps the pointer, not a copy: tmp must stay allocated
 * until forget(). With every slot taken the file goes unlisted, and a killed
 * run leaves it for remove_stale in the next one. */
static void remember(char *tmp)
{
    pthread_mutex_lock(&open_mu);
    for (size_t i = 0; i < MAX_OPEN; i++)
        if (!open_tmps[i]) {
            open_tmps[i] = tmp;
            break;
        }
    pthread_mutex_unlock(&open_mu);
}

/* Takes the temporary file tmp (the same pointer remember() was given) off the
 * list. Called before tmp is freed, so the handler never sees a freed name. */
static void forget(const char *tmp)
{
    pthread_mutex_lock(&open_mu);
    for (size_t i = 0; i < MAX_OPEN; i++)
        if (open_tmps[i] == tmp)
            open_tmps[i] = NULL;
    pthread_mutex_unlock(&open_mu);
}

void gl_outfile_abort_all_from_signal(void)
{
    for (size_t i = 0; i < MAX_OPEN; i++) {
        char *t = open_tmps[i];
        if (t)
            unlink(t);
    }
}

/* The folder of path ("." when it has none), malloc'd. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return gl_xstrdup(".");
    if (slash == path)
        return gl_xstrdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Removes temporary files of `name` in `dir` left by runs that are gone
 * (killed: their pid no longer exists). */
static void remove_stale(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char prefix[4096];
    snprintf(prefix, sizeof prefix, ".%s" TMP_TAG, name);
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (*end || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            char stale[8192];
            snprintf(stale, sizeof stale, "%s/%s", dir, e->d_name);
            unlink(stale);
        }
    }
    closedir(d);
}

int gl_outfile_open(gl_outfile *f, const char *path, galley_error *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    char *dir = folder_of(path);
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        free(dir);
        return galley_error_set(err, "%s: cannot write: it is a folder", path);
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/stdout, a FIFO): written in place. */
        free(dir);
        f->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (f->fd < 0)
            return galley_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        f->path = gl_xstrdup(path);
        return 0;
    }
    remove_stale(dir, name);
    size_t n = strlen(dir) + strlen(name) + 64;
    f->tmp = gl_xmalloc(n);
    snprintf(f->tmp, n, "%s/.%s" TMP_TAG "%ld", dir, name, (long)getpid());
    free(dir);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (f->fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        return galley_error_set(err, "%s: cannot write: %s", path, strerror(e));
    }
    f->path = gl_xstrdup(path);
    remember(f->tmp);
    return 0;
}

int gl_outfile_write(gl_outfile *f, const void *data, size_t len, galley_error *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(f->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return galley_error_set(err, "%s: cannot write: %s", f->path,
                                    w < 0 ? strerror(errno) : "no space written");
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Closes and forgets the file; keeps nothing on disk when `keep` is 0. */
static void release(gl_outfile *f, int keep)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp) {
        if (!keep)
            unlink(f->tmp);
        forget(f->tmp);
        free(f->tmp);
    }
    free(f->path);
    f->tmp = f->path = NULL;
}

int gl_outfile_commit(gl_outfile *f, galley_error *err)
{
    if (!f->tmp) {
        /* Written in place: only the close can still fail. */
        int rc = f->fd >= 0 && close(f->fd) != 0
            ? galley_error_set(err, "%s: cannot write: %s", f->path, strerror(errno))
            : 0;
        f->fd = -1;
        release(f, 1);
        return rc;
    }
    const char *why = NULL;
    if (fsync(f->fd) != 0 && errno != EINVAL)
        why = "cannot flush to disk";
    else if (close(f->fd) != 0)
        why = "cannot close";
    f->fd = -1;
    if (!why && rename(f->tmp, f->path) != 0)
        why = "cannot rename the finished file into place";
    if (why) {
        galley_error_set(err, "%s: %s: %s", f->path, why, strerror(errno));
        release(f, 0);
        return -1;
    }
    /* The rename is durable once the folder is. */
    char *dir = folder_of(f->path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    release(f, 1);
    return 0;
}

void gl_outfile_abort(gl_outfile *f)
{
    release(f, 0);
}

int gl_outfile_put(const char *path, const void *data, size_t len, galley_error *err)
{
    gl_outfile f;
    if (gl_outfile_open(&f, path, err) < 0)
        return -1;
    if (gl_outfile_write(&f, data, len, err) < 0) {
        gl_outfile_abort(&f);
        return -1;
    }
    return gl_outfile_commit(&f, err);
}
