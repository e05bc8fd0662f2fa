#!/bin/bash
# The push channel at fleet size on loopback (deploy/FEED.md, "Push"):
# BENCH_PUSH_N subscribers (default 2,000): a few real ledsignd boards
# (BENCH_PUSH_BOARDS, default 3) polling every 600 s, the rest lightweight
# subscribers in one process (build/bench/bench_push: the board's own push
# code). One `ledsign publish --push`; the time until each has fetched the
# new version (p50, p99, max; the goal is max <= 5 s), and nginx's memory per
# idle subscriber (worker RSS and nchan's shared memory, before and after).
# Then the same with two nginx servers sharing channels through one Redis
# (nchan_redis_url), the subscribers split between them, the publish on one.
set -u
. "$(dirname "$0")/feedlib.sh"
feed_tmp bench-push
need_build ledsignd ledsign bench/bench_push
n=${BENCH_PUSH_N:-2000}
boards=${BENCH_PUSH_BOARDS:-3}
nchan=/usr/lib/nginx/modules/ngx_nchan_module.so
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$nchan" ] || { bad "nchan not installed (libnginx-mod-nchan)"; finish; }
ulimit -n 65536 2>/dev/null || ulimit -n 16384 2>/dev/null
mkdir -p "$tmp/www/national"
chmod 755 "$tmp"

# ng_start NAME PORT PUB_PORT [REDIS_PORT]: nginx NAME with the feed, the
# subscriber and publisher locations of deploy/nginx/ledsign-push.conf.
ng_start() {
	local name=$1 p=$2 pp=$3 redis=${4:-} use=
	local d="$tmp/$name"
	mkdir -p "$d/logs"
	[ -n "$redis" ] && use="nchan_use_redis on;"
	sed -n '/^#    location ~ \^\/push\/sub/,/^#    }/s/^#    //p' "$root/deploy/nginx/ledsign-push.conf" |
		sed "s/^}/    $use\n}/" >"$d/sub.conf"
	sed -e "s/127.0.0.1:8081/127.0.0.1:$pp/" -e '/^#/d' -e "s/nchan_publisher;/nchan_publisher; $use/" \
		"$root/deploy/nginx/ledsign-push.conf" >"$d/pub.conf"
	cat >"$d/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user $(id -un);")
