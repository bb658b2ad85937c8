/*
 * rs_builtin.c - scenarios compiled into the program, by name. `demo` is what
 * `rollsense demo` plays: within its first two minutes it shows slow rolling,
 * a 25 s hold, a 35 s hold, a too-fast pass, a third hold on the same leg (the
 * dose advice fires), a leg switch mid-roll and rolling on the other calf;
 * then it loops.
 */
#include <string.h>

#include "rs_sim.h"

static const char demo[] =
    "name demo\n"
    "label demo\n"
    "seed 1\n"
    "noise 0.3\n"
    "enc_noise 1\n"
    "leg right\n"
    "force 260\n"
    "lift 2\n"
    "roll 6 2.5         # slow up the calf to 15 cm\n"
    "hold 25 force=300  # first trigger point\n"
    "roll 4 -2          # back down to 7 cm\n"
    "roll 3 3           # up to 16 cm\n"
    "hold 35 force=320  # second, longer hold\n"
    "roll 1.2 18        # too fast, up to 37.6 cm\n"
    "roll 10 -3         # slow back down to 7.6 cm\n"
    "hold 17 force=300  # third hold on the right calf: dose advice\n"
    "roll 2 3 x_to=-90  # slide across to the left calf while rolling\n"
    "roll 8 2.5         # up the left calf to 33.6 cm\n"
    "roll 8 -3          # and down to 9.6 cm\n"
    "lift 3\n"
    "loop\n";

static const char quick[] =
    "name quick\n"
    "label demo\n"
    "leg left\n"
    "lift 1\n"
    "roll 4 3\n"
    "hold 16\n"
    "roll 3 -3\n"
    "lift 1\n";

static const struct { const char *name; const char *text; } builtins[] = {
    { "demo", demo },
    { "quick", quick },
};

static const char *const names[] = { "demo", "quick", NULL };

const char *rs_scenario_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(name, builtins[i].name) == 0)
            return builtins[i].text;
    return NULL;
}

const char *const *rs_scenario_builtin_names(void)
{
    return names;
}
