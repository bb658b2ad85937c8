/*
 * cmd_analyze.c - `rollsense analyze FILE [--json]`: run the detection
 * pipeline over a recording and print its events and the session summary.
 *
 * Input kinds sit behind struct analyze_source (open / next frame / close):
 * a raw captured byte stream (what the roller sends, e.g. from rollsense-sim
 * or a serial capture), or a session file (SQLite, recognised by its header),
 * which goes through host/replay: the same frames, gaps and calibration
 * handling as live, set up from the session's snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "rs_defaults.h"
#include "rs_config.h"
#include "rs_pipeline.h"
#include "rs_profiles.h"
#include "rs_proto.h"
#include "rs_replay.h"
#include "rs_session.h"

struct analyze_source {
    FILE *in;
    struct rs_decoder dec;
    unsigned char buf[4096];
    size_t len, pos;
    int error;
    uint64_t bytes;        /* read so far */
    uint64_t in_frames;    /* of which in intact frames or lone delimiters */
    uint64_t seg_start;    /* byte count after the last delimiter */
};

struct source_kind {
    const char *name;
    /* 1 if the first bytes of the file are this kind. */
    int (*probe)(const unsigned char *head, size_t n);
    /* 1 and *out filled, 0 at the end, negative on a read error. */
    int (*next)(struct analyze_source *s, struct rs_frame *out);
};

static int raw_probe(const unsigned char *head, size_t n)
{
    (void)head;
    (void)n;
    return 1; /* anything else is read as raw frames; garbage is skipped */
}

static int raw_next(struct analyze_source *s, struct rs_frame *out)
{
    for (;;) {
        while (s->pos < s->len) {
            uint8_t b = s->buf[s->pos++];
            s->bytes++;
            int got = rs_decoder_push(&s->dec, b, out);
            if (got)
                s->in_frames += s->bytes - s->seg_start;
            else if (b == 0 && s->bytes - 1 == s->seg_start)
                s->in_frames++; /* a delimiter between frames is not skipped data */
            if (b == 0)
                s->seg_start = s->bytes;
            if (got)
                return 1;
        }
        s->len = fread(s->buf, 1, sizeof s->buf, s->in);
        s->pos = 0;
        if (s->len == 0)
            return ferror(s->in) ? -1 : 0;
    }
}

