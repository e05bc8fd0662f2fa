/*
 * doctor.c: the board's health checks (include/ledsign/doctor.h), a table run
 * in order. The config is taken as the service takes it (ls_config_check(),
 * the checks of ledsignd -n); the others look at what the service would use
 * on this machine: the GPIO chip and its lines, the SPI device, the fonts,
 * the feeds and their signatures, the clock, the directories, the running
 * service and its unit. Every message is a format marked N_() here and
 * translated as it is filled in, so a translator sees each sentence whole.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <curl/curl.h>
#include <gpiod.h>

#include "ledsign/cache.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/doctor.h"
#include "ledsign/feed.h"
#include "ledsign/fetch.h"
#include "ledsign/fontcheck.h"
#include "ledsign/i18n.h"
#include "ledsign/net.h"
#include "ledsign/panel.h"
#include "ledsign/sign.h"
#include "ledsign/status.h"
#include "ledsign/text.h"
#include "ledsign/transport.h"
#include "ledsign/utf8.h"

struct doctor {
	const struct ls_doctor_target *t;
	ls_doctor_report_fn report;
	void *user;
	const char *id; /* the check running */
	struct ls_config cfg;
	char chip[PATH_MAX]; /* the GPIO chip found ("" when none) */
	int failed;
	bool quiet; /* the check runs for what later ones need, not for its results */
};

/* Reports a result whose texts are final (translated, filled in). */
static void emit(struct doctor *d, enum ls_doctor_status st, const char *fix, const char *msg)
{
	struct ls_doctor_result r = {.id = d->id, .status = st};

	if (d->quiet)
		return;
	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	snprintf(r.fix, sizeof(r.fix), "%s", fix ? fix : "");
	d->failed += st == LS_DOCTOR_FAIL;
	d->report(d->user, &r);
}

static void say(struct doctor *d, enum ls_doctor_status st, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports a result: fix (may be NULL) and fmt are msgids, translated here. */
static void say(struct doctor *d, enum ls_doctor_status st, const char *fix, const char *fmt, ...)
{
	char msg[LS_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), ls_tr(fmt), ap);
	va_end(ap);
	emit(d, st, fix ? ls_tr(fix) : NULL, msg);
}

#define ok(d, ...) say(d, LS_DOCTOR_OK, NULL, __VA_ARGS__)
#define skip(d, ...) say(d, LS_DOCTOR_SKIP, NULL, __VA_ARGS__)
#define fail(d, fix, ...) say(d, LS_DOCTOR_FAIL, fix, __VA_ARGS__)

static void config_warning(void *user, const char *msg)
{
	emit(user, LS_DOCTOR_WARN, NULL, msg);
}

/* The config as the service would take it: parsed, then the same checks
 * ledsignd -n runs (the hardware is looked at by the checks below). Without
 * a usable file the other checks look at the built-in defaults. */
static void check_config(struct doctor *d)
{
	const char *path = d->t->config_path;
	struct ls_error err;
	bool missing = access(path, F_OK) != 0;

	if (ls_config_load(&d->cfg, path, &err) ||
	    ls_config_check(&d->cfg, 0, config_warning, d, &err)) {
		if (missing)
			fail(d,
			     N_("copy the example (/usr/share/doc/ledsign/ledsign.conf.example) "
				"there and edit it for this board, or give the file with -c"),
			     N_("no config: %s; the checks below look at the built-in defaults"),
			     err.msg);
		else
			fail(d,
			     N_("correct that line (see ledsign.conf(5)), then run ledsign doctor "
				"again"),
			     "%s", err.msg);
		ls_config_defaults(&d->cfg);
		ls_config_default_fonts(&d->cfg);
		ls_config_default_feed(&d->cfg);
		return;
	}
	ok(d, N_("%s is valid (%s output, %s panel)"), path,
	   ls_output_type_name(d->cfg.output.type),
	   d->cfg.panel.type == LS_PANEL_HUB75 ? "hub75" : "hub12");
}

static bool uses_gpio(const struct doctor *d)
{
	return d->cfg.output.type == LS_OUTPUT_GPIOD || d->cfg.output.type == LS_OUTPUT_SPI ||
	       d->cfg.output.type == LS_OUTPUT_MMAP;
}

/* Whether user may open path with the given mode bits (4 = r, 2 = w), from the
 * file's owner, group and mode and the user's groups. */
