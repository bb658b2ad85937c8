/* rs_match.c - roller matching and choice (see rs_match.h). Pure. */
#include "rs_match.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rs_defaults.h"

enum rs_match rs_port_match(const struct rs_port_desc *d)
{
    if (!d->usb || d->vid != RS_USB_VID || d->pid != RS_USB_PID)
        return RS_MATCH_NO;
    if (d->product[0] == '\0')
        return RS_MATCH_MAYBE;
    return strcmp(d->product, RS_USB_PRODUCT) == 0 ? RS_MATCH_YES : RS_MATCH_NO;
}

static void copy_str(char *dst, const char *src)
{
    snprintf(dst, RS_DESC_STR, "%s", src);
}

void rs_port_merge_usb(struct rs_port_desc *ports, size_t n,
                       const struct rs_usb_desc *usb, size_t m)
{
    for (size_t i = 0; i < n; i++) {
        struct rs_port_desc *p = &ports[i];
        if (!p->usb || (p->product[0] && p->manufacturer[0]))
            continue;
        const struct rs_usb_desc *found = NULL;
        size_t same_ids = 0;
        for (size_t k = 0; k < m; k++) {
            if (usb[k].vid != p->vid || usb[k].pid != p->pid)
                continue;
            same_ids++;
            if (p->serial[0] && strcmp(p->serial, usb[k].serial) == 0)
                found = &usb[k];
            else if (!p->serial[0] && !found)
                found = &usb[k];
        }
        /* Without a serial number the pairing is only safe when unique. */
        if (!p->serial[0] && same_ids != 1)
            found = NULL;
        if (!found)
            continue;
        if (!p->product[0])
            copy_str(p->product, found->product);
        if (!p->manufacturer[0])
            copy_str(p->manufacturer, found->manufacturer);
    }
}

int rs_pick_roller(const struct rs_roller *list, size_t n, const char *want, size_t *idx)
{
    if (want && *want) {
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(list[i].serial, want) == 0) {
                *idx = i;
                return RS_PICK_OK;
            }
        return RS_PICK_NO_SERIAL;
    }
    if (n == 0)
        return RS_PICK_NONE;
    if (n > 1)
        return RS_PICK_AMBIGUOUS;
    *idx = 0;
    return RS_PICK_OK;
}

/* Append to buf at *len; on overflow fill up with as much of s as fits and
 * end the text with "..." (in the last 4 bytes, right after that part). */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t k = strlen(s);
    if (*len + k + 1 <= cap) {
        memcpy(buf + *len, s, k + 1);
        *len += k;
    } else if (cap >= 4) {
        size_t keep = cap - 4;
        if (*len < keep)
            memcpy(buf + *len, s, keep - *len); /* k > keep - *len: s is longer */
        memcpy(buf + keep, "...", 4);
        *len = cap - 1;
    }
}

static void list_rollers(char *buf, size_t cap, size_t *len, const struct rs_roller *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char one[RS_DESC_STR + 300];
        snprintf(one, sizeof one, "%s%s on %s", i ? ", " : "",
                 list[i].serial[0] ? list[i].serial : "(no serial)", list[i].path);
        append(buf, cap, len, one);
    }
}

const char *rs_pick_message(int err, const struct rs_roller *list, size_t n, const char *want,
                            char *buf, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    switch (err) {
    case RS_PICK_OK:
        append(buf, cap, &len, "ok");
        break;
    case RS_PICK_NONE:
        append(buf, cap, &len, "no roller found (is it plugged in? try --port PATH)");
        break;
    case RS_PICK_NO_SERIAL: {
        char head[RS_DESC_STR + 64];
        snprintf(head, sizeof head, "no roller with serial %s", want ? want : "");
        append(buf, cap, &len, head);
        if (n) {
            append(buf, cap, &len, "; found: ");
            list_rollers(buf, cap, &len, list, n);
        }
        break;
    }
    case RS_PICK_AMBIGUOUS:
        append(buf, cap, &len, "several rollers found: ");
        list_rollers(buf, cap, &len, list, n);
        append(buf, cap, &len, "; choose one with --device SERIAL");
        break;
    default:
        append(buf, cap, &len, "unknown error");
        break;
    }
    return buf;
}
