/*
 * config_check.c: the checks of a parsed ledsign.conf that need the system,
 * run as one function by `ledsignd -n`, the service's start-up and `ledsign
 * doctor`, so "configuration OK" means the service starts. Each check builds
 * what the service builds (the player with its fonts, the panel with its
 * pins, the feeds) and throws it away, or looks at the file the service would
 * use, and locates a refusal on the line of the key to fix.
 */
#define _GNU_SOURCE /* nftw() with FTW_ACTIONRETVAL */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/canvas.h"
#include "ledsign/feed.h"
#include "ledsign/net.h"
#include "ledsign/panel.h"
#include "ledsign/player.h"
#include "ledsign/transport.h"

#define N_NEAR 3

/* The zone names nearest to a mistyped one. nftw() has no user pointer, so
 * the walk fills this one (setup code, one thread). */
static struct {
	const char *want;
	size_t root_len;
	char name[N_NEAR][LS_TZ_NAME_MAX + 1];
	int dist[N_NEAR];
} near;

/* Levenshtein distance, ignoring case, of two names of at most LS_TZ_NAME_MAX. */
static int distance(const char *a, const char *b)
{
	int row[LS_TZ_NAME_MAX + 2];
	size_t la = strlen(a), lb = strlen(b);

	if (la > LS_TZ_NAME_MAX || lb > LS_TZ_NAME_MAX)
		return 1 << 20;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], cost = tolower((unsigned char)a[i - 1]) !=
						tolower((unsigned char)b[j - 1]);
			int best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void consider(const char *name)
{
	int d = distance(near.want, name), at = N_NEAR;

	while (at > 0 && d < near.dist[at - 1])
		at--;
	if (at == N_NEAR)
		return;
	memmove(near.name[at + 1], near.name[at], sizeof(near.name[0]) * (N_NEAR - 1 - (size_t)at));
	memmove(&near.dist[at + 1], &near.dist[at],
		sizeof(near.dist[0]) * (N_NEAR - 1 - (size_t)at));
	snprintf(near.name[at], sizeof(near.name[at]), "%s", name);
	near.dist[at] = d;
}

/* Zone files are the capitalised names below the root (Asia/Ho_Chi_Minh,
 * UTC); posix/ and right/ repeat them, the lower-case and dotted ones are
 * tables. */
static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + near.root_len + 1;

	(void)st;
	if (ftw->level == 0)
		return 0;
	if (type == FTW_D &&
	    (!strcmp(name, "posix") || !strcmp(name, "right") || !isupper((unsigned char)name[0])))
		return FTW_SKIP_SUBTREE;
	if ((type == FTW_F || type == FTW_SL) && isupper((unsigned char)name[0]) &&
	    ls_tz_name_valid(name))
		consider(name);
	return 0;
}

