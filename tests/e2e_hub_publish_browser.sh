#!/bin/bash
# Publishing from the studio, end to end, in a real browser: a real nginx
# serving the layers' feed_dir on loopback, ledsign-hub with two layers
# (gia-lai, and kon-tum with approval = yes), each with its own
# password-encrypted key pair made by minisign, a real ledsignd (png output,
# status file) polling gia-lai through nginx and sending heartbeats to the
# hub, and Debian's chromium driven by Playwright (tests/publish_browser.js).
# An editor of Gia Lai publishes the province playlist, adds an item with
# three mistakes and sees each at its field, fixes them, sees the preview; a
# wrong key password publishes nothing; the right one publishes and the board
# shows the new item within one poll, its heartbeat reaching the fleet page;
# the audit view lists the publish. An editor of Kon Tum gets 403 on Gia
# Lai's routes and nothing changes on disk; he submits on his own layer and
# an approver approves it. A rollback publishes the old content as a new
# signed version, and the board shows it again. Screenshots of the publish
# panel go to $LEDSIGN_BUILD/publish-screens/ (content/studio/ holds the ones
# the guide shows).
#
# Uses the test-only LEDSIGN_TEST_POLL_MS and LEDSIGN_TEST_REPORT_MS
# (deploy/FEED.md, "Testing"), and LEDSIGN_CLOCK_SYNCED=1: the board plays
# timed items (the new one has a date), as one with NTP does.
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-1000}

feed_tmp hub-pubweb
hub_pid=''
trap '[ -n "$hub_pid" ] && kill "$hub_pid" && wait "$hub_pid"; feed_cleanup' EXIT
need_build ledsign-hub ledsignd
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { bad "chromium missing (deploy/install-deps.sh --test)"; finish; }
command -v minisign >/dev/null || { bad "minisign missing (deploy/install-deps.sh --test)"; finish; }
node_dir="$build/node"
if [ ! -d "$node_dir/node_modules/playwright-core" ]; then
	mkdir -p "$node_dir"
	[ -f "$node_dir/package.json" ] || echo '{"name": "ledsign-hub-e2e", "private": true}' >"$node_dir/package.json"
	(cd "$node_dir" && npm install --no-audit --no-fund --silent playwright-core >"$tmp/npm.log" 2>&1) ||
		{ bad "npm install playwright-core failed: $(tail -3 "$tmp/npm.log")"; finish; }
fi
nginx_start '$status $bytes_sent "$request"' || { bad "$nginx_error"; finish; }

pw_gl='mật khẩu khóa Gia Lai 2026'
pw_kt='mật khẩu khóa Kon Tum 2026'
mkdir -p "$tmp/keys" "$tmp/www/gia-lai" "$tmp/www/kon-tum"
printf '%s\n%s\n' "$pw_gl" "$pw_gl" | minisign -G -p "$tmp/keys/gia-lai.pub" -s "$tmp/keys/gia-lai.key" >/dev/null 2>&1 &&
	printf '%s\n%s\n' "$pw_kt" "$pw_kt" | minisign -G -p "$tmp/keys/kon-tum.pub" -s "$tmp/keys/kon-tum.key" >/dev/null 2>&1 ||
	{ bad "minisign -G failed"; finish; }

hport=$(free_port)
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$hport
www_dir = $root/src/hub/www
[hub]
state_dir = $tmp/hub
report_interval = 2
[layer gia-lai]
title = BHXH tỉnh Gia Lai
feed_dir = $tmp/www/gia-lai
secret_key = $tmp/keys/gia-lai.key
public_key = $tmp/keys/gia-lai.pub
[layer kon-tum]
title = BHXH tỉnh Kon Tum
feed_dir = $tmp/www/kon-tum
secret_key = $tmp/keys/kon-tum.key
public_key = $tmp/keys/kon-tum.pub
approval = yes
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
token=$(head -c 18 /dev/urandom | base64 | tr '+/' '._')
{
	echo "editor-password-gl" | hub user add bien-tap-gl --role editor --scope gia-lai &&
		echo "editor-password-kt" | hub user add bien-tap-kt --role editor --scope kon-tum &&
		echo "approver-password-kt" | hub user add duyet-kt --role approver --scope kon-tum &&
		hub board add bhxh-pleiku "$token" --province 'Gia Lai' --district 'Pleiku' --tags gia-lai,pleiku
} >/dev/null || { bad "ledsign-hub user add / board add failed"; finish; }
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
hub_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.1; done

# The board: gia-lai through nginx, trusting gia-lai's key, reporting to the hub.
mkdir -p "$tmp/board/png" "$tmp/board/cache" "$tmp/board/state"
cat >"$tmp/board/ledsign.conf" <<CONF
[board]
name = bhxh-pleiku
tags = gia-lai, pleiku
[output]
type = png
path = $tmp/board/png
fps = 4
[feed]
url = http://127.0.0.1:$port/gia-lai/playlist.json
pubkey = $(tail -1 "$tmp/keys/gia-lai.pub")
cache_dir = $tmp/board/cache
state_dir = $tmp/board/state
status_file = $tmp/board/status.json
report_url = http://127.0.0.1:$hport/api/heartbeat
report_token = $token
connect_timeout = 1
timeout = 2
CONF
LEDSIGN_CLOCK_SYNCED=1 LEDSIGN_TEST_POLL_MS=$poll_ms LEDSIGN_TEST_REPORT_MS=2000 LEDSIGN_TEST_STATUS_MS=500 \
	"$build/ledsignd" -d -c "$tmp/board/ledsign.conf" 2>"$tmp/board/ledsignd.log" &
