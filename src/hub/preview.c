/*
 * preview.c: the studio's pictures, drawn on the server by the code the
 * boards run. A board size becomes a board configuration as `ledsign
 * preview --board WxH` makes it (the default red P10 panel, the project's
 * fonts); the animation is one item played alone through the player
 * (ls_preview_one_item, as the contact sheet plays it) frame by frame at the
 * board's moments; the timeline drives the real player on the simulated
 * clock (sim.h), as `ledsign schedule` does, and books what each zone
 * played. The GIF and PNG writers write files, so pictures pass through a
 * private temporary file in the hub's state directory.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/player.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/preview_file.h"
#include "ledsign/sim.h"
#include "studio.h"

#define PICTURE_MAX_W 1152 /* pixels: the scale shrinks for wide boards */
#define TIMELINE_STEP_MS 2000
#define TIMELINE_MAX_PERIODS 1000 /* per zone */
#define TIMELINE_MAX_ITEMS LS_PLAYLIST_MAX_ITEMS

static const char PLAYLIST_NAME[] = "playlist.json";

int hub_board_kind_parse(const char *spec, struct hub_board_kind *b, struct ls_error *err)
{
	int n = 0;

	*b = (struct hub_board_kind){0};
	if (!spec || sscanf(spec, "%4dx%4d%n", &b->w, &b->h, &n) != 2 ||
	    (spec[n] && strcmp(spec + n, ":rgb") && strcmp(spec + n, ":mono")))
		return ls_error_set(err,
				    "board '%.40s': write WIDTHxHEIGHT, e.g. 192x16 or 64x32:rgb",
				    spec ? spec : "");
	if (b->w < 8 || b->h < 8 || b->w > 1024 || b->h > 1024 ||
	    (long)b->w * b->h > HUB_STUDIO_MAX_LEDS)
		return ls_error_set(err,
				    "board %dx%d: the studio draws boards of 8..1024 LEDs a side "
				    "and at most %d LEDs",
				    b->w, b->h, HUB_STUDIO_MAX_LEDS);
	b->rgb = !strcmp(spec + n, ":rgb");
	return 0;
}

void hub_board_kind_name(const struct hub_board_kind *b, char *out, size_t n)
{
	snprintf(out, n, "%dx%d%s", b->w, b->h, b->rgb ? ":rgb" : "");
}

/* ---- a board of a given size ---- */

struct board {
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st;
};

/* The board `ledsign preview --board WxH[:rgb]` describes, with tags. */
static struct board *board_new(const struct hub_board_kind *b, const char *tags,
			       const struct ls_picture_provider *pics, struct ls_error *err)
{
	struct board *bd = calloc(1, sizeof(*bd));
	int scale;

	if (!bd) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	ls_config_of_size(&bd->cfg, b->w, b->h, b->rgb);
	for (const char *p = tags ? tags : ""; *p && bd->cfg.board.n_tags < LS_MAX_TAGS;) {
		size_t k = strcspn(p, ",");
		if (k && k < LS_TAG_MAX)
			snprintf(bd->cfg.board.tags[bd->cfg.board.n_tags++], LS_TAG_MAX, "%.*s",
				 (int)k, p);
		p += k + (p[k] == ',');
	}
	ls_player_config_from(&bd->pc, &bd->cfg);
	bd->pc.pictures = pics; /* never the hub's working directory */
	scale = PICTURE_MAX_W / b->w;
	ls_preview_style_of(&bd->st, &bd->pc, b->w, b->h, scale < 2 ? 2 : scale > 6 ? 6 : scale);
	return bd;
}

static struct ls_sheet sheet_of(const struct board *bd, int64_t at, int fps, const char **body,
				const size_t *len)
{
	static const char *const names[] = {PLAYLIST_NAME};

	return (struct ls_sheet){.pc = &bd->pc,
				 .st = &bd->st,
				 .wall = at,
				 .fps = fps,
				 .localtime = ls_localtime,
				 .words = hub_tr, /* the request's language */
				 .n_files = 1,
				 .names = names,
				 .bufs = body,
				 .lens = len};
}

/* ---- files in and out ---- */

static void temp_path(const char *dir, const char *ext, char *out, size_t n)
{
	static unsigned counter;

	snprintf(out, n, "%s/.studio-%ld-%u.%s", dir, (long)getpid(), counter++, ext);
}

/* Reads the file at path whole into out and removes it. */
static int take_file(const char *path, struct hub_blob *out, struct ls_error *err)
{
	FILE *f = fopen(path, "rb");
	long n;

	out->data = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(out->data = malloc((size_t)n + 1)) ||
	    fread(out->data, 1, (size_t)n, f) != (size_t)n) {
		ls_error_set(err, "%s: %s", path, strerror(errno ? errno : EIO));
		free(out->data);
		out->data = NULL;
		if (f)
			fclose(f);
		unlink(path);
		return -1;
	}
	fclose(f);
	unlink(path);
	out->len = (size_t)n;
	return 0;
}

