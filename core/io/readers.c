/* readers.c - input paths to records. Each file is sniffed (gzip magic,
 * then the ustar magic, then the first byte and the extension) and read as
 * a stream: an archive is never unpacked to disk or held whole in memory.
 *
 * Levels: the top file (plain, gzip, tar or tar.gz) and, inside a tar, the
 * current member (plain or gzip). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "io/readers.h"
#include "io/streams.h"
#include "io/tar.h"

static const char *const input_formats[] = { "auto", "jsonl", "text", NULL };

/* Options of every input format. */
const galley_option gl_input_table[] = {
    GALLEY_OPTION_ENUM(gl_input_opts, format, "auto", input_formats,
                       "auto: by magic bytes and extension; jsonl: one JSON object a line; "
                       "text: one article a file"),
    GALLEY_OPTION_INT(gl_input_opts, max_doc_bytes, "67108864", 1, 1073741824,
                      "a longer JSON line or text file is rejected as too_long"),
    GALLEY_OPTION_END
};

/* JSONL's own options. */
static const galley_option jsonl_table[] = {
    GALLEY_OPTION_STRING(gl_input_opts, text_field, "text",
                         "jsonl: the field that holds the article text"),
    GALLEY_OPTION_STRING(gl_input_opts, id_field, "id",
                         "jsonl: the field that holds the id (missing: derived from the source)"),
    GALLEY_OPTION_END
};

/* Plain text's own options. */
static const galley_option text_table[] = {
    GALLEY_OPTION_BOOL(gl_input_opts, title_line, "true",
                       "text: the first line is the title when a blank line follows it"),
    GALLEY_OPTION_END
};

const galley_option *const gl_input_tables[] = { gl_input_table, jsonl_table, text_table, NULL };

int gl_input_table_applies(const galley_option *table, int format)
{
    static const struct {
        const galley_option *table;
        int format;
    } own[] = {
        { jsonl_table, GL_IN_JSONL },
        { text_table, GL_IN_TEXT },
    };
    for (size_t i = 0; i < GL_ARRAY_LEN(own); i++)
        if (own[i].table == table)
            return format == GL_IN_AUTO || own[i].format == format;
    return 1;
}

enum mode { MODE_DONE = 0, MODE_JSONL, MODE_TEXT, MODE_TAR };

typedef struct input_file {
    char *path;
    char *error;   /* listing failed: a reject with this message */
    uint64_t size; /* bytes (regular files), for shares and the ETA */
    dev_t dev;     /* identity, to refuse an output that is an input */
    ino_t ino;
} input_file;

typedef struct folder_id {
    dev_t dev;
    ino_t ino;
} folder_id;

typedef struct level {
    int open;
    enum mode mode;
    char *name;       /* source prefix: "a.tar.gz//x.jsonl" */
    gl_stream *file;  /* top level: the file itself (inside chain) */
    gl_stream *chain; /* what rd reads (owns its inner streams) */
    gl_stream *limit; /* member: the limited stream in the chain */
    gl_reader rd;
    uint64_t line;
    uint64_t padding; /* member: tar padding after the data */
} level;

struct gl_inputs {
    const gl_input_opts *opts;
    input_file *files; /* every input file of the whole run, sorted */
    size_t nfiles, next;
    size_t first, last; /* this run's share: files [first, last) */
    folder_id *folders; /* every folder walked */
    size_t nfolders;
    uint64_t record; /* records so far from files[next - 1] */
    uint64_t total_bytes, done_bytes;
    int total_known;
    level top, member;
    char *long_name; /* GNU 'L' or pax path for the next member */
};

/* ---- records ---------------------------------------------------------- */

void gl_records_clear(gl_records *r)
{
    r->n = 0;
    r->data.len = 0;
}

void gl_records_free(gl_records *r)
{
    free(r->recs);
    gl_buf_free(&r->data);
    memset(r, 0, sizeof *r);
}

/* Appends s[0..len) and a NUL to the batch's bytes; returns its offset. */
static size_t add_bytes(gl_records *out, const char *s, size_t len)
{
    size_t off = out->data.len;
    gl_buf_add(&out->data, s, len);
    gl_buf_addc(&out->data, '\0');
    return off;
}

