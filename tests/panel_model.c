/*
 * panel_model.c: a HUB12/HUB75 panel simulated from deploy/trace-format.md.
 *
 * Deliberately written the other way round from the driver: the driver asks
 * "which pixel does shift position i carry?", this model asks "at which
 * register position does pixel (x, y) sit?" and then watches electrical line
 * levels go by, clocking registers, latching, and integrating the time each
 * LED spends lit while OE is active.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panel_model.h"

struct pm_op {
	char kind; /* 's' set, 'p' spi, 'h' hold */
	unsigned mask, values;
	double ns;
	unsigned char *bytes;
	size_t n;
};

struct pm_block {
	char kind[16];
	struct pm_op *ops;
	size_t n_ops, cap;
};

struct pm_trace {
	char role[32][8]; /* role name per bit, "" when unused */
	unsigned write_ns, spi_hz, initial;
	struct pm_block *blocks;
	int n_blocks;
};

static int bit_of(const struct pm_trace *t, const char *role)
{
	for (int b = 0; b < 32; b++)
		if (!strcmp(t->role[b], role))
			return b;
	return -1;
}

static int hexdigit(int c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

static int parse_op(struct pm_block *b, const char *line)
{
	struct pm_op op = {0};
	char kind[8];
	int used = 0;

	if (sscanf(line, "%*u %7s %n", kind, &used) != 1)
		return -1;
	if (!strcmp(kind, "set")) {
		op.kind = 's';
		if (sscanf(line + used, "%x %x", &op.mask, &op.values) != 2)
			return -1;
	} else if (!strcmp(kind, "hold")) {
		op.kind = 'h';
		if (sscanf(line + used, "%lf", &op.ns) != 1)
			return -1;
	} else if (!strcmp(kind, "spi")) {
		const char *hex = line + used;
		size_t len = strcspn(hex, "\n");
		op.kind = 'p';
		op.n = len / 2;
		op.bytes = malloc(op.n + 1);
		for (size_t i = 0; i < op.n; i++)
			op.bytes[i] =
			    (unsigned char)(hexdigit(hex[2 * i]) << 4 | hexdigit(hex[2 * i + 1]));
	} else {
		return -1;
	}
	if (b->n_ops == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->ops = realloc(b->ops, b->cap * sizeof(*b->ops));
	}
	b->ops[b->n_ops++] = op;
	return 0;
}

static int parse_line(struct pm_trace *t, const char *line, struct pm_block **cur)
{
	char word[32];
	int bit, gpio;

	if (*cur) {
		if (!strncmp(line, "end", 3)) {
			*cur = NULL;
			return 0;
		}
		return parse_op(*cur, line);
	}
	if (line[0] == '#' || line[0] == '\n' || !strncmp(line, "ledsign-trace", 13) ||
	    !strncmp(line, "panel ", 6))
		return 0;
	if (sscanf(line, "timing write_ns=%u spi_hz=%u", &t->write_ns, &t->spi_hz) == 2)
		return 0;
	if (sscanf(line, "line %d %7s %d", &bit, word, &gpio) == 3 && bit >= 0 && bit < 32) {
		strcpy(t->role[bit], word);
		return 0;
	}
	if (sscanf(line, "initial %x", &t->initial) == 1)
		return 0;
	if (sscanf(line, "begin %15s", word) == 1) {
		t->blocks = realloc(t->blocks, (size_t)(t->n_blocks + 1) * sizeof(*t->blocks));
		*cur = &t->blocks[t->n_blocks++];
		memset(*cur, 0, sizeof(**cur));
		strcpy((*cur)->kind, word);
		return 0;
	}
	return -1;
}

struct pm_trace *pm_trace_load(const char *path, char *msg, size_t n)
{
	FILE *f = fopen(path, "r");
	struct pm_trace *t;
	struct pm_block *cur = NULL;
	size_t cap = 0;
	char *line = NULL;
	int lineno = 0;

	if (!f) {
		snprintf(msg, n, "%s: cannot open", path);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		if (parse_line(t, line, &cur)) {
			snprintf(msg, n, "%s:%d: cannot parse: %.60s", path, lineno, line);
			free(line);
			fclose(f);
			pm_trace_free(t);
			return NULL;
		}
	}
	free(line);
	fclose(f);
	return t;
}

void pm_trace_free(struct pm_trace *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n_blocks; i++) {
		for (size_t k = 0; k < t->blocks[i].n_ops; k++)
			free(t->blocks[i].ops[k].bytes);
		free(t->blocks[i].ops);
	}
	free(t->blocks);
	free(t);
}

