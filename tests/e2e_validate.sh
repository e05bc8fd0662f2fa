#!/usr/bin/env bash
# `ledsign validate` and `ledsign publish` as an editor meets them: every
# error names file:line:col, keys the format does not have are refused with
# the nearest known key and do not publish, the whole file is reported (not
# only its first error), a file too large gives its size and the limit, and
# publishing into a directory that does not exist names the directory.
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

# refused NAME FILE PATTERN: validate exits 1 and prints PATTERN.
refused() {
	"$LEDSIGN" validate "$T_TMP/$2" >"$T_TMP/v.out" 2>&1
	local rc=$?
	if [ $rc -eq 1 ] && grep -qE -- "$3" "$T_TMP/v.out"; then
		ok "$1"
	else
		fail "$1" "exit $rc" "$(cat "$T_TMP/v.out")"
	fi
}

item() { printf '{"version":1,"items":[\n{"id":"a","text":"Giờ làm việc",%s}]}\n' "$1" >"$T_TMP/$2"; }

item '"window":["07:00-11:00"]' window.json
refused 'a misspelt "windows" is an error with the nearest key' window.json \
	'window.json:2:[0-9]+: items\[0\]: unknown key "window"; did you mean "windows"\?'
item '"untill":"2026-09-30"' untill.json
refused 'a misspelt "until" is an error with the nearest key' untill.json \
	'untill.json:2:[0-9]+: items\[0\]: unknown key "untill"; did you mean "until"\?'
item '"form":"2026-09-01"' form.json
refused 'a misspelt "from" is an error with the nearest key' form.json \
	'items\[0\]: unknown key "form"; did you mean "from"\?'

"$LEDSIGN" keygen --pub "$T_TMP/k.pub" --sec "$T_TMP/k.sec" >/dev/null
mkdir -p "$T_TMP/www"
"$LEDSIGN" publish "$T_TMP/untill.json" --key "$T_TMP/k.sec" --to "$T_TMP/www" >"$T_TMP/p.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'not published: .*unknown key "untill"; did you mean "until"' "$T_TMP/p.out" &&
	[ ! -e "$T_TMP/www/untill.json" ]; then
	ok "publish refuses an unknown key and installs nothing"
else
	fail "publish refuses an unknown key" "exit $rc" "$(cat "$T_TMP/p.out")"
fi
"$LEDSIGN" publish "$T_TMP/untill.json" --key "$T_TMP/k.sec" --to "$T_TMP/no/such/dir" >"$T_TMP/p.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "^ledsign publish: --to $T_TMP/no/such/dir: No such file or directory; create the web root first" "$T_TMP/p.out" &&
	! grep -q '\.XXXXXX\|/\.untill' "$T_TMP/p.out"; then
	ok "publish into a missing directory names the directory, not a temporary file"
else
	fail "publish into a missing directory" "exit $rc" "$(cat "$T_TMP/p.out")"
fi

# Every error of the file, each with its position.
printf '{"version":1,"items":[\n{"id":"a","text":"x","speed":-1},\n{"id":"b","text":"y","effect":"statik"},\n{"id":"","text":"z"}]}\n' >"$T_TMP/many.json"
refused "every error of a file is reported, each at its line" many.json \
	'many.json:2:[0-9]+: items\[0\]\.speed'
if grep -qE 'many.json:3:[0-9]+: items\[1\]\.effect: "statik" is not an effect; did you mean "static"\?' "$T_TMP/v.out" &&
	grep -qE 'many.json:4:[0-9]+: items\[2\]\.id: is empty' "$T_TMP/v.out"; then
	ok "the second and third errors are reported too, with did-you-mean for the effect"
else
	fail "all errors reported" "$(cat "$T_TMP/v.out")"
fi

# Errors of the whole document have a position too.
printf '{"items":[]}' >"$T_TMP/nover.json"
refused "a missing version is placed at the top of the file" nover.json 'nover.json:1:1: version: missing'
printf '{"version":1,"items":{"id":"a"}}' >"$T_TMP/notlist.json"
refused '"items" not a list is placed at its value' notlist.json 'notlist.json:1:22: items: missing or not a list'
printf '{"version":1,"items":[]} {"version":1,"items":[]}' >"$T_TMP/two.json"
refused "trailing data is refused where it starts" two.json "two.json:1:26: more text after the playlist's closing"
printf '{"version":1,"items":[{"id":"a","text":"x","text":"y"}]}' >"$T_TMP/dup.json"
refused "a duplicate key is refused at its second occurrence" dup.json 'dup.json:1:44: items\[0\]: the key "text" appears twice'
printf '{"version":1,"default":"b","items":[{"id":"a","text":"x"}]}' >"$T_TMP/def.json"
refused "a default naming no item is refused" def.json 'def.json:1:24: default: no item has the id "b"'

# A file over the limit: its real size and the limit.
{ printf '{"version":1,"items":[{"id":"x","text":"'; head -c 2800000 /dev/zero | tr '\0' a; printf '"}]}'; } >"$T_TMP/big.json"
refused "a 2.8 MB file is reported with its size and the limit" big.json \
	'big.json:1:1: 2800044 bytes \(2\.8 MB\); a playlist is at most 1048576 bytes \(1 MiB\)'
printf '{"version":1,"defaults":{"timezone":"Asia/Ho_Chi_Mihn"},\n"items":[{"id":"a","text":"x"},{"id":"b","text":"y"}]}' >"$T_TMP/dtz.json"
refused "a time zone typo in defaults is blamed on defaults, once, at its line" dtz.json \
	'dtz.json:1:37: defaults.timezone: Asia/Ho_Chi_Mihn is not a known time zone'
