/*
 * tool_test_pattern.c: `ledsign test-pattern`, the installer's first check on
 * site. It drives the output configured in ledsign.conf (the same config as
 * the service) with patterns that make each wiring mistake visible: `modules`
 * numbers every module in chain order (a swapped cable or a wrong layout shows
 * as wrong numbers), `rows`/`columns` expose a wrong scan mapping, `walk`
 * moves one pixel through the board in reading order, `gradient` shows colour
 * depth and `solid` checks power and polarity.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
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

static const char *const patterns[] = {"solid", "rows", "columns", "modules", "gradient", "walk"};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ledsign test-pattern --pattern solid|rows|columns|modules|gradient|walk\n"
		"                            [-c CONFIG] [--seconds N] [--show-refresh]\n"
		"Shows an installer test pattern on the output configured in CONFIG\n"
		"(default " DEFAULT_CONFIG "). Stops after N seconds or on Ctrl-C.\n");
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
	for (size_t i = 0; tc->pattern && i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (!strcmp(tc->pattern, patterns[i]))
			return 0;
	fprintf(stderr,
		_("ledsign test-pattern: --pattern %s: use solid, rows, columns, modules, gradient "
		  "or walk\n"),
		tc->pattern ? tc->pattern : "(missing)");
	return -1;
}

/* 3x5 digits for module numbers. */
static const uint16_t digits[10] = {0x7b6f, 0x2492, 0x73e7, 0x73cf, 0x5bc9,
				    0x79cf, 0x79ef, 0x7249, 0x7bef, 0x7bcf};

static void draw_digit(struct ls_canvas *c, int x0, int y0, int d, struct ls_rgb on)
{
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 3; x++)
			if (digits[d] >> (14 - (y * 3 + x)) & 1)
				ls_canvas_set(c, x0 + x, y0 + y, on);
}

static void draw_modules(struct ls_canvas *c, const struct ls_panel *panel, struct ls_rgb on)
{
	for (int m = 0; m < ls_panel_modules(panel); m++) {
		int x, y, w, h, n = m + 1;
		ls_panel_module_rect(panel, m, &x, &y, &w, &h);
		for (int i = 0; i < w; i++) {
			ls_canvas_set(c, x + i, y, on);
			ls_canvas_set(c, x + i, y + h - 1, on);
		}
		for (int i = 0; i < h; i++) {
			ls_canvas_set(c, x, y + i, on);
			ls_canvas_set(c, x + w - 1, y + i, on);
		}
		if (n >= 10)
			draw_digit(c, x + 2, y + 2, n / 10 % 10, on);
		draw_digit(c, x + (n >= 10 ? 6 : 2), y + 2, n % 10, on);
	}
}

static struct ls_rgb gradient_at(const struct ls_canvas *c, int x, int y, int mono)
{
	int v = c->width > 1 ? x * 255 / (c->width - 1) : 255;
	int band = y * 3 / c->height;

	if (mono) /* ordered dither: lit density follows the ramp */
		return (struct ls_rgb){(uint8_t)(((x * 7 + y * 13) % 16) * 16 < v ? 255 : 0), 0, 0};
	return (struct ls_rgb){(uint8_t)(band == 0 ? v : 0), (uint8_t)(band == 1 ? v : 0),
			       (uint8_t)(band == 2 ? v : 0)};
}

static void draw(struct ls_canvas *c, const struct ls_panel *panel, const char *pattern, long frame,
		 int mono)
{
	struct ls_rgb on = {255, 255, 255}, off = {0, 0, 0};

	ls_canvas_fill(c, off);
	if (!strcmp(pattern, "modules")) {
		draw_modules(c, panel, on);
		return;
	}
	if (!strcmp(pattern, "walk")) {
		long n = frame % ((long)c->width * c->height);
		ls_canvas_set(c, (int)(n % c->width), (int)(n / c->width), on);
		return;
	}
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++) {
			struct ls_rgb p = on;
			if (!strcmp(pattern, "rows"))
				p = y % 2 ? off : on;
			else if (!strcmp(pattern, "columns"))
				p = x % 2 ? off : on;
			else if (!strcmp(pattern, "gradient"))
				p = gradient_at(c, x, y, mono);
			ls_canvas_set(c, x, y, p);
		}
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
	int mono = cfg->panel.type == LS_PANEL_HUB12;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long f = 0; !stop_requested && (tc->seconds <= 0 || f < frames); f++) {
		draw(c, panel, tc->pattern, f, mono);
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
