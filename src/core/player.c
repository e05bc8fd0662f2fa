/*
 * player.c: per-zone item rotation, rendering each item once into strips and
 * drawing the visible window every frame.
 *
 * Item boundaries are computed from the previous item's end, not from the
 * frame that noticed it, so timing does not drift with the frame rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/effect.h"
#include "ledsign/player.h"
#include "ledsign/schedule.h"
#include "ledsign/template.h"

#define FONT_CACHE 6
#define MAX_ZONES (LS_PLAYLIST_MAX_ZONES + 1)
#define EXPANDED_MAX (LS_TEXT_MAX_BYTES * 2)

struct font_entry {
	char *font; /* the item's own font, or NULL for the board's chain */
	int height;
	struct ls_fontset *fs;
	unsigned long used;
};

struct zone {
	char name[33];
	struct ls_rect rect;
	const struct ls_item *item;
	bool default_zone; /* items without "zone" play here */
	struct ls_schedule_history hist;
	bool checked;	    /* the schedule was asked at least once */
	int64_t checked_s;  /* wall second of the last ask */
	bool checked_valid; /* and whether the clock was synchronised then */
	int64_t t0_ms;
	double play_s, speed;
	struct ls_strip *strips[LS_ITEM_MAX_LINES];
	int n_strips, line_h;
	bool font_fallback; /* the item's own font did not open: the board's chain drew it */
	bool no_font;	    /* no font opened at line_h: nothing is drawn */
	struct ls_rgb pal[256], bg;
	struct ls_text_report report;
	char *texts[LS_ITEM_MAX_LINES]; /* the expanded texts the strips were rendered from */
	int64_t expanded_at;		/* wall second of the last template expansion */
	/* Where the last frame drew the strips: line i's top-left at (drawn_x,
	 * drawn_y + i * line_h), clipped to drawn_clip; drawn false when nothing was. */
	bool drawn;
	int drawn_x, drawn_y;
	struct ls_rect drawn_clip;
	/* The item's picture, every frame of it drawn once when the item starts
	 * into pic[0..n_pic) and the one its elapsed time shows copied into
	 * pic_box every frame; the text plays in `area`, the rest of the zone. */
	struct ls_canvas *pic[LS_PICTURE_MAX_FRAMES];
	int n_pic;
	struct ls_rect pic_box, area;
};

struct ls_player {
	struct ls_player_config pc;
	char *fonts[LS_MAX_FONTS];
	char *board_name, *timezone;
	char *tags[LS_MAX_TAGS];
	struct ls_playlist **pls;
	int n_pls;
	struct zone zones[MAX_ZONES];
	int n_zones;
	struct font_entry cache[FONT_CACHE];
	unsigned long clock;
	struct ls_item builtin;
};

static const char BUILTIN_TEXT[] = "Bảo hiểm xã hội Việt Nam";

static struct ls_fontset *font_get(struct ls_player *p, const char *font, int height,
				   struct ls_error *err)
{
	struct font_entry *victim = &p->cache[0];
	const char *chain[LS_MAX_FONTS + 1];
	int n = 0;

	for (int i = 0; i < FONT_CACHE; i++) {
		struct font_entry *e = &p->cache[i];
		if (e->fs && e->height == height &&
		    ((!font && !e->font) || (font && e->font && !strcmp(font, e->font)))) {
			e->used = ++p->clock;
			return e->fs;
		}
		if (!e->fs || e->used < victim->used)
			victim = e;
	}
	if (font)
		chain[n++] = font;
	for (int i = 0; i < p->pc.n_fonts && n < LS_FONTSET_MAX; i++)
		chain[n++] = p->fonts[i];
	struct ls_fontset *fs =
	    ls_fontset_new(p->pc.font_provider, chain, n, height, p->pc.mono, err);
	if (!fs)
		return NULL;
	ls_fontset_free(victim->fs);
	free(victim->font);
	victim->fs = fs;
	victim->font = font ? strdup(font) : NULL;
	victim->height = height;
	victim->used = ++p->clock;
	return fs;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void setup_zones(struct ls_player *p);

struct ls_player *ls_player_new(const struct ls_player_config *pc, struct ls_error *err)
{
	struct ls_player *p = calloc(1, sizeof(*p));

