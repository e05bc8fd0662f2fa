#!/bin/bash
# The push channel against a real nginx with nchan on loopback, configured
# from deploy/nginx/ledsign-push.conf: a board polling every 600 s shows an
# urgent notice published with `ledsign publish --push` long before its next
# poll; forged pushes (an old version, garbage, 1 MB, a newer version that
# was never signed) change nothing and are logged; with the subscriber
# location refusing, a board shows a new version at its next poll; when the
# channel is back, the boards subscribe again and pushes work again; the
# status file says whether the channel is up and when the last push came.
#
# Board A (127.0.0.1) polls every 600 s, board B (localhost, so the access
# log tells them apart) every 5 s (LEDSIGN_TEST_POLL_MS).
set -u
. "$(dirname "$0")/feedlib.sh"
feed_tmp push
need_build ledsignd ledsign
nchan=/usr/lib/nginx/modules/ngx_nchan_module.so
[ -f "$nchan" ] || { bad "nchan not installed (libnginx-mod-nchan; deploy/install-deps.sh --test)"; finish; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
conf="$root/deploy/nginx/ledsign-push.conf"

port=$(free_port) pub_port=$(free_port)
mkdir -p "$tmp/www/national" "$tmp/logs" "$tmp/a" "$tmp/b"
chmod 755 "$tmp"
# The subscriber location as the deployment file gives it (its comment block).
sed -n '/^#    location ~ \^\/push\/sub/,/^#    }/s/^#    //p' "$conf" >"$tmp/sub.conf"
sed -e "s/127.0.0.1:8081/127.0.0.1:$pub_port/" -e '/^#/d' "$conf" >"$tmp/pub.conf"
grep -q nchan_subscriber "$tmp/sub.conf" && grep -q nchan_publisher "$tmp/pub.conf" &&
	ok "the subscriber and publisher locations come from deploy/nginx/ledsign-push.conf" ||
	bad "could not take the locations out of $conf"
# nginx_conf SUB: the feed on $port with SUB as its /push/sub/ location.
nginx_conf() {
	cat >"$tmp/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user $(id -un);")
load_module $nchan;
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log info;
events { worker_connections 256; }
http {
    types { application/json json; text/plain minisig; }
    log_format push '\$host \$status "\$request"';
    access_log $tmp/logs/access.log push;
    client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
    uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        etag on;
        $(cat "$1")
        # Test only: a forger who can publish anything, up to 2 MB.
        location ~ ^/forge/([a-z0-9._-]+)$ {
            client_max_body_size 2m;
            nchan_publisher;
            nchan_channel_id \$1;
        }
    }
    include $tmp/pub.conf;
}
CONF
}
nginx_up() {
	nginx_conf "$1"
	rm -f "$tmp/nginx.pid"
	"$nginx" -p "$tmp" -c "$tmp/nginx.conf" 2>>"$tmp/logs/nginx.stderr" &
	ng_pid=$!
	for _ in $(seq 50); do [ -s "$tmp/nginx.pid" ] && return 0; sleep 0.1; done
	return 1
}
nginx_down() { kill "$(cat "$tmp/nginx.pid")" 2>/dev/null; wait "$ng_pid" 2>/dev/null; rm -f "$tmp/nginx.pid"; }
echo 'location ~ ^/push/sub/ { return 403; }' >"$tmp/refuse.conf"
nginx_up "$tmp/sub.conf" && ok "nginx with nchan on 127.0.0.1:$port, publisher on :$pub_port" ||
	{ bad "nginx did not start: $(tail -3 "$tmp/logs/error.log" "$tmp/logs/nginx.stderr")"; finish; }

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || { bad "keygen failed"; finish; }
playlist() { printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1" "$2" >"$tmp/feed.json"; }
publish() { sleep 1.1; "$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$tmp/www/national" "$@" >>"$tmp/publish.log" 2>&1; }
playlist first "BHXH, BHYT là hai chính sách xã hội quan trọng"
publish || bad "publish failed: $(tail -2 "$tmp/publish.log")"

# Two boards, A and B, each in its own directory, on the same channel.
board() { # board DIR NAME HOST EXTRA-ENV...: the service for DIR, pid in board_pid
	local dir=$1 name=$2 host=$3
	shift 3
	mkdir -p "$dir/cache" "$dir/state"
	cat >"$dir/ledsign.conf" <<CONF
[board]
name = $name
[output]
type = none
fps = 10
[feed]
url = http://$host:$port/national/feed.json
pubkey = $(tail -1 "$tmp/k.pub")
poll = 600
push_url = http://127.0.0.1:$port/push/sub/national
cache_dir = $dir/cache
state_dir = $dir/state
status_file = $dir/status.json
CONF
	env "$@" "$build/ledsignd" -d -v -c "$dir/ledsign.conf" 2>"$dir/log" &
	board_pid=$!
	for _ in $(seq 100); do [ -s "$dir/status.json" ] && break; sleep 0.1; done # up: signals are safe
}
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1/status.json" "$2" 2>/dev/null; }
shows() { kill -USR1 "$3" 2>/dev/null; sleep 0.05; [ "$(field "$1" 'd["current"]["id"]')" = "$2" ]; }
wait_ms() { local lim=$1 t0; shift; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; waited=$(($(date +%s%3N) - t0)); }
connected() { kill -USR1 "$2" 2>/dev/null; sleep 0.05; [ "$(field "$1" 'd["push"]["connected"]')" = True ]; }
gets() { grep -c '^127.0.0.1 .*"GET /national/feed.json HTTP' "$tmp/logs/access.log"; } # board A's

board "$tmp/a" board-a 127.0.0.1
a_pid=$board_pid
board "$tmp/b" board-b localhost LEDSIGN_TEST_POLL_MS=5000
b_pid=$board_pid
d_pid=$a_pid # feedlib stops it on exit
trap 'kill $a_pid $b_pid 2>/dev/null; feed_cleanup' EXIT
wait_ms 10000 shows "$tmp/a" first $a_pid && wait_ms 5000 connected "$tmp/a" $a_pid &&
	ok "board A shows the first playlist and its push channel is connected (status file)" ||
	bad "board A: $(tail -3 "$tmp/a/log")"
wait_ms 5000 connected "$tmp/b" $b_pid || bad "board B not connected: $(tail -3 "$tmp/b/log")"
v1=$(field "$tmp/a" 'd["feeds"][0]["version"]')

# ---- Forged pushes change nothing and are logged. ----
g0=$(gets)
forge() { curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "@$1" "http://127.0.0.1:$port/forge/national"; }
printf '{"path":"national/feed.json","timestamp":%s}' "$v1" >"$tmp/old.msg"
printf 'garbage, not JSON' >"$tmp/garbage.msg"
python3 -c 'import sys; sys.stdout.write("{\"path\":\"national/feed.json\",\"timestamp\":1,\"pad\":\"" + "x" * 1048576 + "\"}")' >"$tmp/huge.msg"
printf '{"path":"ha-noi/feed.json","timestamp":9999999999}' >"$tmp/other.msg"
for m in old garbage huge other; do
	code=$(forge "$tmp/$m.msg")
	[ "$code" = 201 ] || [ "$code" = 202 ] || bad "the forger's publish of $m answered $code"
	sleep 0.4
done
sleep 1
grep -q "push: feed 1, signed at $v1: already showing it" "$tmp/a/log" && ok "a push naming the version shown is logged and ignored" ||
	bad "no 'already showing' line: $(grep push "$tmp/a/log" | tail -3)"
grep -q 'push: message refused, nothing changes: not a JSON object: garbage' "$tmp/a/log" && ok "a garbage push is logged and ignored" ||
	bad "no refusal of garbage: $(grep push "$tmp/a/log" | tail -3)"
grep -q 'push: a message over 1024 bytes dropped, nothing changes' "$tmp/a/log" && ok "a 1 MB push is dropped and logged" ||
	bad "no line for the 1 MB push: $(grep push "$tmp/a/log" | tail -3)"
grep -q "'ha-noi/feed.json' is not a feed of this board" "$tmp/a/log" && ok "a push naming another layer is logged and ignored" ||
	bad "no refusal of another layer's push"
[ "$(gets)" -eq "$g0" ] && ok "none of them made board A fetch the feed ($g0 GETs before and after)" ||
	bad "forged pushes made $(($(gets) - g0)) fetches"
connected "$tmp/a" $a_pid && ok "the channel survives them" || bad "the channel was lost: $(grep push "$tmp/a/log" | tail -2)"
# A newer timestamp that was never signed: the board asks (a 304), keeps what it shows.
printf '{"path":"national/feed.json","timestamp":%s}' $((v1 + 1000)) >"$tmp/newer.msg"
forge "$tmp/newer.msg" >/dev/null
wait_ms 5000 sh -c "[ \$(grep -c '^127.0.0.1 .*\"GET /national/feed.json HTTP' '$tmp/logs/access.log') -gt $g0 ]"
sleep 0.5
v_after=$(field "$tmp/a" 'd["feeds"][0]["version"]')
shows "$tmp/a" first $a_pid && [ "$v_after" = "$v1" ] &&
	ok "an unsigned 'newer version' push only costs a conditional fetch: still 'first', version $v1" ||
	bad "after a forged newer push: shows $(field "$tmp/a" 'd["current"]["id"]') version $v_after"

# ---- An urgent notice, pushed. ----
playlist urgent "THÔNG BÁO KHẨN: cơ quan đóng cửa do bão"
publish --push "http://127.0.0.1:$pub_port/push/pub/national" || bad "publish --push failed: $(tail -2 "$tmp/publish.log")"
grep -q '^pushed to ' "$tmp/publish.log" && ok "ledsign publish --push posted to the publisher" || bad "publish did not push: $(tail -2 "$tmp/publish.log")"
if wait_ms 30000 shows "$tmp/a" urgent $a_pid; then
	ok "board A (poll 600 s) shows the urgent notice ${waited} ms after the publish"
else
	bad "board A did not show the urgent notice within 30 s: $(grep -i push "$tmp/a/log" | tail -3)"
fi
[ "$(field "$tmp/a" 'd["push"]["last_push_at"]')" -gt 0 ] 2>/dev/null && [ "$(field "$tmp/a" 'd["push"]["pushes"]')" -ge 1 ] 2>/dev/null &&
	ok "the status file says when the last push came ($(field "$tmp/a" 'd["push"]'))" || bad "status push: $(field "$tmp/a" 'd["push"]')"

"$build/ledsign" status -c "$tmp/a/ledsign.conf" >"$tmp/a/st.txt" 2>&1
grep -qE '^push +http://127.0.0.1:[0-9]+/push/sub/national, connected since ' "$tmp/a/st.txt" &&
	grep -qE '^ +last push [0-9]{4}-[0-9]{2}-[0-9]{2} ' "$tmp/a/st.txt" &&
	ok "ledsign status shows the channel connected and the last push" || bad "ledsign status: $(grep -A1 '^push' "$tmp/a/st.txt")"

# ---- The channel refused: polling goes on. ----
nginx_down
nginx_up "$tmp/refuse.conf" || bad "nginx (refusing) did not start"
wait_ms 10000 sh -c "grep -q 'push http.*: the server answered HTTP 403' '$tmp/b/log'" &&
	ok "the refusal is logged: $(grep -o 'push http.*HTTP 403.*' "$tmp/b/log" | head -1)" || bad "no refusal logged: $(grep push "$tmp/b/log" | tail -2)"
playlist third "Ba"
publish --push "http://127.0.0.1:$pub_port/push/pub/national" || true
wait_ms 12000 shows "$tmp/b" third $b_pid && ok "with the channel refused, board B shows the next version at its next poll (${waited} ms, poll 5 s)" ||
	bad "board B did not poll it: $(tail -3 "$tmp/b/log")"
[ "$(field "$tmp/b" 'd["push"]["connected"]')" = False ] && ok "board B's status says the channel is down: $(field "$tmp/b" 'd["push"]["error"]')" ||
	bad "status push while refused: $(field "$tmp/b" 'd["push"]')"
shows "$tmp/a" urgent $a_pid && ok "board A (600 s poll, channel refused) keeps what it shows" || bad "board A changed"

# ---- Back again: the boards subscribe again. ----
nginx_down
nginx_up "$tmp/sub.conf" || bad "nginx did not start again"
wait_ms 40000 connected "$tmp/a" $a_pid && ok "board A subscribed again ${waited} ms after the channel came back" ||
	bad "board A did not resubscribe: $(grep push "$tmp/a/log" | tail -3)"
playlist fourth "Bốn"
publish --push "http://127.0.0.1:$pub_port/push/pub/national" || bad "publish failed"
wait_ms 30000 shows "$tmp/a" fourth $a_pid && ok "after the restart a push reaches board A again (${waited} ms)" ||
	bad "board A did not get 'fourth': $(grep push "$tmp/a/log" | tail -3)"

kill "$a_pid" "$b_pid"
wait "$a_pid" "$b_pid" 2>/dev/null
# shellcheck disable=SC2034 # d_pid is read by feedlib.sh's exit handler
d_pid=
sanitizers_clean "$tmp/a/log" "$tmp/b/log"
finish
