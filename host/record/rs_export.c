/*
 * rs_export.c - CSV and JSON export of one session (see rs_export.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_export.h"
#include "rs_json.h"
#include "rs_jsonq.h"
#include "rs_record.h"
#include "rs_record_int.h"
#include "rs_reader.h"
#include "rs_file.h"

static FILE *create(const char *dir, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    return rs_file_fopen_private(path);
}

/* RFC 4180: quote a field, doubling quotes. */
static void csv_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- fast row formatting ------------------------------------------------
 * samples.csv is millions of rows; printf's general number formatting was
 * most of the export's time. These produce exactly the bytes the printf
 * formats named in each comment produce (tests/record compares them over
 * tables of edge cases and random values). */

/* A row being built: at most 16 extra columns of at most 320 bytes each
 * (a %.9f of DBL_MAX) plus the fixed columns. */
struct row {
    char b[8192];
    size_t n;
};

static void put_str(struct row *r, const char *s, size_t len)
{
    memcpy(r->b + r->n, s, len);
    r->n += len;
}

/* "%" PRIu64 */
static void put_u64(struct row *r, uint64_t v)
{
    char t[24];
    int i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_str(r, t + i, sizeof t - (size_t)i);
}

/* "%" PRId64 (also for int32) */
static void put_i64(struct row *r, int64_t v)
{
    if (v < 0) {
        r->b[r->n++] = '-';
        put_u64(r, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(r, (uint64_t)v);
    }
}

/* v zero-padded to width digits ("%0*u" for v < 10^width). */
static void put_padded(struct row *r, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        r->b[r->n + (size_t)i] = (char)('0' + v % 10);
        v /= 10;
    }
    r->n += (size_t)width;
}

/*
 * "%.*f" with decimals in 0..9. The value is scaled by 10^decimals in one
 * correctly rounded multiplication (10^9 is exact), so the scaled double is
 * within half an ulp of the true product; when that product is below 1e12
 * and its fraction is not within 1e-3 of one half, rounding it to the
 * nearest integer is what printf's exact decimal rounding gives. Anything
 * else (huge values, near ties) goes through snprintf itself. Negative
 * values that round to zero keep their sign, as printf prints "-0.000".
 */
static void put_fixed(struct row *r, double v, int decimals)
{
    static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
    double scaled = decimals >= 0 && decimals <= 9 ? fabs(v) * p10[decimals] : INFINITY;
    double whole = floor(scaled), frac = scaled - whole;
    if (!(scaled < 1e12) || fabs(frac - 0.5) < 1e-3) {
        int n = snprintf(r->b + r->n, sizeof r->b - r->n, "%.*f", decimals, v);
        r->n += n < 0 ? 0 : (size_t)n < sizeof r->b - r->n ? (size_t)n : sizeof r->b - r->n - 1;
        return;
    }
    uint64_t n = (uint64_t)whole + (frac > 0.5);
    if (signbit(v))
        r->b[r->n++] = '-';
    uint64_t div = (uint64_t)p10[decimals];
    put_u64(r, n / div);
    if (decimals > 0) {
        r->b[r->n++] = '.';
        put_padded(r, n % div, decimals);
    }
}

/* rs_iso8601 for a run of nearby times: the date and time to the second
 * and the offset are formatted again only when the second changes. */
#define iso_cache rs_export_iso_cache

/* Floor division, as rs_iso8601 rounds times before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static void put_iso(struct row *r, struct iso_cache *c, int64_t host_us, int tz)
{
    int64_t local = rs_add_sat(host_us, (int64_t)(tz < -18 * 3600 || tz > 18 * 3600 ? 0 : tz) * 1000000);
    int64_t sec = floor_div(local, 1000000);
    if (!c->len || sec != c->sec || tz != c->tz) {
        rs_iso8601(host_us, tz, c->text, sizeof c->text);
        c->len = strlen(c->text);
        c->sec = sec;
        c->tz = tz;
    }
    /* "YYYY-MM-DDTHH:MM:SS" then ".uuuuuu" then the offset: splice the
     * microseconds into the cached text when it has that shape */
    const char *dot = c->len > 7 ? memchr(c->text, '.', c->len) : NULL;
    if (!dot || (size_t)(dot - c->text) + 7 > c->len) {
        put_str(r, c->text, c->len);
        return;
    }
    size_t head = (size_t)(dot - c->text) + 1;
    put_str(r, c->text, head);
    put_padded(r, (uint64_t)(local - sec * 1000000), 6);
    put_str(r, c->text + head + 6, c->len - head - 6);
}

size_t rs_export_fixed(double v, int decimals, char *out)
{
    struct row r = { .n = 0 };
    put_fixed(&r, v, decimals);
    memcpy(out, r.b, r.n);
    out[r.n] = '\0';
    return r.n;
}

