/*
 * timeline.c: books what the player shows, step by step of a simulated
 * clock, into rows per play or per period (include/ledsign/timeline.h). A
 * zone's period ends when the set of eligible items changes
 * (ls_player_zone_eligible()); a play ends when the zone's item changes or
 * the same item starts again.
 */
#include <stdlib.h>
#include <string.h>

#include "ledsign/canvas.h"
#include "ledsign/sim.h"
#include "ledsign/timeline.h"

struct zone_track {
	const struct ls_item *item; /* playing now */
	int64_t item_t0; /* its start, mono ms: a replay of the same item has a new one */
	int64_t since_wall;
	uint64_t signature; /* which items were eligible when the period began */
	int64_t period_start;
	const char *reason;
	double *airtime; /* seconds per item index in this period; [n] = built-in */
	int *starts;
};

struct timeline {
	const struct ls_timeline_config *c;
	struct ls_player *player;
	ls_timeline_fn fn;
	void *user;
	const struct ls_item **index; /* every playlist item, layer order */
	int n_items, n_zones;
	struct zone_track zones[LS_PLAYLIST_MAX_ZONES + 1];
	struct ls_timeline_share *shares; /* n_items + 1, for the rows */
};

static int item_index(const struct timeline *t, const struct ls_item *it)
{
	for (int i = 0; i < t->n_items; i++)
		if (t->index[i] == it)
			return i;
	return t->n_items; /* the built-in item */
}

static void row_init(const struct timeline *t, int zi, enum ls_timeline_kind kind,
		     struct ls_timeline_row *r)
{
	*r = (struct ls_timeline_row){.kind = kind, .zone = zi};
	(void)ls_player_zone_item(t->player, zi, &r->zone_name, NULL);
}

static void end_period(struct timeline *t, int zi, int64_t end)
{
	struct zone_track *z = &t->zones[zi];
	struct ls_timeline_row r;

	row_init(t, zi, LS_TIMELINE_PERIOD, &r);
	r.from = z->period_start;
	r.to = end;
	r.reason = z->reason;
	r.shares = t->shares;
	for (int i = 0; i <= t->n_items; i++) {
		if (z->airtime[i] <= 0)
			continue;
		t->shares[r.n_shares++] = (struct ls_timeline_share){
		    i < t->n_items ? t->index[i] : NULL, z->starts[i], z->airtime[i]};
		r.total_s += z->airtime[i];
	}
	t->fn(t->user, &r);
	memset(z->airtime, 0, sizeof(double) * ((size_t)t->n_items + 1));
	memset(z->starts, 0, sizeof(int) * ((size_t)t->n_items + 1));
}

static void end_play(struct timeline *t, int zi, int64_t end)
{
	struct zone_track *z = &t->zones[zi];
	struct ls_timeline_row r;

	row_init(t, zi, LS_TIMELINE_PLAY, &r);
	r.from = z->since_wall;
	r.to = end;
	r.item = z->item;
	t->fn(t->user, &r);
}

/* Books one simulation step for each zone: starts, airtime, period changes. */
static void observe(struct timeline *t, const struct ls_now *now, double step_s)
{
	for (int zi = 0; zi < t->n_zones; zi++) {
		struct zone_track *z = &t->zones[zi];
		int64_t t0;
		const struct ls_item *it = ls_player_zone_item(t->player, zi, NULL, &t0);
		int k = it ? item_index(t, it) : -1;
		bool started = it != z->item || t0 != z->item_t0;

		if (!t->c->detail) {
			uint64_t sig = ls_player_zone_eligible(t->player, zi, now);
			if (sig != z->signature && now->wall_s > z->period_start) {
				end_period(t, zi, now->wall_s);
				z->period_start = now->wall_s;
				z->reason = NULL;
			}
			z->signature = sig;
		}
		if (started || !z->reason) {
			if (t->c->detail && z->item && started)
				end_play(t, zi, now->wall_s);
			if (k >= 0 && started)
				z->starts[k]++;
			if (started)
				z->since_wall = now->wall_s;
			z->item = it;
			z->item_t0 = t0;
			z->reason = ls_player_zone_status(t->player, zi);
		}
		if (k >= 0)
			z->airtime[k] += step_s;
	}
}

static int setup(struct timeline *t, struct ls_playlist *const *pls, int n_pls)
{
	size_t n = 0;

	for (int i = 0; i < n_pls; i++)
		n += (size_t)pls[i]->n_items;
	t->index = calloc(n + 1, sizeof(*t->index));
	t->shares = calloc(n + 1, sizeof(*t->shares));
	if (!t->index || !t->shares)
		return -1;
	for (int i = 0; i < n_pls; i++)
		for (int k = 0; k < pls[i]->n_items; k++)
			t->index[t->n_items++] = &pls[i]->items[k];
	t->n_zones = ls_player_n_zones(t->player);
	for (int zi = 0; zi < t->n_zones; zi++) {
		t->zones[zi].airtime = calloc(n + 1, sizeof(double));
		t->zones[zi].starts = calloc(n + 1, sizeof(int));
		t->zones[zi].period_start = t->c->from;
		if (!t->zones[zi].airtime || !t->zones[zi].starts)
			return -1;
	}
	return 0;
}

static void play(struct timeline *t, struct ls_canvas *canvas)
{
	const struct ls_timeline_config *c = t->c;
	struct ls_sim sim;
	struct ls_now now;

	ls_sim_init(&sim, c->tz, c->from, c->step_ms, c->localtime);
	sim.unsynced = c->unsynced;
	for (ls_sim_now(&sim, &now); now.wall_s < c->to; ls_sim_step(&sim, &now)) {
		ls_player_frame(t->player, &now, canvas);
		observe(t, &now, sim.step_ms / 1000.0);
	}
	for (int zi = 0; zi < t->n_zones; zi++) {
		if (!c->detail)
			end_period(t, zi, c->to);
		else if (t->zones[zi].item)
			end_play(t, zi, c->to);
	}
}

int ls_timeline_run(struct ls_player *player, struct ls_playlist *const *pls, int n_pls,
		    const struct ls_timeline_config *c, ls_timeline_fn fn, void *user)
{
	struct timeline *t = calloc(1, sizeof(*t));
	struct ls_canvas *canvas = ls_canvas_new(c->width, c->height);
	int r = -1;

	if (!t || !canvas)
		goto out;
	*t = (struct timeline){.c = c, .player = player, .fn = fn, .user = user};
	if (setup(t, pls, n_pls) == 0) {
		play(t, canvas);
		r = 0;
	}
	for (int zi = 0; zi < t->n_zones; zi++) {
		free(t->zones[zi].airtime);
		free(t->zones[zi].starts);
	}
	free(t->index);
	free(t->shares);
out:
	free(t);
	ls_canvas_free(canvas);
	return r;
}
