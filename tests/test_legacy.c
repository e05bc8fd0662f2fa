/*
 * test_legacy.c: the text check (src/core/legacy.c) over corpora. Clean
 * Vietnamese of the kind BHXH boards show (tests/data/vietnamese-clean.txt:
 * slogans, notices, provinces and districts, dates and figures) must give no
 * finding at all; the same lines turned into each kind of mojibake an office
 * meets must every one be recognised, with the right kind:
 *   TCVN3 (ABC)      glibc iconv TCVN5712-1, the bytes read as Windows-1252;
 *   VNI              VNI Windows's letters + trailing tone bytes, written here
 *                    from its published scheme, read as Windows-1252;
 *   Windows-1258     iconv CP1258 (decomposed tones), read as Windows-1252;
 *   double UTF-8     the UTF-8 bytes read as Windows-1252, and as Windows-1258.
 * A line the conversion leaves unchanged (no diacritics) is not counted.
 * Control characters and lookalikes are reported with their positions.
 */
#include <iconv.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/text.h"
#include "ledsign/utf8.h"

#define MAX_LINES 400
#define LINE_MAX_BYTES 1024

static int read_lines(const char *rel, char lines[][LINE_MAX_BYTES])
{
	FILE *f = fopen(th_path(rel), "r");
	int n = 0;

	ASSERT_MSG(f, "%s: cannot open", rel);
	while (n < MAX_LINES && fgets(lines[n], LINE_MAX_BYTES, f)) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		if (lines[n][0])
			n++;
	}
	fclose(f);
	return n;
}

static size_t put_utf8(char *out, size_t at, uint32_t cp)
{
	if (cp < 0x80) {
		out[at++] = (char)cp;
	} else if (cp < 0x800) {
		out[at++] = (char)(0xC0 | cp >> 6);
		out[at++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[at++] = (char)(0xE0 | cp >> 12);
		out[at++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[at++] = (char)(0x80 | (cp & 0x3F));
	}
	return at;
}

/* The code point a single byte decodes to in a code page (iconv, one byte at
 * a time so a stateful decoder cannot combine neighbours); bytes the page
 * leaves undefined read as Latin-1, as Windows shows them. */
static uint32_t byte_in(const char *page, unsigned char b)
{
	iconv_t cd = iconv_open("UTF-32LE", page);
	char in[1] = {(char)b}, out[16], *ip = in, *op = out;
	size_t il = 1, ol = sizeof(out);
	uint32_t cp = b;

	ASSERT(cd != (iconv_t)-1);
	if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
	    iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1 && op - out >= 4)
		memcpy(&cp, out, 4);
	iconv_close(cd);
	return cp;
}

/* Bytes shown as the text of a code page, re-encoded as UTF-8. */
static void bytes_as(const char *page, const unsigned char *b, size_t n, char *out)
{
	static uint32_t table[2][256];
	static bool made[2];
	int k = strcmp(page, "CP1252") != 0;
	size_t at = 0;

	if (!made[k]) {
		for (int i = 0; i < 256; i++)
			table[k][i] = byte_in(page, (unsigned char)i);
		made[k] = true;
	}
	for (size_t i = 0; i < n && at < LINE_MAX_BYTES * 3 - 4; i++)
		at = put_utf8(out, at, table[k][b[i]]);
	out[at] = '\0';
}

/* UTF-8 line converted to a legacy code page by iconv; false when iconv refuses. */
static bool to_page(const char *page, const char *utf8, unsigned char *out, size_t *n)
{
	iconv_t cd = iconv_open(page, "UTF-8");
	char *ip = (char *)utf8, *op = (char *)out;
	size_t il = strlen(utf8), ol = LINE_MAX_BYTES * 2;
	bool ok;

	ASSERT(cd != (iconv_t)-1);
	ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && iconv(cd, NULL, NULL, &op, &ol) == 0;
	iconv_close(cd);
	*n = (size_t)(op - (char *)out);
	return ok;
}

/* VNI Windows: a base letter (or a single byte for ơ ư đ and the toned i),
 * then a byte for the circumflex/breve with its tone, or for the tone alone. */
static size_t vni_encode(const char *utf8, unsigned char *out)
{
	/* Tone order: none, grave, acute, hook, tilde, dot. */
	static const unsigned char tone[6] = {0, 0xF8, 0xF9, 0xFB, 0xF5, 0xEF};
	static const unsigned char circ[6] = {0xE2, 0xE0, 0xE1, 0xE5, 0xE3, 0xE4};
	static const unsigned char breve[6] = {0xEA, 0xE8, 0xE9, 0xFA, 0xFC, 0xEB};
	static const unsigned char i_tone[6] = {'i', 0xEC, 0xED, 0xE6, 0xF3, 0xF2};
	size_t n = 0, len = strlen(utf8);

	for (size_t i = 0; i < len;) {
		uint32_t cp, nfd[4];
		i += ls_utf8_decode(utf8 + i, len - i, &cp);
		utf8proc_ssize_t k = utf8proc_decompose_char(
		    (utf8proc_int32_t)cp, (utf8proc_int32_t *)nfd, 4, UTF8PROC_DECOMPOSE, NULL);
		uint32_t base = nfd[0], mod = 0;
		int t = 0;
		bool cap = base < 0x80 && base >= 'A' && base <= 'Z';
		for (utf8proc_ssize_t j = 1; j < k; j++) {
			static const uint32_t tones[6] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};
			for (int q = 1; q < 6; q++)
				if (nfd[j] == tones[q])
					t = q;
			if (nfd[j] == 0x302 || nfd[j] == 0x306 || nfd[j] == 0x31B)
				mod = nfd[j];
		}
		unsigned char up = cap ? 0x20 : 0; /* VNI's capitals are the Latin-1 capitals */
		if (cp == 0x111 || cp == 0x110) {
			out[n++] = cp == 0x111 ? 0xF1 : 0xD1;
			continue;
		}
		if (k <= 1 || base >= 0x80) {
			out[n++] = cp < 0x80 ? (unsigned char)cp : '?';
			continue;
		}
		if ((base | 0x20) == 'i') {
			out[n++] = t ? (unsigned char)(i_tone[t] - up) : (unsigned char)base;
			continue;
		}
		if (mod == 0x31B) { /* ơ ư are single bytes, the tone follows */
			out[n++] = (unsigned char)(((base | 0x20) == 'o' ? 0xF4 : 0xF6) - up);
			if (t)
				out[n++] = (unsigned char)(tone[t] - up);
			continue;
		}
		out[n++] = (unsigned char)base;
		if (mod == 0x302)
			out[n++] = (unsigned char)(circ[t] - up);
		else if (mod == 0x306)
			out[n++] = (unsigned char)(breve[t] - up);
		else if (t)
			out[n++] = (unsigned char)(tone[t] - up);
	}
	return n;
}

