/*
 * test_timeline.c: the timeline (timeline.h) books what the real player
 * shows: periods end where the eligible items change, each item's plays and
 * airtime add up to the period, a window's item gets the whole window, and
 * rows per play follow each start with its length.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/player.h"
#include "ledsign/timeline.h"

#define TZ "Asia/Ho_Chi_Minh"
#define T0 1796086800 /* 2026-12-01 08:00 +07, a Tuesday */

/* Two items of 10 s sharing the air, and a notice of a higher priority that
 * plays 08:30-08:40 only. */
static const char doc[] =
    "{\"version\":1,\"items\":["
    "{\"id\":\"a\",\"text\":\"A\",\"effect\":\"static\",\"duration\":10},"
    "{\"id\":\"b\",\"text\":\"B\",\"effect\":\"static\",\"duration\":10},"
    "{\"id\":\"n\",\"text\":\"N\",\"effect\":\"static\",\"duration\":30,\"priority\":2,"
    "\"windows\":[\"08:30-08:40\"]}]}";

struct rows {
	struct ls_timeline_row r[32];
	struct ls_timeline_share sh[32][4];
	char item[32][8], share[32][4][8]; /* ids, kept after the player is freed */
	int n;
};

static void keep(void *user, const struct ls_timeline_row *row)
{
	struct rows *rs = user;

	ASSERT(rs->n < 32 && row->n_shares <= 4);
	rs->r[rs->n] = *row;
	if (row->n_shares) /* a play row has no shares (NULL) */
		memcpy(rs->sh[rs->n], row->shares, sizeof(*row->shares) * (size_t)row->n_shares);
	rs->r[rs->n].shares = rs->sh[rs->n];
	snprintf(rs->item[rs->n], 8, "%s", row->item ? row->item->id : "-");
	for (int i = 0; i < row->n_shares; i++)
		snprintf(rs->share[rs->n][i], 8, "%s",
			 row->shares[i].item ? row->shares[i].item->id : "-");
	rs->n++;
}

static void run(bool detail, int64_t from, int64_t to, struct rows *rs)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_error err;
	struct ls_player *p;
	struct ls_timeline_config c = {.tz = TZ,
				       .localtime = ls_localtime,
				       .from = from,
				       .to = to,
				       .step_ms = 1000,
				       .detail = detail,
				       .width = 64,
				       .height = 16};

	ls_config_defaults(&cfg);
	cfg.display.n_fonts = 1;
	snprintf(cfg.display.fonts[0], sizeof(cfg.display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	snprintf(cfg.board.timezone, sizeof(cfg.board.timezone), TZ);
	ASSERT(pls);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	memset(rs, 0, sizeof(*rs));
	ASSERT_EQ_INT(ls_timeline_run(p, pls, 1, &c, keep, rs), 0);
	ls_player_free(p);
}

TEST(periods_end_where_the_eligible_items_change)
{
	struct rows rs;

	run(false, T0 + 20 * 60, T0 + 50 * 60, &rs);
	ASSERT_EQ_INT(rs.n, 3);
	ASSERT_EQ_INT(rs.r[0].kind, LS_TIMELINE_PERIOD);
	ASSERT_EQ_INT(rs.r[0].from, T0 + 20 * 60);
	ASSERT_EQ_INT(rs.r[0].to, T0 + 30 * 60);
	ASSERT_EQ_INT(rs.r[1].to, T0 + 40 * 60);
	ASSERT_EQ_INT(rs.r[2].to, T0 + 50 * 60);
	ASSERT_EQ_STR(rs.r[1].reason, "scheduled");
}

TEST(shares_add_up_to_the_period_and_alternate)
{
	struct rows rs;

	run(false, T0 + 20 * 60, T0 + 50 * 60, &rs);
	/* 08:20-08:30: a and b take turns, 30 plays of 10 s each. */
	ASSERT_EQ_INT(rs.r[0].n_shares, 2);
	ASSERT_EQ_STR(rs.share[0][0], "a");
	ASSERT_EQ_STR(rs.share[0][1], "b");
	ASSERT_EQ_INT(rs.r[0].shares[0].plays, 30);
	ASSERT_EQ_INT(rs.r[0].shares[1].plays, 30);
	ASSERT_EQ_INT((int)rs.r[0].total_s, 600);
	ASSERT_EQ_INT((int)(rs.r[0].shares[0].seconds + rs.r[0].shares[1].seconds), 600);
	/* 08:30-08:40: the notice has the whole window, 20 plays of 30 s. */
	ASSERT_EQ_INT(rs.r[1].n_shares, 1);
	ASSERT_EQ_STR(rs.share[1][0], "n");
	ASSERT_EQ_INT(rs.r[1].shares[0].plays, 20);
	ASSERT_EQ_INT((int)rs.r[1].shares[0].seconds, 600);
}

TEST(rows_per_play_give_each_start_and_length)
{
	struct rows rs;

	run(true, T0 + 29 * 60 + 30, T0 + 31 * 60, &rs);
	/* a b a at 08:29:30, :40, :50; the notice from 08:30:00 for 30 s, twice. */
	ASSERT_EQ_INT(rs.n, 5);
	ASSERT_EQ_INT(rs.r[0].kind, LS_TIMELINE_PLAY);
	ASSERT_EQ_STR(rs.item[0], "a");
	ASSERT_EQ_INT(rs.r[0].to - rs.r[0].from, 10);
	ASSERT_EQ_STR(rs.item[2], "a");
	ASSERT_EQ_INT(rs.r[2].to, T0 + 30 * 60);
	ASSERT_EQ_STR(rs.item[3], "n");
	ASSERT_EQ_INT(rs.r[3].from, T0 + 30 * 60);
	ASSERT_EQ_INT(rs.r[3].to, T0 + 30 * 60 + 30);
	ASSERT_EQ_INT(rs.r[4].to, T0 + 31 * 60); /* the last play ends with the stretch */
}
