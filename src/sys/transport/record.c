/*
 * transport/record.c: writes every operation to a text trace instead of lines,
 * so a panel model (tests/panel_model.c) or a person can check what a board
 * would show. The format is specified in deploy/trace-format.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/transport.h"

struct record {
	FILE *f;
	unsigned long seq;
	int failed;
};

static int rec_set(void *impl, uint32_t mask, uint32_t values)
{
	struct record *r = impl;

	if (fprintf(r->f, "%lu set 0x%08x 0x%08x\n", r->seq++, mask, values & mask) < 0)
		r->failed = 1;
	return r->failed ? -1 : 0;
}

static int rec_spi(void *impl, const uint8_t *bytes, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	struct record *r = impl;

	fprintf(r->f, "%lu spi ", r->seq++);
	for (size_t i = 0; i < n; i++) {
		putc(hex[bytes[i] >> 4], r->f);
		putc(hex[bytes[i] & 15], r->f);
	}
	if (putc('\n', r->f) == EOF)
		r->failed = 1;
	return r->failed ? -1 : 0;
}

static int rec_hold(void *impl, uint32_t ns)
{
	struct record *r = impl;

	if (fprintf(r->f, "%lu hold %u\n", r->seq++, ns) < 0)
		r->failed = 1;
	return r->failed ? -1 : 0;
}

static void rec_begin(void *impl, const char *what, unsigned long n)
{
	struct record *r = impl;

	fprintf(r->f, "begin %s %lu\n", what, n);
	r->seq = 0;
}

static void rec_end(void *impl)
{
	struct record *r = impl;

	fputs("end\n", r->f);
	fflush(r->f);
}

static void rec_close(void *impl)
{
	struct record *r = impl;

	fclose(r->f);
	free(r);
}

static void write_header(FILE *f, const struct ls_line_map *map)
{
	fprintf(f, "ledsign-trace 1\n");
	fprintf(f, "# format: deploy/trace-format.md\n");
	fprintf(f, "panel %s\n", map->describe);
	fprintf(f, "timing write_ns=%u spi_hz=%u\n", map->write_ns, map->spi_hz);
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0)
			fprintf(f, "line %d %s %d\n", r, ls_line_role_name(r), map->offset[r]);
	fprintf(f, "initial 0x%08x\n", map->initial);
}

struct ls_transport *ls_transport_open_record(const char *path, const struct ls_line_map *map,
					      struct ls_error *err)
{
	static const struct ls_transport_ops ops = {.set = rec_set,
						    .spi = rec_spi,
						    .hold = rec_hold,
						    .begin = rec_begin,
						    .end = rec_end,
						    .close = rec_close};
	struct record *r = calloc(1, sizeof(*r));
	struct ls_transport *t;

	if (!r) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	r->f = fopen(path, "w");
	if (!r->f) {
		ls_error_set(err, "cannot create trace %s: %s; check [output] path", path,
			     strerror(errno));
		free(r);
		return NULL;
	}
	write_header(r->f, map);
	t = ls_transport_wrap(&ops, r);
	if (!t) {
		rec_close(r);
		ls_error_set(err, "out of memory");
	}
	return t;
}