load_module $nchan;
worker_processes 2;
worker_rlimit_nofile 65536;
daemon off;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 16384; }
http {
    types { application/json json; text/plain minisig; }
    access_log off;
    client_body_temp_path $d/body; proxy_temp_path $d/proxy; fastcgi_temp_path $d/fcgi;
    uwsgi_temp_path $d/uwsgi; scgi_temp_path $d/scgi;
    $([ -n "$redis" ] && echo "nchan_redis_url \"redis://127.0.0.1:$redis\";")
    server {
        listen 127.0.0.1:$p backlog=4096;
        root $tmp/www;
        etag on;
        $(cat "$d/sub.conf")
        location = /nchan_status { nchan_stub_status; }
    }
    include $d/pub.conf;
}
CONF
	"$nginx" -p "$d" -c "$d/nginx.conf" 2>>"$d/logs/stderr" &
	for _ in $(seq 50); do [ -s "$d/nginx.pid" ] && return 0; sleep 0.1; done
	bad "nginx $name did not start: $(tail -3 "$d/logs/error.log" "$d/logs/stderr")"
	return 1
}
# ng_mem NAME PORT: "RSS_KB SHM_KB SUBSCRIBERS" of nginx NAME's workers.
ng_mem() {
	local rss=0 pid
	for pid in $(pgrep -P "$(cat "$tmp/$1/nginx.pid")"); do
		rss=$((rss + $(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status)))
	done
	curl -s "http://127.0.0.1:$2/nchan_status" | awk -v rss=$rss '
		/shared memory used/ {shm = $4 + 0}
		/^subscribers/ {subs = $2}
		END {print rss, shm, subs}'
}
ng_stop() { kill "$(cat "$tmp/$1/nginx.pid")" 2>/dev/null; }
stop_all() { for x in one two three; do [ -f "$tmp/$x/nginx.pid" ] && ng_stop $x; done; [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null; kill ${board_pids:-} ${bench_pid:-} 2>/dev/null; }
trap 'stop_all; feed_cleanup' EXIT

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null
playlist() { printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1" "$2" >"$tmp/feed.json"; }
playlist before "Trước"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$tmp/www/national" >/dev/null

# run_case LABEL PUB_PORT SUB_PORT...: boards and subscribers spread over the
# SUB_PORTs, one publish on PUB_PORT, the figures.
run_case() {
	local label=$1 pub=$2 i
	shift 2
	local ports=("$@") urls=() before after t0
	for p in "${ports[@]}"; do urls+=("http://127.0.0.1:$p/push/sub/national"); done
	before=$(ng_mem "${names[0]}" "${ports[0]}")
	board_pids=
	for i in $(seq "$boards"); do
		local d="$tmp/$label-board$i" p=${ports[$(( (i - 1) % ${#ports[@]} ))]}
		mkdir -p "$d/cache" "$d/state"
		printf '[board]\nname = b%s\n[output]\ntype = none\nfps = 5\n[feed]\nurl = http://127.0.0.1:%s/national/feed.json\npubkey = %s\npoll = 600\npush_url = http://127.0.0.1:%s/push/sub/national\ncache_dir = %s/cache\nstate_dir = %s/state\nstatus_file = %s/status.json\n' \
			"$i" "$p" "$(tail -1 "$tmp/k.pub")" "$p" "$d" "$d" "$d" >"$d/ledsign.conf"
		"$build/ledsignd" -d -c "$d/ledsign.conf" 2>"$d/log" &
		board_pids="$board_pids $!"
	done
	"$build/bench/bench_push" $((n - boards)) "http://127.0.0.1:${ports[0]}/national/feed.json" \
		"$tmp/$label.times" "${urls[@]}" >"$tmp/$label.out" 2>"$tmp/$label.err" &
	bench_pid=$!
	for _ in $(seq 600); do grep -q '^ready' "$tmp/$label.out" && break; sleep 0.1; done
	grep -q '^ready' "$tmp/$label.out" || { bad "$label: the subscribers did not all connect: $(cat "$tmp/$label.err")"; return; }
	for i in $(seq "$boards"); do
		for _ in $(seq 100); do grep -q 'push .*: connected' "$tmp/$label-board$i/log" && break; sleep 0.1; done
	done
	sleep 1
	after=$(ng_mem "${names[0]}" "${ports[0]}")
	playlist "after-$label" "Sau"
	sleep 1.1
	t0=$(date +%s%3N)
	"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$tmp/www/national" \
		--push "http://127.0.0.1:$pub/push/pub/national" >"$tmp/$label.publish" 2>&1
	wait "$bench_pid"
	bench_pid=
	# The real boards: the time of day of their "accepted" line (-d), as Unix ms.
	for i in $(seq "$boards"); do
		python3 - "$tmp/$label-board$i/log" "$t0" >>"$tmp/$label.times" <<'PY'
import sys, time, datetime
t0 = int(sys.argv[2])
day = datetime.datetime.fromtimestamp(t0 / 1000).replace(hour=0, minute=0, second=0, microsecond=0)
for line in open(sys.argv[1]):
    if "signed timestamp" in line and "items," in line:
        h, m, s = line.split()[0].split(":")
        t = day + datetime.timedelta(hours=int(h), minutes=int(m), seconds=float(s))
        ms = int(t.timestamp() * 1000)
        if ms >= t0:
            print(ms)
PY
	done
	kill $board_pids 2>/dev/null
	wait $board_pids 2>/dev/null
	board_pids=
	python3 - "$tmp/$label.times" "$t0" "$n" "$label" "$before" "$after" "${#ports[@]}" <<'PY'
import sys
times = sorted(int(l) - int(sys.argv[2]) for l in open(sys.argv[1]) if l.strip())
n, label = int(sys.argv[3]), sys.argv[4]
b, a = [float(x) for x in sys.argv[5].split()[:2]], [float(x) for x in sys.argv[6].split()[:2]]
subs = n / int(sys.argv[7])  # subscribers on the first server
def pct(p):
    return times[min(len(times) - 1, int(p * len(times)))] if times else -1
print(f"{label}: {len(times)} of {n} fetched the new version; after the publish: "
      f"p50 {pct(0.5)} ms, p99 {pct(0.99)} ms, max {times[-1] if times else -1} ms")
print(f"{label}: nginx (first server, {subs:.0f} subscribers): worker RSS {b[0]:.0f} -> {a[0]:.0f} KiB "
      f"({(a[0] - b[0]) * 1024 / subs:.0f} bytes per idle subscriber), nchan shared memory "
      f"{b[1]:.0f} -> {a[1]:.0f} KiB")
sys.exit(0 if len(times) == n and times[-1] <= 5000 else 1)
PY
	[ $? -eq 0 ] && ok "$label: all $n fetched within 5 s of the publish" || bad "$label: not all $n fetched within 5 s"
}

port1=$(free_port) pub1=$(free_port)
names=(one)
ng_start one "$port1" "$pub1" && run_case one-nginx "$pub1" "$port1"
ng_stop one
sleep 0.5

if command -v redis-server >/dev/null; then
	rport=$(free_port)
	redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >"$tmp/redis.log" 2>&1 &
	redis_pid=$!
	sleep 0.5
	port2=$(free_port) pub2=$(free_port) port3=$(free_port) pub3=$(free_port)
	rm -rf "$tmp/one"
	names=(two three)
	ng_start two "$port2" "$pub2" "$rport" && ng_start three "$port3" "$pub3" "$rport" &&
		run_case two-nginx-redis "$pub2" "$port2" "$port3"
else
	bad "redis-server not installed (deploy/install-deps.sh --test)"
fi
finish
