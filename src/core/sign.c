/*
 * sign.c: minisign-compatible keys and signatures over libsodium, so a board
 * shows only what its publisher signed and editors can use either minisign or
 * ledsign to sign. Parsers treat every byte as hostile: lengths are checked
 * before each copy and the base64 decoder is told the exact size expected.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledsign/sign.h"

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "
#define SIG_BLOB_LEN 74	 /* alg[2] keyid[8] sig[64] */
#define PUB_BLOB_LEN 42	 /* alg[2] keyid[8] pk[32] */
#define SEC_BLOB_LEN 158 /* alg[2] kdf[2] chk_alg[2] salt[32] ops[8] mem[8] keynum_sk[104] */
#define SEC_KEYNUM_SK 54 /* offset of keyid[8] sk[64] chk[32] in the secret key blob */
#define SEC_KEYNUM_SK_LEN 104
#define MAX_LINES 4
/* A hostile key file must not make us allocate more than this for scrypt. */
#define SCRYPT_MEMLIMIT_MAX (2ULL * 1024 * 1024 * 1024)

struct line {
	const char *s;
	size_t len;
};

void ls_key_id_hex(const uint8_t id[8], char out[LS_KEY_ID_HEX])
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | id[i];
	snprintf(out, LS_KEY_ID_HEX, "%016" PRIX64, v);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Splits text into at most max lines without copying; a final line without
 * "\n" counts, and one trailing "\r" per line is dropped. Returns the count. */
static int split_lines(const char *text, size_t len, struct line *lines, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len && n < max) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - i;

		if (l > 0 && text[i + l - 1] == '\r')
			l--;
		lines[n].s = text + i;
		lines[n].len = l;
		n++;
		i = end + 1;
	}
	return n;
}

static int starts_with(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && memcmp(l->s, prefix, n) == 0;
}

static void trim_blank(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 &&
	       ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
		(*len)--;
}

/* Decodes exactly want bytes of standard base64 from s[0..len). Returns 0, 1
 * if s is not base64, or 2 if it decodes to a different length (*got says). */
