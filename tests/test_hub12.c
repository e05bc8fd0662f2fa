/*
 * HUB12 ("P10") panel driver, checked end to end: a canvas goes through the
 * record output (encoder, refresh thread, trace file) and the independent
 * panel model in panel_model.c decodes the trace into what a viewer sees.
 */
#include <stdlib.h>

#include "harness.h"
#include "panel_model.h"

#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/refresh.h"
#include "ledsign/transport.h"

static const struct ls_rgb on = {255, 0, 0}, off = {0, 0, 0};

static void hub12_config(struct ls_config *cfg, int chain, int rows)
{
	ls_config_defaults(cfg);
	ls_panel_config_defaults(&cfg->panel);
	cfg->panel.chain = chain;
	cfg->panel.rows = rows;
	cfg->output.type = LS_OUTPUT_RECORD;
	snprintf(cfg->output.path, sizeof(cfg->output.path), "%s/trace.txt", th_tmpdir());
}

/* The physical board the config describes, written out for the model. */
static struct pm_panel model_of(const struct ls_config *cfg)
{
	const struct ls_panel_config *c = &cfg->panel;
	return (struct pm_panel){.module_w = 32,
				 .module_h = 16,
				 .scan = 4,
				 .chain = c->chain,
				 .rows = c->rows,
				 .parallel = c->layout == LS_LAYOUT_PARALLEL,
				 .data_active_low = c->data_active_low,
				 .oe_active_low = c->oe_active_low,
				 .rotate = c->rotate,
				 .mirror_x = c->mirror_x,
				 .mirror_y = c->mirror_y};
}

/* A pattern no mapping error can survive: pseudo-random pixels. */
static struct ls_canvas *random_canvas(const struct ls_config *cfg, unsigned seed)
{
	int w, h;
	struct ls_canvas *c;

	ls_panel_canvas_size(&cfg->panel, &w, &h);
	c = ls_canvas_new(w, h);
	srand(seed);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			ls_canvas_set(c, x, y, rand() % 2 ? on : off);
	return c;
}

static void record(const struct ls_config *cfg, const struct ls_canvas *c)
{
	struct ls_error err = {""};
	struct ls_output *o = ls_output_open(cfg, c->width, c->height, &err);

	ASSERT_MSG(o, "open: %s", err.msg);
	ASSERT_MSG(ls_output_show(o, c, &err) == 0, "show: %s", err.msg);
	ls_output_close(o);
}

static void decode(const char *path, const struct pm_panel *p, int frame, struct pm_image *view)
{
	char msg[256];
	struct pm_image board;
	struct pm_trace *t = pm_trace_load(path, msg, sizeof(msg));

	ASSERT_MSG(t, "%s", msg);
	ASSERT_MSG(pm_decode(t, p, frame, &board, msg, sizeof(msg)) == 0, "%s", msg);
	pm_view(p, &board, view);
	pm_image_free(&board);
	pm_trace_free(t);
}

/* Every pixel lit on the canvas is lit on the panel and no other; returns the
 * share of the period a lit pixel is on. */
static double assert_shows(const struct pm_image *view, const struct ls_canvas *c)
{
	double lit_share = 0;

	ASSERT_EQ_INT(view->w, c->width);
	ASSERT_EQ_INT(view->h, c->height);
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++)
			if (pm_at(view, x, y, 0) > lit_share)
				lit_share = pm_at(view, x, y, 0);
	ASSERT_MSG(lit_share > 0.005, "the panel stays dark (max share %.3f)", lit_share);
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++) {
			int lit = pm_at(view, x, y, 0) > lit_share / 2;
			ASSERT_MSG(lit == ls_rgb_lit(ls_canvas_get(c, x, y)),
				   "pixel (%d,%d): panel %s, canvas %s", x, y, lit ? "lit" : "dark",
				   lit ? "dark" : "lit");
		}
	return lit_share;
}

static void check_roundtrip(struct ls_config *cfg, unsigned seed)
{
	struct ls_canvas *c = random_canvas(cfg, seed);
	struct pm_panel p = model_of(cfg);
	struct pm_image view;

	record(cfg, c);
	decode(cfg->output.path, &p, 0, &view);
	assert_shows(&view, c);
	pm_image_free(&view);
	ls_canvas_free(c);
}

TEST(single_module_shows_the_canvas)
{
	struct ls_config cfg;

	hub12_config(&cfg, 1, 1);
	check_roundtrip(&cfg, 1);
}

TEST(chain_of_six_modules_shows_the_canvas)
{
	struct ls_config cfg;

	hub12_config(&cfg, 6, 1);
	check_roundtrip(&cfg, 2);
}

TEST(two_rows_serpentine_chain_shows_the_canvas)
{
	struct ls_config cfg;

	hub12_config(&cfg, 3, 2);
	cfg.panel.layout = LS_LAYOUT_SERPENTINE;
	check_roundtrip(&cfg, 3);
}

