/*
 * test_usb_enum.c - enumeration of the real firmware image in simavr, as
 * Linux does it, every descriptor checked field by field; requests the device
 * must refuse (STALL) and recovery on the next SETUP; endpoint halt; the
 * serial number sources; the 1200-baud touch into the bootloader.
 *
 * Usage: test_usb_enum FIRMWARE.elf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rs_defaults.h"
#include "rs_proto.h"
#include "usb_boot.h"
#include "usb_host.h"
#include "usb_serial.h"
#include "usb_sim.h"

#include <simavr/avr_usb.h>

static const char *elf_path;

#define MS(n) ((uint64_t)(n) * 16000u)

struct fixture {
    avr_t *avr;
    struct rs_usbh h;
    struct rs_usbh_device dev;
};

static struct fixture *open_device(const char *ee_serial)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    f.avr = rs_sim_open(elf_path);
    assert_non_null(f.avr);
    if (ee_serial)
        assert_int_equal(rs_sim_eeprom_write(f.avr, USB_SERIAL_EE_ADDR, ee_serial,
                                             strlen(ee_serial) + 1), 0);
    assert_int_equal(rs_usbh_init(&f.h, f.avr), 0);
    assert_int_equal(rs_usbh_run(&f.h, MS(5)), 0); /* power-up, usb_init() */
    return &f;
}

static void close_device(struct fixture *f)
{
    rs_sim_close(f->avr);
    f->avr = NULL;
}

static void enumerate(struct fixture *f, uint32_t baud)
{
    int r = rs_usbh_enumerate(&f->h, &f->dev, baud);
    if (r != 0)
        fail_msg("enumeration failed: %s", rs_usbh_strerror(r));
}

static unsigned get16(const uint8_t *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

/* One expected field: offset into a descriptor, size (1 or 2), value. */
struct field {
    const char *name;
    uint16_t off;
    uint8_t size;
    unsigned value;
};

static void check_fields(const uint8_t *d, const struct field *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = t[i].size == 2 ? get16(d + t[i].off) : d[t[i].off];
        if (v != t[i].value)
            fail_msg("%s (offset %u): 0x%x, expected 0x%x", t[i].name, t[i].off, v,
                     t[i].value);
    }
}

static const struct field device_fields[] = {
    { "bLength", 0, 1, 18 },
    { "bDescriptorType", 1, 1, 0x01 },
    { "bcdUSB", 2, 2, 0x0200 },
    { "bDeviceClass (CDC)", 4, 1, 0x02 },
    { "bDeviceSubClass", 5, 1, 0 },
    { "bDeviceProtocol", 6, 1, 0 },
    { "bMaxPacketSize0", 7, 1, 64 },
    { "idVendor", 8, 2, RS_USB_VID },
    { "idProduct", 10, 2, RS_USB_PID },
    { "iManufacturer", 14, 1, 1 },
    { "iProduct", 15, 1, 2 },
    { "iSerialNumber", 16, 1, 3 },
    { "bNumConfigurations", 17, 1, 1 },
};

