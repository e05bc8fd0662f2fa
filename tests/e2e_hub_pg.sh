#!/bin/bash
# The hub's storage tests on PostgreSQL: a throw-away server from Debian's
# postgresql packages in a temporary directory (initdb, pg_ctl, a unix socket
# only, no TCP), then the hub's unit tests (tests/test_hub_*.c) run against
# it through LEDSIGN_HUB_PG_URL, as they run against SQLite in test-unit.
# As root, the server runs as the postgres user (runuser): it refuses root.
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp hub-pg
need_build ledsign-hub
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { bad "PostgreSQL server missing (deploy/install-deps.sh --test installs postgresql)"; finish; }
# (from /: the postgres user may not enter the clone's directory, e.g. under /root)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
pg="$tmp/pg"
mkdir -p "$pg"
chmod 755 "$tmp"
[ "$(id -u)" = 0 ] && chown postgres "$pg"
if as_pg "$pgbin/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 &&
	as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
		-o "-k $pg -c listen_addresses='' -c fsync=off" start >"$tmp/pg_ctl.log" 2>&1; then
	ok "a throw-away PostgreSQL server runs on a unix socket in $pg"
else
	bad "PostgreSQL did not start: $(tail -3 "$tmp/initdb.log" "$tmp/pg_ctl.log" "$pg/server.log" 2>/dev/null)"
	finish
fi
stop_pg() { as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1; }
trap 'stop_pg; feed_cleanup' EXIT
export LEDSIGN_HUB_PG_URL="postgresql:///postgres?host=$pg&user=postgres"

for t in "$build"/tests/test_hub_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	line=$(printf '%s\n' "$out" | tail -1)
	case "$line" in
	*" passed, 0 failed") ok "$(basename "$t") on PostgreSQL: $line" ;;
	*) bad "$(basename "$t") on PostgreSQL: $(printf '%s\n' "$out" | grep -v '^ok' | tail -5)" ;;
	esac
done

# The service itself on PostgreSQL: -n connects and migrates; a second start finds the schema current.
printf '[database]\nurl = %s\n[hub]\nstate_dir = %s/state\n' "$LEDSIGN_HUB_PG_URL" "$tmp" >"$tmp/hub.conf"
"$build/ledsign-hub" -c "$tmp/hub.conf" -n >"$tmp/n.out" 2>&1 && grep -q 'database postgresql' "$tmp/n.out" &&
	ok "ledsign-hub -n with [database] url = postgresql://... connects and migrates" ||
	bad "ledsign-hub -n on PostgreSQL: $(cat "$tmp/n.out")"
v=$(as_pg "$pgbin/psql" -h "$pg" -U postgres -tAc 'SELECT version FROM schema_version' postgres 2>&1)
[ "$v" = 4 ] && ok "the schema is at migration 4 (the studio's drafts, the versions, the boards' panels)" || bad "schema_version: $v (expected 4)"
printf '[database]\nurl = postgresql:///nosuchdb?host=%s&user=postgres\n' "$pg" >"$tmp/bad.conf"
"$build/ledsign-hub" -c "$tmp/bad.conf" -n >"$tmp/bad.out" 2>&1
grep -q 'cannot connect.*nosuchdb' "$tmp/bad.out" && ok "a database that does not exist is named in the error" ||
	bad "no clear error for a missing database: $(cat "$tmp/bad.out")"
finish
