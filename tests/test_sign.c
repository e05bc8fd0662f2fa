/*
 * test_sign.c: the signature module against itself and against the real
 * minisign tool in both directions, plus the hostile inputs a feed server
 * could send (tampered bodies and comments, unknown keys, broken files).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "harness.h"
#include "ledsign/atomic.h"
#include "ledsign/sign.h"

static const char body_text[] = "{\"items\":[{\"text\":\"BHYT học sinh, sinh viên\"}]}\n";

static char *tmp_path(const char *name)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", th_tmpdir(), name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ASSERT_MSG(f, "cannot write %s", path);
	ASSERT(fwrite(data, 1, len, f) == len);
	ASSERT(fclose(f) == 0);
}

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);
	size_t n;

	ASSERT_MSG(f, "cannot read %s", path);
	ASSERT(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* A key pair made by the real minisign, unencrypted, in the test's directory. */
static void minisign_keypair(void)
{
	ASSERT_EQ_INT(
	    run("cd %s && minisign -G -W -p pub -s sec </dev/null >/dev/null 2>&1", th_tmpdir()),
	    0);
}

static struct ls_pubkey load_pub(const char *name)
{
	struct ls_pubkey key;
	struct ls_error err = {""};
	size_t len;
	char *text = read_file(tmp_path(name), &len);

	ASSERT_MSG(ls_pubkey_parse(text, len, &key, &err) == 0, "%s", err.msg);
	free(text);
	return key;
}

static struct ls_seckey load_sec(const char *name)
{
	struct ls_seckey key;
	struct ls_error err = {""};
	size_t len;
	char *text = read_file(tmp_path(name), &len);

	ASSERT_MSG(ls_seckey_parse(text, len, NULL, &key, &err) == 0, "%s", err.msg);
	free(text);
	return key;
}

static void fresh_keys(struct ls_pubkey *pub, struct ls_seckey *sec)
{
	ASSERT_EQ_INT(ls_keypair_generate(pub, sec, NULL), 0);
}

static char *sign_body(const struct ls_seckey *sec, const char *body, int64_t now)
{
	struct ls_error err = {""};
	char *sig = ls_sig_sign(sec, body, strlen(body), "national.json", NULL, now, &err);

	ASSERT_MSG(sig, "%s", err.msg);
	return sig;
}

static int verify(const struct ls_pubkey *keys, int n, const char *body, const char *sig,
		  struct ls_sig_info *info, struct ls_error *err)
{
	return ls_sig_verify(keys, n, body, strlen(body), sig, strlen(sig), info, err);
}

TEST(signed_by_ledsign_verifies_with_timestamp_and_file_name)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	char *sig;

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1732470000);
	ASSERT_MSG(verify(&pub, 1, body_text, sig, &info, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(info.timestamp, 1732470000);
	ASSERT_EQ_STR(info.file, "national.json");
	ASSERT_EQ_STR(info.comment,
		      "timestamp:1732470000\tfile:national.json\thashed\tpath:national.json");
	ASSERT_EQ_INT(info.prehashed, 1);
	ASSERT(memcmp(info.key_id, pub.id, 8) == 0);
	free(sig);
}

TEST(extra_comment_is_signed_after_the_standard_fields)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	char *sig;

	fresh_keys(&pub, &sec);
	sig = ls_sig_sign(&sec, "x", 1, "a.json", "tỉnh Hà Nội, đợt 2", 5, &err);
	ASSERT_MSG(sig, "%s", err.msg);
	ASSERT_EQ_INT(ls_sig_verify(&pub, 1, "x", 1, sig, strlen(sig), &info, &err), 0);
	ASSERT_EQ_STR(info.comment,
		      "timestamp:5\tfile:a.json\thashed\tpath:a.json\ttỉnh Hà Nội, đợt 2");
	ASSERT_EQ_INT(info.timestamp, 5);
	free(sig);
}

TEST(sign_refuses_line_breaks_and_tabs_in_name_or_comment)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};

	fresh_keys(&pub, &sec);
	ASSERT(ls_sig_sign(&sec, "x", 1, "a\nb", NULL, 5, &err) == NULL);
	ASSERT_CONTAINS(err.msg, "line breaks");
	ASSERT(ls_sig_sign(&sec, "x", 1, "a", "evil\ntrusted comment: x", 5, &err) == NULL);
	ASSERT(ls_sig_sign(&sec, "x", 1, "a\tb", NULL, 5, &err) == NULL);
}

TEST(key_id_is_shown_like_minisign_little_endian_hex)
{
	const uint8_t id[8] = {0x44, 0xac, 0x85, 0xce, 0xaa, 0xdf, 0x20, 0x24};
	char hex[LS_KEY_ID_HEX];

	ls_key_id_hex(id, hex);
	ASSERT_EQ_STR(hex, "2420DFAACE85AC44");
}

