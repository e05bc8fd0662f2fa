/*
 * Outputs: where rendered frames go. The service and the tool open one from
 * the [output] section and hand it a canvas per frame; they never know whether
 * it is a terminal, a PNG directory, a trace file or real GPIO lines.
 *
 * Backends fill a struct ls_output_backend; ls_output_open() picks one by type.
 */
#ifndef LEDSIGN_OUTPUT_H
#define LEDSIGN_OUTPUT_H

#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/config.h"
#include "ledsign/error.h"

struct ls_output;

struct ls_output_backend {
	void *impl;
	/* Shows one frame; the canvas is only borrowed for the call. */
	int (*show)(void *impl, const struct ls_canvas *frame, struct ls_error *err);
	/* Blanks the display and releases everything; impl is gone afterwards. */
	void (*close)(void *impl);
	/* Measured refresh rate of a panel in Hz; NULL for non-panel outputs. */
	double (*refresh_hz)(void *impl);
	/* Sets brightness 0..100 (0 = dark); NULL when the output has none. */
	void (*set_brightness)(void *impl, int percent);
	/* A counter the refresh thread advances while it runs (the watchdog's
	 * heartbeat); NULL for outputs without a refresh thread. */
	uint64_t (*refresh_count)(void *impl);
	/* What went less well than asked while opening (e.g. no realtime
	 * priority for the refresh thread), "" when nothing; NULL for outputs
	 * that never warn. */
	const char *(*warning)(void *impl);
};

/* Opens the output named by cfg->output for a canvas of width x height;
 * returns NULL with err. Close with ls_output_close(). */
struct ls_output *ls_output_open(const struct ls_config *cfg, int width, int height,
				 struct ls_error *err);

/* Shows one frame (borrowed); returns 0 or -1 with err. */
int ls_output_show(struct ls_output *out, const struct ls_canvas *frame, struct ls_error *err);

/* Blanks, releases and frees the output; NULL is accepted. */
void ls_output_close(struct ls_output *out);

/* Measured panel refresh rate in Hz, or 0 when the output is not a panel. */
double ls_output_refresh_hz(const struct ls_output *out);

/* Sets panel brightness 0..100 where the output supports it. */
void ls_output_set_brightness(struct ls_output *out, int percent);

/* The refresh thread's heartbeat counter; for outputs without one it advances
 * on every call, so "has it moved since last time?" is always yes. */
uint64_t ls_output_refresh_count(struct ls_output *out);

/* A warning from opening the output, for the caller to show ("" when none):
 * the library does not print. */
const char *ls_output_warning(const struct ls_output *out);

/* Backends, one per file in src/sys/output/. */
int ls_term_output_open(const struct ls_config *cfg, int width, int height,
			struct ls_output_backend *be, struct ls_error *err);
int ls_png_output_open(const struct ls_config *cfg, int width, int height,
		       struct ls_output_backend *be, struct ls_error *err);
/* record, gpiod and spi: the panel driver (encoder + transport + refresh thread). */
int ls_panel_output_open(const struct ls_config *cfg, int width, int height,
			 struct ls_output_backend *be, struct ls_error *err);

#endif
