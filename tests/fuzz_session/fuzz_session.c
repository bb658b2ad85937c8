/*
 * fuzz_session.c - libFuzzer target for the session reader: the input is a
 * whole session file. Whatever the bytes, opening, reading the snapshot and
 * summary, iterating every item, seeking and describing the damage must
 * return (with a message) and never crash, leak or hit undefined behaviour.
 *
 * Two builds of this file (see CMakeLists.txt): fuzz_session opens each
 * input from memory (rs_reader_open_mem, rs_replay_open_reader: SQLite
 * deserializes a private copy, no file is written), which is many times
 * faster; fuzz_session_file (RS_FUZZ_FILE) writes each input to a file and
 * opens it by path, for what only files have: the stat checks and the
 * truncation measured against the file's size.
 *
 * Built with clang -fsanitize=fuzzer,address,undefined (see CMakeLists.txt);
 * the seed corpus is a small real session, made by run_fuzz.sh.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rs_replay.h"
#include "rs_report.h"
#include "rs_reader.h"

#ifdef RS_FUZZ_FILE
static char g_path[512];

static void write_input(const uint8_t *data, size_t size)
{
    char side[600];
    snprintf(side, sizeof side, "%s-wal", g_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", g_path);
    unlink(side);
    int fd = open(g_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0)
            abort();
        data += n;
        size -= (size_t)n;
    }
    close(fd);
}

static void cleanup(void)
{
    char side[600];
    snprintf(side, sizeof side, "%s-wal", g_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", g_path);
    unlink(side);
    unlink(g_path);
}

/* The input is written once per run; every open reads the same file. */
static int open_input(struct rs_reader **s, const uint8_t *data, size_t size, char *msg,
                      size_t cap)
{
    (void)data;
    (void)size;
    return rs_reader_open(s, g_path, msg, cap);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *t = getenv("TMPDIR");
    snprintf(g_path, sizeof g_path, "%s/rs-fuzz-session-XXXXXX", t && *t ? t : "/tmp");
    int fd = mkstemp(g_path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(cleanup);
    return 0;
}
#else
static int open_input(struct rs_reader **s, const uint8_t *data, size_t size, char *msg,
                      size_t cap)
{
    return rs_reader_open_mem(s, "input", data, size, msg, cap);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* one thread: SQLite's allocator need not take a mutex per call */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
#ifdef __GLIBC__
    /* Each run opens and closes several SQLite connections whose buffers
     * (lookaside, page cache, the image) sit at the top of the heap: with
     * glibc's defaults every close gave the pages back to the kernel and
     * every open faulted them in again, most of a run's time. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
    return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef RS_FUZZ_FILE
    write_input(data, size);
#endif
    struct rs_reader *s;
    char msg[512];
    if (open_input(&s, data, size, msg, sizeof msg) != 0) {
        if (!memchr(msg, '\0', sizeof msg) || strchr(msg, '\n'))
            abort(); /* the message must be one terminated line */
        return 0;
    }
    static const char *const keys[] = { "started", "calibration", "summary", "software" };
    for (size_t i = 0; i < 4; i++) {
        const char *v = rs_reader_meta(s, keys[i]);
        if (v)
            (void)strlen(v);
    }
    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    uint64_t frames;
    int64_t first, last;
    rs_reader_span(s, &frames, &first, &last);
    struct rs_item it;
    int64_t mid = 0;
    for (int n = 0; n < 20000 && rs_reader_next(s, &it) > 0; n++) {
        if (it.type)
            (void)strlen(it.type);
        if (it.json)
            (void)strlen(it.json);
        if (n == 10)
            mid = it.dev_us;
    }
    /* the report filler reads the whole session twice more */
    static struct rs_report_data rep;
    rs_report_from_session(s, &rep, msg, sizeof msg);
    rs_reader_seek(s, mid);
    for (int n = 0; n < 5 && rs_reader_next(s, &it) > 0; n++)
        ;
    const char *d = rs_reader_damage_message(s);
    if (d && strchr(d, '\n'))
        abort();
    char iso[64];
    rs_iso8601(sum.start_host_us, sum.tz_offset_s, iso, sizeof iso);
    rs_reader_close(s);

    /* the replay engine on the same bytes: snapshot, compare, seek, report */
    struct rs_replay_opts o;
    rs_replay_opts_default(&o);
    o.compare = true;
    struct rs_replay *rp;
    if (open_input(&s, data, size, msg, sizeof msg) == 0 &&
        rs_replay_open_reader(&rp, s, &o, msg, sizeof msg) == 0) {
        struct rs_events ev;
        rs_events_clear(&ev);
        for (int n = 0; n < 20000 && rs_replay_next(rp, &ev) > 0; n++)
            rs_events_clear(&ev);
        rs_replay_seek(rp, rs_replay_length(rp) / 2);
        rs_replay_seek(rp, 0.5);
        rs_replay_close(rp);
    }
    if (open_input(&s, data, size, msg, sizeof msg) == 0 &&
        rs_replay_open_reader(&rp, s, NULL, msg, sizeof msg) == 0) {
        rs_report_from_replay(rp, &rep, msg, sizeof msg);
        rs_replay_close(rp);
    }
    return 0;
}
