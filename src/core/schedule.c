/*
 * schedule.c: the selection rules of schedule.h as one pure function.
 *
 * Each call scans the zone's items twice (once to find the winning priority,
 * once to rotate among its items) and allocates nothing, so the player can
 * ask every second whether an interrupt has arrived.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/error.h"
#include "ledsign/schedule.h"

/* Local times of the few zones items name, converted once per call. */
#define TZ_CACHE 4

struct tzcache {
	const char *tz[TZ_CACHE];
	struct tm tm[TZ_CACHE];
	int n;
};

struct scan {
	bool any;		       /* some item is eligible */
	int top;		       /* the highest eligible priority */
	bool top_visible;	       /* an eligible item of priority top is not an off item */
	const struct ls_item *top_off; /* the first eligible off item of priority top */
	bool interrupt;		       /* an eligible interrupt item exists ... */
	int interrupt_top;	       /* ... and this is the highest priority among them */
	int held_back; /* timed items skipped because the clock is not synchronised */
};

int ls_weekday(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

	if (m < 3)
		y -= 1;
	/* Sakamoto's method gives 0 = Sunday; shift to 0 = Monday. */
	return ((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 6) % 7;
}

bool ls_schedule_item_is_timed(const struct ls_item *it)
{
	return it->from || it->until || (it->days & 0x7f) != 0x7f || it->n_windows > 0;
}

static bool day_on(const struct ls_item *it, int wd)
{
	return (it->days >> wd) & 1;
}

/* Seconds from 1970-01-01 00:00 to a civil date-time read as UTC. */
static int64_t civil_seconds(int64_t y, int m, int d, int h, int mi)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;

	return days * 86400 + h * 3600 + mi * 60;
}

static int64_t packed_seconds(int64_t c)
{
	return civil_seconds(c / 100000000, (int)(c / 1000000 % 100), (int)(c / 10000 % 100),
			     (int)(c / 100 % 100), (int)(c % 100));
}

static int64_t tm_packed(const struct tm *tm)
{
	return ls_civil_pack(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
			     tm->tm_min);
}

/* The zone's offset from UTC at t, from the local time itself (a localtime
 * function need not fill tm_gmtoff), and that local time packed. */
static int64_t offset_at(ls_localtime_fn lt, const char *tz, int64_t t, int64_t *packed)
{
	struct tm tm;

	lt(tz, t, &tm);
	*packed = tm_packed(&tm);
	return civil_seconds(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min) +
	       tm.tm_sec - t;
}

int64_t ls_schedule_civil_instant(ls_localtime_fn lt, const char *tz, int64_t civil,
				  enum ls_civil_kind *kind)
{
	int64_t cu = packed_seconds(civil), p, best = 0;
	int64_t o[2] = {offset_at(lt, tz, cu - 36 * 3600, &p),
			offset_at(lt, tz, cu + 36 * 3600, &p)};
	int found = 0;

	for (int i = 0; i < (o[0] == o[1] ? 1 : 2); i++) {
		int64_t t = cu - o[i];
		offset_at(lt, tz, t, &p);
		if (p == civil && (!found++ || t < best))
			best = t;
	}
	if (kind)
		*kind = found > 1 ? LS_CIVIL_TWICE : found ? LS_CIVIL_ONCE : LS_CIVIL_SKIPPED;
	if (found)
		return best;
	if (o[0] == o[1]) {
		if (kind)
			*kind = LS_CIVIL_ONCE; /* no change near: only a malformed lt gets here */
		return cu - o[0];
	}
	/* Skipped: the jump lies between the two readings; find its second. */
	int64_t lo = cu - (o[0] > o[1] ? o[0] : o[1]), hi = cu - (o[0] < o[1] ? o[0] : o[1]);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (offset_at(lt, tz, mid, &p) == o[1])
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Whether the campaign holds at instant wall_s, whose local time is tm: by
 * the local date and time, except within two days of a bound, where the
 * bound's instant decides (the local time repeats or skips around a change
 * of offset). */
