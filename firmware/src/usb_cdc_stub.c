/*
 * usb_cdc_stub.c - stand-in for the USB CDC stack: never connected. Lets the
 * firmware build and run over USART1 until the native USB stack lands.
 */
#include "usb_cdc.h"

void usb_init(void) {}
void usb_task(void) {}
uint8_t usb_cdc_connected(void) { return 0; }
uint8_t usb_cdc_write(const uint8_t *p, uint8_t n) { (void)p; (void)n; return 0; }
int16_t usb_cdc_getc(void) { return -1; }
uint16_t usb_cdc_dropped(void) { return 0; }
