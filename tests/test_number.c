/*
 * test_number.c: plain decimal numbers with a range (src/core/number.c), as
 * the tool's numeric options read them.
 */
#include "harness.h"
#include "ledsign/number.h"

TEST(a_whole_number_in_range_is_read)
{
	long v = 0;

	ASSERT_EQ_INT(ls_number_int("100", 10, 60000, &v), LS_NUMBER_OK);
	ASSERT_EQ_INT(v, 100);
	ASSERT_EQ_INT(ls_number_int("-5", -10, 10, &v), LS_NUMBER_OK);
	ASSERT_EQ_INT(v, -5);
	ASSERT_EQ_INT(ls_number_int("007", 0, 10, &v), LS_NUMBER_OK);
	ASSERT_EQ_INT(v, 7);
}

TEST(units_exponents_words_spaces_and_nothing_are_malformed_and_leave_the_value)
{
	static const char *const bad[] = {"100ms", "five", "",	"1e3", " 5",  "5 ",
					  "0x10",  "+5",   "-", "2.5", "1,5", "--1"};
	long v = 42;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_MSG(ls_number_int(bad[i], -100, 100000, &v) == LS_NUMBER_MALFORMED,
			   "'%s' was not refused", bad[i]);
	ASSERT_EQ_INT(v, 42);
}

TEST(a_whole_number_outside_the_range_or_past_long_is_out_of_range)
{
	long v = 42;

	ASSERT_EQ_INT(ls_number_int("9", 10, 60000, &v), LS_NUMBER_OUT_OF_RANGE);
	ASSERT_EQ_INT(ls_number_int("60001", 10, 60000, &v), LS_NUMBER_OUT_OF_RANGE);
	ASSERT_EQ_INT(ls_number_int("99999999999999999999999", 0, 10, &v), LS_NUMBER_OUT_OF_RANGE);
	ASSERT_EQ_INT(v, 42);
}

TEST(a_decimal_number_takes_one_point_and_its_range)
{
	double v = 0;

	ASSERT_EQ_INT(ls_number_real("2.5", 0.04, 300, &v), LS_NUMBER_OK);
	ASSERT(v == 2.5);
	ASSERT_EQ_INT(ls_number_real("20", 0.04, 300, &v), LS_NUMBER_OK);
	ASSERT(v == 20);
	ASSERT_EQ_INT(ls_number_real(".5", 0, 1, &v), LS_NUMBER_OK);
	ASSERT(v == 0.5);
	ASSERT_EQ_INT(ls_number_real("1.2.3", 0, 10, &v), LS_NUMBER_MALFORMED);
	ASSERT_EQ_INT(ls_number_real(".", 0, 10, &v), LS_NUMBER_MALFORMED);
	ASSERT_EQ_INT(ls_number_real("1e3", 0, 1e6, &v), LS_NUMBER_MALFORMED);
	ASSERT_EQ_INT(ls_number_real("inf", 0, 1e6, &v), LS_NUMBER_MALFORMED);
	ASSERT_EQ_INT(ls_number_real("0.01", 0.04, 300, &v), LS_NUMBER_OUT_OF_RANGE);
	ASSERT_EQ_INT(ls_number_real("301", 0.04, 300, &v), LS_NUMBER_OUT_OF_RANGE);
	ASSERT(v == 0.5);
}