static const struct pm_block *frame_block(const struct pm_trace *t, int k)
{
	for (int i = 0; i < t->n_blocks; i++)
		if (!strcmp(t->blocks[i].kind, "frame") && k-- == 0)
			return &t->blocks[i];
	return NULL;
}

int pm_trace_frames(const struct pm_trace *t)
{
	int n = 0;

	for (int i = 0; i < t->n_blocks; i++)
		n += !strcmp(t->blocks[i].kind, "frame");
	return n;
}

/* ---- the simulated board ---- */

#define PM_LINES 18

struct sim {
	const struct pm_trace *t;
	const struct pm_panel *p;
	unsigned levels;
	int n_lines, line_bit[PM_LINES];
	int len;		  /* register positions per data line */
	unsigned char *reg, *lat; /* [line][len], index 0 = input end */
	int *map;		  /* [address][line][len] -> board LED index or -1 */
	double *acc, pending, total;
	int bw, bh;
	int lat_clocks;
	long reg1, reg2;
};

static int group_count(const struct pm_panel *p)
{
	return p->parallel ? p->rows : 1;
}

static int modules_per_chain(const struct pm_panel *p)
{
	return p->parallel ? p->chain : p->chain * p->rows;
}

static int positions_per_module(const struct pm_panel *p)
{
	if (!p->hub75)
		return p->module_w * (p->module_h / p->scan);
	return p->outdoor4s ? 2 * p->module_w : p->module_w;
}

static void data_lines(struct sim *s)
{
	static const char *const h12[] = {"r1", "r2"};
	static const char *const h75[] = {"r1", "g1", "b1", "r2", "g2", "b2"};
	char name[16];

	s->n_lines = 0;
	for (int g = 0; g < group_count(s->p); g++) {
		if (!s->p->hub75) {
			s->line_bit[s->n_lines++] = bit_of(s->t, h12[g]);
			continue;
		}
		for (int k = 0; k < 6; k++) {
			if (g)
				snprintf(name, sizeof(name), "p%d_%s", g + 1, h75[k]);
			else
				snprintf(name, sizeof(name), "%s", h75[k]);
			s->line_bit[s->n_lines++] = bit_of(s->t, name);
		}
	}
}

/* Where module c of group g sits and whether it is upside down. */
static void place(const struct pm_panel *p, int g, int c, int *x0, int *y0, int *flip)
{
	int row = p->parallel ? g : c / p->chain, k = p->parallel ? c : c % p->chain;
	int leftwards = p->parallel || row % 2 == 0;

	*flip = !leftwards;
	*x0 = (leftwards ? p->chain - 1 - k : k) * p->module_w;
	*y0 = row * p->module_h;
}

/* For module-local pixel (x, y): address, module position and line in group. */
static void pixel_slot(const struct pm_panel *p, int x, int y, int *addr, int *q, int *half)
{
	if (!p->hub75) {
		int rows_lit = p->module_h / p->scan;
		*addr = y % p->scan;
		*q = 8 * rows_lit * (x / 8) + 8 * (rows_lit - 1 - y / p->scan) + x % 8;
		*half = 0;
	} else if (p->outdoor4s) {
		*half = y >= p->module_h / 2;
		*addr = (y % (p->module_h / 2)) % 4;
		*q = 16 * (x / 8) + 8 * ((y / 4) % 2) + x % 8;
	} else {
		*half = y >= p->module_h / 2;
		*addr = y % (p->module_h / 2);
		*q = x;
	}
}

static void build_map(struct sim *s)
{
	const struct pm_panel *p = s->p;
	int per = positions_per_module(p), lines_per_group = p->hub75 ? 6 : 1;

	s->map = malloc(sizeof(int) * (size_t)p->scan * s->n_lines * s->len);
	for (size_t i = 0; i < (size_t)p->scan * s->n_lines * s->len; i++)
		s->map[i] = -1;
	for (int g = 0; g < group_count(p); g++)
		for (int c = 0; c < modules_per_chain(p); c++) {
			int x0, y0, flip;
			place(p, g, c, &x0, &y0, &flip);
			for (int y = 0; y < p->module_h; y++)
				for (int x = 0; x < p->module_w; x++) {
					int addr, q, half, j = 0;
					int bx = flip ? x0 + p->module_w - 1 - x : x0 + x;
					int by = flip ? y0 + p->module_h - 1 - y : y0 + y;
					pixel_slot(p, x, y, &addr, &q, &half);
					j = c * per + per - 1 - q;
					for (int pin = 0; pin < (p->hub75 ? 3 : 1); pin++) {
						int line = g * lines_per_group + half * 3 + pin;
						int ch =
						    p->hub75
							? (int)(strchr("RGB", p->pin_leds[pin]) -
								"RGB")
							: 0;
						s->map[((size_t)addr * s->n_lines + line) * s->len +
						       j] = (by * s->bw + bx) * 3 + ch;
					}
				}
		}
}

