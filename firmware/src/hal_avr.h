/*
 * hal_avr.h - the chip side of the HAL that only main.c uses: start-up,
 * events raised by the ISRs, the debug USART and the restart.
 *
 * The ISRs only record: a 1 kHz tick flag (Timer0), the time of the left
 * HX711's data-ready edge (Timer1 input capture on ICP1 = PD4 = HX_L_DOUT),
 * received USART bytes (256-byte ring: 2.8 ms of input at 1 Mbaud, so
 * a back-to-back command burst survives the 1 ms between ticks), the USART transmit drain (128-byte
 * ring) and the second byte of an encoder SPI frame. Everything else runs in the main loop.
 */
#ifndef RS_HAL_AVR_H
#define RS_HAL_AVR_H

#include <stdint.h>

#include <avr/interrupt.h>
#include <avr/sleep.h>
#include <util/atomic.h>

void hal_init(void);

/* Events recorded by the ISRs for the main loop. */
enum {
    HAL_EV_TICK = 1u << 0,    /* 1 kHz tick */
    HAL_EV_CAPTURE = 1u << 1, /* left HX711 data-ready edge captured */
    HAL_EV_RX = 1u << 2,      /* USART frame delimiter received, or ring half full */
    HAL_EV_ENC = 1u << 3,     /* encoder SPI frame finished */
};
/* Set by the ISRs; read through the two calls below. Inline because they
 * run on every main-loop pass, i.e. after every interrupt. */
extern volatile uint8_t hal_events;

/* Take and clear the pending events (atomically). */
static inline uint8_t hal_take_events(void)
{
    uint8_t ev;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        ev = hal_events;
        hal_events = 0;
    }
    return ev;
}

/* Sleep (idle mode) until an interrupt, unless an event is already pending.
 * Every interrupt ends it, including those that record no event (USART
 * transmit, USB), so the caller runs its per-pass work after each one.
 * The one place that is not an ATOMIC_BLOCK: avr-libc's sleep idiom needs
 * SEI directly before SLEEP (the instruction after SEI always runs), so an
 * interrupt that sets an event after the check still ends the sleep. Called
 * with interrupts enabled; returns with them enabled. */
static inline void hal_sleep(void)
{
    cli();
    if (!hal_events) {
        sleep_enable();
        sei(); /* the instruction after SEI runs before any interrupt */
        sleep_cpu();
        sleep_disable();
    }
    sei();
}

/* The captured time of the last left data-ready edge in *t_us; returns 1 if
 * there is one not yet consumed. */
uint8_t hal_capture(uint32_t *t_us);
/* Forget captures (call after a left read: its data bits also make edges). */
void hal_capture_clear(void);

/* Received USART bytes without copying: *p points at the oldest, the
 * return value is how many follow contiguously (0 if none). Release them
 * with hal_uart_consume(). */
uint8_t hal_uart_peek(const uint8_t **p);
void hal_uart_consume(uint8_t n);
/* 1 when the USART transmit ring is empty. */
uint8_t hal_uart_tx_idle(void);

/* Restart through the watchdog (bootloader: leave the Caterina magic key). */
void hal_restart(uint8_t bootloader) __attribute__((noreturn));

#endif
