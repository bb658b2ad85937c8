/*
 * rs_scenario.c - scenario text parser and the clean physical state of a
 * scenario at any time. See docs/scenario-format.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_sim.h"
#include "rs_file.h"

#define PI 3.14159265358979323846
#define RAMP_S 0.1          /* force changes ramp over this long */
#define WOBBLE_SETTLE_S 3.0 /* wobble starts this long into a hold (after detection) */
#define DIP_FACTOR 0.3      /* a dip drops the force to this fraction */
#define TREMOR_FADE_S 0.5   /* tremor fades in and out over this long in a roll */

static int num(const char *s, double *out)
{
    const char *end;
    double v;
    if (!s || !*s)
        return -1;
    if (rs_parse_decimal(s, &v, &end) != 0 || *end) /* decimal only, as documented */
        return -1;
    *out = v;
    return 0;
}

static const struct { const char *name; uint16_t bit; } fault_names[] = {
    { "hx_left", RS_ST_HX_LEFT }, { "hx_right", RS_ST_HX_RIGHT }, { "magnet", RS_ST_MAGNET },
    { "enc_parity", RS_ST_ENC_PARITY }, { "enc_error", RS_ST_ENC_ERROR },
};

/* Wobble window of a hold segment: [ws, we) in segment time, or ws = we. */
static void wobble_window(const struct rs_seg *s, double *ws, double *we)
{
    *ws = *we = 0;
    if (s->kind != RS_SEG_HOLD || s->wobble_cm <= 0 || s->wobble_period <= 0)
        return;
    /* Whole periods, starting after the hold is established and ending 1 s
     * before its end, so that the true start and end are unambiguous. */
    int n = (int)floor((s->dur - 1.0 - WOBBLE_SETTLE_S) / s->wobble_period);
    if (n <= 0)
        return;
    *ws = WOBBLE_SETTLE_S;
    *we = WOBBLE_SETTLE_S + n * s->wobble_period;
}

static double seg_end_force(const struct rs_seg *s)
{
    if (s->kind == RS_SEG_LIFT)
        return 0;
    return s->kind == RS_SEG_HOLD ? s->force * (1 + s->creep_pct / 100.0) : s->force;
}

/*
 * Roll velocity: piecewise linear. From v_start to speed by u_up, constant,
 * then down to 0 from u_down to the end when the next segment is not a roll
 * (so holds begin at rest). Instant when accel is 0 (u_up = 0, u_down = dur).
 * Returns the velocity at u and writes the travel from 0 to u.
 */
static double roll_motion(const struct rs_seg *s, double u, double *travel)
{
    double v0 = s->v_start, V = s->speed, a = s->u_up, b = s->u_down, D = s->dur;
    double d = 0, v;
    if (u <= a) {
        v = a > 0 ? v0 + (V - v0) * (u / a) : V;
        d = (v0 + v) / 2 * u;
    } else {
        d = (v0 + V) / 2 * a;
        if (u <= b) {
            v = V;
            d += V * (u - a);
        } else {
            d += V * (b - a);
            v = D > b ? V * (1 - (u - b) / (D - b)) : 0;
            d += (V + v) / 2 * (u - b);
        }
    }
    *travel = d;
    return v;
}

static double seg_end_disp(const struct rs_seg *s)
{
    double d = 0;
    if (s->kind == RS_SEG_ROLL)
        roll_motion(s, s->dur, &d);
    return s->disp0 + d;
}

