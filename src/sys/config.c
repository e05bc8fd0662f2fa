/*
 * config.c: reads ledsign.conf with inih and checks every key against one
 * table, so the list of valid keys shown in an error is always the real one.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistd.h>

#include <ini.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/datadir.h"
#include "ledsign/hours.h"
#include "ledsign/sign.h"
#include "ledsign/utf8.h"

enum kind { K_STR, K_INT, K_LONG, K_COLOUR, K_TAGS, K_OUTPUT, K_HOURS, K_BRIGHTNESS };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off, size;
	long min, max;
	const char *hint;
	size_t count_off; /* repeatable string keys: offset of the int counter, else 0 */
	int max_count;
};

#define F(m) offsetof(struct ls_config, m), sizeof(((struct ls_config *)0)->m)
#define REP(m, c, n) offsetof(struct ls_config, m), sizeof(((struct ls_config *)0)->m[0]), 0, 0

static const struct key keys[] = {
    {"board", "name", K_STR, F(board.name), 0, 0, "the board's name, shown by {board}", 0, 0},
    {"board", "tags", K_TAGS, F(board.tags), 0, 0,
     "comma-separated tags, e.g. national, hanoi, ba-dinh", 0, 0},
    {"board", "timezone", K_STR, F(board.timezone), 0, 0, "an IANA zone, e.g. Asia/Ho_Chi_Minh", 0,
     0},

    {"output", "type", K_OUTPUT, F(output.type), 0, 0, "use term, png, record, gpiod, spi or none",
     0, 0},
    {"output", "path", K_STR, F(output.path), 0, 0, "a directory (png) or a trace file (record)", 0,
     0},
    {"output", "fps", K_INT, F(output.fps), 1, 200, "frames per second, 1..200", 0, 0},
    {"output", "chip", K_STR, F(output.chip), 0, 0,
     "a GPIO chip path, name or label, e.g. gpiochip0", 0, 0},
    {"output", "spi_device", K_STR, F(output.spi_device), 0, 0, "e.g. /dev/spidev0.0", 0, 0},
    {"output", "spi_speed", K_INT, F(output.spi_speed_hz), 100000, 32000000,
     "the SPI clock in Hz, 100000..32000000 (4000000 is safe)", 0, 0},
    {"output", "record_as", K_STR, F(output.record_as), 0, 0,
     "gpiod or spi: the transport a record output traces", 0, 0},
    {"output", "rt_priority", K_INT, F(output.rt_priority), 0, 99,
     "0 (normal) or a SCHED_FIFO priority 1..99", 0, 0},
    {"output", "cpu", K_INT, F(output.cpu), -1, 255,
     "-1 (any) or the CPU number to pin the refresh thread to", 0, 0},

    {"feed", "url", K_STR, REP(feed.urls, feed.n_urls, LS_MAX_FEEDS),
     "a feed URL (https://, http:// or file://); repeat the key for each layer",
     offsetof(struct ls_config, feed.n_urls), LS_MAX_FEEDS},
    {"feed", "poll", K_INT, F(feed.poll_s), 5, 86400, "seconds between polls, 5..86400", 0, 0},
    {"feed", "pubkey", K_STR, REP(feed.pubkeys, feed.n_pubkeys, LS_MAX_PUBKEYS),
     "a minisign public key (the base64 line of the .pub file); repeat for several",
     offsetof(struct ls_config, feed.n_pubkeys), LS_MAX_PUBKEYS},
    {"feed", "cache_dir", K_STR, F(feed.cache_dir), 0, 0,
     "a writable directory, e.g. /var/cache/ledsign", 0, 0},
    {"feed", "state_dir", K_STR, F(feed.state_dir), 0, 0,
     "a writable directory, e.g. /var/lib/ledsign", 0, 0},
    {"feed", "ca_file", K_STR, F(feed.ca_file), 0, 0, "a PEM file with a private CA", 0, 0},
    {"feed", "token", K_STR, F(feed.token), 0, 0, "a bearer token sent with each request", 0, 0},
    {"feed", "max_bytes", K_LONG, F(feed.max_bytes), 1024, 16L * 1024 * 1024,
     "the largest feed accepted, 1024..16777216 bytes", 0, 0},
    {"feed", "connect_timeout", K_INT, F(feed.connect_timeout_s), 1, 300, "seconds, 1..300", 0, 0},
    {"feed", "timeout", K_INT, F(feed.timeout_s), 1, 3600, "seconds for a whole transfer, 1..3600",
     0, 0},
    {"feed", "report_url", K_STR, F(feed.report_url), 0, 0,
     "a URL that receives heartbeat reports (JSON POST)", 0, 0},
    {"feed", "report_token", K_STR, F(feed.report_token), 0, 0,
     "this board's own token for report_url (deploy/HUB.md, Enrolment); default: token", 0, 0},
    {"feed", "report_interval", K_INT, F(feed.report_interval_s), 10, 86400,
     "seconds between heartbeats, 10..86400", 0, 0},
    {"feed", "status_file", K_STR, F(feed.status_file), 0, 0,
     "a path for the JSON status, e.g. /run/ledsign/status.json", 0, 0},
    {"feed", "push_url", K_STR, F(feed.push_url), 0, 0,
     "the push channel's subscriber URL (deploy/FEED.md, Push); default: poll only", 0, 0},

    {"display", "font", K_STR, REP(display.fonts, display.n_fonts, LS_MAX_FONTS),
     "a font file (BDF, PCF, TTF, OTF); repeat for a fallback chain",
     offsetof(struct ls_config, display.n_fonts), LS_MAX_FONTS},
    {"display", "colour", K_COLOUR, F(display.colour), 0, 0,
     "a name (red, amber, green, white) or #rrggbb", 0, 0},
    {"display", "color", K_COLOUR, F(display.colour), 0, 0,
     "a name (red, amber, green, white) or #rrggbb", 0, 0},
    {"display", "background", K_COLOUR, F(display.background), 0, 0, "a name or #rrggbb", 0, 0},
    {"display", "speed", K_INT, F(display.speed), 1, 400, "pixels per second, 1..400", 0, 0},
    {"display", "hours", K_HOURS, F(display.hours), 0, 0,
     "on/off times, e.g. mon-fri 07:00-17:30, sat 07:30-11:30", 0, 0},
    {"display", "brightness", K_BRIGHTNESS, F(display.brightness), 0, 0,
     "a schedule, e.g. 07:00 100, 18:00 30", 0, 0},
};

