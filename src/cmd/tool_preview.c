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
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"

#define MAX_SECONDS 600
#define MAX_FPS 50 /* GIF viewers slow down delays under 2/100 s */
#define STRIP_MAX_FRAMES 60
#define LABEL_H 16
#define LINE_H 20
#define PAD 16
#define SHEET_MIN_W 960
#define MAX_LISTED 64
#define MAX_MARKS (LS_PLAYLIST_MAX_ZONES * LS_REPORT_SPANS)

static const struct ls_rgb SHEET_BG = {28, 28, 32}, INK = {235, 235, 235},
			   INK_DIM = {165, 165, 170};

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
	int64_t wall;
	struct ls_fontset *labels;
	const struct ls_item *listed[MAX_LISTED]; /* items whose problems were printed */
	int n_listed;
};

static void preview_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: ledsign preview PLAYLIST... [--board CONFIG|WxH[:mono|rgb]] [--at \"YYYY-MM-DD "
	    "HH:MM[:SS]\"]\n"
	    "                       [--seconds N] [--fps N] [--scale PX] --out FILE.gif|FILE.png\n"
	    "       ledsign preview PLAYLIST... --sheet [--board ...] [--at ...] --out FILE.png\n"
	    "  --board    the board: a ledsign.conf, or a size such as 192x16 (default, red P10)\n"
	    "  --at       the wall-clock moment the preview starts, board time (default: now)\n"
	    "  --seconds  length of the preview (default 20, at most %d)\n"
	    "  --fps      frames per second (default 25, at most %d)\n"
	    "  --scale    picture pixels per LED (default 6)\n"
	    "  --out      FILE.gif: the animation, real timing, looping;\n"
	    "             FILE.png: a strip of frames, one per second (fewer for long runs)\n"
	    "  --sheet    one still per item with its id, schedule, pass duration, problems\n",
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
			    tool_opt_number("--seconds", optarg, 0.04, MAX_SECONDS, "seconds");
		else if (ch == 'f')
			o->fps = tool_opt_int("--fps", optarg, 1, MAX_FPS, "frames per second");
		else if (ch == 'x')
			o->scale = tool_opt_int("--scale", optarg, 2, 32, "pixels per LED");
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

/* Monotonic time of frame k: rounded from k/fps so that timing never drifts. */
static int64_t frame_ms(long k, int fps)
{
	return ((int64_t)k * 1000 + fps / 2) / fps;
}

static void sample(const struct session *s, int64_t mono_ms, struct ls_now *now)
{
	ls_now_at(s->cfg.board.timezone, s->wall + mono_ms / 1000, mono_ms, now);
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
	return ls_fontset_open(chain, c.display.n_fonts, LABEL_H, false, err);
}

static void draw_label(const struct session *s, struct ls_canvas *c, int x, int y, int max_w,
		       const char *text, struct ls_rgb fg)
{
	struct ls_strip *strip = ls_text_render(s->labels, text, NULL);
	struct ls_rgb pal[256];

	if (!strip)
		return;
	ls_palette_make(pal, fg, SHEET_BG);
	ls_strip_draw(strip, pal, c, (struct ls_rect){x, y, max_w, LABEL_H}, x, y);
	ls_strip_free(strip);
}

/* Sheets and strips can be taller than a board canvas may be, so they get their own pixels. */
static int big_canvas(struct ls_canvas *c, int w, int h)
{
	if ((long)w * h > 100L * 1000 * 1000)
		return -1;
	c->width = w;
	c->height = h;
	c->px = malloc((size_t)w * h * sizeof(*c->px));
	if (!c->px)
		return -1;
	for (long i = 0; i < (long)w * h; i++)
		c->px[i] = SHEET_BG;
	return 0;
}

/* Prints an item's rendering problems once per run. */
static void list_problems(struct session *s, const struct ls_item *it,
			  const struct ls_text_report *r)
{
	char line[256];

	if (!it || !ls_preview_problems(r, line, sizeof(line)))
		return;
	for (int i = 0; i < s->n_listed; i++)
		if (s->listed[i] == it)
			return;
	if (s->n_listed < MAX_LISTED)
		s->listed[s->n_listed++] = it;
	fprintf(stderr, "ledsign preview: item '%s': %s\n", it->id, line);
}

/* Prints the problems of what every zone plays, each item once per run. */
static void list_zone_problems(struct session *s, const struct ls_player *p)
{
	for (int zi = 0; zi < ls_player_n_zones(p); zi++)
		list_problems(s, ls_player_zone_item(p, zi, NULL, NULL),
			      ls_player_zone_report(p, zi));
}

static bool has_problems(const struct ls_text_report *r)
{
	return r->missing || r->clipped_rows || r->replaced || r->truncated_cols;
}

/* The report the rim shows: the main zone's, or the first other zone's with a problem. */
static const struct ls_text_report *board_report(const struct ls_player *p)
{
	const struct ls_text_report *r = ls_player_report(p);

	for (int zi = 0; zi < ls_player_n_zones(p) && !has_problems(r); zi++)
		r = ls_player_zone_report(p, zi);
	return has_problems(r) ? r : ls_player_report(p);
}

/* Where the last frame drew problem characters, in every zone; returns how many. */
static int problem_marks(const struct ls_player *p, struct ls_rect *marks, int max)
{
	int n = 0;

	for (int zi = 0; zi < ls_player_n_zones(p) && n < max; zi++)
		n += ls_player_zone_problem_rects(p, zi, marks + n, max - n);
	return n;
}

/* Draws the player's last frame into the picture, its problems in the warning colour. */
static void draw_frame(struct ls_preview *pv, const struct ls_player *p,
		       const struct ls_canvas *frame)
{
	struct ls_rect marks[MAX_MARKS];
	int n = problem_marks(p, marks, MAX_MARKS);

	ls_preview_draw(pv, frame, board_report(p), marks, n);
}

static struct ls_player *start_player(const struct session *s, struct ls_playlist **pls, int n)
{
	struct ls_error err;
	struct ls_player *p = ls_player_new(&s->pc, &err);

	if (!p) {
		fprintf(stderr, "ledsign preview: %s\n", err.msg);
		for (int i = 0; i < n; i++)
			ls_playlist_free(pls[i]);
		free(pls);
		return NULL;
	}
	ls_player_set_playlists(p, pls, n);
	return p;
}

/* Columns of the canvas with a lit LED. */
static int lit_columns(const struct ls_canvas *c)
{
	int n = 0;

	for (int x = 0; x < c->width; x++)
		for (int y = 0; y < c->height; y++) {
			if (ls_rgb_lit(c->px[(long)y * c->width + x])) {
				n++;
				break;
			}
		}
	return n;
}

/* Plays the frames before the first one worth opening on and returns its
 * number, drawn: the first with lit LEDs in a quarter of the board's width
 * (16 columns at most, two letters: a scroll entering from the right has
 * shown its first letters), or lit and unchanged from the frame before (a
 * short static text); at most n frames, so a dark board gets its preview. */
static long first_lit(const struct session *s, struct ls_player *player, struct ls_canvas *frame,
		      long n)
{
	int want = frame->width / 4 < 16 ? (frame->width + 3) / 4 : 16, prev = -1;
	size_t bytes = (size_t)frame->width * (size_t)frame->height * sizeof(*frame->px);
	struct ls_rgb *before = tool_need(malloc(bytes));
	struct ls_now now;
	long k = 0;

	for (;; k++) {
		sample(s, frame_ms(k, s->o->fps), &now);
		ls_player_frame(player, &now, frame);
		int cols = lit_columns(frame);
		if (k == n || cols >= want ||
		    (cols && cols == prev && !memcmp(before, frame->px, bytes)))
			break;
		memcpy(before, frame->px, bytes);
		prev = cols;
	}
	free(before);
	return k;
}

static int run_gif(struct session *s, struct ls_player *player, struct ls_canvas *frame,
		   struct ls_preview *pv)
{
	long n = lround(s->o->seconds * s->o->fps);
	struct ls_error err;
	struct ls_gif *gif = ls_gif_open(s->o->out, ls_preview_width(pv), ls_preview_height(pv),
					 ls_preview_palette(pv), ls_preview_spare_index(pv), &err);
	struct ls_now now;
	long k0 = first_lit(s, player, frame, n);

	if (!gif)
		goto err_report;
	for (long k = k0; k < k0 + n; k++) {
		if (k > k0) {
			sample(s, frame_ms(k, s->o->fps), &now);
			ls_player_frame(player, &now, frame);
		}
		draw_frame(pv, player, frame);
		list_zone_problems(s, player);
		if (ls_gif_add(gif, ls_preview_pixels(pv),
			       (int)(frame_ms(k + 1, s->o->fps) - frame_ms(k, s->o->fps)), &err)) {
			ls_gif_abort(gif);
			goto err_report;
		}
	}
	if (ls_gif_close(gif, &err))
		goto err_report;
	printf("wrote %s: %ld frames, %.2f s at %d fps, %dx%d px\n", s->o->out, n,
	       frame_ms(n, s->o->fps) / 1000.0, s->o->fps, ls_preview_width(pv),
	       ls_preview_height(pv));
	return 0;

err_report:
	fprintf(stderr, "ledsign preview: %s\n", err.msg);
	return 1;
}

static void format_moment(const struct session *s, int64_t mono_ms, char *buf, size_t n)
{
	struct tm tm;

	ls_localtime(s->cfg.board.timezone, s->wall + mono_ms / 1000, &tm);
	strftime(buf, n, "%a %Y-%m-%d %H:%M:%S", &tm);
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
	int r = 1;

	if (big_canvas(&strip, pw + 2 * PAD, PAD + tiles * tile_h)) {
		fprintf(
		    stderr,
		    "ledsign preview: %s: the strip is too large; use fewer --seconds or a .gif\n",
		    s->o->out);
		return 1;
	}
	for (long k = 0, tile = 0; k < n && tile < tiles; k++) {
		int64_t ms = frame_ms(k, s->o->fps);
		const struct ls_item *it;
		char when[64], label[256];
		sample(s, ms, &now);
		ls_player_frame(player, &now, frame);
		it = ls_player_current(player, NULL);
		list_zone_problems(s, player);
		if (ms < tile * step * 1000L)
			continue;
		draw_frame(pv, player, frame);
		int y = PAD + (int)tile * tile_h;
		ls_preview_blit(pv, &strip, PAD, y);
		format_moment(s, ms, when, sizeof(when));
		snprintf(label, sizeof(label), "+%.1f s   %s   %s", ms / 1000.0, when,
			 it ? it->id : "(dark)");
		draw_label(s, &strip, PAD, y + ph + 2, pw, label, INK_DIM);
		tile++;
	}
	if (ls_png_write(s->o->out, &strip, &err))
		fprintf(stderr, "ledsign preview: %s\n", err.msg);
	else
		r = printf("wrote %s: a strip of %d frames, one every %d s, %dx%d px\n", s->o->out,
			   tiles, step, strip.width, strip.height) < 0;
	free(strip.px);
	return r;
}

/* ---- contact sheet ---- */

struct still {
	int64_t play_ms; /* how long the item plays; -1 when it did not end within MAX_SECONDS */
	struct ls_text_report report;
	struct ls_rect marks[MAX_MARKS]; /* where the still shows problem characters */
	int n_marks;
};

/* Clears what would keep an item off the air at the preview's moment. */
static void make_always(struct ls_item *it)
{
	for (int i = 0; i < it->n_tags; i++)
		free(it->tags[i]);
	it->n_tags = 0;
	it->from = it->until = 0;
	it->days = 0x7f;
	it->n_windows = 0;
	it->priority = 0;
	it->interrupt = false;
	it->weight = 1;
}

/* The item's zone goes first, because the player reports on the first zone. */
static void zone_first(struct ls_playlist *pl, const struct ls_item *it)
{
	const char *want = it->zone ? it->zone : "main";

	for (int i = 1; i < pl->n_zones; i++) {
		if (!strcmp(pl->zones[i].name, want)) {
			struct ls_zone z = pl->zones[0];
			pl->zones[0] = pl->zones[i];
			pl->zones[i] = z;
			return;
		}
	}
}

/* Loads the playlist again with item idx on the air at any moment and every
 * other item turned into an "off" item, so the item plays alone in its zone
 * and the other zones are dark (not the board's built-in text). Returns a
 * one-element array for the player, or NULL with err. */
static struct ls_playlist **one_item(const char *path, int idx, struct ls_error *err)
{
	struct ls_playlist **pls = calloc(1, sizeof(*pls)), *pl;

	if (!pls) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	if (!(pl = ls_playlist_load(path, err))) {
		free(pls);
		return NULL;
	}
	if (idx >= pl->n_items) {
		ls_error_set(err, "%s changed while the sheet was drawn; run again", path);
		ls_playlist_free(pl);
		free(pls);
		return NULL;
	}
	for (int i = 0; i < pl->n_items; i++) {
		make_always(&pl->items[i]);
		if (i != idx)
			pl->items[i].off = true;
	}
	free(pl->default_item);
	pl->default_item = NULL;
	zone_first(pl, &pl->items[idx]);
	pls[0] = pl;
	return pls;
}

/* What a frame shows, for choosing the still. */
struct look {
	int lit;    /* LEDs lit */
	int span;   /* columns from the leftmost to the rightmost lit LED */
	int warned; /* LEDs showing problem characters */
};

static struct look look_at(const struct ls_canvas *c, const struct ls_player *p)
{
	struct ls_rect marks[MAX_MARKS];
	int n = problem_marks(p, marks, MAX_MARKS);
	struct look l = {0, 0, 0};
	int x0 = c->width, x1 = -1;

	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++)
			if (ls_rgb_lit(c->px[(long)y * c->width + x])) {
				l.lit++;
				x0 = x < x0 ? x : x0;
				x1 = x > x1 ? x : x1;
			}
	l.span = x1 >= x0 ? x1 - x0 + 1 : 0;
	for (int i = 0; i < n; i++)
		l.warned += marks[i].w * marks[i].h;
	return l;
}

