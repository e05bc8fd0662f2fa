#!/bin/sh
# Installs the Debian packages ledsign needs, and nothing when they are all there.
#
#   sh deploy/install-deps.sh --build   libraries and tools to build and run
#   sh deploy/install-deps.sh --test    plus what the test suite drives (nginx, valgrind, clang, ...)
#   sh deploy/install-deps.sh --cross   plus the arm64 cross toolchain, multiarch -dev packages, qemu-user
#   sh deploy/install-deps.sh --kernel  plus what `make test-kernel` boots (qemu, busybox, kernel headers)
#
# Works on Debian 12 and 13, Raspberry Pi OS and Ubuntu 24.04. libgpiod must be
# 2.x: on Debian 12 (bookworm) it comes from bookworm-backports, which this
# script adds when the distribution's own libgpiod is older.
set -eu

profile=${1:---build}

BUILD_PKGS="build-essential pkg-config libgpiod-dev gpiod libfreetype-dev libcurl4-openssl-dev
 libcjson-dev libinih-dev libutf8proc-dev libsodium-dev libpng-dev libgif-dev libsystemd-dev
 libmicrohttpd-dev libsqlite3-dev libpq-dev
 fonts-unifont fonts-dejavu-core xfonts-base xfonts-efont-unicode gettext"
TEST_PKGS="valgrind strace clang clang-format libclang-rt-14-dev|libclang-rt-dev nginx-light|nginx libnginx-mod-nchan redis-server minisign groff-base man-db
 python3 python3-jsonschema systemd curl ca-certificates openssl giflib-tools"
# What a debootstrap minbase lacks that the tests use (kill, pgrep, ps; file).
TEST_PKGS="$TEST_PKGS procps file locales"
# The checks of shell scripts, the .deb, the man pages and the terminal output.
TEST_PKGS="$TEST_PKGS shellcheck lintian mandoc tmux"
# The hub's tests: a throw-away PostgreSQL server, the sqlite3 shell that reads the hub's file,
# a real browser driven by Playwright from npm.
TEST_PKGS="$TEST_PKGS postgresql sqlite3 chromium npm|nodejs"
# make test-kernel: qemu boots Debian's kernel with a gpio-sim module built against its headers.
KERNEL_PKGS="qemu-system-x86 busybox-static linux-headers-amd64 xz-utils"
CROSS_PKGS="gcc-aarch64-linux-gnu qemu-user libc6-dev-arm64-cross file"
CROSS_ARCH_PKGS="libgpiod-dev libfreetype-dev libcurl4-openssl-dev libcjson-dev libinih-dev
 libutf8proc-dev libsodium-dev libpng-dev libgif-dev libsystemd-dev"

case "$profile" in
--build) want="$BUILD_PKGS" ;;
--test) want="$BUILD_PKGS $TEST_PKGS" ;;
--cross) want="$BUILD_PKGS $TEST_PKGS $CROSS_PKGS" ;;
--kernel) want="$BUILD_PKGS $KERNEL_PKGS" ;;
*) echo "install-deps.sh: unknown profile '$profile'; use --build, --test, --cross or --kernel" >&2; exit 2 ;;
esac

if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive

installed() { # installed PKG[:ARCH] -> 0 when dpkg has it
	# One line per installed architecture (amd64 and arm64 after --cross).
	dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

# An alternative "a|b" is satisfied by either; install the first that apt knows.
missing=
for alt in $want; do
	ok=
	for p in $(echo "$alt" | tr '|' ' '); do installed "$p" && ok=1 && break; done
	[ -n "$ok" ] || missing="$missing $alt"
done
# The zone tests read right/ (leap-second) zones: tzdata has them up to Debian
# 12, tzdata-legacy from Debian 13 on. tzdata is always installed, so the file
# decides, not an alternative "tzdata-legacy|tzdata" (which tzdata satisfies).
case "$profile" in
--test | --cross)
	[ -e /usr/share/zoneinfo/right/Europe/Berlin ] || missing="$missing tzdata-legacy|tzdata"
	;;
esac

gpiod_major() {
	apt-cache policy libgpiod-dev 2>/dev/null | awk '/Candidate:/ {print substr($2,1,1)}'
}

updated=
apt_update() { [ -n "$updated" ] || { $SUDO apt-get update -qq; updated=1; }; }

gpiod_ok() { pkg-config --atleast-version=2.0 libgpiod 2>/dev/null; }

cross_done() { # every arm64 -dev package is there (or this is not --cross)
	[ "$profile" = --cross ] || return 0
	for p in $CROSS_ARCH_PKGS; do installed "$p:arm64" || return 1; done
}

if [ -z "$missing" ] && gpiod_ok && cross_done; then
	exit 0
fi

echo "install-deps: installing:${missing:- (libgpiod 2.x)}" >&2
apt_update

# libgpiod 2.x: take it from bookworm-backports when the release's own is 1.x.
gpiod_target=
if ! gpiod_ok && [ "$(gpiod_major)" = 1 ]; then
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ "$codename" = bookworm ]; then
		if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
			echo "install-deps: adding bookworm-backports for libgpiod 2.x" >&2
			echo 'deb http://deb.debian.org/debian bookworm-backports main' |
				$SUDO tee /etc/apt/sources.list.d/ledsign-backports.list >/dev/null
			updated=
			apt_update
		fi
		gpiod_target="-t bookworm-backports"
	else
		echo "install-deps: libgpiod 2.x is not available for '$codename'; install it and retry" >&2
		exit 1
	fi
