/*
 * cmd_profile.c - `rollsense calibrate profile`: the user profiles (body
 * mass, calf length, force limit; several, one active), host only
 * (rs_profiles.h). With values as options it sets them; without, it asks
 * one question per field and checks each answer at once against the
 * profile's ranges (rs_profile_check), asking again until it fits. The calf
 * length can be measured by rolling once: the calibration wizard's calf
 * step (rs_calwiz), driven like every other step (rs_calcli_drive).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_calibrate.h"
#include "rs_json.h"
#include "rs_profiles.h"

/* Guided calf length: one roll from the Achilles to just below the knee. */
static int measure_calf(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, double *cm)
{
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return -1;
    if (rs_caldev_info(ss.d)->cal_state != RS_CAL_OK)
        rs_cal_say(u, "note: roller not calibrated; using the nominal radius");
    static struct rs_calwiz wz;
    rs_calcli_wizard(&wz, o, &ss, RS_CW_CALF);
    static const struct rs_calcli_front terminal = { 0 };
    int rc = rs_calcli_drive(u, &ss, &wz, &terminal);
    if (rc == 0)
        *cm = wz.calf_cm;
    rs_caldev_close(ss.d);
    return rc;
}

/* Print prompt and wait for one line; --yes answers Enter. -1 on end of input. */
static int ask(struct rs_calcli_ui *u, const char *prompt, char *line, size_t cap)
{
    rs_cal_say(u, "%s", prompt);
    if (u->o->yes) {
        line[0] = '\0';
        return 0;
    }
    for (;;) {
        int r = rs_cal_take_line(u, line, cap);
        if (r != 0)
            return r > 0 ? 0 : -1;
        rs_cal_fill(u, -1);
    }
}

enum field { F_MASS, F_CALF, F_LIMIT };

static double *field_of(struct rs_profile *p, enum field f)
{
    return f == F_MASS ? &p->body_mass_kg : f == F_CALF ? &p->calf_length_cm : &p->force_limit_n;
}

/*
 * One question for one field of p: Enter keeps the value shown, a number is
 * checked at once against the field's range (the reason is printed and the
 * question asked again), "m" measures the calf when measurable. 0, or -1 on
 * end of input or a failed measurement.
 */
static int ask_field(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, const char *prompt,
                     struct rs_profile *p, enum field f, bool measurable)
{
    char line[64], why[256];
    for (;;) {
        if (ask(u, prompt, line, sizeof line) < 0)
            return -1;
        if (!line[0])
            return 0;
        struct rs_profile trial = *p;
        if (measurable && (!strcmp(line, "m") || !strcmp(line, "M"))) {
            if (measure_calf(u, o, field_of(&trial, f)))
                return -1;
        } else {
            char *end;
            double x = strtod(line, &end);
            if (end == line || *end || !isfinite(x)) {
                rs_cal_say(u, "'%s' is not a number", line);
                continue;
            }
            *field_of(&trial, f) = x;
        }
        if (rs_profile_check(&trial, why, sizeof why) == 0) {
            *p = trial;
            return 0;
        }
        rs_cal_say(u, "%s; try again", why);
    }
}

/* The guided questions, one per field. 0, or -1 (end of input, failure). */
static int ask_all(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, const char *name,
                   struct rs_profile *p)
{
    char prompt[200];
    rs_cal_say(u, "Profile %s: answer each question, or press Enter to keep the value shown.",
               name);
    snprintf(prompt, sizeof prompt, "Body mass in kg, %g-%g [%.1f]:", RS_PROFILE_MASS_MIN,
             RS_PROFILE_MASS_MAX, p->body_mass_kg);
    if (ask_field(u, o, prompt, p, F_MASS, false))
        return -1;
    snprintf(prompt, sizeof prompt,
             "Calf length in cm, Achilles to just below the knee, %g-%g [%.1f] (type m to "
             "measure it by rolling once):", RS_PROFILE_CALF_MIN, RS_PROFILE_CALF_MAX,
             p->calf_length_cm);
    if (ask_field(u, o, prompt, p, F_CALF, true))
        return -1;
    snprintf(prompt, sizeof prompt, "Force limit in N, 0 for none, up to %g [%.0f]:",
             RS_PROFILE_LIMIT_MAX, p->force_limit_n);
    return ask_field(u, o, prompt, p, F_LIMIT, false);
}

static void print_profile(struct rs_calcli_ui *u, const struct rs_profile_entry *e, bool active)
{
    char lim[32];
    if (e->p.force_limit_n > 0)
        snprintf(lim, sizeof lim, "%.0f N", e->p.force_limit_n);
    else
        snprintf(lim, sizeof lim, "none");
    rs_cal_say(u, "%c %-20s body mass %6.1f kg   calf %5.1f cm   force limit %s", active ? '*' : ' ',
               e->name, e->p.body_mass_kg, e->p.calf_length_cm, lim);
}

