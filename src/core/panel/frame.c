/*
 * panel/frame.c: the frame encoder. It turns a canvas into one full refresh:
 * for each latched row (an address, and for HUB75 a bit plane) it shifts the
 * row's bits, then blanks, latches, selects the address and enables.
 *
 * Light comes from the row latched last while the next row shifts in: the
 * enable write starts a row's on-time and a blanking write placed inside the
 * next shift ends it, so a row is lit for exactly its share (brightness, bit
 * plane weight) without extra writes. On-times are placed by the nominal
 * timing (one write = write_ns, one SPI byte = 8 bits at spi_hz); a row lit
 * longer than the next shift lasts gets a hold. Each write is a set-values call
 * of its own: clock and latch edges are never combined with other changes.
 * The program loops seamlessly: the first shift blanks the last row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int role_offset(const struct ls_panel_pins *pins, int role)
{
	return pins->line[role] >= 0 ? pins->line[role] : -1;
}

static int address_lines(int n_addr)
{
	int n = 0;

	while ((1 << n) < n_addr)
		n++;
	return n;
}

static int pick_lines(struct ls_panel *p, struct ls_error *err)
{
	int n_addr_lines = address_lines(p->n_addr);

	p->used_mask = LS_BIT(LS_LINE_OE) | LS_BIT(LS_LINE_LAT) | LS_BIT(LS_LINE_CLK);
	for (int i = 0; i < n_addr_lines; i++)
		p->addr_mask |= LS_BIT(LS_LINE_A + i);
	for (int e = 0; e < p->per_clock; e++)
		for (int k = 0; k < (p->cfg.type == LS_PANEL_HUB75 ? 3 : 1); k++)
			p->data_mask |= LS_BIT(p->entry_line[e] + (uint32_t)k);
	p->used_mask |= p->addr_mask | p->data_mask;
	if (n_addr_lines > 5)
		return ls_error_set(
		    err, "[panel] scan: 1/%d scan needs more than the 5 address lines A-E",
		    p->n_addr);
	for (int r = 0; r < LS_LINE_COUNT; r++) {
		int off = role_offset(&p->cfg.pins, r);
		if (!(p->used_mask & LS_BIT(r)))
			continue;
		if (off < 0)
			return ls_error_set(
			    err, "[pins] %s: this panel needs line %s; set %s = its GPIO number",
			    ls_line_role_name(r), ls_line_role_name(r), ls_line_role_name(r));
		for (int o = 0; o < r; o++)
			if ((p->used_mask & LS_BIT(o)) && role_offset(&p->cfg.pins, o) == off)
				return ls_error_set(
				    err,
				    "[pins] %s: GPIO %d is also %s; give each line its own GPIO",
				    ls_line_role_name(r), off, ls_line_role_name(o));
	}
	return 0;
}

static void set_geometry(struct ls_panel *p)
{
	int serp = p->cfg.layout == LS_LAYOUT_SERPENTINE;

	p->board_w = p->cfg.module_width * p->cfg.chain;
	p->board_h = p->cfg.module_height * p->cfg.rows;
	ls_panel_canvas_size(&p->cfg, &p->canvas_w, &p->canvas_h);
	p->groups = serp ? 1 : p->cfg.rows;
	p->chain_len = serp ? p->cfg.chain * p->cfg.rows : p->cfg.chain;
	p->oe_on = p->cfg.oe_active_low ? 0 : LS_BIT(LS_LINE_OE);
	p->oe_off = p->oe_on ^ LS_BIT(LS_LINE_OE);
}

/* Bit plane 0's on-time. The longest a row can stay lit without a hold is the
 * enable write plus the next row's shift; the top plane gets that, the others
 * their binary share, in whole writes so plane weights stay exact. */
