/*
 * test_scenarios.c - every scenario in tests/scenarios/ against its ground
 * truth (issue 6 acceptance):
 *   - every true hold detected, no false hold;
 *   - hold start and end within 100 ms of truth (the reported, backdated times);
 *   - the cues (15, 30, 60, 90 s) within 50 ms of truth, and only for holds
 *     that reached them;
 *   - the hold's mean force within 2 % + 1 N (+ uncorrected drift);
 *   - the leg right whenever the load is more than 3 cm off the centre line;
 *   - speed within 5 % or 0.2 cm/s wherever the true speed is steady;
 *   - the scenario's own `expect` lines (event counts with field filters).
 * One cmocka test per scenario file; the table is the directory.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rs_config.h"
#include "scenario_run.h"

#define HOLD_TOL_S 0.100
#define CUE_TOL_S 0.050

static int count_matching(const struct run_result *r, const char *type, char **filters, int nf)
{
    int count = 0;
    char needle[160], tkey[64];
    snprintf(tkey, sizeof tkey, "{\"type\":\"%s\"", type);
    const char *line = r->json;
    while (line && *line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[600];
        if (len >= sizeof buf)
            len = sizeof buf - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        int ok = strncmp(buf, tkey, strlen(tkey)) == 0;
        for (int i = 0; ok && i < nf; i++) {
            char k[64], v[64];
            const char *eq = strchr(filters[i], '=');
            if (!eq)
                return -1000;
            snprintf(k, sizeof k, "%.*s", (int)(eq - filters[i]), filters[i]);
            snprintf(v, sizeof v, "%s", eq + 1);
            int quoted = !(strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ||
                           strspn(v, "-0123456789.") == strlen(v));
            snprintf(needle, sizeof needle, quoted ? "\"%s\":\"%s\"" : "\"%s\":%s", k, v);
            if (!strstr(buf, needle))
                ok = 0;
            else if (!quoted) {
                /* number: make sure it is the whole value */
                const char *at = strstr(buf, needle) + strlen(needle);
                if (*at != ',' && *at != '}')
                    ok = 0;
            }
        }
        count += ok;
        line = eol ? eol + 1 : NULL;
    }
    return count;
}

/* "TYPE OP N [key=value...]", OP one of = >= <= */
static void check_expect(const struct run_result *r, const char *name, const char *exp)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", exp);
    char *tok[10];
    int n = 0;
    for (char *s = strtok(buf, " \t"); s && n < 10; s = strtok(NULL, " \t"))
        tok[n++] = s;
    if (n < 3) {
        fail_msg("%s: bad expect line '%s'", name, exp);
        return;
    }
    int want = atoi(tok[2]);
    int got = count_matching(r, tok[0], tok + 3, n - 3);
    int ok = strcmp(tok[1], "=") == 0 ? got == want
             : strcmp(tok[1], ">=") == 0 ? got >= want
             : strcmp(tok[1], "<=") == 0 ? got <= want : -1;
    if (ok == -1)
        fail_msg("%s: bad operator in expect '%s'", name, exp);
    if (!ok) {
        fprintf(stderr, "events:\n%s", r->json);
        fail_msg("%s: expect '%s' failed: got %d", name, exp, got);
    }
}

/* Worst errors seen, printed per scenario so the margins are visible. */
static double worst_start, worst_end, worst_cue;

