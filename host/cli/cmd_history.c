/*
 * cmd_history.c - `rollsense history`: progress across days from the
 * session catalog (host/history): a window, --json lines, or -o PNG.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_catalog.h"
#include "rs_history.h"
#include "rs_historyview.h"
#include "rs_json.h"
#include "rs_record.h"
#include "rs_run.h"

static void help(void)
{
    printf("usage: rollsense history [--dir DIR] [--days N] [--window N] [--json | -o PNG]\n"
           "                         [--size WxH] [--font TTF]\n"
           "\n"
           "Progress across days, from the recorded sessions: per day the time on\n"
           "each calf, holds per leg, the typical force (median of the holds' mean\n"
           "force, %% of body weight; calibrated sessions only) and routines\n"
           "completed; a calf map over the days with every hold by leg and position;\n"
           "and the spots that keep coming back (holds within 2 cm on one leg), e.g.\n"
           "\"left calf, 14 cm above the Achilles: held in 4 of the last 5 sessions,\n"
           "26 s on average\". Data shown as data: where and how often, never why.\n"
           "\n"
           "  --dir DIR      sessions in DIR (default $XDG_DATA_HOME/rollsense/sessions)\n"
           "  --days N       the last N calendar days up to the newest session (default\n"
           "                 28, at most 3660)\n"
           "  --window N     recurring spots over the last N sessions (default 5, 1..64)\n"
           "  --json         print JSON lines instead of opening a window: one\n"
           "                 {\"type\":\"day\",...} per day, {\"type\":\"hold\",...} per hold,\n"
           "                 {\"type\":\"spot\",...} per recurring spot, {\"type\":\"cluster\",...}\n"
           "                 per cluster of the map, then {\"type\":\"history\",...}\n"
           "  -o PNG         draw the history into PNG (mode 0600), no display needed\n"
           "  --size WxH     the picture's or window's size (default 1280x800)\n"
           "  --font TTF     the font file (default: as the window finds it)\n"
           "\n"
           "The figures come from a catalog kept beside the sessions (catalog.rscat),\n"
           "rebuilt from the session files when it is missing, damaged or out of date;\n"
           "deleting it loses nothing.\n");
}

struct hist_args {
    const char *dir, *png, *font;
    bool json;
    int w, h;
    struct rs_history_opts o;
};

static int int_arg(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* 0, 1 after --help, or -1 after a usage error. */
static int parse(int argc, char **argv, struct hist_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (rs_cli_is_help(o)) {
            help();
            return 1;
        } else if (strcmp(o, "--json") == 0) {
            a->json = true;
            continue;
        } else if (!v) {
            bad = 1;
        } else if (strcmp(o, "--dir") == 0) {
            a->dir = v;
        } else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0) {
            a->png = v;
        } else if (strcmp(o, "--font") == 0) {
            a->font = v;
        } else if (strcmp(o, "--days") == 0) {
            bad = int_arg(v, 1, RS_HIST_DAYS_MAX, &a->o.days);
        } else if (strcmp(o, "--window") == 0) {
            bad = int_arg(v, 1, 64, &a->o.window);
        } else if (strcmp(o, "--size") == 0) {
            bad = rs_cli_parse_size(v, &a->w, &a->h);
        } else {
            bad = 1;
        }
        if (bad) {
            rs_cli_error("history: bad or unknown argument '%s'%s%s (try 'rollsense history --help')",
                         o, v ? " " : "", v ? v : "");
            return -1;
        }
        i++;
    }
    if (a->json && a->png) {
        rs_cli_error("history: --json and -o are exclusive");
        return -1;
    }
    return 0;
}

static void put_line(struct rs_json *j)
{
    const char *line = rs_json_end(j);
    puts(line ? line : "{\"type\":\"error\",\"error\":\"line too long\"}");
}

static void print_days(const struct rs_histview *v)
{
    char buf[512];
    struct rs_json j;
    for (int i = 0; i < v->ndays; i++) {
        const struct rs_hist_day *d = &v->day[i];
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "day");
        rs_json_str(&j, "date", d->date);
        rs_json_int(&j, "sessions", d->sessions);
        rs_json_num(&j, "time_left_s", d->time_s[0], 1); /* NAN prints null */
        rs_json_num(&j, "time_right_s", d->time_s[1], 1);
        rs_json_int(&j, "holds_left", d->holds[0]);
        rs_json_int(&j, "holds_right", d->holds[1]);
        rs_json_num(&j, "typical_bw_pct", d->typical_bw_pct, 1);
        rs_json_int(&j, "routines_completed", d->routines);
        put_line(&j);
    }
    for (int i = 0; i < v->ndots; i++) {
        const struct rs_hist_dot *h = &v->dot[i];
        char iso[48];
        rs_iso8601((int64_t)h->day * 86400 * 1000000, 0, iso, sizeof iso);
        iso[10] = '\0';
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "hold");
        rs_json_str(&j, "date", iso);
        rs_json_str(&j, "leg", h->leg ? "right" : "left");
        rs_json_num(&j, "pos_cm", h->pos_cm, 1);
        rs_json_num(&j, "seconds", h->seconds, 1);
        put_line(&j);
    }
}

