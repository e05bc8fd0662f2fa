/*
 * transport/gpiod.c: panel lines on the kernel's GPIO character device through
 * libgpiod v2. All lines of a panel are one line request on one chip, so each
 * write is one GPIO_V2_LINE_SET_VALUES ioctl. The chip is found by path, by
 * name (gpiochip0) or by label (pinctrl-rp1), because the Pi 5's header chip
 * number differs between kernel versions while its label does not.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gpiod.h>

#include "lines.h"

struct ls_gpio_lines {
	struct gpiod_chip *chip;
	struct gpiod_line_request *req;
	unsigned int offset[LS_LINE_COUNT]; /* per role */
	uint32_t requested;		    /* roles in the request */
};

static struct gpiod_chip *open_path(const char *path, struct ls_error *err)
{
	struct gpiod_chip *chip = gpiod_chip_open(path);

	if (!chip) {
		int e = errno;
		if (e == ENOTTY || e == ENODEV)
			ls_error_set(err, "cannot open %s: not a GPIO chip; %s", path,
				     ls_transport_open_hint(ENOENT, 0));
		else
			ls_error_set(err, "cannot open %s: %s; %s", path, strerror(e),
				     ls_transport_open_hint(e, 0));
	}
	return chip;
}

/* Looks through /dev/gpiochip* for a chip whose label is want. */
static struct gpiod_chip *open_by_label(const char *want, struct ls_error *err)
{
	char path[300], found[512] = "";
	size_t used = 0;
	struct dirent *de;
	DIR *dir = opendir("/dev");

	while (dir && (de = readdir(dir))) {
		struct gpiod_chip *chip;
		struct gpiod_chip_info *info;

		if (strncmp(de->d_name, "gpiochip", 8))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		chip = gpiod_chip_open(path);
		info = chip ? gpiod_chip_get_info(chip) : NULL;
		if (info && !strcmp(gpiod_chip_info_get_label(info), want)) {
			gpiod_chip_info_free(info);
			closedir(dir);
			return chip;
		}
		if (info && used < sizeof(found))
			used += (size_t)snprintf(found + used, sizeof(found) - used, "%s%s [%s]",
						 used ? ", " : "", de->d_name,
						 gpiod_chip_info_get_label(info));
		gpiod_chip_info_free(info);
		if (chip)
			gpiod_chip_close(chip);
	}
	if (dir)
		closedir(dir);
	ls_error_set(err, "no GPIO chip is named or labelled '%s' (found: %s); %s", want,
		     used ? found : "none readable", ls_transport_open_hint(ENOENT, 0));
	return NULL;
}

static struct gpiod_chip *open_chip(const char *name, struct ls_error *err)
{
	char path[300];

	if (name[0] == '/')
		return open_path(name, err);
	snprintf(path, sizeof(path), "/dev/%s", name);
	/* A name that exists in /dev is a name; anything else is tried as a label. */
	if (!strchr(name, '/') && access(path, F_OK) == 0)
		return open_path(path, err);
	return open_by_label(name, err);
}

int ls_gpio_chip_probe(const char *chip, char *path, size_t n, unsigned *num_lines,
		       struct ls_error *err)
{
	struct gpiod_chip *c = open_chip(chip, err);
	struct gpiod_chip_info *info;

	if (!c)
		return -1;
	info = gpiod_chip_get_info(c);
	snprintf(path, n, "%s", gpiod_chip_get_path(c));
	*num_lines = info ? (unsigned)gpiod_chip_info_get_num_lines(info) : 0;
	gpiod_chip_info_free(info);
	gpiod_chip_close(c);
	return 0;
}

