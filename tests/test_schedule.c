/*
 * test_schedule.c: the selection rules of schedule.h, with an injected clock.
 *
 * Time zones are faked: the board's zone is UTC+7 (Asia/Ho_Chi_Minh has no
 * DST) and "Asia/Tokyo" is UTC+9, computed with gmtime_r, so the tests do not
 * depend on the machine's tzdata. Weekdays: 23/11/2026 is a Monday (and
 * 1/1/2027 a Friday), checked with `cal 11 2026` and `cal 1 2027`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "ledsign/clock.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"

#define BOARD_TZ "Asia/Ho_Chi_Minh"

static void fake_localtime(const char *tz, int64_t t, struct tm *out)
{
	time_t tt = (time_t)(t + (tz && !strcmp(tz, "Asia/Tokyo") ? 9 : 7) * 3600);

	gmtime_r(&tt, out);
}

/* Unix seconds of a civil time in the board's zone (UTC+7). */
static int64_t at(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};

	return (int64_t)timegm(&tm) - 7 * 3600;
}

static struct ls_playlist *parse(const char *json)
{
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(json, strlen(json), "test.json", &err);

	ASSERT_MSG(pl, "parse: %s", err.msg);
	return pl;
}

static const struct ls_item builtin = {.id = "builtin", .text = "BHXH", .days = 0x7f, .weight = 1};

struct world {
	struct ls_playlist *pls[4];
	int n;
	const char *tags[4];
	int n_tags;
	struct ls_schedule_input in;
	struct ls_schedule_history h;
};

static void world_init(struct world *w, const char *json)
{
	memset(w, 0, sizeof(*w));
	w->pls[w->n++] = parse(json);
	ASSERT_EQ_INT(ls_schedule_history_init(&w->h, 64), 0);
}

static void world_time(struct world *w, int64_t t, bool valid)
{
	struct ls_schedule_input *in = &w->in;

	memset(in, 0, sizeof(*in));
	in->pls = w->pls;
	in->n_pls = w->n;
	in->tags = w->tags;
	in->n_tags = w->n_tags;
	in->zone = "main";
	in->default_zone = true;
	in->wall_s = t;
	in->wall_valid = valid;
	fake_localtime(BOARD_TZ, t, &in->local);
	in->board_tz = BOARD_TZ;
	in->localtime = fake_localtime;
	in->builtin = &builtin;
}

static const char *next_at(struct world *w, int64_t t)
{
	const struct ls_item *it;

	world_time(w, t, true);
	it = ls_schedule_select(&w->in, &w->h, LS_SCHEDULE_NEXT);
	return it ? it->id : "(none)";
}

static const char *check_at(struct world *w, int64_t t)
{
	const struct ls_item *it;

	world_time(w, t, true);
	it = ls_schedule_select(&w->in, &w->h, LS_SCHEDULE_CHECK);
	return it ? it->id : "(none)";
}

static void world_free(struct world *w)
{
	for (int i = 0; i < w->n; i++)
		ls_playlist_free(w->pls[i]);
	ls_schedule_history_clear(&w->h);
}

#define CAMPAIGN                                                                                   \
	"{\"version\":1,\"default\":\"always\",\"items\":["                                        \
	"{\"id\":\"always\",\"text\":\"a\"},"                                                      \
	"{\"id\":\"camp\",\"text\":\"c\",\"priority\":5,"                                          \
	"\"from\":\"2026-08-01 07:30\",\"until\":\"2026-09-30\"}]}"

TEST(campaign_starts_at_from_inclusive)
{
	struct world w;

	world_init(&w, CAMPAIGN);
	ASSERT_EQ_STR(next_at(&w, at(2026, 8, 1, 7, 29)), "always");
	ASSERT_EQ_STR(next_at(&w, at(2026, 8, 1, 7, 30)), "camp");
	world_free(&w);
}

TEST(campaign_until_a_date_plays_through_that_day_and_stops_at_midnight)
{
	struct world w;

	world_init(&w, CAMPAIGN);
	ASSERT_EQ_STR(next_at(&w, at(2026, 9, 30, 23, 59)), "camp");
	ASSERT_EQ_STR(next_at(&w, at(2026, 10, 1, 0, 0)), "always");
	world_free(&w);
}

TEST(campaign_ending_mid_item_cuts_it_at_once)
{
	struct world w;

	world_init(&w, CAMPAIGN);
	ASSERT_EQ_STR(next_at(&w, at(2026, 9, 30, 23, 59)), "camp");
	ASSERT_EQ_STR(check_at(&w, at(2026, 9, 30, 23, 59) + 59), "camp");
	ASSERT_EQ_STR(check_at(&w, at(2026, 10, 1, 0, 0)), "always");
	world_free(&w);
}

