/*
 * rs_defaults.h - nominal device constants shared by firmware, host and hw/.
 *
 * These are the values used when a roller has no valid calibration block, and
 * the geometry the host needs to turn two bridge forces into a position.
 * hw/ derives RS_DEFAULT_SCALE_COUNTS_PER_N from the bridge and ADC design and
 * a test checks that derivation against this number (within 1 %).
 */
#ifndef RS_DEFAULTS_H
#define RS_DEFAULTS_H

/*
 * Raw HX711 counts per newton on one side, uncalibrated. One side is a full
 * bridge of two 50 kg half-bridge cells at 1 mV/V, ratiometric to AVDD, at
 * gain 128: 2^24 * 128 * 1 mV/V / (2 * 50 kg * 9.80665 m/s^2) = 2189.8.
 */
#define RS_DEFAULT_SCALE_COUNTS_PER_N 2189.8f

/* Standard gravity, m/s^2: body mass (kg) to weight (N) for %BW. */
#define RS_STANDARD_GRAVITY 9.80665

/* Nominal roller: 140 mm diameter foam over a 330 mm length. */
#define RS_ROLLER_DIAMETER_MM 140
#define RS_ROLLER_LENGTH_MM 330
#define RS_DEFAULT_RADIUS_UM 70000u

/*
 * Distance between the left and the right load-cell lines (under the two
 * uprights). A load at lateral position x (mm, 0 = roller centre, + = right)
 * splits as right / (left + right) = 1/2 + x / RS_CELL_SPAN_MM.
 */
#define RS_CELL_SPAN_MM 380

/* AS5048A-class encoder: 14 bits per revolution. */
#define RS_ENC_COUNTS_PER_REV 16384u

/* Nominal sample-frame rate: the HX711's 80 SPS mode. */
#define RS_SAMPLE_RATE_HZ 80u
/* One sample frame, seconds (0.0125 s at 80 Hz). */
#define RS_FRAME_PERIOD_S (1.0 / RS_SAMPLE_RATE_HZ)

/* USB identity: pid.codes test VID:PID until the project has its own. */
#define RS_USB_VID 0x1209u
#define RS_USB_PID 0x0001u
#define RS_USB_PRODUCT "rollsense roller"
#define RS_USB_MANUFACTURER "rollsense"

#endif
