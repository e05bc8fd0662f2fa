/*
 * The INI checker under ledsign.conf and hub.conf (ledsign/inicheck.h), on a
 * table of its own: what both files now share (kinds, bounds, empty values,
 * aliases, keys given twice, repeatable keys, another module's keys, named
 * sections like [layer NAME], file:line in every message).
 */
#include <stddef.h>
#include <string.h>

#include "harness.h"
#include "ledsign/inicheck.h"

#define MAX_LAYERS 3

struct layer {
	char name[16];
	char url[64];
	int priority;
};

struct demo {
	char name[32];
	int count;
	long bytes;
	int secure;
	char zone[64];
	char token[32];
	char hosts[2][32];
	int n_hosts;
	int level; /* set by other() for [extra] */
	struct layer layers[MAX_LAYERS];
	int n_layers;
};

static int set_upper(void *target, const struct ls_ini_key *k, const char *value,
		     struct ls_error *err)
{
	char *dst = (char *)target + k->off;

	if (strlen(value) >= k->size)
		return ls_error_set(err, "[%s] %s: too long", k->section, k->name);
	for (size_t i = 0; value[i]; i++)
		dst[i] = (char)(value[i] >= 'a' && value[i] <= 'z' ? value[i] - 32 : value[i]);
	dst[strlen(value)] = '\0';
	return 0;
}

#define F(m) .off = offsetof(struct demo, m), .size = sizeof(((struct demo *)0)->m)
#define L(m) .off = offsetof(struct layer, m), .size = sizeof(((struct layer *)0)->m)

static const struct ls_ini_key keys[] = {
    {"main", "name", LS_INI_CUSTOM, F(name), 0, 0, "a name", .set = set_upper},
    {"main", "title", LS_INI_CUSTOM, F(name), 0, 0, "a name", .flags = LS_INI_ALIAS,
     .set = set_upper},
    {"main", "count", LS_INI_INT, F(count), 1, 10, "1..10"},
    {"main", "bytes", LS_INI_LONG, F(bytes), 1024, 1L << 40, "bytes, 1024.."},
    {"main", "secure", LS_INI_BOOL, F(secure), 0, 1, "yes or no"},
    {"main", "zone", LS_INI_STR, F(zone), 0, 0, "an IANA zone", .check = ls_ini_check_zone},
    {"main", "token", LS_INI_STR, F(token), 0, 0, "a token", .flags = LS_INI_EMPTY_OK},
    {"main", "host", LS_INI_STR, .off = offsetof(struct demo, hosts),
     .size = sizeof(((struct demo *)0)->hosts[0]), .min = 0, .max = 0, "a host name",
     offsetof(struct demo, n_hosts), 2},
    {"layer", "url", LS_INI_STR, L(url), 0, 0, "the layer's feed URL"},
    {"layer", "priority", LS_INI_INT, L(priority), 0, 9, "0..9"},
};

static const char *const sections[] = {"main", "extra", "layer NAME"};

static int extra_key(void *cfg, const char *section, const char *name, const char *value,
		     struct ls_error *err)
{
	if (strcmp(section, "extra"))
		return 0;
	if (strcmp(name, "level"))
		return 0;
	if (strcmp(value, "high") && strcmp(value, "low"))
		return ls_error_set(err, "[extra] level: '%s' is not valid; use high or low",
				    value);
	((struct demo *)cfg)->level = value[0] == 'h' ? 2 : 1;
	return 1;
}

static const char *extra_keys(const char *section)
{
	return strcmp(section, "extra") ? NULL : "level";
}

/* A [layer NAME] section's keys land in that layer's struct, made on first use. */
static void *layer_of(void *cfg, const char *section, struct ls_error *err)
{
	struct demo *d = cfg;
	const char *name;

	if (strncmp(section, "layer ", 6))
		return cfg;
	name = section + 6;
	for (int i = 0; i < d->n_layers; i++)
		if (!strcmp(d->layers[i].name, name))
			return &d->layers[i];
	if (d->n_layers == MAX_LAYERS || strlen(name) >= sizeof(d->layers[0].name)) {
		ls_error_set(err, "[%s]: at most %d layers", section, MAX_LAYERS);
		return NULL;
	}
	snprintf(d->layers[d->n_layers].name, sizeof(d->layers[0].name), "%s", name);
	return &d->layers[d->n_layers++];
}

static const struct ls_ini_schema schema = {
    .sections = sections,
    .n_sections = sizeof(sections) / sizeof(sections[0]),
    .keys = keys,
    .n_keys = sizeof(keys) / sizeof(keys[0]),
    .other = extra_key,
    .other_keys = extra_keys,
    .target = layer_of,
};

