/*
 * keygen.c: fresh signing keys from this system's random source. The core
 * (src/core/sign.c) derives a key pair from a seed and a key ID it is given;
 * only this file asks libsodium for random bytes. Also the files a key pair
 * is kept in, written whole or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledsign/atomic.h"
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

int ls_keypair_write(const char *pub_path, const char *sec_path, bool replace,
		     struct ls_pubkey *pub, char **pub_text, struct ls_error *err)
{
	struct ls_seckey sec;
	char *sec_text = NULL;
	int rc = -1;

	*pub_text = NULL;
	if (ls_keypair_generate(pub, &sec, err))
		goto out;
	*pub_text = ls_pubkey_format(pub);
	sec_text = ls_seckey_format(&sec);
	if (!*pub_text || !sec_text)
		ls_error_set(err, "out of memory");
	else if (!ls_atomic_create(sec_path, sec_text, 0600, replace, err) &&
		 !ls_atomic_create(pub_path, *pub_text, 0644, replace, err))
		rc = 0;
out:
	ls_seckey_wipe(&sec);
	if (sec_text)
		sodium_memzero(sec_text, strlen(sec_text));
	free(sec_text);
	if (rc) {
		free(*pub_text);
		*pub_text = NULL;
	}
	return rc;
}