static void set_timing(struct ls_panel *p)
{
	double w = p->timing.write_ns;
	double shift = p->timing.spi_hz ? p->shift_len / 8 * p->byte_ns : 2.0 * p->shift_len * w;
	double max_on = w + shift;
	long writes = lround(max_on / w) >> (p->n_planes - 1);

	p->max_on_ns = max_on;
	p->lsb_ns = p->n_planes == 1 ? max_on : (double)(writes > 0 ? writes : 1) * w;
}

static int check_transport(const struct ls_panel *p, struct ls_error *err)
{
	if (!p->timing.spi_hz)
		return 0;
	if (p->cfg.type != LS_PANEL_HUB12)
		return ls_error_set(
		    err, "[output] type: spi drives HUB12 panels only; use gpiod for HUB75");
	if (p->groups != 1)
		return ls_error_set(err, "[panel] layout: spi has one data line (MOSI); use layout "
					 "= serpentine or output gpiod");
	return 0;
}

struct ls_panel *ls_panel_new(const struct ls_panel_config *cfg,
			      const struct ls_panel_timing *timing, struct ls_error *err)
{
	struct ls_panel *p;

	if (ls_panel_config_check(cfg, err))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	ls_panel_config_effective(cfg, &p->cfg);
	p->timing = *timing;
	if (!p->timing.write_ns)
		p->timing.write_ns = LS_PANEL_WRITE_NS;
	if (p->timing.spi_hz)
		p->byte_ns = 8e9 / p->timing.spi_hz;
	set_geometry(p);
	if (check_transport(p, err))
		goto err_panel;
	if ((p->cfg.type == LS_PANEL_HUB12 ? ls_hub12_build(p, err) : ls_hub75_build(p, err)) ||
	    pick_lines(p, err))
		goto err_panel;
	set_timing(p);
	return p;
err_panel:
	ls_panel_free(p);
	return NULL;
}

void ls_panel_free(struct ls_panel *p)
{
	if (!p)
		return;
	free(p->table);
	free(p);
}

void ls_panel_line_map(const struct ls_panel *p, struct ls_line_map *map)
{
	const struct ls_panel_config *c = &p->cfg;
	char fm[48] = "";

	for (int r = 0; r < LS_LINE_COUNT; r++)
		map->offset[r] = (p->used_mask & LS_BIT(r)) ? role_offset(&c->pins, r) : -1;
	map->initial = p->oe_off;
	map->write_ns = p->timing.write_ns;
	map->spi_hz = p->timing.spi_hz;
	if (c->type == LS_PANEL_HUB75 && c->fm6126a)
		snprintf(fm, sizeof(fm), " fm6126a=0x%04x,0x%04x", LS_FM6126A_REG1,
			 LS_FM6126A_REG2);
	snprintf(map->describe, sizeof(map->describe),
		 "%s module=%dx%d chain=%d rows=%d layout=%s scan=%d mapping=%s data=%s oe=%s "
		 "planes=%d rgb_order=%s rotate=%d mirror=%s%s%s",
		 c->type == LS_PANEL_HUB12 ? "hub12" : "hub75", c->module_width, c->module_height,
		 c->chain, c->rows, c->layout == LS_LAYOUT_PARALLEL ? "parallel" : "serpentine",
		 c->scan, c->type == LS_PANEL_HUB12 ? "direct" : c->mapping,
		 c->data_active_low ? "low" : "high", c->oe_active_low ? "low" : "high",
		 p->n_planes, c->rgb_order, c->rotate,
		 c->mirror_x ? "x" : (c->mirror_y ? "" : "none"), c->mirror_y ? "y" : "", fm);
}

struct ls_program *ls_panel_program_new(const struct ls_panel *p)
{
	size_t rows = (size_t)p->n_addr * p->n_planes;
	size_t init = p->cfg.fm6126a ? 4 * (size_t)p->shift_len + 8 : 8;
	size_t ops = rows * (2 * (size_t)p->shift_len + 8) + init;

