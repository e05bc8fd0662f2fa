#!/bin/bash
# `ledsign keygen`, `ledsign sign` and `ledsign verify` against the real
# minisign, both ways: keys and signatures made by either tool are accepted by
# the other, and tampering is refused with the exact reason; `ledsign publish`
# signs the layer path, bumps the mtime and refuses to follow a signature
# dated beyond what boards accept (2^63-1 included) unless --reset-floor.
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
ledsign="$build/ledsign"
pass=0 fail=0
ok() { echo "ok $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { # check NAME COMMAND...: passes when the command succeeds
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/    /' "$tmp/out"; fi
}
refuses() { # refuses NAME EXPECTED-TEXT COMMAND...: exit 1 and the message names the reason
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" "$tmp/out"; then ok "$name"; else
		bad "$name (exit $rc, wanted 1 and \"$want\")"
		sed 's/^/    /' "$tmp/out"
	fi
}

if [ ! -x "$ledsign" ] || "$ledsign" keygen --help 2>&1 | grep -q 'not part of this build'; then
	echo "skip: $ledsign (with keygen/sign/verify) is not built; the C tests cover the library"
	echo "0 passed, 0 failed"
	exit 0
fi
command -v minisign >/dev/null || { bad "minisign is not installed (sh deploy/install-deps.sh --test)"; echo "$pass passed, $fail failed"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-e2e-sign.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
printf '{"items":[{"text":"BHXH, BHYT là hai chính sách xã hội quan trọng"}]}\n' >playlist.json

# ledsign's keys and signatures, checked by minisign.
check "keygen writes a key pair" "$ledsign" keygen --pub ls.pub --sec ls.key
[ "$(stat -c %a ls.key)" = 600 ] && ok "secret key is mode 0600" || bad "secret key mode $(stat -c %a ls.key)"
refuses "keygen does not overwrite a key" "already exists" "$ledsign" keygen --pub ls.pub --sec ls.key
check "ledsign sign writes playlist.json.minisig" "$ledsign" sign playlist.json --key ls.key --comment "tỉnh Hà Nội"
check "minisign verifies ledsign's signature with ledsign's public key" minisign -Vm playlist.json -p ls.pub
grep -qP '^Trusted comment: timestamp:\d+\tfile:playlist.json\thashed\tpath:playlist.json\ttỉnh Hà Nội$' "$tmp/out" &&
	ok "the trusted comment carries timestamp, file name and comment" || bad "trusted comment: $(cat "$tmp/out")"
check "minisign signs with a ledsign secret key" minisign -S -s ls.key -m playlist.json -x by-minisign.minisig
check "ledsign verifies that with --sig" "$ledsign" verify playlist.json --pubkey ls.pub --sig by-minisign.minisig

# minisign's keys and signatures, checked by ledsign.
minisign -G -W -p ms.pub -s ms.key </dev/null >/dev/null 2>&1 || bad "minisign -G failed"
check "minisign signs (prehashed)" minisign -S -s ms.key -m playlist.json
check "ledsign verifies minisign's signature with the .pub file" "$ledsign" verify playlist.json --pubkey ms.pub
grep -qP '^Trusted comment: timestamp:\d+\tfile:playlist.json\thashed$' "$tmp/out" &&
	ok "verify prints the trusted comment" || bad "verify output: $(cat "$tmp/out")"
check "ledsign verifies with the bare base64 key" "$ledsign" verify playlist.json --pubkey "$(sed -n 2p ms.pub)"
check "minisign signs (legacy -l)" minisign -S -l -s ms.key -m playlist.json -x legacy.minisig
check "ledsign verifies a legacy signature" "$ledsign" verify playlist.json --pubkey ms.pub --sig legacy.minisig
check "ledsign signs with minisign's secret key" "$ledsign" sign playlist.json --key ms.key
check "minisign verifies it" minisign -Vm playlist.json -p ms.pub

# minisign's default, password-encrypted key (scrypt, 1 GiB: a few seconds).
if printf 'pw\npw\n' | minisign -G -p enc.pub -s enc.key >/dev/null 2>&1; then
	check "ledsign signs with minisign's encrypted key (LEDSIGN_KEY_PASSWORD)" \
		env LEDSIGN_KEY_PASSWORD=pw "$ledsign" sign playlist.json --key enc.key --sig enc.minisig
	check "minisign verifies that" minisign -Vm playlist.json -x enc.minisig -p enc.pub
	refuses "a wrong password is named" "wrong password" \
		env LEDSIGN_KEY_PASSWORD=nope "$ledsign" sign playlist.json --key enc.key --sig enc2.minisig
else
	bad "minisign -G with a password failed"
fi

# Refusals, each with its reason.
refuses "signature by another key is refused" "which is not configured" \
	"$ledsign" verify playlist.json --pubkey ls.pub
check "during a rotation either key is accepted" "$ledsign" verify playlist.json --pubkey ls.pub --pubkey ms.pub
cp playlist.json edited.json
cp playlist.json.minisig edited.json.minisig
sed -i 's/quan trọng/QUAN TRỌNG/' edited.json
refuses "an edited file is refused" "signature does not match the file" \
	"$ledsign" verify edited.json --pubkey ms.pub
minisign -Vm edited.json -p ms.pub >/dev/null 2>&1 && bad "minisign accepted the edited file" || ok "minisign agrees the edited file is bad"
cp playlist.json.minisig replay.minisig
sed -i 's/^trusted comment: timestamp:[0-9]*/trusted comment: timestamp:4102444800/' replay.minisig
refuses "a moved timestamp is refused" "trusted comment was altered" \
	"$ledsign" verify playlist.json --pubkey ms.pub --sig replay.minisig
head -c 120 playlist.json.minisig >cut.minisig
refuses "a truncated signature is refused" "not a minisign signature" \
	"$ledsign" verify playlist.json --pubkey ms.pub --sig cut.minisig
refuses "a missing file is named" "nothing.json: No such file" \
	"$ledsign" verify nothing.json --pubkey ms.pub
cp playlist.json nothing.json
refuses "a missing signature file next to an existing file is named" "nothing.json.minisig" \
	"$ledsign" verify nothing.json --pubkey ms.pub
"$ledsign" verify playlist.json >/dev/null 2>&1
[ $? -eq 2 ] && ok "verify without --pubkey is a usage error (exit 2)" || bad "verify without --pubkey"
"$ledsign" verify playlist.json --pubkey RWQnotakey >/dev/null 2>"$tmp/out"
[ $? -eq 2 ] && grep -q "not a minisign public key" "$tmp/out" && ok "a bad --pubkey is explained" ||
	bad "bad --pubkey: $(cat "$tmp/out")"

# ledsign publish: the layer path, the replay-floor guard, the mtime.
printf '{"version":1,"items":[{"id":"a","text":"BHXH, BHYT"}]}\n' >pub.json
mkdir -p www/national www/ha-noi/ba-dinh
check "publish into a nested layer with --root" "$ledsign" publish pub.json --name playlist.json \
	--key ls.key --to www/ha-noi/ba-dinh --root www
"$ledsign" verify www/ha-noi/ba-dinh/playlist.json --pubkey ls.pub >"$tmp/out" 2>&1
grep -qP '\tpath:ha-noi/ba-dinh/playlist.json(\t|$)' "$tmp/out" &&
	ok "the signature names the layer path under the feed root" || bad "path: $(cat "$tmp/out")"
check "publish without --root names the layer directory" "$ledsign" publish pub.json \
	--name playlist.json --key ls.key --to www/national
"$ledsign" verify www/national/playlist.json --pubkey ls.pub >"$tmp/out" 2>&1
grep -qP '\tpath:national/playlist.json(\t|$)' "$tmp/out" && ok "the default root is the parent of --to" ||
	bad "default path: $(cat "$tmp/out")"
m1=$(stat -c %Y www/national/playlist.json)
"$ledsign" publish pub.json --name playlist.json --key ls.key --to www/national >/dev/null 2>&1
m2=$(stat -c %Y www/national/playlist.json)
[ "$m2" -gt "$m1" ] && ok "a same-size republish gets a later mtime ($m1 -> $m2), so nginx's ETag changes" ||
	bad "mtime $m1 -> $m2"
minisign -S -s ls.key -m www/national/playlist.json -t "$(printf 'timestamp:9223372036854775807\tfile:playlist.json\tpath:national/playlist.json')" >/dev/null 2>&1
cp www/national/playlist.json.minisig frozen.minisig
refuses "publish after a timestamp of 2^63-1 refuses with the way out" \
	"is signed at 9223372036854775807" "$ledsign" publish pub.json --name playlist.json --key ls.key --to www/national
grep -q -- "--reset-floor" "$tmp/out" && cmp -s frozen.minisig www/national/playlist.json.minisig &&
	ok "the message names --reset-floor and the published files are untouched" || bad "after the refusal: $(cat "$tmp/out")"
check "publish --reset-floor signs at now" "$ledsign" publish pub.json --name playlist.json --key ls.key \
	--to www/national --reset-floor
"$ledsign" verify www/national/playlist.json --pubkey ls.pub >"$tmp/out" 2>&1
ts=$(grep -oP 'timestamp:\K[0-9]+' "$tmp/out")
grep -qP '\treset-floor(\t|$)' "$tmp/out" && [ "$ts" -le "$(date +%s)" ] && [ "$ts" -ge $(($(date +%s) - 60)) ] &&
	ok "the reset-floor version is signed at now ($ts)" || bad "reset-floor signature: $(cat "$tmp/out")"
future=$(($(date +%s) + 7200))
minisign -S -s ls.key -m www/national/playlist.json -t "$(printf 'timestamp:%s\tfile:playlist.json\tpath:national/playlist.json' "$future")" >/dev/null 2>&1
refuses "publish refuses to follow a signature two hours ahead" "s ahead of this machine's clock (boards accept at most 3600)" \
	"$ledsign" publish pub.json --name playlist.json --key ls.key --to www/national

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
