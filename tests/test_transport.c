/*
 * Transports: the gpiod and spi open paths (real libgpiod 2.x and spidev code
 * up to the ioctl; there is no GPIO hardware here), the record format, and
 * programs.
 */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"

#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/transport.h"

static struct ls_line_map small_map(void)
{
	struct ls_line_map m;

	memset(&m, 0, sizeof(m));
	for (int r = 0; r < LS_LINE_COUNT; r++)
		m.offset[r] = -1;
	m.offset[LS_LINE_OE] = 24;
	m.offset[LS_LINE_CLK] = 11;
	m.offset[LS_LINE_R1] = 10;
	m.write_ns = 1150;
	snprintf(m.describe, sizeof(m.describe), "test");
	return m;
}

TEST(gpiod_missing_chip_names_the_chip_and_the_fix)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};

	ASSERT(ls_transport_open_gpiod("/dev/gpiochip-missing", &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "cannot open /dev/gpiochip-missing");
	ASSERT_CONTAINS(err.msg, "ledsign doctor lists the chips");
	ASSERT_CONTAINS(err.msg, "[output] chip");
}

TEST(gpiod_unknown_label_says_which_chips_exist)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};

	ASSERT(ls_transport_open_gpiod("pinctrl-nowhere", &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "no GPIO chip is named or labelled 'pinctrl-nowhere'");
	ASSERT_CONTAINS(err.msg, "found:");
}

TEST(gpiod_file_that_is_not_a_chip_is_refused)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/gpiochip0", th_tmpdir());
	f = fopen(path, "w");
	ASSERT(f);
	fclose(f);
	ASSERT(ls_transport_open_gpiod(path, &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, path);
	ASSERT_CONTAINS(err.msg, "not a GPIO chip");
}

TEST(permission_denied_points_to_the_gpio_and_spi_groups)
{
	ASSERT_CONTAINS(ls_transport_open_hint(EACCES, 0), "gpio group");
	ASSERT_CONTAINS(ls_transport_open_hint(EACCES, 0), "deploy/WIRING.md");
	ASSERT_CONTAINS(ls_transport_open_hint(EACCES, 1), "spi group");
	ASSERT_CONTAINS(ls_transport_open_hint(EBUSY, 0), "ledsign doctor names it");
}

TEST(spi_missing_device_names_the_device_and_the_fix)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};

	m.spi_hz = 4000000;
	ASSERT(ls_transport_open_spi("/dev/spidev9.9", "gpiochip0", &m, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "cannot open /dev/spidev9.9");
	ASSERT_CONTAINS(err.msg, "dtparam=spi=on");
}

TEST(gpiod_output_fails_at_open_with_the_chip_error)
{
	struct ls_config cfg;
	struct ls_error err = {""};

	ls_config_defaults(&cfg);
	cfg.output.type = LS_OUTPUT_GPIOD;
	snprintf(cfg.output.chip, sizeof(cfg.output.chip), "/dev/gpiochip-missing");
	ASSERT(ls_output_open(&cfg, 192, 16, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "/dev/gpiochip-missing");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	ASSERT(f);
	ASSERT(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

TEST(record_writes_header_blocks_and_operations_as_documented)
{
	struct ls_line_map m = small_map();
	struct ls_error err = {""};
	char path[4200];
	struct ls_transport *t;
	const uint8_t bytes[] = {0xa5, 0x0f};
	char *text;

	m.initial = LS_BIT(LS_LINE_OE);
	snprintf(path, sizeof(path), "%s/t.trace", th_tmpdir());
	t = ls_transport_open_record(path, &m, &err);
	ASSERT_MSG(t, "%s", err.msg);
	ls_transport_begin(t, "frame", 1);
	ASSERT(ls_transport_set(t, LS_BIT(LS_LINE_CLK) | LS_BIT(LS_LINE_R1), LS_BIT(LS_LINE_R1)) ==
	       0);
	ASSERT(ls_transport_spi(t, bytes, 2) == 0);
	ASSERT(ls_transport_hold(t, 1500) == 0);
	ls_transport_end(t);
	ls_transport_close(t);
	text = slurp(path);
	ASSERT_CONTAINS(text, "ledsign-trace 1\n");
	ASSERT_CONTAINS(text, "timing write_ns=1150 spi_hz=0\n");
	ASSERT_CONTAINS(text, "line 0 oe 24\nline 2 clk 11\nline 8 r1 10\n");
	ASSERT_CONTAINS(text, "initial 0x00000001\n");
	ASSERT_CONTAINS(
	    text, "begin frame 1\n0 set 0x00000104 0x00000100\n1 spi a50f\n2 hold 1500\nend\n");
	free(text);
}

TEST(program_merges_consecutive_spi_and_refuses_overflow)
{
	struct ls_program *p = ls_program_new(3, 4);
	const uint8_t b[] = {1, 2, 3};

	ASSERT(p);
	ASSERT(ls_program_spi(p, b, 2) == 0);
	ASSERT(ls_program_spi(p, b + 2, 1) == 0);
	ASSERT_EQ_INT(p->n_ops, 1);
	ASSERT_EQ_INT(p->ops[0].b, 3);
	ASSERT(ls_program_spi(p, b, 2) == -1); /* 5 bytes do not fit in 4 */
	ASSERT(ls_program_set(p, 3, 0xff) == 0);
	ASSERT_EQ_INT(p->ops[1].b, 3); /* values outside the mask are dropped */
	ASSERT(ls_program_hold(p, 10) == 0);
	ASSERT(ls_program_hold(p, 10) == -1);
	ASSERT_EQ_INT(ls_program_writes(p), 1);
	ls_program_free(p);
	ls_program_free(NULL);
}