TEST(each_weekday_plays_only_on_its_day)
{
	static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	char json[1024];

	for (int d = 0; d < 7; d++) {
		struct world w;
		snprintf(json, sizeof(json),
			 "{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"
			 "{\"id\":\"%s\",\"text\":\"x\",\"priority\":1,\"days\":[\"%s\"]}]}",
			 names[d], names[d]);
		world_init(&w, json);
		for (int k = 0; k < 7; k++) {
			/* 23/11/2026 is a Monday, so 23 + k is weekday k. */
			const char *got = next_at(&w, at(2026, 11, 23 + k, 12, 0));
			ASSERT_EQ_STR(got, k == d ? names[d] : "base");
		}
		world_free(&w);
	}
}

TEST(day_ranges_wrap_around_the_week)
{
	struct world w;

	world_init(&w, "{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"
		       "{\"id\":\"wk\",\"text\":\"x\",\"priority\":1,\"days\":[\"sat-mon\"]}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 9, 0)), "wk");  /* Saturday */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 29, 9, 0)), "wk");  /* Sunday */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 30, 9, 0)), "wk");  /* Monday */
	ASSERT_EQ_STR(next_at(&w, at(2026, 12, 1, 9, 0)), "base"); /* Tuesday */
	world_free(&w);
}

#define NIGHT                                                                                      \
	"{\"version\":1,\"items\":[{\"id\":\"day\",\"text\":\"d\"},"                               \
	"{\"id\":\"night\",\"text\":\"n\",\"priority\":3,\"days\":[\"fri\"],"                      \
	"\"windows\":[\"22:00-06:00\"]}]}"

TEST(window_crossing_midnight_plays_at_0030)
{
	struct world w;

	world_init(&w, NIGHT);
	/* Friday 27/11/2026 22:00 opens the window; Saturday 00:30 is still inside it. */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 27, 21, 59)), "day");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 27, 22, 0)), "night");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 0, 30)), "night");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 5, 59)), "night");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 6, 0)), "day");
	world_free(&w);
}

TEST(window_crossing_midnight_belongs_to_the_day_it_opens)
{
	struct world w;

	world_init(&w, NIGHT);
	/* Friday 00:30 is the tail of Thursday's window, and Thursday is not listed. */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 27, 0, 30)), "day");
	/* Saturday 22:30 opens no window: only Friday does. */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 22, 30)), "day");
	world_free(&w);
}