static const char *zone_root(void)
{
	const char *dir = getenv("TZDIR");

	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

/* "did you mean A, B or C?" over the system's zone names, plus the usual
 * fixes for an offset written as a zone. */
static void zone_hint(const char *want, char *out, size_t n)
{
	const char *root = zone_root();
	size_t used = 0;
	int got = 0;

	near.want = want;
	near.root_len = strlen(root);
	for (int i = 0; i < N_NEAR; i++)
		near.dist[i] = 1 << 20, near.name[i][0] = '\0';
	nftw(root, visit, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	out[0] = '\0';
	char names[N_NEAR * (LS_TZ_NAME_MAX + 3)] = "";
	size_t k = 0;

	for (int i = 0; i < N_NEAR && near.name[i][0]; i++, got++)
		k += (size_t)snprintf(names + k, k < sizeof(names) ? sizeof(names) - k : 0, "%s%s",
				      i ? ", " : "", near.name[i]);
	if (!got)
		used += (size_t)snprintf(out, n,
					 ls_tr("no zone names found in %s (install tzdata)"), root);
	else
		used += (size_t)snprintf(out, n, ls_tr("did you mean %s?"), names);
	if (!strncasecmp(want, "UTC", 3) || !strncasecmp(want, "GMT", 3))
		used += (size_t)snprintf(
		    out + used, used < n ? n - used : 0,
		    ls_tr(" (an offset is not a zone; Etc/GMT-7 is UTC+7, the sign "
			  "is reversed)"));
	if (used < n && !strstr(out, "Asia/Ho_Chi_Minh"))
		snprintf(out + used, n - used, ls_tr(" (Viet Nam: Asia/Ho_Chi_Minh)"));
}

static int check_zone(const struct ls_config *cfg, struct ls_error *err)
{
	char hint[320];

	if (ls_tz_known(cfg->board.timezone))
		return 0;
	zone_hint(cfg->board.timezone, hint, sizeof(hint));
	ls_error_set(err, "[board] timezone: '%s' is not a time zone on this system; %s",
		     cfg->board.timezone, hint);
	return ls_config_locate(cfg, err);
}

static int check_fonts(const struct ls_config *cfg, struct ls_error *err)
{
	struct ls_player_config pc;
	struct ls_player *p;

	ls_player_config_from(&pc, cfg);
	p = ls_player_new(&pc, err);
	if (p) {
		ls_player_free(p);
		return 0;
	}
	if (err && err->msg[0] != '[')
		ls_error_prefix(err, "[display] font");
	return ls_config_locate(cfg, err);
}

/* The GPIO chip the output names has every line the panel uses. */
static int check_chip(const struct ls_config *cfg, const struct ls_line_map *map,
		      struct ls_error *err)
{
	char path[PATH_MAX];
	unsigned lines;

	if (ls_gpio_chip_probe(cfg->output.chip, path, sizeof(path), &lines, err)) {
		ls_error_prefix(err, "[output] chip");
		return ls_config_locate(cfg, err);
	}
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0 && (unsigned)map->offset[r] >= lines) {
			ls_error_set(
			    err,
			    "[pins] %s: GPIO %d is not on %s (%s has lines 0..%u); use the "
			    "GPIO number from WIRING.md",
			    ls_line_role_name(r), map->offset[r], cfg->output.chip, path,
			    lines ? lines - 1 : 0);
			return ls_config_locate(cfg, err);
		}
	if (cfg->output.type == LS_OUTPUT_SPI && access(cfg->output.spi_device, R_OK | W_OK)) {
		ls_error_set(err, "[output] spi_device: %s: %s; %s", cfg->output.spi_device,
			     strerror(errno), ls_transport_open_hint(errno, 1));
		return ls_config_locate(cfg, err);
	}
	return 0;
}

/* The panel the output would drive, with its pins; every output type, since
 * [panel] and [pins] describe the wiring whatever shows the frames. */
static int check_panel(const struct ls_config *cfg, unsigned flags, struct ls_error *err)
{
	struct ls_panel_timing t = ls_config_panel_timing(cfg);
	struct ls_panel *p = ls_panel_new(&cfg->panel, &t, err);
	struct ls_line_map map;
	int r = 0;
	/* mmap falls back to gpiod, so its chip is checked too. */
	bool gpio = cfg->output.type == LS_OUTPUT_GPIOD || cfg->output.type == LS_OUTPUT_SPI ||
		    cfg->output.type == LS_OUTPUT_MMAP;

	if (!p)
		return ls_config_locate(cfg, err);
	ls_panel_line_map(p, &map);
	ls_panel_free(p);
	if (gpio && (flags & LS_CHECK_HARDWARE))
		r = check_chip(cfg, &map, err);
	return r;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int parent_dir(const char *path, char *out, size_t n)
{
	char copy[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(out, n, "%s", dirname(copy));
	return is_dir(out) ? 0 : -1;
}

static int refuse(const struct ls_config *cfg, struct ls_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(const struct ls_config *cfg, struct ls_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), ls_tr(fmt), ap);
		va_end(ap);
	}
	return ls_config_locate(cfg, err);
}

static int check_output_path(const struct ls_config *cfg, struct ls_error *err)
{
	const char *path = cfg->output.path;
	char dir[PATH_MAX];

	if (cfg->output.type == LS_OUTPUT_PNG && !is_dir(path) &&
	    parent_dir(path, dir, sizeof(dir)))
		return refuse(cfg, err,
			      "[output] path: %s is not a directory and %s does not exist to make "
			      "it in; create it (mkdir -p %s)",
			      path, dir, path);
	/* The output makes the directory at start-up: make it once, as this user, and take
	 * it away again, so a directory it cannot make is refused here as there. */
	if (cfg->output.type == LS_OUTPUT_PNG && !is_dir(path)) {
		if (!mkdir(path, 0755))
			rmdir(path);
		else if (errno != EEXIST)
			return refuse(cfg, err, "[output] path: cannot create %s: %s", path,
				      strerror(errno));
	}
	if (cfg->output.type != LS_OUTPUT_RECORD)
		return 0;
	if (is_dir(path))
		return refuse(cfg, err, "[output] path: %s is a directory; name the trace file",
			      path);
	if (parent_dir(path, dir, sizeof(dir)) || access(dir, W_OK))
		return refuse(cfg, err,
			      "[output] path: cannot create the trace in %s: %s; create it or "
			      "pick another path",
			      dir, is_dir(dir) ? strerror(EACCES) : strerror(ENOENT));
	return 0;
}

/* cache_dir and state_dir may be missing (doctor says how to make them), but
 * a path that is something else than a directory never works. */
static int check_dirs(const struct ls_config *cfg, struct ls_error *err)
{
	const char *const names[] = {"cache_dir", "state_dir"};
	const char *const dirs[] = {cfg->feed.cache_dir, cfg->feed.state_dir};
	char dir[PATH_MAX];
	struct stat st;

	for (int i = 0; i < 2; i++)
		if (!stat(dirs[i], &st) && !S_ISDIR(st.st_mode))
			return refuse(cfg, err,
				      "[feed] %s: %s is not a directory; write a directory, "
				      "e.g. %s",
				      names[i], dirs[i],
				      i ? "/var/lib/ledsign" : "/var/cache/ledsign");
	if (cfg->feed.ca_file[0]) {
		const char *why = stat(cfg->feed.ca_file, &st)	    ? strerror(errno)
				  : !S_ISREG(st.st_mode)	    ? ls_tr("not a file")
				  : access(cfg->feed.ca_file, R_OK) ? strerror(errno)
								    : NULL;
		if (why)
			return refuse(cfg, err,
				      "[feed] ca_file: %s: %s; give the PEM file of the "
				      "feed's CA, or remove the line for the system's CAs",
				      cfg->feed.ca_file, why);
	}
	/* The default status file's directory is made by the unit (RuntimeDirectory). */
	if (cfg->feed.status_file[0] && ls_config_line(cfg, "feed", "status_file", 0) &&
	    parent_dir(cfg->feed.status_file, dir, sizeof(dir)))
		return refuse(cfg, err,
			      "[feed] status_file: directory %s does not exist; create it or "
			      "use /run/ledsign/status.json",
			      dir);
	return 0;
}

static int check_feeds(const struct ls_config *cfg, struct ls_error *err)
{
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct ls_feeds *f;
	size_t n = strlen(cfg->path);

	if (!net) {
		ls_loop_free(loop);
		return ls_error_set(err, "out of memory");
	}
	f = ls_feeds_new(cfg, net, NULL, NULL, NULL, err);
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
	if (f)
		return 0;
	/* The feed layer names the file itself; put the line in. */
	if (err && !strncmp(err->msg, cfg->path, n) && !strncmp(err->msg + n, ": [", 3))
		memmove(err->msg, err->msg + n + 2, strlen(err->msg + n + 2) + 1);
	return ls_config_locate(cfg, err);
}

static void warn_located(const struct ls_config *cfg, ls_config_warn_fn warn, void *user,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void warn_located(const struct ls_config *cfg, ls_config_warn_fn warn, void *user,
			 const char *fmt, ...)
{
	struct ls_error e;
	va_list ap;

	if (!warn)
		return;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), ls_tr(fmt), ap);
	va_end(ap);
	ls_config_locate(cfg, &e);
	warn(user, e.msg);
}