size_t rs_export_iso(struct rs_export_iso_cache *c, int64_t host_us, int tz, char *out)
{
    struct row r = { .n = 0 };
    put_iso(&r, c, host_us, tz);
    memcpy(out, r.b, r.n);
    out[r.n] = '\0';
    return r.n;
}

/* Device time relative to the first frame, exact in microseconds:
 * "%s%" PRId64 ".%06" PRId64 with the sign of rel. */
static void put_reltime(struct row *r, int64_t rel)
{
    uint64_t a = rel < 0 ? (uint64_t)0 - (uint64_t)rel : (uint64_t)rel;
    if (rel < 0)
        r->b[r->n++] = '-';
    put_u64(r, a / 1000000);
    r->b[r->n++] = '.';
    put_padded(r, a % 1000000, 6);
}

/* One samples.csv row, newline included. */
static void sample_row(struct row *r, struct iso_cache *ic, const struct rs_item *it, int64_t rel,
                       int tz, const struct rs_export_columns *extra)
{
    const struct rs_sample *x = &it->frame.u.sample;
    r->n = 0;
    put_iso(r, ic, it->host_us, tz);
    r->b[r->n++] = ',';
    put_reltime(r, rel);
    const int64_t ints[] = { x->seq, x->t_us, x->left, x->right, x->enc, x->status };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        r->b[r->n++] = ',';
        put_i64(r, ints[i]);
    }
    if (extra && extra->n) {
        double v[16];
        int ok = extra->fill(extra->ctx, it, v) == 0;
        for (int i = 0; i < extra->n; i++) {
            r->b[r->n++] = ',';
            if (ok && isfinite(v[i]))
                put_fixed(r, v[i], extra->decimals);
        }
    }
    r->b[r->n++] = '\n';
}

static const char *kind_name(enum rs_item_kind k)
{
    switch (k) {
    case RS_ITEM_GAP: return "gap";
    case RS_ITEM_EVENT: return "event";
    case RS_ITEM_MARK: return "mark";
    default: return "frame";
    }
}

/* Non-sample frames become events.csv rows with a small JSON description. */
static const char *frame_data(const struct rs_frame *fr, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    switch (fr->type) {
    case RS_FT_FAULT:
        rs_json_int(&j, "code", fr->u.fault.code);
        rs_json_int(&j, "active", fr->u.fault.active);
        rs_json_int(&j, "t_us", fr->u.fault.t_us);
        break;
    case RS_FT_INFO: {
        char fw[16];
        snprintf(fw, sizeof fw, "%u.%u.%u", fr->u.info.fw_major, fr->u.info.fw_minor,
                 fr->u.info.fw_patch);
        rs_json_str(&j, "fw", fw);
        rs_json_int(&j, "cal_state", fr->u.info.cal_state);
        rs_json_int(&j, "streaming", fr->u.info.streaming);
        break;
    }
    case RS_FT_CAL:
        rs_json_int(&j, "offset_left", fr->u.cal.offset_left);
        rs_json_int(&j, "offset_right", fr->u.cal.offset_right);
        rs_json_num(&j, "scale_left", fr->u.cal.scale_left, 6);
        rs_json_num(&j, "scale_right", fr->u.cal.scale_right, 6);
        rs_json_int(&j, "radius_um", fr->u.cal.radius_um);
        break;
    case RS_FT_REPLY:
        rs_json_int(&j, "token", fr->u.reply.token);
        rs_json_int(&j, "cmd", fr->u.reply.cmd);
        rs_json_int(&j, "code", fr->u.reply.code);
        break;
    default: break;
    }
    const char *s = rs_json_end(&j);
    return s ? s : "{}";
}

static void put_meta(FILE *f, struct rs_reader *s, const char *key, int *first)
{
    const char *v = rs_reader_meta(s, key);
    fprintf(f, "%s\n  \"%s\": ", *first ? "" : ",", key);
    *first = 0;
    if (!v) {
        fputs("null", f);
    } else if (rs_jsonq_valid(v)) {
        fputs(v, f);
    } else {
        /* damaged stored text: keep it, as a string */
        char buf[256];
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "unparsed", v);
        const char *o = rs_json_end(&j);
        fputs(o ? o : "null", f);
    }
}