static const char *const output_names[] = {
    [LS_OUTPUT_TERM] = "term",	 [LS_OUTPUT_PNG] = "png", [LS_OUTPUT_RECORD] = "record",
    [LS_OUTPUT_GPIOD] = "gpiod", [LS_OUTPUT_SPI] = "spi", [LS_OUTPUT_NONE] = "none",
};

struct ls_panel_timing ls_config_panel_timing(const struct ls_config *cfg)
{
	bool spi = cfg->output.type == LS_OUTPUT_SPI ||
		   (cfg->output.type == LS_OUTPUT_RECORD && !strcmp(cfg->output.record_as, "spi"));

	return (struct ls_panel_timing){LS_PANEL_WRITE_NS,
					spi ? (unsigned)cfg->output.spi_speed_hz : 0};
}

const char *ls_output_type_name(enum ls_output_type type)
{
	return output_names[type];
}

void ls_config_defaults(struct ls_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->board.name, sizeof(cfg->board.name), "ledsign");
	snprintf(cfg->board.timezone, sizeof(cfg->board.timezone), "Asia/Ho_Chi_Minh");
	ls_panel_config_defaults(&cfg->panel);
	cfg->panel.chain = 6;
	cfg->output.type = LS_OUTPUT_TERM;
	cfg->output.fps = 25;
	snprintf(cfg->output.chip, sizeof(cfg->output.chip), "gpiochip0");
	snprintf(cfg->output.spi_device, sizeof(cfg->output.spi_device), "/dev/spidev0.0");
	cfg->output.spi_speed_hz = 4000000;
	snprintf(cfg->output.record_as, sizeof(cfg->output.record_as), "gpiod");
	cfg->output.cpu = -1;
	cfg->feed.poll_s = 60;
	snprintf(cfg->feed.cache_dir, sizeof(cfg->feed.cache_dir), "/var/cache/ledsign");
	snprintf(cfg->feed.state_dir, sizeof(cfg->feed.state_dir), "/var/lib/ledsign");
	cfg->feed.max_bytes = 1024 * 1024;
	cfg->feed.connect_timeout_s = 10;
	cfg->feed.timeout_s = 60;
	cfg->feed.report_interval_s = 300;
	snprintf(cfg->feed.status_file, sizeof(cfg->feed.status_file), "/run/ledsign/status.json");
	cfg->display.colour = (struct ls_rgb){255, 0, 0};
	cfg->display.speed = 32;
}

