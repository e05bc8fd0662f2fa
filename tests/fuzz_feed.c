/*
 * fuzz_feed.c: libFuzzer target for what a feed server controls: response
 * header lines, the URL's file name, and the body + .minisig pair that
 * ls_feed_check() accepts or refuses (signature, replay, playlist parse).
 * The input is split at the first "\n--sig--\n" into body and signature.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/feed.h"
#include "ledsign/playlist.h"
#include "ledsign/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed key: random signatures must never verify against it. */
static const char PUBKEY[] = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char SEP[] = "\n--sig--\n";
	char name[128], value[512], file[256];
	const char *in = (const char *)data, *sep;
	struct ls_pubkey key;
	struct ls_error err;
	struct ls_playlist *pl;
	struct ls_feed_floor fl;
	int have_key;

	ls_http_header_split(in, size, name, sizeof(name), value, sizeof(value));
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ls_url_file_name(s, file, sizeof(file));
	free(s);

	sep = memmem(in, size, SEP, sizeof(SEP) - 1);
	size_t body_len = sep ? (size_t)(sep - in) : size;
	const char *sig = sep ? sep + sizeof(SEP) - 1 : NULL;
	size_t sig_len = sep ? size - body_len - (sizeof(SEP) - 1) : 0;

	/* Unsigned mode: the body alone must parse or be refused with a reason. */
	err.msg[0] = '\0';
	pl = ls_feed_check(NULL, 0, "https://feed.example/national.json", in, body_len, NULL, 0,
			   NULL, &fl, &err);
	if (!pl && !err.msg[0])
		__builtin_trap();
	ls_playlist_free(pl);

	/* Signed mode: without the secret key nothing the fuzzer makes may pass. */
	have_key = ls_pubkey_parse(PUBKEY, strlen(PUBKEY), &key, NULL) == 0;
	if (have_key && sig) {
		pl = ls_feed_check(&key, 1, "https://feed.example/national.json", in, body_len, sig,
				   sig_len, NULL, &fl, &err);
		if (pl)
			__builtin_trap(); /* a forged signature was accepted */
	}
	return 0;
}
