/*
 * Numbers as a person writes them on a command line or in a form: plain
 * decimal digits, checked against a range once, so that "five", "100ms",
 * "1e3" or "" are refused everywhere the same way instead of read as 0 or
 * as their leading digits.
 */
#ifndef LEDSIGN_NUMBER_H
#define LEDSIGN_NUMBER_H

#include <stdbool.h>

enum ls_number_verdict {
	LS_NUMBER_OK,
	LS_NUMBER_MALFORMED,	/* not plain digits: a unit, an exponent, a space, nothing */
	LS_NUMBER_OUT_OF_RANGE, /* a number, outside min..max */
};

/* Reads arg as a whole number in min..max: digits with an optional leading
 * '-', nothing else. Sets *out only when the verdict is LS_NUMBER_OK. */
enum ls_number_verdict ls_number_int(const char *arg, long min, long max, long *out);

/* The same for a decimal number: digits with at most one '.' ("2.5"). */
enum ls_number_verdict ls_number_real(const char *arg, double min, double max, double *out);

#endif
