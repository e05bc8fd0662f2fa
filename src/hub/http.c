/*
 * http.c: libmicrohttpd glue. A request's body is gathered up to
 * [http] max_body (a larger one is refused with 413 without being read
 * further); the headers a route needs are looked up once into a struct
 * hub_request; the response is a buffer or a file. A heartbeat's answer
 * that waits for its batch's commit (batch.h) is kept while the connection
 * is suspended, and sent when the commit resumes it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cJSON.h>
#include <microhttpd.h>

#include "http.h"
#include "ledsign/i18n.h"
#include "ledsign/log.h"

struct hub_http {
	struct hub *h;
	struct MHD_Daemon *d;
	int fd;
	char unix_path[108];
};

struct conn {
	char *body;
	size_t len;
	bool too_big;
	struct hub_request rq;
	struct MHD_Connection *c;
	/* An answer waiting for its batch: mu guards the three flags, set by
	 * the thread that committed it and read by the HTTP thread. */
	pthread_mutex_t mu;
	bool waiting, suspended, committed, stored;
	struct hub_response rs;
};

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warnx("http: %s", line);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct hub_request *rq = cls;

	(void)kind;
	if (rq->n_args == HUB_MAX_ARGS)
		return MHD_NO;
	rq->args[rq->n_args].key = key;
	rq->args[rq->n_args].value = value ? value : "";
	rq->n_args++;
	return MHD_YES;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void peer_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "local");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

static enum MHD_Result send_plain(struct MHD_Connection *c, unsigned status, const char *json)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "Connection", "close");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* {"error": fmt} answered before a route sees the request, in its language
 * as the routes' answers are (catalog.c). */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	char msg[512], *json;
	cJSON *o = cJSON_CreateObject();
	enum MHD_Result ret;
	va_list ap;

	hub_lang_begin(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"),
		       header(c, "Accept-Language"));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), hub_tr(fmt), ap);
	va_end(ap);
	hub_lang_end();
	cJSON_AddStringToObject(o, "error", msg);
	json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	ret = send_plain(c, status, json ? json : "{\"error\":\"out of memory\"}");
	cJSON_free(json);
	return ret;
}

static enum MHD_Result send_response(struct MHD_Connection *c, const struct hub_request *rq,
				     struct hub_response *rs)
{
	struct MHD_Response *r = NULL;
	enum MHD_Result ret;
	struct stat sb;
	int fd;

