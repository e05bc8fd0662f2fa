/*
 * panel/hub12.c: shift order of single-colour HUB12 ("P10") modules.
 *
 * A 32x16 module at 1/4 scan lights rows p, p+4, p+8, p+12 in phase p and takes
 * 128 bits per phase: for each 8-column group left to right, one byte per lit
 * row from the bottom one (p+12) up, leftmost pixel first. In general, with G =
 * height/scan rows per phase, pixel (x, y) is bit 8G*(x/8) + 8*(G-1 - y/scan) +
 * x%8 of the module in phase y%scan. Data is usually active low.
 */
#include <stdlib.h>

#include "internal.h"

int ls_hub12_build(struct ls_panel *p, struct ls_error *err)
{
	int s = p->cfg.scan, g_rows = p->cfg.module_height / s;
	int bpm = p->cfg.module_width * g_rows; /* bits per module per phase */

	p->n_addr = s;
	p->n_planes = 1;
	p->shift_len = bpm * p->chain_len;
	p->per_clock = p->groups;
	p->entry_line[0] = LS_LINE_R1;
	p->entry_line[1] = LS_LINE_R2;
	p->table = malloc(sizeof(*p->table) * (size_t)s * p->shift_len * p->per_clock);
	if (!p->table)
		return ls_error_set(err, "out of memory");
	for (int a = 0; a < s; a++)
		for (int i = 0; i < p->shift_len; i++)
			for (int g = 0; g < p->groups; g++) {
				/* The first bits of a phase go to the farthest module. */
				int pos = p->chain_len - 1 - i / bpm, q = i % bpm;
				int xg = q / (8 * g_rows), rem = q % (8 * g_rows);
				int lx = xg * 8 + rem % 8, ly = (g_rows - 1 - rem / 8) * s + a;
				p->table[((size_t)a * p->shift_len + i) * p->per_clock + g] =
				    ls_map_pixel(p, g, pos, lx, ly);
			}
	return 0;
}

uint32_t ls_hub12_clock(const struct ls_panel *p, const struct ls_canvas *c, int addr, int i)
{
	const int32_t *e = p->table + ((size_t)addr * p->shift_len + i) * p->per_clock;
	uint32_t v = 0;

	for (int g = 0; g < p->per_clock; g++) {
		int lit = e[g] >= 0 && ls_rgb_lit(c->px[e[g]]);
		if (lit != (int)p->cfg.data_active_low)
			v |= LS_BIT(p->entry_line[g]);
	}
	return v;
}
