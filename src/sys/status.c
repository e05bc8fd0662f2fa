/*
 * status.c: proof-of-play counters and the documents made of them: the
 * status file (written by the service, read by `ledsign status` and
 * `ledsign doctor`) and the heartbeat body (delivered by heartbeat.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "ledsign/atomic.h"
#include "ledsign/status.h"

struct count {
	char *id;
	long plays, rep_plays, day_plays;
	int64_t ms, rep_ms, day_ms;
};

/* A zone as last reported by ls_status_zones(). */
struct zone_copy {
	char name[33];
	char id[128];
	bool playing;
	int64_t since_ms;
	char reason[160];
	char problem[512];
	bool main;
};

/* A zone as ls_status_watch() last saw it on the player. */
struct zone_seen {
	const struct ls_item *item;
	int64_t since_ms;
	const char *reason;
	struct ls_text_report report;
	char problem[512]; /* the report described */
};

#define WARNED_MAX 64

struct ls_status {
	char name[128];
	struct count items[LS_STATUS_MAX_ITEMS + 1]; /* the last one is "(other)" */
	int n;
	int cur;	   /* index of the item playing, -1 none */
	int64_t cur_since; /* its since_ms */
	int64_t last_ms;   /* mono time of the previous frame */
	int64_t start_mono, start_wall, rep_from_wall;
	int day; /* local date of the day counters, yyyymmdd; 0 = not known yet */
	struct zone_copy zones[LS_STATUS_MAX_ZONES];
	int n_zones;
	struct zone_seen seen[LS_STATUS_MAX_ZONES];
	int n_seen;		     /* zones seen; 0 = look afresh */
	uint32_t warned[WARNED_MAX]; /* text problems told since the playlists changed */
	int n_warned;
	char out_type[16];    /* the output, as ls_status_output() last set it; "" = never */
	int panel_w, panel_h; /* ls_status_panel(); 0 = not known */
	bool panel_rgb;
	double refresh_hz;
	int brightness;
	bool lit;
	struct { /* the push channel, as the ls_status_push_*() calls tell it */
		char url[LS_URL_MAX], error[256];
		bool connected, told; /* told: its loss was reported since it was up */
		int64_t since, last_push;
		unsigned long pushes, ignored;
	} push;
};

struct ls_status *ls_status_new(const char *name, int64_t now_mono_ms, int64_t wall_s)
{
	struct ls_status *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	snprintf(st->name, sizeof(st->name), "%s", name ? name : "");
	st->cur = -1;
	st->last_ms = st->start_mono = now_mono_ms;
	st->start_wall = st->rep_from_wall = wall_s;
	st->items[LS_STATUS_MAX_ITEMS].id = NULL; /* "(other)", named when written */
	return st;
}

void ls_status_free(struct ls_status *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->n; i++)
		free(st->items[i].id);
	free(st);
}

static int find(const struct ls_status *st, const char *id)
{
	for (int i = 0; i < st->n; i++)
		if (!strcmp(st->items[i].id, id))
			return i;
	return -1;
}

static int find_or_add(struct ls_status *st, const char *id)
{
	int i = find(st, id);

	if (i >= 0)
		return i;
	if (st->n == LS_STATUS_MAX_ITEMS || !(st->items[st->n].id = strdup(id)))
		return LS_STATUS_MAX_ITEMS;
	return st->n++;
}

void ls_status_frame(struct ls_status *st, const char *item_id, int64_t since_ms,
		     int64_t now_mono_ms)
{
	int64_t dt = now_mono_ms - st->last_ms;

	if (st->cur >= 0 && dt > 0) {
		st->items[st->cur].ms += dt;
		st->items[st->cur].rep_ms += dt;
		st->items[st->cur].day_ms += dt;
	}
	st->last_ms = now_mono_ms;
	if (!item_id) {
		st->cur = -1;
		return;
	}
	if (st->cur >= 0 && since_ms == st->cur_since &&
	    (st->cur == LS_STATUS_MAX_ITEMS || !strcmp(st->items[st->cur].id, item_id)))
		return;
	st->cur = find_or_add(st, item_id);
	st->cur_since = since_ms;
	st->items[st->cur].plays++;
	st->items[st->cur].rep_plays++;
	st->items[st->cur].day_plays++;
}

