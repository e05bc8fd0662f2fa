/*
 * bench_mmap.c: what the mmap transport (src/sys/transport/mmap.c) changes.
 *
 * For each board it encodes a frame twice with the real encoder, at gpiod's
 * timing (LS_PANEL_WRITE_NS a set) and at mmap's (LS_MMAP_WRITE_NS a set, two
 * register stores), and prints the sets per refresh, the register writes the
 * mmap transport makes for them and the nominal refresh rate of each. These
 * are counts and the encoder's time model: the write costs are the figures of
 * issue 20 for a Pi 4 (FIELD-NOTES for libgpiod; ~20 ns a store for
 * memory-mapped GPIO), not measured here, where there is no Pi.
 *
 * It then times the replay loop on this machine with ordinary memory standing
 * for the registers: the direct path the real device gets (stores inlined in
 * the loop) against the same code through register-access function pointers,
 * as tests drive it on the emulator. Times are context only (shared machine).
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

/* The program of one refresh at write_ns a set; NULL when the panel is refused. */
static struct ls_program *encode(const struct ls_panel_config *cfg, unsigned write_ns, double *hz,
				 struct ls_line_map *map)
{
	struct ls_panel_timing timing = {write_ns, 0};
	struct ls_error err = {""};
	struct ls_panel *p = ls_panel_new(cfg, &timing, &err);
	struct ls_program *prog;
	struct ls_canvas *c;

	if (!p) {
		fprintf(stderr, "bench_mmap: %s\n", err.msg);
		return NULL;
	}
	prog = ls_panel_program_new(p);
	c = noise(cfg);
	ls_panel_encode(p, c, 100, prog);
	*hz = 1e9 / ls_panel_program_ns(p, prog);
	if (map)
		ls_panel_line_map(p, map);
	ls_canvas_free(c);
	ls_panel_free(p);
	return prog;
}

static int row(const char *name, const struct ls_panel_config *cfg)
{
	double gpiod_hz, mmap_hz;
	struct ls_program *g = encode(cfg, LS_PANEL_WRITE_NS, &gpiod_hz, NULL);
	struct ls_program *m = encode(cfg, LS_MMAP_WRITE_NS, &mmap_hz, NULL);
	int rc = g && m ? 0 : 1;

	if (!rc)
		printf("%-34s %10zu %10.1f %10zu %10zu %10.1f%s\n", name, ls_program_writes(g),
		       gpiod_hz, ls_program_writes(m), 2 * ls_program_writes(m), mmap_hz,
		       mmap_hz < 120 ? "  (under 120 Hz)" : "");
	ls_program_free(g);
	ls_program_free(m);
	return rc;
}

/* Register access through function pointers onto ordinary memory. */
static uint32_t mem_read(void *ctx, unsigned word)
{
	return ((volatile uint32_t *)ctx)[word];
}

static void mem_write(void *ctx, unsigned word, uint32_t v)
{
	((volatile uint32_t *)ctx)[word] = v;
}

static void no_hold(void *ctx, uint32_t ns)
{
	(void)ctx;
	(void)ns;
}

/* ns per set replaying prog (its holds dropped, so only the writes count). */
static double replay_ns(struct ls_transport *t, const struct ls_program *prog)
{
	int reps = 0;
	double t0 = now_s();

	do
		ls_transport_play(t, prog);
	while (++reps < 5 || now_s() - t0 < 0.3);
	return (now_s() - t0) / reps * 1e9 / (double)ls_program_writes(prog);
}

static int replay(const struct ls_panel_config *cfg)
{
	static uint32_t block[1024], block2[1024];
	struct ls_line_map map;
	struct ls_error err = {""};
	double hz;
	struct ls_program *prog = encode(cfg, LS_MMAP_WRITE_NS, &hz, &map);
	struct ls_bcm_regs regs = {mem_read, mem_write, no_hold, block2};
	struct ls_transport *direct, *indirect;
	size_t kept = 0;

	if (!prog)
		return 1;
	for (size_t i = 0; i < prog->n_ops; i++)
		if (prog->ops[i].kind == LS_OP_SET)
			prog->ops[kept++] = prog->ops[i];
	prog->n_ops = kept;
	direct = ls_transport_open_bcm_memory(block, &map, &err);
	indirect = ls_transport_open_bcm(&regs, &map, &err);
	if (!direct || !indirect) {
		fprintf(stderr, "bench_mmap: %s\n", err.msg);
		return 1;
	}
	printf("replay of a HUB12 384x32 refresh (%zu sets) into ordinary memory, this machine:\n"
	       "  direct stores (the /dev/gpiomem path)  %6.2f ns per set\n"
	       "  through register-access pointers      %6.2f ns per set\n",
	       kept, replay_ns(direct, prog), replay_ns(indirect, prog));
	ls_transport_close(direct);
	ls_transport_close(indirect);
	ls_program_free(prog);
	return 0;
}

int main(void)
{
	struct ls_panel_config h12, h75;
	int rc = 0;

	ls_panel_config_defaults(&h12);
	ls_panel_config_defaults(&h75);
	h75.type = LS_PANEL_HUB75;
	h75.module_width = 64;
	h75.module_height = 32;
	h75.bit_planes = 4;

	printf("mmap vs gpiod: %u ns a set through libgpiod (Pi 4, FIELD-NOTES), %u ns a set "
	       "as two ~20 ns register stores (Pi 4, issue 20)\n",
	       LS_PANEL_WRITE_NS, LS_MMAP_WRITE_NS);
	printf("%-34s %10s %10s %10s %10s %10s\n", "board", "gpiod sets", "gpiod Hz", "mmap sets",
	       "mmap regs", "mmap Hz");
	h12.chain = 6;
	rc |= row("HUB12 192x16 (6x1)", &h12);
	h12.chain = 12;
	rc |= row("HUB12 384x16 (12x1)", &h12);
	h12.chain = 6;
	h12.rows = 2;
	rc |= row("HUB12 192x32 (6x2 serpentine)", &h12);
	h12.chain = 12;
	rc |= row("HUB12 384x32 (12x2 serpentine)", &h12);
	h12.layout = LS_LAYOUT_PARALLEL;
	rc |= row("HUB12 384x32 (12x2 parallel)", &h12);
	rc |= row("HUB75 64x32 4 planes", &h75);
	h75.chain = 3;
	rc |= row("HUB75 192x32 (3 panels) 4 planes", &h75);
	h75.chain = 1;
	h75.module_width = 128;
	h75.module_height = 64;
	rc |= row("HUB75 128x64 4 planes", &h75);
	h12.layout = LS_LAYOUT_SERPENTINE;
	rc |= replay(&h12);
	return rc;
}