TEST(new_year_crossing_window_and_campaign_edges)
{
	struct world w;

	world_init(&w, "{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"
		       "{\"id\":\"old\",\"text\":\"o\",\"priority\":2,\"until\":\"2026-12-31\"},"
		       "{\"id\":\"eve\",\"text\":\"e\",\"priority\":4,\"days\":[\"thu\"],"
		       "\"windows\":[\"23:00-01:00\"]},"
		       "{\"id\":\"new\",\"text\":\"n\",\"priority\":1,\"from\":\"2027-01-01\"}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 12, 31, 22, 59)), "old");
	ASSERT_EQ_STR(next_at(&w, at(2026, 12, 31, 23, 30)), "eve"); /* Thursday night */
	ASSERT_EQ_STR(next_at(&w, at(2027, 1, 1, 0, 30)), "eve");    /* its tail, in the new year */
	ASSERT_EQ_STR(next_at(&w, at(2027, 1, 1, 1, 0)), "new");     /* "old" ended at midnight */
	world_free(&w);
}

#define URGENT                                                                                     \
	"{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"a\"},{\"id\":\"b\",\"text\":\"b\"},"   \
	"{\"id\":\"c\",\"text\":\"c\"},"                                                           \
	"{\"id\":\"storm\",\"text\":\"s\",\"priority\":90,\"interrupt\":true,"                     \
	"\"from\":\"2026-11-24 10:00\",\"until\":\"2026-11-24 10:05\"},"                           \
	"{\"id\":\"later\",\"text\":\"l\",\"priority\":80,"                                        \
	"\"from\":\"2026-11-24 11:00\",\"until\":\"2026-11-24 11:05\"}]}"

TEST(interrupt_arriving_mid_item_cuts_it_and_the_rotation_returns_to_it)
{
	struct world w;
	int64_t t = at(2026, 11, 24, 9, 59);

	world_init(&w, URGENT);
	ASSERT_EQ_STR(next_at(&w, t), "a");
	ASSERT_EQ_STR(next_at(&w, t + 20), "b");
	ASSERT_EQ_STR(check_at(&w, t + 40), "b");     /* mid-item, nothing new: keep */
	ASSERT_EQ_STR(check_at(&w, t + 60), "storm"); /* 10:00: cut at once */
	ASSERT_EQ_STR(next_at(&w, t + 100), "storm"); /* it repeats while it lasts */
	ASSERT_EQ_STR(check_at(&w, t + 360), "b");    /* 10:05, mid-storm: back to where we were */
	ASSERT_EQ_STR(next_at(&w, t + 380), "c");     /* and on with the rotation */
	ASSERT_EQ_STR(next_at(&w, t + 400), "a");
	world_free(&w);
}

#define NESTED                                                                                     \
	"{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"a\"},{\"id\":\"b\",\"text\":\"b\"},"   \
	"{\"id\":\"notice\",\"text\":\"n\",\"priority\":50,"                                       \
	"\"from\":\"2026-11-24 10:01\",\"until\":\"2026-11-24 10:20\"},"                           \
	"{\"id\":\"storm\",\"text\":\"s\",\"priority\":50,\"interrupt\":true,"                     \
	"\"from\":\"2026-11-24 10:00\",\"until\":\"2026-11-24 10:20\"},"                           \
	"{\"id\":\"flood\",\"text\":\"f\",\"priority\":90,\"interrupt\":true,"                     \
	"\"from\":\"2026-11-24 10:05\",\"until\":\"2026-11-24 10:06\"}]}"

/* b is cut by the storm warning, which is cut in turn by the flood warning:
 * both wait, and each plays again from its start in the reverse order of the
 * cuts (the storm first, although "notice" shares its priority and comes
 * first in the rotation), b last. */
TEST(a_message_cut_by_a_second_interrupt_is_replayed_then_the_first_cut_one)
{
	struct world w;
	int64_t t = at(2026, 11, 24, 9, 59);

	world_init(&w, NESTED);
	ASSERT_EQ_STR(next_at(&w, t), "a");
	ASSERT_EQ_STR(next_at(&w, t + 20), "b");
	ASSERT_EQ_STR(check_at(&w, t + 60), "storm");  /* 10:00: b is cut */
	ASSERT_EQ_STR(check_at(&w, t + 360), "flood"); /* 10:05: the storm is cut */
	ASSERT_EQ_STR(check_at(&w, t + 420), "storm"); /* 10:06: the storm again, from its start */
	ASSERT_EQ_STR(next_at(&w, t + 440), "notice");
	ASSERT_EQ_STR(check_at(&w, t + 1260), "b"); /* 10:20: then b, cut first */
	ASSERT_EQ_STR(next_at(&w, t + 1280), "a");
	world_free(&w);
}

/* A cut item whose time passes while it waits is dropped, not replayed late. */
TEST(a_cut_item_whose_time_has_passed_is_not_replayed)
{
	struct world w;
	int64_t t = at(2026, 11, 24, 9, 59);

	world_init(&w, NESTED);
	ASSERT_EQ_STR(next_at(&w, t), "a");
	ASSERT_EQ_STR(check_at(&w, t + 60), "storm");  /* 10:00: a is cut */
	ASSERT_EQ_STR(check_at(&w, t + 360), "flood"); /* 10:05: the storm is cut */
	ASSERT_EQ_STR(next_at(&w, t + 1300), "a");     /* 10:20:40: both over; no storm, a again */
	ASSERT_EQ_STR(next_at(&w, t + 1320), "b");
	world_free(&w);
}

TEST(higher_priority_without_interrupt_waits_for_the_item_to_end)
{
	struct world w;
	int64_t t = at(2026, 11, 24, 10, 59);

	world_init(&w, URGENT);
	ASSERT_EQ_STR(next_at(&w, t), "a");
	ASSERT_EQ_STR(check_at(&w, t + 61),
		      "a"); /* 11:00:01: "later" is eligible but does not cut */
	ASSERT_EQ_STR(next_at(&w, t + 70), "later");
	world_free(&w);
}

TEST(equal_priorities_share_airtime_by_weight)
{
	struct world w;
	int na = 0, nb = 0, run = 0, longest = 0;
	const char *prev = "";

	world_init(&w, "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"a\",\"weight\":3},"
		       "{\"id\":\"b\",\"text\":\"b\"},{\"id\":\"c\",\"text\":\"c\"}]}");
	/* Three items of one priority, weights 3, 1, 1. */
	for (int i = 0; i < 500; i++) {
		const char *id = next_at(&w, at(2026, 11, 24, 9, 0) + i * 10);
		na += !strcmp(id, "a");
		nb += !strcmp(id, "b");
		run = strcmp(id, prev) ? 1 : run + 1;
		longest = run > longest ? run : longest;
		prev = id;
	}
	ASSERT_EQ_INT(na, 300);
	ASSERT_EQ_INT(nb, 100);
	ASSERT_MSG(longest <= 2, "weights interleave; got a run of %d", longest);
	world_free(&w);
}

TEST(tags_target_boards)
{
	struct world w;

	world_init(
	    &w,
	    "{\"version\":1,\"items\":[{\"id\":\"all\",\"text\":\"x\"},"
	    "{\"id\":\"gl\",\"text\":\"g\",\"priority\":1,\"tags\":[\"gia-lai\",\"kon-tum\"]}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "all");
	w.tags[0] = "ha-noi";
	w.tags[1] = "Gia-Lai"; /* tags compare without regard to case */
	w.n_tags = 2;
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "gl");
	w.tags[1] = "da-nang";
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "all");
	world_free(&w);
}