static bool campaign_holds(const struct ls_item *it, const struct tm *tm, ls_localtime_fn lt,
			   const char *tz, int64_t wall_s)
{
	int64_t now = tm_packed(tm), ns = packed_seconds(now);
	int64_t bounds[2] = {it->from, it->until};

	for (int i = 0; i < 2; i++) {
		int64_t b = bounds[i];
		if (!b)
			continue;
		bool after = now >= b; /* civil reading */
		if (lt && llabs(ns - packed_seconds(b)) < 2 * 86400)
			after = wall_s >= ls_schedule_civil_instant(lt, tz, b, NULL);
		if (after != (i == 0))
			return false;
	}
	return true;
}

/* Whether the local date and time are in the item's days and windows. */
static bool days_and_windows(const struct ls_item *it, const struct tm *tm)
{
	int y = tm->tm_year + 1900, mo = tm->tm_mon + 1, d = tm->tm_mday;
	int m = tm->tm_hour * 60 + tm->tm_min, wd, yesterday;

	wd = ls_weekday(y, mo, d);
	yesterday = (wd + 6) % 7;
	if (!it->n_windows)
		return day_on(it, wd);
	for (int i = 0; i < it->n_windows; i++) {
		const struct ls_window *w = &it->windows[i];
		if (w->start < w->end) {
			if (m >= w->start && m < w->end && day_on(it, wd))
				return true;
		} else if ((m >= w->start && day_on(it, wd)) ||
			   (m < w->end && day_on(it, yesterday))) {
			return true; /* the part after midnight belongs to the day the window opened
				      */
		}
	}
	return false;
}

static bool civil_valid(const struct tm *tm)
{
	int mo = tm->tm_mon + 1, d = tm->tm_mday, m = tm->tm_hour * 60 + tm->tm_min;

	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && m >= 0 && m < 24 * 60;
}

bool ls_schedule_item_active_local(const struct ls_item *it, const struct tm *tm)
{
	return civil_valid(tm) && campaign_holds(it, tm, NULL, NULL, 0) && days_and_windows(it, tm);
}

static const struct tm *local_for(const struct ls_schedule_input *in, const struct ls_item *it,
				  struct tzcache *tc)
{
	const char *tz = it->timezone;

	if (!tz || !in->localtime || (in->board_tz && !strcmp(tz, in->board_tz)))
		return &in->local;
	for (int i = 0; i < tc->n; i++)
		if (!strcmp(tc->tz[i], tz))
			return &tc->tm[i];
	if (tc->n == TZ_CACHE)
		tc->n = 0; /* more zones than slots: recycle, correctness over speed */
	tc->tz[tc->n] = tz;
	in->localtime(tz, in->wall_s, &tc->tm[tc->n]);
	return &tc->tm[tc->n++];
}

static bool active(const struct ls_schedule_input *in, const struct ls_item *it, struct tzcache *tc)
{
	if (!ls_schedule_item_is_timed(it))
		return true;
	if (!in->wall_valid)
		return false;
	const struct tm *tm = local_for(in, it, tc);
	const char *tz = it->timezone ? it->timezone : in->board_tz;

	return civil_valid(tm) &&
	       campaign_holds(it, tm, tz ? in->localtime : NULL, tz, in->wall_s) &&
	       days_and_windows(it, tm);
}

bool ls_schedule_item_active(const struct ls_schedule_input *in, const struct ls_item *it)
{
	struct tzcache tc = {.n = 0};

	return active(in, it, &tc);
}

bool ls_schedule_tags_match(const struct ls_item *it, const char *const *tags, int n_tags)
{
	if (!it->n_tags)
		return true;
	for (int i = 0; i < it->n_tags; i++)
		for (int j = 0; j < n_tags; j++)
			if (tags[j] && !strcasecmp(it->tags[i], tags[j]))
				return true;
	return false;
}

/* The item is for this zone on this board (time aside). */
static bool targeted(const struct ls_schedule_input *in, const struct ls_item *it)
{
	bool zone_ok = it->zone ? (in->zone && !strcmp(it->zone, in->zone)) : in->default_zone;

	return zone_ok && ls_schedule_tags_match(it, in->tags, in->n_tags);
}

bool ls_schedule_item_eligible(const struct ls_schedule_input *in, const struct ls_item *it)
{
	struct tzcache tc = {.n = 0};

	return targeted(in, it) && active(in, it, &tc);
}