static int b64_exact(const char *s, size_t len, uint8_t *out, size_t want, size_t *got)
{
	uint8_t buf[256];
	const char *end = NULL;

	*got = 0;
	trim_blank(&s, &len);
	if (len == 0)
		return 1;
	if (len > 4 * (sizeof(buf) / 3)) {
		*got = len / 4 * 3; /* roughly: the line is far too long either way */
		return 2;
	}
	if (sodium_base642bin(buf, sizeof(buf), s, len, NULL, got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + len)
		return 1;
	if (*got != want) {
		sodium_memzero(buf, sizeof(buf));
		return 2;
	}
	memcpy(out, buf, want);
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

static char *b64_encode(const uint8_t *bin, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(n);

	if (s)
		sodium_bin2base64(s, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

static int has_nul(const char *text, size_t len)
{
	return memchr(text, '\0', len) != NULL;
}

/* ---- public keys ---- */

static int pubkey_decode(const char *s, size_t len, struct ls_pubkey *out, struct ls_error *err)
{
	uint8_t blob[PUB_BLOB_LEN];
	size_t got;
	int rc = b64_exact(s, len, blob, sizeof(blob), &got);

	if (rc == 1)
		return ls_error_set(err, "not a minisign public key: the key line is not base64; "
					 "copy the second line of the .pub file");
	if (rc == 2)
		return ls_error_set(err,
				    "not a minisign public key: it decodes to %zu bytes, a key has "
				    "%d (was it cut short when copied?)",
				    got, PUB_BLOB_LEN);
	if (memcmp(blob, "Ed", 2) != 0)
		return ls_error_set(err,
				    "not a minisign public key: algorithm is not Ed25519 (\"Ed\")");
	memcpy(out->id, blob + 2, 8);
	memcpy(out->pk, blob + 10, 32);
	return 0;
}

int ls_pubkey_parse(const char *text, size_t len, struct ls_pubkey *out, struct ls_error *err)
{
	struct line l[2];
	int n;

	if (len > LS_SECKEY_MAX_BYTES)
		return ls_error_set(err, "not a minisign public key: %zu bytes is too long", len);
	if (has_nul(text, len))
		return ls_error_set(err, "not a minisign public key: it contains a NUL byte");
	n = split_lines(text, len, l, 2);
	if (n >= 1 && starts_with(&l[0], "untrusted comment:")) {
		if (n < 2)
			return ls_error_set(err,
					    "not a minisign public key: the key line after the "
					    "comment is missing");
		return pubkey_decode(l[1].s, l[1].len, out, err);
	}
	if (n == 2) {
		const char *s = l[1].s;
		size_t sl = l[1].len;

		trim_blank(&s, &sl);
		if (sl > 0)
			return ls_error_set(err, "not a minisign public key: expected one base64 "
						 "line, or a .pub file starting with "
						 "\"untrusted comment:\"");
	}
	return pubkey_decode(text, n ? l[0].len : 0, out, err);
}

char *ls_pubkey_format(const struct ls_pubkey *key)
{
	uint8_t blob[PUB_BLOB_LEN];
	char id[LS_KEY_ID_HEX], *b64, *out;
	size_t n;

	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, key->id, 8);
	memcpy(blob + 10, key->pk, 32);
	b64 = b64_encode(blob, sizeof(blob));
	if (!b64)
		return NULL;
	ls_key_id_hex(key->id, id);
	n = strlen(UNTRUSTED_PREFIX "minisign public key \n\n") + strlen(id) + strlen(b64) + 1;
	out = malloc(n);
	if (out)
		snprintf(out, n, UNTRUSTED_PREFIX "minisign public key %s\n%s\n", id, b64);
	free(b64);
	return out;
}

/* ---- secret keys ---- */

static void seckey_checksum(const uint8_t *blob, uint8_t chk[32])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, blob, 2);
	crypto_generichash_update(&st, blob + SEC_KEYNUM_SK, 8 + 64);
	crypto_generichash_final(&st, chk, 32);
}

static int seckey_decrypt(uint8_t *blob, const char *password, struct ls_error *err)
{
	uint8_t stream[SEC_KEYNUM_SK_LEN];
	uint64_t ops = le64(blob + 38), mem = le64(blob + 46);

	if (!password)
		return ls_error_set(err, "the secret key is encrypted with a password; give the "
					 "password, or use an unencrypted key (`minisign -G -W` or "
					 "`ledsign keygen`)");
	if (mem > SCRYPT_MEMLIMIT_MAX || ops > (1ULL << 36))
		return ls_error_set(err,
				    "secret key asks for scrypt limits beyond reason "
				    "(opslimit %" PRIu64 ", memlimit %" PRIu64 ")",
				    ops, mem);
	if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), password, strlen(password),
					       blob + 6, ops, (size_t)mem) != 0)
		return ls_error_set(err,
				    "cannot derive the key from the password (out of memory?)");
	for (size_t i = 0; i < sizeof(stream); i++)
		blob[SEC_KEYNUM_SK + i] ^= stream[i];
	sodium_memzero(stream, sizeof(stream));
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Checks a decoded (decrypted) key blob: checksum, and that the public half
 * stored in sk matches its seed, which catches a corrupted key early. */
static int seckey_check(const uint8_t *blob, int encrypted, struct ls_error *err)
{
	uint8_t chk[32], pk[32], sk[64];
	const uint8_t *stored = blob + SEC_KEYNUM_SK + 72;
	int bad;

	/* minisign 0.11 leaves the checksum of unencrypted keys zero. */
	if (encrypted || !all_zero(stored, 32)) {
		seckey_checksum(blob, chk);
		if (sodium_memcmp(chk, stored, 32) != 0)
			return ls_error_set(err, encrypted ? "wrong password for this secret key"
							   : "secret key checksum does not match "
							     "(the file is damaged)");
	}
	crypto_sign_seed_keypair(pk, sk, blob + SEC_KEYNUM_SK + 8);
	bad = sodium_memcmp(pk, blob + SEC_KEYNUM_SK + 8 + 32, 32) != 0;
	sodium_memzero(sk, sizeof(sk));
	if (bad)
		return ls_error_set(err, "secret key is inconsistent (its public half does not "
					 "match its seed); the file is damaged");
	return 0;
}

