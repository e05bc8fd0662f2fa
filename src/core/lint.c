/*
 * lint.c: the checks behind `ledsign validate`. A board's picture is asked of
 * the player (ls_player_layout) and its timing of the scheduler, never worked
 * out again here, so what the lint says is what the board does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/effect.h"
#include "ledsign/lint.h"
#include "ledsign/sim.h"
#include "ledsign/template.h"

/* A fixed sample moment when none is given (2026-12-31 07:00 UTC), so
 * that the findings do not change from run to run. */
#define LINT_DEFAULT_AT 1798700400

struct lint_file {
	const char *name;
	const char *buf;
	size_t len;
	struct ls_playlist *pl; /* owned here until the player takes it */
	bool skipped;		/* not a playlist (a JSON Schema) */
	int counts[3];
};

struct ls_lint {
	struct ls_lint_options o;
	struct lint_file files[LS_LINT_MAX_FILES];
	int n_files;
	int adding; /* the file ls_lint_add() is parsing, for parser warnings */
	struct ls_player *player;
	int counts[3];
};

struct ls_lint *ls_lint_new(const struct ls_lint_options *o, struct ls_error *err)
{
	struct ls_lint *l = calloc(1, sizeof(*l));

	if (!l) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	l->o = *o;
	return l;
}

void ls_lint_free(struct ls_lint *l)
{
	if (!l)
		return;
	if (l->player)
		ls_player_free(l->player); /* and the playlists it was given */
	else
		for (int i = 0; i < l->n_files; i++)
			ls_playlist_free(l->files[i].pl);
	free(l);
}

static void emit(struct ls_lint *l, enum ls_lint_level level, int file, int line, int col,
		 const char *text)
{
	struct ls_lint_finding f = {level, file, line, col, text};

	l->counts[level]++;
	if (file >= 0 && file < l->n_files)
		l->files[file].counts[level]++;
	if (l->o.report)
		l->o.report(l->o.ctx, &f);
}

/* Line:col of path, or of the nearest enclosing value that exists (the
 * object a missing key belongs in; the document itself for ""). */
static bool locate_near(const char *buf, size_t len, const char *path, int *line, int *col)
{
	char p[128];

	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		if (!ls_playlist_locate(buf, len, p, line, col))
			return true;
		if (!p[0])
			return false;
		char *dot = strrchr(p, '.'), *br = strrchr(p, '[');
		*(dot && (!br || dot > br) ? dot : br ? br : p) = '\0';
	}
}

static void vreport(struct ls_lint *l, enum ls_lint_level level, int file, const char *path,
		    const char *fmt, va_list ap)
{
	const struct lint_file *f = &l->files[file];
	char text[LS_ERROR_MAX + 64], msg[LS_ERROR_MAX];
	int line = 0, col = 0;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), ls_tr(fmt), ap);
#pragma GCC diagnostic pop
	if (f->len && locate_near(f->buf, f->len, path, &line, &col))
		snprintf(text, sizeof(text), "%s:%d:%d: %s", f->name, line, col, msg);
	else
		snprintf(text, sizeof(text), "%s: %s", f->name, msg);
	emit(l, level, file, line, col, text);
}

void ls_lint_report(struct ls_lint *l, enum ls_lint_level level, int file, const char *path,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, level, file, path, fmt, ap);
	va_end(ap);
}

void ls_lint_item_report(const struct ls_lint_item *li, enum ls_lint_level level,
			 const char *suffix, const char *fmt, ...)
{
	char path[64], fmt2[LS_ERROR_MAX];
	va_list ap;

	snprintf(path, sizeof(path), "items[%d]%s", li->index, suffix);
	if (li->it->id && !suffix[0])
		snprintf(fmt2, sizeof(fmt2), "items[%d] (%.64s): %s", li->index, li->it->id,
			 ls_tr(fmt));
	else
		snprintf(fmt2, sizeof(fmt2), "items[%d]%s: %s", li->index, suffix, ls_tr(fmt));
	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vreport(li->lint, level, li->file, path, fmt2, ap);
#pragma GCC diagnostic pop
	va_end(ap);
}

/* A parser message is complete ("file:line:col: path: what"); its position
 * is read back from it for the finding's fields. */