static void check_holds(const struct run_result *r, const struct rs_scenario *scn,
                        const struct rs_config *cfg)
{
    struct rs_truth_hold truth[64];
    int nt = rs_scenario_holds(scn, truth, 64);
    const struct rs_event *ends[64];
    int nd = 0;
    for (size_t i = 0; i < r->nev; i++)
        if (r->ev[i].type == RS_EV_HOLD_END && nd < 64)
            ends[nd++] = &r->ev[i];
    if (nd != nt) {
        fprintf(stderr, "events:\n%s", r->json);
        fail_msg("%s: %d holds detected, %d true holds", scn->name, nd, nt);
    }
    const double cues[4] = { cfg->cue_min_s, cfg->cue_target_s, cfg->cue_long_s,
                             cfg->cue_release_s };
    for (int i = 0; i < nt; i++) {
        const struct rs_hold_info *h = &ends[i]->u.hold;
        double off = r->t_offset;
        double ds = h->start_t + off - truth[i].start, de = h->end_t + off - truth[i].end;
        worst_start = fmax(worst_start, fabs(ds));
        worst_end = fmax(worst_end, fabs(de));
        if (fabs(ds) > HOLD_TOL_S || fabs(de) > HOLD_TOL_S) {
            fprintf(stderr, "events:\n%s", r->json);
            fail_msg("%s: hold %d start %+.3f s, end %+.3f s off truth (limit %.3f)", scn->name,
                     i + 1, ds, de, HOLD_TOL_S);
        }
        /* Mean force of the hold: within 2 % + 1 N, plus any load-cell drift
         * the auto-zero could not remove yet. */
        double sum = 0;
        int ns = 0;
        for (double tt = truth[i].start; tt < truth[i].end; tt += 0.0125, ns++) {
            struct rs_sim_state st;
            rs_scenario_state(scn, tt, &st);
            sum += st.total_n;
        }
        double fmean = ns ? sum / ns : 0;
        double drift = fabs(scn->drift_n) * truth[i].end / scn->drift_s;
        if (fabs(h->mean_n - fmean) > 0.02 * fmean + 1 + drift)
            fail_msg("%s: hold %d mean force %.1f N, truth %.1f N", scn->name, i + 1, h->mean_n,
                     fmean);
        if (truth[i].leg && (int)h->leg != truth[i].leg)
            fail_msg("%s: hold %d on leg %d, truth %d", scn->name, i + 1, h->leg, truth[i].leg);
        double dur = truth[i].end - truth[i].start;
        for (int c = 0; c < 4; c++) {
            const struct rs_event *cue = NULL;
            for (size_t k = 0; k < r->nev; k++)
                if (r->ev[k].type == RS_EV_HOLD_CUE && r->ev[k].u.hold.index == h->index &&
                    fabs(r->ev[k].u.hold.seconds - cues[c]) < 1e-9)
                    cue = &r->ev[k];
            int want = dur >= cues[c];
            if (want != (cue != NULL)) {
                fprintf(stderr, "events:\n%s", r->json);
                fail_msg("%s: hold %d (%.2f s): %g s cue %s", scn->name, i + 1, dur, cues[c],
                         cue ? "fired but the hold never reached it" : "missing");
            }
            if (cue)
                worst_cue = fmax(worst_cue, fabs(cue->t + off - (truth[i].start + cues[c])));
            if (cue && fabs(cue->t + off - (truth[i].start + cues[c])) > CUE_TOL_S)
                fail_msg("%s: hold %d: %g s cue at %.4f, truth %.4f (limit %.3f)", scn->name,
                         i + 1, cues[c], cue->t + off, truth[i].start + cues[c], CUE_TOL_S);
        }
    }
}

/* Every pass's mean speed and distance against the truth's travel over the
 * same interval: within 5 % (+ 0.05 cm/s, 0.1 cm for encoder jitter). */
static size_t check_passes(const struct run_result *r, const struct rs_scenario *scn)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nev; i++) {
        const struct rs_event *e = &r->ev[i];
        if (e->type != RS_EV_PASS || scn->loop)
            continue;
        struct rs_sim_state a, b;
        rs_scenario_state(scn, e->u.pass.start_t + r->t_offset, &a);
        rs_scenario_state(scn, e->u.pass.end_t + r->t_offset, &b);
        double dist = fabs(b.disp_cm - a.disp_cm);
        double mean = dist / (e->u.pass.end_t - e->u.pass.start_t);
        if (fabs(e->u.pass.mean_cm_s - mean) > 0.05 * mean + 0.05 ||
            fabs(e->u.pass.distance_cm - dist) > 0.05 * dist + 0.1)
            fail_msg("%s: pass at %.3f s: %.2f cm, %.3f cm/s; truth %.2f cm, %.3f cm/s",
                     scn->name, e->u.pass.start_t, e->u.pass.distance_cm, e->u.pass.mean_cm_s,
                     dist, mean);
        n++;
    }
    return n;
}

