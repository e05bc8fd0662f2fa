#!/bin/bash
# The Debian package and the man pages: `make deb` gives a .deb that lintian
# passes without an error, that depends on procps, ships a copyright file, a
# changelog, the editors' guide (and its Vietnamese copy), gzipped man pages (the
# Vietnamese ones under /usr/share/man/vi too) and stripped binaries; the
# man pages pass mandoc -Tlint and draw every Vietnamese letter even on an
# ASCII terminal (LANG=C); `make deb CROSS=...` without the cross set-up says
# to run it.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT tmp=$T_TMP
cd "$root" || exit 1
version=$(sed -n 's/^VERSION = //p' config.mk)

DEB_OUT=$tmp sh deploy/make-deb.sh "$version" build >"$tmp/make-deb.log" 2>&1
deb=$(ls "$tmp"/ledsign_*.deb 2>/dev/null | head -n 1)
check make_deb_builds_a_package test -s "${deb:-/nonexistent}"
[ -n "$deb" ] || { cat "$tmp/make-deb.log"; finish; exit 1; }
lintian --fail-on error --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1
rc=$?
grep -v 'root privileges' "$tmp/lintian.log"
check lintian_reports_no_error test $rc = 0 -a -z "$(grep '^E:' "$tmp/lintian.log")"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$tmp/contents"
check depends_on_procps sh -c "dpkg-deb -f '$deb' Depends | grep -qw procps"
for f in /usr/share/doc/ledsign/copyright /usr/share/doc/ledsign/changelog.gz \
	/usr/share/doc/ledsign/editors-guide.md /usr/share/man/man1/ledsign.1.gz \
	/usr/share/man/man5/ledsign-playlist.5.gz /usr/share/man/man8/ledsignd.8.gz \
	/usr/share/man/vi/man1/ledsign.1.gz /usr/share/man/vi/man5/ledsign.conf.5.gz \
	/usr/share/man/vi/man5/ledsign-playlist.5.gz /usr/share/doc/ledsign/editors-guide.vi.md; do
	check "ships_$f" grep -qx "$f" "$tmp/contents"
done
check no_man_page_is_uncompressed sh -c "! grep -E '^/usr/share/man/.*\.[158]\$' '$tmp/contents'"
mkdir -p "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
for b in "$tmp"/x/usr/bin/* "$tmp"/x/usr/sbin/*; do
	check "$(basename "$b")_is_stripped" sh -c "file -b '$b' | grep -q ', stripped'"
done
check editors_guide_is_content_readme cmp content/README.md "$tmp/x/usr/share/doc/ledsign/editors-guide.md"

for m in deploy/man/*.[158]; do
	n=$(basename "$m")
	check "${n}_passes_mandoc_lint" mandoc -Tlint -W warning "$m"
	# groff names every character it cannot draw; on the ascii device that is
	# a Vietnamese letter dropped from what LANG=C man shows.
	out=$(preconv "$m" | groff -man -Tascii -ww -z 2>&1)
	[ -z "$out" ] || echo "$out"
	check "${n}_draws_every_letter_under_LANG_C" test -z "$out"
done
LANG=C LC_ALL=C man -l deploy/man/ledsign-playlist.5 2>/dev/null >"$tmp/playlist.txt"
check playlist_page_under_LANG_C_says_quan_Ba_Dinh grep -q 'BHXH quan Ba Dinh' "$tmp/playlist.txt"

if command -v arm-linux-gnueabihf-gcc >/dev/null; then
	ok "make_deb_cross_without_set_up_says_so (skipped: the armhf toolchain is installed)"
else
	make -s --no-print-directory deb CROSS=arm-linux-gnueabihf- >"$tmp/cross.log" 2>&1
	rc=$?
	cat "$tmp/cross.log"
	check make_deb_cross_without_set_up_says_so test $rc -ne 0 -a -n "$(grep 'run the cross set-up first' "$tmp/cross.log")"
fi

finish
