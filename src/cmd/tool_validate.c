/*
 * tool_validate.c: `ledsign validate` checks playlists the way a board will
 * read them, and then some: syntax errors with file:line:col, semantic errors
 * with the JSON path and a fix, and warnings for what is legal but probably
 * wrong (unknown keys, text that does not fit the board's fonts, items that can
 * never play). Exit status 0 when every file is usable, 1 otherwise.
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/effect.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"
#include "ledsign/template.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"

#define FONT_SLOTS 8
#define MAX_FILES 64

struct font_slot {
	const char *font;
	int height;
	struct ls_fontset *fs; /* NULL with tried: the font cannot be opened */
	bool tried;
};

struct vstate {
	struct ls_config cfg;
	int width, height;
	bool mono;
	const char *tags[LS_MAX_TAGS];
	int n_tags;
	bool have_tags;
	int64_t at;
	bool have_at;
	bool quiet;
	struct font_slot fonts[FONT_SLOTS];
	int errors, warnings;
	struct ls_playlist
	    *pls[MAX_FILES]; /* every file that parsed, for zones declared elsewhere */
	const char *files[MAX_FILES];
	int parse_warnings[MAX_FILES]; /* unknown keys found while parsing each file */
	char *bufs[MAX_FILES];	       /* each file's text, to give line:col for a JSON path */
	size_t lens[MAX_FILES];
	char where[PATH_MAX + 32]; /* "file:line:col" of the last at() */
	int n_pls;
};

