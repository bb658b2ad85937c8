/*
 * rs_event.c - names and JSON of events and the session summary. The field
 * names are an interface (docs/detection.md): scripts and tests read them.
 */
#include <stdio.h>

#include "rs_json.h"
#include "rs_pipeline.h"

const char *rs_event_type_name(enum rs_event_type t)
{
    switch (t) {
    case RS_EV_HOLD_START: return "hold_start";
    case RS_EV_HOLD_CUE: return "hold_cue";
    case RS_EV_HOLD_END: return "hold_end";
    case RS_EV_SPEED_BAND: return "speed_band";
    case RS_EV_FORCE_BAND: return "force_band";
    case RS_EV_DOSE: return "dose";
    case RS_EV_KNEE_ZONE: return "knee_zone";
    case RS_EV_FAULT: return "fault";
    case RS_EV_GAP: return "gap";
    case RS_EV_PASS: return "pass";
    }
    return "unknown";
}

const char *rs_leg_name(enum rs_leg leg)
{
    return leg == RS_LEG_LEFT ? "left" : leg == RS_LEG_RIGHT ? "right" : "uncertain";
}

const char *rs_speed_band_name(int band)
{
    static const char *const n[] = { "none", "still", "slow", "brisk", "too_fast" };
    return band >= 0 && band < 5 ? n[band] : "unknown";
}

const char *rs_force_band_name(int band)
{
    static const char *const n[] = { "none", "light", "moderate", "typical",
                                     "high", "no_extra_benefit", "overload" };
    return band >= 0 && band < 7 ? n[band] : "unknown";
}

static const char *end_reason_name(int r)
{
    static const char *const n[] = { "moved", "released", "gap", "fault", "end_of_data" };
    return r >= 0 && r < 5 ? n[r] : "unknown";
}

static const char *dose_kind_name(int k)
{
    static const char *const n[] = { "holds", "switch_calf", "stop" };
    return k >= 0 && k < 3 ? n[k] : "unknown";
}

static const char *gap_source_name(int s)
{
    static const char *const n[] = { "sequence", "host", "device_reset" };
    return s >= 0 && s < 3 ? n[s] : "unknown";
}

/* Status bits as a JSON array of names. */
static void fault_list(char *buf, size_t cap, uint16_t bits)
{
    static const char *const names[] = { "hx_left", "hx_right", "magnet", "enc_parity",
                                         "enc_error", "cal_default", "overflow", "wdt_reset" };
    size_t n = 0;
    n += (size_t)snprintf(buf, cap, "[");
    int first = 1;
    for (int i = 0; i < 8; i++)
        if (bits & (1u << i)) {
            n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s\"%s\"", first ? "" : ",",
                                  names[i]);
            first = 0;
        }
    if (n < cap)
        snprintf(buf + n, cap - n, "]");
}

static void hold_fields(struct rs_json *j, const struct rs_hold_info *h)
{
    rs_json_int(j, "index", h->index);
    rs_json_num(j, "start", h->start_t, 4);
    rs_json_str(j, "leg", rs_leg_name(h->leg));
    rs_json_num(j, "pos_cm", h->pos_cm, 1);
    rs_json_num(j, "x_mm", h->x_mm, 1);
}

