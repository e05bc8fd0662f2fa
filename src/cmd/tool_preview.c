/*
 * tool_preview.c: `ledsign preview` shows editors what a board will show, as a
 * picture of the board, before they publish.
 *
 * Every frame comes from the player (the service's own code path) at the
 * moments the service would draw them: frame k at monotonic k/fps seconds and
 * wall-clock --at plus that. Three outputs:
 *   FILE.gif  the animation with its real timing, looping, from the first
 *             frame with a lit LED (a scroll entering from the right would
 *             otherwise open it on a blank board);
 *   FILE.png  a strip: one frame per second (every few seconds for long runs),
 *             top to bottom, each labelled with its offset, time and item;
 *   --sheet   a contact sheet: one still per item with its id, schedule
 *             summary, pass duration and rendering problems underneath.
 * Rendering problems (missing glyphs, clipped rows, invalid UTF-8) are drawn
 * in the warning colour where they are on the board, in every zone, frame
 * the board in it while the item plays, and are listed on stderr.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/preview_file.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"

#define MAX_SECONDS LS_SHEET_MAX_SECONDS
#define MAX_FPS 50 /* GIF viewers slow down delays under 2/100 s */
#define MAX_LISTED 64

struct opts {
	const char *board, *at, *out, *tags;
	double seconds;
	int fps, scale;
	bool sheet;
	char **playlists;
	int n_playlists;
};

/* What every mode shares: the board, the moment, the picture style, labels. */
struct session {
	const struct opts *o;
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st;
	struct ls_sheet sh; /* the board, moment, style and labels, for the library */
	const struct ls_item *listed[MAX_LISTED]; /* items whose problems were printed */
	int n_listed;
};

static void preview_usage(FILE *f)
{
	fprintf(
	    f,
	    _("usage: ledsign preview PLAYLIST... [--board CONFIG|WxH[:mono|rgb]] [--at "
	      "\"YYYY-MM-DD "
	      "HH:MM[:SS]\"]\n"
	      "                       [--seconds N] [--fps N] [--scale PX] --out "
	      "FILE.gif|FILE.png\n"
	      "       ledsign preview PLAYLIST... --sheet [--board ...] [--at ...] --out FILE.png\n"
	      "  --board    the board: a ledsign.conf, or a size such as 192x16 (default, red "
	      "P10)\n"
	      "  --at       the wall-clock moment the preview starts, board time (default: now)\n"
	      "  --seconds  length of the preview (default 20, at most %d)\n"
	      "  --fps      frames per second (default 25, at most %d)\n"
	      "  --scale    picture pixels per LED (default 6)\n"
	      "  --out      FILE.gif: the animation, real timing, looping;\n"
	      "             FILE.png: a strip of frames, one per second (fewer for long runs)\n"
	      "  --sheet    one still per item with its id, schedule, pass duration, problems\n"),
	    MAX_SECONDS, MAX_FPS);
}

/* Returns 0 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"board", required_argument, NULL, 'b'},   {"size", required_argument, NULL, 'b'},
	    {"config", required_argument, NULL, 'b'},  {"at", required_argument, NULL, 'a'},
	    {"seconds", required_argument, NULL, 's'}, {"fps", required_argument, NULL, 'f'},
	    {"scale", required_argument, NULL, 'x'},   {"out", required_argument, NULL, 'o'},
	    {"sheet", no_argument, NULL, 'S'},	       {"tags", required_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
	};
	int ch;

	*o = (struct opts){.seconds = 20, .fps = 25, .scale = 6};
	while ((ch = tool_getopt(argc, argv, "b:c:a:s:f:x:o:ST:h", longopts, preview_usage)) !=
	       -1) {
		if (ch == 'b' || ch == 'c')
			o->board = optarg;
		else if (ch == 'a')
			o->at = optarg;
		else if (ch == 's')
			o->seconds =
			    tool_opt_number("--seconds", optarg, 0.04, MAX_SECONDS, N_("seconds"));
		else if (ch == 'f')
			o->fps = tool_opt_int("--fps", optarg, 1, MAX_FPS, N_("frames per second"));
		else if (ch == 'x')
			o->scale = tool_opt_int("--scale", optarg, 2, 32, N_("pixels per LED"));
		else if (ch == 'o')
			o->out = optarg;
		else if (ch == 'S')
			o->sheet = true;
		else if (ch == 'T')
			o->tags = optarg;
	}
	if (optind >= argc || !o->out) {
		preview_usage(stderr);
		return 2;
	}
	o->playlists = argv + optind;
	o->n_playlists = argc - optind;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcasecmp(s + n - k, suffix);
}

/* Prints an item's rendering problems once per run. */
static void list_problems(void *ctx, const struct ls_item *it, const struct ls_text_report *r)
{
	struct session *s = ctx;
	char line[256];

	if (!it || !ls_preview_problems(r, line, sizeof(line)))
		return;
	for (int i = 0; i < s->n_listed; i++)
		if (s->listed[i] == it)
			return;
	if (s->n_listed < MAX_LISTED)
		s->listed[s->n_listed++] = it;
	fprintf(stderr, _("ledsign preview: item '%s': %s\n"), it->id, line);
}

