/* rs_catfmt.c - the catalog file as text and back (docs/catalog.md). Pure.
 *
 *   rollsense-catalog 1
 *   S<TAB>name<TAB>size ... (one line per session, 23 fields)
 *   H<TAB>leg<TAB>pos_cm<TAB>seconds<TAB>bw_pct   (its holds, nholds lines)
 *   end<TAB>sessions<TAB>checksum (FNV-1a 64 of every byte before "end")
 *
 * Any line that does not parse, a count or checksum that does not match, or
 * names out of order make the whole file invalid: it is then rebuilt. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_catalog.h"

#define HEADER "rollsense-catalog 1\n"
#define S_FIELDS 23

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Names and messages: bytes that would break a line or a field as \xNN. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\')
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

static void put_entry(FILE *f, const struct rs_cat_entry *e)
{
    const struct rs_reader_summary *s = &e->sum;
    fputs("S\t", f);
    put_escaped(f, e->name);
    fprintf(f, "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%d", e->stamp.size,
            e->stamp.mtime_ns, e->stamp.wal_size, e->stamp.wal_mtime_ns, e->readable);
    fprintf(f, "\t%" PRId64 "\t%d\t%.17g\t%" PRIu64 "\t%u\t%u\t%.17g\t%.17g\t%d\t%d", s->start_host_us,
            s->tz_offset_s, s->duration_s, s->frames, s->holds[0], s->holds[1], s->longest_hold_s,
            s->peak_bw_pct, s->complete, s->uncalibrated);
    fprintf(f, "\t%.17g\t%.17g\t%.17g\t%d\t%d\t", e->calf_time_s[0], e->calf_time_s[1],
            e->typical_bw_pct, e->routines_done, e->nholds);
    put_escaped(f, e->message);
    fputc('\n', f);
    for (int i = 0; i < e->nholds; i++)
        fprintf(f, "H\t%d\t%.9g\t%.9g\t%.9g\n", e->hold[i].leg, e->hold[i].pos_cm,
                e->hold[i].seconds, e->hold[i].bw_pct);
}

char *rs_cat_format(const struct rs_catalog *c, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    fputs(HEADER, f);
    for (size_t i = 0; i < c->n; i++)
        put_entry(f, &c->e[i]);
    fflush(f);
    fprintf(f, "end\t%zu\t%016" PRIx64 "\n", c->n, fnv1a(buf, n));
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

/* ---- parsing ---------------------------------------------------------------- */

struct cursor {
    const char *p, *end;
    int line;
    char *err;
    size_t errcap;
};

static int fail(struct cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cursor *c, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errcap, "line %d: %s", c->line, what);
    return -1;
}

/* Split the next line into at most max tab-separated fields (in buf).
 * Returns the number of fields, or -1 at the end of the text. */
static int next_line(struct cursor *c, char *buf, size_t cap, char **field, int max)
{
    if (c->p >= c->end)
        return -1;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    size_t n = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
    c->line++;
    if (n >= cap || !nl || memchr(c->p, '\0', n)) { /* too long, unterminated or binary */
        c->p = c->end;
        buf[0] = '\0';
        field[0] = buf;
        return 0;
    }
    memcpy(buf, c->p, n);
    buf[n] = '\0';
    c->p = nl + 1;
    int k = 0;
    for (char *s = buf; k < max;) {
        field[k++] = s;
        char *t = strchr(s, '\t');
        if (!t)
            break;
        *t = '\0';
        s = t + 1;
    }
    return k;
}

static bool to_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    *out = v;
    return *s && !*end && errno == 0;
}

static bool to_dbl(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end && !isinf(*out);
}

