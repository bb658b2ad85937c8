/*
 * usb_power.c - USB power states (see usb_power.h).
 */
#include "usb_power.h"

static uint8_t next_state(uint8_t s, uint8_t ev, uint8_t vbus)
{
    if (ev & USB_PWR_EV_VBUS)
        s = !vbus ? USB_PWR_NO_VBUS : s == USB_PWR_NO_VBUS ? USB_PWR_ACTIVE : s;
    if (s == USB_PWR_NO_VBUS)
        return s; /* detached: the bus's events mean nothing */
    uint8_t sw = ev & (USB_PWR_EV_SUSPEND | USB_PWR_EV_WAKEUP);
    if (sw == USB_PWR_EV_SUSPEND)
        s = USB_PWR_SUSPENDED;
    else if (sw == USB_PWR_EV_WAKEUP)
        s = USB_PWR_ACTIVE;
    if (ev & USB_PWR_EV_RESET)
        s = USB_PWR_ACTIVE;
    return s;
}

uint8_t usb_power_step(uint8_t *state, uint8_t events, uint8_t vbus)
{
    uint8_t old = *state, s = next_state(old, events, vbus);
    uint8_t act = 0;
    /* The clock runs in ACTIVE only: thaw on the way in, freeze on the way out. */
    if (old != USB_PWR_ACTIVE && s == USB_PWR_ACTIVE)
        act |= USB_PWR_ACT_THAW;
    if (old == USB_PWR_NO_VBUS && s != USB_PWR_NO_VBUS)
        act |= USB_PWR_ACT_ATTACH;
    if ((events & USB_PWR_EV_RESET) && s == USB_PWR_ACTIVE)
        act |= USB_PWR_ACT_BUS_RESET;
    if (old != USB_PWR_NO_VBUS && s == USB_PWR_NO_VBUS)
        act |= USB_PWR_ACT_DETACH;
    if (old == USB_PWR_ACTIVE && s != USB_PWR_ACTIVE)
        act |= USB_PWR_ACT_FREEZE | USB_PWR_ACT_SENSORS_OFF;
    if (old != USB_PWR_ACTIVE && s == USB_PWR_ACTIVE)
        act |= USB_PWR_ACT_SENSORS_ON;
    *state = s;
    return act;
}