static int parse_segment(struct rs_scenario *scn, const char *kw, char **tok, int ntok,
                         double cur_force, double *cur_x, const char *file, int line, char *err,
                         size_t cap)
{
    if (scn->nseg >= RS_SCN_MAX_SEGS) {
        rs_msgf(err, cap, "%s:%d: more than %d segments", file, line, RS_SCN_MAX_SEGS);
        return -1;
    }
    struct rs_seg s = { .force = cur_force, .x0 = *cur_x, .x1 = *cur_x, .line = line,
                        .wobble_period = 2.0, .bounce_hz = 2.0, .ramp_s = RAMP_S };
    if (strcmp(kw, "roll") == 0)
        s.kind = RS_SEG_ROLL;
    else if (strcmp(kw, "hold") == 0)
        s.kind = RS_SEG_HOLD;
    else if (strcmp(kw, "rest") == 0)
        s.kind = RS_SEG_REST;
    else
        s.kind = RS_SEG_LIFT;
    int need = s.kind == RS_SEG_ROLL ? 2 : 1;
    if (ntok < need || num(tok[0], &s.dur) || s.dur <= 0 || s.dur > 36000 ||
        (need == 2 && num(tok[1], &s.speed))) {
        rs_msgf(err, cap, "%s:%d: %s wants %s", file, line, kw,
             need == 2 ? "SECONDS (> 0) and SPEED_CM_S" : "SECONDS (> 0)");
        return -1;
    }
    if (fabs(s.speed) > 100) {
        rs_msgf(err, cap, "%s:%d: roll speed %g cm/s, allowed -100..100", file, line, s.speed);
        return -1;
    }
    bool x_to = false;
    for (int i = need; i < ntok; i++) {
        char *eq = strchr(tok[i], '=');
        double v;
        if (!eq || num(eq + 1, &v)) {
            rs_msgf(err, cap, "%s:%d: option '%s' is not KEY=NUMBER", file, line, tok[i]);
            return -1;
        }
        *eq = '\0';
        const char *k = tok[i];
        if (strcmp(k, "force") == 0 && v >= 0 && v <= 3000)
            s.force = v;
        else if (strcmp(k, "x") == 0 && fabs(v) <= 190) {
            s.x0 = v;
            if (!x_to)
                s.x1 = v;
        } else if (strcmp(k, "x_to") == 0 && fabs(v) <= 190) {
            s.x1 = v;
            x_to = true;
        } else if (strcmp(k, "wobble") == 0 && s.kind == RS_SEG_HOLD && v >= 0 && v <= 5)
            s.wobble_cm = v;
        else if (strcmp(k, "wobble_period") == 0 && s.kind == RS_SEG_HOLD && v >= 0.2 && v <= 20)
            s.wobble_period = v;
        else if (strcmp(k, "dip") == 0 && s.kind == RS_SEG_HOLD && v >= 0 && v < s.dur / 2)
            s.dip_s = v;
        else if (strcmp(k, "creep") == 0 && s.kind == RS_SEG_HOLD && fabs(v) <= 50)
            s.creep_pct = v;
        else if (strcmp(k, "bounce") == 0 && s.kind != RS_SEG_LIFT && v >= 0 && v <= 1000)
            s.bounce_n = v;
        else if (strcmp(k, "bounce_hz") == 0 && s.kind != RS_SEG_LIFT && v >= 0.2 && v <= 10)
            s.bounce_hz = v;
        else if (strcmp(k, "ramp") == 0 && v >= RS_FRAME_PERIOD_S && v <= s.dur)
            s.ramp_s = v;
        else {
            rs_msgf(err, cap, "%s:%d: option '%s=%g' not allowed for %s (see docs/scenario-format.md)",
                 file, line, k, v, kw);
            return -1;
        }
    }
    *cur_x = s.x1;
    scn->seg[scn->nseg++] = s;
    return 0;
}

/* The parser's state across lines: the scenario, the current force and
 * lateral position segments inherit, and where an error is reported. */
struct parse_ctx {
    struct rs_scenario *scn;
    double cur_force, cur_x;
    bool phase_set;
    const char *file;
    int lineno;
    char *err;
    size_t cap;
};

/* Keyword KW wants N arguments (WHAT), else an error line and -1. */
#define NEED(n, what)                                                                  \
    do {                                                                               \
        if (na != (n)) {                                                               \
            rs_msgf(c->err, c->cap, "%s:%d: %s wants %s", c->file, c->lineno, kw, what); \
            return -1;                                                                 \
        }                                                                              \
    } while (0)
/* a[0] as a number within LO..HI into VAL, else an error line and -1. */
#define RANGE(val, lo, hi, what)                                                             \
    do {                                                                                     \
        if (num(a[0], &(val)) || (val) < (lo) || (val) > (hi)) {                             \
            rs_msgf(c->err, c->cap, "%s:%d: %s '%s', allowed %s %g..%g", c->file, c->lineno, kw, \
                 a[0], what, (double)(lo), (double)(hi));                                    \
            return -1;                                                                       \
        }                                                                                    \
    } while (0)

