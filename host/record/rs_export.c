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

    char sp[1024], ep[1024], jp[1024];
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
    struct rs_item it;
    bool have_t0 = false;
    int64_t t0 = 0;
    char iso[64], buf[512];
    while (rs_reader_next(s, &it) > 0) {
        /* time zero: the first sample (frames before it, e.g. the info
         * frame at connection, carry no device time of their own) */
        if (!have_t0 && it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE) {
            t0 = it.dev_us;
            have_t0 = true;
        }
        /* device time relative to the first frame, exact in microseconds */
        int64_t rel = rs_sub_sat(it.dev_us, t0); /* never INT64_MIN: -rel is defined */
        char dt[40];
        snprintf(dt, sizeof dt, "%s%" PRId64 ".%06" PRId64, rel < 0 ? "-" : "",
                 (rel < 0 ? -rel : rel) / 1000000, (rel < 0 ? -rel : rel) % 1000000);
        rs_iso8601(it.host_us, tz, iso, sizeof iso);
        if (it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE) {
            const struct rs_sample *x = &it.frame.u.sample;
            fprintf(fs, "%s,%s,%" PRIu32 ",%" PRIu32 ",%" PRId32 ",%" PRId32 ",%" PRId32 ",%u", iso,
                    dt, x->seq, x->t_us, x->left, x->right, x->enc, (unsigned)x->status);
            if (extra && extra->n) {
                double v[16];
                int ok = extra->fill(extra->ctx, &it, v) == 0;
                for (int i = 0; i < extra->n; i++) {
                    if (ok && isfinite(v[i]))
                        fprintf(fs, ",%.*f", extra->decimals, v[i]);
                    else
                        fputc(',', fs);
                }
            }
            fputc('\n', fs);
            st->samples++;
            continue;
        }
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
