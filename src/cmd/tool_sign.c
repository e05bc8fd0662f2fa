/*
 * tool_sign.c: `ledsign keygen`, `ledsign sign` and `ledsign verify`, the
 * editor's side of signed feeds. Files are minisign's, so either tool can
 * make keys and signatures and either can check them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/i18n.h"
#include "ledsign/sign.h"
#include "ledsign/tool.h"

#define MAX_KEYS 4

/* ---- keygen ---- */

static void keygen_usage(FILE *f)
{
	fprintf(f, _("usage: ledsign keygen --pub FILE --sec FILE [--force]\n"
		     "  writes a minisign-compatible key pair; the secret key is NOT encrypted,\n"
		     "  keep it on the publishing machine only (mode 0600)\n"));
}

static int keygen_write(const char *pub_path, const char *sec_path, int force)
{
	struct ls_pubkey pub;
	struct ls_error err;
	char *pub_text, id[LS_KEY_ID_HEX];

	if (ls_keypair_write(pub_path, sec_path, force, &pub, &pub_text, &err)) {
		fprintf(stderr, _("ledsign keygen: %s\n"), err.msg);
		return 1;
	}
	ls_key_id_hex(pub.id, id);
	printf(_("Key %s written: public %s, secret %s (keep it secret).\n"
		 "Boards trust it for one layer with this line in the [feed] section of\n"
		 "ledsign.conf, LAYER being the name on that layer's url line (url = LAYER URL):\n"
		 "pubkey = LAYER %s"),
	       id, pub_path, sec_path, strchr(pub_text, '\n') + 1);
	free(pub_text);
	return 0;
}

int tool_keygen(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pub", required_argument, NULL, 'p'},
	    {"sec", required_argument, NULL, 's'},
	    {"force", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *pub = NULL, *sec = NULL;
	int ch, force = 0;

	while ((ch = tool_getopt(argc, argv, "p:s:fh", longopts, keygen_usage)) != -1) {
		if (ch == 'p')
			pub = optarg;
		else if (ch == 's')
			sec = optarg;
		else if (ch == 'f')
			force = 1;
	}
	if (!pub || !sec || optind != argc)
		tool_usage_exit(keygen_usage);
	return keygen_write(pub, sec, force);
}

/* ---- sign ---- */

static void sign_usage(FILE *f)
{
	fprintf(
	    f,
	    _("usage: ledsign sign FILE --key SECKEY [--comment TEXT] [--sig SIGFILE]\n"
	      "                    [--path DIR/NAME] [--reset-floor]\n"
	      "  writes FILE.minisig (or SIGFILE): a prehashed minisign signature whose trusted\n"
	      "  comment is \"timestamp:<now>\\tfile:<name>\\thashed\\tpath:<path>[\\t<TEXT>]\";\n"
	      "  the path (default: the name) is the file's place under the feed root, which a\n"
	      "  board's URL must end in; boards refuse a feed whose timestamp is older than\n"
	      "  the last one they accepted (unless --reset-floor, see deploy/FEED.md).\n"
	      "  An encrypted key's password is read from LEDSIGN_KEY_PASSWORD or the "
	      "terminal.\n"));
}

struct sign_opts {
	const char *key, *comment, *sig, *path;
	int reset_floor;
};

static int sign_file(const char *path, const struct sign_opts *o)
{
	struct ls_seckey key;
	struct ls_error err = {""};
	char buf[4096];
	const char *sig = ls_sig_file_name(path, o->sig, buf, sizeof(buf));
	struct ls_sig_claims c = {.path = o->path,
				  .reset_floor = o->reset_floor,
				  .extra = o->comment,
				  .timestamp = (int64_t)time(NULL)};
	int rc = ls_seckey_load(o->key, getenv("LEDSIGN_KEY_PASSWORD"), &key, &err) ||
		 ls_sig_sign_file(&key, path, &c, sig, &err);

	if (rc)
		fprintf(stderr, _("ledsign sign: %s\n"), err.msg);
	else
		printf(_("%s signed: %s\n"), path, sig);
	ls_seckey_wipe(&key);
	return rc;
}

int tool_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"key", required_argument, NULL, 'k'},
	    {"comment", required_argument, NULL, 'c'},
	    {"sig", required_argument, NULL, 'x'},
	    {"path", required_argument, NULL, 'P'},
	    {"reset-floor", no_argument, NULL, 'R'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct sign_opts o = {0};
	int ch;

	while ((ch = tool_getopt(argc, argv, "k:s:c:t:x:h", longopts, sign_usage)) != -1) {
		if (ch == 'k' || ch == 's')
			o.key = optarg;
		else if (ch == 'c' || ch == 't')
			o.comment = optarg;
		else if (ch == 'x')
			o.sig = optarg;
		else if (ch == 'P')
			o.path = optarg;
		else if (ch == 'R')
			o.reset_floor = 1;
	}
	if (!o.key || optind != argc - 1)
		tool_usage_exit(sign_usage);
	return sign_file(argv[optind], &o);
}

/* ---- verify ---- */

static void verify_usage(FILE *f)
{
	fprintf(
	    f, _("usage: ledsign verify FILE --pubkey PUBFILE|KEY [--pubkey ...] [--sig SIGFILE]\n"
		 "  checks FILE against FILE.minisig (or SIGFILE) and prints the trusted comment;\n"
		 "  --pubkey takes a .pub file or the base64 key itself, and may be repeated\n"
		 "  (old and new key during a rotation). Exit status 0 if valid, 1 if not.\n"));
}

static int verify_file(const char *path, const char *sig_path, const struct ls_pubkey *keys,
		       int n_keys)
{
	struct ls_sig_info info;
	struct ls_error err = {""};

	if (ls_sig_verify_file(keys, n_keys, path, sig_path, &info, &err)) {
		fprintf(stderr, _("ledsign verify: %s\n"), err.msg);
		return 1;
	}
	printf(_("Signature and comment signature verified (key %s)\nTrusted comment: %s\n"),
	       info.key_id_hex, info.comment);
	return 0;
}

int tool_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pubkey", required_argument, NULL, 'p'},
	    {"sig", required_argument, NULL, 'x'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct ls_pubkey keys[MAX_KEYS];
	struct ls_error err = {""};
	const char *sig = NULL;
	int ch, n = 0;

	while ((ch = tool_getopt(argc, argv, "p:P:x:h", longopts, verify_usage)) != -1) {
		if (ch == 'x') {
			sig = optarg;
		} else if (n == MAX_KEYS) {
			fprintf(stderr, _("ledsign verify: at most %d --pubkey\n"), MAX_KEYS);
			return 2;
		} else if (ls_pubkey_load(optarg, &keys[n++], &err) != 0) {
			fprintf(stderr, _("ledsign verify: --pubkey: %s\n"), err.msg);
			return 2;
		}
	}
	if (n == 0 || optind != argc - 1)
		tool_usage_exit(verify_usage);
	return verify_file(argv[optind], sig, keys, n);
}
