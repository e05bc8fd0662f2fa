/*
 * light.c: a light sensor through the kernel's IIO interface. IIO drivers
 * for BH1750, TSL2561, VEML7700 and the like expose a directory per device
 * (/sys/bus/iio/devices/iio:deviceN) with in_illuminance_input (lux) or
 * in_illuminance_raw plus optional _scale and _offset. Tests point
 * $LEDSIGN_IIO_DIR (or the [display] light_sensor path) at a directory of
 * plain files laid out the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/config.h"
#include "ledsign/light.h"

/* Reads one attribute as a number; 0 or -1 (errno kept) when it cannot be
 * read or parsed. Sysfs attributes are short: 63 bytes are plenty. */
static int read_attr(const char *dir, const char *name, double *out)
{
	char path[PATH_MAX + 64], buf[64], *end;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EINVAL : errno;
		return -1;
	}
	buf[n] = '\0';
	*out = strtod(buf, &end);
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == buf || *end || !isfinite(*out)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static bool has_attr(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, R_OK) == 0;
}

static int sensor_at(const char *dir, struct ls_light_sensor *s)
{
	bool input = has_attr(dir, "in_illuminance_input");

	if ((!input && !has_attr(dir, "in_illuminance_raw")) || strlen(dir) >= sizeof(s->dir))
		return -1;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->has_input = input;
	return 0;
}

/* The first iio:device* (in name order) under root that is a light sensor. */
static int find_sensor(const char *root, struct ls_light_sensor *s)
{
	struct dirent **names;
	char dir[PATH_MAX];
	int n = scandir(root, &names, NULL, alphasort), r = -1;

	for (int i = 0; i < n; i++) {
		if (r && !strncmp(names[i]->d_name, "iio:device", 10)) {
			snprintf(dir, sizeof(dir), "%s/%s", root, names[i]->d_name);
			r = sensor_at(dir, s);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return r;
}

int ls_light_open(const char *spec, struct ls_light_sensor *s, struct ls_error *err)
{
	const char *root = getenv("LEDSIGN_IIO_DIR");

	root = root && root[0] ? root : "/sys/bus/iio/devices";
	if (!strcmp(spec, "auto")) {
		if (find_sensor(root, s))
			return ls_error_set(err,
					    "no light sensor under %s (no iio:device* with "
					    "in_illuminance_input or _raw); brightness follows the "
					    "schedule",
					    root);
		return 0;
	}
	if (sensor_at(spec, s))
		return ls_error_set(err,
				    "[display] light_sensor: %s has no in_illuminance_input or "
				    "in_illuminance_raw; give an IIO device directory such as "
				    "/sys/bus/iio/devices/iio:device0, or auto; brightness follows "
				    "the schedule",
				    spec);
	return 0;
}

int ls_light_read(const struct ls_light_sensor *s, double *lux, struct ls_error *err)
{
	double raw, scale = 1, offset = 0;

	if (s->has_input) {
		if (read_attr(s->dir, "in_illuminance_input", lux))
			goto err_read;
	} else {
		if (read_attr(s->dir, "in_illuminance_raw", &raw))
			goto err_read;
		if (has_attr(s->dir, "in_illuminance_scale") &&
		    read_attr(s->dir, "in_illuminance_scale", &scale))
			goto err_read;
		if (has_attr(s->dir, "in_illuminance_offset") &&
		    read_attr(s->dir, "in_illuminance_offset", &offset))
			goto err_read;
		*lux = (raw + offset) * scale;
	}
	if (*lux < 0 || *lux > LS_LIGHT_MAX_LUX)
		return ls_error_set(
		    err,
		    "light sensor %s reads %g lux, outside 0..%g: ignored, brightness "
		    "follows the schedule",
		    s->dir, *lux, LS_LIGHT_MAX_LUX);
	return 0;

err_read:
	return ls_error_set(err,
			    "light sensor %s: cannot read its illuminance (%s); brightness follows "
			    "the schedule",
			    s->dir, strerror(errno));
}

int ls_ambient_configure(struct ls_ambient *a, const struct ls_config *cfg, struct ls_error *err)
{
	const struct ls_display_config *d = &cfg->display;

	memset(a, 0, sizeof(*a));
	a->filter.smooth_s = d->light_smoothing_s;
	a->filter.hysteresis = d->light_hysteresis;
	if (ls_light_curve_parse(d->light_curve[0] ? d->light_curve : LS_LIGHT_CURVE_DEFAULT,
				 &a->curve, err))
		return -1;
	if (!d->light_sensor[0])
		return 0;
	if (ls_light_open(d->light_sensor, &a->sensor, err))
		return -1;
	a->on = true;
	return 0;
}

int ls_ambient_bound(struct ls_ambient *a, int64_t mono_ms, int scheduled,
		     void (*warn)(const char *msg))
{
	struct ls_error err;
	double lux;

	if (!a->on || scheduled <= 0)
		return scheduled;
	if (!a->filter.primed || mono_ms - a->read_ms >= 1000) {
		a->read_ms = mono_ms;
		if (ls_light_read(&a->sensor, &lux, &err)) {
			if (!a->failing && warn)
				warn(err.msg);
			a->failing = true;
		} else {
			a->failing = false;
			ls_light_filter_step(&a->filter, &a->curve, lux, mono_ms);
		}
	}
	if (a->failing || !a->filter.primed)
		return scheduled;
	return a->filter.percent < scheduled ? a->filter.percent : scheduled;
}

int ls_dimmer_configure(struct ls_dimmer *d, const struct ls_config *cfg, struct ls_error *why,
			struct ls_error *err)
{
	struct ls_hours h;
	struct ls_brightness b;

	if (ls_hours_parse(cfg->display.hours, &h, err) ||
	    ls_brightness_parse(cfg->display.brightness, &b, err))
		return -1;
	d->hours = h;
	d->brightness = b;
	why->msg[0] = '\0';
	if (ls_ambient_configure(&d->ambient, cfg, why) == 0)
		why->msg[0] = '\0';
	d->default_brightness = cfg->panel.brightness;
	d->applied = -1; /* apply afresh: the default may have changed */
	return 0;
}

struct ls_dimmer_step ls_dimmer_step(struct ls_dimmer *d, bool wall_valid, int wday, int minute,
				     int64_t mono_ms, void (*warn)(const char *msg))
{
	struct ls_display at = ls_display_at(&d->hours, &d->brightness, d->default_brightness,
					     wall_valid, wday, minute);
	struct ls_dimmer_step s = {.lit = at.lit, .first = d->applied < 0};

	s.percent = ls_ambient_bound(&d->ambient, mono_ms, at.percent, warn);
	if (!s.lit)
		s.percent = 0;
	s.lit_changed = s.lit != d->lit;
	s.percent_changed = s.percent != d->applied;
	d->lit = s.lit;
	d->applied = s.percent;
	return s;
}