static int seckey_decode(uint8_t *blob, const char *s, size_t len, struct ls_error *err)
{
	size_t got;
	int rc = b64_exact(s, len, blob, SEC_BLOB_LEN, &got);

	if (rc == 1)
		return ls_error_set(err, "not a minisign secret key: line 2 is not base64");
	if (rc == 2)
		return ls_error_set(err,
				    "not a minisign secret key: line 2 decodes to %zu bytes, a key "
				    "has %d (is the file truncated?)",
				    got, SEC_BLOB_LEN);
	if (memcmp(blob, "Ed", 2) != 0)
		return ls_error_set(err, "not a minisign secret key: algorithm is not Ed25519");
	if (memcmp(blob + 4, "B2", 2) != 0)
		return ls_error_set(err, "not a minisign secret key: unknown checksum algorithm");
	return 0;
}

int ls_seckey_parse(const char *text, size_t len, const char *password, struct ls_seckey *out,
		    struct ls_error *err)
{
	uint8_t blob[SEC_BLOB_LEN];
	struct line l[2];
	int encrypted, rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > LS_SECKEY_MAX_BYTES || has_nul(text, len))
		return ls_error_set(err, "not a minisign secret key: too long or binary");
	if (split_lines(text, len, l, 2) < 2 || !starts_with(&l[0], "untrusted comment:"))
		return ls_error_set(err, "not a minisign secret key: expected \"untrusted comment: "
					 "...\" and a base64 line");
	if (seckey_decode(blob, l[1].s, l[1].len, err) != 0)
		goto out;
	encrypted = memcmp(blob + 2, "Sc", 2) == 0;
	if (!encrypted && memcmp(blob + 2, "\0\0", 2) != 0) {
		ls_error_set(err, "not a minisign secret key: unknown key derivation algorithm");
		goto out;
	}
	if (encrypted && seckey_decrypt(blob, password, err) != 0)
		goto out;
	if (seckey_check(blob, encrypted, err) != 0)
		goto out;
	memcpy(out->id, blob + SEC_KEYNUM_SK, 8);
	memcpy(out->sk, blob + SEC_KEYNUM_SK + 8, 64);
	rc = 0;
out:
	sodium_memzero(blob, sizeof(blob));
	return rc;
}

int ls_seckey_encrypted(const char *text, size_t len, struct ls_error *err)
{
	uint8_t blob[SEC_BLOB_LEN];
	struct line l[2];
	int rc;

	if (len > LS_SECKEY_MAX_BYTES || has_nul(text, len))
		return ls_error_set(err, "not a minisign secret key: too long or binary");
	if (split_lines(text, len, l, 2) < 2 || !starts_with(&l[0], "untrusted comment:"))
		return ls_error_set(err, "not a minisign secret key: expected \"untrusted comment: "
					 "...\" and a base64 line");
	if (seckey_decode(blob, l[1].s, l[1].len, err) != 0)
		rc = -1;
	else if (!memcmp(blob + 2, "Sc", 2))
		rc = 1;
	else if (!memcmp(blob + 2, "\0\0", 2))
		rc = 0;
	else
		rc = ls_error_set(err,
				  "not a minisign secret key: unknown key derivation algorithm");
	sodium_memzero(blob, sizeof(blob));
	return rc;
}

char *ls_seckey_format(const struct ls_seckey *key)
{
	uint8_t blob[SEC_BLOB_LEN] = {0};
	char *b64, *out;
	size_t n;

	memcpy(blob, "Ed", 2);
	memcpy(blob + 4, "B2", 2);
	memcpy(blob + SEC_KEYNUM_SK, key->id, 8);
	memcpy(blob + SEC_KEYNUM_SK + 8, key->sk, 64);
	seckey_checksum(blob, blob + SEC_KEYNUM_SK + 72);
	b64 = b64_encode(blob, sizeof(blob));
	sodium_memzero(blob, sizeof(blob));
	if (!b64)
		return NULL;
	n = strlen(UNTRUSTED_PREFIX "minisign unencrypted secret key\n\n") + strlen(b64) + 1;
	out = malloc(n);
	if (out)
		snprintf(out, n, UNTRUSTED_PREFIX "minisign unencrypted secret key\n%s\n", b64);
	sodium_memzero(b64, strlen(b64));
	free(b64);
	return out;
}

