/*
 * transport/lines.h: the libgpiod v2 line request shared by the gpiod and spi
 * transports (internal to src/transport/).
 */
#ifndef LEDSIGN_TRANSPORT_LINES_H
#define LEDSIGN_TRANSPORT_LINES_H

#include <stdint.h>

#include "ledsign/transport.h"

struct ls_gpio_lines;

/* Requests the roles of map not in skip as outputs on chip (path, name or label);
 * NULL with an error naming the chip and the fix. Free with ls_gpio_lines_close(). */
struct ls_gpio_lines *ls_gpio_lines_open(const char *chip, const struct ls_line_map *map,
					 uint32_t skip, struct ls_error *err);

/* One set-values ioctl for the requested lines in mask; returns 0 or -1. */
int ls_gpio_lines_set(struct ls_gpio_lines *l, uint32_t mask, uint32_t values);

/* Releases the request and closes the chip; NULL is accepted. */
void ls_gpio_lines_close(struct ls_gpio_lines *l);

/* Waits ns nanoseconds: spins for short waits (sleeping would overshoot by tens
 * of microseconds), sleeps for long ones. */
void ls_hold_ns(uint32_t ns);

#endif
