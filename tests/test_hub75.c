/*
 * HUB75 RGB panel driver, checked end to end: canvas -> record output ->
 * trace -> independent panel model (panel_model.c) -> the colours a viewer
 * sees after binary code modulation, compared with the canvas.
 */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "panel_model.h"

#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"

static void hub75_config(struct ls_config *cfg, int w, int h, int chain, int rows, int planes)
{
	ls_config_defaults(cfg);
	ls_panel_config_defaults(&cfg->panel);
	cfg->panel.type = LS_PANEL_HUB75;
	cfg->panel.module_width = w;
	cfg->panel.module_height = h;
	cfg->panel.chain = chain;
	cfg->panel.rows = rows;
	cfg->panel.bit_planes = planes;
	cfg->output.type = LS_OUTPUT_RECORD;
	snprintf(cfg->output.path, sizeof(cfg->output.path), "%s/trace.txt", th_tmpdir());
}

static struct pm_panel model_of(const struct ls_config *cfg)
{
	const struct ls_panel_config *c = &cfg->panel;
	int outdoor = !strcmp(c->mapping, "outdoor-4s");
	struct pm_panel p = {.hub75 = 1,
			     .module_w = c->module_width,
			     .module_h = c->module_height,
			     .scan = outdoor ? 4 : c->module_height / 2,
			     .chain = c->chain,
			     .rows = c->rows,
			     .parallel = c->layout == LS_LAYOUT_PARALLEL,
			     .outdoor4s = outdoor,
			     .oe_active_low = c->oe_given ? c->oe_active_low : 1,
			     .data_active_low = c->data_given && c->data_active_low,
			     .rotate = c->rotate,
			     .mirror_x = c->mirror_x,
			     .mirror_y = c->mirror_y};
	memcpy(p.pin_leds, "RGB", 4);
	return p;
}

static struct ls_canvas *random_canvas(const struct ls_config *cfg, unsigned seed)
{
	int w, h;
	struct ls_canvas *c;

	ls_panel_canvas_size(&cfg->panel, &w, &h);
	c = ls_canvas_new(w, h);
	srand(seed);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			ls_canvas_set(
			    c, x, y,
			    (struct ls_rgb){(uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand()});
	/* One white pixel: the reference for the brightest level. */
	ls_canvas_set(c, 0, 0, (struct ls_rgb){255, 255, 255});
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

static void decode(const char *path, const struct pm_panel *p, struct pm_image *view)
{
	char msg[256];
	struct pm_image board;
	struct pm_trace *t = pm_trace_load(path, msg, sizeof(msg));

	ASSERT_MSG(t, "%s", msg);
	ASSERT_MSG(pm_decode(t, p, 0, &board, msg, sizeof(msg)) == 0, "%s", msg);
	pm_view(p, &board, view);
	pm_image_free(&board);
	pm_trace_free(t);
}

/* CIE1931: the level a perceptually uniform 8-bit value should get. */
static int cie_level(int v, int planes)
{
	double l = v / 255.0 * 100.0;
	double y = l <= 8 ? l / 902.3 : pow((l + 16) / 116, 3);
	return (int)lround(y * ((1 << planes) - 1));
}

/* Every channel of every pixel shows the CIE level of the canvas value, read
 * as on-time relative to the white pixel at (0, 0). Returns white's share. */
static double assert_colours(const struct pm_image *view, const struct ls_canvas *c, int planes)
{
	int max = (1 << planes) - 1;
	double white = pm_at(view, 0, 0, 0);

	ASSERT_EQ_INT(view->w, c->width);
	ASSERT_EQ_INT(view->h, c->height);
	ASSERT_MSG(white > 0, "the white pixel is dark");
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++) {
			struct ls_rgb px = ls_canvas_get(c, x, y);
			const uint8_t v[3] = {px.r, px.g, px.b};
			for (int ch = 0; ch < 3; ch++) {
				double got = pm_at(view, x, y, ch) / white * max;
				int want = cie_level(v[ch], planes);
				ASSERT_MSG(
				    fabs(got - want) < 0.2,
				    "pixel (%d,%d) channel %d: level %.2f, want %d (value %d)", x,
				    y, ch, got, want, v[ch]);
			}
		}
	return white;
}

static double check_roundtrip(struct ls_config *cfg, unsigned seed)
{
	struct ls_canvas *c = random_canvas(cfg, seed);
	struct pm_panel p = model_of(cfg);
	struct pm_image view;
	double white;

	record(cfg, c);
	decode(cfg->output.path, &p, &view);
	white = assert_colours(&view, c, cfg->panel.bit_planes);
	pm_image_free(&view);
	ls_canvas_free(c);
	return white;
}

TEST(single_64x32_panel_shows_the_canvas_colours)
{
	struct ls_config cfg;

	hub75_config(&cfg, 64, 32, 1, 1, 3);
	check_roundtrip(&cfg, 1);
}

TEST(chain_of_six_panels_shows_the_canvas)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 16, 6, 1, 2);
	check_roundtrip(&cfg, 2);
}