	if (!p) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	p->pc = *pc;
	for (int i = 0; i < pc->n_fonts; i++)
		p->fonts[i] = strdup(pc->fonts[i]);
	p->board_name = dup_or_null(pc->board_name);
	p->timezone = dup_or_null(pc->timezone);
	p->pc.board_name = p->board_name;
	p->pc.timezone = p->timezone;
	p->pc.n_tags = pc->n_tags < LS_MAX_TAGS ? pc->n_tags : LS_MAX_TAGS;
	for (int i = 0; i < p->pc.n_tags; i++) {
		p->tags[i] = strdup(pc->tags[i] ? pc->tags[i] : "");
		p->pc.tag_list[i] = p->tags[i];
	}
	p->pc.tags = p->pc.tag_list;
	p->builtin = (struct ls_item){.id = "builtin",
				      .text = (char *)BUILTIN_TEXT,
				      .effect = LS_EFFECT_SCROLL_LEFT,
				      .days = 0x7f,
				      .weight = 1};
	/* Open the board's chain once now, so a bad font fails at start-up, not mid-show. */
	if (pc->n_fonts < 1) {
		ls_error_set(err, "[display] font: no font configured; add font = "
				  "/usr/share/fonts/opentype/unifont/unifont.otf");
		goto err_player;
	}
	if (!font_get(p, NULL, pc->height >= 32 ? pc->height / 2 : pc->height, err))
		goto err_player;
	setup_zones(p);
	return p;

err_player:
	ls_player_free(p);
	return NULL;
}

static void zone_drop_text(struct zone *z)
{
	for (int i = 0; i < z->n_strips; i++) {
		ls_strip_free(z->strips[i]);
		z->strips[i] = NULL;
		free(z->texts[i]);
		z->texts[i] = NULL;
	}
	z->n_strips = 0;
}

static void zone_drop_strips(struct zone *z)
{
	zone_drop_text(z);
	for (int i = 0; i < z->n_pic; i++) {
		ls_canvas_free(z->pic[i]);
		z->pic[i] = NULL;
	}
	z->n_pic = 0;
}

struct ls_player *ls_player_with(const struct ls_player_config *pc, struct ls_playlist **pls, int n,
				 struct ls_error *err)
{
	struct ls_player *p = ls_player_new(pc, err);

	if (!p) {
		for (int i = 0; i < n; i++)
			ls_playlist_free(pls[i]);
		free(pls);
		return NULL;
	}
	ls_player_set_playlists(p, pls, n);
	return p;
}

void ls_player_free(struct ls_player *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n_zones; i++) {
		zone_drop_strips(&p->zones[i]);
		ls_schedule_history_clear(&p->zones[i].hist);
	}
	for (int i = 0; i < FONT_CACHE; i++) {
		ls_fontset_free(p->cache[i].fs);
		free(p->cache[i].font);
	}
	for (int i = 0; i < p->n_pls; i++)
		ls_playlist_free(p->pls[i]);
	free(p->pls);
	for (int i = 0; i < p->pc.n_fonts; i++)
		free(p->fonts[i]);
	free(p->board_name);
	free(p->timezone);
	for (int i = 0; i < p->pc.n_tags; i++)
		free(p->tags[i]);
	free(p);
}

/* Items without a zone play in the zone named "main", or in the first zone
 * when there is none of that name; each zone gets a fresh schedule history. */
static void setup_histories(struct ls_player *p)
{
	int main_zone = 0, n_items = 0;

	for (int i = 0; i < p->n_pls; i++)
		n_items += p->pls[i]->n_items;
	for (int i = 0; i < p->n_zones; i++)
		if (!strcmp(p->zones[i].name, "main")) {
			main_zone = i;
			break;
		}
	for (int i = 0; i < p->n_zones; i++) {
		p->zones[i].default_zone = i == main_zone;
		/* Out of memory only costs the weights: rotation falls back to playlist order. */
		(void)ls_schedule_history_init(&p->zones[i].hist, n_items);
	}
}

/* Zones come from the first playlist that declares any; without them the
 * whole board is one zone named "main". */
