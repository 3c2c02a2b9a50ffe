/* model.c - sequence models: feature ids, the model file (checks, the
 * process-wide cache of mappings), scoring and Viterbi decoding, saving.
 * Training is in model_train.c; the file layout in model_format.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "sdk/private.h"
#include "sdk/model_format.h"

struct galley_model {
    unsigned char *image; /* the file's bytes */
    size_t size;
    int mapped; /* munmap (1) or free (0) the image */
    const gl_model_header *h;
    size_t L;
    const char **labels; /* into the image */
    const char **info_keys, **info_values;
    int64_t *trans;       /* (L + 2) * L, forbidden at GL_MODEL_NEG */
    gl_viterbi_plan plan; /* the transitions, ready for Viterbi */
    const uint64_t *keys;
    const uint32_t *rows;
    const int16_t *weights;
    unsigned bits; /* table_cap == 1 << bits */
    /* A blocked Bloom filter of the feature ids, made at load: most ids a
     * stage asks for are not in the model, and the filter (16 bits a
     * feature, small enough to stay in cache) answers for them without
     * touching the table. */
    uint64_t *filter;
    unsigned filter_bits; /* filter has 1 << filter_bits words */
    /* The process-wide cache: real path, references, next entry. */
    char *path;
    unsigned refs;
    struct galley_model *next;
};

/* ---- Feature ids ------------------------------------------------------ */

/* Feature ids are never 0: 0 marks an empty slot in the table. */
static uint64_t nonzero(uint64_t h)
{
    return h ? h : 1;
}

uint64_t galley_feature(uint64_t template_id, const char *value, size_t len)
{
    return nonzero(XXH3_64bits_withSeed(value, len, template_id));
}

uint64_t galley_feature_template(const char *name)
{
    return nonzero(XXH3_64bits(name, strlen(name)));
}

uint64_t galley_feature_pair(uint64_t a, uint64_t b)
{
    return nonzero(galley_hash_mix(a, b));
}

/* ---- Label constraints ------------------------------------------------ */

/* A label's part in a span under the BIO/BILOU naming: 'B', 'I', 'L',
 * 'U', 'O', or 0 when the name follows neither; *type gets the name
 * after the dash. */
static char span_role(const char *label, const char **type)
{
    *type = "";
    if (strcmp(label, "O") == 0)
        return 'O';
    if (!label[0] || label[1] != '-' || !label[2])
        return 0;
    *type = label + 2;
    switch (label[0]) {
    case 'B':
        return 'B';
    case 'I':
        return 'I';
    case 'L':
    case 'E':
        return 'L';
    case 'U':
    case 'S':
        return 'U';
    default:
        return 0;
    }
}

void gl_model_constraints(const char *const *labels, size_t n, unsigned flags,
                          unsigned char *allowed)
{
    memset(allowed, 1, (n + 2) * n);
    if (!(flags & GALLEY_MODEL_BIO))
        return;
    int bilou = 0;
    const char *t;
    for (size_t i = 0; i < n; i++) {
        char r = span_role(labels[i], &t);
        bilou |= r == 'L' || r == 'U';
    }
    for (size_t c = 0; c < n; c++) {
        const char *ct;
        char cr = span_role(labels[c], &ct);
        int continues = cr == 'I' || cr == 'L';
        for (size_t p = 0; p < n; p++) {
            const char *pt;
            char pr = span_role(labels[p], &pt);
            int open = pr == 'B' || pr == 'I';
            int ok = 1;
            if (continues)
                ok = open && strcmp(pt, ct) == 0;
            else if (bilou && open)
                ok = 0; /* an open BILOU span must go on or end */
            allowed[p * n + c] = (unsigned char)ok;
        }
        allowed[n * n + c] = !continues;                                 /* start */
        allowed[(n + 1) * n + c] = !(bilou && (cr == 'B' || cr == 'I')); /* end */
    }
}

/* ---- Images: checks and wrapping -------------------------------------- */

/* Is [off, off + len) inside the image and off aligned to `align`? */
static int section_ok(uint64_t off, uint64_t len, size_t size, uint64_t align)
{
    return off % align == 0 && off <= size && len <= size - off;
}

/* Checks an image's header, checksum and layout; `what` receives the
 * problem ("checksum mismatch") on failure. */
