/*
 * legacy.c: what the text itself shows, whatever the font: a legacy 8-bit
 * encoding, control characters and lookalike letters (ls_text_check()).
 *
 * TCVN3 (ABC), VNI and Windows-1258 still circulate in offices; read as
 * Windows-1252 and saved as UTF-8 they become valid but unreadable text
 * ("B¶o hiÓm x· héi", "Baûo hieåm xaõ hoäi", "BaÒo hiêÒm xaÞ hôòi"), and
 * UTF-8 read as Windows-1252 or -1258 becomes "Báº£o hiá»ƒm". Valid UTF-8
 * cannot be refused for this, so the text report warns. The test is a
 * heuristic over characters and pairs that real Vietnamese never contains
 * (tests/test_legacy.c holds it to no finding on a clean corpus and every
 * line of its mojibake recognised). Pure: no I/O, no state.
 */
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/text.h"
#include "ledsign/utf8.h"

/* Windows-1252 and Windows-1258 characters for bytes 0x80..0x9F and, for
 * 1258, the bytes where it differs from Latin-1 above 0xBF, so a code point
 * can be turned back into the byte it was decoded from. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,	    0x017D, 0,	    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178,
};
static const struct {
	uint8_t byte;
	uint16_t cp;
} cp1258_diff[] = {
    {0xC3, 0x0102}, {0xCC, 0x0300}, {0xD0, 0x0110}, {0xD2, 0x0309}, {0xD5, 0x01A0},
    {0xDD, 0x01AF}, {0xDE, 0x0303}, {0xE3, 0x0103}, {0xEC, 0x0301}, {0xF0, 0x0111},
    {0xF2, 0x0323}, {0xF5, 0x01A1}, {0xFD, 0x01B0}, {0xFE, 0x20AB},
};

/* The byte cp stands for when text was decoded as Windows-1252 (page 0) or
 * Windows-1258 (page 1), Latin-1 filling the gaps; -1 for code points no
 * single byte decodes to. */
