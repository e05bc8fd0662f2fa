/*
 * panel/config.c: the [panel] and [pins] keys of ledsign.conf, with their
 * defaults, ranges and the hints an installer sees when a value is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/panel.h"

void ls_panel_config_defaults(struct ls_panel_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->type = LS_PANEL_HUB12;
	cfg->module_width = 32;
	cfg->module_height = 16;
	cfg->chain = 1;
	cfg->rows = 1;
	cfg->layout = LS_LAYOUT_SERPENTINE;
	cfg->scan = 4;
	cfg->data_active_low = true;
	cfg->oe_active_low = false;
	cfg->brightness = 100;
	cfg->bit_planes = 4;
	strcpy(cfg->rgb_order, "RGB");
	strcpy(cfg->mapping, "direct");
	cfg->colour = (struct ls_rgb){255, 30, 0};
	for (int r = 0; r < LS_LINE_COUNT; r++)
		cfg->pins.line[r] = LS_PIN_UNSET;
}

static int parse_int(const char *value, int min, int max, int *out)
{
	char *end;
	long v = strtol(value, &end, 10);

	if (end == value || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_bool(const char *value, bool *out)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1") ||
	    !strcasecmp(value, "on")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0") ||
	    !strcasecmp(value, "off")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int parse_polarity(const char *value, bool *active_low)
{
	if (!strcasecmp(value, "low"))
		*active_low = true;
	else if (!strcasecmp(value, "high"))
		*active_low = false;
	else
		return -1;
	return 0;
}

static int set_module(struct ls_panel_config *cfg, const char *value)
{
	int w, h;
	char tail;

	if (sscanf(value, "%dx%d%c", &w, &h, &tail) != 2 || w < 8 || w > 256 || h < 8 || h > 128)
		return -1;
	cfg->module_width = w;
	cfg->module_height = h;
	return 0;
}

static int set_panel_key(struct ls_panel_config *cfg, const char *key, const char *v,
			 struct ls_error *err)
{
#define BAD(hint) ls_error_set(err, "[panel] %s: '%s' is not valid; %s", key, v, hint)
	if (!strcmp(key, "type")) {
		if (!strcasecmp(v, "hub12"))
			cfg->type = LS_PANEL_HUB12;
		else if (!strcasecmp(v, "hub75"))
			cfg->type = LS_PANEL_HUB75;
		else
			return BAD("use hub12 (single-colour P10) or hub75 (RGB)");
	} else if (!strcmp(key, "module")) {
		if (set_module(cfg, v))
			return BAD("use WIDTHxHEIGHT of one module, e.g. 32x16 or 64x32");
	} else if (!strcmp(key, "chain")) {
		if (parse_int(v, 1, 32, &cfg->chain))
			return BAD("use the number of modules per chain, 1..32");
	} else if (!strcmp(key, "rows")) {
		if (parse_int(v, 1, 8, &cfg->rows))
			return BAD("use the number of module rows, 1..8");
	} else if (!strcmp(key, "layout")) {
		if (!strcasecmp(v, "serpentine"))
			cfg->layout = LS_LAYOUT_SERPENTINE;
		else if (!strcasecmp(v, "parallel"))
			cfg->layout = LS_LAYOUT_PARALLEL;
		else
			return BAD("use serpentine (one chain snaking through the rows) or "
				   "parallel (one data line per row)");
	} else if (!strcmp(key, "scan")) {
		if (parse_int(v, 1, 32, &cfg->scan))
			return BAD("use the scan divisor: 4 for 1/4 scan P10, 8 or 16 for HUB75");
		cfg->scan_given = true;
	} else if (!strcmp(key, "data_active")) {
		if (parse_polarity(v, &cfg->data_active_low))
			return BAD("use low (0 lights the LED, most P10 modules) or high");
		cfg->data_given = true;
	} else if (!strcmp(key, "oe_active")) {
		if (parse_polarity(v, &cfg->oe_active_low))
			return BAD("use high (Freetronics-style modules) or low; try the other if "
				   "the board stays dark");
		cfg->oe_given = true;
	} else if (!strcmp(key, "brightness")) {
		if (parse_int(v, 1, 100, &cfg->brightness))
			return BAD("use a percentage, 1..100");
	} else if (!strcmp(key, "bit_planes")) {
		if (parse_int(v, 1, 8, &cfg->bit_planes))
			return BAD("use 1..8 (fewer planes, higher refresh rate)");
	} else if (!strcmp(key, "rotate")) {
		if (parse_int(v, 0, 270, &cfg->rotate) || cfg->rotate % 90)
			return BAD("use 0, 90, 180 or 270");
	} else if (!strcmp(key, "mirror")) {
		if (!strcasecmp(v, "none"))
			cfg->mirror_x = cfg->mirror_y = false;
		else if (!strcasecmp(v, "x"))
			cfg->mirror_x = true, cfg->mirror_y = false;
		else if (!strcasecmp(v, "y"))
			cfg->mirror_x = false, cfg->mirror_y = true;
		else if (!strcasecmp(v, "xy"))
			cfg->mirror_x = cfg->mirror_y = true;
		else
			return BAD("use none, x, y or xy");
	} else if (!strcmp(key, "rgb_order")) {
		if (strlen(v) != 3 || !strchr(v, 'R') || !strchr(v, 'G') || !strchr(v, 'B'))
			return BAD("use a permutation of RGB, e.g. RGB or RBG");
		memcpy(cfg->rgb_order, v, 4);
	} else if (!strcmp(key, "mapping")) {
		if (strcmp(v, "direct") && strcmp(v, "outdoor-4s"))
			return BAD("use direct or outdoor-4s (1/4-scan outdoor P10 RGB)");
		snprintf(cfg->mapping, sizeof(cfg->mapping), "%s", v);
	} else if (!strcmp(key, "fm6126a")) {
		if (parse_bool(v, &cfg->fm6126a))
			return BAD("use yes or no");
	} else if (!strcmp(key, "colour") || !strcmp(key, "color")) {
		if (ls_rgb_parse(v, &cfg->colour))
			return BAD("use a name (red, amber, green, white) or #rrggbb");
	} else {
		return 0;
	}
	return 1;
#undef BAD
}

static int *pin_slot(struct ls_panel_pins *p, const char *key)
{
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (!strcmp(key, ls_line_role_name(r)))
			return &p->line[r];
	return NULL;
}

int ls_panel_config_set(struct ls_panel_config *cfg, const char *section, const char *key,
			const char *value, struct ls_error *err)
{
	if (!strcmp(section, "panel"))
		return set_panel_key(cfg, key, value, err);
	if (!strcmp(section, "pins")) {
		int *slot = pin_slot(&cfg->pins, key);
		if (!slot)
			return 0;
		if (!strcasecmp(value, "none")) {
			*slot = LS_PIN_NONE;
			return 1;
		}
		if (parse_int(value, 0, 1023, slot))
			return ls_error_set(err,
					    "[pins] %s: '%s' is not a line offset; use the GPIO "
					    "number (e.g. 17 for GPIO17) or none",
					    key, value);
		return 1;
	}
	return 0;
}

const char *ls_panel_config_keys(const char *section)
{
	if (!strcmp(section, "panel"))
		return "type, module, chain, rows, layout, scan, data_active, oe_active, "
		       "brightness, "
		       "bit_planes, rotate, mirror, rgb_order, mapping, fm6126a, colour";
	if (!strcmp(section, "pins"))
		return "oe, lat, clk, a, b, c, d, e, r1, g1, b1, r2, g2, b2, p2_r1..p2_b2, "
		       "p3_r1..p3_b2";
	return "";
}

/* Default Raspberry Pi 40-pin maps (deploy/WIRING.md). HUB12 puts R on MOSI
 * (GPIO10) and CLK on SCLK (GPIO11), so one wiring serves gpiod and spi; HUB75
 * is rpi-rgb-led-matrix's "regular" map, so existing passive adapters fit. */
