/*
 * kernel_gpio.c: the gpiod transport on a real Linux kernel. tests/kernel.sh
 * boots Debian's kernel under qemu with the kernel's GPIO simulator (gpio-sim)
 * and runs this inside it; it is not a unit test (it needs that chip).
 *
 * The chip is labelled like a Raspberry Pi 4's header chip. A frame is played
 * through ls_transport_open_gpiod() one write at a time; after each write the
 * level of every used line is read back from gpio-sim's sysfs attributes
 * (sim_gpioN/value: what the kernel holds the line at) and recorded as a
 * trace, which the independent panel model (panel_model.c) decodes into the
 * picture the canvas should give. The refresh thread and the service
 * (ledsignd, as the user named by LS_RUN_AS) then run on the same chip: the
 * lines are held by consumer "ledsign" while they run, OE is at its inactive
 * level after the stop's blanking write, and the lines are free afterwards.
 *
 * Environment: LS_SIM_LABEL (the chip label), LS_SIM_SYSFS (the chip's sysfs
 * directory, .../gpio-sim.0/gpiochipN), LS_LEDSIGND and LS_DAEMON_CONF (the
 * service and its config), LS_RUN_AS ("uid:gid", optional).
 */
#include <fcntl.h>
#include <gpiod.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "panel_model.h"

#include "ledsign/panel.h"
#include "ledsign/refresh.h"
#include "ledsign/transport.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	ASSERT_MSG(v && *v, "%s is not set (tests/kernel.sh sets it)", name);
	return v;
}

/* The level the kernel holds a line at, from gpio-sim's sysfs. */
static int sim_value(int offset)
{
	char path[512], c = '?';
	int fd;

	snprintf(path, sizeof(path), "%s/sim_gpio%d/value", env("LS_SIM_SYSFS"), offset);
	fd = open(path, O_RDONLY);
	ASSERT_MSG(fd >= 0, "%s: cannot open", path);
	ASSERT_MSG(pread(fd, &c, 1, 0) == 1, "%s: cannot read", path);
	close(fd);
	ASSERT_MSG(c == '0' || c == '1', "%s: '%c' is not a level", path, c);
	return c - '0';
}

/* Levels of every line of map, as a value under the role bits. */
static uint32_t sim_levels(const struct ls_line_map *map)
{
	uint32_t v = 0;

	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0 && sim_value(map->offset[r]))
			v |= LS_BIT(r);
	return v;
}

/* Whether the line is requested, and by whom, as the kernel reports it. */
static int line_used(int offset, char *consumer, size_t n)
{
	char path[256];
	unsigned lines;
	struct ls_error err = {""};
	struct gpiod_chip *chip;
	struct gpiod_line_info *info;
	int used;

	ASSERT_MSG(ls_gpio_chip_probe(env("LS_SIM_LABEL"), path, sizeof(path), &lines, &err) == 0,
		   "%s", err.msg);
	chip = gpiod_chip_open(path);
	ASSERT_MSG(chip, "%s: cannot open", path);
	info = gpiod_chip_get_line_info(chip, (unsigned)offset);
	ASSERT_MSG(info, "%s: no line %d", path, offset);
	used = gpiod_line_info_is_used(info);
	snprintf(consumer, n, "%s",
		 gpiod_line_info_get_consumer(info) ? gpiod_line_info_get_consumer(info) : "");
	if (used)
		ASSERT_MSG(gpiod_line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT,
			   "line %d is requested but not as an output", offset);
	gpiod_line_info_free(info);
	gpiod_chip_close(chip);
	return used;
}

static void assert_held(const struct ls_line_map *map)
{
	char consumer[64];

	for (int r = 0; r < LS_LINE_COUNT; r++) {
		if (map->offset[r] < 0)
			continue;
		ASSERT_MSG(line_used(map->offset[r], consumer, sizeof(consumer)),
			   "line %d (%s) is not requested", map->offset[r], ls_line_role_name(r));
		ASSERT_EQ_STR(consumer, "ledsign");
	}
}

static void assert_released(const struct ls_line_map *map)
{
	char consumer[64];

	for (int r = 0; r < LS_LINE_COUNT; r++)
		if (map->offset[r] >= 0)
			ASSERT_MSG(!line_used(map->offset[r], consumer, sizeof(consumer)),
				   "line %d (%s) is still requested by \"%s\"", map->offset[r],
				   ls_line_role_name(r), consumer);
}

