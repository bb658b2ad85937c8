/*
 * test_readahead.c - the session reader reading ahead (rs_reader_readahead:
 * the frames stepped by scan workers, rs_scan.h) delivers exactly what the
 * plain reader delivers: every item (kind, ids, times, frame bytes, type
 * and JSON text) in the same order, the same end, and the same damage
 * counters after every item, over whole, truncated, damaged and growing
 * session files, with the calls that use the database (log, span,
 * summary) and seeks in between. Nothing is timed: the two item streams
 * are compared, so the test is the same however the threads are
 * scheduled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "rs_scan.h"
#include "rs_record.h"
#include "rs_reader.h"
#include "test_util.h"

#define T0_US 1763745656000000LL


static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *e = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK)
        fail_msg("%s: %s", sql, e);
    sqlite3_close(db);
}

/*
 * N sample frames with log rows all through: an event every 7 frames (its
 * JSON made 8000-8200 characters long every 50th, more than the recorder
 * writes but what a file may hold), a mark every 301, a host gap every
 * 997, a sequence gap and a fault frame. N above 4 * RS_SCAN_CHUNK gives
 * the reader chunks taken from the workers after the first and before the
 * open-ended last (their buffers going round is test_scan's).
 */
static void record(const char *path, uint32_t n)
{
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, path, T0_US, 3600, err, sizeof err), 0);
    assert_int_equal(rs_rec_meta(r, "profile", "{\"body_mass_kg\":70}"), 0);
    char json[128];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t seq = i >= 1000 ? i + 3 : i;
        struct rs_frame f = rs_test_sample(seq);
        int64_t host = T0_US + (int64_t)seq * 12500;
        assert_int_equal(rs_rec_frame(r, host, &f), 0);
        if (i % 7 == 3) {
            size_t pad = i % 40;
            int k = snprintf(json, sizeof json, "{\"i\":%u,\"pad\":\"", i);
            memset(json + k, 'a' + (int)(i % 26), pad);
            snprintf(json + k + pad, sizeof json - (size_t)k - pad, "\"}");
            assert_int_equal(rs_rec_event(r, host, -1, "hold_cue", json), 0);
        }
        if (i % 301 == 0)
            assert_int_equal(rs_rec_mark(r, host, "spot"), 0);
        if (i % 997 == 500)
            assert_int_equal(rs_rec_gap(r, host, "unplugged"), 0);
        if (i == 2222) {
            struct rs_frame fault = { .type = RS_FT_FAULT };
            fault.u.fault.code = RS_FAULT_MAGNET;
            fault.u.fault.active = 1;
            assert_int_equal(rs_rec_frame(r, host, &fault), 0);
        }
    }
    assert_int_equal(rs_rec_close(r, T0_US + (int64_t)n * 12500, NULL), 0);
    exec_sql(path, "UPDATE log SET data = '{\"pad\":\"' || hex(zeroblob(4000 + id % 100))"
                   " || '\"}' WHERE id % 50 = 3");
}

/* One delivered item and the damage counters right after it. */
struct rec {
    int got; /* rs_reader_next's result */
    struct rs_item it;
    uint8_t raw[RS_FRAME_MAX];
    char type[128];
    char *json;
    struct rs_reader_damage d;
};

struct stream {
    struct rec *r;
    size_t n, cap;
    char damage[640];
    long logged;
};

static void keep(struct stream *st, int got, const struct rs_item *it, struct rs_reader *s)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 4096;
        st->r = realloc(st->r, st->cap * sizeof *st->r);
        assert_non_null(st->r);
    }
    struct rec *r = &st->r[st->n++];
    memset(r, 0, sizeof *r);
    r->got = got;
    if (got > 0) {
        r->it = *it;
        assert_true(it->raw_len <= RS_FRAME_MAX);
        if (it->raw)
            memcpy(r->raw, it->raw, it->raw_len);
        snprintf(r->type, sizeof r->type, "%s", it->type ? it->type : "(null)");
        r->json = strdup(it->json ? it->json : "(null)");
    }
    rs_reader_get_damage(s, &r->d);
}