static void setup_zones(struct ls_player *p)
{
	const struct ls_playlist *src = NULL;

	for (int i = 0; i < p->n_pls && !src; i++)
		if (p->pls[i]->n_zones)
			src = p->pls[i];
	for (int i = 0; i < p->n_zones; i++) {
		zone_drop_strips(&p->zones[i]);
		ls_schedule_history_clear(&p->zones[i].hist);
	}
	memset(p->zones, 0, sizeof(p->zones));
	if (!src) {
		p->n_zones = 1;
		snprintf(p->zones[0].name, sizeof(p->zones[0].name), "main");
		p->zones[0].rect = (struct ls_rect){0, 0, p->pc.width, p->pc.height};
	} else {
		p->n_zones = src->n_zones;
		for (int i = 0; i < src->n_zones; i++) {
			snprintf(p->zones[i].name, sizeof(p->zones[i].name), "%s",
				 src->zones[i].name);
			p->zones[i].rect =
			    (struct ls_rect){src->zones[i].x, src->zones[i].y, src->zones[i].width,
					     src->zones[i].height};
		}
	}
	setup_histories(p);
}

void ls_player_set_playlists(struct ls_player *p, struct ls_playlist **pls, int n)
{
	for (int i = 0; i < p->n_pls; i++)
		ls_playlist_free(p->pls[i]);
	free(p->pls);
	p->pls = pls;
	p->n_pls = n;
	setup_zones(p);
}

/* Asks the scheduler (schedule.h) what the zone plays: the one selection
 * function the service, render, preview and `ledsign schedule` share. */
static struct ls_schedule_input zone_input(const struct ls_player *p, int zi,
					   const struct ls_now *now)
{
	const struct zone *z = &p->zones[zi];
	struct ls_schedule_input in = {
	    .pls = p->pls,
	    .n_pls = p->n_pls,
	    .tags = p->pc.tags,
	    .n_tags = p->pc.n_tags,
	    .zone = z->name,
	    .default_zone = z->default_zone,
	    .wall_s = now->wall_s,
	    .wall_valid = now->wall_valid,
	    .local = now->local,
	    .board_tz = p->timezone,
	    .localtime = p->pc.localtime,
	    .builtin = &p->builtin,
	};

	return in;
}

static const struct ls_item *select_item(struct ls_player *p, int zi, const struct ls_now *now,
					 enum ls_schedule_event ev)
{
	struct zone *z = &p->zones[zi];
	struct ls_schedule_input in = zone_input(p, zi, now);

	z->checked = true;
	z->checked_s = now->wall_s;
	z->checked_valid = now->wall_valid;
	return ls_schedule_select(&in, &z->hist, ev);
}

static void expand(const struct ls_player *p, const char *text, const struct ls_now *now, char *out,
		   size_t n)
{
	struct ls_template_ctx ctx = {
	    .local = now->local, .clock_valid = now->wall_valid, .board = p->board_name};

	if (ls_template_expand(text, &ctx, out, n, NULL) < 0)
		snprintf(out, n, "%s", text);
}

/* Adds line `line`'s report to the zone's: counts summed, the first problem
 * kept, the distinct characters listed (up to LS_REPORT_LIST) and the spans
 * listed with their line, so a one-line item's report is that line's report
 * unchanged. */
