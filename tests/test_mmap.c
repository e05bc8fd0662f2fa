/*
 * The mmap transport (src/sys/transport/mmap.c): its code run on an emulated
 * BCM GPIO block (bcm_emu.c) and on a file standing for /dev/gpiomem. What it
 * drives is decoded by the independent panel model (panel_model.c) and must
 * light exactly the LEDs the record transport's trace of the same frame does.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bcm_emu.h"
#include "harness.h"
#include "panel_model.h"

#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/transport.h"

#define GPSET0 7
#define GPCLR0 10

static struct ls_line_map small_map(void)
{
	struct ls_line_map m;

	memset(&m, 0, sizeof(m));
	for (int r = 0; r < LS_LINE_COUNT; r++)
		m.offset[r] = -1;
	m.offset[LS_LINE_OE] = 24;
	m.offset[LS_LINE_CLK] = 11;
	m.offset[LS_LINE_R1] = 10;
	m.initial = LS_BIT(LS_LINE_OE); /* OE active low: high is off */
	snprintf(m.describe, sizeof(m.describe), "test");
	return m;
}

static uint32_t gpio(int n)
{
	return UINT32_C(1) << n;
}

static struct ls_transport *open_on(struct bcm_emu *e, const struct ls_line_map *m)
{
	struct ls_bcm_regs regs = bcm_emu_regs(e);
	struct ls_error err = {""};
	struct ls_transport *t = ls_transport_open_bcm(&regs, m, &err);

	ASSERT_MSG(t, "%s", err.msg);
	return t;
}

TEST(open_makes_used_pins_outputs_at_their_initial_levels)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_transport *t = open_on(e, &m);

	for (int g = 0; g < 32; g++)
		ASSERT_EQ_INT(bcm_emu_function(e, g), g == 24 || g == 11 || g == 10);
	ASSERT_EQ_INT(bcm_emu_levels(e), gpio(24));
	ASSERT_EQ_INT(bcm_emu_stray_writes(e), 0);
	ls_transport_close(t);
	bcm_emu_free(e);
}

TEST(set_writes_gpset_for_lines_going_high_and_gpclr_for_lines_going_low)
{
	struct ls_line_map m = small_map();
	uint32_t block[64] = {0};
	struct ls_error err = {""};
	struct ls_transport *t = ls_transport_open_bcm_memory(block, &m, &err);

	ASSERT_MSG(t, "%s", err.msg);
	ASSERT(ls_transport_set(t, LS_BIT(LS_LINE_CLK) | LS_BIT(LS_LINE_R1), LS_BIT(LS_LINE_R1)) ==
	       0);
	ASSERT_EQ_INT(block[GPSET0], gpio(10));
	ASSERT_EQ_INT(block[GPCLR0], gpio(11));
	/* A set with nothing going low still writes GPCLR0 (with 0): every set
	 * costs the same two writes the encoder's timing counts. */
	ASSERT(ls_transport_set(t, LS_BIT(LS_LINE_OE), LS_BIT(LS_LINE_OE)) == 0);
	ASSERT_EQ_INT(block[GPSET0], gpio(24));
	ASSERT_EQ_INT(block[GPCLR0], 0);
	ls_transport_close(t);
}