/* A transport that forwards every operation to the gpiod transport and, after
 * each write, reads every used line back: all must hold what the writes so
 * far put there, and the written lines' levels as read are recorded through
 * a record transport. */
struct sampler {
	struct ls_transport *gpio, *rec;
	const struct ls_line_map *map;
	uint32_t expect;
	long writes, wrong;
};

static int sampler_set(void *impl, uint32_t mask, uint32_t values)
{
	struct sampler *s = impl;
	uint32_t seen;

	if (ls_transport_set(s->gpio, mask, values))
		return -1;
	s->expect = (s->expect & ~mask) | (values & mask);
	seen = sim_levels(s->map);
	s->writes++;
	if (seen != s->expect && s->wrong++ == 0)
		fprintf(stderr, "write %ld: lines hold 0x%08x, expected 0x%08x\n", s->writes, seen,
			s->expect);
	/* Recorded under the write's own mask, so the frame block still loops as
	 * the refresh plays it; the other lines were checked above. */
	return ls_transport_set(s->rec, mask, seen & mask);
}

static int sampler_spi(void *impl, const uint8_t *bytes, size_t n)
{
	(void)impl, (void)bytes, (void)n;
	return -1; /* the frames here go over GPIO only */
}

static int sampler_hold(void *impl, uint32_t ns)
{
	struct sampler *s = impl;

	return ls_transport_hold(s->gpio, ns) | ls_transport_hold(s->rec, ns);
}

static void sampler_begin(void *impl, const char *what, unsigned long n)
{
	ls_transport_begin(((struct sampler *)impl)->rec, what, n);
}

static void sampler_end(void *impl)
{
	ls_transport_end(((struct sampler *)impl)->rec);
}

static void sampler_close(void *impl)
{
	(void)impl; /* the test closes both transports itself */
}

static const struct ls_transport_ops sampler_ops = {
    sampler_set, sampler_spi, sampler_hold, sampler_begin, sampler_end, sampler_close, NULL};

/* Pseudo-random pixels, each channel fully on or off: no mapping error survives. */
static struct ls_canvas *random_canvas(const struct ls_panel_config *cfg, unsigned seed)
{
	int w, h;
	struct ls_canvas *c;

	ls_panel_canvas_size(cfg, &w, &h);
	c = ls_canvas_new(w, h);
	srand(seed);
	for (int i = 0; i < w * h; i++)
		c->px[i] = (struct ls_rgb){(uint8_t)(rand() % 2 * 255), (uint8_t)(rand() % 2 * 255),
					   (uint8_t)(rand() % 2 * 255)};
	return c;
}

static void play(struct ls_transport *t, const char *what, unsigned long n,
		 const struct ls_program *prog)
{
	ls_transport_begin(t, what, n);
	ASSERT_MSG(ls_transport_play(t, prog) == 0, "%s %lu: a write failed", what, n);
	ls_transport_end(t);
}

/* The model's picture of the observed trace shows exactly the canvas's lit
 * channels (HUB12: any channel lit lights the LED). */
static void assert_picture(const char *trace, const struct pm_panel *pm, const struct ls_canvas *c)
{
	char msg[256];
	struct pm_trace *t = pm_trace_load(trace, msg, sizeof(msg));
	struct pm_image board, view;
	double top = 0;

	ASSERT_MSG(t, "%s", msg);
	ASSERT_MSG(pm_decode(t, pm, 0, &board, msg, sizeof(msg)) == 0, "%s", msg);
	pm_view(pm, &board, &view);
	ASSERT_EQ_INT(view.w, c->width);
	ASSERT_EQ_INT(view.h, c->height);
	for (int i = 0; i < view.w * view.h * 3; i++)
		top = view.v[i] > top ? view.v[i] : top;
	ASSERT(top > 0);
	for (int y = 0; y < view.h; y++)
		for (int x = 0; x < view.w; x++)
			for (int ch = 0; ch < (pm->hub75 ? 3 : 1); ch++) {
				struct ls_rgb px = c->px[y * c->width + x];
				int v = pm->hub75 ? (ch == 0   ? px.r
						     : ch == 1 ? px.g
							       : px.b)
						  : px.r | px.g | px.b;
				int want = v > 127;
				int lit = pm_at(&view, x, y, ch) > top / 2;
				ASSERT_MSG(lit == want, "pixel %d,%d channel %d: %s, expected %s",
					   x, y, ch, lit ? "lit" : "dark", want ? "lit" : "dark");
			}
	pm_image_free(&view);
	pm_image_free(&board);
	pm_trace_free(t);
}