TEST(pubkey_parses_from_pub_file_or_bare_base64_line)
{
	struct ls_pubkey pub, a, b, c;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *text, *line, crlf[256];

	fresh_keys(&pub, &sec);
	text = ls_pubkey_format(&pub);
	ASSERT(text);
	ASSERT_MSG(ls_pubkey_parse(text, strlen(text), &a, &err) == 0, "%s", err.msg);
	line = strchr(text, '\n') + 1;
	ASSERT_MSG(ls_pubkey_parse(line, strlen(line), &b, &err) == 0, "%s", err.msg);
	snprintf(crlf, sizeof(crlf), "  %.*s\r\n", LS_PUBKEY_B64_LEN, line);
	ASSERT_MSG(ls_pubkey_parse(crlf, strlen(crlf), &c, &err) == 0, "%s", err.msg);
	ASSERT(memcmp(&a, &pub, sizeof(pub)) == 0);
	ASSERT(memcmp(&b, &pub, sizeof(pub)) == 0);
	ASSERT(memcmp(&c, &pub, sizeof(pub)) == 0);
	free(text);
}

TEST(pubkey_errors_say_what_is_wrong)
{
	struct ls_pubkey k;
	struct ls_error err = {""};
	const char *cut = "RWRErIXOqt8gJBVoL2qB5vBsQ3Ei9Mk+WKtYJ9wxM9iZKf7yNkpg";

	ASSERT_EQ_INT(ls_pubkey_parse("not a key!", 10, &k, &err), -1);
	ASSERT_CONTAINS(err.msg, "not base64");
	ASSERT_EQ_INT(ls_pubkey_parse(cut, strlen(cut), &k, &err), -1);
	ASSERT_CONTAINS(err.msg, "cut short");
	ASSERT_EQ_INT(ls_pubkey_parse("", 0, &k, &err), -1);
	ASSERT_EQ_INT(ls_pubkey_parse("untrusted comment: x\n", 21, &k, &err), -1);
	ASSERT_CONTAINS(err.msg, "missing");
	/* A secret key's base64 is no public key. */
	ASSERT_EQ_INT(ls_pubkey_parse("RWQAAEIyAAAA", 12, &k, &err), -1);
}

TEST(seckey_round_trips_through_its_file_format)
{
	struct ls_pubkey pub, derived;
	struct ls_seckey sec, back;
	struct ls_error err = {""};
	char *text;

	fresh_keys(&pub, &sec);
	text = ls_seckey_format(&sec);
	ASSERT(text);
	ASSERT_MSG(ls_seckey_parse(text, strlen(text), NULL, &back, &err) == 0, "%s", err.msg);
	ASSERT(memcmp(&back, &sec, sizeof(sec)) == 0);
	ls_seckey_pubkey(&back, &derived);
	ASSERT(memcmp(&derived, &pub, sizeof(pub)) == 0);
	ls_seckey_wipe(&back);
	ASSERT(sodium_is_zero((const unsigned char *)&back, sizeof(back)));
	free(text);
}

TEST(damaged_seckey_is_refused)
{
	struct ls_pubkey pub;
	struct ls_seckey sec, back;
	struct ls_error err = {""};
	char *text;
	size_t line2;

	fresh_keys(&pub, &sec);
	text = ls_seckey_format(&sec);
	line2 = (size_t)(strchr(text, '\n') - text) + 1;
	/* Flip one character inside the secret part (well past the header). */
	text[line2 + 100] = text[line2 + 100] == 'A' ? 'B' : 'A';
	ASSERT_EQ_INT(ls_seckey_parse(text, strlen(text), NULL, &back, &err), -1);
	ASSERT_MSG(strstr(err.msg, "checksum") || strstr(err.msg, "inconsistent"), "%s", err.msg);
	ASSERT(sodium_is_zero((const unsigned char *)&back, sizeof(back)));
	free(text);
}

/* Builds an scrypt-encrypted key as minisign's format describes, with cheap
 * limits so the test stays fast, independently of the parser's code. */
static char *encrypted_seckey(const struct ls_seckey *sec, const char *password)
{
	uint8_t blob[158] = {0}, stream[104];
	uint64_t ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN;
	uint64_t mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN;
	crypto_generichash_state st;
	char b64[256], *out = malloc(512);

	memcpy(blob, "EdScB2", 6);
	randombytes_buf(blob + 6, 32);
	for (int i = 0; i < 8; i++) {
		blob[38 + i] = (uint8_t)(ops >> (8 * i));
		blob[46 + i] = (uint8_t)(mem >> (8 * i));
	}
	memcpy(blob + 54, sec->id, 8);
	memcpy(blob + 62, sec->sk, 64);
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, blob, 2);
	crypto_generichash_update(&st, blob + 54, 72);
	crypto_generichash_final(&st, blob + 126, 32);
	ASSERT(crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), password,
						  strlen(password), blob + 6, ops, mem) == 0);
	for (int i = 0; i < 104; i++)
		blob[54 + i] ^= stream[i];
	sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, 512, "untrusted comment: minisign encrypted secret key\n%s\n", b64);
	return out;
}