d_pid=$!
for _ in $(seq 100); do [ -s "$tmp/board/status.json" ] && break; sleep 0.1; done
[ -s "$tmp/board/status.json" ] && ok "ledsignd runs, polling gia-lai through nginx" ||
	{ bad "ledsignd: $(tail -3 "$tmp/board/ledsignd.log")"; finish; }

mkdir -p "$build/publish-screens"
HUB_URL="http://127.0.0.1:$hport" SCREENS="$build/publish-screens" CHROMIUM=$chromium PROFILE="$tmp/chromium" \
	NODE_PATH="$node_dir/node_modules" TZ=Asia/Ho_Chi_Minh PW_GL=$pw_gl PW_KT=$pw_kt FEED="$tmp/www" \
	PLAYLIST="$root/content/province-gia-lai.json" STATUS="$tmp/board/status.json" BOARD_PID=$d_pid POLL_MS=$poll_ms \
	timeout 240 node "$root/tests/publish_browser.js" >"$tmp/browser.out" 2>&1
rc=$?
cat "$tmp/browser.out"
pass=$((pass + $(grep -c '^ok ' "$tmp/browser.out")))
fail=$((fail + $(grep -c '^FAIL ' "$tmp/browser.out")))
[ $rc -eq 0 ] || bad "the browser script ended with status $rc"

# What is on disk is what the hub says it signed, and minisign agrees.
minisign -V -q -p "$tmp/keys/gia-lai.pub" -m "$tmp/www/gia-lai/playlist.json" &&
	minisign -V -q -p "$tmp/keys/kon-tum.pub" -m "$tmp/www/kon-tum/playlist.json" &&
	ok "minisign -V verifies both layers' files with their own keys" || bad "minisign -V refuses a file the hub signed"
grep -q 'hub:gia-lai/3$' "$tmp/www/gia-lai/playlist.json.minisig" && grep -q 'hub:kon-tum/1$' "$tmp/www/kon-tum/playlist.json.minisig" &&
	ok "the trusted comments name the versions (gia-lai/3, the rollback; kon-tum/1, the approved one)" ||
	bad "trusted comments: $(grep -h 'trusted comment' "$tmp"/www/*/playlist.json.minisig)"
rows() { sqlite3 "$tmp/hub/hub.db" "$1"; }
[ "$(rows "SELECT group_concat(version || ':' || state || ':' || submitted_by || ':' || published_by, ' ') FROM (SELECT * FROM versions WHERE layer = 'gia-lai' ORDER BY version)")" = \
	'1:published:bien-tap-gl:bien-tap-gl 2:published:bien-tap-gl:bien-tap-gl 3:published:bien-tap-gl:bien-tap-gl' ] &&
	[ "$(rows "SELECT state || ':' || submitted_by || ':' || published_by FROM versions WHERE layer = 'kon-tum'")" = 'published:bien-tap-kt:duyet-kt' ] &&
	ok "the versions table holds what the page did (gia-lai 1-3; kon-tum 1 submitted by the editor, published by the approver)" ||
	bad "versions: $(rows 'SELECT layer, version, state, submitted_by, published_by FROM versions')"
[ "$(rows "SELECT sha256 FROM versions WHERE layer = 'gia-lai' AND version = 1")" = "$(rows "SELECT sha256 FROM versions WHERE layer = 'gia-lai' AND version = 3")" ] &&
	[ "$(rows "SELECT signed_at FROM versions WHERE version = 3 AND layer = 'gia-lai'")" -gt "$(rows "SELECT signed_at FROM versions WHERE version = 2 AND layer = 'gia-lai'")" ] &&
	ok "the rollback (version 3) has version 1's content under a later signature" || bad "rollback row"
[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND actor = 'bien-tap-kt' AND target = 'gia-lai'")" -ge 2 ] &&
	[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish.refused' AND actor = 'bien-tap-gl'")" = 2 ] &&
	ok "the refusals are in the audit table (the other province's, the wrong passwords)" || bad "audit: $(rows 'SELECT action, actor, target FROM audit')"
ls "$tmp/board/png"/*.png >/dev/null 2>&1 && ok "the board drew frames (png output)" || bad "no png frame from the board"
grep -qF -e "$pw_gl" -e "$pw_kt" "$tmp/hub.log" "$tmp/hub"/hub.db* && bad "a key password is in the hub's log or database" ||
	ok "no key password is in the hub's log or database"

kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null; hub_pid=
sanitizers_clean "$tmp/hub.log" "$tmp/board/ledsignd.log"
finish
