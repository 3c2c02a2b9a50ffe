/* datafile.c - stage data files, line by line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

int galley_read_data_file(const char *path, const char *what, galley_line_fn fn, void *ctx,
                          galley_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return galley_error_set(err, "%s: cannot read %s: %s", path, what, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!galley_utf8_valid(line, (size_t)n)) {
            rc = galley_error_set(err, "%s:%u: not valid UTF-8", path, lineno);
            break;
        }
        size_t lead = strspn(line, " \t");
        if (line[lead] == '\0' || line[lead] == '#')
            continue;
        galley_error why = { 0 };
        if (fn(ctx, line, (size_t)n, &why) < 0)
            rc = galley_error_set(err, "%s:%u: %s", path, lineno,
                                  why.set ? why.message : "bad line");
    }
    if (rc == 0 && ferror(f))
        rc = galley_error_set(err, "%s: cannot read %s: %s", path, what, strerror(errno));
    free(line);
    fclose(f);
    return rc;
}
