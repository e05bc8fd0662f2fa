/*
 * libcurl loaded when first used (src/sys/libcurl.c): nothing of it is mapped
 * before the first call, every function fails cleanly until then, and once
 * open each option reaches libcurl with the type it reads (long, pointer,
 * function pointer, curl_off_t), through the easy and the multi interface.
 * Transfers are file:// URLs of files this test writes.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "ledsign/libcurl.h"

/* Whether /proc/self/maps names the library libcurl.c opens. */
static int libcurl_mapped(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, ls_libcurl_soname()) != NULL;
	fclose(f);
	return found;
}

struct sink {
	char buf[256];
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	struct sink *s = user;
	size_t len = size * n;

	if (len > sizeof(s->buf) - 1 - s->len)
		len = sizeof(s->buf) - 1 - s->len;
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return size * n;
}

/* file://PATH of a file holding text, written once. */
static const char *file_url(void)
{
	static char url[4200];
	char path[4096];
	FILE *f;

	if (url[0])
		return url;
	snprintf(path, sizeof(path), "%s/libcurl-body.txt", th_tmpdir());
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs("Bảo hiểm xã hội\n", f);
	fclose(f);
	snprintf(url, sizeof(url), "file://%s", path);
	return url;
}

TEST(nothing_is_loaded_until_the_first_call)
{
	CURL *c;

	/* The first test: nothing before it has called libcurl. */
	ASSERT(!ls_libcurl_loaded());
	ASSERT_EQ_INT(libcurl_mapped(), 0);
	ASSERT_EQ_STR(ls_libcurl_error(), "");
	/* Functions that take a handle do not open it: there can be none yet. */
	ASSERT_EQ_INT(curl_easy_setopt(NULL, CURLOPT_VERBOSE, 1L), CURLE_FAILED_INIT);
	curl_easy_cleanup(NULL);
	curl_slist_free_all(NULL);
	ASSERT(!ls_libcurl_loaded());
	ASSERT_EQ_INT(libcurl_mapped(), 0);

	c = curl_easy_init();
	ASSERT(c != NULL);
	ASSERT(ls_libcurl_loaded());
	ASSERT_EQ_INT(libcurl_mapped(), 1);
	ASSERT_EQ_STR(ls_libcurl_error(), "");
	ASSERT_EQ_INT(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	curl_easy_cleanup(c);
}

TEST(easy_options_reach_libcurl_with_their_types)
{
	struct sink s = {{0}, 0};
	curl_off_t size = 0;
	long code = -1;
	char *url = NULL;
	CURL *c = curl_easy_init();

	ASSERT(c != NULL);
	ASSERT(file_url() != NULL);
	ASSERT_EQ_INT(curl_easy_setopt(c, CURLOPT_URL, file_url()), CURLE_OK);	      /* pointer */
	ASSERT_EQ_INT(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data), CURLE_OK); /* function */
	ASSERT_EQ_INT(curl_easy_setopt(c, CURLOPT_WRITEDATA, &s), CURLE_OK);
	ASSERT_EQ_INT(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), CURLE_OK); /* long */
	ASSERT_EQ_INT(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)4096), CURLE_OK);
	ASSERT_EQ_INT(curl_easy_perform(c), CURLE_OK);
	ASSERT_EQ_STR(s.buf, "Bảo hiểm xã hội\n");
	ASSERT_EQ_INT(curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size), CURLE_OK);
	ASSERT_EQ_INT((int)size, (int)strlen("Bảo hiểm xã hội\n"));
	ASSERT_EQ_INT(curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
	ASSERT_EQ_INT((int)code, 0); /* file:// has no status */
	ASSERT_EQ_INT(curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
	ASSERT_EQ_STR(url, file_url());

	/* A curl_off_t (64 bits where long has 32, as on armhf): resume at byte 4,
	 * after "Bả". */
	curl_easy_reset(c);
	s.len = 0;
	curl_easy_setopt(c, CURLOPT_URL, file_url());
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)4);
	ASSERT_EQ_INT(curl_easy_perform(c), CURLE_OK);
	ASSERT_EQ_STR(s.buf, "o hiểm xã hội\n");

	/* A string option: protocols without file refuse the URL. */
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, file_url());
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	ASSERT_EQ_INT(curl_easy_perform(c), CURLE_UNSUPPORTED_PROTOCOL);
	ASSERT_CONTAINS(curl_easy_strerror(CURLE_UNSUPPORTED_PROTOCOL), "rotocol");
	curl_easy_cleanup(c);
}

TEST(header_lists_and_dates)
{
	struct curl_slist *l = curl_slist_append(NULL, "Accept: text/event-stream");

	ASSERT(l != NULL);
	l = curl_slist_append(l, "Pragma: no-cache");
	ASSERT(l && l->next && !strcmp(l->next->data, "Pragma: no-cache"));
	curl_slist_free_all(l);
	ASSERT_EQ_INT((int)curl_getdate("Thu, 01 Jan 1970 00:01:40 GMT", NULL), 100);
	ASSERT_EQ_INT((int)curl_getdate("not a date", NULL), -1);
}

static int seen_timer;

static int on_timer(CURLM *m, long timeout_ms, void *user)
{
	(void)m;
	(void)timeout_ms;
	*(int *)user += 1;
	return 0;
}

TEST(the_multi_interface_runs_a_transfer)
{
	struct sink s = {{0}, 0};
	CURLM *m = curl_multi_init();
	CURL *c = curl_easy_init();
	CURLMsg *msg;
	int running = 1, left = 0, done = 0;

	ASSERT(m && c);
	ASSERT_EQ_INT(curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, 8L), CURLM_OK);
	ASSERT_EQ_INT(curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, on_timer), CURLM_OK);
	ASSERT_EQ_INT(curl_multi_setopt(m, CURLMOPT_TIMERDATA, &seen_timer), CURLM_OK);
	curl_easy_setopt(c, CURLOPT_URL, file_url());
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_PRIVATE, &s);
	ASSERT_EQ_INT(curl_multi_add_handle(m, c), CURLM_OK);
	ASSERT(seen_timer > 0); /* the function pointer and its data reached libcurl */
	for (int i = 0; running && i < 1000; i++) {
		ASSERT_EQ_INT(curl_multi_perform(m, &running), CURLM_OK);
		if (running)
			curl_multi_poll(m, NULL, 0, 10, NULL);
	}
	while ((msg = curl_multi_info_read(m, &left))) {
		struct sink *p = NULL;

		ASSERT_EQ_INT(msg->msg, CURLMSG_DONE);
		ASSERT_EQ_INT(msg->data.result, CURLE_OK);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
		ASSERT(p == &s);
		done++;
	}
	ASSERT_EQ_INT(done, 1);
	ASSERT_EQ_STR(s.buf, "Bảo hiểm xã hội\n");
	ASSERT_EQ_INT(curl_multi_remove_handle(m, c), CURLM_OK);
	curl_easy_cleanup(c);
	ASSERT_EQ_INT(curl_multi_cleanup(m), CURLM_OK);
}
