#!/usr/bin/env bash
# The programs speak Vietnamese under a Vietnamese locale and English under
# LANG=C, with file:line:col kept: ledsignd -n on a config with a typo,
# ledsign validate on a broken playlist, ledsign doctor and ledsign status
# (issue 19). The vi_VN.UTF-8 locale is generated when missing (as root, with
# Debian's locales package, which install-deps.sh --test installs).
. "$(dirname "$0")/lib.sh"
tmp=$T_TMP
if ! locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	localedef -i vi_VN -f UTF-8 vi_VN.UTF-8 >/dev/null 2>&1 || true
fi
if locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	vi=(LANG=vi_VN.UTF-8)
	ok "the vi_VN.UTF-8 locale is there"
else
	# Without the locale, LANGUAGE still picks the catalogue over C.UTF-8.
	vi=(LANGUAGE=vi LANG=C.UTF-8)
	fail "the vi_VN.UTF-8 locale could not be generated (apt-get install locales)"
fi
printf '[board]\nnmae = x\n' >"$tmp/typo.conf"
printf '{"version":1,"items":[{"id":"a","text":"x","speed":-3}]}\n' >"$tmp/bad.json"
printf '[output]\ntype = none\n' >"$tmp/none.conf"

run() { # run OUT LANGVARS... -- CMD...: CMD's stdout and stderr in OUT, in a clean environment
	local out=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -i PATH="$PATH" "${envs[@]}" "$@" >"$out" 2>&1
}
has() { grep -qF -- "$2" "$1" || { echo "  $1 lacks: $2"; cat "$1"; return 1; }; }

run "$tmp/n.vi" "${vi[@]}" -- "$LEDSIGND" -n -c "$tmp/typo.conf"
run "$tmp/n.en" LANG=C -- "$LEDSIGND" -n -c "$tmp/typo.conf"
check "ledsignd -n speaks Vietnamese with file:line" has "$tmp/n.vi" "typo.conf:2: [board] nmae: khóa không rõ"
check "ledsignd -n speaks English under LANG=C" has "$tmp/n.en" "typo.conf:2: [board] nmae: unknown key"

run "$tmp/v.vi" "${vi[@]}" -- "$LEDSIGN" validate "$tmp/bad.json"
run "$tmp/v.en" LANG=C -- "$LEDSIGN" validate "$tmp/bad.json"
check "validate gives file:line:col in Vietnamese" has "$tmp/v.vi" "bad.json:1:52: items[0].speed:"
check "validate's verdict is Vietnamese" has "$tmp/v.vi" "KHÔNG ĐẠT"
check "validate's verdict is English under LANG=C" has "$tmp/v.en" "FAILED"

run "$tmp/d.vi" "${vi[@]}" -- "$LEDSIGN" doctor -c "$tmp/none.conf"
run "$tmp/d.en" LANG=C -- "$LEDSIGN" doctor -c "$tmp/none.conf"
check "doctor's verdicts are Vietnamese" has "$tmp/d.vi" "đạt   config"
check "doctor's verdicts are English under LANG=C" has "$tmp/d.en" "ok    config"

run "$tmp/s.vi" "${vi[@]}" -- "$LEDSIGN" status --file "$tmp/no-status.json"
run "$tmp/s.en" LANG=C -- "$LEDSIGN" status --file "$tmp/no-status.json"
check "status speaks Vietnamese" has "$tmp/s.vi" "không có tệp trạng thái"
check "status speaks English under LANG=C" has "$tmp/s.en" "no status file"
finish