TEST(two_rows_serpentine_chain_shows_the_canvas)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 16, 2, 2, 2);
	cfg.panel.layout = LS_LAYOUT_SERPENTINE;
	check_roundtrip(&cfg, 3);
}

TEST(three_parallel_chains_in_one_write_show_the_canvas)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 16, 2, 3, 2);
	cfg.panel.layout = LS_LAYOUT_PARALLEL;
	check_roundtrip(&cfg, 4);
}

TEST(sixty_four_row_panel_uses_five_address_lines)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 64, 1, 1, 1);
	check_roundtrip(&cfg, 5);
}

TEST(active_high_oe_shows_the_canvas)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 16, 1, 1, 2);
	cfg.panel.oe_active_low = false;
	cfg.panel.oe_given = true;
	check_roundtrip(&cfg, 6);
}

TEST(rotated_and_mirrored_boards_show_the_canvas_upright)
{
	static const int rotations[] = {90, 180, 270};

	for (int i = 0; i < 3; i++) {
		struct ls_config cfg;
		hub75_config(&cfg, 32, 16, 2, 2, 1);
		cfg.panel.layout = i == 1 ? LS_LAYOUT_PARALLEL : LS_LAYOUT_SERPENTINE;
		cfg.panel.rotate = rotations[i];
		cfg.panel.mirror_y = i == 0;
		check_roundtrip(&cfg, 7 + (unsigned)i);
	}
}

TEST(outdoor_quarter_scan_mapping_shows_the_canvas)
{
	struct ls_config cfg;

	hub75_config(&cfg, 32, 16, 3, 1, 2);
	snprintf(cfg.panel.mapping, sizeof(cfg.panel.mapping), "outdoor-4s");
	check_roundtrip(&cfg, 10);
}

TEST(colour_depth_gives_every_cie_level_from_one_to_eight_planes)
{
	for (int planes = 1; planes <= 8; planes++) {
		struct ls_config cfg;
		struct ls_canvas *c;
		struct pm_panel p;
		struct pm_image view;

		hub75_config(&cfg, 32, 16, 1, 1, planes);
		p = model_of(&cfg);
		c = ls_canvas_new(32, 16);
		/* A gradient over all 256 values in each channel. */
		for (int i = 0; i < 32 * 16; i++)
			c->px[i] = (struct ls_rgb){(uint8_t)(i / 2), (uint8_t)(255 - i / 2),
						   (uint8_t)(i * 7)};
		c->px[0] = (struct ls_rgb){255, 255, 255};
		record(&cfg, c);
		decode(cfg.output.path, &p, &view);
		assert_colours(&view, c, planes);
		pm_image_free(&view);
		ls_canvas_free(c);
	}
}

TEST(brightness_scales_the_on_time)
{
	struct ls_config cfg;
	double full, half;

	hub75_config(&cfg, 64, 32, 1, 1, 3);
	full = check_roundtrip(&cfg, 11);
	cfg.panel.brightness = 50;
	half = check_roundtrip(&cfg, 11);
	ASSERT_MSG(fabs(half / full - 0.5) < 0.02, "50%%: %.3f of full", half / full);
}

TEST(rgb_order_follows_the_pins)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;

	hub75_config(&cfg, 32, 16, 1, 1, 2);
	memcpy(cfg.panel.rgb_order, "RBG", 4);
	p = model_of(&cfg);
	memcpy(p.pin_leds, "RBG", 4); /* the G pin drives the blue LEDs */
	c = random_canvas(&cfg, 12);
	record(&cfg, c);
	decode(cfg.output.path, &p, &view);
	assert_colours(&view, c, 2);
	pm_image_free(&view);
	ls_canvas_free(c);
}