/* A new record of the `len` bytes at `off` in the batch (appended and
 * NUL-terminated already), with its source appended after them. */
static gl_record *push_record(gl_records *out, gl_record_kind kind, size_t off, size_t len,
                              const char *source, uint64_t line)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->recs = gl_xrealloc(out->recs, out->cap * sizeof *out->recs);
    }
    gl_record *r = &out->recs[out->n++];
    r->kind = kind;
    r->reason = NULL;
    r->off = off;
    r->len = len;
    r->src_off = out->data.len;
    if (line)
        gl_buf_printf(&out->data, "%s:%llu", source, (unsigned long long)line);
    else
        gl_buf_adds(&out->data, source);
    r->src_len = out->data.len - r->src_off;
    gl_buf_addc(&out->data, '\0');
    return r;
}

/* A record of a copy of data[0..len). */
static gl_record *add_record(gl_records *out, gl_record_kind kind, const char *data, size_t len,
                             const char *source, uint64_t line)
{
    size_t off = add_bytes(out, data, len);
    return push_record(out, kind, off, len, source, line);
}

static void add_reject(gl_records *out, const char *reason, const char *source, uint64_t line,
                       const char *fmt, ...) GALLEY_PRINTF(5, 6);

/* A REJECT record: the message is its bytes. */
static void add_reject(gl_records *out, const char *reason, const char *source, uint64_t line,
                       const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gl_record *r = add_record(out, GL_REC_REJECT, msg, strlen(msg), source, line);
    r->reason = reason;
}

/* A reject for the stream error a reader met. */
static void add_read_error(gl_records *out, const gl_reader *rd, const char *source, uint64_t line)
{
    add_reject(out, rd->reason ? rd->reason : "read_error", source, line, "%s", rd->err.message);
}

/* ---- listing ---------------------------------------------------------- */

/* Adds a file to the list; `st` is its stat (NULL when unknown). */
static void push_file(gl_inputs *in, const char *path, const char *error, const struct stat *st)
{
    in->files = gl_xrealloc(in->files, (in->nfiles + 1) * sizeof *in->files);
    input_file *f = &in->files[in->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = gl_xstrdup(path);
    f->error = error ? gl_xstrdup(error) : NULL;
    if (st) {
        f->size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
        f->dev = st->st_dev;
        f->ino = st->st_ino;
    }
}

/* Orders file names by strcmp, for qsort over an array of char *: a folder's
 * files are read in byte order of their names, the same on every machine. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists path among the inputs: a file (or "-", standard input) as itself, a
 * folder as its entries in sorted order, recursively, skipping names that start
 * with a dot. A path that cannot be read or listed, or a folder 64 levels down
 * (a link loop?), is listed with its error, which the reader reports when it
 * gets there; the walk goes on. Each folder walked is remembered, so that an
 * output inside an input folder can be refused. */
static void walk(gl_inputs *in, const char *path, int depth)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        push_file(in, path, NULL, NULL);
        return;
    }
    if (stat(path, &st) != 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        push_file(in, path, msg, NULL);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        push_file(in, path, NULL, &st);
        return;
    }
    if (depth > 64) {
        push_file(in, path, "folders nested too deep (a link loop?)", NULL);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        char msg[512];
        snprintf(msg, sizeof msg, "cannot list folder: %s", strerror(errno));
        push_file(in, path, msg, NULL);
        return;
    }
    in->folders = gl_xrealloc(in->folders, (in->nfolders + 1) * sizeof *in->folders);
    in->folders[in->nfolders++] = (folder_id){ st.st_dev, st.st_ino };
    size_t n = 0, cap = 64;
    char **names = gl_xmalloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and hidden files */
        if (n == cap)
            names = gl_xrealloc(names, (cap *= 2) * sizeof *names);
        names[n++] = gl_xstrdup(e->d_name);
    }
    closedir(d);
    /* Sorted, so that a folder gives the same order on every machine. */
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = gl_xmalloc(len);
        snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        walk(in, child, depth + 1);
        free(child);
        free(names[i]);
    }
    free(names);
}

/* The share of shard `shard` of `nshards`: a contiguous run of files in
 * the sorted order, cut where the running total of bytes crosses
 * shard/nshards of all bytes (a file belongs to the shard its middle
 * byte falls in), so that every machine computes the same split and the
 * shares are balanced by size. Files of unknown size count one byte. */