/* Collects the first error only; inih keeps reading, but one clear message is
 * worth more than a cascade. */
struct parse_state {
	struct ls_config *cfg;
	struct ls_error *err;
	bool failed;
	const char *buf, *pos, *end;
	int lineno; /* of the line read last */
	bool line_too_long;
};

static const char *section_keys(const char *section, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].section, section) || !strcmp(keys[i].name, "color"))
			continue;
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s",
					 used ? ", " : "", keys[i].name);
		if (used >= n)
			break;
	}
	return buf;
}

static int set_str(char *dst, size_t size, const struct key *k, const char *value,
		   struct ls_error *err)
{
	if (strlen(value) >= size)
		return ls_error_set(err, "[%s] %s: value is %zu characters; the limit is %zu",
				    k->section, k->name, strlen(value), size - 1);
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int set_number(void *dst, const struct key *k, const char *value, struct ls_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || *end || errno || v < k->min || v > k->max)
		return ls_error_set(err, "[%s] %s: '%s' is not valid; %s", k->section, k->name,
				    value, k->hint);
	if (k->kind == K_INT)
		*(int *)dst = (int)v;
	else
		*(long *)dst = v;
	return 0;
}

/* Tags are separated by commas (and, as before, spaces); an empty one between
 * two commas is a typing slip, not a tag. */