TEST(clock_not_synchronised_plays_only_untimed_items_and_says_why)
{
	struct world w;
	const struct ls_item *it;

	world_init(&w,
		   "{\"version\":1,\"items\":[{\"id\":\"plain\",\"text\":\"p\"},"
		   "{\"id\":\"hours\",\"text\":\"h\",\"priority\":5,\"windows\":[\"00:00-24:00\"]},"
		   "{\"id\":\"camp\",\"text\":\"w\",\"priority\":5,\"from\":\"2020-01-01\"}]}");
	for (int i = 0; i < 10; i++) {
		world_time(&w, at(2026, 11, 24, 9, 0) + i, false);
		it = ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_NEXT);
		ASSERT_EQ_STR(it->id, "plain");
	}
	ASSERT_EQ_INT(w.h.reason, LS_REASON_NO_CLOCK);
	ASSERT_CONTAINS(ls_schedule_reason(w.h.reason), "not synchronised");
	/* Once the clock is good, "plain" ends its pass (no interrupt), then the timed items win.
	 */
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 24, 9, 0)), "plain");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0) + 20), "hours");
	ASSERT_EQ_INT(w.h.reason, LS_REASON_SCHEDULED);
	world_free(&w);
}

TEST(clock_lost_mid_item_cuts_a_timed_item)
{
	struct world w;
	const struct ls_item *it;

	world_init(
	    &w, "{\"version\":1,\"items\":[{\"id\":\"plain\",\"text\":\"p\"},"
		"{\"id\":\"hours\",\"text\":\"h\",\"priority\":5,\"windows\":[\"07:00-17:00\"]}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "hours");
	world_time(&w, at(2026, 11, 24, 9, 0), false);
	it = ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_CHECK);
	ASSERT_EQ_STR(it->id, "plain");
	world_free(&w);
}

TEST(clock_jumping_backwards_follows_the_schedule_without_blanking)
{
	struct world w;

	world_init(&w, "{\"version\":1,\"items\":["
		       "{\"id\":\"hours\",\"text\":\"h\",\"windows\":[\"07:30-17:00\"]},"
		       "{\"id\":\"x\",\"text\":\"x\",\"from\":\"2026-11-24\"}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "hours");
	/* The clock jumps back a day and to the evening: "x" has not started, "hours" is shut. */
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 23, 20, 0)), "builtin");
	ASSERT_EQ_INT(w.h.reason, LS_REASON_BUILTIN);
	/* ...and forwards again: the schedule picks up at once. */
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 24, 9, 0)),
		      "builtin"); /* a fallback plays to its end */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0) + 5), "x"); /* the rotation goes on */
	world_free(&w);
}

TEST(off_darkens_only_when_every_top_item_is_off)
{
	struct world w;
	const char *night =
	    "{\"version\":1,\"items\":[{\"id\":\"msg\",\"text\":\"m\"},"
	    "{\"id\":\"dark\",\"off\":true,\"priority\":9,\"windows\":[\"22:00-06:00\"]},"
	    "{\"id\":\"alarm\",\"text\":\"a\",\"priority\":9,\"interrupt\":true,"
	    "\"from\":\"2026-11-25 02:00\",\"until\":\"2026-11-25 03:00\"}]}";

	world_init(&w, night);
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 21, 0)), "msg");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 23, 0)), "dark");
	ASSERT_EQ_INT(w.h.reason, LS_REASON_OFF);
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 25, 2, 0)), "alarm"); /* same priority, not off */
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 25, 3, 0)), "dark");
	ASSERT_EQ_STR(check_at(&w, at(2026, 11, 25, 6, 0)), "msg"); /* dark ends at once */
	world_free(&w);
}

