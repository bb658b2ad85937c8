/*
 * rs_frame_json.h - one decoded protocol frame as one JSON object, and the
 * decoder's counters as the closing summary object. Used by `rollsense decode`
 * and by `--frames` output of the live and demo commands.
 */
#ifndef RS_FRAME_JSON_H
#define RS_FRAME_JSON_H

#include <stddef.h>

#include "rs_proto.h"

/* Returns buf, or NULL if buf (>= 256 bytes is always enough) is too small. */
const char *rs_frame_json(const struct rs_frame *f, char *buf, size_t cap);

/* {"type":"summary","frames":N,"crc_errors":N,...,"bytes":N} */
const char *rs_decoder_stats_json(const struct rs_decoder_stats *st,
                                  unsigned long long bytes, char *buf, size_t cap);

#endif
