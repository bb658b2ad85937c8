/*
 * main.c - the roller firmware's main loop.
 *
 * Everything runs here; the ISRs (hal_avr.c, usb_cdc.c) only record events.
 * Each pass: feed the watchdog, run the USB stack (which reports suspend,
 * resume and VBUS loss: then sampling stops and the chip sleeps in
 * power-down until the bus wakes, see usb_power.h), on the 1 kHz tick exchange one
 * encoder frame, poll the HX711s on the left chip's data-ready edge and
 * every 4th tick (a read happens only when a conversion is ready, so a pass
 * never waits on a sensor), feed the received command bytes of both
 * transports to their decoders, then sleep (idle mode) until the next
 * interrupt. The longest pass is two HX711 reads (one per chip, about
 * 0.1 ms each) plus a few frame encodes, well under a millisecond; the
 * watchdog (120 ms) restarts a device that hangs anyway.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>

#include "hal_avr.h"
#include "rs_dev.h"
#include "usb_cdc.h"

/* Command bytes taken per transport per pass (see the loop). */
#define RX_BUDGET 64u

static struct rs_dev dev;
static struct rs_cmd_link link_uart;
static struct rs_cmd_link link_usb;

int main(void)
{
    uint8_t mcusr = MCUSR;
    MCUSR = 0;
    wdt_disable();

    hal_init();
    usb_init();
    rs_cmd_link_init(&link_uart);
    rs_cmd_link_init(&link_usb);
    sei();
    rs_dev_init(&dev, rs_hal_now_us(), (mcusr & _BV(WDRF)) ? 1 : 0);
    wdt_enable(WDTO_120MS);
    uint8_t ms = 0;
    uint8_t more = 0; /* command bytes left over for the next pass */

    for (;;) {
        wdt_reset();
        uint8_t pwr = usb_task();
        if (pwr & USB_PWR_ACT_SENSORS_OFF)
            rs_dev_suspend(&dev);
        if (pwr & USB_PWR_ACT_SENSORS_ON)
            rs_dev_resume(&dev, rs_hal_now_us());
        if (dev.suspended) {
            /* USB suspended or VBUS gone: power-down until the bus wakes.
             * The watchdog would reset a sleeping chip, so it rests too. */
            wdt_disable();
            usb_sleep();
            wdt_enable(WDTO_120MS);
            continue;
        }

        /* The encoder runs on every 1 kHz tick. The HX711s are polled when
         * the left chip's data-ready edge is captured (the right one's
         * conversion of the same period is read then too) and every
         * RS_DEV_HOUSEKEEPING_MS ticks, which catches a right conversion
         * within 4 ms and drives the fault timing. Wake-ups for the USART
         * transmitter alone (the most frequent ones) cost only this loop's
         * checks. */
        uint8_t ev = hal_take_events();
        if (ev & HAL_EV_ENC)
            rs_dev_enc_done(&dev);
        uint8_t house = 0;
        if (ev & HAL_EV_TICK) {
            rs_dev_poll_enc(&dev);
            if (++ms >= RS_DEV_HOUSEKEEPING_MS) {
                ms = 0;
                house = 1;
            }
        }
        if (house || (ev & HAL_EV_CAPTURE)) {
            uint32_t now = rs_hal_now_us();
            if (rs_dev_poll_hx(&dev, now))
                hal_capture_clear();
            if (house)
                rs_dev_housekeeping(&dev, now);
        }

        /* Command bytes, a bounded number per pass: a host that sends the
         * next command as soon as it sees a reply would otherwise keep this
         * loop here for ever, starving the sensors and the watchdog. What
         * is left waits in the ring for the next pass (no sleep then). While
         * answers wait for room (rs_dev_busy), commands wait too. */
        if (rs_dev_busy(&dev))
            rs_dev_flush(&dev);
        if ((ev & (HAL_EV_RX | HAL_EV_TICK)) || more) {
            more = 0;
            const uint8_t *p;
            for (uint8_t round = 0; round < 2; round++) { /* the ring may wrap once */
                uint8_t n = hal_uart_peek(&p);
                if (!n)
                    break;
                if (n > RX_BUDGET)
                    n = RX_BUDGET;
                hal_uart_consume(rs_dev_rx_bytes(&dev, &link_uart, p, n));
            }
            more = !rs_dev_busy(&dev) && hal_uart_peek(&p);
            int16_t c;
            for (uint8_t budget = RX_BUDGET; budget && !rs_dev_busy(&dev); budget--) {
                if ((c = usb_cdc_getc()) < 0)
                    break;
                rs_dev_rx(&dev, &link_usb, (uint8_t)c);
                more |= budget == 1;
            }
        }

        if (dev.reset_req && hal_uart_tx_idle())
            hal_restart(dev.reset_req == RS_DEV_RESET_BOOTLOADER);

        /* With answers waiting, sleep anyway: the USART's transmit interrupt
         * (room freed) wakes the loop to retry. */
        if (!more)
            hal_sleep();
    }
}