static void print_spots(const char *type, const struct rs_hist_spot *s, int n)
{
    char buf[512];
    struct rs_json j;
    for (int i = 0; i < n; i++) {
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", type);
        rs_json_str(&j, "leg", s[i].leg ? "right" : "left");
        rs_json_num(&j, "pos_cm", s[i].pos_cm, 1);
        rs_json_int(&j, "sessions", s[i].sessions);
        rs_json_int(&j, "window", s[i].window);
        rs_json_int(&j, "holds", s[i].holds);
        rs_json_num(&j, "mean_s", s[i].mean_s, 1);
        rs_json_str(&j, "text", s[i].text);
        put_line(&j);
    }
}

static const char *state_name(enum rs_cat_state s)
{
    return s == RS_CAT_FRESH ? "fresh" : s == RS_CAT_UPDATED ? "updated" : "rebuilt";
}

static void print_json(const struct rs_histview *v, const struct rs_cat_status *st)
{
    print_days(v);
    print_spots("spot", v->spot, v->nspots);
    print_spots("cluster", v->band, v->nbands);
    char buf[512], a[48], b[48];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "type", "history");
    bool any = v->sessions > 0;
    rs_iso8601((int64_t)v->first_day * 86400 * 1000000, 0, a, sizeof a);
    rs_iso8601((int64_t)v->last_day * 86400 * 1000000, 0, b, sizeof b);
    a[10] = b[10] = '\0';
    if (any) {
        rs_json_str(&j, "first", a);
        rs_json_str(&j, "last", b);
    } else {
        rs_json_raw(&j, "first", "null");
        rs_json_raw(&j, "last", "null");
    }
    rs_json_int(&j, "days", v->ndays);
    rs_json_int(&j, "sessions", v->sessions);
    rs_json_int(&j, "sessions_total", v->sessions_total);
    rs_json_int(&j, "unreadable", v->unreadable);
    rs_json_int(&j, "window", v->window);
    rs_json_bool(&j, "calibrated", !v->uncalibrated);
    rs_json_str(&j, "catalog", state_name(st->state));
    put_line(&j);
}

int rs_cmd_history(int argc, char **argv)
{
    struct hist_args a = { .w = 1280, .h = 800, .o = rs_history_defaults() };
    int p = parse(argc, argv, &a);
    if (p != 0)
        return p > 0 ? RS_EXIT_OK : RS_EXIT_USAGE;
    if (!a.json && !a.png && !rs_run_have_display()) {
        /* SDL would fall back to a window nobody sees and exit at once */
        rs_cli_error("history: no display (DISPLAY and WAYLAND_DISPLAY unset); use "
                     "-o history.png or --json");
        return RS_EXIT_FAIL;
    }
    char def[768];
    if (!a.dir) {
        if (rs_rec_session_dir(def, sizeof def) != 0) {
            rs_cli_error("history: no session directory (set XDG_DATA_HOME or HOME)");
            return RS_EXIT_FAIL;
        }
        a.dir = def;
    }
    struct rs_catalog c;
    struct rs_cat_status st;
    int rc = rs_catalog_load(a.dir, true, &c, &st);
    if (rc != 0 && rc != -ENOENT) {
        rs_cli_error("history: cannot read '%s': %s", a.dir, strerror(-rc));
        return RS_EXIT_FAIL;
    }
    if (st.note[0])
        rs_cli_error("history: %s", st.note);
    struct rs_histview *v = malloc(sizeof *v);
    if (!v) {
        rs_catalog_free(&c);
        rs_cli_error("history: out of memory");
        return RS_EXIT_FAIL;
    }
    rs_history_make(&c, &a.o, v);
    rs_catalog_free(&c);
    char err[600];
    rc = 0;
    if (a.json)
        print_json(v, &st);
    else if (a.png)
        rc = rs_historyview_png(v, a.w, a.h, a.font, a.png, err, sizeof err);
    else
        rc = rs_historyview_window(v, a.w, a.h, a.font, err, sizeof err);
    free(v);
    if (rc != 0) {
        rs_cli_error("history: %s", err);
        return RS_EXIT_FAIL;
    }
    if (a.png)
        printf("history: %s\n", a.png);
    return RS_EXIT_OK;
}
