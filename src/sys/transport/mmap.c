/*
 * transport/mmap.c: panel lines on a Raspberry Pi 1-4's GPIO registers,
 * mapped from /dev/gpiomem, so a write is a store (~20 ns on a Pi 4) instead
 * of a kernel call (~1.15 us through libgpiod). One set is two stores, GPSET0
 * for the lines going high and GPCLR0 for those going low; holds are a spin
 * loop calibrated against the monotonic clock when the transport opens.
 *
 * The registers are those of the BCM2835 ARM Peripherals datasheet, section
 * 6.1 (GPIO register view; the BCM2836/2837 use the same block, and the
 * BCM2711 datasheet, section 5.2, keeps these offsets): GPFSEL0..5 at 0x00..
 * 0x14 (3 bits per pin, 000 input, 001 output, others the ALT functions),
 * GPSET0 at 0x1c and GPCLR0 at 0x28 (writing 1 sets or clears a pin's output;
 * 0 does nothing; pins 0..31), GPLEV0 at 0x34 (the pins' levels).
 * /dev/gpiomem maps exactly that block at offset 0, to the gpio group,
 * without root.
 *
 * Tests run the same code on an emulated block (ls_transport_open_bcm()):
 * the register access is chosen once at open, and the replay loop is
 * compiled twice from one inline body, so the real path has no call per write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lines.h"

/* Register word indexes: the datasheet's byte offsets / 4. */
#define GPFSEL0 (0x00 / 4)
#define GPSET0 (0x1c / 4)
#define GPCLR0 (0x28 / 4)
#define GPLEV0 (0x34 / 4)
#define BLOCK_LEN 4096
#define FSEL_INPUT 0u
#define FSEL_OUTPUT 1u

/* Holds longer than this go to ls_hold_ns(), which sleeps most of them. */
#define SPIN_MAX_NS 100000u

struct bcm {
	volatile uint32_t *mem; /* the registers, or NULL when emulated */
	struct ls_bcm_regs regs;
	void *mapped; /* from /dev/gpiomem, unmapped on close */
	int fd;
	uint32_t gpio_of[4][256]; /* role bits, a byte at a time, as GPIO bits */
	uint32_t used;		  /* GPIO bits of the used pins */
	uint32_t initial;	  /* role levels at open; its OE level is "off" */
	uint64_t spins_q16;	  /* spin loop turns per ns, 16.16 fixed point */
};

static inline __attribute__((always_inline)) uint32_t gpio_bits(const struct bcm *b, uint32_t roles)
{
	return b->gpio_of[0][roles & 255] | b->gpio_of[1][(roles >> 8) & 255] |
	       b->gpio_of[2][(roles >> 16) & 255] | b->gpio_of[3][roles >> 24];
}

static inline __attribute__((always_inline)) void put(struct bcm *b, int direct, unsigned word,
						      uint32_t v)
{
	if (direct)
		b->mem[word] = v;
	else
		b->regs.write(b->regs.ctx, word, v);
}

static uint32_t get(const struct bcm *b, unsigned word)
{
	return b->mem ? b->mem[word] : b->regs.read(b->regs.ctx, word);
}

/* The register holding OE's new level goes first, so the edge that starts or
 * ends a row's light comes at the start of the set, where the encoder's time
 * model (deploy/trace-format.md) places it. Both stores are always made: a set
 * then always costs two writes, the time the encoder counts. */
static inline __attribute__((always_inline)) void set_lines(struct bcm *b, int direct,
							    uint32_t mask, uint32_t values)
{
	uint32_t hi = gpio_bits(b, mask & values), lo = gpio_bits(b, mask & ~values);

	if (mask & values & LS_BIT(LS_LINE_OE)) {
		put(b, direct, GPSET0, hi);
		put(b, direct, GPCLR0, lo);
	} else {
		put(b, direct, GPCLR0, lo);
		put(b, direct, GPSET0, hi);
	}
}

static void spin(uint64_t turns)
{
	while (turns--)
		__asm__ volatile("" ::: "memory");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Turns of spin() per ns: the fastest of five timed runs, since an
 * interrupted run only looks slower. */
static uint64_t calibrate(void)
{
	const uint64_t turns = 200000;
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		uint64_t t0 = now_ns(), dt;
		spin(turns);
		dt = now_ns() - t0;
		if (dt && dt < best)
			best = dt;
	}
	return best == UINT64_MAX ? 1u << 16 : (turns << 16) / best;
}

static void spin_hold(const struct bcm *b, uint32_t ns)
{
	if (ns > SPIN_MAX_NS)
		ls_hold_ns(ns);
	else
		spin((ns * b->spins_q16) >> 16);
}

static inline __attribute__((always_inline)) int play_on(struct bcm *b, int direct,
							 const struct ls_program *p)
{
	const struct ls_op *op = p->ops, *end = p->ops + p->n_ops;
	int r = 0;

	for (; op < end; op++) {
		if (op->kind == LS_OP_SET)
			set_lines(b, direct, op->a, op->b);
		else if (op->kind != LS_OP_HOLD)
			r = -1; /* SPI: this transport has no SPI controller */
		else if (direct || !b->regs.hold)
			spin_hold(b, op->a);
		else
			b->regs.hold(b->regs.ctx, op->a);
	}
	return r;
}

