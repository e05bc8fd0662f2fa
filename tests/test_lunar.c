/*
 * test_lunar.c: the Vietnamese lunar calendar against published calendars.
 *
 * Every expected date below comes from a published source, named next to it;
 * none was produced by running this code. Sources (all fetched 2026):
 *  [TN-2025-08]  thanhnien.vn, "Lịch âm hôm nay 22.8: Ngày cuối tháng 6 nhuận" (22/08/2025):
 *                month 6 of Ất Tỵ runs 25.6-24.7.2025 (30 days), leap month 6 runs
 *                25.7-22.8.2025 (29 days), 23.8.2025 is 1/7; lunar Ất Tỵ runs 29.1.2025 to
 *                16.2.2026 (384 days).
 *  [TN-2026-02]  thanhnien.vn (20/02/2026): "Hôm nay là mùng 4 Tết Nguyên đán Bính Ngọ 2026".
 *  [VNN-2026]    vietnamnet.vn, "Tại sao năm nay không có ngày 30 Tết": giao thừa 2026 on
 *                16/2, "29 tháng Chạp năm Ất Tỵ".
 *  [TP-2026]     tienphong.vn, "Năm nào mới lại có 30 Tết?" (10/02/2026): 29 Tết = 16/2/2026;
 *                the next 30 Tết is 30/1/2033.
 *  [NTD-2027]    ntdvn.net, "Tết 2027 vào ngày nào?": Tết Đinh Mùi on 6/2/2027 (Saturday),
 *                28 Tết = 4/2/2027, 29 Tết = 5/2/2027, 25 Tết = 1/2/2027.
 *  [RIO-2025]    riokupon.com, "Năm nay có 30 Tết không?": mùng 1 Tết 2025 = 29/1/2025,
 *                28 Tết = 27/1/2025, 29 Tết = 28/1/2025.
 *  [MEO-2024]    meo.tips and vietnam.vn (Công Luận, 21/01/2024, quoting Phạm Vũ Lộc, Vietnam
 *                Space Center): 30 Tết of Quý Mão = 9/2/2024, none again 2025..2032.
 *  [LVN-2028]    lichvannien365.com, "lịch âm dương tháng 7 năm 2028": July 2028 runs from
 *                9/5 to 10/6 âm lịch, "Tháng 5 năm 2028 âm lịch là tháng Nhuận".
 *  [HKO-2028]    Hong Kong Observatory, "Gregorian-Lunar Calendar Conversion Table of 2028"
 *                (UTC+8): 1st lunar month starts 26 Jan 2028, 2nd on 25 Feb 2028. For those
 *                months the new moon falls hours away from midnight in both UTC+7 and UTC+8,
 *                so the Chinese table holds for Vietnam too.
 *  [SCI-2030]    scienceinfo.net, "Why is the Vietnamese and Chinese New Year a day
 *                different?", and viet-jo.com (2006-07, quoting a Vietnamese official): in
 *                2030 Vietnam's Tết comes one day before China's; kientruc2014.com (after
 *                Hồ Ngọc Đức's calrules page): 02/02/2030 in Vietnam, 03/02/2030 in China;
 *                2007: 17/02/2007 in Vietnam, 18/02/2007 in China.
 *  [HND-1985]    Hồ Ngọc Đức, calrules_en.html (as quoted in reddit r/todayilearned and
 *                oreateai.com "1985 Lunar New Year"): Tết 1985 was 21 Jan in Vietnam,
 *                20 Feb in China.
 *  [HER-1995]    hermetic.ch, Chinese/Vietnamese calendar software notes: the Vietnamese leap
 *                8th month of 1995 started 1995-09-24 (China: 1995-09-25).
 *  [TTQ-2024]    thoidai.com.vn: Trung thu 2024 = thứ ba 17/9/2024.
 *  [VB-2025]     vietbao.vn: Trung thu 2025 = thứ Hai 6/10/2025.
 *  [FIBO-2017]   fiboweb.vn: Trung thu 2017 = 4/10/2017 (leap 6th month that year).
 *  [TNV-2019]    tetnguoiviet.com: Trung thu 2019 = 13/09/2019.
 *  [CNY-2029]    4to40.com list of Chinese New Year dates: Rooster, 13 February 2029. A weak
 *                source alone (its 2027 and 2028 entries are a day late), but the new moon
 *                of February 2029 falls in the early morning in both time zones.
 *
 * The brief quoted 2030-02-03 for Tết 2030: that is China's date; see [SCI-2030].
 */
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "ledsign/lunar.h"