/* Who and where: name label seed mass calf force x leg. 0, -1 (error), 1 (not mine). */
static int parse_person(struct parse_ctx *c, const char *kw, char **a, int na)
{
    double v = 0;
    if (strcmp(kw, "name") == 0) {
        NEED(1, "one word");
        snprintf(c->scn->name, sizeof c->scn->name, "%s", a[0]);
    } else if (strcmp(kw, "label") == 0) {
        /* One or more words: what the scenario exercises. */
        size_t n = 0;
        c->scn->label[0] = '\0';
        for (int i = 0; i < na; i++) {
            size_t w = strlen(a[i]);
            if (n + w + 2 > sizeof c->scn->label) {
                rs_msgf(c->err, c->cap, "%s:%d: labels longer than %zu characters", c->file,
                     c->lineno, sizeof c->scn->label - 1);
                return -1;
            }
            if (n)
                c->scn->label[n++] = ' ';
            memcpy(c->scn->label + n, a[i], w + 1);
            n += w;
        }
    } else if (strcmp(kw, "seed") == 0) {
        NEED(1, "a number");
        RANGE(v, 0, 4e9, "");
        c->scn->seed = (uint64_t)v;
    } else if (strcmp(kw, "mass") == 0) {
        NEED(1, "KG");
        RANGE(c->scn->mass_kg, 20, 250, "kg");
    } else if (strcmp(kw, "calf") == 0) {
        NEED(1, "CM");
        RANGE(c->scn->calf_cm, 15, 60, "cm");
    } else if (strcmp(kw, "force") == 0) {
        NEED(1, "N");
        RANGE(c->cur_force, 0, 3000, "N");
    } else if (strcmp(kw, "x") == 0) {
        NEED(1, "MM");
        RANGE(c->cur_x, -190, 190, "mm");
    } else if (strcmp(kw, "leg") == 0) {
        NEED(1, "left or right");
        if (strcmp(a[0], "left") == 0)
            c->cur_x = -90;
        else if (strcmp(a[0], "right") == 0)
            c->cur_x = 90;
        else {
            rs_msgf(c->err, c->cap, "%s:%d: leg '%s', allowed left or right", c->file, c->lineno,
                 a[0]);
            return -1;
        }
    } else {
        return 1;
    }
    return 0;
}

/* The signal: noise enc_noise drift tremor accel drop offset t0 phase loop
 * truth. 0, -1 (error), 1 (not mine). */
static int parse_signal(struct parse_ctx *c, const char *kw, char **a, int na)
{
    double v = 0, v2 = 0;
    if (strcmp(kw, "noise") == 0) {
        NEED(1, "N_RMS");
        RANGE(c->scn->noise_n, 0, 20, "N");
    } else if (strcmp(kw, "enc_noise") == 0) {
        NEED(1, "COUNTS");
        RANGE(c->scn->enc_noise, 0, 100, "counts");
    } else if (strcmp(kw, "drift") == 0) {
        NEED(2, "N SECONDS");
        RANGE(c->scn->drift_n, -100, 100, "N");
        if (num(a[1], &c->scn->drift_s) || c->scn->drift_s <= 0) {
            rs_msgf(c->err, c->cap, "%s:%d: drift seconds '%s', allowed > 0", c->file, c->lineno,
                 a[1]);
            return -1;
        }
    } else if (strcmp(kw, "tremor") == 0) {
        NEED(2, "MM HZ");
        RANGE(c->scn->tremor_mm, 0, 5, "mm");
        if (num(a[1], &c->scn->tremor_hz) || c->scn->tremor_hz < 1 || c->scn->tremor_hz > 15) {
            rs_msgf(c->err, c->cap, "%s:%d: tremor frequency '%s', allowed 1..15 Hz", c->file,
                 c->lineno, a[1]);
            return -1;
        }
    } else if (strcmp(kw, "accel") == 0) {
        NEED(1, "CM_PER_S2");
        RANGE(c->scn->accel, 0, 1000, "cm/s^2");
    } else if (strcmp(kw, "drop") == 0) {
        NEED(1, "FRACTION");
        RANGE(c->scn->drop, 0, 0.5, "");
    } else if (strcmp(kw, "offset") == 0) {
        NEED(2, "LEFT RIGHT (raw counts)");
        if (num(a[0], &v) || num(a[1], &v2) || fabs(v) > 4e6 || fabs(v2) > 4e6) {
            rs_msgf(c->err, c->cap, "%s:%d: offset wants two counts, allowed -4e6..4e6", c->file,
                 c->lineno);
            return -1;
        }
        c->scn->offset_left = (int32_t)v;
        c->scn->offset_right = (int32_t)v2;
    } else if (strcmp(kw, "t0") == 0) {
        NEED(1, "MICROSECONDS");
        RANGE(v, 0, 4294967295.0, "us");
        c->scn->t0_us = (uint32_t)v;
    } else if (strcmp(kw, "phase") == 0) {
        NEED(1, "MILLISECONDS");
        RANGE(v, 0, 12.5, "ms");
        c->scn->phase_s = v / 1000.0;
        c->phase_set = true;
    } else if (strcmp(kw, "loop") == 0) {
        NEED(0, "nothing");
        c->scn->loop = true;
    } else if (strcmp(kw, "truth") == 0) {
        NEED(1, "on or off");
        c->scn->check_truth = strcmp(a[0], "off") != 0;
    } else {
        return 1;
    }
    return 0;
}