static int play_direct(void *impl, const struct ls_program *p)
{
	return play_on(impl, 1, p);
}

static int play_emulated(void *impl, const struct ls_program *p)
{
	return play_on(impl, 0, p);
}

static int bcm_set(void *impl, uint32_t mask, uint32_t values)
{
	struct bcm *b = impl;

	if (b->mem)
		set_lines(b, 1, mask, values);
	else
		set_lines(b, 0, mask, values);
	return 0;
}

static int bcm_hold(void *impl, uint32_t ns)
{
	struct bcm *b = impl;

	if (b->mem || !b->regs.hold)
		spin_hold(b, ns);
	else
		b->regs.hold(b->regs.ctx, ns);
	return 0;
}

/* Sets the function of every used pin (one read-modify-write per GPFSEL). */
static void set_function(struct bcm *b, uint32_t fsel)
{
	for (unsigned w = 0; w < 4; w++) {
		uint32_t v = get(b, GPFSEL0 + w), was = v;
		for (unsigned i = 0; i < 10 && w * 10 + i < 32; i++)
			if (b->used & (UINT32_C(1) << (w * 10 + i)))
				v = (v & ~(UINT32_C(7) << (3 * i))) | fsel << (3 * i);
		if (v != was)
			put(b, b->mem != NULL, GPFSEL0 + w, v);
	}
}

static void bcm_close(void *impl)
{
	struct bcm *b = impl;

	bcm_set(b, LS_BIT(LS_LINE_OE), b->initial); /* OE off: the board goes dark */
	set_function(b, FSEL_INPUT);
	if (b->mapped) {
		munmap(b->mapped, BLOCK_LEN);
		munlock(b, sizeof(*b));
	}
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

/* "ALT0".."ALT5" for a GPFSEL code that is neither input nor output. */
static int alt_number(uint32_t fsel)
{
	static const int alt[8] = {-1, -1, 5, 4, 0, 1, 2, 3};
	return alt[fsel & 7];
}

static int check_bank(const struct ls_line_map *map, struct ls_error *err)
{
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] > 31)
			return ls_error_set(err,
					    "[pins] %s: GPIO %d is beyond GPIO 0..31, the bank the "
					    "mmap output drives; use a header pin (WIRING.md)",
					    ls_line_role_name(r), map->offset[r]);
	return 0;
}

/* Fills the role-to-GPIO tables; refuses pins the registers used cannot
 * drive and pins another function (SPI, UART, PWM) holds. */
static int map_pins(struct bcm *b, const struct ls_line_map *map, struct ls_error *err)
{
	if (check_bank(map, err))
		return -1;
	for (int r = 0; r < LS_LINE_COUNT; r++) {
		int g = map->offset[r];
		uint32_t fsel;
		if (g < 0)
			continue;
		fsel = (get(b, GPFSEL0 + (unsigned)g / 10) >> (3 * (g % 10))) & 7;
		if (fsel != FSEL_INPUT && fsel != FSEL_OUTPUT)
			return ls_error_set(err,
					    "[pins] %s: GPIO %d is set to ALT%d (another function, "
					    "such as SPI or a UART, holds it); disable that "
					    "function in config.txt or use another pin",
					    ls_line_role_name(r), g, alt_number(fsel));
		b->gpio_of[r / 8][LS_BIT(r % 8)] = UINT32_C(1) << g;
		b->used |= UINT32_C(1) << g;
	}
	for (int k = 0; k < 4; k++)
		for (unsigned v = 1; v < 256; v++)
			b->gpio_of[k][v] = b->gpio_of[k][v & (v - 1)] | b->gpio_of[k][v & -v];
	return 0;
}

/* The latches take the initial levels before the pins become outputs, so
 * they start driving those levels without a glitch. */
static struct ls_transport *start(struct bcm *b, const struct ls_line_map *map,
				  struct ls_error *err)
{
	static const struct ls_transport_ops direct = {
	    .set = bcm_set, .hold = bcm_hold, .close = bcm_close, .play = play_direct};
	static const struct ls_transport_ops emulated = {
	    .set = bcm_set, .hold = bcm_hold, .close = bcm_close, .play = play_emulated};
	struct ls_transport *t;

	if (map_pins(b, map, err))
		return NULL;
	b->initial = map->initial;
	b->spins_q16 = calibrate();
	put(b, b->mem != NULL, GPSET0, gpio_bits(b, map->initial));
	put(b, b->mem != NULL, GPCLR0, b->used & ~gpio_bits(b, map->initial));
	set_function(b, FSEL_OUTPUT);
	t = ls_transport_wrap(b->mem ? &direct : &emulated, b);
	if (!t)
		ls_error_set(err, "out of memory");
	return t;
}

static struct bcm *bcm_new(struct ls_error *err)
{
	struct bcm *b = calloc(1, sizeof(*b));

