/*
 * fuzz_jsonq.c - libFuzzer target for the JSON field reader used on stored
 * (possibly damaged) event, summary and calibration text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rs_jsonq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    double v;
    char out[16];
    rs_jsonq_num(s, "duration_s", &v);
    rs_jsonq_num(s, "a", &v);
    if (rs_jsonq_str(s, "leg", out, sizeof out) && strlen(out) >= sizeof out)
        abort();
    rs_jsonq_valid(s);
    free(s);
    return 0;
}
