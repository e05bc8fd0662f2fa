#!/bin/bash
# make install / uninstall into a DESTDIR, the unit under systemd-analyze,
# the man pages under groff, the example config against the real key list.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT build=$LEDSIGN_BUILD tmp=$T_TMP
cd "$root" || exit 1
stage=$tmp/stage
bld=$(basename "$build")

make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr BUILD="$bld" >"$tmp/install.log" 2>&1
check install_succeeds test $? = 0
for f in usr/bin/ledsign usr/sbin/ledsignd usr/lib/systemd/system/ledsignd.service \
	usr/lib/udev/rules.d/60-ledsign-gpio.rules usr/share/man/man8/ledsignd.8 \
	usr/share/man/man1/ledsign.1 usr/share/man/man5/ledsign.conf.5 \
	usr/share/ledsign/fonts/ledsign16.bdf usr/share/ledsign/setup-board.sh \
	usr/share/doc/ledsign/ledsign.conf.example etc/ledsign/ledsign.conf; do
	check "installs_$f" test -s "$stage/$f"
done
check binaries_are_executable test -x "$stage/usr/sbin/ledsignd" -a -x "$stage/usr/bin/ledsign"
check unit_points_at_the_installed_daemon grep -q '^ExecStart=/usr/sbin/ledsignd -c /etc/ledsign/ledsign.conf' \
	"$stage/usr/lib/systemd/system/ledsignd.service"

# systemd-analyze verify needs the ExecStart binary to exist: point a copy at the stage.
sed "s#/usr/sbin/ledsignd#$stage/usr/sbin/ledsignd#g" "$stage/usr/lib/systemd/system/ledsignd.service" \
	>"$tmp/ledsignd.service"