static bool eligible(const struct ls_schedule_input *in, const struct ls_item *it,
		     struct tzcache *tc)
{
	return targeted(in, it) && active(in, it, tc);
}

static void scan_items(const struct ls_schedule_input *in, struct tzcache *tc, struct scan *s)
{
	memset(s, 0, sizeof(*s));
	for (int p = 0; p < in->n_pls; p++) {
		for (int i = 0; i < in->pls[p]->n_items; i++) {
			const struct ls_item *it = &in->pls[p]->items[i];
			if (!targeted(in, it))
				continue;
			if (!active(in, it, tc)) {
				s->held_back += !in->wall_valid && ls_schedule_item_is_timed(it);
				continue;
			}
			if (!s->any || it->priority > s->top) {
				s->top = it->priority;
				s->top_visible = false;
				s->top_off = NULL;
			}
			s->any = true;
			if (it->priority == s->top) {
				s->top_visible |= !it->off;
				if (it->off && !s->top_off)
					s->top_off = it;
			}
			if (it->interrupt && !it->off &&
			    (!s->interrupt || it->priority > s->interrupt_top)) {
				s->interrupt = true;
				s->interrupt_top = it->priority;
			}
		}
	}
}

static bool is_candidate(const struct ls_item *it, const struct scan *s)
{
	return !it->off && it->priority == s->top;
}

/* Layer-order index of an item, -1 when it is not in the playlists. */
static int index_of(const struct ls_schedule_input *in, const struct ls_item *it)
{
	int g = 0;

	for (int p = 0; p < in->n_pls; p++) {
		const struct ls_playlist *pl = in->pls[p];
		if (it >= pl->items && it < pl->items + pl->n_items)
			return g + (int)(it - pl->items);
		g += pl->n_items;
	}
	return -1;
}

/* Smooth weighted round-robin: every candidate earns its weight, the richest
 * plays and pays the total. Ties go to the earlier item, so equal weights give
 * plain rotation in playlist order. */
static const struct ls_item *rotate(const struct ls_schedule_input *in,
				    struct ls_schedule_history *h, const struct scan *s,
				    struct tzcache *tc)
{
	const struct ls_item *best = NULL, *first = NULL, *after = NULL;
	int g = 0, best_g = -1, total = 0, cur = h->current ? index_of(in, h->current) : -1;

	h->n_candidates = 0;
	for (int p = 0; p < in->n_pls; p++) {
		for (int i = 0; i < in->pls[p]->n_items; i++, g++) {
			const struct ls_item *it = &in->pls[p]->items[i];
			if (!is_candidate(it, s) || !eligible(in, it, tc))
				continue;
			h->n_candidates++;
			if (!first)
				first = it;
			if (!after && g > cur)
				after = it;
			if (g >= h->n_credit)
				continue;
			h->credit[g] += it->weight > 0 ? it->weight : 1;
			total += it->weight > 0 ? it->weight : 1;
			if (best_g < 0 || h->credit[g] > h->credit[best_g]) {
				best = it;
				best_g = g;
			}
		}
	}
	if (best) {
		h->credit[best_g] -= total;
		return best;
	}
	return after ? after : first; /* no credit memory: plain rotation */
}

static const struct ls_item *fallback(const struct ls_schedule_input *in,
				      struct ls_schedule_history *h)
{
	for (int p = 0; p < in->n_pls; p++) {
		const struct ls_playlist *pl = in->pls[p];
		if (!pl->default_item)
			continue;
		for (int i = 0; i < pl->n_items; i++)
			if (pl->items[i].id && !strcmp(pl->items[i].id, pl->default_item) &&
			    !pl->items[i].off && targeted(in, &pl->items[i])) {
				h->reason = LS_REASON_DEFAULT;
				return &pl->items[i];
			}
	}
	h->reason = in->default_zone && in->builtin ? LS_REASON_BUILTIN : LS_REASON_NOTHING;
	return in->default_zone ? in->builtin : NULL;
}

/* The cut item to play again now: the topmost of the stack that is a
 * candidate, items whose time has passed being dropped on the way (the
 * rotation simply goes on without them); NULL when none can play yet. */
