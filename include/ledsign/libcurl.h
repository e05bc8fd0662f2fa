/*
 * libcurl, loaded when a program first uses it (src/sys/libcurl.c).
 *
 * No program links libcurl: the library defines the libcurl functions ledsign
 * calls, and the first call of any of them opens libcurl (dlopen, once,
 * thread-safe) and runs curl_global_init(). Until then none of libcurl's two
 * dozen libraries (TLS, HTTP/2, Kerberos, LDAP, SSH ...) is loaded: the
 * service draws its first frame from the cache without them, and the tool's
 * commands that never fetch (validate, render, preview) never load them.
 *
 * When libcurl cannot be opened every function fails the way libcurl itself
 * fails (NULL handles, CURLE_FAILED_INIT, CURLM_INTERNAL_ERROR) and
 * ls_libcurl_error() says why.
 */
#ifndef LEDSIGN_LIBCURL_H
#define LEDSIGN_LIBCURL_H

#include <stdbool.h>

/* Opens libcurl now, if it is not open yet. Returns 0, or -1 when it cannot
 * be opened (ls_libcurl_error() says why). */
int ls_libcurl_load(void);

/* Whether libcurl is open, without opening it. */
bool ls_libcurl_loaded(void);

/* Why libcurl could not be opened ("" when it could, or was not tried). */
const char *ls_libcurl_error(void);

/* The library file opened, as the build found it (e.g. "libcurl.so.4"). */
const char *ls_libcurl_soname(void);

#endif
