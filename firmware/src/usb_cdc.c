/*
 * usb_cdc.c - ATmega32U4 USB device controller driver, the chapter-9 standard
 * requests and the CDC-ACM class: the implementation of usb_cdc.h.
 *
 * Structure (thin ISRs, work in the main loop):
 *  - USB_GEN_vect only records an end-of-bus-reset; TIMER3_COMPA_vect only
 *    records a 1 ms flush tick (the tick also wakes a sleeping main loop, so
 *    endpoint polling in usb_task() is never more than 1 ms late).
 *  - usb_task() applies a bus reset, runs the EP0 control state machine
 *    (never blocks: each call advances it by what the hardware allows), and
 *    flushes bulk IN.
 *  - usb_cdc_write() queues whole frames in a RAM ring; bulk IN sends a full
 *    64-byte packet as soon as one is queued, a short packet on the tick, and
 *    a zero-length packet on the tick after a transfer that ended exactly on
 *    a packet boundary (so the host's read completes).
 *  - usb_cdc_getc() reads straight from the bulk OUT bank (no RX copy).
 * Nothing waits for VBUS, SOF or suspend: simavr models none of them, and a
 * bus-powered device has VBUS whenever it runs.
 *
 * The fixed interface (usb_cdc.h) has no context argument, so the state is
 * one module-level struct; all functions are for the main loop only.
 */
#include "usb_cdc.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include <avr/wdt.h>
#include <util/atomic.h>

#include "usb_boot.h"
#include "usb_desc.h"
#include "usb_power.h"
#include "usb_serial.h"

/* Bulk IN ring; whole frames wait here until the host reads them. */
#ifndef USB_TX_SIZE
#define USB_TX_SIZE 128u
#endif
_Static_assert(USB_TX_SIZE >= USB_BULK_SIZE && USB_TX_SIZE <= 128u &&
                   (USB_TX_SIZE & (USB_TX_SIZE - 1u)) == 0,
               "USB_TX_SIZE: a power of two in 64..128 (8-bit free-running indices)");

/* Flush tick from Timer3 (Timer4 is not emulated by simavr). */
#define USB_TICK_HZ 1000u
#define USB_TICK_OCR (F_CPU / 64u / USB_TICK_HZ - 1u)
_Static_assert(USB_TICK_OCR < 65536u, "Timer3 compare value");

/* Endpoint configuration bytes (UECFG0X, UECFG1X). */
#define EP_SIZE_CODE(n) ((n) == 8 ? 0 : (n) == 16 ? 1 : (n) == 32 ? 2 : 3)
#define EP_CFG1(size) (uint8_t)((EP_SIZE_CODE(size) << EPSIZE0) | (1 << ALLOC))
#define EP_CFG0_CONTROL 0u
#define EP_CFG0_INT_IN ((1 << EPTYPE1) | (1 << EPTYPE0) | (1 << EPDIR))
#define EP_CFG0_BULK_IN ((1 << EPTYPE1) | (1 << EPDIR))
#define EP_CFG0_BULK_OUT (1 << EPTYPE1)

/* UEINTX bits are cleared by writing 0; writing 1 leaves them alone. UECONX is
 * written whole, never read-modify-written: simavr reads STALLRQ back as set
 * and a |= would re-request the stall that STALLRQC just cleared. */
#define UEINTX_CLEAR(bits) (UEINTX = (uint8_t)~(bits))

/* Recorded by the ISRs: the power events of usb_power.h, the VBUS level
 * seen with the last VBUSTI, and the flush tick. */
enum usb_event { EV_VBUS_HIGH = 1u << 6, EV_TICK = 1u << 7 };
_Static_assert(((USB_PWR_EV_RESET | USB_PWR_EV_SUSPEND | USB_PWR_EV_WAKEUP | USB_PWR_EV_VBUS) &
                (EV_VBUS_HIGH | EV_TICK)) == 0, "event bits overlap");

