/*
 * hal_avr.c - rs_hal.h and hal_avr.h on the ATmega32U4 at 16 MHz.
 *
 * Clock: Timer1 free-running at 2 MHz (prescaler 8); its overflow ISR adds
 * 32768 us to a 32-bit base every 32.768 ms, so us = base + TCNT1 / 2. That
 * sum wraps at 2^32 us (71.6 minutes) exactly as the wire field does.
 * Timer0 in CTC mode gives the 1 kHz tick that paces the encoder and the
 * housekeeping (Timer4 is left alone: simavr does not emulate it).
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <avr/wdt.h>
#include <util/atomic.h>

#include "hal_avr.h"
#include "rs_hal.h"
#include "rs_pins.h"
#include "usb_cdc.h"
#include "usb_serial.h"

/* ---- pins, from the one pin map ------------------------------------------ */

#define RS_DIR_IN 0
#define RS_DIR_OUT 1
#define RS_PIN_FUNCS(sig, port, bit, dir, label, net)                            \
    static inline void pin_set_##sig(uint8_t v)                                 \
    {                                                                           \
        if (v)                                                                  \
            PORT##port |= (uint8_t)(1u << (bit));                               \
        else                                                                    \
            PORT##port &= (uint8_t) ~(1u << (bit));                             \
    }                                                                           \
    static inline uint8_t pin_get_##sig(void) { return (PIN##port >> (bit)) & 1u; } \
    static inline void pin_init_##sig(void)                                     \
    {                                                                           \
        if (RS_DIR_##dir)                                                       \
            DDR##port |= (uint8_t)(1u << (bit));                                \
        else                                                                    \
            PORT##port |= (uint8_t)(1u << (bit)); /* pull-up: absent = high */  \
    }
RS_PINMAP(RS_PIN_FUNCS)
#define RS_PIN_INIT_CALL(sig, port, bit, dir, label, net) pin_init_##sig();

/* ---- ISR state ------------------------------------------------------------ */

#define UART_RX_SIZE 256u
#define UART_TX_SIZE 128u
_Static_assert(UART_RX_SIZE == 256u, "RX ring indices are bytes that wrap by themselves");
_Static_assert((UART_TX_SIZE & (UART_TX_SIZE - 1u)) == 0, "TX ring size must be a power of two");

static volatile uint32_t t1_base_us; /* us at the last Timer1 overflow */
volatile uint8_t hal_events;
static volatile uint8_t cap_pending;
static volatile uint32_t cap_us;
static volatile uint8_t rx_head, rx_tail;
static uint8_t rx_buf[UART_RX_SIZE];
static volatile uint8_t tx_head, tx_tail;
static uint8_t tx_buf[UART_TX_SIZE];
enum { SPI_IDLE = 0, SPI_HI, SPI_LO, SPI_DONE };
static volatile uint8_t spi_state;
static volatile uint8_t spi_tx_lo;
static volatile uint16_t spi_rx;

ISR(TIMER1_OVF_vect)
{
    t1_base_us += 32768u; /* 65536 ticks of 0.5 us */
}

/* Timer ticks as us; an overflow not yet counted by its ISR shows as TOV1
 * set with a small timer value. Interrupts must be off. (An addition per
 * overflow instead of a shift per call: AVR shifts cost a loop.) */
static uint32_t ticks_to_us(uint16_t t)
{
    uint32_t base = t1_base_us;
    if ((TIFR1 & _BV(TOV1)) && t < 0x8000u)
        base += 32768u;
    return base + (t >> 1);
}

ISR(TIMER1_CAPT_vect)
{
    cap_us = ticks_to_us(ICR1);
    cap_pending = 1;
    hal_events |= HAL_EV_CAPTURE;
}

/* Encoder frame: two bytes, the second started from the first's interrupt. */
ISR(SPI_STC_vect)
{
    if (spi_state == SPI_HI) {
        spi_rx = (uint16_t)SPDR << 8;
        spi_state = SPI_LO;
        SPDR = spi_tx_lo;
    } else if (spi_state == SPI_LO) {
        spi_rx |= SPDR;
        pin_set_ENC_CS(1);
        spi_state = SPI_DONE;
        hal_events |= HAL_EV_ENC;
    }
}

ISR(TIMER0_COMPA_vect)
{
    hal_events |= HAL_EV_TICK;
}

/* Wakes the main loop for command handling only at a frame delimiter or
 * when the ring is half full; other bytes wait for the 1 kHz tick. That
 * keeps a busy line (a byte every 11 us) from costing a main-loop pass per
 * byte. */
ISR(USART1_RX_vect)
{
    uint8_t b = UDR1;
    uint8_t head = rx_head;
    uint8_t next = (uint8_t)(head + 1u);
    if (next != rx_tail) {
        rx_buf[head] = b;
        rx_head = next;
    }
    if (b == 0 || (uint8_t)(next - rx_tail) >= UART_RX_SIZE / 2u)
        hal_events |= HAL_EV_RX;
}

ISR(USART1_UDRE_vect)
{
    if (tx_tail == tx_head) {
        UCSR1B &= (uint8_t)~_BV(UDRIE1);
        return;
    }
    UDR1 = tx_buf[tx_tail];
    tx_tail = (uint8_t)((tx_tail + 1u) & (UART_TX_SIZE - 1u));
}

/* ---- hal_avr.h ------------------------------------------------------------ */

/* SPI master, mode 1 (AS5048A), clk/16 = 1 MHz, interrupt per byte. */
#define SPCR_ON (_BV(SPIE) | _BV(SPE) | _BV(MSTR) | _BV(CPHA) | _BV(SPR0))

void hal_init(void)
{
    set_sleep_mode(SLEEP_MODE_IDLE);
    /* The encoder stays unpowered until rs_dev_init switches it on (and
     * times its power-up): set the switch's level before the pin drives. */
    pin_set_ENC_PWR(RS_ENC_PWR_ACTIVE_LOW);
    RS_PINMAP(RS_PIN_INIT_CALL)
    pin_set_ENC_CS(1);
    pin_set_LED(RS_LED_ACTIVE_LOW);
    /* PB0 is the Pro Micro's RX LED (lit when low); SPI master mode needs it
     * as an output, nothing needs it lit: high, so it draws nothing. */
    pin_set_SPI_SS(1);

    /* Timer1: normal mode, clk/8, input capture on the falling edge. */
    TCCR1A = 0;
    TCCR1B = _BV(CS11);
    TIFR1 = _BV(ICF1) | _BV(TOV1);
    TIMSK1 = _BV(TOIE1) | _BV(ICIE1);

    /* Timer0: CTC, clk/64, 250 counts = 1 ms. */
    TCCR0A = _BV(WGM01);
    TCCR0B = _BV(CS01) | _BV(CS00);
    OCR0A = 249;
    TIMSK0 = _BV(OCIE0A);

    SPCR = SPCR_ON;

    /* USART1: 1 Mbaud (U2X, UBRR 1 at 16 MHz, exact), 8N1. */
    UCSR1A = _BV(U2X1);
    UBRR1 = 1;
    UCSR1C = _BV(UCSZ11) | _BV(UCSZ10);
    UCSR1B = _BV(RXCIE1) | _BV(RXEN1) | _BV(TXEN1);
}



uint8_t hal_capture(uint32_t *t_us)
{
    uint8_t p;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        p = cap_pending;
        *t_us = cap_us;
    }
    return p;
}

