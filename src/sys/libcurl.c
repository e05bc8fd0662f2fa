/*
 * libcurl, loaded when first used (libcurl.h).
 *
 * Each libcurl function ledsign calls is defined here with libcurl's own
 * prototype; the first call of any of them opens the library named at build
 * time (LS_CURL_SONAME, the soname of the libcurl the build compiled
 * against), looks up every function at once and runs curl_global_init(), all
 * under one pthread_once. A symbol missing from the library counts as the
 * library missing, so a call never goes through a NULL pointer.
 *
 * The variadic setters forward their one argument with the type libcurl
 * reads for the option (the option number's range says it: long, pointer,
 * function pointer or curl_off_t), as libcurl itself does; getinfo's
 * argument is always a pointer.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "ledsign/libcurl.h"

#ifndef LS_CURL_SONAME
#define LS_CURL_SONAME "libcurl.so.4"
#endif

static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_reset)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	time_t (*getdate)(const char *, const time_t *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int state; /* 0 not tried, 1 open, -1 could not be opened */
static char why[256];

/* The symbol "curl_<name>" into fn.<name>; 0 or -1. */
#define SYM(h, name) (*(void **)&fn.name = dlsym(h, "curl_" #name)) == NULL

static void open_libcurl(void)
{
	void *h = dlopen(LS_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(why, sizeof(why), "%s", dlerror());
		state = -1;
		return;
	}
	if (SYM(h, global_init) || SYM(h, global_cleanup) || SYM(h, easy_init) ||
	    SYM(h, easy_setopt) || SYM(h, easy_perform) || SYM(h, easy_cleanup) ||
	    SYM(h, easy_getinfo) || SYM(h, easy_reset) || SYM(h, easy_strerror) ||
	    SYM(h, slist_append) || SYM(h, slist_free_all) || SYM(h, getdate) ||
	    SYM(h, multi_init) || SYM(h, multi_setopt) || SYM(h, multi_add_handle) ||
	    SYM(h, multi_remove_handle) || SYM(h, multi_socket_action) || SYM(h, multi_perform) ||
	    SYM(h, multi_poll) || SYM(h, multi_info_read) || SYM(h, multi_cleanup)) {
		snprintf(why, sizeof(why), "%s: %s", LS_CURL_SONAME, dlerror());
		state = -1;
		return;
	}
	if (fn.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(why, sizeof(why), "%s: curl_global_init failed", LS_CURL_SONAME);
		state = -1;
		return;
	}
	state = 1;
}

int ls_libcurl_load(void)
{
	pthread_once(&once, open_libcurl);
	return state > 0 ? 0 : -1;
}

bool ls_libcurl_loaded(void)
{
	return __atomic_load_n(&state, __ATOMIC_ACQUIRE) > 0;
}

const char *ls_libcurl_error(void)
{
	return state < 0 ? why : "";
}

const char *ls_libcurl_soname(void)
{
	return LS_CURL_SONAME;
}

/* A handle exists only once libcurl is open, so the functions taking one
 * check the state without opening (a NULL handle is a no-op, as in libcurl). */
#define OPEN() (ls_libcurl_load() == 0)
#define IS_OPEN() ls_libcurl_loaded()

CURLcode curl_global_init(long flags)
{
	(void)flags; /* open_libcurl() initialised with CURL_GLOBAL_DEFAULT */
	return OPEN() ? CURLE_OK : CURLE_FAILED_INIT;
}

/* libcurl stays initialised until the program exits: a later call must still
 * find it working, and one pthread_once cannot open it twice. */
void curl_global_cleanup(void)
{
}

CURL *curl_easy_init(void)
{
	return OPEN() ? fn.easy_init() : NULL;
}

/* The one argument of an option, read as libcurl reads it. */
#define FORWARD_OPTION(call, handle, option, ap)                                                   \
	do {                                                                                       \
		if ((option) >= CURLOPTTYPE_OFF_T && (option) < CURLOPTTYPE_BLOB)                  \
			return call(handle, option, va_arg(ap, curl_off_t));                       \
		if ((option) >= CURLOPTTYPE_FUNCTIONPOINT && (option) < CURLOPTTYPE_OFF_T)         \
			return call(handle, option, va_arg(ap, void (*)(void)));                   \
		if ((option) >= CURLOPTTYPE_OBJECTPOINT)                                           \
			return call(handle, option, va_arg(ap, void *));                           \
		return call(handle, option, va_arg(ap, long));                                     \
	} while (0)

static CURLcode easy_setopt(CURL *c, CURLoption o, va_list ap)
{
	FORWARD_OPTION(fn.easy_setopt, c, o, ap);
}

CURLcode curl_easy_setopt(CURL *c, CURLoption o, ...)
{
	va_list ap;
	CURLcode rc;

	if (!IS_OPEN())
		return CURLE_FAILED_INIT;
	va_start(ap, o);
	rc = easy_setopt(c, o, ap);
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *c)
{
	return IS_OPEN() ? fn.easy_perform(c) : CURLE_FAILED_INIT;
}

void curl_easy_cleanup(CURL *c)
{
	if (IS_OPEN())
		fn.easy_cleanup(c);
}

CURLcode curl_easy_getinfo(CURL *c, CURLINFO info, ...)
{
	va_list ap;
	void *p;

	if (!IS_OPEN())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	return fn.easy_getinfo(c, info, p);
}

void curl_easy_reset(CURL *c)
{
	if (IS_OPEN())
		fn.easy_reset(c);
}

const char *curl_easy_strerror(CURLcode rc)
{
	if (OPEN())
		return fn.easy_strerror(rc);
	return why;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
	return OPEN() ? fn.slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (IS_OPEN())
		fn.slist_free_all(list);
}

time_t curl_getdate(const char *p, const time_t *unused)
{
	return OPEN() ? fn.getdate(p, unused) : -1;
}

CURLM *curl_multi_init(void)
{
	return OPEN() ? fn.multi_init() : NULL;
}

static CURLMcode multi_setopt(CURLM *m, CURLMoption o, va_list ap)
{
	FORWARD_OPTION(fn.multi_setopt, m, o, ap);
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption o, ...)
{
	va_list ap;
	CURLMcode rc;

	if (!IS_OPEN())
		return CURLM_INTERNAL_ERROR;
	va_start(ap, o);
	rc = multi_setopt(m, o, ap);
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *c)
{
	return IS_OPEN() ? fn.multi_add_handle(m, c) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *c)
{
	return IS_OPEN() ? fn.multi_remove_handle(m, c) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_socket_action(CURLM *m, curl_socket_t s, int ev_bitmask, int *running)
{
	return IS_OPEN() ? fn.multi_socket_action(m, s, ev_bitmask, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
	return IS_OPEN() ? fn.multi_perform(m, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int n, int timeout_ms,
			  int *numfds)
{
	return IS_OPEN() ? fn.multi_poll(m, extra, n, timeout_ms, numfds) : CURLM_INTERNAL_ERROR;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
	return IS_OPEN() ? fn.multi_info_read(m, left) : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
	return IS_OPEN() ? fn.multi_cleanup(m) : CURLM_OK;
}
