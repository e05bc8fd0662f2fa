/*
 * ledsignd_ops.c: what makes ledsignd a well-behaved systemd service: the
 * sd_notify protocol (readiness, status line, reload, stop, watchdog) and the
 * office hours and brightness schedule. Outside a systemd unit (no
 * NOTIFY_SOCKET) the notifications are no-ops.
 */
#include <systemd/sd-daemon.h>

#include "ledsign/i18n.h"
#include "ledsign/log.h"
#include "ledsignd_ops.h"

int ops_configure(struct ops *o, const struct ls_config *cfg, struct ls_error *err)
{
	struct ls_error why;

	if (ls_dimmer_configure(&o->dimmer, cfg, &why, err))
		return -1;
	if (why.msg[0])
		log_warnx("%s", why.msg);
	else if (o->dimmer.ambient.on)
		log_info("light sensor %s: brightness follows the light",
			 o->dimmer.ambient.sensor.dir);
	return 0;
}

void ops_init(struct ops *o)
{
	uint64_t us = 0;

	o->watchdog_us = sd_watchdog_enabled(0, &us) > 0 ? us : 0;
	o->last_ping_ms = 0;
	o->last_count = 0;
	o->dimmer.applied = -1;
	o->dimmer.lit = true;
	if (o->watchdog_us)
		log_info("watchdog: every %llu ms", (unsigned long long)(o->watchdog_us / 1000));
}

void ops_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", _(status)); /* systemctl status shows it */
}

void ops_reloading(void)
{
	sd_notifyf(0, "RELOADING=1\nSTATUS=%s", _("reloading the configuration"));
}

void ops_stopping(void)
{
	sd_notifyf(0, "STOPPING=1\nSTATUS=%s", _("stopping: blanking the panel"));
}

static void light_warn(const char *msg)
{
	log_warnx("%s", msg);
}

bool ops_display(struct ops *o, struct ls_output *out, const struct ls_now *now)
{
	struct ls_dimmer_step d =
	    ls_dimmer_step(&o->dimmer, now->wall_valid, now->local.tm_wday,
			   now->local.tm_hour * 60 + now->local.tm_min, now->mono_ms, light_warn);

	if (d.lit_changed) {
		if (d.lit)
			log_info("display hours: panel on");
		else
			log_info("display hours: panel off until the next opening time");
		sd_notifyf(0, "STATUS=%s",
			   d.lit ? _("showing") : _("outside display hours: panel dark"));
	}
	if (d.percent_changed) {
		if (!d.first)
			log_info("brightness %d%%", d.percent);
		ls_output_set_brightness(out, d.percent);
	}
	return d.lit;
}

void ops_watchdog(struct ops *o, struct ls_output *out, int64_t mono_ms)
{
	uint64_t count;

	if (!o->watchdog_us || mono_ms - o->last_ping_ms < (int64_t)(o->watchdog_us / 2000))
		return;
	count = ls_output_refresh_count(out);
	if (count == o->last_count) {
		o->last_ping_ms = mono_ms; /* say it once per half interval, not every frame */
		log_warnx("watchdog: the refresh thread has not advanced; not pinging");
		return;
	}
	o->last_count = count;
	o->last_ping_ms = mono_ms;
	sd_notify(0, "WATCHDOG=1");
}