/* Plays init, one frame and stop of cfg through the gpiod transport on the
 * simulated chip, checking every write against the lines and the picture
 * against the model. */
static void frame_on_the_lines(const struct ls_panel_config *cfg, const struct pm_panel *pm)
{
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_error err = {""};
	struct ls_panel *p = ls_panel_new(cfg, &timing, &err);
	struct ls_line_map map;
	struct sampler s = {0};
	struct ls_program *prog;
	struct ls_canvas *c = random_canvas(cfg, 7);
	struct ls_transport *t;
	char trace[512];

	ASSERT_MSG(p, "%s", err.msg);
	ls_panel_line_map(p, &map);
	snprintf(trace, sizeof(trace), "%s/seen.trace", th_tmpdir());
	s.map = &map;
	s.gpio = ls_transport_open_gpiod(env("LS_SIM_LABEL"), &map, &err);
	ASSERT_MSG(s.gpio, "%s", err.msg);
	s.rec = ls_transport_open_record(trace, &map, &err);
	ASSERT_MSG(s.rec, "%s", err.msg);
	s.expect = map.initial;
	ASSERT_EQ_INT(sim_levels(&map), map.initial); /* requested at their resting levels */
	assert_held(&map);
	t = ls_transport_wrap(&sampler_ops, &s);
	prog = ls_panel_program_new(p);
	ASSERT(t && prog);
	ASSERT(ls_panel_encode_init(p, prog) == 0);
	play(t, "init", 0, prog);
	ASSERT(ls_panel_encode(p, c, 100, prog) == 0);
	play(t, "frame", 1, prog);
	ASSERT(ls_panel_encode_blank(p, prog) == 0);
	play(t, "stop", 0, prog);
	ASSERT_MSG(s.wrong == 0, "%ld of %ld writes left other levels on the lines", s.wrong,
		   s.writes);
	ASSERT(s.writes > 500);
	ASSERT_EQ_INT(sim_value(map.offset[LS_LINE_OE]), (map.initial >> LS_LINE_OE) & 1);
	ls_transport_close(s.gpio);
	ls_transport_close(s.rec);
	assert_released(&map);
	assert_picture(trace, pm, c);
	ls_transport_close(t);
	ls_program_free(prog);
	ls_canvas_free(c);
	ls_panel_free(p);
}

TEST(hub12_frame_reaches_the_kernel_lines_write_by_write_and_shows_the_canvas)
{
	struct ls_panel_config cfg;

	ls_panel_config_defaults(&cfg); /* one 32x16 P10 module, data active low */
	frame_on_the_lines(&cfg, &(struct pm_panel){.module_w = 32,
						    .module_h = 16,
						    .scan = 4,
						    .chain = 1,
						    .rows = 1,
						    .data_active_low = cfg.data_active_low,
						    .oe_active_low = cfg.oe_active_low});
}

TEST(hub75_frame_reaches_the_kernel_lines_write_by_write_and_shows_the_canvas)
{
	struct ls_panel_config cfg;

	ls_panel_config_defaults(&cfg);
	cfg.type = LS_PANEL_HUB75;
	cfg.module_width = 32;
	cfg.module_height = 16;
	cfg.bit_planes = 2;
	frame_on_the_lines(&cfg, &(struct pm_panel){.hub75 = 1,
						    .module_w = 32,
						    .module_h = 16,
						    .scan = 8,
						    .chain = 1,
						    .rows = 1,
						    .oe_active_low = 1,
						    .pin_leds = "RGB"});
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

	nanosleep(&ts, NULL);
}

