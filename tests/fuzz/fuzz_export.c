/*
 * fuzz_export.c - libFuzzer target for export's number and time formatting.
 *
 * samples.csv is written by hand-made formatting (rs_export.c: printf was
 * most of the export's time) that promises the exact bytes of the printf
 * formats it replaces. This target checks that promise differentially on
 * any input: rs_export_fixed(v, d) against snprintf("%.*f", d, v) for any
 * double bit pattern (NaN, infinities, -0, subnormals, huge values, ties)
 * and any number of decimals, and rs_export_iso() with its cache, fed a run
 * of times and UTC offsets as an export meets them (nearby, equal, going
 * back, extreme, an offset changing midway), against rs_iso8601() for each.
 * Any difference aborts: a CSV cell that is not what the format says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fixed(double v, int decimals)
{
    char want[400], got[400];
    snprintf(want, sizeof want, "%.*f", decimals, v);
    rs_export_fixed(v, decimals, got);
    if (strcmp(want, got) != 0) {
        fprintf(stderr, "rs_export_fixed(%a, %d): \"%s\", printf: \"%s\"\n", v, decimals, got, want);
        abort();
    }
}

static void check_iso(struct rs_export_iso_cache *c, int64_t host_us, int tz)
{
    char want[64], got[64];
    rs_iso8601(host_us, tz, want, sizeof want);
    rs_export_iso(c, host_us, tz, got);
    if (strcmp(want, got) != 0) {
        fprintf(stderr, "rs_export_iso(%lld, %d): \"%s\", rs_iso8601: \"%s\"\n",
                (long long)host_us, tz, got, want);
        abort();
    }
}

/*
 * Records of 13 bytes: a kind byte, then 12 bytes of payload.
 *   kind even: a double (8 bytes) and its decimals (one byte, 0..12; the
 *              export uses 0..9, the rest reaches the snprintf fallback);
 *   kind odd:  a time step (8 bytes, added to the previous time; the high
 *              bit of the kind makes it absolute) and a UTC offset
 *              (4 bytes, any int: out-of-range offsets are clamped).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rs_export_iso_cache cache;
    memset(&cache, 0, sizeof cache);
    int64_t t = 1765000000000000; /* December 2025, in µs */
    for (size_t i = 0; i + 13 <= size; i += 13) {
        const uint8_t *p = data + i;
        if ((p[0] & 1) == 0) {
            double v;
            memcpy(&v, p + 1, sizeof v);
            check_fixed(v, p[9] % 13);
        } else {
            int64_t step;
            int32_t tz;
            memcpy(&step, p + 1, sizeof step);
            memcpy(&tz, p + 9, sizeof tz);
            t = (p[0] & 0x80) ? step : (int64_t)((uint64_t)t + (uint64_t)(step % 100000000));
            check_iso(&cache, t, tz);
        }
    }
    return 0;
}