TEST(default_item_plays_when_nothing_is_eligible_then_the_builtin)
{
	struct world w;

	world_init(&w, "{\"version\":1,\"default\":\"hello\",\"items\":["
		       "{\"id\":\"hello\",\"text\":\"h\",\"days\":[\"sun\"]},"
		       "{\"id\":\"wk\",\"text\":\"w\",\"days\":[\"mon-fri\"]}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "wk");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 9, 0)), "hello"); /* Saturday: the default */
	ASSERT_EQ_INT(w.h.reason, LS_REASON_DEFAULT);
	free(w.pls[0]->default_item);
	w.pls[0]->default_item = NULL;
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 28, 9, 0)), "builtin");
	w.in.default_zone = false;
	world_time(&w, at(2026, 11, 28, 9, 0), true);
	w.in.zone = "clock";
	w.in.default_zone = false;
	ASSERT(ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_NEXT) ==
	       NULL); /* other zones: no built-in */
	world_free(&w);
}

TEST(item_timezone_is_its_own)
{
	struct world w;

	world_init(&w,
		   "{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"
		   "{\"id\":\"tokyo\",\"text\":\"t\",\"priority\":1,\"timezone\":\"Asia/Tokyo\","
		   "\"windows\":[\"09:00-10:00\"]}]}");
	/* 07:00 in Hanoi is 09:00 in Tokyo. */
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 6, 59)), "base");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 7, 0)), "tokyo");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 8, 0)), "base");
	world_free(&w);
}

TEST(several_playlists_are_layers_and_zones_separate_items)
{
	struct world w;
	const struct ls_item *it;

	world_init(&w, "{\"version\":1,\"items\":[{\"id\":\"nat\",\"text\":\"n\"}]}");
	w.pls[w.n++] =
	    parse("{\"version\":1,\"zones\":[{\"name\":\"main\",\"width\":160,\"height\":16},"
		  "{\"name\":\"clock\",\"x\":160,\"width\":32,\"height\":16}],\"items\":["
		  "{\"id\":\"office\",\"text\":\"o\"},{\"id\":\"clk\",\"text\":\"{time}\",\"zone\":"
		  "\"clock\"}]}");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 0)), "nat");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 1)), "office");
	ASSERT_EQ_STR(next_at(&w, at(2026, 11, 24, 9, 2)), "nat");
	world_time(&w, at(2026, 11, 24, 9, 0), true);
	w.in.zone = "clock";
	w.in.default_zone = false;
	it = ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_NEXT);
	ASSERT_EQ_STR(it->id, "clk");
	world_free(&w);
}

TEST(weekday_of_known_dates)
{
	ASSERT_EQ_INT(ls_weekday(2026, 11, 23), 0); /* Monday */
	ASSERT_EQ_INT(ls_weekday(2027, 1, 1), 4);   /* Friday */
	ASSERT_EQ_INT(ls_weekday(2026, 2, 20), 4);  /* Friday (`date -d 2026-02-20 +%A`) */
	ASSERT_EQ_INT(ls_weekday(2000, 2, 29), 1);  /* Tuesday */
	ASSERT_EQ_INT(ls_weekday(2027, 2, 7), 6);   /* Sunday */
}

/* ---- property test: random playlists, random times, an independent oracle ---- */

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static const char *const rnd_tags[] = {"ha-noi", "gia-lai", "ba-dinh"};
static char rnd_ids[16][16];

