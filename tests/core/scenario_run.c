/* scenario_run.c - see scenario_run.h. Test code: allocation is fine here. */
#include "scenario_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void add_json(struct run_result *r, const char *line)
{
    size_t n = strlen(line);
    if (r->json_len + n + 2 > r->json_cap) {
        r->json_cap = (r->json_cap + n + 2) * 2;
        r->json = realloc(r->json, r->json_cap);
    }
    memcpy(r->json + r->json_len, line, n);
    r->json_len += n;
    r->json[r->json_len++] = '\n';
    r->json[r->json_len] = '\0';
}

static void take_events(struct run_result *r, struct rs_events *evs)
{
    char line[512];
    for (size_t i = 0; i < evs->n; i++) {
        if (r->nev == r->capev) {
            r->capev = r->capev ? r->capev * 2 : 64;
            r->ev = realloc(r->ev, r->capev * sizeof *r->ev);
        }
        r->ev[r->nev++] = evs->ev[i];
        const char *j = rs_event_json(&evs->ev[i], line, sizeof line);
        add_json(r, j ? j : "{\"type\":\"overflow\"}");
    }
    rs_events_clear(evs);
}

struct feeder {
    struct rs_decoder dec;
    struct rs_pipeline *p;
    struct rs_events evs;
};

static void feed(struct feeder *fd, struct run_result *r, const uint8_t *b, size_t n)
{
    struct rs_frame f;
    for (size_t i = 0; i < n; i++)
        if (rs_decoder_push(&fd->dec, b[i], &f) && f.type == RS_FT_SAMPLE) {
            rs_pipeline_push(fd->p, &f.u.sample, &fd->evs);
            take_events(r, &fd->evs);
        }
}

void run_scenario(const struct rs_scenario *scn, const struct rs_config *cfg, size_t chunk,
                  unsigned split_seed, struct run_result *r)
{
    memset(r, 0, sizeof *r);
    static struct rs_pipeline p; /* large: keep it off the stack */
    struct rs_profile prof;
    rs_profile_defaults(&prof);
    prof.body_mass_kg = scn->mass_kg;
    prof.calf_length_cm = scn->calf_cm;
    struct rs_calib cal;
    rs_calib_defaults(&cal);
    rs_pipeline_init(&p, cfg, &cal, &prof);

    struct feeder fd;
    rs_decoder_init(&fd.dec);
    fd.p = &p;
    rs_events_clear(&fd.evs);

    struct rs_sim sim;
    rs_sim_init(&sim, scn);
    struct rs_frame f = { .type = RS_FT_SAMPLE };
    struct rs_sim_truth tr;
    uint8_t wire[RS_WIRE_MAX];
    /* A pending byte buffer for chunked feeding. */
    static uint8_t pend[1 << 16];
    size_t npend = 0;
    unsigned rs = split_seed * 2654435761u + 1;
    size_t want = 1;
    double level = cfg->force_light_pct / 100.0 * scn->mass_kg * 9.80665;
    double last_gap_t = -10;
    double limit_t = scn->loop ? scn->duration : 1e30;
    while (rs_sim_next(&sim, &f.u.sample, &tr)) {
        if (tr.t >= limit_t)
            break;
        if (f.u.sample.seq == 0)
            r->t_offset = tr.t;
        size_t n = rs_frame_encode(&f, wire);
        if (chunk == 0) {
            feed(&fd, r, wire, n);
        } else {
            memcpy(pend + npend, wire, n);
            npend += n;
            while (npend >= want) {
                feed(&fd, r, pend, want);
                memmove(pend, pend + want, npend - want);
                npend -= want;
                rs = rs * 1103515245u + 12345u;
                want = 1 + (rs >> 8) % chunk;
            }
            /* Compare live state only when fully fed (byte-by-byte mode). */
            continue;
        }
        /* Accuracy against truth, on the live state after this frame. */
        const struct rs_live *L = rs_pipeline_live(&p);
        if (tr.dropped_before > 1 || tr.status)
            last_gap_t = tr.t;
        if (tr.st.steady && tr.t - last_gap_t > 0.3 && !tr.status) {
            double err = fabs(L->velocity_cm_s - tr.st.speed_cm_s);
            double lim = fmax(0.05 * fabs(tr.st.speed_cm_s), 0.2);
            r->speed_checked++;
            if (err > lim) {
                r->speed_bad++;
                if (err > r->speed_worst) {
                    r->speed_worst = err;
                    r->speed_worst_t = tr.t;
                }
            }
        }
        if (tr.st.total_n >= level && fabs(tr.st.x_mm) > 30 && !tr.status) {
            enum rs_leg want_leg = tr.st.x_mm > 0 ? RS_LEG_RIGHT : RS_LEG_LEFT;
            r->leg_checked++;
            if (L->leg != want_leg) {
                if (!r->leg_bad)
                    r->leg_bad_t = tr.t;
                r->leg_bad++;
            }
        }
    }
    if (npend)
        feed(&fd, r, pend, npend);
    rs_pipeline_finish(&p, &fd.evs);
    take_events(r, &fd.evs);
    rs_pipeline_summary(&p, &r->sum);
    char line[512];
    add_json(r, rs_summary_json(&r->sum, line, sizeof line));
}

void run_free(struct run_result *r)
{
    free(r->ev);
    free(r->json);
    memset(r, 0, sizeof *r);
}
