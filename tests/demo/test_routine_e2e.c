/*
 * `rollsense demo --routine --headless --json --fast` end to end, label e2e:
 * the real program, its JSON lines, and its session file read back by
 * `rollsense replay --headless --json`.
 *
 * The truth is what the simulated user did (host/sim/rs_simroutine.h with
 * the default plan: its scenario's holds, their legs and lengths), never
 * the detector's idea of a hold:
 * - eight routine_step lines, steps 0..7 in order, warm-up, spots, knee
 *   straight, knee bent, left calf first, then the right;
 * - planned_s as the plan says; actual_s sane (the warm-up its time, the
 *   spots step within its cap, a stretch at least its planned time and at
 *   most the wait to step off more), the steps back to back;
 * - each spots step counts exactly the user's holds of that leg of at least
 *   15 s that ended in it, and the user's too-short hold there is not one
 *   of them;
 * - routine_done: steps 8, steps_done 8, completed true, total_s the sum;
 * - the session file holds the same rows (kind 2 events), which replay prints.
 *
 * argv[1]: the rollsense program; argv[2]: a scratch directory.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rs_jsonq.h"
#include "rs_routine.h"
#include "rs_sim.h"
#include "rs_rtsim.h"

static const char *prog, *dir;

#define MAXL 32
struct lines {
    char l[MAXL][512];
    int n;
};

/* The routine_* lines a command prints. */
static int run(const char *cmd, struct lines *out)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char buf[4096];
    out->n = 0;
    while (fgets(buf, sizeof buf, p))
        if (strstr(buf, "\"type\":\"routine_") && out->n < MAXL) {
            buf[strcspn(buf, "\n")] = '\0';
            size_t k = strnlen(buf, sizeof out->l[0] - 1);
            memcpy(out->l[out->n], buf, k);
            out->l[out->n++][k] = '\0';
        }
    return pclose(p);
}

static double num(const char *j, const char *k)
{
    double v = NAN;
    if (!rs_jsonq_num(j, k, &v))
        fail_msg("no number '%s' in %s", k, j);
    return v;
}

static bool yes(const char *j, const char *k)
{
    bool v = false;
    if (!rs_jsonq_bool(j, k, &v))
        fail_msg("no bool '%s' in %s", k, j);
    return v;
}

static void want_str(const char *j, const char *k, const char *want)
{
    char v[64] = "";
    rs_jsonq_str(j, k, v, sizeof v);
    if (strcmp(v, want) != 0)
        fail_msg("%s is '%s', want '%s' in %s", k, v, want, j);
}

static struct rs_scenario scn;

/* The simulated user of the default plan, and its holds. */
static int truth(const struct rs_routine_plan *p, struct rs_truth_hold *h, int max)
{
    assert_int_equal(rs_rtsim_scenario(p, &scn), 0);
    return rs_scenario_holds(&scn, h, max);
}

static void check_steps(const struct lines *L, const struct rs_routine_plan *p,
                        const struct rs_truth_hold *h, int nh)
{
    static const char *const kinds[] = { "warmup", "spots", "stretch_gastroc", "stretch_soleus" };
    double stretch = p->stretch_reps * (p->countdown_s + p->stretch_s) + (p->stretch_reps - 1) * p->rest_s;
    const double planned[] = { p->warmup_s, p->spots_max_s, stretch, stretch };
    double prev_end = NAN, sum = 0;
    assert_int_equal(L->n, 9);
    for (int i = 0; i < 8; i++) {
        const char *j = L->l[i];
        want_str(j, "type", "routine_step");
        assert_int_equal((int)num(j, "step"), i);
        want_str(j, "kind", kinds[i % 4]);
        want_str(j, "leg", i < 4 ? "left" : "right");
        assert_false(yes(j, "skipped"));
        double pl = num(j, "planned_s"), ac = num(j, "actual_s"), end = num(j, "t");
        assert_true(fabs(pl - planned[i % 4]) < 1e-3);
        if (i % 4 == 0)
            assert_true(fabs(ac - pl) < 0.02);
        else if (i % 4 == 1)
            assert_true(ac > 0 && ac <= pl + 0.02);
        else /* the repetitions' time, plus stepping off the roller */
            assert_true(ac >= pl - 0.02 && ac <= pl + p->unload_start_s + 15);
        if (i > 0)
            assert_true(fabs(end - ac - prev_end) < 0.02); /* back to back */
        prev_end = end;
        sum += ac;
        if (i % 4 != 1)
            continue;
        int leg = i < 4 ? 1 : 2, counted = 0, short_ones = 0;
        for (int k = 0; k < nh; k++) {
            /* the user's holds on this leg that ended in the step (the
             * detector hears of the end a moment later: 1 s of slack) */
            if (h[k].leg != leg || h[k].end < end - ac - 1 || h[k].end > end + 0.01)
                continue;
            if (h[k].end - h[k].start >= p->spot_min_s)
                counted++;
            else
                short_ones++;
        }
        assert_int_equal((int)num(j, "count"), counted);
        assert_true(counted >= p->spots_min);
        assert_int_equal(short_ones, 1);
    }
    const char *d = L->l[8];
    want_str(d, "type", "routine_done");
    assert_int_equal((int)num(d, "steps"), 8);
    assert_int_equal((int)num(d, "steps_done"), 8);
    assert_true(yes(d, "completed"));
    assert_true(fabs(num(d, "total_s") - sum) < 0.05);
}

static void test_demo_routine(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    rs_routine_plan_default(&p);
    struct rs_truth_hold h[32];
    int nh = truth(&p, h, 32);
    assert_true(nh >= 7);
    mkdir(dir, 0700);
    char file[1024], cmd[4096];
    snprintf(file, sizeof file, "%s/routine.rsn", dir);
    unlink(file);
    /* no config file of the user's: the default plan */
    snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME=%s '%s' demo --routine --headless --json --fast --record '%s'",
             dir, prog, file);
    static struct lines live, replay;
    assert_int_equal(run(cmd, &live), 0);
    check_steps(&live, &p, h, nh);
    snprintf(cmd, sizeof cmd, "'%s' replay '%s' --headless --json", prog, file);
    assert_int_equal(run(cmd, &replay), 0);
    assert_int_equal(replay.n, live.n);
    for (int i = 0; i < live.n; i++) {
        /* the file's rows: t in device time (close to the session's), the rest equal */
        assert_true(fabs(num(replay.l[i], "t") - num(live.l[i], "t")) < 0.1);
        const char *a = strchr(strchr(replay.l[i], ',') + 1, ','), *b = strchr(strchr(live.l[i], ',') + 1, ',');
        assert_string_equal(a, b);
    }
    snprintf(cmd, sizeof cmd, "'%s' replay '%s' --headless --json --compare >/dev/null", prog, file);
    assert_int_equal(system(cmd), 0); /* the routine's rows are not the pipeline's: no difference */
    unlink(file);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_routine_e2e ROLLSENSE DIR\n");
        return 2;
    }
    prog = argv[1];
    dir = argv[2];
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_demo_routine) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
