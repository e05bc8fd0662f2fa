#!/bin/bash
# The terminal output as a newcomer meets it: `make run` in an 80x24 terminal
# (tmux, read back with capture-pane) draws the 192x16 board in braille cells
# that fit the width, with a window line; log lines scroll under the board,
# not over it; no cache warning greets the first run. A static text read back
# from the screen dot for dot equals what `ledsign render` draws; a 200x30
# terminal gets the half-block board; a resize is followed.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT build=$LEDSIGN_BUILD tmp=$T_TMP
cd "$root" || exit 1
bld=$(basename "$build")
command -v tmux >/dev/null || { fail tmux_is_installed "apt-get install tmux"; finish; exit 1; }

sock=$tmp/tmux.sock
tm() { tmux -S "$sock" "$@"; }
at_exit "tmux -S '$sock' kill-server 2>/dev/null"
# pane SESSION: the screen as text, wrapped lines joined (-J) so a wrap shows
pane() { tm capture-pane -p -J -t "$1"; }
# braille_rows FILE: lines holding braille cells (U+2800..U+28FF)
braille_rows() { LC_ALL=C grep -c $'\xe2[\xa0-\xa3]' "$1"; }
widest() { # widest FILE: the longest line, in characters
	python3 -c 'import sys; print(max((len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")), default=0))' "$1"
}
wait_pane() { # wait_pane SESSION SECONDS PATTERN: until the screen shows PATTERN
	local end=$(($(date +%s) + $2))
	until pane "$1" | grep -q "$3"; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.2; done
}

# 1. make run at 80x24.
tm new-session -d -s run -x 80 -y 24 \
	"cd '$root' && make -s run BUILD='$bld' ARGS='--duration 8' 2>&1; echo make-run-exit=\$?; sleep 30"
# descendant PID NAME: the process called NAME started under PID
descendant() {
	local kids k
	kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
	for k in $kids; do
		[ "$(ps -o comm= -p "$k" 2>/dev/null)" = "$2" ] && { echo "$k"; return; }
		descendant "$k" "$2" && return
	done
	return 1
}
# Once the board is up, a reload makes the service log a line (SIGHUP: "reloaded ...").
wait_pane run 60 '^LEDs' || true
daemon=$(descendant "$(tm display -p -t run '#{pane_pid}')" ledsignd)
[ -n "$daemon" ] && kill -HUP "$daemon"
wait_pane run 10 'reloaded' || true
# A reload builds a new player: a scrolling item starts again from the right
# edge, so the board is dark for a moment (dark cells are spaces). Read the
# screen once the text is back on it.
end=$(($(date +%s) + 10))
until pane run >"$tmp/run.txt" && [ "$(braille_rows "$tmp/run.txt")" -ge 4 ]; do
	[ "$(date +%s)" -ge "$end" ] && break
	sleep 0.2
done
cat "$tmp/run.txt"
check make_run_draws_4_braille_rows_at_80x24 test "$(braille_rows "$tmp/run.txt")" -eq 4
# The board's rows hold no log text and no line of it wraps: the widest board line fits.
head -n 4 "$tmp/run.txt" >"$tmp/board.txt"
check the_board_lines_fit_80_columns test "$(widest "$tmp/board.txt")" -le 80
check the_board_is_not_overwritten_by_logs sh -c "! grep -q 'ledsign' '$tmp/board.txt'"
check the_window_line_says_what_is_shown grep -q '^LEDs [0-9]*-[0-9]* of 192 across' "$tmp/run.txt"
log_row=$(grep -n 'ledsign: reloaded' "$tmp/run.txt" | head -n 1 | cut -d: -f1)
check log_lines_scroll_under_the_board test "${log_row:-0}" -gt 5
check no_cache_warning_on_the_first_run sh -c "! grep -q 'not cached' '$tmp/run.txt'"
check make_run_stops_after_its_duration wait_pane run 30 'make-run-exit='
check make_run_exits_0 wait_pane run 1 'make-run-exit=0'
tm kill-session -t run 2>/dev/null

# 2. A static text, read back dot for dot.
mkdir -p "$tmp/cache" "$tmp/state"
printf '%s\n' '{"version": 1, "name": "term test", "items": [{"id": "s", "text": "ĐÃ KIỂM TRA",' \
	'"effect": "static", "align": "center", "duration": 600}]}' >"$tmp/static.json"
cat >"$tmp/static.conf" <<EOF
[panel]
type = hub12
module = 32x16
chain = 6
[output]
type = term
fps = 10
[feed]
url = static.json
cache_dir = $tmp/cache
state_dir = $tmp/state
EOF
"$build/ledsign" render "$tmp/static.json" --board 192x16 --out "$tmp/static.png" >/dev/null 2>&1
tm new-session -d -s st -x 80 -y 24 "cd '$root' && '$build/ledsignd' -d -c '$tmp/static.conf' --duration 20 2>/dev/null; sleep 30"
wait_pane st 10 '^LEDs' || true
sleep 1
pane st >"$tmp/static.txt"
# decode.py SCREEN PNG: the braille dots under the window line against the PNG's lit LEDs
cat >"$tmp/decode.py" <<'EOF'
import re, struct, sys, zlib

def png_lit(path):
    data = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "8-bit RGB(A) only"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, at = zlib.decompress(idat), [], bytearray(w * bpp), 0
    for _ in range(h):
        f, line = raw[at], bytearray(raw[at + 1:at + 1 + w * bpp])
        at += 1 + w * bpp
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c][f]
            line[i] = (line[i] + pred) & 255
        rows.append([line[x * bpp] > 128 for x in range(w)])
        prev = line
    return rows

screen = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
m = next(re.match(r"LEDs (\d+)-(\d+) of (\d+)", l) for l in screen if l.startswith("LEDs "))
x0, x1 = int(m.group(1)), int(m.group(2))
cells = [l for l in screen if re.search("[\u2800-\u28ff]", l)]
bit = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
lit = png_lit(sys.argv[2])
bad = 0
for y in range(len(lit)):
    row = cells[y // 4].ljust((x1 - x0 + 2) // 2)
    for x in range(x0, x1 + 1):
        ch = row[(x - x0) // 2]
        dots = ord(ch) - 0x2800 if "\u2800" <= ch <= "\u28ff" else 0
        on = bool(dots & bit[y % 4][(x - x0) % 2])
        bad += on != lit[y][x]
print(f"window {x0}-{x1}: {sum(map(sum, lit))} lit LEDs, {bad} differ")
sys.exit(bad != 0)
EOF
check static_text_on_screen_equals_ledsign_render python3 "$tmp/decode.py" "$tmp/static.txt" "$tmp/static.png"
python3 "$tmp/decode.py" "$tmp/static.txt" "$tmp/static.png" || cat "$tmp/static.txt"

# 3. A resize to 200x30 is followed: the half-block board, 8 rows, no window line.
tm resize-window -t st -x 200 -y 30 2>/dev/null
sleep 1.5
pane st >"$tmp/wide.txt"
check wide_terminal_draws_8_half_block_rows test "$(grep -c $'\xe2\x96\x80' "$tmp/wide.txt")" -eq 8
check wide_terminal_needs_no_window sh -c "! grep -q '^LEDs ' '$tmp/wide.txt'"
check wide_board_fits_200_columns test "$(widest "$tmp/wide.txt")" -le 200
tm resize-window -t st -x 80 -y 24 2>/dev/null
sleep 1.5
pane st >"$tmp/back.txt"
check back_at_80x24_braille_again test "$(braille_rows "$tmp/back.txt")" -eq 4
tm kill-session -t st 2>/dev/null

finish