TEST(emulated_lines_change_only_where_the_mask_says)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_transport *t = open_on(e, &m);

	ls_transport_set(t, LS_BIT(LS_LINE_R1) | LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_R1));
	ASSERT_EQ_INT(bcm_emu_levels(e), gpio(24) | gpio(10));
	ls_transport_set(t, LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_CLK));
	ASSERT_EQ_INT(bcm_emu_levels(e), gpio(24) | gpio(10) | gpio(11));
	ls_transport_set(t, LS_BIT(LS_LINE_OE) | LS_BIT(LS_LINE_R1), 0);
	ASSERT_EQ_INT(bcm_emu_levels(e), gpio(11));
	ASSERT_EQ_INT(bcm_emu_writes(e), 2 + 3 * 2); /* the initial levels, then 2 per set */
	ls_transport_close(t);
	bcm_emu_free(e);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	ASSERT(f);
	ASSERT(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

TEST(the_register_that_moves_oe_is_written_first)
{
	struct ls_line_map m = small_map();
	char path[4200];
	struct bcm_emu *e;
	struct ls_transport *t;
	char *text;

	snprintf(path, sizeof(path), "%s/order.trace", th_tmpdir());
	e = bcm_emu_new(&m, path, 20);
	t = open_on(e, &m);
	bcm_emu_begin(e, "frame", 1);
	ls_transport_set(t, LS_BIT(LS_LINE_OE) | LS_BIT(LS_LINE_R1),
			 LS_BIT(LS_LINE_R1)); /* OE on */
	ls_transport_set(t, LS_BIT(LS_LINE_OE) | LS_BIT(LS_LINE_R1), LS_BIT(LS_LINE_OE)); /* off */
	ls_transport_hold(t, 700);
	bcm_emu_end(e);
	ls_transport_close(t);
	bcm_emu_free(e);
	text = slurp(path);
	ASSERT_CONTAINS(text, "begin frame 1\n"
			      "0 set 0x00000001 0x00000000\n1 set 0x00000100 0x00000100\n"
			      "2 set 0x00000001 0x00000001\n3 set 0x00000100 0x00000000\n"
			      "4 hold 700\nend\n");
	free(text);
}

TEST(close_leaves_oe_inactive_and_the_pins_inputs)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_transport *t = open_on(e, &m);

	ls_transport_set(t, LS_BIT(LS_LINE_OE) | LS_BIT(LS_LINE_R1), LS_BIT(LS_LINE_R1));
	ASSERT_EQ_INT(bcm_emu_levels(e) & gpio(24), 0); /* lit */
	ls_transport_close(t);
	for (int g = 0; g < 32; g++)
		ASSERT_EQ_INT(bcm_emu_function(e, g), 0);
	/* The latch keeps OE's last driven level: inactive (high). */
	bcm_emu_set_function(e, 24, 1);
	ASSERT_EQ_INT(bcm_emu_levels(e) & gpio(24), gpio(24));
	bcm_emu_free(e);
}

TEST(pin_held_by_another_function_is_refused)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_bcm_regs regs = bcm_emu_regs(e);
	struct ls_error err = {""};

	bcm_emu_set_function(e, 10, 4); /* ALT0: SPI0 MOSI */
	ASSERT(ls_transport_open_bcm(&regs, &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "[pins] r1: GPIO 10 is set to ALT0");
	ASSERT_EQ_INT(bcm_emu_function(e, 24), 0); /* nothing was changed */
	bcm_emu_free(e);
}

TEST(pin_beyond_bank_zero_is_refused)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_bcm_regs regs = bcm_emu_regs(e);
	struct ls_error err = {""};

	m.offset[LS_LINE_LAT] = 40;
	ASSERT(ls_transport_open_bcm(&regs, &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "[pins] lat: GPIO 40 is beyond GPIO 0..31");
	bcm_emu_free(e);
}

TEST(play_refuses_spi_operations)
{
	struct ls_line_map m = small_map();
	struct bcm_emu *e = bcm_emu_new(&m, NULL, 20);
	struct ls_transport *t = open_on(e, &m);
	struct ls_program *p = ls_program_new(4, 4);
	const uint8_t b[] = {0xff};

	ls_program_spi(p, b, 1);
	ASSERT_EQ_INT(ls_transport_play(t, p), -1);
	ls_program_free(p);
	ls_transport_close(t);
	bcm_emu_free(e);
}

/* The spin loop is calibrated against the clock: a hold lasts about its time. */
TEST(holds_last_their_time)
{
	struct ls_line_map m = small_map();
	uint32_t block[64] = {0};
	struct ls_error err = {""};
	struct ls_transport *t = ls_transport_open_bcm_memory(block, &m, &err);
	const uint32_t ns[] = {20000, 80000, 1000000};

	ASSERT_MSG(t, "%s", err.msg);
	for (int i = 0; i < 3; i++) {
		struct timespec a, b;
		double took;
		clock_gettime(CLOCK_MONOTONIC, &a);
		ls_transport_hold(t, ns[i]);
		clock_gettime(CLOCK_MONOTONIC, &b);
		took = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
		/* Loose bounds: the machine is shared; a wrong unit is off by 1000x. */
		ASSERT_MSG(took > 0.5 * ns[i] && took < 10.0 * ns[i] + 2e6, "hold %u took %.0f ns",
			   ns[i], took);
	}
	ls_transport_close(t);
}

static const char *write_file(const char *name, const void *data, size_t n)
{
	static char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", th_tmpdir(), name);
	f = fopen(path, "wb");
	ASSERT(f);
	ASSERT(fwrite(data, 1, n, f) == n);
	fclose(f);
	return path;
}

static void assert_falls_back(const char *compatible, size_t n, const char *device, const char *why)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};
	char compat_path[4200];
	struct ls_gpiomem_paths paths = {device, compat_path};

	snprintf(compat_path, sizeof(compat_path), "%s",
		 compatible ? write_file("compatible", compatible, n) : "/nonexistent/compatible");
	ASSERT(ls_transport_open_mmap(&paths, &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, why);
}

