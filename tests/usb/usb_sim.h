/*
 * usb_sim.h - a small simavr runner for the USB tests: loads a firmware ELF
 * into an ATmega32U4 at 16 MHz, ready to be driven by the USB host model
 * (usb_host.h). Emulated time only: the sleep callback is a no-op, so a
 * sleeping firmware runs far faster than real time, and the UART does not
 * echo to stdout.
 */
#ifndef RS_USB_SIM_H
#define RS_USB_SIM_H

#include <stddef.h>
#include <stdint.h>

#include <simavr/sim_avr.h>

/* Returns a running core, or NULL (and a message on stderr) on failure. */
avr_t *rs_sim_open(const char *elf_path);

/* Free the core (avr_terminate). NULL is fine. */
void rs_sim_close(avr_t *avr);

/* Preload EEPROM bytes, e.g. a serial number. Returns 0 or -1. */
int rs_sim_eeprom_write(avr_t *avr, uint16_t addr, const void *p, size_t n);

/* Read n bytes of data space (RAM or registers) without side effects. */
void rs_sim_peek(avr_t *avr, uint16_t addr, void *out, size_t n);

#endif