static void report_parsed(struct ls_lint *l, enum ls_lint_level level, const char *msg)
{
	size_t n = strlen(l->files[l->adding].name);
	int line = 0, col = 0;

	if (!strncmp(msg, l->files[l->adding].name, n) &&
	    sscanf(msg + n, ":%d:%d:", &line, &col) != 2)
		line = col = 0;
	emit(l, level, l->adding, line, col, msg);
}

/* A key the format does not have is an error here, though a board ignores
 * it: a typo ("untill") would otherwise change what plays. */
static void on_unknown_key(void *ctx, const char *msg)
{
	report_parsed(ctx, LS_LINT_ERROR, msg);
}

static void on_parse_error(void *ctx, const char *msg)
{
	report_parsed(ctx, LS_LINT_ERROR, msg);
}

int ls_lint_add(struct ls_lint *l, const char *name, const char *buf, size_t len)
{
	struct lint_file *f;
	struct ls_error err;

	if (l->n_files == LS_LINT_MAX_FILES || l->player)
		return -1;
	f = &l->files[l->n_files];
	*f = (struct lint_file){.name = name, .buf = buf, .len = len};
	l->adding = l->n_files++;
	if (ls_playlist_is_schema(buf, len)) {
		f->skipped = true;
		ls_lint_report(l, LS_LINT_NOTE, l->adding, "",
			       "a JSON Schema, not a playlist: skipped");
		return -1;
	}
	f->pl = ls_playlist_parse_all(buf, len, name, on_unknown_key, on_parse_error, l, &err);
	if (!f->pl && !f->counts[LS_LINT_ERROR])
		report_parsed(l, LS_LINT_ERROR, err.msg);
	/* A picture that fails its checks refuses the playlist, on the board and here. */
	if (f->pl && !f->counts[LS_LINT_ERROR] && l->o.board &&
	    ls_playlist_attach_pictures(f->pl, name, l->o.board->pictures, &err))
		report_parsed(l, LS_LINT_ERROR, err.msg);
	if (f->pl && f->counts[LS_LINT_ERROR]) { /* unknown keys: refused here */
		ls_playlist_free(f->pl);
		f->pl = NULL;
	}
	return f->pl ? 0 : -1;
}

void ls_lint_add_failure(struct ls_lint *l, const char *name, const char *msg)
{
	if (l->n_files == LS_LINT_MAX_FILES || l->player)
		return;
	l->files[l->n_files] = (struct lint_file){.name = name};
	emit(l, LS_LINT_ERROR, l->n_files++, 0, 0, msg);
}

/* Item checks. */

static void check_templates(const struct ls_lint_item *li)
{
	const struct ls_item *it = li->it;
	struct ls_error err;
	char suffix[24];

	if (it->text && ls_template_check(it->text, &err))
		ls_lint_item_report(li, LS_LINT_ERROR, ".text", "%s", err.msg);
	for (int i = 0; i < it->n_lines; i++) {
		snprintf(suffix, sizeof(suffix), ".lines[%d]", i);
		if (ls_template_check(it->lines[i], &err))
			ls_lint_item_report(li, LS_LINT_ERROR, suffix, "%s", err.msg);
	}
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0) ? 29 : dm[m - 1];
}

/* The local civil minute after *tm (only the date and time fields). */
static void next_minute(struct tm *tm)
{
	if (++tm->tm_min < 60)
		return;
	tm->tm_min = 0;
	if (++tm->tm_hour < 24)
		return;
	tm->tm_hour = 0;
	if (++tm->tm_mday <= days_in_month(tm->tm_year + 1900, tm->tm_mon + 1))
		return;
	tm->tm_mday = 1;
	if (++tm->tm_mon < 12)
		return;
	tm->tm_mon = 0;
	tm->tm_year++;
}

static void tm_of_civil(int64_t packed, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_min = (int)(packed % 100);
	tm->tm_hour = (int)(packed / 100 % 100);
	tm->tm_mday = (int)(packed / 10000 % 100);
	tm->tm_mon = (int)(packed / 1000000 % 100) - 1;
	tm->tm_year = (int)(packed / 100000000) - 1900;
}

/* Whether the scheduler ever finds the item's dates, days and windows true:
 * a campaign of eight days or more meets every weekday, so only shorter ones
 * are walked, minute by minute, through the scheduler's own rule. */