enum ctl_state {
    CTL_IDLE,
    CTL_DATA_IN,     /* sending ctl_len bytes (+ ZLP), then waiting for the status OUT */
    CTL_DATA_OUT,    /* waiting for SET_LINE_CODING's 7 bytes */
    CTL_STATUS_SEND, /* status IN (ZLP) to send as soon as the bank is free */
    CTL_STATUS_WAIT, /* status IN sent; apply ctl_action once the host took it */
};

enum ctl_src { SRC_FLASH, SRC_RAM, SRC_STR_FLASH, SRC_STR_RAM };
enum ctl_action { ACT_NONE, ACT_ADDRESS, ACT_BOOTLOADER };

struct usb_setup {
    uint8_t bmRequestType;
    uint8_t bRequest;
    uint16_t wValue;
    uint16_t wIndex;
    uint16_t wLength;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_setup) == 8, "SETUP packet size");

/* CDC PSTN 6.3.11 line coding; the AVR is little-endian like the wire. */
struct usb_line_coding {
    uint32_t dwDTERate;
    uint8_t bCharFormat;
    uint8_t bParityType;
    uint8_t bDataBits;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_line_coding) == 7, "line coding size");

struct usb_state {
    uint8_t power;      /* enum usb_power_state */
    uint8_t configured; /* bConfigurationValue, 0 or 1 */
    uint8_t line_state; /* bit 0 DTR, bit 1 RTS, from SET_CONTROL_LINE_STATE */
    uint8_t halted;     /* bit n: endpoint n halted by SET_FEATURE(ENDPOINT_HALT) */
    struct usb_line_coding coding;

    uint8_t ctl_state, ctl_src, ctl_action;
    uint8_t ctl_len, ctl_off, ctl_zlp, ctl_full;
    const void *ctl_ptr;
    uint8_t ctl_buf[2];

    uint8_t tx_head, tx_tail; /* free-running; count = head - tail */
    uint8_t tx_zlp;           /* the last packet was full: a ZLP may be owed */
    uint16_t dropped;

    uint8_t tx_buf[USB_TX_SIZE];
};

static struct usb_state usb;
static volatile uint8_t usb_events;

/*
 * Records only; usb_task() acts. Suspend and wake-up alternate: each one
 * disables its own interrupt and enables the other (LUFA does the same).
 * WAKEUPI cannot be cleared while the USB clock is frozen, so the ISR only
 * disables it; usb_task() clears it after thawing the clock.
 */
ISR(USB_GEN_vect)
{
    uint8_t ev = 0;
    if (USBINT & (1 << VBUSTI)) {
        USBINT &= (uint8_t)~(1 << VBUSTI);
        ev |= USB_PWR_EV_VBUS;
        usb_events &= (uint8_t)~EV_VBUS_HIGH;
        if (USBSTA & (1 << VBUS))
            ev |= EV_VBUS_HIGH;
    }
    uint8_t udint = UDINT, udien = UDIEN;
    if ((udint & (1 << EORSTI)) && (udien & (1 << EORSTE))) {
        UDINT &= (uint8_t)~(1 << EORSTI);
        ev |= USB_PWR_EV_RESET;
    }
    if ((udint & (1 << SUSPI)) && (udien & (1 << SUSPE))) {
        UDINT &= (uint8_t)~((1 << SUSPI) | (1 << WAKEUPI));
        UDIEN = (uint8_t)((udien & ~(1 << SUSPE)) | (1 << WAKEUPE));
        ev |= USB_PWR_EV_SUSPEND;
    } else if ((udint & (1 << WAKEUPI)) && (udien & (1 << WAKEUPE))) {
        UDIEN = (uint8_t)((udien & ~(1 << WAKEUPE)) | (1 << SUSPE));
        ev |= USB_PWR_EV_WAKEUP;
    }
    usb_events |= ev;
}

ISR(TIMER3_COMPA_vect)
{
    usb_events |= EV_TICK;
}

static void ep_configure(uint8_t ep, uint8_t cfg0, uint8_t cfg1)
{
    UENUM = ep;
    UECONX = 1 << EPEN;
    UECFG0X = cfg0;
    UECFG1X = cfg1;
}