static void warn_plain_http(const struct ls_config *cfg, ls_config_warn_fn warn, void *user)
{
	bool token = cfg->feed.token[0];

	for (int i = 0; i < cfg->feed.n_urls; i++) {
		if (strncasecmp(cfg->feed.urls[i], "http://", 7))
			continue;
		if (token)
			warn_located(cfg, warn, user,
				     "[feed] url %d: %s is plain http://: signatures still protect "
				     "the content, but anyone on the way sees what the board "
				     "fetches and reads the [feed] token; use https://",
				     i + 1, cfg->feed.urls[i]);
		else
			warn_located(cfg, warn, user,
				     "[feed] url %d: %s is plain http://: signatures still protect "
				     "the content, but anyone on the way sees what the board "
				     "fetches; use https://",
				     i + 1, cfg->feed.urls[i]);
	}
	if (strncasecmp(cfg->feed.report_url, "http://", 7))
		return;
	if (token)
		warn_located(cfg, warn, user,
			     "[feed] report_url: %s is plain http://: heartbeats and the token "
			     "travel unencrypted; use https://",
			     cfg->feed.report_url);
	else
		warn_located(cfg, warn, user,
			     "[feed] report_url: %s is plain http://: heartbeats travel "
			     "unencrypted; use https://",
			     cfg->feed.report_url);
}

/* A global key is for the layers without keys of their own; when every
 * layer has its own, it signs nothing and is likely a leftover. */
