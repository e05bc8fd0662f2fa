/*
 * panel/map.c: where each module sits on the board and how a board pixel
 * reaches the logical canvas. Viewed from the front, data flows right to left:
 * the controller's cable enters the rightmost module of a chain, so the first
 * bits shifted end up in the leftmost (farthest) module. A serpentine chain
 * turns at the left end and runs back along the next row with the modules
 * mounted upside down; parallel rows each have their own data line(s).
 */
#include <stdlib.h>

#include "internal.h"

void ls_map_module(const struct ls_panel *p, int g, int chain_pos, int *x0, int *y0, int *rot180)
{
	int m = p->cfg.chain, row, k;

	if (p->cfg.layout == LS_LAYOUT_PARALLEL) {
		*x0 = (m - 1 - chain_pos) * p->cfg.module_width;
		*y0 = g * p->cfg.module_height;
		*rot180 = 0;
		return;
	}
	row = chain_pos / m;
	k = chain_pos % m;
	*rot180 = row % 2;
	*x0 = (*rot180 ? k : m - 1 - k) * p->cfg.module_width;
	*y0 = row * p->cfg.module_height;
}

/* Board (physical) to canvas (as the viewer sees it): rotate clockwise, then mirror. */
static int32_t board_to_canvas(const struct ls_panel *p, int bx, int by)
{
	int w = p->board_w, h = p->board_h, cx, cy;

	switch (p->cfg.rotate) {
	case 90:
		cx = h - 1 - by, cy = bx;
		break;
	case 180:
		cx = w - 1 - bx, cy = h - 1 - by;
		break;
	case 270:
		cx = by, cy = w - 1 - bx;
		break;
	default:
		cx = bx, cy = by;
		break;
	}
	if (p->cfg.mirror_x)
		cx = p->canvas_w - 1 - cx;
	if (p->cfg.mirror_y)
		cy = p->canvas_h - 1 - cy;
	return (int32_t)cy * p->canvas_w + cx;
}

int32_t ls_map_pixel(const struct ls_panel *p, int g, int chain_pos, int lx, int ly)
{
	int x0, y0, rot;

	ls_map_module(p, g, chain_pos, &x0, &y0, &rot);
	if (rot) {
		lx = p->cfg.module_width - 1 - lx;
		ly = p->cfg.module_height - 1 - ly;
	}
	return board_to_canvas(p, x0 + lx, y0 + ly);
}

int ls_panel_modules(const struct ls_panel *p)
{
	return p->groups * p->chain_len;
}

void ls_panel_module_rect(const struct ls_panel *p, int index, int *x, int *y, int *w, int *h)
{
	int g = index / p->chain_len, c = index % p->chain_len;
	int32_t a = ls_map_pixel(p, g, c, 0, 0);
	int32_t b = ls_map_pixel(p, g, c, p->cfg.module_width - 1, p->cfg.module_height - 1);
	int ax = a % p->canvas_w, ay = a / p->canvas_w, bx = b % p->canvas_w, by = b / p->canvas_w;

	*x = ax < bx ? ax : bx;
	*y = ay < by ? ay : by;
	*w = abs(ax - bx) + 1;
	*h = abs(ay - by) + 1;
}
