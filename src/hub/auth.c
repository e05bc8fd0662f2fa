/*
 * auth.c: accounts, login with its rate limit, sessions and CSRF tokens,
 * and the audit table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <sodium.h>

#include "auth.h"

#define LIMITER_SLOTS 4096
#define PASSWORD_MIN 10
#define PASSWORD_MAX 256

/* ---- the login limiter ---- */

struct slot {
	char key[192];
	int64_t first;
	int count;
};

struct hub_limiter {
	int limit, window_s;
	struct slot slots[LIMITER_SLOTS];
};

struct hub_limiter *hub_limiter_new(int limit, int window_s)
{
	struct hub_limiter *l = calloc(1, sizeof(*l));

	if (l) {
		l->limit = limit;
		l->window_s = window_s;
	}
	return l;
}

void hub_limiter_free(struct hub_limiter *l)
{
	free(l);
}

static struct slot *slot_of(struct hub_limiter *l, const char *key)
{
	unsigned char h[8];
	uint64_t i;

	crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), NULL, 0);
	memcpy(&i, h, sizeof(i));
	return &l->slots[i % LIMITER_SLOTS];
}

int64_t hub_limiter_wait(struct hub_limiter *l, const char *key, int64_t now)
{
	struct slot *s = slot_of(l, key);

	if (strcmp(s->key, key) || now - s->first >= l->window_s || s->count < l->limit)
		return 0;
	return s->first + l->window_s - now;
}

void hub_limiter_fail(struct hub_limiter *l, const char *key, int64_t now)
{
	struct slot *s = slot_of(l, key);

	/* A slot taken by another key is taken over only once its window is over,
	 * so flooding other names cannot wipe a running count. */
	if (strcmp(s->key, key)) {
		if (s->count >= l->limit && now - s->first < l->window_s)
			return;
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->count = 0;
	}
	if (!s->count || now - s->first >= l->window_s) {
		s->first = now;
		s->count = 0;
	}
	s->count++;
}

void hub_limiter_clear(struct hub_limiter *l, const char *key)
{
	struct slot *s = slot_of(l, key);

	if (!strcmp(s->key, key))
		memset(s, 0, sizeof(*s));
}

/* ---- audit ---- */

void hub_audit(struct hub *h, const char *actor, const char *action, const char *target,
	       const char *detail, const char *address)
{
	hub_db_exec(h->db,
		    "INSERT INTO audit (at, actor, action, target, detail, address) VALUES (?, ?, "
		    "?, ?, ?, ?)",
		    (struct hub_arg[]){HA_I(h->now()), HA_S(actor ? actor : ""), HA_S(action),
				       HA_S(target ? target : ""), HA_S(detail ? detail : ""),
				       HA_S(address ? address : "")},
		    6, NULL, NULL, NULL);
}

/* ---- accounts ---- */

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n < 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@") == n;
}

int hub_user_add(struct hub *h, const char *name, const char *password, const char *role,
		 const char *scope, bool replace, struct ls_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int64_t n;

	if (!name_ok(name))
		return ls_error_set(err, "user name '%s': use 1..63 of A-Z a-z 0-9 . - _ @", name);
	if (strcmp(role, "admin") && strcmp(role, "editor") && strcmp(role, "approver") &&
	    strcmp(role, "viewer"))
		return ls_error_set(err, "role '%s': use admin, editor, approver or viewer", role);
	if (!strcmp(role, "viewer") && !scope[0])
		return ls_error_set(err, "a viewer needs a scope: the provinces they see, e.g. "
					 "--scope 'Hà Nội,Hải Phòng'");
	if (strlen(scope) >= 512)
		return ls_error_set(err, "scope: at most 511 bytes");
	if (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX)
		return ls_error_set(err, "a password is %d..%d characters", PASSWORD_MIN,
				    PASSWORD_MAX);
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return ls_error_set(err, "out of memory hashing the password");
	if (hub_db_int(h->db, &n, 0, "SELECT COUNT(*) FROM users WHERE name = ?",
		       (struct hub_arg[]){HA_S(name)}, 1, err))
		return -1;
	if (n && !replace)
		return ls_error_set(err, "user '%s' exists; use --replace to reset it", name);
	if (hub_db_exec(
		h->db,
		n ? "UPDATE users SET pw_hash = ?, role = ?, scope = ?, disabled = 0 WHERE name = ?"
		  : "INSERT INTO users (pw_hash, role, scope, name, created_at) VALUES (?, ?, ?, "
		    "?, ?)",
		(struct hub_arg[]){HA_S(hash), HA_S(role), HA_S(scope), HA_S(name), HA_I(h->now())},
		n ? 4 : 5, NULL, NULL, err) < 0)
		return -1;
	hub_audit(h, "(command line)", n ? "user.reset" : "user.add", name, role, "");
	return 0;
}

bool hub_user_sees(const struct hub_user *u, const char *province)
{
	char copy[512], *save, *tok;

	if (strcmp(u->role, "viewer"))
		return true;
	snprintf(copy, sizeof(copy), "%s", u->scope);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!strcmp(tok, province))
			return true;
	}
	return false;
}

