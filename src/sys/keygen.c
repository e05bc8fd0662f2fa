/*
 * keygen.c: fresh signing keys from this system's random source. The core
 * (src/core/sign.c) derives a key pair from a seed and a key ID it is given;
 * only this file asks libsodium for random bytes.
 */
#include <sodium.h>

#include "ledsign/sign.h"

int ls_keypair_generate(struct ls_pubkey *pub, struct ls_seckey *sec, struct ls_error *err)
{
	uint8_t seed[LS_KEY_SEED_BYTES], id[LS_KEY_ID_BYTES];
	int rc;

	if (sodium_init() < 0)
		return ls_error_set(err, "cannot initialise libsodium (no entropy source?)");
	randombytes_buf(seed, sizeof(seed));
	randombytes_buf(id, sizeof(id));
	rc = ls_keypair_from_seed(seed, id, pub, sec, err);
	sodium_memzero(seed, sizeof(seed));
	return rc;
}
