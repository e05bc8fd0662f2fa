/*
 * Panels: geometry and electrical settings of the LED panels a board is made of,
 * and the mapping from the logical canvas to what the panel's shift registers need.
 *
 * A board is `chain` modules wide and `rows` modules high. Its logical canvas is
 * (module_width * chain) x (module_height * rows), rotated by `rotate`.
 *
 * Encoding is pure and happens once per frame: ls_panel_encode() turns a canvas
 * into a program (see transport.h), the exact sequence of line states of one
 * full refresh, which the refresh thread then replays unchanged. The physical
 * conventions (which module the cable enters, how serpentine rows turn, where
 * OE edges fall) are written down in deploy/trace-format.md and deploy/WIRING.md.
 */
#ifndef LEDSIGN_PANEL_H
#define LEDSIGN_PANEL_H

#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"
#include "ledsign/transport.h"

enum ls_panel_type { LS_PANEL_HUB12, LS_PANEL_HUB75 };
enum ls_panel_layout { LS_LAYOUT_SERPENTINE, LS_LAYOUT_PARALLEL };

/* GPIO line offsets on the chip, one per line role (transport.h): HUB12 data
 * lines are r1 (and r2 for a second chain), HUB75 chains 2 and 3 are p2_*,
 * p3_*. LS_PIN_UNSET takes the type's default wiring; LS_PIN_NONE ("none")
 * is no line. */
#define LS_PIN_UNSET (-1)
#define LS_PIN_NONE (-2)
struct ls_panel_pins {
	int line[LS_LINE_COUNT];
};

/* ls_panel_config_equal() compares every field: a new one goes there too. */
struct ls_panel_config {
	enum ls_panel_type type;
	int module_width, module_height; /* pixels of one module, e.g. 32x16 */
	int chain;			 /* modules per chain (left to right) */
	int rows;			 /* module rows */
	enum ls_panel_layout layout;	 /* how module rows are wired */
	int scan;			 /* rows lit at once: 1/scan; HUB12 P10 is 4 */
	bool data_active_low;		 /* HUB12: 0 = LED on (most modules) */
	bool oe_active_low;		 /* output enable polarity */
	int brightness;			 /* percent, 1..100 */
	int bit_planes;			 /* HUB75 colour depth, 1..8 */
	int rotate;			 /* 0, 90, 180, 270 */
	bool mirror_x, mirror_y;
	char rgb_order[4];		       /* "RGB", "RBG", "GRB", ... */
	char mapping[32];		       /* HUB75 row mapping: "direct", "outdoor-4s" */
	bool fm6126a;			       /* send the FM6126A init sequence */
	bool scan_given, data_given, oe_given; /* set explicitly (else the type's defaults apply) */
	struct ls_rgb colour; /* LED colour of single-colour panels (for term/preview) */
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

/* Whether two panel configs say the same, key by key (strings by value;
 * never the bytes between fields). */
bool ls_panel_config_equal(const struct ls_panel_config *a, const struct ls_panel_config *b);

/* The logical canvas size of the board, after rotation. */
void ls_panel_canvas_size(const struct ls_panel_config *cfg, int *width, int *height);

/* The panel settings with the type's defaults applied where the config left a
 * key out (HUB75: OE active low, data active high, 1/(height/2) scan). */
void ls_panel_config_effective(const struct ls_panel_config *cfg, struct ls_panel_config *out);

/* Nominal timing the encoder places OE edges with; a trace records it. */
struct ls_panel_timing {
	unsigned write_ns; /* cost of one GPIO write; LS_PANEL_WRITE_NS unless measured */
	unsigned spi_hz;   /* SPI clock when HUB12 data goes over SPI; 0 = data on GPIO */
};
#define LS_PANEL_WRITE_NS 1150 /* one libgpiod set-values call on a Pi 4 (FIELD-NOTES) */
/* One set on the mmap transport: a GPSET0 and a GPCLR0 store of ~20 ns each on
 * a Pi 4 (issue 20's figure for memory-mapped GPIO, as rpi-rgb-led-matrix
 * measured it; not measured here, there is no Pi). */
#define LS_MMAP_WRITE_NS 40

struct ls_panel;

/* Checks cfg and precomputes the mapping from canvas pixels to shift order;
 * NULL with err (naming the [panel]/[pins] key to fix). Free with ls_panel_free(). */
struct ls_panel *ls_panel_new(const struct ls_panel_config *cfg,
			      const struct ls_panel_timing *timing, struct ls_error *err);

/* Frees a panel; NULL is accepted. */
void ls_panel_free(struct ls_panel *p);

/* Fills map with the panel's lines, their resting levels (OE off), the timing
 * and a one-line description, as the transports need them. */
void ls_panel_line_map(const struct ls_panel *p, struct ls_line_map *map);

/* Allocates a program large enough for any frame of p (ls_program_free()). */
struct ls_program *ls_panel_program_new(const struct ls_panel *p);

/* Encodes canvas (of the panel's canvas size) at brightness 0..100 into out,
 * replacing its contents: one full refresh, replayable in a loop. Returns 0, or
 * -1 when the canvas size is wrong. Pure. */
int ls_panel_encode(const struct ls_panel *p, const struct ls_canvas *canvas, int brightness,
		    struct ls_program *out);

/* Encodes what is sent once after the lines are requested: the resting levels
 * and, when configured, the FM6126A register writes. */
int ls_panel_encode_init(const struct ls_panel *p, struct ls_program *out);

/* Encodes the blanking write (OE off) sent on stop. */
int ls_panel_encode_blank(const struct ls_panel *p, struct ls_program *out);

/* Nominal duration of one replay of prog in nanoseconds, by the panel's timing. */
double ls_panel_program_ns(const struct ls_panel *p, const struct ls_program *prog);

/* Number of modules on the board. */
int ls_panel_modules(const struct ls_panel *p);

/* The canvas rectangle of module index (counted along the chain from the
 * controller; parallel rows follow one another), for test patterns. */
void ls_panel_module_rect(const struct ls_panel *p, int index, int *x, int *y, int *w, int *h);

/* Shift clocks per latched row, latched rows per refresh (addresses x bit
 * planes) and groups of parallel data lines, for benchmarks. */
void ls_panel_shape(const struct ls_panel *p, int *clocks_per_row, int *rows_per_refresh,
		    int *parallel_groups);

#endif