void ls_status_day(struct ls_status *st, int yyyymmdd)
{
	if (!yyyymmdd || yyyymmdd == st->day)
		return;
	if (st->day) /* not on the first known date: what came before it is today's */
		for (int i = 0; i <= LS_STATUS_MAX_ITEMS; i++)
			st->items[i].day_plays = st->items[i].day_ms = 0;
	st->day = yyyymmdd;
}

static void copy_zone(struct zone_copy *c, const struct ls_status_zone *z)
{
	snprintf(c->name, sizeof(c->name), "%s", z->name ? z->name : "");
	snprintf(c->id, sizeof(c->id), "%s", z->item_id ? z->item_id : "");
	c->playing = z->item_id != NULL;
	c->since_ms = z->since_ms;
	snprintf(c->reason, sizeof(c->reason), "%s", z->reason ? z->reason : "");
	snprintf(c->problem, sizeof(c->problem), "%s", z->problem ? z->problem : "");
	c->main = z->main;
}

void ls_status_zones(struct ls_status *st, const struct ls_status_zone *z, int n)
{
	st->n_zones = n < LS_STATUS_MAX_ZONES ? n : LS_STATUS_MAX_ZONES;
	for (int i = 0; i < st->n_zones; i++)
		copy_zone(&st->zones[i], &z[i]);
}

/* ---- watching the player's zones ---- */

void ls_status_rewatch(struct ls_status *st)
{
	st->n_seen = 0;
	st->n_warned = 0;
}

