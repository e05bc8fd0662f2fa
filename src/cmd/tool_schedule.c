/*
 * tool_schedule.c: `ledsign schedule` prints what a board plays when, as a
 * table an editor can read: the library's timeline (timeline.h, the real
 * player on a simulated clock), one row per period in which the same items
 * are eligible, with how often and how long each item played, or one row per
 * play.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/player.h"
#include "ledsign/schedule.h"
#include "ledsign/timeline.h"
#include "ledsign/tool.h"
#include "ledsign/utf8.h"

#define MAX_RANGE_S (31 * 86400)

struct sched {
	struct ls_config cfg;
	struct ls_player *player;
	struct ls_playlist **pls; /* owned by the player once handed over */
	int n_pls;
	bool detail, unsynced;
	bool wide; /* the offset changes in the range: 25-column times */
	int step_ms;
};

static void schedule_usage(FILE *f)
{
	fprintf(
	    f,
	    _("usage: ledsign schedule FILE... --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD "
	      "HH:MM\"\n"
	      "                        [--board CONFIG|WxH] [--tags a,b] [--detail] [--step MS] "
	      "[--unsynced]\n"
	      "  --from, --to  the period to simulate, in the board's time zone (at most 31 "
	      "days);\n"
	      "                a date alone is its midnight for --from, through that day for --to\n"
	      "  --tags        the board's tags (default: the config's)\n"
	      "  --detail      one row per item played instead of one row per period\n"
	      "  --step        simulation step in milliseconds (default 1000)\n"
	      "  --unsynced    as a board whose clock is not synchronised would play it\n"));
}

/* A wall time in the board's zone (ls_time_format_civil()), padded to the column. */
static void fmt_time(const struct sched *s, int64_t wall, char *out, size_t n)
{
	ls_time_format_civil(s->cfg.board.timezone, wall, out, n);
	if (s->wide)
		snprintf(out + strlen(out), n - strlen(out), "%*s", (int)(25 - strlen(out)), "");
}

/* Parses --from or --to in the board's zone (ls_time_parse_civil()), noting
 * a time the clocks pass twice. */
static int parse_moment(const char *opt, const char *arg, bool is_end, const struct ls_config *cfg,
			int64_t *out)
{
	struct ls_error err;
	long off = 0;
	int r = ls_time_parse_civil(arg, is_end, cfg->board.timezone, out, &off, &err);

	if (r < 0)
		fprintf(stderr, _("ledsign schedule: %s %s\n"), opt, err.msg);
	else if (r)
		fprintf(stderr,
			_("ledsign schedule: note: %s %s occurs twice in %s; the first "
			  "(UTC%+03ld:%02ld) is "
			  "meant\n"),
			opt, arg, cfg->board.timezone, off / 3600, labs(off) / 60 % 60);
	return r < 0 ? -1 : 0;
}

static const char *item_name(const struct ls_item *it)
{
	if (!it)
		return _("(nothing)");
	return it->off ? _("(off: dark)") : it->id;
}

static void print_period(const struct sched *s, const struct ls_timeline_row *r)
{
	char a[32], b[32];

	fmt_time(s, r->from, a, sizeof(a));
	fmt_time(s, r->to, b, sizeof(b));
	printf("%s  %s  %-6s ", a, b, r->zone_name);
	if (r->total_s <= 0)
		printf(_(" (nothing)"));
	for (int i = 0; i < r->n_shares; i++) {
		const struct ls_timeline_share *sh = &r->shares[i];
		double pct = 100.0 * sh->seconds / r->total_s;

		if (sh->item && sh->item->off)
			printf(" %s %.0f%%", item_name(sh->item), pct);
		else
			printf(" %s %dx %.0f%%", sh->item ? item_name(sh->item) : _("(built-in)"),
			       sh->plays, pct);
	}
	if (r->reason && strcmp(r->reason, "scheduled"))
		printf("   [%s]", _(r->reason)); /* the scheduler's English, in the catalogue */
	putchar('\n');
}

