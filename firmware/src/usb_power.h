/*
 * usb_power.h - the USB power states of the roller (bus powered), as pure
 * logic: which state the device is in after the USB controller's events,
 * and what must be done on the way. usb_cdc.c feeds it the events its
 * interrupt recorded and carries out the actions; the host unit tests
 * (tests/fwunit) drive it directly, because simavr models no VBUS, suspend
 * or resume (docs/firmware.md lists what only real hardware can show).
 *
 *   ACTIVE     attached, bus running: sensors sampled, frames streamed.
 *   SUSPENDED  the host stopped the bus (3 ms idle, SUSPI): sampling stops,
 *              the HX711s are powered down, the USB clock is frozen and the
 *              CPU sleeps in power-down, so the device stays under the
 *              2.5 mA a suspended device may draw (budget in docs/firmware.md).
 *              Bus activity (WAKEUPI: resume or reset) brings it back.
 *   NO_VBUS    VBUS gone (VBUSTI with VBUS low): detached, nothing streamed,
 *              waiting for VBUS (VBUSTI with VBUS high) to attach again.
 *
 * Start-up state is ACTIVE: a bus-powered device that runs has VBUS (and
 * simavr, which has no VBUS pin, never says otherwise).
 *
 * Suspend and wake-up alternate (only one of the two interrupts is enabled
 * at a time), so when both are pending in one step they cancel out. A bus
 * reset (EORSTI) at any time means the bus is running: the state becomes
 * ACTIVE and the USB state is reset (endpoints re-initialised).
 */
#ifndef RS_USB_POWER_H
#define RS_USB_POWER_H

#include <stdint.h>

enum usb_power_state { USB_PWR_ACTIVE = 0, USB_PWR_SUSPENDED = 1, USB_PWR_NO_VBUS = 2 };

/* Events, as recorded by the USB interrupt. */
enum usb_power_event {
    USB_PWR_EV_RESET = 1u << 0,   /* end of bus reset (EORSTI) */
    USB_PWR_EV_SUSPEND = 1u << 1, /* bus idle for 3 ms (SUSPI) */
    USB_PWR_EV_WAKEUP = 1u << 2,  /* bus activity while suspended (WAKEUPI) */
    USB_PWR_EV_VBUS = 1u << 3,    /* VBUS changed (VBUSTI); the level comes separately */
};

/* Actions for the caller, in the order it must carry them out. */
enum usb_power_action {
    USB_PWR_ACT_THAW = 1u << 0,        /* PLL on, wait for lock, unfreeze the USB clock */
    USB_PWR_ACT_ATTACH = 1u << 1,      /* connect the D+ pull-up */
    USB_PWR_ACT_BUS_RESET = 1u << 2,   /* default USB state, EP0 only, queued data dropped */
    USB_PWR_ACT_DETACH = 1u << 3,      /* disconnect, USB state reset, then freeze */
    USB_PWR_ACT_FREEZE = 1u << 4,      /* freeze the USB clock, PLL off */
    USB_PWR_ACT_SENSORS_OFF = 1u << 5, /* stop sampling, HX711s down, CPU may power down */
    USB_PWR_ACT_SENSORS_ON = 1u << 6,  /* HX711s up, sampling again after their settling */
};

/* One step: the events recorded since the last step and, with
 * USB_PWR_EV_VBUS, the VBUS level read then. Updates *state and returns the
 * actions (a mask of enum usb_power_action). */
uint8_t usb_power_step(uint8_t *state, uint8_t events, uint8_t vbus);

#endif