static int byte_of(uint32_t cp, int page)
{
	if (page == 1) {
		for (size_t i = 0; i < sizeof(cp1258_diff) / sizeof(cp1258_diff[0]); i++) {
			if (cp1258_diff[i].cp == cp)
				return cp1258_diff[i].byte;
			if (cp1258_diff[i].byte == cp)
				return -1; /* this Latin-1 letter is not in 1258 */
		}
	}
	if (cp < 0x100)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Latin-1 characters that Vietnamese never uses but TCVN3 and VNI bytes
 * decode to (TCVN3 "¶" is ả, VNI "û" is the hook above). Ð and ð are not
 * among them: they are lookalikes of Đ and đ, typed by hand. */
static bool never_vietnamese(uint32_t cp)
{
	static const char strong[] = "\xA1\xA2\xA3\xA4\xA5\xA6\xA8\xAA\xAC\xAD\xAF\xB4\xB5\xB6\xB8"
				     "\xB9\xBA\xBF\xC4\xC5\xC6\xC7\xCB\xCE\xCF\xD1\xD6\xD8\xDB"
				     "\xDC\xDE\xDF\xE4\xE5\xE6\xE7\xEB\xEE\xEF\xF1\xF6\xF8\xFB"
				     "\xFC\xFE\xFF";

	if ((cp >= 0x01 && cp <= 0x1F && cp != '\t' && cp != '\n' && cp != '\r') ||
	    (cp >= 0x80 && cp <= 0x9F))
		return true; /* TCVN3 capitals on C0 bytes; C1 bytes read as Latin-1 */
	if (cp >= 0x100)
		return byte_of(cp, 0) >= 0x80 && cp != 0x2026 && cp != 0x2013 && cp != 0x2014 &&
		       (cp < 0x2018 || cp > 0x201D) && cp != 0x2022 && cp != 0x20AC && cp != 0x2122;
	return cp >= 0xA1 && strchr(strong, (int)cp) != NULL;
}

static bool latin_letter(uint32_t cp)
{
	return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Symbols real text uses (© « ° ·) that TCVN3 also produces for â ô đ ã:
 * suspicious only straight after a letter, as in "x·" for "xã". Punctuation
 * that TCVN3 puts capitals on ("H–C" for HỌC) is suspicious between letters. */
static bool symbol_after_letter(uint32_t cp, uint32_t prev, uint32_t next)
{
	static const char weak[] = "\xA7\xA9\xAB\xAE\xB0\xB1\xB2\xB3\xB7\xBB\xBC\xBD\xBE\xD7\xF7";
	bool letter = (prev | 0x20) >= 'a' && (prev | 0x20) <= 'z';

	letter = letter || (prev >= 0xC0 && prev <= 0xFF && prev != 0xD7 && prev != 0xF7);
	if (letter && cp >= 0xA7 && cp <= 0xF7 && strchr(weak, (int)cp) != NULL)
		return true;
	return (cp == 0x2013 || cp == 0x2014 || cp == 0x2018 || cp == 0x201C || cp == 0x201D ||
		cp == 0x2022 || cp == 0x2026 || cp == 0x20AC || cp == 0x2122) &&
	       letter && latin_letter(next);
}

static bool ascii_vowel(uint32_t cp)
{
	return cp < 0x80 && strchr("aeiouyAEIOUY", (int)cp) && cp;
}

/* Pairs TCVN3 makes of letters that look Vietnamese alone: a Latin-1 capital
 * straight after a small letter ("HuÕ" for Huế) and ã before a or e ("Hãa"
 * for Hóa), which no Vietnamese word has ("bão", "mãi", "hãy" do occur). */
static bool tcvn3_pair(uint32_t prev, uint32_t cp, uint32_t next)
{
	if (prev >= 'a' && prev <= 'z' && cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return true;
	return cp == 0xE3 && ((next | 0x20) == 'a' || (next | 0x20) == 'e');
}

/* VNI writes a circumflex or breve, with its tone, or a tone alone as a byte
 * after the vowel: "eâ" is ê, "aø" is à, "oá" is ố; ư ơ đ are the single
 * bytes ö ô ñ, a tone byte after them ("töøng"), ĩ is ó ("Vónh"). A Vietnamese
 * word never has these pairs (it has "oà", "uâ", "uê", "oè", "quá", "tôn" ...). */
static bool vni_pair(uint32_t prev, uint32_t cp, uint32_t next, uint32_t next2)
{
	static const char after_ae[] = "\xE2\xE0\xE1\xE5\xE3\xE4\xEA\xE8\xE9\xFA\xFC\xEB\xF8\xF9"
				       "\xFB\xF5\xEF";
	static const char after_o[] = "\xE2\xE5\xE3\xE4\xEA\xFA\xFC\xEB\xF8\xF9\xFB\xF5\xEF";
	static const char after_iuy[] = "\xE5\xE4\xFA\xFC\xEB\xF8\xF9\xFB\xF5\xEF";
	uint32_t p = prev | 0x20, c = cp;

	if (cp < 0xC0 || cp > 0xFF)
		return false;
	if ((cp | 0x20) == 0xF6 || (cp | 0x20) == 0xF4) /* ö ô are ư ơ: a tone or ơ follows */
		return next >= 0xC0 &&
		       strchr("\xF8\xF9\xFB\xF5\xEF\xF4\xD8\xD9\xDB\xD5\xCF\xD4", (int)next);
	if ((cp | 0x20) == 0xF1) /* ñ is đ: a word starts with it, before a vowel */
		return !latin_letter(prev) && (ascii_vowel(next) || (next | 0x20) == 0xF6) &&
		       (next | 0x20) != 'y';
	if (strchr("\xF3\xF2\xE6", (int)(cp | 0x20)) && (next | 0x20) == 'n' &&
	    (next2 | 0x20) == 'h')
		return true; /* ó ò æ are ĩ ị ỉ: "Vónh", "ñònh", "tænh" (no word has "ónh") */
	if ((prev | 0x20) == 0xF6 || (prev | 0x20) == 0xF4)
		return strchr("\xF8\xF9\xFB\xF5\xEF\xF4", (int)(cp | 0x20)) != NULL;
	if (!ascii_vowel(prev))
		return false;
	if (prev < 'a' && c >= 0xC0 && c <= 0xDF)
		c |= 0x20; /* VNI's capitals follow capitals */
	if (p == 'a' || p == 'e')
		return strchr(after_ae, (int)c) != NULL;
	return strchr(p == 'o' ? after_o : after_iuy, (int)c) != NULL;
}

/* Windows-1258 writes tones as combining bytes after the vowel, which read as
 * Windows-1252 are Ì Ò Þ ì ò ("BaÒo"). After â ê ô (themselves one byte in
 * 1258 and in Latin-1) or ã õ ý (1258's ă ơ ư) nothing else can be meant;
 * after a plain vowel TCVN3 also fits (its "iÒ" is iề), so that counts for
 * 1258 only where TCVN3 has no other evidence. "quì" is an old spelling. */
static int cp1258_tone(uint32_t prev2, uint32_t prev, uint32_t cp, uint32_t next, uint32_t next2)
{
	static const char tone[] = "\xCC\xD2\xDE\xEC\xF2";
	static const char vowel[] = "\xE2\xEA\xF4\xC2\xCA\xD4\xE3\xF5\xFD\xC3\xD5\xDD";

	if ((cp | 0x20) == 0xFD) /* ý is 1258's ư: "Hýng", "ngýõi", "ýa" (Vietnamese has "quýt") */
		return next == 0xF5 || next == 0xD5 ||
			       (next < 0x80 && strchr("aeiouAEIOUmM", (int)next) && next) ||
			       ((next | 0x20) == 'n' && (next2 | 0x20) == 'g')
			   ? 2
			   : 0;
	if (cp < 0xC0 || cp > 0xFF || !strchr(tone, (int)cp))
		return 0;
	if (prev >= 0xC0 && prev <= 0xFF && strchr(vowel, (int)prev))
		return 2;
	if ((prev | 0x20) == 'u' && (prev2 | 0x20) == 'q')
		return 0;
	return ascii_vowel(prev) ? 1 : 0;
}

/* Letters only Vietnamese writes (ă đ ĩ ũ ơ ư and U+1EA0..U+1EF9): their
 * presence means at least part of the text is proper Unicode. */
static bool vietnamese_only(uint32_t cp)
{
	return (cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x102 || cp == 0x103 || cp == 0x110 ||
	       cp == 0x111 || cp == 0x128 || cp == 0x129 || cp == 0x168 || cp == 0x169 ||
	       cp == 0x1A0 || cp == 0x1A1 || cp == 0x1AF || cp == 0x1B0;
}

/* When the code points at s, turned back into bytes of one code page, form
 * one multi-byte UTF-8 sequence ("Ã¡" is "á" decoded twice), returns how
 * many bytes of s they take; otherwise 0. */
static size_t double_encoded_in(const char *s, size_t len, int page)
{
	unsigned char bytes[4];
	size_t i = 0, k;
	uint32_t cp;

	for (k = 0; k < 4 && i < len; k++) {
		i += ls_utf8_decode(s + i, len - i, &cp);
		int b = byte_of(cp, page);
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

static size_t double_encoded(const char *s, size_t len)
{
	size_t k = double_encoded_in(s, len, 0);

	return k ? k : double_encoded_in(s, len, 1);
}

struct evidence {
	int tcvn, vni, cp1258, cp1258_maybe, dbl, genuine;
	size_t first; /* byte offset of the first suspicious character */
	int first_at; /* its 1-based character position */
	bool found;
};

/* Which kind of evidence code point cp (at byte at, character pos) gives. */
static void weigh_one(struct evidence *e, const uint32_t win[5], size_t dbl, size_t at, int pos)
{
	uint32_t prev2 = win[0], prev = win[1], cp = win[2], next = win[3], next2 = win[4];
	int t1258 = dbl ? 0 : cp1258_tone(prev2, prev, cp, next, next2);

	e->genuine += !dbl && vietnamese_only(cp); /* 1258's Ă in "CĂ " is evidence, not proof */
	if (dbl)
		e->dbl++;
	else if (t1258 == 2)
		e->cp1258++;
	else if (t1258 == 1)
		e->cp1258_maybe++;
	else if (vni_pair(prev, cp, next, next2))
		e->vni++;
	else if (never_vietnamese(cp) || symbol_after_letter(cp, prev, next) ||
		 tcvn3_pair(prev, cp, next))
		e->tcvn++;
	else
		return;
	if (!e->found)
		e->first = at, e->first_at = pos, e->found = true;
}

static void weigh(const char *s, size_t len, struct evidence *e)
{
	uint32_t win[5] = {' ', ' ', ' ', ' ', ' '};
	size_t i = 0;
	int pos = 0;

	while (i < len) {
		size_t at = i, dbl = double_encoded(s + i, len - i), k = 0;
		i += ls_utf8_decode(s + i, len - i, &win[2]);
		pos++;
		win[3] = win[4] = ' ';
		if (i < len)
			k = ls_utf8_decode(s + i, len - i, &win[3]);
		if (i + k < len)
			ls_utf8_decode(s + i + k, len - i - k, &win[4]);
		if (dbl) { /* the rest of the sequence is the same evidence */
			for (size_t j = i; j < at + dbl;
			     j += ls_utf8_decode(s + j, len - j, &win[3]))
				pos++;
			i = at + dbl;
		}
		weigh_one(e, win, dbl, at, pos);
		win[0] = win[1];
		win[1] = win[2];
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
	while (to - from >= n) /* cut on a character boundary */
		while (to > from && ((unsigned char)s[--to] & 0xC0) == 0x80)
			;
	snprintf(out, n, "%.*s", (int)(to - from), s + from);
}

/* The kind the evidence points to, or LS_LEGACY_NONE when it is too thin:
 * one suspicious character is enough only in a text with no letter that
 * only proper Unicode Vietnamese has. */
static enum ls_legacy verdict(struct evidence *e)
{
	int tcvn = e->tcvn, c1258 = e->cp1258;

	if (c1258 > 0 || !tcvn)
		c1258 += e->cp1258_maybe; /* "iÒ" is 1258's ỉ unless TCVN3 is seen */
	else
		tcvn += e->cp1258_maybe;
	int total = tcvn + e->vni + c1258 + e->dbl;
	if (total < 2 && !(total == 1 && !e->genuine))
		return LS_LEGACY_NONE;
	if (e->dbl >= tcvn + e->vni + c1258)
		return LS_LEGACY_DOUBLE;
	if (c1258 >= tcvn && c1258 >= e->vni)
		return LS_LEGACY_CP1258;
	e->tcvn = tcvn;
	return e->vni && e->vni >= tcvn ? LS_LEGACY_VNI : LS_LEGACY_TCVN3;
}

static void check_legacy(const char *s, size_t len, struct ls_text_report *r)
{
	struct evidence e = {0};

	weigh(s, len, &e);
	r->legacy = (int)verdict(&e);
	if (!r->legacy)
		return;
	r->legacy_at = e.first_at;
	r->legacy_count = e.tcvn + e.vni + e.cp1258 + e.cp1258_maybe + e.dbl;
	excerpt(s, len, e.first, r->legacy_word, sizeof(r->legacy_word));
}

/* The letter a lookalike stands for, or 0. Ð/ð (Icelandic eth) and Ɖ/ɖ
 * (African D) are typed for Đ/đ; Cyrillic and Greek capitals and small
 * letters that look Latin count only inside a word with Latin letters. */
static uint32_t lookalike_of(uint32_t cp)
{
	static const struct {
		uint16_t cp, latin;
	} map[] = {
	    {0x00D0, 0x0110}, {0x00F0, 0x0111}, {0x0189, 0x0110}, {0x0256, 0x0111}, {0x0410, 'A'},
	    {0x0412, 'B'},    {0x0415, 'E'},	{0x041A, 'K'},	  {0x041C, 'M'},    {0x041D, 'H'},
	    {0x041E, 'O'},    {0x0420, 'P'},	{0x0421, 'C'},	  {0x0422, 'T'},    {0x0425, 'X'},
	    {0x0430, 'a'},    {0x0435, 'e'},	{0x043E, 'o'},	  {0x0440, 'p'},    {0x0441, 'c'},
	    {0x0443, 'y'},    {0x0445, 'x'},	{0x0456, 'i'},	  {0x0458, 'j'},    {0x0405, 'S'},
	    {0x0455, 's'},    {0x0406, 'I'},	{0x0391, 'A'},	  {0x0392, 'B'},    {0x0395, 'E'},
	    {0x0396, 'Z'},    {0x0397, 'H'},	{0x0399, 'I'},	  {0x039A, 'K'},    {0x039C, 'M'},
	    {0x039D, 'N'},    {0x039F, 'O'},	{0x03A1, 'P'},	  {0x03A4, 'T'},    {0x03A5, 'Y'},
	    {0x03A7, 'X'},    {0x03BF, 'o'},	{0x03BD, 'v'},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].cp == cp)
			return map[i].latin;
	return 0;
}

static bool script_lookalike(uint32_t cp)
{
	return cp >= 0x370 && cp < 0x530;
}

/* Whether the word (between spaces) around byte offset at of s has a Latin letter. */
static bool word_has_latin(const char *s, size_t len, size_t at)
{
	size_t from = at, to = at;
	uint32_t cp;

	while (from > 0 && s[from - 1] != ' ')
		from--;
	while (to < len && s[to] != ' ')
		to++;
	for (size_t i = from; i < to;) {
		i += ls_utf8_decode(s + i, to - i, &cp);
		if (cp < 0x250 && latin_letter(cp))
			return true;
	}
	return false;
}

static void note_lookalike(struct ls_text_report *r, uint32_t cp, uint32_t fix, int pos)
{
	if (!r->lookalikes++) {
		r->lookalike_cp = cp;
		r->lookalike_fix = fix;
		r->lookalike_at = pos;
	}
}

/* The script of cp when it needs shaping that ledsign does not do (letters
 * reordered, stacked or joined, or written right to left), else NULL. */
static const char *needs_shaping(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
		const char *name;
	} scripts[] = {
	    {0x0590, 0x05FF, "Hebrew (right to left)"},
	    {0x0600, 0x06FF, "Arabic (joined, right to left)"},
	    {0x0750, 0x077F, "Arabic (joined, right to left)"},
	    {0x0900, 0x0DFF, "Indic"},
	    {0x0E00, 0x0E7F, "Thai"},
	    {0x0E80, 0x0EFF, "Lao"},
	    {0x0F00, 0x0FFF, "Tibetan"},
	    {0x1000, 0x109F, "Myanmar"},
	    {0x1780, 0x17FF, "Khmer"},
	    {0x19E0, 0x19FF, "Khmer"},
	    {0xFB1D, 0xFB4F, "Hebrew (right to left)"},
	    {0xFB50, 0xFDFF, "Arabic (joined, right to left)"},
	    {0xFE70, 0xFEFF, "Arabic (joined, right to left)"},
	};

	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		if (cp >= scripts[i].lo && cp <= scripts[i].hi)
			return cp == 0xFEFF ? NULL : scripts[i].name;
	return NULL;
}

/* Walks the text for control characters, lookalikes and scripts that need shaping. */
static void check_chars(const char *s, size_t len, struct ls_text_report *r)
{
	size_t i = 0;

	for (int pos = 1; i < len; pos++) {
		size_t at = i;
		uint32_t cp, fix;
		i += ls_utf8_decode(s + i, len - i, &cp);
		if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CC &&
		    !r->controls++) {
			r->first_control = cp;
			r->first_control_at = pos;
		}
		if (!r->unshaped && (r->unshaped = needs_shaping(cp)))
			r->unshaped_at = pos;
		fix = lookalike_of(cp);
		if (fix && (!script_lookalike(cp) || word_has_latin(s, len, at)))
			note_lookalike(r, cp, fix, pos);
	}
}

void ls_text_check(const char *utf8, struct ls_text_report *r)
{
	size_t len = strlen(utf8);

	r->legacy = LS_LEGACY_NONE;
	r->controls = r->lookalikes = 0;
	r->unshaped = NULL;
	check_legacy(utf8, len, r);
	check_chars(utf8, len, r);
}

const char *ls_legacy_name(int kind)
{
	switch (kind) {
	case LS_LEGACY_TCVN3:
		return "TCVN3 (ABC) bytes read as Windows-1252";
	case LS_LEGACY_VNI:
		return "VNI bytes read as Windows-1252";
	case LS_LEGACY_CP1258:
		return "Windows-1258 bytes read as Windows-1252";
	case LS_LEGACY_DOUBLE:
		return "UTF-8 that was read as Windows-1252 or -1258 and saved again";
	default:
		return "Unicode";
	}
}

bool ls_text_looks_legacy(const char *utf8, char *why, size_t n)
{
	struct ls_text_report r;

	memset(&r, 0, sizeof(r));
	check_legacy(utf8, strlen(utf8), &r);
	if (!r.legacy)
		return false;
	if (why && n)
		snprintf(why, n,
			 "text looks like %s (\"%s\" at character %d, %d suspicious characters); "
			 "convert the source to Unicode (e.g. Unikey's converter) and save it as "
			 "UTF-8",
			 ls_legacy_name(r.legacy), r.legacy_word, r.legacy_at, r.legacy_count);
	return true;
}