static void stream_free(struct stream *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->r[i].json);
    free(st->r);
    memset(st, 0, sizeof *st);
}

static void count_item(void *ctx, const struct rs_item *it)
{
    (void)it;
    ++*(long *)ctx;
}

/* What a caller does between items: at item 1500 the database calls (log,
 * span, summary), at 2100 a seek back to device time SEEK_US, at 6000 a
 * seek forward past a stretch. 0: nothing, read straight through. */
enum mode { STRAIGHT = 0, CALLS = 1, SEEKS = 2 };

static void between(struct rs_reader *s, struct stream *st, enum mode m, size_t k)
{
    if (m == CALLS && (k == 1500 || k == 5)) {
        st->logged += rs_reader_log(s, count_item, &st->logged);
        uint64_t frames;
        int64_t a, b;
        rs_reader_span(s, &frames, &a, &b);
        struct rs_reader_summary sum;
        rs_reader_summary(s, &sum);
        st->logged += (long)frames;
    }
    if (m == SEEKS && k == 2100)
        rs_reader_seek(s, 12500LL * 700);
    if (m == SEEKS && k == 6000)
        rs_reader_seek(s, 12500LL * 7000);
}

/* Read the session at PATH to the end, with or without read-ahead; every
 * item and the damage after it into ST. The result of the open. */
static int read_all(const char *path, bool ra, enum mode m, struct stream *st)
{
    memset(st, 0, sizeof *st);
    struct rs_reader *s;
    char msg[512];
    int rc = rs_reader_open(&s, path, msg, sizeof msg);
    if (rc != 0)
        return rc;
    if (ra)
        assert_int_equal(rs_reader_readahead(s), 0);
    struct rs_item it;
    int got;
    size_t k = 0;
    do {
        between(s, st, m, k++);
        got = rs_reader_next(s, &it);
        keep(st, got, &it, s);
    } while (got > 0 && k < 200000);
    /* after the end: the end again, nothing changes */
    got = rs_reader_next(s, &it);
    keep(st, got, &it, s);
    const char *d = rs_reader_damage_message(s);
    snprintf(st->damage, sizeof st->damage, "%s", d ? d : "");
    rs_reader_close(s);
    return 0;
}

/* The session at PATH opened, reading ahead if RA. */
static struct rs_reader *open_reader(const char *path, int ra)
{
    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, path, NULL, 0), 0);
    if (ra)
        assert_int_equal(rs_reader_readahead(s), 0);
    return s;
}

static bool same_damage(const struct rs_reader_damage *a, const struct rs_reader_damage *b)
{
    return a->bad_frames == b->bad_frames && a->bad_rows == b->bad_rows &&
           a->lost_rows == b->lost_rows && a->corrupt_regions == b->corrupt_regions &&
           a->meta_lost == b->meta_lost && a->truncated_bytes == b->truncated_bytes;
}

static void expect_same(const char *what, const struct stream *a, const struct stream *b)
{
    if (a->n != b->n)
        fail_msg("%s: %zu items plain, %zu with read-ahead", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct rec *x = &a->r[i], *y = &b->r[i];
        bool same = x->got == y->got && x->it.kind == y->it.kind && x->it.id == y->it.id &&
                    x->it.host_us == y->it.host_us && x->it.dev_us == y->it.dev_us &&
                    x->it.raw_len == y->it.raw_len && !memcmp(x->raw, y->raw, x->it.raw_len) &&
                    x->it.frame.type == y->it.frame.type &&
                    !memcmp(&x->it.frame.u.sample, &y->it.frame.u.sample,
                            sizeof x->it.frame.u.sample) &&
                    !strcmp(x->type, y->type) && !strcmp(x->json ? x->json : "",
                                                          y->json ? y->json : "");
        if (!same)
            fail_msg("%s: item %zu differs: kind %d/%d id %lld/%lld type %s/%s", what, i,
                     x->it.kind, y->it.kind, (long long)x->it.id, (long long)y->it.id, x->type,
                     y->type);
        if (!same_damage(&x->d, &y->d))
            fail_msg("%s: damage after item %zu differs: bad frames %llu/%llu, rows %llu/%llu, "
                     "lost %llu/%llu, regions %llu/%llu", what, i,
                     (unsigned long long)x->d.bad_frames, (unsigned long long)y->d.bad_frames,
                     (unsigned long long)x->d.bad_rows, (unsigned long long)y->d.bad_rows,
                     (unsigned long long)x->d.lost_rows, (unsigned long long)y->d.lost_rows,
                     (unsigned long long)x->d.corrupt_regions,
                     (unsigned long long)y->d.corrupt_regions);
    }
    if (strcmp(a->damage, b->damage) != 0 || a->logged != b->logged)
        fail_msg("%s: damage '%s' / '%s', %ld / %ld logged", what, a->damage, b->damage,
                 a->logged, b->logged);
}

