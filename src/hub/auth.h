/*
 * Accounts, sessions and the audit trail. Roles: an administrator sees and
 * changes everything; an editor (scope: feed layers, layer.h) sees the whole
 * fleet and edits its layers; an approver (scoped like an editor) also
 * approves and publishes what editors submit; a viewer sees only the boards of the provinces in
 * the scope. Passwords are Argon2id (libsodium crypto_pwhash_str); a session
 * is a random id in a Secure, HttpOnly, SameSite=Strict cookie, stored
 * hashed; every POST but a board's heartbeat carries the session's CSRF
 * token in X-CSRF-Token; failed logins are limited per name and address.
 */
#ifndef LEDSIGN_HUB_AUTH_H
#define LEDSIGN_HUB_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "hub.h"

struct hub_user {
	int64_t id;
	char name[64];
	char role[16];	 /* admin, editor, approver, viewer */
	char scope[512]; /* comma-separated */
	char csrf[65];
};

/* The user of rq's session cookie. On failure replies 401 (and for a POST
 * without the session's CSRF token, 403) and returns -1. */
int hub_session(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		struct hub_user *u);

/* Whether u may see a board in province. */
bool hub_user_sees(const struct hub_user *u, const char *province);

/* Creates (or, with replace, resets) an account. role: admin, editor,
 * approver or viewer; scope: comma-separated provinces (viewer) or layers
 * (editor, approver).
 * Returns 0 or -1 with err. */
int hub_user_add(struct hub *h, const char *name, const char *password, const char *role,
		 const char *scope, bool replace, struct ls_error *err);

/* Routes. */
void hub_login(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_logout(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_me(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_audit_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* Fleet, boards and reports (fleet.c, report.c). */
void hub_fleet_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_board_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_board_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs);
void hub_report_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* A fixed-size table counting failures per key in a sliding window. */
struct hub_limiter *hub_limiter_new(int limit, int window_s);
void hub_limiter_free(struct hub_limiter *l);
/* Seconds until key may try again (0 = now). */
int64_t hub_limiter_wait(struct hub_limiter *l, const char *key, int64_t now);
void hub_limiter_fail(struct hub_limiter *l, const char *key, int64_t now);
void hub_limiter_clear(struct hub_limiter *l, const char *key);

#endif
