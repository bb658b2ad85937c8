/*
 * emu_uart.h - the UART1 bridge: the emulated roller's serial transport.
 *
 * Narrow on purpose: bytes the firmware transmits come out through one
 * callback, bytes for the firmware go into a queue that is fed to the USART
 * at the line rate (1 Mbaud: one byte per 10 us) while simavr's receive FIFO
 * has room (XON/XOFF IRQs). A second transport (the USB host model of
 * tests/usb, `--transport usb`) offers the same two calls.
 */
#ifndef RS_EMU_UART_H
#define RS_EMU_UART_H

#include <stddef.h>
#include <stdint.h>

struct avr_t;
struct avr_irq_t;

typedef void (*rs_emu_bytes_fn)(void *ctx, const uint8_t *p, size_t n);

#define RS_EMU_UART_QUEUE 8192u

struct rs_emu_uart {
    struct avr_t *avr;
    struct avr_irq_t *irq_in;
    rs_emu_bytes_fn on_tx; /* device -> host bytes */
    void *ctx;
    uint8_t q[RS_EMU_UART_QUEUE]; /* host -> device, ring */
    size_t head, tail;
    uint8_t xoff;       /* simavr's input FIFO is full */
    uint8_t feeding;    /* the pacing timer is armed */
    uint32_t byte_us;
    uint64_t tx_bytes, rx_bytes;
};

/* Hook UART '1' of avr; clears simavr's stdio echo and poll-sleep flags. */
void rs_emu_uart_attach(struct rs_emu_uart *u, struct avr_t *avr, rs_emu_bytes_fn on_tx, void *ctx);
/* Queue bytes for the firmware. Returns the count queued (less if full). */
size_t rs_emu_uart_write(struct rs_emu_uart *u, const uint8_t *p, size_t n);
/* Bytes still queued for the firmware. */
size_t rs_emu_uart_pending(const struct rs_emu_uart *u);

#endif
