/*
 * rs_proto.h - rollsense wire protocol v1: frame structs, encoder, streaming
 * decoder. docs/protocol.md is the specification; this is its one C
 * implementation, compiled into both the firmware (avr-gcc, no malloc) and
 * the host (C11, -Wall -Wextra -Werror).
 *
 * A frame on the wire is 0x00, COBS(version, type, body..., crc32 LE), 0x00.
 * The leading delimiter ends whatever partial frame or line noise came before,
 * so that noise can never cost the next intact frame. The CRC-32 (IEEE 802.3, as zlib's crc32) covers
 * version, type and body. All multi-byte fields are little-endian.
 *
 * Contract of the decoder: it is fed bytes in any split and delivers exactly
 * the intact frames, in order, whatever corruption lies between them. It
 * holds one frame's worth of bytes at most, never allocates, and counts what
 * it throws away in struct rs_decoder_stats.
 */
#ifndef RS_PROTO_H
#define RS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_PROTO_VERSION 1u

/* Largest decoded frame (version + type + body + CRC). Longer is "oversize". */
#define RS_FRAME_MAX 64u
/* Largest encoded frame on the wire: two delimiters and one COBS code byte
 * (frames are under 254 bytes, so COBS adds exactly one). */
#define RS_WIRE_MAX (RS_FRAME_MAX + 3u)

/* Frame types. Device to host below 0x80, host to device from 0x80. */
enum rs_frame_type {
    RS_FT_INFO = 0x01,
    RS_FT_SAMPLE = 0x02,
    RS_FT_REPLY = 0x03,
    RS_FT_FAULT = 0x04,
    RS_FT_CAL = 0x05,

    RS_FT_CMD_START = 0x80,
    RS_FT_CMD_STOP = 0x81,
    RS_FT_CMD_GET_INFO = 0x82,
    RS_FT_CMD_GET_CAL = 0x83,
    RS_FT_CMD_SET_CAL = 0x84,
    RS_FT_CMD_SAVE_CAL = 0x85,
    RS_FT_CMD_IDENTIFY = 0x86,
    RS_FT_CMD_RESET = 0x87,
};

/* Status bits carried by every sample frame. */
enum rs_status_bit {
    RS_ST_HX_LEFT = 1u << 0,   /* left HX711 missing or stuck */
    RS_ST_HX_RIGHT = 1u << 1,  /* right HX711 missing or stuck */
    RS_ST_MAGNET = 1u << 2,    /* encoder: magnet missing or field out of range */
    RS_ST_ENC_PARITY = 1u << 3, /* encoder: parity error since the last sample */
    RS_ST_ENC_ERROR = 1u << 4, /* encoder: error flag set in a reply */
    RS_ST_CAL_DEFAULT = 1u << 5, /* no valid calibration block: defaults in use */
    RS_ST_OVERFLOW = 1u << 6,  /* samples were dropped before this one */
    RS_ST_WDT_RESET = 1u << 7, /* the last reset was by the watchdog */
};

/* Calibration state reported in the info frame. */
enum rs_cal_state {
    RS_CAL_OK = 0,        /* a valid saved block is in use */
    RS_CAL_DEFAULT = 1,   /* never saved: defaults in use */
    RS_CAL_CORRUPT = 2,   /* both EEPROM slots failed their CRC: defaults in use */
};

/* Reply codes: 0 is ACK, everything else is a NAK reason. */
enum rs_reply_code {
    RS_REPLY_ACK = 0,
    RS_NAK_UNKNOWN = 1,   /* unknown command type */
    RS_NAK_LENGTH = 2,    /* body too short for the command */
    RS_NAK_ARG = 3,       /* an argument is out of range */
    RS_NAK_BUSY = 4,      /* a previous command (e.g. save) is still running */
    RS_NAK_STORAGE = 5,   /* EEPROM write or verify failed */
};

/* Fault codes in fault frames (same meaning as the status bits). */
enum rs_fault_code {
    RS_FAULT_HX_LEFT = 1,
    RS_FAULT_HX_RIGHT = 2,
    RS_FAULT_MAGNET = 3,
    RS_FAULT_ENC_PARITY = 4,
    RS_FAULT_ENC_ERROR = 5,
    RS_FAULT_CAL_CORRUPT = 6,
    RS_FAULT_OVERFLOW = 7,
    RS_FAULT_WATCHDOG = 8,
};

#define RS_SERIAL_LEN 12u

/* RS_FT_SAMPLE: one per HX711 conversion. */
struct rs_sample {
    uint32_t seq;       /* +1 per sample produced (sent or dropped) */
    uint32_t t_us;      /* device clock at the conversion, wraps at 2^32 us */
    int32_t left;       /* left bridge, signed 24-bit raw counts */
    int32_t right;      /* right bridge, signed 24-bit raw counts */
    int32_t enc;        /* cumulative encoder count (16384 per revolution) */
    uint16_t status;    /* enum rs_status_bit */
};

/* RS_FT_INFO: on request and whenever streaming starts. */
struct rs_info {
    uint8_t fw_major, fw_minor, fw_patch;
    uint8_t cal_state;          /* enum rs_cal_state */
    uint16_t sample_rate_hz;    /* nominal sample-frame rate */
    uint16_t enc_counts_per_rev;
    uint8_t hw_rev;
    uint8_t streaming;          /* 1 while sample frames are being sent */
    char serial[RS_SERIAL_LEN]; /* ASCII, NUL-padded, not necessarily terminated */
};

/* RS_FT_CAL and the body of RS_FT_CMD_SET_CAL: the calibration block. */
struct rs_cal {
    int32_t offset_left;     /* raw counts at zero load */
    int32_t offset_right;
    float scale_left;        /* raw counts per newton */
    float scale_right;
    uint32_t radius_um;      /* effective roller radius, micrometres */
    int8_t enc_dir;          /* +1 or -1: sign that makes forward rolling positive */
    char serial[RS_SERIAL_LEN];
};