	size_t bytes = (size_t)p->n_addr * p->shift_len / 8 + 16;
	size_t words = 3 * sizeof(uint64_t) * (size_t)p->shift_len * p->groups;

	/* HUB75 sends no SPI bytes; the encoder keeps its scratch there (an
	 * address's words, and for one chain their changes, frame.c). */
	if (p->cfg.type == LS_PANEL_HUB75 && bytes < words)
		bytes = words;
	return ls_program_new(ops, bytes);
}

/* How one refresh lights its rows at a brightness. */
struct dimming {
	int planes;	/* bit planes shown: the configured ones, or fewer when dim */
	double lsb_ns;	/* plane 0's on-time; plane b is lit lsb_ns * 2^b */
	double dark_ns; /* added before each enable write, all lines dark */
};

/* The encoder's running state: which data levels are on the lines already. */
struct enc {
	const struct ls_panel *p;
	const struct ls_canvas *c;
	/* HUB75: one address's plane bits per clock and group; for one chain,
	 * per clock the bits, the lines that change and those that go high. */
	uint64_t *words;
	const uint64_t (*pin)[256]; /* HUB75: canvas channel, value -> plane bits on its pin */
	struct ls_program *out;
	uint32_t data; /* the data levels on the lines (at first: all to be written) */
	int kind;      /* enum row_kind of the GPIO shift */
	int fail;
};

static void put(struct enc *e, uint32_t mask, uint32_t values)
{
	e->fail |= ls_program_set(e->out, mask, values);
}

/* SPI bytes cannot be cut: blanks at the byte boundary nearest to the end of
 * the on-time; returns whether it did. */
static int blank_spi_if_due(struct enc *e, double t, double on)
{
	if (t + e->p->byte_ns / 2.0 <= on)
		return 0;
	put(e, LS_BIT(LS_LINE_OE), e->p->oe_off);
	return 1;
}

/* Appends a write; the caller has checked there is room for the row. */
static inline void emit(struct ls_program *out, uint32_t mask, uint32_t values)
{
	out->ops[out->n_ops++] = (struct ls_op){LS_OP_SET, mask, values & mask};
}

/* Data levels of clock i of address a (HUB12) or of plane b (HUB75, from the
 * address's words). */
static inline uint32_t clock_data(const struct enc *e, int a, int b, int i)
{
	const struct ls_panel *p = e->p;
	uint32_t v = 0;

	if (p->cfg.type == LS_PANEL_HUB12) {
		const int32_t *t = p->table + ((size_t)a * p->shift_len + i) * p->per_clock;
		for (int g = 0; g < p->per_clock; g++) {
			struct ls_rgb px = e->c->px[t[g]];
			v |= (uint32_t)((px.r | px.g | px.b) >> 7) << p->entry_line[g];
		}
	} else {
		const uint64_t *w = e->words + (size_t)i * p->groups;
		for (int g = 0; g < p->groups; g++)
			v |= (uint32_t)((w[g] >> (8 * b)) & 0x3f) << (LS_LINE_R1 + 6 * g);
	}
	return p->cfg.data_active_low ? v ^ p->data_mask : v;
}

/* The two writes of a clock: the data lines that change (with CLK low), then
 * CLK high. */
static inline struct ls_op *clock_ops(struct ls_op *op, uint32_t mask, uint32_t d)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Two operations are six words: three 64-bit stores instead of six. */
	const uint64_t clk = LS_BIT(LS_LINE_CLK);
	uint64_t w0 = (clk | mask) << 32 | LS_OP_SET, w1 = (uint64_t)LS_OP_SET << 32 | (d & mask);
	uint64_t w2 = clk << 32 | clk;

	_Static_assert(sizeof(struct ls_op) == 12, "struct ls_op is three words");
	memcpy((char *)op, &w0, 8);
	memcpy((char *)op + 8, &w1, 8);
	memcpy((char *)op + 16, &w2, 8);