/* FNV-1a of an item id and its problem, to tell of each pair once. */
static uint32_t problem_hash(const char *id, const char *problem)
{
	uint32_t h = 2166136261u;

	for (const char *s = id; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h = (h ^ '\n') * 16777619u;
	for (const char *s = problem; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void tell_problem(struct ls_status *st, const char *zone, const struct ls_item *it,
			 const char *problem, ls_status_problem_fn fn, void *user)
{
	uint32_t h = problem_hash(it->id, problem);

	for (int i = 0; i < st->n_warned; i++)
		if (st->warned[i] == h)
			return;
	if (st->n_warned < WARNED_MAX)
		st->warned[st->n_warned++] = h;
	if (fn)
		fn(user, zone, it, problem);
}

/* Notes zone zi's item, reason and text problems; returns whether any changed. */
static bool zone_look(struct ls_status *st, const struct ls_player *p, int zi,
		      ls_status_problem_fn fn, void *user)
{
	struct zone_seen *z = &st->seen[zi];
	const char *name;
	int64_t since = 0;
	const struct ls_item *it = ls_player_zone_item(p, zi, &name, &since);
	const char *reason = ls_player_zone_status(p, zi);
	const struct ls_text_report *r = ls_player_zone_report(p, zi);
	bool started = zi >= st->n_seen || it != z->item || since != z->since_ms;

	if (!started && reason == z->reason && ls_text_report_equal(r, &z->report))
		return false;
	z->item = it;
	z->since_ms = since;
	z->reason = reason;
	z->report = *r;
	ls_text_report_describe(r, z->problem, sizeof(z->problem));
	if (it && z->problem[0])
		tell_problem(st, ls_player_n_zones(p) > 1 ? name : NULL, it, z->problem, fn, user);
	return true;
}

bool ls_status_watch(struct ls_status *st, const struct ls_player *p, ls_status_problem_fn fn,
		     void *user)
{
	struct ls_status_zone sz[LS_STATUS_MAX_ZONES];
	int n = ls_player_n_zones(p), main_zone = ls_player_main_zone(p);
	bool changed = false;

	if (n > LS_STATUS_MAX_ZONES)
		n = LS_STATUS_MAX_ZONES;
	for (int zi = 0; zi < n; zi++)
		changed |= zone_look(st, p, zi, fn, user);
	if (!changed && n == st->n_seen)
		return false;
	st->n_seen = n;
	for (int zi = 0; zi < n; zi++) {
		const struct zone_seen *z = &st->seen[zi];
		sz[zi] = (struct ls_status_zone){.item_id = z->item ? z->item->id : NULL,
						 .since_ms = z->since_ms,
						 .reason = z->reason,
						 .problem = z->problem,
						 .main = zi == main_zone};
		ls_player_zone_item(p, zi, &sz[zi].name, NULL);
	}
	ls_status_zones(st, sz, n);
	return true;
}

void ls_status_item(const struct ls_status *st, const char *id, long *plays, int64_t *ms)
{
	int i = find(st, id);

	*plays = i < 0 ? 0 : st->items[i].plays;
	*ms = i < 0 ? 0 : st->items[i].ms;
}

void ls_status_item_today(const struct ls_status *st, const char *id, long *plays, int64_t *ms)
{
	int i = find(st, id);

	*plays = i < 0 ? 0 : st->items[i].day_plays;
	*ms = i < 0 ? 0 : st->items[i].day_ms;
}

static const char *count_id(const struct ls_status *st, int i)
{
	return i == LS_STATUS_MAX_ITEMS ? "(other)" : st->items[i].id;
}

/* Adds the counters to o as "items": all since start, or this interval's. */
static void add_count(cJSON *a, const struct ls_status *st, int i, int interval)
{
	const struct count *c = &st->items[i];
	long plays = interval ? c->rep_plays : c->plays;
	int64_t ms = interval ? c->rep_ms : c->ms;
	cJSON *e;

	if (!plays && !ms)
		return;
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "id", count_id(st, i));
	cJSON_AddNumberToObject(e, "plays", (double)plays);
	cJSON_AddNumberToObject(e, "seconds", (double)ms / 1000.0);
	if (!interval) {
		cJSON_AddNumberToObject(e, "plays_today", (double)c->day_plays);
		cJSON_AddNumberToObject(e, "seconds_today", (double)c->day_ms / 1000.0);
	}
	cJSON_AddItemToArray(a, e);
}

static void add_items(cJSON *o, const struct ls_status *st, int interval)
{
	cJSON *a = cJSON_AddArrayToObject(o, "items");

	for (int i = 0; i < st->n; i++)
		add_count(a, st, i, interval);
	add_count(a, st, LS_STATUS_MAX_ITEMS, interval);
}

static void add_feeds(cJSON *o, const struct ls_feeds *f, int64_t wall_s)
{
	cJSON *a = cJSON_AddArrayToObject(o, "feeds");

	for (int i = 0; f && i < ls_feeds_count(f); i++) {
		struct ls_feed_state s;
		cJSON *e = cJSON_CreateObject();

		ls_feeds_state(f, i, &s);
		cJSON_AddStringToObject(e, "url", s.url);
		cJSON_AddBoolToObject(e, "has_content", s.has_content);
		cJSON_AddNumberToObject(e, "version", (double)s.version);
		cJSON_AddNumberToObject(e, "accepted_at", (double)s.accepted_at);
		cJSON_AddNumberToObject(e, "age_s",
					s.has_content ? (double)(wall_s - s.accepted_at) : -1);
		cJSON_AddNumberToObject(e, "checked_at", (double)s.checked_at);
		cJSON_AddNumberToObject(e, "polls", (double)s.polls);
		cJSON_AddNumberToObject(e, "not_modified", (double)s.not_modified);
		cJSON_AddNumberToObject(e, "failures", s.failures);
		cJSON_AddStringToObject(e, "error", s.error);
		cJSON_AddStringToObject(e, "layer", s.layer);
		cJSON *k = cJSON_AddArrayToObject(e, "keys");
		for (int j = 0; j < s.n_keys; j++)
			cJSON_AddItemToArray(k, cJSON_CreateString(s.keys[j]));
		cJSON_AddStringToObject(e, "signed_by", s.signed_by);
		cJSON_AddNumberToObject(e, "ignored_keys", s.n_ignored);
		cJSON_AddStringToObject(e, "ignored", s.ignored);
		cJSON_AddItemToArray(a, e);
	}
}

static const struct zone_copy *main_zone(const struct ls_status *st)
{
	for (int i = 0; i < st->n_zones; i++)
		if (st->zones[i].main)
			return &st->zones[i];
	return NULL;
}

static void add_zones(cJSON *o, const struct ls_status *st, int64_t now_mono_ms)
{
	cJSON *a = cJSON_AddArrayToObject(o, "zones");

	for (int i = 0; i < st->n_zones; i++) {
		const struct zone_copy *z = &st->zones[i];
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "name", z->name);
		if (z->playing) {
			cJSON_AddStringToObject(e, "id", z->id);
			cJSON_AddNumberToObject(e, "seconds",
						(double)(now_mono_ms - z->since_ms) / 1000.0);
		} else {
			cJSON_AddNullToObject(e, "id");
		}
		cJSON_AddStringToObject(e, "reason", z->reason);
		cJSON_AddStringToObject(e, "problem", z->problem);
		cJSON_AddItemToArray(a, e);
	}
}

/* "current" (the main zone's item, as ls_status_frame() counts it) and, next
 * to it, why it plays and what is wrong with its text. */
static void add_current(cJSON *o, const struct ls_status *st, int64_t now_mono_ms)
{
	const struct zone_copy *z = main_zone(st);
	cJSON *cur;

	if (st->cur >= 0) {
		cur = cJSON_AddObjectToObject(o, "current");
		cJSON_AddStringToObject(cur, "id", count_id(st, st->cur));
		cJSON_AddNumberToObject(cur, "seconds",
					(double)(now_mono_ms - st->cur_since) / 1000.0);
		cJSON_AddStringToObject(cur, "problem", z ? z->problem : "");
	} else {
		cJSON_AddNullToObject(o, "current");
	}
	if (z)
		cJSON_AddStringToObject(o, "reason", z->reason);
	else
		cJSON_AddNullToObject(o, "reason");
}

static cJSON *doc_new(const struct ls_status *st, int64_t now_mono_ms, int64_t wall_s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "board", st->name);
	cJSON_AddNumberToObject(o, "time", (double)wall_s);
	cJSON_AddNumberToObject(o, "uptime_s", (double)(now_mono_ms - st->start_mono) / 1000.0);
	add_current(o, st, now_mono_ms);
	if (st->panel_w > 0) {
		cJSON *p = cJSON_AddObjectToObject(o, "panel");
		cJSON_AddNumberToObject(p, "width", st->panel_w);
		cJSON_AddNumberToObject(p, "height", st->panel_h);
		cJSON_AddStringToObject(p, "colour", st->panel_rgb ? "rgb" : "mono");
	}
	if (st->out_type[0]) {
		cJSON *out = cJSON_AddObjectToObject(o, "output");
		cJSON_AddStringToObject(out, "type", st->out_type);
		cJSON_AddNumberToObject(out, "refresh_hz", st->refresh_hz);
		cJSON_AddNumberToObject(out, "brightness", st->brightness);
		cJSON_AddBoolToObject(out, "lit", st->lit);
	}
	return o;
}