static bool can_ever_play(const struct ls_item *it)
{
	struct tm tm;
	int64_t t;

	if (!(it->days & 0x7f))
		return false;
	if (!it->from || !it->until)
		return true;
	tm_of_civil(it->from, &tm);
	for (int n = 0; n < 8 * 24 * 60; n++, next_minute(&tm)) {
		t = ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				  tm.tm_min);
		if (t >= it->until)
			return false;
		if (ls_schedule_item_active_local(it, &tm))
			return true;
	}
	return true;
}

static void check_days(const struct ls_lint_item *li)
{
	const struct ls_item *it = li->it;

	if (!(it->days & 0x7f))
		ls_lint_item_report(li, LS_LINT_WARNING, ".days",
				    "the list is empty, so it never plays; list days such as "
				    "[\"mon-fri\"] or drop the key");
	else if (!can_ever_play(it) && it->n_windows)
		ls_lint_item_report(li, LS_LINT_WARNING, "",
				    "never plays: none of its windows falls on one of its days "
				    "between \"from\" and \"until\"; widen the dates or fix the "
				    "windows");
	else if (!can_ever_play(it))
		ls_lint_item_report(li, LS_LINT_WARNING, "",
				    "never plays: none of its days falls between \"from\" and "
				    "\"until\"; widen the dates or fix the days");
}

static void check_over(const struct ls_lint_item *li)
{
	const struct ls_lint_options *o = &li->lint->o;
	const struct ls_item *it = li->it;
	struct tm tm;

	if (!o->have_at || !it->until)
		return;
	o->localtime(it->timezone ? it->timezone : o->board->timezone, o->at, &tm);
	if (ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min) >=
	    it->until)
		ls_lint_item_report(li, LS_LINT_WARNING, ".until",
				    "the campaign is already over at --at; remove the item or "
				    "move \"until\"");
}

static void check_targeting(const struct ls_lint_item *li)
{
	const struct ls_lint_options *o = &li->lint->o;

	if (o->check_tags && !ls_schedule_tags_match(li->it, o->board->tags, o->board->n_tags))
		ls_lint_item_report(li, LS_LINT_NOTE, "",
				    "not for this board (its tags do not match --tags)");
}

static void check_interrupt(const struct ls_lint_item *li)
{
	const struct ls_playlist *pl = li->pl;
	int max_other = -1;

	if (!li->it->interrupt)
		return;
	for (int i = 0; i < pl->n_items; i++)
		if (i != li->index && !pl->items[i].interrupt && pl->items[i].priority > max_other)
			max_other = pl->items[i].priority;
	if (max_other >= 0 && li->it->priority <= max_other)
		ls_lint_item_report(li, LS_LINT_WARNING, ".interrupt",
				    "it only cuts items of a lower priority, and its priority %d "
				    "is not above the others' %d; raise \"priority\"",
				    li->it->priority, max_other);
}

static void check_id(const struct ls_lint_item *li)
{
	for (int i = 0; i < li->index; i++)
		if (li->pl->items[i].id && li->it->id && !strcmp(li->pl->items[i].id, li->it->id))
			ls_lint_item_report(li, LS_LINT_WARNING, ".id",
					    "\"%s\" is also items[%d]'s id; give each item its own "
					    "id",
					    li->it->id, i);
}

/* Whether li's item is the first of its playlist without its own key. */
static bool first_inheritor(const struct ls_lint_item *li, const char *key)
{
	const struct lint_file *f = &li->lint->files[li->file];
	char path[48];
	int line, col;

	for (int i = 0; i < li->index; i++) {
		snprintf(path, sizeof(path), "items[%d].%s", i, key);
		if (ls_playlist_locate(f->buf, f->len, path, &line, &col))
			return false;
	}
	return true;
}

/* The board refuses such a feed: glibc would play an unknown zone in UTC.
 * A zone the item inherits from "defaults" is blamed there, once. */