/* The whole 67-byte configuration, in wire order. */
static const struct field config_fields[] = {
    { "config.bLength", 0, 1, 9 },
    { "config.bDescriptorType", 1, 1, 0x02 },
    { "config.wTotalLength", 2, 2, 67 },
    { "config.bNumInterfaces", 4, 1, 2 },
    { "config.bConfigurationValue", 5, 1, 1 },
    { "config.iConfiguration", 6, 1, 0 },
    { "config.bmAttributes (bus powered)", 7, 1, 0x80 },
    { "config.bMaxPower", 8, 1, 50 },
    { "comm_if.bLength", 9, 1, 9 },
    { "comm_if.bDescriptorType", 10, 1, 0x04 },
    { "comm_if.bInterfaceNumber", 11, 1, 0 },
    { "comm_if.bAlternateSetting", 12, 1, 0 },
    { "comm_if.bNumEndpoints", 13, 1, 1 },
    { "comm_if.bInterfaceClass (CDC)", 14, 1, 0x02 },
    { "comm_if.bInterfaceSubClass (ACM)", 15, 1, 0x02 },
    { "comm_if.bInterfaceProtocol (V.250)", 16, 1, 0x01 },
    { "comm_if.iInterface", 17, 1, 0 },
    { "header.bFunctionLength", 18, 1, 5 },
    { "header.bDescriptorType (CS_INTERFACE)", 19, 1, 0x24 },
    { "header.bDescriptorSubtype", 20, 1, 0x00 },
    { "header.bcdCDC", 21, 2, 0x0110 },
    { "call_mgmt.bFunctionLength", 23, 1, 5 },
    { "call_mgmt.bDescriptorType", 24, 1, 0x24 },
    { "call_mgmt.bDescriptorSubtype", 25, 1, 0x01 },
    { "call_mgmt.bmCapabilities", 26, 1, 0x00 },
    { "call_mgmt.bDataInterface", 27, 1, 1 },
    { "acm.bFunctionLength", 28, 1, 4 },
    { "acm.bDescriptorType", 29, 1, 0x24 },
    { "acm.bDescriptorSubtype", 30, 1, 0x02 },
    { "acm.bmCapabilities (line coding + state)", 31, 1, 0x02 },
    { "union.bFunctionLength", 32, 1, 5 },
    { "union.bDescriptorType", 33, 1, 0x24 },
    { "union.bDescriptorSubtype", 34, 1, 0x06 },
    { "union.bMasterInterface", 35, 1, 0 },
    { "union.bSlaveInterface0", 36, 1, 1 },
    { "notify_ep.bLength", 37, 1, 7 },
    { "notify_ep.bDescriptorType", 38, 1, 0x05 },
    { "notify_ep.bEndpointAddress", 39, 1, 0x81 },
    { "notify_ep.bmAttributes (interrupt)", 40, 1, 0x03 },
    { "notify_ep.wMaxPacketSize", 41, 2, 16 },
    { "notify_ep.bInterval", 43, 1, 64 },
    { "data_if.bLength", 44, 1, 9 },
    { "data_if.bDescriptorType", 45, 1, 0x04 },
    { "data_if.bInterfaceNumber", 46, 1, 1 },
    { "data_if.bAlternateSetting", 47, 1, 0 },
    { "data_if.bNumEndpoints", 48, 1, 2 },
    { "data_if.bInterfaceClass (CDC data)", 49, 1, 0x0A },
    { "data_if.bInterfaceSubClass", 50, 1, 0 },
    { "data_if.bInterfaceProtocol", 51, 1, 0 },
    { "data_if.iInterface", 52, 1, 0 },
    { "out_ep.bLength", 53, 1, 7 },
    { "out_ep.bDescriptorType", 54, 1, 0x05 },
    { "out_ep.bEndpointAddress", 55, 1, 0x02 },
    { "out_ep.bmAttributes (bulk)", 56, 1, 0x02 },
    { "out_ep.wMaxPacketSize", 57, 2, 64 },
    { "out_ep.bInterval", 59, 1, 0 },
    { "in_ep.bLength", 60, 1, 7 },
    { "in_ep.bDescriptorType", 61, 1, 0x05 },
    { "in_ep.bEndpointAddress", 62, 1, 0x83 },
    { "in_ep.bmAttributes (bulk)", 63, 1, 0x02 },
    { "in_ep.wMaxPacketSize", 64, 2, 64 },
    { "in_ep.bInterval", 66, 1, 0 },
};