static bool user_may(const struct passwd *pw, const struct stat *st, unsigned want)
{
	gid_t groups[64];
	int n = 64;

	if (pw->pw_uid == 0)
		return true;
	if (st->st_uid == pw->pw_uid)
		return ((st->st_mode >> 6) & want) == want;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			return ((st->st_mode >> 3) & want) == want;
	return (st->st_mode & want) == want;
}

static void check_chip(struct doctor *d)
{
	const char *user = d->t->user;
	struct passwd *pw = getpwnam(user);
	struct ls_error err;
	struct stat st;
	unsigned lines;

	if (!uses_gpio(d)) {
		skip(d, N_("the %s output uses no GPIO"), ls_output_type_name(d->cfg.output.type));
		return;
	}
	if (ls_gpio_chip_probe(d->cfg.output.chip, d->chip, sizeof(d->chip), &lines, &err)) {
		d->chip[0] = '\0';
		fail(d,
		     N_("set [output] chip to one of the chips found; on a Raspberry Pi 5 use "
			"chip = pinctrl-rp1"),
		     "%s", err.msg);
		return;
	}
	if (stat(d->chip, &st))
		st = (struct stat){0};
	if (!pw)
		fail(d, N_("run sudo sh /usr/share/ledsign/setup-board.sh (creates the user)"),
		     N_("%s found, but the service user '%s' does not exist"), d->chip, user);
	else if (!user_may(pw, &st, 6u))
		fail(d,
		     N_("install 60-ledsign-gpio.rules and run setup-board.sh (adds the user to "
			"group gpio)"),
		     N_("%s is not readable and writable by user %s"), d->chip, user);
	else
		ok(d, N_("%s found, accessible by %s"), d->chip, user);
}

static bool line_ok(struct doctor *d, struct gpiod_chip *chip, size_t lines, int role, int off)
{
	struct gpiod_line_info *li;
	const char *who;
	bool used;

	if ((size_t)off >= lines) {
		fail(d, N_("correct [pins] (GPIO numbers, see WIRING.md)"),
		     N_("[pins] %s = %d, but %s has only %zu lines"), ls_line_role_name(role), off,
		     d->chip, lines);
		return false;
	}
	li = gpiod_chip_get_line_info(chip, (unsigned)off);
	used = li && gpiod_line_info_is_used(li);
	who = used ? gpiod_line_info_get_consumer(li) : NULL;
	if (used && who && *who)
		fail(d,
		     N_("stop that program or disable its overlay (e.g. w1-gpio, spi, i2c in "
			"config.txt), or move the pin"),
		     N_("[pins] %s = GPIO%d is held by '%s'"), ls_line_role_name(role), off, who);
	else if (used)
		fail(d,
		     N_("stop that program or disable its overlay (e.g. w1-gpio, spi, i2c in "
			"config.txt), or move the pin"),
		     N_("[pins] %s = GPIO%d is held by the kernel"), ls_line_role_name(role), off);
	gpiod_line_info_free(li);
	return !used;
}

static void check_lines(struct doctor *d)
{
	struct ls_panel_timing t = ls_config_panel_timing(&d->cfg);
	struct ls_panel *p;
	struct ls_line_map map;
	struct ls_error err;
	struct gpiod_chip *chip;
	struct gpiod_chip_info *ci;
	size_t lines;
	int n = 0, problems = 0;

	if (!uses_gpio(d) || !d->chip[0]) {
		skip(d, "%s",
		     ls_tr(uses_gpio(d) ? N_("no GPIO chip to look at")
					: N_("no GPIO output configured")));
		return;
	}
	if (!(p = ls_panel_new(&d->cfg.panel, &t, &err))) {
		skip(d, N_("the panel config is refused above: %s"), err.msg);
		return;
	}
	ls_panel_line_map(p, &map);
	ls_panel_free(p);
	if (!(chip = gpiod_chip_open(d->chip))) {
		fail(d, N_("run doctor as root or as a member of group gpio"),
		     N_("cannot open %s: %s"), d->chip, strerror(errno));
		return;
	}
	ci = gpiod_chip_get_info(chip);
	lines = ci ? gpiod_chip_info_get_num_lines(ci) : 0;
	gpiod_chip_info_free(ci);
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map.offset[r] >= 0) {
			n++;
			problems += !line_ok(d, chip, lines, r, map.offset[r]);
		}
	gpiod_chip_close(chip);
	if (!problems)
		ok(d, N_("the panel's %d lines exist on %s and are free"), n, d->chip);
}

