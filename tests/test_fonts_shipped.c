/*
 * test_fonts_shipped.c: the spec of the bitmap font the project ships,
 * fonts/ledsign16.bdf, read through FreeType exactly as the renderer reads it.
 * Every Vietnamese letter and every printable ASCII character must have its
 * own glyph, drawn wholly inside the 16-row line (no clipped marks), with
 * capitals taller than GNU Unifont's 10 rows, stacked marks above the cap
 * height and the dot below under the baseline.
 *
 * The 134 letters are derived here from the alphabet (12 vowels x 5 tones,
 * the 6 modified vowels and d with stroke, in both cases) through Unicode
 * NFC, not copied from the font's source.
 */
#include <ctype.h>
#include <limits.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "harness.h"

#define LINE_ROWS 16
#define MAX_LETTERS 160

/* The 12 Vietnamese vowels: an ASCII letter and an optional modifier. */
static const struct {
	char base;
	uint32_t modifier;
} vowels[] = {
    {'a', 0}, {'a', 0x306}, {'a', 0x302}, {'e', 0}, {'e', 0x302}, {'i', 0},
    {'o', 0}, {'o', 0x302}, {'o', 0x31B}, {'u', 0}, {'u', 0x31B}, {'y', 0},
};
/* No tone, then grave, acute, hook above, tilde, dot below. */
static const uint32_t tones[] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};
enum { TONE_NONE, TONE_GRAVE, TONE_ACUTE, TONE_HOOK, TONE_TILDE, TONE_DOT, N_TONES };

struct letter {
	uint32_t cp;
	int capital;
	int modified; /* has a hat, breve or horn */
	int tone;     /* index into tones[] */
};

static size_t put_utf8(char *out, uint32_t cp)
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

/* Returns the single precomposed code point of base + marks, or 0. */
static uint32_t nfc_of(char base, uint32_t modifier, uint32_t tone)
{
	char buf[16];
	size_t n = 0;
	utf8proc_int32_t cp;

	buf[n++] = base;
	if (modifier)
		n += put_utf8(buf + n, modifier);
	if (tone)
		n += put_utf8(buf + n, tone);
	buf[n] = '\0';
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)buf);
	ASSERT(nfc);
	utf8proc_ssize_t len = utf8proc_iterate(nfc, -1, &cp);
	uint32_t out = (len > 0 && nfc[len] == '\0') ? (uint32_t)cp : 0;
	free(nfc);
	return out;
}

/* Fills out[] with the 134 letters with diacritics; returns how many. */
static int vietnamese_letters(struct letter *out)
{
	int n = 0;

	for (int capital = 0; capital < 2; capital++) {
		for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
			for (int t = 0; t < N_TONES; t++) {
				if (!vowels[v].modifier && t == TONE_NONE)
					continue; /* plain ASCII vowel */
				char base =
				    capital ? (char)toupper(vowels[v].base) : vowels[v].base;
				uint32_t cp = nfc_of(base, vowels[v].modifier, tones[t]);
				ASSERT_MSG(cp, "%c + U+%04X + U+%04X has no precomposed form", base,
					   vowels[v].modifier, tones[t]);
				out[n++] = (struct letter){cp, capital, vowels[v].modifier != 0, t};
			}
		}
		out[n++] = (struct letter){capital ? 0x110 : 0x111, capital, 0, TONE_NONE};
	}
	return n;
}

static FT_Face open_font(FT_Library *lib)
{
	FT_Face face;

	ASSERT(FT_Init_FreeType(lib) == 0);
	ASSERT_MSG(FT_New_Face(*lib, th_path("fonts/ledsign16.bdf"), 0, &face) == 0,
		   "FreeType cannot open fonts/ledsign16.bdf");
	ASSERT_EQ_INT(face->num_fixed_sizes, 1);
	ASSERT(FT_Select_Size(face, 0) == 0); /* a bitmap font's metrics come with its one size */
	return face;
}

/* Where a rendered glyph's ink lies, in rows from the top of the line. */
struct ink {
	int first_row, last_row; /* -1 when the glyph has no ink */
	int left, right;	 /* columns from the pen position */
};

static struct ink ink_of(FT_Face face, uint32_t cp)
{
	struct ink ink = {-1, -1, INT_MAX, INT_MIN};
	int ascent = (int)(face->size->metrics.ascender >> 6);

