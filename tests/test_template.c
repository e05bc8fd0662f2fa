/*
 * test_template.c: placeholders in item text, as the template.h table promises.
 *
 * Weekdays are checked against published dates: 20/02/2026 was a Thursday (thanhnien.vn,
 * 20/02/2026), 6/2/2027 a Saturday and 7/2/2027 a Sunday (ntdvn.net, "Tết 2027 vào ngày
 * nào?"). Lunar dates are the ones test_lunar.c checks against published calendars.
 */
#include <string.h>

#include "harness.h"
#include "ledsign/template.h"

static struct ls_template_ctx at(int y, int mo, int d, int h, int mi, int s)
{
	struct ls_template_ctx c;

	memset(&c, 0, sizeof(c));
	c.local.tm_year = y - 1900;
	c.local.tm_mon = mo - 1;
	c.local.tm_mday = d;
	c.local.tm_hour = h;
	c.local.tm_min = mi;
	c.local.tm_sec = s;
	c.local.tm_wday = 6; /* deliberately wrong: the module must not trust it */
	c.clock_valid = true;
	c.board = "BHXH Quận 1";
	return c;
}

/* Expands text or fails the test with the module's message. */
static const char *expand(const char *text, const struct ls_template_ctx *c)
{
	static char buf[512];
	struct ls_error err = {{0}};
	int n = ls_template_expand(text, c, buf, sizeof(buf), &err);

	ASSERT_MSG(n >= 0, "expanding \"%s\": %s", text, err.msg);
	ASSERT_EQ_INT(n, strlen(buf));
	return buf;
}

/* Expects text to be refused by both check and expand; returns the message. */
static const char *refused(const char *text)
{
	static struct ls_error err;
	struct ls_error err2 = {{0}};
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);
	char out[256] = "untouched";

	memset(&err, 0, sizeof(err));
	ASSERT_MSG(ls_template_check(text, &err) == -1, "check accepted \"%s\"", text);
	ASSERT_EQ_INT(ls_template_expand(text, &c, out, sizeof(out), &err2), -1);
	ASSERT_EQ_STR(out, "");
	ASSERT_EQ_STR(err2.msg, err.msg);
	return err.msg;
}

TEST(time_is_24_hour_hh_mm)
{
	struct ls_template_ctx c = at(2026, 2, 17, 7, 5, 9);

	ASSERT_EQ_STR(expand("Giờ: {time}", &c), "Giờ: 07:05");
	c = at(2026, 2, 17, 23, 59, 59);
	ASSERT_EQ_STR(expand("{time}", &c), "23:59");
	c = at(2026, 2, 17, 0, 0, 0);
	ASSERT_EQ_STR(expand("{time}", &c), "00:00");
	c = at(2026, 2, 17, 13, 30, 0);
	ASSERT_EQ_STR(expand("{time}", &c), "13:30");
}

TEST(date_is_dd_mm_yyyy)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	ASSERT_EQ_STR(expand("Ngày {date}", &c), "Ngày 17/02/2026");
	c = at(2025, 1, 5, 8, 0, 0);
	ASSERT_EQ_STR(expand("{date}", &c), "05/01/2025");
	c = at(2028, 12, 31, 8, 0, 0);
	ASSERT_EQ_STR(expand("{date}", &c), "31/12/2028");
}

TEST(every_weekday_in_vietnamese)
{
	static const char *const want[7] = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
					    "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"};

	/* 16..22 February 2026 run Monday..Sunday: the 20th was a Thursday. */
	for (int i = 0; i < 7; i++) {
		struct ls_template_ctx c = at(2026, 2, 16 + i, 9, 0, 0);

		ASSERT_EQ_STR(expand("{weekday}", &c), want[i]);
	}
}

TEST(weekday_ignores_tm_wday_and_crosses_years)
{
	struct ls_template_ctx c = at(2027, 2, 6, 9, 0, 0);

	c.local.tm_wday = 1;
	ASSERT_EQ_STR(expand("{weekday}", &c), "Thứ Bảy");
	c = at(2027, 2, 7, 9, 0, 0);
	ASSERT_EQ_STR(expand("{weekday}, {date}", &c), "Chủ Nhật, 07/02/2027");
}