static void choose_share(gl_inputs *in, unsigned shard, unsigned nshards)
{
    uint64_t total = 0;
    for (size_t i = 0; i < in->nfiles; i++)
        total += in->files[i].size ? in->files[i].size : 1;
    in->first = in->last = 0;
    uint64_t before = 0;
    int started = 0;
    for (size_t i = 0; i < in->nfiles; i++) {
        uint64_t size = in->files[i].size ? in->files[i].size : 1;
        /* middle / total * nshards, in integers: which share it falls in */
        unsigned long long mid2 = 2ULL * before + size;
        unsigned owner = (unsigned)((mid2 * (unsigned long long)nshards) / (2ULL * total));
        if (owner >= nshards)
            owner = nshards - 1;
        if (owner == shard) {
            if (!started)
                in->first = i;
            started = 1;
            in->last = i + 1;
        }
        before += size;
    }
}

/* A top-level input that cannot be a file: a URL, or a path that does
 * not exist. Returns 0, or -1 with err set. */
static int check_top_level(const char *path, galley_error *err)
{
    static const char *const schemes[] = { "http://", "https://", "ftp://", "s3://", "gs://" };
    for (size_t i = 0; i < GL_ARRAY_LEN(schemes); i++)
        if (strncmp(path, schemes[i], strlen(schemes[i])) == 0)
            return galley_error_set(err,
                                    "%s: URLs are not supported as input: download the "
                                    "file first (for example with curl -O) and give its path",
                                    path);
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) != 0)
        return galley_error_set(err, "%s: no such input file or folder", path);
    return 0;
}

gl_inputs *gl_inputs_open(const char *const *paths, size_t n, const gl_input_opts *opts,
                          unsigned shard, unsigned nshards, galley_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (check_top_level(paths[i], err) < 0)
            return NULL;
    gl_inputs *in = gl_xcalloc(1, sizeof *in);
    in->opts = opts;
    for (size_t i = 0; i < n; i++)
        walk(in, paths[i], 0);
    in->first = 0;
    in->last = in->nfiles;
    if (nshards > 1)
        choose_share(in, shard, nshards);
    in->next = in->first;
    in->total_known = 1;
    for (size_t i = in->first; i < in->last; i++) {
        in->total_bytes += in->files[i].size;
        if (!in->files[i].size)
            in->total_known = 0; /* standard input, a pipe, a device */
    }
    return in;
}

int gl_inputs_claim(const gl_inputs *in, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        for (size_t i = 0; i < in->nfiles; i++)
            if (!in->files[i].error && in->files[i].dev == st.st_dev &&
                in->files[i].ino == st.st_ino && strcmp(in->files[i].path, "-") != 0)
                return 1;
    /* Under an input folder: some folder above the path is one. */
    char *dir = gl_xstrdup(path);
    int inside = 0;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        const char *d = slash ? dir : ".";
        if (stat(d, &st) == 0)
            for (size_t i = 0; i < in->nfolders && !inside; i++)
                inside = in->folders[i].dev == st.st_dev && in->folders[i].ino == st.st_ino;
        if (inside || !slash || strcmp(dir, "/") == 0)
            break;
    }
    free(dir);
    return inside;
}

uint64_t gl_inputs_total_bytes(const gl_inputs *in)
{
    return in->total_known ? in->total_bytes : 0;
}

size_t gl_inputs_file_count(const gl_inputs *in)
{
    return in->last - in->first;
}

uint64_t gl_inputs_bytes_read(const gl_inputs *in)
{
    uint64_t cur = in->top.open && in->top.file ? gl_stream_file_bytes(in->top.file) : 0;
    return in->done_bytes + cur;
}

/* ---- sniffing --------------------------------------------------------- */

/* Whether the n bytes at p start with the gzip magic (1f 8b). */
static int is_gzip(const char *p, size_t n)
{
    return n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
}

/* Whether the n bytes at p start a POSIX tar archive: a whole first header
 * block, with the "ustar" magic at byte 257. */
static int is_tar(const char *p, size_t n)
{
    return n >= GL_TAR_BLOCK && memcmp(p + 257, "ustar", 5) == 0;
}