	ASSERT_MSG(FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO) == 0,
		   "U+%04X does not load", cp);
	const FT_Bitmap *bm = &face->glyph->bitmap;
	for (unsigned r = 0; r < bm->rows; r++) {
		for (unsigned c = 0; c < bm->width; c++) {
			if (!(bm->buffer[r * (unsigned)bm->pitch + c / 8] & (0x80 >> (c % 8))))
				continue;
			int row = ascent - face->glyph->bitmap_top + (int)r;
			int col = face->glyph->bitmap_left + (int)c;
			if (ink.first_row < 0 || row < ink.first_row)
				ink.first_row = row;
			if (row > ink.last_row)
				ink.last_row = row;
			ink.left = col < ink.left ? col : ink.left;
			ink.right = col > ink.right ? col : ink.right;
		}
	}
	return ink;
}

/* A copy of the rendered bitmap, to compare two glyphs. */
static char *bitmap_text(FT_Face face, uint32_t cp)
{
	ASSERT(FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO) == 0);
	const FT_Bitmap *bm = &face->glyph->bitmap;
	char *s = calloc(1, bm->rows * (bm->width + 1) + 32);
	ASSERT(s);
	int n = sprintf(s, "%d,%d:", face->glyph->bitmap_left, face->glyph->bitmap_top);
	for (unsigned r = 0; r < bm->rows; r++) {
		for (unsigned c = 0; c < bm->width; c++)
			s[n++] = (bm->buffer[r * (unsigned)bm->pitch + c / 8] & (0x80 >> (c % 8)))
				     ? '#'
				     : '.';
		s[n++] = '/';
	}
	return s;
}

static int baseline_row(FT_Face face)
{
	return (int)(face->size->metrics.ascender >> 6); /* first row under the baseline */
}

static int cap_top_row(FT_Face face)
{
	return ink_of(face, 'H').first_row;
}

TEST(letter_list_has_134_distinct_vietnamese_letters)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l);

	ASSERT_EQ_INT(n, 134);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			ASSERT_MSG(l[i].cp != l[j].cp, "U+%04X listed twice", l[i].cp);
}

TEST(line_is_16_rows_of_ascent_and_descent)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);

	ASSERT_EQ_INT(face->size->metrics.height >> 6, LINE_ROWS);
	ASSERT_EQ_INT((face->size->metrics.ascender - face->size->metrics.descender) >> 6,
		      LINE_ROWS);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(every_vietnamese_letter_ascii_and_sign_has_its_own_glyph)
{
	static const uint32_t extras[] = {0x201C, 0x201D, 0x2018, 0x2019, 0x2013, 0x2014,
					  0x2026, 0x20AB, 0x2022, 0x00B0, 0xFFFD};
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l);
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (int i = 0; i < n; i++)
		ASSERT_MSG(FT_Get_Char_Index(face, l[i].cp) != 0, "no glyph for U+%04X", l[i].cp);
	for (uint32_t cp = 0x20; cp <= 0x7E; cp++)
		ASSERT_MSG(FT_Get_Char_Index(face, cp) != 0, "no glyph for U+%04X", cp);
	for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
		ASSERT_MSG(FT_Get_Char_Index(face, extras[i]) != 0, "no glyph for U+%04X",
			   extras[i]);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

static void assert_inside_line(FT_Face face, uint32_t cp)
{
	struct ink ink = ink_of(face, cp);
	int advance = (int)(face->glyph->advance.x >> 6);

	if (ink.first_row < 0)
		return; /* blank, like the space */
	ASSERT_MSG(ink.first_row >= 0 && ink.last_row < LINE_ROWS,
		   "U+%04X has ink on rows %d..%d, outside 0..15", cp, ink.first_row, ink.last_row);
	ASSERT_MSG(ink.left >= 0 && ink.right < advance,
		   "U+%04X has ink on columns %d..%d, outside its advance %d", cp, ink.left,
		   ink.right, advance);
}