static void line_coding_default(void)
{
    usb.coding.dwDTERate = 9600;
    usb.coding.bCharFormat = 0;
    usb.coding.bParityType = 0;
    usb.coding.bDataBits = 8;
}

static void tx_discard(void)
{
    usb.tx_tail = usb.tx_head;
    usb.tx_zlp = 0;
}

/* PLL on and locked (about 100 us; the bound keeps a dead PLL from hanging
 * the loop), then the USB clock unfrozen. */
static void usb_clock_on(void)
{
    PLLCSR = 1 << PINDIV; /* 16 MHz crystal: divide by 2 into the PLL */
    PLLCSR = (1 << PINDIV) | (1 << PLLE);
    for (uint16_t i = 0; i < 4000u && !(PLLCSR & (1 << PLOCK)); i++) {
    }
    USBCON = (1 << USBE) | (1 << OTGPADE) | (1 << VBUSTE); /* unfreeze; VBUS changes too */
}

/* USB clock frozen and PLL off: what suspend and detach leave running is
 * the asynchronous wake-up and VBUS detection only. */
static void usb_clock_off(void)
{
    USBCON = (1 << USBE) | (1 << OTGPADE) | (1 << VBUSTE) | (1 << FRZCLK);
    PLLCSR = 1 << PINDIV;
}

void usb_init(void)
{
    usb_serial_init();
    line_coding_default();
    usb.power = USB_PWR_ACTIVE;

    UHWCON = 1 << UVREGE;
    USBCON = (1 << USBE) | (1 << FRZCLK);
    usb_clock_on();
    UDIEN = (1 << EORSTE) | (1 << SUSPE); /* before attaching: never miss the first reset */
    UDCON = 0;                            /* attach, full speed */

    TCCR3A = 0;
    TCCR3B = (1 << WGM32) | (1 << CS31) | (1 << CS30); /* CTC, clk/64 */
    OCR3A = USB_TICK_OCR;
    TIMSK3 = 1 << OCIE3A;
}

/* End of bus reset: everything goes back to the default state; EP0 only. */
static void usb_bus_reset(void)
{
    usb.configured = 0;
    usb.line_state = 0;
    usb.halted = 0;
    usb.ctl_state = CTL_IDLE;
    line_coding_default();
    tx_discard();
    UDADDR = 0;
    ep_configure(0, EP_CFG0_CONTROL, EP_CFG1(USB_EP0_SIZE));
}

static void set_configuration(uint8_t value)
{
    usb.configured = value;
    usb.halted = 0;
    usb.line_state = 0;
    tx_discard();
    /* Drop whatever the data endpoints' banks still hold. */
    UERST = (1 << USB_EP_NOTIFY) | (1 << USB_EP_OUT) | (1 << USB_EP_IN);
    UERST = 0;
    if (value) {
        /* Ascending order: the 32U4 allocates endpoint memory in that order. */
        ep_configure(USB_EP_NOTIFY, EP_CFG0_INT_IN, EP_CFG1(USB_NOTIFY_SIZE));
        ep_configure(USB_EP_OUT, EP_CFG0_BULK_OUT, EP_CFG1(USB_BULK_SIZE));
        ep_configure(USB_EP_IN, EP_CFG0_BULK_IN, EP_CFG1(USB_BULK_SIZE));
    } else {
        for (uint8_t ep = USB_EP_IN; ep >= 1; ep--) {
            UENUM = ep;
            UECONX = 0;
            UECFG1X = 0;
        }
    }
}

/* Status stage of a no-data or OUT-data request: a ZLP on EP0 IN. */
static uint8_t status_in(void)
{
    usb.ctl_state = CTL_STATUS_SEND;
    return 1;
}

/* Start an IN data stage of len bytes, cut to what the host asked for. */
static uint8_t ctl_in(uint8_t src, const void *ptr, uint8_t len, uint16_t wlength)
{
    if (wlength == 0)
        return status_in();
    if (len > wlength)
        len = (uint8_t)wlength;
    usb.ctl_src = src;
    usb.ctl_ptr = ptr;
    usb.ctl_len = len;
    usb.ctl_off = 0;
    /* A shorter answer than asked for must end with a short packet. */
    usb.ctl_zlp = len < wlength && (len % USB_EP0_SIZE) == 0;
    usb.ctl_state = CTL_DATA_IN;
    return 1;
}