static void check_timezone(const struct ls_lint_item *li)
{
	const struct lint_file *f = &li->lint->files[li->file];
	const char *tz = li->it->timezone;
	char path[48];
	int line, col;

	if (!tz || !li->lint->o.tz_known || li->lint->o.tz_known(tz))
		return;
	snprintf(path, sizeof(path), "items[%d].timezone", li->index);
	if (!ls_playlist_locate(f->buf, f->len, path, &line, &col))
		ls_lint_item_report(li, LS_LINT_ERROR, ".timezone",
				    "%s is not a known time zone; use e.g. Asia/Ho_Chi_Minh", tz);
	else if (first_inheritor(li, "timezone"))
		ls_lint_report(li->lint, LS_LINT_ERROR, li->file, "defaults.timezone",
			       "defaults.timezone: %s is not a known time zone; use e.g. "
			       "Asia/Ho_Chi_Minh",
			       tz);
}

static void describe_cp(uint32_t cp, char *out, size_t n)
{
	char u[8] = "";

	if (cp >= 0x20 && cp < 0x80)
		snprintf(u, sizeof(u), "%c", (char)cp);
	else if (cp < 0x800)
		snprintf(u, sizeof(u), "%c%c", (char)(0xC0 | cp >> 6), (char)(0x80 | (cp & 0x3F)));
	else if (cp < 0x10000)
		snprintf(u, sizeof(u), "%c%c%c", (char)(0xE0 | cp >> 12),
			 (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F)));
	else if (cp < 0x110000)
		snprintf(u, sizeof(u), "%c%c%c%c", (char)(0xF0 | cp >> 18),
			 (char)(0x80 | ((cp >> 12) & 0x3F)), (char)(0x80 | ((cp >> 6) & 0x3F)),
			 (char)(0x80 | (cp & 0x3F)));
	snprintf(out, n, "U+%04X '%s'", (unsigned)cp, u);
}

/* Whether the lines fit the zone the way the player lays them out. */
static void check_lines(const struct ls_lint_item *li)
{
	const struct ls_player_layout *lo = li->layout;
	const struct ls_item *it = li->it;

	if (it->size > lo->rect.h)
		ls_lint_item_report(li, LS_LINT_NOTE, ".size",
				    "%d px is taller than its zone; the board draws the line %d "
				    "px high",
				    it->size, lo->line_h);
	if (lo->line_h < 6 || lo->n_lines * lo->line_h > lo->rect.h)
		ls_lint_item_report(li, LS_LINT_WARNING, "",
				    "%d line(s) of %d px do not fit a zone %d px high; use fewer "
				    "lines or a smaller size",
				    lo->n_lines, lo->line_h, lo->rect.h);
}

static void check_glyphs(const struct ls_lint_item *li)
{
	const struct ls_text_report *r = &li->layout->report;
	const char *suffix = li->it->n_lines ? ".lines" : ".text";
	char cp[32];

	if (r->missing) {
		describe_cp(r->first_missing, cp, sizeof(cp));
		ls_lint_item_report(li, LS_LINT_WARNING, suffix,
				    ls_ntr("%d character has no glyph in the board's fonts "
					   "(%s); it shows as a box: retype it or add a font",
					   "%d characters have no glyph in the board's fonts "
					   "(first %s); they show as boxes: retype them or add a "
					   "font",
					   (unsigned long)r->missing),
				    r->missing, cp);
	}
	if (r->clipped_rows) {
		describe_cp(r->first_clipped, cp, sizeof(cp));
		ls_lint_item_report(li, LS_LINT_WARNING, suffix,
				    ls_ntr("%d row of ink is clipped at %d px (%s); use a larger "
					   "size or fewer lines",
					   "%d rows of ink are clipped at %d px (first %s); use a "
					   "larger size or fewer lines",
					   (unsigned long)r->clipped_rows),
				    r->clipped_rows, li->layout->line_h, cp);
	}
	if (r->replaced)
		ls_lint_item_report(li, LS_LINT_WARNING, suffix,
				    "%d U+FFFD shown (a character lost in an earlier conversion); "
				    "retype the text from its source",
				    r->replaced);
	if (r->truncated_cols)
		ls_lint_item_report(li, LS_LINT_WARNING, suffix,
				    "the last %d px of text are not drawn (a line is at most %ld "
				    "pixels); shorten the text or use a smaller size",
				    r->truncated_cols, LS_STRIP_MAX_PIXELS);
}

/* A picture that loses most of its detail to the single-colour dither, or
 * leaves its text no room. */