void hal_capture_clear(void)
{
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        TIFR1 = _BV(ICF1);
        cap_pending = 0;
    }
}

uint8_t hal_uart_peek(const uint8_t **p)
{
    uint8_t head = rx_head, tail = rx_tail;
    *p = &rx_buf[tail];
    /* Contiguous run only: up to the ring's end. */
    /* head < tail means tail >= 1, so the run to the end fits a byte. */
    return head >= tail ? (uint8_t)(head - tail) : (uint8_t)(UART_RX_SIZE - tail);
}

void hal_uart_consume(uint8_t n)
{
    rx_tail = (uint8_t)(rx_tail + n);
}

uint8_t hal_uart_tx_idle(void)
{
    return tx_head == tx_tail;
}

void hal_restart(uint8_t bootloader)
{
    cli(); /* not a critical section: interrupts stay off until the reset */
    if (bootloader)
        *(volatile uint16_t *)0x0800 = 0x7777; /* Caterina's magic key */
    wdt_enable(WDTO_15MS);
    wdt_reset(); /* start the short period now (simavr applies it at a WDR) */
    for (;;) {
    }
}

/* ---- rs_hal.h ------------------------------------------------------------- */

/* A time t that should be at or just before ref but reads about one Timer1
 * period (32768 us) early lost an overflow: simavr can show TCNT1 wrapped a
 * few cycles before it raises TOV1 (real hardware sets both in the same
 * clock, so there this never fires). */
