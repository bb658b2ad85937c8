/*
 * rs_reader.h - reading session files: an iterator over the stored frames,
 * gaps, events and marks in recording order, the snapshot, the summary and
 * the listing of a session directory.
 *
 * This is the API replay and analyze build on: open, read the snapshot
 * (rs_reader_meta "calibration", "device_info", ...), then
 *     while ((rc = rs_reader_next(s, &item)) > 0) feed item to the pipeline;
 * rs_reader_seek() jumps to a device time for the replay timeline.
 *
 * Damaged files are expected input, not bugs. The reader never crashes on
 * them and never stops at the first problem: a frame whose stored CRC fails
 * is skipped and counted, a region of the file SQLite reports as corrupt is
 * skipped by seeking past it, and rs_reader_damage() then describes in one
 * line what was lost. A file that cannot be read at all (not SQLite, not a
 * session, a newer format) fails to open with a one-line message.
 */
#ifndef RS_READER_H
#define RS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_proto.h"

enum rs_reader_err {
    RS_READER_OK = 0,
    RS_READER_ENOENT = -1,    /* no such file or unreadable */
    RS_READER_ENOTDB = -2,    /* not an SQLite database (or its header is damaged) */
    RS_READER_ENOTSESS = -3,  /* SQLite, but not a rollsense session */
    RS_READER_EVERSION = -4,  /* written by a newer format */
    RS_READER_EEMPTY = -5,    /* a session file with nothing committed (killed at start) */
    RS_READER_ECORRUPT = -6,  /* damaged beyond reading */
};

enum rs_item_kind {
    RS_ITEM_FRAME = 0,
    RS_ITEM_GAP = 1,
    RS_ITEM_EVENT = 2,
    RS_ITEM_MARK = 3,
};

/*
 * One record of the session. The strings point into the reader and stay
 * valid until the next rs_reader_next/seek/close.
 */
struct rs_item {
    enum rs_item_kind kind;
    int64_t host_us;          /* host wall clock at receipt, us since 1970 */
    int64_t dev_us;           /* device time, unwrapped, us */
    int64_t id;               /* frame id (frames) or log id (others) */
    struct rs_frame frame;    /* RS_ITEM_FRAME */
    const uint8_t *raw;       /* RS_ITEM_FRAME: the stored frame bytes (version, type,
                                 body, CRC-32), for a replay through rs_frame_parse()
                                 or rs_wire_wrap() + the streaming decoder */
    size_t raw_len;
    const char *type;         /* event type, mark label, gap reason */
    const char *json;         /* event/gap/mark data (JSON object text) */
};

/* What the reader had to leave out, counted while reading. */
struct rs_reader_damage {
    uint64_t bad_frames;      /* stored frames failing their CRC or parse */
    uint64_t bad_rows;        /* log rows with impossible values */
    uint64_t lost_rows;       /* row ids skipped over in corrupt regions */
    uint64_t corrupt_regions; /* times SQLite reported corruption */
    bool meta_lost;           /* the snapshot could not be read */
    uint64_t truncated_bytes; /* file shorter than its header says by this much */
};

/* History view of one session (also the stored "summary" meta row). */
struct rs_reader_summary {
    int64_t start_host_us;    /* 0 if unknown */
    int tz_offset_s;
    double duration_s;        /* device time from first to last frame */
    uint64_t frames;
    unsigned holds[2];        /* [0] left, [1] right */
    double longest_hold_s;    /* 0 if no holds */
    double peak_bw_pct;       /* NAN if unknown */
    bool complete;            /* closed normally (summary row present) */
    /* The roller was not calibrated (the "calibration" or
     * "calibration_start" meta says calibrated false): its forces and %BW
     * are nominal, not to be listed as measured. */
    bool uncalibrated;
};

struct rs_reader;

/*
 * Open a session file read-only. On failure returns a negative
 * enum rs_reader_err and a one-line message in msg (may be NULL).
 */
int rs_reader_open(struct rs_reader **out, const char *path, char *msg, size_t msgcap);
/*
 * The same for a session image of SIZE bytes at DATA (a whole session file,
 * read into memory; a -wal file does not apply), copied: DATA may go away
 * after the call. NAME stands for the file in messages. For tools and the
 * fuzzer, which read many images without touching the disk.
 */
int rs_reader_open_mem(struct rs_reader **out, const char *name, const void *data, size_t size,
                       char *msg, size_t msgcap);
void rs_reader_close(struct rs_reader *s);

/* Snapshot / meta value (JSON text) for key, or NULL. Valid until close. */
const char *rs_reader_meta(struct rs_reader *s, const char *key);

/* Next item in recording order: 1 and *it, 0 at the end. Never fails. */
int rs_reader_next(struct rs_reader *s, struct rs_item *it);

/*
 * For a pass over the whole session (analyze, export): from now on the
 * frames of a session file are stepped ahead by two worker threads with
 * connections of their own, chunk by chunk, where the machine has two
 * cores or more (rs_scan.h); nothing changes for a reader of bytes in
 * memory or on one core. The items, their order, the end and the damage
 * counters after each item are exactly those of the reader without it; a
 * seek stops the workers and they start again from the new position.
 * rs_reader_close joins them. 0 always.
 */
int rs_reader_readahead(struct rs_reader *s);

/* Rewind and position so the next item is the first frame with dev_us >= dev_us
 * (items logged after the frame before it come first). 0 always. */
int rs_reader_seek(struct rs_reader *s, int64_t dev_us);

/*
 * Every gap, event and mark of the session in order, without reading the
 * frames (fast even for 10 hours: for the replay timeline's hold markers).
 * fn gets items as rs_reader_next would deliver them (frame fields unset);
 * the strings are valid during the call. Independent of the iteration
 * position. Returns the number of items.
 */
typedef void (*rs_reader_item_fn)(void *ctx, const struct rs_item *it);
long rs_reader_log(struct rs_reader *s, rs_reader_item_fn fn, void *ctx);

/* Stored frames (all types; ids are contiguous, so this is rowid arithmetic)
 * and the device time of the first and last sample frame. Cheap. */
int rs_reader_span(struct rs_reader *s, uint64_t *frames, int64_t *first_dev_us,
                    int64_t *last_dev_us);

/* Summary: the stored row if present, else computed from frames and hold_end events. */
int rs_reader_summary(struct rs_reader *s, struct rs_reader_summary *sum);

/* Damage counters so far (grow while iterating). */
void rs_reader_get_damage(const struct rs_reader *s, struct rs_reader_damage *d);

/*
 * One line describing what was lost so far, or NULL if nothing. E.g.
 * "damaged file: 3 frames failed their checksum and were skipped; a corrupt
 * region was skipped (about 812 rows lost)".
 */
const char *rs_reader_damage_message(struct rs_reader *s);

const char *rs_reader_strerror(int err);

/*
 * List the sessions in dir (files ending in ".rsession"), oldest first by
 * file name, calling fn for each. A file that fails to open is reported with
 * sum == NULL and its message. Returns the count of files, or -errno.
 */
typedef void (*rs_reader_list_fn)(void *ctx, const char *path,
                                   const struct rs_reader_summary *sum,
                                   const char *message);
int rs_reader_list(const char *dir, rs_reader_list_fn fn, void *ctx);

/* ISO 8601 local time with offset: "2026-11-21T18:20:56.250000+01:00" (32 bytes is enough). */
const char *rs_iso8601(int64_t host_us, int tz_offset_s, char *buf, size_t cap);

#endif
