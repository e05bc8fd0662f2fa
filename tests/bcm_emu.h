/*
 * An emulated BCM2835/2711 GPIO register block, for tests of the mmap
 * transport (src/sys/transport/mmap.c), written from the datasheet's register
 * description, not from the transport: GPFSEL0..5 hold 3 function bits per
 * pin (000 input, 001 output), a 1 written to GPSET0/GPCLR0 sets/clears that
 * pin's output latch (0 does nothing), only output pins drive their latch,
 * and GPLEV0 reads the pins. While a block is open (bcm_emu_begin) every
 * GPSET0/GPCLR0 write is one `set` of the trace format (deploy/trace-format.md)
 * over the line roles, so tests/panel_model.c decodes it like any trace.
 */
#ifndef LEDSIGN_BCM_EMU_H
#define LEDSIGN_BCM_EMU_H

#include <stdint.h>

#include "ledsign/transport.h"

struct bcm_emu;

/* An emulated block whose pins are all inputs, tracing to trace_path (NULL:
 * no trace) with map's roles and write_ns per register write; bcm_emu_free(). */
struct bcm_emu *bcm_emu_new(const struct ls_line_map *map, const char *trace_path,
			    unsigned write_ns);
void bcm_emu_free(struct bcm_emu *e);

/* The register access the transport is opened on (ls_transport_open_bcm()). */
struct ls_bcm_regs bcm_emu_regs(struct bcm_emu *e);

/* Opens and closes a trace block ("frame", 1). */
void bcm_emu_begin(struct bcm_emu *e, const char *kind, unsigned long n);
void bcm_emu_end(struct bcm_emu *e);

/* A pin's GPFSEL code (0 input, 1 output, 4 ALT0 ...); set one for a test. */
unsigned bcm_emu_function(const struct bcm_emu *e, int gpio);
void bcm_emu_set_function(struct bcm_emu *e, int gpio, unsigned fsel);

/* What GPLEV0 reads: output pins at their latch, inputs at 0. */
uint32_t bcm_emu_levels(const struct bcm_emu *e);

/* Counts: GPSET0/GPCLR0 writes, and writes to any other register than
 * GPFSEL0..5, GPSET0 and GPCLR0. */
unsigned long bcm_emu_writes(const struct bcm_emu *e);
unsigned long bcm_emu_stray_writes(const struct bcm_emu *e);

#endif