/* ---- the animation ---- */

static int render_gif(const struct board *bd, const struct ls_sheet *sh, int item, double seconds,
		      const char *path, struct ls_error *err)
{
	struct ls_playlist **pls = ls_preview_one_item(sh, 0, item, err);
	struct ls_player *player;
	int r;

	if (!pls || !(player = ls_player_with(&bd->pc, pls, 1, err)))
		return -1;
	r = ls_preview_gif(sh, player, lround(seconds * sh->fps), path, NULL, NULL, err);
	ls_player_free(player);
	return r;
}

int hub_preview_gif(const char *body, size_t len, int item, const struct hub_board_kind *b,
		    const struct ls_picture_provider *pics, int64_t at, double seconds, int fps,
		    const char *tmpdir, struct hub_blob *out, struct ls_error *err)
{
	struct board *bd;
	struct ls_sheet sh;
	char path[4200];
	int r;

	if (seconds <= 0 || seconds > HUB_STUDIO_MAX_SECONDS || fps < 1 || fps > HUB_STUDIO_MAX_FPS)
		return ls_error_set(err, "an animation is 0..%d s at 1..%d frames per second",
				    HUB_STUDIO_MAX_SECONDS, HUB_STUDIO_MAX_FPS);
	if (!(bd = board_new(b, NULL, pics, err)))
		return -1;
	sh = sheet_of(bd, at, fps, &body, &len);
	temp_path(tmpdir, "gif", path, sizeof(path));
	r = render_gif(bd, &sh, item, seconds, path, err);
	free(bd);
	return r ? -1 : take_file(path, out, err);
}

/* ---- the contact sheet ---- */

int hub_preview_sheet(const char *body, size_t len, const struct hub_board_kind *b,
		      const struct ls_picture_provider *pics, int64_t at, const char *tmpdir,
		      struct hub_blob *out, struct ls_error *err)
{
	struct board *bd = board_new(b, NULL, pics, err);
	struct ls_canvas sheet = {0};
	struct ls_sheet sh;
	char path[4200];
	int r = -1;

	if (!bd)
		return -1;
	sh = sheet_of(bd, at, 25, &body, &len);
	if (!(sh.labels = ls_preview_label_font(err)))
		goto out;
	temp_path(tmpdir, "png", path, sizeof(path));
	if (ls_preview_sheet(&sh, &sheet, err) >= 0 && !ls_png_write(path, &sheet, err))
		r = take_file(path, out, err);
	free(sheet.px);
	ls_fontset_free(sh.labels);
out:
	free(bd);
	return r;
}

/* ---- the timeline ---- */

struct zone_book {
	cJSON *periods;
	int n_periods;
	uint64_t signature;
	int64_t start;
	const char *reason;
	const struct ls_item *item;
	int64_t item_t0;
	double *seconds; /* per item index; [n] = the built-in item */
	int *plays;
};

struct timeline {
	const struct ls_playlist *pl;
	struct ls_player *player;
	struct zone_book zones[LS_PLAYLIST_MAX_ZONES + 1];
	int n_zones;
	bool truncated;
};

static int item_index(const struct timeline *t, const struct ls_item *it)
{
	for (int i = 0; i < t->pl->n_items; i++)
		if (&t->pl->items[i] == it)
			return i;
	return t->pl->n_items;
}

/* Closes zone z's period at end: one entry with what played in it. */
static void close_period(struct timeline *t, struct zone_book *z, int64_t end)
{
	cJSON *p, *items;
	int n = t->pl->n_items;

	if (z->n_periods == TIMELINE_MAX_PERIODS) {
		t->truncated = true;
		goto reset;
	}
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "from", (double)z->start);
	cJSON_AddNumberToObject(p, "to", (double)end);
	cJSON_AddStringToObject(p, "reason", z->reason ? z->reason : "");
	items = cJSON_AddArrayToObject(p, "items");
	for (int i = 0; i <= n; i++) {
		if (z->seconds[i] <= 0)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", i < n ? t->pl->items[i].id : "(built-in)");
		cJSON_AddNumberToObject(o, "index", i < n ? i : -1);
		cJSON_AddBoolToObject(o, "off", i < n && t->pl->items[i].off);
		cJSON_AddNumberToObject(o, "plays", z->plays[i]);
		cJSON_AddNumberToObject(o, "seconds", z->seconds[i]);
		cJSON_AddItemToArray(items, o);
	}
	cJSON_AddItemToArray(z->periods, p);
	z->n_periods++;
reset:
	memset(z->seconds, 0, sizeof(double) * ((size_t)n + 1));
	memset(z->plays, 0, sizeof(int) * ((size_t)n + 1));
}

/* Books one step of every zone: a new period when the eligible set changes
 * (the player's own fingerprint), starts and airtime. */