static const char pi4[] = "raspberrypi,4-model-b\0brcm,bcm2711";

TEST(fallback_reasons_name_what_is_missing)
{
	static const char pi5[] = "raspberrypi,5-model-b\0brcm,bcm2712";
	static const char bbb[] = "ti,am335x-bone-black\0ti,am33xx";

	assert_falls_back(NULL, 0, "/dev/null", "cannot read /nonexistent/compatible");
	assert_falls_back(pi5, sizeof(pi5), "/dev/null", "Raspberry Pi 5 (bcm2712)");
	assert_falls_back(pi5, sizeof(pi5), "/dev/null", "RP1");
	assert_falls_back(bbb, sizeof(bbb), "/dev/null",
			  "names no BCM2835/2836/2837/2711 SoC (it says: ti,am335x-bone-black");
	assert_falls_back(pi4, sizeof(pi4), "/nonexistent/gpiomem",
			  "cannot open /nonexistent/gpiomem: No such file or directory");
}

/* A 4 KiB file maps like /dev/gpiomem: the real open path, register by register. */
TEST(a_file_standing_for_gpiomem_is_mapped_and_driven)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};
	static uint32_t zero[1024];
	char dev[4200], compat[4200];
	struct ls_gpiomem_paths paths = {dev, compat};
	struct ls_transport *t;
	uint32_t regs[16];
	FILE *f;

	snprintf(dev, sizeof(dev), "%s", write_file("gpiomem", zero, sizeof(zero)));
	snprintf(compat, sizeof(compat), "%s", write_file("compatible", pi4, sizeof(pi4)));
	t = ls_transport_open_mmap(&paths, &m, &err);
	ASSERT_MSG(t, "%s", err.msg);
	ls_transport_set(t, LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_CLK));
	f = fopen(dev, "rb");
	ASSERT(fread(regs, 4, 16, f) == 16);
	fclose(f);
	ASSERT_EQ_INT(regs[1], 1u << 0 | 1u << 3); /* GPFSEL1: GPIO 10 and 11 output */
	ASSERT_EQ_INT(regs[2], 1u << 12);	   /* GPFSEL2: GPIO 24 output */
	ASSERT_EQ_INT(regs[GPSET0], gpio(11));
	ls_transport_close(t);
	f = fopen(dev, "rb");
	ASSERT(fread(regs, 4, 16, f) == 16);
	fclose(f);
	ASSERT_EQ_INT(regs[1], 0);
	ASSERT_EQ_INT(regs[2], 0);
	ASSERT_EQ_INT(regs[GPSET0], gpio(24)); /* the last write: OE off */
}

