/*
 * test_util.h - helpers for the session tests: temporary directories that
 * are always removed, a fake clock and synthetic sample frames.
 */
#ifndef RS_TEST_UTIL_H
#define RS_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_proto.h"

/* A fresh directory under $TMPDIR (or /tmp) from mkdtemp; buf >= 256 bytes. */
static inline char *rs_test_tmpdir(char *buf, size_t cap)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, cap, "%s/rs-record-XXXXXX", t && t[0] ? t : "/tmp");
    return mkdtemp(buf);
}

/* Remove a directory tree of plain files and subdirectories. */
static inline void rs_test_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        size_t a = strlen(dir), b = strlen(e->d_name);
        if (a + b + 2 > sizeof p)
            continue;
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, e->d_name, b + 1);
        if (unlink(p) != 0)
            rs_test_rmtree(p);
    }
    closedir(d);
    rmdir(dir);
}

/* A cmocka fixture: a fresh directory and the path of a session file in
 * it (not created), removed with everything in it afterwards. */
struct rs_test_fixture {
    char dir[256];
    char path[512];
};

static inline int rs_test_fixture_setup(void **state)
{
    struct rs_test_fixture *fx = calloc(1, sizeof *fx);
    if (!fx || !rs_test_tmpdir(fx->dir, sizeof fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof fx->path, "%s/s.rsession", fx->dir);
    *state = fx;
    return 0;
}

static inline int rs_test_fixture_teardown(void **state)
{
    struct rs_test_fixture *fx = *state;
    rs_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* The synthetic sample number seq: deterministic values, 80 Hz device clock. */
static inline struct rs_frame rs_test_sample(uint32_t seq)
{
    struct rs_frame f = { .type = RS_FT_SAMPLE };
    f.u.sample.seq = seq;
    f.u.sample.t_us = seq * 12500u;
    f.u.sample.left = (int32_t)((seq * 7919u) % 8000000u) - 4000000;
    f.u.sample.right = (int32_t)((seq * 104729u) % 8000000u) - 4000000;
    f.u.sample.enc = (int32_t)(seq * 3u) - 100000;
    f.u.sample.status = (uint16_t)(seq % 97 == 0 ? RS_ST_MAGNET : 0);
    return f;
}

#endif