struct expect {
	int y, m, d;	/* solar */
	int ld, lm, ly; /* lunar */
	bool leap;
	const char *source;
};

static void check(const struct expect *e)
{
	struct ls_lunar_date l;

	ASSERT_MSG(ls_lunar_from_solar(e->y, e->m, e->d, &l) == 0, "%04d-%02d-%02d rejected", e->y,
		   e->m, e->d);
	ASSERT_MSG(l.day == e->ld && l.month == e->lm && l.year == e->ly && l.leap == e->leap,
		   "%04d-%02d-%02d: got %d/%d%s/%d, want %d/%d%s/%d [%s]", e->y, e->m, e->d, l.day,
		   l.month, l.leap ? "L" : "", l.year, e->ld, e->lm, e->leap ? "L" : "", e->ly,
		   e->source);
}

static void check_all(const struct expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(&e[i]);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

TEST(tet_2024_to_2030_falls_on_published_dates)
{
	static const struct expect tet[] = {
	    {2024, 2, 10, 1, 1, 2024, false, "MEO-2024: day after 30 Tet 9/2/2024"},
	    {2025, 1, 29, 1, 1, 2025, false, "RIO-2025, TN-2025-08"},
	    {2026, 2, 17, 1, 1, 2026, false, "TN-2026-02, VNN-2026"},
	    {2027, 2, 6, 1, 1, 2027, false, "NTD-2027"},
	    {2028, 1, 26, 1, 1, 2028, false, "HKO-2028"},
	    {2029, 2, 13, 1, 1, 2029, false, "CNY-2029"},
	    {2030, 2, 2, 1, 1, 2030, false, "SCI-2030"},
	};
	check_all(tet, N(tet));
}

TEST(tet_2030_is_a_day_before_china_because_of_utc7)
{
	static const struct expect e[] = {
	    {2030, 2, 1, 29, 12, 2029, false, "SCI-2030: eve of Tet in Vietnam"},
	    {2030, 2, 3, 2, 1, 2030, false, "SCI-2030: China's Tet is Vietnam's mung 2"},
	};
	check_all(e, N(e));
}

TEST(tet_1985_is_january_21_not_february_20)
{
	struct ls_lunar_date l;

	check(&(struct expect){1985, 1, 21, 1, 1, 1985, false, "HND-1985"});
	ASSERT_EQ_INT(ls_lunar_from_solar(1985, 2, 20, &l), 0);
	ASSERT_MSG(!(l.day == 1 && l.month == 1), "1985-02-20 is China's Tet, not Vietnam's");
}

TEST(tet_2007_is_february_17_in_vietnam)
{
	check(&(struct expect){2007, 2, 17, 1, 1, 2007, false, "SCI-2030 (2007 line)"});
}

TEST(leap_sixth_month_2025_runs_july_25_to_august_22)
{
	static const struct expect e[] = {
	    {2025, 6, 25, 1, 6, 2025, false, "TN-2025-08: first month 6 starts"},
	    {2025, 7, 24, 30, 6, 2025, false, "TN-2025-08: first month 6 has 30 days"},
	    {2025, 7, 25, 1, 6, 2025, true, "TN-2025-08: leap month 6 starts"},
	    {2025, 8, 22, 29, 6, 2025, true, "TN-2025-08: last day of leap month 6"},
	    {2025, 8, 23, 1, 7, 2025, false, "TN-2025-08: month 7 starts"},
	};
	check_all(e, N(e));
}

TEST(leap_fifth_month_2028_covers_early_july)
{
	/* [LVN-2028]: 1 July is 9/5 nhuận, so the leap month began on 23 June; 31 July is 10/6,
	 * so month 6 began on 22 July. */
	static const struct expect e[] = {
	    {2028, 6, 23, 1, 5, 2028, true, "LVN-2028 (derived: 9/5L on 07-01)"},
	    {2028, 7, 1, 9, 5, 2028, true, "LVN-2028"},
	    {2028, 7, 21, 29, 5, 2028, true, "LVN-2028 (derived: 10/6 on 07-31)"},
	    {2028, 7, 22, 1, 6, 2028, false, "LVN-2028 (derived)"},
	    {2028, 7, 31, 10, 6, 2028, false, "LVN-2028"},
	};
	check_all(e, N(e));
}

TEST(leap_eighth_month_1995_starts_a_day_before_china)
{
	check(&(struct expect){1995, 9, 24, 1, 8, 1995, true, "HER-1995"});
}

TEST(last_day_of_lunar_year_is_29_or_30_as_published)
{
	static const struct expect e[] = {
	    {2024, 2, 9, 30, 12, 2023, false, "MEO-2024"},
	    {2025, 1, 27, 28, 12, 2024, false, "RIO-2025"},
	    {2025, 1, 28, 29, 12, 2024, false, "RIO-2025"},
	    {2026, 2, 16, 29, 12, 2025, false, "VNN-2026, TP-2026"},
	    {2027, 2, 1, 25, 12, 2026, false, "NTD-2027"},
	    {2027, 2, 4, 28, 12, 2026, false, "NTD-2027"},
	    {2027, 2, 5, 29, 12, 2026, false, "NTD-2027"},
	    {2033, 1, 30, 30, 12, 2032, false, "TP-2026: next 30 Tet"},
	};
	check_all(e, N(e));
}

TEST(no_30_tet_from_2025_to_2032)
{
	/* [MEO-2024]/[TP-2026]: the lunar years 2024..2031 all end on the 29th of month 12. */
	for (int y = 2025; y <= 2032; y++) {
		int found = 0;

		for (int m = 1; m <= 2; m++) {
			for (int d = 1; d <= 31; d++) {
				struct ls_lunar_date l;

				if (ls_lunar_from_solar(y, m, d, &l) != 0)
					continue;
				ASSERT_MSG(!(l.month == 12 && l.day == 30), "%d-%d-%d is 30 Tet", y,
					   m, d);
				found += l.month == 12 && l.day == 29;
			}
		}
		ASSERT_MSG(found == 1, "no 29 Tet found early in %d", y);
	}
}

TEST(mid_autumn_is_15_8_on_published_dates)
{
	static const struct expect e[] = {
	    {2017, 10, 4, 15, 8, 2017, false, "FIBO-2017"},
	    {2019, 9, 13, 15, 8, 2019, false, "TNV-2019"},
	    {2024, 9, 17, 15, 8, 2024, false, "TTQ-2024"},
	    {2025, 10, 6, 15, 8, 2025, false, "VB-2025"},
	};
	check_all(e, N(e));
}

TEST(other_published_days_2026_2028)
{
	static const struct expect e[] = {
	    {2026, 2, 20, 4, 1, 2026, false, "TN-2026-02"},
	    {2028, 2, 24, 30, 1, 2028, false, "HKO-2028"},
	    {2028, 2, 25, 1, 2, 2028, false, "HKO-2028"},
	};
	check_all(e, N(e));
}

TEST(can_chi_names_of_2024_to_2030)
{
	static const char *const want[] = {"Giáp Thìn", "Ất Tỵ",  "Bính Ngọ", "Đinh Mùi",
					   "Mậu Thân",	"Kỷ Dậu", "Canh Tuất"};
	char buf[LS_LUNAR_CAN_CHI_MAX];

	for (int i = 0; i < 7; i++)
		ASSERT_EQ_STR(ls_lunar_can_chi_year(2024 + i, buf, sizeof(buf)), want[i]);
	ASSERT_EQ_STR(ls_lunar_can_chi_year(1984, buf, sizeof(buf)), "Giáp Tý");
	ASSERT_EQ_STR(ls_lunar_can_chi_year(1985, buf, sizeof(buf)), "Ất Sửu");
	ASSERT_EQ_STR(ls_lunar_can_chi_year(2023, buf, sizeof(buf)), "Quý Mão");
	ASSERT_EQ_STR(ls_lunar_can_chi_year(2031, buf, sizeof(buf)), "Tân Hợi");
}

TEST(can_chi_cycle_has_sixty_distinct_names)
{
	char names[60][LS_LUNAR_CAN_CHI_MAX], again[LS_LUNAR_CAN_CHI_MAX];

	for (int i = 0; i < 60; i++) {
		ASSERT(ls_lunar_can_chi_year(1984 + i, names[i], sizeof(names[i])) != NULL);
		ASSERT_EQ_STR(ls_lunar_can_chi_year(1984 + i + 60, again, sizeof(again)), names[i]);
		for (int j = 0; j < i; j++)
			ASSERT_MSG(strcmp(names[i], names[j]) != 0, "%s repeats", names[i]);
	}
}

TEST(can_chi_refuses_a_small_buffer)
{
	char buf[LS_LUNAR_CAN_CHI_MAX];
	size_t need = strlen("Bính Ngọ") + 1;

	ASSERT(ls_lunar_can_chi_year(2026, buf, need - 1) == NULL);
	ASSERT_EQ_STR(ls_lunar_can_chi_year(2026, buf, need), "Bính Ngọ");
	ASSERT(ls_lunar_can_chi_year(2026, NULL, 10) == NULL);
}

TEST(dates_outside_range_or_invalid_are_refused)
{
	struct ls_lunar_date l = {99, 99, 99, true};

	ASSERT_EQ_INT(ls_lunar_from_solar(1899, 12, 31, &l), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(2200, 1, 1, &l), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(2025, 2, 29, &l), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(2024, 13, 1, &l), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(2024, 4, 31, &l), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(2024, 1, 0, &l), -1);
	ASSERT_EQ_INT(l.day, 99);
	ASSERT_EQ_INT(ls_lunar_from_solar(2024, 1, 1, NULL), -1);
	ASSERT_EQ_INT(ls_lunar_from_solar(1900, 1, 1, &l), 0);
	ASSERT_EQ_INT(ls_lunar_from_solar(2199, 12, 31, &l), 0);
	ASSERT_EQ_INT(ls_lunar_from_solar(2024, 2, 29, &l), 0);
}

TEST(julian_day_counts_days)
{
	ASSERT_EQ_INT(ls_lunar_julian_day(2000, 1, 1), 2451545);
	ASSERT_EQ_INT(ls_lunar_julian_day(2025, 1, 1) - ls_lunar_julian_day(2024, 1, 1), 366);
	ASSERT_EQ_INT(ls_lunar_julian_day(2026, 3, 1) - ls_lunar_julian_day(2026, 2, 28), 1);
	/* 1970-01-01, the Unix epoch, was a Thursday; JDN mod 7 counts from Monday = 0. */
	ASSERT_EQ_INT(ls_lunar_julian_day(1970, 1, 1), 2440588);
	ASSERT_EQ_INT(ls_lunar_julian_day(1970, 1, 1) % 7, 3);
}

/* A day-by-day walk that checks the calendar's shape: days count up by one or restart at 1
 * after day 29 or 30, a new month is the next month or its leap repeat, a new year starts at
 * month 1, and each lunar year has 12 months, or 13 with exactly one leap month. */
struct walk {
	struct ls_lunar_date prev;
	bool have_prev, year_started;
	int months_in_year, leaps_in_year, days, years_done;
};

static void walk_new_year(struct walk *w, const struct ls_lunar_date *cur)
{
	ASSERT_EQ_INT(cur->year, w->prev.year + 1);
	if (w->year_started) {
		ASSERT_MSG(w->months_in_year == 12 + w->leaps_in_year && w->leaps_in_year <= 1,
			   "lunar %d: %d months, %d leap", w->prev.year, w->months_in_year,
			   w->leaps_in_year);
		w->years_done++;
	}
	w->year_started = true;
	w->months_in_year = w->leaps_in_year = 0;
}

static void walk_new_month(struct walk *w, const struct ls_lunar_date *cur, int y, int m, int d)
{
	ASSERT_MSG(w->prev.day == 29 || w->prev.day == 30, "%d-%d-%d: month of %d days", y, m, d,
		   w->prev.day);
	if (cur->leap)
		ASSERT_MSG(cur->month == w->prev.month && !w->prev.leap, "%d-%d-%d: bad leap month",
			   y, m, d);
	else
		ASSERT_MSG(cur->month == w->prev.month % 12 + 1, "%d-%d-%d: month %d after %d", y,
			   m, d, cur->month, w->prev.month);
	if (cur->month == 1 && !cur->leap)
		walk_new_year(w, cur);
	else
		ASSERT_EQ_INT(cur->year, w->prev.year);
	w->months_in_year++;
	w->leaps_in_year += cur->leap;
}

static void walk_day(struct walk *w, int y, int m, int d)
{
	struct ls_lunar_date cur;

	ASSERT_EQ_INT(ls_lunar_from_solar(y, m, d, &cur), 0);
	w->days++;
	if (w->have_prev && cur.day != 1)
		ASSERT_MSG(cur.day == w->prev.day + 1 && cur.month == w->prev.month &&
			       cur.leap == w->prev.leap && cur.year == w->prev.year,
			   "%d-%d-%d: %d/%d after %d/%d", y, m, d, cur.day, cur.month, w->prev.day,
			   w->prev.month);
	else if (w->have_prev)
		walk_new_month(w, &cur, y, m, d);
	w->prev = cur;
	w->have_prev = true;
}

static struct walk walk_years(int y0, int y1)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	for (int y = y0; y <= y1; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++)
				if (ls_lunar_date_is_valid(y, m, d))
					walk_day(&w, y, m, d);
	return w;
}