static void report_merge(struct ls_text_report *z, const struct ls_text_report *r, int line)
{
	if (r->missing && !z->missing)
		z->first_missing = r->first_missing;
	if (r->clipped_rows && !z->clipped_rows)
		z->first_clipped = r->first_clipped;
	z->missing += r->missing;
	z->clipped_rows += r->clipped_rows;
	z->replaced += r->replaced;
	z->truncated_cols += r->truncated_cols;
	if (r->legacy && !z->legacy) {
		z->legacy = r->legacy;
		z->legacy_at = r->legacy_at;
		z->legacy_count = r->legacy_count;
		memcpy(z->legacy_word, r->legacy_word, sizeof(z->legacy_word));
	}
	if (r->controls && !z->controls) {
		z->first_control = r->first_control;
		z->first_control_at = r->first_control_at;
	}
	z->controls += r->controls;
	if (r->lookalikes && !z->lookalikes) {
		z->lookalike_cp = r->lookalike_cp;
		z->lookalike_fix = r->lookalike_fix;
		z->lookalike_at = r->lookalike_at;
	}
	z->lookalikes += r->lookalikes;
	if (r->unshaped && !z->unshaped) {
		z->unshaped = r->unshaped;
		z->unshaped_at = r->unshaped_at;
	}
	if (r->fallback && !z->fallback) {
		z->first_fallback = r->first_fallback;
		z->fallback_face = r->fallback_face;
	}
	z->fallback += r->fallback;
	for (int i = 0; i < r->n_spans; i++) {
		if (z->n_spans < LS_REPORT_SPANS && !z->spans_over) {
			z->spans[z->n_spans] = r->spans[i];
			z->spans[z->n_spans++].line = line;
		} else {
			z->spans_over++;
		}
	}
	z->spans_over += r->spans_over;
	for (int i = 0; i < r->n_missing_cp; i++) {
		int k = 0;
		while (k < z->n_missing_cp && z->missing_cp[k] != r->missing_cp[i])
			k++;
		if (k == z->n_missing_cp && k < LS_REPORT_LIST)
			z->missing_cp[z->n_missing_cp++] = r->missing_cp[i];
	}
	for (int i = 0; i < r->n_clipped; i++) {
		int k = 0;
		while (k < z->n_clipped && z->clipped[k].cp != r->clipped[i].cp)
			k++;
		if (k == z->n_clipped && k < LS_REPORT_LIST)
			z->clipped[z->n_clipped++] = r->clipped[i];
	}
}

/* The height of each of the item's lines in a zone zone_h high: its "size",
 * else the zone shared by the lines (one line fills a tall zone), never more
 * than the zone (a taller line would only cost memory). */
static int line_height(const struct ls_item *it, int zone_h)
{
	int n = it->n_lines ? it->n_lines : 1, h = it->size ? it->size : zone_h / n;

	if (!it->size && n == 1 && zone_h >= 32)
		h = zone_h;
	return h < zone_h ? h : zone_h;
}

/* Renders the item's text (or lines) into the zone's strips. */
static void zone_render(struct ls_player *p, struct zone *z, const struct ls_now *now)
{
	const struct ls_item *it = z->item;
	const char *texts[LS_ITEM_MAX_LINES];
	int n = it->n_lines ? it->n_lines : it->text ? 1 : 0;
	char buf[EXPANDED_MAX];
	struct ls_fontset *fs;

	for (int i = 0; i < n; i++)
		texts[i] = it->n_lines ? it->lines[i] : it->text;
	zone_drop_text(z);
	memset(&z->report, 0, sizeof(z->report));
	z->line_h = line_height(it, z->area.h);
	if (!n)
		return;
	fs = font_get(p, it->font, z->line_h, NULL);
	z->font_fallback = !fs && it->font;
	if (!fs && it->font)
		fs = font_get(p, NULL, z->line_h, NULL);
	z->no_font = !fs;
	for (int i = 0; fs && i < n; i++) {
		struct ls_text_report rep;
		expand(p, texts[i], now, buf, sizeof(buf));
		z->strips[i] = ls_text_render(fs, buf, &rep);
		z->texts[i] = strdup(buf);
		if (!z->strips[i] || !z->texts[i])
			break;
		z->n_strips++;
		report_merge(&z->report, &rep, i);
	}
	z->expanded_at = now->wall_s;
}

static int widest(const struct zone *z)
{
	int w = 1;

	for (int i = 0; i < z->n_strips; i++)
		if (z->strips[i]->width > w)
			w = z->strips[i]->width;
	return w;
}

/* The item's picture box in zone rect (canvas coordinates): the whole zone
 * for a picture alone; beside text, `width` wide (default: the width the
 * picture takes at the zone's height, or a square for cover) at the left or
 * the right ("center" counts as left there). */
static struct ls_rect picture_box(const struct ls_item *it, struct ls_rect zone)
{
	const struct ls_item_picture *pic = it->picture;
	bool alone = !it->text && !it->n_lines;
	int w = pic->width, fw, fh;