static uint8_t ctl_string(uint8_t src, const char *text, uint8_t n, uint16_t wlength)
{
    usb.ctl_full = (uint8_t)(2u + 2u * n);
    return ctl_in(src, text, usb.ctl_full, wlength);
}

/* Byte off of the current IN answer. Strings are widened from ASCII. */
static uint8_t ctl_byte(uint8_t off)
{
    const uint8_t *p = usb.ctl_ptr;
    switch (usb.ctl_src) {
    case SRC_FLASH: return pgm_read_byte(p + off);
    case SRC_RAM: return p[off];
    default:
        if (off == 0)
            return usb.ctl_full;
        if (off == 1)
            return 0x03; /* STRING */
        if (off & 1)
            return 0;
        off = (uint8_t)((off - 2) / 2);
        return usb.ctl_src == SRC_STR_FLASH ? pgm_read_byte(p + off) : p[off];
    }
}

/* Endpoints a host may name in wIndex: EP0 either way, the rest once configured. */
static uint8_t ep_valid(uint16_t windex)
{
    if (windex & 0xFF70u)
        return 0;
    switch ((uint8_t)windex) {
    case 0x00:
    case 0x80: return 1;
    case 0x80 | USB_EP_NOTIFY:
    case USB_EP_OUT:
    case 0x80 | USB_EP_IN: return usb.configured != 0;
    default: return 0;
    }
}

static uint8_t get_descriptor(const struct usb_setup *s)
{
    uint8_t type = (uint8_t)(s->wValue >> 8);
    uint8_t idx = (uint8_t)s->wValue;

    switch (type) {
    case 0x01: /* DEVICE */
        if (idx)
            return 0;
        return ctl_in(SRC_FLASH, &usb_device_desc, sizeof usb_device_desc, s->wLength);
    case 0x02: /* CONFIGURATION */
        if (idx)
            return 0;
        return ctl_in(SRC_FLASH, &usb_config_desc, sizeof usb_config_desc, s->wLength);
    case 0x03: /* STRING; any language ID gets the English text */
        if (idx == USB_STR_LANGID)
            return ctl_in(SRC_FLASH, usb_langid_desc, sizeof usb_langid_desc, s->wLength);
        if (idx == USB_STR_SERIAL) {
            uint8_t n;
            const char *text = usb_serial(&n);
            return ctl_string(SRC_STR_RAM, text, n, s->wLength);
        }
        if (idx < USB_STR_COUNT) {
            const char *text = usb_string_P(idx);
            return ctl_string(SRC_STR_FLASH, text, (uint8_t)strlen_P(text), s->wLength);
        }
        return 0;
    default: /* DEVICE_QUALIFIER etc.: a full-speed-only device STALLs them */
        return 0;
    }
}

static uint8_t cdc_request(const struct usb_setup *s)
{
    if ((s->bmRequestType & 0x1F) != 0x01 || s->wIndex != USB_IF_COMM)
        return 0;
    switch (s->bRequest) {
    case 0x20: /* SET_LINE_CODING: kept until bus reset, even before SET_CONFIGURATION */
        if (s->bmRequestType != 0x21 || s->wValue || s->wLength != sizeof usb.coding)
            return 0;
        usb.ctl_state = CTL_DATA_OUT;
        return 1;
    case 0x21: /* GET_LINE_CODING */
        if (s->bmRequestType != 0xA1 || s->wValue)
            return 0;
        return ctl_in(SRC_RAM, &usb.coding, sizeof usb.coding, s->wLength);
    case 0x22: { /* SET_CONTROL_LINE_STATE */
        if (s->bmRequestType != 0x21 || s->wLength || (s->wValue & 0xFFFCu))
            return 0;
        uint8_t was_open = usb.line_state & 1u;
        usb.line_state = (uint8_t)s->wValue;
        /* Port closed after being opened at 1200 baud: the Arduino "touch". */
        if (was_open && !(usb.line_state & 1u) && usb.coding.dwDTERate == USB_BOOT_TOUCH_BAUD)
            usb.ctl_action = ACT_BOOTLOADER;
        return status_in();
    }
    default: /* SEND_BREAK, encapsulated commands...: not in bmCapabilities */
        return 0;
    }
}

