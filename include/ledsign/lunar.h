/*
 * The Vietnamese lunar calendar (âm lịch), computed rather than looked up.
 *
 * Boards show the lunar date next to the solar one, as the commercial
 * controllers in Vietnam do. The conversion follows the astronomical rules
 * Hồ Ngọc Đức published ("Thuật toán tính âm lịch"): a month starts on the
 * local day of a new moon, month 11 is the month that contains the winter
 * solstice, and in a year with 13 months the first month without a major
 * solar term is the leap month. New moons and the sun's longitude use the
 * series from Jean Meeus, "Astronomical Algorithms", evaluated in UTC+7:
 * the time zone is why Vietnam's calendar differs from China's (UTC+8) in
 * some years, e.g. Tết 1985 fell on 21 January in Vietnam, 20 February in China.
 *
 * Supported: solar dates 1900-01-01 .. 2199-12-31 (the range for which the
 * published algorithm is stated to agree with the official calendar).
 * Everything here is pure: no I/O, no globals, no clock.
 */
#ifndef LEDSIGN_LUNAR_H
#define LEDSIGN_LUNAR_H

#include <stdbool.h>
#include <stddef.h>

#define LS_LUNAR_MIN_YEAR 1900
#define LS_LUNAR_MAX_YEAR 2199

/* Enough for the longest can-chi name ("Canh Thìn", "Bính Thân", ...) and its NUL. */
#define LS_LUNAR_CAN_CHI_MAX 24

struct ls_lunar_date {
	int day;   /* 1..30 */
	int month; /* 1..12; with leap set, the repeated month (nhuận) that follows `month` */
	int year;  /* the lunar year, which starts at Tết: 2026-01-01 is still in lunar 2025 */
	bool leap;
};

/* Converts the Gregorian date year-month-day (month 1..12) to the Vietnamese lunar date in
 * *out; returns 0, or -1 when the date is not a real date or lies outside
 * LS_LUNAR_MIN_YEAR..LS_LUNAR_MAX_YEAR (out is then left untouched). */
int ls_lunar_from_solar(int year, int month, int day, struct ls_lunar_date *out);

/* Writes the can-chi name of a lunar year ("Bính Ngọ" for 2026), NFC UTF-8, into buf
 * (caller-owned, n bytes; LS_LUNAR_CAN_CHI_MAX always fits) and returns buf; returns NULL
 * when buf is NULL or too small. */
const char *ls_lunar_can_chi_year(int lunar_year, char *buf, size_t n);

/* Returns the Julian day number of a Gregorian date (2000-01-01 is 2451545): days between
 * two dates are the difference of their numbers. Meant for years 1..9999, month 1..12. */
long ls_lunar_julian_day(int year, int month, int day);

/* Returns true when year-month-day is a real Gregorian date (month 1..12, day in the month). */
bool ls_lunar_date_is_valid(int year, int month, int day);

#endif
