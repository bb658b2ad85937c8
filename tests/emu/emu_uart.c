/*
 * emu_uart.c - UART1 bridge (see emu_uart.h).
 */
#include "emu_uart.h"

#include <avr_uart.h>
#include <sim_avr.h>
#include <sim_cycle_timers.h>
#include <sim_io.h>
#include <sim_irq.h>
#include <sim_time.h>

static void on_output(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    struct rs_emu_uart *u = param;
    uint8_t b = (uint8_t)value;
    u->tx_bytes++;
    if (u->on_tx)
        u->on_tx(u->ctx, &b, 1);
}

static void on_xon(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    struct rs_emu_uart *u = param;
    if (value)
        u->xoff = 0;
}

static void on_xoff(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    struct rs_emu_uart *u = param;
    u->xoff = value ? 1 : 0;
}

static avr_cycle_count_t feed(struct avr_t *avr, avr_cycle_count_t when, void *param)
{
    struct rs_emu_uart *u = param;
    if (u->head == u->tail) {
        u->feeding = 0;
        return 0;
    }
    if (!u->xoff) {
        uint8_t b = u->q[u->tail];
        u->tail = (u->tail + 1) % RS_EMU_UART_QUEUE;
        u->rx_bytes++;
        avr_raise_irq(u->irq_in, b);
    }
    return when + avr_usec_to_cycles(avr, u->byte_us);
}

void rs_emu_uart_attach(struct rs_emu_uart *u, struct avr_t *avr, rs_emu_bytes_fn on_tx, void *ctx)
{
    u->avr = avr;
    u->on_tx = on_tx;
    u->ctx = ctx;
    u->head = u->tail = 0;
    u->xoff = 0;
    u->feeding = 0;
    u->byte_us = 11; /* 1 Mbaud, 8N1 is 10 us; simavr's USART takes 11 (it counts a parity bit) */
    u->tx_bytes = u->rx_bytes = 0;
    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('1'), &flags);
    flags &= ~(uint32_t)(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('1'), &flags);
    u->irq_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('1'), UART_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('1'), UART_IRQ_OUTPUT),
                            on_output, u);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('1'), UART_IRQ_OUT_XON),
                            on_xon, u);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('1'), UART_IRQ_OUT_XOFF),
                            on_xoff, u);
}

size_t rs_emu_uart_write(struct rs_emu_uart *u, const uint8_t *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t next = (u->head + 1) % RS_EMU_UART_QUEUE;
        if (next == u->tail)
            break;
        u->q[u->head] = p[done++];
        u->head = next;
    }
    if (done && !u->feeding) {
        u->feeding = 1;
        avr_cycle_timer_register_usec(u->avr, u->byte_us, feed, u);
    }
    return done;
}

size_t rs_emu_uart_pending(const struct rs_emu_uart *u)
{
    return (u->head + RS_EMU_UART_QUEUE - u->tail) % RS_EMU_UART_QUEUE;
}
