/*
 * test_light.c: ambient light (src/core/light.c, src/sys/light.c). The
 * curve's points and the lines between them, the smoothing's exponential
 * step worked out by hand, the hysteresis, and the sensor read from a fake
 * IIO directory laid out as sysfs lays it out (iio:deviceN/in_illuminance_*),
 * found by "auto" under $LEDSIGN_IIO_DIR; the schedule bounds the result and
 * takes over when the sensor fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/light.h"

static struct ls_light_curve curve(const char *s)
{
	struct ls_light_curve c;
	struct ls_error err;

	ASSERT_MSG(!ls_light_curve_parse(s, &c, &err), "%s", err.msg);
	return c;
}

TEST(the_curve_holds_its_ends_and_is_linear_between_points)
{
	struct ls_light_curve c = curve("10 20, 110 70, 1000 100");

	ASSERT_EQ_INT(c.n, 3);
	ASSERT_EQ_INT(ls_light_curve_at(&c, 0), 20); /* below the first point */
	ASSERT_EQ_INT(ls_light_curve_at(&c, 10), 20);
	ASSERT_EQ_INT(ls_light_curve_at(&c, 60), 45); /* halfway from 20 to 70 */
	ASSERT_EQ_INT(ls_light_curve_at(&c, 110), 70);
	ASSERT_EQ_INT(ls_light_curve_at(&c, 555), 85);	/* halfway from 70 to 100 */
	ASSERT_EQ_INT(ls_light_curve_at(&c, 5e4), 100); /* above the last */
	c = curve(LS_LIGHT_CURVE_DEFAULT);
	ASSERT_EQ_INT(ls_light_curve_at(&c, 0), 10);
}

TEST(a_curve_that_is_not_lux_percent_pairs_from_dark_to_bright_is_refused)
{
	struct ls_light_curve c;
	struct ls_error err;

	ASSERT(ls_light_curve_parse("", &c, &err));
	ASSERT_CONTAINS(err.msg, "no points");
	ASSERT(ls_light_curve_parse("100 50, 10 20", &c, &err));
	ASSERT_CONTAINS(err.msg, "points go from dark to bright");
	ASSERT(ls_light_curve_parse("10 0", &c, &err)); /* 0 %: use display hours to go dark */
	ASSERT(ls_light_curve_parse("10 101", &c, &err));
	ASSERT(ls_light_curve_parse("-1 50", &c, &err));
	ASSERT(ls_light_curve_parse("10 50 20", &c, &err));
	ASSERT_CONTAINS(err.msg, "write \"LUX PERCENT\" pairs");
	ASSERT(ls_light_curve_parse("ten 50", &c, &err));
}

TEST(smoothing_moves_the_lux_by_one_minus_e_to_the_minus_t_over_tau)
{
	struct ls_light_curve c = curve("0 1, 1000 100");
	struct ls_light_filter f = {.smooth_s = 10, .hysteresis = 1};

	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 0, 0), 1); /* the first reading as it is */
	/* Dark to 1000 lux: after 10 s (one time constant) 1000 (1 - 1/e) = 632.1
	 * lux, whether read once or ten times. */
	ls_light_filter_step(&f, &c, 1000, 10000);
	ASSERT(fabs(f.lux - 632.12) < 0.01);
	struct ls_light_filter g = {.smooth_s = 10, .hysteresis = 1};
	ls_light_filter_step(&g, &c, 0, 0);
	for (int i = 1; i <= 10; i++)
		ls_light_filter_step(&g, &c, 1000, i * 1000);
	ASSERT(fabs(g.lux - 632.12) < 0.01);
	ASSERT_EQ_INT(g.percent, 64); /* 1 + 99 * 0.63212 = 63.6 */
}

TEST(hysteresis_holds_the_brightness_until_the_curve_moves_far_enough)
{
	struct ls_light_curve c = curve("0 1, 100 100");
	struct ls_light_filter f = {.smooth_s = 0, .hysteresis = 5};

	/* The curve gives 1 + 0.99 lux, rounded: 50 -> 51, 53 -> 53, 47 -> 48, 56 -> 56. */
	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 50, 0), 51);
	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 53, 1000), 51); /* 2 points away: held */
	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 47, 2000), 51); /* 3 points away: held */
	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 56, 3000), 56); /* 5 points: it moves */
	ASSERT_EQ_INT(ls_light_filter_step(&f, &c, 52, 4000), 56); /* 52 is 4 from 56: held */
}

