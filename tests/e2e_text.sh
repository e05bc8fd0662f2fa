#!/usr/bin/env bash
# Text checks end to end, as an editor meets them: ledsign validate on a
# corpus of clean Vietnamese (tests/data/vietnamese-clean.txt) gives no
# warning; the same lines as TCVN3 (glibc iconv), double-encoded UTF-8 and a
# lookalike Ð each get their warning from validate and from publish, with
# the item and the character position.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

CORPUS=tests/data/vietnamese-clean.txt

# playlist_of KIND OUT: the corpus as one item per line, KIND clean, tcvn3 or double.
playlist_of() {
	python3 - "$1" "$CORPUS" >"$2" <<'PY'
import json, subprocess, sys
kind, corpus = sys.argv[1], sys.argv[2]
items = []
for i, line in enumerate(l for l in open(corpus, encoding='utf-8').read().split('\n') if l):
    if kind == 'tcvn3':
        out = ''
        for ch in line:
            r = subprocess.run(['iconv', '-f', 'UTF-8', '-t', 'TCVN5712-1'], input=ch.encode(), capture_output=True)
            out += r.stdout.decode('cp1252', errors='ignore') if r.returncode == 0 else ch
        if out == line:
            continue
        line = out
    elif kind == 'double':
        d = ''.join(bytes([b]).decode('cp1252', errors='ignore') or chr(b) for b in line.encode())
        if d == line:
            continue
        line = d
    items.append({"id": "l%d" % i, "text": line, "effect": "scroll-left"})
json.dump({"version": 1, "items": items}, sys.stdout, ensure_ascii=False)
PY
}

count_items() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$1"; }

clean_is_quiet() {
	playlist_of clean "$T_TMP/clean.json" || return 1
	"$LEDSIGN" validate "$T_TMP/clean.json" >"$T_TMP/clean.out" 2>&1
	grep -q ': ok: [0-9]* item(s), 0 error(s), 0 warning(s)$' "$T_TMP/clean.out" || { cat "$T_TMP/clean.out"; return 1; }
}
check "validate gives no warning on $(grep -c . "$CORPUS") lines of clean Vietnamese" clean_is_quiet

# every_item_warned KIND WORD: validate warns once per item, naming WORD.
every_item_warned() {
	local pl=$T_TMP/$1.json n w
	playlist_of "$1" "$pl" || return 1
	n=$(count_items "$pl")
	"$LEDSIGN" validate "$pl" >"$T_TMP/$1.out" 2>&1
	w=$(grep -c "^warning: $pl:[0-9]*:[0-9]*: items\[[0-9]*\]\.text: text looks like $2.* at character [0-9]" "$T_TMP/$1.out")
	[ "$n" -ge 100 ] && [ "$w" -eq "$n" ] || { echo "$w of $n items warned"; head -5 "$T_TMP/$1.out"; return 1; }
}
check "validate warns on every TCVN3 line, naming TCVN3 and the position" every_item_warned tcvn3 "TCVN3"
check "validate warns on every double-encoded line" every_item_warned double "UTF-8 that was read"

publish_warns() {
	mkdir -p "$T_TMP/www" || return 1
	printf '{"version":1,"items":[{"id":"a","text":"B\xc2\xb6o hi\xc3\x93m x\xc2\xb7 h\xc3\xa9i"},{"id":"b","text":"\xc3\x90\xc3\xa0 N\xe1\xba\xb5ng"}]}' >"$T_TMP/p.json"
	[ -f "$T_TMP/sec" ] || LEDSIGN_KEY_PASSWORD='' "$LEDSIGN" keygen --pub "$T_TMP/pub" --sec "$T_TMP/sec" >/dev/null 2>&1 </dev/null || return 1
	LEDSIGN_KEY_PASSWORD='' "$LEDSIGN" publish "$T_TMP/p.json" --key "$T_TMP/sec" --to "$T_TMP/www" >"$T_TMP/pub.out" 2>&1 </dev/null
	grep -q "warning: $T_TMP/p.json:1:[0-9]*: items\[0\]\.text: text looks like TCVN3" "$T_TMP/pub.out" &&
		grep -q "items\[1\]\.text: 'Ð' (U+00D0) at character 1: did you mean 'Đ' (U+0110)?" "$T_TMP/pub.out" ||
		{ cat "$T_TMP/pub.out"; return 1; }
}
check "publish warns about TCVN3 and a lookalike" publish_warns

