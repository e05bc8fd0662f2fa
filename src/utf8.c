/*
 * utf8.c: strict UTF-8 decoding (RFC 3629) and NFC via utf8proc. Every text
 * that reaches a board passes through here first.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/utf8.h"

size_t ls_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n;

	if (len == 0) {
		*cp = LS_REPLACEMENT_CHAR;
		return 1;
	}
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		*cp = LS_REPLACEMENT_CHAR;
		return 1;
	}
	if (n > len)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = LS_REPLACEMENT_CHAR;
	return 1;
}

bool ls_utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = ls_utf8_decode(s + i, len - i, &cp);
		if (cp == LS_REPLACEMENT_CHAR && !(n == 3 && len - i >= 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
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
		if (cp == LS_REPLACEMENT_CHAR && n == 1) {
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
