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

void usb_init(void);
void usb_task(void);

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
