#!/usr/bin/env bash
# `ledsign fonts check` as an installer runs it: the shipped font passes at
# 16 rows, system fonts with full Vietnamese pass at their heights, a font
# without Vietnamese (X11 5x7) fails with the missing letters named, a bitmap
# font too tall for the line fails on clipping, and bad input exits 2.
# `ledsign fonts sample` writes a PNG.
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
cd "$root" || exit 1
tool="$build/ledsign"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# expect RC DESCRIPTION ARGS...: runs the check, keeps its output in $tmp/out.
expect() {
	local want=$1 what=$2
	shift 2
	"$tool" fonts "$@" >"$tmp/out" 2>&1
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what"; else
		bad "$what (exit $rc, want $want)"
		sed 's/^/     /' "$tmp/out" | head -20
	fi
}

unifont=/usr/share/fonts/opentype/unifont/unifont.otf
dejavu=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
x5x7=/usr/share/fonts/X11/misc/5x7.pcf.gz

expect 0 "the shipped ledsign16.bdf passes at 16 rows" check fonts/ledsign16.bdf --height 16
grep -q "Vietnamese letters 134/134" "$tmp/out" && ok "it reports 134/134 letters" ||
	bad "no 134/134 line: $(cat "$tmp/out")"
if [ -f fonts/ledsign32.bdf ]; then
	expect 0 "the shipped ledsign32.bdf passes at 32 rows" check fonts/ledsign32.bdf --height 32
fi
expect 0 "Unifont passes at 16 rows" check "$unifont" --height 16
expect 0 "Unifont passes at 32 rows" check "$unifont" --height 32
expect 0 "DejaVu Sans Bold passes at 32 rows, in 8-bit mode too" check "$dejavu" --height 32 --rgb

expect 1 "X11 5x7 (no Vietnamese) fails" check "$x5x7" --height 16
grep -q "Vietnamese letters 46/134" "$tmp/out" && grep -q "missing: .*ệ" "$tmp/out" &&
	ok "the missing letters are named" || bad "missing letters not listed: $(head -3 "$tmp/out")"
expect 1 "one failing font fails the whole check" check fonts/ledsign16.bdf "$x5x7"
expect 0 "as a chain, 5x7 behind ledsign16 passes" check --chain "$x5x7" fonts/ledsign16.bdf
grep -q "5x7.pcf.gz: bitmap strike 7 px.*not made for this height" "$tmp/out" &&
	ok "the chain puts the 7-px font last and says why" || bad "no fit note: $(cat "$tmp/out")"

expect 1 "a 16-row bitmap font on 12-row lines fails on clipping" check fonts/ledsign16.bdf --height 12
grep -q "clipping .*top" "$tmp/out" && ok "the clipped characters are named" ||
	bad "clipping not listed: $(cat "$tmp/out")"

expect 2 "a file that is not a font exits 2" check "$root/Makefile"
grep -q "cannot be opened as a font" "$tmp/out" && ok "and says so" || bad "message: $(cat "$tmp/out")"
expect 2 "no font given exits 2" check
expect 2 "a silly height exits 2" check fonts/ledsign16.bdf --height 0

expect 0 "fonts sample writes a PNG" sample fonts/ledsign16.bdf --text "Bảo hiểm xã hội" --out "$tmp/s.png"
[ "$(head -c 8 "$tmp/s.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
	ok "the sample is a PNG" || bad "the sample is not a PNG"

# Legibility and fit: a font whose tones differ by one LED, and a 16-row font on 32-row lines.
efont=/usr/share/fonts/X11/misc/b16.pcf.gz
if [ -f "$efont" ]; then
	expect 1 "efont b16, whose i and ỉ differ by one LED, fails" check "$efont" --height 16
	grep -q "tones .*i/ỉ, differ by 1 LED: FAIL" "$tmp/out" && ok "and names the two forms" ||
		bad "tones not judged: $(cat "$tmp/out")"
	grep -q "mark separation *warning, marks touch" "$tmp/out" && ok "marks that touch their letter are listed" ||
		bad "separation not judged: $(cat "$tmp/out")"
fi
expect 1 "a 16-row font on 32-row lines fails" check fonts/ledsign16.bdf --height 32
grep -q "height *FAIL: the first font is not made for this height" "$tmp/out" && ok "and says it is not made for the height" ||
	bad "height not judged: $(cat "$tmp/out")"
expect 0 "ledsign16 at 16 rows passes" check fonts/ledsign16.bdf --height 16

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