static void test_enumerate_like_linux(void **state)
{
    (void)state;
    struct fixture *f = open_device("RS-TEST-0042");
    enumerate(f, 115200);

    check_fields(f->dev.device_desc, device_fields,
                 sizeof device_fields / sizeof device_fields[0]);
    assert_int_equal(f->dev.config_len, 67);
    check_fields(f->dev.config_desc, config_fields,
                 sizeof config_fields / sizeof config_fields[0]);

    /* Every descriptor in the configuration: lengths chain to wTotalLength. */
    unsigned off = 0, count = 0;
    while (off < f->dev.config_len) {
        assert_true(f->dev.config_desc[off] >= 2);
        off += f->dev.config_desc[off];
        count++;
    }
    assert_int_equal(off, 67);
    assert_int_equal(count, 10);

    static const uint8_t langid[4] = { 4, 0x03, 0x09, 0x04 };
    assert_memory_equal(f->dev.langid_desc, langid, 4);
    assert_string_equal(f->dev.manufacturer, RS_USB_MANUFACTURER);
    assert_string_equal(f->dev.product, "rollsense roller");
    assert_string_equal(f->dev.serial, "RS-TEST-0042");

    static const uint8_t coding[7] = { 0x00, 0xC2, 0x01, 0x00, 0, 0, 8 }; /* 115200 8N1 */
    assert_memory_equal(f->dev.line_coding, coding, 7);
    assert_int_equal(f->dev.ep_in, 0x83);
    assert_int_equal(f->dev.ep_out, 0x02);
    assert_int_equal(f->dev.ep_notify, 0x81);

    uint8_t b[2] = { 0xAA, 0xAA };
    struct rs_usb_setup get_config = { 0x80, 0x08, 0, 0, 1 };
    assert_int_equal(rs_usbh_control(&f->h, &get_config, b), 1);
    assert_int_equal(b[0], 1);
    struct rs_usb_setup get_status = { 0x80, 0x00, 0, 0, 2 };
    assert_int_equal(rs_usbh_control(&f->h, &get_status, b), 2);
    assert_int_equal(b[0] | b[1], 0);
    struct rs_usb_setup get_if_status = { 0x81, 0x00, 0, 1, 2 };
    assert_int_equal(rs_usbh_control(&f->h, &get_if_status, b), 2);
    struct rs_usb_setup get_interface = { 0x81, 0x0A, 0, 1, 1 };
    assert_int_equal(rs_usbh_control(&f->h, &get_interface, b), 1);
    assert_int_equal(b[0], 0);
    struct rs_usb_setup set_interface = { 0x01, 0x0B, 0, 1, 0 };
    assert_int_equal(rs_usbh_control(&f->h, &set_interface, NULL), 0);

    /* Shorter reads than the descriptor: cut exactly at wLength. */
    uint8_t buf[255];
    struct rs_usb_setup cfg64 = { 0x80, 0x06, 0x0200, 0, 64 };
    assert_int_equal(rs_usbh_control(&f->h, &cfg64, buf), 64);
    assert_memory_equal(buf, f->dev.config_desc, 64);
    struct rs_usb_setup str4 = { 0x80, 0x06, 0x0302, 0x0409, 4 };
    assert_int_equal(rs_usbh_control(&f->h, &str4, buf), 4);
    assert_int_equal(buf[0], 2 + 2 * strlen("rollsense roller"));
    assert_int_equal(buf[2], 'r');

    /* The line coding is kept and read back. */
    uint8_t lc[7];
    assert_int_equal(rs_usbh_set_line_coding(&f->h, 9600, 2, 1, 7), 0);
    assert_int_equal(rs_usbh_get_line_coding(&f->h, lc), 0);
    static const uint8_t coding2[7] = { 0x80, 0x25, 0, 0, 2, 1, 7 };
    assert_memory_equal(lc, coding2, 7);
    close_device(f);
}

/* Requests the device must refuse with STALL. wLength bytes of data go with OUT ones. */
struct bad_request {
    const char *name;
    struct rs_usb_setup s;
};

