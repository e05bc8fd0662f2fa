/*
 * test_utf8.c: the spec of UTF-8 handling. Decoding is checked against
 * utf8proc (an independent implementation) over every 1-, 2- and 3-byte
 * sequence, malformed input is fed from buffers allocated to its exact length
 * (so ASan catches any over-read), and NFC is checked on Vietnamese text
 * typed in decomposed form.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "harness.h"
#include "ledsign/utf8.h"

/* A heap copy of exactly len bytes, no terminator, so reading s[len] is an
 * ASan error. */
static char *exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);
	ASSERT(p);
	memcpy(p, s, len);
	return p;
}

/* Decodes all of s[0..len) and counts the code points, and the U+FFFDs. */
static size_t decode_all(const char *s, size_t len, size_t *fffd)
{
	size_t i = 0, n = 0;
	uint32_t cp;

	*fffd = 0;
	while (i < len) {
		size_t k = ls_utf8_decode(s + i, len - i, &cp);
		ASSERT(k >= 1 && k <= len - i);
		*fffd += cp == LS_REPLACEMENT_CHAR;
		i += k;
		n++;
	}
	return n;
}

TEST(decodes_vietnamese_and_four_byte_sequences)
{
	const char *s = "\xE1\xBB\x87"
			"\xC4\x91"
			"a"
			"\xF0\x9F\x98\x80"; /* ệ đ a 😀 */
	uint32_t want[] = {0x1EC7, 0x111, 'a', 0x1F600}, cp;
	size_t len = strlen(s), i = 0;
	char *p = exact(s, len);

	for (int k = 0; k < 4; k++) {
		i += ls_utf8_decode(p + i, len - i, &cp);
		ASSERT_EQ_INT(cp, want[k]);
	}
	ASSERT_EQ_INT(i, len);
	free(p);
}

TEST(malformed_input_becomes_one_fffd_per_maximal_subpart_without_over_reading)
{
	static const struct {
		const char *bytes;
		size_t len, fffd, valid_prefix;
	} cases[] = {
	    {"a\xE1\xBA", 3, 1, 1},	   /* truncated 3-byte sequence at the end */
	    {"a\xC3", 2, 1, 1},		   /* truncated 2-byte */
	    {"\xF0\x9F\x98", 3, 1, 0},	   /* truncated 4-byte */
	    {"\xC0\xAF", 2, 2, 0},	   /* overlong '/' */
	    {"\xE0\x80\xAF", 3, 3, 0},	   /* overlong, 3 bytes */
	    {"\xF0\x80\x80\xAF", 4, 4, 0}, /* overlong, 4 bytes */
	    {"x\xED\xA0\x80", 4, 3, 1},	   /* UTF-16 surrogate D800 */
	    {"\xED\xBF\xBF", 3, 3, 0},	   /* surrogate DFFF */
	    {"ab\xFF", 3, 1, 2},	   /* 0xFF never appears in UTF-8 */
	    {"\xFE\xFF", 2, 2, 0},
	    {"\x80\xBF", 2, 2, 0},	   /* stray continuation bytes */
	    {"\xF4\x90\x80\x80", 4, 4, 0}, /* past U+10FFFF */
	    {"\xE1\xBA"
	     "a",
	     3, 1, 0}, /* cut short by an ASCII byte */
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *p = exact(cases[c].bytes, cases[c].len);
		size_t fffd, bad = 99;
		decode_all(p, cases[c].len, &fffd);
		ASSERT_MSG(fffd == cases[c].fffd, "case %zu: %zu U+FFFD, want %zu", c, fffd,
			   cases[c].fffd);
		ASSERT(!ls_utf8_valid(p, cases[c].len, &bad));
		ASSERT_EQ_INT(bad, cases[c].valid_prefix);
		free(p);
	}
}

TEST(a_real_replacement_character_is_valid)
{
	size_t bad = 7;

	ASSERT(ls_utf8_valid("x\xEF\xBF\xBDy", 5, &bad));
	ASSERT_EQ_INT(bad, 7);
}

/* Checks one byte sequence against utf8proc: the same validity and, when
 * valid, the same code point in one step. */
static void agree_with_utf8proc(const unsigned char *b, size_t len)
{
	utf8proc_int32_t ref;
	utf8proc_ssize_t rn = utf8proc_iterate(b, (utf8proc_ssize_t)len, &ref);
	uint32_t cp;
	size_t n = ls_utf8_decode((const char *)b, len, &cp);
	bool ours = ls_utf8_valid((const char *)b, len, NULL);
	bool theirs = rn == (utf8proc_ssize_t)len;

	if (ours != theirs || (ours && (n != len || cp != (uint32_t)ref)))
		th_fail(__FILE__, __LINE__, "%02X %02X %02X: ours valid=%d cp=%X, utf8proc %d %X",
			b[0], len > 1 ? b[1] : 0, len > 2 ? b[2] : 0, ours, (unsigned)cp, theirs,
			(unsigned)ref);
}

TEST(agrees_with_utf8proc_on_every_two_and_three_byte_sequence)
{
	unsigned char b[3];

	for (int x = 0x80; x < 0x100; x++) {
		b[0] = (unsigned char)x;
		for (int y = 0; y < 0x100; y++) {
			b[1] = (unsigned char)y;
			agree_with_utf8proc(b, 2);
			if (x < 0xE0 || x > 0xEF)
				continue;
			for (int z = 0x80; z < 0xC0; z++) {
				b[2] = (unsigned char)z;
				agree_with_utf8proc(b, 3);
			}
		}
	}
}

TEST(nfc_composes_decomposed_vietnamese)
{
	/* "Việt" as e + circumflex + dot below, and with the marks the other
	 * way round: both are canonically the same letter. */
	char *a = ls_utf8_nfc("Vie\xCC\x82\xCC\xA3t", 8);
	char *b = ls_utf8_nfc("Vie\xCC\xA3\xCC\x82t", 8);

	ASSERT_EQ_STR(a, "Vi\xE1\xBB\x87t");
	ASSERT_EQ_STR(b, "Vi\xE1\xBB\x87t");
	free(a);
	free(b);
}

TEST(nfc_replaces_invalid_bytes_and_stops_at_len)
{
	char *p = exact("\xFF"
			"a\xE1\xBA"
			"b",
			5);
	char *out = ls_utf8_nfc(p, 4); /* "b" is past len */

	ASSERT_EQ_STR(out, "\xEF\xBF\xBD"
			   "a\xEF\xBF\xBD");
	free(out);
	free(p);
}

TEST(a_code_point_is_encoded_as_a_small_value_and_a_non_code_point_as_nothing)
{
	ASSERT_EQ_STR(ls_utf8_char('A').s, "A");
	ASSERT_EQ_STR(ls_utf8_char(0x1EC7).s, "ệ");
	ASSERT_EQ_STR(ls_utf8_char(0x20AB).s, "₫");
	ASSERT_EQ_STR(ls_utf8_char(0x1F600).s, "\xF0\x9F\x98\x80");
	ASSERT_EQ_STR(ls_utf8_char(0x110000).s, "");
}

TEST(characters_are_counted_by_letters_not_bytes)
{
	ASSERT_EQ_INT(ls_utf8_count(""), 0);
	ASSERT_EQ_INT(ls_utf8_count("TO"), 2);
	ASSERT_EQ_INT(ls_utf8_count("ĐẾN"), 3);
	ASSERT_EQ_INT(ls_utf8_count("Bảo hiểm xã hội"), 15);
}
