/*
 * light.c: the brightness curve and its filter, as arithmetic on readings.
 */
#include <math.h>
#include <stdlib.h>

#include "ledsign/light.h"

static const char *skip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Parses "LUX PERCENT" at *s; moves *s past it. */
static int parse_point(const char **s, double *lux, int *percent)
{
	char *end;

	*lux = strtod(skip(*s), &end);
	if (end == skip(*s) || (*end != ' ' && *end != '\t'))
		return -1;
	*s = skip(end);
	long p = strtol(*s, &end, 10);
	if (end == *s || p < 1 || p > 100)
		return -1;
	*percent = (int)p;
	*s = skip(end);
	return 0;
}

int ls_light_curve_parse(const char *s, struct ls_light_curve *c, struct ls_error *err)
{
	const char *at = s;

	c->n = 0;
	while (*skip(at)) {
		double lux;
		int pct;
		if (c->n == LS_LIGHT_MAX_POINTS)
			return ls_error_set(err, "at most %d points", LS_LIGHT_MAX_POINTS);
		if (parse_point(&at, &lux, &pct) || !isfinite(lux) || lux < 0 ||
		    lux > LS_LIGHT_MAX_LUX || (*at && *at != ','))
			return ls_error_set(
			    err,
			    "\"%.40s\" is not a point; write \"LUX PERCENT\" pairs, "
			    "e.g. %s (lux 0..200000, percent 1..100)",
			    skip(at), LS_LIGHT_CURVE_DEFAULT);
		if (c->n && lux <= c->lux[c->n - 1])
			return ls_error_set(err, "%g lux after %g: points go from dark to bright",
					    lux, c->lux[c->n - 1]);
		c->lux[c->n] = lux;
		c->percent[c->n++] = pct;
		if (*at == ',')
			at++;
	}
	if (!c->n)
		return ls_error_set(err, "no points; write e.g. %s", LS_LIGHT_CURVE_DEFAULT);
	return 0;
}

int ls_light_curve_at(const struct ls_light_curve *c, double lux)
{
	int i = 0;

	if (lux <= c->lux[0])
		return c->percent[0];
	while (i + 1 < c->n && lux > c->lux[i + 1])
		i++;
	if (i + 1 == c->n)
		return c->percent[c->n - 1];
	double f = (lux - c->lux[i]) / (c->lux[i + 1] - c->lux[i]);
	return (int)lround(c->percent[i] + f * (c->percent[i + 1] - c->percent[i]));
}

int ls_light_filter_step(struct ls_light_filter *f, const struct ls_light_curve *c, double lux,
			 int64_t mono_ms)
{
	int target;

	if (!f->primed) {
		f->primed = true;
		f->lux = lux;
		f->at_ms = mono_ms;
		f->percent = ls_light_curve_at(c, lux);
		return f->percent;
	}
	double dt = (double)(mono_ms - f->at_ms) / 1000.0;
	if (dt > 0) /* a weight of 1 - e^(-dt/tau): the same curve at any poll rate */
		f->lux += (lux - f->lux) * (f->smooth_s > 0 ? 1 - exp(-dt / f->smooth_s) : 1);
	f->at_ms = mono_ms;
	target = ls_light_curve_at(c, f->lux);
	if (abs(target - f->percent) >= (f->hysteresis > 0 ? f->hysteresis : 1))
		f->percent = target;
	return f->percent;
}
