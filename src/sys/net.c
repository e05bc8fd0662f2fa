/*
 * net.c: a libcurl multi handle in socket-action mode. libcurl tells us which
 * sockets to watch (socket callback) and when it next needs a call (timer
 * callback); we keep both in small plain tables the main loop reads.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/net.h"

struct watch {
	curl_socket_t fd;
	short events;
};

struct ls_net {
	CURLM *multi;
	struct watch watch[LS_NET_MAX_FDS];
	int n_watch;
	int64_t deadline_ms;	    /* mono ms when libcurl wants a timeout call; -1 none */
	CURL *jobs[LS_NET_MAX_FDS]; /* transfers running, so free can stop them */
	int running;
};

struct job {
	ls_net_done_fn done;
	void *user;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *user, void *sockp)
{
	struct ls_net *n = user;
	int i;

	(void)easy;
	(void)sockp;
	for (i = 0; i < n->n_watch && n->watch[i].fd != fd; i++)
		;
	if (what == CURL_POLL_REMOVE) {
		if (i < n->n_watch)
			n->watch[i] = n->watch[--n->n_watch];
		return 0;
	}
	if (i == n->n_watch) {
		if (n->n_watch == LS_NET_MAX_FDS)
			return -1; /* libcurl fails that transfer; the owner retries later */
		n->n_watch++;
	}
	n->watch[i].fd = fd;
	n->watch[i].events =
	    (short)(((what & CURL_POLL_IN) ? POLLIN : 0) | ((what & CURL_POLL_OUT) ? POLLOUT : 0));
	return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *user)
{
	struct ls_net *n = user;

	(void)multi;
	n->deadline_ms = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
	return 0;
}

struct ls_net *ls_net_new(void)
{
	struct ls_net *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->multi = curl_multi_init();
	if (!n->multi) {
		free(n);
		return NULL;
	}
	n->deadline_ms = -1;
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_MAXCONNECTS, 8L);
	return n;
}

static void job_forget(struct ls_net *n, CURL *easy)
{
	for (int i = 0; i < n->running; i++)
		if (n->jobs[i] == easy) {
			n->jobs[i] = n->jobs[--n->running];
			return;
		}
}

static void job_drop(CURL *easy)
{
	struct job *j = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&j);
	free(j);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
}

void ls_net_free(struct ls_net *n)
{
	if (!n)
		return;
	while (n->running > 0)
		ls_net_remove(n, n->jobs[0]);
	curl_multi_cleanup(n->multi);
	free(n);
}

int ls_net_add(struct ls_net *n, CURL *easy, ls_net_done_fn done, void *user)
{
	struct job *j;

	if (n->running == LS_NET_MAX_FDS || !(j = malloc(sizeof(*j))))
		return -1;
	*j = (struct job){done, user};
	curl_easy_setopt(easy, CURLOPT_PRIVATE, j);
	if (curl_multi_add_handle(n->multi, easy) != CURLM_OK) {
		free(j);
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		return -1;
	}
	n->jobs[n->running++] = easy;
	return 0;
}

void ls_net_remove(struct ls_net *n, CURL *easy)
{
	struct job *j = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&j);
	if (!j)
		return;
	job_drop(easy);
	curl_multi_remove_handle(n->multi, easy);
	job_forget(n, easy);
}

int ls_net_pollfds(const struct ls_net *n, struct pollfd *fds, int max)
{
	int k = 0;

	for (int i = 0; i < n->n_watch && k < max; i++, k++)
		fds[k] = (struct pollfd){.fd = n->watch[i].fd, .events = n->watch[i].events};
	return k;
}

int64_t ls_net_timeout_ms(const struct ls_net *n, int64_t now_mono_ms)
{
	if (n->deadline_ms < 0)
		return -1;
	return n->deadline_ms > now_mono_ms ? n->deadline_ms - now_mono_ms : 0;
}

static void finish_done(struct ls_net *n)
{
	CURLMsg *m;
	int left;

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
		job_drop(easy);
		curl_multi_remove_handle(n->multi, easy);
		job_forget(n, easy);
		copy.done(copy.user, easy, rc);
	}
}

void ls_net_perform(struct ls_net *n, const struct pollfd *fds, int nfds, int64_t now_mono_ms)
{
	int still;

	for (int i = 0; i < nfds; i++) {
		int mask = 0;

		if (!fds[i].revents)
			continue;
		if (fds[i].revents & (POLLIN | POLLHUP))
			mask |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLNVAL))
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(n->multi, fds[i].fd, mask, &still);
	}
	if (n->deadline_ms >= 0 && now_mono_ms >= n->deadline_ms) {
		n->deadline_ms = -1;
		curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &still);
	}
	finish_done(n);
}

int ls_net_running(const struct ls_net *n)
{
	return n->running;
}
