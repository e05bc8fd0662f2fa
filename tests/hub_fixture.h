/*
 * Shared set-up of the hub's unit tests (tests/test_hub_*.c): a hub over a
 * fresh database (SQLite in the test's directory, or the PostgreSQL server
 * LEDSIGN_HUB_PG_URL names: tests/e2e_hub_pg.sh starts one), a fake clock,
 * and requests built in memory and answered by hub_handle().
 */
#ifndef LEDSIGN_TEST_HUB_FIXTURE_H
#define LEDSIGN_TEST_HUB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/hub/auth.h"
#include "../src/hub/hub.h"
#include "harness.h"

static int64_t fx_clock = 1796169600; /* 2026-12-01 12:00 +07 */

static int64_t fx_now(void)
{
	return fx_clock;
}

/* Empties every table, so each test on PostgreSQL starts clean too. */
static void fx_wipe(struct hub *h)
{
	static const char *const tables[] = {"sessions", "audit",   "drafts", "users",
					     "daily",	 "gaps",    "feeds",  "heartbeats",
					     "boards",	 "versions"};

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[i]);
		ASSERT(hub_db_exec(h->db, sql, NULL, 0, NULL, NULL, NULL) >= 0);
	}
}

/* A hub whose report days are zone's ([hub] timezone). */
__attribute__((unused)) static void fx_open_in(struct hub *h, const char *zone)
{
	struct hub_config cfg;
	struct ls_error err;
	const char *pg = getenv("LEDSIGN_HUB_PG_URL");

	ASSERT(sodium_init() >= 0);
	hub_config_defaults(&cfg);
	snprintf(cfg.hub.timezone, sizeof(cfg.hub.timezone), "%s", zone);
	snprintf(cfg.hub.state_dir, sizeof(cfg.hub.state_dir), "%s", th_tmpdir());
	snprintf(cfg.database.url, sizeof(cfg.database.url), "%s", pg ? pg : "");
	cfg.hub.report_interval_s = 60;
	ASSERT_MSG(hub_open(h, &cfg, &err) == 0, "hub_open: %s", err.msg);
	h->now = fx_now;
	fx_wipe(h);
}

/* A hub in the default zone, Asia/Ho_Chi_Minh. */
__attribute__((unused)) static void fx_open(struct hub *h)
{
	fx_open_in(h, "Asia/Ho_Chi_Minh");
}

/* A request with an optional body; the strings must outlive the call. */
__attribute__((unused)) static struct hub_request fx_req(const char *method, const char *path,
							 const char *body)
{
	struct hub_request rq = {.method = method,
				 .path = path,
				 .body = body,
				 .body_len = body ? strlen(body) : 0,
				 .address = "192.0.2.7",
				 .content_type = "application/json"};
	return rq;
}

/* Answers rq; the caller frees rs->body. */
__attribute__((unused)) static int fx_do(struct hub *h, const struct hub_request *rq,
					 struct hub_response *rs)
{
	memset(rs, 0, sizeof(*rs));
	hub_handle(h, rq, rs);
	return rs->status;
}

static int64_t fx_int(struct hub *h, const char *sql)
{
	int64_t v;

	ASSERT(hub_db_int(h->db, &v, -1, sql, NULL, 0, NULL) == 0);
	return v;
}

/* Adds user name of role (scope) and logs it in; its session cookie
 * ("hub_session=...") in cookie. For the GETs of the fleet's pages. */
__attribute__((unused)) static void fx_session(struct hub *h, const char *name, const char *role,
					       const char *scope, char cookie[160])
{
	static const char csrf[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct ls_error err;
	struct hub_request rq;
	struct hub_response rs;
	char body[200];

	ASSERT_MSG(hub_user_add(h, name, "correct-horse-1", role, scope, false, &err) == 0, "%s",
		   err.msg);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"correct-horse-1\"}", name);
	rq = fx_req("POST", "/api/login", body);
	rq.cookie = "hub_csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	rq.csrf_header = csrf;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	cookie[0] = '\0';
	for (int i = 0; i < rs.n_headers; i++)
		if (!strncmp(rs.headers[i][1], "hub_session=", 12))
			snprintf(cookie, 160, "%.*s", (int)strcspn(rs.headers[i][1], ";"),
				 rs.headers[i][1]);
	free(rs.body);
	ASSERT(cookie[0]);
}

/* GETs path with cookie; the body (to free) in *out. Returns the status. */
__attribute__((unused)) static int fx_get(struct hub *h, const char *cookie, const char *path,
					  char **out)
{
	struct hub_request rq = fx_req("GET", path, NULL);
	struct hub_response rs;
	int st;

	rq.cookie = cookie;
	st = fx_do(h, &rq, &rs);
	*out = rs.body;
	return st;
}

#endif