static const struct ls_panel_pins hub12_pins = {
    {[LS_LINE_OE] = 24,
     [LS_LINE_LAT] = 25,
     [LS_LINE_CLK] = 11,
     [LS_LINE_A] = 23,
     [LS_LINE_B] = 22,
     [LS_LINE_C] = 27,
     [LS_LINE_D] = LS_PIN_NONE,
     [LS_LINE_E] = LS_PIN_NONE,
     [LS_LINE_R1] = 10,
     [LS_LINE_G1] = LS_PIN_NONE,
     [LS_LINE_B1] = LS_PIN_NONE,
     [LS_LINE_R2] = 17,
     [LS_LINE_G2] = LS_PIN_NONE,
     [LS_LINE_B2] = LS_PIN_NONE,
     [LS_LINE_P2_R1... LS_LINE_COUNT - 1] = LS_PIN_NONE}};
static const struct ls_panel_pins hub75_pins = {
    {[LS_LINE_OE] = 18,	       [LS_LINE_LAT] = 4,	 [LS_LINE_CLK] = 17,
     [LS_LINE_A] = 22,	       [LS_LINE_B] = 23,	 [LS_LINE_C] = 24,
     [LS_LINE_D] = 25,	       [LS_LINE_E] = 15,	 [LS_LINE_R1] = 11,
     [LS_LINE_G1] = 27,	       [LS_LINE_B1] = 7,	 [LS_LINE_R2] = 8,
     [LS_LINE_G2] = 9,	       [LS_LINE_B2] = 10,	 [LS_LINE_P2_R1] = 12,
     [LS_LINE_P2_R1 + 1] = 5,  [LS_LINE_P2_R1 + 2] = 6,	 [LS_LINE_P2_R1 + 3] = 19,
     [LS_LINE_P2_R1 + 4] = 13, [LS_LINE_P2_R1 + 5] = 20, [LS_LINE_P3_R1] = 14,
     [LS_LINE_P3_R1 + 1] = 2,  [LS_LINE_P3_R1 + 2] = 3,	 [LS_LINE_P3_R1 + 3] = 26,
     [LS_LINE_P3_R1 + 4] = 16, [LS_LINE_P3_R1 + 5] = 21}};