static void put(const char *dir, const char *name, const char *value)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ASSERT((f = fopen(path, "w")));
	fputs(value, f);
	fclose(f);
}

/* A fake IIO tree: ROOT/iio:device0 is an accelerometer, ROOT/iio:device1 a
 * BH1750-like sensor with raw and scale, ROOT/iio:device2 one with input. */
static const char *fake_iio(char *dev1, char *dev2, size_t n)
{
	const char *root = th_tmpdir();
	char d0[400];

	snprintf(d0, sizeof(d0), "%s/iio:device0", root);
	snprintf(dev1, n, "%s/iio:device1", root);
	snprintf(dev2, n, "%s/iio:device2", root);
	ASSERT(!mkdir(d0, 0755) && !mkdir(dev1, 0755) && !mkdir(dev2, 0755));
	put(d0, "in_accel_x_raw", "12\n");
	put(dev1, "in_illuminance_raw", "1200\n");
	put(dev1, "in_illuminance_scale", "0.833333\n");
	put(dev2, "in_illuminance_input", "321.5\n");
	return root;
}

TEST(the_sensor_reads_input_or_raw_plus_offset_times_scale_from_an_iio_directory)
{
	char dev1[400], dev2[400];
	struct ls_light_sensor s;
	struct ls_error err;
	double lux;
	const char *root = fake_iio(dev1, dev2, sizeof(dev1));

	ASSERT_EQ_INT(ls_light_open(dev2, &s, &err), 0);
	ASSERT_EQ_INT(ls_light_read(&s, &lux, &err), 0);
	ASSERT(lux == 321.5);
	ASSERT_EQ_INT(ls_light_open(dev1, &s, &err), 0);
	ASSERT_EQ_INT(ls_light_read(&s, &lux, &err), 0);
	ASSERT(fabs(lux - 1000.0) < 0.001); /* 1200 * 0.833333 */
	put(dev1, "in_illuminance_offset", "-200\n");
	ASSERT_EQ_INT(ls_light_read(&s, &lux, &err), 0);
	ASSERT(fabs(lux - 833.333) < 0.001); /* (1200 - 200) * 0.833333 */
	/* "auto" under $LEDSIGN_IIO_DIR: device0 has no illuminance, device1 is first. */
	setenv("LEDSIGN_IIO_DIR", root, 1);
	ASSERT_EQ_INT(ls_light_open("auto", &s, &err), 0);
	ASSERT_EQ_STR(s.dir, dev1);
	setenv("LEDSIGN_IIO_DIR", dev1, 1); /* no iio:device* below it */
	ASSERT(ls_light_open("auto", &s, &err));
	ASSERT_CONTAINS(err.msg, "no light sensor under");
	unsetenv("LEDSIGN_IIO_DIR");
	/* A reading that is not a number, or out of range, is refused. */
	put(dev2, "in_illuminance_input", "bright\n");
	ASSERT_EQ_INT(ls_light_open(dev2, &s, &err), 0);
	ASSERT(ls_light_read(&s, &lux, &err));
	ASSERT_CONTAINS(err.msg, "cannot read its illuminance");
	put(dev2, "in_illuminance_input", "900000\n");
	ASSERT(ls_light_read(&s, &lux, &err));
	ASSERT_CONTAINS(err.msg, "outside 0..200000");
}

static int warnings;
static void count_warning(const char *msg)
{
	(void)msg;
	warnings++;
}

