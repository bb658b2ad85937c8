/* usb_sim.c - see usb_sim.h. */
#include "usb_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simavr/avr_eeprom.h>
#include <simavr/avr_ioport.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_elf.h>

/* Emulated time only: never wait in wall-clock time when the firmware sleeps. */
static void sleep_none(avr_t *avr, avr_cycle_count_t how_long)
{
    (void)avr;
    (void)how_long;
}

avr_t *rs_sim_open(const char *elf_path)
{
    elf_firmware_t *fw = calloc(1, sizeof *fw);
    if (!fw)
        return NULL;
    if (elf_read_firmware(elf_path, fw) != 0) {
        fprintf(stderr, "usb_sim: cannot read firmware %s\n", elf_path);
        free(fw);
        return NULL;
    }
    avr_t *avr = avr_make_mcu_by_name("atmega32u4");
    if (!avr) {
        fprintf(stderr, "usb_sim: simavr has no atmega32u4 core\n");
        free(fw);
        return NULL;
    }
    avr_init(avr);
    fw->frequency = 16000000;
    avr->frequency = 16000000;
    avr->avcc = 5000;
    avr->log = LOG_ERROR;
    avr_load_firmware(avr, fw);
    avr->sleep = sleep_none;
    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('1'), &flags);
    /* No load cells here: hold both HX711 DOUT lines high (never ready), as
     * an unplugged module's pulled-up line is. The firmware then reports both
     * bridges missing, keeps streaming on its own frame timer and sleeps in
     * between; a floating-low line would read as "always ready" and keep it
     * busy, so emulated minutes would cost real minutes. */
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('D'), 4), 1); /* HX_L_DOUT */
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('D'), 7), 1); /* HX_R_DOUT */
    free(fw->flash);
    free(fw->eeprom);
    free(fw);
    return avr;
}

void rs_sim_close(avr_t *avr)
{
    if (avr)
        avr_terminate(avr);
}

int rs_sim_eeprom_write(avr_t *avr, uint16_t addr, const void *p, size_t n)
{
    avr_eeprom_desc_t d = { .ee = (uint8_t *)p, .offset = addr, .size = (uint32_t)n };
    /* simavr 1.6 answers -1 even when it copied the bytes; -2 is its real error. */
    return avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &d) == -2 ? -1 : 0;
}

void rs_sim_peek(avr_t *avr, uint16_t addr, void *out, size_t n)
{
    memcpy(out, avr->data + addr, n);
}
