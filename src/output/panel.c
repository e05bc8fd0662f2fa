/*
 * output/panel.c: placeholder until the panel driver lands.
 */
#include "ledsign/output.h"

int ls_panel_output_open(const struct ls_config *cfg, int width, int height, struct ls_output_backend *be,
			 struct ls_error *err)
{
	(void)width;
	(void)height;
	(void)be;
	return ls_error_set(err, "[output] type: %s is not built yet", ls_output_type_name(cfg->output.type));
}