/* Base: 2026-11-24 00:00 board time; campaigns and samples fall within +-10 days. */
static int64_t rnd_civil(void)
{
	int64_t t = at(2026, 11, 24, 0, 0) + (int64_t)rnd(20 * 24 * 60) * 60 - 10 * 86400;
	struct tm tm;

	fake_localtime(BOARD_TZ, t, &tm);
	return ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static void rnd_item(struct ls_item *it, int k)
{
	memset(it, 0, sizeof(*it));
	snprintf(rnd_ids[k], sizeof(rnd_ids[k]), "i%d", k);
	it->id = rnd_ids[k];
	it->text = "x";
	it->priority = (int)rnd(4);
	it->weight = 1 + (int)rnd(4);
	it->days = rnd(3) ? 0x7f : (uint8_t)rnd(128);
	it->interrupt = rnd(5) == 0;
	it->off = rnd(10) == 0;
	it->timezone = rnd(5) == 0 ? "Asia/Tokyo" : NULL;
	if (rnd(3) == 0)
		it->from = rnd_civil();
	if (rnd(3) == 0) {
		it->until = rnd_civil();
		if (it->from && it->until <= it->from)
			it->until = 0;
	}
	it->n_windows = rnd(3) ? 0 : 1 + (int)rnd(2);
	for (int i = 0; i < it->n_windows; i++) {
		it->windows[i].start = (int)rnd(24 * 4) * 15;
		it->windows[i].end = (int)rnd(24 * 4) * 15;
		if (it->windows[i].end == it->windows[i].start)
			it->windows[i].end = 24 * 60;
	}
	it->n_tags = rnd(3) ? 0 : 1;
	if (it->n_tags)
		it->tags[0] = (char *)rnd_tags[rnd(3)];
}

/* Unix time of a packed civil time in zone offset off_h (hour 24 means the next midnight). */
static int64_t unpack(int64_t v, int off_h)
{
	struct tm tm = {0};

	tm.tm_min = (int)(v % 100);
	tm.tm_hour = (int)(v / 100 % 100);
	tm.tm_mday = (int)(v / 10000 % 100);
	tm.tm_mon = (int)(v / 1000000 % 100) - 1;
	tm.tm_year = (int)(v / 100000000) - 1900;
	return (int64_t)timegm(&tm) - off_h * 3600;
}

/* Eligibility worked out a second way: Unix-time campaign bounds, gmtime's weekday. */
static bool oracle_eligible(const struct ls_item *it, int64_t t, bool valid,
			    const char *const *tags, int n_tags)
{
	int off_h = it->timezone ? 9 : 7, m, wd, yd;
	time_t lt = (time_t)(t + off_h * 3600);
	struct tm tm;
	bool tag_ok = !it->n_tags, in_win = false;

	for (int i = 0; i < n_tags; i++)
		tag_ok |= it->n_tags && !strcmp(tags[i], it->tags[0]);
	if (!tag_ok)
		return false;
	if (!it->from && !it->until && it->days == 0x7f && !it->n_windows)
		return true;
	if (!valid)
		return false;
	if ((it->from && t < unpack(it->from, off_h)) ||
	    (it->until && t >= unpack(it->until, off_h)))
		return false;
	gmtime_r(&lt, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	wd = (tm.tm_wday + 6) % 7;
	yd = (wd + 6) % 7;
	if (!it->n_windows)
		return (it->days >> wd) & 1;
	for (int i = 0; i < it->n_windows; i++) {
		int s = it->windows[i].start, e = it->windows[i].end;
		if (s < e)
			in_win |= m >= s && m < e && ((it->days >> wd) & 1);
		else
			in_win |=
			    (m >= s && ((it->days >> wd) & 1)) || (m < e && ((it->days >> yd) & 1));
	}
	return in_win;
}

TEST(property_selection_obeys_the_rules_over_thousands_of_random_playlists)
{
	int checked = 0, fell_back = 0, dark = 0;

	for (int round = 0; round < 400; round++) {
		struct ls_item items[16];
		struct ls_playlist pl = {.version = 1, .items = items};
		struct ls_playlist *pls[1] = {&pl};
		const char *board_tags[3];
		int n_tags = (int)rnd(3);
		struct ls_schedule_history h;
		const struct ls_item *prev = NULL;
		bool prev_fallback = false;

		pl.n_items = 1 + (int)rnd(10);
		for (int i = 0; i < pl.n_items; i++)
			rnd_item(&items[i], i);
		pl.default_item = rnd(2) ? rnd_ids[rnd((uint32_t)pl.n_items)] : NULL;
		for (int i = 0; i < n_tags; i++)
			board_tags[i] = rnd_tags[rnd(3)];
		ASSERT_EQ_INT(ls_schedule_history_init(&h, pl.n_items), 0);
		int64_t t = unpack(rnd_civil(), 7);
		for (int step = 0; step < 25; step++, checked++) {
			struct ls_schedule_input in = {.pls = pls,
						       .n_pls = 1,
						       .tags = board_tags,
						       .n_tags = n_tags,
						       .zone = "main",
						       .default_zone = true,
						       .board_tz = BOARD_TZ,
						       .localtime = fake_localtime,
						       .builtin = &builtin};
			enum ls_schedule_event ev = rnd(2) ? LS_SCHEDULE_NEXT : LS_SCHEDULE_CHECK;
			int top = -1, interrupt_top = -1;
			bool top_visible = false;
			const struct ls_item *r;

			t += rnd(4) == 0 ? -(int64_t)rnd(3 * 86400)
					 : (int64_t)rnd(4 * 3600); /* jumps both ways */
			in.wall_s = t;
			in.wall_valid = rnd(8) != 0;
			fake_localtime(BOARD_TZ, t, &in.local);
			for (int i = 0; i < pl.n_items; i++) {
				if (!oracle_eligible(&items[i], t, in.wall_valid, board_tags,
						     n_tags))
					continue;
				if (items[i].priority > top)
					top = items[i].priority, top_visible = false;
				if (items[i].priority == top)
					top_visible |= !items[i].off;
				if (items[i].interrupt && !items[i].off &&
				    items[i].priority > interrupt_top)
					interrupt_top = items[i].priority;
			}
			r = ls_schedule_select(&in, &h, ev);
			ASSERT_MSG(r != NULL, "never nothing while the built-in exists (round %d)",
				   round);
			if (ev == LS_SCHEDULE_CHECK && prev && r == prev &&
			    h.current_fallback == prev_fallback) {
				/* Kept: still eligible (or a fallback), and no higher interrupt
				 * waiting. */
				if (!prev_fallback) {
					ASSERT_MSG(oracle_eligible(r, t, in.wall_valid, board_tags,
								   n_tags),
						   "round %d: kept %s after its conditions ended "
						   "(off %d from %lld until %lld days %x nw %d tz "
						   "%s valid %d t %lld)",
						   round, r->id, r->off, (long long)r->from,
						   (long long)r->until, r->days, r->n_windows,
						   r->timezone ? r->timezone : "-", in.wall_valid,
						   (long long)t);
					ASSERT(interrupt_top <= r->priority);
				} else {
					ASSERT(interrupt_top < 0);
				}
				if (r->off)
					ASSERT(!top_visible && top >= 0);
			} else if (top < 0) {
				fell_back++;
				ASSERT_MSG(r == &builtin ||
					       (pl.default_item && !strcmp(r->id, pl.default_item)),
					   "round %d: nothing eligible, got %s", round, r->id);
				ASSERT(!r->off);
			} else {
				ASSERT_MSG(oracle_eligible(r, t, in.wall_valid, board_tags, n_tags),
					   "round %d step %d: %s is not eligible", round, step,
					   r->id);
				ASSERT_MSG(r->priority == top,
					   "round %d: priority %d while %d is eligible", round,
					   r->priority, top);
				ASSERT_EQ_INT(r->off, !top_visible);
				dark += r->off;
			}
			prev = r;
			prev_fallback = h.current_fallback;
		}
		ls_schedule_history_clear(&h);
	}
	ASSERT(checked == 10000);
	ASSERT_MSG(fell_back > 100 && dark > 10, "the generator covers fallbacks (%d) and off (%d)",
		   fell_back, dark);
}

/* With the real zone database (clock.c's ls_localtime): an item's window follows its own
 * zone's daylight-saving change. Europe/Berlin moved to UTC+2 on 29/03/2026. */
TEST(item_window_follows_its_zones_daylight_saving)
{
	struct world w;
	const struct ls_item *it;

	world_init(
	    &w, "{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"
		"{\"id\":\"berlin\",\"text\":\"x\",\"priority\":1,\"timezone\":\"Europe/Berlin\","
		"\"windows\":[\"09:00-10:00\"]}]}");
	/* 14:30 in Hanoi is 08:30 in Berlin on 28 March (UTC+1) and 09:30 on 30 March (UTC+2). */
	world_time(&w, at(2026, 3, 28, 14, 30), true);
	w.in.localtime = ls_localtime;
	it = ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_NEXT);
	ASSERT_EQ_STR(it->id, "base");
	world_time(&w, at(2026, 3, 30, 14, 30), true);
	w.in.localtime = ls_localtime;
	it = ls_schedule_select(&w.in, &w.h, LS_SCHEDULE_NEXT);
	ASSERT_EQ_STR(it->id, "berlin");
	world_free(&w);
}

/* ------------------------------------------------ the autumn and spring hours */

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};

	return (int64_t)timegm(&tm);
}