TEST(fm6126a_init_writes_both_registers)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	char msg[256];
	struct pm_trace *t;
	long reg1, reg2;

	hub75_config(&cfg, 64, 32, 1, 1, 1);
	cfg.panel.fm6126a = true;
	c = random_canvas(&cfg, 13);
	record(&cfg, c);
	p = model_of(&cfg);
	t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
	ASSERT_MSG(t, "%s", msg);
	pm_init_registers(t, &p, &reg1, &reg2);
	/* most significant bit first, as both public drivers write them (hub75.c) */
	ASSERT_EQ_INT(reg1, 0x7fff);
	ASSERT_EQ_INT(reg2, 0x0040);
	pm_trace_free(t);
	ls_canvas_free(c);
	check_roundtrip(&cfg, 13); /* and the picture still comes through */
}

TEST(writes_per_refresh_are_two_per_clock_plus_four_per_latched_row)
{
	for (int planes = 1; planes <= 6; planes += 5) {
		struct ls_config cfg;
		struct ls_canvas *c;
		char msg[256];
		struct pm_trace *t;
		long writes, bytes;

		hub75_config(&cfg, 64, 32, 1, 1, planes);
		c = random_canvas(&cfg, 14);
		record(&cfg, c);
		t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
		ASSERT_MSG(t, "%s", msg);
		pm_frame_ns(t, 0, &writes, &bytes);
		ASSERT_EQ_INT(writes, 16 * planes * (2 * 64 + 4));
		pm_trace_free(t);
		ls_canvas_free(c);
	}
}

TEST(config_names_the_missing_scan_setting)
{
	struct ls_config cfg;
	struct ls_error err = {""};

	hub75_config(&cfg, 64, 32, 1, 1, 1);
	cfg.panel.scan = 4;
	cfg.panel.scan_given = true;
	ASSERT(ls_panel_config_check(&cfg.panel, &err) == -1);
	ASSERT_CONTAINS(err.msg, "scan = 16");
}

/* A canvas whose red channel runs through all 256 values (16x16 pixels);
 * pixel (0, 0) is white. */
static struct ls_canvas *gradient(void)
{
	struct ls_canvas *c = ls_canvas_new(32, 16);

	for (int i = 0; i < 32 * 16; i++)
		c->px[i] = (struct ls_rgb){(uint8_t)(i % 256), 0, 0};
	c->px[0] = (struct ls_rgb){255, 255, 255};
	return c;
}

/* The number of planes n (1..max) whose CIE levels the decoded red channel
 * shows with on-times within 5 % of binary weights (absolute 0.05 of a level
 * for the dimmest); 0 when none does. */
static int planes_shown(const struct pm_image *view, const struct ls_canvas *c, int max)
{
	for (int n = max; n >= 1; n--) {
		double unit = pm_at(view, 0, 0, 0) / ((1 << n) - 1);
		int good = 1;
		for (int i = 0; i < c->width * c->height && good; i++) {
			int x = i % c->width, y = i / c->width, want = cie_level(c->px[i].r, n);
			double got = pm_at(view, x, y, 0) / unit;
			good = fabs(got - want) <= (want ? 0.05 * want : 0.05);
		}
		if (good)
			return n;
	}
	return 0;
}