static struct ls_ini_where where[16];
static struct ls_ini_seen seen = {where, 16, 0};

static int parse(struct demo *d, const char *text, struct ls_error *err)
{
	memset(d, 0, sizeof(*d));
	err->msg[0] = '\0';
	return ls_ini_parse(&schema, d, &seen, "demo.conf", text, strlen(text), err);
}

static void refused(const char *text, const char *why)
{
	struct demo d;
	struct ls_error err;

	ASSERT_MSG(parse(&d, text, &err) == -1, "accepted: %s", text);
	ASSERT_MSG(strstr(err.msg, why), "want '%s' in: %s", why, err.msg);
}

TEST(every_kind_is_stored_where_its_table_says)
{
	struct demo d;
	struct ls_error err;

	ASSERT_MSG(parse(&d,
			 "[main]\nname = board\ncount = 7\nbytes = 2048\nsecure = no\n"
			 "zone = Asia/Ho_Chi_Minh\ntoken =\nhost = a\nhost = b\n"
			 "[extra]\nlevel = high\n",
			 &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_STR(d.name, "BOARD");
	ASSERT_EQ_INT(d.count, 7);
	ASSERT_EQ_INT(d.bytes, 2048);
	ASSERT_EQ_INT(d.secure, 0);
	ASSERT_EQ_STR(d.zone, "Asia/Ho_Chi_Minh");
	ASSERT_EQ_STR(d.token, "");
	ASSERT_EQ_INT(d.n_hosts, 2);
	ASSERT_EQ_STR(d.hosts[1], "b");
	ASSERT_EQ_INT(d.level, 2);
	ASSERT_EQ_INT(seen.n, 9);
	ASSERT_EQ_INT(ls_ini_line(&seen, "main", "host", 1), 9);
	ASSERT_EQ_INT(ls_ini_line(&seen, "extra", "level", 0), 11);
	ASSERT_EQ_INT(ls_ini_line(&seen, "main", "host", 2), 0);
}

TEST(booleans_take_yes_true_1_and_no_false_0)
{
	static const char *const yes[] = {"yes", "YES", "true", "1"};
	static const char *const no[] = {"no", "False", "0"};
	char text[64];
	struct demo d;
	struct ls_error err;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(text, sizeof(text), "[main]\nsecure = %s\n", yes[i]);
		ASSERT_MSG(parse(&d, text, &err) == 0 && d.secure == 1, "%s: %s", yes[i], err.msg);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(text, sizeof(text), "[main]\nsecure = %s\n", no[i]);
		ASSERT_MSG(parse(&d, text, &err) == 0 && d.secure == 0, "%s: %s", no[i], err.msg);
	}
	refused("[main]\nsecure = maybe\n",
		"demo.conf:2: [main] secure: 'maybe' is not valid; yes or no");
}

TEST(numbers_out_of_bounds_or_not_numbers_are_refused_with_the_hint)
{
	refused("[main]\ncount = 11\n", "demo.conf:2: [main] count: '11' is not valid; 1..10");
	refused("[main]\ncount = 0\n", "'0' is not valid; 1..10");
	refused("[main]\ncount = 5x\n", "'5x' is not valid");
	refused("[main]\nbytes = 99999999999999999999\n", "is not valid; bytes, 1024..");
}

TEST(an_empty_value_is_refused_unless_the_key_means_off_when_empty)
{
	refused(
	    "[main]\n\ncount =\n",
	    "demo.conf:3: [main] count: empty; write 1..10, or remove the line for the default");
	refused("[main]\nzone =\n", "[main] zone: empty; write an IANA zone");
}

TEST(a_zone_name_is_checked_with_its_line)
{
	refused(
	    "[main]\nzone = ../../etc/passwd\n",
	    "demo.conf:2: [main] zone: '../../etc/passwd' is not a time zone name; an IANA zone");
}

TEST(a_key_given_twice_is_refused_with_the_first_line_but_repeatable_keys_are_counted)
{
	refused("[main]\ncount = 1\n\ncount = 2\n",
		"demo.conf:4: [main] count: given twice (first on line 2); keep one");
	refused("[main]\nname = a\ntitle = b\n",
		"demo.conf:3: [main] title: given twice (first on line 2)");
	refused("[extra]\nlevel = low\nlevel = high\n", "[extra] level: given twice");
	refused("[main]\nhost = a\nhost = b\nhost = c\n",
		"demo.conf:4: [main] host: at most 2 are allowed");
}

TEST(an_alias_sets_its_key_and_is_not_listed)
{
	struct demo d;
	struct ls_error err;

	ASSERT_MSG(parse(&d, "[main]\ntitle = x\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(d.name, "X");
	ASSERT_EQ_INT(ls_ini_line(&seen, "main", "name", 0), 2);
	refused("[main]\ncolour = 1\n",
		"demo.conf:2: [main] colour: unknown key; valid keys in "
		"[main] are: name, count, bytes, secure, zone, token, host");
}

TEST(unknown_sections_and_keys_list_what_is_valid)
{
	refused("[mian]\nx = 1\n",
		"demo.conf:2: [mian]: unknown section; valid sections are [main], [extra], "
		"[layer NAME]");
	refused("count = 1\n", "demo.conf:1: count: key outside any section; put it under one "
			       "of [main], [extra], [layer NAME]");
	refused("[extra]\nlevle = 1\n",
		"demo.conf:2: [extra] levle: unknown key; valid keys in [extra] are: level");
	refused("[extra]\nlevel = medium\n", "demo.conf:2: [extra] level: 'medium' is not valid");
	refused("[layer]\nurl = x\n", "demo.conf:2: [layer]: unknown section");
	refused("[layer hanoi]\nname = x\n", "demo.conf:2: [layer hanoi] name: unknown key; valid "
					     "keys in [layer hanoi] are: url, priority");
}

TEST(named_sections_fill_their_own_struct_and_may_repeat_a_key_across_names)
{
	struct demo d;
	struct ls_error err;

	ASSERT_MSG(parse(&d,
			 "[layer national]\nurl = https://a/n.json\npriority = 1\n"
			 "[layer hanoi]\nurl = https://a/h.json\n[main]\ncount = 3\n",
			 &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_INT(d.n_layers, 2);
	ASSERT_EQ_STR(d.layers[0].name, "national");
	ASSERT_EQ_STR(d.layers[0].url, "https://a/n.json");
	ASSERT_EQ_INT(d.layers[0].priority, 1);
	ASSERT_EQ_STR(d.layers[1].url, "https://a/h.json");
	ASSERT_EQ_INT(d.count, 3);
	ASSERT_EQ_INT(ls_ini_line(&seen, "layer hanoi", "url", 0), 5);
	refused("[layer a]\nurl = x\n[layer a]\nurl = y\n",
		"demo.conf:4: [layer a] url: given twice (first on line 2)");
	refused("[layer a]\nurl=1\n[layer b]\nurl=1\n[layer c]\nurl=1\n[layer d]\nurl=1\n",
		"demo.conf:8: [layer d]: at most 3 layers");
	refused("[layer a]\npriority = 10\n",
		"demo.conf:2: [layer a] priority: '10' is not valid; 0..9");
}

TEST(a_string_longer_than_its_field_is_refused_with_the_limit)
{
	refused(
	    "[main]\nzone = Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    "is not a time zone name");
	refused("[main]\ntoken = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		"demo.conf:2: [main] token: value is 40 characters; the limit is 31");
}

TEST(long_lines_binary_and_oversized_text_and_syntax_errors_are_refused)
{
	char text[400];
	struct demo d;
	struct ls_error err;
	static char big[LS_INI_MAX_BYTES + 2];

	snprintf(text, sizeof(text), "[main]\ntoken = %0250d\n", 1);
	refused(text, "demo.conf:2: line longer than 199 characters; shorten it");
	refused("[main\n", "demo.conf:1: syntax error; expected [section], key = value");
	memset(&d, 0, sizeof(d));
	ASSERT(ls_ini_parse(&schema, &d, &seen, "bin.conf", "[main]\0x", 8, &err) == -1);
	ASSERT_CONTAINS(err.msg, "bin.conf: contains a NUL byte");
	memset(big, ';', sizeof(big) - 1);
	ASSERT(ls_ini_parse(&schema, &d, &seen, "big.conf", big, sizeof(big) - 1, &err) == -1);
	ASSERT_CONTAINS(err.msg, "big.conf: 65537 bytes; a config is at most 65536 bytes");
}

TEST(only_the_first_mistake_is_reported)
{
	refused("[main]\ncount = 99\nbytes = 1\n", "demo.conf:2: [main] count");
}

TEST(more_keys_than_the_caller_has_room_for_are_refused)
{
	char text[512] = "[layer a]\n";
	struct ls_ini_where few[2];
	struct ls_ini_seen small = {few, 2, 0};
	struct demo d = {0};
	struct ls_error err;

	strcat(text, "url = 1\npriority = 1\n[main]\ncount = 1\n");
	ASSERT(ls_ini_parse(&schema, &d, &small, "demo.conf", text, strlen(text), &err) == -1);
	ASSERT_CONTAINS(err.msg,
			"demo.conf:5: [main] count: too many keys; a config has at most 2");
}