TEST(lunar_shows_day_month_and_can_chi_year)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	ASSERT_EQ_STR(expand("{lunar}", &c), "Âm lịch: 1/1 Bính Ngọ");
	c = at(2026, 2, 20, 8, 0, 0);
	ASSERT_EQ_STR(expand("{lunar}", &c), "Âm lịch: 4/1 Bính Ngọ");
	c = at(2026, 2, 16, 23, 59, 0);
	ASSERT_EQ_STR(expand("{lunar}", &c), "Âm lịch: 29/12 Ất Tỵ");
}

TEST(lunar_marks_a_leap_month_nhuan)
{
	struct ls_template_ctx c = at(2025, 7, 27, 8, 0, 0);

	ASSERT_EQ_STR(expand("{lunar}", &c), "Âm lịch: 3/6 nhuận Ất Tỵ");
	c = at(2025, 7, 24, 8, 0, 0);
	ASSERT_EQ_STR(expand("{lunar}", &c), "Âm lịch: 30/6 Ất Tỵ");
}

TEST(lunar_outside_supported_range_is_neutral)
{
	struct ls_template_ctx c = at(2250, 3, 1, 8, 0, 0);

	ASSERT_EQ_STR(expand("{date} {lunar}", &c), "01/03/2250 Âm lịch: --/--");
}

TEST(countdown_counts_whole_days_and_stops_at_zero)
{
	struct ls_template_ctx c = at(2026, 12, 1, 23, 59, 0);

	ASSERT_EQ_STR(expand("Còn {countdown:2026-12-31} ngày", &c), "Còn 30 ngày");
	c = at(2026, 12, 31, 0, 0, 0);
	ASSERT_EQ_STR(expand("{countdown:2026-12-31}", &c), "0");
	c = at(2027, 1, 15, 12, 0, 0);
	ASSERT_EQ_STR(expand("{countdown:2026-12-31}", &c), "0");
	c = at(2025, 12, 31, 12, 0, 0);
	ASSERT_EQ_STR(expand("{countdown:2026-01-01}", &c), "1");
	c = at(2028, 2, 28, 12, 0, 0);
	ASSERT_EQ_STR(expand("{countdown:2028-03-01}", &c), "2");
	c = at(2025, 1, 1, 0, 0, 0);
	ASSERT_EQ_STR(expand("{countdown:2026-01-01}", &c), "365");
}

TEST(board_name_is_inserted_verbatim)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	ASSERT_EQ_STR(expand("{board}: {time}", &c), "BHXH Quận 1: 08:00");
	c.board = "{time}";
	ASSERT_EQ_STR(expand("[{board}]", &c), "[{time}]");
	c.board = NULL;
	ASSERT_EQ_STR(expand("[{board}]", &c), "[]");
}

TEST(double_braces_are_literal_braces)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	ASSERT_EQ_STR(expand("{{time}}", &c), "{time}");
	ASSERT_EQ_STR(expand("a }} b {{", &c), "a } b {");
	ASSERT_EQ_STR(expand("{{{time}}}", &c), "{08:00}");
	ASSERT_EQ_STR(expand("", &c), "");
	ASSERT_EQ_STR(expand("Không có gì", &c), "Không có gì");
}

TEST(unknown_placeholder_is_named_with_column_and_valid_list)
{
	const char *msg = refused("Giờ: {tiem}");

	ASSERT_CONTAINS(msg, "column 6"); /* counted in characters: "Giờ: " is 5 */
	ASSERT_CONTAINS(msg, "unknown placeholder {tiem}");
	ASSERT_CONTAINS(msg, "{time}");
	ASSERT_CONTAINS(msg, "{date}");
	ASSERT_CONTAINS(msg, "{weekday}");
	ASSERT_CONTAINS(msg, "{lunar}");
	ASSERT_CONTAINS(msg, "{countdown:YYYY-MM-DD}");
	ASSERT_CONTAINS(msg, "{board}");
	ASSERT_CONTAINS(msg, "{{");
	ASSERT_CONTAINS(refused("{Time}"), "{Time}");
	ASSERT_CONTAINS(refused("{ time }"), "{ time }");
	ASSERT_CONTAINS(refused("{}"), "unknown placeholder {}");
}

