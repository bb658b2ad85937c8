/*
 * test_diskfull.c - the disk fills up while recording.
 *
 * A child limits its file size (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail
 * with EFBIG as on a full disk) and records synthetic frames. The table of
 * cases varies the limit. Expected: the recorder stops with a clear one-line
 * message, the child's live loop keeps running (it goes on handing frames to
 * the stopped recorder and counts them), it exits normally, and the parent,
 * without the limit, reads every frame the child saw committed, contiguous.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs_record.h"
#include "rs_reader.h"
#include "test_util.h"

#define PERIOD_US 12500
#define AFTER_STOP 2000 /* frames the live loop runs on after the stop */

struct result {
    int status;                 /* recorder status at the end */
    uint64_t committed;         /* frames committed before the stop */
    uint32_t frames_after_stop; /* live loop iterations after the stop */
    char msg[1024];
};

static void child(const char *path, rlim_t limit, int fd)
{
    struct result res;
    memset(&res, 0, sizeof res);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = { limit, limit };
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        _exit(10);
    struct rs_rec *r;
    char err[512];
    const int64_t t0 = 1763745656000000LL;
    if (rs_rec_open(&r, path, t0, 0, err, sizeof err) != 0) {
        snprintf(res.msg, sizeof res.msg, "open: %s", err);
        res.status = 99;
    } else {
        uint32_t seq;
        for (seq = 0; seq < 2000000 && res.frames_after_stop < AFTER_STOP; seq++) {
            struct rs_frame f = rs_test_sample(seq);
            int rc = rs_rec_frame(r, t0 + (int64_t)seq * PERIOD_US, &f);
            rs_rec_tick(r, t0 + (int64_t)seq * PERIOD_US);
            if (rc)
                res.frames_after_stop++; /* the live loop goes on */
        }
        struct rs_rec_stats st;
        rs_rec_get_stats(r, &st);
        res.status = rs_rec_status(r);
        res.committed = st.committed_frames;
        if (rs_rec_error(r))
            snprintf(res.msg, sizeof res.msg, "%s", rs_rec_error(r));
        rs_rec_close(r, t0 + (int64_t)seq * PERIOD_US, NULL);
    }
    if (write(fd, &res, sizeof res) != (ssize_t)sizeof res)
        _exit(11);
    _exit(0);
}

int main(void)
{
    static const rlim_t limits[] = { 64 * 1024, 200 * 1024, 1024 * 1024 };
    char dir[256];
    if (!rs_test_tmpdir(dir, sizeof dir))
        return 1;
    int fails = 0;
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/full%zu.rsession", dir, k);
        int pfd[2];
        if (pipe(pfd) != 0)
            return 1;
        pid_t pid = fork();
        if (pid == 0) {
            close(pfd[0]);
            child(path, limits[k], pfd[1]);
        }
        close(pfd[1]);
        struct result res;
        ssize_t n = read(pfd[0], &res, sizeof res);
        close(pfd[0]);
        int status;
        waitpid(pid, &status, 0);
        const char *why = NULL;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            why = "the recording process did not exit normally";
        else if (n != (ssize_t)sizeof res)
            why = "no result from the child";
        else if (res.status != RS_REC_EFULL)
            why = "the recorder did not stop with RS_REC_EFULL";
        else if (!strstr(res.msg, "recording stopped: file size limit reached") ||
                 !strstr(res.msg, "keeps the first") || strchr(res.msg, '\n'))
            why = "the message is not the one-line disk-full message";
        else if (res.frames_after_stop < AFTER_STOP)
            why = "the live loop did not continue";
        else if (res.committed == 0)
            why = "nothing was committed before the disk filled (limit too small for the test)";
        if (!why) {
            struct rs_reader *s;
            char msg[512];
            if (rs_reader_open(&s, path, msg, sizeof msg) != 0) {
                why = "the session does not open after the disk filled";
                fprintf(stderr, "  %s\n", msg);
            } else {
                struct rs_item it;
                uint64_t expect = 0;
                int bad = 0;
                while (rs_reader_next(s, &it) > 0)
                    if (it.kind == RS_ITEM_FRAME)
                        bad += it.frame.u.sample.seq != (uint32_t)expect++;
                if (bad)
                    why = "stored frames are not contiguous";
                else if (expect < res.committed)
                    why = "committed frames are missing";
                else if (rs_reader_damage_message(s))
                    why = "the file reads as damaged";
                printf("limit %lu KiB: stopped after %llu committed frames, %llu readable; "
                       "message: %s\n",
                       (unsigned long)(limits[k] / 1024), (unsigned long long)res.committed,
                       (unsigned long long)expect, res.msg);
                rs_reader_close(s);
            }
        }
        if (why) {
            fprintf(stderr, "limit %lu: FAIL: %s (%s)\n", (unsigned long)limits[k], why,
                    n == (ssize_t)sizeof res ? res.msg : "");
            fails++;
        }
    }
    rs_test_rmtree(dir);
    return fails ? 1 : 0;
}
