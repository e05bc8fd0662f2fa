/*
 * keygen.c: fresh signing keys from this system's random source. The core
 * (src/core/sign.c) derives a key pair from a seed and a key ID it is given;
 * only this file asks libsodium for random bytes. Also the files a key pair
 * is kept in, written whole or not at all, read back (an encrypted secret
 * key's password asked on the terminal when none is given), and the files
 * the editor's tools sign and verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "ledsign/atomic.h"
#include "ledsign/i18n.h"
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

/* Asks for a password on the terminal without echo; returns 0 or -1. */
static int ask_password(char *buf, size_t size)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int echo_off, ok;

	if (!tty)
		return -1;
	fputs(_("Password: "), tty);
	fflush(tty);
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, tty) != NULL;
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok ? 0 : -1;
}

int ls_seckey_load(const char *path, const char *password, struct ls_seckey *key,
		   struct ls_error *err)
{
	char *text, pw[1024] = "";
	size_t len;
	int rc;

	if (ls_read_file(path, LS_SECKEY_MAX_BYTES, &text, &len, err))
		return -1;
	rc = ls_seckey_parse(text, len, password, key, err);
	if (rc && !password && ls_seckey_encrypted(text, len, NULL) == 1 &&
	    ask_password(pw, sizeof(pw)) == 0)
		rc = ls_seckey_parse(text, len, pw, key, err);
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(text, len);
	free(text);
	return rc ? ls_error_prefix(err, "%s", path) : 0;
}

int ls_pubkey_load(const char *arg, struct ls_pubkey *key, struct ls_error *err)
{
	char *text;
	size_t len;
	int rc;

	if (access(arg, F_OK) != 0)
		return ls_pubkey_parse(arg, strlen(arg), key, err);
	if (ls_read_file(arg, LS_SECKEY_MAX_BYTES, &text, &len, err) != 0)
		return -1;
	rc = ls_pubkey_parse(text, len, key, err);
	free(text);
	return rc ? ls_error_prefix(err, "%s", arg) : 0;
}

const char *ls_sig_file_name(const char *path, const char *sig_path, char *buf, size_t n)
{
	if (sig_path)
		return sig_path;
	snprintf(buf, n, "%s.minisig", path);
	return buf;
}

int ls_sig_sign_file(const struct ls_seckey *key, const char *path, const struct ls_sig_claims *c,
		     const char *sig_path, struct ls_error *err)
{
	struct ls_sig_claims claims = *c;
	char *body = NULL, *sig = NULL, buf[4096];
	size_t len;
	int rc = -1;

	if (!claims.file)
		claims.file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	sig_path = ls_sig_file_name(path, sig_path, buf, sizeof(buf));
	if (ls_read_file(path, LS_SIGN_FILE_MAX_BYTES, &body, &len, err))
		return -1;
	sig = ls_sig_sign_claims(key, body, len, &claims, err);
	if (sig && !ls_atomic_create(sig_path, sig, 0644, true, err))
		rc = 0;
	free(body);
	free(sig);
	return rc;
}

int ls_sig_verify_file(const struct ls_pubkey *keys, int n_keys, const char *path,
		       const char *sig_path, struct ls_sig_info *info, struct ls_error *err)
{
	char *body = NULL, *sig = NULL, buf[4096];
	size_t len, sig_len;
	int rc = -1;

	sig_path = ls_sig_file_name(path, sig_path, buf, sizeof(buf));
	if (ls_read_file(path, LS_SIGN_FILE_MAX_BYTES, &body, &len, err) ||
	    ls_read_file(sig_path, LS_SIG_MAX_BYTES, &sig, &sig_len, err))
		goto out;
	rc = ls_sig_verify(keys, n_keys, body, len, sig, sig_len, info, err);
	if (rc)
		ls_error_prefix(err, "%s", sig_path);
out:
	free(body);
	free(sig);
	return rc;
}