/* Whether s ends with suffix, case and all: a name ending in ".JSONL" is not
 * taken for JSONL by its name. */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* JSONL or text, from the format option, the name, then the content. */
static enum mode content_mode(const gl_inputs *in, const char *name, const char *p, size_t n)
{
    if (in->opts->format == GL_IN_JSONL)
        return MODE_JSONL;
    if (in->opts->format == GL_IN_TEXT)
        return MODE_TEXT;
    static const char *const json_ext[] = { ".jsonl",    ".ndjson",    ".json",
                                            ".jsonl.gz", ".ndjson.gz", ".json.gz" };
    for (size_t i = 0; i < GL_ARRAY_LEN(json_ext); i++)
        if (ends_with(name, json_ext[i]))
            return MODE_JSONL;
    size_t i = 0;
    /* Skip a BOM and whitespace. */
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i < n && p[i] == '{' ? MODE_JSONL : MODE_TEXT;
}

/* Sets up lv->chain and lv->rd over `base` (gzip-wrapped when `gz`) and
 * picks the mode from the first bytes. */
static void open_chain(gl_inputs *in, level *lv, gl_stream *base, int gz, int allow_tar)
{
    lv->chain = gz ? gl_stream_gzip(base) : base;
    gl_reader_init(&lv->rd, lv->chain);
    const char *p;
    size_t n = gl_reader_peek(&lv->rd, GL_TAR_BLOCK, &p);
    if (allow_tar && is_tar(p, n))
        lv->mode = MODE_TAR;
    else
        lv->mode = content_mode(in, lv->name, p, n);
    lv->line = 0;
    lv->open = 1;
}

/* Closes a level and its streams, counting the file's bytes as done. */
static void close_level(gl_inputs *in, level *lv)
{
    if (!lv->open)
        return;
    gl_reader_free(&lv->rd);
    if (lv->file)
        in->done_bytes += gl_stream_file_bytes(lv->file);
    gl_stream_close(lv->chain);
    free(lv->name);
    memset(lv, 0, sizeof *lv);
}

/* Opens the next input file as the top level: one reader over the file,
 * or over gzip over the file (sniffed from its first two bytes). */
static void open_file(gl_inputs *in, const input_file *f, gl_records *out)
{
    /* A name record names the next member of its own archive only: one
     * left at the end of the last file does not rename this file's. */
    free(in->long_name);
    in->long_name = NULL;
    if (f->error) {
        add_reject(out, "unreadable", f->path, 0, "%s", f->error);
        return;
    }
    gl_stream *file = gl_stream_file(f->path);
    if (!file) {
        add_reject(out, "unreadable", f->path, 0, "cannot open: %s", strerror(errno));
        return;
    }
    level *lv = &in->top;
    memset(lv, 0, sizeof *lv);
    const char *name = strcmp(f->path, "-") == 0 ? "(stdin)" : f->path;
    const unsigned char *p;
    ssize_t n = gl_stream_peek(file, 2, &p);
    if (n < 0) {
        add_reject(out, "unreadable", name, 0, "%s", file->err.message);
        gl_stream_close(file);
        return;
    }
    lv->file = file;
    lv->name = gl_xstrdup(name);
    open_chain(in, lv, file, is_gzip((const char *)p, (size_t)n), 1);
}

/* ---- JSONL and text ----------------------------------------------------- */