/* Whether item "camp" (in Europe/Berlin) is chosen at UTC instant t. */
static bool berlin_plays(struct world *w, int64_t t)
{
	world_time(w, t, true);
	w->in.localtime = ls_localtime;
	return !strcmp(ls_schedule_select(&w->in, &w->h, LS_SCHEDULE_NEXT)->id, "camp");
}

#define BERLIN(bound, when)                                                                        \
	"{\"version\":1,\"items\":[{\"id\":\"base\",\"text\":\"b\"},"                              \
	"{\"id\":\"camp\",\"text\":\"c\",\"priority\":1,\"timezone\":\"Europe/Berlin\",\"" bound   \
	"\":\"" when "\"}]}"

/* 25 October 2026: Berlin's clocks go from 03:00 CEST back to 02:00 CET at
 * 01:00 UTC, so 02:00-02:59 comes twice. */
TEST(a_campaign_until_the_repeated_hour_stops_at_its_first_pass_for_good)
{
	struct world w;

	world_init(&w, BERLIN("until", "2026-10-25 02:30"));
	ASSERT(berlin_plays(&w, utc(2026, 10, 25, 0, 15)));  /* 02:15 CEST */
	ASSERT(!berlin_plays(&w, utc(2026, 10, 25, 0, 30))); /* 02:30 CEST: over */
	ASSERT(!berlin_plays(&w, utc(2026, 10, 25, 1, 0)));  /* 02:00 CET, the second pass */
	ASSERT(!berlin_plays(&w, utc(2026, 10, 25, 1, 15))); /* 02:15 CET: still over */
	ASSERT(!berlin_plays(&w, utc(2026, 10, 26, 12, 0)));
	world_free(&w);
}