TEST(every_glyph_stays_inside_the_16_row_line_and_its_advance)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l);
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (int i = 0; i < n; i++)
		assert_inside_line(face, l[i].cp);
	for (uint32_t cp = 0x20; cp <= 0x7E; cp++)
		assert_inside_line(face, cp);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(capitals_are_taller_than_unifont_and_sit_on_the_baseline)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (uint32_t cp = 'A'; cp <= 'Z'; cp++) {
		struct ink ink = ink_of(face, cp);
		if (cp == 'Q' || cp == 'J')
			continue; /* Q's tail and J's hook may differ */
		ASSERT_MSG(ink.last_row == baseline_row(face) - 1,
			   "%c does not sit on the baseline", (char)cp);
		ASSERT_MSG(ink.last_row - ink.first_row + 1 > 10, "%c is only %d rows tall",
			   (char)cp, ink.last_row - ink.first_row + 1);
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(capitals_with_marks_above_have_ink_above_the_cap_height)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l), checked = 0;
	FT_Library lib;
	FT_Face face = open_font(&lib);
	int cap_top = cap_top_row(face);

	for (int i = 0; i < n; i++) {
		int above = l[i].modified || (l[i].tone != TONE_NONE && l[i].tone != TONE_DOT);
		if (!l[i].capital || !above)
			continue;
		struct ink ink = ink_of(face, l[i].cp);
		ASSERT_MSG(ink.first_row < cap_top,
			   "U+%04X has no mark above the cap height (row %d)", l[i].cp, cap_top);
		checked++;
	}
	ASSERT_EQ_INT(checked,
		      60); /* 30 tones on plain vowels + 24 on modified + 6 bare modified */
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(stacked_marks_sit_above_a_shorter_capital_not_outside_the_line)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l);
	FT_Library lib;
	FT_Face face = open_font(&lib);
	int cap_top = cap_top_row(face);

	for (int i = 0; i < n; i++) {
		if (!l[i].capital || !l[i].modified || l[i].tone == TONE_NONE ||
		    l[i].tone == TONE_DOT)
			continue;
		struct ink ink = ink_of(face, l[i].cp);
		ASSERT_MSG(ink.first_row == 0, "stacked U+%04X starts on row %d, not 0", l[i].cp,
			   ink.first_row);
		ASSERT(ink.first_row < cap_top - 2);
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(dot_below_letters_have_ink_below_the_baseline)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l), checked = 0;
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (int i = 0; i < n; i++) {
		if (l[i].tone != TONE_DOT)
			continue;
		struct ink ink = ink_of(face, l[i].cp);
		ASSERT_MSG(ink.last_row >= baseline_row(face) + 1,
			   "U+%04X has no dot below the baseline (last row %d)", l[i].cp,
			   ink.last_row);
		checked++;
	}
	ASSERT_EQ_INT(checked, 24);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(the_five_tones_of_each_vowel_look_different)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (int capital = 0; capital < 2; capital++) {
		for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
			char base = capital ? (char)toupper(vowels[v].base) : vowels[v].base;
			char *seen[N_TONES];
			for (int t = 0; t < N_TONES; t++)
				seen[t] =
				    bitmap_text(face, nfc_of(base, vowels[v].modifier, tones[t]));
			for (int a = 0; a < N_TONES; a++)
				for (int b = a + 1; b < N_TONES; b++)
					ASSERT_MSG(strcmp(seen[a], seen[b]) != 0,
						   "%c with tones %d and %d look the same", base, a,
						   b);
			for (int t = 0; t < N_TONES; t++)
				free(seen[t]);
		}
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(descenders_reach_below_the_baseline)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);

	for (const char *p = "gjpqy"; *p; p++)
		ASSERT_MSG(ink_of(face, (uint32_t)*p).last_row == LINE_ROWS - 1,
			   "%c does not reach the bottom row", *p);
	ASSERT(ink_of(face, 'x').last_row == baseline_row(face) - 1);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

TEST(missing_characters_fall_back_to_a_visible_replacement_box)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);
	struct ink ink = ink_of(face, 0xFFFD);

	ASSERT(ink.first_row >= 0);
	ASSERT(ink.last_row - ink.first_row + 1 >= 8);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

/* A glyph's lit LEDs on a line-sized grid, pen at column 4. */
#define CELL_W 32
struct cells {
	bool on[LINE_ROWS][CELL_W];
};

static void cells_of(FT_Face face, uint32_t cp, struct cells *g)
{
	int ascent = baseline_row(face);

	memset(g, 0, sizeof(*g));
	ASSERT(FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO) == 0);
	const FT_Bitmap *bm = &face->glyph->bitmap;
	for (unsigned r = 0; r < bm->rows; r++)
		for (unsigned c = 0; c < bm->width; c++) {
			int row = ascent - face->glyph->bitmap_top + (int)r;
			int col = 4 + face->glyph->bitmap_left + (int)c;
			if (row >= 0 && row < LINE_ROWS && col >= 0 && col < CELL_W &&
			    (bm->buffer[r * (unsigned)bm->pitch + c / 8] & (0x80 >> (c % 8))))
				g->on[row][col] = true;
		}
}

