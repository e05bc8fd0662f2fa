#!/usr/bin/env bash
# Preview benchmark: `ledsign preview` of a 192x16 board, 20 s at 25 frames/s
# (500 frames of a Vietnamese slogan scrolling, so nearly every frame differs)
# into a GIF. Prints the wall time (hyperfine when installed, else the best of
# three /usr/bin/time runs: context only) and the instruction count under
# callgrind (the stable figure). Target: well under a second.
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/bench.json" <<'EOF'
{
  "version": 1,
  "items": [
    {
      "id": "an-sinh",
      "text": "Bảo hiểm xã hội, bảo hiểm y tế là hai chính sách xã hội quan trọng, trụ cột của hệ thống an sinh xã hội",
      "speed": 32
    }
  ]
}
EOF
cmd=("$build/ledsign" preview "$tmp/bench.json" --board 192x16 --at "2026-03-02 07:30" --seconds 20 --fps 25
	--out "$tmp/bench.gif")

"${cmd[@]}" || { echo "preview failed"; exit 1; }
bytes=$(stat -c %s "$tmp/bench.gif")

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine --warmup 1 --runs 5 --export-json "$tmp/h.json" "${cmd[*]@Q}" >/dev/null 2>&1
	wall=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f s (hyperfine mean of %d, min %.3f)" % (r["mean"], len(r["times"]), r["min"]))' "$tmp/h.json")
else
	best=
	for _ in 1 2 3; do
		t=$(/usr/bin/time -f %e "${cmd[@]}" 2>&1 >/dev/null | tail -n 1)
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
	done
	wall="$best s (best of 3, /usr/bin/time)"
fi

instr="(valgrind not installed)"
if command -v valgrind >/dev/null 2>&1; then
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "${cmd[@]}" >/dev/null 2>&1
	instr=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$tmp/cg.out" | head -n 1)
	instr="$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$instr") instructions (callgrind)"
fi

echo "preview 192x16, 20 s at 25 frames/s -> GIF ($bytes bytes)"
echo "  wall:         $wall"
echo "  instructions: $instr"
