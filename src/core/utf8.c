/*
 * utf8.c: strict UTF-8 decoding (RFC 3629) and NFC via utf8proc. Every text
 * that reaches a board passes through here first.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/utf8.h"

/* The range the byte after lead byte c must fall in (Unicode Table 3-7, the
 * well-formed byte sequences); later continuation bytes are always 80..BF.
 * Returns the sequence length, 0 for a byte that cannot start one. */
static size_t lead_info(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80, *hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0; /* no overlongs */
		else if (c == 0xED)
			*hi = 0x9F; /* no surrogates */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90;
		else if (c == 0xF4)
			*hi = 0x8F; /* nothing past U+10FFFF */
		return 4;
	}
	return 0;
}

size_t ls_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t n, i;
	uint32_t c;

	*cp = LS_REPLACEMENT_CHAR;
	if (len == 0)
		return 1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	n = lead_info(u[0], &lo, &hi);
	if (!n)
		return 1;
	c = u[0] & (0x7F >> n);
	for (i = 1; i < n; i++) {
		if (i >= len || u[i] < lo || u[i] > hi)
			return i; /* the maximal ill-formed subpart becomes one U+FFFD */
		c = (c << 6) | (u[i] & 0x3F);
		lo = 0x80, hi = 0xBF;
	}
	*cp = c;
	return n;
}

bool ls_utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = ls_utf8_decode(s + i, len - i, &cp);
		if (cp == LS_REPLACEMENT_CHAR && !(n == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

/* Copies s with invalid sequences replaced by U+FFFD, so utf8proc accepts it. */
static char *sanitise(const char *s, size_t len)
{
	char *out = malloc(len * 3 + 1), *o = out;
	size_t i = 0;
	uint32_t cp;

	if (!out)
		return NULL;
	while (i < len) {
		size_t n = ls_utf8_decode(s + i, len - i, &cp);
		if (cp == LS_REPLACEMENT_CHAR && !(n == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
		i += n;
	}
	*o = '\0';
	return out;
}

struct ls_utf8_char ls_utf8_char(uint32_t cp)
{
	struct ls_utf8_char c = {{0}};

	utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)c.s);
	return c;
}

size_t ls_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

char *ls_utf8_nfc(const char *s, size_t len)
{
	char *clean = sanitise(s, len);
	utf8proc_uint8_t *nfc;

	if (!clean)
		return NULL;
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)clean);
	free(clean);
	return (char *)nfc;
}