static int level(const struct sim *s, const char *role)
{
	int b = bit_of(s->t, role);
	return b >= 0 ? (int)((s->levels >> b) & 1) : 0;
}

static int oe_active(const struct sim *s)
{
	return level(s, "oe") != s->p->oe_active_low;
}

static int address(const struct sim *s)
{
	static const char *const names[] = {"a", "b", "c", "d", "e"};
	int a = 0;

	for (int i = 0; i < 5; i++)
		a |= level(s, names[i]) << i;
	return a;
}

/* Adds the time since the last flush to every LED lit in that time. */
static void flush(struct sim *s)
{
	int a = address(s);

	if (s->pending > 0 && oe_active(s) && a < s->p->scan)
		for (int l = 0; l < s->n_lines; l++) {
			const int *m = s->map + ((size_t)a * s->n_lines + l) * s->len;
			const unsigned char *bits = s->lat + (size_t)l * s->len;
			for (int j = 0; j < s->len; j++) {
				int on = bits[j] != s->p->data_active_low;
				if (m[j] >= 0 && on)
					s->acc[m[j]] += s->pending;
			}
		}
	s->pending = 0;
}

static void clock_in(struct sim *s)
{
	for (int l = 0; l < s->n_lines; l++) {
		unsigned char *r = s->reg + (size_t)l * s->len;
		memmove(r + 1, r, (size_t)s->len - 1);
		r[0] = s->line_bit[l] >= 0 ? (s->levels >> s->line_bit[l]) & 1 : 0;
	}
}

static void latch(struct sim *s)
{
	flush(s);
	memcpy(s->lat, s->reg, (size_t)s->n_lines * s->len);
}

static void fm_register(struct sim *s)
{
	long v = 0;

	for (int j = 0; j < 16 && j < s->len; j++)
		v |= (long)s->reg[j] << j;
	if (s->lat_clocks == 11)
		s->reg1 = v;
	else if (s->lat_clocks == 12)
		s->reg2 = v;
	s->lat_clocks = 0;
}

static void set_lines(struct sim *s, unsigned mask, unsigned values)
{
	unsigned old = s->levels, now = (old & ~mask) | (values & mask);
	int clk = bit_of(s->t, "clk"), lat = bit_of(s->t, "lat"), oe = bit_of(s->t, "oe");
	unsigned addr_bits = 0;

	for (int i = 0; i < 5; i++) {
		int b = bit_of(s->t, (const char *[]){"a", "b", "c", "d", "e"}[i]);
		if (b >= 0)
			addr_bits |= 1u << b;
	}
	if ((old ^ now) & (addr_bits | (oe >= 0 ? 1u << oe : 0)))
		flush(s);
	s->levels = now;
	if (lat >= 0 && !(old >> lat & 1) && (now >> lat & 1))
		latch(s);
	if (lat >= 0 && (old >> lat & 1) && !(now >> lat & 1) && s->lat_clocks)
		fm_register(s);
	if (clk >= 0 && !(old >> clk & 1) && (now >> clk & 1)) {
		clock_in(s);
		if (lat >= 0 && (now >> lat & 1)) {
			latch(s);
			s->lat_clocks++;
		}
	}
}

static void spi_bytes(struct sim *s, const unsigned char *bytes, size_t n)
{
	unsigned clk = 1u << bit_of(s->t, "clk"), r1 = 1u << bit_of(s->t, "r1");

	for (size_t i = 0; i < n; i++)
		for (int b = 7; b >= 0; b--) {
			set_lines(s, clk | r1, (bytes[i] >> b & 1) ? r1 : 0);
			set_lines(s, clk, clk);
		}
	set_lines(s, clk, 0);
}