static int image_check(const unsigned char *image, size_t size, char *what, size_t whatlen)
{
    const gl_model_header *h = (const gl_model_header *)image;
    if (size < 8 || memcmp(image, GL_MODEL_MAGIC, 8) != 0) {
        snprintf(what, whatlen, "not a galley model file");
        return -1;
    }
    if (size < sizeof *h) {
        snprintf(what, whatlen, "truncated model file (%zu bytes, the header alone is %zu)", size,
                 sizeof *h);
        return -1;
    }
    if (h->byte_order != GL_MODEL_BYTE_ORDER) {
        snprintf(what, whatlen, "model file written on a machine of another byte order");
        return -1;
    }
    if (h->format != GALLEY_MODEL_FORMAT) {
        snprintf(what, whatlen, "model file format %u, this galley reads format %d", h->format,
                 GALLEY_MODEL_FORMAT);
        return -1;
    }
    if (h->file_size > size) {
        snprintf(what, whatlen, "truncated model file (%zu of %llu bytes)", size,
                 (unsigned long long)h->file_size);
        return -1;
    }
    if (h->file_size < size) {
        snprintf(what, whatlen, "corrupt model file (%zu bytes, the header says %llu)", size,
                 (unsigned long long)h->file_size);
        return -1;
    }
    if (XXH3_64bits(image + GL_MODEL_CHECKSUM_FROM, size - GL_MODEL_CHECKSUM_FROM) != h->checksum) {
        snprintf(what, whatlen, "corrupt model file (checksum mismatch)");
        return -1;
    }
    uint64_t L = h->nlabels, cap = h->table_cap;
    int layout = h->header_size == sizeof *h && L >= 1 && L <= GALLEY_MODEL_MAX_LABELS &&
        cap >= 2 && (cap & (cap - 1)) == 0 && h->nfeatures <= cap && cap <= (uint64_t)1 << 40 &&
        section_ok(h->strings_off, h->strings_len, size, 1) &&
        section_ok(h->trans_off, (L + 2) * L * 4, size, 8) &&
        section_ok(h->keys_off, cap * 8, size, 8) && section_ok(h->rows_off, cap * 4, size, 8) &&
        section_ok(h->weights_off, h->nfeatures * L * 2, size, 8) &&
        (h->strings_len == 0 || image[h->strings_off + h->strings_len - 1] == '\0');
    if (!layout) {
        snprintf(what, whatlen, "corrupt model file (bad layout)");
        return -1;
    }
    return 0;
}

/* The filter word of feature f, and the two bits it sets in it. */
static inline size_t filter_word(const galley_model *m, uint64_t f)
{
    return m->filter_bits ? (size_t)((f * 0xC2B2AE3D27D4EB4FULL) >> (64 - m->filter_bits)) : 0;
}

/* The two bits feature f sets in its filter word (see filter_word), taken from
 * another multiplicative hash of f than the one that picks the word; they may
 * be the same bit. */
static inline uint64_t filter_mask(uint64_t f)
{
    uint64_t h = f * 0x9E3779B97F4A7C15ULL;
    return ((uint64_t)1 << (h >> 58)) | ((uint64_t)1 << ((h >> 52) & 63));
}

/* Frees a model's own memory and its image. */
static void model_free(galley_model *m)
{
    if (!m)
        return;
    if (m->mapped)
        munmap(m->image, m->size);
    else
        free(m->image);
    free(m->labels);
    free(m->info_keys);
    free(m->info_values);
    free(m->trans);
    gl_viterbi_plan_free(&m->plan);
    free(m->filter);
    free(m->path);
    free(m);
}

/* A model over a checked image: pointers into it, the string tables and
 * the transitions widened for Viterbi. Fails on string tables that do not
 * hold the counted names. */
