/*
 * panel/internal.h: the precomputed panel shared by the mapping (map.c), the
 * per-type shift orders (hub12.c, hub75.c) and the frame encoder (frame.c).
 * Internal to src/panel/.
 */
#ifndef LEDSIGN_PANEL_INTERNAL_H
#define LEDSIGN_PANEL_INTERNAL_H

#include <stdint.h>

#include "ledsign/panel.h"

#define LS_MAX_ENTRIES 6 /* data entries per clock: HUB12 2 lines, HUB75 3 chains x 2 halves */

struct ls_panel {
	struct ls_panel_config cfg; /* with the type's defaults applied */
	struct ls_panel_timing timing;
	int board_w, board_h;	/* physical, before rotation */
	int canvas_w, canvas_h; /* logical, after rotation */
	int groups;		/* parallel data groups (chains sharing CLK/LAT/OE) */
	int chain_len;		/* modules on each group's chain */
	int n_addr, n_planes;	/* latched rows per refresh = n_addr * n_planes */
	int shift_len;		/* clocks per latched row */
	int per_clock;		/* table entries per clock */
	int32_t *table;		/* [n_addr][shift_len][per_clock]: canvas index or -1 */
	uint32_t entry_line[LS_MAX_ENTRIES]; /* role of an entry's first line (R for HUB75) */
	uint32_t data_mask, addr_mask, used_mask;
	uint32_t oe_on, oe_off; /* electrical OE level, as a value under LS_BIT(LS_LINE_OE) */
	int chan[3];		/* canvas channel (0 r, 1 g, 2 b) on the R, G, B pins */
	uint8_t level[8][256];	/* HUB75: [planes - 1][8-bit value] -> BCM level (CIE1931) */
	/* HUB75: [planes - 1][canvas channel][value] -> bit b of its level in bit
	 * 8b, shifted to the pin (0 R, 1 G, 2 B) the channel goes out on */
	uint64_t pin_bits[8][3][256];
	/* HUB75 up to 4 planes: the same with plane b in the 16-bit slot b, at
	 * the bits of the lines themselves (R1 = bit 8), so the encoder of one
	 * chain loads a clock's data word ready-made (frame.c) */
	uint64_t pin_slots[4][3][256];
	double lsb_ns;	  /* on-time of bit plane 0 at full brightness */
	double max_on_ns; /* the longest a row is lit without a hold */
	double byte_ns;	  /* SPI: time of one byte */
};

/* Places module chain_pos of data group g on the board: its top-left corner and
 * whether it is mounted upside down (serpentine return rows). */
void ls_map_module(const struct ls_panel *p, int g, int chain_pos, int *x0, int *y0, int *rot180);

/* The canvas index shown by board pixel (bx, by) of module (g, chain_pos) at
 * module-local (lx, ly), after mounting, rotation and mirroring. */
int32_t ls_map_pixel(const struct ls_panel *p, int g, int chain_pos, int lx, int ly);

/* Fill p->table and the per-type fields; return 0 or -1 with err. */
int ls_hub12_build(struct ls_panel *p, struct ls_error *err);
int ls_hub75_build(struct ls_panel *p, struct ls_error *err);

/* Electrical levels of the data lines at clock i of address addr, plane plane. */
uint32_t ls_hub12_clock(const struct ls_panel *p, const struct ls_canvas *c, int addr, int i);

/* The FM6126A register words (hub75.c says where they come from). */
#define LS_FM6126A_REG1 0x7fffu
#define LS_FM6126A_REG2 0x0040u

/* Appends the FM6126A register writes to out; returns 0 or -1 when full. */
int ls_hub75_fm6126a(const struct ls_panel *p, struct ls_program *out);

#endif
