/*
 * link_lock.c - one owner per port.
 *
 * Two programs reading one tty each get half of the bytes, and each sees the
 * other's reads as "ready but nothing there". So every backend claims its fd
 * right after opening it:
 *   - TIOCEXCL: further open()s of the tty fail with EBUSY (except for root,
 *     which the kernel lets through: hence also ...)
 *   - flock(LOCK_EX | LOCK_NB): a second rollsense (root or not, even in the
 *     same process) is refused. The lock goes away with the fd, also on
 *     kill -9, so a stale lock cannot exist.
 * The holder's PID is found afterwards, for the message only, by looking for
 * another process with an fd on the same device in /proc (best effort: other
 * users' processes are not visible).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "link_internal.h"

int rs_link_claim_fd(int fd)
{
    if (fd < 0)
        return RS_LINK_ERR_ARG;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK || errno == EAGAIN)
            return RS_LINK_ERR_BUSY;
        /* A file system without flock (rare for /dev) still gets TIOCEXCL. */
    }
#ifdef TIOCEXCL
    (void)ioctl(fd, TIOCEXCL); /* not a tty (test fakes): nothing to exclude */
#endif
    return RS_LINK_OK;
}

/* Does the fd at /proc/PID/fd/NAME refer to the same file as *want? */
static int same_file(const char *fdpath, const struct stat *want)
{
    struct stat st;
    if (stat(fdpath, &st) != 0)
        return 0;
    if (S_ISCHR(want->st_mode))
        return S_ISCHR(st.st_mode) && st.st_rdev == want->st_rdev;
    return st.st_dev == want->st_dev && st.st_ino == want->st_ino;
}

/* Does process pid (a /proc entry name) hold an fd on *want? */
static int pid_holds(const char *pid, const struct stat *want)
{
    char dir[300];
    snprintf(dir, sizeof dir, "/proc/%s/fd", pid);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char fdpath[600];
        snprintf(fdpath, sizeof fdpath, "%s/%s", dir, e->d_name);
        found = same_file(fdpath, want);
    }
    closedir(d);
    return found;
}

/*
 * The PID holding the flock on *want, from /proc/locks lines such as
 * "1: FLOCK  ADVISORY  WRITE 1234 00:05:87 0 EOF" (major:minor:inode of the
 * file system device and the inode, in hex:hex:decimal). 0 if none.
 */
static long flock_holder(const struct stat *want)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[256];
    long holder = 0;
    while (!holder && fgets(line, sizeof line, f)) {
        char kind[16];
        long pid;
        unsigned maj, min;
        unsigned long long ino;
        if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &ino) != 5)
            continue;
        if (strcmp(kind, "FLOCK") == 0 && pid > 0 && pid != (long)getpid() &&
            maj == major(want->st_dev) && min == minor(want->st_dev) &&
            ino == (unsigned long long)want->st_ino)
            holder = pid;
    }
    fclose(f);
    return holder;
}

long rs_link_holder_pid(const char *path)
{
    struct stat want;
    if (!path || stat(path, &want) != 0)
        return 0;
    /* Another rollsense: the owner of the lock. Else any process with the
     * device open (a terminal program that set TIOCEXCL). */
    long locker = flock_holder(&want);
    if (locker)
        return locker;
    DIR *proc = opendir("/proc");
    if (!proc)
        return 0;
    long self = (long)getpid(), holder = 0;
    struct dirent *e;
    while (!holder && (e = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == self)
            continue;
        if (pid_holds(e->d_name, &want))
            holder = pid;
    }
    closedir(proc);
    return holder;
}

void rs_link_busy_message(const char *path, char *buf, size_t cap)
{
    long pid = rs_link_holder_pid(path);
    if (pid > 0)
        snprintf(buf, cap, "port %s is in use (by PID %ld)", path, pid);
    else
        snprintf(buf, cap, "port %s is in use (by another program)", path);
}

int rs_link_zero_read_gone(int fd, const char *path, short revents)
{
    if (revents & (POLLHUP | POLLERR | POLLNVAL))
        return 1;
    struct stat have, now;
    if (fstat(fd, &have) != 0)
        return 1;
    if (!path || !*path)
        return 0; /* nothing to compare with: trust poll */
    if (stat(path, &now) != 0)
        return 1; /* the device node went away */
    if (S_ISCHR(have.st_mode))
        return !S_ISCHR(now.st_mode) || now.st_rdev != have.st_rdev;
    return now.st_dev != have.st_dev || now.st_ino != have.st_ino;
}