# refused FILE TEXT: validate refuses FILE, the message containing TEXT, and
# a board would refuse it too (ledsign publish does not publish it).
refused() {
	"$LEDSIGN" validate "$1" >"$T_TMP/r.out" 2>&1 && { cat "$T_TMP/r.out"; return 1; }
	grep -qF -- "$2" "$T_TMP/r.out" || { cat "$T_TMP/r.out"; return 1; }
}
printf '{"version":1,"items":[{"id":"a","text":"Vi\xe1\xbb\x87t\x00Nam"}]}' >"$T_TMP/nul.json"
check "a raw NUL is refused with its position" refused "$T_TMP/nul.json" "nul.json:1:45: a NUL byte, which would cut the text here"
printf '{"version":1,"items":[{"id":"a","text":"Vi\\u1ec7t\\u0000Nam"}]}' >"$T_TMP/nul2.json"
check "an escaped NUL is refused with its position" refused "$T_TMP/nul2.json" 'nul2.json:1:50: \u0000 is a NUL character'
printf '{"version":1,"items":[{"id":"a","text":"ab\\ud800cd"}]}' >"$T_TMP/sur.json"
check "a lone surrogate escape is named, not called a missing comma" refused "$T_TMP/sur.json" "sur.json:1:43: this \u escape is the first half of a UTF-16 surrogate pair"
printf '{"version":1,"items":[{"id":"a","text":"B\xe1o"}]}' >"$T_TMP/latin1.json"
check "bytes that are not UTF-8 refuse the playlist at their column" refused "$T_TMP/latin1.json" "latin1.json:1:42: byte 0xE1: this byte is not UTF-8"

board_name_blamed_on_config() {
	printf '[board]\nname = Ba \xd0\xecnh\n' >"$T_TMP/bad.conf"
	printf '{"version":1,"items":[{"id":"a","text":"Ch\xc3\xa0o {board}"}]}' >"$T_TMP/b.json"
	"$LEDSIGN" validate "$T_TMP/b.json" --board "$T_TMP/bad.conf" >"$T_TMP/b.out" 2>&1 && return 1
	grep -q "bad.conf:2: \[board\] name: byte 4 (0xD0) is not UTF-8" "$T_TMP/b.out" &&
		! grep -q "items\[0\]" "$T_TMP/b.out" || { cat "$T_TMP/b.out"; return 1; }
}
check "a [board] name that is not UTF-8 is blamed on the configuration line, not items[0].text" board_name_blamed_on_config

astral_named() {
	printf '{"version":1,"items":[{"id":"a","text":"ab \xf0\x9d\x84\x9e"}]}' >"$T_TMP/astral.json"
	"$LEDSIGN" validate "$T_TMP/astral.json" >"$T_TMP/a.out" 2>&1
	grep -q "U+1D11E '𝄞'" "$T_TMP/a.out" || { cat "$T_TMP/a.out"; return 1; }
}
check "a missing character above U+FFFF is printed, not ''" astral_named

khmer_warned() {
	printf '{"version":1,"items":[{"id":"k","text":"Ch\xc3\xa0o \xe1\x9e\x9f\xe1\x9e\xbd\xe1\x9e\x9f\xe1\x9f\x92\xe1\x9e\x8f\xe1\x9e\xb8"}]}' >"$T_TMP/khmer.json"
	"$LEDSIGN" validate "$T_TMP/khmer.json" >"$T_TMP/k.out" 2>&1
	grep -q "warning: $T_TMP/khmer.json:1:[0-9]*: items\[0\]\.text: Khmer script at character 6 is drawn letter by letter, unshaped" "$T_TMP/k.out" || { cat "$T_TMP/k.out"; return 1; }
}
check "validate warns that Khmer is drawn unshaped, naming the script and the position" khmer_warned

# render_says TEXT EXTRA WORDS: ledsign render of one item says WORDS on stderr
# when it shows TEXT, exits 0, and exits 3 with --strict, the picture written both times.
render_says() {
	local pl=$T_TMP/render.json rc
	printf '{"version":1,"items":[{"id":"r","text":"%b","effect":"static"%s}]}' "$1" "$2" >"$pl"
	rm -f "$T_TMP/r.png"
	"$LEDSIGN" render "$pl" --at "2026-03-02 07:30" --out "$T_TMP/r.png" 2>"$T_TMP/r.err" || { cat "$T_TMP/r.err"; return 1; }
	[ -s "$T_TMP/r.png" ] && grep -q "warning: $T_TMP/r.png shows problem characters in 1 place of zone .* (item \"r\"): .*$3" "$T_TMP/r.err" || { cat "$T_TMP/r.err"; return 1; }
	rm -f "$T_TMP/r.png"
	"$LEDSIGN" render "$pl" --at "2026-03-02 07:30" --out "$T_TMP/r.png" --strict 2>/dev/null
	rc=$?
	[ "$rc" -eq 3 ] && [ -s "$T_TMP/r.png" ] || { echo "--strict exit $rc"; return 1; }
}
check "render names a box in its picture and --strict exits 3" render_says 'ab \xf0\x9d\x84\x9e' '' "'𝄞' (U+1D11E)"
check "render names a U+FFFD in its picture" render_says 'ab \xef\xbf\xbd' '' "1 U+FFFD shown"
check "render names ink cut off in its picture" render_says '\xe1\xba\xa8' ',"size":8' "row.* of ink cut off"

render_quiet() {
	"$LEDSIGN" render content/national.json --at "2026-03-02 07:30" --out "$T_TMP/n.png" --strict 2>"$T_TMP/n.err" &&
		[ ! -s "$T_TMP/n.err" ] || { cat "$T_TMP/n.err"; return 1; }
}
check "render --strict of a clean playlist says nothing and exits 0" render_quiet

finish