/* One run of a scenario with its current seed: truth, speed, leg, expects. */
static void run_one_seed(const struct rs_scenario *scn, const struct rs_config *cfg)
{
    struct run_result r;
    run_scenario(scn, cfg, 0, 0, &r);
    if (getenv("RS_TEST_VERBOSE"))
        fputs(r.json, stdout);
    worst_start = worst_end = worst_cue = 0;
    if (scn->check_truth)
        check_holds(&r, scn, cfg);
    size_t passes = check_passes(&r, scn);
    print_message("%s seed %llu [%s]: holds %d, worst start %.3f s, end %.3f s, cue %.3f s; "
                  "speed checked on %zu frames, leg on %zu, passes %zu\n",
                  scn->name, (unsigned long long)scn->seed, scn->label,
                  r.sum.holds[0] + r.sum.holds[1] + r.sum.holds[2],
                  worst_start, worst_end, worst_cue, r.speed_checked, r.leg_checked, passes);
    if (r.speed_bad)
        fail_msg("%s: speed off limit on %zu of %zu steady frames, worst %.3f cm/s at %.3f s",
                 scn->name, r.speed_bad, r.speed_checked, r.speed_worst, r.speed_worst_t);
    if (r.leg_bad)
        fail_msg("%s: leg wrong on %zu of %zu frames (first at %.3f s)", scn->name, r.leg_bad,
                 r.leg_checked, r.leg_bad_t);
    for (int i = 0; i < scn->nexpect; i++)
        check_expect(&r, scn->name, scn->expect[i]);
    /* The summary is always last and counts every frame delivered. */
    assert_true(r.sum.frames > 0);
    assert_non_null(strstr(r.json, "{\"type\":\"summary\",\"frames\":"));
    run_free(&r);
}

static void test_one(void **state)
{
    const char *path = *state;
    char *text = read_text(path);
    assert_non_null(text);
    static struct rs_scenario scn;
    char err[256];
    int rc = rs_scenario_parse(&scn, text, path, err, sizeof err);
    free(text);
    if (rc)
        fail_msg("%s", err);
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    /* Physics scenarios run with several noise seeds (noise, encoder jitter,
     * frame phase and tremor phase all follow the seed). */
    int nseeds = strstr(scn.label, "physics") ? 6 : 1;
    uint64_t seed0 = scn.seed;
    for (int si = 0; si < nseeds; si++) {
        if (si > 0)
            rs_scenario_reseed(&scn, seed0 * 1000 + (uint64_t)si);
        run_one_seed(&scn, &cfg);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir(RS_SCENARIO_DIR);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", RS_SCENARIO_DIR);
        return 1;
    }
    char **paths = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".scn"))
            continue;
        paths = realloc(paths, (n + 1) * sizeof *paths);
        paths[n] = malloc(strlen(RS_SCENARIO_DIR) + l + 2);
        sprintf(paths[n], "%s/%s", RS_SCENARIO_DIR, de->d_name);
        n++;
    }
    closedir(d);
    qsort(paths, n, sizeof *paths, cmp_str);
    const char *only = getenv("RS_SCENARIO");
    struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        if (only && !strstr(paths[i], only))
            continue;
        tests[nt].name = strrchr(paths[i], '/') + 1;
        tests[nt].test_func = test_one;
        tests[nt].initial_state = paths[i];
        nt++;
    }
    /* Acceptance: a library of at least 25 scenarios. */
    if (!only && n < 25) {
        fprintf(stderr, "only %zu scenarios in %s, want >= 25\n", n, RS_SCENARIO_DIR);
        return 1;
    }
    int rc = _cmocka_run_group_tests("scenarios", tests, nt, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(tests);
    return rc;
}