TEST(long_unknown_placeholder_is_quoted_briefly)
{
	char text[400];

	memset(text, 'x', sizeof(text));
	text[0] = '{';
	text[sizeof(text) - 2] = '}';
	text[sizeof(text) - 1] = '\0';
	ASSERT_CONTAINS(refused(text), "{xxxxxxxxxx");
	ASSERT(strlen(refused(text)) < 300);
}

TEST(unbalanced_braces_are_refused)
{
	ASSERT_CONTAINS(refused("Giờ {time"), "column 5");
	ASSERT_CONTAINS(refused("Giờ {time"), "never closed");
	ASSERT_CONTAINS(refused("{ti{me}"), "never closed");
	ASSERT_CONTAINS(refused("a } b"), "column 3: lone '}'");
	ASSERT_CONTAINS(refused("{"), "never closed");
	ASSERT_CONTAINS(refused("}"), "lone '}'");
}

TEST(bad_countdown_dates_are_refused)
{
	ASSERT_CONTAINS(refused("{countdown}"), "needs a date");
	ASSERT_CONTAINS(refused("{countdown:2026-02-30}"), "\"2026-02-30\" is not a date");
	ASSERT_CONTAINS(refused("{countdown:2026-2-3}"), "YYYY-MM-DD");
	ASSERT_CONTAINS(refused("{countdown:}"), "is not a date");
	ASSERT_CONTAINS(refused("{countdown:2026-13-01}"), "is not a date");
	ASSERT_CONTAINS(refused("{countdown:abcd-ef-gh}"), "is not a date");
	ASSERT_CONTAINS(refused("{countdown:2026-12-31 }"), "is not a date");
	ASSERT_CONTAINS(refused("{countdown 2026-12-31}"), "unknown placeholder");
	ASSERT_EQ_INT(ls_template_check("{countdown:2028-02-29}", NULL), 0);
	ASSERT_EQ_INT(ls_template_check("{countdown:2027-02-29}", NULL), -1);
}

TEST(check_accepts_every_valid_placeholder)
{
	struct ls_error err = {{0}};

	ASSERT_MSG(ls_template_check("{time} {date} {weekday} {lunar} {countdown:2026-12-31} "
				     "{board} {{ }} Tiếng Việt",
				     &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_INT(ls_template_check(NULL, &err), -1);
}

TEST(output_that_does_not_fit_fails_and_stays_inside_the_buffer)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);
	const char *text = "{board} {weekday} {lunar} {time}";
	const char *full = "BHXH Quận 1 Thứ Ba Âm lịch: 1/1 Bính Ngọ 08:00";
	size_t need = strlen(full) + 1;
	char buf[128];
	struct ls_error err;

	for (size_t size = 1; size < need; size++) {
		memset(buf, '#', sizeof(buf));
		ASSERT_EQ_INT(ls_template_expand(text, &c, buf, size, &err), -1);
		ASSERT_EQ_STR(buf, "");
		ASSERT_CONTAINS(err.msg, "does not fit");
		for (size_t i = size; i < sizeof(buf); i++)
			ASSERT_MSG(buf[i] == '#', "byte %zu written with size %zu", i, size);
	}
	ASSERT_EQ_INT(ls_template_expand(text, &c, buf, need, &err), (int)need - 1);
	ASSERT_EQ_STR(buf, full);
	ASSERT_EQ_INT(ls_template_expand(text, &c, buf, 0, &err), -1);
	ASSERT_EQ_INT(ls_template_expand(text, &c, NULL, 10, &err), -1);
	ASSERT_EQ_INT(ls_template_expand(text, NULL, buf, sizeof(buf), &err), -1);
}

TEST(untrusted_clock_renders_neutral_forms)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	c.clock_valid = false;
	ASSERT_EQ_STR(
	    expand("{board} {time} {date} [{weekday}] {lunar} {countdown:2026-12-31}", &c),
	    "BHXH Quận 1 --:-- --/--/---- [] Âm lịch: --/-- --");
}

