/*
 * player_config.c: wires the pure player (src/core/player.c) to this system.
 * A player's configuration is the board's config plus the providers the core
 * asks for what lives outside it: font faces from the font files
 * (src/sys/fonts.c) and local time from the zone files (src/sys/clock.c).
 */
#include <string.h>

#include "ledsign/clock.h"
#include "ledsign/player.h"

void ls_player_config_from(struct ls_player_config *pc, const struct ls_config *cfg)
{
	memset(pc, 0, sizeof(*pc));
	ls_panel_canvas_size(&cfg->panel, &pc->width, &pc->height);
	for (int i = 0; i < cfg->display.n_fonts; i++)
		pc->fonts[i] = cfg->display.fonts[i];
	pc->n_fonts = cfg->display.n_fonts;
	pc->mono = cfg->panel.type == LS_PANEL_HUB12;
	pc->colour = cfg->panel.type == LS_PANEL_HUB12 ? cfg->panel.colour : cfg->display.colour;
	pc->background = cfg->display.background;
	pc->speed = cfg->display.speed;
	pc->board_name = cfg->board.name;
	pc->n_tags = cfg->board.n_tags < LS_MAX_TAGS ? cfg->board.n_tags : LS_MAX_TAGS;
	for (int i = 0; i < pc->n_tags; i++)
		pc->tag_list[i] = cfg->board.tags[i];
	pc->tags = pc->tag_list;
	pc->timezone = cfg->board.timezone;
	pc->font_provider = ls_font_files();
	pc->localtime = ls_localtime;
	pc->pictures = ls_picture_files();
}
