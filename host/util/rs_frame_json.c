/* rs_frame_json.c - see rs_frame_json.h. */
#include "rs_frame_json.h"

#include <stdio.h>
#include <string.h>

#include "rs_json.h"

static void cal_fields(struct rs_json *j, const struct rs_cal *c)
{
    rs_json_int(j, "offset_left", c->offset_left);
    rs_json_int(j, "offset_right", c->offset_right);
    rs_json_num(j, "scale_left", c->scale_left, 6);
    rs_json_num(j, "scale_right", c->scale_right, 6);
    rs_json_int(j, "radius_um", c->radius_um);
    rs_json_int(j, "enc_dir", c->enc_dir);
    rs_json_strn(j, "serial", c->serial, strnlen(c->serial, RS_SERIAL_LEN));
}

const char *rs_frame_json(const struct rs_frame *f, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    rs_json_str(&j, "type", rs_frame_type_name(f->type));
    switch (f->type) {
    case RS_FT_SAMPLE: {
        const struct rs_sample *s = &f->u.sample;
        rs_json_int(&j, "seq", s->seq);
        rs_json_int(&j, "t_us", s->t_us);
        rs_json_int(&j, "left", s->left);
        rs_json_int(&j, "right", s->right);
        rs_json_int(&j, "enc", s->enc);
        rs_json_int(&j, "status", s->status);
        break;
    }
    case RS_FT_INFO: {
        const struct rs_info *i = &f->u.info;
        char fw[16];
        snprintf(fw, sizeof fw, "%u.%u.%u", i->fw_major, i->fw_minor, i->fw_patch);
        rs_json_int(&j, "protocol", f->version);
        rs_json_str(&j, "firmware", fw);
        rs_json_int(&j, "cal_state", i->cal_state);
        rs_json_int(&j, "sample_rate_hz", i->sample_rate_hz);
        rs_json_int(&j, "enc_counts_per_rev", i->enc_counts_per_rev);
        rs_json_int(&j, "hw_rev", i->hw_rev);
        rs_json_bool(&j, "streaming", i->streaming);
        rs_json_strn(&j, "serial", i->serial, strnlen(i->serial, RS_SERIAL_LEN));
        break;
    }
    case RS_FT_CAL:
        cal_fields(&j, &f->u.cal);
        break;
    case RS_FT_REPLY:
        rs_json_int(&j, "token", f->u.reply.token);
        rs_json_str(&j, "cmd", rs_frame_type_name(f->u.reply.cmd));
        rs_json_int(&j, "code", f->u.reply.code);
        rs_json_bool(&j, "ack", f->u.reply.code == RS_REPLY_ACK);
        break;
    case RS_FT_FAULT:
        rs_json_int(&j, "code", f->u.fault.code);
        rs_json_str(&j, "fault", rs_fault_name(f->u.fault.code));
        rs_json_bool(&j, "active", f->u.fault.active);
        rs_json_int(&j, "t_us", f->u.fault.t_us);
        break;
    case RS_FT_CMD_SET_CAL:
        rs_json_int(&j, "token", f->u.cmd.token);
        cal_fields(&j, &f->u.cmd.arg.cal);
        break;
    case RS_FT_CMD_IDENTIFY:
        rs_json_int(&j, "token", f->u.cmd.token);
        rs_json_int(&j, "seconds", f->u.cmd.arg.identify_s);
        break;
    case RS_FT_CMD_RESET:
        rs_json_int(&j, "token", f->u.cmd.token);
        rs_json_int(&j, "mode", f->u.cmd.arg.reset_mode);
        break;
    default:
        rs_json_int(&j, "token", f->u.cmd.token);
        break;
    }
    return rs_json_end(&j);
}

const char *rs_decoder_stats_json(const struct rs_decoder_stats *st,
                                  unsigned long long bytes, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    rs_json_str(&j, "type", "summary");
    rs_json_int(&j, "frames", st->frames);
    rs_json_int(&j, "crc_errors", st->crc_errors);
    rs_json_int(&j, "framing_errors", st->framing_errors);
    rs_json_int(&j, "oversize", st->oversize);
    rs_json_int(&j, "unknown_type", st->unknown_type);
    rs_json_int(&j, "bad_length", st->bad_length);
    rs_json_int(&j, "bad_version", st->bad_version);
    rs_json_int(&j, "bytes", (long long)bytes);
    return rs_json_end(&j);
}