static void check_picture(const struct ls_lint_item *li)
{
	const struct ls_player_layout *lo = li->layout;
	const struct ls_player_config *b = li->lint->o.board;

	if (lo->picture_box.w <= 0)
		return;
	if (b && b->mono && lo->detail_kept < 50)
		ls_lint_item_report(
		    li, LS_LINT_WARNING, ".picture",
		    "at %dx%d on this single-colour board the dithered picture keeps "
		    "%d%% of its detail; draw a simpler picture for the board, or "
		    "try \"dither\": \"threshold\"",
		    lo->picture_box.w, lo->picture_box.h, lo->detail_kept);
	if ((li->it->text || li->it->n_lines) && lo->rect.w <= 0)
		ls_lint_item_report(li, LS_LINT_WARNING, ".picture.width",
				    "the picture takes the whole zone, so the text is never shown; "
				    "give the picture a smaller \"width\"");
}

/* What the board draws: its zone, lines, fonts, glyphs, and whether a
 * static-type effect scrolls because the text is wider than the zone. */
static void check_fit(const struct ls_lint_item *li)
{
	const struct ls_player_layout *lo = li->layout;
	const struct ls_item *it = li->it;

	if (it->off || !lo)
		return;
	if (lo->zone < 0) {
		ls_lint_item_report(li, LS_LINT_WARNING, ".zone",
				    "no zone \"%s\" is declared, so it never plays; declare it in "
				    "\"zones\" or drop the key",
				    it->zone);
		return;
	}
	check_picture(li);
	check_lines(li);
	if (lo->font_fallback)
		ls_lint_item_report(li, LS_LINT_WARNING, ".font",
				    "\"%s\" cannot be opened here; the board falls back to its own "
				    "fonts",
				    it->font);
	if (lo->font_demoted)
		ls_lint_item_report(li, LS_LINT_WARNING, ".font",
				    "\"%s\" is not made for %d px lines, so the board draws this "
				    "text with %s and uses it only for characters the others lack; "
				    "use a font made for the height, or drop the key",
				    it->font, lo->line_h, lo->first_font);
	if (lo->no_font) {
		ls_lint_item_report(li, LS_LINT_WARNING, "",
				    "the board's fonts cannot be opened at %d px, so nothing is "
				    "drawn; check [display] font",
				    lo->line_h);
		return;
	}
	check_glyphs(li);
	if (lo->effect != it->effect)
		ls_lint_item_report(li, LS_LINT_WARNING, "",
				    "the text is %d px wide but its zone only %d px, so \"%s\" "
				    "scrolls instead; shorten it or use \"scroll-left\"",
				    lo->widest, lo->rect.w, ls_effect_name(it->effect));
}

/* What the text itself shows, whatever the font and whether the item plays:
 * a legacy encoding, control characters, lookalike letters (ls_text_check(),
 * the same findings the board's text report carries). */
static void check_text(const struct ls_lint_item *li)
{
	const struct ls_item *it = li->it;
	int n = it->n_lines ? it->n_lines : 1;

	for (int i = 0; i < n; i++) {
		const char *src = it->n_lines ? it->lines[i] : it->text;
		struct ls_text_report r;
		char msg[768], suffix[24] = ".text";

		if (!src)
			continue;
		memset(&r, 0, sizeof(r));
		ls_text_check(src, &r);
		if (!*ls_text_report_describe(&r, msg, sizeof(msg)))
			continue;
		if (it->n_lines)
			snprintf(suffix, sizeof(suffix), ".lines[%d]", i);
		ls_lint_item_report(li, LS_LINT_WARNING, suffix, "%s", msg);
	}
}

/* Characters drawn by a later font than the first: true, but only a note,
 * after what the text itself shows (a legacy encoding explains them first). */
static void check_fallback(const struct ls_lint_item *li)
{
	const struct ls_player_layout *lo = li->layout;
	char cp[32];

	if (li->it->off || !lo || lo->zone < 0 || lo->no_font || !lo->report.fallback)
		return;
	describe_cp(lo->report.first_fallback, cp, sizeof(cp));
	ls_lint_item_report(
	    li, LS_LINT_NOTE, li->it->n_lines ? ".lines" : ".text",
	    "%d character(s) are not in %s and come from a fallback font (first %s, "
	    "from %s); they may look unlike the rest",
	    lo->report.fallback, lo->first_font, cp, lo->fallback_font);
}