/* What happens: fault gap roll hold rest lift; any other keyword is an
 * error. 0 or -1. */
static int parse_event(struct parse_ctx *c, const char *kw, char **a, int na)
{
    double v = 0, v2 = 0;
    if (strcmp(kw, "fault") == 0) {
        NEED(3, "NAME START_S SECONDS");
        int f = -1;
        for (size_t i = 0; i < sizeof fault_names / sizeof fault_names[0]; i++)
            if (strcmp(a[0], fault_names[i].name) == 0)
                f = (int)i;
        if (f < 0 || c->scn->nfaults >= RS_SCN_MAX_FAULTS || num(a[1], &v) || num(a[2], &v2) ||
            v < 0 || v2 <= 0) {
            rs_msgf(c->err, c->cap,
                 "%s:%d: fault wants NAME (hx_left, hx_right, magnet, enc_parity, enc_error) "
                 "START SECONDS, at most %d",
                 c->file, c->lineno, RS_SCN_MAX_FAULTS);
            return -1;
        }
        c->scn->faults[c->scn->nfaults].bit = fault_names[f].bit;
        c->scn->faults[c->scn->nfaults].t = v;
        c->scn->faults[c->scn->nfaults].dur = v2;
        c->scn->nfaults++;
    } else if (strcmp(kw, "gap") == 0) {
        NEED(2, "START_S SECONDS");
        if (c->scn->ngaps >= RS_SCN_MAX_GAPS || num(a[0], &v) || num(a[1], &v2) || v <= 0 ||
            v2 <= 0) {
            rs_msgf(c->err, c->cap, "%s:%d: gap wants START (> 0) SECONDS (> 0), at most %d", c->file,
                 c->lineno, RS_SCN_MAX_GAPS);
            return -1;
        }
        c->scn->gaps[c->scn->ngaps].t = v;
        c->scn->gaps[c->scn->ngaps].dur = v2;
        c->scn->ngaps++;
    } else if (strcmp(kw, "roll") == 0 || strcmp(kw, "hold") == 0 ||
               strcmp(kw, "rest") == 0 || strcmp(kw, "lift") == 0) {
        if (parse_segment(c->scn, kw, a, na, c->cur_force, &c->cur_x, c->file, c->lineno, c->err,
                          c->cap))
            return -1;
    } else {
        rs_msgf(c->err, c->cap,
             "%s:%d: unknown keyword '%s', allowed name label seed mass calf force x leg "
             "noise enc_noise tremor drift drop offset t0 loop truth fault gap roll hold rest "
             "lift "
             "expect",
             c->file, c->lineno, kw);
        return -1;
    }
    return 0;
}
#undef NEED
#undef RANGE

