/*
 * fuzz_tz.c: libFuzzer target for the TZif parser and the conversions
 * (src/core/tz.c). Zone files come from the system, but the parser is the
 * only thing between a damaged or hostile file and the schedule, so it must
 * survive anything: the input is parsed, and a zone that parses is asked for
 * local time at instants taken from the input and at the edges of time, and
 * for the instant of each local time it gave. Beyond "no crash, no
 * over-read", it traps when a broken-down time is out of range (a second past
 * 60 included: leap tables are checked) or an instant found for a wall time
 * does not read back as the normalised time returned with it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_tm(const struct tm *tm)
{
	if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
	    tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 60 || tm->tm_wday < 0 || tm->tm_wday > 6 ||
	    tm->tm_yday < 0 || tm->tm_yday > 365 || (tm->tm_isdst != 0 && tm->tm_isdst != 1) ||
	    tm->tm_gmtoff < -89999 || tm->tm_gmtoff > 93599 + 3600 || !tm->tm_zone ||
	    strlen(tm->tm_zone) > 255)
		abort();
}

static void probe(const struct ls_tz *z, int64_t t)
{
	struct tm tm, again;
	int64_t back;

	ls_tz_local(z, t, &tm);
	check_tm(&tm);
	again = tm;
	if (ls_tz_mktime(z, &again, &back) == 0) {
		struct tm check;
		ls_tz_local(z, back, &check);
		check_tm(&again);
		if (check.tm_hour != again.tm_hour || check.tm_min != again.tm_min ||
		    check.tm_mday != again.tm_mday || check.tm_year != again.tm_year)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_tz *z = ls_tz_parse(data, size, "Fuzz/Zone", &err);
	static const int64_t edges[] = {INT64_MIN,  -(1LL << 40), -1,	     0,	       1,
					1796086800, 4102444800LL, 1LL << 40, INT64_MAX};

	if (!z)
		return 0;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		probe(z, edges[i]);
	for (size_t i = 0; i + 8 <= size && i < 8 * 32; i += 8) {
		int64_t t;
		memcpy(&t, data + i, 8);
		probe(z, t % (1LL << 42));
	}
	ls_tz_free(z);
	return 0;
}