static int sqlite_probe(const unsigned char *head, size_t n)
{
    return n >= 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

static int sqlite_next(struct analyze_source *s, struct rs_frame *out)
{
    (void)s;
    (void)out;
    return -2; /* session files are read by analyze_session() instead */
}

static const struct source_kind sources[] = {
    { "session", sqlite_probe, sqlite_next },
    { "raw", raw_probe, raw_next },
};

static void help(void)
{
    printf("usage: rollsense analyze FILE [--json] [--config FILE] [--mass KG] [--calf CM]\n"
           "                          [--force-limit N] [--state-every S]\n"
           "\n"
           "Run the detectors over a recording and print what they found: holds with\n"
           "their cues, speed and force bands, dose advice, knee-zone warnings, faults\n"
           "and gaps, then a session summary. FILE is a recorded session (.rsession),\n"
           "or a raw byte stream captured from a roller (or written by rollsense-sim);\n"
           "'-' reads standard input.\n"
           "\n"
           "  --json             one JSON object per line; the last is\n"
           "                     {\"type\":\"summary\",\"frames\":N,...}\n"
           "  --config FILE      thresholds (docs/config.md); default\n"
           "                     $XDG_CONFIG_HOME/rollsense/config if it exists\n"
           "  --mass KG          body mass for %%BW (default 70)\n"
           "  --calf CM          calf length for the knee zone (default 40)\n"
           "  --force-limit N    warn above this total force (default none)\n"
           "  --state-every S    also print the live state (speed, force, position,\n"
           "                     leg, hold) every S seconds of device time\n"
           "\n"
           "Calibration comes from the recording's cal frame when the device reported a\n"
           "saved calibration; otherwise nominal values are used and the summary says\n"
           "\"calibrated\":false. A session file brings its own thresholds, calibration\n"
           "and profile (the options above override them). A damaged session file is\n"
           "analysed as far as it reads, with one line on stderr saying what was lost.\n");
}

static int num_arg(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (*v == '\0' || *end || !(d >= lo && d <= hi)) {
        rs_cli_error("analyze: %s wants a number in %g..%g, got '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = d;
    return 0;
}

static void print_human(const struct rs_event *ev)
{
    const struct rs_hold_info *h = &ev->u.hold;
    printf("%9.3f s  ", ev->t);
    switch (ev->type) {
    case RS_EV_HOLD_START:
        printf("hold %d started at %.2f s on the %s calf, %.1f cm up\n", h->index, h->start_t,
               rs_leg_name(h->leg), h->pos_cm);
        break;
    case RS_EV_HOLD_CUE:
        printf("hold %d: %g s\n", h->index, h->seconds);
        break;
    case RS_EV_HOLD_END:
        printf("hold %d ended: %.1f s, mean %.0f N (%.0f %%BW), peak %.0f N\n", h->index,
               h->seconds, h->mean_n, h->mean_bw, h->peak_n);
        break;
    case RS_EV_SPEED_BAND:
        printf("speed %s (%.1f cm/s)\n", rs_speed_band_name(ev->u.band.band), ev->u.band.value);
        break;
    case RS_EV_FORCE_BAND:
        printf("force %s (%.0f %%BW)%s\n", rs_force_band_name(ev->u.band.band), ev->u.band.value,
               ev->u.band.too_hard ? ": too hard" : "");
        break;
    case RS_EV_DOSE:
        printf("%s\n", ev->u.dose.advice);
        break;
    case RS_EV_KNEE_ZONE:
        printf("%s\n", ev->u.knee.active ? "knee zone: avoid the back of the knee"
                                          : "left the knee zone");
        break;
    case RS_EV_FAULT:
        printf("sensor fault bits now 0x%02x\n", ev->u.fault.bits);
        break;
    case RS_EV_GAP:
        printf("gap: %u frames lost%s\n", ev->u.gap.lost, ev->u.gap.bridged ? " (bridged)" : "");
        break;
    case RS_EV_PASS:
        printf("pass towards the %s: %.1f cm in %.2f s, mean %.2f cm/s, peak %.2f cm/s\n",
               ev->u.pass.dir > 0 ? "knee" : "ankle", ev->u.pass.distance_cm,
               ev->u.pass.end_t - ev->u.pass.start_t, ev->u.pass.mean_cm_s,
               ev->u.pass.peak_cm_s);
        break;
    }
}

static void flush_events(struct rs_events *ev, int json)
{
    char line[512];
    for (size_t i = 0; i < ev->n; i++) {
        if (json)
            puts(rs_event_json(&ev->ev[i], line, sizeof line));
        else
            print_human(&ev->ev[i]);
    }
    rs_events_clear(ev);
}

static void print_summary(const struct rs_summary *sum, int json)
{
    char line[512];
    if (json) {
        puts(rs_summary_json(sum, line, sizeof line));
    } else {
        printf("%u frames (%u lost in %u gaps) over %.1f s%s\n", sum->frames, sum->lost, sum->gaps,
               sum->duration_s, sum->calibrated ? "" : "; not calibrated: nominal values");
        printf("holds: %d left, %d right, %d uncertain; longest %.1f s; peak %.0f %%BW\n",
               sum->holds[RS_LEG_LEFT], sum->holds[RS_LEG_RIGHT], sum->holds[RS_LEG_UNCERTAIN],
               sum->longest_hold_s, sum->peak_bw_pct);
    }
}

/*
 * The live state as one line when its time has come (--state-every S), so
 * speed, force and position can be checked anywhere, not only at band
 * changes. JSON: the session's state line (docs/live-json.md).
 */
static void state_tick(struct rs_state_clock *c, const struct rs_live *L, int json)
{
    if (!rs_state_clock_due(c, L->t))
        return;
    char buf[512];
    if (json)
        puts(rs_session_state_json(L, 0, buf, sizeof buf));
    else
        printf("%9.3f s  state: %.2f cm/s, %.0f N (%.0f %%BW), %.1f cm up, %s%s\n", L->t,
               L->speed_cm_s, L->force_n, L->bw_pct, L->pos_cm, rs_leg_name(L->leg),
               L->hold.active ? ", holding" : "");
}

/* The decoder's account of a raw capture: what it could not use. */
static void print_decoder(const struct analyze_source *src, const struct rs_summary *sum,
                          int json)
{
    const struct rs_decoder_stats *d = &src->dec.stats;
    unsigned long long skipped = (unsigned long long)(src->bytes - src->in_frames);
    if (json) {
        char line[512], extra[320];
        const char *j = rs_summary_json(sum, line, sizeof line);
        size_t n = j ? strlen(j) : 0;
        if (!j || n < 2 || n > sizeof line - 1)
            return;
        line[n - 1] = '\0'; /* reopen the object: the decoder's counts belong to it */
        snprintf(extra, sizeof extra,
                 ",\"decoder\":{\"frames\":%u,\"crc\":%u,\"framing\":%u,\"oversize\":%u,"
                 "\"bad_version\":%u,\"unknown_type\":%u,\"bad_length\":%u,"
                 "\"bytes\":%llu,\"bytes_skipped\":%llu}}",
                 d->frames, d->crc_errors, d->framing_errors, d->oversize, d->bad_version,
                 d->unknown_type, d->bad_length, (unsigned long long)src->bytes, skipped);
        printf("%s%s\n", line, extra);
    } else {
        print_summary(sum, 0);
        printf("decoder: %u frames; %u crc, %u framing, %u oversize, %u bad version, "
               "%u unknown type, %u bad length; %llu of %llu bytes skipped\n",
               d->frames, d->crc_errors, d->framing_errors, d->oversize, d->bad_version,
               d->unknown_type, d->bad_length, skipped, (unsigned long long)src->bytes);
    }
}

/*
 * Open FILE for reading without blocking on a FIFO or a device: only a
 * regular file (or '-' for standard input) is read. NULL with one line
 * written on refusal.
 */
static FILE *open_input(const char *path)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        rs_cli_error("analyze: cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rs_cli_error("analyze: cannot open '%s': not a regular file", path);
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        rs_cli_error("analyze: cannot open '%s': %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

/* A session file: the replay engine without comparing. */
static int analyze_session(const char *path, const struct rs_config *cfg,
                           const struct rs_profile *prof, int json, struct rs_state_clock *clk)
{
    struct rs_replay_opts o;
    rs_replay_opts_default(&o);
    o.cfg = cfg;
    o.mass_kg = prof->body_mass_kg;
    o.calf_cm = prof->calf_length_cm;
    o.force_limit_n = prof->force_limit_n;
    struct rs_replay *rp;
    char msg[600];
    if (rs_replay_open(&rp, path, &o, msg, sizeof msg) < 0) {
        rs_cli_error("analyze: %s: %s", path, msg);
        return RS_EXIT_FAIL;
    }
    /* one pass from start to end: the reading runs ahead on a second thread */
    rs_reader_readahead(rs_replay_reader(rp));
    struct rs_events ev;
    rs_events_clear(&ev);
    while (rs_replay_next(rp, &ev) > 0) {
        flush_events(&ev, json);
        state_tick(clk, rs_pipeline_live(rs_replay_pipeline(rp)), json);
    }
    flush_events(&ev, json);
    const char *damage = rs_reader_damage_message(rs_replay_reader(rp));
    if (damage)
        rs_cli_error("analyze: %s: %s", path, damage);
    struct rs_summary sum;
    rs_session_summary(rs_replay_session(rp), &sum);
    print_summary(&sum, json);
    rs_replay_close(rp);
    return RS_EXIT_OK;
}

/* What the command line asked for; the profile's -1 fields were not given. */
struct analyze_args {
    const char *path, *cfg_path;
    int json;
    struct rs_state_clock clk;
    struct rs_profile prof;
};

/* One option that takes a value, V, into A. 0, or nonzero (line written). */
static int option_value(const char *a, const char *v, struct analyze_args *args)
{
    if (!strcmp(a, "--config")) {
        args->cfg_path = v;
        return 0;
    }
    if (!strcmp(a, "--mass"))
        return num_arg(a, v, RS_PROFILE_MASS_MIN, RS_PROFILE_MASS_MAX, &args->prof.body_mass_kg);
    if (!strcmp(a, "--calf"))
        return num_arg(a, v, RS_PROFILE_CALF_MIN, RS_PROFILE_CALF_MAX,
                       &args->prof.calf_length_cm);
    if (!strcmp(a, "--state-every"))
        return num_arg(a, v, RS_FRAME_PERIOD_S, 3600, &args->clk.every);
    return num_arg(a, v, 0, RS_PROFILE_LIMIT_MAX, &args->prof.force_limit_n);
}

/* Parse the arguments into ARGS: -1 to go on, else the exit code (help, usage). */
static int parse_args(int argc, char **argv, struct analyze_args *args)
{
    *args = (struct analyze_args){ NULL, NULL, 0, { 0, 0 }, { -1, -1, -1 } };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rs_cli_is_help(a)) {
            help();
            return RS_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            args->json = 1;
        } else if (!strcmp(a, "--config") || !strcmp(a, "--mass") || !strcmp(a, "--calf") ||
                   !strcmp(a, "--force-limit") || !strcmp(a, "--state-every")) {
            if (i + 1 >= argc) {
                rs_cli_error("analyze: %s needs a value", a);
                return RS_EXIT_USAGE;
            }
            if (option_value(a, argv[++i], args))
                return RS_EXIT_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            rs_cli_error("analyze: unknown option '%s' (try 'rollsense analyze --help')", a);
            return RS_EXIT_USAGE;
        } else if (args->path) {
            rs_cli_error("analyze: takes one FILE, got '%s' and '%s'", args->path, a);
            return RS_EXIT_USAGE;
        } else {
            args->path = a;
        }
    }
    if (!args->path) {
        rs_cli_error("analyze: missing FILE (try 'rollsense analyze --help')");
        return RS_EXIT_USAGE;
    }
    return -1;
}

/* Fill the profile fields not given (< 0) from the defaults. */
static void profile_fill(struct rs_profile *prof)
{
    struct rs_profile defaults;
    rs_profile_defaults(&defaults);
    if (prof->body_mass_kg < 0)
        prof->body_mass_kg = defaults.body_mass_kg;
    if (prof->calf_length_cm < 0)
        prof->calf_length_cm = defaults.calf_length_cm;
    if (prof->force_limit_n < 0)
        prof->force_limit_n = defaults.force_limit_n;
}

/* Feed one frame to the pipeline (calibration frames included). */
static void push_frame(struct rs_pipeline *p, struct rs_calib *cal, int *cal_state,
                       const struct rs_frame *f, struct rs_events *ev, struct analyze_args *args)
{
    switch (f->type) {
    case RS_FT_SAMPLE:
        rs_pipeline_push(p, &f->u.sample, ev);
        flush_events(ev, args->json);
        state_tick(&args->clk, rs_pipeline_live(p), args->json);
        break;
    case RS_FT_FAULT:
        rs_pipeline_push_fault(p, &f->u.fault, ev);
        break;
    case RS_FT_INFO:
        *cal_state = f->u.info.cal_state;
        break;
    case RS_FT_CAL:
        rs_calib_from_cal(cal, &f->u.cal, *cal_state == RS_CAL_OK);
        rs_pipeline_set_calib(p, cal);
        break;
    default:
        break;
    }
    flush_events(ev, args->json);
}

/* A raw capture through the pipeline; closes SRC->in. The exit code. */
static int analyze_capture(struct analyze_source *src, const struct source_kind *kind,
                           const struct rs_config *cfg, struct analyze_args *args)
{
    profile_fill(&args->prof);
    static struct rs_pipeline p;
    struct rs_calib cal;
    rs_calib_defaults(&cal);
    rs_pipeline_init(&p, cfg, &cal, &args->prof);
    struct rs_events ev;
    rs_events_clear(&ev);
    struct rs_frame f;
    int cal_state = -1, rc;
    while ((rc = kind->next(src, &f)) > 0)
        push_frame(&p, &cal, &cal_state, &f, &ev, args);
    if (src->in != stdin)
        fclose(src->in);
    if (rc < 0) {
        rs_cli_error("analyze: read error on '%s'", args->path);
        return RS_EXIT_FAIL;
    }
    if (src->dec.stats.frames == 0) {
        /* Nothing in it was a roller's frame: a text file, an image, noise. */
        rs_cli_error("analyze: '%s' is neither a session file nor a roller capture "
                     "(no valid frame in %llu bytes)", args->path, (unsigned long long)src->bytes);
        return RS_EXIT_FAIL;
    }
    rs_pipeline_finish(&p, &ev);
    flush_events(&ev, args->json);
    struct rs_summary sum;
    rs_pipeline_summary(&p, &sum);
    print_decoder(src, &sum, args->json);
    return RS_EXIT_OK;
}

int rs_cmd_analyze(int argc, char **argv)
{
    struct analyze_args args;
    int rc = parse_args(argc, argv, &args);
    if (rc >= 0)
        return rc;

    struct rs_config cfg;
    if (rs_cli_load_config("analyze", args.cfg_path, &cfg) != 0)
        return RS_EXIT_USAGE;

    static struct analyze_source src;
    memset(&src, 0, sizeof src);
    src.in = open_input(args.path);
    if (!src.in)
        return RS_EXIT_FAIL;
    rs_decoder_init(&src.dec);
    src.len = fread(src.buf, 1, sizeof src.buf, src.in);
    src.bytes = 0;
    const struct source_kind *kind = NULL;
    for (size_t i = 0; i < sizeof sources / sizeof sources[0] && !kind; i++)
        if (sources[i].probe(src.buf, src.len))
            kind = &sources[i];

    if (kind->next == sqlite_next) {
        if (src.in == stdin) {
            rs_cli_error("analyze: a session file cannot be read from standard input; give its path");
            return RS_EXIT_FAIL;
        }
        fclose(src.in);
        return analyze_session(args.path, args.cfg_path ? &cfg : NULL, &args.prof, args.json,
                               &args.clk);
    }
    return analyze_capture(&src, kind, &cfg, &args);
}