void ls_status_output(struct ls_status *st, const char *type, double refresh_hz, int brightness,
		      bool lit)
{
	snprintf(st->out_type, sizeof(st->out_type), "%s", type);
	st->refresh_hz = refresh_hz;
	st->brightness = brightness;
	st->lit = lit;
}

void ls_status_panel(struct ls_status *st, int width, int height, bool rgb)
{
	st->panel_w = width;
	st->panel_h = height;
	st->panel_rgb = rgb;
}

void ls_status_push_open(struct ls_status *st, const char *url)
{
	snprintf(st->push.url, sizeof(st->push.url), "%s", url ? url : "");
	st->push.connected = false;
}

void ls_status_push_up(struct ls_status *st, int64_t wall_s)
{
	st->push.connected = true;
	st->push.since = wall_s;
	st->push.error[0] = '\0';
	st->push.told = false;
}

bool ls_status_push_down(struct ls_status *st, int64_t wall_s, const char *why)
{
	bool first = !st->push.told;

	st->push.connected = false;
	st->push.told = true;
	if (!st->push.error[0])
		st->push.since = wall_s;
	snprintf(st->push.error, sizeof(st->push.error), "%s", why);
	return first;
}

void ls_status_push_heard(struct ls_status *st, enum ls_push_hint h, int64_t wall_s)
{
	if (h != LS_PUSH_REFUSED)
		st->push.last_push = wall_s;
	if (h == LS_PUSH_FETCH)
		st->push.pushes++;
	else
		st->push.ignored++;
}