static void verror(struct vstate *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vwarn(struct vstate *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void verror(struct vstate *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("error: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	v->errors++;
}

static void vwarn(struct vstate *v, const char *fmt, ...)
{
	va_list ap;

	v->warnings++;
	if (v->quiet)
		return;
	va_start(ap, fmt);
	fputs("warning: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* "file:line:col" of path in the file being checked (k), or "file" when not found. */
static const char *at(struct vstate *v, int k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *at(struct vstate *v, int k, const char *fmt, ...)
{
	char path[128];
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (ls_playlist_locate(v->bufs[k], v->lens[k], path, &line, &col))
		snprintf(v->where, sizeof(v->where), "%s", v->files[k]);
	else
		snprintf(v->where, sizeof(v->where), "%s:%d:%d", v->files[k], line, col);
	return v->where;
}

static void on_parse_warning(void *ctx, const char *msg)
{
	vwarn(ctx, "%s", msg);
}

static void validate_usage(FILE *f)
{
	fprintf(f, "usage: ledsign validate FILE... [--board CONFIG|WxH[:mono|rgb]] [--tags a,b] "
		   "[--at TIME] [-q]\n"
		   "  --board, -c  the board whose fonts and size the text must fit (default "
		   "192x16 mono)\n"
		   "  --tags       the board's tags, to say which items it would never play\n"
		   "  --at         \"YYYY-MM-DD HH:MM\": also warn about campaigns already over at "
		   "that time\n"
		   "  -q           errors only\n"
		   "Exit status: 0 when every file is usable (warnings allowed), 1 otherwise.\n");
}

static struct ls_fontset *font_for(struct vstate *v, const char *font, int height)
{
	const char *chain[LS_MAX_FONTS + 1];
	struct font_slot *s;
	int n = 0;

	for (int i = 0; i < FONT_SLOTS; i++) {
		s = &v->fonts[i];
		if (s->tried && s->height == height &&
		    ((!font && !s->font) || (font && s->font && !strcmp(font, s->font))))
			return s->fs;
	}
	for (int i = 0; i < FONT_SLOTS; i++)
		if (!v->fonts[i].tried)
			break;
	s = &v->fonts[FONT_SLOTS - 1];
	for (int i = 0; i < FONT_SLOTS; i++)
		if (!v->fonts[i].tried) {
			s = &v->fonts[i];
			break;
		}
	ls_fontset_free(s->fs);
	if (font)
		chain[n++] = font;
	for (int i = 0; i < v->cfg.display.n_fonts && n < LS_FONTSET_MAX; i++)
		chain[n++] = v->cfg.display.fonts[i];
	s->font = font;
	s->height = height;
	s->tried = true;
	s->fs = ls_fontset_open(chain, n, height, v->mono, NULL);
	return s->fs;
}

/* The rectangle an item plays in: its zone, or the whole board. */
static bool zone_rect(const struct vstate *v, const struct ls_playlist *pl,
		      const struct ls_item *it, int *w, int *h)
{
	const struct ls_playlist *src = pl->n_zones ? pl : NULL;

	*w = v->width;
	*h = v->height;
	for (int f = 0; !src && f < v->n_pls; f++)
		if (v->pls[f]->n_zones)
			src = v->pls[f];
	if (!src)
		return !it->zone || !strcmp(it->zone, "main");
	for (int i = 0; i < src->n_zones; i++) {
		const struct ls_zone *z = &src->zones[i];
		if ((it->zone && !strcmp(it->zone, z->name)) ||
		    (!it->zone && !strcmp(z->name, "main"))) {
			*w = z->width;
			*h = z->height;
			return true;
		}
	}
	if (!it->zone) { /* the first zone takes items without one */
		*w = src->zones[0].width;
		*h = src->zones[0].height;
		return true;
	}
	return false;
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
	snprintf(out, n, "U+%04X '%s'", (unsigned)cp, u);
}

/* A sample moment for template expansion: --at, or a fixed date, never the
 * wall clock, so the output does not change from run to run. */
static struct ls_template_ctx sample_ctx(const struct vstate *v)
{
	struct ls_template_ctx c = {.clock_valid = true, .board = v->cfg.board.name};

	ls_localtime(v->cfg.board.timezone, v->have_at ? v->at : 1798700400 /* 2026-12-31 */,
		     &c.local);
	return c;
}

static void check_fit(struct vstate *v, const char *file, const struct ls_playlist *pl, int idx)
{
	const struct ls_item *it = &pl->items[idx];
	struct ls_template_ctx tc = sample_ctx(v);
	int n = it->n_lines ? it->n_lines : 1, zw, zh, line_h, widest = 0;
	char buf[LS_TEXT_MAX_BYTES * 2], cp[32];
	struct ls_fontset *fs;

	if (it->off)
		return;
	if (!zone_rect(v, pl, it, &zw, &zh)) {
		vwarn(v,
		      "%s: items[%d] (%s).zone: no zone \"%s\" is declared; declare it in "
		      "\"zones\" or drop the key",
		      file, idx, it->id, it->zone);
		return;
	}
	line_h = it->size ? it->size : zh / n;
	if (!it->size && n == 1 && zh >= 32)
		line_h = zh;
	if (line_h < 6 || n * line_h > zh) {
		vwarn(v,
		      "%s: items[%d] (%s): %d line(s) of %d px do not fit a zone %d px high; use "
		      "fewer lines or a smaller size",
		      file, idx, it->id, n, line_h, zh);
		if (line_h < 6)
			return;
	}
	fs = font_for(v, it->font, line_h);
	if (!fs && it->font) {
		vwarn(v,
		      "%s: items[%d] (%s).font: \"%s\" cannot be opened here; the board falls back "
		      "to its own fonts",
		      file, idx, it->id, it->font);
		fs = font_for(v, NULL, line_h);
	}
	if (!fs) {
		vwarn(v, "%s: the board's fonts cannot be opened at %d px; check [display] font",
		      file, line_h);
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *src = it->n_lines ? it->lines[i] : it->text;
		struct ls_text_report rep = {0};
		struct ls_strip *strip;
		char where[64];

		snprintf(where, sizeof(where), it->n_lines ? "lines[%d]" : "text", i);
		if (ls_template_expand(src, &tc, buf, sizeof(buf), NULL) < 0)
			continue; /* reported by the template check */
		strip = ls_text_render(fs, buf, &rep);
		if (strip && strip->width > widest)
			widest = strip->width;
		ls_strip_free(strip);
		if (rep.missing) {
			describe_cp(rep.first_missing, cp, sizeof(cp));
			vwarn(v,
			      "%s: items[%d].%s: %d character(s) have no glyph in the board's "
			      "fonts (first %s); they show as boxes: retype them or add a font",
			      file, idx, where, rep.missing, cp);
		}
		if (rep.clipped_rows) {
			describe_cp(rep.first_clipped, cp, sizeof(cp));
			vwarn(v,
			      "%s: items[%d].%s: %d row(s) of ink are clipped at %d px (first %s); "
			      "use a larger size or fewer lines",
			      file, idx, where, rep.clipped_rows, line_h, cp);
		}
		if (rep.replaced)
			vwarn(v, "%s: items[%d].%s: %d invalid byte(s) shown as U+FFFD", file, idx,
			      where, rep.replaced);
		if (rep.truncated_cols)
			vwarn(
			    v,
			    "%s: items[%d].%s: the last %d px of text are not drawn (a line is at "
			    "most %ld pixels); shorten the text or use a smaller size",
			    file, idx, where, rep.truncated_cols, LS_STRIP_MAX_PIXELS);
	}
	if (widest > zw && it->effect != LS_EFFECT_SCROLL_LEFT && it->effect != LS_EFFECT_SCROLL_UP)
		vwarn(v,
		      "%s: items[%d] (%s): the text is %d px wide but its zone only %d px, so "
		      "\"%s\" scrolls instead; shorten it or use \"scroll-left\"",
		      file, idx, it->id, widest, zw, ls_effect_name(it->effect));
}

static void check_templates(struct vstate *v, int k, const struct ls_item *it, int idx)
{
	struct ls_error err;

	if (it->text && ls_template_check(it->text, &err))
		verror(v, "%s: items[%d].text: %s", at(v, k, "items[%d].text", idx), idx, err.msg);
	for (int i = 0; i < it->n_lines; i++)
		if (ls_template_check(it->lines[i], &err))
			verror(v, "%s: items[%d].lines[%d]: %s",
			       at(v, k, "items[%d].lines[%d]", idx, i), idx, i, err.msg);
}

/* What the text itself shows, whatever the font: a legacy encoding, control
 * characters, lookalike letters (ls_text_check(), as the board reports them). */
static void check_text(struct vstate *v, int k, const struct ls_item *it, int idx)
{
	int n = it->n_lines ? it->n_lines : 1;

	for (int i = 0; i < n; i++) {
		const char *src = it->n_lines ? it->lines[i] : it->text;
		struct ls_text_report r;
		char msg[768], path[48];

		if (!src)
			continue;
		memset(&r, 0, sizeof(r));
		ls_text_check(src, &r);
		if (!*ls_text_report_describe(&r, msg, sizeof(msg)))
			continue;
		if (it->n_lines)
			snprintf(path, sizeof(path), "items[%d].lines[%d]", idx, i);
		else
			snprintf(path, sizeof(path), "items[%d].text", idx);
		vwarn(v, "%s: %s: %s", at(v, k, "%s", path), path, msg);
	}
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

/* Whether the item's dates, days and windows ever hold: a campaign of a week
 * or more meets every weekday, so only shorter ones are walked minute by minute. */
static bool can_ever_play(const struct ls_item *it)
{
	struct tm tm;
	time_t t, end;

	if (!(it->days & 0x7f))
		return false;
	if (!it->from || !it->until)
		return true;
	tm_of_civil(it->from, &tm);
	t = timegm(&tm);
	tm_of_civil(it->until, &tm);
	end = timegm(&tm);
	if (end - t >= 8 * 86400)
		return true;
	for (; t < end; t += 60) {
		gmtime_r(&t, &tm);
		if (ls_schedule_item_active_local(it, &tm))
			return true;
	}
	return false;
}

static void check_schedule(struct vstate *v, const char *file, const struct ls_playlist *pl,
			   int idx)
{
	const struct ls_item *it = &pl->items[idx];
	int max_other = -1;

	if (!(it->days & 0x7f))
		vwarn(v,
		      "%s: items[%d] (%s).days: the list is empty, so it never plays; list days "
		      "such as [\"mon-fri\"] or drop the key",
		      file, idx, it->id);
	else if (!can_ever_play(it))
		vwarn(v,
		      "%s: items[%d] (%s): never plays: %s between \"from\" and \"until\"; widen "
		      "the dates or fix the %s",
		      file, idx, it->id,
		      it->n_windows ? "none of its windows falls on one of its days"
				    : "none of its days falls",
		      it->n_windows ? "windows" : "days");
	if (v->have_at && it->until) {
		struct tm tm;
		ls_localtime(it->timezone ? it->timezone : v->cfg.board.timezone, v->at, &tm);
		if (ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				  tm.tm_min) >= it->until)
			vwarn(v,
			      "%s: items[%d] (%s).until: the campaign is already over at --at; "
			      "remove the item or move \"until\"",
			      file, idx, it->id);
	}
	if (v->have_tags && !ls_schedule_tags_match(it, v->tags, v->n_tags) && !v->quiet)
		printf(
		    "note: %s: items[%d] (%s): not for this board (its tags do not match --tags)\n",
		    file, idx, it->id);
	for (int i = 0; i < pl->n_items; i++)
		if (i != idx && !pl->items[i].interrupt && pl->items[i].priority > max_other)
			max_other = pl->items[i].priority;
	if (it->interrupt && max_other >= 0 && it->priority <= max_other)
		vwarn(v,
		      "%s: items[%d] (%s).interrupt: it only cuts items of a lower priority, and "
		      "its priority %d is not above the others' %d; raise \"priority\"",
		      file, idx, it->id, it->priority, max_other);
	for (int i = 0; i < idx; i++)
		if (pl->items[i].id && it->id && !strcmp(pl->items[i].id, it->id))
			vwarn(v,
			      "%s: items[%d].id: \"%s\" is also items[%d]'s id; give each item its "
			      "own id",
			      file, idx, it->id, i);
	/* The board refuses such a feed: glibc would play an unknown zone in UTC. */
	if (it->timezone && !ls_tz_known(it->timezone))
		verror(v,
		       "%s: items[%d].timezone: %s is not a known time zone; use e.g. "
		       "Asia/Ho_Chi_Minh",
		       file, idx, it->timezone);
}

static void check_default(struct vstate *v, int k, const struct ls_playlist *pl)
{
	const char *file = at(v, k, "default");

	if (!pl->default_item)
		return;
	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item *it = &pl->items[i];
		if (!it->id || strcmp(it->id, pl->default_item))
			continue;
		if (it->off)
			verror(v, "%s: default: \"%s\" is an off item; name an item with text",
			       file, pl->default_item);
		else if (ls_schedule_item_is_timed(it))
			vwarn(v,
			      "%s: default: \"%s\" has from/until/days/windows, which a default "
			      "ignores: it plays whenever nothing else can",
			      file, pl->default_item);
		return;
	}
	verror(v, "%s: default: no item has the id \"%s\"; name one of the items' ids", file,
	       pl->default_item);
}

/* Parses one file into slot v->n_pls, keeping its text for positions. */
static struct ls_playlist *parse_file(struct vstate *v, const char *path)
{
	struct ls_playlist *pl;
	struct ls_error err;
	size_t len;
	char *buf = ls_playlist_read(path, &len, &err);

	if (!buf) {
		verror(v, "%s", err.msg);
		return NULL;
	}
	pl = ls_playlist_parse_ex(buf, len, path, on_parse_warning, v, &err);
	if (!pl) {
		verror(v, "%s", err.msg);
		free(buf);
		return NULL;
	}
	v->bufs[v->n_pls] = buf;
	v->lens[v->n_pls] = len;
	return pl;
}

static void check_playlist(struct vstate *v, int k)
{
	const char *file = v->files[k];
	const struct ls_playlist *pl = v->pls[k];
	int e0 = v->errors, w0 = v->warnings - v->parse_warnings[k];

	check_default(v, k, pl);
	for (int i = 0; i < pl->n_items; i++) {
		check_templates(v, k, &pl->items[i], i);
		check_text(v, k, &pl->items[i], i);
		check_schedule(v, file, pl, i);
		check_fit(v, file, pl, i);
	}
	for (int i = 0; i < pl->n_zones; i++) {
		const struct ls_zone *z = &pl->zones[i];
		if (z->x + z->width > v->width || z->y + z->height > v->height)
			vwarn(v,
			      "%s: zones[%d] (%s): %dx%d at %d,%d reaches outside the %dx%d board; "
			      "it is clipped",
			      file, i, z->name, z->width, z->height, z->x, z->y, v->width,
			      v->height);
	}
	if (!v->quiet)
		printf("%s: %s: %d item(s), %d error(s), %d warning(s)\n", file,
		       v->errors > e0 ? "FAILED" : "ok", pl->n_items, v->errors - e0,
		       v->warnings - w0);
}

static int parse_options(struct vstate *v, int argc, char **argv, const char **board,
			 const char **tags, const char **at)
{
	static const struct option longopts[] = {
	    {"board", required_argument, NULL, 'b'},
	    {"config", required_argument, NULL, 'b'},
	    {"tags", required_argument, NULL, 't'},
	    {"at", required_argument, NULL, 'a'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "b:c:t:a:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
		case 'c':
			*board = optarg;
			break;
		case 't':
			*tags = optarg;
			break;
		case 'a':
			*at = optarg;
			break;
		case 'q':
			v->quiet = true;
			break;
		case 'h':
			validate_usage(stdout);
			return 0;
		default:
			validate_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		validate_usage(stderr);
		return 2;
	}
	return -1;
}

int tool_validate(int argc, char **argv)
{
	struct vstate *v = calloc(1, sizeof(*v));
	const char *board = NULL, *tags = NULL, *at = NULL;
	struct ls_error err;
	int r = 1, first;

	if (!v)
		return fprintf(stderr, "ledsign validate: out of memory\n"), 1;
	if ((r = parse_options(v, argc, argv, &board, &tags, &at)) >= 0)
		goto out;
	r = 1;
	first = optind;
	if (argc - first > MAX_FILES) {
		fprintf(stderr, "ledsign validate: at most %d files at once\n", MAX_FILES);
		goto out;
	}
	if ((r = tool_setup_board("validate", board, tags, &v->cfg)))
		goto out;
	r = 1;
	ls_panel_canvas_size(&v->cfg.panel, &v->width, &v->height);
	v->mono = v->cfg.panel.type == LS_PANEL_HUB12;
	v->have_tags = tags != NULL;
	for (int i = 0; i < v->cfg.board.n_tags; i++)
		v->tags[v->n_tags++] = v->cfg.board.tags[i];
	if (at && ls_time_parse_local(at, v->cfg.board.timezone, &v->at, &err)) {
		fprintf(stderr, "ledsign validate: --at %s\n", err.msg);
		r = 2;
		goto out;
	}
	v->have_at = at != NULL;
	/* Parse every file first: a zone may be declared in another file of the set. */
	for (int i = first; i < argc; i++) {
		int w0 = v->warnings;
		struct ls_playlist *pl = parse_file(v, argv[i]);
		if (pl) {
			v->parse_warnings[v->n_pls] = v->warnings - w0;
			v->files[v->n_pls] = argv[i];
			v->pls[v->n_pls++] = pl;
		} else if (!v->quiet) {
			printf("%s: FAILED\n", argv[i]);
		}
	}
	for (int k = 0; k < v->n_pls; k++)
		check_playlist(v, k);
	r = v->errors ? 1 : 0;
out:
	for (int i = 0; i < FONT_SLOTS; i++)
		ls_fontset_free(v->fonts[i].fs);
	for (int i = 0; i < v->n_pls; i++) {
		ls_playlist_free(v->pls[i]);
		free(v->bufs[i]);
	}
	free(v);
	return r;
}
