/*
 * net.c: a libcurl multi handle in socket-action mode on the event loop.
 * libcurl says which sockets to watch (socket callback) and when it next
 * needs a call (timer callback); both become loop watches and one loop
 * timer, whose callbacks hand the events back to libcurl and then run the
 * completion callbacks of the transfers that ended.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>

#include "ledsign/net.h"

/* A running transfer, kept in a list so ls_net_free() can stop them all. */
struct job {
	CURL *easy;
	ls_net_done_fn done;
	void *user;
	struct job *prev, *next;
};

struct ls_net {
	struct ls_loop *loop;
	CURLM *multi;
	struct job *jobs;
	uint64_t timer;	  /* the loop timer libcurl asked for; 0 = none */
	bool in_timer;	  /* inside that timer's callback */
	int64_t rearm_ms; /* there: the delay libcurl asked for, -1 none */
	void (*settled)(void *user);
	void *settled_user;
};

static void finish_done(struct ls_net *n)
{
	CURLMsg *m;
	int left, ended = 0;

	while ((m = curl_multi_info_read(n->multi, &left))) {
		struct job *j = NULL, copy;
		CURL *easy = m->easy_handle;
		CURLcode rc = m->data.result;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&j);
		if (!j)
			continue;
		copy = *j;
		ls_net_remove(n, easy);
		copy.done(copy.user, easy, rc);
		ended++;
	}
	if (ended && n->settled)
		n->settled(n->settled_user);
}

static void on_fd(struct ls_loop *loop, int fd, int revents, void *user)
{
	struct ls_net *n = user;
	int mask = 0, still;

	(void)loop;
	if (revents & (POLLIN | POLLHUP))
		mask |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		mask |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLNVAL))
		mask |= CURL_CSELECT_ERR;
	curl_multi_socket_action(n->multi, fd, mask, &still);
	finish_done(n);
}

/* libcurl's timer expired: its callback may ask for the next one meanwhile,
 * and that request becomes this timer's return value. */
static int64_t on_loop_timer(struct ls_loop *loop, void *user)
{
	struct ls_net *n = user;
	int still;

	(void)loop;
	n->in_timer = true;
	n->rearm_ms = -1;
	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &still);
	finish_done(n);
	n->in_timer = false;
	if (n->rearm_ms < 0)
		n->timer = 0;
	return n->rearm_ms < 0 ? LS_LOOP_STOP : n->rearm_ms;
}

static int on_timer(CURLM *multi, long timeout_ms, void *user)
{
	struct ls_net *n = user;

	(void)multi;
	if (n->in_timer) {
		n->rearm_ms = timeout_ms;
		return 0;
	}
	if (timeout_ms < 0) {
		ls_loop_timer_del(n->loop, n->timer);
		n->timer = 0;
	} else if (!n->timer || ls_loop_timer_move(n->loop, n->timer, timeout_ms)) {
		n->timer = ls_loop_timer_add(n->loop, timeout_ms, on_loop_timer, n);
		if (!n->timer)
			return -1;
	}
	return 0;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *user, void *sockp)
{
	struct ls_net *n = user;
	short events =
	    (short)(((what & CURL_POLL_IN) ? POLLIN : 0) | ((what & CURL_POLL_OUT) ? POLLOUT : 0));

	(void)easy;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		ls_loop_fd_del(n->loop, fd);
		return 0;
	}
	return ls_loop_fd_set(n->loop, fd, events, on_fd, n);
}

struct ls_net *ls_net_new(struct ls_loop *loop)
{
	struct ls_net *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->loop = loop;
	return n;
}

/* The multi handle, made with the first transfer: libcurl is opened only
 * when something is fetched (libcurl.h). */
static int multi_open(struct ls_net *n)
{
	if (n->multi)
		return 0;
	n->multi = curl_multi_init();
	if (!n->multi)
		return -1;
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_MAXCONNECTS, 8L);
	return 0;
}

void ls_net_free(struct ls_net *n)
{
	if (!n)
		return;
	while (n->jobs)
		ls_net_remove(n, n->jobs->easy);
	if (n->multi)
		curl_multi_cleanup(n->multi);
	ls_loop_timer_del(n->loop, n->timer);
	free(n);
}

int ls_net_add(struct ls_net *n, CURL *easy, ls_net_done_fn done, void *user)
{
	struct job *j;

	if (!easy || multi_open(n) || !(j = malloc(sizeof(*j))))
		return -1;
	*j = (struct job){.easy = easy, .done = done, .user = user, .next = n->jobs};
	curl_easy_setopt(easy, CURLOPT_PRIVATE, j);
	if (curl_multi_add_handle(n->multi, easy) != CURLM_OK) {
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		free(j);
		return -1;
	}
	if (n->jobs)
		n->jobs->prev = j;
	n->jobs = j;
	return 0;
}

void ls_net_remove(struct ls_net *n, CURL *easy)
{
	struct job *j = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&j);
	if (!j)
		return;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	curl_multi_remove_handle(n->multi, easy);
	if (j->prev)
		j->prev->next = j->next;
	else
		n->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	free(j);
}

void ls_net_on_settled(struct ls_net *n, void (*fn)(void *user), void *user)
{
	n->settled = fn;
	n->settled_user = user;
}

void ls_net_policy(CURL *c, const struct ls_net_policy *p)
{
	bool tls = p->url && !strncasecmp(p->url, "https://", 8);

	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)p->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)p->timeout_s);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ledsign/" LS_VERSION);
	if (p->ca_file && p->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, p->ca_file);
	/* A redirect never weakens the transport: from https only to https. */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "http,https");
	if (p->token && p->token[0]) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, p->token);
		/* libcurl then sends it to the first host and port only. */
		curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	}
}
