/*
 * main.c - firmware entry point (placeholder until the sensor firmware lands):
 * watchdog on, protocol linked in, idle loop.
 */
#include <avr/io.h>
#include <avr/wdt.h>

#include "rs_proto.h"

int main(void)
{
    wdt_enable(WDTO_250MS);
    static uint8_t wire[RS_WIRE_MAX];
    struct rs_frame f = { .type = RS_FT_INFO };
    volatile size_t n = rs_frame_encode(&f, wire);
    (void)n;
    for (;;)
        wdt_reset();
}