void ls_seckey_pubkey(const struct ls_seckey *key, struct ls_pubkey *out)
{
	memcpy(out->id, key->id, 8);
	memcpy(out->pk, key->sk + 32, 32);
}

void ls_seckey_wipe(struct ls_seckey *key)
{
	if (key)
		sodium_memzero(key, sizeof(*key));
}

int ls_keypair_from_seed(const uint8_t seed[LS_KEY_SEED_BYTES], const uint8_t id[LS_KEY_ID_BYTES],
			 struct ls_pubkey *pub, struct ls_seckey *sec, struct ls_error *err)
{
	if (sodium_init() < 0)
		return ls_error_set(err, "cannot initialise libsodium (no entropy source?)");
	memcpy(sec->id, id, sizeof(sec->id));
	crypto_sign_seed_keypair(pub->pk, sec->sk, seed);
	memcpy(pub->id, sec->id, sizeof(pub->id));
	return 0;
}

/* ---- signatures ---- */

struct parsed_sig {
	uint8_t alg[2];
	uint8_t key_id[8];
	uint8_t sig[64];
	uint8_t global[64];
	const char *comment; /* points into the signature text */
	size_t comment_len;
};

static int sig_line_b64(const struct line *l, int lineno, uint8_t *out, size_t want,
			struct ls_error *err)
{
	size_t got;
	int rc = b64_exact(l->s, l->len, out, want, &got);

	if (rc == 1)
		return ls_error_set(err, "not a minisign signature: line %d is not base64", lineno);
	if (rc == 2)
		return ls_error_set(
		    err,
		    "not a minisign signature: line %d decodes to %zu bytes instead "
		    "of %zu (is the file truncated?)",
		    lineno, got, want);
	return 0;
}

static int sig_parse(const char *text, size_t len, struct parsed_sig *ps, struct ls_error *err)
{
	struct line l[MAX_LINES];
	uint8_t blob[SIG_BLOB_LEN];
	int n;

	if (len > LS_SIG_MAX_BYTES)
		return ls_error_set(err,
				    "not a minisign signature: %zu bytes is too large (at most %d)",
				    len, LS_SIG_MAX_BYTES);
	if (len == 0)
		return ls_error_set(err, "not a minisign signature: the file is empty");
	if (has_nul(text, len))
		return ls_error_set(err, "not a minisign signature: it contains a NUL byte");
	n = split_lines(text, len, l, MAX_LINES);
	if (!starts_with(&l[0], UNTRUSTED_PREFIX))
		return ls_error_set(err, "not a minisign signature: line 1 does not start with "
					 "\"untrusted comment: \"");
	if (n < 4)
		return ls_error_set(err,
				    "not a minisign signature: %d lines instead of 4 (is the "
				    "file truncated?)",
				    n);
	if (sig_line_b64(&l[1], 2, blob, sizeof(blob), err) != 0)
		return -1;
	if (memcmp(blob, "ED", 2) != 0 && memcmp(blob, "Ed", 2) != 0)
		return ls_error_set(err,
				    "not a minisign signature: unknown algorithm \"%c%c\" "
				    "(expected \"ED\" or \"Ed\")",
				    blob[0] >= 0x20 && blob[0] < 0x7f ? blob[0] : '?',
				    blob[1] >= 0x20 && blob[1] < 0x7f ? blob[1] : '?');
	memcpy(ps->alg, blob, 2);
	memcpy(ps->key_id, blob + 2, 8);
	memcpy(ps->sig, blob + 10, 64);
	if (!starts_with(&l[2], TRUSTED_PREFIX))
		return ls_error_set(err, "not a minisign signature: line 3 does not start with "
					 "\"trusted comment: \"");
	ps->comment = l[2].s + strlen(TRUSTED_PREFIX);
	ps->comment_len = l[2].len - strlen(TRUSTED_PREFIX);
	if (ps->comment_len >= LS_SIG_COMMENT_MAX)
		return ls_error_set(err,
				    "not a minisign signature: the trusted comment is longer "
				    "than %d bytes",
				    LS_SIG_COMMENT_MAX - 1);
	return sig_line_b64(&l[3], 4, ps->global, sizeof(ps->global), err);
}