TEST(two_rows_on_parallel_data_lines_show_the_canvas)
{
	struct ls_config cfg;

	hub12_config(&cfg, 3, 2);
	cfg.panel.layout = LS_LAYOUT_PARALLEL;
	check_roundtrip(&cfg, 4);
}

TEST(active_high_data_and_active_low_oe_show_the_canvas)
{
	struct ls_config cfg;

	hub12_config(&cfg, 2, 1);
	cfg.panel.data_active_low = false;
	cfg.panel.oe_active_low = true;
	check_roundtrip(&cfg, 5);
}

TEST(wrong_data_polarity_shows_the_negative)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;

	hub12_config(&cfg, 1, 1);
	c = random_canvas(&cfg, 6);
	record(&cfg, c);
	p = model_of(&cfg);
	p.data_active_low = !p.data_active_low; /* modules of the other kind */
	decode(cfg.output.path, &p, 0, &view);
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++)
			ASSERT((pm_at(&view, x, y, 0) > 0.1) != ls_rgb_lit(ls_canvas_get(c, x, y)));
	pm_image_free(&view);
	ls_canvas_free(c);
}

TEST(rotated_and_mirrored_boards_show_the_canvas_upright)
{
	static const int rotations[] = {90, 180, 270};

	for (int i = 0; i < 3; i++) {
		struct ls_config cfg;
		hub12_config(&cfg, 2, 2);
		cfg.panel.layout = i == 1 ? LS_LAYOUT_PARALLEL : LS_LAYOUT_SERPENTINE;
		cfg.panel.rotate = rotations[i];
		cfg.panel.mirror_x = i == 2;
		check_roundtrip(&cfg, 7 + (unsigned)i);
	}
}

static double lit_share_at(int brightness)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;
	double share;

	hub12_config(&cfg, 2, 1);
	cfg.panel.brightness = brightness;
	c = random_canvas(&cfg, 11);
	record(&cfg, c);
	p = model_of(&cfg);
	decode(cfg.output.path, &p, 0, &view);
	share = assert_shows(&view, c);
	pm_image_free(&view);
	ls_canvas_free(c);
	return share;
}

TEST(brightness_is_the_oe_on_share_of_each_phase)
{
	/* 1/4 scan: a lit LED is on during one phase in four at most. */
	double full = lit_share_at(100), half = lit_share_at(50), dim = lit_share_at(10);

	ASSERT_MSG(full > 0.245 && full <= 0.25, "100%%: share %.4f", full);
	ASSERT_MSG(half > 0.49 * full && half < 0.51 * full, "50%%: %.4f of full", half / full);
	ASSERT_MSG(dim > 0.09 * full && dim < 0.11 * full, "10%%: %.4f of full", dim / full);
}

/* The SPI variant, through the encoder, refresh thread and record transport. */
static void record_spi(const struct ls_config *cfg, const struct ls_canvas *c, unsigned hz)
{
	struct ls_error err = {""};
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, hz};
	struct ls_panel *panel = ls_panel_new(&cfg->panel, &timing, &err);
	struct ls_line_map map;
	struct ls_transport *t;
	struct ls_program *a, *b, *blank;
	struct ls_refresh *r;
	struct ls_refresh_opts opts = {.cpu = -1, .passes = 1};

	ASSERT_MSG(panel, "%s", err.msg);
	ls_panel_line_map(panel, &map);
	t = ls_transport_open_record(cfg->output.path, &map, &err);
	ASSERT_MSG(t, "%s", err.msg);
	a = ls_panel_program_new(panel);
	b = ls_panel_program_new(panel);
	blank = ls_program_new(2, 0);
	ASSERT(ls_panel_encode_blank(panel, blank) == 0);
	r = ls_refresh_start(t, a, b, &opts, &err);
	ASSERT_MSG(r, "%s", err.msg);
	ASSERT(ls_panel_encode(panel, c, 100, ls_refresh_back(r)) == 0);
	ls_refresh_swap(r);
	ls_refresh_stop(r, blank);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
	ls_program_free(blank);
	ls_panel_free(panel);
}

TEST(spi_variant_shows_the_canvas_with_data_on_mosi)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;
	char msg[256];
	struct pm_trace *t;
	long writes, bytes;

	hub12_config(&cfg, 6, 1);
	c = random_canvas(&cfg, 12);
	record_spi(&cfg, c, 8000000);
	p = model_of(&cfg);
	decode(cfg.output.path, &p, 0, &view);
	ASSERT(assert_shows(&view, c) > 0.2);
	t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
	pm_frame_ns(t, 0, &writes, &bytes);
	/* 4 phases x 6 modules x 128 bits on MOSI; 4 control writes per phase. */
	ASSERT_EQ_INT(bytes, 4 * 6 * 128 / 8);
	ASSERT_EQ_INT(writes, 4 * 4);
	pm_trace_free(t);
	pm_image_free(&view);
	ls_canvas_free(c);
}