static const struct bad_request bad_requests[] = {
    { "GET_DESCRIPTOR device qualifier", { 0x80, 0x06, 0x0600, 0, 10 } },
    { "GET_DESCRIPTOR other speed config", { 0x80, 0x06, 0x0700, 0, 9 } },
    { "GET_DESCRIPTOR BOS", { 0x80, 0x06, 0x0F00, 0, 5 } },
    { "GET_DESCRIPTOR string 9", { 0x80, 0x06, 0x0309, 0x0409, 255 } },
    { "GET_DESCRIPTOR configuration 1", { 0x80, 0x06, 0x0201, 0, 9 } },
    { "GET_DESCRIPTOR device index 1", { 0x80, 0x06, 0x0101, 0, 18 } },
    { "GET_DESCRIPTOR to an interface", { 0x81, 0x06, 0x2200, 0, 64 } },
    { "GET_DESCRIPTOR with OUT direction", { 0x00, 0x06, 0x0100, 0, 0 } },
    { "vendor IN request", { 0xC0, 0x01, 0, 0, 4 } },
    { "vendor OUT request", { 0x40, 0x01, 0, 0, 0 } },
    { "SET_CONFIGURATION 2", { 0x00, 0x09, 2, 0, 0 } },
    { "SET_ADDRESS 200", { 0x00, 0x05, 200, 0, 0 } },
    { "SET_FEATURE DEVICE_REMOTE_WAKEUP", { 0x00, 0x03, 1, 0, 0 } },
    { "SET_FEATURE TEST_MODE", { 0x00, 0x03, 2, 0x0100, 0 } },
    { "SET_FEATURE halt on endpoint 0", { 0x02, 0x03, 0, 0x00, 0 } },
    { "SET_FEATURE halt on endpoint 0x85", { 0x02, 0x03, 0, 0x85, 0 } },
    { "CLEAR_FEATURE unknown feature on EP3", { 0x02, 0x01, 7, 0x83, 0 } },
    { "GET_STATUS endpoint 0x84", { 0x82, 0x00, 0, 0x84, 2 } },
    { "GET_STATUS interface 2", { 0x81, 0x00, 0, 2, 2 } },
    { "GET_STATUS wLength 3", { 0x80, 0x00, 0, 0, 3 } },
    { "GET_STATUS OUT direction", { 0x00, 0x00, 0, 0, 0 } },
    { "GET_CONFIGURATION wLength 2", { 0x80, 0x08, 0, 0, 2 } },
    { "GET_INTERFACE interface 2", { 0x81, 0x0A, 0, 2, 1 } },
    { "SET_INTERFACE alternate 1", { 0x01, 0x0B, 1, 0, 0 } },
    { "SYNCH_FRAME", { 0x82, 0x0C, 0, 0x83, 2 } },
    { "standard request 0x42", { 0x80, 0x42, 0, 0, 8 } },
    { "SET_LINE_CODING 6 bytes", { 0x21, 0x20, 0, 0, 6 } },
    { "SET_LINE_CODING to interface 1", { 0x21, 0x20, 0, 1, 7 } },
    { "SET_LINE_CODING to an endpoint", { 0x22, 0x20, 0, 0x83, 7 } },
    { "GET_LINE_CODING OUT direction", { 0x21, 0x21, 0, 0, 7 } },
    { "SET_CONTROL_LINE_STATE unknown bits", { 0x21, 0x22, 0x0004, 0, 0 } },
    { "SET_CONTROL_LINE_STATE with data", { 0x21, 0x22, 0x0001, 0, 2 } },
    { "SEND_BREAK (not in bmCapabilities)", { 0x21, 0x23, 0xFFFF, 0, 0 } },
    { "SEND_ENCAPSULATED_COMMAND", { 0x21, 0x00, 0, 0, 4 } },
    { "class request 0x7F", { 0xA1, 0x7F, 0, 0, 8 } },
};