	if (!w && pic->fit == LS_FIT_COVER && !alone)
		w = zone.h;
	ls_picture_fit_size(pic->fit, pic->image->w, pic->image->h, w ? w : zone.w, zone.h, &fw,
			    &fh);
	w = w ? w : fw;
	w = w < zone.w ? w : zone.w;
	if (pic->position == LS_ALIGN_RIGHT)
		return (struct ls_rect){zone.x + zone.w - w, zone.y, w, zone.h};
	if (pic->position == LS_ALIGN_CENTER && alone)
		return (struct ls_rect){zone.x + (zone.w - w) / 2, zone.y, w, zone.h};
	return (struct ls_rect){zone.x, zone.y, w, zone.h};
}

/* The rest of the zone, where the text plays. */
static struct ls_rect text_area(const struct ls_item *it, struct ls_rect zone, struct ls_rect box)
{
	if (!it->picture || !it->picture->image)
		return zone;
	if (box.x > zone.x)
		return (struct ls_rect){zone.x, zone.y, box.x - zone.x, zone.h};
	return (struct ls_rect){box.x + box.w, zone.y, zone.x + zone.w - box.x - box.w, zone.h};
}

static struct ls_picture_style picture_style(const struct ls_player *p, const struct ls_item *it,
					     struct ls_rgb bg)
{
	return (struct ls_picture_style){.fit = it->picture->fit,
					 .dither = it->picture->dither,
					 .mono = p->pc.mono,
					 .fg = it->has_colour ? it->colour : p->pc.colour,
					 .bg = bg};
}

/* Lays the item's picture and text area out in zone z, drawing each frame
 * of the picture into its own canvas once (not every frame of the board):
 * scaled, laid over the background and dithered here, so a frame of the
 * board only copies one. Out of memory, the frames drawn so far play. */
static void zone_lay_out(struct ls_player *p, struct zone *z, const struct ls_item *it)
{
	z->pic_box = (struct ls_rect){0, 0, 0, 0};
	if (it->picture && it->picture->image)
		z->pic_box = picture_box(it, z->rect);
	z->area = text_area(it, z->rect, z->pic_box);
	if (z->pic_box.w <= 0)
		return;
	struct ls_picture_style st = picture_style(p, it, z->bg);
	const struct ls_image *im = it->picture->image;
	for (int i = 0; i < im->n_frames && i < LS_PICTURE_MAX_FRAMES; i++) {
		struct ls_image frame = ls_image_frame(im, i);
		if (!(z->pic[i] = ls_canvas_new(z->pic_box.w, z->pic_box.h)))
			return;
		z->n_pic++;
		ls_canvas_fill(z->pic[i], z->bg);
		ls_picture_draw(&frame, &st, z->pic[i],
				(struct ls_rect){0, 0, z->pic_box.w, z->pic_box.h});
	}
}

/* The drawn frame of the zone's picture that shows at t_ms of its item. */
static const struct ls_canvas *zone_picture(const struct zone *z, int64_t t_ms)
{
	int i = ls_image_frame_at(z->item->picture->image, z->item->picture->fps, t_ms);

	return z->pic[i < z->n_pic ? i : z->n_pic - 1];
}

/* Seconds the item plays; a picture without text holds as a still effect does. */
static double zone_play_seconds(const struct ls_item *it, const struct zone *z, double speed)
{
	if (!z->n_strips && it->picture)
		return it->duration > 0 ? it->duration
					: (it->repeat > 0 ? it->repeat : 1) * LS_EFFECT_HOLD_S;
	return ls_effect_play_seconds(it, speed, z->area.w, z->area.h, widest(z),
				      z->n_strips * z->line_h);
}

static void zone_start(struct ls_player *p, struct zone *z, const struct ls_item *it, int64_t t0,
		       const struct ls_now *now)
{
	struct ls_rgb fg = it->has_colour ? it->colour : p->pc.colour;

	z->item = it;
	z->t0_ms = t0;
	if (it->off) { /* dark until the schedule says otherwise; it is asked every second */
		zone_drop_strips(z);
		memset(&z->report, 0, sizeof(z->report));
		z->bg = (struct ls_rgb){0, 0, 0};
		z->play_s = 60;
		return;
	}
	z->bg = it->has_background ? it->background : p->pc.background;
	ls_palette_make(z->pal, fg, z->bg);
	z->speed = it->speed > 0 ? it->speed : p->pc.speed;
	zone_drop_strips(z);
	zone_lay_out(p, z, it);
	zone_render(p, z, now);
	z->play_s = zone_play_seconds(it, z, z->speed);
}

