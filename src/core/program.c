/*
 * program.c: programs (the encoded operations of one refresh) and the
 * transport interface: verbs dispatched through the operations a backend
 * hands in (src/sys/transport/: gpiod, spi, mmap, record), so the core never
 * names one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/transport.h"

struct ls_transport {
	struct ls_transport_ops ops;
	void *impl;
};

static const char *const role_names[LS_LINE_COUNT] = {
    "oe",    "lat",   "clk",   "a",	"b",	 "c",	  "d",	   "e",	    "r1",
    "g1",    "b1",    "r2",    "g2",	"b2",	 "p2_r1", "p2_g1", "p2_b1", "p2_r2",
    "p2_g2", "p2_b2", "p3_r1", "p3_g1", "p3_b1", "p3_r2", "p3_g2", "p3_b2",
};

const char *ls_line_role_name(int role)
{
	return role >= 0 && role < LS_LINE_COUNT ? role_names[role] : "?";
}

struct ls_program *ls_program_new(size_t cap_ops, size_t cap_bytes)
{
	struct ls_program *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	/* calloc'd pages may be mapped lazily; memset touches them now, before
	 * the refresh thread locks them, so its loop never takes a page fault. */
	p->ops = malloc((cap_ops ? cap_ops : 1) * sizeof(*p->ops));
	p->bytes = malloc(cap_bytes ? cap_bytes : 1);
	if (!p->ops || !p->bytes) {
		ls_program_free(p);
		return NULL;
	}
	memset(p->ops, 0, (cap_ops ? cap_ops : 1) * sizeof(*p->ops));
	memset(p->bytes, 0, cap_bytes ? cap_bytes : 1);
	p->cap_ops = cap_ops;
	p->cap_bytes = cap_bytes;
	return p;
}

void ls_program_free(struct ls_program *p)
{
	if (!p)
		return;
	free(p->ops);
	free(p->bytes);
	free(p);
}

void ls_program_clear(struct ls_program *p)
{
	p->n_ops = 0;
	p->n_bytes = 0;
}

static int push(struct ls_program *p, uint32_t kind, uint32_t a, uint32_t b)
{
	if (p->n_ops == p->cap_ops)
		return -1;
	p->ops[p->n_ops++] = (struct ls_op){kind, a, b};
	return 0;
}

int ls_program_set(struct ls_program *p, uint32_t mask, uint32_t values)
{
	return push(p, LS_OP_SET, mask, values & mask);
}

int ls_program_hold(struct ls_program *p, uint32_t ns)
{
	return push(p, LS_OP_HOLD, ns, 0);
}

int ls_program_spi(struct ls_program *p, const uint8_t *bytes, size_t n)
{
	if (n > p->cap_bytes - p->n_bytes)
		return -1;
	/* Consecutive transfers merge: one ioctl, one trace line. */
	if (p->n_ops && p->ops[p->n_ops - 1].kind == LS_OP_SPI) {
		memcpy(p->bytes + p->n_bytes, bytes, n);
		p->n_bytes += n;
		p->ops[p->n_ops - 1].b += (uint32_t)n;
		return 0;
	}
	if (push(p, LS_OP_SPI, (uint32_t)p->n_bytes, (uint32_t)n))
		return -1;
	memcpy(p->bytes + p->n_bytes, bytes, n);
	p->n_bytes += n;
	return 0;
}

size_t ls_program_writes(const struct ls_program *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_ops; i++)
		n += p->ops[i].kind == LS_OP_SET;
	return n;
}

struct ls_transport *ls_transport_wrap(const struct ls_transport_ops *ops, void *impl)
{
	struct ls_transport *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ops = *ops;
	t->impl = impl;
	return t;
}

int ls_transport_set(struct ls_transport *t, uint32_t mask, uint32_t values)
{
	return t->ops.set(t->impl, mask, values);
}

int ls_transport_spi(struct ls_transport *t, const uint8_t *bytes, size_t n)
{
	return t->ops.spi ? t->ops.spi(t->impl, bytes, n) : -1;
}

int ls_transport_hold(struct ls_transport *t, uint32_t ns)
{
	return t->ops.hold(t->impl, ns);
}

void ls_transport_begin(struct ls_transport *t, const char *what, unsigned long n)
{
	if (t->ops.begin)
		t->ops.begin(t->impl, what, n);
}

void ls_transport_end(struct ls_transport *t)
{
	if (t->ops.end)
		t->ops.end(t->impl);
}

int ls_transport_play(struct ls_transport *t, const struct ls_program *p)
{
	const struct ls_op *op = p->ops, *end = p->ops + p->n_ops;
	int r = 0;

	if (t->ops.play)
		return t->ops.play(t->impl, p);
	for (; op < end; op++) {
		switch (op->kind) {
		case LS_OP_SET:
			r |= t->ops.set(t->impl, op->a, op->b);
			break;
		case LS_OP_SPI:
			r |= ls_transport_spi(t, p->bytes + op->a, op->b);
			break;
		default:
			r |= t->ops.hold(t->impl, op->a);
			break;
		}
	}
	return r ? -1 : 0;
}

void ls_transport_close(struct ls_transport *t)
{
	if (!t)
		return;
	t->ops.close(t->impl);
	free(t);
}

const char *ls_transport_open_hint(int errnum, int spi)
{
	switch (errnum) {
	case EACCES:
	case EPERM:
		return spi ? "add the service user to the spi group (see deploy/WIRING.md)"
			   : "add the service user to the gpio group (see deploy/WIRING.md)";
	case ENOENT:
		return spi ? "enable SPI (dtparam=spi=on in config.txt, then reboot) or set "
			     "[output] spi_device"
			   : "set [output] chip to a path, name or label (ledsign doctor lists "
			     "the chips)";
	case EBUSY:
		return "another program holds these lines; stop it (ledsign doctor names it)";
	default:
		return spi ? "check [output] spi_device (see deploy/WIRING.md)"
			   : "check [output] chip (see deploy/WIRING.md)";
	}
}
