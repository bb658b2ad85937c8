/*
 * echo_main.c - test fixture: every byte received on bulk OUT goes back on
 * bulk IN, in the chunks it was read in (at most one OUT packet, 64 bytes).
 * A chunk that does not fit the IN ring yet is retried, so nothing is lost.
 */
#include <avr/interrupt.h>
#include <avr/sleep.h>

#include "usb_cdc.h"

int main(void)
{
    uint8_t buf[64];
    uint8_t n = 0;

    usb_init();
    set_sleep_mode(SLEEP_MODE_IDLE);
    sei();
    for (;;) {
        usb_task();
        int16_t c;
        while (n < sizeof buf && (c = usb_cdc_getc()) >= 0)
            buf[n++] = (uint8_t)c;
        if (n && usb_cdc_write(buf, n) == n)
            n = 0;
        /* Every interrupt (the 1 ms USB tick at least) runs the loop again. */
        sleep_mode();
    }
}
