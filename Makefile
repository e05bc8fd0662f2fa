# ledsign: build, test and install.
#
# `make run` and `make test` are the two commands a newcomer needs: both first
# call deploy/install-deps.sh, which installs whatever Debian packages are
# missing and is silent when all are present.
#
# Sources are found by wildcard, so a new module needs no edit here:
#   src/core/**.c       the pure core: values and providers in, values out (no
#                       I/O, clock, environment, threads, nor calls into
#                       src/sys/; `make check-core`, a stage of `make test`,
#                       names any object and symbol that breaks this)
#   src/sys/**.c        the system edges: files, network, clock, zones, fonts,
#                       GPIO, threads
#   both together are libledsign.a, which every program links
#   src/cmd/ledsignd*.c the service; src/cmd/ledsign*.c + src/cmd/tool_*.c the tool
#   src/hub/*.c         the fleet's central service, ledsign-hub
#   tests/test_*.c      one test binary each, linked with tests/harness.c
#   tests/fuzz_*.c      libFuzzer targets (clang), run for a bounded time
#
# SAN=1 builds into build-asan/ with AddressSanitizer and UBSan.
# CROSS=aarch64-linux-gnu- cross-compiles into build-aarch64-linux-gnu/.

include config.mk

ifeq ($(SAN),1)
BUILD   ?= build-asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifneq ($(CROSS),)
BUILD   ?= build-$(CROSS:-=)
else
BUILD   ?= build
endif

CC       = $(CROSS)gcc
AR       = $(CROSS)ar
PKG_CONFIG ?= pkg-config
ifneq ($(CROSS),)
PKG_CONFIG_LIBDIR ?= /usr/lib/$(CROSS:-=)/pkgconfig:/usr/share/pkgconfig
export PKG_CONFIG_LIBDIR
# $(shell) does not see exported variables before GNU make 4.4: pass it on the command.
PKG_CONFIG := PKG_CONFIG_LIBDIR=$(PKG_CONFIG_LIBDIR) $(PKG_CONFIG)
endif