static bool has_own_key(const struct ls_feed_config *f, const char *layer)
{
	for (int k = 0; k < f->n_pubkeys; k++)
		if (!strcmp(f->pubkey_layers[k], layer))
			return true;
	return false;
}

static void warn_unused_keys(const struct ls_config *cfg, ls_config_warn_fn warn, void *user)
{
	const struct ls_feed_config *f = &cfg->feed;
	int n = 0;

	for (int i = 0; i < f->n_urls; i++) /* layers with keys of their own */
		n += f->layers[i][0] && has_own_key(f, f->layers[i]);
	for (int k = 0; f->n_urls && n == f->n_urls && k < f->n_pubkeys; k++)
		if (!f->pubkey_layers[k][0])
			warn_located(cfg, warn, user,
				     "[feed] pubkey %d: a global key, but every layer has keys of "
				     "its own, so no layer trusts it; remove the line",
				     k + 1);
}

int ls_config_mmap_usable(const struct ls_config *cfg, int mode, struct ls_error *err)
{
	struct ls_panel_timing t = {LS_MMAP_WRITE_NS, 0};
	struct ls_panel *p = ls_panel_new(&cfg->panel, &t, err);
	struct ls_line_map map;

	if (!p)
		return -1;
	ls_panel_line_map(p, &map);
	ls_panel_free(p);
	return ls_gpiomem_usable(NULL, &map, mode, err);
}

/* An mmap output that will drive its lines through gpiod says so before it starts. */
static void warn_mmap_fallback(const struct ls_config *cfg, unsigned flags, ls_config_warn_fn warn,
			       void *user)
{
	struct ls_error why = {""};

	if (cfg->output.type == LS_OUTPUT_MMAP && (flags & LS_CHECK_HARDWARE) &&
	    ls_config_mmap_usable(cfg, R_OK | W_OK, &why))
		warn_located(cfg, warn, user,
			     "[output] type: mmap cannot be used here (%s); the service will drive "
			     "the lines through gpiod, at gpiod's refresh rate",
			     why.msg);
}

int ls_config_check(const struct ls_config *cfg, unsigned flags, ls_config_warn_fn warn, void *user,
		    struct ls_error *err)
{
	if (check_zone(cfg, err) || check_panel(cfg, flags, err) || check_output_path(cfg, err) ||
	    check_dirs(cfg, err) || check_fonts(cfg, err) || check_feeds(cfg, err))
		return -1;
	warn_plain_http(cfg, warn, user);
	warn_mmap_fallback(cfg, flags, warn, user);
	warn_unused_keys(cfg, warn, user);
	return 0;
}

int ls_config_reload(struct ls_config *next, const char *path, const struct ls_config *running,
		     ls_config_warn_fn warn, void *user, bool *rewired, struct ls_error *err)
{
	if (ls_config_load(next, path, err) || ls_config_check(next, 0, warn, user, err))
		return -1;
	*rewired = !ls_panel_config_equal(&next->panel, &running->panel) ||
		   !ls_output_config_equal(&next->output, &running->output);
	next->panel = running->panel;
	next->output = running->output;
	return 0;
}

/* Nominal refresh rate of a panel config at a timing; 0 when it cannot be built. */
static double panel_hz(const struct ls_panel_config *pc, const struct ls_panel_timing *t,
		       size_t *writes, size_t *bytes, struct ls_error *err)
{
	struct ls_panel *p = ls_panel_new(pc, t, err);
	struct ls_program *prog = p ? ls_panel_program_new(p) : NULL;
	struct ls_canvas *c = NULL;
	double hz = 0;
	int w, h;

	if (prog) {
		ls_panel_canvas_size(pc, &w, &h);
		c = ls_canvas_new(w, h); /* the program's length does not depend on the pixels */
	}
	if (c && !ls_panel_encode(p, c, pc->brightness, prog)) {
		hz = 1e9 / ls_panel_program_ns(p, prog);
		if (writes)
			*writes = ls_program_writes(prog);
		if (bytes)
			*bytes = prog->n_bytes;
	}
	ls_canvas_free(c);
	ls_program_free(prog);
	ls_panel_free(p);
	return hz;
}

