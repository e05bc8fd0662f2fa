#!/usr/bin/env bash
# The service end to end: config check mode, config errors an installer can
# act on, frames on the png output, a clean stop, and no leaks under valgrind.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

check "ledsignd -n accepts the run config" "$LEDSIGND" -n -c deploy/ledsign-run.conf
# The example drives GPIO: on a machine without a GPIO chip -n refuses it for
# that reason alone (the service would not start here either), and the rest
# of it is checked with a record output in place of gpiod.
example_check() {
	"$LEDSIGND" -n -c deploy/ledsign.conf >"$T_TMP/ex.out" 2>&1 && return 0
	ls /dev/gpiochip* >/dev/null 2>&1 && return 1
	grep -q "^ledsignd: deploy/ledsign.conf:[0-9]*: \[output\] chip: no GPIO chip" "$T_TMP/ex.out"
}
check "ledsignd -n accepts the example config, or refuses only a missing GPIO chip" example_check
sed "s|^type = gpiod|type = record:$T_TMP/ex.trace|" deploy/ledsign.conf >"$T_TMP/ex-record.conf"
check "ledsignd -n accepts the example config on a record output" "$LEDSIGND" -n -c "$T_TMP/ex-record.conf"

sed 's/^chain = 6/chian = 6/' deploy/ledsign-run.conf >"$T_TMP/typo.conf"
"$LEDSIGND" -n -c "$T_TMP/typo.conf" >"$T_TMP/typo.out" 2>&1
rc=$?
line=$(grep -n '^chian' "$T_TMP/typo.conf" | cut -d: -f1)
if [ $rc -eq 1 ] && grep -q "typo.conf:$line: \[panel\] chian: unknown key; valid keys in \[panel\] are: .*chain" "$T_TMP/typo.out"; then
	ok "a typo in a key fails with the file, the line and the valid keys"
else
	fail "a typo in a key fails with the file, the line and the valid keys" "rc=$rc" "$(cat "$T_TMP/typo.out")"
fi

png_conf() { # png_conf DIR -> a config that writes frames into DIR
	sed -e 's/^type = term/type = png/' -e "s|^fps = 25|fps = 10\npath = $1|" \
		-e "s|^url = ../content/|url = $LEDSIGN_ROOT/content/|" deploy/ledsign-run.conf
}
png_conf "$T_TMP/frames" >"$T_TMP/png.conf"
"$LEDSIGND" -c "$T_TMP/png.conf" --duration 2 >"$T_TMP/png.out" 2>&1
rc=$?
n=$(find "$T_TMP/frames" -maxdepth 1 -name 'frame-*.png' 2>/dev/null | wc -l)
if [ $rc -eq 0 ] && [ "$n" -ge 15 ] && [ "$n" -le 22 ]; then
	ok "--duration 2 at 10 fps writes about 20 frames and exits 0 ($n)"
else
	fail "--duration 2 at 10 fps writes about 20 frames and exits 0" "rc=$rc frames=$n" "$(tail -n 3 "$T_TMP/png.out")"
fi

# The last frame shows lit text (the board is not blank) and differs from an earlier one (it moves).
last=$(ls "$T_TMP/frames" | sort | tail -n 1)
if [ -n "$last" ] && ! cmp -s "$T_TMP/frames/frame-000005.png" "$T_TMP/frames/$last"; then
	ok "frames change over time (the text scrolls)"
else
	fail "frames change over time (the text scrolls)"
fi

# SIGINT on the terminal output: the service stops by itself and restores the cursor.
# Not a tty: the output takes its width from COLUMNS, here wide enough for half blocks.
COLUMNS=250 LINES=40 "$LEDSIGND" -c deploy/ledsign-run.conf >"$T_TMP/term.out" 2>"$T_TMP/term.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 0 ] && tail -c 20 "$T_TMP/term.out" | grep -q $'\x1b\[?25h' && grep -q stopped "$T_TMP/term.err"; then
	ok "Ctrl-C stops the service cleanly and restores the terminal"
else
	fail "Ctrl-C stops the service cleanly and restores the terminal" "rc=$rc"
fi
if grep -q $'\xe2\x96\x80' "$T_TMP/term.out" && grep -q $'\x1b\[38;2;255;0;0m' "$T_TMP/term.out"; then
	ok "the terminal output draws LEDs as half blocks in the panel colour"
else
	fail "the terminal output draws LEDs as half blocks in the panel colour"
fi

# A feed that cannot be read is reported by name, and the board still shows the built-in item.
sed -e "s|^url = .*|url = $T_TMP/missing.json|" "$T_TMP/png.conf" | sed "s|$T_TMP/frames|$T_TMP/frames2|" >"$T_TMP/missing.conf"
"$LEDSIGND" -c "$T_TMP/missing.conf" --duration 1.5 >"$T_TMP/missing.out" 2>&1
if grep -q "missing.json" "$T_TMP/missing.out" && [ "$(ls "$T_TMP/frames2" | wc -l)" -gt 5 ]; then
	ok "a missing feed is named in the log and the board keeps showing frames"
else
	fail "a missing feed is named in the log and the board keeps showing frames" "$(cat "$T_TMP/missing.out")"
fi

if command -v valgrind >/dev/null; then
	png_conf "$T_TMP/vframes" >"$T_TMP/vg.conf"
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
		"$LEDSIGND" -c "$T_TMP/vg.conf" --duration 2 >"$T_TMP/vg.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then ok "valgrind: no leaks or errors in a 2 s run with the png output"
	else fail "valgrind: no leaks or errors in a 2 s run with the png output" "rc=$rc" "$(grep -A5 '==' "$T_TMP/vg.out" | head -n 20)"; fi
else
	fail "valgrind is installed (sh deploy/install-deps.sh --test)"
fi

# The panel driver under valgrind: the record transport, the encoder and the
# refresh thread, with the status file and its zones written on the way.
if command -v valgrind >/dev/null; then
	sed -e "s|^type = term|type = record:$T_TMP/vg.trace|" -e 's/^fps = 25/fps = 10/' -e '/^cache_dir =/d' -e '/^state_dir =/d' \
		-e "s|^url = ../content/|url = $LEDSIGN_ROOT/content/|" deploy/ledsign-run.conf >"$T_TMP/vgrec.conf"
	printf 'cache_dir = %s\nstate_dir = %s\nstatus_file = %s\n' "$T_TMP/vgcache" "$T_TMP/vgstate" \
		"$T_TMP/vgstatus.json" | sed -i "/^\[feed\]/r /dev/stdin" "$T_TMP/vgrec.conf"
	mkdir -p "$T_TMP/vgcache" "$T_TMP/vgstate"
	LEDSIGN_CLOCK_SYNCED=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=9 "$LEDSIGND" -c "$T_TMP/vgrec.conf" --duration 2 >"$T_TMP/vgrec.out" 2>&1
	rc=$?
	frames=$(grep -c '^begin frame' "$T_TMP/vg.trace" 2>/dev/null)
	if [ $rc -eq 0 ] && [ "${frames:-0}" -ge 2 ] && grep -q '"zones"' "$T_TMP/vgstatus.json"; then
		ok "valgrind: no leaks or errors in a 2 s run with the record output and its refresh thread ($frames frames)"
	else
		fail "valgrind: no leaks or errors in a 2 s run with the record output and its refresh thread" \
			"rc=$rc frames=${frames:-0}" "$(grep -A5 '==' "$T_TMP/vgrec.out" | head -n 20)"
	fi
else
	fail "valgrind is installed (sh deploy/install-deps.sh --test)"
fi

finish
