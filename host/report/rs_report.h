/*
 * rs_report.h - the session report picture: force and speed over time with
 * the holds shaded, and the calf map per leg, drawn into an SDL software
 * surface (no window, no video driver) and saved as PNG.
 *
 * The drawing takes a plain data struct, so it is testable without a
 * session; rs_report_from_session() fills one from a session file.
 */
#ifndef RS_REPORT_H_INCLUDED
#define RS_REPORT_H_INCLUDED

#include <stddef.h>

struct rs_reader;
struct SDL_Surface;

#define RS_REPORT_WIDTH 1200
#define RS_REPORT_HEIGHT 860
/* Calf map resolution: bins from the ankle (0) to below the knee. */
#define RS_REPORT_BINS 20
/* Most plotted points; longer sessions are averaged into this many. */
#define RS_REPORT_POINTS 1100

enum { RS_REPORT_LEFT = 0, RS_REPORT_RIGHT = 1 };

struct rs_report_hold {
    double start_s, end_s; /* session time, s */
    int leg;               /* RS_REPORT_LEFT / RS_REPORT_RIGHT */
};

struct rs_report_data {
    char title[128];
    char note[192];        /* how the figures were derived (shown small) */
    size_t n;              /* points in the series */
    double t_s[RS_REPORT_POINTS];
    double force_n[RS_REPORT_POINTS];    /* NAN: no data (gap) */
    double speed_cm_s[RS_REPORT_POINTS]; /* NAN: no data */
    double duration_s;
    size_t nholds;
    struct rs_report_hold holds[64];
    /* The guided routine's steps as recorded (routine_step rows: end time,
     * actual_s, kind, leg, count, skipped) and its end (routine_done):
     * routine_done -1 none logged, 0 ended early, 1 completed. */
    int nsteps;
    struct rs_report_step {
        double end_s, actual_s;
        int kind, leg, count; /* enum rs_rv_kind; RS_REPORT_LEFT/RIGHT */
        int skipped;
    } steps[16];
    int routine_done, routine_steps_done;
    /* Force x time (N s) while loaded, per bin and leg: where the work went. */
    double calf_map[2][RS_REPORT_BINS];
};

/* A routine_step or routine_done row (type, JSON) into the report data
 * (ctx); other types are ignored. A rs_replay_on_log callback. */
void rs_report_routine_row(void *ctx, const char *type, const char *json);

/* Plot rectangles (pixels), for drawing and for tests that check pixels. */
struct rs_report_rect { int x, y, w, h; };
extern const struct rs_report_rect rs_report_force_rect, rs_report_speed_rect,
    rs_report_map_rect[2];

/* x pixel of session time t in the plots. */
int rs_report_x(const struct rs_report_data *d, double t_s);

/* Colours (0xRRGGBB) the tests look for. */
#define RS_REPORT_BG 0xFFFFFF
#define RS_REPORT_PLOT_BG 0xF4F4F4
#define RS_REPORT_HOLD_LEFT 0xCFE3FF
#define RS_REPORT_HOLD_RIGHT 0xFFE0C2
#define RS_REPORT_FORCE 0x1F4E9C
#define RS_REPORT_SPEED 0x2E8B3A

/*
 * Draw into a new 32-bit surface (caller frees with SDL_FreeSurface).
 * font_path may be NULL: rs_report_find_font(). Text is left out when no
 * font can be opened. Returns NULL with a message in err on failure.
 */
struct SDL_Surface *rs_report_draw(const struct rs_report_data *d, const char *font_path,
                                   char *err, size_t errcap);

/* Draw and save as PNG. 0, or -1 with a message in err. */
int rs_report_save_png(const struct rs_report_data *d, const char *font_path, const char *png,
                       char *err, size_t errcap);

/*
 * A sans-serif TTF: the answer of `fc-match -f %{file} sans-serif`, else the
 * DejaVu path of Debian's fonts-dejavu-core. NULL if neither exists.
 */
const char *rs_report_find_font(char *buf, size_t cap);

/* The title line from the file's start time, the duration already in d
 * and the holds per leg: "rollsense session DATE TIME   H:MM:SS   L+R holds". */
struct rs_reader_summary;
void rs_report_title(struct rs_report_data *d, const struct rs_reader_summary *sum,
                     unsigned holds_left, unsigned holds_right);

/*
 * Fill d from a session, reading it from the start (two passes: positions,
 * then series). Without the detector core this uses raw counts scaled by
 * the stored calibration snapshot (or nominal scale and the first frame as
 * zero), encoder distance for position and speed, and hold intervals from
 * stored hold_end events; d->note says so. 0, or -1 with err.
 */
int rs_report_from_session(struct rs_reader *s, struct rs_report_data *d, char *err,
                           size_t errcap);

/*
 * Fill d from a replay (host/replay) opened on the session, reading it from
 * the start in one pass: force (total N) and speed (cm/s) as the detector
 * pipeline computed them, averaged per bucket (NAN where no sample: gaps),
 * the holds from its hold_end events (the first 64), and its calf map (force
 * x time per 1 cm, mapped onto RS_REPORT_BINS over the profile's calf
 * length). This is what `rollsense report` draws; rs_report_from_session
 * stays as the approximation that needs no detector core. 0, or -1 with err.
 */
struct rs_replay;
int rs_report_from_replay(struct rs_replay *rp, struct rs_report_data *d, char *err,
                          size_t errcap);

#endif