static void default_pins(struct ls_panel_pins *p, const struct ls_panel_pins *def)
{
	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (p->line[r] == LS_PIN_UNSET)
			p->line[r] = def->line[r];
}

void ls_panel_config_effective(const struct ls_panel_config *cfg, struct ls_panel_config *out)
{
	*out = *cfg;
	default_pins(&out->pins, cfg->type == LS_PANEL_HUB75 ? &hub75_pins : &hub12_pins);
	if (cfg->type != LS_PANEL_HUB75)
		return;
	if (!cfg->oe_given)
		out->oe_active_low = true;
	if (!cfg->data_given)
		out->data_active_low = false;
	if (!cfg->scan_given)
		out->scan = strcmp(cfg->mapping, "outdoor-4s") ? cfg->module_height / 2 : 4;
}

static int check_hub75(const struct ls_panel_config *c, struct ls_error *err)
{
	int half = c->module_height / 2;

	if (c->module_height != 16 && c->module_height != 32 && c->module_height != 64)
		return ls_error_set(
		    err, "[panel] module: HUB75 panels are 16, 32 or 64 rows high, not %d",
		    c->module_height);
	/* outdoor-4s is the only other mapping, and only for 32x16 at 1/4 scan
	 * (hub75.c): suggest it only where it applies. */
	if (!strcmp(c->mapping, "direct") && c->scan != half)
		return ls_error_set(err,
				    "[panel] scan: a %d-row HUB75 panel with mapping = direct is "
				    "1/%d scan, not 1/%d; set scan = %d%s",
				    c->module_height, half, c->scan, half,
				    c->module_height == 16 && c->module_width == 32 && c->scan == 4
					? " or mapping = outdoor-4s"
					: " (ledsign has no other mapping for this panel)");
	if (!strcmp(c->mapping, "outdoor-4s") && (c->scan != 4 || half != 8))
		return ls_error_set(err, "[panel] mapping: outdoor-4s is for 16-row 1/4-scan "
					 "panels (module = 32x16, scan = 4)");
	if (c->layout == LS_LAYOUT_PARALLEL && c->rows > 3)
		return ls_error_set(err,
				    "[panel] rows: at most 3 parallel HUB75 chains; use layout = "
				    "serpentine for %d rows",
				    c->rows);
	return 0;
}

int ls_panel_config_check(const struct ls_panel_config *cfg, struct ls_error *err)
{
	struct ls_panel_config c;

	ls_panel_config_effective(cfg, &c);
	if (c.module_height % c.scan)
		return ls_error_set(err,
				    "[panel] scan: 1/%d scan does not divide a %d-row module; "
				    "check the module's marking (P10 HUB12 is 1/4)",
				    c.scan, c.module_height);
	if (c.type == LS_PANEL_HUB12 && (c.module_width % 8))
		return ls_error_set(
		    err, "[panel] module: HUB12 modules are a multiple of 8 columns wide, not %d",
		    c.module_width);
	if (c.type == LS_PANEL_HUB12 && c.layout == LS_LAYOUT_PARALLEL && c.rows > 2)
		return ls_error_set(err,
				    "[panel] rows: HUB12 has two data lines (r1, r2) for parallel "
				    "rows; use layout = serpentine for %d rows",
				    c.rows);
	if (c.type == LS_PANEL_HUB75)
		return check_hub75(&c, err);
	return 0;
}

static bool pins_equal(const struct ls_panel_pins *a, const struct ls_panel_pins *b)
{
	for (int i = 0; i < LS_LINE_COUNT; i++)
		if (a->line[i] != b->line[i])
			return false;
	return true;
}

bool ls_panel_config_equal(const struct ls_panel_config *a, const struct ls_panel_config *b)
{
	return a->type == b->type && a->module_width == b->module_width &&
	       a->module_height == b->module_height && a->chain == b->chain && a->rows == b->rows &&
	       a->layout == b->layout && a->scan == b->scan &&
	       a->data_active_low == b->data_active_low && a->oe_active_low == b->oe_active_low &&
	       a->brightness == b->brightness && a->bit_planes == b->bit_planes &&
	       a->rotate == b->rotate && a->mirror_x == b->mirror_x && a->mirror_y == b->mirror_y &&
	       !strcmp(a->rgb_order, b->rgb_order) && !strcmp(a->mapping, b->mapping) &&
	       a->fm6126a == b->fm6126a && a->scan_given == b->scan_given &&
	       a->data_given == b->data_given && a->oe_given == b->oe_given &&
	       a->colour.r == b->colour.r && a->colour.g == b->colour.g &&
	       a->colour.b == b->colour.b && pins_equal(&a->pins, &b->pins);
}

void ls_panel_canvas_size(const struct ls_panel_config *cfg, int *width, int *height)
{
	int w = cfg->module_width * cfg->chain, h = cfg->module_height * cfg->rows;

	if (cfg->rotate == 90 || cfg->rotate == 270) {
		*width = h;
		*height = w;
	} else {
		*width = w;
		*height = h;
	}
}