/* RS_FT_REPLY: answers every well-formed command. */
struct rs_reply {
    uint8_t token;   /* copied from the command */
    uint8_t cmd;     /* the command's frame type */
    uint8_t code;    /* enum rs_reply_code */
};

/* RS_FT_FAULT: sent when a fault condition appears or clears. */
struct rs_fault {
    uint8_t code;    /* enum rs_fault_code */
    uint8_t active;  /* 1 appeared, 0 cleared */
    uint32_t t_us;
};

/* Host-to-device command. Every command body starts with a token byte. */
struct rs_cmd {
    uint8_t token;
    union {
        struct rs_cal cal;       /* RS_FT_CMD_SET_CAL */
        uint8_t identify_s;      /* RS_FT_CMD_IDENTIFY: blink for N seconds */
        uint8_t reset_mode;      /* RS_FT_CMD_RESET: 0 restart, 1 bootloader */
    } arg;
};

struct rs_frame {
    uint8_t version;   /* filled by the decoder; the encoder always writes v1 */
    uint8_t type;      /* enum rs_frame_type */
    union {
        struct rs_sample sample;
        struct rs_info info;
        struct rs_cal cal;
        struct rs_reply reply;
        struct rs_fault fault;
        struct rs_cmd cmd;
    } u;
};

/* ---- building blocks (exposed for tests and for the firmware) ---------- */

uint32_t rs_crc32(uint32_t crc, const uint8_t *p, size_t n);

/* COBS-encode n bytes (n <= 254) into out (room for n + 1). Returns bytes written. */
size_t rs_cobs_encode(const uint8_t *in, size_t n, uint8_t *out);
/* COBS-decode in place-safe into out (room for n). Returns length, or -1 if malformed. */
int rs_cobs_decode(const uint8_t *in, size_t n, uint8_t *out);

/* Minimum body length of a known type, or -1 for an unknown type. */
int rs_body_len(uint8_t type);

/* ---- encoding ----------------------------------------------------------- */

/*
 * Encode a frame for the wire: 0x00, COBS(version, type, body, crc), 0x00. out must hold RS_WIRE_MAX bytes. Returns the byte count, or 0 for an
 * unknown type.
 */
size_t rs_frame_encode(const struct rs_frame *f, uint8_t *out);

/*
 * The frame before COBS: version, type, body, CRC-32 into raw (RS_FRAME_MAX
 * bytes), exactly what rs_frame_parse() accepts. Returns its length, or 0 for
 * an unknown type. For storing frames (session files) without the framing.
 */
size_t rs_frame_pack(const struct rs_frame *f, uint8_t *raw);

/*
 * Lower level: append the CRC-32 of raw[0..n) at raw[n..n+4) (raw must have
 * room, n + 4 <= RS_FRAME_MAX), COBS-encode between two delimiters into out
 * (RS_WIRE_MAX bytes). Returns the wire byte count. For frames of types the
 * struct encoder does not know (tests, future extensions).
 */
size_t rs_wire_wrap(uint8_t *raw, size_t n, uint8_t *out);

/* ---- streaming decoder ---------------------------------------------------- */

struct rs_decoder_stats {
    uint32_t frames;        /* intact frames delivered */
    uint32_t crc_errors;    /* right shape, wrong CRC */
    uint32_t framing_errors;/* malformed COBS, or too short to hold a header and CRC */
    uint32_t oversize;      /* more than RS_FRAME_MAX bytes before a delimiter */
    uint32_t unknown_type;  /* intact frame of a type this version does not know */
    uint32_t bad_length;    /* intact frame of a known type with a short body */
    uint32_t bad_version;   /* intact frame of another protocol version */
    uint8_t last_version;   /* version byte of the last bad_version frame */
};

struct rs_decoder {
    uint8_t buf[RS_FRAME_MAX + 1u];   /* COBS bytes of one frame, no delimiters */
    uint8_t len;
    uint8_t overflow;   /* discarding until the next delimiter */
    struct rs_decoder_stats stats;
};

void rs_decoder_init(struct rs_decoder *d);

/*
 * Push one byte. Returns 1 and fills *out when the byte completes an intact
 * frame of a known type and this version; 0 otherwise (bytes are buffered, or
 * a bad frame was dropped and counted).
 */
int rs_decoder_push(struct rs_decoder *d, uint8_t byte, struct rs_frame *out);

/*
 * Decode one COBS-decoded frame (version, type, body, crc) into *out.
 * Returns 0 on success or a negative enum rs_decode_err; used by the streaming
 * decoder and by readers of stored raw frames.
 */
enum rs_decode_err {
    RS_DEC_OK = 0,
    RS_DEC_FRAMING = -1,
    RS_DEC_CRC = -2,
    RS_DEC_UNKNOWN = -3,
    RS_DEC_LENGTH = -4,
    RS_DEC_VERSION = -5,
};
int rs_frame_parse(const uint8_t *raw, size_t n, struct rs_frame *out);
/* Host only: rs_frame_parse in two steps, for a reader that checks frames
 * on one thread and fills the structs on another. rs_frame_check answers
 * what rs_frame_parse would; rs_frame_decode fills *out from a frame it
 * accepted (RS_DEC_OK), exactly as rs_frame_parse does. */
int rs_frame_check(const uint8_t *raw, size_t n);
void rs_frame_decode(const uint8_t *raw, struct rs_frame *out);

const char *rs_frame_type_name(uint8_t type);
/* "hx_left", "magnet", ... for enum rs_fault_code; "unknown" otherwise. */
const char *rs_fault_name(uint8_t code);

#endif
