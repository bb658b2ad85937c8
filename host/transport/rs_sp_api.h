/*
 * rs_sp_api.h - the libserialport functions the transport uses, as a table.
 *
 * libsigrok's ser_lib_functions idea: the serial backend and the USB port
 * scan call libserialport only through this table, so unit tests can put
 * fakes in its place and drive every error path (EOF, EIO, timeouts, a port
 * that vanishes) without hardware. rs_sp_api_default holds the real ones.
 */
#ifndef RS_SP_API_H
#define RS_SP_API_H

#include <libserialport.h>
#include <poll.h>

struct rs_link;

struct rs_sp_api {
    enum sp_return (*get_port_by_name)(const char *name, struct sp_port **port);
    void (*free_port)(struct sp_port *port);
    enum sp_return (*open)(struct sp_port *port, enum sp_mode flags);
    enum sp_return (*close)(struct sp_port *port);
    enum sp_return (*set_baudrate)(struct sp_port *port, int baud);
    enum sp_return (*set_bits)(struct sp_port *port, int bits);
    enum sp_return (*set_parity)(struct sp_port *port, enum sp_parity parity);
    enum sp_return (*set_stopbits)(struct sp_port *port, int stopbits);
    enum sp_return (*set_flowcontrol)(struct sp_port *port, enum sp_flowcontrol fc);
    enum sp_return (*set_dtr)(struct sp_port *port, enum sp_dtr dtr);
    enum sp_return (*get_port_handle)(const struct sp_port *port, void *result);
    enum sp_return (*input_waiting)(struct sp_port *port);
    enum sp_return (*nonblocking_read)(struct sp_port *port, void *buf, size_t count);
    enum sp_return (*blocking_write)(struct sp_port *port, const void *buf, size_t count,
                                     unsigned int timeout_ms);
    int (*last_error_code)(void);
    /* Port listing, for discovery. */
    enum sp_return (*list_ports)(struct sp_port ***list);
    void (*free_port_list)(struct sp_port **list);
    char *(*get_port_name)(const struct sp_port *port);
    enum sp_transport (*get_port_transport)(const struct sp_port *port);
    enum sp_return (*get_port_usb_vid_pid)(const struct sp_port *port, int *vid, int *pid);
    char *(*get_port_usb_product)(const struct sp_port *port);
    char *(*get_port_usb_manufacturer)(const struct sp_port *port);
    char *(*get_port_usb_serial)(const struct sp_port *port);
    /* POSIX poll(), here so tests decide when the port is "ready". */
    int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);
};

extern const struct rs_sp_api rs_sp_api_default;

/* rs_link_open_serialport() with an explicit function table. */
int rs_link_open_serialport_api(struct rs_link **out, const char *port_name,
                                const struct rs_sp_api *api);

/*
 * Translate a libserialport result into an rs_link_err at the seam.
 * opening: the call was part of opening the port. For SP_ERR_FAIL the OS
 * error comes from api->last_error_code().
 */
int rs_sp_error(const struct rs_sp_api *api, enum sp_return r, int opening);

#endif
