/*
 * test_net.c: transfers on the event loop against small HTTP servers that
 * live in the same loop, and the token policy of ls_net_policy(): the bearer
 * token goes to the feed's own host and port, never to where a redirect
 * points.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "ledsign/loop.h"
#include "ledsign/net.h"

/* A one-request-at-a-time HTTP server on 127.0.0.1 that answers every
 * request with `reply` and keeps the last request's head. */
struct server {
	struct ls_loop *loop;
	int lfd, cfd, port;
	char req[4096];
	size_t len;
	int requests;
	char reply[512];
};

static void on_client(struct ls_loop *l, int fd, int revents, void *user)
{
	struct server *s = user;
	ssize_t n = read(fd, s->req + s->len, sizeof(s->req) - 1 - s->len);

	(void)revents;
	if (n > 0) {
		s->len += (size_t)n;
		s->req[s->len] = '\0';
		if (!strstr(s->req, "\r\n\r\n"))
			return;
		s->requests++;
		if (write(fd, s->reply, strlen(s->reply)) < 0) {
			/* the client went away; the test sees it */
		}
	}
	ls_loop_fd_del(l, fd);
	close(fd);
	s->cfd = -1;
}

static void on_accept(struct ls_loop *l, int fd, int revents, void *user)
{
	struct server *s = user;

	(void)revents;
	s->cfd = accept(fd, NULL, NULL);
	if (s->cfd < 0)
		return;
	s->len = 0;
	ASSERT(!ls_loop_fd_set(l, s->cfd, POLLIN, on_client, s));
}

static void server_start(struct server *s, struct ls_loop *l)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);

	*s = (struct server){.loop = l, .cfd = -1};
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT(s->lfd >= 0);
	ASSERT(!bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) && !listen(s->lfd, 4));
	ASSERT(!getsockname(s->lfd, (struct sockaddr *)&a, &alen));
	s->port = ntohs(a.sin_port);
	ASSERT(!ls_loop_fd_set(l, s->lfd, POLLIN, on_accept, s));
}

static void server_stop(struct server *s)
{
	if (s->cfd >= 0) {
		ls_loop_fd_del(s->loop, s->cfd);
		close(s->cfd);
	}
	ls_loop_fd_del(s->loop, s->lfd);
	close(s->lfd);
}

struct result {
	bool done;
	CURLcode rc;
	char body[256];
	size_t len;
};

static void on_done(void *user, CURL *easy, CURLcode rc)
{
	struct result *r = user;

	(void)easy;
	r->done = true;
	r->rc = rc;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct result *r = user;
	size_t n = size * nmemb, room = sizeof(r->body) - 1 - r->len;

	memcpy(r->body + r->len, data, n < room ? n : room);
	r->len += n < room ? n : room;
	r->body[r->len] = '\0';
	return n;
}

/* Fetches url with token under the policy, following redirects, on loop. */
static struct result fetch(struct ls_loop *loop, const char *url, const char *token)
{
	struct ls_net *net = ls_net_new(loop);
	CURL *c = curl_easy_init();
	struct result r = {0};

	ASSERT(net && c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	ls_net_policy(c, &(struct ls_net_policy){url, token, NULL, 5, 10});
	ASSERT(!ls_net_add(net, c, on_done, &r));
	for (int i = 0; i < 500 && !r.done; i++)
		ASSERT(ls_loop_once(loop, 20) >= 0);
	ASSERT_MSG(r.done, "the transfer of %s did not end", url);
	ls_net_free(net);
	curl_easy_cleanup(c);
	return r;
}

TEST(a_transfer_runs_on_the_loop_and_its_callback_sees_the_result)
{
	struct ls_loop *l = ls_loop_new(NULL);
	struct server s;
	struct result r;
	char url[64];

	server_start(&s, l);
	snprintf(s.reply, sizeof(s.reply),
		 "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", s.port);
	r = fetch(l, url, "");
	ASSERT_EQ_INT(r.rc, CURLE_OK);
	ASSERT_EQ_STR(r.body, "hello");
	ASSERT_CONTAINS(s.req, "User-Agent: ledsign/");
	ASSERT(!strstr(s.req, "Authorization"));
	server_stop(&s);
	ASSERT_EQ_INT(ls_loop_fds(l), 0); /* libcurl's sockets left the loop with it */
	ls_loop_free(l);
}

/* The feed at 127.0.0.1:a redirects to to_host:b, which must not hear the token. */
static void redirect_case(const char *to_host, bool same_port_host)
{
	struct ls_loop *l = ls_loop_new(NULL);
	struct server a, b;
	struct result r;
	char url[64];

	server_start(&a, l);
	server_start(&b, l);
	snprintf(b.reply, sizeof(b.reply),
		 "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
	snprintf(a.reply, sizeof(a.reply),
		 "HTTP/1.1 302 Found\r\nLocation: http://%s:%d/feed.json\r\n"
		 "Content-Length: 0\r\nConnection: close\r\n\r\n",
		 to_host, b.port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", a.port);
	r = fetch(l, url, "s3cret-token");
	ASSERT_EQ_INT(r.rc, CURLE_OK);
	ASSERT_EQ_STR(r.body, "ok");
	ASSERT_EQ_INT(a.requests, 1);
	ASSERT_EQ_INT(b.requests, 1);
	ASSERT_CONTAINS(a.req, "Authorization: Bearer s3cret-token");
	ASSERT_MSG(!strstr(b.req, "s3cret-token"), "%s %s heard the token:\n%s",
		   same_port_host ? "another port of" : "another host,", to_host, b.req);
	server_stop(&a);
	server_stop(&b);
	ls_loop_free(l);
}

TEST(the_token_is_not_sent_after_a_redirect_to_another_host)
{
	redirect_case("localhost", false);
}

TEST(the_token_is_not_sent_after_a_redirect_to_another_port_of_the_same_host)
{
	redirect_case("127.0.0.1", true);
}

TEST(a_redirect_from_https_to_http_is_refused)
{
	struct ls_loop *l = ls_loop_new(NULL);
	struct ls_net *net = ls_net_new(l);
	CURL *c = curl_easy_init();
	struct result r = {0};
	struct server a, b;
	char url[64], https_url[64];

	/* No TLS server needed: libcurl checks the protocols a redirect may use
	 * before it follows one, so the policy is that of an https URL while a
	 * plain server answers the first request with a redirect to http. */
	server_start(&a, l);
	server_start(&b, l);
	snprintf(b.reply, sizeof(b.reply), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	snprintf(a.reply, sizeof(a.reply),
		 "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/feed.json\r\n"
		 "Content-Length: 0\r\nConnection: close\r\n\r\n",
		 b.port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", a.port);
	snprintf(https_url, sizeof(https_url), "https://127.0.0.1:%d/feed.json", a.port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	ls_net_policy(c, &(struct ls_net_policy){https_url, "t", NULL, 5, 10});
	ASSERT(!ls_net_add(net, c, on_done, &r));
	for (int i = 0; i < 500 && !r.done; i++)
		ls_loop_once(l, 20);
	ASSERT(r.done);
	ASSERT_EQ_INT(r.rc, CURLE_UNSUPPORTED_PROTOCOL);
	ASSERT_EQ_INT(b.requests, 0);
	ls_net_free(net);
	curl_easy_cleanup(c);
	server_stop(&a);
	server_stop(&b);
	ls_loop_free(l);
}