static galley_model *wrap_image(unsigned char *image, size_t size, char *what, size_t whatlen)
{
    const gl_model_header *h = (const gl_model_header *)image;
    galley_model *m = gl_xcalloc(1, sizeof *m);
    m->image = image;
    m->size = size;
    m->h = h;
    m->L = h->nlabels;
    size_t L = m->L;
    m->labels = gl_xcalloc(L, sizeof *m->labels);
    m->info_keys = gl_xcalloc(h->ninfo + 1, sizeof *m->info_keys);
    m->info_values = gl_xcalloc(h->ninfo + 1, sizeof *m->info_values);
    const char *s = (const char *)image + h->strings_off, *end = s + h->strings_len;
    size_t need = L + 2 * (size_t)h->ninfo;
    for (size_t i = 0; i < need; i++) {
        if (s >= end) {
            snprintf(what, whatlen, "corrupt model file (string table too short)");
            m->image = NULL;
            model_free(m);
            return NULL;
        }
        if (i < L)
            m->labels[i] = s;
        else if ((i - L) % 2 == 0)
            m->info_keys[(i - L) / 2] = s;
        else
            m->info_values[(i - L) / 2] = s;
        s += strlen(s) + 1;
    }
    const int32_t *tr = (const int32_t *)(image + h->trans_off);
    m->trans = gl_xmalloc((L + 2) * L * sizeof *m->trans);
    for (size_t i = 0; i < (L + 2) * L; i++)
        m->trans[i] = tr[i] == GL_MODEL_FORBIDDEN ? GL_MODEL_NEG : tr[i];
    gl_viterbi_plan_init(&m->plan, L);
    gl_viterbi_plan_fill(&m->plan, m->trans);
    m->keys = (const uint64_t *)(image + h->keys_off);
    m->rows = (const uint32_t *)(image + h->rows_off);
    m->weights = (const int16_t *)(image + h->weights_off);
    while (((uint64_t)1 << m->bits) < h->table_cap)
        m->bits++;
    while (((uint64_t)1 << m->filter_bits) * 4 < h->nfeatures + 1)
        m->filter_bits++;
    m->filter = gl_xcalloc((size_t)1 << m->filter_bits, sizeof *m->filter);
    for (uint64_t i = 0; i < h->table_cap; i++)
        if (m->keys[i])
            m->filter[filter_word(m, m->keys[i])] |= filter_mask(m->keys[i]);
    return m;
}

galley_model *gl_model_from_image(unsigned char *image, size_t size, galley_error *err)
{
    char what[256];
    if (image_check(image, size, what, sizeof what) < 0) {
        free(image);
        galley_error_set(err, "model: %s", what);
        return NULL;
    }
    galley_model *m = wrap_image(image, size, what, sizeof what);
    if (!m) {
        free(image);
        galley_error_set(err, "model: %s", what);
    }
    return m;
}

/* ---- Loading and the cache -------------------------------------------- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static galley_model *cache; /* models mapped from files, by real path */

/* Maps and checks the file at `path` (named `shown` in messages). */
static galley_model *map_file(const char *path, const char *shown, galley_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        galley_error_set(err, "%s: cannot read model: %s", shown, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        galley_error_set(err, "%s: cannot read model: %s", shown,
                         S_ISDIR(st.st_mode) ? "is a folder" : strerror(errno));
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    if (size == 0) {
        close(fd);
        galley_error_set(err, "%s: not a galley model file (empty)", shown);
        return NULL;
    }
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        galley_error_set(err, "%s: cannot map model: %s", shown, strerror(errno));
        return NULL;
    }
    char what[256];
    galley_model *m = NULL;
    if (image_check(p, size, what, sizeof what) == 0)
        m = wrap_image(p, size, what, sizeof what);
    if (!m) {
        munmap(p, size);
        galley_error_set(err, "%s: %s", shown, what);
        return NULL;
    }
    m->mapped = 1;
    return m;
}

galley_model *galley_model_open(const char *path, uint64_t template_hash, galley_error *err)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        galley_error_set(err, "%s: cannot read model: %s", path, strerror(errno));
        return NULL;
    }
    pthread_mutex_lock(&cache_lock);
    galley_model *m = cache;
    while (m && strcmp(m->path, real) != 0)
        m = m->next;
    if (!m) {
        m = map_file(real, path, err);
        if (m) {
            m->path = gl_xstrdup(real);
            m->next = cache;
            cache = m;
        }
    }
    if (m && template_hash && m->h->template_hash != template_hash) {
        galley_error_set(err,
                         "%s: the model was made with other feature templates "
                         "(model %016llx, stage %016llx): retrain it with this version",
                         path, (unsigned long long)m->h->template_hash,
                         (unsigned long long)template_hash);
        if (m->refs == 0) {
            cache = m->next; /* just inserted at the head */
            model_free(m);
        }
        m = NULL;
    }
    if (m)
        m->refs++;
    pthread_mutex_unlock(&cache_lock);
    return m;
}

void galley_model_close(galley_model *m)
{
    if (!m)
        return;
    if (!m->path) { /* a trainer's snapshot, owned by the caller */
        model_free(m);
        return;
    }
    pthread_mutex_lock(&cache_lock);
    if (--m->refs == 0) {
        galley_model **pp = &cache;
        while (*pp != m)
            pp = &(*pp)->next;
        *pp = m->next;
        model_free(m);
    }
    pthread_mutex_unlock(&cache_lock);
}