static struct gpiod_line_request *request(struct ls_gpio_lines *l, const char *chip_name,
					  const struct ls_line_map *map, struct ls_error *err)
{
	unsigned int offs[LS_LINE_COUNT];
	enum gpiod_line_value vals[LS_LINE_COUNT];
	size_t n = 0;
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	struct gpiod_line_request *req = NULL;

	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (l->requested & LS_BIT(r)) {
			offs[n] = l->offset[r];
			vals[n++] = (map->initial & LS_BIT(r)) ? GPIOD_LINE_VALUE_ACTIVE
							       : GPIOD_LINE_VALUE_INACTIVE;
		}
	if (!s || !lc || !rc) {
		ls_error_set(err, "out of memory");
		goto err_alloc;
	}
	gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
	gpiod_request_config_set_consumer(rc, "ledsign");
	if (gpiod_line_config_add_line_settings(lc, offs, n, s) ||
	    gpiod_line_config_set_output_values(lc, vals, n)) {
		ls_error_set(err, "%s: cannot configure lines: %s; check [pins] for duplicates",
			     chip_name, strerror(errno));
		goto err_alloc;
	}
	req = gpiod_chip_request_lines(l->chip, rc, lc);
	if (!req)
		ls_error_set(err, "%s: cannot request lines: %s; %s", chip_name, strerror(errno),
			     errno == EINVAL ? "check [pins]: an offset is beyond the chip's lines"
					     : ls_transport_open_hint(errno, 0));
err_alloc:
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(s);
	return req;
}

struct ls_gpio_lines *ls_gpio_lines_open(const char *chip, const struct ls_line_map *map,
					 uint32_t skip, struct ls_error *err)
{
	struct ls_gpio_lines *l = calloc(1, sizeof(*l));

	if (!l) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0 && !(skip & LS_BIT(r))) {
			l->offset[r] = (unsigned)map->offset[r];
			l->requested |= LS_BIT(r);
		}
	l->chip = open_chip(chip, err);
	if (!l->chip)
		goto err_chip;
	l->req = request(l, chip, map, err);
	if (!l->req)
		goto err_request;
	return l;
err_request:
	gpiod_chip_close(l->chip);
err_chip:
	free(l);
	return NULL;
}

int ls_gpio_lines_set(struct ls_gpio_lines *l, uint32_t mask, uint32_t values)
{
	unsigned int offs[LS_LINE_COUNT];
	enum gpiod_line_value vals[LS_LINE_COUNT];
	size_t n = 0;

	mask &= l->requested;
	while (mask) {
		int r = __builtin_ctz(mask);
		offs[n] = l->offset[r];
		vals[n++] = (values >> r) & 1 ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
		mask &= mask - 1;
	}
	if (!n)
		return 0;
	return gpiod_line_request_set_values_subset(l->req, n, offs, vals) ? -1 : 0;
}

void ls_gpio_lines_close(struct ls_gpio_lines *l)
{
	if (!l)
		return;
	gpiod_line_request_release(l->req);
	gpiod_chip_close(l->chip);
	free(l);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ls_hold_ns(uint32_t ns)
{
	uint64_t until = now_ns() + ns;

	if (ns > 200000) {
		struct timespec ts = {0, (long)(ns - 100000)};
		nanosleep(&ts, NULL);
	}
	while (now_ns() < until)
		;
}

static int gpiod_set(void *impl, uint32_t mask, uint32_t values)
{
	return ls_gpio_lines_set(impl, mask, values);
}

static int gpiod_hold(void *impl, uint32_t ns)
{
	(void)impl;
	ls_hold_ns(ns);
	return 0;
}

static void gpiod_close(void *impl)
{
	ls_gpio_lines_close(impl);
}

struct ls_transport *ls_transport_open_gpiod(const char *chip, const struct ls_line_map *map,
					     struct ls_error *err)
{
	static const struct ls_transport_ops ops = {
	    .set = gpiod_set, .hold = gpiod_hold, .close = gpiod_close};
	struct ls_gpio_lines *l = ls_gpio_lines_open(chip, map, 0, err);
	struct ls_transport *t;

	if (!l)
		return NULL;
	t = ls_transport_wrap(&ops, l);
	if (!t) {
		ls_gpio_lines_close(l);
		ls_error_set(err, "out of memory");
	}
	return t;
}
