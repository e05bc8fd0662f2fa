/*
 * Minisign-compatible Ed25519 signatures: the only thing that stands between
 * a public screen and whoever can reach its feed URL.
 *
 * Formats are those of minisign (https://jedisct1.github.io/minisign/), so
 * editors may sign with `minisign -S` or `ledsign sign` and boards accept
 * either:
 *   public key  "untrusted comment: ..." + base64("Ed" keyid[8] pk[32])
 *   secret key  "untrusted comment: ..." + base64("Ed" kdf[2] "B2" salt[32]
 *               ops[8] mem[8] keyid[8] sk[64] chk[32]); unencrypted (kdf 0 0,
 *               `minisign -G -W`) or scrypt-encrypted (kdf "Sc")
 *   signature   "untrusted comment: ..." / base64("ED" keyid[8] sig[64]) /
 *               "trusted comment: TEXT" / base64(sig over sig[64] || TEXT)
 * "ED" signs the BLAKE2b-512 of the file, legacy "Ed" the file itself.
 *
 * Everything here works on memory and is pure except key generation (which
 * needs randomness): parsers take untrusted bytes with their length, never
 * read past it, and refuse signature files larger than LS_SIG_MAX_BYTES.
 * Key IDs are shown as minisign shows them: 16 upper-case hex digits of the
 * little-endian key number, e.g. "2420DFAACE85AC44".
 */
#ifndef LEDSIGN_SIGN_H
#define LEDSIGN_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"

#define LS_SIG_MAX_BYTES 16384	       /* largest .minisig accepted (minisign's own limits fit) */
#define LS_SIG_COMMENT_MAX 8192	       /* longest trusted comment, with its NUL (as minisign) */
#define LS_SIG_FILE_MAX 256	       /* "file:" names are shorter: a longer one is an error */
#define LS_SIG_PATH_MAX 1024	       /* "path:" values are shorter: a longer one is an error */
#define LS_KEY_ID_HEX 17	       /* "2420DFAACE85AC44" and its NUL */
#define LS_PUBKEY_B64_LEN 56	       /* characters of a public key's base64 line */
#define LS_SECKEY_MAX_BYTES 4096       /* largest secret key file accepted */
#define LS_SIG_NAME_FORBIDDEN "\t\r\n" /* characters a signed file name may not hold */

/* A public key: what a board is configured with. Plain value, no free. */
struct ls_pubkey {
	uint8_t id[8];
	uint8_t pk[32];
};

/* A decoded secret key. Plain value; wipe it with ls_seckey_wipe() when done. */
struct ls_seckey {
	uint8_t id[8];
	uint8_t sk[64]; /* libsodium layout: seed[32] || pk[32] */
};

/* What a verified signature says. */
struct ls_sig_info {
	uint8_t key_id[8];
	char key_id_hex[LS_KEY_ID_HEX];
	int prehashed;			  /* 1 for "ED", 0 for legacy "Ed" */
	char comment[LS_SIG_COMMENT_MAX]; /* the trusted comment text */
	int64_t timestamp;		  /* "timestamp:N" from the comment, or -1 */
	char file[LS_SIG_FILE_MAX];	  /* "file:NAME" from the comment, or "" when none */
	char path[LS_SIG_PATH_MAX]; /* "path:DIR/NAME" (its place under the feed root), or "" */
	int reset_floor;	    /* the comment holds the field "reset-floor" */
};

/* What a signature's trusted comment claims (ls_sig_sign_claims()). */
struct ls_sig_claims {
	const char *file;  /* "file:": the file's name; required */
	const char *path;  /* "path:": its path under the feed root (e.g. "ha-noi/playlist.json"),
			      NULL for the name alone */
	int reset_floor;   /* adds "reset-floor": boards may take it below their replay floor */
	const char *extra; /* free text appended last, or NULL */
	int64_t timestamp; /* "timestamp:" */
};

/* Writes the minisign-style hex form of a key ID into out (LS_KEY_ID_HEX bytes). */
void ls_key_id_hex(const uint8_t id[8], char out[LS_KEY_ID_HEX]);

/* Parses a public key from either a whole .pub file or just its base64 line;
 * returns 0, or -1 with err saying what is wrong. */
int ls_pubkey_parse(const char *text, size_t len, struct ls_pubkey *out, struct ls_error *err);

/* Returns the text of a .pub file for key (malloc'd, caller frees), or NULL on
 * allocation failure. */
char *ls_pubkey_format(const struct ls_pubkey *key);

/* Parses a minisign secret key file. password may be NULL for an unencrypted
 * key; an encrypted key without a password is an error saying so. Returns 0 or
 * -1 with err set; out is wiped on failure. */
int ls_seckey_parse(const char *text, size_t len, const char *password, struct ls_seckey *out,
		    struct ls_error *err);

/* Whether the secret key file text is password-encrypted (minisign's scrypt
 * form): 1, 0 for an unencrypted key, -1 with err when it is not a key. */
int ls_seckey_encrypted(const char *text, size_t len, struct ls_error *err);

/* Returns the text of an unencrypted minisign secret key file for key
 * (malloc'd, caller wipes and frees), or NULL on allocation failure. */
char *ls_seckey_format(const struct ls_seckey *key);

/* Derives the public half of a secret key. */
void ls_seckey_pubkey(const struct ls_seckey *key, struct ls_pubkey *out);

/* Zeroes a secret key; accepts NULL. */
void ls_seckey_wipe(struct ls_seckey *key);

#define LS_KEY_SEED_BYTES 32 /* the Ed25519 seed a key pair is derived from */
#define LS_KEY_ID_BYTES 8    /* minisign's key ID */

