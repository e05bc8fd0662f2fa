#!/usr/bin/env bash
# The tool's one option parser: every number option is a plain number in its
# range, and anything else (a word, a unit suffix, an exponent, an empty
# value, out of range) is refused with exit 2 and a message naming the
# option, the value, the unit and the range, before any work is done;
# good values are taken. Then `ledsign validate` (a thin call of the lint)
# says what the board does for a "size" taller than the board.
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

# refused NAME PATTERN CMD...: CMD exits 2 and prints PATTERN on stderr.
refused() {
	local name=$1 pattern=$2
	shift 2
	"$@" >"$T_TMP/o.out" 2>"$T_TMP/o.err"
	local rc=$?
	if [ $rc -eq 2 ] && grep -qE -- "$pattern" "$T_TMP/o.err"; then
		ok "$name"
	else
		fail "$name" "exit $rc" "$(cat "$T_TMP/o.err")"
	fi
}

P=content/national.json
refused "preview --seconds five" "^ledsign preview: --seconds 'five': not a number of seconds; use 0.04..600" \
	"$LEDSIGN" preview $P --seconds five --out "$T_TMP/a.gif"
refused "preview --seconds 10s" "--seconds '10s': not a number" \
	"$LEDSIGN" preview $P --seconds 10s --out "$T_TMP/a.gif"
refused "preview --seconds 601 (range)" "--seconds '601': out of range; use 0.04..600 seconds" \
	"$LEDSIGN" preview $P --seconds 601 --out "$T_TMP/a.gif"
refused "preview --fps 2.5 (whole numbers only)" "--fps '2.5': not a whole number of frames per second" \
	"$LEDSIGN" preview $P --fps 2.5 --out "$T_TMP/a.gif"
refused "preview --scale '' (empty)" "--scale '': not a whole number" \
	"$LEDSIGN" preview $P --scale "" --out "$T_TMP/a.gif"
refused "schedule --step 100ms" "^ledsign schedule: --step '100ms': not a whole number of ms; use 10..60000" \
	"$LEDSIGN" schedule $P --from "2026-12-01 08:00" --to "2026-12-01 09:00" --step 100ms
refused "schedule --step 5 (range)" "--step '5': out of range; use 10..60000 ms" \
	"$LEDSIGN" schedule $P --from "2026-12-01 08:00" --to "2026-12-01 09:00" --step 5
refused "render --time 1e3 (no exponent)" "--time '1e3': not a number of seconds" \
	"$LEDSIGN" render $P --time 1e3 --out "$T_TMP/a.png"
refused "render --time -1" "--time '-1': out of range; use 0..86400 seconds" \
	"$LEDSIGN" render $P --time -1 --out "$T_TMP/a.png"
refused "fonts --height 16px" "--height '16px': not a whole number of rows" \
	"$LEDSIGN" fonts check fonts/ledsign16.bdf --height 16px
refused "render --at nonsense" "^ledsign render: --at " \
	"$LEDSIGN" render $P --at nonsense --out "$T_TMP/a.png"
refused "render without --out names what is missing" "^ledsign render: name a PLAYLIST and --out" \
	"$LEDSIGN" render $P
[ ! -e "$T_TMP/a.gif" ] && [ ! -e "$T_TMP/a.png" ] && ok "nothing is written when an option is refused" ||
	fail "nothing is written when an option is refused"

check "render --time 2.5 is taken" "$LEDSIGN" render $P --at "2026-12-01 08:00" --time 2.5 --out "$T_TMP/b.png"
check "schedule --step 250 is taken" "$LEDSIGN" schedule $P --from "2026-12-01 08:00" --to "2026-12-01 08:05" --step 250
if "$LEDSIGN" render --help 2>/dev/null | grep -q '^usage: ledsign render'; then ok "--help prints the usage on stdout, exit 0"; else fail "--help"; fi
refused "an unknown option is a usage error" "usage: ledsign validate" "$LEDSIGN" validate --bogus $P

# A "size" taller than a 192x16 board: the board clamps the line to 16 px and
# shows the text static; validate must not say it scrolls.
printf '{"version":1,"items":[{"id":"a","text":"Bảo hiểm xã hội Việt Nam","size":24,"effect":"static"}]}\n' >"$T_TMP/s24.json"
"$LEDSIGN" validate --board 192x16 "$T_TMP/s24.json" >"$T_TMP/v.out" 2>&1
if [ $? -eq 0 ] && ! grep -q 'scrolls instead' "$T_TMP/v.out" && grep -q '0 warning(s)' "$T_TMP/v.out" &&
	grep -q 's24.json:1:[0-9]*: items\[0\]\.size: 24 px is taller than its zone; the board draws the line 16 px high' "$T_TMP/v.out"; then
	ok "validate: size 24 on a 16-row board is drawn 16 px high, static, no false warning"
else
	fail "validate: size 24 on a 16-row board" "$(cat "$T_TMP/v.out")"
fi

# Without an installed copy, the tool run from its tree finds the tree's font
# from its own path, not the current directory: the same picture from anywhere.
mkdir -p "$T_TMP/elsewhere"
"$LEDSIGN" render content/national.json --at "2026-12-01 08:00" --time 3 --out "$T_TMP/here.png"
(cd "$T_TMP/elsewhere" && "$LEDSIGN" render "$LEDSIGN_ROOT/content/national.json" --at "2026-12-01 08:00" \
	--time 3 --out "$T_TMP/there.png")
if cmp -s "$T_TMP/here.png" "$T_TMP/there.png"; then
	ok "render from another directory draws with the tree's fonts (same picture)"
else
	fail "render from another directory draws with the tree's fonts"
fi
finish