/* When frame best hides some of the item's problems, the middle of the first
 * run of frames showing the most of them (a scroll with the bad character
 * mid-board); otherwise best. */
static long show_problems(const struct look *lk, long n, long best)
{
	int most = 0;
	long first = -1, last;

	for (long k = 0; k < n; k++)
		most = lk[k].warned > most ? lk[k].warned : most;
	if (!most || lk[best].warned == most)
		return best;
	while (lk[++first].warned != most)
		;
	for (last = first; last + 1 < n && lk[last + 1].warned == most; last++)
		;
	return (first + last) / 2;
}

/* The frame of the first pass that shows the item best: text wider than its
 * zone at the moment its start reaches the left edge (where a reader starts);
 * otherwise the last frame showing the whole text (a slide or typewriter has
 * finished, a scroll sits at the left, a blink is on). */
static long choose_still(const struct look *lk, long n, int zone_w)
{
	int max_span = 0, max_lit = 0, full = zone_w * 97 / 100;
	long best = 0;

	for (long k = 0; k < n; k++)
		max_span = lk[k].span > max_span ? lk[k].span : max_span;
	if (max_span >= zone_w * 95 / 100) {
		for (long k = 0; k < n; k++)
			if (lk[k].span >= (full < max_span ? full : max_span))
				return k;
	}
	for (long k = 0; k < n; k++)
		if (lk[k].span == max_span && lk[k].lit > max_lit)
			max_lit = lk[k].lit;
	for (long k = 0; k < n; k++)
		if (lk[k].span == max_span && lk[k].lit * 10 >= max_lit * 9)
			best = k;
	return best;
}

