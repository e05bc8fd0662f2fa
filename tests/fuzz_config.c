/*
 * fuzz_config.c: libFuzzer target for ledsign.conf parsing. Any input must
 * parse or fail with a message; never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledsign/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ls_config cfg;
	struct ls_error err;

	err.msg[0] = '\0';
	ls_config_defaults(&cfg);
	if (ls_config_parse(&cfg, "fuzz.conf", (const char *)data, size, &err) != 0 && !err.msg[0])
		__builtin_trap(); /* a failure must always say why */
	return 0;
}
