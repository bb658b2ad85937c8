/*
 * rs_synth_session.c - write a synthetic session file (tests and demos):
 *   rs_synth_session PATH SECONDS [--no-cal]
 */
#include <stdlib.h>
#include <string.h>

#include "synth.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rs_synth_session PATH SECONDS [--no-cal]\n");
        return 2;
    }
    double T = atof(argv[2]);
    int cal = !(argc > 3 && strcmp(argv[3], "--no-cal") == 0);
    return synth_session(argv[1], T, cal) ? 1 : 0;
}