static void run(struct sim *s, const struct pm_block *b)
{
	for (size_t i = 0; i < b->n_ops; i++) {
		const struct pm_op *op = &b->ops[i];
		double dt;
		if (op->kind == 's') {
			set_lines(s, op->mask, op->values);
			dt = s->t->write_ns;
		} else if (op->kind == 'p') {
			spi_bytes(s, op->bytes, op->n);
			dt = op->n * 8e9 / s->t->spi_hz;
		} else {
			dt = op->ns;
		}
		s->pending += dt;
		s->total += dt;
	}
}

static void sim_init(struct sim *s, const struct pm_trace *t, const struct pm_panel *p)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->p = p;
	s->levels = t->initial;
	s->bw = p->module_w * p->chain;
	s->bh = p->module_h * p->rows;
	s->len = positions_per_module(p) * modules_per_chain(p);
	data_lines(s);
	s->reg = calloc((size_t)s->n_lines * s->len, 1);
	s->lat = calloc((size_t)s->n_lines * s->len, 1);
	s->acc = calloc((size_t)s->bw * s->bh * 3, sizeof(double));
	s->reg1 = s->reg2 = -1;
	build_map(s);
}

static void sim_free(struct sim *s)
{
	free(s->reg);
	free(s->lat);
	free(s->acc);
	free(s->map);
}

static void run_kind(struct sim *s, const char *kind)
{
	for (int i = 0; i < s->t->n_blocks; i++)
		if (!strcmp(s->t->blocks[i].kind, kind))
			run(s, &s->t->blocks[i]);
}

int pm_decode(const struct pm_trace *t, const struct pm_panel *p, int k, struct pm_image *board,
	      char *msg, size_t n)
{
	const struct pm_block *b = frame_block(t, k);
	struct sim s;

	if (!b) {
		snprintf(msg, n, "no frame %d in the trace (%d frames)", k, pm_trace_frames(t));
		return -1;
	}
	sim_init(&s, t, p);
	run_kind(&s, "init");
	run(&s, b); /* reach the steady state of the loop */
	flush(&s);
	memset(s.acc, 0, sizeof(double) * (size_t)s.bw * s.bh * 3);
	s.total = 0;
	run(&s, b);
	flush(&s);
	board->w = s.bw;
	board->h = s.bh;
	board->v = malloc(sizeof(double) * (size_t)s.bw * s.bh * 3);
	for (size_t i = 0; i < (size_t)s.bw * s.bh * 3; i++)
		board->v[i] = s.total > 0 ? s.acc[i] / s.total : 0;
	sim_free(&s);
	return 0;
}

void pm_init_registers(const struct pm_trace *t, const struct pm_panel *p, long *reg1, long *reg2)
{
	struct sim s;

	sim_init(&s, t, p);
	run_kind(&s, "init");
	*reg1 = s.reg1;
	*reg2 = s.reg2;
	sim_free(&s);
}

double pm_frame_ns(const struct pm_trace *t, int k, long *writes, long *spi_bytes)
{
	const struct pm_block *b = frame_block(t, k);
	double ns = 0;

	*writes = *spi_bytes = 0;
	for (size_t i = 0; b && i < b->n_ops; i++) {
		const struct pm_op *op = &b->ops[i];
		if (op->kind == 's') {
			ns += t->write_ns;
			++*writes;
		} else if (op->kind == 'p') {
			ns += op->n * 8e9 / t->spi_hz;
			*spi_bytes += (long)op->n;
		} else {
			ns += op->ns;
		}
	}
	return ns;
}

void pm_view(const struct pm_panel *p, const struct pm_image *board, struct pm_image *view)
{
	int W = board->w, H = board->h, turned = p->rotate == 90 || p->rotate == 270;

	view->w = turned ? H : W;
	view->h = turned ? W : H;
	view->v = malloc(sizeof(double) * (size_t)W * H * 3);
	for (int by = 0; by < H; by++)
		for (int bx = 0; bx < W; bx++) {
			int cx = bx, cy = by;
			if (p->rotate == 90)
				cx = H - 1 - by, cy = bx;
			else if (p->rotate == 180)
				cx = W - 1 - bx, cy = H - 1 - by;
			else if (p->rotate == 270)
				cx = by, cy = W - 1 - bx;
			if (p->mirror_x)
				cx = view->w - 1 - cx;
			if (p->mirror_y)
				cy = view->h - 1 - cy;
			memcpy(&view->v[((size_t)cy * view->w + cx) * 3],
			       &board->v[((size_t)by * W + bx) * 3], 3 * sizeof(double));
		}
}

void pm_image_free(struct pm_image *im)
{
	free(im->v);
	im->v = NULL;
}