TEST(encrypted_seckey_needs_the_right_password)
{
	struct ls_pubkey pub;
	struct ls_seckey sec, back;
	struct ls_error err = {""};
	char *text;

	fresh_keys(&pub, &sec);
	text = encrypted_seckey(&sec, "mật khẩu");
	ASSERT_EQ_INT(ls_seckey_parse(text, strlen(text), NULL, &back, &err), -1);
	ASSERT_CONTAINS(err.msg, "encrypted with a password");
	ASSERT_EQ_INT(ls_seckey_parse(text, strlen(text), "wrong", &back, &err), -1);
	ASSERT_CONTAINS(err.msg, "wrong password");
	ASSERT_MSG(ls_seckey_parse(text, strlen(text), "mật khẩu", &back, &err) == 0, "%s",
		   err.msg);
	ASSERT(memcmp(&back, &sec, sizeof(sec)) == 0);
	free(text);
}

/* A fresh secret key into *sec, written to path encrypted with password. */
static void write_encrypted_key(const char *path, struct ls_seckey *sec, const char *password)
{
	struct ls_pubkey pub;
	char *text;

	fresh_keys(&pub, sec);
	text = encrypted_seckey(sec, password);
	write_file(path, text, strlen(text));
	free(text);
}

TEST(a_secret_key_file_is_loaded_with_its_password_and_named_when_it_fails)
{
	struct ls_seckey sec, back;
	struct ls_error err = {""};
	char *text;

	write_encrypted_key(tmp_path("enc.key"), &sec, "mật khẩu");
	ASSERT_MSG(!ls_seckey_load(tmp_path("enc.key"), "mật khẩu", &back, &err), "%s", err.msg);
	ASSERT(memcmp(&back, &sec, sizeof(sec)) == 0);
	ASSERT_EQ_INT(ls_seckey_load(tmp_path("enc.key"), "wrong", &back, &err), -1);
	ASSERT_CONTAINS(err.msg, tmp_path("enc.key"));
	ASSERT_CONTAINS(err.msg, "wrong password");
	text = ls_seckey_format(&sec);
	write_file(tmp_path("plain.key"), text, strlen(text));
	free(text);
	ASSERT_MSG(!ls_seckey_load(tmp_path("plain.key"), NULL, &back, &err), "%s", err.msg);
	ASSERT(memcmp(&back, &sec, sizeof(sec)) == 0);
	ASSERT_EQ_INT(ls_seckey_load(tmp_path("none.key"), NULL, &back, &err), -1);
	ASSERT_CONTAINS(err.msg, "none.key");
	ls_seckey_wipe(&back);
	ls_seckey_wipe(&sec);
}

TEST(a_public_key_is_a_pub_file_when_one_exists_else_the_key_itself)
{
	struct ls_pubkey pub, back;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *text;

	fresh_keys(&pub, &sec);
	text = ls_pubkey_format(&pub);
	write_file(tmp_path("k.pub"), text, strlen(text));
	ASSERT_MSG(!ls_pubkey_load(tmp_path("k.pub"), &back, &err), "%s", err.msg);
	ASSERT(!memcmp(back.pk, pub.pk, sizeof(pub.pk)));
	memset(&back, 0, sizeof(back));
	*strrchr(text, '\n') = '\0';
	ASSERT_MSG(!ls_pubkey_load(strchr(text, '\n') + 1, &back, &err), "%s", err.msg);
	ASSERT(!memcmp(back.pk, pub.pk, sizeof(pub.pk)));
	write_file(tmp_path("bad.pub"), "untrusted comment: x\nnot base64\n", 33);
	ASSERT_EQ_INT(ls_pubkey_load(tmp_path("bad.pub"), &back, &err), -1);
	ASSERT_CONTAINS(err.msg, "bad.pub: ");
	free(text);
	ls_seckey_wipe(&sec);
}

