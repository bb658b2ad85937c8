/*
 * hist_gen.c - write N synthetic daily sessions (hist_synth.h) into DIR,
 * for the history e2e test and by hand:
 *   hist_gen DIR DAYS [SECONDS] [FIRST_DAY]
 */
#include <stdlib.h>

#include "hist_synth.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hist_gen DIR DAYS [SECONDS] [FIRST_DAY]\n");
        return 2;
    }
    int days = atoi(argv[2]), first = argc > 4 ? atoi(argv[4]) : 0;
    double secs = argc > 3 ? atof(argv[3]) : 1.0;
    for (int d = first; d < first + days; d++) {
        struct hs_session s;
        char name[96], path[1024];
        hs_plan_day(d, secs, &s);
        snprintf(path, sizeof path, "%s/%s", argv[1], hs_name(&s, name, sizeof name));
        if (hs_write(path, &s) != 0)
            return 1;
    }
    return 0;
}