/* The zone the item plays in: the one its "zone" names, or the main zone. */
static int item_zone(const struct ls_player *p, const struct ls_item *it)
{
	for (int zi = 0; it->zone && zi < ls_player_n_zones(p); zi++) {
		const char *name;
		ls_player_zone_item(p, zi, &name, NULL);
		if (!strcmp(name, it->zone))
			return zi;
	}
	return ls_player_main_zone(p);
}

/* Plays the item alone from the moment --at, measures how long it plays and
 * returns the number of the frame that best shows it (and its problems). */
static long pick_still(const struct session *s, struct ls_player *player, struct ls_canvas *frame,
		       const struct ls_playlist *pl, const struct ls_item *it, struct still *out)
{
	long cap = (long)MAX_SECONDS * s->o->fps, n = 0, best;
	struct look *lk = malloc((size_t)cap * sizeof(*lk));
	int64_t since0 = 0, since, pass_ms;
	int zi = item_zone(player, it);
	struct ls_now now;

	out->play_ms = -1;
	for (long k = 0; k < cap; k++, n++) {
		sample(s, frame_ms(k, s->o->fps), &now);
		ls_player_frame(player, &now, frame);
		ls_player_zone_item(player, zi, NULL, &since);
		if (!k) {
			since0 = since;
			out->report = *ls_player_zone_report(player, zi);
		} else if (since != since0) {
			out->play_ms = since - since0;
			break;
		}
		if (lk)
			lk[k] = look_at(frame, player);
	}
	pass_ms = out->play_ms;
	if (pass_ms > 0 && it->duration <= 0 && it->repeat > 1)
		pass_ms /= it->repeat;
	while (pass_ms > 0 && n > 1 && frame_ms(n - 1, s->o->fps) >= pass_ms)
		n--; /* the first pass only */
	best = lk ? choose_still(lk, n, pl->n_zones ? pl->zones[0].width : frame->width) : 0;
	best = lk ? show_problems(lk, n, best) : 0;
	free(lk);
	return best;
}

