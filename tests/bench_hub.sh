#!/bin/bash
# make bench: the hub's figures (deploy/HUB.md, "What it costs").
#  1. heartbeat ingest: 20,000 simulated boards (build/bench/bench_hub) at ten
#     times the normal rate (a heartbeat every 30 s instead of 300 s: 667/s)
#     for 60 s, on SQLite and on a throw-away PostgreSQL; zero loss means every
#     heartbeat answered "stored" and every one in the database;
#  2. the fleet API for 2,000 boards, and the fleet page in chromium;
#  3. a one-year campaign report over 2,000 boards (generated daily totals).
# BENCH_HUB_SECONDS shortens step 1 (default 60).
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp bench-hub
need_build ledsign-hub bench/bench_hub
secs=${BENCH_HUB_SECONDS:-60}
boards=20000
rate=$((boards / 30))

# hubconf NAME [URL]: $tmp/NAME.conf on a free port, SQLite or the database URL.
hubconf() {
	hport=$(free_port)
	mkdir -p "$tmp/$1"
	printf '[http]\nlisten = 127.0.0.1:%s\nmax_connections = 256\nwww_dir = %s/src/hub/www\ncookie_secure = no\n[database]\nurl = %s\n[hub]\nstate_dir = %s/%s\nreport_interval = 300\n' \
		"$hport" "$root" "${2:-}" "$tmp" "$1" >"$tmp/$1.conf"
}
fleet_file() { # fleet_file N: the tab-separated import of N boards over 63 provinces
	python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print("bench-%05d\tbench-token-%08d\tTỉnh %02d\tHuyện %03d\tnational,p%02d" % (i, i, i % 63, i % 700, i % 63))
PY
}
start_hub() { # start_hub NAME: the hub of $tmp/NAME.conf, up
	"$build/ledsign-hub" -c "$tmp/$1.conf" -d 2>"$tmp/$1.log" &
	d_pid=$!
	for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && return 0; sleep 0.1; done
	return 1
}
stop_hub() { kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=; }

ingest() { # ingest NAME [URL] [COUNT-SQL-CMD...]
	local name=$1 url=${2:-}
	shift 2
	hubconf "$name" "$url"
	fleet_file $boards >"$tmp/fleet.tsv"
	"$build/ledsign-hub" -c "$tmp/$name.conf" board import "$tmp/fleet.tsv" >/dev/null || { bad "$name: import"; return; }
	start_hub "$name" || { bad "$name: the hub did not start"; return; }
	echo "$name: $boards boards at $rate heartbeats/s for $secs s"
	"$build/bench/bench_hub" "http://127.0.0.1:$hport/api/heartbeat" $boards $rate "$secs" | tee "$tmp/$name.out"
	rc=${PIPESTATUS[0]}
	stop_hub
	sent=$(sed -n 's/^sent \([0-9]*\) .*/\1/p' "$tmp/$name.out")
	in_db=$("$@")
	echo "$name: $in_db heartbeats in the database"
	want=$((rate * secs * 95 / 100))
	[ "$name" = postgresql ] && want=1 # measured, not required: it follows the disk's commit latency
	[ "$rc" = 0 ] && [ "${sent:-0}" -ge "$want" ] && [ "$in_db" = "$sent" ] &&
		ok "$name ingest: $sent heartbeats from $boards boards in $secs s, every one stored once (zero loss)" ||
		bad "$name ingest: sent ${sent:-?} (want >= $want), stored in the database $in_db, bench exit $rc"
}

# 1. Ingest on SQLite.
ingest sqlite "" sqlite3 "$tmp/sqlite/hub.db" 'SELECT COUNT(*) FROM heartbeats'

# ... and on PostgreSQL, when its server is installed.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -x "$pgbin/initdb" ]; then
	as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
	pg="$tmp/pg"
	mkdir -p "$pg"
	chmod 755 "$tmp"
	[ "$(id -u)" = 0 ] && chown postgres "$pg"
	as_pg "$pgbin/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 &&
		as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -o "-k $pg -c listen_addresses=''" start >/dev/null 2>&1
	trap 'as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1; feed_cleanup' EXIT
	ingest postgresql "postgresql:///postgres?host=$pg&user=postgres" \
		as_pg "$pgbin/psql" -h "$pg" -U postgres -tAc 'SELECT COUNT(*) FROM heartbeats' postgres
fi