/* One line (comment stripped here) into the scenario: 0, or -1 with ERR set. */
static int parse_line(struct parse_ctx *c, char *buf)
{
    struct rs_scenario *scn = c->scn;
    if (strncmp(buf, "expect", 6) == 0 && (buf[6] == ' ' || buf[6] == '\t')) {
        if (scn->nexpect >= RS_SCN_MAX_EXPECT) {
            rs_msgf(c->err, c->cap, "%s:%d: more than %d expect lines", c->file, c->lineno,
                 RS_SCN_MAX_EXPECT);
            return -1;
        }
        char *h = strchr(buf, '#');
        if (h)
            *h = '\0';
        size_t el = strlen(buf + 7);
        if (el >= sizeof scn->expect[0]) {
            rs_msgf(c->err, c->cap, "%s:%d: expect line longer than %zu characters", c->file,
                 c->lineno, sizeof scn->expect[0] - 1);
            return -1;
        }
        memcpy(scn->expect[scn->nexpect++], buf + 7, el + 1);
        return 0;
    }
    char *h = strchr(buf, '#');
    if (h)
        *h = '\0';
    char *tok[12];
    int ntok = 0;
    for (char *s = strtok(buf, " \t\r"); s && ntok < 12; s = strtok(NULL, " \t\r"))
        tok[ntok++] = s;
    if (ntok == 0)
        return 0;
    int r = parse_person(c, tok[0], tok + 1, ntok - 1);
    if (r == 1)
        r = parse_signal(c, tok[0], tok + 1, ntok - 1);
    if (r == 1)
        r = parse_event(c, tok[0], tok + 1, ntok - 1);
    return r;
}

/* A roll's ramp-up and ramp-down times from its neighbours and the
 * acceleration: 0, or -1 with ERR set when it is too short. */
static int roll_ramps(struct rs_scenario *scn, int i, const char *file, char *err, size_t cap)
{
    struct rs_seg *s = &scn->seg[i];
    bool prev_roll = i > 0 && scn->seg[i - 1].kind == RS_SEG_ROLL;
    bool next_roll = i + 1 < scn->nseg && scn->seg[i + 1].kind == RS_SEG_ROLL;
    s->v_start = prev_roll ? scn->seg[i - 1].speed : 0;
    s->u_up = 0;
    s->u_down = s->dur;
    if (scn->accel > 0) {
        s->u_up = fabs(s->speed - s->v_start) / scn->accel;
        if (!next_roll)
            s->u_down = s->dur - fabs(s->speed) / scn->accel;
        if (s->u_up > s->u_down) {
            rs_msgf(err, cap, "%s:%d: roll too short to change speed at %g cm/s^2", file,
                 s->line, scn->accel);
            return -1;
        }
    } else {
        s->v_start = s->speed;
    }
    return 0;
}

/* The derived timeline: each segment's start time, displacement, position
 * and previous force; the duration and cycle. 0, or -1 with ERR set. */
static int derive_timeline(struct rs_scenario *scn, const char *file, char *err, size_t cap)
{
    double t = 0, disp = 0, pos = 0, f = 0;
    bool lifted = true;
    for (int i = 0; i < scn->nseg; i++) {
        struct rs_seg *s = &scn->seg[i];
        if (s->kind == RS_SEG_ROLL && roll_ramps(scn, i, file, err, cap))
            return -1;
        s->t0 = t;
        s->disp0 = disp;
        if (lifted && s->kind != RS_SEG_LIFT)
            pos = 0; /* a new contact starts at the Achilles end */
        s->pos0 = pos;
        s->f_prev = f;
        double end = seg_end_disp(s);
        if (s->kind != RS_SEG_LIFT)
            pos += end - disp;
        if (pos < -1e-9 || pos > scn->calf_cm + 1e-9) {
            rs_msgf(err, cap, "%s:%d: %s leaves the calf (position %.2f cm), allowed 0..%g", file,
                 s->line, s->kind == RS_SEG_ROLL ? "roll" : "segment", pos, scn->calf_cm);
            return -1;
        }
        lifted = s->kind == RS_SEG_LIFT;
        disp = end;
        f = seg_end_force(s);
        t += s->dur;
    }
    scn->duration = t;
    scn->cycle_disp = disp;
    return 0;
}