/* One record from a JSONL or text level; 0 when the level is finished. */
static int step_content(gl_inputs *in, level *lv, gl_records *out)
{
    size_t max = (size_t)in->opts->max_doc_bytes;
    if (lv->mode == MODE_JSONL) {
        for (;;) {
            const char *line;
            size_t len;
            int too_long;
            int rc = gl_reader_line(&lv->rd, max, &line, &len, &too_long);
            if (rc < 0) {
                add_read_error(out, &lv->rd, lv->name, lv->line + 1);
                return 0;
            }
            if (rc == 0)
                return 0;
            lv->line++;
            if (too_long) {
                add_reject(out, "too_long", lv->name, lv->line,
                           "line of %zu bytes is longer than input.max_doc_bytes (%zu)", len, max);
                return 1;
            }
            size_t k = 0;
            while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
                k++;
            if (k == len)
                continue; /* blank lines separate nothing */
            add_record(out, GL_REC_JSON, line, len, lv->name, lv->line);
            return 1;
        }
    }
    if (lv->mode == MODE_TEXT) {
        /* The article goes straight into the batch's bytes. */
        size_t off = out->data.len, len;
        int too_long;
        lv->mode = MODE_DONE;
        if (gl_reader_all(&lv->rd, max, &out->data, &len, &too_long) < 0) {
            add_read_error(out, &lv->rd, lv->name, 0);
            return 0;
        }
        if (too_long) {
            add_reject(out, "too_long", lv->name, 0,
                       "article of %zu bytes is longer than input.max_doc_bytes (%zu)", len, max);
            return 0;
        }
        const char *data = out->data.data + off;
        size_t probe = len < 8192 ? len : 8192;
        int binary = memchr(data, '\0', probe) != NULL;
        if (binary || len == 0) {
            out->data.len = off;
            if (binary)
                add_reject(out, "binary", lv->name, 0, "not text (NUL bytes): skipped");
            else
                add_reject(out, "empty", lv->name, 0, "empty file");
            return 0;
        }
        gl_buf_addc(&out->data, '\0');
        push_record(out, GL_REC_TEXT, off, len, lv->name, 0);
        return 0;
    }
    return 0;
}

/* ---- tar ---------------------------------------------------------------- */

/* A name record (GNU 'L' or pax 'x') for the next member; returns 0 when
 * the archive cannot go on. */
static int read_name_record(gl_inputs *in, const gl_tar_header *h, gl_records *out)
{
    level *top = &in->top;
    const char *p;
    if (h->size > 65536) {
        add_reject(out, "corrupt_tar", top->name, 0, "tar name record of %llu bytes",
                   (unsigned long long)h->size);
        return 0;
    }
    size_t n = gl_reader_peek(&top->rd, (size_t)h->size, &p);
    if (n < h->size) {
        add_reject(out, "corrupt_tar", top->name, 0, "archive ends inside a tar name record");
        return 0;
    }
    char *nm = h->kind == GL_TAR_LONG_NAME ? strndup(p, (size_t)h->size)
                                           : gl_tar_pax_path(p, (size_t)h->size);
    if (nm) {
        free(in->long_name);
        in->long_name = nm;
    }
    return gl_reader_skip(&top->rd, h->padded) == 0;
}

/* Opens the member whose header is h as the member level. */
static void open_member(gl_inputs *in, const gl_tar_header *h, gl_records *out)
{
    level *top = &in->top;
    const char *member = in->long_name ? in->long_name : h->name;
    level *m = &in->member;
    memset(m, 0, sizeof *m);
    size_t len = strlen(top->name) + strlen(member) + 3;
    m->name = gl_xmalloc(len);
    snprintf(m->name, len, "%s//%s", top->name, member);
    free(in->long_name);
    in->long_name = NULL;
    m->padding = h->padded - h->size;
    const char *p;
    size_t n = gl_reader_peek(&top->rd, h->size < 2 ? (size_t)h->size : 2, &p);
    int gz = is_gzip(p, n);
    m->limit = gl_stream_limit(gl_stream_from_reader(&top->rd), h->size);
    open_chain(in, m, m->limit, gz, 0);
    if (h->size == 0) {
        add_reject(out, "empty", m->name, 0, "empty archive member");
        m->mode = MODE_DONE;
    }
}

/* After a corrupt header at `pos`: skips block by block to the next
 * block that is a valid ustar header, so one damaged header costs one
 * member, not the rest of the archive. Returns 1 when reading can go on
 * from that header, 0 when the archive ends first. */
static int resync_tar(gl_inputs *in, uint64_t pos, const char *why, gl_records *out)
{
    level *top = &in->top;
    uint64_t skipped = 0;
    for (;;) {
        if (gl_reader_skip(&top->rd, GL_TAR_BLOCK) < 0)
            break;
        skipped += GL_TAR_BLOCK;
        const char *p;
        size_t n = gl_reader_peek(&top->rd, GL_TAR_BLOCK, &p);
        if (n < GL_TAR_BLOCK)
            break;
        gl_tar_header h;
        gl_tar_parse((const unsigned char *)p, &h);
        if (h.kind != GL_TAR_CORRUPT && h.kind != GL_TAR_END && is_tar(p, n)) {
            add_reject(out, "corrupt_tar", top->name, 0,
                       "corrupt tar header at byte %llu (%s): %llu bytes skipped to the next "
                       "header",
                       (unsigned long long)pos, why, (unsigned long long)skipped);
            return 1;
        }
    }
    add_reject(out, "corrupt_tar", top->name, 0,
               "corrupt tar header at byte %llu (%s): no valid header after it, rest of archive "
               "skipped",
               (unsigned long long)pos, why);
    return 0;
}

