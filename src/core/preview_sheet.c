/*
 * preview_sheet.c: what `ledsign preview` (and the hub) compose from the
 * player: the picture of a frame with its problems marked, the first frame
 * worth opening an animation on, and the contact sheet, one still per item
 * with its id, effect, timing, schedule and problems. Each still is the
 * item played alone through the player, frame by frame from the preview's
 * moment, and the frame that shows it best (and its problems). Pure: the
 * playlists come in as bytes, time zones through the caller's function,
 * and the sheet goes out as pixels for the edge to write.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/effect.h"
#include "ledsign/preview.h"

#define LABEL_H LS_SHEET_LABEL_H
#define LINE_H 20
#define PAD 16
#define SHEET_MIN_W 960
#define MAX_MARKS (LS_PLAYLIST_MAX_ZONES * LS_REPORT_SPANS)

static const struct ls_rgb SHEET_BG = {28, 28, 32}, INK = {235, 235, 235},
			   INK_DIM = {165, 165, 170};

int64_t ls_preview_frame_ms(long k, int fps)
{
	return ((int64_t)k * 1000 + fps / 2) / fps;
}

static void sample(const struct ls_sheet *sh, int64_t ms, struct ls_now *now)
{
	now->mono_ms = ms;
	now->wall_s = sh->wall + ms / 1000;
	now->wall_valid = true;
	sh->localtime(sh->pc->timezone, now->wall_s, &now->local);
}

/* msgid in words' language (may be NULL: English). */
__attribute__((format_arg(2))) static const char *label_word(ls_words_fn words, const char *msgid)
{
	return words ? words(msgid) : msgid;
}