int rs_scenario_parse(struct rs_scenario *scn, const char *text, const char *file, char *err,
                      size_t cap)
{
    if (!file)
        file = "scenario";
    memset(scn, 0, sizeof *scn);
    snprintf(scn->name, sizeof scn->name, "unnamed");
    scn->seed = 1;
    scn->mass_kg = 70;
    scn->calf_cm = 40;
    scn->noise_n = 0.05;
    scn->drift_s = 600;
    scn->check_truth = true;
    struct parse_ctx c = { scn, 250, 90, false, file, 0, err, cap };
    const char *p = text ? text : "";
    while (*p) {
        c.lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char buf[256];
        if (len >= sizeof buf) {
            rs_msgf(err, cap, "%s:%d: line too long", file, c.lineno);
            return -1;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = eol ? eol + 1 : p + len;
        if (parse_line(&c, buf))
            return -1;
    }
    if (scn->nseg == 0) {
        rs_msgf(err, cap, "%s:%d: no segments (roll, hold, rest, lift)", file, c.lineno);
        return -1;
    }
    /* Frames fall between segment boundaries, as they would in reality:
     * the first frame's offset comes from the seed unless given. */
    if (!c.phase_set)
        scn->phase_s = (double)((scn->seed * 2654435761u) % 1000u) / 1000.0 * RS_FRAME_PERIOD_S;
    scn->tremor_phase = (double)((scn->seed * 40503u) % 628u) / 100.0;
    if (derive_timeline(scn, file, err, cap))
        return -1;
    if (scn->loop && (scn->seg[0].kind != RS_SEG_LIFT || scn->seg[scn->nseg - 1].kind != RS_SEG_LIFT)) {
        rs_msgf(err, cap, "%s:%d: a looping scenario must start and end with a lift", file, c.lineno);
        return -1;
    }
    return 0;
}

void rs_scenario_reseed(struct rs_scenario *scn, uint64_t seed)
{
    scn->seed = seed;
    scn->phase_s = (double)((seed * 2654435761u) % 1000u) / 1000.0 * RS_FRAME_PERIOD_S;
    scn->tremor_phase = (double)((seed * 40503u) % 628u) / 100.0;
}

/*
 * How much of the tremor shows at segment time u: all of it while resting
 * (hold, rest), none while rolling or lifted, fading over TREMOR_FADE_S next
 * to a rest so the position stays continuous.
 */
static double tremor_envelope(const struct rs_scenario *scn, int i, double u)
{
    const struct rs_seg *s = &scn->seg[i];
    if (s->kind == RS_SEG_HOLD || s->kind == RS_SEG_REST)
        return 1;
    bool prev_rest = i > 0 && (scn->seg[i - 1].kind == RS_SEG_HOLD ||
                               scn->seg[i - 1].kind == RS_SEG_REST);
    bool next_rest = i + 1 < scn->nseg && (scn->seg[i + 1].kind == RS_SEG_HOLD ||
                                           scn->seg[i + 1].kind == RS_SEG_REST);
    double e = 0;
    if (prev_rest)
        e = fmax(e, 1 - u / TREMOR_FADE_S);
    if (next_rest)
        e = fmax(e, 1 - (s->dur - u) / TREMOR_FADE_S);
    return e;
}

static int find_seg(const struct rs_scenario *scn, double t)
{
    int lo = 0, hi = scn->nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (scn->seg[mid].t0 <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void rs_scenario_state(const struct rs_scenario *scn, double t, struct rs_sim_state *o)
{
    memset(o, 0, sizeof *o);
    double base_disp = 0;
    if (t < 0)
        t = 0;
    if (scn->loop && t >= scn->duration) {
        double k = floor(t / scn->duration);
        t -= k * scn->duration;
        base_disp = k * scn->cycle_disp;
    }
    int i = find_seg(scn, t);
    const struct rs_seg *s = &scn->seg[i];
    double u = t - s->t0;
    if (u > s->dur) {
        /* After the end of a non-looping scenario: hold the final state. */
        u = s->dur;
    }
    o->seg = i;
    int holds = 0;
    for (int j = 0; j <= i; j++)
        holds += scn->seg[j].kind == RS_SEG_HOLD;
    o->hold = s->kind == RS_SEG_HOLD ? holds : 0;

    /* Force. */
    double ft = 0;
    if (s->kind != RS_SEG_LIFT) {
        ft = s->force;
        if (s->kind == RS_SEG_HOLD) {
            ft *= 1 + s->creep_pct / 100.0 * u / s->dur;
            if (s->dip_s > 0 && fabs(u - s->dur / 2) < s->dip_s / 2)
                ft *= DIP_FACTOR;
        }
        /* Bouncing: whole periods from the segment start, so force is
         * continuous at the boundaries. */
        if (s->bounce_n > 0) {
            double nper = floor(s->dur * s->bounce_hz);
            if (u < nper / s->bounce_hz)
                ft += s->bounce_n * sin(2 * PI * s->bounce_hz * u);
            if (ft < 0)
                ft = 0;
        }
    }
    double fnow = u < s->ramp_s ? s->f_prev + (ft - s->f_prev) * (u / s->ramp_s) : ft;
    double x = s->x0 + (s->x1 - s->x0) * (u / s->dur);
    o->total_n = fnow;
    o->x_mm = x;
    o->right_n = fnow * (0.5 + x / 380.0);
    o->left_n = fnow - o->right_n;
    o->contact = fnow > 1.0;

    /* Motion. */
    double v = 0, d = 0;
    bool steady = u >= 0.3;
    if (s->kind == RS_SEG_ROLL) {
        v = roll_motion(s, u, &d);
        steady = u >= s->u_up + 0.3 && u <= s->u_down;
    } else if (s->kind == RS_SEG_HOLD) {
        double ws, we;
        wobble_window(s, &ws, &we);
        if (u >= ws && u < we) {
            double w = 2 * PI / s->wobble_period;
            d = s->wobble_cm / 2 * sin(w * (u - ws));
            v = s->wobble_cm / 2 * w * cos(w * (u - ws));
        }
        if (we > ws && u >= ws && u < we + 0.3)
            steady = false;
    }
    /* Tremor: a zero-mean oscillation of the contact around where the leg
     * is, on top of the motion (the truth's speed includes it). */
    double e = scn->tremor_mm > 0 ? tremor_envelope(scn, i, u) : 0;
    /* The speed estimate looks back 0.15 s: steady only 0.3 s after the
     * tremor faded out. */
    if (scn->tremor_mm > 0 && tremor_envelope(scn, i, fmax(0, u - 0.3)) > 0)
        steady = false;
    if (e > 0) {
        double w = 2 * PI * scn->tremor_hz, ph = w * t + scn->tremor_phase;
        d += e * scn->tremor_mm / 10 * sin(ph);
        v += e * scn->tremor_mm / 10 * w * cos(ph);
        steady = false;
    }
    o->speed_cm_s = v;
    o->steady = steady;
    o->disp_cm = base_disp + s->disp0 + d;
    o->pos_cm = s->kind == RS_SEG_LIFT ? s->pos0 : s->pos0 + d;
}

void rs_sim_physics(const struct rs_scenario *scn, double t, struct rs_phys *out)
{
    struct rs_sim_state st;
    rs_scenario_state(scn, t, &st);
    out->left_n = st.left_n;
    out->right_n = st.right_n;
    out->angle_rad = st.disp_cm / (RS_DEFAULT_RADIUS_UM / 1e4);
}

int rs_scenario_holds(const struct rs_scenario *scn, struct rs_truth_hold *out, int max)
{
    int n = 0;
    for (int i = 0; i < scn->nseg; i++) {
        const struct rs_seg *s = &scn->seg[i];
        if (s->kind != RS_SEG_HOLD)
            continue;
        if (n < max) {
            double x = (s->x0 + s->x1) / 2;
            out[n] = (struct rs_truth_hold){ .start = s->t0, .end = s->t0 + s->dur,
                                              .leg = x > 30 ? 2 : x < -30 ? 1 : 0, .x_mm = x };
        }
        n++;
    }
    return n;
}