static void replay_to(const struct session *s, struct ls_player *player, struct ls_canvas *frame,
		      long last)
{
	struct ls_now now;

	for (long k = 0; k <= last; k++) {
		sample(s, frame_ms(k, s->o->fps), &now);
		ls_player_frame(player, &now, frame);
	}
}

/* Renders item idx of the playlist at path alone into frame; 0 or -1. */
static int item_still(struct session *s, struct ls_player *player, const char *path, int idx,
		      struct ls_canvas *frame, struct still *out)
{
	struct ls_error err;
	struct ls_playlist **pls = one_item(path, idx, &err);
	long best;

	if (!pls)
		goto err_report;
	ls_player_set_playlists(player, pls, 1);
	best = pick_still(s, player, frame, pls[0], &pls[0]->items[idx], out);
	/* Play it again from the start up to the chosen frame, exactly as the board would. */
	if (!(pls = one_item(path, idx, &err)))
		goto err_report;
	ls_player_set_playlists(player, pls, 1);
	replay_to(s, player, frame, best);
	out->n_marks = problem_marks(player, out->marks, MAX_MARKS);
	return 0;

err_report:
	fprintf(stderr, "ledsign preview: %s\n", err.msg);
	return -1;
}

static void timing_label(const struct ls_item *it, const struct still *st, char *buf, size_t n)
{
	int rep = it->repeat > 1 ? it->repeat : 1;

	if (it->off)
		snprintf(buf, n, "board dark while it is selected");
	else if (st->play_ms < 0)
		snprintf(buf, n, "plays over %d s", MAX_SECONDS);
	else if (it->duration > 0)
		snprintf(buf, n, "plays %.1f s (fixed duration)", st->play_ms / 1000.0);
	else if (rep > 1)
		snprintf(buf, n, "pass %.1f s x %d = %.1f s", st->play_ms / 1000.0 / rep, rep,
			 st->play_ms / 1000.0);
	else
		snprintf(buf, n, "pass %.1f s", st->play_ms / 1000.0);
}