static uint32_t fix_overflow(uint32_t t, uint32_t ref)
{
    if ((int32_t)(ref - t) > 16384)
        t += 32768u;
    return t;
}

uint32_t rs_hal_now_us(void)
{
    static uint32_t last;
    uint32_t us;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        us = fix_overflow(ticks_to_us(TCNT1), last);
        last = us;
    }
    return us;
}

uint8_t rs_hal_hx_dout(uint8_t ch)
{
    return ch == RS_HX_LEFT ? pin_get_HX_L_DOUT() : pin_get_HX_R_DOUT();
}

uint32_t rs_hal_hx_stamp(uint8_t ch)
{
    uint32_t now = rs_hal_now_us(), cap;
    if (ch != RS_HX_LEFT || !hal_capture(&cap))
        return now;
    cap = fix_overflow(cap, now);
    return (uint32_t)(now - cap) > 12500u ? now : cap;
}

/* The read loop per chip, with the pins as compile-time port operations
 * (sbi/cbi/sbic): about 12 cycles per bit instead of three calls. */
#define RS_HX_READ_FN(name, SCK, DOUT)                                          \
    static uint32_t name(void)                                                  \
    {                                                                           \
        uint8_t b[3];                                                           \
        for (uint8_t k = 0; k < 3; k++) {                                       \
            uint8_t v = 0;                                                      \
            for (uint8_t i = 0; i < 8; i++) {                                   \
                pin_set_##SCK(1);                                               \
                __asm__ __volatile__("nop\n\tnop\n\tnop"); /* >= 0.2 us high */ \
                v = (uint8_t)(v << 1);                                          \
                if (pin_get_##DOUT())                                           \
                    v |= 1u;                                                    \
                pin_set_##SCK(0);                                               \
            }                                                                   \
            b[k] = v;                                                           \
        }                                                                       \
        pin_set_##SCK(1);                                                       \
        __asm__ __volatile__("nop\n\tnop\n\tnop");                             \
        pin_set_##SCK(0);                                                       \
        return ((uint32_t)b[0] << 16) | ((uint16_t)b[1] << 8) | b[2];           \
    }
RS_HX_READ_FN(hx_read_left, HX_L_SCK, HX_L_DOUT)
RS_HX_READ_FN(hx_read_right, HX_R_SCK, HX_R_DOUT)

uint32_t rs_hal_hx_read(uint8_t ch)
{
    return ch == RS_HX_LEFT ? hx_read_left() : hx_read_right();
}

void rs_hal_hx_power(uint8_t on)
{
    pin_set_HX_L_SCK(!on);
    pin_set_HX_R_SCK(!on);
    /* DOUT pull-ups only while the chips run: a powered-down chip may hold
     * DOUT low, and a pull-up against it would draw about 0.1 mA each in
     * suspend (the pins' input buffers are off in power-down anyway). */
    pin_set_HX_L_DOUT(on);
    pin_set_HX_R_DOUT(on);
}

void rs_hal_enc_start(uint16_t out)
{
    spi_tx_lo = (uint8_t)out;
    spi_state = SPI_HI;
    pin_set_ENC_CS(0);
    SPDR = (uint8_t)(out >> 8);
}

uint8_t rs_hal_enc_poll(uint16_t *reply)
{
    uint8_t st = spi_state;
    if (st == SPI_DONE) {
        *reply = spi_rx;
        spi_state = SPI_IDLE;
        return RS_ENC_XFER_DONE;
    }
    return st == SPI_IDLE ? RS_ENC_XFER_IDLE : RS_ENC_XFER_BUSY;
}

void rs_hal_enc_abort(void)
{
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        spi_state = SPI_IDLE;
        pin_set_ENC_CS(1);
    }
}

