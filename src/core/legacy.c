/*
 * legacy.c: spotting Vietnamese text that arrived in a legacy 8-bit encoding.
 * TCVN3 (ABC) and VNI still circulate in offices; read as Latin-1 or
 * Windows-1252 and saved as UTF-8 they become valid but unreadable text
 * ("B¶o hiÓm x· héi", "Baûo hieåm xaõ hoäi"), and UTF-8 read as Windows-1252
 * becomes "Báº£o hiá»ƒm". Valid UTF-8 cannot be rejected for this, so the
 * validator warns. The test is a heuristic over characters that real
 * Vietnamese text never contains; it is pure (no I/O, no state).
 */
#include <stdio.h>
#include <string.h>

#include "ledsign/text.h"
#include "ledsign/utf8.h"

/* Windows-1252 characters for bytes 0x80..0x9F, so a code point can be turned
 * back into the byte it was decoded from. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,	    0x017D, 0,	    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178,
};

/* The byte cp stands for when text was decoded as Windows-1252 or Latin-1;
 * -1 for code points no single byte decodes to. */
static int byte_of(uint32_t cp)
{
	if (cp < 0x100)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Latin-1 characters that Vietnamese never uses but TCVN3 and VNI bytes
 * decode to (TCVN3 "¶" is ả, VNI "û" is the hook above). */
static bool never_vietnamese(uint32_t cp)
{
	static const char strong[] = "\xA1\xA2\xA3\xA4\xA5\xA6\xA8\xAA\xAC\xAD\xAF\xB4\xB5\xB6\xB8"
				     "\xB9\xBA\xBF\xC4\xC5\xC6\xC7\xCB\xCE\xCF\xD0\xD1\xD6\xD8\xDB"
				     "\xDC\xDE\xDF\xE4\xE5\xE6\xE7\xEB\xEE\xEF\xF0\xF1\xF6\xF8\xFB"
				     "\xFC\xFE\xFF";

	if (cp >= 0x80 && cp <= 0x9F)
		return true; /* C1 controls: bytes read as ISO 8859-1 */
	if (cp >= 0x100)
		return byte_of(cp) >= 0x80 && cp != 0x2026 && cp != 0x2013 && cp != 0x2014 &&
		       (cp < 0x2018 || cp > 0x201D) && cp != 0x2022 && cp != 0x20AC && cp != 0x2122;
	return cp >= 0xA1 && strchr(strong, (int)cp) != NULL;
}

/* Symbols real text uses (© « ° ·) that TCVN3 also produces for â ô đ ã:
 * suspicious only straight after a letter, as in "x·" for "xã". */
static bool symbol_after_letter(uint32_t cp, uint32_t prev)
{
	static const char weak[] = "\xA7\xA9\xAB\xAE\xB0\xB1\xB2\xB3\xB7\xBB\xBC\xBD\xBE\xD7\xF7";
	bool letter = (prev | 0x20) >= 'a' && (prev | 0x20) <= 'z';

	letter = letter || (prev >= 0xC0 && prev <= 0xFF && prev != 0xD7 && prev != 0xF7);
	return letter && cp >= 0xA7 && cp <= 0xF7 && strchr(weak, (int)cp) != NULL;
}

static bool ascii_vowel(uint32_t cp)
{
	return cp < 0x80 && strchr("aeiouyAEIOUY", (int)cp) && cp;
}

/* Letters only Vietnamese writes (ă đ ĩ ũ ơ ư and U+1EA0..U+1EF9): their
 * presence means at least part of the text is proper Unicode. */
static bool vietnamese_only(uint32_t cp)
{
	return (cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x102 || cp == 0x103 || cp == 0x110 ||
	       cp == 0x111 || cp == 0x128 || cp == 0x129 || cp == 0x168 || cp == 0x169 ||
	       cp == 0x1A0 || cp == 0x1A1 || cp == 0x1AF || cp == 0x1B0;
}

/* When the code points at s, turned back into bytes, form one multi-byte
 * UTF-8 sequence ("Ã¡" is "á" decoded twice), returns how many bytes of s
 * they take; otherwise 0. */
static size_t double_encoded(const char *s, size_t len)
{
	unsigned char bytes[4];
	size_t i = 0, k;
	uint32_t cp;

	for (k = 0; k < 4 && i < len; k++) {
		i += ls_utf8_decode(s + i, len - i, &cp);
		int b = byte_of(cp);
		if (b < 0)
			return 0;
		bytes[k] = (unsigned char)b;
		if (k == 0 && (b < 0xC2 || b > 0xF4))
			return 0;
		if (k > 0 && (b < 0x80 || b > 0xBF))
			return 0;
		size_t need = bytes[0] >= 0xF0 ? 4 : bytes[0] >= 0xE0 ? 3 : 2;
		if (k + 1 == need)
			return ls_utf8_decode((const char *)bytes, need, &cp) == need ? i : 0;
	}
	return 0;
}

struct evidence {
	int tcvn, vni, dbl, genuine;
	size_t first; /* byte offset of the first suspicious character */
	bool found;
};

static void weigh(const char *s, size_t len, struct evidence *e)
{
	uint32_t prev = ' ', cp;

	for (size_t i = 0; i < len; prev = cp) {
		size_t at = i, dbl = double_encoded(s + i, len - i);
		i += ls_utf8_decode(s + i, len - i, &cp);
		if (dbl)
			i = at + dbl; /* the rest of the sequence is the same evidence */
		bool strong = never_vietnamese(cp);
		e->genuine += vietnamese_only(cp);
		if (!dbl && !strong && !symbol_after_letter(cp, prev))
			continue;
		if (dbl)
			e->dbl++;
		else if (strong && ascii_vowel(prev))
			e->vni++;
		else
			e->tcvn++;
		if (!e->found)
			e->first = at, e->found = true;
	}
}

/* Copies the word around offset at (a few code points either side) into out. */
static void excerpt(const char *s, size_t len, size_t at, char *out, size_t n)
{
	size_t from = at, to = at;
	uint32_t cp;

	for (int k = 0; k < 12 && from > 0 && s[from - 1] != ' '; k++)
		while (from > 0 && ((unsigned char)s[--from] & 0xC0) == 0x80)
			;
	for (int k = 0; k < 12 && to < len && s[to] != ' '; k++)
		to += ls_utf8_decode(s + to, len - to, &cp);
	snprintf(out, n, "%.*s", (int)(to - from), s + from);
}

bool ls_text_looks_legacy(const char *utf8, char *why, size_t n)
{
	size_t len = strlen(utf8);
	struct evidence e = {0};
	char word[96];

	weigh(utf8, len, &e);
	int total = e.tcvn + e.vni + e.dbl;
	if (total < 2 && !(total == 1 && !e.genuine))
		return false;
	if (why && n) {
		excerpt(utf8, len, e.first, word, sizeof(word));
		const char *kind = e.dbl >= e.tcvn + e.vni
				       ? "UTF-8 that was read as Windows-1252 and saved again"
				   : e.vni > e.tcvn ? "VNI bytes read as Latin-1"
						    : "TCVN3 (ABC) bytes read as Latin-1";
		snprintf(
		    why, n,
		    "text looks like %s (\"%s\" at byte %zu, %d suspicious characters); "
		    "convert the source to Unicode (e.g. Unikey's converter) and save it as UTF-8",
		    kind, word, e.first, total);
	}
	return true;
}
