/*
 * The HTTP edge: GNU libmicrohttpd on loopback or a unix socket (nginx in
 * front terminates TLS). Requests are bounded (body size, header memory,
 * connections, idle time) before a route sees them; each one is handed to
 * hub_handle() as a struct hub_request.
 */
#ifndef LEDSIGN_HUB_HTTP_H
#define LEDSIGN_HUB_HTTP_H

#include "hub.h"

struct hub_http;

/* Starts serving h on h->cfg.http.listen in libmicrohttpd's own thread.
 * Returns NULL with err (address in use, bad address). Stop with
 * hub_http_stop(). */
struct hub_http *hub_http_start(struct hub *h, struct ls_error *err);

/* Stops serving and frees; accepts NULL. */
void hub_http_stop(struct hub_http *s);

#endif
