#!/bin/sh
# Builds ledsign_VERSION_ARCH.deb from the tree with dpkg-deb, for
#   sudo apt install ./ledsign_0.1.0_arm64.deb
#
#   sh deploy/make-deb.sh VERSION [BUILD]       (make deb; make deb CROSS=aarch64-linux-gnu-)
#
# The binaries are built again into BUILD-deb with PREFIX=/usr, so the data
# directory compiled in is /usr/share/ledsign whatever PREFIX the tree used.
# Dependencies come from dpkg-shlibdeps on the binaries.
set -eu

version=${1:?usage: make-deb.sh VERSION [BUILD]}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case "$build" in
*aarch64*) arch=arm64; cross=aarch64-linux-gnu- ;;
*arm-linux-gnueabihf*) arch=armhf; cross=arm-linux-gnueabihf- ;;
*) arch=$(dpkg --print-architecture); cross= ;;
esac
debbuild="build-deb-$arch"
make --no-print-directory -j2 CROSS="$cross" BUILD="$debbuild" PREFIX=/usr all >/dev/null

stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
sh deploy/install-files.sh install "$stage" /usr "$debbuild" >/dev/null

mkdir -p "$stage/DEBIAN" "$stage/debian"
printf 'Source: ledsign\nPackage: ledsign\nArchitecture: %s\n' "$arch" >"$stage/debian/control"
depends=$(cd "$stage" && dpkg-shlibdeps -O -xledsign usr/bin/ledsign usr/sbin/ledsignd 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
rm -rf "$stage/debian"
[ -n "$depends" ] || depends="libgpiod3, libfreetype6, libcurl4, libcjson1, libinih1, libutf8proc2, libsodium23, libpng16-16, libgif7, libsystemd0"

cat >"$stage/DEBIAN/control" <<CTRL
Package: ledsign
Version: $version
Architecture: $arch
Maintainer: ledsign <ledsign@localhost>
Depends: $depends, adduser | passwd
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
	sh /usr/share/ledsign/setup-board.sh --no-start || true
	echo "ledsign: edit /etc/ledsign/ledsign.conf, then: systemctl start ledsignd; ledsign doctor"
fi
POST
cat >"$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
	systemctl stop ledsignd.service || true
	systemctl disable ledsignd.service || true
fi
PRERM
cat >"$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ "$1" = purge ]; then
	rm -rf /var/lib/ledsign /var/cache/ledsign
fi
POSTRM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
out="ledsign_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
