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
finish
