/*
 * Transports: how the line states a panel encoder computed reach the panel.
 *
 * A panel's lines are named by role (OE, LAT, CLK, A..E, data lines) and a
 * line set is a 32-bit mask with one bit per role, so one write is
 * `set(mask, values)`: the lines in mask take the electrical levels in values
 * (1 = high) in one set-values call. Data can also go out as SPI bytes (HUB12
 * on MOSI/SCLK), and `hold(ns)` keeps the lines as they are for a time.
 *
 * An encoded frame is a program: the exact sequence of those operations for
 * one full refresh. Encoders fill programs (pure), the refresh thread replays
 * them through a transport. Four transports implement the same verbs:
 * gpiod (libgpiod v2 lines), spi (spidev for data plus gpiod lines), mmap (a
 * Raspberry Pi 1-4's GPIO registers through /dev/gpiomem, two register writes
 * per set) and record (a text trace, see deploy/trace-format.md).
 */
#ifndef LEDSIGN_TRANSPORT_H
#define LEDSIGN_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"

/* Line roles; the value is the role's bit in masks and values. */
enum ls_line_role {
	LS_LINE_OE,
	LS_LINE_LAT,
	LS_LINE_CLK,
	LS_LINE_A,
	LS_LINE_B,
	LS_LINE_C,
	LS_LINE_D,
	LS_LINE_E,
	LS_LINE_R1,
	LS_LINE_G1,
	LS_LINE_B1,
	LS_LINE_R2,
	LS_LINE_G2,
	LS_LINE_B2,
	LS_LINE_P2_R1, /* second parallel HUB75 chain: r1 g1 b1 r2 g2 b2 */
	LS_LINE_P3_R1 = LS_LINE_P2_R1 + 6,
	LS_LINE_COUNT = LS_LINE_P3_R1 + 6,
};

#define LS_BIT(role) (UINT32_C(1) << (role))

/* The role's name as written in traces and messages ("oe", "p2_g1", ...). */
const char *ls_line_role_name(int role);

enum ls_op_kind { LS_OP_SET, LS_OP_SPI, LS_OP_HOLD };

/* One operation: SET a = mask, b = values; SPI a = offset in bytes, b = length;
 * HOLD a = nanoseconds. */
struct ls_op {
	uint32_t kind;
	uint32_t a, b;
};

/* A program: the operations of one full refresh, and the SPI bytes they send. */
struct ls_program {
	struct ls_op *ops;
	size_t n_ops, cap_ops;
	uint8_t *bytes;
	size_t n_bytes, cap_bytes;
};

/* Allocates a program with room for cap_ops operations and cap_bytes SPI bytes,
 * every page touched so the refresh loop never faults; NULL when memory is
 * short. Free with ls_program_free(). */
struct ls_program *ls_program_new(size_t cap_ops, size_t cap_bytes);

/* Frees a program; NULL is accepted. */
void ls_program_free(struct ls_program *p);

/* Empties a program without freeing it. */
void ls_program_clear(struct ls_program *p);

/* Appends one operation; returns 0, or -1 when the program is full. */
int ls_program_set(struct ls_program *p, uint32_t mask, uint32_t values);
int ls_program_hold(struct ls_program *p, uint32_t ns);
int ls_program_spi(struct ls_program *p, const uint8_t *bytes, size_t n);

/* Counts of a program's SET operations and SPI bytes (for benchmarks). */
size_t ls_program_writes(const struct ls_program *p);

/* What a transport needs to know about the panel's lines. */
struct ls_line_map {
	int offset[LS_LINE_COUNT]; /* GPIO line offset per role; -1 = not used */
	uint32_t initial;	   /* electrical levels of the lines when requested */
	uint32_t write_ns;	   /* nominal cost of one write, for the trace header */
	uint32_t spi_hz;	   /* SPI clock, 0 when data goes over GPIO */
	char describe[256];	   /* the panel, one line, for the trace header */
};

struct ls_transport;

/* Requests every line of map on the GPIO chip named by chip (a path such as
 * /dev/gpiochip0, a name such as gpiochip0, or a label such as pinctrl-rp1) as
 * outputs at map->initial; NULL with an error naming the chip and the fix.
 * Close with ls_transport_close(). */
struct ls_transport *ls_transport_open_gpiod(const char *chip, const struct ls_line_map *map,
					     struct ls_error *err);

/* Finds the GPIO chip named by chip (as above) without requesting any line:
 * its /dev path in path (n bytes) and its number of lines; 0, or -1 with err. */
int ls_gpio_chip_probe(const char *chip, char *path, size_t n, unsigned *num_lines,
		       struct ls_error *err);