TEST(mmap_output_without_gpiomem_falls_back_to_gpiod)
{
	struct ls_config cfg;
	struct ls_error err = {""};

	ls_config_defaults(&cfg);
	cfg.output.type = LS_OUTPUT_MMAP;
	snprintf(cfg.output.chip, sizeof(cfg.output.chip), "/dev/gpiochip-missing");
	/* No Raspberry Pi here: the gpiod transport is tried, and names its chip. */
	ASSERT(ls_output_open(&cfg, 192, 16, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "/dev/gpiochip-missing");
}

TEST(mmap_timing_is_two_register_writes_per_set)
{
	struct ls_config cfg;

	ls_config_defaults(&cfg);
	cfg.output.type = LS_OUTPUT_MMAP;
	ASSERT_EQ_INT(ls_config_panel_timing(&cfg).write_ns, 40);
	cfg.output.type = LS_OUTPUT_RECORD;
	snprintf(cfg.output.record_as, sizeof(cfg.output.record_as), "mmap");
	ASSERT_EQ_INT(ls_config_panel_timing(&cfg).write_ns, LS_MMAP_WRITE_NS);
}

/* One frame, through the record transport and through the mmap transport on
 * the emulator; both traces decoded by the panel model. */
struct both {
	struct pm_image rec, emu;
	unsigned long emu_writes;
	size_t sets;
};

static void play_block(struct ls_transport *t, struct bcm_emu *e, const char *kind,
		       const struct ls_program *p)
{
	if (e)
		bcm_emu_begin(e, kind, kind[0] == 'f');
	else
		ls_transport_begin(t, kind, kind[0] == 'f');
	ASSERT(ls_transport_play(t, p) == 0);
	if (e)
		bcm_emu_end(e);
	else
		ls_transport_end(t);
}

static void decode(const char *path, const struct pm_panel *pp, struct pm_image *view)
{
	char msg[256];
	struct pm_image board;
	struct pm_trace *t = pm_trace_load(path, msg, sizeof(msg));

	ASSERT_MSG(t, "%s", msg);
	ASSERT_MSG(pm_decode(t, pp, 0, &board, msg, sizeof(msg)) == 0, "%s", msg);
	pm_view(pp, &board, view);
	pm_image_free(&board);
	pm_trace_free(t);
}

static void run_both(const struct ls_panel_config *pc, const struct ls_canvas *c,
		     const struct pm_panel *pp, struct both *out)
{
	struct ls_panel_timing timing = {LS_MMAP_WRITE_NS, 0};
	struct ls_error err = {""};
	struct ls_panel *p = ls_panel_new(pc, &timing, &err);
	struct ls_program *init, *frame;
	struct ls_line_map map;
	char rec[4200], emu[4200];
	struct ls_transport *t;
	struct bcm_emu *e;

	ASSERT_MSG(p, "%s", err.msg);
	ls_panel_line_map(p, &map);
	init = ls_panel_program_new(p);
	frame = ls_panel_program_new(p);
	ASSERT(ls_panel_encode_init(p, init) == 0 && ls_panel_encode(p, c, 100, frame) == 0);
	snprintf(rec, sizeof(rec), "%s/record.trace", th_tmpdir());
	snprintf(emu, sizeof(emu), "%s/mmap.trace", th_tmpdir());
	t = ls_transport_open_record(rec, &map, &err);
	ASSERT_MSG(t, "%s", err.msg);
	play_block(t, NULL, "init", init);
	play_block(t, NULL, "frame", frame);
	ls_transport_close(t);
	/* The emulator traces each register write: half a set's nominal time. */
	e = bcm_emu_new(&map, emu, LS_MMAP_WRITE_NS / 2);
	t = open_on(e, &map);
	play_block(t, e, "init", init);
	play_block(t, e, "frame", frame);
	out->emu_writes = bcm_emu_writes(e);
	out->sets = ls_program_writes(init) + ls_program_writes(frame);
	ls_transport_close(t);
	bcm_emu_free(e);
	decode(rec, pp, &out->rec);
	decode(emu, pp, &out->emu);
	ls_program_free(init);
	ls_program_free(frame);
	ls_panel_free(p);
}

static void assert_same_leds(const struct both *b)
{
	double max = 0;

	ASSERT_EQ_INT(b->emu_writes, 2 + 2 * b->sets);
	ASSERT_EQ_INT(b->rec.w, b->emu.w);
	ASSERT_EQ_INT(b->rec.h, b->emu.h);
	for (int y = 0; y < b->rec.h; y++)
		for (int x = 0; x < b->rec.w; x++)
			for (int ch = 0; ch < 3; ch++) {
				double r = pm_at(&b->rec, x, y, ch), m = pm_at(&b->emu, x, y, ch);
				ASSERT_MSG(r == m, "LED (%d,%d) channel %d: record %.6f, mmap %.6f",
					   x, y, ch, r, m);
				max = r > max ? r : max;
			}
	ASSERT_MSG(max > 0.01, "the board stays dark");
}

static struct ls_canvas *random_canvas(const struct ls_panel_config *pc, int colours)
{
	int w, h;
	struct ls_canvas *c;

	ls_panel_canvas_size(pc, &w, &h);
	c = ls_canvas_new(w, h);
	srand(7);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			ls_canvas_set(c, x, y,
				      colours ? (struct ls_rgb){(uint8_t)rand(), (uint8_t)rand(),
								(uint8_t)rand()}
					      : (struct ls_rgb){rand() % 2 ? 255 : 0, 0, 0});
	return c;
}

TEST(hub12_frame_lights_the_same_leds_as_the_record_transport)
{
	struct ls_panel_config pc;
	struct pm_panel pp = {.module_w = 32, .module_h = 16, .scan = 4, .rows = 2};
	struct ls_canvas *c;
	struct both b;

	ls_panel_config_defaults(&pc);
	pc.chain = pp.chain = 3;
	pc.rows = 2;
	pp.data_active_low = pc.data_active_low;
	pp.oe_active_low = pc.oe_active_low;
	c = random_canvas(&pc, 0);
	run_both(&pc, c, &pp, &b);
	assert_same_leds(&b);
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++)
			ASSERT_EQ_INT(pm_at(&b.emu, x, y, 0) > 0.01,
				      ls_rgb_lit(ls_canvas_get(c, x, y)));
	pm_image_free(&b.rec);
	pm_image_free(&b.emu);
	ls_canvas_free(c);
}