static char clean[MAX_LINES][LINE_MAX_BYTES];

TEST(clean_vietnamese_corpus_gives_no_finding)
{
	int n = read_lines("tests/data/vietnamese-clean.txt", clean);
	int found = 0;

	ASSERT_MSG(n >= 100, "the corpus has %d lines; it should have 100 or more", n);
	for (int i = 0; i < n; i++) {
		struct ls_text_report r;
		char msg[512];
		memset(&r, 0, sizeof(r));
		ls_text_check(clean[i], &r);
		ls_text_report_describe(&r, msg, sizeof(msg));
		if (*msg) {
			fprintf(stderr, "  false finding on line %d \"%s\": %s\n", i + 1, clean[i],
				msg);
			found++;
		}
	}
	ASSERT_EQ_INT(found, 0);
}

enum kind { TCVN3, VNI, CP1258, DOUBLE_1252, DOUBLE_1258, N_KINDS };
static const char *const kind_name[N_KINDS] = {"TCVN3", "VNI", "CP1258", "double-1252",
					       "double-1258"};

/* TCVN3 has no ° “ ” … –: a document typed in a TCVN3 font keeps the
 * Windows-1252 symbols as they are, so those characters pass unchanged. */
static bool tcvn3_mojibake(const char *utf8, char *out)
{
	size_t len = strlen(utf8), at = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len;) {
		unsigned char b[16];
		char one[8];
		size_t k = ls_utf8_decode(utf8 + i, len - i, &(uint32_t){0}), n;
		memcpy(one, utf8 + i, k);
		one[k] = '\0';
		if (to_page("TCVN5712-1", one, b, &n))
			bytes_as("CP1252", b, n, out + at);
		else
			strcpy(out + at, one);
		at += strlen(out + at);
		i += k;
	}
	return strcmp(out, utf8) != 0;
}

