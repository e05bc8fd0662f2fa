/*
 * ledsign doctor: the one command an installer runs on site. Each check prints
 * one line, "ok" or "FAIL" with what is wrong and the fix; the exit status is
 * 1 when any check failed. Checks that do not apply to this board's config
 * print "skip" with the reason.
 *
 *   ledsign doctor [-c CONFIG] [--user NAME]
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <curl/curl.h>
#include <gpiod.h>

#include <utf8proc.h>

#include "ledsign/cache.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/feed.h"
#include "ledsign/fetch.h"
#include "ledsign/i18n.h"
#include "ledsign/net.h"
#include "ledsign/panel.h"
#include "ledsign/sign.h"
#include "ledsign/status.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"
#include "ledsign/utf8.h"

#define DEFAULT_CONFIG "/etc/ledsign/ledsign.conf"
#define STATUS_FRESH_S 120 /* the service rewrites its status far more often */

/* The Vietnamese letters a board must show (lower and upper case). */
static const char vietnamese[] =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";

struct doctor {
	const char *config_path;
	const char *user; /* the service user whose access is checked */
	struct ls_config cfg;
	bool cfg_ok;
	int failed;
};

static void ok(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skip(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct doctor *d, const char *check, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ok(const char *check, const char *fmt, ...)
{
	va_list ap;

	printf(_("ok    %-10s "), check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void skip(const char *check, const char *fmt, ...)
{
	va_list ap;

	printf(_("skip  %-10s "), check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void fail(struct doctor *d, const char *check, const char *fix, const char *fmt, ...)
{
	va_list ap;

	printf(_("FAIL  %-10s "), check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(_(" -- fix: %s\n"), fix);
	d->failed++;
}

static void print_warning(void *user, const char *msg)
{
	(void)user;
	printf(_("warn  %-10s %s\n"), "config", msg);
}

/* The config as the service would take it: parsed, then the same checks
 * ledsignd -n runs (the hardware is looked at by the checks below). Without
 * a usable file the other checks look at the built-in defaults. */
static void check_config(struct doctor *d)
{
	struct ls_error err;
	bool missing = access(d->config_path, F_OK) != 0;

	if (ls_config_load(&d->cfg, d->config_path, &err) ||
	    ls_config_check(&d->cfg, 0, print_warning, NULL, &err)) {
		if (missing)
			fail(d, "config",
			     "copy the example (/usr/share/doc/ledsign/ledsign.conf.example) there "
			     "and edit it for this board, or give the file with -c",
			     "no config: %s; the checks below look at the built-in defaults",
			     err.msg);
		else
			fail(d, "config",
			     "correct that line (see ledsign.conf(5)), then run ledsign doctor "
			     "again",
			     "%s", err.msg);
		ls_config_defaults(&d->cfg);
		ls_config_default_fonts(&d->cfg);
		ls_config_default_feed(&d->cfg);
		return;
	}
	d->cfg_ok = true;
	ok("config", "%s is valid (%s output, %s panel)", d->config_path,
	   ls_output_type_name(d->cfg.output.type),
	   d->cfg.panel.type == LS_PANEL_HUB75 ? "hub75" : "hub12");
}

static bool uses_gpio(const struct doctor *d)
{
	return d->cfg.output.type == LS_OUTPUT_GPIOD || d->cfg.output.type == LS_OUTPUT_SPI;
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

static void check_chip(struct doctor *d, char *chip_path, size_t n)
{
	struct passwd *pw = getpwnam(d->user);
	struct ls_error err;
	struct stat st;
	unsigned lines;

	chip_path[0] = '\0';
	if (!uses_gpio(d)) {
		skip("gpio", "the %s output uses no GPIO", ls_output_type_name(d->cfg.output.type));
		return;
	}
	if (ls_gpio_chip_probe(d->cfg.output.chip, chip_path, n, &lines, &err)) {
		chip_path[0] = '\0';
		fail(d, "gpio",
		     "set [output] chip to one of the chips found; on a Raspberry Pi 5 "
		     "use chip = pinctrl-rp1",
		     "%s", err.msg);
		return;
	}
	if (stat(chip_path, &st))
		st = (struct stat){0};
	if (!pw)
		fail(d, "gpio", "run sudo sh /usr/share/ledsign/setup-board.sh (creates the user)",
		     "%s found, but the service user '%s' does not exist", chip_path, d->user);
	else if (!user_may(pw, &st, 6u))
		fail(d, "gpio",
		     "install 60-ledsign-gpio.rules and run setup-board.sh (adds the user to group "
		     "gpio)",
		     "%s is not readable and writable by user %s", chip_path, d->user);
	else
		ok("gpio", "%s found, accessible by %s", chip_path, d->user);
}

/* The lines the panel drives, by role, from the library's own line map (the
 * one the transports request); -1 when the panel cannot be built. */
static int panel_lines(const struct ls_config *cfg, struct ls_line_map *map, struct ls_error *err)
{
	struct ls_panel_timing t = {LS_PANEL_WRITE_NS, cfg->output.type == LS_OUTPUT_SPI
							   ? (unsigned)cfg->output.spi_speed_hz
							   : 0};
	struct ls_panel *p = ls_panel_new(&cfg->panel, &t, err);

	if (!p)
		return -1;
	ls_panel_line_map(p, map);
	ls_panel_free(p);
	return 0;
}

static bool line_ok(struct doctor *d, struct gpiod_chip *chip, const char *path, size_t lines,
		    int role, int off)
{
	struct gpiod_line_info *li;
	bool used;

	if ((size_t)off >= lines) {
		fail(d, "lines", "correct [pins] (GPIO numbers, see WIRING.md)",
		     "[pins] %s = %d, but %s has only %zu lines", ls_line_role_name(role), off,
		     path, lines);
		return false;
	}
	li = gpiod_chip_get_line_info(chip, (unsigned)off);
	used = li && gpiod_line_info_is_used(li);
	if (used) {
		const char *who = gpiod_line_info_get_consumer(li);
		fail(d, "lines",
		     "stop that program or disable its overlay (e.g. w1-gpio, spi, i2c in "
		     "config.txt), or move the pin",
		     "[pins] %s = GPIO%d is held by '%s'", ls_line_role_name(role), off,
		     who && *who ? who : "the kernel");
	}
	gpiod_line_info_free(li);
	return !used;
}

static void check_lines(struct doctor *d, const char *chip_path)
{
	struct ls_line_map map;
	struct ls_error err;
	struct gpiod_chip *chip;
	struct gpiod_chip_info *ci;
	size_t lines;
	int n = 0, problems = 0;

	if (!uses_gpio(d) || !chip_path[0]) {
		skip("lines", "%s",
		     uses_gpio(d) ? "no GPIO chip to look at" : "no GPIO output configured");
		return;
	}
	if (panel_lines(&d->cfg, &map, &err)) {
		skip("lines", "the panel config is refused above: %s", err.msg);
		return;
	}
	chip = gpiod_chip_open(chip_path);
	if (!chip) {
		fail(d, "lines", "run doctor as root or as a member of group gpio",
		     "cannot open %s: %s", chip_path, strerror(errno));
		return;
	}
	ci = gpiod_chip_get_info(chip);
	lines = ci ? gpiod_chip_info_get_num_lines(ci) : 0;
	gpiod_chip_info_free(ci);
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map.offset[r] >= 0) {
			n++;
			problems += !line_ok(d, chip, chip_path, lines, r, map.offset[r]);
		}
	gpiod_chip_close(chip);
	if (!problems)
		ok("lines", "the panel's %d lines exist on %s and are free", n, chip_path);
}

static void warn(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(const char *check, const char *fmt, ...)
{
	va_list ap;

	printf(_("warn  %-10s "), check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
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
		skip("refresh", "the %s output drives no panel",
		     ls_output_type_name(d->cfg.output.type));
		return;
	}
	if (r < 0) {
		skip("refresh", "the panel config is refused above");
		return;
	}
	ls_refresh_describe(&e, line, sizeof(line));
	if (e.hz < LS_REFRESH_MIN_HZ)
		warn("refresh", "%s: under %.0f Hz the board flickers -- change: %s", line,
		     LS_REFRESH_MIN_HZ, e.advice);
	else
		ok("refresh", "%s", line);
}

static void check_spi(struct doctor *d)
{
	const char *dev = d->cfg.output.spi_device;
	struct passwd *pw = getpwnam(d->user);
	struct stat st;

	if (d->cfg.output.type != LS_OUTPUT_SPI) {
		skip("spidev", "the %s output does not use SPI",
		     ls_output_type_name(d->cfg.output.type));
		return;
	}
	if (stat(dev, &st))
		fail(d, "spidev",
		     "enable SPI (dtparam=spi=on in /boot/firmware/config.txt) and reboot",
		     "%s: %s", dev, strerror(errno));
	else if (pw && !user_may(pw, &st, 6u))
		fail(d, "spidev",
		     "install 60-ledsign-gpio.rules and run setup-board.sh (group spi)",
		     "%s is not readable and writable by user %s", dev, d->user);
	else
		ok("spidev", "%s present", dev);
}

/* Says which configured fonts are not made for the height (they only fill
 * gaps behind the others) and which glyph of a font is too tall for the line
 * (it comes from the next font that fits it). */
static void report_fits(struct ls_fontset *fs, int height)
{
	struct ls_font_fit fit;
	const char *path;

	for (int i = 0; (path = ls_fontset_font(fs, i, &fit)); i++) {
		if (!fit.suitable)
			printf(_("warn  %-10s %s is not made for %d-row lines; it only fills gaps "
				 "behind the fonts that are\n"),
			       "fonts", path, height);
		if (fit.overflow_rows) {
			char u[8] = {0};
			utf8proc_encode_char((utf8proc_int32_t)fit.overflow_cp,
					     (utf8proc_uint8_t *)u);
			printf(_("warn  %-10s %s: '%s' (U+%04X) is %d row%s taller than the line; "
				 "that glyph comes from the next font that fits it\n"),
			       "fonts", path, u, (unsigned)fit.overflow_cp, fit.overflow_rows,
			       fit.overflow_rows > 1 ? "s" : "");
		}
	}
}

static void check_fonts(struct doctor *d)
{
	const char *paths[LS_MAX_FONTS];
	struct ls_error err;
	struct ls_fontset *fs;
	char missing[256] = "";
	size_t len = strlen(vietnamese), at = 0;
	int height = d->cfg.panel.module_height, absent = 0;
	uint32_t cp;

	for (int i = 0; i < d->cfg.display.n_fonts; i++)
		paths[i] = d->cfg.display.fonts[i];
	if (!d->cfg.display.n_fonts) {
		fail(d, "fonts",
		     "install fonts-unifont or set [display] font = a BDF/TTF with Vietnamese",
		     "no font configured and none of the default fonts is installed");
		return;
	}
	fs = ls_fontset_open(paths, d->cfg.display.n_fonts, height,
			     d->cfg.panel.type == LS_PANEL_HUB12, &err);
	if (!fs) {
		fail(d, "fonts", "correct [display] font", "%s", err.msg);
		return;
	}
	for (size_t i = 0, n; i < len; i += n) {
		const struct ls_glyph *g;

		n = ls_utf8_decode(vietnamese + i, len - i, &cp);
		g = ls_fontset_glyph(fs, cp);
		if (g && g->face >= 0)
			continue;
		absent++;
		if (at + n + 1 < sizeof(missing)) {
			memcpy(missing + at, vietnamese + i, n);
			at += n;
			missing[at] = '\0';
		}
	}
	report_fits(fs, height);
	ls_fontset_free(fs);
	if (absent)
		fail(d, "fonts",
		     "add a font with full Vietnamese ([display] font = .../ledsign16.bdf or "
		     "unifont)",
		     "%d Vietnamese letters missing at %d px: %s", absent, height, missing);
	else
		ok("fonts", "all 134 Vietnamese letters at %d px (%s)", height, paths[0]);
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
		fail(d, "feed",
		     rc == CURLE_COULDNT_RESOLVE_HOST
			 ? "check the board's network and DNS server (/etc/resolv.conf)"
			 : "check the URL, the board's network and that the server is up",
		     "feed %d %s: %s", i + 1, url, *errbuf ? errbuf : curl_easy_strerror(rc));
	else if (code >= 400)
		fail(d, "feed", "check the URL and [feed] token with the feed's publisher",
		     "feed %d %s: the server answered HTTP %ld", i + 1, url, code);
	else
		ok("feed", "feed %d %s answers", i + 1, url);
}

static void check_feeds(struct doctor *d)
{
	char url[LS_URL_MAX + PATH_MAX];
	struct ls_error err;

	if (!d->cfg.feed.n_urls) {
		skip("feed", "no [feed] url: the bundled example playlist plays");
		return;
	}
	for (int i = 0; i < d->cfg.feed.n_urls; i++) {
		if (feed_url(d, i, url, sizeof(url), &err))
			fail(d, "feed", "correct [feed] url", "feed %d: %s", i + 1, err.msg);
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
		fail(d, "signature", "remove the broken record; the service fetches the feed again",
		     "cache of %s: %s", url, err.msg);
		return -1;
	}
	pl = ls_feed_check(keys, n, url, (const char *)e.body, e.body_len, e.sig, e.sig_len, NULL,
			   &fl, &err);
	ls_cache_entry_free(&e);
	if (!pl) {
		fail(d, "signature",
		     "check [feed] pubkey against the publisher's key; re-sign the feed",
		     "cached %s does not verify: %s", url, err.msg);
		return -1;
	}
	ls_playlist_free(pl);
	return 1;
}

/* Each layer's cache against the keys that layer trusts (config.h). */
static void check_signatures(struct doctor *d)
{
	struct ls_pubkey keys[LS_MAX_PUBKEYS];
	char url[LS_URL_MAX + PATH_MAX], name[LS_LAYER_NAME_MAX];
	struct ls_error err;
	int n, verified = 0, bad = 0;

	if (!d->cfg.feed.n_pubkeys) {
		fail(d, "signature",
		     "add the publisher's key: [feed] pubkey = RW... (ledsign keygen makes one)",
		     "no [feed] pubkey: unsigned feeds would play, so anyone on the network can "
		     "change the board");
		return;
	}
	for (int i = 0; i < d->cfg.feed.n_urls; i++) {
		ls_config_layer_name(&d->cfg, i, name);
		n = ls_config_layer_keys(&d->cfg, i, keys, &err);
		if (n < 0) {
			fail(d, "signature",
			     "copy the base64 line of the publisher's .pub file into [feed] pubkey",
			     "layer %s: %s", name, err.msg);
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
		ok("signature", "%d key(s) for %d layer(s); %d cached feed(s) verify",
		   d->cfg.feed.n_pubkeys, d->cfg.feed.n_urls, verified);
}

static void check_clock(struct doctor *d)
{
	struct ls_now now;

	ls_now_sample(d->cfg.board.timezone, &now);
	if (now.wall_valid)
		ok("clock", "synchronised (%04d-%02d-%02d %02d:%02d %s)", now.local.tm_year + 1900,
		   now.local.tm_mon + 1, now.local.tm_mday, now.local.tm_hour, now.local.tm_min,
		   d->cfg.board.timezone);
	else
		fail(d, "clock",
		     "timedatectl set-ntp true, and let the board reach an NTP server (UDP 123)",
		     "not synchronised: schedules and display hours wait for a trusted clock");
}

static void check_dir(struct doctor *d, const char *what, const char *dir)
{
	struct passwd *pw = getpwnam(d->user);
	struct stat st;
	char fix[PATH_MAX + 96];

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(fix, sizeof(fix),
			 "sudo install -d -o %s -g %s -m 0750 %s (setup-board.sh does it)", d->user,
			 d->user, dir);
		fail(d, what, fix, "%s does not exist", dir);
	} else if (pw ? !user_may(pw, &st, 2u | 1u) : access(dir, W_OK | X_OK) != 0) {
		snprintf(fix, sizeof(fix), "sudo chown %s: %s", d->user, dir);
		fail(d, what, fix, "%s is not writable by %s", dir, pw ? d->user : "this user");
	} else {
		ok(what, "%s writable by %s", dir, pw ? d->user : "this user");
	}
}

static void check_service(struct doctor *d)
{
	const char *path = d->cfg.feed.status_file;
	struct ls_error err;
	int64_t mtime = 0;
	cJSON *doc, *out, *cur;
	long age;

	if (access(path, F_OK)) {
		fail(d, "service",
		     "systemctl start ledsignd; journalctl -u ledsignd says why it stopped",
		     "not running: no status file %s", path);
		return;
	}
	doc = ls_status_read(path, &mtime, &err);
	if (!doc) {
		fail(d, "service", "systemctl restart ledsignd; journalctl -u ledsignd -n 50", "%s",
		     err.msg);
		return;
	}
	age = (long)(time(NULL) - mtime);
	if (age > STATUS_FRESH_S) {
		fail(d, "service", "systemctl status ledsignd; journalctl -u ledsignd -n 50",
		     "status file %s is %ld s old: the service is stopped or hung", path, age);
		cJSON_Delete(doc);
		return;
	}
	out = cJSON_GetObjectItem(doc, "output");
	cur = cJSON_GetObjectItem(doc, "current");
	ok("service", "running: %s output at %.0f Hz, showing %s (%s)",
	   cJSON_GetStringValue(cJSON_GetObjectItem(out, "type")) ?: "?",
	   cJSON_GetNumberValue(cJSON_GetObjectItem(out, "refresh_hz")) > 0
	       ? cJSON_GetNumberValue(cJSON_GetObjectItem(out, "refresh_hz"))
	       : 0.0,
	   cJSON_GetStringValue(cJSON_GetObjectItem(cur, "id")) ?: "nothing",
	   cJSON_GetStringValue(cJSON_GetObjectItem(doc, "reason")) ?: "reason not reported");
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
		skip("enabled", "no ledsignd.service installed on this machine");
	else if (access(wants, F_OK) == 0)
		ok("enabled", "%s starts at boot", unit);
	else
		fail(d, "enabled", "sudo systemctl enable ledsignd",
		     "%s is installed but not enabled: the board will not start it at boot", unit);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ledsign doctor [-c CONFIG] [--user NAME]\n"
		"  -c, --config FILE   the board's config (default " DEFAULT_CONFIG ")\n"
		"      --user NAME     the service user whose access is checked (default ledsign)\n"
		"Prints one line per check (ok, skip or FAIL with the fix); exits 1 when any "
		"failed.\n");
}

int tool_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
						 {"user", required_argument, NULL, 'u'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	struct doctor d = {.config_path = DEFAULT_CONFIG, .user = "ledsign"};
	char chip[PATH_MAX];
	int ch;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'u':
			d.user = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	check_config(&d);
	check_chip(&d, chip, sizeof(chip));
	check_lines(&d, chip);
	check_refresh(&d);
	check_spi(&d);
	check_fonts(&d);
	check_feeds(&d);
	check_signatures(&d);
	check_clock(&d);
	check_dir(&d, "cache", d.cfg.feed.cache_dir);
	check_dir(&d, "state", d.cfg.feed.state_dir);
	check_service(&d);
	check_enabled(&d);
	if (d.failed)
		printf(_("%d check(s) failed\n"), d.failed);
	else
		printf(_("all checks passed\n"));
	return d.failed ? 1 : 0;
}