TEST(hub75_frame_lights_the_same_leds_as_the_record_transport)
{
	struct ls_panel_config pc;
	struct pm_panel pp = {.hub75 = 1,
			      .module_w = 64,
			      .module_h = 32,
			      .scan = 16,
			      .chain = 1,
			      .rows = 1,
			      .oe_active_low = 1,
			      .pin_leds = "RGB"};
	struct ls_canvas *c;
	struct both b;

	ls_panel_config_defaults(&pc);
	pc.type = LS_PANEL_HUB75;
	pc.module_width = 64;
	pc.module_height = 32;
	pc.chain = 1;
	pc.bit_planes = 4;
	c = random_canvas(&pc, 1);
	run_both(&pc, c, &pp, &b);
	assert_same_leds(&b);
	pm_image_free(&b.rec);
	pm_image_free(&b.emu);
	ls_canvas_free(c);
}

TEST(refresh_estimate_suggests_mmap_under_120_hz_and_states_its_rate)
{
	struct ls_config cfg;
	struct ls_refresh_estimate e;
	struct ls_error err = {""};

	/* 12x2 P10 modules on one chain: 35 Hz over gpiod, 1017 Hz over mmap. */
	ls_config_defaults(&cfg);
	cfg.panel.chain = 12;
	cfg.panel.rows = 2;
	cfg.output.type = LS_OUTPUT_GPIOD;
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	ASSERT(e.hz < LS_REFRESH_MIN_HZ);
	ASSERT_CONTAINS(e.advice,
			"[output] type = mmap (Raspberry Pi 1-4, WIRING.md) gives 1017 Hz");
	/* record_as = mmap: the rate at the mmap transport's timing. */
	cfg.output.type = LS_OUTPUT_RECORD;
	snprintf(cfg.output.record_as, sizeof(cfg.output.record_as), "mmap");
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	ASSERT_EQ_INT(e.write_ns, LS_MMAP_WRITE_NS);
	ASSERT_EQ_INT(e.writes, 24592);
	ASSERT(fabs(e.hz - 1e9 / (24592 * 40.0)) < 1);
	ASSERT_EQ_STR(e.advice, "");
	/* type = mmap: that rate where the registers can be driven, else gpiod's,
	 * which the service falls back to (and no advice to use mmap). */
	cfg.output.type = LS_OUTPUT_MMAP;
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	if (ls_config_mmap_usable(&cfg, R_OK | W_OK, NULL) == 0) {
		ASSERT_EQ_INT(e.write_ns, LS_MMAP_WRITE_NS);
	} else {
		ASSERT_EQ_INT(e.write_ns, LS_PANEL_WRITE_NS);
		ASSERT(!strstr(e.advice, "type = mmap"));
	}
}

TEST(usable_says_why_before_anything_is_mapped)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};
	char dev[4200], compat[4200];
	struct ls_gpiomem_paths paths = {dev, compat};

	static const char pi2_old_kernel[] = "raspberrypi,2-model-b\0brcm,bcm2709";

	snprintf(compat, sizeof(compat), "%s", write_file("compatible", pi4, sizeof(pi4)));
	snprintf(dev, sizeof(dev), "%s", write_file("gpiomem", "", 0));
	ASSERT_MSG(ls_gpiomem_usable(&paths, &m, R_OK | W_OK, &err) == 0, "%s", err.msg);
	write_file("compatible", pi2_old_kernel, sizeof(pi2_old_kernel));
	ASSERT_MSG(ls_gpiomem_usable(&paths, &m, 0, &err) == 0, "%s", err.msg);
	m.offset[LS_LINE_A] = 33;
	ASSERT(ls_gpiomem_usable(&paths, &m, 0, &err) == -1);
	ASSERT_CONTAINS(err.msg, "[pins] a: GPIO 33 is beyond GPIO 0..31");
	m.offset[LS_LINE_A] = -1;
	snprintf(dev, sizeof(dev), "%s/none", th_tmpdir());
	ASSERT(ls_gpiomem_usable(&paths, &m, 0, &err) == -1);
	ASSERT_CONTAINS(err.msg, "the kernel has no gpiomem driver");
	paths.compatible = "/nonexistent/compatible";
	ASSERT(ls_gpiomem_usable(&paths, &m, 0, &err) == -1);
	ASSERT_CONTAINS(err.msg, "cannot read /nonexistent/compatible");
}
