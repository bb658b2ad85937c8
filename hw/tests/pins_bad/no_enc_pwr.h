/* Test fixture: firmware/include/rs_pins.h without the encoder supply switch
 * pin ENC_PWR, as if the switch had been wired but never given a pin.
 * Expected findings: pinmap-unmapped-gpio */
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