static int set_tags(struct ls_board_config *b, const char *value, struct ls_error *err)
{
	char copy[LS_MAX_TAGS * LS_TAG_MAX], *save, *tok, *piece = copy, *comma;

	if (strlen(value) >= sizeof(copy))
		return ls_error_set(err, "[board] tags: too long; at most %d tags", LS_MAX_TAGS);
	strcpy(copy, value);
	b->n_tags = 0;
	for (bool last = false; !last; piece = comma + 1) {
		comma = strchr(piece, ',');
		last = !comma;
		if (comma)
			*comma = '\0';
		if (!piece[strspn(piece, " \t")])
			return ls_error_set(
			    err, "[board] tags: '%s' has an empty tag; remove the extra comma",
			    value);
		for (tok = strtok_r(piece, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			if (b->n_tags == LS_MAX_TAGS || strlen(tok) >= LS_TAG_MAX)
				return ls_error_set(
				    err, "[board] tags: at most %d tags of %d characters each",
				    LS_MAX_TAGS, LS_TAG_MAX - 1);
			strcpy(b->tags[b->n_tags++], tok);
		}
		if (last)
			break;
	}
	return 0;
}

static int set_output(struct ls_config *cfg, const char *value, struct ls_error *err)
{
	/* "record:FILE" is shorthand for type = record plus path = FILE. */
	if (!strncmp(value, "record:", 7)) {
		if (strlen(value + 7) >= sizeof(cfg->output.path))
			return ls_error_set(err, "[output] type: trace path too long");
		strcpy(cfg->output.path, value + 7);
		cfg->output.type = LS_OUTPUT_RECORD;
		return 0;
	}
	for (size_t i = 0; i < sizeof(output_names) / sizeof(output_names[0]); i++)
		if (!strcasecmp(value, output_names[i])) {
			cfg->output.type = (enum ls_output_type)i;
			return 0;
		}
	return ls_error_set(
	    err, "[output] type: '%s' is not an output; use term, png, record, gpiod, spi or none",
	    value);
}

static int apply_key(struct ls_config *cfg, const struct key *k, const char *value,
		     struct ls_error *err)
{
	char *base = (char *)cfg;

	switch (k->kind) {
	case K_STR:
		if (k->count_off) {
			int *count = (int *)(base + k->count_off);
			if (*count >= k->max_count)
				return ls_error_set(err, "[%s] %s: at most %d are allowed",
						    k->section, k->name, k->max_count);
			if (set_str(base + k->off + (size_t)*count * k->size, k->size, k, value,
				    err))
				return -1;
			(*count)++;
			return 0;
		}
		return set_str(base + k->off, k->size, k, value, err);
	case K_INT:
	case K_LONG:
		return set_number(base + k->off, k, value, err);
	case K_COLOUR:
		if (ls_rgb_parse(value, (struct ls_rgb *)(base + k->off)))
			return ls_error_set(err, "[%s] %s: '%s' is not a colour; %s", k->section,
					    k->name, value, k->hint);
		return 0;
	case K_TAGS:
		return set_tags(&cfg->board, value, err);
	case K_OUTPUT:
		return set_output(cfg, value, err);
	case K_HOURS: /* checked here so a mistake is reported with its line */
		if (ls_hours_parse(value, &(struct ls_hours){0}, err))
			return -1;
		return set_str(base + k->off, k->size, k, value, err);
	case K_BRIGHTNESS:
		if (ls_brightness_parse(value, &(struct ls_brightness){0}, err))
			return -1;
		return set_str(base + k->off, k->size, k, value, err);
	}
	return -1;
}

/* Keys whose empty value means "off" (no token, the system's CAs, no
 * heartbeats, no status file, always on, no schedule); any other key needs a value. */
static bool may_be_empty(const struct key *k)
{
	static const char *const names[] = {"token",	   "report_token", "ca_file", "report_url",
					    "status_file", "push_url",	   "hours",   "brightness"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(k->name, names[i]))
			return true;
	return false;
}

static bool has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

static int check_url(const struct key *k, const char *value, struct ls_error *err)
{
	const char *sep = strstr(value, "://");

	if (!strcmp(k->name, "report_url") || !strcmp(k->name, "push_url")) {
		if (*value && !has_scheme(value, "https") && !has_scheme(value, "http") &&
		    k->name[0] == 'r')
			return ls_error_set(err,
					    "[feed] %s: '%s' is not an http(s) URL; write "
					    "https://HOST/PATH, or remove the line for no heartbeats",
					    k->name, value);
		if (*value && !has_scheme(value, "https") && !has_scheme(value, "http"))
			return ls_error_set(err,
					    "[feed] %s: '%s' is not an http(s) URL; write "
					    "https://HOST/PATH, or remove the line for polling only",
					    k->name, value);
		return 0;
	}
	if (sep && !has_scheme(value, "https") && !has_scheme(value, "http") &&
	    !has_scheme(value, "file"))
		return ls_error_set(err,
				    "[feed] url: '%.*s://' is not a scheme ledsign fetches; use "
				    "https:// (or file:// for a local copy)",
				    (int)(sep - value < 16 ? sep - value : 16), value);
	return 0;
}

/* A value whose meaning another module owns is checked here too, so the
 * mistake is reported with its line and `ledsignd -n` agrees with the service. */
static int check_value(const struct key *k, const char *value, struct ls_error *err)
{
	struct ls_pubkey pk;
	struct ls_error why;

	if (!*value && !may_be_empty(k))
		return ls_error_set(err,
				    "[%s] %s: empty; write %s, or remove the line for the default",
				    k->section, k->name, k->hint);
	if (!strcmp(k->section, "feed") && !strcmp(k->name, "pubkey") &&
	    ls_pubkey_parse(value, strlen(value), &pk, &why))
		return ls_error_set(err,
				    "[feed] pubkey: %.*s; paste the base64 line of the .pub file "
				    "(the line after \"untrusted comment:\")",
				    (int)strcspn(why.msg, ";"),
				    why.msg); /* our own remedy replaces the parser's */
	size_t bad;
	if (!strcmp(k->section, "board") && !strcmp(k->name, "name") &&
	    !ls_utf8_valid(value, strlen(value), &bad))
		return ls_error_set(
		    err,
		    "[board] name: byte %zu (0x%02X) is not UTF-8; save the file as "
		    "UTF-8",
		    bad + 1, (unsigned char)value[bad]);
	if (!strcmp(k->section, "board") && !strcmp(k->name, "timezone") &&
	    !ls_tz_name_valid(value))
		return ls_error_set(err, "[board] timezone: '%s' is not a time zone name; %s",
				    value, k->hint);
	if (!strcmp(k->name, "record_as") && strcmp(value, "gpiod") && strcmp(value, "spi"))
		return ls_error_set(err, "[output] record_as: '%s' is not valid; use %s", value,
				    k->hint);
	if (!strcmp(k->section, "feed") &&
	    (!strcmp(k->name, "url") || !strcmp(k->name, "report_url") ||
	     !strcmp(k->name, "push_url")))
		return check_url(k, value, err);
	return 0;
}

static bool known_section(const char *section)
{
	static const char *const sections[] = {"board",	 "panel", "pins",
					       "output", "feed",  "display"};

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(section, sections[i]))
			return true;
	return false;
}