#else
	op[0] = (struct ls_op){LS_OP_SET, LS_BIT(LS_LINE_CLK) | mask, d & mask};
	op[1] = (struct ls_op){LS_OP_SET, LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_CLK)};
#endif
	return op + 2;
}

/* Where a row's shift ends the light of the row before: before write j of
 * the shift, the first that would end after its on-time (write j starts
 * (j + 1) writes after the enable), with a hold for the part of a write. It
 * depends only on that row's bit plane, so a refresh works it out once per
 * plane. */
struct cut {
	int clock;     /* the clock the blank comes in; shift_len: after the shift */
	int mid;       /* between that clock's data write and its CLK write */
	uint32_t hold; /* ns kept before the blank; 0 = none */
};

static struct cut cut_at(const struct ls_panel *p, double on)
{
	double w = p->timing.write_ns, end = (2.0 * p->shift_len + 1) * w, hold;
	long j = (long)floor(on / w) - 1;
	struct cut c;

	if (j < 0)
		j = 0;
	if (j >= 2L * p->shift_len) { /* lit past the shift */
		c = (struct cut){p->shift_len, 0, 0};
		hold = on - end;
	} else {
		c = (struct cut){(int)(j / 2), (int)(j % 2), 0};
		hold = on - (double)(j + 1) * w;
	}
	if (hold >= 1)
		c.hold = (uint32_t)lround(hold);
	return c;
}

/* Ends the previous row's light: its hold, then OE off. */
static inline struct ls_op *blank_ops(struct ls_op *op, const struct cut *cut, uint32_t oe_off)
{
	if (cut->hold)
		*op++ = (struct ls_op){LS_OP_HOLD, cut->hold, 0};
	*op++ = (struct ls_op){LS_OP_SET, LS_BIT(LS_LINE_OE), oe_off & LS_BIT(LS_LINE_OE)};
	return op;
}

/* The row kinds the shift is written out for, so the common boards (one
 * HUB12 data line, one HUB75 chain) cost a table lookup or two, a few bit
 * operations and two writes a clock. */
enum row_kind {
	ROW_HUB12_ONE,
	ROW_HUB75_SLOTS, /* one chain, up to 4 planes: 16-bit slots (pin_slots) */
	ROW_HUB75_ONE,	 /* one chain, more planes: 8-bit lanes (pin_bits) */
	ROW_ANY,
};

static enum row_kind row_kind(const struct ls_panel *p, int planes)
{
	if (p->cfg.type == LS_PANEL_HUB12)
		return p->per_clock == 1 ? ROW_HUB12_ONE : ROW_ANY;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (p->groups == 1)
		return planes <= 4 ? ROW_HUB75_SLOTS : ROW_HUB75_ONE;
#else
	(void)planes;
#endif
	return ROW_ANY;
}

/* A 16-bit slot of a word, read through bytes (the words are uint64_t). */
static inline uint32_t slot(const uint8_t *w)
{
	uint16_t v;

	memcpy(&v, w, 2);
	return v;
}

/* The source of a row's data levels: the table row (HUB12) or plane b of the
 * address's words (one HUB75 chain: three words a clock, address_words). */
struct row_src {
	const int32_t *t;
	const struct ls_rgb *px;
	const uint8_t *w; /* plane b of clock 0's first word */
	uint32_t inv;
};

static inline __attribute__((always_inline)) uint32_t row_data(const struct enc *e,
							       const struct row_src *s,
							       const enum row_kind kind, int a,
							       int b, int i)
{
	struct ls_rgb c;

	switch (kind) {
	case ROW_HUB12_ONE:
		c = s->px[s->t[i]];
		return ((uint32_t)((c.r | c.g | c.b) & 0x80) << (LS_LINE_R1 - 7)) ^ s->inv;
	case ROW_HUB75_SLOTS:
		return slot(s->w + 24 * (size_t)i) ^ s->inv;
	case ROW_HUB75_ONE:
		return ((uint32_t)s->w[24 * (size_t)i] << LS_LINE_R1) ^ s->inv;
	default:
		return clock_data(e, a, b, i);
	}
}

