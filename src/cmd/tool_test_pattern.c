/*
 * tool_test_pattern.c: `ledsign test-pattern`, the installer's first check on
 * site. It drives the output configured in ledsign.conf (the same config as
 * the service) with the library's test patterns (pattern.h), which make each
 * wiring mistake visible.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/pattern.h"
#include "ledsign/tool.h"

#define DEFAULT_CONFIG "/etc/ledsign/ledsign.conf"

struct tp_config {
	const char *pattern;
	const char *config;
	double seconds; /* 0 = until interrupted */
	int show_refresh;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsign test-pattern --pattern solid|rows|columns|modules|gradient|walk\n"
		  "                            [-c CONFIG] [--seconds N] [--show-refresh]\n"
		  "Shows an installer test pattern on the output configured in CONFIG\n"
		  "(default %s). Stops after N seconds or on Ctrl-C.\n"),
		DEFAULT_CONFIG);
}

static int parse_args(int argc, char **argv, struct tp_config *tc)
{
	static const struct option opts[] = {
	    {"pattern", required_argument, NULL, 'p'}, {"config", required_argument, NULL, 'c'},
	    {"seconds", required_argument, NULL, 's'}, {"show-refresh", no_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0}};
	int c;

	*tc = (struct tp_config){.config = DEFAULT_CONFIG};
	while ((c = tool_getopt(argc, argv, "p:c:s:rh", opts, usage)) != -1) {
		if (c == 'p')
			tc->pattern = optarg;
		else if (c == 'c')
			tc->config = optarg;
		else if (c == 's')
			tc->seconds = tool_opt_number("--seconds", optarg, 0, 86400, N_("seconds"));
		else if (c == 'r')
			tc->show_refresh = 1;
	}
	if (ls_pattern_known(tc->pattern))
		return 0;
	fprintf(stderr,
		_("ledsign test-pattern: --pattern %s: use solid, rows, columns, modules, gradient "
		  "or walk\n"),
		tc->pattern ? tc->pattern : "(missing)");
	return -1;
}

static void sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) && !stop_requested)
		;
}

static int run(const struct tp_config *tc, const struct ls_config *cfg, struct ls_output *out,
	       struct ls_canvas *c, const struct ls_panel *panel)
{
	struct ls_error err = {""};
	struct timespec next;
	long frames = (long)(tc->seconds * cfg->output.fps), period = 1000000000L / cfg->output.fps;
	bool mono = cfg->panel.type == LS_PANEL_HUB12;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long f = 0; !stop_requested && (tc->seconds <= 0 || f < frames); f++) {
		ls_pattern_draw(c, panel, tc->pattern, f, mono);
		if (ls_output_show(out, c, &err)) {
			fprintf(stderr, _("ledsign test-pattern: %s\n"), err.msg);
			return 1;
		}
		if (tc->show_refresh && f % cfg->output.fps == 0)
			printf(_("refresh: %.1f Hz\n"), ls_output_refresh_hz(out)), fflush(stdout);
		next.tv_nsec += period;
		if (next.tv_nsec >= 1000000000L)
			next.tv_sec++, next.tv_nsec -= 1000000000L;
		sleep_until(&next);
	}
	return 0;
}

/* What the board should reach, before what it does reach. */
static void print_estimate(const struct ls_config *cfg)
{
	struct ls_refresh_estimate e;
	char line[256];

	if (ls_config_refresh(cfg, &e, NULL))
		return;
	ls_refresh_describe(&e, line, sizeof(line));
	printf(_("expected: %s\n"), line);
	if (e.hz < LS_REFRESH_MIN_HZ)
		printf(_("warning: under %.0f Hz the board flickers; %s\n"), LS_REFRESH_MIN_HZ,
		       e.advice);
	fflush(stdout);
}

int tool_test_pattern(int argc, char **argv)
{
	struct tp_config tc;
	struct ls_config cfg;
	struct ls_error err = {""};
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_panel *panel;
	struct ls_output *out;
	struct ls_canvas *c;
	int w, h, rc;

	if (parse_args(argc, argv, &tc))
		return 2;
	ls_config_defaults(&cfg);
	if (ls_config_load(&cfg, tc.config, &err)) {
		fprintf(stderr, _("ledsign test-pattern: %s\n"), err.msg);
		return 1;
	}
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	panel = ls_panel_new(&cfg.panel, &timing, &err);
	c = ls_canvas_new(w, h);
	out = panel && c ? ls_output_open(&cfg, w, h, &err) : NULL;
	if (!out) {
		fprintf(stderr, _("ledsign test-pattern: %s\n"),
			err.msg[0] ? err.msg : "out of memory");
		ls_panel_free(panel);
		ls_canvas_free(c);
		return 1;
	}
	if (*ls_output_warning(out))
		fprintf(stderr, _("ledsign test-pattern: warning: %s\n"), ls_output_warning(out));
	if (tc.show_refresh)
		print_estimate(&cfg);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = run(&tc, &cfg, out, c, panel);
	if (tc.show_refresh)
		printf(_("refresh: %.1f Hz\n"), ls_output_refresh_hz(out));
	ls_output_close(out);
	ls_canvas_free(c);
	ls_panel_free(panel);
	return rc;
}