static bool repeatable(const char *section, const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			return keys[i].count_off != 0;
	return false;
}

/* Records where a key was written; a key that is not repeatable and was
 * given before is refused (the last would win silently). */
static int note_key(struct parse_state *st, const char *section, const char *name)
{
	struct ls_config *cfg = st->cfg;
	const char *key = !strcmp(name, "color") ? "colour" : name;
	int nth = 0;

	for (int i = 0; i < cfg->n_where; i++) {
		const struct ls_config_where *w = &cfg->where[i];
		if (strcmp(w->section, section) || strcmp(w->key, key))
			continue;
		if (!repeatable(section, key))
			return ls_error_set(st->err,
					    "[%s] %s: given twice (first on line %d); keep one",
					    section, name, w->line);
		nth++;
	}
	if (cfg->n_where == LS_CONFIG_MAX_WHERE ||
	    strlen(section) >= sizeof(cfg->where[0].section) ||
	    strlen(key) >= sizeof(cfg->where[0].key))
		return ls_error_set(st->err, "[%s] %s: too many keys; a config has at most %d",
				    section, name, LS_CONFIG_MAX_WHERE);
	struct ls_config_where *w = &cfg->where[cfg->n_where++];
	snprintf(w->section, sizeof(w->section), "%s", section);
	snprintf(w->key, sizeof(w->key), "%s", key);
	w->nth = nth;
	w->line = st->lineno;
	return 0;
}

static int handle_key(struct parse_state *st, const char *section, const char *name,
		      const char *value)
{
	char list[512];
	int r;

	if (!known_section(section))
		return ls_error_set(st->err,
				    "[%s]: unknown section; valid sections are [board], [panel], "
				    "[pins], [output], [feed], [display]",
				    section);
	r = ls_panel_config_set(&st->cfg->panel, section, name, value, st->err);
	if (r < 0)
		return -1;
	if (r > 0)
		return note_key(st, section, name);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name)) {
			if (check_value(&keys[i], value, st->err) || note_key(st, section, name))
				return -1;
			return apply_key(st->cfg, &keys[i], value, st->err);
		}
	if (!strcmp(section, "panel") || !strcmp(section, "pins"))
		snprintf(list, sizeof(list), "%s", ls_panel_config_keys(section));
	else
		section_keys(section, list, sizeof(list));
	return ls_error_set(st->err, "[%s] %s: unknown key; valid keys in [%s] are: %s", section,
			    name, section, list);
}

static int on_ini_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;

	if (st->failed)
		return 1;
	if (!*section)
		return ls_error_set(st->err,
				    "%s: key outside any section; put it under [board], [panel], "
				    "[output], [feed] or [display]",
				    name),
		       st->failed = true, 0;
	if (handle_key(st, section, name, value) < 0) {
		st->failed = true;
		return 0;
	}
	return 1;
}

/* inih reader over a memory buffer that refuses lines longer than inih's limit
 * instead of letting them be split silently. */
static char *read_ini_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	const char *nl;
	size_t n;

	if (st->pos >= st->end)
		return NULL;
	nl = memchr(st->pos, '\n', (size_t)(st->end - st->pos));
	n = nl ? (size_t)(nl - st->pos) + 1 : (size_t)(st->end - st->pos);
	if (n > (size_t)num - 1) {
		st->line_too_long = true;
		return NULL;
	}
	memcpy(str, st->pos, n);
	str[n] = '\0';
	st->pos += n;
	st->lineno++;
	return str;
}