	if (rs->file && (fd = open(rs->file, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (fstat(fd, &sb) == 0)
			r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		else
			close(fd);
	}
	if (!r && !strcmp(rq->method, "HEAD"))
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	else if (!r)
		r = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : (void *)"",
						    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", rs->type ? rs->type : "text/plain");
	for (int i = 0; i < rs->n_headers; i++)
		MHD_add_response_header(r, rs->headers[i][0], rs->headers[i][1]);
	ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* rq->on_commit: the batch holding cn's answer was committed (stored) or
 * failed; resumes the connection if it is suspended. */
static void on_commit(void *ctx, bool stored)
{
	struct conn *cn = ctx;
	struct MHD_Connection *c = cn->c;
	bool resume;

	pthread_mutex_lock(&cn->mu);
	cn->committed = true;
	cn->stored = stored;
	resume = cn->suspended;
	cn->suspended = false;
	pthread_mutex_unlock(&cn->mu);
	/* Last: once resumed, the HTTP thread may answer and free cn. */
	if (resume)
		MHD_resume_connection(c);
}

/* The answer once its batch is done: as made, or 503 when not stored. */
static enum MHD_Result answer_committed(struct MHD_Connection *c, struct conn *cn)
{
	enum MHD_Result ret;

	cn->waiting = false;
	if (!cn->stored)
		ret = send_error(c, 503,
				 N_("the database could not store this heartbeat; the "
				    "board sends it again"));
	else
		ret = send_response(c, &cn->rq, &cn->rs);
	free(cn->rs.body);
	cn->rs.body = NULL;
	return ret;
}

/* Keeps the answer of a heartbeat that waits for its batch, and suspends
 * the connection unless the batch was already committed. */
static enum MHD_Result hold(struct MHD_Connection *c, struct conn *cn)
{
	bool done;

	pthread_mutex_lock(&cn->mu);
	done = cn->committed;
	cn->waiting = true;
	if (!done) {
		cn->suspended = true;
		MHD_suspend_connection(c);
	}
	pthread_mutex_unlock(&cn->mu);
	return done ? answer_committed(c, cn) : MHD_YES;
}

static enum MHD_Result answer(struct hub_http *s, struct MHD_Connection *c, struct conn *cn,
			      const char *url, const char *method)
{
	struct hub_request *rq = &cn->rq;
	struct hub_response rs = {.status = 500};
	char addr[64];
	enum MHD_Result ret;

	if (cn->too_big)
		return send_error(c, 413,
				  N_("the request body is over %ld bytes ([http] max_body); "
				     "nothing stored"),
				  s->h->cfg.http.max_body);
	rq->method = method;
	rq->path = url;
	rq->body = cn->body;
	rq->body_len = cn->len;
	rq->authorization = header(c, "Authorization");
	rq->cookie = header(c, "Cookie");
	rq->content_type = header(c, "Content-Type");
	rq->csrf_header = header(c, "X-CSRF-Token");
	rq->accept_language = header(c, "Accept-Language");
	rq->address = header(c, "X-Real-IP");
	if (!rq->address) {
		peer_address(c, addr, sizeof(addr));
		rq->address = addr;
	}
	if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, rq) > HUB_MAX_ARGS)
		return send_error(c, 400, N_("too many query arguments"));
	cn->c = c;
	rq->on_commit = on_commit;
	rq->commit_ctx = cn;
	hub_handle(s->h, rq, &rs);
	if (rs.wait) {
		cn->rs = rs;
		return hold(c, cn);
	}
	ret = send_response(c, rq, &rs);
	free(rs.body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct hub_http *s = cls;
	struct conn *cn = *con_cls;
	const char *cl;

	(void)version;
	if (!cn) {
		if (!(cn = calloc(1, sizeof(*cn))))
			return MHD_NO;
		pthread_mutex_init(&cn->mu, NULL);
		*con_cls = cn;
		cl = header(c, "Content-Length");
		if (cl && strtoll(cl, NULL, 10) > s->h->cfg.http.max_body)
			cn->too_big = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cn->too_big && cn->len + *upload_size <= (size_t)s->h->cfg.http.max_body) {
			char *b = realloc(cn->body, cn->len + *upload_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + cn->len, upload, *upload_size);
			cn->body = b;
			cn->len += *upload_size;
			b[cn->len] = '\0';
		} else {
			cn->too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cn->waiting) /* resumed: its batch is done */
		return answer_committed(c, cn);
	return answer(s, c, cn, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (cn) {
		pthread_mutex_destroy(&cn->mu);
		free(cn->rs.body);
		free(cn->body);
		free(cn);
	}
	*con_cls = NULL;
}

/* A listening socket for "unix:/path" or "host:port" (loopback or any
 * address the administrator chose). */
static int listen_socket(struct hub_http *s, const char *spec, struct ls_error *err)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	int fd, one = 1;

	if (!strncmp(spec, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		if (strlen(spec + 5) >= sizeof(un->sun_path))
			return ls_error_set(err, "[http] listen: socket path too long");
		un->sun_family = AF_UNIX;
		snprintf(un->sun_path, sizeof(un->sun_path), "%s", spec + 5);
		snprintf(s->unix_path, sizeof(s->unix_path), "%s", spec + 5);
		unlink(un->sun_path);
		len = sizeof(*un);
	} else {
		char host[256];
		const char *colon = strrchr(spec, ':');
		long port = colon ? strtol(colon + 1, NULL, 10) : 0;
		size_t hl = colon ? (size_t)(colon - spec) : 0;
		if (!colon || port < 1 || port > 65535 || hl >= sizeof(host))
			return ls_error_set(err, "[http] listen: '%s' is not host:port", spec);
		memcpy(host, spec, hl);
		host[hl] = '\0';
		if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
			host[hl - 1] = '\0';
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons((uint16_t)port);
			if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
				return ls_error_set(
				    err, "[http] listen: '%s' is not an IPv6 address", host + 1);
			len = sizeof(*in6);
		} else {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;
			in->sin_family = AF_INET;
			in->sin_port = htons((uint16_t)port);
			if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
				return ls_error_set(
				    err, "[http] listen: '%s' is not an IPv4 address", host);
			len = sizeof(*in);
		}
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return ls_error_set(err, "[http] listen: socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128)) {
		ls_error_set(err, "[http] listen %s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	if (s->unix_path[0])
		chmod(s->unix_path, 0660); /* nginx reaches it through the socket's group */
	s->fd = fd;
	return 0;
}

struct hub_http *hub_http_start(struct hub *h, struct ls_error *err)
{
	struct hub_http *s = calloc(1, sizeof(*s));

	if (!s) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	s->h = h;
	s->fd = -1;
	if (listen_socket(s, h->cfg.http.listen, err))
		goto err_free;
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
				    MHD_ALLOW_SUSPEND_RESUME,
				0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, log_mhd,
				NULL, MHD_OPTION_LISTEN_SOCKET, s->fd, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)h->cfg.http.max_connections,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)h->cfg.http.timeout_s,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!s->d) {
		ls_error_set(err, "[http] listen %s: libmicrohttpd could not start",
			     h->cfg.http.listen);
		goto err_close;
	}
	return s;
err_close:
	close(s->fd);
err_free:
	free(s);
	return NULL;
}

void hub_http_stop(struct hub_http *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d); /* closes the listening socket too */
	if (s->unix_path[0])
		unlink(s->unix_path);
	free(s);
}
