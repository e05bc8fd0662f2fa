/*
 * fuzz_minisig.c: libFuzzer target for the signature parsers. A feed server
 * (or whoever sits in its place) chooses every byte of a .minisig, and an
 * installer may paste anything as a public key, so the input goes through
 * ls_pubkey_parse, ls_seckey_parse (without a password, so no scrypt),
 * ls_sig_inspect and ls_sig_verify against a fixed key and body. The seed
 * corpus holds valid signatures by that key, so mutations reach the
 * signature checks. Beyond "no crash, no over-read", it traps when one
 * signature verifies for two different bodies, or when verify accepts what
 * inspect cannot parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledsign/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key the seed corpus was signed with: seed 32 x 0x01, ID 01..08. */
static void fixed_key(struct ls_pubkey *pub)
{
	uint8_t seed[32], sk[64];

	memset(seed, 1, sizeof(seed));
	crypto_sign_seed_keypair(pub->pk, sk, seed);
	for (int i = 0; i < 8; i++)
		pub->id[i] = (uint8_t)(i + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char body[] = "{\"items\":[{\"text\":\"BHYT hộ gia đình\"}]}\n";
	static char other[sizeof(body)];
	static struct ls_pubkey keys[2];
	static int ready;
	struct ls_pubkey pk;
	struct ls_seckey sk;
	struct ls_sig_info info, seen;
	struct ls_error err;
	const char *text = (const char *)data;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		fixed_key(&keys[0]);
		memset(&keys[1], 0xa5, sizeof(keys[1]));
		memcpy(other, body, sizeof(body));
		other[3] ^= 1;
		ready = 1;
	}
	ls_pubkey_parse(text, size, &pk, &err);
	ls_seckey_parse(text, size, NULL, &sk, &err);
	ls_seckey_wipe(&sk);
	int parsed = ls_sig_inspect(text, size, &seen, &err) == 0;
	if (ls_sig_verify(keys, 2, body, sizeof(body) - 1, text, size, &info, &err) == 0) {
		if (!parsed || strcmp(info.comment, seen.comment) != 0)
			__builtin_trap();
		if (ls_sig_verify(keys, 2, other, sizeof(other) - 1, text, size, NULL, &err) == 0)
			__builtin_trap();
	}
	return 0;
}
