/* batch.c - batches and their pool. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "io/json_write.h"
#include "run/batch.h"

gl_batch *gl_batch_get(gl_batch_pool *pool)
{
    return pool->n ? pool->spare[--pool->n] : gl_xcalloc(1, sizeof(gl_batch));
}

/* Empties b, keeping its buffers. */
static void batch_reset(gl_batch *b)
{
    gl_records_clear(&b->recs);
    b->ndocs = 0;
    b->out.len = 0;
    b->nends = 0;
    memset(&b->acct, 0, sizeof b->acct);
    b->rejects.len = 0;
    b->messages.len = 0;
    b->phase = 0;
}

void gl_batch_free(gl_batch *b)
{
    if (!b)
        return;
    gl_records_free(&b->recs);
    free(b->docs);
    gl_buf_free(&b->out);
    free(b->ends);
    gl_buf_free(&b->rejects);
    gl_buf_free(&b->messages);
    free(b);
}

void gl_batch_put(gl_batch_pool *pool, gl_batch *b)
{
    batch_reset(b);
    if (pool->n < GL_ARRAY_LEN(pool->spare))
        pool->spare[pool->n++] = b;
    else
        gl_batch_free(b);
}

void gl_batch_pool_free(gl_batch_pool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        gl_batch_free(pool->spare[i]);
    pool->n = 0;
}

void gl_batch_end_doc(gl_batch *b)
{
    if (b->nends == b->capends) {
        b->capends = b->capends ? b->capends * 2 : 256;
        b->ends = gl_xrealloc(b->ends, b->capends * sizeof *b->ends);
    }
    b->ends[b->nends++] = b->out.len;
}

void gl_batch_keep_doc(gl_batch *b, galley_doc *doc)
{
    if (b->ndocs == b->capdocs) {
        b->capdocs = b->capdocs ? b->capdocs * 2 : 256;
        b->docs = gl_xrealloc(b->docs, b->capdocs * sizeof *b->docs);
    }
    b->docs[b->ndocs++] = doc;
}

void gl_batch_reject(gl_batch *b, const char *source, const char *reason, const char *message,
                     int to_stderr)
{
    gl_account_reject(&b->acct, reason, 1);
    gl_buf_adds(&b->rejects, "{\"source\":");
    gl_json_string_repaired(&b->rejects, source, strlen(source));
    gl_buf_adds(&b->rejects, ",\"reason\":");
    gl_json_string(&b->rejects, reason, strlen(reason));
    gl_buf_adds(&b->rejects, ",\"message\":");
    gl_json_string_repaired(&b->rejects, message, strlen(message));
    gl_buf_adds(&b->rejects, "}\n");
    if (to_stderr)
        gl_buf_printf(&b->messages, "galley: %s: %s\n", source, message);
}
