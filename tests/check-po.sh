#!/bin/sh
# The catalogue check (a stage of `make test`): every message the sources mark
# (po/POTFILES, with the keywords of the Makefile's XGETTEXT_FLAGS) has a
# translation in po/vi.po that is neither missing nor fuzzy; msgfmt --check
# finds no problem in vi.po (format placeholders, header, plural forms); and
# po/POTFILES names every source of the three programs and the library.
# Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1" >&2; }

# 1. POTFILES lists every source that can print (the hub's pages have their own
# words; its answers are in the catalogue).
find src/core src/sys src/cmd src/hub -name '*.c' | sort >"$tmp/have"
sort po/POTFILES >"$tmp/listed"
missing=$(comm -23 "$tmp/have" "$tmp/listed")
gone=$(comm -13 "$tmp/have" "$tmp/listed")
if [ -z "$missing$gone" ]; then
	ok "po/POTFILES names every source"
else
	bad "po/POTFILES is out of date: add [$(echo "$missing" | tr '\n' ' ')], drop [$(echo "$gone" | tr '\n' ' ')]"
fi

# 2. msgfmt --check: placeholders match, header and Plural-Forms are right.
if msgfmt --check --statistics -o "$tmp/vi.mo" po/vi.po 2>"$tmp/fmt"; then
	ok "msgfmt --check po/vi.po: $(cat "$tmp/fmt")"
else
	bad "msgfmt --check po/vi.po:"
	cat "$tmp/fmt" >&2
fi

# 3. Every marked message is translated, not fuzzy (the sources, not the
# committed template, are the truth: `make pot` refreshes both).
flags=$(make -s --no-print-directory -f Makefile -f - print-xgettext-flags <<'MK'
print-xgettext-flags:
	@echo $(XGETTEXT_FLAGS)
MK
)
# shellcheck disable=SC2086,SC2046 # the flags and the file list are words
if xgettext $flags -o "$tmp/ledsign.pot" $(cat po/POTFILES) 2>"$tmp/x"; then
	n=$(grep -c '^msgid ' "$tmp/ledsign.pot")
	if msgcmp po/vi.po "$tmp/ledsign.pot" 2>"$tmp/cmp"; then
		ok "all $((n - 1)) marked messages are translated in po/vi.po"
	else
		bad "po/vi.po lacks translations (missing or fuzzy; run make pot, then translate):"
		grep -v '^msgcmp: found' "$tmp/cmp" | head -n 40 >&2
	fi
else
	bad "xgettext failed:"
	cat "$tmp/x" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