int ls_config_line(const struct ls_config *cfg, const char *section, const char *key, int nth)
{
	const char *k = !strcmp(key, "color") ? "colour" : key;

	for (int i = 0; i < cfg->n_where; i++)
		if (!strcmp(cfg->where[i].section, section) && !strcmp(cfg->where[i].key, k) &&
		    cfg->where[i].nth == nth)
			return cfg->where[i].line;
	return 0;
}

static int first_line_of(const struct ls_config *cfg, const char *section)
{
	int line = 0;

	for (int i = 0; i < cfg->n_where; i++)
		if (!strcmp(cfg->where[i].section, section) && (!line || cfg->where[i].line < line))
			line = cfg->where[i].line;
	return line;
}

static int locate_in(const struct ls_config *cfg, const char *path, struct ls_error *err)
{
	char section[16], key[32];
	int nth = 1, line = 0;

	if (!err)
		return -1;
	if (sscanf(err->msg, "[%15[a-z]] %31[a-z0-9_] %d:", section, key, &nth) >= 2) {
		line = ls_config_line(cfg, section, key, nth > 0 ? nth - 1 : 0);
		if (!line)
			line = first_line_of(cfg, section);
	}
	if (line)
		return ls_error_prefix(err, "%s:%d", path, line);
	return ls_error_prefix(err, "%s", path);
}

int ls_config_locate(const struct ls_config *cfg, struct ls_error *err)
{
	return locate_in(cfg, cfg->path, err);
}

static int check_whole(const struct ls_config *cfg, struct ls_error *err)
{
	if (ls_panel_config_check(&cfg->panel, err))
		return -1;
	if ((cfg->output.type == LS_OUTPUT_PNG || cfg->output.type == LS_OUTPUT_RECORD) &&
	    !cfg->output.path[0])
		return ls_error_set(
		    err, "[output] path: the %s output needs a path; add path = ... under [output]",
		    ls_output_type_name(cfg->output.type));
	return 0;
}

int ls_config_parse(struct ls_config *cfg, const char *path, const char *buf, size_t len,
		    struct ls_error *err)
{
	struct parse_state st = {.cfg = cfg, .err = err, .buf = buf, .pos = buf, .end = buf + len};
	int line;

	if (len > LS_CONFIG_MAX_BYTES)
		return ls_error_set(err, "%s: %zu bytes; a config is at most %d bytes", path, len,
				    LS_CONFIG_MAX_BYTES);
	if (memchr(buf, '\0', len))
		return ls_error_set(err, "%s: contains a NUL byte; is this a text file?", path);
	cfg->n_where = 0;
	line = ini_parse_stream(read_ini_line, &st, on_ini_key, &st);
	if (st.line_too_long) {
		int n = 1;
		for (const char *p = buf; p < st.pos; p++)
			n += *p == '\n';
		return ls_error_set(err, "%s:%d: line longer than 199 characters; shorten it", path,
				    n);
	}
	if (line > 0) {
		if (!st.failed)
			ls_error_set(
			    err, "syntax error; expected [section], key = value, or a ; comment");
		return ls_error_prefix(err, "%s:%d", path, line);
	}
	if (line < 0)
		return ls_error_set(err, "%s: could not be parsed", path);
	if (check_whole(cfg, err))
		return locate_in(cfg, path, err);
	return 0;
}

static void add_font_if_present(struct ls_config *cfg, const char *path)
{
	if (cfg->display.n_fonts < LS_MAX_FONTS && access(path, R_OK) == 0)
		snprintf(cfg->display.fonts[cfg->display.n_fonts++], PATH_MAX, "%s", path);
}