/* ---- Accessors -------------------------------------------------------- */

size_t galley_model_nlabels(const galley_model *m)
{
    return m->L;
}
uint64_t galley_model_template_hash(const galley_model *m)
{
    return m->h->template_hash;
}
size_t galley_model_nfeatures(const galley_model *m)
{
    return m->h->nfeatures;
}
size_t galley_model_size(const galley_model *m)
{
    return m->size;
}

const char *galley_model_label(const galley_model *m, size_t i)
{
    return i < m->L ? m->labels[i] : NULL;
}

int galley_model_label_index(const galley_model *m, const char *name)
{
    for (size_t i = 0; i < m->L; i++)
        if (strcmp(m->labels[i], name) == 0)
            return (int)i;
    return -1;
}

const char *galley_model_info(const galley_model *m, const char *key)
{
    for (size_t i = 0; i < m->h->ninfo; i++)
        if (strcmp(m->info_keys[i], key) == 0)
            return m->info_values[i];
    return NULL;
}

const char *galley_model_info_at(const galley_model *m, size_t i, const char **value)
{
    if (i >= m->h->ninfo)
        return NULL;
    if (value)
        *value = m->info_values[i];
    return m->info_keys[i];
}

/* ---- Scoring and decoding --------------------------------------------- */

const int16_t *galley_model_row(const galley_model *m, uint64_t f)
{
    f = nonzero(f);
    uint64_t mask = filter_mask(f);
    if ((m->filter[filter_word(m, f)] & mask) != mask)
        return NULL;
    uint64_t cap_mask = m->h->table_cap - 1;
    for (uint64_t i = gl_model_slot(f, m->bits);; i = (i + 1) & cap_mask) {
        uint64_t k = m->keys[i];
        if (k == f)
            return m->weights + (size_t)m->rows[i] * m->L;
        if (k == 0)
            return NULL;
    }
}

int galley_model_add(const galley_model *m, uint64_t f, int32_t *scores)
{
    const int16_t *w = galley_model_row(m, f);
    if (!w)
        return 0;
    size_t c = 0;
#ifdef __SSE2__
    /* Eight weights at a time, sign-extended to 32 bits. */
    for (; c + 8 <= m->L; c += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(w + c));
        __m128i sign = _mm_srai_epi16(x, 15);
        __m128i lo = _mm_unpacklo_epi16(x, sign), hi = _mm_unpackhi_epi16(x, sign);
        __m128i *d = (__m128i *)(scores + c);
        _mm_storeu_si128(d, _mm_add_epi32(_mm_loadu_si128(d), lo));
        _mm_storeu_si128(d + 1, _mm_add_epi32(_mm_loadu_si128(d + 1), hi));
    }
#endif
    for (; c < m->L; c++)
        scores[c] += w[c];
    return 1;
}

void galley_model_decode(const galley_model *m, const int32_t *scores, size_t n, uint16_t *labels,
                         galley_arena *a)
{
    if (n == 0)
        return;
    void *scratch = galley_arena_alloc(a, gl_viterbi_scratch(m->L, n));
    gl_model_viterbi(&m->plan, scores, n, labels, scratch);
}

size_t galley_model_scratch_size(const galley_model *m, size_t n)
{
    return gl_viterbi_scratch(m->L, n);
}

void galley_model_decode_into(const galley_model *m, const int32_t *scores, size_t n,
                              uint16_t *labels, void *scratch)
{
    if (n > 0)
        gl_model_viterbi(&m->plan, scores, n, labels, scratch);
}

void galley_model_tag(const galley_model *m, const uint64_t *features, const uint32_t *first,
                      size_t n, uint16_t *labels, galley_arena *a)
{
    if (n == 0)
        return;
    int32_t *scores = galley_arena_calloc(a, n * m->L, sizeof *scores);
    for (size_t t = 0; t < n; t++)
        for (uint32_t k = first[t]; k < first[t + 1]; k++)
            galley_model_add(m, features[k], scores + t * m->L);
    galley_model_decode(m, scores, n, labels, a);
}

/* ---- Saving ----------------------------------------------------------- */

int galley_model_save(const galley_model *m, const char *path, galley_error *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return galley_error_set(err, "%s: path too long", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return galley_error_set(err, "%s: cannot write model: %s", tmp, strerror(errno));
    int ok = fwrite(m->image, 1, m->size, f) == m->size;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return galley_error_set(err, "%s: cannot write model: %s", path, strerror(e));
    }
    return 0;
}