/* Opens spi_device (e.g. /dev/spidev0.0) at map->spi_hz, SPI mode 0, MSB first,
 * and the map's lines other than CLK and R1 on chip; NULL with err. */
struct ls_transport *ls_transport_open_spi(const char *spi_device, const char *chip,
					   const struct ls_line_map *map, struct ls_error *err);

/* Where the mmap transport looks; NULL (or a NULL field) means the real
 * /dev/gpiomem and /proc/device-tree/compatible. Tests point them elsewhere. */
struct ls_gpiomem_paths {
	const char *device;
	const char *compatible;
};

/* Drives the map's lines (offsets = BCM GPIO numbers, bank 0) through the
 * Raspberry Pi's GPIO registers mapped from /dev/gpiomem: sets their function
 * to output at map->initial and replays sets as register writes. NULL with
 * err saying why when it cannot (no such device, not a BCM2835/2836/2837/2711,
 * a pin beyond GPIO 31 or held by another function); the caller falls back to
 * gpiod. Close with ls_transport_close(): OE off, the pins back to inputs. */
struct ls_transport *ls_transport_open_mmap(const struct ls_gpiomem_paths *paths,
					    const struct ls_line_map *map, struct ls_error *err);

/* Whether ls_transport_open_mmap() can work here, as far as it can tell
 * without mapping: the SoC, map's pins in GPIO 0..31, and the device existing
 * (mode 0) or accessible to this process (mode R_OK | W_OK); 0, or -1 with
 * err saying why (the same words as the open's). */
int ls_gpiomem_usable(const struct ls_gpiomem_paths *paths, const struct ls_line_map *map, int mode,
		      struct ls_error *err);

/* Register access for the mmap transport on an emulated GPIO block (tests):
 * read and write take a register's word index in the block (GPSET0 = 7), and
 * hold stands for the calibrated wait. */
struct ls_bcm_regs {
	uint32_t (*read)(void *ctx, unsigned word);
	void (*write)(void *ctx, unsigned word, uint32_t value);
	void (*hold)(void *ctx, uint32_t ns);
	void *ctx;
};

/* The mmap transport's code on regs instead of the mapped registers (regs is
 * copied); NULL with err for the same reasons as ls_transport_open_mmap()
 * after the device is mapped. */
struct ls_transport *ls_transport_open_bcm(const struct ls_bcm_regs *regs,
					   const struct ls_line_map *map, struct ls_error *err);

/* The mmap transport's direct register writes on block (at least 0x100 bytes
 * of ordinary memory standing for the registers, for benchmarks). */
struct ls_transport *ls_transport_open_bcm_memory(volatile uint32_t *block,
						  const struct ls_line_map *map,
						  struct ls_error *err);

/* Creates the trace file at path and writes its header; NULL with err. */
struct ls_transport *ls_transport_open_record(const char *path, const struct ls_line_map *map,
					      struct ls_error *err);

/* One set-values call: the lines in mask take values. Returns 0 or -1. */
int ls_transport_set(struct ls_transport *t, uint32_t mask, uint32_t values);

/* Clocks n bytes out on SPI. Returns 0 or -1. */
int ls_transport_spi(struct ls_transport *t, const uint8_t *bytes, size_t n);

/* Keeps the lines unchanged for ns nanoseconds. Returns 0 or -1. */
int ls_transport_hold(struct ls_transport *t, uint32_t ns);

/* Marks the start and end of a block (init, frame N, stop) in a trace; the
 * GPIO transports ignore it. */
void ls_transport_begin(struct ls_transport *t, const char *what, unsigned long n);
void ls_transport_end(struct ls_transport *t);

/* Replays a program once. The refresh loop's hot path: allocates nothing. */
int ls_transport_play(struct ls_transport *t, const struct ls_program *p);

/* Releases the lines and devices (or flushes and closes the trace); NULL is accepted. */
void ls_transport_close(struct ls_transport *t);

/* The fix to suggest when a GPIO chip or SPI device cannot be opened with errnum. */
const char *ls_transport_open_hint(int errnum, int spi);

/* Internal vtable, filled by each transport's open function. */
struct ls_transport_ops {
	int (*set)(void *impl, uint32_t mask, uint32_t values);
	int (*spi)(void *impl, const uint8_t *bytes, size_t n);
	int (*hold)(void *impl, uint32_t ns);
	void (*begin)(void *impl, const char *what, unsigned long n);
	void (*end)(void *impl);
	void (*close)(void *impl);
	/* Optional: replays a whole program without a call per operation. */
	int (*play)(void *impl, const struct ls_program *p);
};

/* Wraps an implementation in a transport (used by the open functions and by
 * tests that hand in a fake); NULL when memory is short. */
struct ls_transport *ls_transport_wrap(const struct ls_transport_ops *ops, void *impl);

#endif