void ls_config_default_fonts(struct ls_config *cfg)
{
	char shipped[PATH_MAX], tree[PATH_MAX];

	if (cfg->display.n_fonts)
		return;
	/* The tree's own font for a program run from its build directory (found
	 * from the program's path, not the current directory), else the installed one. */
	static const char *const own[] = {"fonts/ledsign16.bdf", "fonts/ledsign32.bdf"};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		if (ls_tree_path(tree, sizeof(tree), own[i]))
			add_font_if_present(cfg, tree);
		else if (ls_data_path(shipped, sizeof(shipped), own[i]))
			add_font_if_present(cfg, shipped);
	}
	/* One chain for every line height: the font set puts the fonts made for
	 * the height first (ledsign16 at 16 rows, ledsign32 at 32, whose tones
	 * stand clear of their hats where DejaVu Sans Bold's touch them, as
	 * fonts/README.md says; DejaVu at other heights from 24), the others
	 * fill gaps. */
	add_font_if_present(cfg, "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	add_font_if_present(cfg, "/usr/share/fonts/opentype/unifont/unifont.otf");
}

void ls_config_default_feed(struct ls_config *cfg)
{
	char installed[PATH_MAX], real[PATH_MAX];
	const char *const bundled[] = {
	    ls_data_path(installed, sizeof(installed), "content/national.json"),
	    "content/national.json"};

	if (cfg->feed.n_urls)
		return;
	for (size_t i = 0; i < sizeof(bundled) / sizeof(bundled[0]); i++)
		if (realpath(bundled[i], real) && strlen(real) + 8 < LS_URL_MAX) {
			snprintf(cfg->feed.urls[cfg->feed.n_urls++], LS_URL_MAX, "file://%s", real);
			return;
		}
}

int ls_config_load(struct ls_config *cfg, const char *path, struct ls_error *err)
{
	FILE *f;
	char *buf;
	size_t n;
	int r;

	ls_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	f = fopen(path, "rb");
	if (!f)
		return ls_error_set(err, "%s: %s", path, strerror(errno));
	buf = malloc(LS_CONFIG_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return ls_error_set(err, "%s: out of memory", path);
	}
	n = fread(buf, 1, LS_CONFIG_MAX_BYTES + 1, f);
	fclose(f);
	r = ls_config_parse(cfg, path, buf, n, err);
	free(buf);
	if (r == 0) {
		ls_config_default_fonts(cfg);
		ls_config_default_feed(cfg);
	}
	return r;
}

bool ls_output_config_equal(const struct ls_output_config *a, const struct ls_output_config *b)
{
	return a->type == b->type && !strcmp(a->path, b->path) && a->fps == b->fps &&
	       !strcmp(a->chip, b->chip) && !strcmp(a->spi_device, b->spi_device) &&
	       a->spi_speed_hz == b->spi_speed_hz && a->rt_priority == b->rt_priority &&
	       a->cpu == b->cpu && !strcmp(a->record_as, b->record_as);
}

static bool urls_equal(const struct ls_feed_config *a, const struct ls_feed_config *b)
{
	if (a->n_urls != b->n_urls)
		return false;
	for (int i = 0; i < a->n_urls; i++)
		if (strcmp(a->urls[i], b->urls[i]))
			return false;
	return true;
}

static bool pubkeys_equal(const struct ls_feed_config *a, const struct ls_feed_config *b)
{
	if (a->n_pubkeys != b->n_pubkeys)
		return false;
	for (int i = 0; i < a->n_pubkeys; i++)
		if (strcmp(a->pubkeys[i], b->pubkeys[i]))
			return false;
	return true;
}

bool ls_feed_config_equal(const struct ls_feed_config *a, const struct ls_feed_config *b)
{
	return urls_equal(a, b) && a->poll_s == b->poll_s && pubkeys_equal(a, b) &&
	       !strcmp(a->cache_dir, b->cache_dir) && !strcmp(a->state_dir, b->state_dir) &&
	       !strcmp(a->ca_file, b->ca_file) && !strcmp(a->token, b->token) &&
	       a->max_bytes == b->max_bytes && a->connect_timeout_s == b->connect_timeout_s &&
	       a->timeout_s == b->timeout_s && !strcmp(a->report_token, b->report_token) &&
	       !strcmp(a->report_url, b->report_url) &&
	       a->report_interval_s == b->report_interval_s &&
	       !strcmp(a->status_file, b->status_file) && !strcmp(a->push_url, b->push_url);
}
