/* account.c - counting what happened to every document. */
#include "config.h"

#include <string.h>
#include "run/account.h"
#include "io/json_write.h"

static void count(gl_reason_count *list, size_t *n, const char *reason, uint64_t k)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i].reason, reason) == 0) {
            list[i].count += k;
            return;
        }
    /* More distinct reasons than slots share the last one. */
    size_t i = *n < GL_MAX_REASONS ? (*n)++ : GL_MAX_REASONS - 1;
    if (i == GL_MAX_REASONS - 1 && *n == GL_MAX_REASONS && list[i].count)
        reason = "other";
    snprintf(list[i].reason, sizeof list[i].reason, "%s", reason);
    list[i].count += k;
}

void gl_account_drop(gl_account *a, const char *reason, uint64_t n)
{
    a->dropped += n;
    count(a->drops, &a->ndrops, reason, n);
}

void gl_account_reject(gl_account *a, const char *reason, uint64_t n)
{
    a->rejected += n;
    count(a->rejects, &a->nrejects, reason, n);
}

void gl_account_merge(gl_account *a, const gl_account *b)
{
    a->read += b->read;
    a->written += b->written;
    a->input_bytes += b->input_bytes;
    a->text_bytes += b->text_bytes;
    a->repaired += b->repaired;
    for (size_t i = 0; i < b->ndrops; i++)
        gl_account_drop(a, b->drops[i].reason, b->drops[i].count);
    for (size_t i = 0; i < b->nrejects; i++)
        gl_account_reject(a, b->rejects[i].reason, b->rejects[i].count);
}

int gl_account_balanced(const gl_account *a)
{
    return a->read == a->written + a->dropped + a->rejected;
}

static void print_reasons(FILE *out, const gl_reason_count *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s %llu", i ? ", " : " (", list[i].reason,
                (unsigned long long)list[i].count);
    if (n)
        fputc(')', out);
}

void gl_account_print(const gl_account *a, FILE *out, const galley_object *reports)
{
    double mb = (double)a->text_bytes / 1e6;
    fprintf(out, "galley: read %llu, written %llu, dropped %llu",
            (unsigned long long)a->read, (unsigned long long)a->written,
            (unsigned long long)a->dropped);
    print_reasons(out, a->drops, a->ndrops);
    fprintf(out, ", rejected %llu", (unsigned long long)a->rejected);
    print_reasons(out, a->rejects, a->nrejects);
    fputc('\n', out);
    fprintf(out, "galley: %.1f MB of text (%.1f MB input) in %.2f s: %.0f docs/s, %.1f MB/s",
            mb, (double)a->input_bytes / 1e6, a->seconds,
            a->seconds > 0 ? (double)a->read / a->seconds : 0.0,
            a->seconds > 0 ? mb / a->seconds : 0.0);
    if (a->repaired)
        fprintf(out, "; %llu invalid UTF-8 sequences repaired", (unsigned long long)a->repaired);
    fputc('\n', out);
    if (reports && galley_object_size(reports)) {
        gl_buf line = { 0 };
        gl_json_object(&line, reports);
        fprintf(out, "galley: stages: %s\n", line.data);
        gl_buf_free(&line);
    }
    if (!gl_account_balanced(a))
        fprintf(out, "galley: internal error: the account does not balance\n");
}

static void reasons_json(gl_buf *b, const gl_reason_count *list, size_t n)
{
    gl_buf_addc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            gl_buf_addc(b, ',');
        gl_json_string(b, list[i].reason, strlen(list[i].reason));
        gl_buf_printf(b, ":%llu", (unsigned long long)list[i].count);
    }
    gl_buf_addc(b, '}');
}

void gl_account_json(const gl_account *a, gl_buf *b, const galley_object *reports)
{
    gl_buf_printf(b, "{\"read\":%llu,\"written\":%llu,\"dropped\":%llu,\"rejected\":%llu,",
                  (unsigned long long)a->read, (unsigned long long)a->written,
                  (unsigned long long)a->dropped, (unsigned long long)a->rejected);
    gl_buf_adds(b, "\"dropped_by_reason\":");
    reasons_json(b, a->drops, a->ndrops);
    gl_buf_adds(b, ",\"rejected_by_reason\":");
    reasons_json(b, a->rejects, a->nrejects);
    gl_buf_printf(b, ",\"input_bytes\":%llu,\"text_bytes\":%llu,\"utf8_repaired\":%llu,"
                  "\"seconds\":%.3f,\"docs_per_second\":%.1f,\"text_mb_per_second\":%.2f",
                  (unsigned long long)a->input_bytes, (unsigned long long)a->text_bytes,
                  (unsigned long long)a->repaired, a->seconds,
                  a->seconds > 0 ? (double)a->read / a->seconds : 0.0,
                  a->seconds > 0 ? (double)a->text_bytes / 1e6 / a->seconds : 0.0);
    gl_buf_adds(b, ",\"stages\":");
    if (reports)
        gl_json_object(b, reports);
    else
        gl_buf_adds(b, "{}");
    gl_buf_adds(b, "}\n");
}
