#!/bin/sh
# Installs the Debian packages ledsign needs, and nothing when they are all there.
#
#   sh deploy/install-deps.sh --build   libraries and tools to build and run
#   sh deploy/install-deps.sh --test    plus what the test suite drives (nginx, valgrind, clang, ...)
#   sh deploy/install-deps.sh --cross   plus the arm64 cross toolchain, multiarch -dev packages, qemu-user
#
# Works on Debian 12 and 13, Raspberry Pi OS and Ubuntu 24.04. libgpiod must be
# 2.x: on Debian 12 (bookworm) it comes from bookworm-backports, which this
# script adds when the distribution's own libgpiod is older.
set -eu

profile=${1:---build}

BUILD_PKGS="build-essential pkg-config libgpiod-dev gpiod libfreetype-dev libcurl4-openssl-dev
 libcjson-dev libinih-dev libutf8proc-dev libsodium-dev libpng-dev libgif-dev libsystemd-dev
 fonts-unifont fonts-dejavu-core xfonts-base xfonts-efont-unicode"
TEST_PKGS="valgrind strace clang libclang-rt-14-dev|libclang-rt-dev nginx-light|nginx minisign groff-base man-db
 python3 systemd curl ca-certificates openssl giflib-tools"
CROSS_PKGS="gcc-aarch64-linux-gnu qemu-user libc6-dev-arm64-cross"
CROSS_ARCH_PKGS="libgpiod-dev libfreetype-dev libcurl4-openssl-dev libcjson-dev libinih-dev
 libutf8proc-dev libsodium-dev libpng-dev libgif-dev libsystemd-dev"

case "$profile" in
--build) want="$BUILD_PKGS" ;;
--test) want="$BUILD_PKGS $TEST_PKGS" ;;
--cross) want="$BUILD_PKGS $TEST_PKGS $CROSS_PKGS" ;;
*) echo "install-deps.sh: unknown profile '$profile'; use --build, --test or --cross" >&2; exit 2 ;;
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

gpiod_major() {
	apt-cache policy "$@" libgpiod-dev 2>/dev/null | awk '/Candidate:/ {print substr($2,1,1)}'
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

if [ "$profile" = --cross ]; then
	arch=arm64
	if ! dpkg --print-foreign-architectures | grep -qx $arch; then
		$SUDO dpkg --add-architecture $arch
		updated=
		apt_update
	fi
	# Multiarch "Multi-Arch: same" packages must have exactly the native
	# version, so each arm64 package is asked for at the version installed for
	# the build architecture. On bookworm this is what takes libgpiod-dev:arm64
	# from bookworm-backports (2.x) rather than bookworm's own 1.6, without
	# pulling every other library from backports too.
	need=
	for p in $CROSS_ARCH_PKGS; do
		installed "$p:$arch" && continue
		ver=$(dpkg-query -W -f='${Version}\n' "$p:$(dpkg --print-architecture)" 2>/dev/null | head -n 1)
		need="$need $p:$arch${ver:+=$ver}"
	done
	if [ -n "$need" ]; then
		apt_update
		# shellcheck disable=SC2086
		$SUDO apt-get install -y -q --no-install-recommends $need >/dev/null
	fi
fi
gpiod_ok || { echo "install-deps: libgpiod 2.x still missing" >&2; exit 1; }