/* Derives the key pair of a seed and a key ID (both random, from the edge),
 * so the same values always give the same keys. Returns 0, or -1 if
 * libsodium cannot be initialised. */
int ls_keypair_from_seed(const uint8_t seed[LS_KEY_SEED_BYTES], const uint8_t id[LS_KEY_ID_BYTES],
			 struct ls_pubkey *pub, struct ls_seckey *sec, struct ls_error *err);

/* Makes a fresh key pair with a random key ID, from the system's random
 * source (src/sys/keygen.c). Returns 0, or -1 if libsodium cannot be
 * initialised. */
int ls_keypair_generate(struct ls_pubkey *pub, struct ls_seckey *sec, struct ls_error *err);

/* Makes a fresh key pair and writes it as minisign's files: the secret key,
 * not encrypted, to sec_path (mode 0600), then the public key to pub_path
 * (0644), neither over an existing file unless replace. The public key goes
 * to *pub and its file's text to *pub_text (free it). Returns 0, or -1 with
 * err (the secret key is wiped either way). */
int ls_keypair_write(const char *pub_path, const char *sec_path, bool replace,
		     struct ls_pubkey *pub, char **pub_text, struct ls_error *err);

/* The key files and signature files of the editor's tools (src/sys/keygen.c). */

/* Loads a minisign secret key file into key (wipe it with ls_seckey_wipe()):
 * an encrypted key is opened with password, or, when password is NULL, with
 * one asked on the terminal (/dev/tty, without echo). Returns 0, or -1 with
 * err naming the file. */
int ls_seckey_load(const char *path, const char *password, struct ls_seckey *key,
		   struct ls_error *err);

/* Loads a public key given as arg: the .pub file of that name when one
 * exists, else the base64 key itself. Returns 0, or -1 with err (naming the
 * file when it is one). */
int ls_pubkey_load(const char *arg, struct ls_pubkey *key, struct ls_error *err);

/* The signature file of path: sig_path, or path.minisig written into buf
 * (n bytes) when sig_path is NULL. */
const char *ls_sig_file_name(const char *path, const char *sig_path, char *buf, size_t n);

#define LS_SIGN_FILE_MAX_BYTES ((size_t)64 * 1024 * 1024) /* what sign and verify read */

/* Signs the file at path with the claims c (c->file NULL: path's name) and
 * writes the signature to sig_path (NULL: path.minisig), atomically, over
 * the one there. Returns 0, or -1 with err. */
int ls_sig_sign_file(const struct ls_seckey *key, const char *path, const struct ls_sig_claims *c,
		     const char *sig_path, struct ls_error *err);

/* Verifies the file at path against the signature file sig_path (NULL:
 * path.minisig) with one of keys[0..n_keys-1] (ls_sig_verify()). Returns 0
 * and fills info, or -1 with err (a bad signature's reason after sig_path). */
int ls_sig_verify_file(const struct ls_pubkey *keys, int n_keys, const char *path,
		       const char *sig_path, struct ls_sig_info *info, struct ls_error *err);

/*
 * Verifies body against the .minisig text sig with one of keys[0..n_keys-1]:
 * the key ID must name a configured key, the signature must cover the
 * (prehashed) body, and the global signature the trusted comment. Returns 0
 * and fills info (may be NULL), or -1 with err naming the exact reason (with
 * info, also a "file:" name of LS_SIG_FILE_MAX bytes or more).
 */
int ls_sig_verify(const struct ls_pubkey *keys, int n_keys, const void *body, size_t len,
		  const char *sig, size_t sig_len, struct ls_sig_info *info, struct ls_error *err);

/*
 * The replay check: accepts a verified signature whose timestamp is not older
 * than last_accepted (the timestamp of the version accepted before for the
 * same URL, or -1 if none). Returns 0, or -1 with err when the signature has
 * no timestamp or an older one. An equal timestamp is the same version again.
 */
int ls_sig_check_fresh(const struct ls_sig_info *info, int64_t last_accepted, struct ls_error *err);

/*
 * Parses a .minisig without checking it against any key, to read what it
 * claims (key ID, trusted comment). Returns 0 or -1 with err set. The result
 * is NOT trustworthy: use ls_sig_verify() for anything that matters.
 */
int ls_sig_inspect(const char *sig, size_t sig_len, struct ls_sig_info *info, struct ls_error *err);

/*
 * Signs body with key as a prehashed "ED" .minisig whose trusted comment is
 * "timestamp:<T>\tfile:<file>\thashed\tpath:<path>", then "\treset-floor"
 * when asked, then "\t<extra>" when extra is non-empty. Names and extra may
 * not contain tabs or line breaks; file is shorter than LS_SIG_FILE_MAX; path
 * (c->file when NULL) is relative, has no empty, "." or ".." segment, ends in
 * "/<file>" or is <file>, and is shorter than LS_SIG_PATH_MAX. Returns the
 * signature file's text (malloc'd, caller frees) or NULL with err set.
 */
char *ls_sig_sign_claims(const struct ls_seckey *key, const void *body, size_t len,
			 const struct ls_sig_claims *c, struct ls_error *err);

/* ls_sig_sign_claims() with the path the file name alone, no reset-floor. */
char *ls_sig_sign(const struct ls_seckey *key, const void *body, size_t len, const char *file_name,
		  const char *extra, int64_t now, struct ls_error *err);

/* Whether name is a plain file name a feed file may have: not empty, no
 * '/', not starting with '.', none of LS_SIG_NAME_FORBIDDEN. */
bool ls_sig_name_plain(const char *name);

/* Checks the form of a "path:" value for a file named file (as
 * ls_sig_sign_claims() describes); returns 0 or -1 with err saying what is wrong. */
int ls_sig_path_check(const char *path, const char *file, struct ls_error *err);

#endif
