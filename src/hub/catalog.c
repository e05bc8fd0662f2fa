/*
 * catalog.c: the library's messages in the reader's language, chosen per
 * request. gettext picks one language per process from the environment and
 * needs the system's locale for it; the hub answers a Vietnamese editor and
 * an English one from the same process, on a server that may have no
 * Vietnamese locale. So the studio reads the catalogue the programs use
 * (ledsign.mo, found by ls_locale_dir()) itself: a GNU .mo file is a sorted
 * table of original strings and one of translations, looked up here by
 * binary search after every offset and length has been checked.
 *
 * Every answer of the hub (hub_handle(): the routes' JSON errors, the
 * library's messages inside them) is read in the request's language:
 * Vietnamese, unless the request asks for English first (?lang=en, else the
 * first of vi and en in its Accept-Language). Outside a request (the
 * operator's command line and log) the process's own language (gettext)
 * stays.
 */
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/i18n.h"
#include "studio.h"

#define MO_MAGIC 0x950412deu
#define MO_MAX_BYTES (8 * 1024 * 1024)

struct hub_catalog {
	unsigned char *data;
	size_t len;
	uint32_t n, originals, translations;
	bool swap;
};

static uint32_t word(const struct hub_catalog *c, size_t off)
{
	uint32_t v;

	memcpy(&v, c->data + off, 4);
	return c->swap ? __builtin_bswap32(v) : v;
}

/* The string of table entry i (a table at off), or NULL when it lies
 * outside the file or is not terminated. */
static const char *entry(const struct hub_catalog *c, uint32_t table, uint32_t i)
{
	uint32_t len = word(c, (size_t)table + 8u * i), off = word(c, (size_t)table + 8u * i + 4);

	if ((size_t)off + len >= c->len || c->data[off + len])
		return NULL;
	return (const char *)c->data + off;
}

static int check(struct hub_catalog *c, struct ls_error *err)
{
	uint32_t magic;

	if (c->len < 28)
		return ls_error_set(err, "not a .mo catalogue (too short)");
	memcpy(&magic, c->data, 4);
	if (magic != MO_MAGIC && __builtin_bswap32(magic) != MO_MAGIC)
		return ls_error_set(err, "not a .mo catalogue (magic %08x)", magic);
	c->swap = magic != MO_MAGIC;
	c->n = word(c, 8);
	c->originals = word(c, 12);
	c->translations = word(c, 16);
	if (c->n > c->len / 16 || (size_t)c->originals + 8u * c->n > c->len ||
	    (size_t)c->translations + 8u * c->n > c->len)
		return ls_error_set(err, "a .mo catalogue with tables outside the file");
	for (uint32_t i = 0; i < c->n; i++)
		if (!entry(c, c->originals, i) || !entry(c, c->translations, i))
			return ls_error_set(err, "a .mo catalogue with entry %u outside the file",
					    i);
	return 0;
}

struct hub_catalog *hub_catalog_load(const char *path, struct ls_error *err)
{
	struct hub_catalog *c = calloc(1, sizeof(*c));
	FILE *f = fopen(path, "rb");

	if (!c || !f) {
		ls_error_set(err, "%s: %s", path, c ? "cannot be read" : "out of memory");
		goto err_free;
	}
	if (!(c->data = malloc(MO_MAX_BYTES + 1)) ||
	    (c->len = fread(c->data, 1, MO_MAX_BYTES + 1, f)) > MO_MAX_BYTES) {
		ls_error_set(err, "%s: %s", path, c->data ? "too large" : "out of memory");
		goto err_free;
	}
	fclose(f);
	f = NULL;
	if (check(c, err)) {
		ls_error_prefix(err, "%s", path);
		goto err_free;
	}
	return c;
err_free:
	if (f)
		fclose(f);
	hub_catalog_free(c);
	return NULL;
}

void hub_catalog_free(struct hub_catalog *c)
{
	if (!c)
		return;
	free(c->data);
	free(c);
}

const char *hub_catalog_get(const struct hub_catalog *c, const char *msgid)
{
	uint32_t lo = 0, hi = c ? c->n : 0;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int d = strcmp(msgid, entry(c, c->originals, mid));
		if (!d) {
			const char *t = entry(c, c->translations, mid);
			return t[0] ? t : msgid;
		}
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

/* ---- the request's language ---- */

/* Per thread: the HTTP thread answers requests, the batch thread never does. */
static _Thread_local bool in_request;
static _Thread_local const struct hub_catalog *active; /* NULL: English */

/* One element of an Accept-Language list ("vi-VN;q=0.9", n bytes) names
 * lang and does not refuse it (q=0). */
static bool names(const char *e, size_t n, const char *lang)
{
	size_t k = strlen(lang);
	char b[64];
	const char *q;

	snprintf(b, sizeof(b), "%.*s", (int)(n < sizeof(b) ? n : sizeof(b) - 1), e);
	if (strncasecmp(b, lang, k) || (b[k] && !strchr("-; ", b[k])))
		return false;
	q = strstr(b, "q=");
	return !q || strtod(q + 2, NULL) > 0;
}

bool hub_lang_english(const char *lang_arg, const char *accept_language)
{
	const char *p = accept_language;

	if (lang_arg)
		return !strcmp(lang_arg, "en");
	while (p && *p) {
		size_t n;
		p += strspn(p, " ,");
		n = strcspn(p, ",");
		if (names(p, n, "vi"))
			return false;
		if (names(p, n, "en"))
			return true;
		p += n;
	}
	return false;
}

static const struct hub_catalog *vietnamese(void)
{
	static struct hub_catalog *vi;
	static bool tried;
	char dir[4096], path[4200];
	struct ls_error err;

	if (!tried) {
		tried = true;
		snprintf(path, sizeof(path), "%s/vi/LC_MESSAGES/ledsign.mo",
			 ls_locale_dir(dir, sizeof(dir)));
		if (!(vi = hub_catalog_load(path, &err)))
			fprintf(stderr, _("ledsign-hub: %s; answers stay English\n"), err.msg);
	}
	return vi;
}

const char *hub_tr(const char *msgid)
{
	return in_request ? hub_catalog_get(active, msgid) : gettext(msgid);
}

/* Vietnamese has one plural form, so the catalogue's first form serves every
 * count (a plural entry's original starts with its singular msgid). */
static const char *hub_ntr(const char *one, const char *many, unsigned long n)
{
	const char *t;

	if (!in_request)
		return ngettext(one, many, n);
	t = active ? hub_catalog_get(active, one) : one;
	return t != one ? t : n == 1 ? one : many;
}

void hub_lang_begin(const char *lang_arg, const char *accept_language)
{
	in_request = true;
	active = hub_lang_english(lang_arg, accept_language) ? NULL : vietnamese();
	ls_set_translator(hub_tr);
	ls_set_plural_translator(hub_ntr);
}

void hub_lang_end(void)
{
	in_request = false;
	active = NULL;
}
