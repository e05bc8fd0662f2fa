/*
 * lunar.c: Gregorian to Vietnamese lunar dates by the astronomical rules in lunar.h.
 *
 * Days are Julian day numbers in Vietnam's local time (UTC+7). New moons are
 * counted by k, the number of lunations since the new moon of 1900-01-01.
 * A lunar year runs between two "month 11" starts (the months holding the
 * winter solstice); when 13 months lie between them, the first month in which
 * the sun enters no new 30-degree sector (no major solar term) is the leap month.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ledsign/lunar.h"

/* Vietnam's legal time: the calendar is defined by the local day of each new moon. */
#define TZ_DAYS (7.0 / 24.0)
#define SYNODIC_MONTH 29.530588853
/* Julian date of the new moon of 1900-01-01, lunation k = 0. */
#define NEW_MOON_EPOCH 2415021.076998695
#define DEG (M_PI / 180.0)

long ls_lunar_julian_day(int year, int month, int day)
{
	long a = (14 - month) / 12;
	long y = (long)year + 4800 - a;
	long m = month + 12 * a - 3;

	return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045;
}

bool ls_lunar_date_is_valid(int year, int month, int day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12 || day < 1)
		return false;
	return day <= mdays[month - 1] + (month == 2 && leap);
}

/* Julian date (dynamical time, corrected to UT) of the k-th new moon; the periodic terms are
 * the largest of Meeus's, enough for the day a new moon falls on. */
static double new_moon_jd(long k)
{
	double t = k / 1236.85, t2 = t * t, t3 = t2 * t;
	double sun_anom = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG;
	double moon_anom = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG;
	double lat_arg = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG;
	double mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3 +
		      0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
	double c = (0.1734 - 0.000393 * t) * sin(sun_anom) + 0.0021 * sin(2 * sun_anom);
	double delta_t;

	c += -0.4068 * sin(moon_anom) + 0.0161 * sin(2 * moon_anom) - 0.0004 * sin(3 * moon_anom);
	c += 0.0104 * sin(2 * lat_arg) - 0.0051 * sin(sun_anom + moon_anom);
	c += -0.0074 * sin(sun_anom - moon_anom) + 0.0004 * sin(2 * lat_arg + sun_anom);
	c += -0.0004 * sin(2 * lat_arg - sun_anom) - 0.0006 * sin(2 * lat_arg + moon_anom);
	c += 0.0010 * sin(2 * lat_arg - moon_anom) + 0.0005 * sin(2 * moon_anom + sun_anom);
	if (t < -11)
		delta_t =
		    0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
	else
		delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
	return mean + c - delta_t;
}

/* The local day (Julian day number) on which the k-th new moon falls. */
static long new_moon_day(long k)
{
	return (long)floor(new_moon_jd(k) + 0.5 + TZ_DAYS);
}

/* The sun's apparent longitude in radians, 0..2pi, at Julian date jd. */
static double sun_longitude(double jd)
{
	double t = (jd - 2451545.0) / 36525, t2 = t * t;
	double anom = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
	double mean = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	double centre = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(anom) +
			(0.019993 - 0.000101 * t) * sin(2 * anom) + 0.000290 * sin(3 * anom);
	double l = (mean + centre) * DEG;

	return l - 2 * M_PI * floor(l / (2 * M_PI));
}

/* Which 30-degree sector (0..11; 9 starts at the winter solstice) the sun is in at local
 * midnight starting day `jdn`. A major solar term is the sun entering a new sector. */
static int sun_sector(long jdn)
{
	return (int)floor(sun_longitude(jdn - 0.5 - TZ_DAYS) / M_PI * 6);
}

/* The first day of lunar month 11 of solar year `year`: the month holding the winter solstice. */
static long month11_start(int year)
{
	long off = ls_lunar_julian_day(year, 12, 31) - 2415021;
	long k = (long)floor(off / SYNODIC_MONTH);
	long nm = new_moon_day(k);

	/* A month that starts after the solstice cannot hold it: month 11 is the one before. */
	if (sun_sector(nm) >= 9)
		nm = new_moon_day(k - 1);
	return nm;
}

/* In a 13-month year starting at month 11 on day a11, the offset (1..13) from that month
 * to the leap month: the first month whose start sees the sun in the same sector as the next
 * month's start, i.e. a month without a major term. */
static int leap_month_offset(long a11)
{
	long k = (long)floor((a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
	int i = 1, last, arc = sun_sector(new_moon_day(k + 1));

	do {
		last = arc;
		i++;
		arc = sun_sector(new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

/* The first day of the lunar month that holds day `jdn`. */
static long month_start_of(long jdn)
{
	/* The mean lunation count can be one ahead of the true new moons (the true new moon
	 * wanders up to ~14 h around the mean one), so step back until the start is not after
	 * jdn: in 2054 and 2062 a single step back is not enough. */
	long k = (long)floor((jdn - NEW_MOON_EPOCH) / SYNODIC_MONTH) + 1;
	long start = new_moon_day(k);

	while (start > jdn)
		start = new_moon_day(--k);
	return start;
}

int ls_lunar_from_solar(int year, int month, int day, struct ls_lunar_date *out)
{
	long jdn, start, a11, b11;
	int lunar_year, diff, lunar_month;
	bool leap = false;

	if (!out || year < LS_LUNAR_MIN_YEAR || year > LS_LUNAR_MAX_YEAR ||
	    !ls_lunar_date_is_valid(year, month, day))
		return -1;
	jdn = ls_lunar_julian_day(year, month, day);
	start = month_start_of(jdn);
	a11 = b11 = month11_start(year);
	if (a11 >= start) {
		lunar_year = year;
		a11 = month11_start(year - 1);
	} else {
		lunar_year = year + 1;
		b11 = month11_start(year + 1);
	}
	/* Lunations are 29.3..29.8 days, so dividing by 29 counts whole months since a11. */
	diff = (int)((start - a11) / 29);
	lunar_month = diff + 11;
	if (b11 - a11 > 365) {
		int leap_off = leap_month_offset(a11);

		if (diff >= leap_off) {
			lunar_month = diff + 10;
			leap = diff == leap_off;
		}
	}
	if (lunar_month > 12)
		lunar_month -= 12;
	/* Months 11 and 12 near a11 belong to the lunar year that began before that solar year. */
	if (lunar_month >= 11 && diff < 4)
		lunar_year -= 1;
	out->day = (int)(jdn - start + 1);
	out->month = lunar_month;
	out->year = lunar_year;
	out->leap = leap;
	return 0;
}

const char *ls_lunar_can_chi_year(int lunar_year, char *buf, size_t n)
{
	static const char *const can[10] = {"Giáp", "Ất",   "Bính", "Đinh", "Mậu",
					    "Kỷ",   "Canh", "Tân",  "Nhâm", "Quý"};
	static const char *const chi[12] = {"Tý",  "Sửu", "Dần",  "Mão", "Thìn", "Tỵ",
					    "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"};
	/* Year 4 (and so 1984, 2044) was Giáp Tý, the start of the sixty-year cycle. */
	int c = (int)((((long)lunar_year - 4) % 10 + 10) % 10);
	int z = (int)((((long)lunar_year - 4) % 12 + 12) % 12);
	int len;

	if (!buf)
		return NULL;
	len = snprintf(buf, n, "%s %s", can[c], chi[z]);
	if (len < 0 || (size_t)len >= n)
		return NULL;
	return buf;
}