/* Each check of one item; a module with its own item checks lists them here. */
static const ls_lint_item_fn item_checks[] = {
    check_templates, check_days,     check_over, check_targeting, check_interrupt,
    check_id,	     check_timezone, check_fit,	 check_text,	  check_fallback,
};

/* Playlist checks. */

/* The parser refuses a default naming no item or an off item; a timed one
 * is legal but its times do nothing. */
static void check_default(struct ls_lint *l, int k)
{
	const struct ls_playlist *pl = l->files[k].pl;

	for (int i = 0; pl->default_item && i < pl->n_items; i++)
		if (!strcmp(pl->items[i].id, pl->default_item) &&
		    ls_schedule_item_is_timed(&pl->items[i]))
			ls_lint_report(l, LS_LINT_WARNING, k, "default",
				       "default: \"%s\" has from/until/days/windows, which a "
				       "default ignores: it plays whenever nothing else can",
				       pl->default_item);
}

/* A playlist whose items are all off darkens every zone it plays in. */
static void check_shows_something(struct ls_lint *l, int k)
{
	const struct ls_playlist *pl = l->files[k].pl;

	for (int i = 0; i < pl->n_items; i++)
		if (!pl->items[i].off)
			return;
	if (pl->n_items)
		ls_lint_report(l, LS_LINT_WARNING, k, "items",
			       "this playlist shows nothing: every item is off, so the board is "
			       "dark wherever it plays; add an item with text");
	else
		ls_lint_report(l, LS_LINT_WARNING, k, "items",
			       "this playlist shows nothing: it has no items, so the board is "
			       "dark wherever it plays; add an item with text");
}

/* Whether the daily windows of a and b share a minute (none: all day). */
static bool windows_meet(const struct ls_item *a, const struct ls_item *b)
{
	uint8_t mins[24 * 60 / 8] = {0};

	for (int pass = 0; pass < 2; pass++) {
		const struct ls_item *it = pass ? b : a;
		for (int m = 0; m < 24 * 60; m++) {
			bool on = !it->n_windows;
			for (int w = 0; !on && w < it->n_windows; w++) {
				const struct ls_window *win = &it->windows[w];
				on = win->start < win->end ? m >= win->start && m < win->end
							   : m >= win->start || m < win->end;
			}
			if (on && pass && (mins[m / 8] & (1 << (m % 8))))
				return true;
			if (on && !pass)
				mins[m / 8] |= (uint8_t)(1 << (m % 8));
		}
	}
	return false;
}

/* Whether two items can be eligible at the same moment on one board: the
 * same zone, a tag in common (or none), campaigns, days and daily windows
 * that meet. */
static bool can_meet(const struct ls_item *a, const struct ls_item *b)
{
	bool tags = !a->n_tags || !b->n_tags;

	if ((a->zone || b->zone) && (!a->zone || !b->zone || strcmp(a->zone, b->zone)))
		return false;
	for (int i = 0; i < a->n_tags && !tags; i++)
		for (int j = 0; j < b->n_tags && !tags; j++)
			tags = !strcmp(a->tags[i], b->tags[j]);
	if (!tags || !(a->days & b->days & 0x7f))
		return false;
	if ((a->until && b->from && a->until <= b->from) ||
	    (b->until && a->from && b->until <= a->from))
		return false;
	return windows_meet(a, b);
}

/* Two interrupts that can be on together: only one cuts in (the higher
 * priority, or they take turns), which an editor rarely means. */
