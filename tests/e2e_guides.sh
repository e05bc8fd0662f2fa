#!/bin/bash
# Each Vietnamese guide (X.vi.md beside X.md) and man page (deploy/man/vi/P
# beside deploy/man/P) holds the same commands as its English original, so a
# changed command in the English cannot leave the Vietnamese behind unnoticed.
# Commands of a guide: the lines of its code blocks (```sh fences and 4-space
# indented blocks), without trailing "# comments" (those are translated), and
# the inline `ledsign ...`, `ledsignd ...`, `ledsign-hub ...`, `make ...`.
# Comment lines of code blocks ("# ..." and the ini files' "; ...") are
# translated too. Besides its commands a guide keeps its original's words in
# code in its tables (keys, values, messages: a new playlist key or effect in
# the English table must reach the Vietnamese one), its JSON examples byte for
# byte, and its links to files and pictures.
# Commands of a man page: the option names (-x, --long) its .B/.BR/.BI/.IR/.I
# lines start with. A failure names the command and the file that lacks it.
# The guides that must have a Vietnamese copy are listed in $required.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT tmp=$T_TMP
cd "$root" || exit 1

# guide_commands FILE: one command per line, sorted, unique.
guide_commands() {
	awk '
	function emit(s) { sub(/[ \t]+#.*$/, "", s); sub(/^[ \t]*[#;].*$/, "", s); gsub(/^[ \t]+|[ \t]+$/, "", s); if (s != "") print s }
	/^[ \t]*```/ { if (fence) { fence = 0 } else { fence = 1; sh = ($0 ~ /```(sh|bash|shell|console)?[ \t]*$/) } ; prev = ""; next }
	fence { if (sh) emit($0); next }
	/^    / && (prev == "" || incode) && !/^    *[-*0-9]/ { emit($0); incode = 1; prev = $0; next }
	/^[ \t]*$/ { prev = ""; next }
	{ incode = 0; prev = $0
	  s = $0
	  while (match(s, /`(ledsign|ledsignd|ledsign-hub|make) [^`]+`/)) {
		print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }
	' "$1" | sort -u
}

# table_codes FILE: the `code` of every table row, one per line, sorted, unique.
table_codes() {
	awk '/^\|/ { s = $0; while (match(s, /`[^`]+`/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }' "$1" | sort -u
}

# json_blocks FILE: the lines of its ```json examples, in order.
json_blocks() {
	awk '/^[ \t]*```/ { if (fence) { fence = 0 } else { fence = 1; js = ($0 ~ /```json[ \t]*$/) }; next } fence && js' "$1"
}

# links FILE: the files and pictures it links to (a Vietnamese copy may link
# the Vietnamese copy of a guide), sorted, unique; web addresses left out.
links() {
	awk '{ s = $0; while (match(s, /\]\([^)#]+[)#]/)) { t = substr(s, RSTART + 2, RLENGTH - 3); if (t !~ /^[a-z]+:/) print t; s = substr(s, RSTART + RLENGTH) } }' "$1" |
		sed 's/\.vi\.md$/.md/' | sort -u
}

# man_text FILE: the page without its comment lines, with \[uXXXX] written as
# the letter and \- as -, so a page in UTF-8 and one in escapes compare equal.
man_text() {
	perl -CSD -ne 'next if /^[.\x27]\\"/; s/\\\[u([0-9A-Fa-f]{4,5})\]/chr(hex($1))/ge; s/\\-/-/g; print' "$1"
}

# man_options FILE: every option (-x, --long) the page names, in its tags or
# its text, sorted, unique.
man_options() {
	man_text "$1" | sed 's/\\f[BIRP]//g; s/\\f(..//g' |
		grep -oE '(^|[^A-Za-z0-9_./+-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

# man_tags FILE: the tag line of every .TP (a command with its options, a
# configuration or playlist key) and every section named in brackets
# ([board]); these are typed as they are, so the translation keeps them.
man_tags() {
	man_text "$1" | awk 'tp { print; tp = 0; next } /^\.TP/ { tp = 1 } /^\.SH "?\[/ { print }' | sort -u
}

# man_examples FILE: the lines of its .nf/.fi and .EX/.EE examples, in order.
man_examples() {
	man_text "$1" | awk '/^\.(nf|EX)/ { ex = 1; next } /^\.(fi|EE)/ { ex = 0; next } ex'
}

# compare NAME EN VI KIND: one check per pair; names each command in one only.
compare() {
	local name=$1 en=$2 vi=$3 kind=$4 missing extra
	"$kind" "$en" >"$tmp/en"
	"$kind" "$vi" >"$tmp/vi"
	missing=$(comm -23 "$tmp/en" "$tmp/vi" | sed "s|^|only in $en (missing from $vi): |")
	extra=$(comm -13 "$tmp/en" "$tmp/vi" | sed "s|^|only in $vi (not in $en): |")
	if [ -z "$missing$extra" ]; then
		ok "$name"
	else
		# shellcheck disable=SC2086 # one argument per line
		local IFS=$'\n'
		fail "$name" $missing $extra
	fi
}

# The guides Vietnamese readers need (issue 19): editors, installers, wiring,
# publishers of the feed, the hub.
required="content/README.md deploy/README.md deploy/WIRING.md deploy/FEED.md deploy/HUB.md"
for en in $required; do
	check "guide_${en}_has_a_vietnamese_copy" test -f "${en%.md}.vi.md"
done

pairs=0
# Tracked and new (not ignored) files alike, so a guide being written is checked.
for vi in $(git ls-files -co --exclude-standard '*.vi.md' 2>/dev/null || find . -name '*.vi.md' | sed 's#^\./##'); do
	en=${vi%.vi.md}.md
	if [ ! -f "$en" ]; then fail "guide_${vi}_has_an_english_original" "$en is missing"; continue; fi
	compare "guide_${vi}_has_the_commands_of_${en}" "$en" "$vi" guide_commands
	compare "guide_${vi}_has_the_table_words_of_${en}" "$en" "$vi" table_codes
	check "guide_${vi}_has_the_json_examples_of_${en}" cmp <(json_blocks "$en") <(json_blocks "$vi")
	compare "guide_${vi}_has_the_links_and_pictures_of_${en}" "$en" "$vi" links
	check "guide_${vi}_links_to_${en##*/}" grep -q "(${en##*/})" "$vi"
	check "guide_${en}_links_to_${vi##*/}" grep -q "(${vi##*/})" "$en"
	pairs=$((pairs + 1))
done
# The man pages Vietnamese readers need (issue 19): the tool, the board's
# configuration, the playlist format.
for p in ledsign.1 ledsign.conf.5 ledsign-playlist.5; do
	check "man_page_${p}_has_a_vietnamese_copy" test -f "deploy/man/vi/$p"
done
for vi in deploy/man/vi/*.[0-9]; do
	[ -f "$vi" ] || continue
	en=deploy/man/${vi##*/}
	if [ ! -f "$en" ]; then fail "man_${vi}_has_an_english_original" "$en is missing"; continue; fi
	compare "man_${vi}_has_the_options_of_${en}" "$en" "$vi" man_options
	compare "man_${vi}_has_the_commands_and_keys_of_${en}" "$en" "$vi" man_tags
	check "man_${vi}_has_the_examples_of_${en}" diff <(man_examples "$en") <(man_examples "$vi")
	pairs=$((pairs + 1))
done
if [ "$pairs" -gt 0 ]; then ok "found_${pairs}_vietnamese_documents"; else fail found_vietnamese_documents "no *.vi.md"; fi

# The check itself: a Vietnamese copy that lacks a changed command, or keeps
# an old one, fails naming both.
mkdir -p "$tmp/self"
printf '# Guide\n\nRun `ledsign validate -f x.json` first.\n\n```sh\nmake install   # as root\nledsign doctor\n```\n\n    systemctl restart ledsignd\n' >"$tmp/self/en.md"
printf '# Hướng dẫn\n\nChạy `ledsign validate x.json` trước.\n\n```sh\nmake install   # với quyền root\nledsign doctor\n```\n\n    systemctl restart ledsignd\n' >"$tmp/self/vi.md"
out=$( (compare self "$tmp/self/en.md" "$tmp/self/vi.md" guide_commands) )
if printf '%s\n' "$out" | grep -q 'only in .*en.md (missing from .*vi.md): ledsign validate -f x.json' &&
	printf '%s\n' "$out" | grep -q 'only in .*vi.md (not in .*en.md): ledsign validate x.json' &&
	! printf '%s\n' "$out" | grep -q 'make install\|doctor\|systemctl'; then
	ok a_changed_command_fails_naming_it_and_translated_comments_do_not
else
	fail a_changed_command_fails_naming_it_and_translated_comments_do_not "$out"
fi
printf '| key | meaning |\n|---|---|\n| `effect` | `static`, `blink` |\n\n```json\n{"version": 1}\n```\n\n![a](previews/a.gif) [FEED](FEED.md)\n' >"$tmp/self/en.md"
printf '| khóa | ý nghĩa |\n|---|---|\n| `effect` | `static` |\n\n```json\n{"version": 2}\n```\n\n![a](previews/a.gif) [FEED](FEED.vi.md)\n' >"$tmp/self/vi.md"
out=$( (compare self "$tmp/self/en.md" "$tmp/self/vi.md" table_codes) )
if printf '%s\n' "$out" | grep -q 'missing from .*vi.md): blink$' && ! printf '%s\n' "$out" | grep -q ': effect$\|: static$'; then
	ok a_table_value_missing_from_the_vietnamese_fails_naming_it
else
	fail a_table_value_missing_from_the_vietnamese_fails_naming_it "$out"
fi
if cmp -s <(json_blocks "$tmp/self/en.md") <(json_blocks "$tmp/self/vi.md"); then
	fail a_changed_json_example_fails "json_blocks found no difference"
else
	ok a_changed_json_example_fails
fi
out=$( (compare self "$tmp/self/en.md" "$tmp/self/vi.md" links) )
check the_same_pictures_and_the_vietnamese_copy_of_a_linked_guide_pass test -z "$(printf '%s' "$out" | grep FAIL)"
printf '![b](previews/b.gif)\n' >>"$tmp/self/en.md"
out=$( (compare self "$tmp/self/en.md" "$tmp/self/vi.md" links) )
check a_picture_missing_from_the_vietnamese_fails_naming_it grep -q 'missing from .*vi.md): previews/b.gif$' <<<"$out"
printf '    [feed]\n    ; the office board\n' >"$tmp/self/en.md"
printf '    [feed]\n    ; bảng của cơ quan\n' >"$tmp/self/vi.md"
out=$( (compare self "$tmp/self/en.md" "$tmp/self/vi.md" guide_commands) )
check an_ini_comment_line_is_translated_freely grep -q '^ok' <<<"$out"

printf '.SH OPTIONS\n.TP\n.B \\-n\n.TP\n.BI \\-\\-root " DIR"\n' >"$tmp/self/en.1"
printf '.SH TÙY CHỌN\n.TP\n.B \\-n\n' >"$tmp/self/vi.1"
out=$( (compare self "$tmp/self/en.1" "$tmp/self/vi.1" man_options) )
if printf '%s\n' "$out" | grep -q 'missing from .*vi.1): --root$' && ! printf '%s\n' "$out" | grep -q ': -n$'; then
	ok a_man_page_option_missing_from_the_vietnamese_fails_naming_it
else
	fail a_man_page_option_missing_from_the_vietnamese_fails_naming_it "$out"
fi
printf '.SH "[feed]"\n.TP\n.B url\nA feed, e.g. with \\fB\\-\\-push\\fR.\n.TP\n.B poll\nSeconds.\n.nf\nurl = x \\[u0110]\n.fi\n' >"$tmp/self/en.5"
printf '.SH "[feed]"\n.TP\n.B url\nMột nguồn tin.\n.nf\nurl = x Đ\n.fi\n' >"$tmp/self/vi.5"
out=$( (compare self "$tmp/self/en.5" "$tmp/self/vi.5" man_tags) )
if printf '%s\n' "$out" | grep -q 'missing from .*vi.5): .B poll$' && ! printf '%s\n' "$out" | grep -q 'url\|feed'; then
	ok a_man_page_key_missing_from_the_vietnamese_fails_naming_it
else
	fail a_man_page_key_missing_from_the_vietnamese_fails_naming_it "$out"
fi
out=$( (compare self "$tmp/self/en.5" "$tmp/self/vi.5" man_options) )
check an_option_named_in_the_text_only_is_checked_too grep -q 'missing from .*vi.5): --push$' <<<"$out"
check an_example_in_escapes_equals_the_same_in_utf8 diff <(man_examples "$tmp/self/en.5") <(man_examples "$tmp/self/vi.5")
printf '.EX\nhours = mon\\-fri 07:00\\-17:30\n.EE\n' >"$tmp/self/en.5"
printf '.EX\nhours = mon\\-fri 07:00\\-17:00\n.EE\n' >"$tmp/self/vi.5"
if diff <(man_examples "$tmp/self/en.5") <(man_examples "$tmp/self/vi.5") >/dev/null; then
	fail a_changed_man_page_example_fails "man_examples found no difference"
else
	ok a_changed_man_page_example_fails
fi
finish
