/*
 * fuzz_cache.c: libFuzzer target for the on-disk cache record. A board reads
 * its cache at every start, after power cuts and half-written disks: any bytes
 * in the record file must load or be refused with a reason, never crash.
 * The input is written as the record of one URL, then loaded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define URL "https://feed.example/national.json"

static char dir[64];

static const char *cache_dir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/ledsign-fuzz-cache.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[LS_CACHE_NAME_MAX], path[128];
	struct ls_cache_entry e;
	struct ls_error err;
	FILE *f;
	int r;

	ls_cache_name(URL, name);
	snprintf(path, sizeof(path), "%s/%s", cache_dir(), name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	err.msg[0] = '\0';
	r = ls_cache_load(cache_dir(), URL, &e, &err);
	if (r < 0 && !err.msg[0])
		__builtin_trap();
	if (r == 0 && (!e.body || e.body[e.body_len] != '\0'))
		__builtin_trap(); /* the contract: loaded fields are NUL-terminated */
	ls_cache_entry_free(&e);
	return 0;
}