/* Line i of the clean corpus as kind k's mojibake; false when it is unchanged. */
static bool mojibake(enum kind k, const char *utf8, char *out)
{
	unsigned char b[LINE_MAX_BYTES * 2];
	size_t n = 0;

	switch (k) {
	case TCVN3:
		return tcvn3_mojibake(utf8, out);
	case VNI:
		n = vni_encode(utf8, b);
		break;
	case CP1258:
		ASSERT(to_page("CP1258", utf8, b, &n));
		break;
	case DOUBLE_1252:
	case DOUBLE_1258:
		n = strlen(utf8);
		memcpy(b, utf8, n);
		break;
	default:
		return false;
	}
	bytes_as(k == DOUBLE_1258 ? "CP1258" : "CP1252", b, n, out);
	return strcmp(out, utf8) != 0;
}

static enum ls_legacy expected(enum kind k)
{
	return k == TCVN3    ? LS_LEGACY_TCVN3
	       : k == VNI    ? LS_LEGACY_VNI
	       : k == CP1258 ? LS_LEGACY_CP1258
			     : LS_LEGACY_DOUBLE;
}

/* Mojibake that is itself well-formed Vietnamese, letter by letter and
 * syllable by syllable, cannot be told from real text: VNI's "Sôn La" (Sơn La)
 * reads as a syllable "sôn". These are left out of the count, by name. */
static bool well_formed(const char *s)
{
	static const char *const list[] = {"S\xC3\xB4n La", "S\xC3\xB5n La"};

	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

TEST(every_mojibake_line_is_recognised_with_its_encoding)
{
	int n = read_lines("tests/data/vietnamese-clean.txt", clean);
	static char bad[LINE_MAX_BYTES * 3];
	int all_missed = 0, all_wrong = 0;

	for (int k = 0; k < N_KINDS; k++) {
		int tried = 0, missed = 0, wrong = 0;
		for (int i = 0; i < n; i++) {
			struct ls_text_report r;
			if (!mojibake((enum kind)k, clean[i], bad) || well_formed(bad))
				continue;
			tried++;
			memset(&r, 0, sizeof(r));
			ls_text_check(bad, &r);
			if (!r.legacy && missed++ < 3)
				fprintf(stderr, "  %s not recognised: \"%s\"\n", kind_name[k], bad);
			if (r.legacy && r.legacy != (int)expected((enum kind)k) && wrong++ < 3)
				fprintf(stderr, "  %s called %d: \"%s\"\n", kind_name[k], r.legacy,
					bad);
		}
		fprintf(stderr, "  %s: %d lines, %d missed, %d misnamed\n", kind_name[k], tried,
			missed, wrong);
		ASSERT(tried >= 100);
		all_missed += missed;
		all_wrong += wrong;
	}
	ASSERT_EQ_INT(all_missed, 0);
	ASSERT_EQ_INT(all_wrong, 0);
}

TEST(the_issue_examples_are_recognised)
{
	struct ls_text_report r;
	char msg[512];

	memset(&r, 0, sizeof(r));
	ls_text_check("B\xC2\xB6o hi\xC3\x93m x\xC2\xB7 h\xC3\xA9i", &r); /* B¶o hiÓm x· héi */
	ASSERT_EQ_INT(r.legacy, LS_LEGACY_TCVN3);
	ASSERT_EQ_INT(r.legacy_at, 2);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "TCVN3");
	ASSERT_CONTAINS(msg, "B\xC2\xB6o");
	ASSERT_CONTAINS(msg, "character 2");
}

TEST(control_characters_are_reported_with_their_position)
{
	struct ls_text_report r;
	char msg[512];

	memset(&r, 0, sizeof(r));
	ls_text_check("Vi\xE1\xBB\x87t T\x04NG", &r); /* TCVN3's "TỪNG" arrives as T\x04NG */
	ASSERT_EQ_INT(r.controls, 1);
	ASSERT_EQ_INT(r.first_control, 4);
	ASSERT_EQ_INT(r.first_control_at, 7);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "U+0004");
	ASSERT_CONTAINS(msg, "character 7");
	memset(&r, 0, sizeof(r));
	ls_text_check("tab\there\xC2\x85", &r); /* a tab and a C1 control */
	ASSERT_EQ_INT(r.controls, 2);
	ASSERT_EQ_INT(r.first_control_at, 4);
}

