/*
 * bench_panel.c: the cost of refreshing a panel through libgpiod and SPI.
 *
 * For each board it encodes a frame with the real encoder and counts what one
 * full refresh sends: GPIO writes (set-values calls) and SPI bytes. It compares
 * the writes with the theoretical minimum (2 writes per shift clock per group
 * of parallel data lines, plus 4 control writes per latched row: blank, latch,
 * unlatch + address, enable) and turns the counts into refresh rates at
 * 1.15 us per write (libgpiod on a Pi 4, FIELD-NOTES) and at the SPI clock.
 * It also times the encoder itself, which runs once per rendered frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ledsign/panel.h"
#include "ledsign/transport.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct ls_canvas *noise(const struct ls_panel_config *cfg)
{
	int w, h;
	struct ls_canvas *c;

	ls_panel_canvas_size(cfg, &w, &h);
	c = ls_canvas_new(w, h);
	srand(1);
	for (int i = 0; i < w * h; i++)
		c->px[i] = (struct ls_rgb){(uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand()};
	return c;
}

static int bench(const char *name, const struct ls_panel_config *cfg, unsigned spi_hz)
{
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, spi_hz};
	struct ls_error err = {""};
	struct ls_panel *p = ls_panel_new(cfg, &timing, &err);
	struct ls_program *prog;
	struct ls_canvas *c;
	int clocks, rows, groups, reps = 0;
	double t0, enc_us;
	long writes, bytes = 0, minimum;

	if (!p) {
		fprintf(stderr, "%s: %s\n", name, err.msg);
		return 1;
	}
	prog = ls_panel_program_new(p);
	c = noise(cfg);
	t0 = now_s();
	do
		ls_panel_encode(p, c, 100, prog);
	while (++reps < 20 || now_s() - t0 < 0.2);
	enc_us = (now_s() - t0) / reps * 1e6;
	ls_panel_shape(p, &clocks, &rows, &groups);
	writes = (long)ls_program_writes(prog);
	for (size_t i = 0; i < prog->n_ops; i++)
		if (prog->ops[i].kind == LS_OP_SPI)
			bytes += prog->ops[i].b;
	/* Parallel groups share the clock, so one write pair serves them all. */
	minimum = spi_hz ? 4L * rows : (2L * clocks + 4) * rows;
	printf("%-34s %8ld %8ld %8ld %6.3f %10.1f %10.1f\n", name, writes, bytes, minimum,
	       (double)writes / minimum, 1e9 / ls_panel_program_ns(p, prog), enc_us);
	ls_canvas_free(c);
	ls_program_free(prog);
	ls_panel_free(p);
	return 0;
}

int main(void)
{
	struct ls_panel_config h12, h75;
	int rc = 0;
	char name[64];

	ls_panel_config_defaults(&h12);
	h12.chain = 6;
	ls_panel_config_defaults(&h75);
	h75.type = LS_PANEL_HUB75;
	h75.module_width = 64;
	h75.module_height = 32;

	printf(
	    "panel refresh cost: %u ns per GPIO write (libgpiod, Pi 4), SPI at the clock shown\n",
	    LS_PANEL_WRITE_NS);
	printf("%-34s %8s %8s %8s %6s %10s %10s\n", "board", "writes", "spi B", "minimum", "ratio",
	       "refresh Hz", "encode us");
	rc |= bench("HUB12 192x16 (6 modules) gpiod", &h12, 0);
	rc |= bench("HUB12 192x16 (6 modules) spi 4MHz", &h12, 4000000);
	rc |= bench("HUB12 192x16 (6 modules) spi 8MHz", &h12, 8000000);
	for (int i = 0; i < 3; i++) {
		int planes = (int[]){1, 3, 6}[i];
		h75.bit_planes = planes;
		snprintf(name, sizeof(name), "HUB75 64x32 %d bit plane%s gpiod", planes,
			 planes > 1 ? "s" : "");
		rc |= bench(name, &h75, 0);
	}
	printf(
	    "minimum: gpiod 2 writes per shift clock + 4 per latched row; spi 4 writes per row\n");
	return rc;
}
