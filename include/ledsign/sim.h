/*
 * The simulated clock: the one way `ledsign render`, `preview`, `schedule`
 * and `validate` (through the lint) step a board through time without
 * waiting for it. A simulation starts at a wall-clock moment with the
 * monotonic clock at 0 and the clock marked synchronised; each sample is
 * that moment plus the elapsed milliseconds, converted to local time by the
 * caller's ls_localtime_fn. Pure: the conversion is the only outside call.
 */
#ifndef LEDSIGN_SIM_H
#define LEDSIGN_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/clock.h"
#include "ledsign/player.h"
#include "ledsign/schedule.h"

struct ls_sim {
	const char *tz;		   /* the board's time zone (borrowed) */
	int64_t wall0;		   /* Unix seconds at elapsed 0 */
	int64_t ms;		   /* elapsed milliseconds: the monotonic clock */
	int step_ms;		   /* the frame step, 1..60000 */
	bool unsynced;		   /* samples say the wall clock is not synchronised */
	ls_localtime_fn localtime; /* Unix seconds to local time (ls_localtime) */
};

/* Starts a simulation at Unix second wall0 in zone tz, stepping step_ms
 * (clamped to 1..60000) at a time. */
void ls_sim_init(struct ls_sim *s, const char *tz, int64_t wall0, int step_ms,
		 ls_localtime_fn localtime);

/* The sample at elapsed ms (not necessarily the current one). */
void ls_sim_sample(const struct ls_sim *s, int64_t ms, struct ls_now *now);

/* The sample at the current elapsed time. */
void ls_sim_now(const struct ls_sim *s, struct ls_now *now);

/* Advances one step and returns the new sample in now. */
void ls_sim_step(struct ls_sim *s, struct ls_now *now);

/* Plays the player frame by frame from the current elapsed time up to to_ms,
 * drawing each frame into c as the service would (a single jump would look
 * like a stopped service), and ends with the frame at exactly to_ms. */
void ls_sim_play_to(struct ls_sim *s, struct ls_player *p, struct ls_canvas *c, int64_t to_ms);

#endif