TEST(a_file_signed_to_its_minisig_verifies_and_a_changed_one_does_not)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	struct ls_sig_claims c = {.path = "ha-noi/feed.json", .timestamp = 1732470000};
	char buf[600];

	fresh_keys(&pub, &sec);
	ASSERT_EQ_STR(ls_sig_file_name("a/feed.json", NULL, buf, sizeof(buf)),
		      "a/feed.json.minisig");
	ASSERT_EQ_STR(ls_sig_file_name("a/feed.json", "x.sig", buf, sizeof(buf)), "x.sig");
	write_file(tmp_path("feed.json"), body_text, strlen(body_text));
	ASSERT_MSG(!ls_sig_sign_file(
		       &sec, tmp_path("feed.json"), &c,
		       ls_sig_file_name(tmp_path("feed.json"), NULL, buf, sizeof(buf)), &err),
		   "%s", err.msg);
	ASSERT_MSG(!ls_sig_verify_file(&pub, 1, tmp_path("feed.json"), NULL, &info, &err), "%s",
		   err.msg);
	ASSERT_CONTAINS(info.comment, "file:feed.json");
	ASSERT_CONTAINS(info.comment, "path:ha-noi/feed.json");
	write_file(tmp_path("feed.json"), "{}", 2);
	ASSERT_EQ_INT(ls_sig_verify_file(&pub, 1, tmp_path("feed.json"), NULL, &info, &err), -1);
	ASSERT_CONTAINS(err.msg, "feed.json.minisig: ");
	ASSERT_EQ_INT(
	    ls_sig_verify_file(&pub, 1, tmp_path("feed.json"), tmp_path("no.sig"), &info, &err),
	    -1);
	ASSERT_CONTAINS(err.msg, "no.sig");
	ASSERT_EQ_INT(
	    ls_sig_sign_file(&sec, tmp_path("absent.json"), &c, tmp_path("absent.sig"), &err), -1);
	ls_seckey_wipe(&sec);
}

TEST(a_plain_file_name_has_no_slash_no_leading_dot_and_no_line_breaks)
{
	ASSERT(ls_sig_name_plain("playlist.json"));
	ASSERT(ls_sig_name_plain("lịch.json"));
	ASSERT(!ls_sig_name_plain(""));
	ASSERT(!ls_sig_name_plain("a/b.json"));
	ASSERT(!ls_sig_name_plain(".hidden"));
	ASSERT(!ls_sig_name_plain("a\tb"));
	ASSERT(!ls_sig_name_plain("a\nb"));
}

