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
#include "ledsign/gif.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"

#define MAX_SECONDS LS_SHEET_MAX_SECONDS
#define MAX_FPS 50 /* GIF viewers slow down delays under 2/100 s */
#define STRIP_MAX_FRAMES 60
#define LINE_H 20
#define PAD 16
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

/* Single-colour boards draw in the panel's colour; module seams where the
 * config says, or every 32x16 (P10) on a single-colour board given as a size. */
static void style_from(const struct session *s, struct ls_preview_style *st)
{
	const struct ls_panel_config *pn = &s->cfg.panel;

	*st = (struct ls_preview_style){
	    .scale = s->o->scale, .mono = s->pc.mono, .colour = s->pc.colour};
	st->module_w = pn->module_width;
	st->module_h = pn->module_height;
	if (st->module_w >= s->pc.width && st->module_h >= s->pc.height && s->pc.mono &&
	    s->pc.width % 32 == 0 && s->pc.height % 16 == 0) {
		st->module_w = 32;
		st->module_h = 16;
	}
}

/* Labels use the project's default font chain at 16 rows, whatever the board's fonts. */
static struct ls_fontset *open_label_font(struct ls_error *err)
{
	struct ls_config c;
	const char *chain[LS_MAX_FONTS];

	ls_config_defaults(&c);
	ls_config_default_fonts(&c);
	for (int i = 0; i < c.display.n_fonts; i++)
		chain[i] = c.display.fonts[i];
	if (!c.display.n_fonts) {
		ls_error_set(
		    err,
		    "no font for the labels: install fonts-unifont or run from the source tree");
		return NULL;
	}
	return ls_fontset_open(chain, c.display.n_fonts, LS_SHEET_LABEL_H, false, err);
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

/* Prints the problems of what every zone plays, each item once per run. */
static void list_zone_problems(struct session *s, const struct ls_player *p)
{
	for (int zi = 0; zi < ls_player_n_zones(p); zi++)
		list_problems(s, ls_player_zone_item(p, zi, NULL, NULL),
			      ls_player_zone_report(p, zi));
}

static struct ls_player *start_player(const struct session *s, struct ls_playlist **pls, int n)
{
	struct ls_error err;
	struct ls_player *p = ls_player_new(&s->pc, &err);

	if (!p)
		die("%s", err.msg);
	ls_player_set_playlists(p, pls, n);
	return p;
}

static void sample(const struct session *s, long k, struct ls_now *now)
{
	ls_now_at(s->cfg.board.timezone, s->sh.wall + ls_preview_frame_ms(k, s->o->fps) / 1000,
		  ls_preview_frame_ms(k, s->o->fps), now);
}

static int run_gif(struct session *s, struct ls_player *player, struct ls_canvas *frame,
		   struct ls_preview *pv)
{
	long n = lround(s->o->seconds * s->o->fps);
	struct ls_error err;
	struct ls_gif *gif = ls_gif_open(s->o->out, ls_preview_width(pv), ls_preview_height(pv),
					 ls_preview_palette(pv), ls_preview_spare_index(pv), &err);
	struct ls_now now;
	long k0 = ls_preview_first_lit(&s->sh, player, frame, n);

	if (!gif)
		die("%s", err.msg);
	for (long k = k0; k < k0 + n; k++) {
		if (k > k0) {
			sample(s, k, &now);
			ls_player_frame(player, &now, frame);
		}
		ls_preview_show(pv, player, frame);
		list_zone_problems(s, player);
		if (ls_gif_add(gif, ls_preview_pixels(pv),
			       (int)(ls_preview_frame_ms(k + 1, s->o->fps) -
				     ls_preview_frame_ms(k, s->o->fps)),
			       &err)) {
			ls_gif_abort(gif);
			die("%s", err.msg);
		}
	}
	if (ls_gif_close(gif, &err))
		die("%s", err.msg);
	printf(_("wrote %s: %ld frames, %.2f s at %d fps, %dx%d px\n"), s->o->out, n,
	       ls_preview_frame_ms(n, s->o->fps) / 1000.0, s->o->fps, ls_preview_width(pv),
	       ls_preview_height(pv));
	return 0;
}

/* The PNG strip: one labelled frame every `step` seconds, top to bottom. */
static int run_strip(struct session *s, struct ls_player *player, struct ls_canvas *frame,
		     struct ls_preview *pv)
{
	long n = lround(s->o->seconds * s->o->fps);
	int step = (int)ceil(s->o->seconds / STRIP_MAX_FRAMES),
	    tiles = (int)ceil(s->o->seconds / step);
	int pw = ls_preview_width(pv), ph = ls_preview_height(pv), tile_h = ph + LINE_H + PAD / 2;
	struct ls_canvas strip;
	struct ls_error err;
	struct ls_now now;