if ! grep -q 'items\[' "$T_TMP/v.out" && [ "$(grep -c '^error:' "$T_TMP/v.out")" -eq 1 ]; then
	ok "and not on the items that inherit it"
else
	fail "defaults time zone blamed on items" "$(cat "$T_TMP/v.out")"
fi

# warned NAME FILE PATTERN: validate exits 0 and warns PATTERN.
warned() {
	"$LEDSIGN" validate "$T_TMP/$2" >"$T_TMP/v.out" 2>&1
	local rc=$?
	if [ $rc -eq 0 ] && grep -qE -- "$3" "$T_TMP/v.out"; then ok "$1"; else fail "$1" "exit $rc" "$(cat "$T_TMP/v.out")"; fi
}
printf '{"version":1,"items":[{"id":"a","off":true},{"id":"b","off":true,"days":["sat"]}]}' >"$T_TMP/dark.json"
warned "a playlist whose items are all off shows nothing, and says so" dark.json \
	'warning: .*dark.json:1:[0-9]+: this playlist shows nothing: every item is off'
printf '{"version":1,"items":[{"id":"a","text":"x"},\n{"id":"u1","text":"Bão","interrupt":true,"priority":9,"windows":["08:00-12:00"]},\n{"id":"u2","text":"Lũ","interrupt":true,"priority":9,"windows":["11:00-13:00"]}]}' >"$T_TMP/int.json"
warned "interrupts that can be on together are warned about" int.json \
	'int.json:3:1: items\[2\] \(u2\)\.interrupt: it can be on at the same time as the interrupt items\[1\] \(u1\)'
sed 's/11:00-13:00/12:00-13:00/' "$T_TMP/int.json" >"$T_TMP/int2.json"
"$LEDSIGN" validate "$T_TMP/int2.json" >"$T_TMP/v.out" 2>&1
if grep -q '0 warning(s)' "$T_TMP/v.out"; then ok "interrupts one after the other are not"; else fail "interrupts one after the other" "$(cat "$T_TMP/v.out")"; fi

# The README's own example: content/*.json holds the schema too; it is skipped, said so.
"$LEDSIGN" schedule content/*.json --from "2026-12-01 00:00" --to "2026-12-02 00:00" >"$T_TMP/s.out" 2>"$T_TMP/s.err"
rc=$?
if [ $rc -eq 0 ] && grep -q 'content/playlist.schema.json: a JSON Schema, not a playlist: skipped' "$T_TMP/s.err" &&
	grep -q 'gio-lam-viec' "$T_TMP/s.out"; then
	ok "schedule content/*.json (the README example) skips the schema and shows the schedule"
else
	fail "schedule content/*.json" "exit $rc" "$(cat "$T_TMP/s.err")"
fi
"$LEDSIGN" validate content/*.json >"$T_TMP/v.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'content/playlist.schema.json: skipped: not a playlist' "$T_TMP/v.out" &&
	[ "$(grep -c ': ok: .* 0 error(s), 0 warning(s)' "$T_TMP/v.out")" -eq "$(find content -maxdepth 1 -name '*.json' ! -name '*schema*' | wc -l)" ]; then
	ok "validate content/*.json: the schema skipped, every playlist ok with no warning"
else
	fail "validate content/*.json" "exit $rc" "$(cat "$T_TMP/v.out")"
fi
# A bare date, as playlists take it: --to a date is through that day.
"$LEDSIGN" schedule content/national.json --from 2026-12-31 --to 2026-12-31 >"$T_TMP/s.out" 2>&1
if grep -qE '^2026-12-31 00:00:00  2027-01-01 00:00:00  main' "$T_TMP/s.out"; then
	ok "schedule --from DATE --to DATE covers that whole day"
else
	fail "schedule with bare dates" "$(cat "$T_TMP/s.out")"
fi
# preview says what it wrote.
"$LEDSIGN" preview content/national.json --at "2026-12-01 08:00" --seconds 2 --out "$T_TMP/p.gif" >"$T_TMP/p.out" 2>&1
if grep -qE "^wrote $T_TMP/p.gif: 50 frames, 2.00 s at 25 fps, [0-9]+x[0-9]+ px" "$T_TMP/p.out" && [ -s "$T_TMP/p.gif" ]; then
	ok "preview says what it wrote"
else
	fail "preview says what it wrote" "$(cat "$T_TMP/p.out")"
fi
# A demoted font and characters from a fallback font are said, at the item
# (the default board: ledsign16 first, Unifont behind it).
item '"font":"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"' demoted.json
"$LEDSIGN" validate "$T_TMP/demoted.json" >"$T_TMP/v.out" 2>&1
if grep -qE '^warning: .*demoted.json:2:[0-9]+: items\[0\]\.font: ".*DejaVuSans-Bold.ttf" is not made for 16 px lines, so the board draws this text with ledsign16.bdf' "$T_TMP/v.out"; then
	ok "validate says an item's font is demoted at its height, at file:line:col"
else
	fail "validate on a demoted font" "$(cat "$T_TMP/v.out")"
fi
printf '{"version":1,"items":[\n{"id":"a","text":"Giờ làm việc 中文"}]}\n' >"$T_TMP/fallback.json"
"$LEDSIGN" validate "$T_TMP/fallback.json" >"$T_TMP/v.out" 2>&1
if grep -qE "^note: .*fallback.json:2:[0-9]+: items\[0\]\.text: 2 character\(s\) are not in ledsign16.bdf and come from a fallback font \(first U\+4E2D '中', from unifont.otf\)" "$T_TMP/v.out"; then
	ok "validate notes characters drawn by a fallback font, at file:line:col"
else
	fail "validate on fallback characters" "$(cat "$T_TMP/v.out")"
fi
finish