static void test_bad_requests_stall_and_recover(void **state)
{
    (void)state;
    struct fixture *f = open_device(NULL);
    enumerate(f, 115200);
    for (size_t i = 0; i < sizeof bad_requests / sizeof bad_requests[0]; i++) {
        const struct bad_request *b = &bad_requests[i];
        uint8_t data[256] = { 0 };
        int r = rs_usbh_control(&f->h, &b->s, data);
        if (r != RS_USBH_ESTALL)
            fail_msg("%s: %s, expected a STALL", b->name, rs_usbh_strerror(r));
        /* The next SETUP works. */
        uint8_t dev[18];
        struct rs_usb_setup get_dev = { 0x80, 0x06, 0x0100, 0, 18 };
        r = rs_usbh_control(&f->h, &get_dev, dev);
        if (r != 18)
            fail_msg("after %s: GET_DESCRIPTOR returned %d", b->name, r);
        assert_memory_equal(dev, f->dev.device_desc, 18);
    }
    /* Still configured and streaming after all that. */
    uint8_t buf[256];
    size_t got = 0;
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), 0);
    assert_true(got > 0);
    close_device(f);
}

static void test_endpoint_halt(void **state)
{
    (void)state;
    struct fixture *f = open_device(NULL);
    enumerate(f, 115200);
    uint8_t b[2], buf[256];
    size_t got;
    struct rs_usb_setup halt = { 0x02, 0x03, 0, 0x83, 0 };
    struct rs_usb_setup unhalt = { 0x02, 0x01, 0, 0x83, 0 };
    struct rs_usb_setup status = { 0x82, 0x00, 0, 0x83, 2 };

    assert_int_equal(rs_usbh_control(&f->h, &status, b), 2);
    assert_int_equal(b[0], 0);
    assert_int_equal(rs_usbh_control(&f->h, &halt, NULL), 0);
    assert_int_equal(rs_usbh_control(&f->h, &status, b), 2);
    assert_int_equal(b[0], 1);
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), RS_USBH_ESTALL);
    assert_int_equal(rs_usbh_control(&f->h, &unhalt, NULL), 0);
    assert_int_equal(rs_usbh_control(&f->h, &status, b), 2);
    assert_int_equal(b[0], 0);
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), 0);
    assert_true(got > 0);
    close_device(f);
}

/* SET_CONFIGURATION(0) takes the data endpoints away; (1) brings them back. */
static void test_deconfigure_reconfigure(void **state)
{
    (void)state;
    struct fixture *f = open_device(NULL);
    enumerate(f, 115200);
    uint8_t b[1], buf[256];
    size_t got;
    struct rs_usb_setup get_config = { 0x80, 0x08, 0, 0, 1 };
    struct rs_usb_setup set0 = { 0x00, 0x09, 0, 0, 0 };
    struct rs_usb_setup set1 = { 0x00, 0x09, 1, 0, 0 };

    assert_int_equal(rs_usbh_control(&f->h, &set0, NULL), 0);
    assert_int_equal(rs_usbh_control(&f->h, &get_config, b), 1);
    assert_int_equal(b[0], 0);
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(20), &got), RS_USBH_ENODEV);
    /* Interface requests need a configuration. */
    struct rs_usb_setup get_interface = { 0x81, 0x0A, 0, 0, 1 };
    assert_int_equal(rs_usbh_control(&f->h, &get_interface, b), RS_USBH_ESTALL);

    assert_int_equal(rs_usbh_control(&f->h, &set1, NULL), 0);
    assert_int_equal(rs_usbh_control(&f->h, &get_config, b), 1);
    assert_int_equal(b[0], 1);
    /* Configuring closes the port: nothing until DTR is set again. */
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), RS_USBH_ETIMEOUT);
    assert_int_equal(got, 0);
    assert_int_equal(rs_usbh_set_control_lines(&f->h, 1, 1), 0);
    assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), 0);
    assert_true(got > 0);
    close_device(f);
}

/* A bus reset can come at any moment (a host driver giving up on a
 * transfer, a hub recovering a port): whatever stage the device was in, it
 * returns to the default state (address 0, not configured, 9600 8N1) and
 * enumerates again as new. The interruption points, in the order a host
 * would reach them. */
