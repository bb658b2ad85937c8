/*
 * rs_seq.h - frames lost, counted from sequence numbers: the one loss count.
 *
 * Pure. Every sample's sequence number goes through rs_seq_push(); a forward
 * jump of d means d - 1 frames were lost on the way (docs/protocol.md,
 * "Timing and loss": loss is counted, never guessed). A sequence number that
 * goes backwards or repeats is a device reset or a duplicate: it is counted
 * in `resets`, becomes the new baseline and loses nothing. After
 * rs_seq_gap() (the roller was unplugged), the frames the device made until
 * it came back belong to the gap, not to `lost`: the next push starts a new
 * baseline and its distance from the old one goes to *missed instead.
 *
 * The pipeline keeps the count every view, summary and replay shows; the
 * connection keeps its own instance only to raise its LOST events.
 */
#ifndef RS_SEQ_H
#define RS_SEQ_H

#include <stdbool.h>
#include <stdint.h>

struct rs_seq {
    bool have;
    bool after_gap;
    uint32_t last;
    uint64_t lost;
    uint32_t resets;
};

void rs_seq_init(struct rs_seq *s);
void rs_seq_gap(struct rs_seq *s);
/*
 * Returns how many frames were lost just before seq (0 in the normal case).
 * missed (may be NULL): set only for the first push after a gap, to the
 * number of frames the device produced during the gap, or -1 when the device
 * restarted its count (unknown).
 */
uint32_t rs_seq_push(struct rs_seq *s, uint32_t seq, int64_t *missed);

#endif