/* The two writes of clock i of one HUB75 chain, from the changes worked out
 * for all planes at once (address_words): in 16-bit slots the change mask
 * comes with CLK and the rising lines are the values, as they are written. */
static inline __attribute__((always_inline)) struct ls_op *
changed_ops(struct ls_op *op, const struct row_src *s, const enum row_kind kind, int i)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t clk = LS_BIT(LS_LINE_CLK);
	const uint8_t *w = s->w + 24 * (size_t)i; /* the bits, changes, rising lines */
	uint64_t w0, w1, w2 = clk << 32 | clk;

	if (kind == ROW_HUB75_SLOTS) {
		w0 = (uint64_t)slot(w + 8) << 32;
		w1 = slot(w + 16);
	} else {
		w0 = (uint64_t)w[8] << (32 + LS_LINE_R1) | clk << 32;
		w1 = (uint64_t)w[16] << LS_LINE_R1;
	}

	memcpy((char *)op, &w0, 8);
	memcpy((char *)op + 8, &w1, 8);
	memcpy((char *)op + 16, &w2, 8);
	return op + 2;
#else
	(void)s, (void)kind, (void)i;
	return op; /* row_kind() picks the one-chain kinds on little-endian hosts only */
#endif
}

/* Clocks from..to-1; data (data lines only) is what the lines hold, so
 * d ^ data is the lines that change. */
static inline __attribute__((always_inline)) struct ls_op *
run(const struct enc *e, const struct row_src *s, const enum row_kind kind, int a, int b, int from,
    int to, struct ls_op *op, uint32_t *data)
{
	uint32_t prev = *data, d = prev;
	int i = from;

	if (kind == ROW_HUB75_SLOTS || kind == ROW_HUB75_ONE) {
		/* a row's first clock follows the row before */
		if (i >= to)
			return op;
		if (i == 0) {
			d = row_data(e, s, kind, a, b, 0);
			op = clock_ops(op, d ^ prev, d);
			i++;
		}
#pragma GCC unroll 4
		for (; i < to; i++)
			op = changed_ops(op, s, kind, i);
		*data = row_data(e, s, kind, a, b, to - 1);
		return op;
	}
#pragma GCC unroll 4
	for (; i < to; i++, prev = d) {
		d = row_data(e, s, kind, a, b, i);
		op = clock_ops(op, d ^ prev, d);
	}
	*data = d;
	return op;
}

/* Shifts address a, plane b, ending the light of the row before at cut. */
static inline __attribute__((always_inline)) void row_of(struct enc *e, const enum row_kind kind,
							 int a, int b, const struct cut *cut)
{
	const struct ls_panel *p = e->p;
	struct row_src s = {p->table + (size_t)a * p->shift_len, e->c->px,
			    (const uint8_t *)e->words + (kind == ROW_HUB75_SLOTS ? 2 * b : b),
			    p->cfg.data_active_low ? p->data_mask : 0};
	struct ls_op *op = e->out->ops + e->out->n_ops;
	uint32_t data = e->data, d;
	int k = cut->clock, n = p->shift_len;

	op = run(e, &s, kind, a, b, 0, k, op, &data);
	if (k < n && cut->mid) { /* the data write, the blank, the clock */
		d = row_data(e, &s, kind, a, b, k);
		*op++ = (struct ls_op){LS_OP_SET, LS_BIT(LS_LINE_CLK) | (d ^ data), d & (d ^ data)};
		op = blank_ops(op, cut, p->oe_off);
		*op++ = (struct ls_op){LS_OP_SET, LS_BIT(LS_LINE_CLK), LS_BIT(LS_LINE_CLK)};
		data = d;
		k++;
	} else {
		op = blank_ops(op, cut, p->oe_off);
	}
	op = run(e, &s, kind, a, b, k, n, op, &data);
	e->out->n_ops = (size_t)(op - e->out->ops);
	e->data = data;
}

