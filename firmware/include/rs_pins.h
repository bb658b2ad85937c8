/*
 * rs_pins.h - the roller's pin map: the single source of truth.
 *
 * The firmware builds its port macros from RS_PINMAP below, and the hardware
 * checks in hw/ parse the same table (one X(...) entry per line, fields in
 * this order) to verify that the netlist wires every signal to the pin named
 * here. Change a pin here and the hw tests tell you which wiring to change.
 *
 * Fields: signal, AVR port letter, bit, direction (IN/OUT), Pro Micro pin
 * label, netlist net name.
 */
#ifndef RS_PINS_H
#define RS_PINS_H

#define RS_PINMAP(X)                                          \
    X(HX_L_DOUT, D, 4, IN,  "D4",  "HX_L_DOUT")               \
    X(HX_L_SCK,  C, 6, OUT, "D5",  "HX_L_SCK")                \
    X(HX_R_DOUT, D, 7, IN,  "D6",  "HX_R_DOUT")               \
    X(HX_R_SCK,  E, 6, OUT, "D7",  "HX_R_SCK")                \
    X(ENC_CS,    B, 6, OUT, "D10", "ENC_CS")                  \
    X(ENC_SCK,   B, 1, OUT, "D15", "ENC_SCK")                 \
    X(ENC_MOSI,  B, 2, OUT, "D16", "ENC_MOSI")                \
    X(ENC_MISO,  B, 3, IN,  "D14", "ENC_MISO")                \
    X(ENC_PWR,   B, 4, OUT, "D8",  "ENC_PWR")                 \
    X(SPI_SS,    B, 0, OUT, "RXLED", "SPI_SS")                \
    X(LED,       D, 5, OUT, "TXLED", "LED")                   \
    X(DBG_RX,    D, 2, IN,  "RX1", "DBG_RX")                  \
    X(DBG_TX,    D, 3, OUT, "TX1", "DBG_TX")

/* The status LED on a Pro Micro (TXLED) lights when its pin is low. */
#define RS_LED_ACTIVE_LOW 1

/* ENC_PWR drives the gate of the P-MOSFET high-side switch that feeds the
 * encoder board's 5 V (hw/netlist/rollsense.yaml, Q1): low = encoder
 * powered. A gate pull-up to VCC keeps the encoder off while the pin is an
 * input (reset, bootloader). */
#define RS_ENC_PWR_ACTIVE_LOW 1

#endif
