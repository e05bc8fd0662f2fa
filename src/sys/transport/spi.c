/*
 * transport/spi.c: HUB12 data on the SPI controller (MOSI = R, SCLK = CLK)
 * through /dev/spidevB.C, with LAT, OE and A/B on libgpiod lines. One
 * SPI_IOC_MESSAGE per transfer replaces two GPIO writes per pixel, which is
 * what lets long chains refresh above 1 kHz.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lines.h"

/* spidev's default per-transfer limit (module parameter bufsiz). */
#define SPI_CHUNK 4096

struct spi_transport {
	int fd;
	uint32_t hz;
	struct ls_gpio_lines *lines;
};

static int spi_set(void *impl, uint32_t mask, uint32_t values)
{
	struct spi_transport *s = impl;

	return ls_gpio_lines_set(s->lines, mask, values);
}

static int spi_send(void *impl, const uint8_t *bytes, size_t n)
{
	struct spi_transport *s = impl;

	while (n) {
		size_t len = n < SPI_CHUNK ? n : SPI_CHUNK;
		struct spi_ioc_transfer tr = {.tx_buf = (uintptr_t)bytes,
					      .len = (uint32_t)len,
					      .speed_hz = s->hz,
					      .bits_per_word = 8};
		if (ioctl(s->fd, SPI_IOC_MESSAGE(1), &tr) < 0)
			return -1;
		bytes += len;
		n -= len;
	}
	return 0;
}

static int spi_hold(void *impl, uint32_t ns)
{
	(void)impl;
	ls_hold_ns(ns);
	return 0;
}

static void spi_close(void *impl)
{
	struct spi_transport *s = impl;

	ls_gpio_lines_close(s->lines);
	close(s->fd);
	free(s);
}

static int spi_setup(int fd, uint32_t hz)
{
	uint8_t mode = SPI_MODE_0, bits = 8;

	if (ioctl(fd, SPI_IOC_WR_MODE, &mode) < 0 ||
	    ioctl(fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
	    ioctl(fd, SPI_IOC_WR_MAX_SPEED_HZ, &hz) < 0)
		return -1;
	return 0;
}

struct ls_transport *ls_transport_open_spi(const char *spi_device, const char *chip,
					   const struct ls_line_map *map, struct ls_error *err)
{
	static const struct ls_transport_ops ops = {
	    .set = spi_set, .spi = spi_send, .hold = spi_hold, .close = spi_close};
	struct spi_transport *s = calloc(1, sizeof(*s));
	struct ls_transport *t;

	if (!s) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	s->hz = map->spi_hz;
	s->fd = open(spi_device, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		ls_error_set(err, "cannot open %s: %s; %s", spi_device, strerror(errno),
			     ls_transport_open_hint(errno, 1));
		goto err_open;
	}
	if (spi_setup(s->fd, s->hz)) {
		ls_error_set(err,
			     "%s: cannot set SPI mode 0 at %u Hz: %s; check [output] spi_device "
			     "and spi_speed",
			     spi_device, s->hz, strerror(errno));
		goto err_setup;
	}
	s->lines = ls_gpio_lines_open(chip, map, LS_BIT(LS_LINE_CLK) | LS_BIT(LS_LINE_R1), err);
	if (!s->lines)
		goto err_setup;
	t = ls_transport_wrap(&ops, s);
	if (t)
		return t;
	ls_error_set(err, "out of memory");
	ls_gpio_lines_close(s->lines);
err_setup:
	close(s->fd);
err_open:
	free(s);
	return NULL;
}
