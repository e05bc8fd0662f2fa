/*
 * test_clock.c: time-zone names. A name goes into TZ, which glibc also reads
 * as a path, so only IANA-shaped names are valid; and a valid name must
 * exist on the system, or glibc plays it in UTC without a word. And the
 * moments a command line gives, read and written across the hours the
 * clocks change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/clock.h"

TEST(zone_names_are_segments_of_letters_digits_and_underscore_plus_minus)
{
	const char *good[] = {
	    "Asia/Ho_Chi_Minh", "UTC", "Etc/GMT+7", "Etc/GMT-14", "America/Argentina/Buenos_Aires",
	    "EST5EDT"};
	const char *bad[] = {"",
			     "/",
			     "/tmp/x",
			     "../../etc/passwd",
			     "Asia/../x",
			     "Asia/./x",
			     ".",
			     "..",
			     "Asia//Bangkok",
			     "Asia/",
			     ":Asia/Bangkok",
			     "Asia/Ho Chi Minh",
			     "<+07>-7",
			     "Asia/Hà_Nội"};
	char longest[LS_TZ_NAME_MAX + 2];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ASSERT_MSG(ls_tz_name_valid(good[i]), "%s should be valid", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_MSG(!ls_tz_name_valid(bad[i]), "%s should be refused", bad[i]);
	memset(longest, 'A', LS_TZ_NAME_MAX);
	longest[LS_TZ_NAME_MAX] = '\0';
	ASSERT(ls_tz_name_valid(longest));
	strcat(longest, "A");
	ASSERT(!ls_tz_name_valid(longest));
}

TEST(a_zone_is_known_only_when_its_zone_file_exists)
{
	char dir[512], path[600];
	FILE *f;

	ASSERT(ls_tz_known("Asia/Ho_Chi_Minh"));
	ASSERT(ls_tz_known("UTC"));
	ASSERT(!ls_tz_known("Asia/Ho_Chi_Mihn"));
	ASSERT(!ls_tz_known("Asia"));	  /* a directory */
	ASSERT(!ls_tz_known("zone.tab")); /* not a zone file (and not a zone name) */
	ASSERT(!ls_tz_known("../../etc/passwd"));
	/* $TZDIR is where glibc looks, so it is where the check looks */
	snprintf(dir, sizeof(dir), "%s", th_tmpdir());
	snprintf(path, sizeof(path), "%s/Office_Zone", dir);
	f = fopen(path, "w");
	ASSERT(f);
	fputs("TZif2 and the rest", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/Not_A_Zone", dir);
	f = fopen(path, "w");
	ASSERT(f);
	fputs("# a table, not a zone\n", f);
	fclose(f);
	setenv("TZDIR", dir, 1);
	ASSERT(ls_tz_known("Office_Zone"));
	ASSERT(!ls_tz_known("Not_A_Zone"));
	ASSERT(!ls_tz_known("Asia/Ho_Chi_Minh"));
}

/* ---- moments on a command line (ls_time_parse_when, ls_time_parse_civil) ---- */

#define BERLIN "Europe/Berlin"

TEST(a_date_alone_is_its_midnight_or_as_an_end_the_next_one)
{
	struct ls_error err;
	int64_t t;

	ASSERT_EQ_INT(ls_time_parse_when("2026-03-02", false, "Asia/Ho_Chi_Minh", &t, &err), 0);
	ASSERT_EQ_INT(t, 1772384400); /* 2026-03-02 00:00 +07 */
	ASSERT_EQ_INT(ls_time_parse_when("2026-03-02", true, "Asia/Ho_Chi_Minh", &t, &err), 0);
	ASSERT_EQ_INT(t, 1772384400 + 86400);
	ASSERT_EQ_INT(ls_time_parse_when("2026-12-31", true, "UTC", &t, &err), 0);
	ASSERT_EQ_INT(t, 1798761600); /* 2027-01-01 00:00 UTC: across the year */
	ASSERT_EQ_INT(
	    ls_time_parse_when("2026-03-02 07:30:15", false, "Asia/Ho_Chi_Minh", &t, &err), 0);
	ASSERT_EQ_INT(t, 1772411415);
	ASSERT_EQ_INT(ls_time_parse_when("tomorrow", false, "UTC", &t, &err), -1);
	ASSERT_CONTAINS(err.msg, "YYYY-MM-DD HH:MM[:SS]");
}

