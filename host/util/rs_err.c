/* rs_err.c - see rs_err.h. */
#include "rs_err.h"

#include <stdarg.h>
#include <stdio.h>

int rs_fail(int code, char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return code;
}
