/*
 * bench_encode.c: the per-frame cost of the panel encoder (canvas -> one full
 * refresh of line states), which runs on every rendered frame. Run under
 * callgrind by tests/bench_encode.sh, which counts the instructions between
 * the markers: `bench_encode BOARD FRAMES` encodes FRAMES frames of noise on
 * BOARD (hub12-192x16, hub12-384x32, hub75-64x32, hub75-128x64; HUB75 at 4 bit
 * planes) and prints the pixel count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "ledsign/panel.h"

static int board(const char *name, struct ls_panel_config *c)
{
	ls_panel_config_defaults(c);
	if (!strcmp(name, "hub12-192x16")) {
		c->chain = 6;
	} else if (!strcmp(name, "hub12-384x32")) {
		c->chain = 12;
		c->rows = 2;
	} else if (!strcmp(name, "hub75-64x32") || !strcmp(name, "hub75-128x64")) {
		c->type = LS_PANEL_HUB75;
		c->module_width = 64;
		c->module_height = 32;
		c->bit_planes = 4;
		c->chain = c->rows = name[6] == '1' ? 2 : 1;
	} else {
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ls_panel_config cfg;
	struct ls_panel_timing t = {LS_PANEL_WRITE_NS, 0};
	struct ls_error err;
	struct ls_panel *p;
	struct ls_program *prog;
	struct ls_canvas *c[2];
	int frames = argc > 2 ? atoi(argv[2]) : 100, w, h, r = 0;

	if (argc < 2 || board(argv[1], &cfg)) {
		fprintf(stderr, "usage: bench_encode "
				"hub12-192x16|hub12-384x32|hub75-64x32|hub75-128x64 [FRAMES]\n");
		return 2;
	}
	p = ls_panel_new(&cfg, &t, &err);
	if (!p) {
		fprintf(stderr, "bench_encode: %s\n", err.msg);
		return 1;
	}
	ls_panel_canvas_size(&cfg, &w, &h);
	prog = ls_panel_program_new(p);
	srand(1);
	for (int k = 0; k < 2; k++) { /* two frames of noise, alternating */
		c[k] = ls_canvas_new(w, h);
		for (int i = 0; i < w * h; i++)
			c[k]->px[i] =
			    (struct ls_rgb){(uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand()};
	}
	r |= ls_panel_encode(p, c[1], 100, prog); /* warm up outside the count */
	CALLGRIND_START_INSTRUMENTATION;
	for (int f = 0; f < frames; f++)
		r |= ls_panel_encode(p, c[f & 1], 100, prog);
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("encode");
	printf("%s %d %d\n", argv[1], w * h, frames);
	ls_canvas_free(c[0]);
	ls_canvas_free(c[1]);
	ls_program_free(prog);
	ls_panel_free(p);
	return r ? 1 : 0;
}