static void check_interrupt_overlap(struct ls_lint *l, int k)
{
	const struct ls_playlist *pl = l->files[k].pl;
	char path[32];

	for (int i = 0; i < pl->n_items; i++)
		for (int j = 0; pl->items[i].interrupt && j < i; j++) {
			if (!pl->items[j].interrupt || !can_meet(&pl->items[i], &pl->items[j]))
				continue;
			snprintf(path, sizeof(path), "items[%d]", i);
			if (pl->items[i].priority == pl->items[j].priority)
				ls_lint_report(
				    l, LS_LINT_WARNING, k, path,
				    "items[%d] (%s).interrupt: it can be on at the same "
				    "time as the interrupt items[%d] (%s), and then only "
				    "one plays at a time, in turns; give them times that "
				    "do not overlap",
				    i, pl->items[i].id, j, pl->items[j].id);
			else
				ls_lint_report(
				    l, LS_LINT_WARNING, k, path,
				    "items[%d] (%s).interrupt: it can be on at the same "
				    "time as the interrupt items[%d] (%s), and then only "
				    "the higher priority one plays; give them times that "
				    "do not overlap",
				    i, pl->items[i].id, j, pl->items[j].id);
			break;
		}
}

static void check_zones(struct ls_lint *l, int k)
{
	const struct ls_playlist *pl = l->files[k].pl;
	const struct ls_player_config *b = l->o.board;
	char path[32];

	for (int i = 0; i < pl->n_zones; i++) {
		const struct ls_zone *z = &pl->zones[i];
		snprintf(path, sizeof(path), "zones[%d]", i);
		if (z->x + z->width > b->width || z->y + z->height > b->height)
			ls_lint_report(l, LS_LINT_WARNING, k, path,
				       "zones[%d] (%s): %dx%d at %d,%d reaches outside the %dx%d "
				       "board; it is clipped",
				       i, z->name, z->width, z->height, z->x, z->y, b->width,
				       b->height);
	}
}

/* The player that lays the items out, holding every parsed playlist in the
 * order given (zones come from the first that declares any, as on a board);
 * NULL when the board's fonts cannot be opened (reported). */
static struct ls_player *make_player(struct ls_lint *l)
{
	struct ls_playlist **pls = calloc((size_t)l->n_files + 1, sizeof(*pls));
	struct ls_player *p;
	struct ls_error err;
	int n = 0;

	if (!pls)
		return NULL;
	p = ls_player_new(l->o.board, &err);
	if (!p) {
		free(pls);
		for (int k = 0; k < l->n_files; k++)
			if (l->files[k].pl)
				ls_lint_report(l, LS_LINT_WARNING, k, "",
					       "the board's fonts cannot be opened, so the text is "
					       "not checked: %s",
					       err.msg);
		return NULL;
	}
	for (int k = 0; k < l->n_files; k++)
		if (l->files[k].pl)
			pls[n++] = l->files[k].pl;
	ls_player_set_playlists(p, pls, n);
	return p;
}

static void check_file(struct ls_lint *l, int k, const struct ls_now *now)
{
	const struct ls_playlist *pl = l->files[k].pl;
	struct ls_player_layout lo;

	check_default(l, k);
	for (int i = 0; i < pl->n_items; i++) {
		struct ls_lint_item li = {l, k, i, pl, &pl->items[i], NULL, now};
		if (l->player) {
			ls_player_layout(l->player, li.it, now, &lo);
			li.layout = &lo;
		}
		for (size_t c = 0; c < sizeof(item_checks) / sizeof(item_checks[0]); c++)
			item_checks[c](&li);
	}
	check_zones(l, k);
	check_shows_something(l, k);
	check_interrupt_overlap(l, k);
}

void ls_lint_run(struct ls_lint *l)
{
	struct ls_sim sim;
	struct ls_now now;

	ls_sim_init(&sim, l->o.board->timezone, l->o.have_at ? l->o.at : LINT_DEFAULT_AT, 1000,
		    l->o.localtime);
	ls_sim_now(&sim, &now);
	if (!l->player)
		l->player = make_player(l);
	for (int k = 0; k < l->n_files; k++)
		if (l->files[k].pl)
			check_file(l, k, &now);
}

int ls_lint_count(const struct ls_lint *l, enum ls_lint_level level)
{
	return l->counts[level];
}

int ls_lint_file_count(const struct ls_lint *l, int file, enum ls_lint_level level)
{
	return file >= 0 && file < l->n_files ? l->files[file].counts[level] : 0;
}

bool ls_lint_skipped(const struct ls_lint *l, int file)
{
	return file >= 0 && file < l->n_files && l->files[file].skipped;
}

const struct ls_playlist *ls_lint_playlist(const struct ls_lint *l, int file)
{
	return file >= 0 && file < l->n_files ? l->files[file].pl : NULL;
}
