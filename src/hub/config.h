/*
 * The hub's configuration, /etc/ledsign/hub.conf: an INI file read with inih
 * like the board's ledsign.conf, every key checked against one table, an
 * unknown key or a bad value refused with file:line and what to write.
 */
#ifndef LEDSIGN_HUB_CONFIG_H
#define LEDSIGN_HUB_CONFIG_H

#include <limits.h>
#include <stddef.h>

#include "layer.h"
#include "ledsign/error.h"
#include "ledsign/inicheck.h"

#define HUB_CONFIG_MAX_BYTES LS_INI_MAX_BYTES
#define HUB_CONFIG_MAX_WHERE (64 + 10 * HUB_MAX_LAYERS) /* every key of every layer */

struct hub_config {
	char path[PATH_MAX];
	struct {
		char listen[PATH_MAX];	/* "127.0.0.1:8470", "[::1]:8470" or "unix:/run/..." */
		long max_body;		/* bytes of one request body */
		int max_connections;	/* open at once */
		int timeout_s;		/* an idle connection is closed after this */
		char www_dir[PATH_MAX]; /* the page's files */
		int cookie_secure;	/* 1: session cookies carry Secure */
	} http;
	struct {
		char url[1024]; /* "" = SQLite in state_dir; postgresql://... = PostgreSQL */
	} database;
	struct {
		char state_dir[PATH_MAX];
		char timezone[64];     /* days of reports are this zone's days */
		int report_interval_s; /* assumed until a board's heartbeats show its own */
		int retention_days;    /* raw heartbeats kept; daily totals are kept for good */
		int session_hours;
		int login_attempts; /* failed logins per name and address in 15 minutes */
	} hub;
	struct hub_layers layers;			 /* the [layer NAME] sections (layer.h) */
	struct ls_ini_where where[HUB_CONFIG_MAX_WHERE]; /* the keys the file gave */
	int n_where;
};

/* Fills cfg with the defaults. */
void hub_config_defaults(struct hub_config *cfg);

/* Parses the len bytes at buf (named path in messages) over the defaults.
 * Returns 0, or -1 with err as "path:line: [section] key: what; what to do". */
int hub_config_parse(struct hub_config *cfg, const char *path, const char *buf, size_t len,
		     struct ls_error *err);

/* Reads and parses the file at path; a missing file is an error. */
int hub_config_load(struct hub_config *cfg, const char *path, struct ls_error *err);

#endif