/* Finds "name" (e.g. "file:") at the start of the comment or after a tab or
 * space; returns a pointer to its value or NULL. */
static const char *comment_field(const char *c, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = c; (p = strstr(p, name)) != NULL; p++)
		if (p == c || p[-1] == '\t' || p[-1] == ' ')
			return p + n;
	return NULL;
}

static int64_t comment_timestamp(const char *c)
{
	const char *v = comment_field(c, "timestamp:");
	int64_t ts = 0;
	int digits = 0;

	if (!v)
		return -1;
	for (; *v >= '0' && *v <= '9'; v++, digits++) {
		if (ts > (INT64_MAX - (*v - '0')) / 10)
			return -1;
		ts = ts * 10 + (*v - '0');
	}
	if (digits == 0 || (*v != '\0' && *v != '\t' && *v != ' '))
		return -1;
	return ts;
}

/* Whether the tab-separated comment holds the field name exactly. */
static int comment_has_token(const char *c, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = c; (p = strstr(p, name)) != NULL; p++)
		if ((p == c || p[-1] == '\t') && (p[n] == '\0' || p[n] == '\t'))
			return 1;
	return 0;
}

/* Copies the tab-ended value at v (NULL: none) into out; a value too long to
 * keep is an error, not "none": a board that compared only what it kept would
 * serve such a file under any URL. */