static bool to_int(const char *s, int lo, int hi, int *out)
{
    int64_t v;
    if (!to_i64(s, &v) || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool unescape(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '\\') {
            unsigned v;
            if (s[1] != 'x' || sscanf(s + 2, "%2x", &v) != 1 || !s[2] || !s[3])
                return false;
            c = (char)v;
            s += 3;
        }
        if (n + 1 >= cap || c == '\0')
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return true;
}

/* The numeric fields of an S line, f[2..20]. */
static bool parse_numbers(char **f, struct rs_cat_entry *e)
{
    struct rs_reader_summary *s = &e->sum;
    int64_t frames = 0, start = 0;
    int ok = 1, b[4] = { 0 }, h[2] = { 0 };
    ok &= to_i64(f[2], &e->stamp.size) && to_i64(f[3], &e->stamp.mtime_ns);
    ok &= to_i64(f[4], &e->stamp.wal_size) && to_i64(f[5], &e->stamp.wal_mtime_ns);
    ok &= to_int(f[6], 0, 1, &b[0]) && to_i64(f[7], &start) &&
          to_int(f[8], -86400, 86400, &s->tz_offset_s);
    ok &= to_dbl(f[9], &s->duration_s) && to_i64(f[10], &frames) && frames >= 0;
    ok &= to_int(f[11], 0, 1000000, &h[0]) && to_int(f[12], 0, 1000000, &h[1]);
    ok &= to_dbl(f[13], &s->longest_hold_s) && to_dbl(f[14], &s->peak_bw_pct);
    ok &= to_int(f[15], 0, 1, &b[1]) && to_int(f[16], 0, 1, &b[2]);
    ok &= to_dbl(f[17], &e->calf_time_s[0]) && to_dbl(f[18], &e->calf_time_s[1]);
    ok &= to_dbl(f[19], &e->typical_bw_pct) && to_int(f[20], 0, 1000000, &e->routines_done);
    ok &= to_int(f[21], 0, RS_CAT_HOLDS_MAX, &b[3]);
    if (!ok)
        return false;
    e->readable = b[0];
    s->start_host_us = start;
    s->frames = (uint64_t)frames;
    s->holds[0] = (unsigned)h[0];
    s->holds[1] = (unsigned)h[1];
    s->complete = b[1];
    s->uncalibrated = b[2];
    e->nholds = b[3];
    return true;
}

static int parse_hold(struct cursor *c, char *buf, size_t cap, struct rs_cat_hold *h)
{
    char *f[6];
    double v[3];
    int n = next_line(c, buf, cap, f, 6);
    if (n != 5 || strcmp(f[0], "H") != 0 || !to_int(f[1], 0, 1, &h->leg) || !to_dbl(f[2], &v[0]) ||
        !to_dbl(f[3], &v[1]) || !to_dbl(f[4], &v[2]))
        return fail(c, "bad hold line");
    h->pos_cm = (float)v[0];
    h->seconds = (float)v[1];
    h->bw_pct = (float)v[2];
    return 0;
}

/* One S line (already split) and its H lines. */
static int parse_entry(struct cursor *c, char **f, int nf, char *buf, size_t cap,
                       struct rs_cat_entry *e)
{
    rs_cat_entry_init(e, "", NULL);
    /* f[] points into buf, which the hold lines reuse: take the strings first */
    if (nf != S_FIELDS || !unescape(f[1], e->name, sizeof e->name) || !e->name[0] ||
        !unescape(f[22], e->message, sizeof e->message))
        return fail(c, "bad session line");
    if (!parse_numbers(f, e))
        return fail(c, "bad number in the session line");
    for (int i = 0; i < e->nholds; i++)
        if (parse_hold(c, buf, cap, &e->hold[i]) != 0)
            return -1;
    return 0;
}

/* The trailer: the count and the checksum of everything before it. */
static int check_end(struct cursor *c, char **f, int nf, const char *text, const char *line_start,
                     size_t count)
{
    int64_t n;
    if (nf != 3 || !to_i64(f[1], &n) || (uint64_t)n != count)
        return fail(c, "the session count does not match");
    char want[17];
    snprintf(want, sizeof want, "%016" PRIx64, fnv1a(text, (size_t)(line_start - text)));
    if (strcmp(f[2], want) != 0)
        return fail(c, "checksum mismatch");
    if (c->p != c->end)
        return fail(c, "text after the end line");
    return 0;
}

static int parse_body(struct cursor *c, const char *text, struct rs_catalog *cat)
{
    char buf[4096]; /* one line */
    char *f[S_FIELDS + 1];
    struct rs_cat_entry e;
    for (;;) {
        const char *start = c->p;
        int nf = next_line(c, buf, sizeof buf, f, S_FIELDS + 1);
        if (nf < 0)
            return fail(c, "no end line (the file was cut short)");
        if (strcmp(f[0], "end") == 0)
            return check_end(c, f, nf, text, start, cat->n);
        if (strcmp(f[0], "S") != 0)
            return fail(c, "unknown line");
        if (parse_entry(c, f, nf, buf, sizeof buf, &e) != 0)
            return -1;
        if (cat->n && strcmp(cat->e[cat->n - 1].name, e.name) >= 0)
            return fail(c, "sessions out of order");
        if (rs_catalog_push(cat, &e) != 0)
            return fail(c, "out of memory");
    }
}

int rs_cat_parse(const char *text, size_t len, struct rs_catalog *cat, char *err, size_t errcap)
{
    rs_catalog_free(cat);
    struct cursor c = { text, text + len, 1, err, errcap };
    size_t hl = strlen(HEADER);
    if (len < hl || memcmp(text, HEADER, hl) != 0) {
        snprintf(err, errcap, "not a rollsense catalog of version %d", RS_CAT_VERSION);
        return -1;
    }
    c.p += hl;
    if (parse_body(&c, text, cat) != 0) {
        rs_catalog_free(cat);
        return -1;
    }
    return 0;
}