TEST(spi_refuses_parallel_rows_with_a_hint)
{
	struct ls_config cfg;
	struct ls_error err = {""};
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 4000000};

	hub12_config(&cfg, 2, 2);
	cfg.panel.layout = LS_LAYOUT_PARALLEL;
	ASSERT(ls_panel_new(&cfg.panel, &timing, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "serpentine");
}

TEST(gpio_writes_are_two_per_clock_plus_four_per_phase)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	char msg[256];
	struct pm_trace *t;
	long writes, bytes;

	hub12_config(&cfg, 6, 1);
	c = random_canvas(&cfg, 13);
	record(&cfg, c);
	t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
	ASSERT_MSG(t, "%s", msg);
	pm_frame_ns(t, 0, &writes, &bytes);
	ASSERT_EQ_INT(writes, 4 * (2 * 6 * 128 + 4));
	ASSERT_EQ_INT(bytes, 0);
	pm_trace_free(t);
	ls_canvas_free(c);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ASSERT(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ASSERT(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

TEST(traces_are_identical_for_the_same_frame_and_config)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	char first[4200];
	char *a, *b;

	hub12_config(&cfg, 2, 1);
	c = random_canvas(&cfg, 14);
	record(&cfg, c);
	snprintf(first, sizeof(first), "%s", cfg.output.path);
	snprintf(cfg.output.path, sizeof(cfg.output.path), "%s/second.txt", th_tmpdir());
	record(&cfg, c);
	a = slurp(first);
	b = slurp(cfg.output.path);
	ASSERT(strlen(a) > 1000);
	ASSERT_EQ_STR(a, b);
	free(a);
	free(b);
	ls_canvas_free(c);
}

TEST(each_distinct_frame_is_recorded_once_in_order)
{
	struct ls_config cfg;
	struct ls_canvas *c1, *c2;
	struct ls_error err = {""};
	struct ls_output *o;
	struct pm_panel p;
	struct pm_image view;

	hub12_config(&cfg, 1, 1);
	c1 = random_canvas(&cfg, 15);
	c2 = random_canvas(&cfg, 16);
	o = ls_output_open(&cfg, c1->width, c1->height, &err);
	ASSERT_MSG(o, "%s", err.msg);
	ASSERT(ls_output_show(o, c1, &err) == 0);
	ASSERT(ls_output_show(o, c1, &err) == 0); /* unchanged: not recorded again */
	ASSERT(ls_output_show(o, c2, &err) == 0);
	ASSERT(ls_output_refresh_hz(o) > 100);
	ls_output_close(o);
	p = model_of(&cfg);
	{
		char msg[256];
		struct pm_trace *t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
		ASSERT_MSG(t, "%s", msg);
		ASSERT_EQ_INT(pm_trace_frames(t), 2);
		pm_trace_free(t);
	}
	decode(cfg.output.path, &p, 1, &view);
	assert_shows(&view, c2);
	pm_image_free(&view);
	ls_canvas_free(c1);
	ls_canvas_free(c2);
}

TEST(wrong_frame_size_is_refused_at_open)
{
	struct ls_config cfg;
	struct ls_error err = {""};

	hub12_config(&cfg, 6, 1);
	ASSERT(ls_output_open(&cfg, 64, 16, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "192x16");
}

/* [output] record_as = spi: the service's own output traces what type = spi
 * sends, SPI clock in the header, and the model sees the canvas. */
TEST(record_as_spi_traces_the_spi_path_end_to_end)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;
	char msg[256], line[256] = "";
	struct pm_trace *t;
	long writes, bytes;
	FILE *f;

	hub12_config(&cfg, 6, 1);
	snprintf(cfg.output.record_as, sizeof(cfg.output.record_as), "spi");
	cfg.output.spi_speed_hz = 8000000;
	c = random_canvas(&cfg, 31);
	record(&cfg, c);
	f = fopen(cfg.output.path, "r");
	ASSERT(f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "timing ", 7))
		;
	fclose(f);
	ASSERT_CONTAINS(line, "spi_hz=8000000");
	p = model_of(&cfg);
	decode(cfg.output.path, &p, 0, &view);
	ASSERT(assert_shows(&view, c) > 0.2);
	t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
	ASSERT_MSG(t, "%s", msg);
	pm_frame_ns(t, 0, &writes, &bytes);
	ASSERT_EQ_INT(bytes, 4 * 6 * 128 / 8);
	pm_trace_free(t);
	pm_image_free(&view);
	ls_canvas_free(c);
}