PKGS     = libgpiod freetype2 libcurl libcjson inih libutf8proc libsodium libpng libsystemd
# pkg-config is asked lazily (=), so `make clean` works before deps are installed.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libcurl is not linked: src/sys/libcurl.c opens it when it is first used
# (after a board's first frame), by the soname of the one compiled against.
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS))) -lgif -lm -lpthread -ldl
CURL_SONAME ?= $(or $(shell f=$$($(CC) -print-file-name=libcurl.so) && readelf -d "$$(readlink -f "$$f")" 2>/dev/null | \
                 sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'),libcurl.so.4)
# The hub (src/hub/, a server program) alone links these; the boards never do.
HUB_PKGS   = libmicrohttpd sqlite3 libpq
HUB_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(HUB_PKGS))
HUB_LIBS   = $(shell $(PKG_CONFIG) --libs $(HUB_PKGS))

WARN     = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Werror
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -MMD -MP \
             -DLS_VERSION='"$(VERSION)"' -DLS_DATADIR='"$(DATADIR)"' \
             -DLS_LOCALEDIR='"$(LOCALEDIR)"' $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

CORE_SRC   = $(sort $(wildcard src/core/*.c src/core/*/*.c))
SYS_SRC    = $(sort $(wildcard src/sys/*.c src/sys/*/*.c))
LIB_SRC    = $(CORE_SRC) $(SYS_SRC)
DAEMON_SRC = $(sort $(wildcard src/cmd/ledsignd*.c))
TOOL_SRC   = $(sort $(wildcard src/cmd/ledsign.c src/cmd/tool_*.c))
HUB_SRC    = $(sort $(filter-out src/hub/main.c,$(wildcard src/hub/*.c)))
TEST_SRC   = $(sort $(wildcard tests/test_*.c))
TEST_AUX   = tests/harness.c tests/panel_model.c tests/bcm_emu.c
BENCH_SRC  = $(sort $(wildcard tests/bench_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB    = $(BUILD)/libledsign.a
DAEMON = $(BUILD)/ledsignd
TOOL   = $(BUILD)/ledsign
HUB    = $(BUILD)/ledsign-hub
HUBLIB = $(BUILD)/libledsign-hub.a
TESTS  = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_AUX_OBJ = $(call obj,$(wildcard $(TEST_AUX)))
MO      = $(BUILD)/locale/vi/LC_MESSAGES/ledsign.mo
BENCHES = $(patsubst tests/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: print-curl-soname pot check-po test-fresh all deps run test test-unit test-kernel test-asan test-e2e bench fuzz install uninstall clean deb format cross-test check-core check-format
.DEFAULT_GOAL := all

all: $(DAEMON) $(TOOL) $(HUB) $(MO)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(DAEMON): $(call obj,$(DAEMON_SRC)) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(TOOL): $(call obj,$(TOOL_SRC)) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_AUX_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/src/sys/libcurl.o: ALL_CFLAGS += -DLS_CURL_SONAME='"$(CURL_SONAME)"'

print-curl-soname:
	@echo $(CURL_SONAME)

$(BUILD)/obj/src/hub/%.o $(BUILD)/obj/tests/test_hub_%.o $(BUILD)/obj/tests/bench_hub%.o: ALL_CFLAGS += $(HUB_CFLAGS)

$(HUBLIB): $(call obj,$(HUB_SRC))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(HUB): $(call obj,src/hub/main.c) $(HUBLIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(HUB_LIBS) $(PKG_LIBS)

$(BUILD)/tests/test_hub_%: $(BUILD)/obj/tests/test_hub_%.o $(TEST_AUX_OBJ) $(HUBLIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(HUB_LIBS) $(PKG_LIBS)

# Messages: po/POTFILES lists the sources, po/ledsign.pot is their template
# (`make pot` after a message changes), po/vi.po the Vietnamese catalogue.
# The core's formats are marked by the functions that take them (ls_error_set,
# ls_lint_report, ls_ntr, LS_N_ ...: see include/ledsign/i18n.h), the edges' by
# _() and N_() and by their own printf-like helpers (die, refuse, fail ...),
# the hub's by hub_tr() and hub_reply_error() (its answers, src/hub/catalog.c),
# the preview's labels by label_word() (the caller's ls_words_fn).
XGETTEXT_FLAGS = --from-code=UTF-8 --add-comments=TRANSLATORS --package-name=ledsign \
  --package-version=$(VERSION) --msgid-bugs-address=ledsign --no-location \
  --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
  --keyword=ls_error_set:2 --keyword=ls_error_prefix:2 --keyword=ls_tr:1 --keyword=ls_ntr:1,2 --keyword=LS_N_ \
  --keyword=ls_lint_report:5 --keyword=ls_lint_item_report:4 \
  --keyword=log_warnx:1 --keyword=log_info:1 --keyword=fatalx:1 \
  --keyword=die:1 --keyword=die_perror:1 --keyword=tool_usage_error:2 \
  --keyword=refuse:3 --keyword=warn_located:4 --keyword=advise:4 --keyword=fail:3 \
  --keyword=hub_tr:1 --keyword=hub_reply_error:3 --keyword=label_word:2 \
  --flag=ls_error_set:2:c-format --flag=ls_error_prefix:2:c-format --flag=LS_N_:1:c-format \
  --flag=ls_ntr:1:c-format --flag=ls_ntr:2:c-format \
  --flag=ls_lint_report:5:c-format --flag=ls_lint_item_report:4:c-format \
  --flag=log_warnx:1:c-format --flag=log_info:1:c-format --flag=fatalx:1:c-format \
  --flag=die:1:c-format --flag=die_perror:1:c-format --flag=tool_usage_error:2:c-format \
  --flag=refuse:3:c-format --flag=warn_located:4:c-format --flag=advise:4:c-format \
  --flag=fail:3:c-format --flag=hub_reply_error:3:c-format

pot:
	xgettext $(XGETTEXT_FLAGS) -o po/ledsign.pot $$(cat po/POTFILES)
	msgmerge --quiet --update --backup=none po/vi.po po/ledsign.pot

$(MO): po/vi.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

check-po:
	@sh tests/check-po.sh

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

deps:
	@sh deploy/install-deps.sh $(DEPS_PROFILE)

# The main job on a simulated panel: the service, drawing the board in the terminal.
run: DEPS_PROFILE = --build
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p build/run/cache build/run/state
	./$(DAEMON) -d -c deploy/ledsign-run.conf $(ARGS)

# The boundary and format checks, unit tests twice (plain, then ASan+UBSan),
# then the end-to-end and fuzz stages.
test: DEPS_PROFILE = --test
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-core
	@$(MAKE) --no-print-directory check-format
	@$(MAKE) --no-print-directory check-po
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory SAN=1 test-unit
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory cross-test
	@sh tests/summary.sh build build-asan build-aarch64-linux-gnu

test-unit: $(DAEMON) $(TOOL) $(HUB) $(MO) $(TESTS)
	@sh tests/run-unit.sh $(BUILD)

# The core's objects may call no I/O, clock, environment, thread, process or
# network function, nor any function of src/sys/: tests/check-core.sh lists
# each object and symbol that does.
check-core: $(call obj,$(CORE_SRC) $(SYS_SRC))
	@sh tests/check-core.sh $(BUILD) $(call obj,$(CORE_SRC))

# Every C file as clang-format writes it (the tree's .clang-format); names
# each one that is not. `make format` rewrites them.
check-format:
	@sh tests/check-format.sh

test-e2e: all
	@sh tests/run-e2e.sh $(BUILD)

# The gpiod transport and the service on a real kernel with gpio-sim, under
# qemu (tests/kernel.sh; downloads Debian's kernel once, then ~15 s).
test-kernel: DEPS_PROFILE = --kernel
test-kernel: deps
	@$(MAKE) --no-print-directory $(DAEMON) $(BUILD)/tests/kernel_gpio
	@bash tests/kernel.sh $(BUILD)

fuzz:
	@sh tests/run-fuzz.sh build-fuzz $(FUZZ_SECONDS)

bench: DEPS_PROFILE = --test
bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@sh tests/bench.sh $(BUILD)

# Benchmarks are programs with their own main(): tests/bench_*.c.
$(BUILD)/bench/%: $(BUILD)/obj/tests/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# arm64 build + unit tests under qemu-user: ~35 s here once the arm64 -dev
# packages are in (first install ~20 s more), so it is a stage of `make test`.
cross-test:
	@sh deploy/cross-test.sh

# The README's two commands in a Debian root made fresh by debootstrap (root
# needed; SUITE=bookworm or trixie; WHAT=all, test or run): what .ci/run does.
SUITE ?= bookworm
WHAT ?= all
test-fresh:
	sh deploy/test-fresh.sh $(SUITE) $(WHAT)

install: all
	sh deploy/install-files.sh install "$(DESTDIR)" "$(PREFIX)" "$(BUILD)"

uninstall:
	sh deploy/install-files.sh uninstall "$(DESTDIR)" "$(PREFIX)" "$(BUILD)"

# make-deb.sh builds its own PREFIX=/usr copy (build-deb-ARCH); with CROSS it
# first checks that the cross set-up (install-deps.sh --cross) was done.
deb:
	sh deploy/make-deb.sh "$(VERSION)" "$(BUILD)"

format:
	clang-format -i $$(find src include tests -name '*.[ch]')

clean:
	rm -rf build build-asan build-fuzz build-aarch64-linux-gnu build-arm-linux-gnueabihf
