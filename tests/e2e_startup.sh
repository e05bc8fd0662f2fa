#!/usr/bin/env bash
# The service's fonts at start-up (issue 20): on a 16-row board the first
# font of the chain (ledsign16.bdf) is loaded once, although the start-up
# check and the player both ask for it; the fallbacks (ledsign32.bdf, DejaVu
# Sans Bold, Unifont) are only checked, and one is loaded when an item's text
# has a character the fonts before it lack. A fallback that is no font is
# still refused at start-up, by `ledsignd -n` too.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

if ! command -v strace >/dev/null; then
	fail "strace is installed (sh deploy/install-deps.sh --test)"
	finish
	exit
fi
unifont=/usr/share/fonts/opentype/unifont/unifont.otf
dejavu=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

# board TEXT [FONT...]: $T_TMP/board.conf, a 192x16 board
# showing TEXT with the given fonts, or with the default chain.
board() {
	local text=$1 f
	shift
	rm -rf "$T_TMP/cache" "$T_TMP/state" # the text from the cache is the text given
	mkdir -p "$T_TMP/cache" "$T_TMP/state"
	printf '{"version": 1, "items": [{"id": "a", "text": "%s", "effect": "static", "duration": 30}]}\n' \
		"$text" >"$T_TMP/playlist.json"
	{
		printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 6\n'
		printf '[output]\ntype = none\nfps = 25\n'
		printf '[feed]\nurl = %s\ncache_dir = %s\nstate_dir = %s\n' "$T_TMP/playlist.json" \
			"$T_TMP/cache" "$T_TMP/state"
		printf '[display]\n'
		for f in "$@"; do printf 'font = %s\n' "$f"; done
	} >"$T_TMP/board.conf"
}

# mapped_after SECONDS: the font files the running service has mapped after
# SECONDS of playing $T_TMP/board.conf, one a line.
mapped_after() {
	"$LEDSIGND" -c "$T_TMP/board.conf" --duration $(($1 + 2)) >"$T_TMP/run.out" 2>&1 &
	local pid=$!
	sleep "$1"
	grep -oE '[^ ]+\.(bdf|ttf|otf)$' "/proc/$pid/maps" | sort -u
	wait "$pid"
}

board "Bảo hiểm xã hội Việt Nam"
for f in fonts/ledsign16.bdf fonts/ledsign32.bdf "$dejavu" "$unifont"; do
	check "the default chain has $f" test -f "$f"
done
strace -f -qq -e trace=openat -o "$T_TMP/trace" "$LEDSIGND" -c "$T_TMP/board.conf" --duration 1 \
	>"$T_TMP/strace.out" 2>&1
n=$(grep -c 'ledsign16\.bdf"' "$T_TMP/trace")
if [ "$n" -eq 1 ]; then
	ok "the first font is read once, for the check and the player together"
else
	fail "the first font is read once, for the check and the player together" \
		"$n opens of ledsign16.bdf" "$(tail -n 3 "$T_TMP/strace.out")"
fi

mapped_after 2 >"$T_TMP/maps"
if grep -q '/ledsign16\.bdf$' "$T_TMP/maps" && [ "$(wc -l <"$T_TMP/maps")" -eq 1 ]; then
	ok "Vietnamese text on a 16-row board loads ledsign16.bdf and no fallback"
else
	fail "Vietnamese text on a 16-row board loads ledsign16.bdf and no fallback" \
		"mapped: $(tr '\n' ' ' <"$T_TMP/maps")"
fi

# U+2603 (a snowman) is in Unifont alone of the chain.
board "Bảo hiểm ☃"
mapped_after 2 >"$T_TMP/maps"
if grep -q "^$unifont\$" "$T_TMP/maps"; then
	ok "a character only Unifont has loads Unifont when the item is laid out"
else
	fail "a character only Unifont has loads Unifont when the item is laid out" \
		"mapped: $(tr '\n' ' ' <"$T_TMP/maps")" "$(tail -n 3 "$T_TMP/run.out")"
fi

echo "Bảo hiểm xã hội: not a font" >"$T_TMP/notes.ttf"
board "Bảo hiểm" fonts/ledsign16.bdf "$T_TMP/notes.ttf"
for how in "-n" "--duration 1"; do
	# shellcheck disable=SC2086 # $how is two words on purpose
	"$LEDSIGND" $how -c "$T_TMP/board.conf" >"$T_TMP/bad.out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q "notes.ttf: cannot be opened as a font" "$T_TMP/bad.out"; then
		ok "ledsignd $how refuses a fallback that is no font, naming it"
	else
		fail "ledsignd $how refuses a fallback that is no font, naming it" "rc=$rc" \
			"$(cat "$T_TMP/bad.out")"
	fi
done

finish