TEST(the_schedule_bounds_the_light_and_takes_over_when_the_sensor_fails)
{
	char dev1[400], dev2[400];
	struct ls_config cfg;
	struct ls_ambient a;
	struct ls_error err;

	fake_iio(dev1, dev2, sizeof(dev1));
	ls_config_defaults(&cfg);
	ASSERT_EQ_INT(ls_ambient_configure(&a, &cfg, &err), 0); /* no sensor configured */
	ASSERT(!a.on);
	ASSERT_EQ_INT(ls_ambient_bound(&a, 0, 80, count_warning), 80);
	snprintf(cfg.display.light_sensor, sizeof(cfg.display.light_sensor), "%s", dev2);
	snprintf(cfg.display.light_curve, sizeof(cfg.display.light_curve), "0 10, 1000 100");
	ASSERT_EQ_INT(ls_ambient_configure(&a, &cfg, &err), 0);
	ASSERT(a.on);
	/* 321.5 lux: 10 + 90 * 0.3215 = 38.9 -> 39 %, below the schedule's 80. */
	ASSERT_EQ_INT(ls_ambient_bound(&a, 0, 80, count_warning), 39);
	/* The schedule is the ceiling: at night it says 30. */
	ASSERT_EQ_INT(ls_ambient_bound(&a, 100, 30, count_warning), 30);
	/* Read once a second: a change 0.5 s later is not seen yet. */
	put(dev2, "in_illuminance_input", "1000\n");
	ASSERT_EQ_INT(ls_ambient_bound(&a, 500, 80, count_warning), 39);
	/* The sensor breaks: the schedule rules, said once. */
	put(dev2, "in_illuminance_input", "x\n");
	warnings = 0;
	ASSERT_EQ_INT(ls_ambient_bound(&a, 1000, 80, count_warning), 80);
	ASSERT_EQ_INT(ls_ambient_bound(&a, 2000, 80, count_warning), 80);
	ASSERT_EQ_INT(warnings, 1);
	/* A configured sensor that is not there is said, and the schedule rules. */
	snprintf(cfg.display.light_sensor, sizeof(cfg.display.light_sensor), "%s/none", dev2);
	ASSERT(ls_ambient_configure(&a, &cfg, &err));
	ASSERT_CONTAINS(err.msg, "brightness follows the schedule");
	ASSERT_EQ_INT(ls_ambient_bound(&a, 0, 70, count_warning), 70);
}

TEST(the_dimmer_says_what_changed_the_panel_keeping_the_default_without_a_clock)
{
	struct ls_config cfg;
	struct ls_dimmer d = {.lit = true};
	struct ls_dimmer_step s;
	struct ls_error why, err;

	ls_config_defaults(&cfg);
	snprintf(cfg.display.hours, sizeof(cfg.display.hours), "mon-fri 07:00-17:30");
	snprintf(cfg.display.brightness, sizeof(cfg.display.brightness), "07:00 100, 12:00 40");
	cfg.panel.brightness = 70;
	ASSERT_MSG(!ls_dimmer_configure(&d, &cfg, &why, &err), "%s", err.msg);
	ASSERT_EQ_STR(why.msg, "");
	s = ls_dimmer_step(&d, true, 1, 8 * 60, 0, NULL); /* Monday 08:00 */
	ASSERT(s.lit && !s.lit_changed && s.percent == 100 && s.percent_changed && s.first);
	s = ls_dimmer_step(&d, true, 1, 8 * 60 + 1, 1000, NULL);
	ASSERT(s.lit && !s.lit_changed && !s.percent_changed && !s.first);
	s = ls_dimmer_step(&d, true, 1, 12 * 60 + 30, 2000, NULL);
	ASSERT(s.percent == 40 && s.percent_changed && !s.first);
	s = ls_dimmer_step(&d, true, 1, 18 * 60, 3000, NULL); /* after hours: dark */
	ASSERT(!s.lit && s.lit_changed && s.percent == 0 && s.percent_changed);
	ASSERT(!d.lit && d.applied == 0);
	s = ls_dimmer_step(&d, false, 0, 3 * 60, 4000, NULL); /* no clock: lit, the default */
	ASSERT(s.lit && s.lit_changed && s.percent == 70);
	ASSERT_MSG(!ls_dimmer_configure(&d, &cfg, &why, &err), "%s", err.msg);
	s = ls_dimmer_step(&d, false, 0, 3 * 60, 5000, NULL); /* a reload applies afresh */
	ASSERT(s.percent == 70 && s.percent_changed && s.first && !s.lit_changed);
	snprintf(cfg.display.light_sensor, sizeof(cfg.display.light_sensor), "/nonexistent/iio");
	ASSERT_MSG(!ls_dimmer_configure(&d, &cfg, &why, &err), "%s", err.msg);
	ASSERT_CONTAINS(why.msg, "brightness follows the schedule");
	snprintf(cfg.display.hours, sizeof(cfg.display.hours), "someday");
	ASSERT_EQ_INT(ls_dimmer_configure(&d, &cfg, &why, &err), -1);
}