enum reset_point {
    RP_AFTER_SETUP_IN,  /* GET_DESCRIPTOR(config) taken, data stage not read */
    RP_MID_DATA_IN,     /* one 64-byte packet of the 67-byte answer read */
    RP_AFTER_SETUP_OUT, /* SET_LINE_CODING taken, its data never sent */
    RP_STREAMING,       /* configured, port open, IN data queued */
    RP_COUNT
};

static void send_setup(struct fixture *f, const uint8_t setup[8])
{
    uint8_t pkt[64] = { 0 };
    memcpy(pkt, setup, 8);
    struct avr_io_usb u = { .pipe = 0, .sz = 8, .buf = pkt };
    assert_int_equal(avr_ioctl(f->avr, AVR_IOCTL_USB_SETUP, &u), 0);
    assert_int_equal(rs_usbh_run(&f->h, MS(2)), 0); /* the firmware takes it */
}

static void test_bus_reset_at_any_stage(void **state)
{
    (void)state;
    static const uint8_t get_config[8] = { 0x80, 0x06, 0x00, 0x02, 0, 0, 0xFF, 0 };
    static const uint8_t set_coding[8] = { 0x21, 0x20, 0, 0, 0, 0, 7, 0 };
    for (int rp = 0; rp < RP_COUNT; rp++) {
        struct fixture *f = open_device("RS-RESET");
        enumerate(f, 115200);
        uint8_t buf[256];
        size_t got = 0;
        switch (rp) {
        case RP_AFTER_SETUP_IN: send_setup(f, get_config); break;
        case RP_MID_DATA_IN:
            send_setup(f, get_config);
            assert_int_equal(rs_usbh_in_packet(&f->h, 0, buf, &got), 0);
            assert_int_equal(got, 64);
            break;
        case RP_AFTER_SETUP_OUT: send_setup(f, set_coding); break;
        default:
            assert_int_equal(rs_usbh_run(&f->h, MS(30)), 0); /* frames queue up */
            break;
        }
        assert_int_equal(rs_usbh_bus_reset(&f->h), 0);
        assert_int_equal(rs_usbh_run(&f->h, MS(2)), 0);
        /* Default state: address 0 answers, configuration 0, line coding reset. */
        uint8_t b[7];
        struct rs_usb_setup get_cfg = { 0x80, 0x08, 0, 0, 1 };
        f->h.address = 0;
        if (rs_usbh_control(&f->h, &get_cfg, b) != 1 || b[0] != 0)
            fail_msg("reset point %d: not back to configuration 0", rp);
        struct rs_usb_setup get_coding = { 0xA1, 0x21, 0, 0, 7 };
        assert_int_equal(rs_usbh_control(&f->h, &get_coding, b), 7);
        assert_int_equal(get16(b) | (unsigned)b[2] << 16, 9600);
        /* And a full enumeration works again, streaming included. */
        enumerate(f, 115200);
        assert_string_equal(f->dev.serial, "RS-RESET");
        assert_int_equal(rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got), 0);
        if (got == 0)
            fail_msg("reset point %d: no data after re-enumeration", rp);
        close_device(f);
    }
}

/* Serial number: from EEPROM in simavr (no signature row), else the fallback. */
struct serial_case {
    const char *eeprom; /* NULL: EEPROM left blank (0xFF) */
    const char *expect;
};

static const struct serial_case serial_cases[] = {
    { "RS-0001", "RS-0001" },
    { "ABCDEFGHIJKLMN", "ABCDEFGHIJKL" }, /* cut at USB_SERIAL_EE_LEN */
    { NULL, USB_SERIAL_FALLBACK },
    { "", USB_SERIAL_FALLBACK },
    { "bad serial!", USB_SERIAL_FALLBACK },
};