/* Re-renders a live template item when a second has passed and its text changed. */
static void zone_refresh_live(struct ls_player *p, struct zone *z, const struct ls_now *now)
{
	char buf[EXPANDED_MAX];

	if (now->wall_s == z->expanded_at)
		return;
	z->expanded_at = now->wall_s;
	for (int i = 0; i < z->n_strips; i++) {
		const char *src = z->item->n_lines ? z->item->lines[i] : z->item->text;
		if (!ls_template_is_live(src))
			continue;
		expand(p, src, now, buf, sizeof(buf));
		if (strcmp(buf, z->texts[i])) {
			zone_render(p, z, now);
			return;
		}
	}
}

/* Starts the next item when the current one ends, and once a wall-clock
 * second (or a change of clock validity) asks the scheduler whether an
 * interrupt or the end of a window cuts it; otherwise refreshes live
 * templates. Returns false when the zone has nothing to draw. */
static bool zone_schedule(struct ls_player *p, int zi, const struct ls_now *now)
{
	struct zone *z = &p->zones[zi];
	int64_t end = z->t0_ms + (int64_t)(z->play_s * 1000);
	bool ended = z->item && now->mono_ms >= end;
	bool tick =
	    !z->checked || now->wall_s != z->checked_s || now->wall_valid != z->checked_valid;
	const struct ls_item *next;

	if (!ended && !tick) {
		if (z->item)
			zone_refresh_live(p, z, now);
		return z->item != NULL;
	}
	next = select_item(p, zi, now, ended || !z->item ? LS_SCHEDULE_NEXT : LS_SCHEDULE_CHECK);
	if (!ended && next == z->item) {
		if (z->item)
			zone_refresh_live(p, z, now);
		return z->item != NULL;
	}
	if (!ended || now->mono_ms - end > 1000)
		end = now->mono_ms; /* cut mid-item, or we were stopped: start now, do not
				       fast-forward */
	z->item = next;
	if (next)
		zone_start(p, z, next, end, now);
	return next != NULL;
}

static struct ls_rect rect_meet(struct ls_rect a, struct ls_rect b);

/* Copies src onto c with its top-left at (x, y), cut at c's edges: rows of memcpy. */
static void blit(struct ls_canvas *c, const struct ls_canvas *src, int x, int y)
{
	int x0 = x < 0 ? -x : 0, x1 = x + src->width > c->width ? c->width - x : src->width;

	for (int sy = 0; sy < src->height && x1 > x0; sy++) {
		if (y + sy < 0 || y + sy >= c->height)
			continue;
		memcpy(&c->px[(long)(y + sy) * c->width + x + x0],
		       &src->px[(long)sy * src->width + x0],
		       (size_t)(x1 - x0) * sizeof(struct ls_rgb));
	}
}

/* Draws a copy of the zone's block at (sx, sy), showing only the part pl says;
 * returns where it drew (w or h <= 0: nowhere). */
static struct ls_rect draw_block(struct zone *z, const struct ls_placement *pl, struct ls_canvas *c,
				 int sx, int sy)
{
	struct ls_rect clip = rect_meet(
	    z->area, (struct ls_rect){sx + pl->show.x, sy + pl->show.y, pl->show.w, pl->show.h});

	if (clip.w <= 0 || clip.h <= 0)
		return clip;
	for (int i = 0; i < z->n_strips; i++)
		ls_strip_draw(z->strips[i], z->pal, c, clip, sx, sy + i * z->line_h);
	return clip;
}