fi

pick() { # pick "a|b" -> first alternative apt can install
	for p in $(echo "$1" | tr '|' ' '); do
		if apt-cache show "$p" >/dev/null 2>&1; then echo "$p"; return; fi
	done
	echo "$1" | cut -d'|' -f1
}

if ! gpiod_ok; then
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q $gpiod_target libgpiod-dev gpiod >/dev/null
fi
list=
for alt in $missing; do list="$list $(pick "$alt")"; done
if [ -n "$list" ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $list >/dev/null
fi

# The arm64 -dev packages for the cross stage. Multiarch "Multi-Arch: same"
# packages must have exactly the native version, so each is asked for at the
# version installed for the build architecture when the mirror still has it
# for arm64 (on bookworm this takes libgpiod-dev:arm64 from bookworm-backports,
# like the native one), or else at the mirror's candidate for both
# architectures, upgrading the native one. apt simulates the whole install
# first. Library man pages (man3) are not unpacked in this step: Debian 13's
# libpsl-dev:arm64 ships a libpsl.3.gz that differs from the amd64 one, which
# dpkg refuses for a Multi-Arch: same package (a native package upgraded in
# this same step goes without its man3 pages too). When it cannot be done, or dpkg fails half-way anyway, everything
# this step added is taken out again, and the
# script exits 3 with one line saying why: the machine's packages are left as
# they were, and cross-test.sh skips its stage.
cross_skip() { # cross_skip REASON: undo this step and exit 3
	echo "install-deps: cannot set up arm64 -dev packages: $1" >&2
	added=$(dpkg-query -W -f='${binary:Package} ${db:Status-Status}\n' 2>/dev/null |
		awk '$1 ~ /:arm64$/ && $2 != "not-installed" {print $1}' | sort | comm -13 "$arm_before" -)
	if [ -n "$added" ]; then
		# shellcheck disable=SC2086
		$SUDO dpkg --purge --force-depends --force-remove-protected $added >/dev/null 2>&1 || true
	fi
	$SUDO dpkg --configure -a >/dev/null 2>&1 || true
	if [ -n "$arch_added" ] && ! dpkg-query -W -f='${binary:Package}\n' 2>/dev/null | grep -q ':arm64$'; then
		$SUDO dpkg --remove-architecture arm64 || true
		$SUDO apt-get update -qq || true
	fi
	rm -f "$arm_before"
	if ! $SUDO apt-get check -q >/dev/null 2>&1; then
		echo "install-deps: apt is still broken after taking the arm64 packages out; run: sudo apt --fix-broken install" >&2
		exit 1
	fi
	exit 3
}

arm_version() { # arm_version PKG VERSION -> 0 when the mirror has PKG:arm64 at VERSION
	apt-cache madison "$1:arm64" 2>/dev/null | awk -F'|' -v v="$2" '{gsub(/ /, "", $2)} $2 == v {f = 1} END {exit !f}'
}

cross_arch() {
	arch_added=
	arm_before=$(mktemp)
	dpkg-query -W -f='${binary:Package} ${db:Status-Status}\n' 2>/dev/null |
		awk '$1 ~ /:arm64$/ && $2 != "not-installed" {print $1}' | sort >"$arm_before"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		arch_added=1
		updated=
	fi
	apt_update
	native=$(dpkg --print-architecture)
	need=
	for p in $CROSS_ARCH_PKGS; do
		installed "$p:arm64" && continue
		ver=$(dpkg-query -W -f='${Version}\n' "$p:$native" 2>/dev/null | head -n 1)
		if [ -n "$ver" ] && arm_version "$p" "$ver"; then
			need="$need $p:arm64=$ver"
			continue
		fi
		cand=$(apt-cache policy "$p:$native" 2>/dev/null | awk '/Candidate:/ {print $2}')
		if [ -n "$cand" ] && [ "$cand" != "(none)" ] && arm_version "$p" "$cand"; then
			need="$need $p:$native=$cand $p:arm64=$cand"
		else
			cross_skip "$p:arm64 ${ver:-$cand} is not on the mirror (the native $p is ${ver:-not installed})"
		fi
	done
	if [ -n "$need" ]; then
		# shellcheck disable=SC2086
		sim=$($SUDO apt-get install -s -q --no-install-recommends $need 2>&1) ||
			cross_skip "apt cannot install them: $(printf '%s\n' "$sim" | grep -E '^E:|Depends:|Conflicts:|Breaks:' | head -n 2 | tr '\n' ' ')"
		removes=$(printf '%s\n' "$sim" | sed -n 's/^Remv \([^ ]*\).*/\1/p' | tr '\n' ' ')
		[ -z "$removes" ] || cross_skip "installing them would remove $removes"
		# shellcheck disable=SC2086
		$SUDO apt-get install -y -q --no-install-recommends \
			-o Dpkg::Options::=--path-exclude=/usr/share/man/man3/* $need >"$arm_before.log" 2>&1 ||
			cross_skip "apt-get install failed: $(grep -E '^(E|dpkg):' "$arm_before.log" | head -n 2 | tr '\n' ' ')"
		rm -f "$arm_before.log"
	fi
	rm -f "$arm_before"
}

if [ "$profile" = --cross ]; then
	cross_arch
fi
gpiod_ok || { echo "install-deps: libgpiod 2.x still missing" >&2; exit 1; }
