/*
 * main.c - the roller firmware's main loop.
 *
 * Everything runs here; the ISRs (hal_avr.c) only record events. Each pass:
 * feed the watchdog, run the USB stack, poll the HX711s (a read happens only
 * when a conversion is ready, so a pass never waits on a sensor), on the
 * 1 kHz tick exchange one encoder frame (every 4th tick: housekeeping), feed the
 * received command bytes of both transports to their decoders, then sleep
 * (idle mode) until the next interrupt. The longest pass is one HX711 read
 * plus one frame encode, well under a millisecond; the watchdog (120 ms)
 * restarts a device that hangs anyway.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>

#include "hal_avr.h"
#include "rs_dev.h"
#include "usb_cdc.h"

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

    for (;;) {
        wdt_reset();
        usb_task();

        /* Sensors are polled on the 1 kHz tick and when the left chip's
         * data-ready edge was captured; wake-ups for the USART transmitter
         * alone (the most frequent ones) cost only this loop's checks. */
        uint8_t ev = hal_take_events();
        if (ev & (HAL_EV_TICK | HAL_EV_CAPTURE)) {
            uint32_t now = rs_hal_now_us();
            uint32_t cap;
            /* A capture older than one period is stale (e.g. the chip was
             * reconnected): stamp with the read time instead. */
            if (!hal_capture(&cap) || (uint32_t)(now - cap) > RS_HX_PERIOD_US)
                cap = now;
            if (rs_dev_poll_hx(&dev, now, cap))
                hal_capture_clear();
            if (ev & HAL_EV_TICK) {
                rs_dev_poll_enc(&dev);
                if (++ms >= RS_DEV_HOUSEKEEPING_MS) {
                    ms = 0;
                    rs_dev_housekeeping(&dev, now);
                }
            }
        }

        int16_t c;
        if (ev & HAL_EV_RX)
            while ((c = hal_uart_getc()) >= 0)
                rs_dev_rx(&dev, &link_uart, (uint8_t)c);
        while ((c = usb_cdc_getc()) >= 0)
            rs_dev_rx(&dev, &link_usb, (uint8_t)c);

        if (dev.reset_req && hal_uart_tx_idle())
            hal_restart(dev.reset_req == RS_DEV_RESET_BOOTLOADER);

        hal_sleep();
    }
}
