/*
 * panel/hub75.c: shift order, colour depth and init sequence of HUB75 RGB panels.
 *
 * Direct mapping (double scan): address r drives row r on R1/G1/B1 and row
 * r + height/2 on R2/G2/B2; a row's columns shift in left column first, so the
 * first bit ends up leftmost. The outdoor 1/4-scan mapping ("outdoor-4s", the
 * common 32x16 P10 RGB) drives four rows per address: its shift register is
 * twice as long and alternates 8-pixel runs of two rows four apart (the
 * "ZStripe" layout of rpi-rgb-led-matrix). Colour depth is binary code
 * modulation: bit plane b of a CIE1931-corrected level is shown for lsb * 2^b.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void build_channels(struct ls_panel *p)
{
	for (int k = 0; k < 3; k++)
		p->chan[k] = (int)(strchr("RGB", p->cfg.rgb_order[k]) - "RGB");
}

/* CIE1931 lightness to luminance: perceived steps become equal steps. One
 * table per plane count up to the configured one, since a dimmed refresh may
 * show fewer planes (frame.c), and the same levels as plane bits on their pins
 * for the encoder (pin k carries canvas channel chan[k]). */
static void build_levels(struct ls_panel *p)
{
	for (int n = 1; n <= p->n_planes; n++)
		for (int v = 0; v < 256; v++) {
			double l = v * 100.0 / 255.0;
			double y = l <= 8.0 ? l / 902.3 : pow((l + 16.0) / 116.0, 3.0);
			uint64_t spread = 0, slots = 0;
			p->level[n - 1][v] = (uint8_t)lround(y * ((1 << n) - 1));
			for (int b = 0; b < n; b++) {
				uint64_t bit = (p->level[n - 1][v] >> b) & 1;
				spread |= bit << (8 * b);
				if (n <= 4)
					slots |= bit << (16 * b + LS_LINE_R1);
			}
			for (int k = 0; k < 3; k++) {
				p->pin_bits[n - 1][p->chan[k]][v] = spread << k;
				if (n <= 4)
					p->pin_slots[n - 1][p->chan[k]][v] = slots << k;
			}
		}
}

/* Module-local pixel shown at shift position q of address a, half h. */
static void local_xy(const struct ls_panel *p, int a, int h, int q, int *lx, int *ly)
{
	int half = p->cfg.module_height / 2, s = p->cfg.scan;

	if (strcmp(p->cfg.mapping, "outdoor-4s")) {
		*lx = q;
		*ly = a + h * half;
		return;
	}
	/* 16 shift positions cover two 8-pixel runs: row y (first run) and
	 * row y + scan (second run), of the same 8 columns. */
	int block = q / 16, within = q % 16, my = a + h * s;
	*lx = block * 8 + within % 8;
	*ly = (my / s) * (2 * s) + (within >= 8 ? s : 0) + my % s;
}

int ls_hub75_build(struct ls_panel *p, struct ls_error *err)
{
	int fold = p->cfg.module_height / 2 / p->cfg.scan; /* rows per half per address */
	int spm = p->cfg.module_width * fold;		   /* shift positions per module */

	p->n_addr = p->cfg.scan;
	p->n_planes = p->cfg.bit_planes;
	p->shift_len = spm * p->chain_len;
	p->per_clock = 2 * p->groups;
	for (int g = 0; g < p->groups; g++)
		for (int h = 0; h < 2; h++)
			p->entry_line[2 * g + h] =
			    (uint32_t)(g ? LS_LINE_P2_R1 + 6 * (g - 1) : LS_LINE_R1) + 3u * h;
	build_channels(p);
	build_levels(p);
	p->table = malloc(sizeof(*p->table) * (size_t)p->n_addr * p->shift_len * p->per_clock);
	if (!p->table)
		return ls_error_set(err, "out of memory");
	for (int a = 0; a < p->n_addr; a++)
		for (int i = 0; i < p->shift_len; i++)
			for (int e = 0; e < p->per_clock; e++) {
				int pos = p->chain_len - 1 - i / spm, lx, ly;
				local_xy(p, a, e % 2, i % spm, &lx, &ly);
				p->table[((size_t)a * p->shift_len + i) * p->per_clock + e] =
				    ls_map_pixel(p, e / 2, pos, lx, ly);
			}
	return 0;
}

/* FM6126A drivers start dark until two configuration registers are written.
 * The chip counts the clocks that LAT is high for: 3 latch the data, 11
 * write register 1, 12 register 2 (the datasheet's instruction table, as
 * translated in hzeller/rpi-rgb-led-matrix#746; "6-bit current gain" and
 * "register configuration" in pixelmatix/SmartMatrix#78). A register takes
 * the last 16 bits shifted, most significant first (bit 15 is shifted first),
 * as in both public drivers: rpi-rgb-led-matrix (lib/framebuffer.cc,
 * InitFM6126: "0111111111111111" = 0x7fff "full bright", "0000000001000000" =
 * 0x0040 "panel on", first character first) and ESP32-HUB75-MatrixPanel-DMA
 * (src/ESP32-HUB75-MatrixPanel-leddrivers.cpp: REG1 0x07e0, the six gain
 * bits; REG2 0x0040, "a single bit enables the matrix output"). They agree
 * on REG2; for REG1 ledsign takes rpi-rgb-led-matrix's all-ones gain. The
 * register table of the datasheet itself is not public in English. The same
 * word goes to every driver on every data line, with address line A high. */
static int write_register(const struct ls_panel *p, struct ls_program *out, unsigned word,
			  int lat_clocks)
{
	uint32_t on = p->data_mask | LS_BIT(LS_LINE_A), off = LS_BIT(LS_LINE_A);
	uint32_t mask =
	    p->data_mask | LS_BIT(LS_LINE_A) | LS_BIT(LS_LINE_LAT) | LS_BIT(LS_LINE_CLK);
	int r = 0;

	for (int i = 0; i < p->shift_len; i++) {
		/* Counting back from the end, so the chain's last 16 bits are the word. */
		int bit = (p->shift_len - 1 - i) % 16;
		uint32_t v = (word >> bit) & 1 ? on : off;
		if (i >= p->shift_len - lat_clocks)
			v |= LS_BIT(LS_LINE_LAT);
		r |= ls_program_set(out, mask, v);
		r |= ls_program_set(out, LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_CLK));
	}
	r |= ls_program_set(out, LS_BIT(LS_LINE_LAT), 0);
	return r;
}

int ls_hub75_fm6126a(const struct ls_panel *p, struct ls_program *out)
{
	if (write_register(p, out, LS_FM6126A_REG1, 11))
		return -1;
	return write_register(p, out, LS_FM6126A_REG2, 12);
}
