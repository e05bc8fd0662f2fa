#!/bin/bash
# Every shell script in the tree (tracked *.sh, and tracked files whose first
# line runs sh or bash, such as .ci/run) passes shellcheck at severity
# warning, with the tree's .shellcheckrc; and deploy/FEED.md's private-CA
# commands run in sh (dash), not only in bash.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT tmp=$T_TMP
cd "$root" || exit 1
command -v shellcheck >/dev/null || { fail shellcheck_is_installed "apt-get install shellcheck"; finish; exit 1; }

if git rev-parse --git-dir >/dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -path ./build\* -prune -o -type f -print | sed 's#^\./##')
fi
for f in $files; do
	[ -f "$f" ] || continue
	case "$f" in
	*.sh) ;;
	*) head -n 1 "$f" 2>/dev/null | grep -Eq '^#!.*[/ ](ba|da)?sh( |$)' || continue ;;
	esac
	check "shellcheck_$f" shellcheck -S warning "$f"
done

# deploy/FEED.md's private-CA commands, run as written in sh (dash) in an
# empty directory: the server certificate they make verifies against the CA
# for the feed's name.
mkdir -p "$tmp/ca"
awk '/private CA is set up the same way:/ {on = 1; next} on && /^    / {sub(/^    /, ""); print; seen = 1; next}
	on && seen && !/^$/ {exit}' deploy/FEED.md >"$tmp/ca/block.sh"
check FEED.md_private_CA_block_is_found test -s "$tmp/ca/block.sh"
(cd "$tmp/ca" && sh -e block.sh) >"$tmp/ca/out.log" 2>&1
check FEED.md_private_CA_block_runs_in_sh test $? = 0
check FEED.md_private_CA_certificate_verifies openssl verify -CAfile "$tmp/ca/ca.pem" \
	-verify_hostname feed.example.vn "$tmp/ca/fullchain.pem"

finish
