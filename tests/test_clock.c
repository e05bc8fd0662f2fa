/*
 * test_clock.c: time-zone names. A name goes into TZ, which glibc also reads
 * as a path, so only IANA-shaped names are valid; and a valid name must
 * exist on the system, or glibc plays it in UTC without a word.
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
