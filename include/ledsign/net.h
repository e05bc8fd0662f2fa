/*
 * The service's network: one libcurl multi handle whose sockets and timer are
 * watches and a timer of the service's event loop (loop.h), so no thread ever
 * blocks on the network and the panel never waits for it.
 *
 * Modules that talk to servers (feed.c fetching playlists, heartbeat.c
 * posting reports) add their easy handles here with a completion callback,
 * after ls_net_policy() has set the one TLS and token policy every transfer
 * to a server follows.
 */
#ifndef LEDSIGN_NET_H
#define LEDSIGN_NET_H

#include <stdint.h>

#include <curl/curl.h>

#include "ledsign/loop.h"

struct ls_net;

/* Called once when a transfer ends (rc is its result). The handle has been
 * removed from the loop already, so the callback may re-add or free it. */
typedef void (*ls_net_done_fn)(void *user, CURL *easy, CURLcode rc);

/* Creates a network on loop (which must outlive it); free with
 * ls_net_free(). Returns NULL when out of memory. libcurl is opened by the
 * first transfer (libcurl.h), not here. */
struct ls_net *ls_net_new(struct ls_loop *loop);

/* Removes every transfer still running and frees the network; accepts NULL.
 * The easy handles stay owned by whoever added them. */
void ls_net_free(struct ls_net *n);

/* Starts easy (owned by the caller, who must not free it before it is done
 * or removed); done(user, ...) is called from the loop when it ends.
 * Returns 0 or -1 (easy NULL, out of memory, or libcurl not opened:
 * ls_libcurl_error() says why). */
int ls_net_add(struct ls_net *n, CURL *easy, ls_net_done_fn done, void *user);

/* Stops a running transfer without calling its callback. */
void ls_net_remove(struct ls_net *n, CURL *easy);

/* Calls fn(user) after the completion callbacks of one or more transfers
 * have run (fn NULL: nobody), so whoever drives the transfers' owners can
 * wake them at once. */
void ls_net_on_settled(struct ls_net *n, void (*fn)(void *user), void *user);

/* What a transfer to a server may send and must check. */
struct ls_net_policy {
	const char *url;     /* where the transfer starts */
	const char *token;   /* bearer token, "" or NULL for none */
	const char *ca_file; /* CA bundle, "" or NULL for the system's */
	int connect_timeout_s, timeout_s;
};

/*
 * Sets on easy the policy of every transfer to a server: TLS certificate and
 * host name verification always on (with ca_file when given), the timeouts,
 * no signals, ledsign's User-Agent, and the bearer token sent only to the
 * URL's own host: never after a redirect to another host or port, and a
 * redirect from https may only go to https. The caller sets the URL, what
 * to send and receive, and whether to follow redirects at all.
 */
void ls_net_policy(CURL *easy, const struct ls_net_policy *p);

#endif