static void test_serial_sources(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof serial_cases / sizeof serial_cases[0]; i++) {
        struct fixture *f = open_device(serial_cases[i].eeprom);
        enumerate(f, 9600);
        if (strcmp(f->dev.serial, serial_cases[i].expect) != 0)
            fail_msg("EEPROM \"%s\": serial \"%s\", expected \"%s\"",
                     serial_cases[i].eeprom ? serial_cases[i].eeprom : "(blank)",
                     f->dev.serial, serial_cases[i].expect);
        close_device(f);
    }
}

static uint16_t boot_key(avr_t *avr)
{
    uint8_t k[2];
    rs_sim_peek(avr, USB_BOOT_KEY_ADDR, k, 2);
    return (uint16_t)(k[0] | k[1] << 8);
}

/* Sequence number of the first (or, reading for `ms`, the last) sample frame. */
static uint32_t sample_seq(struct fixture *f, unsigned ms)
{
    struct rs_decoder dec;
    struct rs_frame fr;
    uint8_t buf[256];
    size_t got;
    uint32_t seq = 0;
    int seen = 0;
    uint64_t end = f->avr->cycle + MS(ms);
    rs_decoder_init(&dec);
    for (int i = 0; i < 1000 && (!seen || f->avr->cycle < end); i++) {
        int r = rs_usbh_bulk_in(&f->h, buf, sizeof buf, MS(50), &got);
        assert_true(r == 0 || r == RS_USBH_ETIMEOUT);
        for (size_t k = 0; k < got; k++)
            if (rs_decoder_push(&dec, buf[k], &fr) && fr.type == RS_FT_SAMPLE) {
                if (!seen || ms)
                    seq = fr.u.sample.seq;
                seen = 1;
            }
    }
    if (!seen)
        fail_msg("no sample frame");
    return seq;
}

/* Opening at 1200 baud and closing resets into the bootloader; nothing else does. */
struct touch_case {
    const char *name;
    uint32_t baud;
    int raise_dtr_first;
    int expect_reboot;
};

static const struct touch_case touch_cases[] = {
    { "open at 1200, close", 1200, 1, 1 },
    { "open at 9600, close", 9600, 1, 0 },
    { "1200 but never opened", 1200, 0, 0 },
};

static void test_1200_baud_touch(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof touch_cases / sizeof touch_cases[0]; i++) {
        const struct touch_case *t = &touch_cases[i];
        struct fixture *f = open_device(NULL);
        enumerate(f, 115200);
        assert_true(sample_seq(f, 1000) > 70); /* streaming, seq well past 0 */
        if (!t->raise_dtr_first)
            assert_int_equal(rs_usbh_set_control_lines(&f->h, 0, 0), 0);
        assert_int_equal(rs_usbh_set_line_coding(&f->h, t->baud, 0, 0, 8), 0);
        /* The close itself completes (status stage) before the device goes. */
        assert_int_equal(rs_usbh_set_control_lines(&f->h, 0, 0), 0);
        assert_int_equal(rs_usbh_run(&f->h, MS(100)), 0);
        if (t->expect_reboot != (boot_key(f->avr) == USB_BOOT_KEY))
            fail_msg("%s: boot key 0x%04x", t->name, boot_key(f->avr));
        /* The device is there again (after a reboot: as a fresh device). */
        enumerate(f, 115200);
        uint32_t seq = sample_seq(f, 0);
        if (t->expect_reboot ? seq > 40 : seq < 80)
            fail_msg("%s: first sequence number %u after re-enumeration", t->name, seq);
        close_device(f);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FIRMWARE.elf [ECHO.elf]\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enumerate_like_linux),
        cmocka_unit_test(test_bad_requests_stall_and_recover),
        cmocka_unit_test(test_endpoint_halt),
        cmocka_unit_test(test_deconfigure_reconfigure),
        cmocka_unit_test(test_serial_sources),
        cmocka_unit_test(test_bus_reset_at_any_stage),
        cmocka_unit_test(test_1200_baud_touch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
