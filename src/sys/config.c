/*
 * config.c: reads ledsign.conf with the library's INI checker (inicheck.c)
 * against one table of keys, so the list of valid keys shown in an error is
 * always the real one; the values whose meaning another module owns (zones,
 * public keys, hours, colours) are checked here too, so a mistake is reported
 * with its line and `ledsignd -n` agrees with the service.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistd.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/light.h"
#include "ledsign/datadir.h"
#include "ledsign/hours.h"
#include "ledsign/i18n.h"
#include "ledsign/inicheck.h"
#include "ledsign/sign.h"
#include "ledsign/utf8.h"

static const char *const output_names[] = {
    [LS_OUTPUT_TERM] = "term",	 [LS_OUTPUT_PNG] = "png", [LS_OUTPUT_RECORD] = "record",
    [LS_OUTPUT_GPIOD] = "gpiod", [LS_OUTPUT_SPI] = "spi", [LS_OUTPUT_MMAP] = "mmap",
    [LS_OUTPUT_NONE] = "none",
};

/* Tags are separated by commas (and, as before, spaces); an empty one between
 * two commas is a typing slip, not a tag. */
static int set_tags(void *target, const struct ls_ini_key *k, const char *value,
		    struct ls_error *err)
{
	struct ls_board_config *b = &((struct ls_config *)target)->board;
	char copy[LS_MAX_TAGS * LS_TAG_MAX], *save, *tok, *piece = copy, *comma;

	(void)k;
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

static int set_output(void *target, const struct ls_ini_key *k, const char *value,
		      struct ls_error *err)
{
	struct ls_config *cfg = target;

	(void)k;
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
	    err,
	    "[output] type: '%s' is not an output; use term, png, record, gpiod, spi, mmap or "
	    "none",
	    value);
}

static int set_colour(void *target, const struct ls_ini_key *k, const char *value,
		      struct ls_error *err)
{
	if (ls_rgb_parse(value, (struct ls_rgb *)((char *)target + k->off)))
		return ls_error_set(err, "[%s] %s: '%s' is not a colour; %s", k->section, k->name,
				    value, k->hint);
	return 0;
}

static int check_hours(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	(void)k;
	return ls_hours_parse(value, &(struct ls_hours){0}, err);
}

static int check_brightness(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	(void)k;
	return ls_brightness_parse(value, &(struct ls_brightness){0}, err);
}

static int check_light_curve(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	(void)k;
	return ls_light_curve_parse(value, &(struct ls_light_curve){0}, err);
}

static int check_light_sensor(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	(void)k;
	if (strcmp(value, "auto") && value[0] != '/')
		return ls_error_set(err,
				    "\"%s\" is not a sensor; use auto, or an IIO device directory "
				    "such as /sys/bus/iio/devices/iio:device0",
				    value);
	return 0;
}

static int check_pubkey(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	struct ls_pubkey pk;
	struct ls_error why;

	(void)k;
	if (ls_pubkey_parse(value, strlen(value), &pk, &why))
		return ls_error_set(err,
				    "[feed] pubkey: %.*s; paste the base64 line of the .pub file "
				    "(the line after \"untrusted comment:\")",
				    (int)strcspn(why.msg, ";"),
				    why.msg); /* our own remedy replaces the parser's */
	return 0;
}

static int check_name(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	size_t bad;

	(void)k;
	if (!ls_utf8_valid(value, strlen(value), &bad))
		return ls_error_set(
		    err,
		    "[board] name: byte %zu (0x%02X) is not UTF-8; save the file as "
		    "UTF-8",
		    bad + 1, (unsigned char)value[bad]);
	return 0;
}

static int check_record_as(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (strcmp(value, "gpiod") && strcmp(value, "spi") && strcmp(value, "mmap"))
		return ls_error_set(err, "[output] record_as: '%s' is not valid; use %s", value,
				    k->hint);
	return 0;
}

static bool has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

