/*
 * emu_pins.h - the firmware's pin map (firmware/include/rs_pins.h) seen from
 * the emulator: parts find their pins by signal name, so a pin moved in the
 * map moves in the emulation too.
 */
#ifndef RS_EMU_PINS_H
#define RS_EMU_PINS_H

#include <stdint.h>

struct rs_emu;
struct avr_irq_t;

/* Port letter and bit of a signal; returns -1 for an unknown name. */
int rs_emu_pin_lookup(const char *signal, char *port, uint8_t *bit);
/* The pin IRQ of a signal (aborts on an unknown name: a programming error). */
struct avr_irq_t *rs_emu_pin_irq(struct rs_emu *e, const char *signal);
/* Drive an input pin from outside (a part's output). Uses simavr's external
 * pull setting so the MCU's own pull-up writes cannot override the level. */
void rs_emu_drive_pin(struct rs_emu *e, const char *signal, uint8_t level);

#endif