/* Decode a SETUP. Returns 1 when accepted (state set up), 0 to STALL. */
static uint8_t ctl_dispatch(const struct usb_setup *s)
{
    uint8_t type = s->bmRequestType;
    uint8_t recip = type & 0x1F;

    if ((type & 0x60) == 0x20)
        return cdc_request(s);
    if (type & 0x60)
        return 0; /* vendor or reserved */

    switch (s->bRequest) {
    case 0x00: /* GET_STATUS */
        if (!(type & 0x80) || s->wValue || s->wLength != 2)
            return 0;
        usb.ctl_buf[0] = 0; /* bus powered, no remote wake-up, not halted */
        usb.ctl_buf[1] = 0;
        if (recip == 0x00) {
            if (s->wIndex)
                return 0;
        } else if (recip == 0x01) {
            if (!usb.configured || s->wIndex > USB_IF_DATA)
                return 0;
        } else if (recip == 0x02) {
            if (!ep_valid(s->wIndex))
                return 0;
            usb.ctl_buf[0] = (usb.halted >> (s->wIndex & 0x0F)) & 1u;
        } else {
            return 0;
        }
        return ctl_in(SRC_RAM, usb.ctl_buf, 2, s->wLength);
    case 0x01:   /* CLEAR_FEATURE */
    case 0x03: { /* SET_FEATURE */
        /* Only ENDPOINT_HALT: no remote wake-up (bmAttributes), no test modes. */
        uint8_t ep = s->wIndex & 0x0F;
        if (type != 0x02 || s->wValue != 0 || s->wLength || !ep_valid(s->wIndex) || ep == 0)
            return 0;
        UENUM = ep;
        if (s->bRequest == 0x03) {
            UECONX = (1 << EPEN) | (1 << STALLRQ);
            usb.halted |= (uint8_t)(1u << ep);
        } else {
            UECONX = (1 << EPEN) | (1 << STALLRQC) | (1 << RSTDT);
            UERST = (uint8_t)(1u << ep);
            UERST = 0;
            usb.halted &= (uint8_t)~(1u << ep);
            if (ep == USB_EP_IN)
                usb.tx_zlp = 0;
        }
        UENUM = 0;
        return status_in();
    }
    case 0x05: /* SET_ADDRESS: takes effect after the status stage */
        if (type != 0x00 || s->wValue > 127 || s->wIndex || s->wLength)
            return 0;
        UDADDR = (uint8_t)s->wValue;
        usb.ctl_action = ACT_ADDRESS;
        return status_in();
    case 0x06: /* GET_DESCRIPTOR */
        if (type != 0x80)
            return 0;
        return get_descriptor(s);
    case 0x08: /* GET_CONFIGURATION */
        if (type != 0x80 || s->wValue || s->wIndex || s->wLength != 1)
            return 0;
        usb.ctl_buf[0] = usb.configured;
        return ctl_in(SRC_RAM, usb.ctl_buf, 1, 1);
    case 0x09: /* SET_CONFIGURATION */
        if (type != 0x00 || s->wValue > 1 || s->wIndex || s->wLength)
            return 0;
        set_configuration((uint8_t)s->wValue);
        return status_in();
    case 0x0A: /* GET_INTERFACE: alternate setting 0 only */
        if (type != 0x81 || !usb.configured || s->wValue || s->wIndex > USB_IF_DATA ||
            s->wLength != 1)
            return 0;
        usb.ctl_buf[0] = 0;
        return ctl_in(SRC_RAM, usb.ctl_buf, 1, 1);
    case 0x0B: /* SET_INTERFACE */
        if (type != 0x01 || !usb.configured || s->wValue || s->wIndex > USB_IF_DATA ||
            s->wLength)
            return 0;
        return status_in();
    default:
        return 0;
    }
}

