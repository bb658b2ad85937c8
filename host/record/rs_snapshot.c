/*
 * rs_snapshot.c - the pipeline setup stored in a session (thresholds,
 * calibration, profile) and read back for a replay. Numbers are written with
 * 17 significant digits so a double survives the text round trip exactly:
 * a replay must compute bit-identical values to reproduce live's events.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_jsonq.h"
#include "rs_json.h"
#include "rs_record.h"
#include "rs_snapshot.h"

/* An exact double as a JSON number (finite values only; others become 0). */
static void exact_num(struct rs_json *j, const char *key, double v)
{
    char num[40];
    snprintf(num, sizeof num, "%.17g", isfinite(v) ? v : 0.0);
    rs_json_raw(j, key, num);
}

int rs_snapshot_write(struct rs_rec *r, const struct rs_config *cfg, const struct rs_calib *cal,
                      const struct rs_profile *prof, bool first)
{
    char buf[4096];
    struct rs_json j;
    int rc = 0;
    if (cfg) {
        rs_json_begin(&j, buf, sizeof buf);
        for (size_t i = 0; i < rs_config_key_count(); i++) {
            const struct rs_config_key *k = rs_config_key_at(i);
            double v;
            memcpy(&v, (const char *)cfg + k->offset, sizeof v);
            exact_num(&j, k->name, v);
        }
        const char *s = rs_json_end(&j);
        rc = s ? rs_rec_meta(r, "thresholds", s) : RS_REC_EARG;
        if (rc)
            return rc;
    }
    if (cal) {
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_int(&j, "offset_left", cal->offset_left);
        rs_json_int(&j, "offset_right", cal->offset_right);
        exact_num(&j, "scale_left", cal->scale_left);
        exact_num(&j, "scale_right", cal->scale_right);
        rs_json_int(&j, "radius_um", cal->radius_um);
        rs_json_int(&j, "enc_dir", cal->enc_dir);
        rs_json_bool(&j, "calibrated", cal->calibrated);
        const char *s = rs_json_end(&j);
        rc = s ? rs_rec_meta(r, "calibration", s) : RS_REC_EARG;
        if (rc == 0 && first)
            rc = rs_rec_meta(r, "calibration_start", s);
        if (rc)
            return rc;
    }
    if (prof) {
        rs_json_begin(&j, buf, sizeof buf);
        exact_num(&j, "body_mass_kg", prof->body_mass_kg);
        exact_num(&j, "calf_length_cm", prof->calf_length_cm);
        exact_num(&j, "force_limit_n", prof->force_limit_n);
        const char *s = rs_json_end(&j);
        rc = s ? rs_rec_meta(r, "profile", s) : RS_REC_EARG;
    }
    return rc;
}

static bool read_thresholds(const char *json, struct rs_config *cfg)
{
    if (!json)
        return false;
    struct rs_config c;
    rs_config_defaults(&c);
    bool any = false;
    for (size_t i = 0; i < rs_config_key_count(); i++) {
        const struct rs_config_key *k = rs_config_key_at(i);
        double v;
        if (rs_jsonq_num(json, k->name, &v)) {
            memcpy((char *)&c + k->offset, &v, sizeof v);
            any = true;
        }
    }
    char err[256];
    if (!any || rs_config_validate(&c, err, sizeof err) != 0)
        return false;
    *cfg = c;
    return true;
}

static bool read_calibration(struct rs_reader *s, const char *json, struct rs_calib *cal)
{
    double ol, or_, sl, sr, rad, dir;
    if (!json || !rs_jsonq_num(json, "offset_left", &ol) ||
        !rs_jsonq_num(json, "offset_right", &or_) || !rs_jsonq_num(json, "scale_left", &sl) ||
        !rs_jsonq_num(json, "scale_right", &sr) || !rs_jsonq_num(json, "radius_um", &rad) ||
        !rs_jsonq_num(json, "enc_dir", &dir))
        return false;
    if (!(fabs(ol) < 2147483648.0 && fabs(or_) < 2147483648.0 && rad >= 0 && rad < 4294967296.0))
        return false;
    bool calibrated;
    if (!rs_jsonq_bool(json, "calibrated", &calibrated)) {
        /* the recorder's rs_rec_meta_cal form: the device's block; saved when
         * the device said so in its info */
        double st;
        calibrated = rs_jsonq_num(rs_reader_meta(s, "device_info"), "cal_state", &st) &&
                     st == RS_CAL_OK;
        /* the block's scales are floats printed with 6 decimals: back to float,
         * as live got them from the device */
        sl = (float)sl;
        sr = (float)sr;
    }
    cal->offset_left = (int32_t)ol;
    cal->offset_right = (int32_t)or_;
    cal->scale_left = sl;
    cal->scale_right = sr;
    cal->radius_um = (uint32_t)rad;
    cal->enc_dir = dir < 0 ? -1 : 1;
    cal->calibrated = calibrated;
    return true;
}

static bool read_profile(const char *json, struct rs_profile *prof)
{
    if (!json)
        return false;
    bool any = false;
    double v;
    if (rs_jsonq_num(json, "body_mass_kg", &v)) {
        prof->body_mass_kg = v;
        any = true;
    }
    if (rs_jsonq_num(json, "calf_length_cm", &v)) {
        prof->calf_length_cm = v;
        any = true;
    }
    if (rs_jsonq_num(json, "force_limit_n", &v)) {
        prof->force_limit_n = v;
        any = true;
    }
    return any;
}

unsigned rs_snapshot_read(struct rs_reader *s, struct rs_config *cfg, struct rs_calib *cal,
                          struct rs_profile *prof)
{
    unsigned got = 0;
    if (cfg) {
        rs_config_defaults(cfg);
        if (read_thresholds(rs_reader_meta(s, "thresholds"), cfg))
            got |= RS_SNAP_THRESHOLDS;
    }
    if (cal) {
        rs_calib_defaults(cal);
        const char *start = rs_reader_meta(s, "calibration_start");
        if (read_calibration(s, start ? start : rs_reader_meta(s, "calibration"), cal))
            got |= RS_SNAP_CALIBRATION;
    }
    if (prof) {
        rs_profile_defaults(prof);
        if (read_profile(rs_reader_meta(s, "profile"), prof))
            got |= RS_SNAP_PROFILE;
    }
    return got;
}
