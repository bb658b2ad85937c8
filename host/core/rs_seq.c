/* rs_seq.c - the one count of lost frames, from sequence numbers (see rs_seq.h). */
#include "rs_seq.h"

#include <string.h>

void rs_seq_init(struct rs_seq *s)
{
    memset(s, 0, sizeof *s);
}

void rs_seq_gap(struct rs_seq *s)
{
    if (s->have)
        s->after_gap = true;
}

uint32_t rs_seq_push(struct rs_seq *s, uint32_t seq, int64_t *missed)
{
    uint32_t lost = 0;
    uint32_t d = seq - s->last;   /* mod 2^32: a forward step is < 2^31 */
    if (!s->have) {
        s->have = true;
    } else if (s->after_gap) {
        s->after_gap = false;
        if (missed)
            *missed = (d != 0 && d < 0x80000000u) ? (int64_t)d - 1 : -1;
        if (d == 0 || d >= 0x80000000u)
            s->resets++;
    } else if (d == 0 || d >= 0x80000000u) {
        s->resets++;
    } else {
        lost = d - 1;
        s->lost += lost;
    }
    s->last = seq;
    return lost;
}