static void ctl_setup(void)
{
    struct usb_setup s;
    uint8_t *p = (uint8_t *)&s;
    for (uint8_t i = 0; i < sizeof s; i++)
        p[i] = UEDATX;
    UEINTX_CLEAR(1 << RXSTPI);
    usb.ctl_state = CTL_IDLE;
    usb.ctl_action = ACT_NONE;
    /* STALL both remaining stages; the hardware clears STALLRQ on the next SETUP. */
    if (!ctl_dispatch(&s)) {
        UENUM = 0;
        UECONX = (1 << EPEN) | (1 << STALLRQ);
        usb.ctl_state = CTL_IDLE;
    }
}

/* Advance the EP0 state machine as far as the hardware allows, never waiting. */
static void ctl_task(void)
{
    UENUM = 0;
    if (UEINTX & (1 << RXSTPI))
        ctl_setup(); /* a SETUP always ends what was going on */
    UENUM = 0;
    uint8_t st = UEINTX;

    switch (usb.ctl_state) {
    case CTL_DATA_IN:
        if (st & (1 << RXOUTI)) { /* status stage, or the host cut the data stage short */
            UEINTX_CLEAR(1 << RXOUTI);
            usb.ctl_state = CTL_IDLE;
        } else if ((st & (1 << TXINI)) && (usb.ctl_off < usb.ctl_len || usb.ctl_zlp)) {
            uint8_t n = usb.ctl_len - usb.ctl_off;
            if (n > USB_EP0_SIZE)
                n = USB_EP0_SIZE;
            if (n < USB_EP0_SIZE)
                usb.ctl_zlp = 0; /* a short packet ends the transfer */
            while (n--)
                UEDATX = ctl_byte(usb.ctl_off++);
            UEINTX_CLEAR(1 << TXINI);
        }
        break;
    case CTL_DATA_OUT:
        if (st & (1 << RXOUTI)) {
            uint8_t *dst = (uint8_t *)&usb.coding;
            for (uint8_t i = 0; i < sizeof usb.coding; i++)
                dst[i] = UEDATX;
            UEINTX_CLEAR(1 << RXOUTI);
            usb.ctl_state = CTL_STATUS_SEND;
            st = UEINTX;
        } else {
            break;
        }
        /* fall through */
    case CTL_STATUS_SEND:
        if (st & (1 << TXINI)) {
            UEINTX_CLEAR(1 << TXINI);
            usb.ctl_state = CTL_STATUS_WAIT;
        }
        break;
    case CTL_STATUS_WAIT:
        if (!(st & (1 << TXINI)))
            break;
        usb.ctl_state = CTL_IDLE;
        if (usb.ctl_action == ACT_ADDRESS)
            UDADDR |= 1 << ADDEN;
        else if (usb.ctl_action == ACT_BOOTLOADER)
            usb_reboot_bootloader();
        usb.ctl_action = ACT_NONE;
        break;
    default:
        break;
    }
}

/*
 * Bulk IN: a full packet as soon as 64 bytes are queued, anything less on the
 * tick; after a full packet, the next tick with nothing queued sends a ZLP.
 */
static void tx_task(uint8_t tick)
{
    uint8_t count = (uint8_t)(usb.tx_head - usb.tx_tail);
    if (count < USB_BULK_SIZE && !tick)
        return;
    if (count == 0 && !usb.tx_zlp)
        return;
    UENUM = USB_EP_IN;
    if (!(UEINTX & (1 << TXINI)))
        return; /* the host has not taken the previous packet yet */
    uint8_t n = count > USB_BULK_SIZE ? USB_BULK_SIZE : count;
    for (uint8_t i = 0; i < n; i++)
        UEDATX = usb.tx_buf[usb.tx_tail++ & (USB_TX_SIZE - 1u)];
    UEINTX_CLEAR((1 << TXINI) | (1 << FIFOCON));
    usb.tx_zlp = n == USB_BULK_SIZE;
}

/* Carry out usb_power_step()'s actions on the controller, in its order;
 * returns the sensor actions for the caller. */