/* Draws one item's block (picture and three label lines); returns its height. */
static int sheet_item(struct session *s, struct ls_canvas *sheet, int y, struct ls_preview *pv,
		      const struct ls_item *it, const struct ls_canvas *frame,
		      const struct still *st)
{
	int ph = ls_preview_height(pv), w = sheet->width - 2 * PAD, h;
	char timing[96], line[512], sched[320], problems[256];

	ls_preview_draw(pv, frame, &st->report, st->marks, st->n_marks);
	ls_preview_blit(pv, sheet, PAD, y);
	h = ph + 4;
	timing_label(it, st, timing, sizeof(timing));
	snprintf(line, sizeof(line), "%s   ·   %s   ·   %s", it->id,
		 it->off ? "off" : ls_effect_name(it->effect), timing);
	draw_label(s, sheet, PAD, y + h, w, line, INK);
	h += LINE_H;
	ls_preview_schedule_summary(it, s->cfg.board.timezone, sched, sizeof(sched));
	draw_label(s, sheet, PAD, y + h, w, sched, INK_DIM);
	h += LINE_H;
	if (ls_preview_problems(&st->report, problems, sizeof(problems))) {
		snprintf(line, sizeof(line), "! %s", problems);
		draw_label(s, sheet, PAD, y + h, w, line, LS_PREVIEW_WARNING);
		h += LINE_H;
	}
	return h + PAD;
}