/* The data levels of the refresh's first clock. */
static uint32_t first_data(const struct enc *e)
{
	if (e->kind == ROW_HUB75_SLOTS)
		return slot((const uint8_t *)e->words) ^
		       (e->p->cfg.data_active_low ? e->p->data_mask : 0);
	return clock_data(e, 0, 0, 0);
}

/* One function per row kind, each with its own registers. */
static __attribute__((noinline)) void row_hub12_one(struct enc *e, int a, int b,
						    const struct cut *cut)
{
	row_of(e, ROW_HUB12_ONE, a, b, cut);
}

static __attribute__((noinline)) void row_hub75_slots(struct enc *e, int a, int b,
						      const struct cut *cut)
{
	row_of(e, ROW_HUB75_SLOTS, a, b, cut);
}

static __attribute__((noinline)) void row_hub75_one(struct enc *e, int a, int b,
						    const struct cut *cut)
{
	row_of(e, ROW_HUB75_ONE, a, b, cut);
}

static __attribute__((noinline)) void row_any(struct enc *e, int a, int b, const struct cut *cut)
{
	row_of(e, ROW_ANY, a, b, cut);
}

static void shift_gpio(struct enc *e, int a, int b, const struct cut *cut)
{
	if (e->kind == ROW_HUB12_ONE)
		row_hub12_one(e, a, b, cut);
	else if (e->kind == ROW_HUB75_SLOTS)
		row_hub75_slots(e, a, b, cut);
	else if (e->kind == ROW_HUB75_ONE)
		row_hub75_one(e, a, b, cut);
	else
		row_any(e, a, b, cut);
}

/* HUB75: the bits of every plane of address a, per clock and data group, so
 * each plane's row is a shift and a mask. For one chain, also what changes
 * from one clock to the next and which of those lines go high (after the
 * data polarity), for all planes in one operation: plane b is byte b (or
 * 16-bit slot b) of each word. */
static void address_words(struct enc *e, int a)
{
	const struct ls_panel *p = e->p;
	const int32_t *t = p->table + (size_t)a * p->shift_len * p->per_clock;
	const uint64_t *r = e->pin[0], *g = e->pin[1], *bl = e->pin[2];
	const struct ls_rgb *px = e->c->px;
	const int slots = e->kind == ROW_HUB75_SLOTS;
	/* Per lane or slot: the data lines (for the polarity) and CLK (slots only). */
	const uint64_t lanes = slots ? UINT64_C(0x0001000100010001) : UINT64_C(0x0101010101010101);
	const uint64_t inv = p->cfg.data_active_low ? lanes * (slots ? 0x3f00 : 0x3f) : 0;
	const uint64_t clk = slots ? lanes * LS_BIT(LS_LINE_CLK) : 0;
	uint64_t *w = e->words, prev = 0;

	/* Every table entry is a canvas pixel (map.c). */
	if (e->kind == ROW_ANY) {
		for (int i = 0; i < p->shift_len * p->groups; i++, t += 2) {
			struct ls_rgb u = px[t[0]], l = px[t[1]];
			w[i] = r[u.r] | g[u.g] | bl[u.b] | (r[l.r] | g[l.g] | bl[l.b]) << 3;
		}
		return;
	}
	for (int i = 0; i < p->shift_len; i++, t += 2, w += 3) {
		struct ls_rgb u = px[t[0]], l = px[t[1]];
		uint64_t v = r[u.r] | g[u.g] | bl[u.b] | (r[l.r] | g[l.g] | bl[l.b]) << 3;
		w[0] = v;
		w[1] = (v ^ prev) | clk;
		w[2] = (v ^ prev) & (v ^ inv);
		prev = v;
	}
}

