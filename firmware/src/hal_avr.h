/*
 * hal_avr.h - the chip side of the HAL that only main.c uses: start-up,
 * events raised by the ISRs, the debug USART and the restart.
 *
 * The ISRs only record: a 1 kHz tick flag (Timer0), the time of the left
 * HX711's data-ready edge (Timer1 input capture on ICP1 = PD4 = HX_L_DOUT),
 * received USART bytes (32-byte ring), the USART transmit drain (128-byte
 * ring) and the second byte of an encoder SPI frame. Everything else runs in the main loop.
 */
#ifndef RS_HAL_AVR_H
#define RS_HAL_AVR_H

#include <stdint.h>

void hal_init(void);

/* Events recorded by the ISRs for the main loop. */
enum {
    HAL_EV_TICK = 1u << 0,    /* 1 kHz tick */
    HAL_EV_CAPTURE = 1u << 1, /* left HX711 data-ready edge captured */
    HAL_EV_RX = 1u << 2,      /* USART byte received */
};
/* Take and clear the pending events (atomically). */
uint8_t hal_take_events(void);
/* Sleep (idle mode) until an interrupt, unless an event is already pending.
 * Every interrupt ends it, including those that record no event (USART
 * transmit, USB), so the caller runs its per-pass work after each one. */
void hal_sleep(void);

/* The captured time of the last left data-ready edge in *t_us; returns 1 if
 * there is one not yet consumed. */
uint8_t hal_capture(uint32_t *t_us);
/* Forget captures (call after a left read: its data bits also make edges). */
void hal_capture_clear(void);

/* Next received USART byte, or -1. */
int16_t hal_uart_getc(void);
/* 1 when the USART transmit ring is empty. */
uint8_t hal_uart_tx_idle(void);

/* Restart through the watchdog (bootloader: leave the Caterina magic key). */
void hal_restart(uint8_t bootloader) __attribute__((noreturn));

#endif
