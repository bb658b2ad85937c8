/*
 * usb_desc.h - the roller's USB descriptors as typed, packed structs (USB 2.0
 * chapter 9 and CDC 1.2 PSTN), and the endpoint plan they describe.
 *
 * One configuration, two interfaces, no IAD (device class 0x02 lets every
 * host bind its CDC-ACM driver to the pair through the union descriptor):
 *   interface 0  CDC communication, ACM; notification EP1 IN (interrupt, 16 B)
 *   interface 1  CDC data; bulk OUT EP2 (64 B), bulk IN EP3 (64 B)
 * Endpoints stay within 0..4 because simavr's model aborts on UENUM >= 5.
 *
 * Strings are kept as plain ASCII in flash and widened to UTF-16LE while they
 * are sent (usb_cdc.c), which halves their flash cost.
 */
#ifndef RS_USB_DESC_H
#define RS_USB_DESC_H

#include <stdint.h>

#include <avr/pgmspace.h>

#define USB_EP0_SIZE 64u
#define USB_EP_NOTIFY 1u   /* interrupt IN */
#define USB_EP_OUT 2u      /* bulk OUT */
#define USB_EP_IN 3u       /* bulk IN */
#define USB_NOTIFY_SIZE 16u
#define USB_BULK_SIZE 64u

#define USB_IF_COMM 0u
#define USB_IF_DATA 1u

/* String descriptor indices. */
enum usb_string_index {
    USB_STR_LANGID = 0,
    USB_STR_MANUFACTURER = 1,
    USB_STR_PRODUCT = 2,
    USB_STR_SERIAL = 3,
    USB_STR_COUNT
};

struct usb_device_desc {
    uint8_t bLength;
    uint8_t bDescriptorType;
    uint16_t bcdUSB;
    uint8_t bDeviceClass;
    uint8_t bDeviceSubClass;
    uint8_t bDeviceProtocol;
    uint8_t bMaxPacketSize0;
    uint16_t idVendor;
    uint16_t idProduct;
    uint16_t bcdDevice;
    uint8_t iManufacturer;
    uint8_t iProduct;
    uint8_t iSerialNumber;
    uint8_t bNumConfigurations;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_device_desc) == 18, "device descriptor size");

struct usb_config_header {
    uint8_t bLength;
    uint8_t bDescriptorType;
    uint16_t wTotalLength;
    uint8_t bNumInterfaces;
    uint8_t bConfigurationValue;
    uint8_t iConfiguration;
    uint8_t bmAttributes;
    uint8_t bMaxPower;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_config_header) == 9, "configuration header size");

struct usb_interface_desc {
    uint8_t bLength;
    uint8_t bDescriptorType;
    uint8_t bInterfaceNumber;
    uint8_t bAlternateSetting;
    uint8_t bNumEndpoints;
    uint8_t bInterfaceClass;
    uint8_t bInterfaceSubClass;
    uint8_t bInterfaceProtocol;
    uint8_t iInterface;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_interface_desc) == 9, "interface descriptor size");

struct usb_endpoint_desc {
    uint8_t bLength;
    uint8_t bDescriptorType;
    uint8_t bEndpointAddress;
    uint8_t bmAttributes;
    uint16_t wMaxPacketSize;
    uint8_t bInterval;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_endpoint_desc) == 7, "endpoint descriptor size");

/* CDC functional descriptors (CDC 1.2 section 5.2.3, PSTN 1.2 section 5.3). */
struct usb_cdc_header_desc {
    uint8_t bFunctionLength;
    uint8_t bDescriptorType;    /* CS_INTERFACE 0x24 */
    uint8_t bDescriptorSubtype; /* 0x00 header */
    uint16_t bcdCDC;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_cdc_header_desc) == 5, "CDC header size");

struct usb_cdc_call_mgmt_desc {
    uint8_t bFunctionLength;
    uint8_t bDescriptorType;
    uint8_t bDescriptorSubtype; /* 0x01 call management */
    uint8_t bmCapabilities;
    uint8_t bDataInterface;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_cdc_call_mgmt_desc) == 5, "CDC call management size");

struct usb_cdc_acm_desc {
    uint8_t bFunctionLength;
    uint8_t bDescriptorType;
    uint8_t bDescriptorSubtype; /* 0x02 abstract control management */
    uint8_t bmCapabilities;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_cdc_acm_desc) == 4, "CDC ACM size");

struct usb_cdc_union_desc {
    uint8_t bFunctionLength;
    uint8_t bDescriptorType;
    uint8_t bDescriptorSubtype; /* 0x06 union */
    uint8_t bMasterInterface;
    uint8_t bSlaveInterface0;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_cdc_union_desc) == 5, "CDC union size");

/* The whole configuration, in the order a host walks it. */
struct usb_config_desc {
    struct usb_config_header config;
    struct usb_interface_desc comm_if;
    struct usb_cdc_header_desc cdc_header;
    struct usb_cdc_call_mgmt_desc cdc_call_mgmt;
    struct usb_cdc_acm_desc cdc_acm;
    struct usb_cdc_union_desc cdc_union;
    struct usb_endpoint_desc notify_ep;
    struct usb_interface_desc data_if;
    struct usb_endpoint_desc out_ep;
    struct usb_endpoint_desc in_ep;
} __attribute__((packed));
_Static_assert(sizeof(struct usb_config_desc) == 67, "CDC config descriptor size");

extern const struct usb_device_desc usb_device_desc PROGMEM;
extern const struct usb_config_desc usb_config_desc PROGMEM;
extern const uint8_t usb_langid_desc[4] PROGMEM;

/*
 * ASCII text of string descriptor idx (1..USB_STR_COUNT-1) except the serial,
 * which lives in RAM (usb_serial.c). Returns a PROGMEM pointer or 0.
 */
const char *usb_string_P(uint8_t idx);

#endif