static int sheet_block_height(const struct ls_preview *pv)
{
	return ls_preview_height(pv) + 4 + 3 * LINE_H + PAD;
}

static int sheet_header(struct session *s, struct ls_canvas *sheet, int y, const char *path,
			const struct ls_playlist *pl)
{
	char line[512], when[64], tags[256] = "";
	size_t len = 0;

	for (int i = 0; i < s->cfg.board.n_tags && len < sizeof(tags); i++)
		len += (size_t)snprintf(tags + len, sizeof(tags) - len, "%s%s", i ? " " : "",
					s->cfg.board.tags[i]);
	snprintf(line, sizeof(line), "%s   (%s, %d item%s)",
		 pl->name ? pl->name : "(unnamed playlist)", path, pl->n_items,
		 pl->n_items == 1 ? "" : "s");
	draw_label(s, sheet, PAD, y, sheet->width - 2 * PAD, line, INK);
	format_moment(s, 0, when, sizeof(when));
	snprintf(line, sizeof(line), "board %dx%d %s%s%s   ·   stills from %s (%s)", s->pc.width,
		 s->pc.height, s->pc.mono ? "single-colour" : "RGB",
		 s->cfg.board.n_tags ? ", tags " : "", tags, when, s->cfg.board.timezone);
	draw_label(s, sheet, PAD, y + LINE_H, sheet->width - 2 * PAD, line, INK_DIM);
	return 2 * LINE_H + PAD / 2;
}

static int sheet_items(struct ls_playlist **pls, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += pls[i]->n_items;
	return k;
}

static int run_sheet(struct session *s, struct ls_playlist **pls, struct ls_player *player,
		     struct ls_canvas *frame, struct ls_preview *pv)
{
	int pw = ls_preview_width(pv), width = (pw > SHEET_MIN_W ? pw : SHEET_MIN_W) + 2 * PAD,
	    height = PAD, y = PAD;
	struct ls_canvas sheet;
	struct ls_error err;
	int r = 1;

