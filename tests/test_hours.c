/*
 * Display hours and brightness schedule (src/core/hours.c), and their validation
 * when ledsign.conf is loaded.
 */
#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/hours.h"

enum { SUN, MON, TUE, WED, THU, FRI, SAT };
#define AT(h, m) (60 * (h) + (m))

static struct ls_hours hours(const char *s)
{
	struct ls_hours h;
	struct ls_error err = {{0}};

	ASSERT_MSG(ls_hours_parse(s, &h, &err) == 0, "'%s': %s", s, err.msg);
	return h;
}

static struct ls_brightness schedule(const char *s)
{
	struct ls_brightness b;
	struct ls_error err = {{0}};

	ASSERT_MSG(ls_brightness_parse(s, &b, &err) == 0, "'%s': %s", s, err.msg);
	return b;
}

static const char *hours_error(const char *s)
{
	static struct ls_error err;
	struct ls_hours h;

	ASSERT_MSG(ls_hours_parse(s, &h, &err) == -1, "'%s' was accepted", s);
	return err.msg;
}

static const char *brightness_error(const char *s)
{
	static struct ls_error err;
	struct ls_brightness b;

	ASSERT_MSG(ls_brightness_parse(s, &b, &err) == -1, "'%s' was accepted", s);
	return err.msg;
}

TEST(empty_hours_mean_always_on)
{
	struct ls_hours h = hours("");

	ASSERT(ls_hours_on(&h, SUN, AT(3, 0)));
	ASSERT(ls_hours_on(&h, WED, AT(23, 59)));
}

TEST(office_hours_light_weekdays_and_saturday_morning_only)
{
	struct ls_hours h = hours("mon-fri 07:00-17:30, sat 07:30-11:30");

	ASSERT(!ls_hours_on(&h, MON, AT(6, 59)));
	ASSERT(ls_hours_on(&h, MON, AT(7, 0)));
	ASSERT(ls_hours_on(&h, FRI, AT(17, 29)));
	ASSERT(!ls_hours_on(&h, FRI, AT(17, 30)));
	ASSERT(!ls_hours_on(&h, SAT, AT(7, 0)));
	ASSERT(ls_hours_on(&h, SAT, AT(11, 0)));
	ASSERT(!ls_hours_on(&h, SAT, AT(12, 0)));
	ASSERT(!ls_hours_on(&h, SUN, AT(10, 0)));
}

TEST(span_crossing_midnight_lights_the_next_morning)
{
	struct ls_hours h = hours("fri 18:00-02:00");

	ASSERT(ls_hours_on(&h, FRI, AT(23, 0)));
	ASSERT(ls_hours_on(&h, SAT, AT(1, 59)));
	ASSERT(!ls_hours_on(&h, SAT, AT(2, 0)));
	ASSERT(!ls_hours_on(&h, FRI, AT(1, 0))); /* Thursday did not start a span */
	ASSERT(!ls_hours_on(&h, SAT, AT(18, 30)));
}

TEST(day_range_wraps_over_the_weekend)
{
	struct ls_hours h = hours("fri-mon 08:00-09:00");

	ASSERT(ls_hours_on(&h, SAT, AT(8, 30)));
	ASSERT(ls_hours_on(&h, SUN, AT(8, 30)));
	ASSERT(ls_hours_on(&h, MON, AT(8, 30)));
	ASSERT(!ls_hours_on(&h, TUE, AT(8, 30)));
}

TEST(days_may_be_left_out_or_daily_and_24_00_ends_the_day)
{
	struct ls_hours h = hours("06:00-24:00");
	struct ls_hours d = hours("Daily 00:00-24:00");

	ASSERT(ls_hours_on(&h, SUN, AT(23, 59)));
	ASSERT(!ls_hours_on(&h, MON, AT(0, 30)));
	ASSERT(ls_hours_on(&d, TUE, AT(0, 0)));
}

TEST(bad_hours_say_what_to_write)
{
	ASSERT_CONTAINS(hours_error("mon-fri 7-17"), "expected HH:MM-HH:MM");
	ASSERT_CONTAINS(hours_error("mon-fri 7-17"), "mon-fri 07:00-17:30");
	ASSERT_CONTAINS(hours_error("monday 07:00-17:00"), "unknown days");
	ASSERT_CONTAINS(hours_error("mon 07:00-25:00"), "expected HH:MM-HH:MM");
	ASSERT_CONTAINS(hours_error("mon 07:00-07:00"), "same time");
	ASSERT_CONTAINS(hours_error("mon 07:00-08:00,"), "empty entry");
	ASSERT_CONTAINS(hours_error("mon 07:00-08:00 sat"), "unexpected 'sat'");
}