/* ---- sessions ---- */

/* The value of cookie name in the Cookie header, copied into out. */
static bool cookie(const char *header, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	for (const char *p = header; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, name, n) && p[n] == '=') {
			size_t len = strcspn(p + n + 1, ";");
			if (len >= size)
				return false;
			memcpy(out, p + n + 1, len);
			out[len] = '\0';
			return true;
		}
		p = strchr(p, ';');
	}
	return false;
}

static void random_hex(char out[65])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, 65, b, sizeof(b));
}

struct user_ctx {
	struct hub_user *u;
	bool found;
	int64_t expires;
};

static int user_row(void *ctx, int n, const char *const *v)
{
	struct user_ctx *c = ctx;

	if (n < 6)
		return 1;
	c->found = true;
	c->u->id = strtoll(v[0], NULL, 10);
	snprintf(c->u->name, sizeof(c->u->name), "%s", v[1]);
	snprintf(c->u->role, sizeof(c->u->role), "%s", v[2]);
	snprintf(c->u->scope, sizeof(c->u->scope), "%s", v[3]);
	snprintf(c->u->csrf, sizeof(c->u->csrf), "%s", v[4]);
	c->expires = strtoll(v[5], NULL, 10);
	return 1;
}

int hub_session(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		struct hub_user *u)
{
	char sid[80], hash[65];
	struct user_ctx c = {.u = u};
	struct ls_error err;

	memset(u, 0, sizeof(*u));
	if (!cookie(rq->cookie, "hub_session", sid, sizeof(sid))) {
		hub_reply_error(rs, 401, "not logged in; log in at /login");
		return -1;
	}
	hub_token_hash(sid, hash);
	if (hub_db_exec(
		h->db,
		"SELECT u.id, u.name, u.role, u.scope, s.csrf, s.expires_at FROM sessions s "
		"JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND u.disabled = 0",
		(struct hub_arg[]){HA_S(hash)}, 1, user_row, &c, &err) < 0) {
		hub_reply_error(rs, 500, "%s", err.msg);
		return -1;
	}
	if (!c.found || c.expires <= h->now()) {
		hub_reply_error(rs, 401, "the session has ended; log in again at /login");
		return -1;
	}
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD") &&
	    (!rq->csrf_header || strlen(rq->csrf_header) != 64 ||
	     sodium_memcmp(rq->csrf_header, u->csrf, 64))) {
		hub_reply_error(rs, 403,
				"missing or wrong CSRF token (X-CSRF-Token); reload the page");
		return -1;
	}
	return 0;
}

static void set_cookie(struct hub *h, struct hub_response *rs, const char *name, const char *value,
		       int max_age, bool http_only)
{
	char c[256];

	snprintf(c, sizeof(c), "%s=%s; Path=/; Max-Age=%d; SameSite=Strict%s%s", name, value,
		 max_age, h->cfg.http.cookie_secure ? "; Secure" : "",
		 http_only ? "; HttpOnly" : "");
	hub_add_header(rs, "Set-Cookie", c);
}

/* The double-submitted token of a login form: cookie hub_csrf equal to the
 * X-CSRF-Token header (a page of another site can set neither). */
static bool login_csrf_ok(const struct hub_request *rq)
{
	char c[80];

	return cookie(rq->cookie, "hub_csrf", c, sizeof(c)) && strlen(c) == 64 && rq->csrf_header &&
	       strlen(rq->csrf_header) == 64 && !sodium_memcmp(c, rq->csrf_header, 64);
}

struct cred {
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	bool found;
};

static int cred_row(void *ctx, int n, const char *const *v)
{
	struct cred *c = ctx;

	if (n >= 2) {
		c->found = true;
		c->id = strtoll(v[0], NULL, 10);
		snprintf(c->hash, sizeof(c->hash), "%s", v[1]);
	}
	return 1;
}

