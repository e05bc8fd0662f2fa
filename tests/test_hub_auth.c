/*
 * Accounts and sessions: Argon2id passwords, the login's CSRF token and
 * rate limit, session cookies, CSRF on every POST, roles and a viewer's
 * provinces, the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/hub/auth.h"
#include "hub_fixture.h"

#define CSRF "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void add_user(struct hub *h, const char *name, const char *role, const char *scope)
{
	struct ls_error err;

	ASSERT_MSG(hub_user_add(h, name, "correct-horse-1", role, scope, false, &err) == 0, "%s",
		   err.msg);
}

/* The value of Set-Cookie name=... in rs, or "" (static buffer). */
static const char *set_cookie(const struct hub_response *rs, const char *name, const char **attrs)
{
	static char v[128];
	size_t n = strlen(name);

	v[0] = '\0';
	for (int i = 0; i < rs->n_headers; i++)
		if (!strcmp(rs->headers[i][0], "Set-Cookie") &&
		    !strncmp(rs->headers[i][1], name, n) && rs->headers[i][1][n] == '=') {
			snprintf(v, sizeof(v), "%.*s", (int)strcspn(rs->headers[i][1] + n + 1, ";"),
				 rs->headers[i][1] + n + 1);
			if (attrs)
				*attrs = rs->headers[i][1];
		}
	return v;
}

static int login(struct hub *h, const char *name, const char *password, const char *address,
		 char *cookie_out)
{
	char body[256];
	struct hub_request rq;
	struct hub_response rs;
	int st;

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
	rq = fx_req("POST", "/api/login", body);
	rq.cookie = "hub_csrf=" CSRF;
	rq.csrf_header = CSRF;
	rq.address = address;
	st = fx_do(h, &rq, &rs);
	if (cookie_out)
		snprintf(cookie_out, 128, "hub_session=%s", set_cookie(&rs, "hub_session", NULL));
	free(rs.body);
	return st;
}

/* GET or POST path with the session cookie (and the session's CSRF token when csrf). */
static int as(struct hub *h, const char *cookie, const char *method, const char *path,
	      const char *body, const char *csrf, char **out)
{
	struct hub_request rq = fx_req(method, path, body);
	struct hub_response rs;
	int st;

	rq.cookie = cookie;
	rq.csrf_header = csrf;
	st = fx_do(h, &rq, &rs);
	if (out)
		*out = rs.body;
	else
		free(rs.body);
	return st;
}

/* The session's CSRF token, from /api/me. */
static void csrf_of(struct hub *h, const char *cookie, char out[65])
{
	char *body;

	ASSERT_EQ_INT(as(h, cookie, "GET", "/api/me", NULL, NULL, &body), 200);
	ASSERT(strstr(body, "\"csrf\":\""));
	snprintf(out, 65, "%s", strstr(body, "\"csrf\":\"") + 8);
	free(body);
}

TEST(accounts_are_checked_and_passwords_stored_as_argon2id)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT(hub_user_add(&h, "a", "short", "admin", "", false, &err) == -1);
	ASSERT_CONTAINS(err.msg, "10..256 characters");
	ASSERT(hub_user_add(&h, "a", "long-enough-1", "root", "", false, &err) == -1);
	ASSERT_CONTAINS(err.msg, "use admin, editor, approver or viewer");
	ASSERT(hub_user_add(&h, "v", "long-enough-1", "viewer", "", false, &err) == -1);
	ASSERT_CONTAINS(err.msg, "a viewer needs a scope");
	ASSERT(hub_user_add(&h, "x'; --", "long-enough-1", "admin", "", false, &err) == -1);
	add_user(&h, "admin", "admin", "");
	ASSERT(hub_user_add(&h, "admin", "long-enough-2", "admin", "", false, &err) == -1);
	ASSERT_CONTAINS(err.msg, "exists; use --replace");
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM users WHERE pw_hash LIKE '$argon2id$%'"), 1);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM users WHERE pw_hash LIKE '%correct-horse%'"),
		      0);
	hub_close(&h);
}

TEST(login_needs_the_double_submitted_csrf_token)
{
	struct hub h;
	struct hub_request rq;
	struct hub_response rs;

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	rq = fx_req("POST", "/api/login", "{\"name\":\"admin\",\"password\":\"correct-horse-1\"}");
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 403);
	ASSERT_CONTAINS(rs.body, "CSRF");
	free(rs.body);
	rq.cookie = "hub_csrf=" CSRF;
	rq.csrf_header = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 403);
	free(rs.body);
	hub_close(&h);
}

TEST(a_login_sets_a_secure_httponly_samesite_session_cookie)
{
	struct hub h;
	struct hub_request rq;
	struct hub_response rs;
	const char *attrs = "";

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	rq = fx_req("POST", "/api/login", "{\"name\":\"admin\",\"password\":\"correct-horse-1\"}");
	rq.cookie = "hub_csrf=" CSRF;
	rq.csrf_header = CSRF;
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 200);
	ASSERT_EQ_INT(strlen(set_cookie(&rs, "hub_session", &attrs)), 64);
	ASSERT_CONTAINS(attrs, "HttpOnly");
	ASSERT_CONTAINS(attrs, "Secure");
	ASSERT_CONTAINS(attrs, "SameSite=Strict");
	free(rs.body);
	/* The session id is stored hashed, never as it is. */
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM sessions"), 1);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), 1);
	hub_close(&h);
}