static void print_row(void *user, const struct ls_timeline_row *r)
{
	const struct sched *s = user;
	char a[32];

	if (r->kind == LS_TIMELINE_PERIOD) {
		print_period(s, r);
		return;
	}
	fmt_time(s, r->from, a, sizeof(a));
	printf(_("%s  %-6s %-24s %5lld s  priority %d\n"), a, r->zone_name, item_name(r->item),
	       (long long)(r->to - r->from), r->item ? r->item->priority : 0);
}

/* A heading padded to width characters (not bytes: Vietnamese words are
 * several bytes a letter). */
static void column(const char *heading, int width)
{
	int chars = (int)ls_utf8_count(heading);

	printf("%s%*s", heading, width > chars ? width - chars : 1, "");
}

static int simulate(struct sched *s, int64_t from, int64_t to)
{
	struct ls_timeline_config c = {.tz = s->cfg.board.timezone,
				       .localtime = ls_localtime,
				       .from = from,
				       .to = to,
				       .step_ms = s->step_ms,
				       .unsynced = s->unsynced,
				       .detail = s->detail};
	int w = s->wide ? 25 : 19;

	ls_panel_canvas_size(&s->cfg.panel, &c.width, &c.height);
	if (s->detail) {
		column(_("START"), w + 2);
		column(_("ZONE"), 7);
		column(_("ITEM"), 25);
		printf(" %s\n", _("LENGTH"));
	} else {
		column(_("FROM"), w + 2);
		column(_("TO"), w + 2);
		column(_("ZONE"), 8);
		printf("%s\n", _("ITEMS (plays, share of airtime)"));
	}
	return ls_timeline_run(s->player, s->pls, s->n_pls, &c, print_row, s);
}

struct sopts {
	const char *board, *from, *to, *tags;
};

static void parse_args(struct sched *s, int argc, char **argv, struct sopts *o)
{
	static const struct option longopts[] = {
	    {"board", required_argument, NULL, 'b'}, {"config", required_argument, NULL, 'b'},
	    {"from", required_argument, NULL, 'f'},  {"to", required_argument, NULL, 't'},
	    {"tags", required_argument, NULL, 'g'},  {"detail", no_argument, NULL, 'd'},
	    {"step", required_argument, NULL, 's'},  {"unsynced", no_argument, NULL, 'u'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = tool_getopt(argc, argv, "b:c:f:t:g:ds:uh", longopts, schedule_usage)) != -1) {
		if (ch == 'b' || ch == 'c')
			o->board = optarg;
		else if (ch == 'f')
			o->from = optarg;
		else if (ch == 't')
			o->to = optarg;
		else if (ch == 'g')
			o->tags = optarg;
		else if (ch == 'd')
			s->detail = true;
		else if (ch == 's')
			s->step_ms = tool_opt_int("--step", optarg, 10, 60000, N_("ms"));
		else if (ch == 'u')
			s->unsynced = true;
	}
	if (optind >= argc || !o->from || !o->to)
		tool_usage_error(schedule_usage, "name a FILE, --from and --to");
}

static int setup(struct sched *s, char **files, int n, struct ls_error *err)
{
	struct ls_player_config pc;

	if ((n = tool_load_playlists(files, n, &s->pls, err)) < 0)
		return -1;
	s->n_pls = n;
	ls_player_config_from(&pc, &s->cfg);
	s->player = ls_player_with(&pc, s->pls, n, err);
	return s->player ? 0 : -1;
}

int tool_schedule(int argc, char **argv)
{
	struct sched *s = tool_need(calloc(1, sizeof(struct sched)));
	struct sopts o = {0};
	struct ls_error err;
	int64_t from, to;
	int r;

	s->step_ms = 1000;
	parse_args(s, argc, argv, &o);
	tool_need_board(o.board, o.tags, &s->cfg);
	if (parse_moment("--from", o.from, false, &s->cfg, &from) ||
	    parse_moment("--to", o.to, true, &s->cfg, &to))
		exit(2);
	if (to <= from || to - from > MAX_RANGE_S)
		tool_usage_error(NULL, "--to must be after --from, at most 31 days later");
	s->wide = ls_tz_offset_changes(s->cfg.board.timezone, from, to);
	if (setup(s, argv + optind, argc - optind, &err))
		die("%s", err.msg);
	r = simulate(s, from, to) ? 1 : 0;
	ls_player_free(s->player);
	free(s);
	return r;
}