TEST(brightness_holds_from_each_time_until_the_next)
{
	struct ls_brightness b = schedule("07:00 100, 18:00 30");

	ASSERT_EQ_INT(ls_brightness_at(&b, AT(7, 0), 55), 100);
	ASSERT_EQ_INT(ls_brightness_at(&b, AT(17, 59), 55), 100);
	ASSERT_EQ_INT(ls_brightness_at(&b, AT(18, 0), 55), 30);
	ASSERT_EQ_INT(ls_brightness_at(&b, AT(23, 0), 55), 30);
}

TEST(brightness_before_the_first_step_is_last_nights)
{
	struct ls_brightness b = schedule("07:00 100, 18:00 30");

	ASSERT_EQ_INT(ls_brightness_at(&b, AT(3, 0), 55), 30);
}

TEST(no_brightness_schedule_uses_the_default)
{
	struct ls_brightness b = schedule("  ");

	ASSERT_EQ_INT(ls_brightness_at(&b, AT(12, 0), 55), 55);
}

TEST(bad_brightness_says_what_to_write)
{
	ASSERT_CONTAINS(brightness_error("07:00 120"), "not a percentage 0..100");
	ASSERT_CONTAINS(brightness_error("7:00 50"), "expected HH:MM then a percentage");
	ASSERT_CONTAINS(brightness_error("18:00 30, 07:00 100"), "times must increase");
	ASSERT_CONTAINS(brightness_error("07:00"), "expected HH:MM then a percentage");
}

TEST(brightness_accepts_a_percent_sign)
{
	struct ls_brightness b = schedule("00:00 40%");

	ASSERT_EQ_INT(ls_brightness_at(&b, AT(9, 0), 100), 40);
}

static const char *config_error(const char *text)
{
	static struct ls_error err;
	struct ls_config cfg;

	ls_config_defaults(&cfg);
	ASSERT_MSG(ls_config_parse(&cfg, "board.conf", text, strlen(text), &err) == -1,
		   "config accepted");
	return err.msg;
}

TEST(the_board_is_lit_in_hours_at_the_scheduled_brightness_and_always_without_a_clock)
{
	struct ls_hours h = hours("mon-fri 07:00-17:30");
	struct ls_brightness b = schedule("07:00 100, 17:00 30");
	struct ls_display d = ls_display_at(&h, &b, 60, true, MON, AT(8, 0));

	ASSERT(d.lit);
	ASSERT_EQ_INT(d.percent, 100);
	d = ls_display_at(&h, &b, 60, true, MON, AT(17, 15));
	ASSERT(d.lit);
	ASSERT_EQ_INT(d.percent, 30);
	d = ls_display_at(&h, &b, 60, true, SAT, AT(8, 0)); /* dark: the schedule still says */
	ASSERT(!d.lit);
	ASSERT_EQ_INT(d.percent, 100);
	d = ls_display_at(&h, &b, 60, false, SAT, AT(8, 0)); /* no trusted clock */
	ASSERT(d.lit);
	ASSERT_EQ_INT(d.percent, 60);
	d = ls_display_at(&(struct ls_hours){0}, &(struct ls_brightness){0}, 45, true, SUN,
			  AT(3, 0)); /* no hours, no schedule: always on at [panel] brightness */
	ASSERT(d.lit);
	ASSERT_EQ_INT(d.percent, 45);
}

TEST(config_load_rejects_bad_hours_with_file_and_line)
{
	const char *msg =
	    config_error("[board]\nname = x\n\n[display]\nhours = mon-fri 7:00-17:30\n");

	ASSERT_CONTAINS(msg, "board.conf:5");
	ASSERT_CONTAINS(msg, "[display] hours");
}

TEST(config_load_rejects_bad_brightness_with_file_and_line)
{
	const char *msg = config_error("[display]\nbrightness = 07:00 100, 18:00 300\n");

	ASSERT_CONTAINS(msg, "board.conf:2");
	ASSERT_CONTAINS(msg, "0..100");
}

TEST(config_load_accepts_good_schedules)
{
	const char *text = "[display]\nhours = mon-fri 07:00-17:30, sat 07:30-11:30\nbrightness = "
			   "07:00 100, 18:00 30\n";
	struct ls_config cfg;
	struct ls_error err = {{0}};

	ls_config_defaults(&cfg);
	ASSERT_MSG(ls_config_parse(&cfg, "board.conf", text, strlen(text), &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_STR(cfg.display.brightness, "07:00 100, 18:00 30");
}
