/*
 * rs_recorder.c - the session recorder (see rs_record.h for the contract).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rs_defaults.h"
#include "rs_json.h"
#include "rs_jsonq.h"
#include "rs_record.h"
#include "rs_record_int.h"
#include "rs_schema.h"

#ifndef RS_RECORD_SW_VERSION
#define RS_RECORD_SW_VERSION "unknown"
#endif

/* Longest JSON text accepted for one event, mark or meta value. */
#define RS_REC_JSON_MAX 4096

/* WAL size (pages) above which the syncer checkpoints it into the main file. */
#define RS_REC_CHECKPOINT_PAGES 1000

/*
 * The syncer: a thread that makes commits durable against power loss
 * (fdatasync of the -wal file) and checkpoints the WAL, so that the live
 * loop's COMMIT is only a write() into the page cache. A kill -9 loses
 * nothing written; a power cut loses what was not yet synced.
 */
struct rs_syncer {
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t requested;  /* commits to make durable (count) */
    uint64_t done;       /* commits made durable */
    bool quit;
    int wal_fd;          /* -1 until the -wal file is opened */
    sqlite3 *ckpt_db;    /* the syncer's own connection, for checkpoints */
    char wal_path[600];
    char db_path[512];
    int (*hook)(void *ctx, int fd); /* the sync itself (tests: slow, blocking) */
    void *hook_ctx;
    uint64_t syncs;
    int64_t max_sync_us;
};

struct rs_rec {
    sqlite3 *db;
    sqlite3_stmt *ins_frame, *ins_log, *ins_meta;
    char path[512];

    int status;            /* 0 or the error that stopped recording */
    char msg[1024];        /* user message once stopped */

    bool in_txn;
    int64_t last_commit_host_us;
    int64_t pending_first_dev_us; /* dev_us of the oldest uncommitted sample, -1: none */
    struct rs_syncer sync;
    int64_t start_host_us;
    int tz_offset_s;

    /* Device clock and sequence tracking (sample frames only). */
    bool have_sample;
    uint32_t last_t_us;
    uint32_t last_seq;
    int64_t last_host_us;  /* host time of the last sample */
    int64_t dev_us;        /* unwrapped device time of the last sample */
    int64_t first_dev_us;
    int64_t last_frame_id; /* rowid of the last stored frame, 0 if none */

    /* Pending (not yet committed) counters. */
    uint64_t pending_frames;
    int64_t pending_last_dev_us;

    struct rs_rec_stats st;
    void (*on_commit)(void *, const struct rs_rec_stats *);
    void *on_commit_ctx;
};

const char *rs_rec_strerror(int err)
{
    switch (err) {
    case RS_REC_OK: return "ok";
    case RS_REC_EOPEN: return "cannot create the session file";
    case RS_REC_EFULL: return "disk full or file size limit reached";
    case RS_REC_EIO: return "write error";
    case RS_REC_EARG: return "bad argument";
    default: return "unknown error";
    }
}

