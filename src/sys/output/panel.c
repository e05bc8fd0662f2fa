/*
 * output/panel.c: the panel driver as an output backend. It wires the encoder
 * (panel), a transport (record, gpiod, spi or mmap) and the refresh thread:
 * show() encodes a frame once into the refresh thread's back buffer and swaps
 * it in; the thread replays it until the next frame. An mmap output that
 * cannot map the registers drives the lines through gpiod, with the encoder
 * rebuilt for gpiod's slower writes, since it places OE edges by write time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/refresh.h"
#include "ledsign/transport.h"

struct panel_out {
	struct ls_panel *panel;
	struct ls_transport *t;
	struct ls_program *prog[2], *blank;
	struct ls_refresh *refresh;
	struct ls_canvas *last; /* re-encoded when the brightness changes */
	int brightness;
	int shown;
	int recorded_brightness;
	int record;
	double nominal_hz;
	char warning[2 * LS_ERROR_MAX + 64]; /* ls_output_warning(): "" when none */
};

static const char *panel_warning(void *impl)
{
	return ((struct panel_out *)impl)->warning;
}

static int panel_show(void *impl, const struct ls_canvas *frame, struct ls_error *err)
{
	struct panel_out *o = impl;
	struct ls_program *back;

	/* A trace holds each distinct frame once, not 25 copies a second. */
	if (o->record && o->shown && o->last->width == frame->width &&
	    o->last->height == frame->height && o->recorded_brightness == o->brightness &&
	    !memcmp(o->last->px, frame->px,
		    sizeof(*frame->px) * (size_t)frame->width * frame->height))
		return 0;
	back = ls_refresh_back(o->refresh);
	if (ls_panel_encode(o->panel, frame, o->brightness, back))
		return ls_error_set(err, "panel: a %dx%d frame does not fit a %dx%d board",
				    frame->width, frame->height, o->last->width, o->last->height);
	o->nominal_hz = 1e9 / ls_panel_program_ns(o->panel, back);
	ls_refresh_swap(o->refresh);
	ls_canvas_copy(o->last, frame);
	o->recorded_brightness = o->brightness;
	o->shown = 1;
	return 0;
}

/* Blanks the board (when refreshing) and releases everything; also undoes a
 * partly opened output, whose refresh thread is NULL. */
static void panel_close(void *impl)
{
	struct panel_out *o = impl;

	ls_refresh_stop(o->refresh, o->blank);
	ls_transport_close(o->t);
	ls_program_free(o->prog[0]);
	ls_program_free(o->prog[1]);
	ls_program_free(o->blank);
	ls_canvas_free(o->last);
	ls_panel_free(o->panel);
	free(o);
}

/* A trace has no wall clock: it reports the rate the nominal timing gives. */
static double panel_refresh_hz(void *impl)
{
	struct panel_out *o = impl;

	return o->record ? (o->shown ? o->nominal_hz : 0) : ls_refresh_hz(o->refresh);
}

static uint64_t panel_refresh_count(void *impl)
{
	return ls_refresh_beats(((struct panel_out *)impl)->refresh);
}

static void panel_set_brightness(void *impl, int percent)
{
	struct panel_out *o = impl;

	o->brightness = percent < 0 ? 0 : percent > 100 ? 100 : percent;
	if (o->shown)
		panel_show(o, o->last, NULL);
}

static struct ls_transport *open_transport(const struct ls_config *cfg,
					   const struct ls_line_map *map, struct ls_error *err)
{
	switch (cfg->output.type) {
	case LS_OUTPUT_RECORD:
		return ls_transport_open_record(cfg->output.path, map, err);
	case LS_OUTPUT_SPI:
		return ls_transport_open_spi(cfg->output.spi_device, cfg->output.chip, map, err);
	default: /* gpiod, and mmap when it could not map the registers */
		return ls_transport_open_gpiod(cfg->output.chip, map, err);
	}
}

/* Sends the resting levels (and FM6126A setup) once, before refreshing. */
static int send_init(struct panel_out *o, struct ls_error *err)
{
	if (ls_panel_encode_init(o->panel, o->prog[0]) || ls_panel_encode_blank(o->panel, o->blank))
		return ls_error_set(err, "panel: init sequence does not fit");
	ls_transport_begin(o->t, "init", 0);
	if (ls_transport_play(o->t, o->prog[0]))
		return ls_error_set(err, "panel: cannot write the init sequence to the lines");
	ls_transport_end(o->t);
	return 0;
}