static int copy_field(const char *v, const char *what, char *out, size_t size, struct ls_error *err)
{
	size_t n;

	out[0] = '\0';
	if (!v)
		return 0;
	n = strcspn(v, "\t");
	if (n >= size)
		return ls_error_set(err,
				    "the trusted comment names a %s of %zu bytes (%s...); at most "
				    "%zu are allowed: rename the file and sign it again",
				    what, n, what, size - 1);
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

static int fill_info(const struct parsed_sig *ps, struct ls_sig_info *info, struct ls_error *err)
{
	memcpy(info->key_id, ps->key_id, 8);
	ls_key_id_hex(ps->key_id, info->key_id_hex);
	info->prehashed = memcmp(ps->alg, "ED", 2) == 0;
	memcpy(info->comment, ps->comment, ps->comment_len);
	info->comment[ps->comment_len] = '\0';
	info->timestamp = comment_timestamp(info->comment);
	info->reset_floor = comment_has_token(info->comment, "reset-floor");
	if (copy_field(comment_field(info->comment, "file:"), "file", info->file,
		       sizeof(info->file), err))
		return -1;
	return copy_field(comment_field(info->comment, "path:"), "path", info->path,
			  sizeof(info->path), err);
}

int ls_sig_inspect(const char *sig, size_t sig_len, struct ls_sig_info *info, struct ls_error *err)
{
	struct parsed_sig ps;

	if (sig_parse(sig, sig_len, &ps, err) != 0)
		return -1;
	return fill_info(&ps, info, err);
}

static const struct ls_pubkey *find_key(const struct ls_pubkey *keys, int n_keys,
					const uint8_t id[8])
{
	for (int i = 0; i < n_keys; i++)
		if (memcmp(keys[i].id, id, 8) == 0)
			return &keys[i];
	return NULL;
}

static int unknown_key(const struct ls_pubkey *keys, int n_keys, const uint8_t id[8],
		       struct ls_error *err)
{
	char hex[LS_KEY_ID_HEX], list[4 * LS_KEY_ID_HEX + 16] = "";
	size_t used = 0;

	ls_key_id_hex(id, hex);
	if (n_keys <= 0)
		return ls_error_set(
		    err, "signature made by key %s, but no public key is configured", hex);
	for (int i = 0; i < n_keys && i < 4; i++) {
		char k[LS_KEY_ID_HEX];

		ls_key_id_hex(keys[i].id, k);
		used +=
		    (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", k);
	}
	return ls_error_set(err,
			    "signature made by key %s which is not configured (configured: %s%s); "
			    "sign with a configured key or add its public key",
			    hex, list, n_keys > 4 ? ", ..." : "");
}

static int check_body(const struct parsed_sig *ps, const uint8_t pk[32], const void *body,
		      size_t len)
{
	uint8_t hash[crypto_generichash_BYTES_MAX];

	if (memcmp(ps->alg, "Ed", 2) == 0)
		return crypto_sign_verify_detached(ps->sig, body, len, pk);
	crypto_generichash(hash, sizeof(hash), body, len, NULL, 0);
	return crypto_sign_verify_detached(ps->sig, hash, sizeof(hash), pk);
}

static int check_comment(const struct parsed_sig *ps, const uint8_t pk[32])
{
	uint8_t msg[64 + LS_SIG_COMMENT_MAX];

	memcpy(msg, ps->sig, 64);
	memcpy(msg + 64, ps->comment, ps->comment_len);
	return crypto_sign_verify_detached(ps->global, msg, 64 + ps->comment_len, pk);
}

int ls_sig_verify(const struct ls_pubkey *keys, int n_keys, const void *body, size_t len,
		  const char *sig, size_t sig_len, struct ls_sig_info *info, struct ls_error *err)
{
	struct parsed_sig ps;
	const struct ls_pubkey *key;

	if (sodium_init() < 0)
		return ls_error_set(err, "cannot initialise libsodium");
	if (sig_parse(sig, sig_len, &ps, err) != 0)
		return -1;
	key = find_key(keys, n_keys, ps.key_id);
	if (!key)
		return unknown_key(keys, n_keys, ps.key_id, err);
	if (check_body(&ps, key->pk, body, len) != 0)
		return ls_error_set(err, "signature does not match the file (was it edited after "
					 "signing?)");
	if (check_comment(&ps, key->pk) != 0)
		return ls_error_set(err, "trusted comment was altered (its signature does not "
					 "match); re-sign the file");
	if (info)
		return fill_info(&ps, info, err);
	return 0;
}

static int bad_text(const char *s)
{
	return s && s[strcspn(s, LS_SIG_NAME_FORBIDDEN)] != '\0';
}

static char *sig_format(const uint8_t *blob, const char *comment, const uint8_t global[64])
{
	char *b1 = b64_encode(blob, SIG_BLOB_LEN), *b2 = b64_encode(global, 64), *out = NULL;
	size_t n;

	if (b1 && b2) {
		n = strlen(UNTRUSTED_PREFIX "signature from ledsign secret key\n\n" TRUSTED_PREFIX
					    "\n\n") +
		    strlen(b1) + strlen(comment) + strlen(b2) + 1;
		out = malloc(n);
		if (out)
			snprintf(out, n,
				 UNTRUSTED_PREFIX
				 "signature from ledsign secret key\n%s\n" TRUSTED_PREFIX
				 "%s\n%s\n",
				 b1, comment, b2);
	}
	free(b1);
	free(b2);
	return out;
}

bool ls_sig_name_plain(const char *name)
{
	return name[0] && !strchr(name, '/') && name[0] != '.' && !bad_text(name);
}

int ls_sig_path_check(const char *path, const char *file, struct ls_error *err)
{
	size_t pl = strlen(path), fl = strlen(file);

	if (bad_text(path) || pl >= LS_SIG_PATH_MAX)
		return ls_error_set(err, "path '%.80s': at most %d bytes, no tabs or line breaks",
				    path, LS_SIG_PATH_MAX - 1);
	if (path[0] == '/' || strstr(path, "//"))
		return ls_error_set(err,
				    "path '%s' must be relative to the feed root, without "
				    "empty segments (e.g. ha-noi/playlist.json)",
				    path);
	for (const char *p = path; *p; p += strcspn(p, "/"), p += *p == '/') {
		size_t n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return ls_error_set(err, "path '%s' may not hold '.' or '..'", path);
	}
	if (pl < fl || strcmp(path + pl - fl, file) || (pl > fl && path[pl - fl - 1] != '/'))
		return ls_error_set(err, "path '%s' does not end in the file's name '%s'", path,
				    file);
	return 0;
}

/* The trusted comment c claims, into out (LS_SIG_COMMENT_MAX bytes). */
static int claims_comment(const struct ls_sig_claims *c, char *out, struct ls_error *err)
{
	const char *path = c->path ? c->path : c->file;
	int n;

	if (!c->file || bad_text(c->file) || bad_text(c->extra))
		return ls_error_set(err, "the file name and comment may not contain tabs or line "
					 "breaks");
	if (strlen(c->file) >= LS_SIG_FILE_MAX)
		return ls_error_set(err,
				    "the file name is %zu bytes; boards accept at most %d: "
				    "rename it",
				    strlen(c->file), LS_SIG_FILE_MAX - 1);
	if (ls_sig_path_check(path, c->file, err))
		return -1;
	n = snprintf(out, LS_SIG_COMMENT_MAX,
		     "timestamp:%" PRId64 "\tfile:%s\thashed\tpath:%s%s%s%s", c->timestamp, c->file,
		     path, c->reset_floor ? "\treset-floor" : "", c->extra && *c->extra ? "\t" : "",
		     c->extra ? c->extra : "");
	if (n < 0 || n >= LS_SIG_COMMENT_MAX)
		return ls_error_set(err,
				    "the trusted comment would exceed %d bytes; shorten the "
				    "comment",
				    LS_SIG_COMMENT_MAX - 1);
	return n;
}

char *ls_sig_sign_claims(const struct ls_seckey *key, const void *body, size_t len,
			 const struct ls_sig_claims *c, struct ls_error *err)
{
	uint8_t hash[crypto_generichash_BYTES_MAX], blob[SIG_BLOB_LEN], global[64];
	uint8_t msg[64 + LS_SIG_COMMENT_MAX];
	char comment[LS_SIG_COMMENT_MAX];
	int n;
	char *out;

	if (sodium_init() < 0) {
		ls_error_set(err, "cannot initialise libsodium");
		return NULL;
	}
	n = claims_comment(c, comment, err);
	if (n < 0)
		return NULL;
	crypto_generichash(hash, sizeof(hash), body, len, NULL, 0);
	memcpy(blob, "ED", 2);
	memcpy(blob + 2, key->id, 8);
	crypto_sign_detached(blob + 10, NULL, hash, sizeof(hash), key->sk);
	memcpy(msg, blob + 10, 64);
	memcpy(msg + 64, comment, (size_t)n);
	crypto_sign_detached(global, NULL, msg, 64 + (size_t)n, key->sk);
	out = sig_format(blob, comment, global);
	if (!out)
		ls_error_set(err, "out of memory");
	return out;
}

char *ls_sig_sign(const struct ls_seckey *key, const void *body, size_t len, const char *file_name,
		  const char *extra, int64_t now, struct ls_error *err)
{
	struct ls_sig_claims c = {
	    .file = file_name ? file_name : "", .extra = extra, .timestamp = now};

	return ls_sig_sign_claims(key, body, len, &c, err);
}

int ls_sig_check_fresh(const struct ls_sig_info *info, int64_t last_accepted, struct ls_error *err)
{
	if (info->timestamp < 0)
		return ls_error_set(err,
				    "the signature's trusted comment has no timestamp, so an old "
				    "copy could be replayed; sign with `ledsign sign`, or with "
				    "minisign without -t");
	if (info->timestamp < last_accepted)
		return ls_error_set(err,
				    "signed at %" PRId64 ", older than the version accepted before "
				    "(signed at %" PRId64
				    "); refused as a possible replay: publish a newer signature",
				    info->timestamp, last_accepted);
	return 0;
}