static void observe(struct timeline *t, const struct ls_now *now, double step_s)
{
	for (int zi = 0; zi < t->n_zones; zi++) {
		struct zone_book *z = &t->zones[zi];
		int64_t t0;
		const struct ls_item *it = ls_player_zone_item(t->player, zi, NULL, &t0);
		uint64_t sig = ls_player_zone_eligible(t->player, zi, now);
		bool started = it != z->item || t0 != z->item_t0;

		if (sig != z->signature && now->wall_s > z->start) {
			close_period(t, z, now->wall_s);
			z->start = now->wall_s;
			z->reason = NULL;
		}
		z->signature = sig;
		if (started && it)
			z->plays[item_index(t, it)]++;
		if (started || !z->reason)
			z->reason = ls_player_zone_status(t->player, zi);
		z->item = it;
		z->item_t0 = t0;
		if (it)
			z->seconds[item_index(t, it)] += step_s;
	}
}

static int books_open(struct timeline *t, cJSON *zones, int64_t from)
{
	t->n_zones = ls_player_n_zones(t->player);
	for (int zi = 0; zi < t->n_zones; zi++) {
		struct zone_book *z = &t->zones[zi];
		const char *name;
		cJSON *o = cJSON_CreateObject();
		ls_player_zone_item(t->player, zi, &name, NULL);
		cJSON_AddStringToObject(o, "name", name);
		z->periods = cJSON_AddArrayToObject(o, "periods");
		cJSON_AddItemToArray(zones, o);
		z->start = from;
		z->seconds = calloc((size_t)t->pl->n_items + 1, sizeof(double));
		z->plays = calloc((size_t)t->pl->n_items + 1, sizeof(int));
		if (!z->seconds || !z->plays)
			return -1;
	}
	return 0;
}

static void books_close(struct timeline *t)
{
	for (int zi = 0; zi < t->n_zones; zi++) {
		free(t->zones[zi].seconds);
		free(t->zones[zi].plays);
	}
}

static int simulate(struct timeline *t, const struct board *bd, cJSON *zones, int64_t from,
		    int64_t to)
{
	struct ls_canvas *canvas = ls_canvas_new(bd->pc.width, bd->pc.height);
	struct ls_sim sim;
	struct ls_now now;
	int r = -1;

	if (!canvas || books_open(t, zones, from))
		goto out;
	ls_sim_init(&sim, bd->cfg.board.timezone, from, TIMELINE_STEP_MS, ls_localtime);
	for (ls_sim_now(&sim, &now); now.wall_s < to; ls_sim_step(&sim, &now)) {
		ls_player_frame(t->player, &now, canvas);
		observe(t, &now, TIMELINE_STEP_MS / 1000.0);
	}
	for (int zi = 0; zi < t->n_zones; zi++)
		close_period(t, &t->zones[zi], to);
	r = 0;
out:
	books_close(t);
	ls_canvas_free(canvas);
	return r;
}

static cJSON *timeline_doc(const struct board *bd, const struct hub_board_kind *b, const char *tags,
			   int64_t from, int64_t to)
{
	cJSON *doc = cJSON_CreateObject();
	char name[32];

	hub_board_kind_name(b, name, sizeof(name));
	cJSON_AddStringToObject(doc, "board", name);
	cJSON_AddStringToObject(doc, "tags", tags ? tags : "");
	cJSON_AddStringToObject(doc, "timezone", bd->cfg.board.timezone);
	cJSON_AddNumberToObject(doc, "from", (double)from);
	cJSON_AddNumberToObject(doc, "to", (double)to);
	cJSON_AddNumberToObject(doc, "step_ms", TIMELINE_STEP_MS);
	return doc;
}

cJSON *hub_preview_timeline(const char *body, size_t len, const struct hub_board_kind *b,
			    const struct ls_picture_provider *pics, const char *tags, int64_t from,
			    int days, struct ls_error *err)
{
	struct timeline t = {0};
	struct board *bd;
	struct ls_playlist **pls;
	cJSON *doc = NULL;

	if (days < 1 || days > 7) {
		ls_error_set(err, "a timeline is 1..7 days");
		return NULL;
	}
	if (!(bd = board_new(b, tags, pics, err)))
		return NULL;
	if (!(pls = calloc(1, sizeof(*pls))) ||
	    !(pls[0] = ls_playlist_parse(body, len, PLAYLIST_NAME, err)) ||
	    ls_playlist_attach_pictures(pls[0], PLAYLIST_NAME, pics, err) ||
	    !(t.player = ls_player_new(&bd->pc, err))) {
		if (pls)
			ls_playlist_free(pls[0]);
		free(pls);
		goto out;
	}
	t.pl = pls[0];
	ls_player_set_playlists(t.player, pls, 1);
	doc = timeline_doc(bd, b, tags, from, from + days * 86400LL);
	if (simulate(&t, bd, cJSON_AddArrayToObject(doc, "zones"), from, from + days * 86400LL)) {
		cJSON_Delete(doc);
		doc = NULL;
		ls_error_set(err, "out of memory");
	} else {
		cJSON_AddBoolToObject(doc, "truncated", t.truncated);
	}
out:
	ls_player_free(t.player);
	free(bd);
	return doc;
}
