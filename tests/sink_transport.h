/*
 * sink_transport.h: a transport that sends nothing and counts its writes, so
 * a measurement of the refresh loop (tests/test_alloc.c, tests/bench_alloc.c)
 * sees the loop itself and no device or trace file.
 */
#ifndef LEDSIGN_TEST_SINK_TRANSPORT_H
#define LEDSIGN_TEST_SINK_TRANSPORT_H

#include <stdatomic.h>

#include "ledsign/transport.h"

static int sink_set(void *impl, uint32_t mask, uint32_t values)
{
	(void)mask;
	(void)values;
	atomic_fetch_add_explicit((atomic_ulong *)impl, 1, memory_order_relaxed);
	return 0;
}

static int sink_spi(void *impl, const uint8_t *bytes, size_t n)
{
	(void)impl;
	(void)bytes;
	(void)n;
	return 0;
}

static int sink_hold(void *impl, uint32_t ns)
{
	(void)impl;
	(void)ns;
	return 0;
}

static void sink_begin(void *impl, const char *what, unsigned long n)
{
	(void)impl;
	(void)what;
	(void)n;
}

static void sink_void(void *impl)
{
	(void)impl;
}

/* A transport counting its set-values calls in *sets; close it with
 * ls_transport_close() (sets stays the caller's). NULL when memory is short. */
static inline struct ls_transport *sink_transport_new(atomic_ulong *sets)
{
	static const struct ls_transport_ops ops = {sink_set,  sink_spi,  sink_hold, sink_begin,
						    sink_void, sink_void, NULL};

	return ls_transport_wrap(&ops, sets);
}

#endif