/* LEDs that differ between the mark rows (above row top, or under the
 * baseline) of a and b, b moved by shift columns. */
static int mark_distance(const struct cells *a, const struct cells *b, int top, int base, int shift)
{
	int d = 0;

	for (int r = 0; r < LINE_ROWS; r++) {
		if (r >= top && r < base)
			continue;
		for (int c = 0; c < CELL_W; c++) {
			int cb = c - shift;
			bool bb = cb >= 0 && cb < CELL_W && b->on[r][cb];
			d += a->on[r][c] != bb;
		}
	}
	return d;
}

/* Every tone of one letter reads apart from every other at a glance: in the
 * rows where marks are (above the letter's body, below the baseline), any
 * two differ by at least 4 LEDs, even moved a column against each other.
 * Stacked, a 2-row hook over a circumflex differed from the grave by 3
 * (Ể/Ề, Ổ/Ồ, Ẩ/Ầ, Ẳ/Ằ) and read as one. */
TEST(no_two_tones_of_one_letter_are_closer_than_4_leds_in_the_mark_rows)
{
	FT_Library lib;
	FT_Face face = open_font(&lib);
	int worst = INT_MAX, base_row = baseline_row(face);
	uint32_t wa = 0, wb = 0;

	for (int capital = 0; capital < 2; capital++) {
		for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
			char base = capital ? (char)toupper(vowels[v].base) : vowels[v].base;
			/* The letter's body starts at its own top (x-height for i, whose dot goes).
			 */
			int top = ink_of(face, (uint32_t)(base == 'i' ? 'u' : base)).first_row;
			struct cells g[N_TONES];
			uint32_t cp[N_TONES];
			for (int t = 1; t < N_TONES; t++) {
				cp[t] = nfc_of(base, vowels[v].modifier, tones[t]);
				cells_of(face, cp[t], &g[t]);
			}
			for (int a = 1; a < N_TONES; a++)
				for (int b = a + 1; b < N_TONES; b++)
					for (int s = -1; s <= 1; s++) {
						int d =
						    mark_distance(&g[a], &g[b], top, base_row, s);
						if (d < worst)
							worst = d, wa = cp[a], wb = cp[b];
					}
		}
	}
	ASSERT_MSG(worst >= 4, "U+%04X and U+%04X differ by %d LEDs in their mark rows", wa, wb,
		   worst);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}

/* A capital under a circumflex or breve and a tone keeps its whole body (the
 * tone stands beside the hat), not squashed to 8 rows; a capital under one
 * mark loses at most one row (the 3-row hook). */
TEST(capitals_with_stacked_marks_keep_their_full_height)
{
	struct letter l[MAX_LETTERS];
	int n = vietnamese_letters(l), checked = 0;
	FT_Library lib;
	FT_Face face = open_font(&lib);
	int full = baseline_row(face) - cap_top_row(face);

	for (int i = 0; i < n; i++) {
		if (!l[i].capital || l[i].tone == TONE_NONE || l[i].tone == TONE_DOT)
			continue;
		uint32_t d[4];
		utf8proc_decompose_char((utf8proc_int32_t)l[i].cp, (utf8proc_int32_t *)d, 4,
					UTF8PROC_DECOMPOSE, NULL);
		struct cells g;
		cells_of(face, l[i].cp, &g);
		int body = 0; /* rows of the letter from the baseline up, with no blank row */
		for (int r = baseline_row(face) - 1; r >= 0; r--) {
			bool any = false;
			for (int c = 0; c < CELL_W; c++)
				any = any || g.on[r][c];
			if (!any)
				break;
			body++;
		}
		bool stacked = l[i].modified && d[1] != 0x31B;
		ASSERT_MSG(body >= (stacked ? full : full - 1),
			   "U+%04X: its letter is %d rows high, not %d", l[i].cp, body,
			   stacked ? full : full - 1);
		checked += stacked;
	}
	ASSERT_EQ_INT(checked, 16); /* Ă Â Ê Ô with four tones each above */
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
}