/* The rate the configured board refreshes at on its transport; under
 * LS_REFRESH_MIN_HZ it flickers, which is worth a warning and the way out. */
static void check_refresh(struct doctor *d)
{
	struct ls_refresh_estimate e;
	struct ls_error err;
	char line[256];
	int r = ls_config_refresh(&d->cfg, &e, &err);

	if (r > 0) {
		skip(d, N_("the %s output drives no panel"),
		     ls_output_type_name(d->cfg.output.type));
		return;
	}
	if (r < 0) {
		skip(d, N_("the panel config is refused above"));
		return;
	}
	ls_refresh_describe(&e, line, sizeof(line));
	if (e.hz < LS_REFRESH_MIN_HZ)
		say(d, LS_DOCTOR_WARN, NULL,
		    N_("%s: under %.0f Hz the board flickers -- change: %s"), line,
		    LS_REFRESH_MIN_HZ, e.advice);
	else
		ok(d, "%s", line);
}

static void check_spi(struct doctor *d)
{
	const char *dev = d->cfg.output.spi_device;
	struct passwd *pw = getpwnam(d->t->user);
	struct stat st;

	if (d->cfg.output.type != LS_OUTPUT_SPI)
		skip(d, N_("the %s output does not use SPI"),
		     ls_output_type_name(d->cfg.output.type));
	else if (stat(dev, &st))
		fail(d, N_("enable SPI (dtparam=spi=on in /boot/firmware/config.txt) and reboot"),
		     "%s: %s", dev, strerror(errno));
	else if (pw && !user_may(pw, &st, 6u))
		fail(d, N_("install 60-ledsign-gpio.rules and run setup-board.sh (group spi)"),
		     N_("%s is not readable and writable by user %s"), dev, d->t->user);
	else
		ok(d, N_("%s present"), dev);
}

/* type = mmap: whether the GPIO registers can be driven, or why the service
 * will fall back to gpiod (a warning: the board still works, slower). */
static void check_gpiomem(struct doctor *d)
{
	struct passwd *pw = getpwnam(d->t->user);
	struct ls_error err;
	struct stat st;

	if (d->cfg.output.type != LS_OUTPUT_MMAP)
		skip(d, N_("the %s output does not use the GPIO registers"),
		     ls_output_type_name(d->cfg.output.type));
	else if (ls_config_mmap_usable(&d->cfg, 0, &err))
		say(d, LS_DOCTOR_WARN,
		    N_("type = mmap works on a Raspberry Pi 1-4 with /dev/gpiomem; elsewhere set "
		       "type = gpiod (WIRING.md)"),
		    N_("%s: the service will drive the lines through gpiod instead"), err.msg);
	else if (stat("/dev/gpiomem", &st) || (pw && !user_may(pw, &st, 6u)))
		say(d, LS_DOCTOR_WARN,
		    N_("install 60-ledsign-gpio.rules and run setup-board.sh (group gpio)"),
		    N_("/dev/gpiomem is not readable and writable by user %s: the service will "
		       "drive the lines through gpiod instead"),
		    d->t->user);
	else
		ok(d, N_("/dev/gpiomem present, accessible by %s"), d->t->user);
}

/* Says which configured fonts are not made for the height (they only fill
 * gaps behind the others) and which glyph of a font is too tall for the line
 * (it comes from the next font that fits it). */
static void report_fits(struct doctor *d, struct ls_fontset *fs, int height)
{
	struct ls_font_fit fit;
	const char *path;

	for (int i = 0; (path = ls_fontset_font(fs, i, &fit)); i++) {
		if (!fit.suitable)
			say(d, LS_DOCTOR_WARN, NULL,
			    N_("%s is not made for %d-row lines; it only fills gaps behind the "
			       "fonts that are"),
			    path, height);
		if (!fit.overflow_rows)
			continue;
		say(d, LS_DOCTOR_WARN, NULL,
		    N_("%s: '%s' (U+%04X) is %d px taller than the line; that glyph comes from "
		       "the next font that fits it"),
		    path, ls_utf8_char(fit.overflow_cp).s, (unsigned)fit.overflow_cp,
		    fit.overflow_rows);
	}
}