/* Checks name and password; the cost is the same when the name is unknown. */
static bool password_ok(struct hub *h, const char *name, const char *password, int64_t *id)
{
	static char dummy[crypto_pwhash_STRBYTES];
	struct cred c = {0};
	bool ok;

	if (!dummy[0] &&
	    crypto_pwhash_str(dummy, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return false;
	hub_db_exec(h->db, "SELECT id, pw_hash FROM users WHERE name = ? AND disabled = 0",
		    (struct hub_arg[]){HA_S(name)}, 1, cred_row, &c, NULL);
	ok = !crypto_pwhash_str_verify(c.found ? c.hash : dummy, password, strlen(password));
	*id = c.id;
	return ok && c.found;
}

static int start_session(struct hub *h, int64_t uid, struct hub_response *rs, char csrf[65])
{
	char sid[65], hash[65];
	int64_t now = h->now(), ttl = (int64_t)h->cfg.hub.session_hours * 3600;

	random_hex(sid);
	random_hex(csrf);
	hub_token_hash(sid, hash);
	hub_db_exec(h->db, "DELETE FROM sessions WHERE expires_at <= ?",
		    (struct hub_arg[]){HA_I(now)}, 1, NULL, NULL, NULL);
	if (hub_db_exec(
		h->db,
		"INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, "
		"?, ?, ?, ?)",
		(struct hub_arg[]){HA_S(hash), HA_I(uid), HA_S(csrf), HA_I(now), HA_I(now + ttl)},
		5, NULL, NULL, NULL) < 0)
		return -1;
	set_cookie(h, rs, "hub_session", sid, (int)ttl, true);
	return 0;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void login_checked(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			  const char *name, const char *password)
{
	char key_name[128], key_addr[128], csrf[65];
	int64_t now = h->now(), wait, uid;
	cJSON *o;

	snprintf(key_name, sizeof(key_name), "name:%s", name);
	snprintf(key_addr, sizeof(key_addr), "addr:%s", rq->address ? rq->address : "");
	wait = hub_limiter_wait(h->logins, key_name, now);
	if (!wait)
		wait = hub_limiter_wait(h->logins, key_addr, now);
	if (wait) {
		hub_audit(h, name, "login.limited", name, "too many failed logins", rq->address);
		hub_reply_error(rs, 429, "too many failed logins; try again in %lld minutes",
				(long long)(wait + 59) / 60);
		return;
	}
	if (!password_ok(h, name, password, &uid)) {
		hub_limiter_fail(h->logins, key_name, now);
		hub_limiter_fail(h->logins, key_addr, now);
		hub_audit(h, name, "login.failed", name, "wrong name or password", rq->address);
		hub_reply_error(rs, 401, "wrong name or password");
		return;
	}
	hub_limiter_clear(h->logins, key_name);
	if (start_session(h, uid, rs, csrf)) {
		hub_reply_error(rs, 500, "could not start a session");
		return;
	}
	hub_audit(h, name, "login", name, "", rq->address);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "csrf", csrf);
	hub_reply_json(rs, 200, o);
}

void hub_login(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	cJSON *o;
	const char *name, *password;

	if (!login_csrf_ok(rq)) {
		hub_reply_error(rs, 403,
				"missing or wrong CSRF token (cookie hub_csrf and X-CSRF-Token); "
				"reload the page");
		return;
	}
	o = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
	name = json_str(o, "name");
	password = json_str(o, "password");
	if (!name || !password || strlen(name) >= 64 || strlen(password) > PASSWORD_MAX)
		hub_reply_error(rs, 400,
				"a login is JSON {\"name\": \"...\", \"password\": \"...\"}");
	else
		login_checked(h, rq, rs, name, password);
	cJSON_Delete(o);
}

void hub_logout(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	char sid[80], hash[65];

	if (hub_session(h, rq, rs, &u))
		return;
	if (cookie(rq->cookie, "hub_session", sid, sizeof(sid))) {
		hub_token_hash(sid, hash);
		hub_db_exec(h->db, "DELETE FROM sessions WHERE id_hash = ?",
			    (struct hub_arg[]){HA_S(hash)}, 1, NULL, NULL, NULL);
	}
	hub_audit(h, u.name, "logout", u.name, "", rq->address);
	set_cookie(h, rs, "hub_session", "", 0, true);
	hub_reply_json(rs, 200, cJSON_CreateObject());
}

/* GET /api/me: the user and the CSRF token, or 401 with a fresh login
 * CSRF cookie for the login form. */
void hub_me(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	char csrf[80];
	cJSON *o;

	if (hub_session(h, rq, rs, &u)) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "error", hub_tr("not logged in; log in at /login"));
		if (!cookie(rq->cookie, "hub_csrf", csrf, sizeof(csrf)) || strlen(csrf) != 64) {
			random_hex(csrf);
			set_cookie(h, rs, "hub_csrf", csrf, 86400, false);
		}
		cJSON_AddStringToObject(o, "login_csrf", csrf);
		hub_reply_json(rs, 401, o);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", u.name);
	cJSON_AddStringToObject(o, "role", u.role);
	cJSON_AddStringToObject(o, "scope", u.scope);
	cJSON_AddStringToObject(o, "csrf", u.csrf);
	hub_reply_json(rs, 200, o);
}

static int audit_row(void *ctx, int n, const char *const *v)
{
	cJSON *e = cJSON_CreateObject();
	static const char *const keys[] = {"at", "actor", "action", "target", "detail", "address"};

	for (int i = 0; i < n && i < 6; i++) {
		if (i == 0)
			cJSON_AddNumberToObject(e, keys[i], (double)strtoll(v[i], NULL, 10));
		else
			cJSON_AddStringToObject(e, keys[i], v[i] ? v[i] : "");
	}
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

void hub_audit_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	cJSON *o, *a;
	struct ls_error err;

	if (hub_session(h, rq, rs, &u))
		return;
	if (strcmp(u.role, "admin")) {
		hub_reply_error(rs, 403, "the audit trail is for administrators");
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "audit");
	if (hub_db_exec(h->db,
			"SELECT at, actor, action, target, detail, address FROM audit ORDER BY id "
			"DESC LIMIT 500",
			NULL, 0, audit_row, a, &err) < 0) {
		cJSON_Delete(o);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	hub_reply_json(rs, 200, o);
}
