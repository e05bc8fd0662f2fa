/*
 * publish.c: installs a signed version of a feed file into the directory
 * nginx serves and tells the push channel, for `ledsign publish` and the
 * hub alike (publish.h says what it promises boards).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ledsign/atomic.h"
#include "ledsign/feed.h"
#include "ledsign/libcurl.h"
#include "ledsign/net.h"
#include "ledsign/picture.h"
#include "ledsign/publish.h"
#include "ledsign/push.h"
#include "ledsign/sign.h"

/* Reads the signature at path, at most LS_SIG_MAX_BYTES; NULL when absent
 * or unreadable (then there is nothing to be after). */
static char *read_sig(const char *path, size_t *len)
{
	char *buf = malloc(LS_SIG_MAX_BYTES + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (buf && fd >= 0)
		n = read(fd, buf, LS_SIG_MAX_BYTES);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

int64_t ls_publish_timestamp(const char *sig_path, int64_t now, int reset_floor,
			     struct ls_error *err)
{
	struct ls_sig_info *info;
	int64_t ts = now;
	char *text;
	size_t len;

	if (reset_floor || !(text = read_sig(sig_path, &len)))
		return now;
	if (!(info = malloc(sizeof(*info)))) {
		free(text);
		return ls_error_set(err, "out of memory");
	}
	if (!ls_sig_inspect(text, len, info, NULL) && info->timestamp > now) {
		if (info->timestamp - now >= LS_FEED_AHEAD_MAX_S)
			ts = ls_error_set(
			    err,
			    "%s is signed at %lld, %lld s ahead of this machine's clock "
			    "(boards accept at most %d): fix the clock that signed it, "
			    "then publish with --reset-floor to sign at now",
			    sig_path, (long long)info->timestamp,
			    (long long)(info->timestamp - now), LS_FEED_AHEAD_MAX_S);
		else
			ts = info->timestamp + 1;
	} else if (info->timestamp == now) {
		ts = now + 1;
	}
	free(text);
	free(info);
	return ts;
}

/* The new file's mtime: now, or a second after the file it replaces. */
static struct timespec next_mtime(const char *path)
{
	struct timespec t;
	struct stat st;

	clock_gettime(CLOCK_REALTIME, &t);
	if (!stat(path, &st) && st.st_mtim.tv_sec >= t.tv_sec)
		t = (struct timespec){.tv_sec = st.st_mtim.tv_sec + 1};
	return t;
}

static int write_tmp(const char *dir, const char *name, const void *data, size_t len, char *tmp,
		     size_t n, struct ls_error *err)
{
	char old[PATH_MAX];
	struct timespec times[2];
	int fd;

	snprintf(old, sizeof(old), "%s/%s", dir, name);
	times[0] = times[1] = next_mtime(old);
	snprintf(tmp, n, "%s/.%s.XXXXXX", dir, name);
	fd = mkstemp(tmp);
	if (fd < 0)
		return ls_error_set(err, "%s: %s", tmp, strerror(errno));
	if (fchmod(fd, 0644) || write(fd, data, len) != (ssize_t)len || futimens(fd, times) ||
	    fsync(fd)) {
		ls_error_set(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return 0;
}

/* Both files are written and synced before either is renamed into place;
 * the body goes first, so the window in which a board can see a mismatched
 * pair is two renames long (it then refuses it and retries). */
int ls_publish_install(const char *dir, const char *name, const void *body, size_t len,
		       const char *sig, struct ls_error *err)
{
	char tb[PATH_MAX], ts[PATH_MAX], pb[PATH_MAX], ps[PATH_MAX + 8], signame[NAME_MAX + 9];
	int dfd;

	snprintf(signame, sizeof(signame), "%s.minisig", name);
	snprintf(pb, sizeof(pb), "%s/%s", dir, name);
	snprintf(ps, sizeof(ps), "%s/%s", dir, signame);
	if (write_tmp(dir, name, body, len, tb, sizeof(tb), err))
		return -1;
	if (write_tmp(dir, signame, sig, strlen(sig), ts, sizeof(ts), err))
		goto err_body;
	if (rename(tb, pb) || rename(ts, ps)) {
		ls_error_set(err, "%s: %s", dir, strerror(errno));
		unlink(ts);
		goto err_body;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
err_body:
	unlink(tb);
	return -1;
}

/* Creates the folders of dir/file below dir (file's own name excluded). */
static int make_parents(const char *dir, const char *file, struct ls_error *err)
{
	char path[PATH_MAX];
	size_t base = strlen(dir) + 1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return ls_error_set(err, "%s/%s: path too long", dir, file);
	for (char *p = path + base; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return ls_error_set(err, "%s: cannot create: %s", path, strerror(errno));
		*p = '/';
	}
	return 0;
}

/* The index of the first item before i naming the same picture file, or -1. */
static int named_before(const struct ls_playlist *pl, int i)
{
	for (int k = 0; k < i; k++)
		if (pl->items[k].picture &&
		    !strcmp(pl->items[k].picture->file, pl->items[i].picture->file))
			return k;
	return -1;
}

/* The items naming pl's distinct picture files, into items; their count,
 * or -1 with err when they name more than LS_FEED_MAX_PICTURES hashes. */
static int picture_items(const struct ls_playlist *pl, int *items, struct ls_error *err)
{
	uint8_t seen[LS_FEED_MAX_PICTURES][32];
	int n = 0, hashes = 0;

	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item_picture *pic = pl->items[i].picture;
		int dup = 0;

		if (!pic || named_before(pl, i) >= 0)
			continue;
		for (int k = 0; k < hashes && !dup; k++)
			dup = !memcmp(seen[k], pic->sha256, 32);
		if (!dup && hashes == LS_FEED_MAX_PICTURES)
			return ls_error_set(err,
					    "items[%d].picture (%s): the playlist names more than "
					    "%d different pictures, the most a board takes; use "
					    "fewer pictures",
					    i, pl->items[i].id, LS_FEED_MAX_PICTURES);
		if (!dup)
			memcpy(seen[hashes++], pic->sha256, 32);
		items[n++] = i;
	}
	return n;
}

/* Writes the len bytes at buf to dir/file, creating its folders. */
static int write_picture(const char *dir, const char *file, const uint8_t *buf, size_t len,
			 struct ls_error *err)
{
	char to[PATH_MAX];

	snprintf(to, sizeof(to), "%s/%s", dir, file);
	if (make_parents(dir, file, err) || ls_atomic_write(to, buf, len, 0644, err))
		return -1;
	return 0;
}

/* Reads pic's file beside the playlist file src, checked against its SHA-256. */
static uint8_t *read_beside(void *ctx, const struct ls_item_picture *pic, size_t *len,
			    struct ls_error *err)
{
	const char *src = ctx, *slash = strrchr(src, '/');
	char from[PATH_MAX];

	snprintf(from, sizeof(from), "%.*s%s", slash ? (int)(slash - src + 1) : 0, src, pic->file);
	return ls_picture_read(from, pic->sha256, len, err);
}

int ls_publish_pictures(const char *dir, const char *src, const struct ls_playlist *pl,
			struct ls_error *err)
{
	struct ls_publish_source from = {read_beside, (void *)src};

	return ls_publish_pictures_from(dir, &from, pl, err);
}

/* Every picture is read and checked before the first is written, so a
 * refused one leaves the directory as it was. */
int ls_publish_pictures_from(const char *dir, const struct ls_publish_source *from,
			     const struct ls_playlist *pl, struct ls_error *err)
{
	int items[LS_PLAYLIST_MAX_ITEMS], n = picture_items(pl, items, err), k = 0, r = -1;
	uint8_t *buf[LS_PLAYLIST_MAX_ITEMS] = {0};
	size_t len[LS_PLAYLIST_MAX_ITEMS];

	if (n < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (!(buf[k] = from->read(from->ctx, pl->items[items[k]].picture, &len[k], err)))
			goto out;
	for (k = 0; k < n; k++)
		if (write_picture(dir, pl->items[items[k]].picture->file, buf[k], len[k], err))
			goto out;
	r = n;
out:
	if (r < 0)
		ls_error_prefix(err, "items[%d].picture (%s)", items[k], pl->items[items[k]].id);
	for (int i = 0; i < n; i++)
		free(buf[i]);
	return r;
}

static size_t discard(char *data, size_t size, size_t nmemb, void *user)
{
	(void)data;
	(void)user;
	return size * nmemb;
}

int ls_publish_push(const char *url, const char *token, const char *path, int64_t ts,
		    struct ls_error *err)
{
	CURL *c = curl_easy_init();
	char msg[LS_SIG_PATH_MAX + 64], cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	long code = 0;
	CURLcode rc;

	if (!c || !h) {
		curl_easy_cleanup(c);
		curl_slist_free_all(h);
		return ls_error_set(err,
				    "libcurl cannot be opened (%s): reinstall the libcurl4 package",
				    ls_libcurl_error());
	}
	ls_push_message_format(path, ts, msg, sizeof(msg));
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, msg);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	ls_net_policy(c, &(struct ls_net_policy){url, token, NULL, 5, 10});
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		return ls_error_set(err, "%s: %s", url, cerr[0] ? cerr : curl_easy_strerror(rc));
	if (code < 200 || code >= 300)
		return ls_error_set(err, "%s: the publisher answered HTTP %ld", url, code);
	return 0;
}

int ls_publish_path(const char *dir, const char *root, const char *name, char *out, size_t n,
		    struct ls_error *err)
{
	char d[PATH_MAX], r[PATH_MAX], tmp[PATH_MAX];
	size_t rl;

	if (!realpath(dir, d))
		return ls_error_set(err, "--to %s: %s", dir, strerror(errno));
	if (!root) {
		snprintf(tmp, sizeof(tmp), "%s", d);
		snprintf(r, sizeof(r), "%s", dirname(tmp));
	} else if (!realpath(root, r)) {
		return ls_error_set(err, "--root %s: %s", root, strerror(errno));
	}
	rl = strcmp(r, "/") ? strlen(r) : 0;
	if (strncmp(d, r, rl) || d[rl] != '/' || !d[rl + 1])
		return ls_error_set(err, "--to %s is not a directory under the feed root %s", dir,
				    r);
	if ((size_t)snprintf(out, n, "%s/%s", d + rl + 1, name) >= n)
		return ls_error_set(err, "the path under the feed root is too long");
	return ls_sig_path_check(out, name, err);
}