TEST(out_of_range_time_fields_render_neutral_forms)
{
	struct ls_template_ctx c = at(2026, 2, 17, 8, 0, 0);

	c.local.tm_mon = 12;
	ASSERT_EQ_STR(expand("{time} {date}", &c), "--:-- --/--/----");
	c = at(2026, 2, 30, 8, 0, 0);
	ASSERT_EQ_STR(expand("{date}", &c), "--/--/----");
	c = at(2026, 2, 17, 24, 0, 0);
	ASSERT_EQ_STR(expand("{time}", &c), "--:--");
	c = at(2026, 2, 17, 8, 0, 0);
	c.local.tm_year = -5000;
	ASSERT_EQ_STR(expand("{weekday}", &c), "");
}

TEST(is_live_only_for_time_dependent_placeholders)
{
	ASSERT(ls_template_is_live("{time}"));
	ASSERT(ls_template_is_live("Hôm nay {date}"));
	ASSERT(ls_template_is_live("{weekday}"));
	ASSERT(ls_template_is_live("{lunar}"));
	ASSERT(ls_template_is_live("{countdown:2026-12-31}"));
	ASSERT(!ls_template_is_live("{board}"));
	ASSERT(!ls_template_is_live("BHXH, BHYT là hai chính sách xã hội quan trọng"));
	ASSERT(!ls_template_is_live("{{time}}"));
	ASSERT(!ls_template_is_live("{time} {bad}"));
	ASSERT(!ls_template_is_live(NULL));
}

TEST(next_change_is_next_minute_for_time)
{
	struct tm t = at(2026, 2, 17, 10, 0, 0).local;

	ASSERT_EQ_INT(ls_template_next_change("{time}", &t), 60);
	t.tm_sec = 45;
	ASSERT_EQ_INT(ls_template_next_change("{time} {date}", &t), 15);
	t.tm_sec = 60; /* leap second */
	ASSERT_EQ_INT(ls_template_next_change("{time}", &t), 1);
}

TEST(next_change_is_midnight_for_dates)
{
	struct tm t = at(2026, 2, 17, 23, 59, 30).local;

	ASSERT_EQ_INT(ls_template_next_change("{date}", &t), 30);
	ASSERT_EQ_INT(ls_template_next_change("{lunar}", &t), 30);
	t = at(2026, 2, 17, 0, 0, 0).local;
	ASSERT_EQ_INT(ls_template_next_change("{weekday}", &t), 86400);
	t = at(2026, 2, 17, 12, 0, 0).local;
	ASSERT_EQ_INT(ls_template_next_change("{countdown:2026-12-31}", &t), 43200);
}

TEST(next_change_never_for_static_text)
{
	struct tm t = at(2026, 2, 17, 12, 0, 0).local;

	ASSERT_EQ_INT(ls_template_next_change("{board} và chữ", &t), -1);
	ASSERT_EQ_INT(ls_template_next_change("{oops}", &t), -1);
	ASSERT_EQ_INT(ls_template_next_change("{time}", NULL), 60);
}

/* The promise behind next_change: between now and now + next_change - 1 seconds, the
 * expansion does not change, and at now + next_change it may. Checked over a day in steps. */
TEST(expansion_is_constant_until_next_change)
{
	const char *text = "{time} {date} {weekday} {lunar} {countdown:2026-03-01}";

	for (int s = 0; s < 86400; s += 37) {
		struct ls_template_ctx c = at(2026, 2, 17, s / 3600, s / 60 % 60, s % 60);
		struct ls_template_ctx last;
		char now[256], later[256];
		int64_t dt = ls_template_next_change(text, &c.local);
		int e = s + (int)dt - 1;

		ASSERT(dt >= 1);
		ASSERT(ls_template_expand(text, &c, now, sizeof(now), NULL) > 0);
		last = at(2026, 2, 17, e / 3600, e / 60 % 60, e % 60);
		ASSERT(e < 86400);
		ASSERT(ls_template_expand(text, &last, later, sizeof(later), NULL) > 0);
		ASSERT_EQ_STR(later, now);
	}
}