int64_t rs_rec_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long file_size(const char *path, const char *suffix)
{
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

/*
 * Map a failed SQLite write to our error class; the seam for foreign codes.
 * SQLite reports ENOSPC as SQLITE_FULL but a file size limit (EFBIG) as a
 * plain SQLITE_IOERR_WRITE, and its saved errno is not reliable after the
 * failure, so a failed write is diagnosed from the outside: free space on
 * the file system and the process's RLIMIT_FSIZE against the file sizes.
 * Sets *why to a short reason for the message.
 */
static int map_sqlite(const struct rs_rec *r, int rc, const char **why)
{
    int prim = rc & 0xff;
    *why = "write error";
    if (prim != SQLITE_FULL && prim != SQLITE_IOERR)
        return RS_REC_EIO;
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        long long lim = (long long)rl.rlim_cur, margin = 64 * 1024;
        if (file_size(r->path, "") + margin >= lim || file_size(r->path, "-wal") + margin >= lim) {
            *why = "file size limit reached";
            return RS_REC_EFULL;
        }
    }
    char dir[512];
    snprintf(dir, sizeof dir, "%s", r->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs vs;
    if (prim == SQLITE_FULL ||
        (statvfs(dir, &vs) == 0 && (unsigned long long)vs.f_bavail * vs.f_frsize < 1024 * 1024)) {
        *why = "disk full";
        return RS_REC_EFULL;
    }
    return RS_REC_EIO;
}

/*
 * Stop recording after a write error: roll back the open batch (its rows are
 * lost, everything committed stays), remember one message for the user.
 */
static int stop(struct rs_rec *r, int rc)
{
    if (r->status)
        return r->status;
    const char *what;
    r->status = map_sqlite(r, rc, &what);
    double kept_s = r->st.last_committed_dev_us >= 0
                        ? (double)(r->st.last_committed_dev_us - r->first_dev_us) / 1e6
                        : 0.0;
    snprintf(r->msg, sizeof r->msg,
             "recording stopped: %s (%s); live feedback goes on; the session file keeps the "
             "first %.1f s (%llu frames): %s",
             what, sqlite3_errstr(rc), kept_s,
             (unsigned long long)r->st.committed_frames, r->path);
    if (r->in_txn) {
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
        r->in_txn = false;
    }
    r->st.frames = r->st.committed_frames;
    r->pending_frames = 0;
    r->pending_first_dev_us = -1;
    return r->status;
}

static int default_sync(void *ctx, int fd)
{
    (void)ctx;
    return fdatasync(fd);
}

/* One round of the syncer (unlocked): make the WAL durable, then
 * checkpoint it when it has grown. Errors are left to the next commit:
 * a sync failing on a dying disk shows up as a failed write soon enough. */
static void syncer_round(struct rs_syncer *y)
{
    if (y->wal_fd < 0)
        y->wal_fd = open(y->wal_path, O_RDONLY | O_CLOEXEC);
    pthread_mutex_lock(&y->mu);
    int (*hook)(void *, int) = y->hook;
    void *hook_ctx = y->hook_ctx;
    pthread_mutex_unlock(&y->mu);
    int64_t t0 = mono_us();
    if (y->wal_fd >= 0)
        hook(hook_ctx, y->wal_fd);
    int64_t dt = mono_us() - t0;
    struct stat st;
    if (y->wal_fd >= 0 && fstat(y->wal_fd, &st) == 0 &&
        st.st_size > (off_t)RS_REC_CHECKPOINT_PAGES * 4096) {
        if (!y->ckpt_db &&
            sqlite3_open_v2(y->db_path, &y->ckpt_db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
            sqlite3_close(y->ckpt_db);
            y->ckpt_db = NULL;
        }
        /* PASSIVE: never waits for the writer; the writer restarts the WAL
         * from its beginning once everything is checkpointed. */
        if (y->ckpt_db)
            sqlite3_wal_checkpoint_v2(y->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    pthread_mutex_lock(&y->mu);
    y->syncs++;
    if (dt > y->max_sync_us)
        y->max_sync_us = dt;
    pthread_mutex_unlock(&y->mu);
}

static void *syncer_main(void *arg)
{
    struct rs_syncer *y = arg;
    pthread_mutex_lock(&y->mu);
    for (;;) {
        while (!y->quit && y->done == y->requested)
            pthread_cond_wait(&y->cv, &y->mu);
        if (y->done == y->requested)
            break; /* quit, nothing left */
        uint64_t target = y->requested; /* one sync covers every commit so far */
        pthread_mutex_unlock(&y->mu);
        syncer_round(y);
        pthread_mutex_lock(&y->mu);
        y->done = target;
        pthread_cond_broadcast(&y->cv);
    }
    pthread_mutex_unlock(&y->mu);
    return NULL;
}

static int syncer_start(struct rs_syncer *y, const char *path)
{
    y->wal_fd = -1;
    snprintf(y->db_path, sizeof y->db_path, "%s", path);
    snprintf(y->wal_path, sizeof y->wal_path, "%s-wal", path);
    if (!y->hook)
        y->hook = default_sync;
    if (pthread_mutex_init(&y->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&y->cv, NULL) != 0 ||
        pthread_create(&y->thread, NULL, syncer_main, y) != 0) {
        pthread_mutex_destroy(&y->mu);
        return -1;
    }
    y->running = true;
    return 0;
}

/* After a commit: wake the syncer; never waits. */
static void syncer_request(struct rs_syncer *y)
{
    if (!y->running)
        return;
    pthread_mutex_lock(&y->mu);
    y->requested++;
    pthread_cond_signal(&y->cv);
    pthread_mutex_unlock(&y->mu);
}

/* Finish the outstanding syncs and stop the thread (waits: only at close). */
static void syncer_stop(struct rs_syncer *y)
{
    if (!y->running)
        return;
    pthread_mutex_lock(&y->mu);
    y->quit = true;
    pthread_cond_signal(&y->cv);
    pthread_mutex_unlock(&y->mu);
    pthread_join(y->thread, NULL);
    pthread_cond_destroy(&y->cv);
    pthread_mutex_destroy(&y->mu);
    if (y->wal_fd >= 0)
        close(y->wal_fd);
    sqlite3_close(y->ckpt_db);
    y->running = false;
}

static int begin(struct rs_rec *r)
{
    if (r->in_txn)
        return 0;
    int rc = sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return stop(r, rc);
    r->in_txn = true;
    return 0;
}

static int commit(struct rs_rec *r, int64_t host_us)
{
    if (!r->in_txn) {
        r->last_commit_host_us = host_us;
        return 0;
    }
    int64_t t0 = mono_us();
    int rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return stop(r, rc);
    int64_t dt = mono_us() - t0;
    if (dt > r->st.max_commit_us)
        r->st.max_commit_us = dt;
    r->in_txn = false;
    r->last_commit_host_us = host_us;
    r->st.commits++;
    r->st.committed_frames += r->pending_frames;
    if (r->pending_frames)
        r->st.last_committed_dev_us = r->pending_last_dev_us;
    r->pending_frames = 0;
    r->pending_first_dev_us = -1;
    syncer_request(&r->sync);
    if (r->on_commit)
        r->on_commit(r->on_commit_ctx, &r->st);
    return 0;
}

/*
 * Two triggers: RS_REC_COMMIT_DEV_US of device time between the oldest
 * uncommitted sample and the newest (the kill -9 bound, whatever the host's
 * clock or the loop's pace: also `demo --fast`), and RS_REC_COMMIT_US of host
 * time since the last commit (rows without new samples: events, gaps, a
 * stalled stream).
 */
static int maybe_commit(struct rs_rec *r, int64_t host_us)
{
    if (!r->in_txn)
        return 0;
    if (r->pending_first_dev_us >= 0 && r->have_sample &&
        r->dev_us - r->pending_first_dev_us >= RS_REC_COMMIT_DEV_US)
        return commit(r, host_us);
    if (host_us - r->last_commit_host_us >= RS_REC_COMMIT_US)
        return commit(r, host_us);
    return 0;
}

static int step_reset(struct rs_rec *r, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return stop(r, rc);
    return 0;
}

static int put_log(struct rs_rec *r, int kind, int64_t host_us, int64_t dev_us,
                   const char *type, const char *json)
{
    if (r->status)
        return r->status;
    if (!type || !json || strlen(json) > RS_REC_JSON_MAX || strlen(type) > 64)
        return RS_REC_EARG;
    int rc = begin(r);
    if (rc)
        return rc;
    sqlite3_stmt *st = r->ins_log;
    sqlite3_bind_int64(st, 1, r->last_frame_id);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_int64(st, 3, host_us);
    sqlite3_bind_int64(st, 4, dev_us);
    sqlite3_bind_text(st, 5, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, json, -1, SQLITE_STATIC);
    rc = step_reset(r, st);
    if (rc)
        return rc;
    return maybe_commit(r, host_us);
}

int rs_rec_meta(struct rs_rec *r, const char *key, const char *json)
{
    if (r->status)
        return r->status;
    if (!key || !json || strlen(json) > RS_REC_JSON_MAX)
        return RS_REC_EARG;
    int rc = begin(r);
    if (rc)
        return rc;
    sqlite3_bind_text(r->ins_meta, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->ins_meta, 2, json, -1, SQLITE_STATIC);
    return step_reset(r, r->ins_meta);
}

int rs_rec_meta_info(struct rs_rec *r, const struct rs_info *i)
{
    char buf[512], fw[16];
    struct rs_json j;
    snprintf(fw, sizeof fw, "%u.%u.%u", i->fw_major, i->fw_minor, i->fw_patch);
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "fw", fw);
    rs_json_int(&j, "cal_state", i->cal_state);
    rs_json_int(&j, "sample_rate_hz", i->sample_rate_hz);
    rs_json_int(&j, "enc_counts_per_rev", i->enc_counts_per_rev);
    rs_json_int(&j, "hw_rev", i->hw_rev);
    rs_json_strn(&j, "serial", i->serial, strnlen(i->serial, RS_SERIAL_LEN));
    const char *s = rs_json_end(&j);
    return s ? rs_rec_meta(r, "device_info", s) : RS_REC_EARG;
}

int rs_rec_meta_cal(struct rs_rec *r, const struct rs_cal *c)
{
    char buf[512];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_int(&j, "offset_left", c->offset_left);
    rs_json_int(&j, "offset_right", c->offset_right);
    rs_json_num(&j, "scale_left", c->scale_left, 6);
    rs_json_num(&j, "scale_right", c->scale_right, 6);
    rs_json_int(&j, "radius_um", c->radius_um);
    rs_json_int(&j, "enc_dir", c->enc_dir);
    rs_json_strn(&j, "serial", c->serial, strnlen(c->serial, RS_SERIAL_LEN));
    const char *s = rs_json_end(&j);
    return s ? rs_rec_meta(r, "calibration", s) : RS_REC_EARG;
}

/*
 * A device restart (its sequence or clock went backwards): nothing on the
 * device says how long it was gone, so the host clock does. The unwrapped
 * time continues by the host time since the last sample (at least one
 * period, also when the host clock stepped back), so the outage keeps its
 * real length on the time axis, and the reset row gives that length and the
 * frames it is worth: round(seconds / period) - 1, an estimate.
 */
static int put_reset(struct rs_rec *r, int64_t host_us, int64_t host_dt, uint32_t seq)
{
    const int64_t period = 1000000 / RS_SAMPLE_RATE_HZ;
    if (host_dt < period)
        host_dt = period;
    r->dev_us += host_dt;
    int64_t lost = (host_dt + period / 2) / period - 1;
    char buf[160];
    snprintf(buf, sizeof buf, "{\"reason\":\"reset\",\"lost\":%lld,\"seconds\":%.3f,\"seq\":%lu}",
             (long long)lost, host_dt / 1e6, (unsigned long)seq);
    r->st.gaps++;
    return put_log(r, RS_LOG_GAP, host_us, r->dev_us, "reset", buf);
}

/*
 * Track the device clock and the sequence number of sample frames. The
 * modular difference of t_us handles the 2^32 us wrap; a backwards step of
 * seq or t_us means the device restarted (put_reset). A forward step of seq
 * by more than one is a seq gap row with the frames lost and the device
 * time they spanned.
 */
static int track_sample(struct rs_rec *r, int64_t host_us, const struct rs_sample *s)
{
    int64_t host_dt = host_us - r->last_host_us;
    r->last_host_us = host_us;
    if (!r->have_sample) {
        r->have_sample = true;
        r->dev_us = s->t_us;
        r->first_dev_us = r->dev_us;
        r->last_t_us = s->t_us;
        r->last_seq = s->seq;
        return 0;
    }
    uint32_t dseq = s->seq - (r->last_seq + 1u);
    uint32_t dt = s->t_us - r->last_t_us;
    bool reset = dseq >= 0x80000000u || dt >= 0x80000000u;
    r->last_t_us = s->t_us;
    r->last_seq = s->seq;
    if (reset)
        return put_reset(r, host_us, host_dt, s->seq);
    r->dev_us += dt;
    if (dseq) {
        char buf[192];
        snprintf(buf, sizeof buf,
                 "{\"reason\":\"seq\",\"lost\":%lu,\"seconds\":%.3f,\"from_seq\":%lu,\"to_seq\":%lu}",
                 (unsigned long)dseq, dt / 1e6, (unsigned long)(s->seq - dseq),
                 (unsigned long)(s->seq - 1u));
        r->st.gaps++;
        r->st.lost += dseq;
        return put_log(r, RS_LOG_GAP, host_us, r->dev_us, "seq", buf);
    }
    return 0;
}

int rs_rec_frame(struct rs_rec *r, int64_t host_us, const struct rs_frame *f)
{
    if (r->status)
        return r->status;
    uint8_t raw[RS_FRAME_MAX];
    int nr = (int)rs_frame_pack(f, raw);
    if (nr < 6)
        return RS_REC_EARG;
    int rc;
    if (f->type == RS_FT_SAMPLE && (rc = track_sample(r, host_us, &f->u.sample)))
        return rc;
    int64_t dev_us = r->have_sample ? r->dev_us : 0;
    if ((rc = begin(r)))
        return rc;
    sqlite3_stmt *st = r->ins_frame;
    sqlite3_bind_int64(st, 1, host_us);
    sqlite3_bind_int64(st, 2, dev_us);
    sqlite3_bind_int(st, 3, f->type);
    sqlite3_bind_blob(st, 4, raw, nr, SQLITE_STATIC);
    if ((rc = step_reset(r, st)))
        return rc;
    r->last_frame_id = sqlite3_last_insert_rowid(r->db);
    r->st.frames++;
    r->pending_frames++;
    r->pending_last_dev_us = dev_us;
    if (f->type == RS_FT_SAMPLE && r->pending_first_dev_us < 0)
        r->pending_first_dev_us = dev_us;
    return maybe_commit(r, host_us);
}

int rs_rec_gap(struct rs_rec *r, int64_t host_us, const char *reason)
{
    char buf[256];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "reason", reason ? reason : "");
    rs_json_int(&j, "lost", 0);
    const char *s = rs_json_end(&j);
    if (!s)
        return RS_REC_EARG;
    if (!r->status)
        r->st.gaps++;
    return put_log(r, RS_LOG_GAP, host_us, r->have_sample ? r->dev_us : 0, "gap", s);
}

int rs_rec_event(struct rs_rec *r, int64_t host_us, int64_t dev_us, const char *type,
                 const char *json)
{
    /* Stored JSON is embedded verbatim in exports: refuse what is not an object. */
    if (!json || !rs_jsonq_valid(json) || *json != '{')
        return r->status ? r->status : RS_REC_EARG;
    if (dev_us < 0)
        dev_us = r->have_sample ? r->dev_us : 0;
    return put_log(r, RS_LOG_EVENT, host_us, dev_us, type, json);
}

int rs_rec_mark(struct rs_rec *r, int64_t host_us, const char *label)
{
    char buf[256];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "label", label ? label : "");
    const char *s = rs_json_end(&j);
    if (!s)
        return RS_REC_EARG;
    return put_log(r, RS_LOG_MARK, host_us, r->have_sample ? r->dev_us : 0, "mark", s);
}

int rs_rec_tick(struct rs_rec *r, int64_t host_us)
{
    if (r->status)
        return r->status;
    return maybe_commit(r, host_us);
}

int rs_rec_flush(struct rs_rec *r)
{
    if (r->status)
        return r->status;
    return commit(r, r->last_commit_host_us);
}

int rs_rec_status(const struct rs_rec *r) { return r->status; }

const char *rs_rec_error(const struct rs_rec *r) { return r->status ? r->msg : NULL; }

void rs_rec_get_stats(const struct rs_rec *r, struct rs_rec_stats *st)
{
    *st = r->st;
    struct rs_syncer *y = (struct rs_syncer *)&r->sync;
    if (y->running) {
        pthread_mutex_lock(&y->mu);
        st->syncs = y->syncs;
        st->synced_commits = y->done;
        st->max_sync_us = y->max_sync_us;
        pthread_mutex_unlock(&y->mu);
    }
}

void rs_rec_set_sync_hook(struct rs_rec *r, int (*fn)(void *ctx, int fd), void *ctx)
{
    struct rs_syncer *y = &r->sync;
    if (!y->running)
        return;
    pthread_mutex_lock(&y->mu);
    y->hook = fn ? fn : default_sync;
    y->hook_ctx = fn ? ctx : NULL;
    pthread_mutex_unlock(&y->mu);
}

void rs_rec_on_commit(struct rs_rec *r, void (*fn)(void *, const struct rs_rec_stats *),
                      void *ctx)
{
    r->on_commit = fn;
    r->on_commit_ctx = ctx;
}

/* {"host_us":..,"iso":"...","tz_offset_s":..}: the started/ended meta rows. */
static void time_json(int64_t host_us, int tz, char *buf, size_t cap)
{
    char iso[48];
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    rs_json_int(&j, "host_us", host_us);
    rs_json_str(&j, "iso", rs_iso8601(host_us, tz, iso, sizeof iso));
    rs_json_int(&j, "tz_offset_s", tz);
    rs_json_end(&j);
}

static void free_rec(struct rs_rec *r)
{
    syncer_stop(&r->sync);
    sqlite3_finalize(r->ins_frame);
    sqlite3_finalize(r->ins_log);
    sqlite3_finalize(r->ins_meta);
    sqlite3_close(r->db);
    free(r);
}

int rs_rec_open(struct rs_rec **out, const char *path, int64_t host_us, int tz_offset_s,
                char *err, size_t errcap)
{
    *out = NULL;
    if (strlen(path) >= 512) {
        if (err)
            snprintf(err, errcap, "session path too long");
        return RS_REC_EARG;
    }
    /* Create the file ourselves: O_EXCL never overwrites a session, and the
     * mode is 0600 from the first instant. SQLite gives its -wal and -shm
     * files the database file's permissions. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (err)
            snprintf(err, errcap, "cannot create session file '%s': %s", path, strerror(errno));
        return RS_REC_EOPEN;
    }
    fchmod(fd, 0600); /* in case the umask was unusual; 0600 is the contract */
    close(fd);

    struct rs_rec *r = calloc(1, sizeof *r);
    if (!r) {
        if (err)
            snprintf(err, errcap, "out of memory");
        return RS_REC_EOPEN;
    }
    snprintf(r->path, sizeof r->path, "%s", path);
    r->start_host_us = host_us;
    r->last_commit_host_us = host_us;
    r->tz_offset_s = tz_offset_s;
    r->st.last_committed_dev_us = -1;
    r->pending_first_dev_us = -1;

    char meta[256];
    int rc = sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(r->db,
                          "PRAGMA journal_mode=WAL;"
                          "PRAGMA synchronous=NORMAL;"
                          "PRAGMA wal_autocheckpoint=0;"
                          "BEGIN;" RS_SCHEMA_SQL,
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        char sql[160];
        snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                 RS_READER_APP_ID, RS_READER_FORMAT);
        rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->db,
                                "INSERT INTO frames(host_us,dev_us,type,raw) VALUES(?,?,?,?)",
                                -1, &r->ins_frame, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->db,
                                "INSERT INTO log(after_frame,kind,host_us,dev_us,type,data)"
                                " VALUES(?,?,?,?,?,?)",
                                -1, &r->ins_log, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->db, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", -1,
                                &r->ins_meta, NULL);
    if (rc == SQLITE_OK) {
        r->in_txn = true;
        time_json(host_us, tz_offset_s, meta, sizeof meta);
        rc = rs_rec_meta(r, "started", meta) ? SQLITE_ERROR : SQLITE_OK;
    }
    if (rc == SQLITE_OK) {
        snprintf(meta, sizeof meta,
                 "{\"name\":\"rollsense\",\"version\":\"%s\",\"format\":%d,\"sqlite\":\"%s\"}",
                 RS_RECORD_SW_VERSION, RS_READER_FORMAT, sqlite3_libversion());
        rc = rs_rec_meta(r, "software", meta) ? SQLITE_ERROR : SQLITE_OK;
    }
    if (rc == SQLITE_OK && !r->status)
        rc = commit(r, host_us) ? SQLITE_ERROR : SQLITE_OK;
    if (rc != SQLITE_OK || r->status) {
        if (err)
            snprintf(err, errcap, "cannot set up session file '%s': %s", path,
                     r->status ? r->msg : sqlite3_errmsg(r->db));
        free_rec(r);
        return RS_REC_EOPEN;
    }
    /* Without the syncer, commits wait for the disk again (FULL). */
    if (syncer_start(&r->sync, path) == 0)
        syncer_request(&r->sync);
    else
        sqlite3_exec(r->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    *out = r;
    return 0;
}

int rs_rec_close(struct rs_rec *r, int64_t host_us, const char *summary_json)
{
    if (!r)
        return 0;
    int first = r->status;
    if (!r->status) {
        char buf[1024];
        if (!summary_json) {
            struct rs_reader_summary s;
            memset(&s, 0, sizeof s);
            s.peak_bw_pct = NAN;
            s.start_host_us = r->start_host_us;
            s.tz_offset_s = r->tz_offset_s;
            s.frames = r->st.frames;
            s.duration_s = r->have_sample ? (double)(r->dev_us - r->first_dev_us) / 1e6 : 0;
            s.complete = true;
            rs_summary_from_events(r->db, &s); /* sees our own uncommitted rows */
            summary_json = rs_reader_summary_json(&s, buf, sizeof buf);
        }
        int rc = summary_json ? rs_rec_meta(r, "summary", summary_json) : 0;
        char meta[256];
        time_json(host_us, r->tz_offset_s, meta, sizeof meta);
        if (!rc)
            rc = rs_rec_meta(r, "ended", meta);
        if (!rc)
            rc = commit(r, host_us);
        first = rc;
    }
    free_rec(r);
    return first;
}