static void zone_frame(struct ls_player *p, int zi, const struct ls_now *now, struct ls_canvas *c)
{
	struct zone *z = &p->zones[zi];
	struct ls_placement pl;
	double t;

	z->drawn = false;
	if (!zone_schedule(p, zi, now)) {
		ls_canvas_fill_rect(c, z->rect, p->pc.background);
		return;
	}
	ls_canvas_fill_rect(c, z->rect, z->bg);
	if (z->n_pic)
		blit(c, zone_picture(z, now->mono_ms - z->t0_ms), z->pic_box.x, z->pic_box.y);
	if (!z->n_strips || z->area.w <= 0)
		return;
	t = (double)(now->mono_ms - z->t0_ms) / 1000.0;
	ls_effect_place(z->item, z->speed, t, z->area.w, z->area.h, widest(z),
			z->n_strips * z->line_h, &pl);
	if (!pl.visible)
		return;
	for (int k = 0; k < pl.copies; k++) {
		int sx = z->area.x + pl.x + k * pl.period, sy = z->area.y + pl.y;
		struct ls_rect clip = draw_block(z, &pl, c, sx, sy);
		if (clip.w <= 0 || clip.h <= 0 || z->drawn)
			continue;
		z->drawn = true; /* problem rectangles follow the first copy drawn */
		z->drawn_x = sx;
		z->drawn_y = sy;
		z->drawn_clip = clip;
	}
}

void ls_player_frame(struct ls_player *p, const struct ls_now *now, struct ls_canvas *c)
{
	for (int i = 0; i < p->n_zones; i++)
		zone_frame(p, i, now, c);
}

static int default_zone(const struct ls_player *p);

const struct ls_item *ls_player_current(const struct ls_player *p, int64_t *since_ms)
{
	int zi = default_zone(p);

	if (since_ms)
		*since_ms = p->zones[zi].t0_ms;
	return p->zones[zi].item;
}

const struct ls_text_report *ls_player_report(const struct ls_player *p)
{
	return ls_player_zone_report(p, default_zone(p));
}

/* The zone items without "zone" play in. */
static int default_zone(const struct ls_player *p)
{
	for (int i = 0; i < p->n_zones; i++)
		if (p->zones[i].default_zone)
			return i;
	return 0;
}

const struct ls_text_report *ls_player_zone_report(const struct ls_player *p, int zi)
{
	static const struct ls_text_report none;

	if (zi < 0 || zi >= p->n_zones || !p->zones[zi].item)
		return &none;
	return &p->zones[zi].report;
}

/* The intersection of a and b; w or h <= 0 when they do not meet. */
static struct ls_rect rect_meet(struct ls_rect a, struct ls_rect b)
{
	int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
	int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;

	return (struct ls_rect){x0, y0, x1 - x0, y1 - y0};
}

int ls_player_zone_problem_rects(const struct ls_player *p, int zi, struct ls_rect *rects, int max)
{
	const struct zone *z;
	int n = 0;

	if (zi < 0 || zi >= p->n_zones || !p->zones[zi].drawn)
		return 0;
	z = &p->zones[zi];
	for (int i = 0; i < z->report.n_spans && n < max; i++) {
		const struct ls_text_span *sp = &z->report.spans[i];
		struct ls_rect r = {z->drawn_x + sp->x0, z->drawn_y + sp->line * z->line_h,
				    sp->x1 - sp->x0, z->line_h};
		r = rect_meet(r, z->drawn_clip);
		if (r.w > 0 && r.h > 0)
			rects[n++] = r;
	}
	return n;
}

int ls_player_main_zone(const struct ls_player *p)
{
	return default_zone(p);
}

const char *ls_player_status(const struct ls_player *p)
{
	return ls_player_zone_status(p, default_zone(p));
}

const char *ls_player_zone_status(const struct ls_player *p, int zi)
{
	if (zi < 0 || zi >= p->n_zones)
		return ls_schedule_reason(LS_REASON_NOTHING);
	return ls_schedule_reason(p->zones[zi].hist.reason);
}

int ls_player_n_zones(const struct ls_player *p)
{
	return p->n_zones;
}

const struct ls_item *ls_player_zone_item(const struct ls_player *p, int zi, const char **name,
					  int64_t *since_ms)
{
	if (zi < 0 || zi >= p->n_zones)
		return NULL;
	if (name)
		*name = p->zones[zi].name;
	if (since_ms)
		*since_ms = p->zones[zi].t0_ms;
	return p->zones[zi].item;
}

