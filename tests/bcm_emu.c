/*
 * bcm_emu.c: the emulated BCM GPIO block of bcm_emu.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcm_emu.h"

#define W_GPFSEL0 0 /* 0x00 */
#define W_GPFSEL5 5 /* 0x14 */
#define W_GPSET0 7  /* 0x1c */
#define W_GPCLR0 10 /* 0x28 */
#define W_GPLEV0 13 /* 0x34 */

struct bcm_emu {
	uint32_t fsel[6];
	uint32_t latch;
	int role_of[32]; /* line role per GPIO, -1 */
	FILE *trace;
	int in_block;
	unsigned long seq, writes, stray;
};

static uint32_t outputs(const struct bcm_emu *e)
{
	uint32_t o = 0;

	for (int g = 0; g < 32; g++)
		if (bcm_emu_function(e, g) == 1)
			o |= UINT32_C(1) << g;
	return o;
}

static uint32_t roles(const struct bcm_emu *e, uint32_t gpios)
{
	uint32_t r = 0;

	for (int g = 0; g < 32; g++)
		if ((gpios >> g & 1) && e->role_of[g] >= 0)
			r |= LS_BIT(e->role_of[g]);
	return r;
}

static void trace_set(struct bcm_emu *e, uint32_t gpios, int high)
{
	uint32_t mask = roles(e, gpios & outputs(e));

	if (e->trace && e->in_block)
		fprintf(e->trace, "%lu set 0x%08x 0x%08x\n", e->seq++, mask, high ? mask : 0);
}

static void emu_write(void *ctx, unsigned word, uint32_t v)
{
	struct bcm_emu *e = ctx;

	if (word <= W_GPFSEL5) {
		e->fsel[word] = v;
	} else if (word == W_GPSET0 || word == W_GPCLR0) {
		e->writes++;
		trace_set(e, v, word == W_GPSET0);
		e->latch = word == W_GPSET0 ? e->latch | v : e->latch & ~v;
	} else {
		e->stray++;
	}
}

static uint32_t emu_read(void *ctx, unsigned word)
{
	struct bcm_emu *e = ctx;

	if (word <= W_GPFSEL5)
		return e->fsel[word];
	return word == W_GPLEV0 ? bcm_emu_levels(e) : 0;
}

static void emu_hold(void *ctx, uint32_t ns)
{
	struct bcm_emu *e = ctx;

	if (e->trace && e->in_block)
		fprintf(e->trace, "%lu hold %u\n", e->seq++, ns);
}

struct bcm_emu *bcm_emu_new(const struct ls_line_map *map, const char *trace_path,
			    unsigned write_ns)
{
	struct bcm_emu *e = calloc(1, sizeof(*e));

	for (int g = 0; g < 32; g++)
		e->role_of[g] = -1;
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0 && map->offset[r] < 32)
			e->role_of[map->offset[r]] = r;
	if (!trace_path)
		return e;
	e->trace = fopen(trace_path, "w");
	fprintf(e->trace, "ledsign-trace 1\npanel %s\ntiming write_ns=%u spi_hz=0\n", map->describe,
		write_ns);
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0)
			fprintf(e->trace, "line %d %s %d\n", r, ls_line_role_name(r),
				map->offset[r]);
	fprintf(e->trace, "initial 0x%08x\n", map->initial);
	return e;
}

void bcm_emu_free(struct bcm_emu *e)
{
	if (!e)
		return;
	if (e->trace)
		fclose(e->trace);
	free(e);
}

struct ls_bcm_regs bcm_emu_regs(struct bcm_emu *e)
{
	return (struct ls_bcm_regs){emu_read, emu_write, emu_hold, e};
}

void bcm_emu_begin(struct bcm_emu *e, const char *kind, unsigned long n)
{
	fprintf(e->trace, "begin %s %lu\n", kind, n);
	e->seq = 0;
	e->in_block = 1;
}

void bcm_emu_end(struct bcm_emu *e)
{
	fputs("end\n", e->trace);
	fflush(e->trace);
	e->in_block = 0;
}

unsigned bcm_emu_function(const struct bcm_emu *e, int gpio)
{
	return e->fsel[gpio / 10] >> (3 * (gpio % 10)) & 7;
}

void bcm_emu_set_function(struct bcm_emu *e, int gpio, unsigned fsel)
{
	uint32_t *w = &e->fsel[gpio / 10];

	*w = (*w & ~(UINT32_C(7) << (3 * (gpio % 10)))) | (uint32_t)fsel << (3 * (gpio % 10));
}

uint32_t bcm_emu_levels(const struct bcm_emu *e)
{
	return e->latch & outputs(e);
}

unsigned long bcm_emu_writes(const struct bcm_emu *e)
{
	return e->writes;
}

unsigned long bcm_emu_stray_writes(const struct bcm_emu *e)
{
	return e->stray;
}
