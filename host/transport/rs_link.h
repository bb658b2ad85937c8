/*
 * rs_link.h - one byte-stream link to a roller, whatever carries it.
 *
 * Three backends share this interface (docs/transports.md):
 *   - libserialport, for real serial ports (USB CDC-ACM rollers);
 *   - raw termios, for pseudo-terminals (the emulated roller, test fakes),
 *     which libserialport 0.1.1 cannot open;
 *   - in-process, for a simulated roller: a generic byte source callback.
 *
 * Contract shared by every backend:
 *   - Nothing spins. rs_link_read() waits in poll() (or the source's sleep)
 *     for at most timeout_ms and returns 0 when nothing arrived in time or a
 *     signal interrupted the wait, so the caller can check its own flags.
 *   - A vanished device (EOF, EIO, hang-up, "ready but nothing to read") is
 *     reported as RS_LINK_ERR_GONE. The link is then useless: close it and
 *     open a new one when the device returns.
 *   - Foreign error codes (errno, SP_ERR_*) are translated into enum
 *     rs_link_err at the backend seam; nothing above sees them.
 * Links are opaque and not thread-safe; use one from one thread.
 */
#ifndef RS_LINK_H
#define RS_LINK_H

#include <stddef.h>
#include <stdint.h>

enum rs_link_err {
    RS_LINK_OK = 0,
    RS_LINK_ERR_ARG = -1,        /* bad argument, or the path is not a tty */
    RS_LINK_ERR_NOT_FOUND = -2,  /* no such port (yet) */
    RS_LINK_ERR_ACCESS = -3,     /* permission denied */
    RS_LINK_ERR_BUSY = -4,       /* port in use by another program */
    RS_LINK_ERR_GONE = -5,       /* device vanished: close, reconnect later */
    RS_LINK_ERR_IO = -6,         /* other I/O failure */
    RS_LINK_ERR_NOMEM = -7,
    RS_LINK_ERR_UNSUPPORTED = -8,/* the OS or library cannot do this */
    RS_LINK_ERR_TIMEOUT = -9,    /* a write did not complete in time */
};

/* Short English text for an rs_link_err (never NULL). */
const char *rs_link_strerror(int err);

/*
 * Map an errno value to an rs_link_err. opening: the error came from open()
 * (ENOENT/ENXIO/ENODEV mean "not found"); otherwise they mean "gone".
 */
int rs_link_errno_class(int err, int opening);

struct rs_link;

/*
 * Open path with the backend that can handle it: libserialport when it knows
 * the port (a real serial device), raw termios otherwise (pseudo-terminals,
 * symlinks to them). Returns 0 and *out, or a negative rs_link_err.
 */
int rs_link_open(struct rs_link **out, const char *path);

/* Force one backend. */
int rs_link_open_termios(struct rs_link **out, const char *path);
int rs_link_open_serialport(struct rs_link **out, const char *port_name);

/*
 * In-process byte source (the simulated roller, `rollsense demo`). Elapsed
 * time is measured from rs_link_open_source(); the source produces the device
 * bytes due by then and accepts the host's command bytes.
 */
struct rs_byte_source {
    void *ctx;
    /*
     * Write the device bytes due by now_us (µs since open) into buf, at most
     * cap. Return the count (0 = nothing due yet), or a negative rs_link_err
     * (RS_LINK_ERR_GONE simulates an unplug). Set *next_us to the elapsed
     * time when more bytes will be due when nothing is due now (leave it
     * untouched if unknown: the link then waits the caller's whole timeout).
     */
    int (*produce)(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us);
    /* Command bytes from the host; return 0 or a negative rs_link_err. May be NULL. */
    int (*consume)(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us);
    /* Called once by rs_link_close(). May be NULL. */
    void (*close)(void *ctx);
    /*
     * Optional clock, for emulated time in tests: now_us returns a monotonic
     * µs count, sleep_us waits (or advances emulated time). Both NULL = the
     * real monotonic clock and nanosleep.
     */
    void *clock_ctx;
    uint64_t (*now_us)(void *clock_ctx);
    void (*sleep_us)(void *clock_ctx, uint64_t us);
};
int rs_link_open_source(struct rs_link **out, const struct rs_byte_source *src, const char *name);

/*
 * Read up to cap bytes, waiting at most timeout_ms (>= 0). Returns the byte
 * count (> 0), 0 when nothing arrived in time (or a signal interrupted the
 * wait), or a negative rs_link_err (RS_LINK_ERR_GONE when the device vanished).
 */
int rs_link_read(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms);

/* Write all n bytes within timeout_ms. Returns n or a negative rs_link_err. */
int rs_link_write(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms);

/* "serialport", "termios" or "source". */
const char *rs_link_backend(const struct rs_link *l);
/* The path or name the link was opened with. */
const char *rs_link_name(const struct rs_link *l);

/*
 * A port is owned by one link at a time: every backend takes an exclusive
 * flock and sets TIOCEXCL, so a second open (another rollsense, or this one
 * twice) fails with RS_LINK_ERR_BUSY. rs_link_holder_pid() finds another
 * process with the port open (0 when unknown, e.g. another user's process);
 * rs_link_busy_message() writes the one-line refusal
 * "port P is in use (by PID N)" or "... (by another program)".
 */
long rs_link_holder_pid(const char *path);
void rs_link_busy_message(const char *path, char *buf, size_t cap);

/* Close and free; NULL is fine. */
void rs_link_close(struct rs_link *l);

#endif
