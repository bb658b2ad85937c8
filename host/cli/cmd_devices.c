/*
 * cmd_devices.c - `rollsense devices [--json] [--port PATH]`: list rollers.
 *
 * Finds candidates by USB identity (rs_scan_rollers), opens each and asks for
 * its info frame, and lists port, serial number, firmware and protocol
 * version and calibration state. --port probes one given port instead
 * (pseudo-terminals are never listed by the scan).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rs_conn.h"
#include "rs_json.h"
#include "rs_link.h"
#include "rs_scan.h"

#define PROBE_MS 1500
#define MAX_PORTS 16

static void help(void)
{
    printf("usage: rollsense devices [--json] [--port PATH]\n"
           "\n"
           "List connected rollers: port, serial number, firmware and protocol\n"
           "version, calibration state. Rollers are recognised by USB VID:PID\n"
           "1209:0001 and the product string \"rollsense roller\", then asked for\n"
           "their info frame. --port PATH asks one port (e.g. a pseudo-terminal of\n"
           "the emulated roller) instead of scanning. --json prints one\n"
           "{\"type\":\"device\",...} object per line. Exit 0 also when none is found.\n");
}

static const char *cal_name(uint8_t s)
{
    return s == RS_CAL_OK ? "ok" : s == RS_CAL_DEFAULT ? "default" : s == RS_CAL_CORRUPT ? "corrupt" : "unknown";
}

/* Probe one port and print it. Returns 1 if it answered as a roller. */
static int probe(const char *path, const char *usb_serial, int json)
{
    struct rs_link *l = NULL;
    int rc = rs_link_open(&l, path);
    struct rs_info info;
    uint8_t version = 0;
    if (rc == 0)
        rc = rs_probe_info(l, PROBE_MS, &info, &version);
    rs_link_close(l);

    char serial[RS_SERIAL_LEN + 1] = "", fw[16] = "", err[160] = "";
    if (rc == 0) {
        memcpy(serial, info.serial, RS_SERIAL_LEN);
        serial[RS_SERIAL_LEN] = '\0';
        snprintf(fw, sizeof fw, "%u.%u.%u", info.fw_major, info.fw_minor, info.fw_patch);
    } else if (rc == RS_CONN_ERR_VERSION) {
        snprintf(err, sizeof err, "speaks protocol v%u, this rollsense speaks v%u", version,
                 RS_PROTO_VERSION);
    } else {
        snprintf(err, sizeof err, "no info frame: %s", rs_link_strerror(rc));
    }
    if (!serial[0] && usb_serial)
        snprintf(serial, sizeof serial, "%s", usb_serial);
    if (json) {
        char buf[768];
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "device");
        rs_json_str(&j, "port", path);
        rs_json_str(&j, "serial", serial);
        if (rc == 0) {
            rs_json_str(&j, "firmware", fw);
            rs_json_int(&j, "protocol", version);
            rs_json_str(&j, "calibration", cal_name(info.cal_state));
            rs_json_bool(&j, "streaming", info.streaming);
        } else {
            if (rc == RS_CONN_ERR_VERSION)
                rs_json_int(&j, "protocol", version);
            rs_json_str(&j, "error", err);
        }
        const char *line = rs_json_end(&j);
        if (line)
            puts(line);
    } else if (rc == 0) {
        printf("%-24s %-14s %-10s v%-8u %s\n", path, serial[0] ? serial : "-", fw, version,
               cal_name(info.cal_state));
    } else {
        printf("%-24s %-14s %s\n", path, serial[0] ? serial : "-", err);
    }
    return rc == 0;
}

int rs_cmd_devices(int argc, char **argv)
{
    int json = 0;
    const char *port = NULL;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc && argv[i + 1][0]) {
            port = argv[++i];
        } else {
            rs_cli_error("devices: unknown argument '%s' (try 'rollsense devices --help')", argv[i]);
            return RS_EXIT_USAGE;
        }
    }
    if (!json)
        printf("%-24s %-14s %-10s %-9s %s\n", "PORT", "SERIAL", "FIRMWARE", "PROTOCOL",
               "CALIBRATION");
    if (port) {
        struct rs_link *l = NULL;
        int rc = rs_link_open(&l, port);
        rs_link_close(l);
        if (rc == RS_LINK_ERR_BUSY) {
            char msg[400];
            rs_link_busy_message(port, msg, sizeof msg);
            rs_cli_error("devices: %s", msg);
            return RS_EXIT_FAIL;
        }
        if (rc < 0) {
            rs_cli_error("devices: cannot open %s: %s", port, rs_link_strerror(rc));
            return RS_EXIT_FAIL;
        }
        probe(port, NULL, json);
        return RS_EXIT_OK;
    }
    struct rs_port_desc ports[MAX_PORTS];
    size_t n = 0;
    int rc = rs_scan_rollers(ports, MAX_PORTS, &n);
    if (rc < 0) {
        rs_cli_error("devices: cannot list serial ports: %s", rs_link_strerror(rc));
        return RS_EXIT_FAIL;
    }
    for (size_t i = 0; i < n; i++)
        probe(ports[i].path, ports[i].serial[0] ? ports[i].serial : NULL, json);
    if (n == 0 && !json)
        printf("(no roller found: none with USB id 1209:0001 \"rollsense roller\")\n");
    return RS_EXIT_OK;
}
