/*
 * sim.c: the simulated clock shared by the tools that show a board's future
 * (render, preview, schedule, validate): one sample rule, one stepping rule.
 */
#include "ledsign/sim.h"

void ls_sim_init(struct ls_sim *s, const char *tz, int64_t wall0, int step_ms,
		 ls_localtime_fn localtime)
{
	s->tz = tz;
	s->wall0 = wall0;
	s->ms = 0;
	s->step_ms = step_ms < 1 ? 1 : step_ms > 60000 ? 60000 : step_ms;
	s->unsynced = false;
	s->localtime = localtime;
}

void ls_sim_sample(const struct ls_sim *s, int64_t ms, struct ls_now *now)
{
	now->mono_ms = ms;
	now->wall_s = s->wall0 + ms / 1000;
	now->wall_valid = !s->unsynced;
	s->localtime(s->tz, now->wall_s, &now->local);
}

void ls_sim_now(const struct ls_sim *s, struct ls_now *now)
{
	ls_sim_sample(s, s->ms, now);
}

void ls_sim_step(struct ls_sim *s, struct ls_now *now)
{
	s->ms += s->step_ms;
	ls_sim_now(s, now);
}

void ls_sim_play_to(struct ls_sim *s, struct ls_player *p, struct ls_canvas *c, int64_t to_ms)
{
	struct ls_now now;

	for (; s->ms < to_ms; s->ms += s->step_ms) {
		ls_sim_now(s, &now);
		ls_player_frame(p, &now, c);
	}
	s->ms = to_ms;
	ls_sim_now(s, &now);
	ls_player_frame(p, &now, c);
}