static int finish(FILE *f, const char *path, char *msg, size_t cap)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(msg, cap, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

/* summary.json: what was exported, the session summary, its metadata. */
static int write_summary(struct rs_reader *s, const char *session_path, const char *dir,
                         const struct rs_reader_summary *sump, const struct rs_export_stats *st,
                         char *msg, size_t msgcap)
{
    struct rs_reader_summary sum = *sump;
    int tz = sum.tz_offset_s;
    char jp[1024], iso[64], buf[512];
    FILE *fj = create(dir, "summary.json", jp, sizeof jp);
    if (!fj) {
        snprintf(msg, msgcap, "cannot create '%s': %s", jp, strerror(errno));
        return -1;
    }
    char sj[512];
    const char *dmg = rs_reader_damage_message(s);
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "session", session_path ? session_path : "");
    rs_json_str(&j, "started", sum.start_host_us ? rs_iso8601(sum.start_host_us, tz, iso, sizeof iso)
                                                 : "");
    rs_json_int(&j, "tz_offset_s", tz);
    rs_json_bool(&j, "complete", sum.complete);
    rs_json_int(&j, "exported_samples", (long long)st->samples);
    rs_json_int(&j, "exported_events", (long long)st->events);
    if (dmg)
        rs_json_str(&j, "damage", dmg);
    else
        rs_json_raw(&j, "damage", "null");
    const char *head = rs_json_end(&j);
    /* head is a complete object; reopen it to append the nested parts */
    fprintf(fj, "{\n  \"export\": %s", head ? head : "{}");
    fprintf(fj, ",\n  \"summary\": %s",
            rs_reader_summary_json(&sum, sj, sizeof sj) ? sj : "null");
    int first = 0;
    static const char *const keys[] = { "started", "ended", "software", "device_info",
                                         "calibration", "profile", "thresholds" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        put_meta(fj, s, keys[i], &first);
    fputs("\n}\n", fj);
    return finish(fj, jp, msg, msgcap);
}

int rs_export_csv(struct rs_reader *s, const char *session_path, const char *dir,
                  const struct rs_export_columns *extra, struct rs_export_stats *st, char *msg,
                  size_t msgcap)
{
    struct rs_export_stats local = { 0, 0 };
    if (!st)
        st = &local;
    *st = local;
    if (extra && (extra->n < 0 || extra->n > 16 || !extra->fill)) {
        snprintf(msg, msgcap, "bad extra column set");
        return -1;
    }
    int rc = rs_rec_mkdirs(dir);
    if (rc) {
        snprintf(msg, msgcap, "cannot create directory '%s': %s", dir, strerror(-rc));
        return -1;
    }
    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    int tz = sum.tz_offset_s;

    char sp[1024], ep[1024];
    FILE *fs = create(dir, "samples.csv", sp, sizeof sp);
    FILE *fe = fs ? create(dir, "events.csv", ep, sizeof ep) : NULL;
    if (!fs || !fe) {
        snprintf(msg, msgcap, "cannot create '%s': %s", fs ? ep : sp, strerror(errno));
        if (fs)
            fclose(fs);
        return -1;
    }
    fputs(RS_EXPORT_SAMPLES_HEADER, fs);
    for (int i = 0; extra && i < extra->n; i++)
        fprintf(fs, ",%s", extra->headers[i]);
    fputc('\n', fs);
    fputs(RS_EXPORT_EVENTS_HEADER "\n", fe);

    rs_reader_seek(s, INT64_MIN);
    /* one pass from start to end: the reading runs ahead on a second thread */
    rs_reader_readahead(s);
    struct rs_item it;
    bool have_t0 = false;
    int64_t t0 = 0;
    char iso[64], buf[512];
    struct row row;
    struct iso_cache ic = { .len = 0 };
    /* large stdio buffers: the rows are written a few bytes at a time */
    setvbuf(fs, NULL, _IOFBF, 1 << 20);
    while (rs_reader_next(s, &it) > 0) {
        /* time zero: the first sample (frames before it, e.g. the info
         * frame at connection, carry no device time of their own) */
        if (!have_t0 && it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE) {
            t0 = it.dev_us;
            have_t0 = true;
        }
        /* device time relative to the first frame, exact in microseconds */
        int64_t rel = rs_sub_sat(it.dev_us, t0); /* never INT64_MIN: -rel is defined */
        if (it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE) {
            sample_row(&row, &ic, &it, rel, tz, extra);
            fwrite(row.b, 1, row.n, fs);
            st->samples++;
            continue;
        }
        char dt[40];
        snprintf(dt, sizeof dt, "%s%" PRId64 ".%06" PRId64, rel < 0 ? "-" : "",
                 (rel < 0 ? -rel : rel) / 1000000, (rel < 0 ? -rel : rel) % 1000000);
        rs_iso8601(it.host_us, tz, iso, sizeof iso);
        const char *data = it.kind == RS_ITEM_FRAME ? frame_data(&it.frame, buf, sizeof buf)
                                                    : it.json;
        fprintf(fe, "%s,%s,%s,", iso, dt, kind_name(it.kind));
        csv_quoted(fe, it.type ? it.type : "");
        fputc(',', fe);
        csv_quoted(fe, data ? data : "");
        fputc('\n', fe);
        st->events++;
    }
    /* '|' not '||': both files must be closed whatever the first one did */
    if (finish(fs, sp, msg, msgcap) | finish(fe, ep, msg, msgcap))
        return -1;

    return write_summary(s, session_path, dir, &sum, st, msg, msgcap);
}