static void shift_spi(struct enc *e, int a, double on)
{
	const struct ls_panel *p = e->p;
	double t = p->timing.write_ns;
	int blanked = 0;

	for (int i = 0; i < p->shift_len; i += 8) {
		uint8_t byte = 0;
		for (int k = 0; k < 8; k++)
			if (ls_hub12_clock(p, e->c, a, i + k) & LS_BIT(LS_LINE_R1))
				byte |= (uint8_t)(0x80 >> k);
		blanked = blanked || blank_spi_if_due(e, t, on);
		e->fail |= ls_program_spi(e->out, &byte, 1);
		t += p->byte_ns;
	}
	if (!blanked && on > t)
		e->fail |= ls_program_hold(e->out, (uint32_t)lround(on - t));
	if (!blanked)
		put(e, LS_BIT(LS_LINE_OE), p->oe_off);
}

/* Nominal time of one refresh of `planes` planes lit lsb_ns * 2^b, without
 * dark time: each latched row is its shift, the blank, latch, address and
 * enable writes, and the hold that ends the row before at its exact time
 * (the part of a write, or the time it stays lit after the shift). */
static double period_ns(const struct ls_panel *p, int planes, double lsb_ns)
{
	double w = p->timing.write_ns, row = (2.0 * p->shift_len + 4) * w, ns = 0;
	double shift_end = (2.0 * p->shift_len + 1) * w;

	for (int b = 0; b < planes; b++) {
		double on = lsb_ns * (double)(1u << b);
		double hold = on > shift_end ? on - shift_end : fmod(on, w);
		ns += p->n_addr * (row + (hold >= 1 ? hold : 0));
	}
	return ns;
}

/* Share of a refresh an LED of the brightest level is lit. */
static double duty(const struct ls_panel *p, int planes, double lsb_ns)
{
	return p->n_addr * ((1u << planes) - 1) * lsb_ns / period_ns(p, planes, lsb_ns);
}

/* Planes stay binary weighted at every brightness: plane b is lit exactly
 * lsb * 2^b (a hold ends it within a write), and dimming shortens lsb. The
 * shortest lsb is one write (the enable write itself); below that, dark time
 * before each enable takes the duty down, and when that would make a refresh
 * more than 1.5 times as long as at full brightness, the lowest planes are
 * dropped (the image shows the CIE levels of fewer planes), whose longer lsb
 * needs less dark time. deploy/WIRING.md states the cost. */
static struct dimming dim(const struct ls_panel *p, int brightness)
{
	double w = p->timing.write_ns, full = period_ns(p, p->n_planes, p->lsb_ns);
	double target = duty(p, p->n_planes, p->lsb_ns) * brightness / 100.0;
	struct dimming d = {p->n_planes, 0, 0};

	if (brightness <= 0 || brightness >= 100) {
		d.lsb_ns = brightness > 0 ? p->lsb_ns : 0;
		return d;
	}
	for (int planes = p->n_planes; planes >= 1; planes--) {
		double lsb =
		    p->lsb_ns * (double)(1u << (p->n_planes - planes)) * brightness / 100.0;
		double lit, total;
		for (int i = 0; i < 4 && lsb >= w; i++) /* duty is nearly linear in lsb */
			lsb *= target / duty(p, planes, lsb);
		if (lsb >= w)
			return (struct dimming){planes, lsb, 0};
		lit = p->n_addr * ((1u << planes) - 1) * w;
		total = lit / target;
		d = (struct dimming){planes, w,
				     (total - period_ns(p, planes, w)) / (p->n_addr * planes)};
		if (d.dark_ns < 0)
			d.dark_ns = 0;
		if (total <= 1.5 * full)
			break;
	}
	return d;
}

static uint32_t address_bits(const struct ls_panel *p, int a)
{
	return ((uint32_t)a << LS_LINE_A) & p->addr_mask;
}