void ls_preview_moment(ls_localtime_fn localtime, ls_words_fn words, const char *tz, int64_t t,
		       char *buf, size_t n)
{
	/* One whole format per weekday, so that a language writes the day and
	 * the date in its own order (year, month, day, hour, minute, second). */
	static const char *const wd[] = {
	    LS_N_("Sun %04d-%02d-%02d %02d:%02d:%02d"), LS_N_("Mon %04d-%02d-%02d %02d:%02d:%02d"),
	    LS_N_("Tue %04d-%02d-%02d %02d:%02d:%02d"), LS_N_("Wed %04d-%02d-%02d %02d:%02d:%02d"),
	    LS_N_("Thu %04d-%02d-%02d %02d:%02d:%02d"), LS_N_("Fri %04d-%02d-%02d %02d:%02d:%02d"),
	    LS_N_("Sat %04d-%02d-%02d %02d:%02d:%02d")};
	struct tm tm;

	localtime(tz, t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, n, label_word(words, wd[(tm.tm_wday % 7 + 7) % 7]), tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
#pragma GCC diagnostic pop
}

int ls_preview_canvas(struct ls_canvas *c, int w, int h)
{
	if (w <= 0 || h <= 0 || (long)w * h > 100L * 1000 * 1000)
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

void ls_preview_label(struct ls_fontset *labels, struct ls_canvas *c, int x, int y, int max_w,
		      const char *text, bool dim)
{
	struct ls_strip *strip = ls_text_render(labels, text, NULL);
	struct ls_rgb pal[256];

	if (!strip)
		return;
	ls_palette_make(pal, dim ? INK_DIM : INK, SHEET_BG);
	ls_strip_draw(strip, pal, c, (struct ls_rect){x, y, max_w, LABEL_H}, x, y);
	ls_strip_free(strip);
}

static void warning_label(struct ls_fontset *labels, struct ls_canvas *c, int x, int y, int w,
			  const char *text)
{
	struct ls_strip *strip = ls_text_render(labels, text, NULL);
	struct ls_rgb pal[256];

	if (!strip)
		return;
	ls_palette_make(pal, LS_PREVIEW_WARNING, SHEET_BG);
	ls_strip_draw(strip, pal, c, (struct ls_rect){x, y, w, LABEL_H}, x, y);
	ls_strip_free(strip);
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

int ls_preview_zone_problems(const struct ls_player *p,
			     void (*fn)(void *ctx, const struct ls_zone_problem *z), void *ctx)
{
	int bad = 0;

	for (int zi = 0; zi < ls_player_n_zones(p); zi++) {
		struct ls_rect rects[LS_REPORT_SPANS];
		struct ls_zone_problem z = {.zone = NULL};
		z.places = ls_player_zone_problem_rects(p, zi, rects, LS_REPORT_SPANS);
		if (!z.places ||
		    !ls_preview_problems(ls_player_zone_report(p, zi), z.what, sizeof(z.what)))
			continue;
		z.item = ls_player_zone_item(p, zi, &z.zone, NULL);
		if (!z.zone)
			z.zone = "main";
		fn(ctx, &z);
		bad++;
	}
	return bad;
}

void ls_preview_show(struct ls_preview *pv, const struct ls_player *p,
		     const struct ls_canvas *frame)
{
	struct ls_rect marks[MAX_MARKS];
	int n = problem_marks(p, marks, MAX_MARKS);

	ls_preview_draw(pv, frame, board_report(p), marks, n);
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

long ls_preview_first_lit(const struct ls_sheet *sh, struct ls_player *player,
			  struct ls_canvas *frame, long n)
{
	int want = frame->width / 4 < 16 ? (frame->width + 3) / 4 : 16, prev = -1;
	size_t bytes = (size_t)frame->width * (size_t)frame->height * sizeof(*frame->px);
	struct ls_rgb *before = malloc(bytes);
	struct ls_now now;
	long k = 0;

	for (;; k++) {
		sample(sh, ls_preview_frame_ms(k, sh->fps), &now);
		ls_player_frame(player, &now, frame);
		int cols = lit_columns(frame);
		if (k == n || cols >= want ||
		    (before && cols && cols == prev && !memcmp(before, frame->px, bytes)))
			break;
		if (before)
			memcpy(before, frame->px, bytes);
		prev = cols;
	}
	free(before);
	return k;
}

void ls_preview_style_of(struct ls_preview_style *st, const struct ls_player_config *pc,
			 int module_w, int module_h, int scale)
{
	*st = (struct ls_preview_style){.scale = scale,
					.mono = pc->mono,
					.colour = pc->colour,
					.module_w = module_w,
					.module_h = module_h};
	if (module_w >= pc->width && module_h >= pc->height && pc->mono && pc->width % 32 == 0 &&
	    pc->height % 16 == 0) {
		st->module_w = 32;
		st->module_h = 16;
	}
}

/* Tells sh's problem function of what every zone plays, when it has problems. */
static void zone_problems(const struct ls_sheet *sh, const struct ls_player *p)
{
	char line[256];

	for (int zi = 0; sh->problem && zi < ls_player_n_zones(p); zi++) {
		const struct ls_item *it = ls_player_zone_item(p, zi, NULL, NULL);
		const struct ls_text_report *r = ls_player_zone_report(p, zi);
		if (it && ls_preview_problems(r, line, sizeof(line)))
			sh->problem(sh->ctx, it, r);
	}
}

int ls_preview_animate(const struct ls_sheet *sh, struct ls_player *player, struct ls_canvas *frame,
		       struct ls_preview *pv, long n, ls_preview_frame_fn fn, void *ctx,
		       struct ls_error *err)
{
	long k0 = ls_preview_first_lit(sh, player, frame, n);
	struct ls_now now;

	for (long k = k0; k < k0 + n; k++) {
		if (k > k0) {
			sample(sh, ls_preview_frame_ms(k, sh->fps), &now);
			ls_player_frame(player, &now, frame);
		}
		ls_preview_show(pv, player, frame);
		zone_problems(sh, player);
		if (fn(ctx, pv,
		       (int)(ls_preview_frame_ms(k + 1, sh->fps) - ls_preview_frame_ms(k, sh->fps)),
		       err))
			return -1;
	}
	return 0;
}

/* ---- the strip ---- */

static void strip_tile(const struct ls_sheet *sh, const struct ls_player *player,
		       const struct ls_preview *pv, struct ls_canvas *out, int y, int64_t ms)
{
	const struct ls_item *it = ls_player_current(player, NULL);
	char when[64], label[256];

	ls_preview_blit(pv, out, PAD, y);
	ls_preview_moment(sh->localtime, sh->words, sh->pc->timezone, sh->wall + ms / 1000, when,
			  sizeof(when));
	snprintf(label, sizeof(label), "+%.1f s   %s   %s", ms / 1000.0, when,
		 it ? it->id : label_word(sh->words, "(dark)"));
	ls_preview_label(sh->labels, out, PAD, y + ls_preview_height(pv) + 2, ls_preview_width(pv),
			 label, true);
}

int ls_preview_strip(const struct ls_sheet *sh, struct ls_player *player, struct ls_canvas *frame,
		     struct ls_preview *pv, double seconds, struct ls_canvas *out, int *every_s,
		     struct ls_error *err)
{
	long n = lround(seconds * sh->fps);
	int step = (int)ceil(seconds / LS_STRIP_MAX_FRAMES), tiles = (int)ceil(seconds / step);
	int tile_h = ls_preview_height(pv) + LINE_H + PAD / 2;
	struct ls_now now;

	*every_s = step;
	if (ls_preview_canvas(out, ls_preview_width(pv) + 2 * PAD, PAD + tiles * tile_h))
		return ls_error_set(err, "the strip is too large; use fewer --seconds or a .gif");
	for (long k = 0, tile = 0; k < n && tile < tiles; k++) {
		int64_t ms = ls_preview_frame_ms(k, sh->fps);
		sample(sh, ms, &now);
		ls_player_frame(player, &now, frame);
		zone_problems(sh, player);
		if (ms < tile * step * 1000L)
			continue;
		ls_preview_show(pv, player, frame);
		strip_tile(sh, player, pv, out, PAD + (int)tile * tile_h, ms);
		tile++;
	}
	return 0;
}

/* ---- contact sheet ---- */

struct still {
	int64_t play_ms; /* how long the item plays; -1 when it did not end within the cap */
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

struct ls_playlist **ls_preview_one_item(const struct ls_sheet *sh, int f, int idx,
					 struct ls_error *err)
{
	struct ls_playlist **pls = calloc(1, sizeof(*pls)), *pl;

	if (!pls) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	if (!(pl = ls_playlist_parse(sh->bufs[f], sh->lens[f], sh->names[f], err)) ||
	    ls_playlist_attach_pictures(pl, sh->names[f], sh->pc->pictures, err)) {
		ls_playlist_free(pl);
		free(pls);
		return NULL;
	}
	if (idx < 0 || idx >= pl->n_items) {
		ls_error_set(err, "%s: no item %d (it has %d)", sh->names[f], idx, pl->n_items);
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

/* Plays the item alone from the preview's moment, measures how long it plays
 * and returns the number of the frame that best shows it (and its problems). */
static long pick_still(const struct ls_sheet *sh, struct ls_player *player, struct ls_canvas *frame,
		       const struct ls_playlist *pl, const struct ls_item *it, struct still *out)
{
	long cap = (long)LS_SHEET_MAX_SECONDS * sh->fps, n = 0, best;
	struct look *lk = malloc((size_t)cap * sizeof(*lk));
	int64_t since0 = 0, since, pass_ms;
	int zi = item_zone(player, it);
	struct ls_now now;

	out->play_ms = -1;
	for (long k = 0; k < cap; k++, n++) {
		sample(sh, ls_preview_frame_ms(k, sh->fps), &now);
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
	while (pass_ms > 0 && n > 1 && ls_preview_frame_ms(n - 1, sh->fps) >= pass_ms)
		n--; /* the first pass only */
	best = lk ? choose_still(lk, n, pl->n_zones ? pl->zones[0].width : frame->width) : 0;
	best = lk ? show_problems(lk, n, best) : 0;
	free(lk);
	return best;
}

/* Renders item idx of file f alone into frame; 0 or -1 with err. */
static int item_still(const struct ls_sheet *sh, struct ls_player *player, int f, int idx,
		      struct ls_canvas *frame, struct still *out, struct ls_error *err)
{
	struct ls_playlist **pls = ls_preview_one_item(sh, f, idx, err);
	struct ls_now now;
	long best;

	if (!pls)
		return -1;
	ls_player_set_playlists(player, pls, 1);
	best = pick_still(sh, player, frame, pls[0], &pls[0]->items[idx], out);
	/* Play it again from the start up to the chosen frame, exactly as the board would. */
	if (!(pls = ls_preview_one_item(sh, f, idx, err)))
		return -1;
	ls_player_set_playlists(player, pls, 1);
	for (long k = 0; k <= best; k++) {
		sample(sh, ls_preview_frame_ms(k, sh->fps), &now);
		ls_player_frame(player, &now, frame);
	}
	out->n_marks = problem_marks(player, out->marks, MAX_MARKS);
	return 0;
}

static void timing_label(ls_words_fn w, const struct ls_item *it, const struct still *st, char *buf,
			 size_t n)
{
	int rep = it->repeat > 1 ? it->repeat : 1;

	if (it->off)
		snprintf(buf, n, "%s", label_word(w, "board dark while it is selected"));
	else if (st->play_ms < 0)
		snprintf(buf, n, label_word(w, "plays over %d s"), LS_SHEET_MAX_SECONDS);
	else if (it->duration > 0)
		snprintf(buf, n, label_word(w, "plays %.1f s (fixed duration)"),
			 st->play_ms / 1000.0);
	else if (rep > 1)
		snprintf(buf, n, label_word(w, "pass %.1f s x %d = %.1f s"),
			 st->play_ms / 1000.0 / rep, rep, st->play_ms / 1000.0);
	else
		snprintf(buf, n, label_word(w, "pass %.1f s"), st->play_ms / 1000.0);
}

/* Draws one item's block (picture and three label lines); returns its height. */
static int sheet_item(const struct ls_sheet *sh, struct ls_canvas *sheet, int y,
		      struct ls_preview *pv, const struct ls_item *it,
		      const struct ls_canvas *frame, const struct still *st)
{
	int ph = ls_preview_height(pv), w = sheet->width - 2 * PAD, h;
	char timing[96], line[512], sched[320], problems[256];

	ls_preview_draw(pv, frame, &st->report, st->marks, st->n_marks);
	ls_preview_blit(pv, sheet, PAD, y);
	h = ph + 4;
	timing_label(sh->words, it, st, timing, sizeof(timing));
	snprintf(line, sizeof(line), "%s   ·   %s   ·   %s", it->id,
		 it->off ? "off" : ls_effect_name(it->effect), timing);
	ls_preview_label(sh->labels, sheet, PAD, y + h, w, line, false);
	h += LINE_H;
	ls_preview_schedule_summary(it, sh->pc->timezone, sh->words, sched, sizeof(sched));
	ls_preview_label(sh->labels, sheet, PAD, y + h, w, sched, true);
	h += LINE_H;
	if (ls_preview_problems(&st->report, problems, sizeof(problems))) {
		snprintf(line, sizeof(line), "! %s", problems);
		warning_label(sh->labels, sheet, PAD, y + h, w, line);
		h += LINE_H;
	}
	return h + PAD;
}

/* "board 192x16 single-colour, tags a b   ·   stills from <when> (<zone>)". */
static void board_label(ls_words_fn w, const struct ls_player_config *pc, const char *tags,
			const char *when, char *buf, size_t n)
{
	const char *colour = pc->mono ? label_word(w, "single-colour") : "RGB";

	if (pc->n_tags)
		snprintf(buf, n, label_word(w, "board %dx%d %s, tags %s   ·   stills from %s (%s)"),
			 pc->width, pc->height, colour, tags, when, pc->timezone);
	else
		snprintf(buf, n, label_word(w, "board %dx%d %s   ·   stills from %s (%s)"),
			 pc->width, pc->height, colour, when, pc->timezone);
}

static int sheet_header(const struct ls_sheet *sh, struct ls_canvas *sheet, int y, int f,
			const struct ls_playlist *pl)
{
	const struct ls_player_config *pc = sh->pc;
	char line[512], when[64], tags[256] = "";
	size_t len = 0;

	for (int i = 0; i < pc->n_tags && len < sizeof(tags); i++)
		len += (size_t)snprintf(tags + len, sizeof(tags) - len, "%s%s", i ? " " : "",
					pc->tags[i]);
	/* Words has no plural forms: the English forms of one and many are two
	 * messages (a language with one form translates both alike). */
	snprintf(line, sizeof(line),
		 pl->n_items == 1 ? label_word(sh->words, "%s   (%s, %d item)")
				  : label_word(sh->words, "%s   (%s, %d items)"),
		 pl->name ? pl->name : label_word(sh->words, "(unnamed playlist)"), sh->names[f],
		 pl->n_items);
	ls_preview_label(sh->labels, sheet, PAD, y, sheet->width - 2 * PAD, line, false);
	ls_preview_moment(sh->localtime, sh->words, pc->timezone, sh->wall, when, sizeof(when));
	board_label(sh->words, pc, tags, when, line, sizeof(line));
	ls_preview_label(sh->labels, sheet, PAD, y + LINE_H, sheet->width - 2 * PAD, line, true);
	return 2 * LINE_H + PAD / 2;
}

/* Every file parsed as written, for the headers and the list of items. */
static struct ls_playlist **parse_all(const struct ls_sheet *sh, struct ls_error *err)
{
	struct ls_playlist **pls = calloc((size_t)sh->n_files + 1, sizeof(*pls));

	for (int f = 0; pls && f < sh->n_files; f++)
		if (!(pls[f] = ls_playlist_parse(sh->bufs[f], sh->lens[f], sh->names[f], err))) {
			while (f--)
				ls_playlist_free(pls[f]);
			free(pls);
			return NULL;
		}
	if (!pls)
		ls_error_set(err, "out of memory");
	return pls;
}

static int compose(const struct ls_sheet *sh, struct ls_playlist **pls, struct ls_player *player,
		   struct ls_canvas *frame, struct ls_preview *pv, struct ls_canvas *out,
		   struct ls_error *err)
{
	int pw = ls_preview_width(pv), width = (pw > SHEET_MIN_W ? pw : SHEET_MIN_W) + 2 * PAD,
	    height = PAD, y = PAD, block = ls_preview_height(pv) + 4 + 3 * LINE_H + PAD, items = 0;

	for (int f = 0; f < sh->n_files; f++) {
		height += 2 * LINE_H + PAD / 2 + pls[f]->n_items * block + PAD;
		items += pls[f]->n_items;
	}
	if (ls_preview_canvas(out, width, height))
		return ls_error_set(err, "the sheet is too large (%dx%d)", width, height);
	for (int f = 0; f < sh->n_files; f++) {
		y += sheet_header(sh, out, y, f, pls[f]);
		for (int k = 0; k < pls[f]->n_items; k++) {
			struct still st;
			if (item_still(sh, player, f, k, frame, &st, err)) {
				free(out->px);
				out->px = NULL;
				return -1;
			}
			if (sh->problem && has_problems(&st.report))
				sh->problem(sh->ctx, &pls[f]->items[k], &st.report);
			y += sheet_item(sh, out, y, pv, &pls[f]->items[k], frame, &st);
		}
		y += PAD;
	}
	out->height = y < height ? y : height;
	return items;
}

int ls_preview_sheet(const struct ls_sheet *sh, struct ls_canvas *out, struct ls_error *err)
{
	struct ls_playlist **pls = parse_all(sh, err);
	struct ls_player *player = NULL;
	struct ls_canvas *frame = NULL;
	struct ls_preview *pv = NULL;
	int r = -1;

	out->px = NULL;
	if (!pls)
		return -1;
	if (!(player = ls_player_new(sh->pc, err)) ||
	    !(pv = ls_preview_new(sh->pc->width, sh->pc->height, sh->st, err)))
		goto out;
	if (!(frame = ls_canvas_new(sh->pc->width, sh->pc->height))) {
		ls_error_set(err, "out of memory");
		goto out;
	}
	r = compose(sh, pls, player, frame, pv, out, err);
out:
	for (int f = 0; f < sh->n_files; f++)
		ls_playlist_free(pls[f]);
	free(pls);
	ls_canvas_free(frame);
	ls_preview_free(pv);
	ls_player_free(player);
	return r;
}
