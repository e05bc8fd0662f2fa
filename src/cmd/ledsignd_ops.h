/*
 * The service's operational edge: systemd notifications (READY, STATUS,
 * RELOADING, STOPPING, the watchdog) and the display hours and brightness
 * schedule applied to the output. Used only by ledsignd's main loop.
 */
#ifndef LEDSIGND_OPS_H
#define LEDSIGND_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/light.h"
#include "ledsign/output.h"

struct ops {
	struct ls_dimmer dimmer; /* the hours and brightness the output was last given */
	uint64_t watchdog_us;	 /* WatchdogSec= from systemd, 0 = off */
	uint64_t last_count;	 /* refresh heartbeat at the last ping */
	int64_t last_ping_ms;
};

/* Reads the schedules of cfg into o (keeping the watchdog state); returns 0,
 * or -1 with err (the config loader has already checked them). */
int ops_configure(struct ops *o, const struct ls_config *cfg, struct ls_error *err);

/* Starts: asks systemd for the watchdog interval. */
void ops_init(struct ops *o);

/* Tells systemd the service is up (READY=1) with a one-line status. */
/* status: an English message of the catalogue (N_()), shown translated. */
void ops_ready(const char *status);

/* Tells systemd a reload starts (RELOADING=1) or the service stops (STOPPING=1). */
void ops_reloading(void);
void ops_stopping(void);

/* Applies the display hours and brightness for now to out; returns whether
 * the panel is lit (outside hours the caller shows a blank frame). Without a
 * synchronised clock the board stays lit at the default brightness. */
bool ops_display(struct ops *o, struct ls_output *out, const struct ls_now *now);

/* Sends WATCHDOG=1 when half the interval has passed and the output's refresh
 * heartbeat advanced since the last ping: a hang in either loop stops pings. */
void ops_watchdog(struct ops *o, struct ls_output *out, int64_t mono_ms);

#endif