static void check_fonts(struct doctor *d)
{
	const char *paths[LS_MAX_FONTS];
	struct ls_error err;
	struct ls_fontset *fs;
	struct ls_font_tally letters = {0};
	int height = d->cfg.panel.module_height;

	for (int i = 0; i < d->cfg.display.n_fonts; i++)
		paths[i] = d->cfg.display.fonts[i];
	if (!d->cfg.display.n_fonts) {
		fail(d,
		     N_("install fonts-unifont or set [display] font = a BDF/TTF with Vietnamese"),
		     N_("no font configured and none of the default fonts is installed"));
		return;
	}
	fs = ls_fontset_open(paths, d->cfg.display.n_fonts, height,
			     d->cfg.panel.type == LS_PANEL_HUB12, &err);
	if (!fs) {
		fail(d, N_("correct [display] font"), "%s", err.msg);
		return;
	}
	ls_font_coverage(fs, ls_vietnamese_letters, &letters, NULL);
	report_fits(d, fs, height);
	ls_fontset_free(fs);
	if (letters.have < letters.total)
		fail(d,
		     N_("add a font with full Vietnamese ([display] font = .../ledsign16.bdf or "
			"unifont)"),
		     N_("%d Vietnamese letters missing at %d px: %s"), letters.total - letters.have,
		     height, letters.missing);
	else
		ok(d, N_("all 134 Vietnamese letters at %d px (%s)"), height, paths[0]);
}

/* Resolves feed i of the config into url; returns 0 or -1 with err. */
static int feed_url(const struct doctor *d, int i, char *url, size_t n, struct ls_error *err)
{
	char path[PATH_MAX], dir[PATH_MAX];

	snprintf(path, sizeof(path), "%s", d->cfg.path);
	snprintf(dir, sizeof(dir), "%s", dirname(path));
	return ls_url_resolve(d->cfg.feed.urls[i], dir, url, n, err);
}

static size_t discard(char *p, size_t size, size_t n, void *user)
{
	(void)p;
	(void)user;
	return size * n;
}

