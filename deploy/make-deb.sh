#!/bin/sh
# Builds ledsign_VERSION_ARCH.deb from the tree with dpkg-deb, for
#   sudo apt install ./ledsign_0.1.0_arm64.deb
#
#   sh deploy/make-deb.sh VERSION [BUILD]       (make deb; make deb CROSS=aarch64-linux-gnu-)
#
# The binaries are built again into BUILD-deb with PREFIX=/usr, so the data
# directory compiled in is /usr/share/ledsign whatever PREFIX the tree used.
# Dependencies come from dpkg-shlibdeps on the binaries, and libcurl's package
# (opened at run time, so dpkg-shlibdeps does not see it). The package has what
# lintian asks of one (no error): stripped binaries, gzipped man pages, a
# copyright file and a changelog; the maintainer is $DEB_MAINTAINER (a
# placeholder address by default: set it when you publish the package).
# The .deb is written to $DEB_OUT (default: the top of the tree).
set -eu

version=${1:?usage: make-deb.sh VERSION [BUILD]}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

maintainer=${DEB_MAINTAINER:-ledsign maintainers <ledsign@ledsign.invalid>}
outdir=${DEB_OUT:-.}
case "$build" in
*aarch64*) arch=arm64; cross=aarch64-linux-gnu- ;;
*arm-linux-gnueabihf*) arch=armhf; cross=arm-linux-gnueabihf- ;;
*) arch=$(dpkg --print-architecture); cross= ;;
esac
if [ -n "$cross" ] && { ! command -v "${cross}gcc" >/dev/null || [ ! -d "/usr/lib/${cross%-}/pkgconfig" ]; }; then
	echo "make-deb.sh: no ${cross}gcc or arm -dev packages here; run the cross set-up first:" >&2
	echo "  sh deploy/install-deps.sh --cross   (arm64; see deploy/README.md, \"Cross-build\")" >&2
	exit 1
fi
debbuild="build-deb-$arch"
make --no-print-directory -j2 CROSS="$cross" BUILD="$debbuild" PREFIX=/usr all >/dev/null

# copyright: the machine-readable copyright file, with the OFL's text (it is
# not in /usr/share/common-licenses).
copyright() {
	cat <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ledsign

Files: *
Copyright: 2024-2026 the ledsign authors
License: GPL-2+
 This program is free software; you can redistribute it and/or modify it
 under the terms of the GNU General Public License as published by the Free
 Software Foundation; either version 2 of the License, or (at your option)
 any later version.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 2 can be found in /usr/share/common-licenses/GPL-2.

Files: usr/share/ledsign/fonts/ledsign16.bdf usr/share/ledsign/fonts/ledsign32.bdf
Copyright: 2024 the ledsign authors
License: OFL-1.1
EOF
	sed -e 's/^$/./' -e 's/^/ /' fonts/OFL.txt
}

stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
sh deploy/install-files.sh install "$stage" /usr "$debbuild" >/dev/null
doc=$stage/usr/share/doc/ledsign
"${cross}strip" --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$stage/usr/bin/"* "$stage/usr/sbin/"*
find "$stage/usr/share/man" -type f -name '*.[158]' -exec gzip -9n {} +
copyright >"$doc/copyright"
chmod 0644 "$doc/copyright"
{
	printf 'ledsign (%s) unstable; urgency=medium\n\n' "$version"
	printf '  * Built from the source tree (%s).\n\n' \
		"$(git describe --always --dirty 2>/dev/null || echo "no git")"
	printf ' -- %s  %s\n' "$maintainer" "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n >"$doc/changelog.gz"

mkdir -p "$stage/DEBIAN" "$stage/debian"
printf 'Source: ledsign\nPackage: ledsign\nArchitecture: %s\n' "$arch" >"$stage/debian/control"
depends=$(cd "$stage" && dpkg-shlibdeps -O -xledsign usr/bin/* usr/sbin/* 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
rm -rf "$stage/debian"
[ -n "$depends" ] || depends="libgpiod3, libfreetype6, libcjson1, libinih1, libutf8proc2, libsodium23, libpng16-16, libgif7, libsystemd0"
# libcurl is opened at run time (src/sys/libcurl.c), so dpkg-shlibdeps does not
# see it: depend on the package that has the soname the build compiled against
# (libcurl4 on Debian 12, libcurl4t64 on 13), at the version it was built with.
soname=$(make --no-print-directory -s CROSS="$cross" print-curl-soname)
triplet=${cross%-}
[ -n "$triplet" ] || triplet=$(gcc -dumpmachine)
curlpkg=$(dpkg -S "*/$triplet/$soname" 2>/dev/null | sed -n '1s/:.*//p')
[ -n "$curlpkg" ] || curlpkg=libcurl4
curlver=$(dpkg-query -W -f '${Version}' "$curlpkg:$arch" 2>/dev/null | sed 's/-[^-]*$//')
depends="$depends, $curlpkg${curlver:+ (>= $curlver)}"

cat >"$stage/DEBIAN/control" <<CTRL
Package: ledsign
Version: $version
Architecture: $arch
Maintainer: $maintainer
Depends: $depends, procps, adduser | passwd
Recommends: fonts-unifont, systemd
Section: misc
Priority: optional
Installed-Size: $(du -sk "$stage" | cut -f1)
Description: signed scrolling Vietnamese text on LED panels
 ledsignd pulls signed playlists from a central feed and shows them on HUB12
 (P10) and HUB75 LED panels through libgpiod; ledsign renders previews,
 signs feeds and checks a board on site (ledsign doctor).
CTRL
echo /etc/ledsign/ledsign.conf >"$stage/DEBIAN/conffiles"
cat >"$stage/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
	# setup-board.sh enables the service even when the config check fails
	# (an image build: a chroot without systemd or hardware), and says so.
	sh /usr/share/ledsign/setup-board.sh --no-start ||
		echo "ledsign: the setup reported a problem above; the service is enabled and starts once it is fixed" >&2
	if command -v deb-systemd-helper >/dev/null && ! deb-systemd-helper --quiet is-enabled ledsignd.service; then
		deb-systemd-helper enable ledsignd.service >/dev/null || true
	fi
	echo "ledsign: edit /etc/ledsign/ledsign.conf, then: systemctl start ledsignd; ledsign doctor"
fi
POST
# Stopping and disabling go through init-system-helpers, as debhelper's
# scripts do; they work (as no-ops) where systemd is not running.
cat >"$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ] && command -v deb-systemd-invoke >/dev/null; then
	deb-systemd-invoke stop ledsignd.service >/dev/null || true
fi
PRERM
cat >"$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if command -v deb-systemd-helper >/dev/null; then
	case "$1" in
	remove) deb-systemd-helper disable ledsignd.service >/dev/null || true ;;
	purge) deb-systemd-helper purge ledsignd.service >/dev/null || true ;;
	esac
fi
if [ "$1" = purge ]; then
	rm -rf /var/lib/ledsign /var/cache/ledsign
fi
POSTRM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
out="$outdir/ledsign_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