TEST(dimmed_bit_planes_keep_binary_weights_and_a_monotonic_gradient)
{
	static const int levels[] = {100, 80, 50, 30, 20, 10, 5, 2, 1};
	char msg[256];

	for (int planes = 1; planes <= 8; planes++) {
		double full_white = 0, full_ns = 0;
		for (size_t li = 0; li < sizeof(levels) / sizeof(levels[0]); li++) {
			struct ls_config cfg;
			struct ls_canvas *c = gradient();
			struct pm_panel p;
			struct pm_image view;
			struct pm_trace *t;
			long writes, bytes;
			double ns, white, prev = -1;
			int shown;

			hub75_config(&cfg, 32, 16, 1, 1, planes);
			cfg.panel.brightness = levels[li];
			p = model_of(&cfg);
			record(&cfg, c);
			decode(cfg.output.path, &p, &view);
			t = pm_trace_load(cfg.output.path, msg, sizeof(msg));
			ASSERT_MSG(t, "%s", msg);
			ns = pm_frame_ns(t, 0, &writes, &bytes);
			pm_trace_free(t);
			/* the gradient never steps backwards */
			for (int v = 0; v < 256; v++) {
				double got = pm_at(&view, v % 32, v / 32, 0);
				if (v == 0)
					continue; /* the white reference pixel */
				ASSERT_MSG(got >= prev - 1e-12,
					   "%d planes at %d%%: value %d is darker than %d", planes,
					   levels[li], v, v - 1);
				prev = got;
			}
			shown = planes_shown(&view, c, planes);
			ASSERT_MSG(shown > 0, "%d planes at %d%%: on-times are not binary weighted",
				   planes, levels[li]);
			white = pm_at(&view, 0, 0, 0);
			if (levels[li] == 100) {
				ASSERT_EQ_INT(shown, planes);
				full_white = white, full_ns = ns;
			}
			ASSERT_MSG(fabs(white / full_white - levels[li] / 100.0) <=
				       0.05 * levels[li] / 100.0,
				   "%d planes at %d%%: white is %.4f of full", planes, levels[li],
				   white / full_white);
			/* dark time costs at most half the refresh rate, unless one plane is
			 * left to dim (then the brightness still holds, whatever it costs) */
			ASSERT_MSG(ns <= 1.5 * full_ns * 1.001 || shown == 1,
				   "%d planes at %d%%: a refresh takes %.2f times as long", planes,
				   levels[li], ns / full_ns);
			pm_image_free(&view);
			ls_canvas_free(c);
		}
	}
}

TEST(data_active_low_inverts_the_data_lines_and_the_header_says_so)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	struct pm_panel p;
	struct pm_image view;
	char line[512] = "";
	FILE *f;

	hub75_config(&cfg, 64, 32, 1, 1, 3);
	cfg.panel.data_active_low = true;
	cfg.panel.data_given = true;
	c = random_canvas(&cfg, 21);
	record(&cfg, c);
	p = model_of(&cfg);
	ASSERT(p.data_active_low);
	decode(cfg.output.path, &p, &view);
	assert_colours(&view, c, 3);
	pm_image_free(&view);
	f = fopen(cfg.output.path, "r");
	ASSERT(f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "panel ", 6))
		;
	fclose(f);
	ASSERT_CONTAINS(line, " data=low ");
	/* a panel of the usual kind would show the negative */
	p.data_active_low = 0;
	decode(cfg.output.path, &p, &view);
	ASSERT(pm_at(&view, 0, 0, 0) == 0);
	pm_image_free(&view);
	ls_canvas_free(c);
}

TEST(a_wrong_scan_suggests_only_settings_that_are_accepted)
{
	struct ls_config cfg;
	struct ls_error err = {""};

	hub75_config(&cfg, 64, 32, 1, 1, 1);
	cfg.panel.scan = 8;
	cfg.panel.scan_given = true;
	ASSERT(ls_panel_config_check(&cfg.panel, &err) == -1);
	ASSERT_CONTAINS(err.msg, "set scan = 16");
	ASSERT(!strstr(err.msg, "outdoor-4s"));
	/* on a 32x16 1/4-scan panel the outdoor mapping is the other fix, and it is accepted */
	hub75_config(&cfg, 32, 16, 1, 1, 1);
	cfg.panel.scan = 4;
	cfg.panel.scan_given = true;
	ASSERT(ls_panel_config_check(&cfg.panel, &err) == -1);
	ASSERT_CONTAINS(err.msg, "mapping = outdoor-4s");
	snprintf(cfg.panel.mapping, sizeof(cfg.panel.mapping), "outdoor-4s");
	ASSERT_MSG(ls_panel_config_check(&cfg.panel, &err) == 0, "%s", err.msg);
}

TEST(the_trace_header_names_the_rgb_order)
{
	struct ls_config cfg;
	struct ls_canvas *c;
	char line[512] = "";
	FILE *f;

	hub75_config(&cfg, 32, 16, 1, 1, 2);
	memcpy(cfg.panel.rgb_order, "GBR", 4);
	c = random_canvas(&cfg, 22);
	record(&cfg, c);
	f = fopen(cfg.output.path, "r");
	ASSERT(f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "panel ", 6))
		;
	fclose(f);
	ASSERT_CONTAINS(line, " rgb_order=GBR ");
	ls_canvas_free(c);
}
