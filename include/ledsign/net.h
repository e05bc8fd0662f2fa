/*
 * The service's network loop: one libcurl multi handle driven from the
 * service's own poll() loop, so no thread ever blocks on the network and the
 * panel never waits for it.
 *
 * Modules that talk to servers (feed.c fetching playlists, status.c posting
 * heartbeats) add their easy handles here with a completion callback; the
 * main loop asks for the descriptors to poll and the longest it may sleep,
 * polls, and hands the result back to ls_net_perform().
 */
#ifndef LEDSIGN_NET_H
#define LEDSIGN_NET_H

#include <poll.h>
#include <stdint.h>

#include <curl/curl.h>

#define LS_NET_MAX_FDS 32 /* sockets watched at once; far above what a few feeds use */

struct ls_net;

/* Called once when a transfer ends (rc is its result). The handle has been
 * removed from the loop already, so the callback may re-add or free it. */
typedef void (*ls_net_done_fn)(void *user, CURL *easy, CURLcode rc);

/* Creates a loop (free with ls_net_free()), or NULL when libcurl cannot. */
struct ls_net *ls_net_new(void);

/* Removes every transfer still running and frees the loop; accepts NULL.
 * The easy handles stay owned by whoever added them. */
void ls_net_free(struct ls_net *n);

/* Starts easy (owned by the caller, who must not free it before it is done
 * or removed); done(user, ...) is called when it ends. Returns 0 or -1. */
int ls_net_add(struct ls_net *n, CURL *easy, ls_net_done_fn done, void *user);

/* Stops a running transfer without calling its callback. */
void ls_net_remove(struct ls_net *n, CURL *easy);

/* Fills fds (at most max) with the sockets libcurl wants watched; returns how many. */
int ls_net_pollfds(const struct ls_net *n, struct pollfd *fds, int max);

/* Milliseconds until libcurl needs ls_net_perform() even without socket
 * activity (0 = now), or -1 when it does not need a call at all. */
int64_t ls_net_timeout_ms(const struct ls_net *n, int64_t now_mono_ms);

/* Drives every transfer with the poll() results in fds[0..nfds-1] (revents)
 * and the time now; runs completion callbacks. */
void ls_net_perform(struct ls_net *n, const struct pollfd *fds, int nfds, int64_t now_mono_ms);

/* How many transfers are running. */
int ls_net_running(const struct ls_net *n);

#endif
