/*
 * fuzz_template.c: libFuzzer target for the template scanner. Item text arrives in signed
 * but editor-written playlists, so the parser must survive anything: the input is
 * NUL-terminated and run through check, is_live, next_change and expand (with a roomy buffer
 * and with a tight one). Beyond "no crash, no over-read", it traps when check and expand
 * disagree about whether the text is valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A time derived from the input, so the fuzzer also walks odd and out-of-range fields. */
static struct ls_template_ctx ctx_from(const uint8_t *data, size_t size)
{
	struct ls_template_ctx c;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	memset(&c, 0, sizeof(c));
	c.local.tm_year = 100 + (int)(h % 130) - (h & 0x100000 ? 200 : 0);
	c.local.tm_mon = (int)(h >> 8) % 13;
	c.local.tm_mday = 1 + (int)(h >> 12) % 31;
	c.local.tm_hour = (int)(h >> 17) % 25;
	c.local.tm_min = (int)(h >> 22) % 60;
	c.local.tm_sec = (int)(h >> 26) % 61;
	c.clock_valid = (h & 3) != 0;
	c.board = (h & 4) ? "BHXH Quận 1 {time}" : NULL;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_template_ctx ctx = ctx_from(data, size);
	struct ls_error err;
	size_t big = 8 * size + 128;
	char *text = malloc(size + 1), *out = malloc(big), tight[16];
	int ok, n;

	if (!text || !out)
		goto out_free;
	memcpy(text, data, size);
	text[size] = '\0';
	ok = ls_template_check(text, &err) == 0;
	(void)ls_template_is_live(text);
	(void)ls_template_next_change(text, &ctx.local);
	n = ls_template_expand(text, &ctx, out, big, &err);
	if (ok != (n >= 0))
		__builtin_trap();
	if (n >= 0 && strlen(out) != (size_t)n)
		__builtin_trap();
	n = ls_template_expand(text, &ctx, tight, 1 + size % sizeof(tight), &err);
	if (n >= 0 && strlen(tight) != (size_t)n)
		__builtin_trap();
out_free:
	free(text);
	free(out);
	return 0;
}