static void advise(char *out, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void advise(char *out, size_t n, size_t *used, const char *fmt, ...)
{
	va_list ap;

	if (*used >= n)
		return;
	if (*used)
		*used += (size_t)snprintf(out + *used, n - *used, "; ");
	va_start(ap, fmt);
	if (*used < n)
		*used += (size_t)vsnprintf(out + *used, n - *used, ls_tr(fmt), ap);
	va_end(ap);
}

/* The changes that raise a slow board's rate, each with the rate it gives. */
static void refresh_advice(const struct ls_config *cfg, const struct ls_panel_timing *t, char *out,
			   size_t n)
{
	struct ls_panel_config pc = cfg->panel;
	struct ls_panel_timing spi = {t->write_ns, (unsigned)cfg->output.spi_speed_hz};
	struct ls_panel_timing mmap = {LS_MMAP_WRITE_NS, 0};
	size_t used = 0;
	double hz;

	out[0] = '\0';
	if (pc.type == LS_PANEL_HUB75)
		for (int planes = pc.bit_planes - 1; planes >= 1; planes--) {
			pc.bit_planes = planes;
			if ((hz = panel_hz(&pc, t, NULL, NULL, NULL)) >= LS_REFRESH_MIN_HZ ||
			    planes == 1) {
				advise(out, n, &used, "bit_planes = %d gives %.0f Hz", planes, hz);
				break;
			}
		}
	pc = cfg->panel;
	if (!t->spi_hz && t->write_ns > LS_MMAP_WRITE_NS && cfg->output.type != LS_OUTPUT_MMAP &&
	    (hz = panel_hz(&pc, &mmap, NULL, NULL, NULL)) > 0)
		advise(out, n, &used,
		       "[output] type = mmap (Raspberry Pi 1-4, WIRING.md) gives %.0f Hz", hz);
	if (pc.type == LS_PANEL_HUB12 && !t->spi_hz &&
	    (hz = panel_hz(&pc, &spi, NULL, NULL, NULL)) > 0)
		advise(out, n, &used, "[output] type = spi gives %.0f Hz at %d Hz (WIRING.md)", hz,
		       cfg->output.spi_speed_hz);
	if (pc.type == LS_PANEL_HUB12 && t->spi_hz && cfg->output.spi_speed_hz < 8000000) {
		spi.spi_hz = 8000000;
		if ((hz = panel_hz(&pc, &spi, NULL, NULL, NULL)) > 0)
			advise(out, n, &used, "spi_speed = 8000000 (short cables) gives %.0f Hz",
			       hz);
	}
	if (pc.rows > 1 && pc.layout == LS_LAYOUT_SERPENTINE && !t->spi_hz) {
		pc.layout = LS_LAYOUT_PARALLEL;
		if ((hz = panel_hz(&pc, t, NULL, NULL, NULL)) > 0)
			advise(out, n, &used,
			       "layout = parallel (a data line per module row) gives %.0f Hz", hz);
	}
	if (!used)
		advise(out, n, &used, "fewer modules per chain");
}

int ls_config_refresh(const struct ls_config *cfg, struct ls_refresh_estimate *e,
		      struct ls_error *err)
{
	struct ls_panel_timing t = ls_config_panel_timing(cfg);

	if (cfg->output.type != LS_OUTPUT_GPIOD && cfg->output.type != LS_OUTPUT_SPI &&
	    cfg->output.type != LS_OUTPUT_MMAP && cfg->output.type != LS_OUTPUT_RECORD)
		return 1;
	/* Where mmap cannot work the service drives gpiod: state that rate. */
	if (cfg->output.type == LS_OUTPUT_MMAP && ls_config_mmap_usable(cfg, R_OK | W_OK, NULL))
		t.write_ns = LS_PANEL_WRITE_NS;
	memset(e, 0, sizeof(*e));
	if (err)
		err->msg[0] = '\0';
	e->write_ns = t.write_ns;
	e->spi_hz = t.spi_hz;
	e->hz = panel_hz(&cfg->panel, &t, &e->writes, &e->bytes, err);
	if (e->hz <= 0)
		return err && err->msg[0] ? -1 : ls_error_set(err, "out of memory");
	if (e->hz < LS_REFRESH_MIN_HZ)
		refresh_advice(cfg, &t, e->advice, sizeof(e->advice));
	return 0;
}

void ls_refresh_describe(const struct ls_refresh_estimate *e, char *out, size_t n)
{
	if (e->spi_hz)
		snprintf(
		    out, n,
		    "%.0f Hz nominal (a refresh is %zu SPI bytes at %u Hz and %zu GPIO writes at "
		    "%u ns each)",
		    e->hz, e->bytes, e->spi_hz, e->writes, e->write_ns);
	else
		snprintf(out, n, "%.0f Hz nominal (a refresh is %zu GPIO writes at %u ns each)",
			 e->hz, e->writes, e->write_ns);
}