# 2. The fleet API and page for 2,000 boards, each with one heartbeat.
hubconf fleet
fleet_file 2000 >"$tmp/fleet2k.tsv"
"$build/ledsign-hub" -c "$tmp/fleet.conf" board import "$tmp/fleet2k.tsv" >/dev/null
echo "bench-password-1" | "$build/ledsign-hub" -c "$tmp/fleet.conf" user add admin --role admin >/dev/null
start_hub fleet
"$build/bench/bench_hub" "http://127.0.0.1:$hport/api/heartbeat" 2000 2000 1 >/dev/null
login() { # a session cookie in $tmp/jar
	curl -s -c "$tmp/jar" -o /dev/null "http://127.0.0.1:$hport/api/me"
	csrf=$(awk '/hub_csrf/ {print $7}' "$tmp/jar")
	curl -s -b "$tmp/jar" -c "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d '{"name":"admin","password":"bench-password-1"}' -o /dev/null "http://127.0.0.1:$hport/api/login"
}
login
best=9
for _ in 1 2 3 4 5; do
	t=$(curl -s -b "$tmp/jar" -o "$tmp/fleet.json" -w '%{time_total}' "http://127.0.0.1:$hport/api/fleet")
	best=$(python3 -c "print(min($best, $t))")
done
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["boards"]))' "$tmp/fleet.json")
kb=$(($(stat -c %s "$tmp/fleet.json") / 1024))
python3 -c "import sys; sys.exit(0 if $n == 2000 and $best < 1 else 1)" &&
	ok "fleet API: $n boards, $kb KiB, best of 5 in $(python3 -c "print('%.0f ms' % ($best * 1000))")" ||
	bad "fleet API: $n boards in $best s"
if [ -x /usr/bin/chromium ] && [ -d "$build/node/node_modules/playwright-core" ]; then
	NODE_PATH="$build/node/node_modules" HUB_URL="http://127.0.0.1:$hport" PROFILE="$tmp/chromium" node - <<'JS' >"$tmp/page.out" 2>&1
const { chromium } = require('playwright-core');
(async () => {
  const ctx = await chromium.launchPersistentContext(process.env.PROFILE, { executablePath: '/usr/bin/chromium', headless: true,
    viewport: { width: 1366, height: 768 }, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await ctx.newPage();
  const url = process.env.HUB_URL;
  await page.goto(url + '/login');
  await page.fill('#login-form input[name=name]', 'admin');
  await page.fill('#login-form input[name=password]', 'bench-password-1');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.fleetMs !== undefined);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await page.goto(url + '/');
    await page.waitForFunction(() => document.body.dataset.fleetMs !== undefined && document.querySelectorAll('#boards tbody tr').length === 2000);
    times.push(Date.now() - t0);
  }
  console.log('page ' + Math.min(...times));
  await ctx.close();
})().catch(e => { console.log('error ' + e.message); process.exit(1); });
JS
	ms=$(sed -n 's/^page //p' "$tmp/page.out")
	[ -n "$ms" ] && [ "$ms" -lt 1000 ] && ok "fleet page in chromium: 2,000 boards loaded and drawn in $ms ms (best of 3, 1366x768)" ||
		bad "fleet page: $(cat "$tmp/page.out")"
fi
stop_hub

# 3. A one-year campaign report over the 2,000 boards: daily totals of 8 items for 365 days.
sqlite3 "$tmp/fleet/hub.db" >/dev/null <<'SQL'
WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 364),
  i(id) AS (VALUES ('an-sinh'), ('bhyt-hoc-sinh'), ('bhyt-ho-gia-dinh'), ('bhxh-tu-nguyen'), ('vssid'),
                   ('gio-lam-viec'), ('dong-cua'), ('clock'))
INSERT INTO daily (item, day, board_id, plays, ms)
SELECT i.id, CAST(strftime('%Y%m%d', '2025-12-01', '+' || d.n || ' days') AS INTEGER), b.id,
       50 + (b.id + d.n) % 20, (50 + (b.id + d.n) % 20) * 10000
FROM boards b, d, i;
SQL
rows=$(sqlite3 "$tmp/fleet/hub.db" 'SELECT COUNT(*) FROM daily')
start_hub fleet
login
q="item=bhyt-hoc-sinh&from=2025-12-01&to=2026-11-30"
for by in board district province; do
	best=9
	for _ in 1 2 3; do
		t=$(curl -s -b "$tmp/jar" -o "$tmp/report.json" -w '%{time_total}' "http://127.0.0.1:$hport/api/report?$q&by=$by")
		best=$(python3 -c "print(min($best, $t))")
	done
	total=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"]["plays"], len(d["rows"]))' "$tmp/report.json")
	python3 -c "import sys; sys.exit(0 if $best < 1 else 1)" &&
		ok "one-year report by $by over 2,000 boards ($rows daily rows): $(python3 -c "print('%.0f ms' % ($best * 1000))"), plays and rows: $total" ||
		bad "one-year report by $by: $best s"
done
t=$(curl -s -b "$tmp/jar" -o "$tmp/report.csv" -w '%{time_total}' "http://127.0.0.1:$hport/api/report?$q&by=board&format=csv")
ok "its CSV: $(($(wc -l <"$tmp/report.csv") - 1)) lines (board x day) in $(python3 -c "print('%.0f ms' % ($t * 1000))")"
stop_hub
finish