static int check_url(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	const char *sep = strstr(value, "://");

	if (!strcmp(k->name, "report_url") || !strcmp(k->name, "push_url")) {
		if (*value && !has_scheme(value, "https") && !has_scheme(value, "http") &&
		    k->name[0] == 'r')
			return ls_error_set(
			    err,
			    "[feed] %s: '%s' is not an http(s) URL; write "
			    "https://HOST/PATH, or remove the line for no heartbeats",
			    k->name, value);
		if (*value && !has_scheme(value, "https") && !has_scheme(value, "http"))
			return ls_error_set(
			    err,
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

#define LAYER_FIRST "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static bool layer_name_valid(const char *s, size_t n)
{
	if (!n || n >= LS_LAYER_NAME_MAX || !strchr(LAYER_FIRST, s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(LAYER_FIRST "._-", s[i]))
			return false;
	return true;
}

/* Splits "NAME VALUE" into layer and *value; one word is the value alone.
 * A url whose first word has ':' or '/' is a URL or path with a space. */
static int split_layer(const struct ls_ini_key *k, const char **value,
		       char layer[LS_LAYER_NAME_MAX], struct ls_error *err)
{
	const char *v = *value;
	size_t n = strcspn(v, " \t");

	if (!v[n] || (k->name[0] == 'u' && strpbrk(v, ":/") && strpbrk(v, ":/") < v + n))
		return 0;
	if (!layer_name_valid(v, n))
		return ls_error_set(err,
				    "[feed] %s: '%.*s' is not a layer name; write %s = NAME %s "
				    "with NAME of letters, digits, '.', '-' and '_' (at most %d, "
				    "e.g. national, ha-noi), or the %s alone",
				    k->name, (int)(n < 40 ? n : 40), v, k->name,
				    k->name[0] == 'u' ? "URL" : "KEY", LS_LAYER_NAME_MAX - 1,
				    k->name[0] == 'u' ? "URL" : "key");
	memcpy(layer, v, n);
	layer[n] = '\0';
	*value = v + n + strspn(v + n, " \t");
	return 0;
}

/* [feed] url and pubkey: "NAME VALUE" or VALUE alone, checked as the key's
 * value, stored with the layer name beside it ("" when none). */
static int set_layered(void *target, const struct ls_ini_key *k, const char *value,
		       struct ls_error *err)
{
	struct ls_feed_config *f = &((struct ls_config *)target)->feed;
	bool url = k->name[0] == 'u';
	int *count = url ? &f->n_urls : &f->n_pubkeys;
	size_t size = url ? sizeof(f->urls[0]) : sizeof(f->pubkeys[0]);
	char layer[LS_LAYER_NAME_MAX] = "";

	if (split_layer(k, &value, layer, err) ||
	    (url ? check_url(k, value, err) : check_pubkey(k, value, err)))
		return -1;
	if (*count >= k->max_count)
		return ls_error_set(err, "[%s] %s: at most %d are allowed", k->section, k->name,
				    k->max_count);
	if (strlen(value) >= size)
		return ls_error_set(err, "[%s] %s: value is %zu characters; the limit is %zu",
				    k->section, k->name, strlen(value), size - 1);
	snprintf(url ? f->urls[*count] : f->pubkeys[*count], size, "%s", value);
	snprintf(url ? f->layers[*count] : f->pubkey_layers[*count], LS_LAYER_NAME_MAX, "%s",
		 layer);
	(*count)++;
	return 0;
}

/* Designated, so an entry may stop after its hint. */
#define F(m) .off = offsetof(struct ls_config, m), .size = sizeof(((struct ls_config *)0)->m)
#define REP(m)                                                                                     \
	.off = offsetof(struct ls_config, m), .size = sizeof(((struct ls_config *)0)->m[0]),       \
	.min = 0, .max = 0
#define COUNT(c, n) offsetof(struct ls_config, c), n
/* Keys whose empty value means "off" (no token, the system's CAs, no
 * heartbeats, no status file, always on, no schedule) carry LS_INI_EMPTY_OK;
 * any other key needs a value. */
#define EMPTY .flags = LS_INI_EMPTY_OK

static const struct ls_ini_key keys[] = {
    {"board", "name", LS_INI_STR, F(board.name), 0, 0, "the board's name, shown by {board}",
     .check = check_name},
    {"board", "tags", LS_INI_CUSTOM, F(board.tags), 0, 0,
     "comma-separated tags, e.g. national, hanoi, ba-dinh", .set = set_tags},
    {"board", "timezone", LS_INI_STR, F(board.timezone), 0, 0,
     "an IANA zone, e.g. Asia/Ho_Chi_Minh", .check = ls_ini_check_zone},

    {"output", "type", LS_INI_CUSTOM, F(output.type), 0, 0,
     "use term, png, record, gpiod, spi, mmap or none", .set = set_output},
    {"output", "path", LS_INI_STR, F(output.path), 0, 0,
     "a directory (png) or a trace file (record)"},
    {"output", "fps", LS_INI_INT, F(output.fps), 1, 200, "frames per second, 1..200"},
    {"output", "chip", LS_INI_STR, F(output.chip), 0, 0,
     "a GPIO chip path, name or label, e.g. gpiochip0"},
    {"output", "spi_device", LS_INI_STR, F(output.spi_device), 0, 0, "e.g. /dev/spidev0.0"},
    {"output", "spi_speed", LS_INI_INT, F(output.spi_speed_hz), 100000, 32000000,
     "the SPI clock in Hz, 100000..32000000 (4000000 is safe)"},
    {"output", "record_as", LS_INI_STR, F(output.record_as), 0, 0,
     "gpiod, spi or mmap: the transport a record output traces", .check = check_record_as},
    {"output", "rt_priority", LS_INI_INT, F(output.rt_priority), 0, 99,
     "0 (normal) or a SCHED_FIFO priority 1..99"},
    {"output", "cpu", LS_INI_INT, F(output.cpu), -1, 255,
     "-1 (any) or the CPU number to pin the refresh thread to"},

    {"feed", "url", LS_INI_CUSTOM, REP(feed.urls),
     "a feed URL (https://, http:// or file://), after the layer's name if it has keys of its "
     "own (url = national https://...); repeat the key for each layer",
     COUNT(feed.n_urls, LS_MAX_FEEDS), .set = set_layered},
    {"feed", "poll", LS_INI_INT, F(feed.poll_s), 5, 86400, "seconds between polls, 5..86400"},
    {"feed", "pubkey", LS_INI_CUSTOM, REP(feed.pubkeys),
     "a minisign public key (the base64 line of the .pub file), after the name of the layer "
     "it signs (pubkey = national RW...); repeat for several",
     COUNT(feed.n_pubkeys, LS_MAX_PUBKEYS), .set = set_layered},
    {"feed", "cache_dir", LS_INI_STR, F(feed.cache_dir), 0, 0,
     "a writable directory, e.g. /var/cache/ledsign"},
    {"feed", "state_dir", LS_INI_STR, F(feed.state_dir), 0, 0,
     "a writable directory, e.g. /var/lib/ledsign"},
    {"feed", "ca_file", LS_INI_STR, F(feed.ca_file), 0, 0, "a PEM file with a private CA", EMPTY},
    {"feed", "token", LS_INI_STR, F(feed.token), 0, 0, "a bearer token sent with each request",
     EMPTY},
    {"feed", "max_bytes", LS_INI_LONG, F(feed.max_bytes), 1024, 16L * 1024 * 1024,
     "the largest feed accepted, 1024..16777216 bytes"},
    {"feed", "connect_timeout", LS_INI_INT, F(feed.connect_timeout_s), 1, 300, "seconds, 1..300"},
    {"feed", "timeout", LS_INI_INT, F(feed.timeout_s), 1, 3600,
     "seconds for a whole transfer, 1..3600"},
    {"feed", "report_url", LS_INI_STR, F(feed.report_url), 0, 0,
     "a URL that receives heartbeat reports (JSON POST)", EMPTY, .check = check_url},
    {"feed", "report_token", LS_INI_STR, F(feed.report_token), 0, 0,
     "this board's own token for report_url (deploy/HUB.md, Enrolment); default: token", EMPTY},
    {"feed", "report_interval", LS_INI_INT, F(feed.report_interval_s), 10, 86400,
     "seconds between heartbeats, 10..86400"},
    {"feed", "status_file", LS_INI_STR, F(feed.status_file), 0, 0,
     "a path for the JSON status, e.g. /run/ledsign/status.json", EMPTY},
    {"feed", "push_url", LS_INI_STR, F(feed.push_url), 0, 0,
     "the push channel's subscriber URL (deploy/FEED.md, Push); default: poll only", EMPTY,
     .check = check_url},

    {"display", "font", LS_INI_STR, REP(display.fonts),
     "a font file (BDF, PCF, TTF, OTF); repeat for a fallback chain",
     COUNT(display.n_fonts, LS_MAX_FONTS)},
    {"display", "colour", LS_INI_CUSTOM, F(display.colour), 0, 0,
     "a name (red, amber, green, white) or #rrggbb", .set = set_colour},
    {"display", "color", LS_INI_CUSTOM, F(display.colour), 0, 0,
     "a name (red, amber, green, white) or #rrggbb", .flags = LS_INI_ALIAS, .set = set_colour},
    {"display", "background", LS_INI_CUSTOM, F(display.background), 0, 0, "a name or #rrggbb",
     .set = set_colour},
    {"display", "speed", LS_INI_INT, F(display.speed), 1, 400, "pixels per second, 1..400"},
    {"display", "hours", LS_INI_STR, F(display.hours), 0, 0,
     "on/off times, e.g. mon-fri 07:00-17:30, sat 07:30-11:30", EMPTY, .check = check_hours},
    {"display", "brightness", LS_INI_STR, F(display.brightness), 0, 0,
     "a schedule, e.g. 07:00 100, 18:00 30", EMPTY, .check = check_brightness},
    {"display", "light_sensor", LS_INI_STR, F(display.light_sensor), 0, 0,
     "auto, or an IIO device directory such as /sys/bus/iio/devices/iio:device0", EMPTY,
     .check = check_light_sensor},
    {"display", "light_curve", LS_INI_STR, F(display.light_curve), 0, 0,
     "LUX PERCENT points, e.g. " LS_LIGHT_CURVE_DEFAULT, EMPTY, .check = check_light_curve},
    {"display", "light_smoothing", LS_INI_INT, F(display.light_smoothing_s), 0, 600,
     "seconds, 0..600"},
    {"display", "light_hysteresis", LS_INI_INT, F(display.light_hysteresis), 1, 50,
     "percent points, 1..50"},
};

static const char *const sections[] = {"board", "panel", "pins", "output", "feed", "display"};

/* The panel's keys ([panel], [pins]) are the panel module's own table. */
static int panel_key(void *cfg, const char *section, const char *name, const char *value,
		     struct ls_error *err)
{
	return ls_panel_config_set(&((struct ls_config *)cfg)->panel, section, name, value, err);
}

static const char *panel_keys(const char *section)
{
	if (!strcmp(section, "panel") || !strcmp(section, "pins"))
		return ls_panel_config_keys(section);
	return NULL;
}

static const struct ls_ini_schema schema = {
    .sections = sections,
    .n_sections = sizeof(sections) / sizeof(sections[0]),
    .keys = keys,
    .n_keys = sizeof(keys) / sizeof(keys[0]),
    .other = panel_key,
    .other_keys = panel_keys,
};

struct ls_panel_timing ls_config_panel_timing(const struct ls_config *cfg)
{
	bool record = cfg->output.type == LS_OUTPUT_RECORD;
	bool spi =
	    cfg->output.type == LS_OUTPUT_SPI || (record && !strcmp(cfg->output.record_as, "spi"));
	bool mmap = cfg->output.type == LS_OUTPUT_MMAP ||
		    (record && !strcmp(cfg->output.record_as, "mmap"));

	return (struct ls_panel_timing){mmap ? LS_MMAP_WRITE_NS : LS_PANEL_WRITE_NS,
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
	cfg->display.light_smoothing_s = 10;
	cfg->display.light_hysteresis = 5;
}

/* The keys cfg's file gave, as the INI checker notes them. */
static struct ls_ini_seen seen_of(const struct ls_config *cfg)
{
	return (struct ls_ini_seen){(struct ls_ini_where *)cfg->where, LS_CONFIG_MAX_WHERE,
				    cfg->n_where};
}

int ls_config_line(const struct ls_config *cfg, const char *section, const char *key, int nth)
{
	struct ls_ini_seen seen = seen_of(cfg);

	return ls_ini_line(&seen, section, !strcmp(key, "color") ? "colour" : key, nth);
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

static int layer_of(const struct ls_feed_config *f, const char *name)
{
	for (int i = 0; i < f->n_urls; i++)
		if (!strcmp(f->layers[i], name))
			return i;
	return -1;
}

const char *ls_config_layer_name(const struct ls_config *cfg, int layer,
				 char out[LS_LAYER_NAME_MAX])
{
	if (cfg->feed.layers[layer][0])
		snprintf(out, LS_LAYER_NAME_MAX, "%s", cfg->feed.layers[layer]);
	else
		snprintf(out, LS_LAYER_NAME_MAX, "%d", layer + 1);
	return out;
}

static int own_keys(const struct ls_feed_config *f, const char *layer)
{
	int n = 0;

	for (int i = 0; i < f->n_pubkeys; i++)
		n += layer[0] && !strcmp(f->pubkey_layers[i], layer);
	return n;
}

int ls_config_layer_keys(const struct ls_config *cfg, int layer, struct ls_pubkey *out,
			 struct ls_error *err)
{
	const struct ls_feed_config *f = &cfg->feed;
	const char *want = own_keys(f, f->layers[layer]) ? f->layers[layer] : "";
	int n = 0;

	for (int i = 0; i < f->n_pubkeys; i++) {
		if (strcmp(f->pubkey_layers[i], want))
			continue;
		if (ls_pubkey_parse(f->pubkeys[i], strlen(f->pubkeys[i]), &out[n++], err))
			return ls_error_prefix(err, "[feed] pubkey %d", i + 1);
	}
	return n;
}

/* Each url names another layer; each named key is for a layer a url names,
 * which has at most LS_LAYER_KEYS of them. */
static int check_layer_names(const struct ls_feed_config *f, struct ls_error *err)
{
	int globals = 0, seen[LS_MAX_FEEDS] = {0};

	for (int i = 0; i < f->n_urls; i++)
		if (f->layers[i][0] && layer_of(f, f->layers[i]) != i)
			return ls_error_set(err,
					    "[feed] url %d: the layer name '%s' is url %d's too; "
					    "give each layer its own name",
					    i + 1, f->layers[i], layer_of(f, f->layers[i]) + 1);
	for (int i = 0; i < f->n_pubkeys; i++) {
		const char *l = f->pubkey_layers[i];
		if (!l[0] && ++globals > LS_MAX_GLOBAL_KEYS)
			return ls_error_set(
			    err,
			    "[feed] pubkey %d: at most %d keys without a layer name; "
			    "give each layer its own (pubkey = NAME KEY)",
			    i + 1, LS_MAX_GLOBAL_KEYS);
		if (l[0] && layer_of(f, l) < 0)
			return ls_error_set(
			    err,
			    "[feed] pubkey %d: no [feed] url is named '%s'; name the "
			    "layer on its url line (url = %s https://...) or correct "
			    "the name",
			    i + 1, l, l);
		if (l[0] && ++seen[layer_of(f, l)] > LS_LAYER_KEYS)
			return ls_error_set(
			    err,
			    "[feed] pubkey %d: layer %s has %d keys; a layer trusts "
			    "at most %d (the old and the new one while the key "
			    "changes): remove the old one",
			    i + 1, l, own_keys(f, l), LS_LAYER_KEYS);
	}
	return 0;
}

/* The same key on two lines: within a layer a slip, across layers the very
 * thing per-layer keys forbid (one layer's key signing another's files). */
static int check_key_twice(const struct ls_feed_config *f, struct ls_error *err)
{
	struct ls_pubkey k[LS_MAX_PUBKEYS];
	char hex[LS_KEY_ID_HEX];

	for (int i = 0; i < f->n_pubkeys; i++) {
		if (ls_pubkey_parse(f->pubkeys[i], strlen(f->pubkeys[i]), &k[i], err))
			return ls_error_prefix(err, "[feed] pubkey %d", i + 1);
		for (int j = 0; j < i; j++) {
			if (memcmp(k[i].id, k[j].id, 8))
				continue;
			ls_key_id_hex(k[i].id, hex);
			if (!strcmp(f->pubkey_layers[i], f->pubkey_layers[j]))
				return ls_error_set(
				    err,
				    "[feed] pubkey %d: key ID %s is pubkey %d's too; "
				    "remove one of the two lines",
				    i + 1, hex, j + 1);
			if (!f->pubkey_layers[j][0])
				return ls_error_set(
				    err,
				    "[feed] pubkey %d: key ID %s is pubkey %d's too, a global key; "
				    "each layer signs with a key pair of its own (ledsign keygen): "
				    "give this layer its own key",
				    i + 1, hex, j + 1);
			return ls_error_set(
			    err,
			    "[feed] pubkey %d: key ID %s is pubkey %d's too, for layer "
			    "%s; each layer signs with a key pair of its own (ledsign "
			    "keygen): give this layer its own key",
			    i + 1, hex, j + 1, f->pubkey_layers[j]);
		}
	}
	return 0;
}

/* Once any key is given, a layer that trusts none would play whatever its
 * URL serves, unsigned. */
static int check_layer_signed(const struct ls_feed_config *f, struct ls_error *err)
{
	int globals = 0;

	if (!f->n_pubkeys)
		return 0;
	for (int i = 0; i < f->n_pubkeys; i++)
		globals += !f->pubkey_layers[i][0];
	for (int i = 0; i < f->n_urls && !globals; i++) {
		if (own_keys(f, f->layers[i]))
			continue;
		if (f->layers[i][0])
			return ls_error_set(err,
					    "[feed] url %d: layer %s has no key while other layers "
					    "are signed, so it would play unsigned files; add "
					    "pubkey = %s KEY (its publisher's public key)",
					    i + 1, f->layers[i], f->layers[i]);
		return ls_error_set(err,
				    "[feed] url %d: this layer has no key while other layers are "
				    "signed, so it would play unsigned files; name it (url = NAME "
				    "URL) and add pubkey = NAME KEY, or add a global pubkey = KEY",
				    i + 1);
	}
	return 0;
}

static int check_whole(const struct ls_config *cfg, struct ls_error *err)
{
	if (ls_panel_config_check(&cfg->panel, err))
		return -1;
	if (check_layer_names(&cfg->feed, err) || check_key_twice(&cfg->feed, err) ||
	    check_layer_signed(&cfg->feed, err))
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
	struct ls_ini_seen seen = {cfg->where, LS_CONFIG_MAX_WHERE, 0};
	int r = ls_ini_parse(&schema, cfg, &seen, path, buf, len, err);

	cfg->n_where = seen.n;
	if (r)
		return -1;
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

void ls_config_of_size(struct ls_config *cfg, int w, int h, bool rgb)
{
	ls_config_defaults(cfg);
	cfg->panel.type = rgb ? LS_PANEL_HUB75 : LS_PANEL_HUB12;
	cfg->panel.module_width = w;
	cfg->panel.module_height = h;
	cfg->panel.chain = cfg->panel.rows = 1;
	ls_config_default_fonts(cfg);
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
		if (strcmp(a->urls[i], b->urls[i]) || strcmp(a->layers[i], b->layers[i]))
			return false;
	return true;
}

static bool pubkeys_equal(const struct ls_feed_config *a, const struct ls_feed_config *b)
{
	if (a->n_pubkeys != b->n_pubkeys)
		return false;
	for (int i = 0; i < a->n_pubkeys; i++)
		if (strcmp(a->pubkeys[i], b->pubkeys[i]) ||
		    strcmp(a->pubkey_layers[i], b->pubkey_layers[i]))
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

int ls_config_board(struct ls_config *cfg, const char *spec, struct ls_error *err)
{
	int w, h, n = 0;

	if (spec && sscanf(spec, "%dx%d%n", &w, &h, &n) == 2 && (!spec[n] || spec[n] == ':')) {
		const char *kind = spec[n] ? spec + n + 1 : "mono";
		if (w < 8 || h < 8 || w > LS_CANVAS_MAX_DIM || h > LS_CANVAS_MAX_DIM)
			return ls_error_set(
			    err, "--board %s: use WIDTHxHEIGHT between 8x8 and 4096x4096", spec);
		if (strcmp(kind, "rgb") && strcmp(kind, "mono"))
			return ls_error_set(err, "--board %s: after ':' use mono or rgb", spec);
		ls_config_of_size(cfg, w, h, !strcmp(kind, "rgb"));
		return 0;
	}
	if (!spec) {
		ls_config_defaults(cfg);
		ls_config_default_fonts(cfg);
		return 0;
	}
	return ls_config_load(cfg, spec, err);
}

int ls_board_set_tags(struct ls_board_config *b, const char *list, struct ls_error *err)
{
	const char *p = list;

	b->n_tags = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n && b->n_tags == LS_MAX_TAGS)
			return ls_error_set(err, "--tags: at most %d tags", LS_MAX_TAGS);
		if (n >= LS_TAG_MAX)
			return ls_error_set(err, "--tags: '%.*s' is longer than %d bytes", (int)n,
					    p, LS_TAG_MAX - 1);
		if (n)
			snprintf(b->tags[b->n_tags++], LS_TAG_MAX, "%.*s", (int)n, p);
		p += n + (p[n] == ',');
	}
	return 0;
}