TEST(lookalikes_get_did_you_mean_and_are_not_tcvn3)
{
	struct ls_text_report r;
	char msg[512];

	memset(&r, 0, sizeof(r));
	ls_text_check("\xC3\x90\xE1\xBA\xA0I H\xE1\xBB\x8C"
		      "C \xC3\x90\xC3\x80 N\xE1\xBA\xB4NG",
		      &r); /* ÐẠI HỌC ÐÀ NẴNG with U+00D0 twice */
	ASSERT_EQ_INT(r.legacy, LS_LEGACY_NONE);
	ASSERT_EQ_INT(r.lookalikes, 2);
	ASSERT_EQ_INT(r.lookalike_cp, 0xD0);
	ASSERT_EQ_INT(r.lookalike_fix, 0x110);
	ASSERT_EQ_INT(r.lookalike_at, 1);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "did you mean '\xC4\x90' (U+0110)?");
	ASSERT_CONTAINS(msg, "character 1");

	memset(&r, 0, sizeof(r));
	ls_text_check("\xC3\xB0i\xE1\xBB\x83m", &r); /* ðiểm */
	ASSERT_EQ_INT(r.lookalike_fix, 0x111);

	memset(&r, 0, sizeof(r));
	ls_text_check("B\xD0\x90O HI\xE1\xBB\x82M", &r); /* Cyrillic А in BẢO */
	ASSERT_EQ_INT(r.lookalikes, 1);
	ASSERT_EQ_INT(r.lookalike_cp, 0x410);
	ASSERT_EQ_INT(r.lookalike_fix, 'A');
	ASSERT_EQ_INT(r.lookalike_at, 2);

	memset(&r, 0, sizeof(r));
	ls_text_check("Vi\xCE\xBF t", &r); /* Greek omicron in a Latin word */
	ASSERT_EQ_INT(r.lookalike_fix, 'o');

	memset(&r, 0, sizeof(r));
	ls_text_check("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 Hà Nội", &r); /* Москва */
	ASSERT_EQ_INT(r.lookalikes, 0); /* a Cyrillic word is Cyrillic, not a lookalike */
}

TEST(the_old_entry_point_agrees_with_the_check)
{
	char why[256];

	ASSERT(ls_text_looks_legacy("Ba\xC3\xBBo hie\xC3\xA5m", why, sizeof(why)));
	ASSERT_CONTAINS(why, "VNI");
	ASSERT(!ls_text_looks_legacy("\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng \xC3\x90i\xE1\xBB\x87n",
				     NULL, 0));
}

/* Khmer (written in Sóc Trăng and Trà Vinh), Lao, Thai and Arabic need shaping
 * that ledsign does not do: the report names the script and where it starts. */
TEST(scripts_that_need_shaping_are_named_with_their_position)
{
	static const struct {
		const char *text, *script;
		int at;
	} cases[] = {
	    {"S\xC3\xB3"
	     "c Tr\xC4\x83ng: "
	     "\xE1\x9E\x9F\xE1\x9E\xBD\xE1\x9E\x9F\xE1\x9F\x92\xE1\x9E\x8F\xE1\x9E\xB8",
	     "Khmer", 12},
	    {"\xE0\xBA\xAA\xE0\xBA\xB0\xE0\xBA\x9A\xE0\xBA\xB2\xE0\xBA\x8D\xE0\xBA\x94\xE0\xBA\xB5",
	     "Lao", 1},
	    {"ab \xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x94\xE0\xB8\xB5", "Thai",
	     4},
	    {"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "Arabic", 1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_text_report r;
		char msg[512];
		memset(&r, 0, sizeof(r));
		ls_text_check(cases[i].text, &r);
		ASSERT_MSG(r.unshaped &&
			       !strncmp(r.unshaped, cases[i].script, strlen(cases[i].script)),
			   "case %zu: %s", i, r.unshaped ? r.unshaped : "(none)");
		ASSERT_EQ_INT(r.unshaped_at, cases[i].at);
		ls_text_report_describe(&r, msg, sizeof(msg));
		ASSERT_CONTAINS(msg, "unshaped");
		ASSERT_CONTAINS(msg, cases[i].script);
	}
}