int ls_panel_encode(const struct ls_panel *p, const struct ls_canvas *canvas, int brightness,
		    struct ls_program *out)
{
	struct enc e = {.p = p, .c = canvas, .out = out};
	struct cut cuts[8];
	struct dimming d;
	uint32_t dark, enable;
	int rows;

	if (canvas->width != p->canvas_w || canvas->height != p->canvas_h)
		return -1;
	brightness = brightness < 0 ? 0 : brightness > 100 ? 100 : brightness;
	d = dim(p, brightness);
	rows = p->n_addr * d.planes;
	/* A row is at most its 2 writes a clock, a hold, the blank, latch,
	 * address, dark hold and enable. */
	if ((size_t)rows * (2 * (size_t)p->shift_len + 8) > out->cap_ops)
		return -1;
	/* A HUB75 program sends no SPI bytes: its byte buffer keeps an address's words. */
	e.words = (uint64_t *)(void *)out->bytes;
	e.kind = row_kind(p, d.planes);
	e.pin = e.kind == ROW_HUB75_SLOTS ? p->pin_slots[d.planes - 1] : p->pin_bits[d.planes - 1];
	for (int b = 0; b < d.planes; b++)
		cuts[b] = cut_at(p, d.lsb_ns * (double)(1u << b));
	dark = d.dark_ns >= 1 ? (uint32_t)lround(d.dark_ns) : 0;
	enable = d.lsb_ns > 0 ? p->oe_on : p->oe_off;
	ls_program_clear(out);
	for (int r = 0; r < rows; r++) {
		int a = r / d.planes, b = r % d.planes;
		int prev_plane = (b + d.planes - 1) % d.planes; /* of the row lit before */

		if (p->cfg.type == LS_PANEL_HUB75 && b == 0)
			address_words(&e, a);
		if (r == 0) /* the first write sends every data line */
			e.data = (p->timing.spi_hz ? 0 : first_data(&e)) ^ p->data_mask;
		if (p->timing.spi_hz)
			shift_spi(&e, a, d.lsb_ns * (double)(1u << prev_plane));
		else
			shift_gpio(&e, a, b, &cuts[prev_plane]);
		emit(out, LS_BIT(LS_LINE_LAT), LS_BIT(LS_LINE_LAT));
		emit(out, LS_BIT(LS_LINE_LAT) | p->addr_mask, address_bits(p, a));
		if (dark)
			out->ops[out->n_ops++] = (struct ls_op){LS_OP_HOLD, dark, 0};
		emit(out, LS_BIT(LS_LINE_OE), enable);
	}
	return e.fail ? -1 : 0;
}

int ls_panel_encode_init(const struct ls_panel *p, struct ls_program *out)
{
	ls_program_clear(out);
	if (ls_program_set(out, p->used_mask, p->oe_off))
		return -1;
	if (p->cfg.type == LS_PANEL_HUB75 && p->cfg.fm6126a)
		return ls_hub75_fm6126a(p, out);
	return 0;
}

int ls_panel_encode_blank(const struct ls_panel *p, struct ls_program *out)
{
	ls_program_clear(out);
	return ls_program_set(out, LS_BIT(LS_LINE_OE), p->oe_off);
}

double ls_panel_program_ns(const struct ls_panel *p, const struct ls_program *prog)
{
	double ns = 0;

	for (size_t i = 0; i < prog->n_ops; i++) {
		const struct ls_op *op = &prog->ops[i];
		if (op->kind == LS_OP_SET)
			ns += p->timing.write_ns;
		else if (op->kind == LS_OP_SPI)
			ns += op->b * p->byte_ns;
		else
			ns += op->a;
	}
	return ns;
}

void ls_panel_shape(const struct ls_panel *p, int *clocks_per_row, int *rows_per_refresh,
		    int *parallel_groups)
{
	*clocks_per_row = p->shift_len;
	*rows_per_refresh = p->n_addr * p->n_planes;
	*parallel_groups = p->groups;
}
