/*
 * main.c - firmware entry point (placeholder until the sensor firmware lands).
 *
 * Exercises the USB CDC stack the way the sensor firmware will: a synthetic
 * sample frame every 12.5 ms (80 Hz from Timer1) while streaming and while the
 * port is open, and commands over USB: START and STOP switch streaming,
 * GET_INFO answers an info frame, every command gets an ACK reply. Streaming
 * is on from power-up. The main loop sleeps (idle) between interrupts.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <avr/wdt.h>

#include "rs_defaults.h"
#include "rs_proto.h"
#include "usb_cdc.h"

#define SAMPLE_OCR (F_CPU / 64u / RS_SAMPLE_RATE_HZ - 1u)

static volatile uint8_t sample_due;

ISR(TIMER1_COMPA_vect)
{
    sample_due = 1;
}

static void send(const struct rs_frame *f)
{
    static uint8_t wire[RS_WIRE_MAX];
    uint8_t n = (uint8_t)rs_frame_encode(f, wire);
    usb_cdc_write(wire, n);
}

int main(void)
{
    static struct rs_decoder dec;
    static struct rs_frame in, out;
    uint32_t seq = 0;
    uint8_t streaming = 1, lost = 0;

    wdt_enable(WDTO_250MS);
    rs_decoder_init(&dec);
    usb_init();
    TCCR1B = (1 << WGM12) | (1 << CS11) | (1 << CS10); /* CTC, clk/64 */
    OCR1A = SAMPLE_OCR;
    TIMSK1 = 1 << OCIE1A;
    set_sleep_mode(SLEEP_MODE_IDLE);
    sei();

    for (;;) {
        wdt_reset();
        usb_task();

        int16_t c;
        while ((c = usb_cdc_getc()) >= 0) {
            if (!rs_decoder_push(&dec, (uint8_t)c, &in) || in.type < RS_FT_CMD_START)
                continue;
            if (in.type == RS_FT_CMD_START)
                streaming = 1;
            else if (in.type == RS_FT_CMD_STOP)
                streaming = 0;
            out.type = RS_FT_REPLY;
            out.u.reply.token = in.u.cmd.token;
            out.u.reply.cmd = in.type;
            out.u.reply.code = RS_REPLY_ACK;
            send(&out);
            if (in.type == RS_FT_CMD_GET_INFO) {
                out.type = RS_FT_INFO;
                out.u.info = (struct rs_info){
                    .fw_major = RS_FW_MAJOR, .fw_minor = RS_FW_MINOR, .fw_patch = RS_FW_PATCH,
                    .cal_state = RS_CAL_DEFAULT, .sample_rate_hz = RS_SAMPLE_RATE_HZ,
                    .enc_counts_per_rev = RS_ENC_COUNTS_PER_REV, .streaming = streaming,
                };
                send(&out);
            }
        }

        if (sample_due) {
            sample_due = 0;
            if (streaming) {
                out.type = RS_FT_SAMPLE;
                out.u.sample = (struct rs_sample){
                    .seq = seq, .t_us = seq * (1000000ul / RS_SAMPLE_RATE_HZ),
                    .left = (int32_t)(seq & 0xFFFF) - 0x8000, .right = (int32_t)(seq * 7u & 0x7FFFF),
                    .enc = (int32_t)seq * 3, .status = lost ? RS_ST_OVERFLOW : 0,
                };
                uint16_t before = usb_cdc_dropped();
                send(&out);
                lost = usb_cdc_dropped() != before;
                seq++;
            }
        }

        cli();
        if (!sample_due) {
            sleep_enable();
            sei();
            sleep_cpu();
            sleep_disable();
        }
        sei();
    }
}
