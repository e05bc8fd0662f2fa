#!/usr/bin/env bash
# ledsign test-pattern, as an installer runs it: every pattern drives the
# configured output (here a recorded trace), patterns differ from each other,
# and a wrong pattern name is refused with the list of valid ones.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

conf() { # conf TRACE -> a 192x16 HUB12 board recorded to TRACE
	printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 6\n[output]\ntype = record:%s\n' "$1"
}

for p in solid rows columns modules gradient walk; do
	conf "$T_TMP/$p.trace" >"$T_TMP/$p.conf"
	if "$LEDSIGN" test-pattern --pattern "$p" -c "$T_TMP/$p.conf" --seconds 1 >"$T_TMP/$p.out" 2>&1 &&
		head -n 1 "$T_TMP/$p.trace" | grep -qx 'ledsign-trace 1' &&
		[ "$(grep -c '^[0-9]' "$T_TMP/$p.trace")" -gt 6000 ]; then
		ok "pattern $p drives the recorded panel"
	else
		fail "pattern $p drives the recorded panel" "$(tail -n 3 "$T_TMP/$p.out")"
	fi
done

# Different patterns light different LEDs, so their traces differ after the header.
body() { grep -v -e '^#' -e '^ledsign-trace' -e '^panel' -e '^timing' -e '^line' -e '^initial' "$1" | md5sum; }
if [ "$(body "$T_TMP/rows.trace")" != "$(body "$T_TMP/columns.trace")" ] &&
	[ "$(body "$T_TMP/solid.trace")" != "$(body "$T_TMP/modules.trace")" ]; then
	ok "different patterns produce different line states"
else
	fail "different patterns produce different line states"
fi

"$LEDSIGN" test-pattern --pattern stripes -c "$T_TMP/solid.conf" --seconds 1 >"$T_TMP/bad.out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "modules" "$T_TMP/bad.out"; then
	ok "an unknown pattern is refused with the valid names"
else
	fail "an unknown pattern is refused with the valid names" "rc=$rc" "$(cat "$T_TMP/bad.out")"
fi

"$LEDSIGN" test-pattern --pattern solid -c "$T_TMP/solid.conf" --seconds 1 --show-refresh >"$T_TMP/hz.out" 2>&1
if grep -Eq '[0-9]+(\.[0-9]+)? Hz' "$T_TMP/hz.out"; then
	ok "--show-refresh prints the refresh rate"
else
	fail "--show-refresh prints the refresh rate" "$(cat "$T_TMP/hz.out")"
fi
finish