TEST(minisign_prehashed_signature_verifies)
{
	struct ls_pubkey pub;
	struct ls_sig_info info;
	struct ls_error err = {""};
	size_t len, sig_len;
	char *body, *sig;

	minisign_keypair();
	write_file(tmp_path("feed.json"), body_text, strlen(body_text));
	ASSERT_EQ_INT(
	    run("cd %s && minisign -S -s sec -m feed.json >/dev/null 2>&1 </dev/null", th_tmpdir()),
	    0);
	pub = load_pub("pub");
	body = read_file(tmp_path("feed.json"), &len);
	sig = read_file(tmp_path("feed.json.minisig"), &sig_len);
	ASSERT_MSG(ls_sig_verify(&pub, 1, body, len, sig, sig_len, &info, &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_INT(info.prehashed, 1);
	ASSERT_EQ_STR(info.file, "feed.json");
	ASSERT(info.timestamp > 1600000000);
	ASSERT_CONTAINS(info.comment, "\thashed");
	free(body);
	free(sig);
}

TEST(minisign_legacy_signature_verifies)
{
	struct ls_pubkey pub;
	struct ls_sig_info info;
	struct ls_error err = {""};
	size_t len, sig_len;
	char *body, *sig;

	minisign_keypair();
	write_file(tmp_path("feed.json"), body_text, strlen(body_text));
	ASSERT_EQ_INT(run("cd %s && minisign -S -l -s sec -m feed.json >/dev/null 2>&1 </dev/null",
			  th_tmpdir()),
		      0);
	pub = load_pub("pub");
	body = read_file(tmp_path("feed.json"), &len);
	sig = read_file(tmp_path("feed.json.minisig"), &sig_len);
	ASSERT_MSG(ls_sig_verify(&pub, 1, body, len, sig, sig_len, &info, &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_INT(info.prehashed, 0);
	ASSERT_EQ_STR(info.file, "feed.json");
	ASSERT(info.timestamp > 1600000000);
	body[0] = '[';
	ASSERT_EQ_INT(ls_sig_verify(&pub, 1, body, len, sig, sig_len, &info, &err), -1);
	ASSERT_CONTAINS(err.msg, "does not match the file");
	free(body);
	free(sig);
}

TEST(minisign_custom_trusted_comment_is_kept_and_timestamp_parsed_when_present)
{
	struct ls_pubkey pub;
	struct ls_sig_info info;
	struct ls_error err = {""};
	size_t sig_len;
	char *sig;

	minisign_keypair();
	pub = load_pub("pub");
	write_file(tmp_path("a"), "A", 1);
	ASSERT_EQ_INT(run("cd %s && minisign -S -s sec -m a -t 'đợt 2' >/dev/null 2>&1 </dev/null",
			  th_tmpdir()),
		      0);
	sig = read_file(tmp_path("a.minisig"), &sig_len);
	ASSERT_MSG(ls_sig_verify(&pub, 1, "A", 1, sig, sig_len, &info, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(info.comment, "đợt 2");
	ASSERT_EQ_INT(info.timestamp, -1);
	ASSERT_EQ_STR(info.file, "");
	free(sig);
	ASSERT_EQ_INT(run("cd %s && minisign -S -s sec -m a -t 'timestamp:1732470000 file:a.json' "
			  ">/dev/null 2>&1 </dev/null",
			  th_tmpdir()),
		      0);
	sig = read_file(tmp_path("a.minisig"), &sig_len);
	ASSERT_MSG(ls_sig_verify(&pub, 1, "A", 1, sig, sig_len, &info, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(info.timestamp, 1732470000);
	ASSERT_EQ_STR(info.file, "a.json");
	free(sig);
}

TEST(ledsign_signature_verifies_with_real_minisign)
{
	struct ls_seckey sec;
	char *sig;

	minisign_keypair();
	sec = load_sec("sec");
	write_file(tmp_path("feed.json"), body_text, strlen(body_text));
	sig = sign_body(&sec, body_text, 1732470000);
	write_file(tmp_path("feed.json.minisig"), sig, strlen(sig));
	ASSERT_EQ_INT(run("cd %s && minisign -Vm feed.json -p pub >out 2>&1", th_tmpdir()), 0);
	free(sig);
	sig = read_file(tmp_path("out"), NULL);
	ASSERT_CONTAINS(sig,
			"timestamp:1732470000\tfile:national.json\thashed\tpath:national.json");
	free(sig);
	/* And the real tool refuses it once the body changes. */
	write_file(tmp_path("feed.json"), "{}", 2);
	ASSERT(run("cd %s && minisign -Vm feed.json -p pub >/dev/null 2>&1", th_tmpdir()) != 0);
}

TEST(ledsign_key_files_work_with_real_minisign)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	char *text, *sig;
	size_t sig_len;

	fresh_keys(&pub, &sec);
	text = ls_pubkey_format(&pub);
	write_file(tmp_path("my.pub"), text, strlen(text));
	free(text);
	text = ls_seckey_format(&sec);
	write_file(tmp_path("my.key"), text, strlen(text));
	free(text);
	write_file(tmp_path("f"), body_text, strlen(body_text));
	ASSERT_EQ_INT(
	    run("cd %s && minisign -S -s my.key -m f >/dev/null 2>&1 </dev/null", th_tmpdir()), 0);
	ASSERT_EQ_INT(run("cd %s && minisign -Vm f -p my.pub >/dev/null 2>&1", th_tmpdir()), 0);
	sig = read_file(tmp_path("f.minisig"), &sig_len);
	ASSERT_MSG(
	    ls_sig_verify(&pub, 1, body_text, strlen(body_text), sig, sig_len, &info, &err) == 0,
	    "%s", err.msg);
	free(sig);
}

TEST(tampered_body_is_refused)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, body[sizeof(body_text)];

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	memcpy(body, body_text, sizeof(body));
	body[10] ^= 1;
	ASSERT_EQ_INT(verify(&pub, 1, body, sig, NULL, &err), -1);
	ASSERT_EQ_STR(err.msg, "signature does not match the file (was it edited after signing?)");
	free(sig);
}

TEST(tampered_trusted_comment_is_refused)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info = {.timestamp = 42};
	struct ls_error err = {""};
	char *sig, *ts;

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1732470000);
	/* A replay attacker moves the timestamp forward. */
	ts = strstr(sig, "timestamp:1732470000");
	ASSERT(ts);
	ts[strlen("timestamp:")] = '2';
	ASSERT_EQ_INT(verify(&pub, 1, body_text, sig, &info, &err), -1);
	ASSERT_CONTAINS(err.msg, "trusted comment was altered");
	ASSERT_EQ_INT(info.timestamp, 42); /* info untouched on failure */
	free(sig);
}

TEST(untrusted_comment_may_change_freely)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, *rest, buf[2048];

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	rest = strchr(sig, '\n');
	snprintf(buf, sizeof(buf), "untrusted comment: anything at all%s", rest);
	ASSERT_MSG(verify(&pub, 1, body_text, buf, NULL, &err) == 0, "%s", err.msg);
	free(sig);
}

TEST(signature_by_unconfigured_key_names_both_keys)
{
	struct ls_pubkey pub, other;
	struct ls_seckey sec, sec2;
	struct ls_error err = {""};
	char *sig, id[LS_KEY_ID_HEX], oid[LS_KEY_ID_HEX], want[128];

	fresh_keys(&pub, &sec);
	fresh_keys(&other, &sec2);
	sig = sign_body(&sec, body_text, 1);
	ASSERT_EQ_INT(verify(&other, 1, body_text, sig, NULL, &err), -1);
	ls_key_id_hex(pub.id, id);
	ls_key_id_hex(other.id, oid);
	snprintf(want, sizeof(want), "signature made by key %s which is not configured", id);
	ASSERT_CONTAINS(err.msg, want);
	ASSERT_CONTAINS(err.msg, oid);
	ASSERT_EQ_INT(verify(NULL, 0, body_text, sig, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "no public key is configured");
	free(sig);
}

TEST(same_key_id_with_different_key_fails_on_the_signature)
{
	struct ls_pubkey pub, other;
	struct ls_seckey sec, sec2;
	struct ls_error err = {""};
	char *sig;

	fresh_keys(&pub, &sec);
	fresh_keys(&other, &sec2);
	memcpy(other.id, pub.id, 8);
	sig = sign_body(&sec, body_text, 1);
	ASSERT_EQ_INT(verify(&other, 1, body_text, sig, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "does not match the file");
	free(sig);
}

TEST(rotation_accepts_old_and_new_key_during_transition)
{
	struct ls_pubkey keys[2];
	struct ls_seckey old_sec, new_sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	char *a, *b;

	fresh_keys(&keys[0], &old_sec);
	fresh_keys(&keys[1], &new_sec);
	a = sign_body(&old_sec, body_text, 1);
	b = sign_body(&new_sec, body_text, 2);
	ASSERT_MSG(verify(keys, 2, body_text, a, &info, &err) == 0, "%s", err.msg);
	ASSERT(memcmp(info.key_id, keys[0].id, 8) == 0);
	ASSERT_MSG(verify(keys, 2, body_text, b, &info, &err) == 0, "%s", err.msg);
	ASSERT(memcmp(info.key_id, keys[1].id, 8) == 0);
	/* After the transition only the new key is configured. */
	ASSERT_EQ_INT(verify(&keys[1], 1, body_text, a, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "not configured");
	free(a);
	free(b);
}

TEST(crlf_signature_file_verifies)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, crlf[2048];
	size_t j = 0;

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	for (size_t i = 0; sig[i]; i++) {
		if (sig[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = sig[i];
	}
	crlf[j] = '\0';
	ASSERT_MSG(verify(&pub, 1, body_text, crlf, NULL, &err) == 0, "%s", err.msg);
	/* Without the final newline, too. */
	sig[strlen(sig) - 1] = '\0';
	ASSERT_MSG(verify(&pub, 1, body_text, sig, NULL, &err) == 0, "%s", err.msg);
	free(sig);
}

/* Replaces line `n` (1-based) of sig with `repl`. */
static void replace_line(const char *sig, int n, const char *repl, char *out, size_t size)
{
	const char *p = sig;
	size_t used = 0;

	for (int i = 1; *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		used += (size_t)snprintf(out + used, size - used, "%.*s\n",
					 (int)(i == n ? strlen(repl) : len), i == n ? repl : p);
		p += len + (nl ? 1 : 0);
	}
}

TEST(broken_signature_files_name_the_problem)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, buf[4096], line2[256], long_line[512];
	const char *l2;
	size_t l2len;

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	l2 = strchr(sig, '\n') + 1;
	l2len = (size_t)(strchr(l2, '\n') - l2);

	ASSERT_EQ_INT(verify(&pub, 1, body_text, "", NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "empty");
	ASSERT_EQ_INT(verify(&pub, 1, body_text, "<html>404</html>", NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 1 does not start with \"untrusted comment: \"");

	replace_line(sig, 2, "not@base64!", buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_EQ_STR(err.msg, "not a minisign signature: line 2 is not base64");

	/* Truncated base64: whole quads but fewer bytes than a signature. */
	snprintf(line2, sizeof(line2), "%.*s", (int)(l2len - 12), l2);
	replace_line(sig, 2, line2, buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 2 decodes to");
	ASSERT_CONTAINS(err.msg, "truncated");

	/* Cut mid-quad: not valid base64 any more. */
	snprintf(line2, sizeof(line2), "%.*s", (int)(l2len - 3), l2);
	replace_line(sig, 2, line2, buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 2");

	/* A line far longer than any signature. */
	memset(long_line, 'A', 400);
	long_line[400] = '\0';
	replace_line(sig, 2, long_line, buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 2 decodes to");

	replace_line(sig, 3, "timestamp:1", buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 3 does not start with \"trusted comment: \"");

	replace_line(sig, 4, "QUJD", buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "line 4 decodes to 3 bytes");

	/* Only the first two lines: a download cut short. */
	snprintf(buf, sizeof(buf), "%.*s", (int)(l2 - sig + (ptrdiff_t)l2len + 1), sig);
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "2 lines instead of 4");
	free(sig);
}

TEST(unknown_algorithm_and_oversized_or_binary_files_are_refused)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, *big, b64[128], buf[4096];
	uint8_t blob[74] = "Xx";

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
	replace_line(sig, 2, b64, buf, sizeof(buf));
	ASSERT_EQ_INT(verify(&pub, 1, body_text, buf, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "unknown algorithm \"Xx\"");

	big = malloc(LS_SIG_MAX_BYTES + 2);
	memset(big, 'A', LS_SIG_MAX_BYTES + 1);
	big[LS_SIG_MAX_BYTES + 1] = '\0';
	ASSERT_EQ_INT(verify(&pub, 1, body_text, big, NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "too large");
	free(big);

	memcpy(buf, sig, strlen(sig));
	buf[5] = '\0';
	ASSERT_EQ_INT(
	    ls_sig_verify(&pub, 1, body_text, strlen(body_text), buf, strlen(sig), NULL, &err), -1);
	ASSERT_CONTAINS(err.msg, "NUL");
	free(sig);
}

TEST(signature_length_is_respected_without_terminator)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_error err = {""};
	char *sig, *exact;
	size_t n;

	fresh_keys(&pub, &sec);
	sig = sign_body(&sec, body_text, 1);
	/* Copy into a buffer with no NUL so ASan catches any read past len. */
	n = strlen(sig) - 1;
	exact = malloc(n);
	memcpy(exact, sig, n);
	ASSERT_MSG(ls_sig_verify(&pub, 1, body_text, strlen(body_text), exact, n, NULL, &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_INT(
	    ls_sig_verify(&pub, 1, body_text, strlen(body_text), exact, n - 5, NULL, &err), -1);
	free(exact);
	free(sig);
}

TEST(timestamp_must_be_digits_to_count)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	char *sig;

	fresh_keys(&pub, &sec);
	sig = ls_sig_sign(&sec, "x", 1, "f", NULL, 0, &err);
	ASSERT_EQ_INT(ls_sig_inspect(sig, strlen(sig), &info, &err), 0);
	ASSERT_EQ_INT(info.timestamp, 0);
	free(sig);
	sig = ls_sig_sign(&sec, "x", 1, "f", "timestamp:99x", -5, &err);
	ASSERT_EQ_INT(ls_sig_inspect(sig, strlen(sig), &info, &err), 0);
	/* "timestamp:-5" is not digits, "timestamp:99x" neither: no usable timestamp. */
	ASSERT_EQ_INT(info.timestamp, -1);
	free(sig);
	sig = ls_sig_sign(&sec, "x", 1, "f", NULL, INT64_MAX, &err);
	ASSERT_EQ_INT(ls_sig_inspect(sig, strlen(sig), &info, &err), 0);
	ASSERT_EQ_INT(info.timestamp, INT64_MAX);
	free(sig);
}

TEST(older_signature_than_last_accepted_is_a_replay)
{
	struct ls_sig_info info = {.timestamp = 1732470000};
	struct ls_error err = {""};

	ASSERT_EQ_INT(ls_sig_check_fresh(&info, -1, &err), 0);
	ASSERT_EQ_INT(ls_sig_check_fresh(&info, 1732470000, &err), 0);
	ASSERT_EQ_INT(ls_sig_check_fresh(&info, 1732469999, &err), 0);
	ASSERT_EQ_INT(ls_sig_check_fresh(&info, 1732470001, &err), -1);
	ASSERT_CONTAINS(err.msg, "signed at 1732470000, older than the version accepted before "
				 "(signed at 1732470001)");
	info.timestamp = -1;
	ASSERT_EQ_INT(ls_sig_check_fresh(&info, -1, &err), -1);
	ASSERT_CONTAINS(err.msg, "no timestamp");
}

TEST(claims_carry_the_layer_path_and_reset_floor_into_the_trusted_comment)
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	struct ls_sig_info info;
	struct ls_error err = {""};
	struct ls_sig_claims c = {.file = "playlist.json",
				  .path = "ha-noi/ba-dinh/playlist.json",
				  .reset_floor = 1,
				  .extra = "đợt 2",
				  .timestamp = 1732470000};
	char *sig;

	fresh_keys(&pub, &sec);
	sig = ls_sig_sign_claims(&sec, "x", 1, &c, &err);
	ASSERT_MSG(sig, "%s", err.msg);
	ASSERT_EQ_INT(ls_sig_verify(&pub, 1, "x", 1, sig, strlen(sig), &info, &err), 0);
	ASSERT_EQ_STR(info.comment, "timestamp:1732470000\tfile:playlist.json\thashed\t"
				    "path:ha-noi/ba-dinh/playlist.json\treset-floor\tđợt 2");
	ASSERT_EQ_STR(info.path, "ha-noi/ba-dinh/playlist.json");
	ASSERT_EQ_INT(info.reset_floor, 1);
	free(sig);
	c.reset_floor = 0;
	c.extra = "reset-floors are not this";
	sig = ls_sig_sign_claims(&sec, "x", 1, &c, &err);
	ASSERT_EQ_INT(ls_sig_inspect(sig, strlen(sig), &info, &err), 0);
	ASSERT_EQ_INT(info.reset_floor, 0); /* only the whole field counts */
	free(sig);
}

TEST(a_layer_path_must_be_relative_plain_and_end_in_the_file_name)
{
	struct ls_seckey sec;
	struct ls_pubkey pub;
	struct ls_error err = {""};
	const char *bad[] = {"/ha-noi/playlist.json",  "ha-noi//playlist.json", "../playlist.json",
			     "ha-noi/./playlist.json", "ha-noi/other.json",	"xplaylist.json"};
	struct ls_sig_claims c = {.file = "playlist.json", .timestamp = 5};

	fresh_keys(&pub, &sec);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.path = bad[i];
		ASSERT_MSG(!ls_sig_sign_claims(&sec, "x", 1, &c, &err), "%s accepted", bad[i]);
		ASSERT_CONTAINS(err.msg, "path '");
	}
	ASSERT_EQ_INT(ls_sig_path_check("playlist.json", "playlist.json", &err), 0);
	ASSERT_EQ_INT(ls_sig_path_check("a/b/playlist.json", "playlist.json", &err), 0);
}

/* The core derives keys from values the edge hands it: the same seed and ID
 * give the same key pair, and the pair signs and verifies. */
TEST(a_key_pair_is_a_function_of_its_seed_and_id)
{
	uint8_t seed[LS_KEY_SEED_BYTES], id[LS_KEY_ID_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct ls_pubkey pub1, pub2, pub3;
	struct ls_seckey sec1, sec2, sec3;
	struct ls_error err = {""};

	for (int i = 0; i < LS_KEY_SEED_BYTES; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	ASSERT_EQ_INT(ls_keypair_from_seed(seed, id, &pub1, &sec1, NULL), 0);
	ASSERT_EQ_INT(ls_keypair_from_seed(seed, id, &pub2, &sec2, NULL), 0);
	ASSERT(!memcmp(pub1.pk, pub2.pk, sizeof(pub1.pk)));
	ASSERT(!memcmp(sec1.sk, sec2.sk, sizeof(sec1.sk)));
	ASSERT(!memcmp(pub1.id, id, sizeof(pub1.id)) && !memcmp(sec1.id, id, sizeof(sec1.id)));
	seed[0] ^= 1;
	ASSERT_EQ_INT(ls_keypair_from_seed(seed, id, &pub3, &sec3, NULL), 0);
	ASSERT(memcmp(pub1.pk, pub3.pk, sizeof(pub1.pk)));
	char *sig = sign_body(&sec1, "body", 1732470000);
	ASSERT_MSG(verify(&pub1, 1, "body", sig, NULL, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(verify(&pub3, 1, "body", sig, NULL, &err), -1);
	free(sig);
}

/* ---- key files (ls_keypair_write, src/sys/keygen.c) ---- */

TEST(a_key_pair_is_written_as_minisign_files_and_never_over_one_unless_replaced)
{
	char pub_path[4096], sec_path[4096], *pub_text, *text;
	struct ls_pubkey pub, again;
	struct ls_seckey sec;
	struct ls_error err;
	struct stat st;
	size_t len;

	snprintf(pub_path, sizeof(pub_path), "%s/k.pub", th_tmpdir());
	snprintf(sec_path, sizeof(sec_path), "%s/k.key", th_tmpdir());
	ASSERT_MSG(!ls_keypair_write(pub_path, sec_path, false, &pub, &pub_text, &err), "%s",
		   err.msg);
	ASSERT(!stat(sec_path, &st) && (st.st_mode & 0777) == 0600);
	ASSERT(!stat(pub_path, &st) && (st.st_mode & 0777) == 0644);
	ASSERT(!ls_read_file(pub_path, 4096, &text, &len, &err));
	ASSERT_EQ_STR(text, pub_text);
	ASSERT(!ls_pubkey_parse(text, len, &again, &err));
	ASSERT(!memcmp(again.pk, pub.pk, sizeof(pub.pk)));
	free(text);
	ASSERT(!ls_read_file(sec_path, 4096, &text, &len, &err));
	ASSERT_MSG(!ls_seckey_parse(text, len, NULL, &sec, &err), "%s", err.msg);
	ls_seckey_wipe(&sec);
	free(text);
	free(pub_text);
	ASSERT_EQ_INT(ls_keypair_write(pub_path, sec_path, false, &pub, &pub_text, &err), -1);
	ASSERT_CONTAINS(err.msg, "already exists; use --force to replace it");
	ASSERT(pub_text == NULL);
	ASSERT_EQ_INT(ls_keypair_write(pub_path, sec_path, true, &again, &pub_text, &err), 0);
	ASSERT(memcmp(again.pk, pub.pk, sizeof(pub.pk))); /* a new key */
	free(pub_text);
}