/* The zone item `it` plays in: the one its "zone" names, else the main zone;
 * -1 when it names a zone the board does not have. */
static int item_zone(const struct ls_player *p, const struct ls_item *it)
{
	if (!it->zone)
		return default_zone(p);
	for (int i = 0; i < p->n_zones; i++)
		if (!strcmp(p->zones[i].name, it->zone))
			return i;
	return -1;
}

static const char *file_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

/* Which fonts of fs draw the item: its own "font" set behind the board's
 * because it is not made for the height, the first font, and the one that
 * drew the first character the first font could not. */
static void layout_fonts(const struct ls_fontset *fs, const struct ls_item *it, bool fell_back,
			 const struct ls_text_report *r, struct ls_player_layout *out)
{
	struct ls_font_fit fit;
	const char *path;

	if (!fs)
		return;
	snprintf(out->first_font, sizeof(out->first_font), "%s",
		 file_name(ls_fontset_font(fs, 0, NULL)));
	if (r->fallback)
		snprintf(out->fallback_font, sizeof(out->fallback_font), "%s",
			 file_name(ls_fontset_font(fs, r->fallback_face, NULL)));
	for (int i = 0; it->font && !fell_back && (path = ls_fontset_font(fs, i, &fit)); i++)
		if (!strcmp(path, it->font)) {
			out->font_demoted = !fit.suitable;
			break;
		}
}

/* The least detail any frame of the item's picture keeps in its box. */
static int detail_kept(const struct ls_player *p, const struct ls_item *it, const struct zone *z)
{
	struct ls_picture_style st = picture_style(p, it, z->bg);
	int kept = 100;

	for (int i = 0; i < it->picture->image->n_frames; i++) {
		struct ls_image frame = ls_image_frame(it->picture->image, i);
		int k = ls_picture_detail_kept(&frame, &st,
					       (struct ls_rect){0, 0, z->pic_box.w, z->pic_box.h});
		kept = k < kept ? k : kept;
	}
	return kept;
}

int ls_player_layout(struct ls_player *p, const struct ls_item *it, const struct ls_now *now,
		     struct ls_player_layout *out)
{
	struct zone z = {0};
	int zi = item_zone(p, it);

	memset(out, 0, sizeof(*out));
	out->zone = zi;
	if (zi < 0)
		return -1;
	out->rect = z.rect = z.area = p->zones[zi].rect;
	out->n_lines = it->n_lines ? it->n_lines : 1;
	out->line_h = line_height(it, z.rect.h);
	if (it->off)
		return 0;
	z.item = it;
	z.bg = it->has_background ? it->background : p->pc.background;
	zone_lay_out(p, &z, it);
	out->picture_box = z.pic_box;
	if (z.n_pic)
		out->detail_kept = detail_kept(p, it, &z);
	out->rect = z.area;
	out->line_h = line_height(it, z.area.h);
	zone_render(p, &z, now);
	out->font_fallback = z.font_fallback;
	out->no_font = z.no_font;
	if (!z.no_font)
		layout_fonts(font_get(p, z.font_fallback ? NULL : it->font, out->line_h, NULL), it,
			     z.font_fallback, &z.report, out);
	out->report = z.report;
	for (int i = 0; i < z.n_strips; i++)
		out->widths[i] = z.strips[i]->width;
	out->widest = z.n_strips ? widest(&z) : 0;
	out->effect = ls_effect_effective(it, z.area.w, out->widest);
	out->play_s = zone_play_seconds(it, &z, it->speed > 0 ? it->speed : p->pc.speed);
	zone_drop_strips(&z);
	return 0;
}

uint64_t ls_player_zone_eligible(const struct ls_player *p, int zi, const struct ls_now *now)
{
	struct ls_schedule_input in;
	uint64_t h = 1469598103934665603ull;
	int k = 0;

	if (zi < 0 || zi >= p->n_zones)
		return h;
	in = zone_input(p, zi, now);
	for (int i = 0; i < p->n_pls; i++)
		for (int j = 0; j < p->pls[i]->n_items; j++, k++)
			if (ls_schedule_item_eligible(&in, &p->pls[i]->items[j]))
				h = (h ^ (uint64_t)(k + 1)) * 1099511628211ull;
	return h;
}
