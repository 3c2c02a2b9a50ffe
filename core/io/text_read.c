/* text_read.c - a plain-text article into a document. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/text_read.h"

galley_doc *gl_text_read_doc(const char *data, size_t len, const char *source,
                             const gl_input_opts *o, uint64_t *repaired)
{
    galley_arena *tmp = NULL;
    if (!galley_utf8_valid(data, len)) {
        tmp = galley_arena_new(len * 3 + 64);
        size_t n, count;
        data = galley_utf8_repair(tmp, data, len, &n, &count);
        len = n;
        *repaired += count;
    }
    /* Skip a byte-order mark. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *title = NULL;
    size_t title_len = 0;
    if (o->title_line) {
        /* A first line followed by a blank line is the title. */
        const char *nl = memchr(data, '\n', len);
        if (nl && (size_t)(nl - data) < 400) {
            const char *p = nl + 1;
            if (p < data + len && *p == '\r')
                p++;
            if (p < data + len && *p == '\n') {
                title = data;
                title_len = (size_t)(nl - data);
                if (title_len && title[title_len - 1] == '\r')
                    title_len--;
                while (p < data + len && (*p == '\n' || *p == '\r'))
                    p++;
                len -= (size_t)(p - data);
                data = p;
            }
        }
    }
    galley_doc *doc = galley_doc_new(source, data, len);
    galley_doc_set_source(doc, source);
    if (title && title_len)
        galley_object_set_strn(galley_doc_meta(doc), "title", title, title_len);
    galley_arena_free(tmp);
    return doc;
}
