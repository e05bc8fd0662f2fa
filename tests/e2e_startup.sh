#!/usr/bin/env bash
# The service's fonts at start-up (issue 20): on a 16-row board the first
# font of the chain (ledsign16.bdf) is loaded once, although the start-up
# check and the player both ask for it; the fallbacks (ledsign32.bdf, DejaVu
# Sans Bold, Unifont) are only checked, and one is loaded when an item's text
# has a character the fonts before it lack. A fallback that is no font is
# still refused at start-up, by `ledsignd -n` too.
#
# libcurl (src/sys/libcurl.c): the service draws its first frame from the
# cache before it opens libcurl, `ledsignd -n` and the tool's commands that
# fetch nothing never load it, and a libcurl that cannot be opened leaves the
# board playing its cache, saying what to reinstall.
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

# ---- libcurl after the first frame ----
board "Bảo hiểm xã hội"
"$LEDSIGND" -c "$T_TMP/board.conf" --duration 0.5 >"$T_TMP/fill.out" 2>&1 # fills the cache
sed 's/^type = none$/type = term/' "$T_TMP/board.conf" >"$T_TMP/term.conf"
# The first poll comes at once (the test knob), so libcurl opens with it.
LEDSIGN_TEST_POLL_MS=300 strace -f -qq -s 64 -e trace=openat,write -o "$T_TMP/trace" "$LEDSIGND" \
	-c "$T_TMP/term.conf" --duration 1.5 >"$T_TMP/term.out" 2>"$T_TMP/term.err"
# The term output draws each frame that changes with one write to stdout from
# the main thread, which also opens libcurl: their order in the trace is theirs.
frame=$(grep -n 'write(1, .*\[48;2;' "$T_TMP/trace" | head -n 1 | cut -d: -f1)
curl=$(grep -n 'openat(.*libcurl[^"]*\.so[^"]*", ' "$T_TMP/trace" | grep -v ENOENT | head -n 1 | cut -d: -f1)
if grep -q "feeds shown from the cache" "$T_TMP/term.err" && [ -n "$frame" ] && [ -n "$curl" ] &&
	[ "$frame" -lt "$curl" ]; then
	ok "the first frame from the cache is drawn before libcurl is opened, and libcurl is opened then"
else
	fail "the first frame from the cache is drawn before libcurl is opened, and libcurl is opened then" \
		"first frame at trace line ${frame:-none}, libcurl at ${curl:-none}" "$(tail -n 3 "$T_TMP/term.err")"
fi
if ! grep -q "libcurl" <(ldd "$LEDSIGND") && ! grep -q "libcurl" <(ldd "$LEDSIGN_BUILD/ledsign"); then
	ok "neither ledsignd nor ledsign links libcurl"
else
	fail "neither ledsignd nor ledsign links libcurl" "$(ldd "$LEDSIGND" | grep libcurl)"
fi

strace -f -qq -e trace=openat -o "$T_TMP/trace-n" "$LEDSIGND" -n -c "$T_TMP/board.conf" >/dev/null 2>&1
strace -f -qq -e trace=openat -o "$T_TMP/trace-v" "$LEDSIGN_BUILD/ledsign" validate \
	content/national.json >/dev/null 2>&1
if grep -q 'libcurl[^"]*\.so.*= [0-9]' "$T_TMP/trace-n" && ! grep -q 'libcurl' "$T_TMP/trace-v"; then
	ok "ledsignd -n opens libcurl to check it; ledsign validate never loads it"
else
	fail "ledsignd -n opens libcurl to check it; ledsign validate never loads it" \
		"-n: $(grep -c libcurl "$T_TMP/trace-n") opens; validate: $(grep -c libcurl "$T_TMP/trace-v")"
fi

# A libcurl that cannot be opened (found first through LD_LIBRARY_PATH).
mkdir -p "$T_TMP/badlib"
echo "not a library" >"$T_TMP/badlib/libcurl.so.4"
LD_LIBRARY_PATH="$T_TMP/badlib" "$LEDSIGND" -n -c "$T_TMP/board.conf" >"$T_TMP/bad-n.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "warning: libcurl cannot be opened (.*badlib/libcurl.so.4.*reinstall the libcurl4 package" "$T_TMP/bad-n.out"; then
	ok "ledsignd -n warns that libcurl cannot be opened, and what to reinstall"
else
	fail "ledsignd -n warns that libcurl cannot be opened, and what to reinstall" "rc=$rc" \
		"$(cat "$T_TMP/bad-n.out")"
fi
LD_LIBRARY_PATH="$T_TMP/badlib" LEDSIGN_TEST_POLL_MS=300 strace -f -qq -s 64 -e trace=write \
	-o "$T_TMP/trace-bad" "$LEDSIGND" -c "$T_TMP/term.conf" --duration 1.5 >"$T_TMP/bad-run.out" 2>"$T_TMP/bad-run.err"
rc=$?
frames=$(grep -c 'write(1, .*\[48;2;' "$T_TMP/trace-bad")
if [ $rc -eq 0 ] && [ "$frames" -ge 1 ] &&
	grep -q "libcurl cannot be opened (.*): reinstall the libcurl4 package; still showing the last good version" \
		"$T_TMP/bad-run.err"; then
	ok "without a working libcurl the board plays its cache and says what to reinstall"
else
	fail "without a working libcurl the board plays its cache and says what to reinstall" \
		"rc=$rc, $frames frames" "$(tail -n 3 "$T_TMP/bad-run.err")"
fi

finish