/* Reads one header; opens the member or handles a meta entry. Returns 0
 * when the archive is finished (end, or an error that stops it). */
static int step_tar(gl_inputs *in, gl_records *out)
{
    level *top = &in->top;
    const char *p;
    size_t n = gl_reader_peek(&top->rd, GL_TAR_BLOCK, &p);
    uint64_t pos = top->chain->consumed - (top->rd.end - top->rd.start);
    if (top->rd.error) {
        add_read_error(out, &top->rd, top->name, 0);
        return 0;
    }
    if (n == 0)
        return 0;
    if (n < GL_TAR_BLOCK) {
        add_reject(out, "corrupt_tar", top->name, 0,
                   "archive ends inside a tar header at byte %llu", (unsigned long long)pos);
        return 0;
    }
    gl_tar_header h;
    gl_tar_parse((const unsigned char *)p, &h);
    switch (h.kind) {
    case GL_TAR_END:
        return 0; /* end-of-archive blocks */
    case GL_TAR_CORRUPT:
        return resync_tar(in, pos, h.why, out);
    case GL_TAR_LONG_NAME:
    case GL_TAR_PAX:
        gl_reader_skip(&top->rd, GL_TAR_BLOCK);
        return read_name_record(in, &h, out);
    case GL_TAR_OTHER:
        /* Folders, links, global headers: nothing to read. */
        gl_reader_skip(&top->rd, GL_TAR_BLOCK);
        if (gl_reader_skip(&top->rd, h.padded) < 0) {
            add_reject(out, "corrupt_tar", top->name, 0, "archive ends inside an entry");
            return 0;
        }
        return 1;
    case GL_TAR_FILE:
        gl_reader_skip(&top->rd, GL_TAR_BLOCK);
        open_member(in, &h, out);
        return 1;
    }
    return 0;
}

/* Closes the member and moves the archive past its data and padding. */
static int finish_member(gl_inputs *in)
{
    level *m = &in->member;
    uint64_t rest = gl_stream_limit_left(m->limit) + m->padding;
    close_level(in, m);
    return gl_reader_skip(&in->top.rd, rest);
}

/* Gives the records from `at` on their place in the whole run's order:
 * they all come from the file opened last. */
static void set_order(gl_inputs *in, gl_records *out, size_t at)
{
    for (size_t k = at; k < out->n; k++)
        out->recs[k].order = GALLEY_ORDER(in->next - 1, in->record++);
}

size_t gl_inputs_read(gl_inputs *in, gl_records *out, size_t max_recs, size_t max_bytes)
{
    size_t before = out->n;
    while (out->n < max_recs && out->data.len < max_bytes) {
        size_t at = out->n;
        if (in->member.open) {
            if (!step_content(in, &in->member, out)) {
                int truncated = in->member.rd.error;
                if (finish_member(in) < 0 || truncated)
                    in->top.mode = MODE_DONE; /* nothing after it to read */
            }
            set_order(in, out, at);
            continue;
        }
        if (in->top.open) {
            int more =
                in->top.mode == MODE_TAR ? step_tar(in, out) : step_content(in, &in->top, out);
            if (!more && !in->member.open)
                close_level(in, &in->top);
            set_order(in, out, at);
            continue;
        }
        if (in->next >= in->last)
            break;
        in->record = 0;
        open_file(in, &in->files[in->next++], out);
        set_order(in, out, at);
        continue;
    }
    return out->n - before;
}

void gl_inputs_close(gl_inputs *in)
{
    if (!in)
        return;
    close_level(in, &in->member);
    close_level(in, &in->top);
    for (size_t i = 0; i < in->nfiles; i++) {
        free(in->files[i].path);
        free(in->files[i].error);
    }
    free(in->files);
    free(in->folders);
    free(in->long_name);
    free(in);
}