static const struct ls_item *resume_pop(const struct ls_schedule_input *in,
					struct ls_schedule_history *h, const struct scan *s,
					struct tzcache *tc)
{
	for (int i = h->n_resume - 1; i >= 0; i--) {
		const struct ls_item *it = h->resume[i];
		bool ok = eligible(in, it, tc);
		if (ok && !is_candidate(it, s))
			continue; /* still waiting for the higher priority to end */
		memmove(&h->resume[i], &h->resume[i + 1],
			(size_t)(h->n_resume - i - 1) * sizeof(h->resume[0]));
		h->n_resume--;
		if (ok)
			return it;
	}
	return NULL;
}

/* Remembers a cut item on top of the stack (once; the oldest goes when full). */
static void resume_push(struct ls_schedule_history *h, const struct ls_item *it)
{
	for (int i = 0; i < h->n_resume; i++)
		if (h->resume[i] == it)
			return;
	if (h->n_resume == LS_SCHEDULE_RESUME_MAX) {
		memmove(&h->resume[0], &h->resume[1],
			(size_t)(h->n_resume - 1) * sizeof(h->resume[0]));
		h->n_resume--;
	}
	h->resume[h->n_resume++] = it;
}

static const struct ls_item *choose(const struct ls_schedule_input *in,
				    struct ls_schedule_history *h, const struct scan *s,
				    struct tzcache *tc)
{
	const struct ls_item *it;

	h->current_fallback = false;
	h->n_candidates = 0;
	if (!s->any) {
		h->current_fallback = true;
		return fallback(in, h);
	}
	h->reason = LS_REASON_SCHEDULED;
	if (!s->top_visible) {
		h->reason = LS_REASON_OFF;
		return s->top_off;
	}
	if ((it = resume_pop(in, h, s, tc))) {
		h->n_candidates = 1;
		return it;
	}
	return rotate(in, h, s, tc);
}

/* Whether the item playing now must stop before its end. */
static bool must_cut(const struct ls_schedule_input *in, struct ls_schedule_history *h,
		     const struct scan *s, struct tzcache *tc)
{
	const struct ls_item *cur = h->current;

	if (cur->off)
		return s->top_visible || !s->any || !eligible(in, cur, tc);
	if (h->current_fallback)
		return s->interrupt;
	if (!eligible(in, cur, tc))
		return true;
	if (s->interrupt && s->interrupt_top > cur->priority) {
		resume_push(h, cur);
		return true;
	}
	return false;
}

const struct ls_item *ls_schedule_select(const struct ls_schedule_input *in,
					 struct ls_schedule_history *h, enum ls_schedule_event ev)
{
	struct tzcache tc = {.n = 0};
	struct scan s;

	scan_items(in, &tc, &s);
	if (ev == LS_SCHEDULE_CHECK && h->current && !must_cut(in, h, &s, &tc))
		return h->current;
	h->current = choose(in, h, &s, &tc);
	if (s.held_back)
		h->reason = LS_REASON_NO_CLOCK;
	return h->current;
}

int ls_schedule_history_init(struct ls_schedule_history *h, int n_items)
{
	memset(h, 0, sizeof(*h));
	if (n_items <= 0)
		return 0;
	h->credit = calloc((size_t)n_items, sizeof(*h->credit));
	if (!h->credit)
		return -1;
	h->n_credit = n_items;
	return 0;
}

void ls_schedule_history_clear(struct ls_schedule_history *h)
{
	if (!h)
		return;
	free(h->credit);
	memset(h, 0, sizeof(*h));
}

/* The English text, marked for the catalogue: the status file keeps it as is,
 * and a reader translates it where it is shown (ledsign status). */
const char *ls_schedule_reason(enum ls_schedule_reason r)
{
	switch (r) {
	case LS_REASON_SCHEDULED:
		return LS_N_("scheduled");
	case LS_REASON_NO_CLOCK:
		return LS_N_(
		    "clock not synchronised: only items without from, until, days or windows "
		    "play");
	case LS_REASON_DEFAULT:
		return LS_N_("nothing scheduled now: the playlist's default item plays");
	case LS_REASON_BUILTIN:
		return LS_N_(
		    "nothing scheduled now and no default item: the board's built-in item plays");
	case LS_REASON_OFF:
		return LS_N_("off: every item of the highest priority now says off");
	case LS_REASON_NOTHING:
	default:
		return LS_N_("no item for this zone");
	}
}
