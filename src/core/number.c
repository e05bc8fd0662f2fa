/*
 * number.c: plain decimal numbers with a range (number.h), the one reading
 * of the tool's numeric options.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "ledsign/number.h"

/* Whether arg is digits with an optional leading '-' and, with fraction, at
 * most one '.'. */
static bool plain_number(const char *arg, bool fraction)
{
	const char *p = arg + (arg[0] == '-');
	int digits = 0, dots = 0;

	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && fraction && !dots++)
			continue;
		else
			return false;
	}
	return digits > 0;
}

enum ls_number_verdict ls_number_int(const char *arg, long min, long max, long *out)
{
	long v;

	if (!plain_number(arg, false))
		return LS_NUMBER_MALFORMED;
	errno = 0;
	v = strtol(arg, NULL, 10);
	if (errno || v < min || v > max)
		return LS_NUMBER_OUT_OF_RANGE;
	*out = v;
	return LS_NUMBER_OK;
}

enum ls_number_verdict ls_number_real(const char *arg, double min, double max, double *out)
{
	double v;

	if (!plain_number(arg, true))
		return LS_NUMBER_MALFORMED;
	v = strtod(arg, NULL);
	if (!isfinite(v) || v < min || v > max)
		return LS_NUMBER_OUT_OF_RANGE;
	*out = v;
	return LS_NUMBER_OK;
}
