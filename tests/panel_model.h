/*
 * An independent model of HUB12 and HUB75 LED panels, for tests.
 *
 * It is written from deploy/trace-format.md and the field notes only, never
 * from the driver's mapping code: it replays a recorded trace on simulated
 * shift registers, latches, OE and row-address lines, integrates how long each
 * LED is lit, and reports the image a viewer would see.
 */
#ifndef LEDSIGN_PANEL_MODEL_H
#define LEDSIGN_PANEL_MODEL_H

#include <stddef.h>

/* The physical board the trace is replayed on. */
struct pm_panel {
	int hub75;		/* 0: HUB12 single colour, 1: HUB75 RGB */
	int module_w, module_h; /* pixels of one module */
	int scan;		/* addresses per refresh (1/scan) */
	int chain, rows;	/* modules per row, module rows */
	int parallel;		/* rows on their own data lines (else serpentine) */
	int outdoor4s;		/* HUB75 32x16 1/4-scan "outdoor" shift order */
	int data_active_low;	/* a low data bit lights the LED (most HUB12, some HUB75) */
	int oe_active_low;	/* OE level that enables the LEDs */
	char pin_leds[4];	/* HUB75: LED colour each of the R, G, B pins drives ("RGB") */
	int rotate, mirror_x, mirror_y; /* how the board is mounted (for pm_view) */
};

/* Light per LED: share of the refresh period it was lit, [y][x][channel]. */
struct pm_image {
	int w, h;
	double *v;
};

struct pm_trace;

/* Reads a trace file; NULL with a message in msg. Free with pm_trace_free(). */
struct pm_trace *pm_trace_load(const char *path, char *msg, size_t n);
void pm_trace_free(struct pm_trace *t);

/* Number of `frame` blocks in the trace. */
int pm_trace_frames(const struct pm_trace *t);

/* Replays frame block k (0-based) in steady state on panel p and fills board
 * (physical orientation, allocated here; pm_image_free()); 0 or -1 with msg. */
int pm_decode(const struct pm_trace *t, const struct pm_panel *p, int k, struct pm_image *board,
	      char *msg, size_t n);

/* The board image as the viewer sees it, after rotation and mirroring. */
void pm_view(const struct pm_panel *p, const struct pm_image *board, struct pm_image *view);

/* FM6126A registers written by the init block: the last 16 bits on r1 when LAT
 * fell after 11 (reg1) or 12 (reg2) clocks with LAT high; -1 when not written. */
void pm_init_registers(const struct pm_trace *t, const struct pm_panel *p, long *reg1, long *reg2);

/* Nominal duration of frame block k in ns; SET operations in it; SPI bytes in it. */
double pm_frame_ns(const struct pm_trace *t, int k, long *writes, long *spi_bytes);

static inline double pm_at(const struct pm_image *im, int x, int y, int ch)
{
	return im->v[((size_t)y * im->w + x) * 3 + ch];
}

void pm_image_free(struct pm_image *im);

#endif
