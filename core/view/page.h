/* page.h - the page of `galley view` (page.html), cut where the data goes:
 * part 0, the articles (a JSON array), part 1, the summary (a JSON
 * object), part 2. page.c is made from page.html at build time
 * (page2c.py), so the page is edited as HTML. */
#ifndef GALLEY_VIEW_PAGE_H
#define GALLEY_VIEW_PAGE_H

#include <stddef.h>

extern const char *const gl_view_page[3];
extern const size_t gl_view_page_len[3];

#endif
