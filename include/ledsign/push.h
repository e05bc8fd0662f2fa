/*
 * The push channel: one long-lived EventSource (text/event-stream) request
 * to the feed server's nchan subscriber location, kept open on the service's
 * network (net.h), so a board hears of a new version at once instead of at
 * its next poll. A message is only a hint (deploy/FEED.md, "Push"): what it
 * says is checked by the caller, and the version it names is fetched through
 * the normal conditional, signed, cached path.
 *
 * The channel is never needed: when it is down or refused the board polls as
 * before, and it reconnects with a backoff with jitter (1 s doubling to 60 s).
 * A message is at most LS_PUSH_MAX_BYTES; a longer one is dropped whole.
 */
#ifndef LEDSIGN_PUSH_H
#define LEDSIGN_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"
#include "ledsign/loop.h"
#include "ledsign/net.h"

#define LS_PUSH_MAX_BYTES 1024
#define LS_PUSH_BACKOFF_BASE_MS 1000
#define LS_PUSH_BACKOFF_CAP_MS 60000
#define LS_PUSH_IDLE_S 90 /* no byte (message or ping) for this long: the channel is dead */

enum ls_push_event {
	LS_PUSH_CONNECTED, /* the server answered 200 with an event stream */
	LS_PUSH_MESSAGE,   /* data, len: one message's data */
	LS_PUSH_OVERSIZED, /* a message over LS_PUSH_MAX_BYTES was dropped */
	LS_PUSH_LOST,	   /* data: why the channel is down; a reconnect is scheduled */
};

/* Hears the channel: data is NUL-terminated and valid only for the call. */
typedef void (*ls_push_fn)(void *user, enum ls_push_event ev, const char *data, size_t len);

struct ls_push;

/* Subscribes to policy->url (with its token and CA) on net, now; fn(user,
 * ...) hears what happens. Returns NULL with err when libcurl cannot start.
 * Free with ls_push_free(). */
struct ls_push *ls_push_new(struct ls_loop *loop, struct ls_net *net,
			    const struct ls_net_policy *policy, ls_push_fn fn, void *user,
			    struct ls_error *err);

/* Closes the channel and frees; accepts NULL. */
void ls_push_free(struct ls_push *p);

/* Whether the channel is up, and how many times it was lost since start. */
bool ls_push_connected(const struct ls_push *p);
unsigned long ls_push_losses(const struct ls_push *p);

struct ls_feeds;

/* What a message means for the board's feeds (deploy/FEED.md, "Push"). */
enum ls_push_hint {
	LS_PUSH_REFUSED, /* not a message, or no feed of this board: err says which */
	LS_PUSH_SHOWN,	 /* that feed already shows the version, or a newer one */
	LS_PUSH_FETCH,	 /* a newer version: the feed polls now (ls_feeds_poll_now()) */
};

/* Takes a message in: *layer is the feed it names (-1 when refused), *ts the
 * version it announces and *shown the feed's own (its signed timestamp); a
 * newer version makes that feed poll now, through the usual conditional,
 * signed path, and anything else changes nothing. */
enum ls_push_hint ls_push_hint(struct ls_feeds *f, const char *data, size_t len, int *layer,
			       int64_t *ts, int64_t *shown, struct ls_error *err);

/* ---- pure parts ---- */

/* An event-stream parser: bytes in, one callback per message out. */
struct ls_sse {
	char data[LS_PUSH_MAX_BYTES + 1];
	size_t len;
	bool has_data, over; /* the event has data lines; it grew too long */
	char field[8];	     /* the start of the current line, to name its field */
	size_t line_len;     /* bytes of the current line so far */
	bool in_data;	     /* the current line is a data line (after "data:") */
	bool skip_space;     /* the one space after "data:" is not data */
};

/* Feeds n bytes of the stream to s, calling fn with LS_PUSH_MESSAGE or
 * LS_PUSH_OVERSIZED at each blank line that ends an event with data. */
void ls_sse_feed(struct ls_sse *s, const char *buf, size_t n, ls_push_fn fn, void *user);

/* The message (src/core/push_message.c): {"path":"DIR/NAME","timestamp":N},
 * the feed's path under the feed root and the signed timestamp of the version
 * just published. */
#define LS_PUSH_PATH_MAX 257 /* a longer path is refused */

/* Writes the message for path and ts into buf (n bytes, always terminated);
 * returns what snprintf() returns. */
int ls_push_message_format(const char *path, int64_t ts, char *buf, size_t n);

/* Reads a message into path (path_n bytes; a longer path is refused) and *ts;
 * 0, or -1 with why in err (not a JSON object, no path, no whole timestamp). */
int ls_push_message_parse(const char *data, size_t len, char *path, size_t path_n, int64_t *ts,
			  struct ls_error *err);

#endif
