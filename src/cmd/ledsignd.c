/*
 * ledsignd: the board's service. Reads ledsign.conf, shows the cached
 * playlists of the configured feeds at once, and shows frames on the
 * configured output, paced on CLOCK_MONOTONIC, until told to stop. Frames,
 * polls, heartbeats, the status file and signals are callbacks of one event
 * loop (loop.h), so no frame ever waits for the network. SIGUSR1 writes the
 * status file now.
 *
 *   ledsignd [-d] [-v] [-n] [-c FILE] [--duration SECONDS]
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledsign/i18n.h"
#include "ledsign/canvas.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/doctor.h"
#include "ledsign/libcurl.h"
#include "ledsign/log.h"
#include "ledsign/loop.h"
#include "ledsign/output.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsignd_feed.h"
#include "ledsignd_ops.h"

#define DEFAULT_CONFIG "/etc/ledsign/ledsign.conf"

struct options {
	const char *config;
	bool check_only;
	bool foreground;
	bool verbose;
	double duration; /* seconds; 0 = until stopped */
};

/* What the loop's callbacks share. */
struct service {
	const struct options *o;
	struct ls_config *cfg;
	struct ls_loop *loop;
	struct ls_player *player;
	struct ls_output *out;
	struct ls_canvas *canvas;
	struct ops ops;
	struct feedwork fw;
	int64_t frame_ms, next_ms; /* the frame period and the next frame's mono time */
};