const char *rs_event_json(const struct rs_event *ev, char *buf, size_t cap)
{
    struct rs_json j;
    char list[128];
    rs_json_begin(&j, buf, cap);
    rs_json_str(&j, "type", rs_event_type_name(ev->type));
    rs_json_num(&j, "t", ev->t, 4);
    switch (ev->type) {
    case RS_EV_HOLD_START:
        hold_fields(&j, &ev->u.hold);
        rs_json_num(&j, "seconds", ev->u.hold.seconds, 3);
        rs_json_num(&j, "mean_n", ev->u.hold.mean_n, 1);
        rs_json_num(&j, "mean_bw_pct", ev->u.hold.mean_bw, 1);
        break;
    case RS_EV_HOLD_CUE:
        rs_json_int(&j, "seconds", (long long)ev->u.hold.seconds);
        hold_fields(&j, &ev->u.hold);
        break;
    case RS_EV_HOLD_END:
        hold_fields(&j, &ev->u.hold);
        rs_json_num(&j, "end", ev->u.hold.end_t, 4);
        rs_json_num(&j, "duration", ev->u.hold.seconds, 3);
        rs_json_num(&j, "mean_n", ev->u.hold.mean_n, 1);
        rs_json_num(&j, "peak_n", ev->u.hold.peak_n, 1);
        rs_json_num(&j, "mean_bw_pct", ev->u.hold.mean_bw, 1);
        rs_json_num(&j, "peak_bw_pct", ev->u.hold.peak_bw, 1);
        rs_json_num(&j, "lost_s", ev->u.hold.lost_s, 3);
        rs_json_str(&j, "reason", end_reason_name(ev->u.hold.reason));
        break;
    case RS_EV_SPEED_BAND:
        rs_json_str(&j, "band", rs_speed_band_name(ev->u.band.band));
        rs_json_str(&j, "prev", rs_speed_band_name(ev->u.band.prev));
        rs_json_num(&j, "speed_cm_s", ev->u.band.value, 2);
        break;
    case RS_EV_FORCE_BAND:
        rs_json_str(&j, "band", rs_force_band_name(ev->u.band.band));
        rs_json_str(&j, "prev", rs_force_band_name(ev->u.band.prev));
        rs_json_num(&j, "bw_pct", ev->u.band.value, 1);
        rs_json_bool(&j, "too_hard", ev->u.band.too_hard);
        break;
    case RS_EV_DOSE:
        rs_json_str(&j, "reason", dose_kind_name(ev->u.dose.kind));
        rs_json_str(&j, "leg", rs_leg_name(ev->u.dose.leg));
        rs_json_int(&j, "holds", ev->u.dose.holds);
        rs_json_num(&j, "minutes", ev->u.dose.minutes, 2);
        rs_json_str(&j, "advice", ev->u.dose.advice ? ev->u.dose.advice : "");
        break;
    case RS_EV_KNEE_ZONE:
        rs_json_bool(&j, "active", ev->u.knee.active);
        rs_json_str(&j, "leg", rs_leg_name(ev->u.knee.leg));
        rs_json_num(&j, "pos_cm", ev->u.knee.pos_cm, 1);
        if (ev->u.knee.active)
            rs_json_str(&j, "advice", "avoid the back of the knee");
        break;
    case RS_EV_FAULT:
        fault_list(list, sizeof list, ev->u.fault.set);
        rs_json_raw(&j, "set", list);
        fault_list(list, sizeof list, ev->u.fault.cleared);
        rs_json_raw(&j, "cleared", list);
        fault_list(list, sizeof list, ev->u.fault.bits);
        rs_json_raw(&j, "active", list);
        break;
    case RS_EV_GAP:
        rs_json_str(&j, "source", gap_source_name(ev->u.gap.source));
        rs_json_int(&j, "lost", ev->u.gap.lost);
        rs_json_num(&j, "seconds", ev->u.gap.seconds, 4);
        rs_json_bool(&j, "bridged", ev->u.gap.bridged);
        break;
    case RS_EV_PASS:
        rs_json_str(&j, "leg", rs_leg_name((enum rs_leg)ev->u.pass.leg));
        rs_json_num(&j, "start", ev->u.pass.start_t, 4);
        rs_json_num(&j, "end", ev->u.pass.end_t, 4);
        rs_json_num(&j, "distance_cm", ev->u.pass.distance_cm, 2);
        rs_json_num(&j, "mean_cm_s", ev->u.pass.mean_cm_s, 3);
        rs_json_num(&j, "peak_cm_s", ev->u.pass.peak_cm_s, 3);
        rs_json_str(&j, "direction", ev->u.pass.dir > 0 ? "knee" : "ankle");
        break;
    }
    return rs_json_end(&j);
}

const char *rs_summary_json(const struct rs_summary *s, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    rs_json_str(&j, "type", "summary");
    rs_json_int(&j, "frames", s->frames);
    rs_json_int(&j, "lost", s->lost);
    rs_json_int(&j, "gaps", s->gaps);
    rs_json_num(&j, "lost_s", s->lost_s, 3);
    rs_json_num(&j, "hold_lost_s", s->hold_lost_s, 3);
    rs_json_num(&j, "duration", s->duration_s, 3);
    rs_json_int(&j, "holds_left", s->holds[RS_LEG_LEFT]);
    rs_json_int(&j, "holds_right", s->holds[RS_LEG_RIGHT]);
    rs_json_int(&j, "holds_uncertain", s->holds[RS_LEG_UNCERTAIN]);
    rs_json_num(&j, "longest_hold", s->longest_hold_s, 3);
    rs_json_num(&j, "peak_bw_pct", s->peak_bw_pct, 1);
    rs_json_num(&j, "time_left_s", s->calf_time_s[RS_LEG_LEFT], 1);
    rs_json_num(&j, "time_right_s", s->calf_time_s[RS_LEG_RIGHT], 1);
    rs_json_int(&j, "fault_events", s->fault_events);
    rs_json_num(&j, "autozero_left_n", s->zero_left_n, 2);
    rs_json_num(&j, "autozero_right_n", s->zero_right_n, 2);
    rs_json_bool(&j, "calibrated", s->calibrated);
    return rs_json_end(&j);
}
