/* error.c - the error object stages and the core report failures with. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdk/private.h"

int galley_error_set(galley_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->set = 1;
    return -1;
}

void galley_error_clear(galley_error *err)
{
    if (!err)
        return;
    err->set = 0;
    err->message[0] = '\0';
}