static int run_gif(struct session *s, struct ls_player *player)
{
	long n = lround(s->o->seconds * s->o->fps);
	struct ls_error err;
	int w, h;

	if (ls_preview_gif(&s->sh, player, n, s->o->out, &w, &h, &err))
		die("%s", err.msg);
	printf(_("wrote %s: %ld frames, %.2f s at %d fps, %dx%d px\n"), s->o->out, n,
	       ls_preview_frame_ms(n, s->o->fps) / 1000.0, s->o->fps, w, h);
	return 0;
}

/* The PNG strip, composed by the library, written here. */
static int run_strip(struct session *s, struct ls_player *player)
{
	struct ls_canvas *frame = tool_need(ls_canvas_new(s->pc.width, s->pc.height));
	struct ls_canvas strip;
	struct ls_preview *pv;
	struct ls_error err;
	int step;

	if (!(pv = ls_preview_new(s->pc.width, s->pc.height, &s->st, &err)))
		die("%s", err.msg);
	if (ls_preview_strip(&s->sh, player, frame, pv, s->o->seconds, &strip, &step, &err))
		die("%s: %s", s->o->out, err.msg);
	if (ls_png_write(s->o->out, &strip, &err))
		die("%s", err.msg);
	printf(_("wrote %s: a strip of %d frames, one every %d s, %dx%d px\n"), s->o->out,
	       (int)ceil(s->o->seconds / step), step, strip.width, strip.height);
	free(strip.px);
	ls_preview_free(pv);
	ls_canvas_free(frame);
	return 0;
}

/* The contact sheet: composed by the library from the files' bytes, written here. */
static int run_sheet(struct session *s)
{
	struct ls_canvas sheet;
	struct ls_error err;
	int items = ls_preview_sheet_files(&s->sh, (const char *const *)s->o->playlists,
					   s->o->n_playlists, &sheet, &err);

	if (items < 0 || ls_png_write(s->o->out, &sheet, &err))
		die("%s", err.msg);
	printf(_("wrote %s: a contact sheet of %d items, %dx%d px\n"), s->o->out, items,
	       sheet.width, sheet.height);
	free(sheet.px);
	return 0;
}

/* The labels of the sheet and the strip in the reader's language. */
static const char *label_words(const char *msgid)
{
	return gettext(msgid);
}

static void setup(struct session *s, const struct opts *o)
{
	struct ls_error err;

	memset(s, 0, sizeof(*s));
	s->o = o;
	tool_need_board(o->board, o->tags, &s->cfg);
	ls_player_config_from(&s->pc, &s->cfg);
	ls_preview_style_of(&s->st, &s->pc, s->cfg.panel.module_width, s->cfg.panel.module_height,
			    o->scale);
	s->sh = (struct ls_sheet){.pc = &s->pc,
				  .st = &s->st,
				  .wall = tool_need_time(o->at, &s->cfg),
				  .fps = o->fps,
				  .localtime = ls_localtime,
				  .words = label_words,
				  .problem = list_problems,
				  .ctx = s};
	if (!(s->sh.labels = ls_preview_label_font(&err)))
		die("%s", err.msg);
}

static bool out_kind_ok(const struct opts *o)
{
	if (o->sheet ? ends_with(o->out, ".png")
		     : (ends_with(o->out, ".gif") || ends_with(o->out, ".png")))
		return true;
	if (o->sheet)
		fprintf(stderr,
			_("ledsign preview: --out %s: use a name ending in .png for a sheet\n"),
			o->out);
	else
		fprintf(
		    stderr,
		    _("ledsign preview: --out %s: use a name ending in .gif (animation) or .png "
		      "(strip)\n"),
		    o->out);
	return false;
}

int tool_preview(int argc, char **argv)
{
	struct opts o;
	struct session s;
	struct ls_error err;
	struct ls_playlist **pls;
	struct ls_player *player;
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == 1 ? 0 : r;
	if (!out_kind_ok(&o))
		return 2;
	setup(&s, &o);
	if ((o.n_playlists = tool_load_playlists(o.playlists, o.n_playlists, &pls, &err)) < 0)
		die("%s", err.msg);
	if (o.sheet) { /* the library plays each item alone, from the files' bytes */
		for (int i = 0; i < o.n_playlists; i++)
			ls_playlist_free(pls[i]);
		free(pls);
		r = run_sheet(&s);
		ls_fontset_free(s.sh.labels);
		return r;
	}
	if (!(player = ls_player_with(&s.pc, pls, o.n_playlists, &err)))
		die("%s", err.msg);
	r = ends_with(o.out, ".gif") ? run_gif(&s, player) : run_strip(&s, player);
	ls_player_free(player);
	ls_fontset_free(s.sh.labels);
	return r;
}