void rs_hal_enc_power(uint8_t on)
{
    if (on) {
        pin_set_ENC_PWR(!RS_ENC_PWR_ACTIVE_LOW);
        pin_set_ENC_MISO(1); /* pull-up: an absent encoder reads all ones */
        rs_hal_enc_abort();  /* CS high: deselected */
        SPCR = SPCR_ON;
        return;
    }
    rs_hal_enc_abort();
    SPCR = 0; /* SCK and MOSI become plain port outputs */
    /* Every line into the unpowered chip low, MISO without its pull-up:
     * otherwise the lines would feed it through its input protection. */
    pin_set_ENC_SCK(0);
    pin_set_ENC_MOSI(0);
    pin_set_ENC_CS(0);
    pin_set_ENC_MISO(0);
    pin_set_ENC_PWR(RS_ENC_PWR_ACTIVE_LOW);
}

uint8_t rs_hal_ee_read(uint16_t addr)
{
    while (EECR & _BV(EEPE)) {
        /* callers check rs_hal_ee_busy() first; never loops in practice */
    }
    EEAR = addr;
    EECR |= _BV(EERE);
    return EEDR;
}

uint8_t rs_hal_ee_busy(void)
{
    return (EECR & _BV(EEPE)) ? 1 : 0;
}

void rs_hal_ee_write(uint16_t addr, uint8_t v)
{
    EEAR = addr;
    EEDR = v;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        EECR = _BV(EEMPE); /* erase + write, atomic mode; EEPE within 4 cycles */
        EECR |= _BV(EEPE);
    }
}

static uint8_t uart_put(const uint8_t *p, uint8_t n)
{
    uint8_t head = tx_head;
    uint8_t used = (uint8_t)((head - tx_tail) & (UART_TX_SIZE - 1u));
    if ((uint8_t)(UART_TX_SIZE - 1u - used) < n)
        return 0;
    for (uint8_t i = 0; i < n; i++) {
        tx_buf[head] = p[i];
        head = (uint8_t)((head + 1u) & (UART_TX_SIZE - 1u));
    }
    tx_head = head;
    UCSR1B |= _BV(UDRIE1);
    return 1;
}

/* The primary transport is USB from the first time the host opens the port
 * (until the next reset), the USART before that. */
static uint8_t usb_primary;

/* Every frame goes to both transports, whole or not at all. The result
 * speaks for the primary one: the USART is a debug mirror once USB is in
 * use (a retried answer may then appear twice there). */
int8_t rs_hal_send(const uint8_t *wire, uint8_t n)
{
    uint8_t uart_ok = uart_put(wire, n);
    if (usb_cdc_connected()) {
        usb_primary = 1;
        return usb_cdc_write(wire, n) == n ? RS_SEND_OK : RS_SEND_FULL;
    }
    if (usb_primary)
        return RS_SEND_CLOSED;
    return uart_ok ? RS_SEND_OK : RS_SEND_FULL;
}

void rs_hal_serial(char out[12])
{
    uint8_t n;
    const char *s = usb_serial(&n);
    _Static_assert(USB_SERIAL_MAX == 12u, "rs_hal_serial() hands out 12 bytes");
    for (uint8_t i = 0; i < USB_SERIAL_MAX; i++)
        out[i] = s[i];
}

void rs_hal_led(uint8_t on)
{
    pin_set_LED(RS_LED_ACTIVE_LOW ? !on : on);
}
