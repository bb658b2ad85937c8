/*
 * test_determinism.c - the same frames give the same events whatever the
 * batching: byte chunks of random sizes through the decoder, samples pushed
 * one by one with the event list cleared or not, and a fresh pipeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario_run.h"

static const char *const files[] = {
    "hold_dip_wobble.scn", "dropped_1pct.scn", "noise_hx711.scn", "leg_switch.scn",
    "gap_in_hold.scn", "fault_hx.scn", "clock_wrap.scn",
};

static void load(struct rs_scenario *scn, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", RS_SCENARIO_DIR, file);
    char *text = read_text(path);
    assert_non_null(text);
    char err[256];
    if (rs_scenario_parse(scn, text, path, err, sizeof err))
        fail_msg("%s", err);
    free(text);
}

static void test_byte_splits(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        load(&scn, files[f]);
        struct run_result ref;
        run_scenario(&scn, &cfg, 0, 0, &ref);
        assert_true(ref.nev > 3);
        const size_t chunks[] = { 1, 7, 66, 300, 5000 };
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            for (unsigned seed = 1; seed <= 3; seed++) {
                struct run_result r;
                run_scenario(&scn, &cfg, chunks[c], seed, &r);
                if (r.json_len != ref.json_len || memcmp(r.json, ref.json, r.json_len))
                    fail_msg("%s: chunks up to %zu (seed %u) gave different events", files[f],
                             chunks[c], seed);
                run_free(&r);
            }
        }
        run_free(&ref);
    }
}

/* Samples in batches of random size into one event list, versus one at a time. */
static void test_sample_batches(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    load(&scn, "dropped_1pct.scn");
    static struct rs_sample samples[20000];
    size_t n = 0;
    struct rs_sim sim;
    rs_sim_init(&sim, &scn);
    while (n < 20000 && rs_sim_next(&sim, &samples[n], NULL))
        n++;
    assert_true(n > 5000);

    static struct rs_pipeline a, b;
    rs_pipeline_init(&a, NULL, NULL, NULL);
    rs_pipeline_init(&b, NULL, NULL, NULL);
    static char ja[1 << 20], jb[1 << 20];
    size_t la = 0, lb = 0;
    char line[512];
    struct rs_events ev;
    rs_events_clear(&ev);
    for (size_t i = 0; i < n; i++) {
        rs_pipeline_push(&a, &samples[i], &ev);
        for (size_t k = 0; k < ev.n; k++)
            la += (size_t)snprintf(ja + la, sizeof ja - la, "%s\n",
                                   rs_event_json(&ev.ev[k], line, sizeof line));
        rs_events_clear(&ev);
    }
    unsigned r = 99;
    for (size_t i = 0; i < n;) {
        r = r * 1103515245u + 12345u;
        size_t batch = 1 + (r >> 8) % 6; /* up to 6 samples share one list */
        for (size_t k = 0; k < batch && i < n; k++, i++)
            rs_pipeline_push(&b, &samples[i], &ev);
        for (size_t k = 0; k < ev.n; k++)
            lb += (size_t)snprintf(jb + lb, sizeof jb - lb, "%s\n",
                                   rs_event_json(&ev.ev[k], line, sizeof line));
        assert_int_equal(ev.dropped, 0);
        rs_events_clear(&ev);
    }
    assert_true(la > 100);
    assert_int_equal(la, lb);
    assert_memory_equal(ja, jb, la);
    assert_memory_equal(rs_pipeline_live(&a), rs_pipeline_live(&b), sizeof(struct rs_live));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_splits),
        cmocka_unit_test(test_sample_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