static uint8_t power_actions(uint8_t act)
{
    if (act & USB_PWR_ACT_THAW) {
        usb_clock_on();
        UDINT &= (uint8_t)~(1 << WAKEUPI); /* only possible with the clock running */
    }
    if (act & USB_PWR_ACT_ATTACH) {
        UDIEN = (1 << EORSTE) | (1 << SUSPE);
        UDCON = 0;
    }
    if (act & USB_PWR_ACT_BUS_RESET)
        usb_bus_reset();
    if (act & USB_PWR_ACT_DETACH) {
        UDCON = 1 << DETACH;
        usb_bus_reset(); /* configured 0: the port reads as closed */
    }
    if (act & USB_PWR_ACT_FREEZE)
        usb_clock_off();
    return act & (USB_PWR_ACT_SENSORS_OFF | USB_PWR_ACT_SENSORS_ON);
}

uint8_t usb_task(void)
{
    uint8_t ev;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        ev = usb_events;
        usb_events = 0;
    }
    uint8_t pwr = ev & (USB_PWR_EV_RESET | USB_PWR_EV_SUSPEND | USB_PWR_EV_WAKEUP | USB_PWR_EV_VBUS);
    uint8_t sensors = 0;
    if (pwr)
        sensors = power_actions(usb_power_step(&usb.power, pwr, (ev & EV_VBUS_HIGH) != 0));
    if (usb.power != USB_PWR_ACTIVE)
        return sensors; /* clock frozen: the endpoints are out of reach */
    UENUM = 0;
    if (!(UECONX & (1 << EPEN)))
        return sensors; /* no bus reset seen yet */
    ctl_task();
    if (usb.configured)
        tx_task(ev & EV_TICK);
    return sensors;
}

uint8_t usb_power_state(void)
{
    return usb.power;
}

void usb_sleep(void)
{
    /* avr-libc's sleep idiom (as hal_sleep, the one other place with bare
     * CLI/SEI): no sleep if an event came after usb_task(), and SEI right
     * before SLEEP so one arriving after the check still ends the sleep. */
    set_sleep_mode(SLEEP_MODE_PWR_DOWN);
    cli();
    if (!(usb_events & (uint8_t)~EV_TICK)) {
        sleep_enable();
        sei();
        sleep_cpu();
        sleep_disable();
    }
    sei();
    set_sleep_mode(SLEEP_MODE_IDLE);
}

uint8_t usb_cdc_connected(void)
{
    return usb.configured && (usb.line_state & 1u);
}

uint8_t usb_cdc_write(const uint8_t *p, uint8_t n)
{
    uint8_t space = (uint8_t)(USB_TX_SIZE - (uint8_t)(usb.tx_head - usb.tx_tail));
    if (n == 0)
        return 0;
    if (!usb_cdc_connected() || n > space) {
        usb.dropped++;
        return 0;
    }
    for (uint8_t i = 0; i < n; i++)
        usb.tx_buf[usb.tx_head++ & (USB_TX_SIZE - 1u)] = p[i];
    return n;
}

int16_t usb_cdc_getc(void)
{
    if (!usb.configured)
        return -1;
    UENUM = USB_EP_OUT;
    if (!(UEINTX & (1 << RXOUTI)))
        return -1;
    int16_t c = -1;
    if (UEBCLX)
        c = UEDATX;
    if (!UEBCLX) /* bank empty: hand it back to the host */
        UEINTX_CLEAR((1 << RXOUTI) | (1 << FIFOCON));
    return c;
}

uint16_t usb_cdc_dropped(void)
{
    return usb.dropped;
}

void usb_reboot_bootloader(void)
{
    cli(); /* not a critical section: interrupts stay off until the reset */
    UDCON = 1 << DETACH; /* the host sees the port go at once */
    *(volatile uint16_t *)USB_BOOT_KEY_ADDR = USB_BOOT_KEY;
    wdt_enable(WDTO_15MS);
    /* simavr 1.6 keeps the old period until the next WDR; harmless on silicon. */
    wdt_reset();
    for (;;) {
    }
}