systemd-analyze verify --man=no "$tmp/ledsignd.service" >"$tmp/verify.log" 2>&1
rc=$?
cat "$tmp/verify.log"
check unit_passes_systemd_analyze_verify test $rc = 0 -a ! -s "$tmp/verify.log"
score=$(systemd-analyze security --offline=true "$tmp/ledsignd.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $score"
check unit_exposure_is_at_most_2 python3 -c "import sys; sys.exit(not (0 < float('${score:-0}') <= 2.0))"

for m in deploy/man/*.[158]; do
	out=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
	check "man_$(basename "$m")_renders_without_warnings" test -z "$out"
done

# The Vietnamese pages (deploy/man/vi/, UTF-8) go under the vi man directory,
# where man finds them for a Vietnamese reader and English stays the fallback.
for m in deploy/man/vi/*.[158]; do
	n=$(basename "$m") s=${m##*.}
	out=$(preconv "$m" | groff -man -Tutf8 -ww -z 2>&1)
	check "man_vi_${n}_renders_without_warnings" test -z "$out"
	if command -v mandoc >/dev/null; then
		check "man_vi_${n}_passes_mandoc_lint" mandoc -Tlint -W warning "$m"
	fi
	check "installs_usr/share/man/vi/man$s/$n" cmp "$m" "$stage/usr/share/man/vi/man$s/$n"
done
if ! locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	localedef -i vi_VN -f UTF-8 vi_VN.UTF-8 >/dev/null 2>&1 || true
fi
# man_in LANG PAGE: where man looks PAGE up for that locale in the stage.
man_in() { env -i PATH="$PATH" MANPATH="$stage/usr/share/man" LANG="$1" man -w "$2" 2>&1; }
man_shows() { env -i PATH="$PATH" MANPATH="$stage/usr/share/man" LANG="$1" MANWIDTH=80 man "$2" 2>/dev/null | awk 'NR > 1 && NF { print; exit }'; }
if locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	for p in ledsign:1 ledsign.conf:5 ledsign-playlist:5; do
		n=${p%:*} s=${p#*:}
		check "LANG=vi_VN.UTF-8_man_${n}_finds_the_vietnamese_page" \
			test "$(man_in vi_VN.UTF-8 "$n")" = "$stage/usr/share/man/vi/man$s/$n.$s"
		check "LANG=C_man_${n}_finds_the_english_page" \
			test "$(man_in C "$n")" = "$stage/usr/share/man/man$s/$n.$s"
	done
	check "LANG=vi_VN.UTF-8_man_ledsign.conf_reads_in_vietnamese" test "$(man_shows vi_VN.UTF-8 ledsign.conf)" = TÊN
	check "LANG=C_man_ledsign.conf_reads_in_english" test "$(man_shows C ledsign.conf)" = NAME
	check "LANG=vi_VN.UTF-8_man_ledsignd_falls_back_to_english" \
		test "$(man_in vi_VN.UTF-8 ledsignd)" = "$stage/usr/share/man/man8/ledsignd.8"
else
	fail "the vi_VN.UTF-8 locale could not be generated (apt-get install locales)"
fi

"$stage/usr/sbin/ledsignd" -n -c deploy/ledsign.conf >"$tmp/example.out" 2>&1
rc=$?
# Without a GPIO chip on this machine the gpiod example is refused for that alone.
ls /dev/gpiochip* >/dev/null 2>&1 || { [ $rc = 1 ] && grep -q '\[output\] chip: no GPIO chip' "$tmp/example.out" && rc=0; }
check example_config_is_valid test $rc = 0
# Every key the config parser knows (it lists them in its unknown-key error)
# is documented in the example config and in ledsign.conf(5).
missing=
for sec in board panel output feed display; do
	keys=$(printf '[%s]\nzz_unknown = 1\n' "$sec" >"$tmp/k.conf"; "$build/ledsignd" -n -c "$tmp/k.conf" 2>&1 |
		sed -n 's/.*valid keys in \[[a-z]*\] are: //p' | tr -d ',')
	for k in $keys; do
		grep -Eq "^;?$k =" deploy/ledsign.conf || missing="$missing [$sec]$k"
		grep -q "^\.B $k\$" deploy/man/ledsign.conf.5 || missing="$missing man:[$sec]$k"
	done
done
echo "undocumented keys:${missing:- none}"
check every_key_is_documented test -z "$missing"

make -s --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr BUILD="$bld" >"$tmp/uninstall.log" 2>&1
check uninstall_succeeds test $? = 0
left=$(find "$stage" -type f | sed "s#^$stage##")
echo "left after uninstall: ${left:-nothing}"
check uninstall_removes_every_installed_file test -z "$left"

# An edited config survives uninstall and a second install.
make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr BUILD="$bld" >/dev/null 2>&1
echo '; edited on site' >>"$stage/etc/ledsign/ledsign.conf"
make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr BUILD="$bld" >/dev/null 2>&1
check reinstall_keeps_the_edited_config grep -q 'edited on site' "$stage/etc/ledsign/ledsign.conf"
make -s --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr BUILD="$bld" >/dev/null 2>&1
check uninstall_keeps_the_edited_config test "$(find "$stage" -type f | sed "s#^$stage##")" = /etc/ledsign/ledsign.conf

# Installed under another prefix than the one it was compiled with (a plain
# make compiles /usr/local/share/ledsign in), the programs still find the data
# they ship with: they look next to themselves first. Rendered from a
# directory with no fonts/ in it, the installed ledsign draws with ledsign16
# exactly as the tree does, while a copy of the same binary in a bin/ with no
# share/ledsign beside it (and no tree around it) draws with another font.
other=$tmp/other
opt=/opt/ledsign-prefix-test
make -s --no-print-directory install DESTDIR="$other" PREFIX="$opt" BUILD="$bld" >"$tmp/install-opt.log" 2>&1
check install_under_another_prefix_succeeds test -s "$other$opt/share/ledsign/fonts/ledsign16.bdf"
render() { # render DIR LEDSIGN OUT: the national playlist at a fixed moment, run from DIR
	(cd "$1" && "$2" render "$root/content/national.json" --board 192x16 --at "2026-12-01 08:00" \
		--time 2.5 --out "$3") >>"$tmp/render.log" 2>&1
}
mkdir -p "$tmp/elsewhere"
render "$root" "$build/ledsign" "$tmp/tree.png"
render "$tmp/elsewhere" "$other$opt/bin/ledsign" "$tmp/installed.png"
# A copy of the program far from any tree or installed data: it can only fall back.
mkdir -p "$tmp/lone/bin"
cp "$build/ledsign" "$tmp/lone/bin/ledsign"
render "$tmp/elsewhere" "$tmp/lone/bin/ledsign" "$tmp/nofont.png"
check render_from_the_tree_works test -s "$tmp/tree.png"
if [ -e /usr/local/share/ledsign/fonts/ledsign16.bdf ]; then
	ok "without_ledsign16_the_frame_differs (skipped: /usr/local/share/ledsign is installed here)"
else
	check without_ledsign16_the_frame_differs sh -c "test -s '$tmp/nofont.png' && ! cmp -s '$tmp/tree.png' '$tmp/nofont.png'"
fi
check installed_ledsign_renders_with_the_shipped_ledsign16 cmp "$tmp/tree.png" "$tmp/installed.png"
printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 6\n[output]\ntype = none\n' >"$tmp/elsewhere/board.conf"
(cd "$tmp/elsewhere" && "$other$opt/bin/ledsign" doctor -c board.conf >"$tmp/doctor.log" 2>&1)
check installed_doctor_names_the_installed_font grep -q "($other$opt/share/ledsign/fonts/ledsign16.bdf)" "$tmp/doctor.log"

finish
