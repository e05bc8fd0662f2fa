/*
 * config.c: reads hub.conf with the library's INI checker (ledsign/inicheck.h)
 * against one table of keys, as the board's src/sys/config.c reads
 * ledsign.conf, so `ledsign-hub -n` and the service agree.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "ledsign/inicheck.h"

static int check_url(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (value[0] && strncmp(value, "sqlite:", 7) && strncmp(value, "postgresql://", 13) &&
	    strncmp(value, "postgres://", 11))
		return ls_error_set(err, "[database] url: '%s' is not a database; %s", value,
				    k->hint);
	return 0;
}

static int check_listen(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (strncmp(value, "unix:/", 6) && !strchr(value, ':'))
		return ls_error_set(err, "[http] listen: '%s' has no port; %s", value, k->hint);
	return 0;
}

/* Designated, so an entry may stop after its hint. */
#define F(m) .off = offsetof(struct hub_config, m), .size = sizeof(((struct hub_config *)0)->m)

static const struct ls_ini_key keys[] = {
    {"http", "listen", LS_INI_STR, F(http.listen), 0, 0,
     "host:port on loopback (127.0.0.1:8470) or unix:/run/ledsign-hub/hub.sock",
     .check = check_listen},
    {"http", "max_body", LS_INI_LONG, F(http.max_body), 1024, 16L * 1024 * 1024,
     "bytes, 1024..16777216"},
    {"http", "max_connections", LS_INI_INT, F(http.max_connections), 1, 10000, "1..10000"},
    {"http", "timeout", LS_INI_INT, F(http.timeout_s), 1, 3600, "seconds, 1..3600"},
    {"http", "www_dir", LS_INI_STR, F(http.www_dir), 0, 0, "the directory of the page's files"},
    {"http", "cookie_secure", LS_INI_BOOL, F(http.cookie_secure), 0, 1,
     "yes or no (no only for a test without TLS)"},
    {"database", "url", LS_INI_STR, F(database.url), 0, 0,
     "empty (SQLite in state_dir), sqlite:/path/hub.db or postgresql://...",
     .flags = LS_INI_EMPTY_OK, .check = check_url},
    {"hub", "state_dir", LS_INI_STR, F(hub.state_dir), 0, 0,
     "a writable directory, e.g. /var/lib/ledsign-hub"},
    {"hub", "timezone", LS_INI_STR, F(hub.timezone), 0, 0,
     "an IANA zone for report days, e.g. Asia/Ho_Chi_Minh", .check = ls_ini_check_zone},
    {"hub", "report_interval", LS_INI_INT, F(hub.report_interval_s), 1, 86400,
     "seconds, 1..86400 (the boards' report_interval)"},
    {"hub", "retention_days", LS_INI_INT, F(hub.retention_days), 1, 36500,
     "days of raw heartbeats kept, 1..36500"},
    {"hub", "session_hours", LS_INI_INT, F(hub.session_hours), 1, 720, "hours, 1..720"},
    {"hub", "login_attempts", LS_INI_INT, F(hub.login_attempts), 1, 1000,
     "failed logins allowed per 15 minutes, 1..1000"},
};

static const char *const sections[] = {"http", "database", "hub", "layer NAME"};

/* A [layer NAME] section's keys are the layer module's (layer.c). */
static int layer_key(void *cfg, const char *section, const char *name, const char *value,
		     struct ls_error *err)
{
	struct hub_layers *layers = &((struct hub_config *)cfg)->layers;

	if (strncmp(section, "layer ", 6))
		return 0;
	return hub_layer_config_key(layers, section + 6, name, value, err) ? -1 : 1;
}

static const struct ls_ini_schema schema = {
    .sections = sections,
    .n_sections = sizeof(sections) / sizeof(sections[0]),
    .keys = keys,
    .n_keys = sizeof(keys) / sizeof(keys[0]),
    .other = layer_key,
};

void hub_config_defaults(struct hub_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->http.listen, sizeof(cfg->http.listen), "127.0.0.1:8470");
	cfg->http.max_body = 256 * 1024;
	cfg->http.max_connections = 512;
	cfg->http.timeout_s = 30;
	snprintf(cfg->http.www_dir, sizeof(cfg->http.www_dir), "%s", LS_DATADIR "/hub/www");
	cfg->http.cookie_secure = 1;
	snprintf(cfg->hub.state_dir, sizeof(cfg->hub.state_dir), "/var/lib/ledsign-hub");
	snprintf(cfg->hub.timezone, sizeof(cfg->hub.timezone), "Asia/Ho_Chi_Minh");
	cfg->hub.report_interval_s = 300;
	cfg->hub.retention_days = 90;
	cfg->hub.session_hours = 12;
	cfg->hub.login_attempts = 5;
}

int hub_config_parse(struct hub_config *cfg, const char *path, const char *buf, size_t len,
		     struct ls_error *err)
{
	struct ls_ini_seen seen = {cfg->where, HUB_CONFIG_MAX_WHERE, 0};
	int r = ls_ini_parse(&schema, cfg, &seen, path, buf, len, err);

	cfg->n_where = seen.n;
	if (r)
		return -1;
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	return hub_layers_finish(&cfg->layers, path, err);
}

int hub_config_load(struct hub_config *cfg, const char *path, struct ls_error *err)
{
	char buf[HUB_CONFIG_MAX_BYTES + 1];
	FILE *f = fopen(path, "r");
	size_t n;

	hub_config_defaults(cfg);
	if (!f)
		return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return hub_config_parse(cfg, path, buf, n, err);
}