TEST(a_time_the_clocks_skip_is_refused_saying_what_they_do)
{
	struct ls_error err;
	int64_t t;

	ASSERT_EQ_INT(ls_time_parse_civil("2026-03-29 02:30", false, BERLIN, &t, NULL, &err), -1);
	ASSERT_EQ_STR(err.msg, "2026-03-29 02:30: that time does not exist in Europe/Berlin: the "
			       "clocks go from 02:00 to 03:00 then; use 2026-03-29 03:00");
	ASSERT_EQ_INT(ls_time_parse_civil("2026-03-29 03:00", false, BERLIN, &t, NULL, &err), 0);
	ASSERT_EQ_INT(t, 1774746000); /* 01:00 UTC */
}

TEST(a_time_the_clocks_pass_twice_is_its_first_pass_with_its_offset)
{
	struct ls_error err;
	long off = 0;
	int64_t t;

	ASSERT_EQ_INT(ls_time_parse_civil("2026-10-25 02:10:30", false, BERLIN, &t, &off, &err), 1);
	ASSERT_EQ_INT(t, 1792887030); /* 00:10:30 UTC, in summer time */
	ASSERT_EQ_INT(off, 7200);
	ASSERT_EQ_INT(ls_time_parse_civil("2026-10-25 04:00", false, BERLIN, &t, &off, &err), 0);
	ASSERT_EQ_INT(ls_time_parse_civil("2026-10-25", true, BERLIN, &t, &off, &err), 0);
}

TEST(times_of_the_repeated_hour_carry_their_offset_and_others_none)
{
	char buf[40];

	ls_time_format_civil(BERLIN, 1792887030, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "2026-10-25 02:10:30+02:00");
	ls_time_format_civil(BERLIN, 1792887030 + 3600, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "2026-10-25 02:10:30+01:00");
	ls_time_format_civil(BERLIN, 1792887030 - 3600, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "2026-10-25 01:10:30");
	ASSERT(ls_tz_offset_changes(BERLIN, 1792887030 - 86400, 1792887030));
	ASSERT(!ls_tz_offset_changes(BERLIN, 1792887030 + 7200, 1792887030 + 86400));
	ASSERT(!ls_tz_offset_changes("Asia/Ho_Chi_Minh", 1772384400, 1772384400 + 31 * 86400));
}

TEST(an_interval_is_its_test_knob_when_set_to_a_positive_number_else_the_default)
{
	unsetenv("LEDSIGN_TEST_X_MS");
	ASSERT_EQ_INT(ls_interval_ms("LEDSIGN_TEST_X_MS", 5000), 5000);
	setenv("LEDSIGN_TEST_X_MS", "250", 1);
	ASSERT_EQ_INT(ls_interval_ms("LEDSIGN_TEST_X_MS", 5000), 250);
	setenv("LEDSIGN_TEST_X_MS", "0", 1);
	ASSERT_EQ_INT(ls_interval_ms("LEDSIGN_TEST_X_MS", 5000), 5000);
	setenv("LEDSIGN_TEST_X_MS", "-3", 1);
	ASSERT_EQ_INT(ls_interval_ms("LEDSIGN_TEST_X_MS", 0), 0);
	setenv("LEDSIGN_TEST_X_MS", "", 1);
	ASSERT_EQ_INT(ls_interval_ms("LEDSIGN_TEST_X_MS", 7), 7);
	unsetenv("LEDSIGN_TEST_X_MS");
}