TEST(refresh_thread_holds_the_lines_and_its_stop_leaves_oe_inactive)
{
	struct ls_panel_config cfg;
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_refresh_opts opts = {0, -1, 0, 0};
	struct ls_error err = {""};
	struct ls_panel *p;
	struct ls_line_map map;
	struct ls_program *a, *b, *blank;
	struct ls_transport *t;
	struct ls_refresh *r;
	struct ls_canvas *c;

	ls_panel_config_defaults(&cfg);
	cfg.oe_active_low = false; /* Freetronics-style: OE off is low */
	cfg.oe_given = true;
	p = ls_panel_new(&cfg, &timing, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_panel_line_map(p, &map);
	t = ls_transport_open_gpiod(env("LS_SIM_LABEL"), &map, &err);
	ASSERT_MSG(t, "%s", err.msg);
	a = ls_panel_program_new(p);
	b = ls_panel_program_new(p);
	blank = ls_panel_program_new(p);
	c = random_canvas(&cfg, 3);
	ASSERT(a && b && blank && ls_panel_encode_blank(p, blank) == 0);
	r = ls_refresh_start(t, a, b, &opts, &err);
	ASSERT_MSG(r, "%s", err.msg);
	ASSERT(ls_panel_encode(p, c, 100, ls_refresh_back(r)) == 0);
	ls_refresh_swap(r);
	sleep_ms(300);
	ASSERT(ls_refresh_frames(r) >= 1);
	assert_held(&map);
	ls_refresh_stop(r, blank);
	ASSERT_EQ_INT(sim_value(map.offset[LS_LINE_OE]), 0);
	ls_transport_close(t);
	assert_released(&map);
	ls_canvas_free(c);
	ls_program_free(a);
	ls_program_free(b);
	ls_program_free(blank);
	ls_panel_free(p);
}

/* Runs the service with the stage's config (as run_as, "uid:gid", when not NULL). */
static pid_t start_service(const char *run_as)
{
	unsigned uid = 0, gid = 0;
	pid_t pid;

	if (run_as)
		ASSERT_MSG(sscanf(run_as, "%u:%u", &uid, &gid) == 2, "LS_RUN_AS=%s", run_as);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		if (run_as) {
			gid_t g = (gid_t)gid;
			if (setgroups(1, &g) || setgid(g) || setuid((uid_t)uid))
				_exit(126);
		}
		execl(env("LS_LEDSIGND"), "ledsignd", "-c", env("LS_DAEMON_CONF"), (char *)NULL);
		_exit(127);
	}
	return pid;
}

TEST(the_service_drives_the_chip_found_by_label_and_releases_it_on_sigterm)
{
	struct ls_panel_config cfg;
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_error err = {""};
	struct ls_line_map map;
	struct ls_panel *p;
	int status = -1;
	pid_t pid;

	ls_panel_config_defaults(&cfg); /* the lines of the stage's hub12 config */
	cfg.chain = 6;
	p = ls_panel_new(&cfg, &timing, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_panel_line_map(p, &map);
	ls_panel_free(p);
	pid = start_service(getenv("LS_RUN_AS"));
	sleep_ms(4000); /* start-up under an emulated CPU */
	ASSERT_MSG(waitpid(pid, &status, WNOHANG) == 0, "ledsignd exited early (status 0x%x)",
		   status);
	assert_held(&map);
	kill(pid, SIGTERM);
	ASSERT(waitpid(pid, &status, 0) == pid);
	ASSERT_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ledsignd: status 0x%x", status);
	assert_released(&map);
}

/* A /proc/PID/status field in kB, or -1. */
static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	long kb = -1;
	size_t n = strlen(field);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	ASSERT_MSG(f, "%s: cannot open", path);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			kb = atol(line + n + 1);
	fclose(f);
	return kb;
}

/* The memory figures of the service on a gpiod output, as root so that it
 * locks its memory as on a board (README's figures quote this line). */
TEST(the_service_on_gpiod_locks_its_memory_and_reports_rss)
{
	int status = -1;
	pid_t pid = start_service(NULL);
	long hwm, rss, lck;

	sleep_ms(6000);
	ASSERT_MSG(waitpid(pid, &status, WNOHANG) == 0, "ledsignd exited early (status 0x%x)",
		   status);
	hwm = status_kb(pid, "VmHWM");
	rss = status_kb(pid, "VmRSS");
	lck = status_kb(pid, "VmLck");
	printf(
	    "figure: ledsignd 192x16 hub12 on gpiod (root, memory locked): VmHWM %ld kB, VmRSS %ld "
	    "kB, VmLck %ld kB\n",
	    hwm, rss, lck);
	kill(pid, SIGTERM);
	ASSERT(waitpid(pid, &status, 0) == pid);
	ASSERT(hwm > 0 && rss > 0);
	ASSERT_MSG(lck > 0, "no memory locked (VmLck %ld kB)", lck);
}