	if (ls_preview_canvas(&strip, pw + 2 * PAD, PAD + tiles * tile_h))
		die("%s: the strip is too large; use fewer --seconds or a .gif", s->o->out);
	for (long k = 0, tile = 0; k < n && tile < tiles; k++) {
		int64_t ms = ls_preview_frame_ms(k, s->o->fps);
		const struct ls_item *it;
		char when[64], label[256];
		sample(s, k, &now);
		ls_player_frame(player, &now, frame);
		it = ls_player_current(player, NULL);
		list_zone_problems(s, player);
		if (ms < tile * step * 1000L)
			continue;
		ls_preview_show(pv, player, frame);
		int y = PAD + (int)tile * tile_h;
		ls_preview_blit(pv, &strip, PAD, y);
		ls_preview_moment(ls_localtime, s->cfg.board.timezone, now.wall_s, when,
				  sizeof(when));
		snprintf(label, sizeof(label), "+%.1f s   %s   %s", ms / 1000.0, when,
			 it ? it->id : "(dark)");
		ls_preview_label(s->sh.labels, &strip, PAD, y + ph + 2, pw, label, true);
		tile++;
	}
	if (ls_png_write(s->o->out, &strip, &err))
		die("%s", err.msg);
	printf(_("wrote %s: a strip of %d frames, one every %d s, %dx%d px\n"), s->o->out, tiles,
	       step, strip.width, strip.height);
	free(strip.px);
	return 0;
}

/* The contact sheet: composed by the library from the files' bytes, written here. */
static int run_sheet(struct session *s)
{
	char *bufs[LS_LINT_MAX_FILES];
	size_t lens[LS_LINT_MAX_FILES];
	struct ls_canvas sheet;
	struct ls_error err;
	int n = s->o->n_playlists, items = 0;

	if (n > LS_LINT_MAX_FILES)
		die("at most %d playlists in a sheet", LS_LINT_MAX_FILES);
	for (int i = 0; i < n; i++)
		if (!(bufs[i] = ls_playlist_read(s->o->playlists[i], &lens[i], &err)))
			die("%s", err.msg);
	s->sh.n_files = n;
	s->sh.names = (const char *const *)s->o->playlists;
	s->sh.bufs = (const char *const *)bufs;
	s->sh.lens = lens;
	s->sh.problem = list_problems;
	s->sh.ctx = s;
	if (ls_preview_sheet(&s->sh, &sheet, &err))
		die("%s", err.msg);
	if (ls_png_write(s->o->out, &sheet, &err))
		die("%s", err.msg);
	for (int i = 0; i < n; i++) {
		struct ls_playlist *pl = ls_playlist_parse(bufs[i], lens[i], "", NULL);
		items += pl ? pl->n_items : 0;
		ls_playlist_free(pl);
		free(bufs[i]);
	}
	printf(_("wrote %s: a contact sheet of %d items, %dx%d px\n"), s->o->out, items,
	       sheet.width, sheet.height);
	free(sheet.px);
	return 0;
}

static void setup(struct session *s, const struct opts *o)
{
	struct ls_error err;

	memset(s, 0, sizeof(*s));
	s->o = o;
	tool_need_board(o->board, o->tags, &s->cfg);
	ls_player_config_from(&s->pc, &s->cfg);
	style_from(s, &s->st);
	s->sh = (struct ls_sheet){.pc = &s->pc,
				  .st = &s->st,
				  .wall = tool_need_time(o->at, &s->cfg),
				  .fps = o->fps,
				  .localtime = ls_localtime};
	if (!(s->sh.labels = open_label_font(&err)))
		die("%s", err.msg);
}

static bool out_kind_ok(const struct opts *o)
{
	if (o->sheet ? ends_with(o->out, ".png")
		     : (ends_with(o->out, ".gif") || ends_with(o->out, ".png")))
		return true;
	fprintf(stderr, _("ledsign preview: --out %s: use a name ending in %s\n"), o->out,
		o->sheet ? ".png for a sheet" : ".gif (animation) or .png (strip)");
	return false;
}

int tool_preview(int argc, char **argv)
{
	struct opts o;
	struct session s;
	struct ls_error err;
	struct ls_playlist **pls;
	struct ls_player *player;
	struct ls_canvas *frame;
	struct ls_preview *pv;
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
	player = start_player(&s, pls, o.n_playlists);
	frame = tool_need(ls_canvas_new(s.pc.width, s.pc.height));
	if (!(pv = ls_preview_new(s.pc.width, s.pc.height, &s.st, &err)))
		die("%s", err.msg);
	r = ends_with(o.out, ".gif") ? run_gif(&s, player, frame, pv)
				     : run_strip(&s, player, frame, pv);
	ls_preview_free(pv);
	ls_canvas_free(frame);
	ls_player_free(player);
	ls_fontset_free(s.sh.labels);
	return r;
}
