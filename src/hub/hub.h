/*
 * ledsign-hub: the central service that receives the boards' heartbeats and
 * shows the fleet and its proof of play. This header ties the parts
 * together: the hub (configuration, database, clock), a request as the HTTP
 * layer hands it over (already read and bounded), and the response a route
 * fills. Routes never see libmicrohttpd, so tests drive them directly.
 */
#ifndef LEDSIGN_HUB_H
#define LEDSIGN_HUB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "ledsign/error.h"
#include "ledsign/tz.h"

#define HUB_MAX_ARGS 32
#define HUB_MAX_HEADERS 4
#define HUB_NAME_MAX 128 /* a board name or an item id, with its NUL */

struct cJSON;
struct hub_limiter;

struct hub {
	struct hub_config cfg;
	struct hub_db *db;
	pthread_mutex_t lock; /* one request at a time touches the database */
	struct hub_limiter *logins;
	int64_t (*now)(void);	  /* wall clock in Unix seconds; tests hand in their own */
	const struct ls_tz *zone; /* [hub] timezone (ls_zone()): the days of reports */
	struct hub_batch *batch;  /* group commit of heartbeats (batch.h); NULL: none */
};

struct hub_request {
	const char *method, *path;
	const char *body;
	size_t body_len;
	const char *address; /* the client: X-Real-IP from nginx, else the peer */
	const char *authorization, *cookie, *content_type, *csrf_header, *accept_language;
	/* Set by the HTTP layer: called when the batch holding the answer
	 * commits (batch.h), and the answer is marked wait. NULL: answer now. */
	void (*on_commit)(void *ctx, bool stored);
	void *commit_ctx;
	int n_args;
	struct {
		const char *key, *value;
	} args[HUB_MAX_ARGS]; /* the query string, decoded */
};

struct hub_response {
	int status;
	const char *type; /* a literal */
	char *body;	  /* malloc'd; NULL = empty */
	size_t len;
	const char *file; /* or: serve this file (path under www_dir), not body */
	bool wait;	  /* send only after rq->on_commit says the batch was committed */
	int n_headers;
	char headers[HUB_MAX_HEADERS][2][512];
};

/* Sets up h over cfg: opens and migrates the database, sets the zone for
 * report days. Returns 0 or -1 with err. Undo with hub_close(). */
int hub_open(struct hub *h, const struct hub_config *cfg, struct ls_error *err);
void hub_close(struct hub *h);

/* Answers one request (routes.c): the one entry point of the HTTP layer. */
void hub_handle(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* ---- the reader's language (catalog.c) ---- */

/* Whether a request is answered in English: lang_arg (?lang=, may be NULL)
 * is "en", or, without one, Accept-Language (may be NULL) names en before
 * vi. Vietnamese otherwise. Pure. */
bool hub_lang_english(const char *lang_arg, const char *accept_language);

/* Until hub_lang_end(), this thread's messages (hub_tr(), hub_reply_error()
 * and the library's ls_tr()) are read in the request's language:
 * ledsign.mo's Vietnamese, or English. hub_handle() brackets every request. */
void hub_lang_begin(const char *lang_arg, const char *accept_language);
void hub_lang_end(void);

/* The translation of msgid in the request's language; outside a request,
 * in the process's (gettext). */
const char *hub_tr(const char *msgid) __attribute__((format_arg(1)));

/* Response helpers (routes.c). hub_reply_json takes and frees doc. */
void hub_reply(struct hub_response *rs, int status, const char *type, char *body);
void hub_reply_json(struct hub_response *rs, int status, struct cJSON *doc);
/* hub_reply_error: {"error": fmt} in the request's language (hub_tr(fmt)). */
void hub_reply_error(struct hub_response *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void hub_add_header(struct hub_response *rs, const char *name, const char *value);
const char *hub_arg(const struct hub_request *rq, const char *key);

/* ---- heartbeats (heartbeat.c) ---- */

#define HUB_HB_MAX_ITEMS 513 /* a board counts 512 ids and "(other)" */
#define HUB_HB_MAX_FEEDS 8

struct hub_heartbeat {
	char board[HUB_NAME_MAX];
	int64_t seq, from, to, time;
	double uptime_s;
	int n_items;
	struct {
		char id[HUB_NAME_MAX];
		int64_t plays, ms;
	} items[HUB_HB_MAX_ITEMS];
	char current[HUB_NAME_MAX]; /* "" = nothing plays */
	char panel[24];		    /* "WxH" or "WxH:rgb" (the studio's board); "" = not sent */
	char reason[256], problem[1024];
	int n_feeds;
	struct {
		char url[1024];
		int64_t version, accepted_at, failures;
		char error[512];
	} feeds[HUB_HB_MAX_FEEDS];
};

/* Parses and checks a heartbeat as deploy/FEED.md describes it (the JSON
 * ledsignd's reporter posts). Unknown keys are ignored; a missing or
 * mistyped field, a string too long or with control characters, a number out
 * of range is refused. Pure. Returns 0 or -1 with err naming the field. */
int hub_heartbeat_parse(const char *body, size_t len, struct hub_heartbeat *hb,
			struct ls_error *err);

/* POST /api/heartbeat: authenticates the board by its bearer token, stores
 * the heartbeat exactly once. */
void hub_heartbeat_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* Hashes a board's token for storage (hex BLAKE2b-256, 65 bytes). */
void hub_token_hash(const char *token, char out[65]);

/* Adds board name as active with token (enrolment done on the hub's side:
 * `ledsign-hub board add`), or accepts a pending one; province, district
 * and tags may be NULL (unchanged). Returns 0 or -1 with err. */
int hub_board_accept(struct hub *h, const char *name, const char *token, const char *province,
		     const char *district, const char *tags, const char *actor,
		     struct ls_error *err);

/* Deletes the raw heartbeats received more than [hub] retention_days ago;
 * the daily totals stay for good. Returns how many, or -1 with err. */
int64_t hub_prune(struct hub *h, struct ls_error *err);

/* The board's status now: "online", "late", "offline", "never" (no
 * heartbeat yet) from the last heartbeat's time and the interval. */
const char *hub_board_state(int64_t now, int64_t last_seen, int64_t interval_s);

/* The day (yyyymmdd, in h's zone, [hub] timezone) a heartbeat ending at t
 * counts on. Reads no process-global zone (TZ), so hubs in other zones may
 * share a process. */
int hub_day_of(const struct hub *h, int64_t t);

/* ---- audit (auth.c) ---- */

/* Records a security-relevant action; never fails the caller. */
void hub_audit(struct hub *h, const char *actor, const char *action, const char *target,
	       const char *detail, const char *address);

#endif