TEST(a_brute_force_is_refused_with_429_even_with_the_right_password)
{
	struct hub h;
	char body[64];

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	for (int i = 0; i < 5; i++) {
		snprintf(body, sizeof(body), "guess-%d-xxxxx", i);
		ASSERT_EQ_INT(login(&h, "admin", body, "198.51.100.1", NULL), 401);
	}
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "198.51.100.1", NULL), 429);
	/* The name is limited from any address. */
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "203.0.113.9", NULL), 429);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM sessions"), 0);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'login.failed'"), 5);
	ASSERT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'login.limited'") >= 2);
	fx_clock += 15 * 60;
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "198.51.100.1", NULL), 200);
	hub_close(&h);
}

TEST(an_unknown_name_fails_like_a_wrong_password)
{
	struct hub h;

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	ASSERT_EQ_INT(login(&h, "nobody", "correct-horse-1", "198.51.100.2", NULL), 401);
	ASSERT_EQ_INT(login(&h, "admin", "wrong-password-x", "198.51.100.2", NULL), 401);
	hub_close(&h);
}

TEST(the_api_needs_a_session_and_posts_need_its_csrf_token)
{
	struct hub h;
	char cookie[128], csrf[65];

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	ASSERT_EQ_INT(as(&h, NULL, "GET", "/api/fleet", NULL, NULL, NULL), 401);
	ASSERT_EQ_INT(as(&h, "hub_session=forged", "GET", "/api/fleet", NULL, NULL, NULL), 401);
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "198.51.100.3", cookie), 200);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/fleet", NULL, NULL, NULL), 200);
	ASSERT_EQ_INT(
	    as(&h, cookie, "POST", "/api/boards/b1", "{\"action\":\"refuse\"}", NULL, NULL), 403);
	csrf_of(&h, cookie, csrf);
	ASSERT_EQ_INT(
	    as(&h, cookie, "POST", "/api/boards/b1", "{\"action\":\"refuse\"}", csrf, NULL), 404);
	ASSERT_EQ_INT(as(&h, cookie, "POST", "/api/logout", "{}", csrf, NULL), 200);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/fleet", NULL, NULL, NULL), 401);
	hub_close(&h);
}

TEST(a_session_ends_after_session_hours)
{
	struct hub h;
	char cookie[128];

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "198.51.100.4", cookie), 200);
	fx_clock += 12 * 3600 + 1;
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/fleet", NULL, NULL, NULL), 401);
	hub_close(&h);
}

static void board(struct hub *h, const char *name, const char *province)
{
	struct ls_error err;

	ASSERT_MSG(hub_board_accept(h, name, "token-of-board-0123456789", province, "", "", "t",
				    &err) == 0,
		   "%s", err.msg);
}

TEST(a_viewer_sees_only_the_boards_of_its_provinces)
{
	struct hub h;
	char cookie[128], csrf[65], *body;

	fx_open(&h);
	add_user(&h, "hn", "viewer", "Hà Nội, Hải Phòng");
	board(&h, "b-hn", "Hà Nội");
	board(&h, "b-hp", "Hải Phòng");
	board(&h, "b-dn", "Đà Nẵng");
	ASSERT_EQ_INT(login(&h, "hn", "correct-horse-1", "198.51.100.5", cookie), 200);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/fleet", NULL, NULL, &body), 200);
	ASSERT_CONTAINS(body, "b-hn");
	ASSERT_CONTAINS(body, "b-hp");
	ASSERT(!strstr(body, "b-dn"));
	free(body);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/boards/b-hn", NULL, NULL, NULL), 200);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/boards/b-dn", NULL, NULL, NULL), 403);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/boards/nothing", NULL, NULL, NULL), 404);
	csrf_of(&h, cookie, csrf);
	ASSERT_EQ_INT(
	    as(&h, cookie, "POST", "/api/boards/b-dn", "{\"action\":\"accept\"}", csrf, NULL), 403);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/audit", NULL, NULL, NULL), 403);
	hub_close(&h);
}

TEST(an_administrator_reads_the_audit_trail)
{
	struct hub h;
	char cookie[128], *body;

	fx_open(&h);
	add_user(&h, "admin", "admin", "");
	ASSERT_EQ_INT(login(&h, "admin", "wrong-password-x", "198.51.100.6", NULL), 401);
	ASSERT_EQ_INT(login(&h, "admin", "correct-horse-1", "198.51.100.6", cookie), 200);
	ASSERT_EQ_INT(as(&h, cookie, "GET", "/api/audit", NULL, NULL, &body), 200);
	ASSERT_CONTAINS(body, "\"action\":\"login.failed\"");
	ASSERT_CONTAINS(body, "\"address\":\"198.51.100.6\"");
	ASSERT_CONTAINS(body, "\"action\":\"user.add\"");
	free(body);
	hub_close(&h);
}

TEST(the_limiter_counts_per_key_in_its_window)
{
	struct hub_limiter *l = hub_limiter_new(3, 60);

	for (int i = 0; i < 3; i++) {
		ASSERT_EQ_INT(hub_limiter_wait(l, "k", 1000), 0);
		hub_limiter_fail(l, "k", 1000 + i);
	}
	ASSERT_EQ_INT(hub_limiter_wait(l, "k", 1010), 50);
	ASSERT_EQ_INT(hub_limiter_wait(l, "other", 1010), 0);
	ASSERT_EQ_INT(hub_limiter_wait(l, "k", 1060), 0);
	hub_limiter_clear(l, "k");
	ASSERT_EQ_INT(hub_limiter_wait(l, "k", 1010), 0);
	hub_limiter_free(l);
}
