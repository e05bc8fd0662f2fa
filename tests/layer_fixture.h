/*
 * Shared set-up of the hub's layer tests: a layer's key pair written into
 * the test's directory as the hub wants it (the secret key in minisign's
 * scrypt-encrypted form, built here from the format's description with the
 * cheapest scrypt limits so a test decrypts in milliseconds), and its feed
 * directory.
 */
#ifndef LEDSIGN_TEST_LAYER_FIXTURE_H
#define LEDSIGN_TEST_LAYER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "harness.h"
#include "ledsign/sign.h"

static void lf_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ASSERT_MSG(f != NULL, "%s: cannot write", path);
	fputs(text, f);
	fclose(f);
}

static void lf_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* minisign's secret key: "Ed" "Sc" "B2" salt[32] ops[8] mem[8], then
 * key id[8] sk[64] checksum[32] XORed with scrypt(password, salt). */
static char *lf_encrypt(const struct ls_seckey *sec, const char *password)
{
	uint8_t k[158] = {0}, pad[104];
	uint64_t ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN;
	uint64_t mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN;
	crypto_generichash_state h;
	char b64[300], *text = malloc(600);

	memcpy(k, "EdScB2", 6);
	randombytes_buf(k + 6, 32);
	lf_le64(k + 38, ops);
	lf_le64(k + 46, mem);
	memcpy(k + 54, sec->id, 8);
	memcpy(k + 62, sec->sk, 64);
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, k, 2);
	crypto_generichash_update(&h, k + 54, 8 + 64);
	crypto_generichash_final(&h, k + 126, 32);
	ASSERT(crypto_pwhash_scryptsalsa208sha256(pad, sizeof(pad), password, strlen(password),
						  k + 6, ops, (size_t)mem) == 0);
	for (size_t i = 0; i < sizeof(pad); i++)
		k[54 + i] ^= pad[i];
	sodium_bin2base64(b64, sizeof(b64), k, sizeof(k), sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, 600, "untrusted comment: minisign encrypted secret key\n%s\n", b64);
	return text;
}

/* Writes DIR/NAME.key (encrypted with password; unencrypted when password
 * is NULL) and DIR/NAME.pub, and makes DIR/feed/NAME; returns the public key. */
__attribute__((unused)) static struct ls_pubkey lf_layer_keys(const char *dir, const char *name,
							      const char *password)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err;
	char path[1024], *text;

	ASSERT_MSG(ls_keypair_generate(&pub, &sec, &err) == 0, "%s", err.msg);
	text = password ? lf_encrypt(&sec, password) : ls_seckey_format(&sec);
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	lf_write(path, text);
	free(text);
	text = ls_pubkey_format(&pub);
	snprintf(path, sizeof(path), "%s/%s.pub", dir, name);
	lf_write(path, text);
	free(text);
	ls_seckey_wipe(&sec);
	snprintf(path, sizeof(path), "%s/feed", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/feed/%s", dir, name);
	mkdir(path, 0755);
	return pub;
}

/* The [layer NAME] section for the files lf_layer_keys() wrote, into out. */
__attribute__((unused)) static void lf_section(char *out, size_t n, const char *dir,
					       const char *name, const char *extra)
{
	snprintf(out, n,
		 "[layer %s]\nfeed_dir = %s/feed/%s\nsecret_key = %s/%s.key\n"
		 "public_key = %s/%s.pub\n%s",
		 name, dir, name, dir, name, dir, name, extra ? extra : "");
}

#endif
