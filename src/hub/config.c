/*
 * config.c: reads hub.conf with inih against one table of keys, in the style
 * of the board's src/sys/config.c, so `ledsign-hub -n` and the service agree.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "config.h"
#include "ledsign/clock.h"

enum kind { K_STR, K_INT, K_LONG, K_BOOL };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off, size;
	long min, max;
	const char *hint;
};

#define F(m) offsetof(struct hub_config, m), sizeof(((struct hub_config *)0)->m)

static const struct key keys[] = {
    {"http", "listen", K_STR, F(http.listen), 0, 0,
     "host:port on loopback (127.0.0.1:8470) or unix:/run/ledsign-hub/hub.sock"},
    {"http", "max_body", K_LONG, F(http.max_body), 1024, 16L * 1024 * 1024,
     "bytes, 1024..16777216"},
    {"http", "max_connections", K_INT, F(http.max_connections), 1, 10000, "1..10000"},
    {"http", "timeout", K_INT, F(http.timeout_s), 1, 3600, "seconds, 1..3600"},
    {"http", "www_dir", K_STR, F(http.www_dir), 0, 0, "the directory of the page's files"},
    {"http", "cookie_secure", K_BOOL, F(http.cookie_secure), 0, 1,
     "yes or no (no only for a test without TLS)"},
    {"database", "url", K_STR, F(database.url), 0, 0,
     "empty (SQLite in state_dir), sqlite:/path/hub.db or postgresql://..."},
    {"hub", "state_dir", K_STR, F(hub.state_dir), 0, 0,
     "a writable directory, e.g. /var/lib/ledsign-hub"},
    {"hub", "timezone", K_STR, F(hub.timezone), 0, 0,
     "an IANA zone for report days, e.g. Asia/Ho_Chi_Minh"},
    {"hub", "report_interval", K_INT, F(hub.report_interval_s), 1, 86400,
     "seconds, 1..86400 (the boards' report_interval)"},
    {"hub", "retention_days", K_INT, F(hub.retention_days), 1, 36500,
     "days of raw heartbeats kept, 1..36500"},
    {"hub", "session_hours", K_INT, F(hub.session_hours), 1, 720, "hours, 1..720"},
    {"hub", "login_attempts", K_INT, F(hub.login_attempts), 1, 1000,
     "failed logins allowed per 15 minutes, 1..1000"},
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

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

struct parse_state {
	struct hub_config *cfg;
	struct ls_error *err;
	bool failed;
};

static void section_keys(const char *section, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_KEYS && used < n; i++)
		if (!strcmp(keys[i].section, section))
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
						 keys[i].name);
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

static int set_bool(int *dst, const struct key *k, const char *value, struct ls_error *err)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
		*dst = 1;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
		*dst = 0;
	else
		return ls_error_set(err, "[%s] %s: '%s' is not valid; %s", k->section, k->name,
				    value, k->hint);
	return 0;
}

static int check_value(const struct key *k, const char *value, struct ls_error *err)
{
	if (!strcmp(k->name, "timezone") && !ls_tz_name_valid(value))
		return ls_error_set(err, "[hub] timezone: '%s' is not a time zone name; %s", value,
				    k->hint);
	if (!strcmp(k->name, "url") && value[0] && strncmp(value, "sqlite:", 7) &&
	    strncmp(value, "postgresql://", 13) && strncmp(value, "postgres://", 11))
		return ls_error_set(err, "[database] url: '%s' is not a database; %s", value,
				    k->hint);
	if (!strcmp(k->name, "listen") && strncmp(value, "unix:/", 6) && !strchr(value, ':'))
		return ls_error_set(err, "[http] listen: '%s' has no port; %s", value, k->hint);
	return 0;
}

static int apply_key(struct hub_config *cfg, const struct key *k, const char *value,
		     struct ls_error *err)
{
	char *dst = (char *)cfg + k->off;

	if (check_value(k, value, err))
		return -1;
	switch (k->kind) {
	case K_STR:
		if (strlen(value) >= k->size)
			return ls_error_set(err,
					    "[%s] %s: value is %zu characters; the limit is %zu",
					    k->section, k->name, strlen(value), k->size - 1);
		memcpy(dst, value, strlen(value) + 1);
		return 0;
	case K_INT:
	case K_LONG:
		return set_number(dst, k, value, err);
	case K_BOOL:
		return set_bool((int *)dst, k, value, err);
	}
	return -1;
}

static int handle_key(struct parse_state *st, const char *section, const char *name,
		      const char *value)
{
	char list[256];

	if (!strncmp(section, "layer ", 6))
		return hub_layer_config_key(&st->cfg->layers, section + 6, name, value, st->err);
	if (strcmp(section, "http") && strcmp(section, "database") && strcmp(section, "hub"))
		return ls_error_set(st->err,
				    "[%s]: unknown section; valid sections are [http], [database], "
				    "[hub], [layer NAME]",
				    section);
	for (size_t i = 0; i < N_KEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			return apply_key(st->cfg, &keys[i], value, st->err);
	section_keys(section, list, sizeof(list));
	return ls_error_set(st->err, "[%s] %s: unknown key; valid keys in [%s] are: %s", section,
			    name, section, list);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;

	if (st->failed)
		return 1;
	if (!*section) {
		ls_error_set(
		    st->err,
		    "%s: key outside any section; put it under [http], [database] or [hub]", name);
		st->failed = true;
		return 0;
	}
	if (handle_key(st, section, name, value)) {
		st->failed = true;
		return 0;
	}
	return 1;
}

int hub_config_parse(struct hub_config *cfg, const char *path, const char *buf, size_t len,
		     struct ls_error *err)
{
	struct parse_state st = {.cfg = cfg, .err = err};
	char *copy;
	int line;

	if (len > HUB_CONFIG_MAX_BYTES)
		return ls_error_set(err, "%s: %zu bytes; a config is at most %d bytes", path, len,
				    HUB_CONFIG_MAX_BYTES);
	if (memchr(buf, '\0', len))
		return ls_error_set(err, "%s: contains a NUL byte; is this a text file?", path);
	/* inih would split a longer line silently: refuse it with its number. */
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		int ln = 1;
		if (n >= INI_MAX_LINE) {
			for (const char *q = buf; q < p; q++)
				ln += *q == '\n';
			return ls_error_set(err,
					    "%s:%d: line longer than %d characters; shorten it",
					    path, ln, INI_MAX_LINE - 1);
		}
		p += n + 1;
	}
	if (!(copy = strndup(buf, len)))
		return ls_error_set(err, "out of memory");
	line = ini_parse_string(copy, on_key, &st);
	free(copy);
	if (line > 0) {
		if (!st.failed)
			ls_error_set(
			    err, "syntax error; expected [section], key = value, or a ; comment");
		return ls_error_prefix(err, "%s:%d", path, line);
	}
	if (line < 0)
		return ls_error_set(err, "%s: could not be parsed", path);
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
