/*
 * Ambient light: brightness that follows daylight. A light sensor's reading
 * in lux (from the kernel's IIO interface, src/sys/light.c) is mapped by a
 * curve from ledsign.conf ([display] light_curve), smoothed over time and
 * held until it moves by more than a hysteresis, then bounded by the
 * brightness schedule, which stays in charge when there is no sensor.
 * The curve and the filter are pure (src/core/light.c); the sensor and the
 * service's ambient brightness are the edge (src/sys/light.c).
 */
#ifndef LEDSIGN_LIGHT_H
#define LEDSIGN_LIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/error.h"
#include "ledsign/hours.h"

#define LS_LIGHT_MAX_POINTS 16
#define LS_LIGHT_MAX_LUX 200000.0 /* brighter than direct sunlight: a broken reading */

/* "LUX PERCENT" points, increasing in lux: the brightness at each, linear in
 * between, the first below it and the last above it. */
struct ls_light_curve {
	double lux[LS_LIGHT_MAX_POINTS];
	int percent[LS_LIGHT_MAX_POINTS];
	int n;
};

/* The curve used when ledsign.conf gives none. */
#define LS_LIGHT_CURVE_DEFAULT "0 10, 50 30, 500 70, 5000 100"

/* Parses a curve such as LS_LIGHT_CURVE_DEFAULT (1..16 points, lux 0..200000
 * strictly increasing, percent 1..100); returns 0 or -1 with err. */
int ls_light_curve_parse(const char *s, struct ls_light_curve *c, struct ls_error *err);

/* The brightness in percent the curve gives at lux. */
int ls_light_curve_at(const struct ls_light_curve *c, double lux);

/* Smoothing and hysteresis: the lux follows readings with time constant
 * smooth_s (an exponential moving average over elapsed time, so the poll
 * rate does not change it), and the brightness only changes when the curve
 * at the smoothed lux is hysteresis percent points or more from it. */
struct ls_light_filter {
	double smooth_s;
	int hysteresis;
	bool primed; /* a reading was taken */
	double lux;  /* the smoothed lux */
	int64_t at_ms;
	int percent; /* the brightness it holds */
};

/* Takes a reading of lux at mono_ms; returns the brightness it holds. The
 * first reading is taken as it is. */
int ls_light_filter_step(struct ls_light_filter *f, const struct ls_light_curve *c, double lux,
			 int64_t mono_ms);

/* From src/sys/light.c: the sensor, a device directory and how to read it. */
struct ls_light_sensor {
	char dir[4096];
	bool has_input; /* in_illuminance_input; else raw (+ offset) * scale */
};

/* Finds the sensor spec names into s: "auto" is the first IIO device (in name
 * order) under the IIO directory (/sys/bus/iio/devices, or $LEDSIGN_IIO_DIR)
 * that has an in_illuminance_input or in_illuminance_raw attribute; anything
 * else is such a device directory. Returns 0, or -1 with err when there is
 * none (the caller keeps the schedule). */
int ls_light_open(const char *spec, struct ls_light_sensor *s, struct ls_error *err);

/* Reads the sensor in lux: in_illuminance_input, else (in_illuminance_raw +
 * in_illuminance_offset) * in_illuminance_scale (offset 0, scale 1 when the
 * device has none). Returns 0, or -1 with err when the value cannot be read
 * or is not 0..LS_LIGHT_MAX_LUX. */
int ls_light_read(const struct ls_light_sensor *s, double *lux, struct ls_error *err);

struct ls_config;

/* The service's ambient brightness: its sensor, curve and filter. */
struct ls_ambient {
	bool on; /* a sensor was found */
	struct ls_light_sensor sensor;
	struct ls_light_curve curve;
	struct ls_light_filter filter;
	int64_t read_ms; /* when it was last read */
	bool failing;	 /* the last read failed (said once) */
};

/* Sets a up from cfg's [display] light_* keys, afresh. Returns 0 (a sensor
 * found, or none configured: a->on says which), or -1 with err saying why a
 * configured sensor is not used (brightness then follows the schedule). */
int ls_ambient_configure(struct ls_ambient *a, const struct ls_config *cfg, struct ls_error *err);

/* The brightness to show at mono_ms: scheduled (the schedule's or the
 * default brightness), lowered to what the light calls for when the sensor
 * reads; scheduled when there is no sensor or it fails. Reads the sensor at
 * most once a second; a failure is said once through warn (may be NULL),
 * until a read succeeds again. Allocates nothing. */
int ls_ambient_bound(struct ls_ambient *a, int64_t mono_ms, int scheduled,
		     void (*warn)(const char *msg));

/* What the service's panel shows of the hours and brightness: the [display]
 * schedules (hours.h), bounded by the light sensor, and what was last applied. */
struct ls_dimmer {
	struct ls_hours hours;
	struct ls_brightness brightness;
	int default_brightness;	   /* [panel] brightness: no schedule, or no trusted clock */
	struct ls_ambient ambient; /* the light sensor, which dims below the schedule */
	int applied;		   /* the brightness last applied, -1 = none yet */
	bool lit;		   /* inside display hours at the last step */
};

/* Reads cfg's schedules and light sensor into d, to be applied afresh at the
 * next step (d->lit stays). Returns 0, or -1 with err when the hours or the
 * brightness schedule do not parse (the config loader has checked them); a
 * configured sensor that cannot be used leaves the brightness to the
 * schedule, with its reason in why (why->msg empty otherwise). */
int ls_dimmer_configure(struct ls_dimmer *d, const struct ls_config *cfg, struct ls_error *why,
			struct ls_error *err);

/* The panel at one moment, and what changed since the last step. */
struct ls_dimmer_step {
	bool lit, lit_changed;
	int percent; /* 0 when dark */
	bool percent_changed;
	bool first; /* no brightness was applied before this one */
};

/* The panel at the local weekday wday and minute of the day (without a
 * synchronised clock: lit at the default brightness) and mono_ms (for the
 * sensor, whose failures are said through warn, ls_ambient_bound());
 * records it in d as applied. */
struct ls_dimmer_step ls_dimmer_step(struct ls_dimmer *d, bool wall_valid, int wday, int minute,
				     int64_t mono_ms, void (*warn)(const char *msg));

#endif