static void check_feed_answers(struct doctor *d, int i, const char *url)
{
	CURL *c = curl_easy_init();
	char errbuf[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode rc;

	if (!c)
		return;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	/* As the service asks, token included, so a protected feed answers. */
	ls_net_policy(c,
		      &(struct ls_net_policy){url, d->cfg.feed.token, d->cfg.feed.ca_file, 5, 10});
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		fail(d,
		     rc == CURLE_COULDNT_RESOLVE_HOST
			 ? N_("check the board's network and DNS server (/etc/resolv.conf)")
			 : N_("check the URL, the board's network and that the server is up"),
		     N_("feed %d %s does not answer: %s"), i + 1, url,
		     *errbuf ? errbuf : curl_easy_strerror(rc));
	else if (code >= 400)
		fail(d, N_("check the URL and [feed] token with the feed's publisher"),
		     N_("feed %d %s: the server answered HTTP %ld"), i + 1, url, code);
	else
		ok(d, N_("feed %d %s answers"), i + 1, url);
}

static void check_feeds(struct doctor *d)
{
	char url[LS_URL_MAX + PATH_MAX];
	struct ls_error err;

	if (!d->cfg.feed.n_urls) {
		skip(d, N_("no [feed] url: the bundled example playlist plays"));
		return;
	}
	for (int i = 0; i < d->cfg.feed.n_urls; i++) {
		if (feed_url(d, i, url, sizeof(url), &err))
			fail(d, N_("correct [feed] url"), N_("feed %d: %s"), i + 1, err.msg);
		else
			check_feed_answers(d, i, url);
	}
}

/* Verifies url's cached version as the service would; returns 1 when it verified, 0 when
 * there is none, -1 when it does not verify (reported). */
static int verify_cached(struct doctor *d, const struct ls_pubkey *keys, int n, const char *url)
{
	struct ls_cache_entry e;
	struct ls_playlist *pl;
	struct ls_error err;
	struct ls_feed_floor fl;
	int r = ls_cache_load(d->cfg.feed.cache_dir, url, &e, &err);

	if (r == 1)
		return 0;
	if (r < 0) {
		fail(d, N_("remove the broken record; the service fetches the feed again"),
		     N_("the cache of %s is broken: %s"), url, err.msg);
		return -1;
	}
	pl = ls_feed_check(keys, n, url, (const char *)e.body, e.body_len, e.sig, e.sig_len, NULL,
			   &fl, &err);
	if (pl && ls_feed_pictures_attach(pl, url, e.pictures, e.n_pictures, &err)) {
		ls_playlist_free(pl);
		pl = NULL;
	}
	ls_cache_entry_free(&e);
	if (!pl) {
		fail(d, N_("check [feed] pubkey against the publisher's key; re-sign the feed"),
		     N_("cached %s does not verify: %s"), url, err.msg);
		return -1;
	}
	ls_playlist_free(pl);
	return 1;
}

/* Each layer's cache against the keys that layer trusts (config.h). */
static void check_signatures(struct doctor *d)
{
	struct ls_pubkey keys[LS_MAX_PUBKEYS];
	char url[LS_URL_MAX + PATH_MAX];
	struct ls_error err;
	int n, verified = 0, bad = 0;

	if (!d->cfg.feed.n_pubkeys) {
		fail(
		    d,
		    N_("add the publisher's key: [feed] pubkey = RW... (ledsign keygen makes one)"),
		    N_("no [feed] pubkey: unsigned feeds would play, so anyone on the network can "
		       "change the board"));
		return;
	}
	for (int i = 0; i < d->cfg.feed.n_urls; i++) { /* each layer against its own keys */
		n = ls_config_layer_keys(&d->cfg, i, keys, &err);
		if (n < 0) {
			fail(d,
			     N_("copy the base64 line of the publisher's .pub file into [feed] "
				"pubkey"),
			     N_("feed %d: %s"), i + 1, err.msg);
			bad++;
			continue;
		}
		if (feed_url(d, i, url, sizeof(url), NULL))
			continue;
		int r = verify_cached(d, keys, n, url);
		verified += r > 0;
		bad += r < 0;
	}
	if (!bad)
		ok(d, N_("%d key(s); %d cached feed(s) verify"), d->cfg.feed.n_pubkeys, verified);
}

static void check_clock(struct doctor *d)
{
	struct ls_now now;

	ls_now_sample(d->cfg.board.timezone, &now);
	if (now.wall_valid)
		ok(d, N_("synchronised (%04d-%02d-%02d %02d:%02d %s)"), now.local.tm_year + 1900,
		   now.local.tm_mon + 1, now.local.tm_mday, now.local.tm_hour, now.local.tm_min,
		   d->cfg.board.timezone);
	else
		fail(
		    d,
		    N_("timedatectl set-ntp true, and let the board reach an NTP server (UDP 123)"),
		    N_("not synchronised: schedules and display hours wait for a trusted clock"));
}

static void check_dir(struct doctor *d, const char *dir)
{
	const char *user = d->t->user;
	struct passwd *pw = getpwnam(user);
	struct stat st;
	char fix[LS_ERROR_MAX], msg[LS_ERROR_MAX];

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(
		    fix, sizeof(fix),
		    ls_tr(N_("sudo install -d -o %s -g %s -m 0750 %s (setup-board.sh does it)")),
		    user, user, dir);
		snprintf(msg, sizeof(msg), ls_tr(N_("%s does not exist")), dir);
		emit(d, LS_DOCTOR_FAIL, fix, msg);
	} else if (pw ? !user_may(pw, &st, 2u | 1u) : access(dir, W_OK | X_OK) != 0) {
		snprintf(fix, sizeof(fix), ls_tr(N_("sudo chown %s: %s")), user, dir);
		if (pw)
			snprintf(msg, sizeof(msg), ls_tr(N_("%s is not writable by %s")), dir,
				 user);
		else
			snprintf(msg, sizeof(msg), ls_tr(N_("%s is not writable by this user")),
				 dir);
		emit(d, LS_DOCTOR_FAIL, fix, msg);
	} else if (pw) {
		ok(d, N_("%s writable by %s"), dir, user);
	} else {
		ok(d, N_("%s writable by this user"), dir);
	}
}

static void check_cache(struct doctor *d)
{
	check_dir(d, d->cfg.feed.cache_dir);
}

static void check_state(struct doctor *d)
{
	check_dir(d, d->cfg.feed.state_dir);
}