/* Plain and read-ahead over PATH (or its image) in every mode; the
 * number of items read straight through and its damage message. */
static size_t compare_all(const char *what, const char *path,
                          char *damage, size_t cap)
{
    size_t items = 0;
    for (int m = STRAIGHT; m <= SEEKS; m++) {
        struct stream a, b;
        int ra = read_all(path, false, (enum mode)m, &a);
        int rb = read_all(path, true, (enum mode)m, &b);
        assert_int_equal(ra, rb);
        char w[256];
        snprintf(w, sizeof w, "%s, mode %d", what, m);
        expect_same(w, &a, &b);
        if (m == STRAIGHT) {
            items = a.n;
            if (damage)
                snprintf(damage, cap, "%s", a.damage);
        }
        stream_free(&a);
        stream_free(&b);
    }
    return items;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    unsigned char *img = malloc((size_t)sb.st_size + 1);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(img, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
    fclose(f);
    *n = (size_t)sb.st_size;
    return img;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void test_whole_session(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 40000);
    char damage[640];
    size_t items = compare_all("whole", fx->path, damage, sizeof damage);
    assert_string_equal(damage, "");
    /* the samples, a fault frame, the log rows, the end twice */
    assert_true(items > 40000 + 5000);
    _Static_assert(40000 > 4 * RS_SCAN_CHUNK, "whole chunks between the first and the last");
}

/* Frames failing their checksum, alternating with good ones (many damage
 * changes per block), and log rows with impossible kinds. */
static void test_bad_frames_and_rows(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 6000);
    exec_sql(fx->path,
             "UPDATE frames SET raw = X'0102030405060708' WHERE id % 2 = 0 AND id BETWEEN 100 AND 400;"
             "UPDATE frames SET raw = X'01' WHERE id BETWEEN 3000 AND 3100;"
             "UPDATE log SET kind = 9 WHERE id % 5 = 0;");
    char damage[640];
    compare_all("bad frames and rows", fx->path, damage, sizeof damage);
    assert_non_null(strstr(damage, "252 frames failed the checksum"));
    assert_non_null(strstr(damage, "unreadable event/meta row"));
}

/* Store RAW (N bytes) as frame ID's bytes. */
static void set_raw(const char *path, int id, const uint8_t *raw, int n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE frames SET raw = ?1 WHERE id = ?2", -1, &st,
                                        NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, raw, n, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, id);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A frame longer than RS_FRAME_MAX with a good checksum (v1 accepts longer
 * bodies) is refused as bad, not copied; a bad log row at the end of the
 * log is counted once however often the session is read again. */