TEST(every_day_2024_to_2030_follows_calendar_rules)
{
	struct walk w = walk_years(2024, 2030);

	ASSERT_EQ_INT(w.days, 2557);
	ASSERT_EQ_INT(w.years_done, 6); /* lunar 2024..2029 lie wholly inside the walk */
}

/* The same over the whole supported range: this caught day "0" on 2054-05-07 and 2062-04-09,
 * where the lunation guessed from the mean month was one ahead of the true new moon. */
TEST(every_day_1900_to_2199_follows_calendar_rules)
{
	struct walk w = walk_years(LS_LUNAR_MIN_YEAR, LS_LUNAR_MAX_YEAR);

	ASSERT_EQ_INT(w.years_done, 299);
}

/* 2023 had a leap month 2 (phapluatxahoi.kinhtedothi.vn, "Vì sao năm 2023 có tới 2 tháng 2
 * âm lịch?"), 2025 a leap 6 [TN-2025-08], 2028 a leap 5 [LVN-2028]. Leap years are at least two
 * years apart (a lunar year is 11 days short, a leap month needs ~30), so 2024, 2026, 2027 and
 * 2029 have none. */
TEST(leap_years_2024_to_2029_are_2025_and_2028)
{
	int leap_starts[2100] = {0};

	for (int y = 2024; y <= 2030; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				struct ls_lunar_date l;

				if (ls_lunar_from_solar(y, m, d, &l) == 0 && l.leap && l.day == 1)
					leap_starts[l.year]++;
			}
	for (int y = 2024; y <= 2029; y++)
		ASSERT_EQ_INT(leap_starts[y], y == 2025 || y == 2028);
}
