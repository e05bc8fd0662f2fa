#!/bin/bash
# The editors' studio end to end, in a real browser: ledsign-hub with two
# layers (gia-lai, published from content/province-gia-lai.json, and
# kon-tum, each with its own password-encrypted minisign key made by
# minisign), an editor of Gia Lai, and Debian's chromium driven by
# Playwright (tests/studio_browser.js): the editor logs in, adds an item with
# three mistakes (a time where the campaign's date belongs, the window
# 25:00-26:00, text in TCVN3 bytes) and sees each message, in Vietnamese, at
# its field and at the line:col of the JSON where that value is; fixes them;
# sees the animation of the item (a real GIF of the size `ledsign preview`
# draws for the board), the week, the contact sheet and the difference from
# the published version; the draft survives a reload; the other province's
# layer is refused. Screenshots go to $LEDSIGN_BUILD/studio-screens/
# (content/studio/ holds the ones the guide shows).
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp hub-studio
hub_pid=''
trap 'kill $hub_pid 2>/dev/null; wait $hub_pid 2>/dev/null; feed_cleanup' EXIT
need_build ledsign-hub ledsign
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { bad "chromium missing (deploy/install-deps.sh --test)"; finish; }
command -v minisign >/dev/null || { bad "minisign missing (deploy/install-deps.sh --test)"; finish; }
node_dir="$build/node"
need_playwright "$node_dir" || finish

# Two layers, each with its own encrypted key pair.
for l in gia-lai kon-tum; do
	printf 'mật khẩu %s 1\nmật khẩu %s 1\n' "$l" "$l" | minisign -G -p "$tmp/$l.pub" -s "$tmp/$l.key" >/dev/null 2>&1 ||
		{ bad "minisign -G $l"; finish; }
	mkdir -p "$tmp/feed/$l"
done
cp "$root/content/province-gia-lai.json" "$tmp/feed/gia-lai/playlist.json"
port=$(free_port)
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$port
www_dir = $root/src/hub/www
[hub]
state_dir = $tmp/hub
[layer gia-lai]
title = BHXH tỉnh Gia Lai
feed_dir = $tmp/feed/gia-lai
secret_key = $tmp/gia-lai.key
public_key = $tmp/gia-lai.pub
[layer kon-tum]
title = BHXH tỉnh Kon Tum
feed_dir = $tmp/feed/kon-tum
secret_key = $tmp/kon-tum.key
public_key = $tmp/kon-tum.pub
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
echo "editor-password-1" | hub user add bien-tap-gl --role editor --scope gia-lai >/dev/null ||
	{ bad "ledsign-hub user add failed"; finish; }
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
hub_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/studio")
[ "$code" = 200 ] && ok "ledsign-hub serves /studio" || { bad "/studio: $code $(tail -3 "$tmp/hub.log")"; finish; }

# The picture `ledsign preview` draws for the board, to compare the page's with.
printf '{"version":1,"items":[{"id":"x","text":"BHXH","effect":"static"}]}\n' >"$tmp/ref.json"
"$build/ledsign" preview "$tmp/ref.json" --board 192x16 --seconds 1 --out "$tmp/ref.gif" >/dev/null ||
	{ bad "ledsign preview"; finish; }
read -r ref_w ref_h < <(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(10); print(*struct.unpack("<HH", d[6:10]))' "$tmp/ref.gif")

mkdir -p "$build/studio-screens"
HUB_URL="http://127.0.0.1:$port" SCREENS="$build/studio-screens" CHROMIUM=$chromium REF_W=$ref_w REF_H=$ref_h \
	PROFILE="$tmp/chromium-profile" NODE_PATH="$node_dir/node_modules" TZ=Asia/Ho_Chi_Minh \
	timeout 150 node "$root/tests/studio_browser.js" >"$tmp/browser.out" 2>&1
rc=$?
cat "$tmp/browser.out"
pass=$((pass + $(grep -c '^ok ' "$tmp/browser.out")))
fail=$((fail + $(grep -c '^FAIL ' "$tmp/browser.out")))
[ $rc -eq 0 ] || bad "the browser script ended with status $rc"

n=$(sqlite3 "$tmp/hub/hub.db" "SELECT COUNT(*) FROM drafts d JOIN users u ON u.id = d.user_id WHERE d.layer = 'gia-lai' AND u.name = 'bien-tap-gl' AND d.body LIKE '%bao-lu%'")
[ "$n" = 1 ] && ok "the editor's draft is in the database" || bad "drafts: $n"
n=$(sqlite3 "$tmp/hub/hub.db" "SELECT COUNT(*) FROM audit WHERE action = 'studio.refused' AND target = 'kon-tum'")
[ "$n" -ge 1 ] && ok "the refused look at kon-tum is in the audit table" || bad "audit: $n"
cmp -s "$root/content/province-gia-lai.json" "$tmp/feed/gia-lai/playlist.json" &&
	[ -z "$(ls -A "$tmp/feed/kon-tum")" ] && ok "nothing in the feed directories changed" || bad "a feed directory changed"
ls "$tmp/hub"/.studio-* >/dev/null 2>&1 && bad "temporary pictures left in state_dir" || ok "no temporary picture is left behind"
kill "$hub_pid"
wait "$hub_pid" 2>/dev/null
hub_pid=''
sanitizers_clean "$tmp/hub.log"
finish