/* A record output locks memory as gpiod and spi do only when the test-only
 * LEDSIGN_TEST_LOCK_MEMORY is set: tests/bench_startup.sh measures a panel
 * board's memory so, on a machine without GPIO. */
static int start(struct panel_out *o, const struct ls_config *cfg, struct ls_error *err)
{
	bool lock = !o->record || getenv("LEDSIGN_TEST_LOCK_MEMORY");
	struct ls_refresh_opts ro = {.rt_priority = cfg->output.rt_priority,
				     .cpu = cfg->output.cpu,
				     .passes = o->record ? 1 : 0,
				     .lock_memory = lock};
	struct ls_line_map map;

	ls_panel_line_map(o->panel, &map);
	if (!o->t)
		o->t = open_transport(cfg, &map, err);
	if (!o->t || send_init(o, err))
		return -1;
	o->refresh = ls_refresh_start(o->t, o->prog[0], o->prog[1], &ro, err);
	if (!o->refresh)
		return -1;
	if (*ls_refresh_warning(o->refresh)) {
		size_t n = strlen(o->warning);
		if (n && n + 3 <= sizeof(o->warning)) {
			memcpy(o->warning + n, "; ", 3); /* after the transport's own warning */
			n += 2;
		}
		snprintf(o->warning + n, sizeof(o->warning) - n, ls_tr("refresh thread: %s"),
			 ls_refresh_warning(o->refresh));
	}
	return 0;
}

/* The panel at the output's timing; for mmap, also the transport, or the
 * panel at gpiod's timing and one log line saying why not. */
static struct ls_panel *new_panel(struct panel_out *o, const struct ls_config *cfg,
				  struct ls_error *err)
{
	struct ls_panel_timing timing = ls_config_panel_timing(cfg);
	struct ls_panel *p = ls_panel_new(&cfg->panel, &timing, err);
	struct ls_error why = {""};
	struct ls_line_map map;

	if (!p || cfg->output.type != LS_OUTPUT_MMAP)
		return p;
	ls_panel_line_map(p, &map);
	o->t = ls_transport_open_mmap(NULL, &map, &why);
	if (o->t)
		return p;
	/* The library does not print: the service logs it (ls_output_warning()). */
	snprintf(o->warning, sizeof(o->warning),
		 ls_tr("[output] type = mmap: %s; driving the lines through gpiod instead"),
		 why.msg);
	ls_panel_free(p);
	timing.write_ns = LS_PANEL_WRITE_NS;
	return ls_panel_new(&cfg->panel, &timing, err);
}

int ls_panel_output_open(const struct ls_config *cfg, int width, int height,
			 struct ls_output_backend *be, struct ls_error *err)
{
	struct panel_out *o = calloc(1, sizeof(*o));
	int w, h;

	if (!o)
		return ls_error_set(err, "out of memory");
	o->record = cfg->output.type == LS_OUTPUT_RECORD;
	o->brightness = cfg->panel.brightness;
	o->panel = new_panel(o, cfg, err);
	if (!o->panel)
		goto err_out;
	ls_panel_canvas_size(&cfg->panel, &w, &h);
	if (w != width || h != height) {
		ls_error_set(err,
			     "panel: the board is %dx%d but frames are %dx%d; check [panel] "
			     "module, chain, rows and rotate",
			     w, h, width, height);
		goto err_out;
	}
	o->prog[0] = ls_panel_program_new(o->panel);
	o->prog[1] = ls_panel_program_new(o->panel);
	o->blank = ls_program_new(4, 0);
	o->last = ls_canvas_new(w, h);
	if (!o->prog[0] || !o->prog[1] || !o->blank || !o->last) {
		ls_error_set(err, "out of memory");
		goto err_out;
	}
	if (start(o, cfg, err))
		goto err_out;
	*be = (struct ls_output_backend){o,
					 panel_show,
					 panel_close,
					 panel_refresh_hz,
					 panel_set_brightness,
					 panel_refresh_count,
					 panel_warning};
	return 0;
err_out:
	panel_close(o);
	return -1;
}
