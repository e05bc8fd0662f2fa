/*
 * Panels: geometry and electrical settings of the LED panels a board is made of,
 * and the mapping from the logical canvas to what the panel's shift registers need.
 *
 * A board is `chain` modules wide and `rows` modules high. Its logical canvas is
 * (module_width * chain) x (module_height * rows), rotated by `rotate`.
 */
#ifndef LEDSIGN_PANEL_H
#define LEDSIGN_PANEL_H

#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"

enum ls_panel_type { LS_PANEL_HUB12, LS_PANEL_HUB75 };
enum ls_panel_layout { LS_LAYOUT_SERPENTINE, LS_LAYOUT_PARALLEL };

/* GPIO line offsets on the chip; -1 when the line is not used. */
struct ls_panel_pins {
	int oe, lat, clk, a, b, c, d, e;
	int r1, g1, b1, r2, g2, b2;  /* HUB75; HUB12 data lines are r1 (and r2 for a second chain) */
	int par[2][6];               /* HUB75 parallel chains 2 and 3: r1 g1 b1 r2 g2 b2 */
};

struct ls_panel_config {
	enum ls_panel_type type;
	int module_width, module_height; /* pixels of one module, e.g. 32x16 */
	int chain;                       /* modules per chain (left to right) */
	int rows;                        /* module rows */
	enum ls_panel_layout layout;     /* how module rows are wired */
	int scan;                        /* rows lit at once: 1/scan; HUB12 P10 is 4 */
	bool data_active_low;            /* HUB12: 0 = LED on (most modules) */
	bool oe_active_low;              /* output enable polarity */
	int brightness;                  /* percent, 1..100 */
	int bit_planes;                  /* HUB75 colour depth, 1..8 */
	int rotate;                      /* 0, 90, 180, 270 */
	bool mirror_x, mirror_y;
	char rgb_order[4];               /* "RGB", "RBG", "GRB", ... */
	char mapping[32];                /* HUB75 row mapping: "direct", "outdoor-4s" */
	bool fm6126a;                    /* send the FM6126A init sequence */
	struct ls_rgb colour;            /* LED colour of single-colour panels (for term/preview) */
	struct ls_panel_pins pins;
};

/* Fills cfg with the defaults: one HUB12 32x16 P10 module, 1/4 scan, active-low data. */
void ls_panel_config_defaults(struct ls_panel_config *cfg);

/* Handles one key of the [panel] or [pins] section; returns 1 when handled,
 * 0 when the key is unknown, -1 (with err) when the value is bad. */
int ls_panel_config_set(struct ls_panel_config *cfg, const char *section, const char *key,
			const char *value, struct ls_error *err);

/* Lists the keys a section accepts, comma-separated, for "unknown key" messages. */
const char *ls_panel_config_keys(const char *section);

/* Checks the whole panel config for consistency (e.g. scan vs module height);
 * returns 0 or -1 with err. */
int ls_panel_config_check(const struct ls_panel_config *cfg, struct ls_error *err);

/* The logical canvas size of the board, after rotation. */
void ls_panel_canvas_size(const struct ls_panel_config *cfg, int *width, int *height);

#endif
