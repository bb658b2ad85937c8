/*
 * rs_hal.h - the firmware's hardware access layer: the only calls through
 * which the device logic (rs_hx711.c, rs_enc.c, rs_calblock.c, rs_dev.c)
 * touches the chip. firmware/src/hal_avr.c implements it for the ATmega32U4;
 * tests/fwunit/fake_hal.c implements it on the host so the same logic runs
 * under cmocka.
 *
 * Contract: every call returns in bounded time (no waiting on a sensor), so a
 * missing or hung part can never stall the main loop.
 */
#ifndef RS_HAL_H
#define RS_HAL_H

#include <stdint.h>

/* HX711 channels. */
enum rs_hx_ch { RS_HX_LEFT = 0, RS_HX_RIGHT = 1, RS_HX_COUNT = 2 };

/* Device clock in microseconds since start-up; wraps at 2^32 (71.6 min). */
uint32_t rs_hal_now_us(void);

/* HX711 data line level (1 high = busy or absent, 0 = conversion ready). */
uint8_t rs_hal_hx_dout(uint8_t ch);
/* Clock one conversion out of an HX711: 24 data clocks, MSB first, sampled
 * while PD_SCK is high (the chip shifts on the rising edge), then a 25th
 * clock that keeps channel A at gain 128. Returns the 24 raw bits. PD_SCK
 * stays high well under the 50 us power-down limit even if an ISR (a few
 * us at most) runs in between. About 20 us on the chip. */
uint32_t rs_hal_hx_read(uint8_t ch);
/* Device time of the conversion waiting on channel ch (call before reading
 * it): the captured data-ready edge where the hardware has one (left: Timer1
 * input capture) and it is younger than one period, else the current time. */
uint32_t rs_hal_hx_stamp(uint8_t ch);

/* HX711 power, both chips: 0 holds PD_SCK high, which powers a chip down
 * after 60 us (bridge excitation off, under 1 uA); 1 takes PD_SCK low, which
 * wakes it. A woken chip starts over on channel A at gain 128 (the setting
 * this firmware always uses) and its first conversion needs the settling
 * time, RS_HX_SETTLE_US at 80 SPS. */
void rs_hal_hx_power(uint8_t on);

/* Angle encoder SPI frames, interrupt driven so the CPU sleeps meanwhile.
 * enc_start() selects the encoder and starts shifting the 16-bit `out`;
 * enc_poll() reports RS_ENC_XFER_IDLE (nothing started or result already
 * taken), _BUSY, or _DONE with the 16 bits the encoder sent back during
 * that frame (once per frame). enc_abort() deselects and forgets a frame
 * that never finished. */
enum rs_enc_xfer { RS_ENC_XFER_IDLE = 0, RS_ENC_XFER_BUSY = 1, RS_ENC_XFER_DONE = 2 };
void rs_hal_enc_start(uint16_t out);
uint8_t rs_hal_enc_poll(uint16_t *reply);
void rs_hal_enc_abort(void);

/* Encoder supply (the AS5048A has no sleep mode: about 15 mA while fed).
 * 0: any frame is forgotten, the SPI is switched off, its outputs (CS, SCK,
 * MOSI) are driven low so no current flows into the unpowered chip through
 * its input protection, and the supply switch opens. 1: the switch closes
 * and CS goes high (deselected) with the SPI running again; the chip gives
 * valid answers only after its power-up time, RS_ENC_POWERUP_US, which the
 * caller waits out before the first frame. */
void rs_hal_enc_power(uint8_t on);

/* EEPROM. ee_busy() is 1 while a write is in progress; ee_write() starts one
 * byte write and returns at once (the caller checks ee_busy() first). */
uint8_t rs_hal_ee_read(uint16_t addr);
uint8_t rs_hal_ee_busy(void);
void rs_hal_ee_write(uint16_t addr, uint8_t v);

/* Queue one whole wire frame on every transport (never part of one).
 * The result is about the primary transport (USB once the host has opened
 * the port, the USART before): RS_SEND_OK it took the frame; RS_SEND_FULL
 * it is open but had no room (an answer may be retried, a sample is lost);
 * RS_SEND_CLOSED the host closed the port (nobody to retry for; samples
 * are lost to that host, which sees the gap). */
enum rs_send_result { RS_SEND_OK = 0, RS_SEND_CLOSED = 1, RS_SEND_FULL = -1 };
int8_t rs_hal_send(const uint8_t *wire, uint8_t n);

/* The roller's identity (rs_serial.h): 12 ASCII bytes, NUL-padded, the
 * same string as the USB serial number. Constant while running. */
void rs_hal_serial(char out[12]);

/* Status LED on (1) or off (0). */
void rs_hal_led(uint8_t on);

#endif