static void add_push(cJSON *o, const struct ls_status *st)
{
	cJSON *p;

	if (!st->push.url[0]) {
		cJSON_AddNullToObject(o, "push");
		return;
	}
	p = cJSON_AddObjectToObject(o, "push");
	cJSON_AddStringToObject(p, "url", st->push.url);
	cJSON_AddBoolToObject(p, "connected", st->push.connected);
	cJSON_AddNumberToObject(p, "since", (double)st->push.since);
	cJSON_AddNumberToObject(p, "last_push_at", (double)st->push.last_push);
	cJSON_AddNumberToObject(p, "pushes", (double)st->push.pushes);
	cJSON_AddNumberToObject(p, "ignored", (double)st->push.ignored);
	cJSON_AddStringToObject(p, "error", st->push.error);
}

static char *doc_print(cJSON *o)
{
	char *s = cJSON_Print(o);

	cJSON_Delete(o);
	return s;
}

char *ls_status_json(const struct ls_status *st, const struct ls_feeds *f, int64_t now_mono_ms,
		     int64_t wall_s)
{
	cJSON *o = doc_new(st, now_mono_ms, wall_s);
	char day[16];

	add_zones(o, st, now_mono_ms);
	cJSON_AddNumberToObject(o, "since", (double)st->start_wall);
	if (st->day) {
		snprintf(day, sizeof(day), "%04d-%02d-%02d", st->day / 10000, st->day / 100 % 100,
			 st->day % 100);
		cJSON_AddStringToObject(o, "today", day);
	} else {
		cJSON_AddNullToObject(o, "today");
	}
	add_items(o, st, 0);
	add_feeds(o, f, wall_s);
	add_push(o, st);
	return doc_print(o);
}

char *ls_status_heartbeat(struct ls_status *st, const struct ls_feeds *f, uint64_t seq,
			  int64_t now_mono_ms, int64_t wall_s)
{
	cJSON *o = doc_new(st, now_mono_ms, wall_s);

	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddNumberToObject(o, "from", (double)st->rep_from_wall);
	cJSON_AddNumberToObject(o, "to", (double)wall_s);
	add_items(o, st, 1);
	add_feeds(o, f, wall_s);
	for (int i = 0; i <= LS_STATUS_MAX_ITEMS; i++)
		st->items[i].rep_plays = st->items[i].rep_ms = 0;
	st->rep_from_wall = wall_s;
	return doc_print(o);
}

int ls_status_write(const struct ls_status *st, const struct ls_feeds *f, const char *path,
		    int64_t now_mono_ms, int64_t wall_s, struct ls_error *err)
{
	char *json = ls_status_json(st, f, now_mono_ms, wall_s);
	int r;

	if (!json)
		return ls_error_set(err, "out of memory");
	r = ls_write_file_atomic(path, json, err);
	free(json);
	return r;
}

struct cJSON *ls_status_read(const char *path, int64_t *mtime, struct ls_error *err)
{
	struct stat sb;
	char *text;
	cJSON *doc;

	if (stat(path, &sb)) {
		ls_error_set(
		    err,
		    "%s: no status file (%s); is ledsignd running? (systemctl status ledsignd)",
		    path, strerror(errno));
		return NULL;
	}
	text = ls_read_small(path, 4 * 1024 * 1024);
	doc = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		ls_error_set(
		    err,
		    "%s is not a status document (unreadable, or not the JSON ledsignd writes)",
		    path);
		return NULL;
	}
	if (mtime)
		*mtime = (int64_t)sb.st_mtime;
	return doc;
}
