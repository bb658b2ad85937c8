/*
 * usb_desc.c - the descriptor tables (flash only). Identity comes from
 * rs_defaults.h; bcdDevice carries the firmware version as BCD (major.minor.patch
 * as 0xMmp, each digit 0..9).
 */
#include "usb_desc.h"

#include "rs_defaults.h"

#ifndef RS_FW_MAJOR
#define RS_FW_MAJOR 0
#define RS_FW_MINOR 0
#define RS_FW_PATCH 0
#endif

#define DT_DEVICE 0x01u
#define DT_CONFIG 0x02u
#define DT_STRING 0x03u
#define DT_INTERFACE 0x04u
#define DT_ENDPOINT 0x05u
#define DT_CS_INTERFACE 0x24u

const struct usb_device_desc usb_device_desc PROGMEM = {
    .bLength = sizeof(struct usb_device_desc),
    .bDescriptorType = DT_DEVICE,
    .bcdUSB = 0x0200,
    .bDeviceClass = 0x02, /* CDC: the class is declared at device level */
    .bDeviceSubClass = 0,
    .bDeviceProtocol = 0,
    .bMaxPacketSize0 = USB_EP0_SIZE,
    .idVendor = RS_USB_VID,
    .idProduct = RS_USB_PID,
    .bcdDevice = ((RS_FW_MAJOR % 10) << 8) | ((RS_FW_MINOR % 10) << 4) | (RS_FW_PATCH % 10),
    .iManufacturer = USB_STR_MANUFACTURER,
    .iProduct = USB_STR_PRODUCT,
    .iSerialNumber = USB_STR_SERIAL,
    .bNumConfigurations = 1,
};

const struct usb_config_desc usb_config_desc PROGMEM = {
    .config = {
        .bLength = sizeof(struct usb_config_header),
        .bDescriptorType = DT_CONFIG,
        .wTotalLength = sizeof(struct usb_config_desc),
        .bNumInterfaces = 2,
        .bConfigurationValue = 1,
        .iConfiguration = 0,
        .bmAttributes = 0x80, /* bus powered, no remote wake-up */
        .bMaxPower = 50,      /* 100 mA: MCU, two HX711, encoder, load cells */
    },
    .comm_if = {
        .bLength = sizeof(struct usb_interface_desc),
        .bDescriptorType = DT_INTERFACE,
        .bInterfaceNumber = USB_IF_COMM,
        .bAlternateSetting = 0,
        .bNumEndpoints = 1,
        .bInterfaceClass = 0x02,    /* communications */
        .bInterfaceSubClass = 0x02, /* abstract control model */
        .bInterfaceProtocol = 0x01, /* AT commands (V.250): what Linux/Windows expect */
        .iInterface = 0,
    },
    .cdc_header = {
        .bFunctionLength = sizeof(struct usb_cdc_header_desc),
        .bDescriptorType = DT_CS_INTERFACE,
        .bDescriptorSubtype = 0x00,
        .bcdCDC = 0x0110,
    },
    .cdc_call_mgmt = {
        .bFunctionLength = sizeof(struct usb_cdc_call_mgmt_desc),
        .bDescriptorType = DT_CS_INTERFACE,
        .bDescriptorSubtype = 0x01,
        .bmCapabilities = 0x00, /* no call management */
        .bDataInterface = USB_IF_DATA,
    },
    .cdc_acm = {
        .bFunctionLength = sizeof(struct usb_cdc_acm_desc),
        .bDescriptorType = DT_CS_INTERFACE,
        .bDescriptorSubtype = 0x02,
        .bmCapabilities = 0x02, /* line coding + control line state, no break */
    },
    .cdc_union = {
        .bFunctionLength = sizeof(struct usb_cdc_union_desc),
        .bDescriptorType = DT_CS_INTERFACE,
        .bDescriptorSubtype = 0x06,
        .bMasterInterface = USB_IF_COMM,
        .bSlaveInterface0 = USB_IF_DATA,
    },
    .notify_ep = {
        .bLength = sizeof(struct usb_endpoint_desc),
        .bDescriptorType = DT_ENDPOINT,
        .bEndpointAddress = 0x80 | USB_EP_NOTIFY,
        .bmAttributes = 0x03, /* interrupt */
        .wMaxPacketSize = USB_NOTIFY_SIZE,
        .bInterval = 64,      /* ms; nothing is ever sent on it */
    },
    .data_if = {
        .bLength = sizeof(struct usb_interface_desc),
        .bDescriptorType = DT_INTERFACE,
        .bInterfaceNumber = USB_IF_DATA,
        .bAlternateSetting = 0,
        .bNumEndpoints = 2,
        .bInterfaceClass = 0x0A, /* CDC data */
        .bInterfaceSubClass = 0,
        .bInterfaceProtocol = 0,
        .iInterface = 0,
    },
    .out_ep = {
        .bLength = sizeof(struct usb_endpoint_desc),
        .bDescriptorType = DT_ENDPOINT,
        .bEndpointAddress = USB_EP_OUT,
        .bmAttributes = 0x02, /* bulk */
        .wMaxPacketSize = USB_BULK_SIZE,
        .bInterval = 0,
    },
    .in_ep = {
        .bLength = sizeof(struct usb_endpoint_desc),
        .bDescriptorType = DT_ENDPOINT,
        .bEndpointAddress = 0x80 | USB_EP_IN,
        .bmAttributes = 0x02,
        .wMaxPacketSize = USB_BULK_SIZE,
        .bInterval = 0,
    },
};

/* English (United States) only. */
const uint8_t usb_langid_desc[4] PROGMEM = { 4, DT_STRING, 0x09, 0x04 };

static const char str_manufacturer[] PROGMEM = RS_USB_MANUFACTURER;
static const char str_product[] PROGMEM = RS_USB_PRODUCT;

const char *usb_string_P(uint8_t idx)
{
    switch (idx) {
    case USB_STR_MANUFACTURER: return str_manufacturer;
    case USB_STR_PRODUCT: return str_product;
    default: return 0;
    }
}
