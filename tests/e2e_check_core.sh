#!/bin/bash
# The boundary check itself (tests/check-core.sh): it passes the real core,
# and it fails, naming the object and the symbol, when a core object calls
# fopen, reads the clock, or calls a function of the edges (src/sys/)
# instead of taking it from a provider.
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT
build=$LEDSIGN_BUILD
cc=${CC:-gcc}

# A throwaway build tree with the real edge objects and one bad core object.
fake=$T_TMP/build
mkdir -p "$fake/obj/src/core" "$fake/obj/src/sys"
cp -r "$build/obj/src/sys/." "$fake/obj/src/sys/"

core_obj() { # NAME SOURCE: compiles SOURCE into the fake core
	printf '%s\n' "$2" >"$T_TMP/$1.c"
	$cc -std=gnu11 -I"$root/include" -c "$T_TMP/$1.c" -o "$fake/obj/src/core/$1.o"
}

# shellcheck disable=SC2046 # one argument per object
check "the real core passes" sh "$root/tests/check-core.sh" "$build" \
	$(cd "$root" && find src/core -name '*.c' | sort | sed "s|^|$build/obj/|; s|\.c\$|.o|")

core_obj reads_file '#include <stdio.h>
int reads_file(const char *p);
int reads_file(const char *p) { FILE *f = fopen(p, "r"); return f ? fclose(f) : -1; }'
out=$(sh "$root/tests/check-core.sh" "$fake" "$fake/obj/src/core/reads_file.o" 2>&1)
rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q "src/core/reads_file.o calls.* fopen" &&
	printf '%s' "$out" | grep -q "fclose" && printf '%s' "$out" | grep -q "0 passed, 1 failed"; then
	ok "a core object calling fopen fails the check, named with the symbol"
else
	fail "a core object calling fopen fails the check, named with the symbol" "rc=$rc" "$out"
fi

core_obj reads_clock '#include <time.h>
long reads_clock(void);
long reads_clock(void) { return (long)time(NULL); }'
out=$(sh "$root/tests/check-core.sh" "$fake" "$fake/obj/src/core/reads_clock.o" 2>&1)
if [ $? -ne 0 ] && printf '%s' "$out" | grep -q "src/core/reads_clock.o calls time"; then
	ok "a core object reading the clock fails the check"
else
	fail "a core object reading the clock fails the check" "$out"
fi

# Bypassing the font provider: the core calling the edge's font files directly.
core_obj bypasses '#include "ledsign/text.h"
const void *bypasses(void);
const void *bypasses(void) { return ls_font_files(); }'
out=$(sh "$root/tests/check-core.sh" "$fake" "$fake/obj/src/core/bypasses.o" 2>&1)
if [ $? -ne 0 ] && printf '%s' "$out" | grep -q "src/core/bypasses.o calls ls_font_files"; then
	ok "a core object calling an edge function (ls_font_files) fails the check"
else
	fail "a core object calling an edge function (ls_font_files) fails the check" "$out"
fi

core_obj pure 'int pure(int a);
int pure(int a) { return a * 2; }'
check "a pure core object passes" sh "$root/tests/check-core.sh" "$fake" "$fake/obj/src/core/pure.o"
# The layout documents say what is true: every core and edge file is in
# src/README.md's table, and every file the README's tour names exists.
missing=
for f in $(cd "$root/src" && find core sys -mindepth 1 -maxdepth 1 -name '*.c' | sort); do
	grep -q "\`$(basename "$f")\`" "$root/src/README.md" || missing="$missing $f"
done
for d in $(cd "$root/src" && find core sys -mindepth 1 -maxdepth 1 -type d | sort); do
	grep -q "\`$(basename "$d")/\`" "$root/src/README.md" || missing="$missing $d/"
done
if [ -z "$missing" ]; then ok "src/README.md names every file and folder of src/core and src/sys"
else fail "src/README.md names every file and folder of src/core and src/sys" "not named:$missing"; fi
tour=$(sed -n '/^step .*pure core/,/^```/p' "$root/README.md")
absent=
for f in $(printf '%s\n' "$tour" | grep -o '[a-z_0-9]*\.c' | sort -u); do
	[ -n "$(find "$root/src/core" "$root/src/sys" -name "$f")" ] || absent="$absent $f"
done
if [ -n "$tour" ] && [ -z "$absent" ]; then ok "every file the README's tour names exists in src/core or src/sys"
else fail "every file the README's tour names exists in src/core or src/sys" "absent:$absent"; fi
finish