TEST(a_campaign_from_the_repeated_hour_starts_at_its_first_pass_and_plays_through_both)
{
	struct world w;

	world_init(&w, BERLIN("from", "2026-10-25 02:30"));
	ASSERT(!berlin_plays(&w, utc(2026, 10, 25, 0, 29))); /* 02:29 CEST */
	ASSERT(berlin_plays(&w, utc(2026, 10, 25, 0, 30)));  /* 02:30 CEST */
	ASSERT(berlin_plays(&w, utc(2026, 10, 25, 1, 15)));  /* 02:15 CET, the second pass */
	world_free(&w);
}

/* 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 never
 * happens, so a bound there is the jump. */
TEST(a_bound_in_the_skipped_hour_is_the_moment_the_clocks_jump)
{
	struct world w;

	world_init(&w, BERLIN("from", "2026-03-29 02:30"));
	ASSERT(!berlin_plays(&w, utc(2026, 3, 29, 0, 59))); /* 01:59 CET */
	ASSERT(berlin_plays(&w, utc(2026, 3, 29, 1, 0)));   /* 03:00 CEST */
	world_free(&w);
	world_init(&w, BERLIN("until", "2026-03-29 02:30"));
	ASSERT(berlin_plays(&w, utc(2026, 3, 29, 0, 59)));
	ASSERT(!berlin_plays(&w, utc(2026, 3, 29, 1, 0)));
	world_free(&w);
}

TEST(civil_instants_say_whether_a_local_time_occurs_once_twice_or_never)
{
	enum ls_civil_kind k;

	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "Europe/Berlin", 202610250230, &k),
		      utc(2026, 10, 25, 0, 30));
	ASSERT_EQ_INT(k, LS_CIVIL_TWICE);
	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "Europe/Berlin", 202603290230, &k),
		      utc(2026, 3, 29, 1, 0));
	ASSERT_EQ_INT(k, LS_CIVIL_SKIPPED);
	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "Europe/Berlin", 202607011200, &k),
		      utc(2026, 7, 1, 10, 0));
	ASSERT_EQ_INT(k, LS_CIVIL_ONCE);
	/* West of Greenwich too: New York's 01:30 on 1 November 2026 is first EDT. */
	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "America/New_York", 202611010130, &k),
		      utc(2026, 11, 1, 5, 30));
	ASSERT_EQ_INT(k, LS_CIVIL_TWICE);
	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "America/New_York", 202603080230, &k),
		      utc(2026, 3, 8, 7, 0));
	ASSERT_EQ_INT(k, LS_CIVIL_SKIPPED);
	/* Lord Howe moves by half an hour. */
	ASSERT_EQ_INT(
	    ls_schedule_civil_instant(ls_localtime, "Australia/Lord_Howe", 202610040215, &k),
	    utc(2026, 10, 3, 15, 30));
	ASSERT_EQ_INT(k, LS_CIVIL_SKIPPED);
	ASSERT_EQ_INT(ls_schedule_civil_instant(ls_localtime, "Asia/Ho_Chi_Minh", 202610250230, &k),
		      utc(2026, 10, 24, 19, 30));
	ASSERT_EQ_INT(k, LS_CIVIL_ONCE);
}
