/* rs_simroller.c - the simulated roller behind the wire protocol (see rs_simroller.h). */
#include "rs_simroller.h"

#include <string.h>

#include "rs_defaults.h"

#define PERIOD_US (1000000u / RS_SAMPLE_RATE_HZ)

void rs_simroller_init(struct rs_simroller *r, const struct rs_scenario *scn)
{
    memset(r, 0, sizeof *r);
    r->scn = *scn;
    rs_sim_init(&r->sim, &r->scn);
    rs_decoder_init(&r->cmd);
    rs_simroller_cal(r, &r->cal);
    r->saved = r->cal;
}

void rs_simroller_cal(const struct rs_simroller *r, struct rs_cal *out)
{
    memset(out, 0, sizeof *out);
    out->offset_left = r->scn.offset_left;
    out->offset_right = r->scn.offset_right;
    out->scale_left = RS_DEFAULT_SCALE_COUNTS_PER_N;
    out->scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    out->radius_um = RS_DEFAULT_RADIUS_UM;
    out->enc_dir = 1;
    memcpy(out->serial, RS_SIMROLLER_SERIAL, strlen(RS_SIMROLLER_SERIAL));
}

/* Queue one device frame; a full queue drops it (the host resends commands). */
static void send(struct rs_simroller *r, const struct rs_frame *f)
{
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(f, wire);
    if (r->qlen + n > sizeof r->queue)
        return;
    memcpy(r->queue + r->qlen, wire, n);
    r->qlen += n;
}

static void send_info(struct rs_simroller *r)
{
    struct rs_frame f = { .type = RS_FT_INFO };
    f.u.info.fw_major = 0;
    f.u.info.fw_minor = 1;
    f.u.info.fw_patch = 0;
    f.u.info.cal_state = RS_CAL_OK;
    f.u.info.sample_rate_hz = RS_SAMPLE_RATE_HZ;
    f.u.info.enc_counts_per_rev = RS_ENC_COUNTS_PER_REV;
    f.u.info.streaming = r->streaming;
    memcpy(f.u.info.serial, RS_SIMROLLER_SERIAL, strlen(RS_SIMROLLER_SERIAL));
    send(r, &f);
}

static void reply(struct rs_simroller *r, const struct rs_frame *cmd, uint8_t code)
{
    struct rs_frame f = { .type = RS_FT_REPLY };
    f.u.reply.token = cmd->u.cmd.token;
    f.u.reply.cmd = cmd->type;
    f.u.reply.code = code;
    send(r, &f);
}

int rs_simroller_consume(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us)
{
    struct rs_simroller *r = ctx;
    (void)now_us;
    struct rs_frame f;
    for (size_t i = 0; i < n; i++) {
        if (!rs_decoder_push(&r->cmd, buf[i], &f) || f.type < RS_FT_CMD_START)
            continue;
        r->commands++;
        switch (f.type) {
        case RS_FT_CMD_START:
            reply(r, &f, RS_REPLY_ACK);
            if (!r->streaming) {
                r->streaming = true;
                r->anchored = false; /* the next sample is due at once */
                send_info(r);        /* as the firmware does when streaming starts */
            }
            break;
        case RS_FT_CMD_STOP:
            reply(r, &f, RS_REPLY_ACK);
            r->streaming = false;
            break;
        case RS_FT_CMD_GET_INFO:
            reply(r, &f, RS_REPLY_ACK);
            send_info(r);
            break;
        case RS_FT_CMD_GET_CAL: {
            reply(r, &f, RS_REPLY_ACK);
            struct rs_frame c = { .type = RS_FT_CAL };
            c.u.cal = r->cal;
            send(r, &c);
            break;
        }
        case RS_FT_CMD_SET_CAL: {
            /* Like the firmware: a block with unusable scales is refused;
             * the serial stays the roller's own. */
            struct rs_cal nc = f.u.cmd.arg.cal;
            if (!(nc.scale_left >= 1.0f && nc.scale_right >= 1.0f && nc.radius_um > 0 &&
                  (nc.enc_dir == 1 || nc.enc_dir == -1))) {
                reply(r, &f, RS_NAK_ARG);
                break;
            }
            memcpy(nc.serial, r->cal.serial, sizeof nc.serial);
            r->cal = nc;
            r->cal_sets++;
            reply(r, &f, RS_REPLY_ACK);
            break;
        }
        case RS_FT_CMD_SAVE_CAL:
            r->saved = r->cal;
            r->cal_saves++;
            reply(r, &f, RS_REPLY_ACK);
            break;
        case RS_FT_CMD_RESET:
            r->cal = r->saved;
            reply(r, &f, RS_REPLY_ACK);
            break;
        case RS_FT_CMD_IDENTIFY:
            reply(r, &f, RS_REPLY_ACK);
            break;
        default:
            reply(r, &f, RS_NAK_UNKNOWN);
            break;
        }
    }
    return 0;
}

int rs_simroller_produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us)
{
    struct rs_simroller *r = ctx;
    size_t n = 0;
    if (r->qlen) {
        size_t k = r->qlen < cap ? r->qlen : cap;
        memcpy(buf, r->queue, k);
        memmove(r->queue, r->queue + k, r->qlen - k);
        r->qlen -= k;
        n = k;
    }
    while (r->streaming && !r->done) {
        if (!r->have_next) {
            if (!rs_sim_next(&r->sim, &r->next, NULL)) {
                r->done = true;
                break;
            }
            r->have_next = true;
        }
        if (!r->anchored) {
            r->anchored = true;
            r->anchor_us = now_us;
            r->anchor_dev = r->next.t_us;
        }
        /* Due when the device clock, run from the anchor, reaches its stamp. */
        uint64_t due = r->anchor_us + (uint32_t)(r->next.t_us - r->anchor_dev);
        if (due > now_us) {
            *next_us = due;
            break;
        }
        if (cap - n < RS_WIRE_MAX)
            break;
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample = r->next;
        n += rs_frame_encode(&f, buf + n);
        r->have_next = false;
    }
    return (int)n;
}

bool rs_simroller_done(const struct rs_simroller *r)
{
    return r->done && r->qlen == 0;
}
