/* account.c - counting what happened to every document. */
#include "config.h"

#include <string.h>
#include "run/account.h"
#include "io/json_write.h"

/* Adds k to the count of reason in list, which has *n entries in use. A new
 * reason takes the next free slot; once all GL_MAX_REASONS are taken, the last
 * one is renamed "other" and gathers every further reason, so the counts still
 * add up to the total. The reason is copied (cut to the slot's size). */
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
    a->unwritten += b->unwritten;
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
    return a->read == a->written + a->dropped + a->rejected + a->unwritten;
}

/* "512 bytes", "12 KB", "3.4 MB", "1.2 GB": two significant digits at
 * least, so a small run does not read "0.0 MB". */
static void human_bytes(double n, char *buf, size_t size)
{
    static const char *const units[] = { "bytes", "KB", "MB", "GB", "TB" };
    size_t u = 0;
    while (n >= 1000 && u + 1 < GL_ARRAY_LEN(units)) {
        n /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0f bytes", n);
    else
        snprintf(buf, size, n < 10 ? "%.1f %s" : "%.0f %s", n, units[u]);
}

/* Prints the counts by reason after a total, " (reason N, reason N)", or
 * nothing when there are none. */
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
    fprintf(out, "galley: read %llu, written %llu, dropped %llu", (unsigned long long)a->read,
            (unsigned long long)a->written, (unsigned long long)a->dropped);
    print_reasons(out, a->drops, a->ndrops);
    fprintf(out, ", rejected %llu", (unsigned long long)a->rejected);
    print_reasons(out, a->rejects, a->nrejects);
    if (a->unwritten)
        fprintf(out, ", not written %llu (%s)", (unsigned long long)a->unwritten,
                a->unwritten_reason ? a->unwritten_reason : "output_failed");
    fputc('\n', out);
    char text[32], input[32], rate[32];
    human_bytes((double)a->text_bytes, text, sizeof text);
    human_bytes((double)a->input_bytes, input, sizeof input);
    human_bytes(a->seconds > 0 ? (double)a->text_bytes / a->seconds : 0.0, rate, sizeof rate);
    fprintf(out, "galley: %s of text (%s input) in %.2f s: %.0f docs/s, %s/s", text, input,
            a->seconds, a->seconds > 0 ? (double)a->read / a->seconds : 0.0, rate);
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

/* Writes the counts by reason as a JSON object, {"reason":N,...} ({} when there
 * are none). */
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
    if (a->unwritten || a->interrupted)
        gl_buf_printf(b, "\"not_written\":%llu,\"not_written_reason\":\"%s\",\"interrupted\":%s,",
                      (unsigned long long)a->unwritten,
                      a->unwritten_reason ? a->unwritten_reason : "output_failed",
                      a->interrupted ? "true" : "false");
    gl_buf_adds(b, "\"dropped_by_reason\":");
    reasons_json(b, a->drops, a->ndrops);
    gl_buf_adds(b, ",\"rejected_by_reason\":");
    reasons_json(b, a->rejects, a->nrejects);
    gl_buf_printf(b,
                  ",\"input_bytes\":%llu,\"text_bytes\":%llu,\"utf8_repaired\":%llu,"
                  "\"seconds\":%.3f,\"docs_per_second\":%.1f,\"text_mb_per_second\":%.2f",
                  (unsigned long long)a->input_bytes, (unsigned long long)a->text_bytes,
                  (unsigned long long)a->repaired, a->seconds,
                  a->seconds > 0 ? (double)a->read / a->seconds : 0.0,
                  a->seconds > 0 ? (double)a->text_bytes / 1e6 / a->seconds : 0.0);
    gl_buf_printf(b, ",\"cpu_seconds\":%.3f,\"main_thread_cpu_seconds\":%.3f", a->cpu_seconds,
                  a->main_cpu_seconds);
    gl_buf_adds(b, ",\"stages\":");
    if (reports)
        gl_json_object(b, reports);
    else
        gl_buf_adds(b, "{}");
    gl_buf_adds(b, "}\n");
}