static void usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsignd [-dnv] [-c FILE] [--duration SECONDS]\n"
		  "  -c, --config FILE     configuration (default %s)\n"
		  "  -n, --check           check the configuration and exit 0 (valid) or 1\n"
		  "  -d, --foreground      log for a person: time of day on each line\n"
		  "  -v, --verbose         log debug messages\n"
		  "      --duration SECS   stop by itself after SECS seconds\n"
		  "  -V, --version         print the version\n"),
		DEFAULT_CONFIG);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},	{"check", no_argument, NULL, 'n'},
	    {"foreground", no_argument, NULL, 'd'},	{"verbose", no_argument, NULL, 'v'},
	    {"duration", required_argument, NULL, 'D'}, {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},		{NULL, 0, NULL, 0},
	};
	int ch;
	char *end;

	*o = (struct options){.config = DEFAULT_CONFIG};
	while ((ch = getopt_long(argc, argv, "c:ndvVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'd':
			o->foreground = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'D':
			o->duration = strtod(optarg, &end);
			if (*end || o->duration <= 0)
				fatalx("--duration: '%s' is not a number of seconds", optarg);
			break;
		case 'V':
			printf(_("ledsignd %s\n"), LS_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
}

static void print_warning(void *user, const char *msg)
{
	(void)user;
	fprintf(stderr, _("ledsignd: warning: %s\n"), msg);
}

static void log_warning(void *user, const char *msg)
{
	(void)user;
	log_warnx("%s", msg);
}

/* -n states the panel's refresh rate, and warns when it flickers. */
static void print_refresh(const struct ls_config *cfg)
{
	struct ls_refresh_estimate e;
	char line[256];

	if (ls_config_refresh(cfg, &e, NULL))
		return;
	ls_refresh_describe(&e, line, sizeof(line));
	printf(_("refresh: %s\n"), line);
	if (e.hz < LS_REFRESH_MIN_HZ)
		fprintf(stderr,
			_("ledsignd: warning: refresh %.0f Hz is under %.0f Hz, where the board "
			  "flickers; %s\n"),
			e.hz, LS_REFRESH_MIN_HZ, e.advice);
}

static void print_doctor_warning(void *user, const struct ls_doctor_result *r)
{
	(void)user;
	if (r->status == LS_DOCTOR_WARN || r->status == LS_DOCTOR_FAIL)
		fprintf(stderr,
			r->fix[0] ? _("ledsignd: warning: %s -- fix: %s\n")
				  : _("ledsignd: warning: %s\n"),
			r->msg, r->fix);
}

/* SIGHUP: reads the config again and applies it without closing the output,
 * so the panel never goes dark. Everything the new config needs (player,
 * fonts, feeds) is made before the running one is let go: a config that does
 * not load, or whose fonts or feeds do not open, is refused and the running
 * config, player and feeds kept. [panel] and [output] describe the wiring and
 * stay as they are until a restart. */
static void reload_config(const struct options *o, struct ls_config *cfg, struct ls_player **player,
			  struct ops *ops, struct feedwork *fw)
{
	struct ls_config *next = malloc(sizeof(*next)), *old = malloc(sizeof(*old));
	struct ls_player_config pc;
	struct ls_player *p;
	struct ls_error err;
	struct ls_now now;
	bool rewired;

	ops_reloading();
	if (!next || !old)
		goto done;
	if (ls_config_reload(next, o->config, cfg, log_warning, NULL, &rewired, &err)) {
		log_warnx("reload refused, keeping the running configuration: %s", err.msg);
		goto done;
	}
	if (rewired)
		log_warnx("reload: [panel], [pins] and [output] changes take effect on restart "
			  "(systemctl restart ledsignd)");
	/* The player borrows strings from the config: build it over the new one in place. */
	*old = *cfg;
	*cfg = *next;
	ls_player_config_from(&pc, cfg);
	p = ls_player_new(&pc, &err);
	if (!p) {
		*cfg = *old;
		log_warnx("reload refused, keeping the running configuration: %s", err.msg);
		goto done;
	}
	ls_now_sample(cfg->board.timezone, &now);
	if (feedwork_reload(fw, p, &now, &err)) {
		ls_player_free(p);
		*cfg = *old;
		log_warnx("reload refused, keeping the running configuration: %s", err.msg);
		goto done;
	}
	ops_configure(ops, cfg, NULL);
	ls_player_free(*player);
	*player = p;
	log_info("reloaded %s", o->config);
done:
	ops_ready(N_("showing"));
	free(next);
	free(old);
}

/* Shows one frame; returns the time to the next, skipping frames rather than
 * rushing when behind. */
static int64_t on_frame(struct ls_loop *loop, void *user)
{
	struct service *s = user;
	struct ls_error err;
	struct ls_now now;

	ls_now_sample(s->cfg->board.timezone, &now);
	if (ops_display(&s->ops, s->out, &now))
		ls_player_frame(s->player, &now, s->canvas);
	else
		ls_canvas_fill(s->canvas, (struct ls_rgb){0, 0, 0}); /* outside display hours */
	if (s->fw.status)
		ls_status_output(s->fw.status, ls_output_type_name(s->cfg->output.type),
				 ls_output_refresh_hz(s->out), s->ops.dimmer.applied,
				 s->ops.dimmer.lit);
	if (ls_output_show(s->out, s->canvas, &err))
		log_warnx("output: %s", err.msg);
	feedwork_frame(&s->fw, &now);
	s->next_ms += s->frame_ms;
	if (s->next_ms < now.mono_ms)
		s->next_ms = now.mono_ms;
	ops_watchdog(&s->ops, s->out, now.mono_ms);
	return s->next_ms - ls_loop_now(loop);
}

static int64_t on_duration(struct ls_loop *loop, void *user)
{
	(void)user;
	ls_loop_stop(loop);
	return LS_LOOP_STOP;
}

static void on_signal(struct ls_loop *loop, int sig, void *user)
{
	struct service *s = user;

	if (sig == SIGHUP)
		reload_config(s->o, s->cfg, &s->player, &s->ops, &s->fw);
	else if (sig == SIGUSR1)
		feedwork_status_now(&s->fw);
	else
		ls_loop_stop(loop);
}

static void install_signals(struct service *s)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1};
	struct ls_error err;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (ls_loop_signal(s->loop, sigs[i], on_signal, s, &err))
			fatalx("%s", err.msg);
	signal(SIGPIPE, SIG_IGN);
}

static int run(const struct options *o, struct ls_config *cfg)
{
	struct service s = {.o = o, .cfg = cfg};
	struct ls_player_config pc;
	struct ls_error err;
	struct ls_now now;

	s.loop = ls_loop_new(NULL);
	if (!s.loop)
		fatalx("out of memory");
	ls_player_config_from(&pc, cfg);
	s.player = ls_player_new(&pc, &err);
	if (!s.player)
		fatalx("%s", err.msg);
	s.canvas = ls_canvas_new(pc.width, pc.height);
	if (!s.canvas)
		fatalx("out of memory");
	ls_now_sample(cfg->board.timezone, &now);
	/* The cache is on the board before any network. */
	feedwork_start(&s.fw, cfg, s.player, s.loop, &now);
	s.out = ls_output_open(cfg, pc.width, pc.height, &err);
	if (!s.out)
		fatalx("%s", err.msg);
	if (*ls_output_warning(s.out))
		log_warnx("%s", ls_output_warning(s.out)); /* e.g. no realtime priority */
	install_signals(&s);
	ops_init(&s.ops);
	if (ops_configure(&s.ops, cfg, &err))
		fatalx("%s", err.msg);
	ops_ready(N_("showing"));
	ls_now_sample(cfg->board.timezone, &now);
	s.frame_ms = 1000 / cfg->output.fps;
	s.next_ms = now.mono_ms;
	log_info("showing %dx%d on %s output", pc.width, pc.height,
		 ls_output_type_name(cfg->output.type));
	if (!ls_loop_timer_add(s.loop, 0, on_frame, &s) ||
	    (o->duration > 0 &&
	     !ls_loop_timer_add(s.loop, (int64_t)(o->duration * 1000), on_duration, NULL)))
		fatalx("out of memory");
	ls_loop_run(s.loop);
	ops_stopping();
	feedwork_stop(&s.fw);
	ls_output_close(s.out); /* blanks the panel and releases the lines */
	ls_canvas_free(s.canvas);
	ls_player_free(s.player);
	ls_loop_free(s.loop);
	log_info("stopped");
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct ls_config cfg;
	struct ls_error err;
	int r;

	ls_i18n_init();
	parse_options(argc, argv, &o);
	log_init(o.verbose);
	log_foreground(o.foreground);
	/* -n and the start-up run the same checks: "OK" means the service starts. */
	if (ls_config_load(&cfg, o.config, &err) ||
	    ls_config_check(&cfg, LS_CHECK_HARDWARE, o.check_only ? print_warning : log_warning,
			    NULL, &err)) {
		fprintf(stderr, _("ledsignd: %s\n"), err.msg);
		return 1;
	}
	if (o.check_only) {
		print_refresh(&cfg);
		ls_doctor_run_service_dirs(o.config, print_doctor_warning, NULL);
		/* The service opens libcurl after its first frame; -n opens it now. */
		if (ls_libcurl_load())
			fprintf(
			    stderr,
			    _("ledsignd: warning: libcurl cannot be opened (%s): the board will "
			      "play its cache but fetch nothing; reinstall the libcurl4 package\n"),
			    ls_libcurl_error());
		printf(_("%s: configuration OK\n"), o.config);
		return 0;
	}
	r = run(&o, &cfg); /* libcurl is opened after the first frame (libcurl.h) */
	return r;
}
