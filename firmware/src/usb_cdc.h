/*
 * usb_cdc.h - the firmware's USB CDC-ACM serial port (ATmega32U4 native USB).
 *
 * Contract with the main loop: usb_init() once at start-up; usb_task() on
 * every main-loop pass (all class logic runs there, the ISR only records
 * events). Frames are written whole: usb_cdc_write() queues all n bytes or
 * none, so a frame is never split by a full buffer; the caller counts what it
 * had to drop. Data flows only while the host holds the port open (DTR set).
 */
#ifndef RS_USB_CDC_H
#define RS_USB_CDC_H

#include <stdint.h>

#include "usb_power.h"

void usb_init(void);
/* Returns USB_PWR_ACT_SENSORS_OFF when the bus was suspended or VBUS lost
 * (the caller stops sampling and powers the sensors down), _SENSORS_ON when
 * it is running again, else 0 (usb_power.h). */
uint8_t usb_task(void);

/* enum usb_power_state: ACTIVE, SUSPENDED or NO_VBUS. */
uint8_t usb_power_state(void);
/* While not ACTIVE: sleep in power-down until a USB event (wake-up, VBUS)
 * unless one is already pending. Timers stop meanwhile, the watchdog too
 * if the caller disabled it. */
void usb_sleep(void);

/* 1 while configured and the host has set DTR (port open). */
uint8_t usb_cdc_connected(void);

/* Queue n bytes for bulk IN. Returns n, or 0 (nothing queued) if they do not fit
 * or the port is not open. */
uint8_t usb_cdc_write(const uint8_t *p, uint8_t n);

/* Next byte received on bulk OUT, or -1 if none. */
int16_t usb_cdc_getc(void);

/* Samples dropped because the port was closed or full (for diagnostics). */
uint16_t usb_cdc_dropped(void);

#endif