	for (int i = 0; i < s->o->n_playlists; i++)
		height += 2 * LINE_H + PAD / 2 + pls[i]->n_items * sheet_block_height(pv) + PAD;
	if (big_canvas(&sheet, width, height)) {
		fprintf(stderr, "ledsign preview: the sheet is too large (%dx%d)\n", width, height);
		return 1;
	}
	for (int i = 0; i < s->o->n_playlists; i++) {
		y += sheet_header(s, &sheet, y, s->o->playlists[i], pls[i]);
		for (int k = 0; k < pls[i]->n_items; k++) {
			struct still st;
			if (item_still(s, player, s->o->playlists[i], k, frame, &st))
				goto out;
			list_problems(s, &pls[i]->items[k], &st.report);
			y += sheet_item(s, &sheet, y, pv, &pls[i]->items[k], frame, &st);
		}
		y += PAD;
	}
	sheet.height = y < height ? y : height;
	if (ls_png_write(s->o->out, &sheet, &err))
		fprintf(stderr, "ledsign preview: %s\n", err.msg);
	else
		r = printf("wrote %s: a contact sheet of %d items, %dx%d px\n", s->o->out,
			   sheet_items(pls, s->o->n_playlists), sheet.width, sheet.height) < 0;
out:
	free(sheet.px);
	return r;
}

static int setup(struct session *s, const struct opts *o)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->o = o;
	if ((r = tool_setup_board("preview", o->board, o->tags, &s->cfg)) ||
	    (r = tool_setup_time("preview", o->at, &s->cfg, &s->wall)))
		return r;
	ls_player_config_from(&s->pc, &s->cfg);
	style_from(s, &s->st);
	return 0;
}

static bool out_kind_ok(const struct opts *o)
{
	if (o->sheet ? ends_with(o->out, ".png")
		     : (ends_with(o->out, ".gif") || ends_with(o->out, ".png")))
		return true;
	fprintf(stderr, "ledsign preview: --out %s: use a name ending in %s\n", o->out,
		o->sheet ? ".png for a sheet" : ".gif (animation) or .png (strip)");
	return false;
}

int tool_preview(int argc, char **argv)
{
	struct opts o;
	struct session s;
	struct ls_error err;
	struct ls_playlist **pls = NULL, **sheet_pls = NULL;
	struct ls_player *player = NULL;
	struct ls_canvas *frame = NULL;
	struct ls_preview *pv = NULL;
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == 1 ? 0 : r;
	if (!out_kind_ok(&o))
		return 2;
	if ((r = setup(&s, &o)))
		return r;
	r = 1;
	if (!(s.labels = open_label_font(&err))) {
		fprintf(stderr, "ledsign preview: %s\n", err.msg);
		return 1;
	}
	if ((o.n_playlists = tool_load_playlists(o.playlists, o.n_playlists, &pls, &err)) < 0) {
		o.n_playlists = 0;
		fprintf(stderr, "ledsign preview: %s\n", err.msg);
		goto out;
	}
	if (o.sheet) {
		/* The sheet reads the playlists as written; the player gets a fresh copy per item.
		 */
		sheet_pls = pls;
		pls = calloc(1, sizeof(*pls));
	}
	if (!pls || !(player = start_player(&s, pls, o.sheet ? 0 : o.n_playlists)))
		goto out;
	frame = ls_canvas_new(s.pc.width, s.pc.height);
	pv = ls_preview_new(s.pc.width, s.pc.height, &s.st, &err);
	if (!frame || !pv) {
		fprintf(stderr, "ledsign preview: %s\n", frame ? err.msg : "out of memory");
		goto out;
	}
	if (o.sheet)
		r = run_sheet(&s, sheet_pls, player, frame, pv);
	else if (ends_with(o.out, ".gif"))
		r = run_gif(&s, player, frame, pv);
	else
		r = run_strip(&s, player, frame, pv);
out:
	for (int i = 0; sheet_pls && i < o.n_playlists; i++)
		ls_playlist_free(sheet_pls[i]);
	free(sheet_pls);
	ls_preview_free(pv);
	ls_canvas_free(frame);
	ls_player_free(player);
	ls_fontset_free(s.labels);
	return r;
}