static void test_oversize_frame_and_reread(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 3000);
    uint8_t big[RS_FRAME_MAX + 6];
    struct rs_frame f = rs_test_sample(40);
    size_t n = rs_frame_pack(&f, big);
    assert_true(n >= 6);
    memset(big + n - 4, 0x5a, sizeof big - (n - 4)); /* a longer body */
    uint32_t crc = rs_crc32(0, big, sizeof big - 4);
    for (int k = 0; k < 4; k++)
        big[sizeof big - 4 + (size_t)k] = (uint8_t)(crc >> 8 * k);
    set_raw(fx->path, 42, big, (int)sizeof big);
    exec_sql(fx->path, "UPDATE log SET kind = 9 WHERE id = (SELECT max(id) FROM log)");
    char damage[640];
    compare_all("oversize frame", fx->path, damage, sizeof damage);
    assert_non_null(strstr(damage, "1 frame failed the checksum"));
    for (int ra = 0; ra < 2; ra++) {
        struct rs_reader *s = open_reader(fx->path, ra);
        struct rs_item it;
        struct rs_reader_damage d1, d2;
        while (rs_reader_next(s, &it) > 0)
            ;
        rs_reader_get_damage(s, &d1);
        rs_reader_seek(s, INT64_MIN);
        while (rs_reader_next(s, &it) > 0)
            ;
        rs_reader_get_damage(s, &d2);
        assert_int_equal(d1.bad_rows, 1);
        assert_int_equal(d2.bad_rows, 1);
        assert_int_equal(d2.bad_frames, 1);
        rs_reader_close(s);
    }
}

/* Cut short and scrambled: corrupt regions, lost rows, truncation. */
static void test_truncated_and_scrambled(void **state)
{
    struct rs_test_fixture *fx = *state;
    char src[600], p[640];
    snprintf(src, sizeof src, "%s/src.rsession", fx->dir);
    record(src, 9000);
    exec_sql(src, "PRAGMA journal_mode=DELETE;");
    size_t size;
    unsigned char *img = slurp(src, &size);
    unsigned seed = 777;
    int regions = 0, truncated = 0;
    for (int round = 0; round < 16; round++) {
        unsigned char *copy = malloc(size);
        memcpy(copy, img, size);
        size_t n = size;
        if (round < 6) {
            n = size * (size_t)(round + 2) / 9;
        } else {
            for (int k = 0; k < 2 + round % 5; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = 4096 + seed % (unsigned)(size - 4096);
                copy[at] ^= (unsigned char)(1u << (seed >> 16) % 8);
            }
        }
        snprintf(p, sizeof p, "%s/d%d.rsession", fx->dir, round);
        write_file(p, copy, n);
        char what[64];
        snprintf(what, sizeof what, "damaged %d", round);
        char damage[640];
        compare_all(what, p, damage, sizeof damage);
        regions += strstr(damage, "corrupt region") != NULL;
        truncated += strstr(damage, "truncated") != NULL;
        if (getenv("RS_TEST_VERBOSE"))
            print_message("round %d: %s\n", round, damage);
        free(copy);
    }
    free(img);
    /* the damage the comparison went through */
    assert_true(regions >= 3 && truncated >= 5);
}

/* The read-ahead switched on after some items were read plainly, and a
 * reader closed while its thread is running ahead. */
static void test_start_late_close_early(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 7000);
    struct stream a, b;
    read_all(fx->path, false, STRAIGHT, &a);
    memset(&b, 0, sizeof b);
    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, fx->path, NULL, 0), 0);
    struct rs_item it;
    int got;
    for (int i = 0; i < 333; i++) {
        got = rs_reader_next(s, &it);
        keep(&b, got, &it, s);
    }
    assert_int_equal(rs_reader_readahead(s), 0);
    assert_int_equal(rs_reader_readahead(s), 0); /* twice is once */
    do {
        got = rs_reader_next(s, &it);
        keep(&b, got, &it, s);
    } while (got > 0);
    got = rs_reader_next(s, &it);
    keep(&b, got, &it, s);
    rs_reader_close(s);
    expect_same("started late", &a, &b);
    stream_free(&a);
    stream_free(&b);
    for (int k = 0; k < 20; k++) {
        assert_int_equal(rs_reader_open(&s, fx->path, NULL, 0), 0);
        assert_int_equal(rs_reader_readahead(s), 0);
        for (int i = 0; i < k * 97; i++)
            assert_int_equal(rs_reader_next(s, &it), 1);
        rs_reader_close(s); /* joins the thread; ASan and TSan check the rest */
    }
}

