#!/bin/sh
# Installs (or removes) ledsign's files; called by `make install` / `make uninstall`.
#
#   sh deploy/install-files.sh install   DESTDIR PREFIX BUILD
#   sh deploy/install-files.sh uninstall DESTDIR PREFIX BUILD
#   sh deploy/install-files.sh list      DESTDIR PREFIX BUILD   (what install puts)
#
# Layout (PREFIX=/usr shown; the default is /usr/local):
#   /usr/bin/ledsign  /usr/sbin/ledsignd
#   /usr/share/ledsign/fonts/  content/  setup-board.sh
#   /usr/share/man/man1/ledsign.1  man5/ledsign.conf.5 ledsign-playlist.5  man8/ledsignd.8
#   /usr/share/man/vi/man1/ledsign.1  vi/man5/...   the Vietnamese pages (deploy/man/vi/)
#   /usr/share/doc/ledsign/        README.md, WIRING.md, editors-guide.md (content/README.md),
#                                  the Vietnamese guides (README.vi.md, editors-guide.vi.md, ...),
#                                  ledsign.conf.example, ...
#   /usr/lib/systemd/system/ledsignd.service
#   /usr/lib/udev/rules.d/60-ledsign-gpio.rules  (/etc/udev/rules.d when PREFIX is not /usr)
#   /etc/ledsign/ledsign.conf      only when absent; never overwritten
#
# The program files are listed once, in files(); uninstall removes exactly
# that list, and /etc/ledsign/ledsign.conf only while it is still the example.
# Creating the service user and enabling the unit is deploy/setup-board.sh's
# job (it needs root and a real system, not a DESTDIR).
set -eu

action=${1:?usage: install-files.sh install|uninstall|list DESTDIR PREFIX BUILD}
destdir=${2:-}
prefix=${3:-/usr/local}
build=${4:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

datadir=$prefix/share/ledsign
docdir=$prefix/share/doc/ledsign
mandir=$prefix/share/man
unitdir=$prefix/lib/systemd/system
if [ "$prefix" = /usr ]; then udevdir=/usr/lib/udev/rules.d; else udevdir=/etc/udev/rules.d; fi
conf=/etc/ledsign/ledsign.conf

# files: "MODE SOURCE TARGET" for every file install puts (TARGET without DESTDIR).
files() {
	echo "0755 $build/ledsign $prefix/bin/ledsign"
	echo "0755 $build/ledsignd $prefix/sbin/ledsignd"
	echo "0755 $build/ledsign-hub $prefix/sbin/ledsign-hub"
	for f in src/hub/www/*; do
		[ -f "$f" ] && echo "0644 $f $datadir/hub/www/$(basename "$f")"
	done
	echo "0644 deploy/ledsign-hub.service $unitdir/ledsign-hub.service"
	echo "0644 deploy/hub.conf $docdir/hub.conf.example"
	for f in fonts/*.bdf fonts/*.pcf fonts/*.otf fonts/*.ttf fonts/OFL.txt; do
		[ -f "$f" ] && echo "0644 $f $datadir/fonts/$(basename "$f")"
	done
	for f in content/*.json; do
		[ -f "$f" ] && echo "0644 $f $datadir/content/$(basename "$f")"
	done
	echo "0755 deploy/setup-board.sh $datadir/setup-board.sh"
	echo "0644 deploy/ledsignd.service $unitdir/ledsignd.service"
	echo "0644 deploy/60-ledsign-gpio.rules $udevdir/60-ledsign-gpio.rules"
	for m in deploy/man/*.[158]; do
		[ -f "$m" ] && echo "0644 $m $mandir/man${m##*.}/$(basename "$m")"
	done
	for m in deploy/man/vi/*.[158]; do
		[ -f "$m" ] && echo "0644 $m $mandir/vi/man${m##*.}/$(basename "$m")"
	done
	echo "0644 deploy/ledsign.conf $docdir/ledsign.conf.example"
	for d in README.md WIRING.md FEED.md HUB.md trace-format.md README.vi.md WIRING.vi.md FEED.vi.md HUB.vi.md; do
		[ -f "deploy/$d" ] && echo "0644 deploy/$d $docdir/$d"
	done
	echo "0644 content/README.md $docdir/editors-guide.md"
	[ -f content/README.vi.md ] && echo "0644 content/README.vi.md $docdir/editors-guide.vi.md"
	for mo in "$build"/locale/*/LC_MESSAGES/ledsign.mo; do
		[ -f "$mo" ] && echo "0644 $mo $prefix/share/${mo#"$build"/}"
	done
	return 0
}

install_one() { # MODE SOURCE TARGET
	mkdir -p "$destdir$(dirname "$3")"
	case "$3" in
	*.service) sed "s#@SBINDIR@#$prefix/sbin#g" "$2" >"$destdir$3" && chmod "$1" "$destdir$3" ;;
	*) install -m "$1" "$2" "$destdir$3" ;;
	esac
}

do_install() {
	for f in "$build/ledsign" "$build/ledsignd"; do
		[ -x "$f" ] || { echo "install-files.sh: $f missing; run make first" >&2; exit 1; }
	done
	files | while read -r mode src dst; do
		echo "  $destdir$dst"
		install_one "$mode" "$src" "$dst"
	done
	if [ ! -e "$destdir$conf" ]; then
		mkdir -p "$destdir$(dirname "$conf")"
		install -m 0644 deploy/ledsign.conf "$destdir$conf"
		echo "  $destdir$conf (the example; edit it for this board)"
	else
		echo "  $destdir$conf kept (exists)"
	fi
}

do_uninstall() {
	files | while read -r mode src dst; do
		[ -e "$destdir$dst" ] || continue
		rm -f "$destdir$dst" && echo "  removed $destdir$dst"
	done
	if [ -f "$destdir$conf" ]; then
		if cmp -s "$destdir$conf" deploy/ledsign.conf; then
			rm -f "$destdir$conf" && echo "  removed $destdir$conf"
		else
			echo "  kept $destdir$conf (edited for this board; remove it by hand if wanted)"
		fi
	fi
	# Directories that are ledsign's own go when empty; shared ones stay.
	for d in "$datadir/fonts" "$datadir/content" "$datadir" "$docdir" /etc/ledsign; do
		rmdir "$destdir$d" 2>/dev/null || true
	done
}

case "$action" in
install) do_install ;;
uninstall) do_uninstall ;;
list) files | while read -r mode src dst; do echo "$dst"; done; echo "$conf" ;;
*) echo "install-files.sh: unknown action '$action'; use install, uninstall or list" >&2; exit 2 ;;
esac
