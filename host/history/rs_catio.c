/* rs_catio.c - the catalog on disk: list the session directory, read the
 * catalog file, read what changed from the session files, write the file
 * back atomically (see rs_catalog.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_catalog.h"
#include "rs_file.h"
#include "rs_str.h"

#define CAT_MAX_BYTES (256u << 20) /* far beyond ten years of sessions */

static void stamp_of(const char *path, struct rs_cat_stamp *st)
{
    struct stat sb;
    char wal[1100];
    memset(st, 0, sizeof *st);
    if (stat(path, &sb) == 0) {
        st->size = sb.st_size;
        st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    }
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0) {
        st->wal_size = sb.st_size;
        st->wal_mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    }
}

static void on_item(void *ctx, const struct rs_item *it)
{
    if (it->kind == RS_ITEM_EVENT)
        rs_cat_entry_event(ctx, it->type, it->json);
}

void rs_cat_entry_read(const char *dir, struct rs_cat_entry *e)
{
    char path[1200], msg[512];
    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    struct rs_reader *s;
    if (rs_reader_open(&s, path, msg, sizeof msg) != 0) {
        e->readable = false;
        rs_str_copy(e->message, sizeof e->message, msg);
    } else {
        e->readable = true;
        rs_reader_summary(s, &e->sum);
        rs_cat_entry_calf_time(e, rs_reader_meta(s, "calf_time"));
        rs_reader_log(s, on_item, e);
        const char *dm = rs_reader_damage_message(s);
        rs_str_copy(e->message, sizeof e->message, dm ? dm : "");
        rs_reader_close(s);
        rs_cat_entry_finish(e);
    }
    /* after reading: opening a killed recorder's file may replay its WAL */
    stamp_of(path, &e->stamp);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct rs_cat_file *)a)->name, ((const struct rs_cat_file *)b)->name);
}

static void free_files(struct rs_cat_file *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)f[i].name);
    free(f);
}

/* The session files of dir, sorted by name, with their stamps. */
static int list_files(const char *dir, struct rs_cat_file **out, size_t *nout)
{
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    size_t n = 0, cap = 0;
    struct rs_cat_file *f = NULL;
    struct dirent *de;
    int rc = 0;
    while (!rc && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len <= 9 || len >= RS_CAT_NAME_MAX || strcmp(de->d_name + len - 9, ".rsession") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            struct rs_cat_file *nf = realloc(f, nc * sizeof *nf);
            if (!nf) {
                rc = -ENOMEM;
                break;
            }
            f = nf;
            cap = nc;
        }
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (!(f[n].name = strdup(de->d_name)))
            rc = -ENOMEM;
        else
            stamp_of(path, &f[n++].stamp);
    }
    closedir(d);
    if (rc) {
        free_files(f, n);
        return rc;
    }
    if (n)
        qsort(f, n, sizeof *f, cmp_file);
    *out = f;
    *nout = n;
    return 0;
}

/* The catalog file as it is: 0 and c, or -1 with why in note ("" when it
 * simply is not there). */
static int read_catalog(const char *dir, struct rs_catalog *c, char *note, size_t cap)
{
    char path[1200], err[300];
    snprintf(path, sizeof path, "%s/%s", dir, RS_CAT_FILE);
    size_t len;
    note[0] = '\0';
    char *text = rs_read_text_file(path, CAT_MAX_BYTES, &len, err, sizeof err);
    if (!text) {
        if (errno != ENOENT && snprintf(note, cap, "the catalog could not be read (%s): rebuilt from the session files",
                     err) >= (int)cap)
            rs_str_copy(note + cap - 4, 4, "...");
        return -1;
    }
    int rc = rs_cat_parse(text, len, c, err, sizeof err);
    free(text);
    if (rc != 0 && snprintf(note, cap, "the catalog %s was damaged (%s): rebuilt from the session files",
                            path, err) >= (int)cap)
        rs_str_copy(note + cap - 4, 4, "...");
    return rc;
}

int rs_catalog_save(const char *dir, const struct rs_catalog *c)
{
    size_t len;
    char *text = rs_cat_format(c, &len);
    if (!text)
        return -ENOMEM;
    char tmp[1200], path[1200];
    snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, RS_CAT_FILE, (long)getpid());
    snprintf(path, sizeof path, "%s/%s", dir, RS_CAT_FILE);
    int rc = 0, fd = rs_file_create_private(tmp);
    if (fd < 0) {
        rc = -errno;
    } else {
        size_t off = 0;
        while (off < len && rc == 0) {
            ssize_t w = write(fd, text + off, len - off);
            if (w < 0 && errno != EINTR)
                rc = -errno;
            else if (w > 0)
                off += (size_t)w;
        }
        if (close(fd) != 0 && rc == 0)
            rc = -errno;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = -errno;
        if (rc != 0)
            unlink(tmp);
    }
    free(text);
    return rc;
}

/* The new catalog: kept entries from old, the others read from the files. */
static int refresh(const char *dir, const struct rs_catalog *old, const struct rs_cat_file *f,
                   size_t n, const long *keep, struct rs_catalog *c)
{
    struct rs_cat_entry *e = malloc(sizeof *e);
    if (!e)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (keep[i] >= 0) {
            *e = old->e[keep[i]];
        } else {
            rs_cat_entry_init(e, f[i].name, &f[i].stamp);
            rs_cat_entry_read(dir, e);
        }
        if (rs_catalog_push(c, e) != 0) {
            free(e);
            return -ENOMEM;
        }
    }
    free(e);
    return 0;
}

int rs_catalog_load(const char *dir, bool save, struct rs_catalog *c, struct rs_cat_status *st)
{
    memset(st, 0, sizeof *st);
    rs_catalog_init(c);
    struct rs_cat_file *f = NULL;
    size_t n = 0;
    int rc = list_files(dir, &f, &n);
    if (rc != 0)
        return rc;
    struct rs_catalog old;
    rs_catalog_init(&old);
    bool have = read_catalog(dir, &old, st->note, sizeof st->note) == 0;
    long *keep = malloc((n ? n : 1) * sizeof *keep);
    if (!keep) {
        rc = -ENOMEM;
    } else {
        st->read = rs_cat_plan(&old, f, n, keep, &st->dropped);
        st->state = !have ? RS_CAT_REBUILT : st->read || st->dropped ? RS_CAT_UPDATED : RS_CAT_FRESH;
        rc = refresh(dir, &old, f, n, keep, c);
    }
    if (rc == 0 && save && st->state != RS_CAT_FRESH) {
        int w = rs_catalog_save(dir, c);
        st->saved = w == 0;
        st->save_errno = -w; /* a read-only directory is listed all the same */
    }
    if (rc != 0)
        rs_catalog_free(c);
    free(keep);
    free_files(f, n);
    rs_catalog_free(&old);
    return rc;
}