	if (!b)
		ls_error_set(err, "out of memory");
	else
		b->fd = -1;
	return b;
}

struct ls_transport *ls_transport_open_bcm(const struct ls_bcm_regs *regs,
					   const struct ls_line_map *map, struct ls_error *err)
{
	struct bcm *b = bcm_new(err);
	struct ls_transport *t;

	if (!b)
		return NULL;
	b->regs = *regs;
	t = start(b, map, err);
	if (!t)
		free(b);
	return t;
}

struct ls_transport *ls_transport_open_bcm_memory(volatile uint32_t *block,
						  const struct ls_line_map *map,
						  struct ls_error *err)
{
	struct bcm *b = bcm_new(err);
	struct ls_transport *t;

	if (!b)
		return NULL;
	b->mem = block;
	t = start(b, map, err);
	if (!t)
		free(b);
	return t;
}

/* The SoCs whose GPIO block /dev/gpiomem maps as above; bcm2708/2709/2710
 * are the Raspberry Pi kernels' older names for the 2835/2836/2837. */
static int known_soc(const char *c)
{
	static const char *const socs[] = {"brcm,bcm2835", "brcm,bcm2836", "brcm,bcm2837",
					   "brcm,bcm2711", "brcm,bcm2708", "brcm,bcm2709",
					   "brcm,bcm2710"};

	for (size_t i = 0; i < sizeof(socs) / sizeof(socs[0]); i++)
		if (!strcmp(c, socs[i]))
			return 1;
	return 0;
}

/* Reads the device tree's compatible list (NUL-separated strings). */
static int read_compatible(const char *path, char *buf, size_t n, struct ls_error *err)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f)
		return ls_error_set(err, "cannot read %s: %s (not a Raspberry Pi?)", path,
				    strerror(errno));
	len = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (size_t i = 0; i + 1 < len; i++)
		if (!buf[i])
			buf[i] = '\n'; /* one string a line, so the list is one C string */
	return 0;
}

static int check_soc(const struct ls_gpiomem_paths *paths, struct ls_error *err)
{
	const char *path = paths && paths->compatible ? paths->compatible : NULL;
	char buf[1024], *save, *c;

	if (!path)
		path = access("/proc/device-tree/compatible", R_OK)
			   ? "/sys/firmware/devicetree/base/compatible"
			   : "/proc/device-tree/compatible";
	if (read_compatible(path, buf, sizeof(buf), err))
		return -1;
	if (strstr(buf, "brcm,bcm2712"))
		return ls_error_set(err,
				    "a Raspberry Pi 5 (bcm2712): its header GPIO is on the RP1 "
				    "chip, which the mmap output does not drive");
	for (c = strtok_r(buf, "\n", &save); c; c = strtok_r(NULL, "\n", &save))
		if (known_soc(c))
			return 0;
	return ls_error_set(err, "%s names no BCM2835/2836/2837/2711 SoC (it says: %.80s)", path,
			    buf);
}

static const char *device_path(const struct ls_gpiomem_paths *paths)
{
	return paths && paths->device ? paths->device : "/dev/gpiomem";
}

int ls_gpiomem_usable(const struct ls_gpiomem_paths *paths, const struct ls_line_map *map, int mode,
		      struct ls_error *err)
{
	const char *dev = device_path(paths);

	if (check_soc(paths, err) || check_bank(map, err))
		return -1;
	if (access(dev, mode ? mode : F_OK))
		return ls_error_set(err, "cannot open %s: %s; %s", dev, strerror(errno),
				    errno == ENOENT ? "the kernel has no gpiomem driver"
						    : ls_transport_open_hint(errno, 0));
	return 0;
}

struct ls_transport *ls_transport_open_mmap(const struct ls_gpiomem_paths *paths,
					    const struct ls_line_map *map, struct ls_error *err)
{
	const char *dev = device_path(paths);
	struct bcm *b;
	struct ls_transport *t;

	if (check_soc(paths, err) || !(b = bcm_new(err)))
		return NULL;
	b->fd = open(dev, O_RDWR | O_SYNC | O_CLOEXEC);
	if (b->fd < 0) {
		ls_error_set(err, "cannot open %s: %s; %s", dev, strerror(errno),
			     errno == ENOENT ? "the kernel has no gpiomem driver"
					     : ls_transport_open_hint(errno, 0));
		goto err_open;
	}
	b->mapped = mmap(NULL, BLOCK_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (b->mapped == MAP_FAILED) {
		ls_error_set(err, "cannot map %s: %s", dev, strerror(errno));
		goto err_map;
	}
	b->mem = b->mapped;
	/* The replay loop reads these tables on every set: keep them resident if
	 * allowed (without LimitMEMLOCK the refresh thread already warns). */
	(void)mlock(b, sizeof(*b));
	t = start(b, map, err);
	if (t)
		return t;
	munmap(b->mapped, BLOCK_LEN);
err_map:
	close(b->fd);
err_open:
	free(b);
	return NULL;
}