static int list_profiles(struct rs_calcli_ui *u, const struct rs_calcli_opts *o,
                         const struct rs_profiles *ps)
{
    for (size_t i = 0; o->json && i < ps->n; i++) {
        char buf[256];
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "profile");
        rs_json_str(&j, "name", ps->e[i].name);
        rs_json_bool(&j, "active", (int)i == ps->active);
        rs_json_num(&j, "body_mass_kg", ps->e[i].p.body_mass_kg, 2);
        rs_json_num(&j, "calf_length_cm", ps->e[i].p.calf_length_cm, 2);
        rs_json_num(&j, "force_limit_n", ps->e[i].p.force_limit_n, 1);
        rs_cal_say(u, "%s", rs_json_end(&j));
    }
    if (o->json)
        return RS_EXIT_OK;
    if (ps->n == 0)
        rs_cal_say(u, "no profiles yet; create one with 'rollsense calibrate profile --name NAME'");
    for (size_t i = 0; i < ps->n; i++)
        print_profile(u, &ps->e[i], (int)i == ps->active);
    return RS_EXIT_OK;
}

/* --delete NAME or --use NAME: change the file, say what happened. */
static int remove_or_use(struct rs_calcli_ui *u, const struct rs_calcli_opts *o,
                         struct rs_profiles *ps, const char *path)
{
    char why[512];
    if (o->use && (o->name || o->del)) {
        rs_cli_error("calibrate: --use NAME switches profiles; give it alone");
        return RS_EXIT_USAGE;
    }
    int rc = o->del ? rs_profiles_remove(ps, o->del, why, sizeof why)
                    : rs_profiles_activate(ps, o->use, why, sizeof why);
    if (rc || rs_profiles_save(path, ps, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return RS_EXIT_FAIL;
    }
    if (o->del)
        rs_cal_say(u, "profile %s removed", o->del);
    else
        rs_cal_say(u, "profile %s is now active", o->use);
    return RS_EXIT_OK;
}

/* The values given as options (or measured with --measure-calf) over p;
 * none given: the questions. 0, or an exit code. */
static int fill_profile(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, const char *name,
                        struct rs_profile *p)
{
    bool any = o->have_p_mass || o->have_p_calf || o->have_p_limit || o->measure_calf;
    if (o->have_p_mass)
        p->body_mass_kg = o->p_mass;
    if (o->have_p_calf)
        p->calf_length_cm = o->p_calf;
    if (o->have_p_limit)
        p->force_limit_n = o->p_limit;
    if (!any && ask_all(u, o, name, p)) {
        rs_cli_error("calibrate: end of input before the profile was complete; nothing was saved");
        return RS_EXIT_FAIL;
    }
    if (o->measure_calf && measure_calf(u, o, &p->calf_length_cm))
        return RS_EXIT_FAIL;
    return RS_EXIT_OK;
}

/* Create or update: the named profile, else the active one, else "default". */
static int edit_profile(struct rs_calcli_ui *u, const struct rs_calcli_opts *o,
                        struct rs_profiles *ps, const char *path)
{
    char why[512];
    const char *name = o->name ? o->name : ps->active >= 0 ? ps->e[ps->active].name : "default";
    char name_copy[RS_PROFILE_NAME_MAX];
    snprintf(name_copy, sizeof name_copy, "%s", name);
    if (!rs_profile_name_ok(name_copy) || strcmp(name_copy, name) != 0) {
        rs_cli_error("calibrate: profile name '%s' is not allowed: use 1-%d letters, digits, "
                     "'-', '_' or '.'", name, RS_PROFILE_NAME_MAX - 1);
        return RS_EXIT_USAGE;
    }
    struct rs_profile p;
    int idx = rs_profiles_find(ps, name_copy);
    if (idx < 0)
        rs_profile_defaults(&p);
    else
        p = ps->e[idx].p;
    int rc = fill_profile(u, o, name_copy, &p);
    if (rc)
        return rc;
    if (rs_profile_check(&p, why, sizeof why)) {
        rs_cli_error("calibrate: profile %s: %s", name_copy, why);
        return RS_EXIT_FAIL;
    }
    if (rs_profiles_put(ps, name_copy, &p, why, sizeof why) < 0 ||
        rs_profiles_activate(ps, name_copy, why, sizeof why) ||
        rs_profiles_save(path, ps, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return RS_EXIT_FAIL;
    }
    rs_cal_say(u, "profile %s %s and active; saved in %s", name_copy, idx < 0 ? "created" : "updated",
               path);
    print_profile(u, &ps->e[rs_profiles_find(ps, name_copy)], true);
    rs_cal_say(u, "the next session uses it (every session snapshots the active profile)");
    return RS_EXIT_OK;
}

int rs_calcli_profile(struct rs_calcli_ui *u, const struct rs_calcli_opts *o)
{
    char path[1024], why[512];
    static struct rs_profiles ps;
    if (rs_profiles_path(path, sizeof path) < 0) {
        rs_cli_error("calibrate: the profile file path is too long");
        return RS_EXIT_FAIL;
    }
    if (rs_profiles_load(path, &ps, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return RS_EXIT_FAIL;
    }
    if (o->list)
        return list_profiles(u, o, &ps);
    if (o->del || o->use)
        return remove_or_use(u, o, &ps, path);
    return edit_profile(u, o, &ps, path);
}