/* The running service as its status document describes it. */
static void report_running(struct doctor *d, const cJSON *doc)
{
	const cJSON *out = cJSON_GetObjectItem(doc, "output");
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(out, "type"));
	const char *id =
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "current"), "id"));
	/* The scheduler's English sentence, a message of the catalogue. */
	const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "reason"));
	double hz = cJSON_GetNumberValue(cJSON_GetObjectItem(out, "refresh_hz"));

	if (!(hz > 0))
		hz = 0;
	why = why && *why ? ls_tr(why) : "?";
	if (id)
		ok(d, N_("running: %s output at %.0f Hz, showing %s (%s)"), type ?: "?", hz, id,
		   why);
	else
		ok(d, N_("running: %s output at %.0f Hz, showing nothing (%s)"), type ?: "?", hz,
		   why);
}

static void check_service(struct doctor *d)
{
	const char *path = d->cfg.feed.status_file;
	struct ls_error err;
	int64_t mtime = 0;
	cJSON *doc;
	long age;

	if (access(path, F_OK)) {
		fail(d, N_("systemctl start ledsignd; journalctl -u ledsignd says why it stopped"),
		     N_("not running: no status file %s"), path);
		return;
	}
	if (!(doc = ls_status_read(path, &mtime, &err))) {
		fail(d, N_("systemctl restart ledsignd; journalctl -u ledsignd -n 50"), "%s",
		     err.msg);
		return;
	}
	age = (long)(time(NULL) - mtime);
	if (age > LS_STATUS_STALE_S)
		fail(d, N_("systemctl status ledsignd; journalctl -u ledsignd -n 50"),
		     N_("status file %s is %ld s old: the service is stopped or hung"), path, age);
	else
		report_running(d, doc);
	cJSON_Delete(doc);
}

/* A unit installed but not enabled (a package put into an image where systemd
 * was not running) leaves the board dark after its next boot. */
static void check_enabled(struct doctor *d)
{
	static const char *const units[] = {"/etc/systemd/system/ledsignd.service",
					    "/usr/lib/systemd/system/ledsignd.service",
					    "/lib/systemd/system/ledsignd.service",
					    "/usr/local/lib/systemd/system/ledsignd.service"};
	static const char wants[] = "/etc/systemd/system/multi-user.target.wants/ledsignd.service";
	const char *unit = NULL;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !unit; i++)
		if (access(units[i], F_OK) == 0)
			unit = units[i];
	if (!unit)
		skip(d, N_("no ledsignd.service installed on this machine"));
	else if (access(wants, F_OK) == 0)
		ok(d, N_("%s starts at boot"), unit);
	else
		fail(d, N_("sudo systemctl enable ledsignd"),
		     N_("%s is installed but not enabled: the board will not start it at boot"),
		     unit);
}

/* In run order: a check may use what an earlier one found (the config, the chip). */
static const struct {
	const char *id;
	void (*run)(struct doctor *d);
} checks[] = {
    {"config", check_config},	{"gpio", check_chip},	    {"lines", check_lines},
    {"refresh", check_refresh}, {"spidev", check_spi},	    {"gpiomem", check_gpiomem},
    {"fonts", check_fonts},	{"feed", check_feeds},	    {"signature", check_signatures},
    {"clock", check_clock},	{"cache", check_cache},	    {"state", check_state},
    {"service", check_service}, {"enabled", check_enabled},
};

static bool wanted(const struct ls_doctor_target *t, const char *id)
{
	for (const char *const *p = t->only; p && *p; p++)
		if (!strcmp(*p, id))
			return true;
	return !t->only;
}

int ls_doctor_run_service_dirs(const char *config_path, ls_doctor_report_fn report, void *user)
{
	static const char *const only[] = {"cache", "state", NULL};
	const struct passwd *pw = getpwuid(geteuid());
	struct ls_doctor_target t = {
	    .config_path = config_path, .user = pw ? pw->pw_name : "", .only = only};

	return ls_doctor_run(&t, report, user);
}

const char *ls_doctor_check_id(size_t i)
{
	return i < sizeof(checks) / sizeof(checks[0]) ? checks[i].id : NULL;
}

int ls_doctor_run(const struct ls_doctor_target *t, ls_doctor_report_fn report, void *user)
{
	struct doctor *d = calloc(1, sizeof(*d));
	int failed;

	if (!d)
		return -1;
	d->t = t;
	d->report = report;
	d->user = user;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		d->id = checks[i].id;
		d->quiet = !wanted(t, d->id);
		if (!d->quiet || i == 0) /* the config: what every other check looks at */
			checks[i].run(d);
	}
	failed = d->failed;
	free(d);
	return failed;
}