/* Frames added after the readers opened, more than a scan worker holds
 * for the open last chunk: read to the new end, the same either way. */
static void test_grown_after_open(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 3000);
    struct rs_reader *s[2];
    struct stream st[2];
    for (int i = 0; i < 2; i++) {
        memset(&st[i], 0, sizeof st[i]);
        assert_int_equal(rs_reader_open(&s[i], fx->path, NULL, 0), 0);
    }
    assert_int_equal(rs_reader_readahead(s[1]), 0);
    exec_sql(fx->path, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                       " WHERE i < 3) INSERT INTO frames(host_us, dev_us, type, raw)"
                       " SELECT host_us, dev_us, type, raw FROM frames, n ORDER BY i, id");
    for (int i = 0; i < 2; i++) {
        struct rs_item it;
        int got;
        do {
            got = rs_reader_next(s[i], &it);
            keep(&st[i], got, &it, s[i]);
        } while (got > 0);
        rs_reader_close(s[i]);
    }
    expect_same("grown after open", &st[0], &st[1]);
    size_t frames = 0;
    for (size_t k = 0; k < st[0].n; k++)
        frames += st[0].r[k].got > 0 && st[0].r[k].it.kind == RS_ITEM_FRAME;
    assert_true(frames > 4 * 3000); /* the rows added were read */
    stream_free(&st[0]);
    stream_free(&st[1]);
}

/* The threads of this process (the entries of /proc/self/task). */
static int threads_now(void)
{
    DIR *d = opendir("/proc/self/task");
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The read-ahead of a file on a machine with two cores runs on other
 * threads: one is alive from the first item until the reader has passed
 * the first chunk (a file of more chunks than the workers have buffers:
 * one waits for the first chunk's buffer), and none once the reader is
 * closed. */
static void test_reads_on_other_threads(void **state)
{
    struct rs_test_fixture *fx = *state;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        skip();
    record(fx->path, (RS_SCAN_READER_BUFS + 1) * RS_SCAN_CHUNK);
    int before = threads_now();
    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, fx->path, NULL, 0), 0);
    assert_int_equal(threads_now(), before);
    assert_int_equal(rs_reader_readahead(s), 0);
    struct rs_item it;
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_true(threads_now() > before);
    rs_reader_close(s);
    assert_int_equal(threads_now(), before);
}

/* A page of frames overwritten with zeros in the middle of the file: the
 * reader counts one corrupt region, skips past it and reads every frame
 * after it to the end. */
static void test_reads_past_a_corrupt_page(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 20000);
    exec_sql(fx->path, "PRAGMA journal_mode=DELETE;");
    size_t n;
    unsigned char *img = slurp(fx->path, &n);
    assert_true(n > 100 * 4096);
    memset(img + (n / 4096 / 2) * 4096, 0, 4096);
    write_file(fx->path, img, n);
    free(img);
    for (int ra = 0; ra < 2; ra++) {
        struct rs_reader *s = open_reader(fx->path, ra);
        struct rs_item it;
        int64_t last = 0;
        long frames = 0;
        while (rs_reader_next(s, &it) > 0)
            if (it.kind == RS_ITEM_FRAME) {
                last = it.id;
                frames++;
            }
        struct rs_reader_damage d;
        rs_reader_get_damage(s, &d);
        rs_reader_close(s);
        assert_int_equal(d.corrupt_regions, 1);
        assert_true(d.lost_rows > 0 && d.lost_rows < 1000);
        assert_true(last >= 20000);                      /* to the end */
        assert_true(frames + (long)d.lost_rows + (long)d.bad_frames >= last - 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_session, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_frames_and_rows, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_and_scrambled, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_start_late_close_early, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_oversize_frame_and_reread, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_grown_after_open, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reads_on_other_threads, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reads_past_a_corrupt_page, rs_test_fixture_setup, rs_test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
