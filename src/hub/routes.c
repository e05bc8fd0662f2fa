/*
 * routes.c: the hub's routes, one table from method and path to handler,
 * the response helpers, and the static page files. Every refusal is a status
 * and a JSON {"error": "..."} saying what was wrong and what to do, in the
 * request's language (catalog.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "auth.h"
#include "batch.h"
#include "hub.h"
#include "ledsign/clock.h"
#include "publish.h"
#include "studio.h"

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

int hub_open(struct hub *h, const struct hub_config *cfg, struct ls_error *err)
{
	memset(h, 0, sizeof(*h));
	h->cfg = *cfg;
	h->now = wall_now;
	if (!(h->zone = ls_zone_lookup(cfg->hub.timezone)))
		return ls_error_set(err,
				    "[hub] timezone %s: this system has no such zone; install "
				    "tzdata, or name a zone under /usr/share/zoneinfo",
				    cfg->hub.timezone);
	if (!cfg->database.url[0] && mkdir(cfg->hub.state_dir, 0750) &&
	    access(cfg->hub.state_dir, W_OK))
		return ls_error_set(err, "[hub] state_dir %s: cannot be created or written",
				    cfg->hub.state_dir);
	if (!(h->db = hub_db_open(cfg->database.url, cfg->hub.state_dir, err)))
		return -1;
	if (hub_db_migrate(h->db, err) < 0)
		goto err_close;
	if (!(h->logins = hub_limiter_new(cfg->hub.login_attempts, 15 * 60))) {
		ls_error_set(err, "out of memory");
		goto err_close;
	}
	pthread_mutex_init(&h->lock, NULL);
	return 0;
err_close:
	hub_db_close(h->db);
	h->db = NULL;
	return -1;
}

void hub_close(struct hub *h)
{
	if (!h->db)
		return;
	hub_db_close(h->db);
	hub_limiter_free(h->logins);
	pthread_mutex_destroy(&h->lock);
	h->db = NULL;
}

void hub_reply(struct hub_response *rs, int status, const char *type, char *body)
{
	free(rs->body);
	rs->status = status;
	rs->type = type;
	rs->body = body;
	rs->len = body ? strlen(body) : 0;
}

void hub_reply_json(struct hub_response *rs, int status, cJSON *doc)
{
	char *s = cJSON_PrintUnformatted(doc);

	cJSON_Delete(doc);
	if (!s) {
		hub_reply(rs, 500, "text/plain; charset=utf-8", strdup("out of memory\n"));
		return;
	}
	hub_reply(rs, status, "application/json", s);
}

void hub_reply_error(struct hub_response *rs, int status, const char *fmt, ...)
{
	char msg[1024];
	cJSON *o = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), hub_tr(fmt), ap);
	va_end(ap);
	cJSON_AddStringToObject(o, "error", msg);
	hub_reply_json(rs, status, o);
}

void hub_add_header(struct hub_response *rs, const char *name, const char *value)
{
	if (rs->n_headers == HUB_MAX_HEADERS)
		return;
	snprintf(rs->headers[rs->n_headers][0], sizeof(rs->headers[0][0]), "%s", name);
	snprintf(rs->headers[rs->n_headers][1], sizeof(rs->headers[0][1]), "%s", value);
	rs->n_headers++;
}

const char *hub_arg(const struct hub_request *rq, const char *key)
{
	for (int i = 0; i < rq->n_args; i++)
		if (!strcmp(rq->args[i].key, key))
			return rq->args[i].value;
	return NULL;
}

/* ---- static files ---- */

static const char *mime(const char *path)
{
	static const char *const types[][2] = {
	    {".html", "text/html; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".json", "application/json"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* A page file: names are [a-z0-9-] with one extension, nothing else
 * (no "..", no hidden files, no subdirectories). */
static void serve_file(const struct hub *h, const char *name, struct hub_response *rs)
{
	static char path[4200]; /* handed over to the HTTP layer, one request at a time */
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-");
	struct stat sb;

	if (!n || name[n] != '.' ||
	    strspn(name + n + 1, "abcdefghijklmnopqrstuvwxyz") != strlen(name + n + 1)) {
		hub_reply_error(rs, 404, "no such page: /%s", name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", h->cfg.http.www_dir, name);
	if (stat(path, &sb) || !S_ISREG(sb.st_mode)) {
		hub_reply_error(rs, 404, "no such page: /%s", name);
		return;
	}
	hub_reply(rs, 200, mime(name), NULL);
	rs->file = path;
	hub_add_header(rs, "Cache-Control", "no-cache");
}

/* ---- the route table ---- */

typedef void (*route_fn)(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

struct route {
	const char *method, *path; /* a path ending in '/' matches by prefix */
	route_fn fn;
};

static const struct route routes[] = {
    {"POST", "/api/heartbeat", hub_heartbeat_post},
    {"POST", "/api/login", hub_login},
    {"POST", "/api/logout", hub_logout},
    {"GET", "/api/me", hub_me},
    {"GET", "/api/fleet", hub_fleet_get},
    {"GET", "/api/boards/", hub_board_get},
    {"POST", "/api/boards/", hub_board_post},
    {"GET", "/api/report", hub_report_get},
    {"GET", "/api/audit", hub_audit_get},
    {"GET", "/api/layers", hub_layers_get},
    {"GET", "/api/layers/", hub_layers_get},
    {"POST", "/api/layers/", hub_layers_post},
    {"GET", "/api/studio/", hub_studio_get},
    {"POST", "/api/studio/", hub_studio_post},
    {"POST", "/api/urgent", hub_urgent_post},
};

static bool path_matches(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);

	return pattern[n - 1] == '/' ? !strncmp(pattern, path, n) && path[n]
				     : !strcmp(pattern, path);
}

static void route(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	bool path_known = false;

	hub_add_header(rs, "X-Content-Type-Options", "nosniff");
	if (!strncmp(rq->path, "/api/", 5)) {
		for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
			if (!path_matches(routes[i].path, rq->path))
				continue;
			path_known = true;
			if (!strcmp(routes[i].method, rq->method)) {
				hub_add_header(rs, "Cache-Control", "no-store");
				pthread_mutex_lock(&h->lock);
				if (routes[i].fn != hub_heartbeat_post)
					hub_batch_flush(h);
				routes[i].fn(h, rq, rs);
				pthread_mutex_unlock(&h->lock);
				return;
			}
		}
		if (path_known)
			hub_reply_error(rs, 405, "%s is not allowed on %s", rq->method, rq->path);
		else
			hub_reply_error(rs, 404, "no such API: %s", rq->path);
		return;
	}
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
		hub_reply_error(rs, 405, "%s is not allowed on %s", rq->method, rq->path);
		return;
	}
	hub_add_header(rs, "Content-Security-Policy",
		       "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
	if (!strcmp(rq->path, "/") || !strncmp(rq->path, "/board/", 7) ||
	    !strcmp(rq->path, "/report") || !strcmp(rq->path, "/login"))
		serve_file(h, "index.html", rs);
	else if (!strcmp(rq->path, "/studio") || !strncmp(rq->path, "/studio/", 8))
		serve_file(h, "studio.html", rs);
	else if (!strcmp(rq->path, "/urgent"))
		serve_file(h, "urgent.html", rs);
	else
		serve_file(h, rq->path + 1, rs);
}

void hub_handle(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	hub_lang_begin(hub_arg(rq, "lang"), rq->accept_language);
	route(h, rq, rs);
	hub_lang_end();
}
