#!/bin/sh
# Runs the README's two commands, `make test` and `make run`, the way a newcomer
# meets them: inside a Debian root made fresh by debootstrap (minbase plus git,
# ca-certificates, make and sudo), so no package installed by hand on this
# machine can hide a missing step.
#
#   sudo sh deploy/test-fresh.sh [SUITE] [WHAT]   (make test-fresh SUITE=trixie)
#     SUITE  bookworm (Debian 12, the default) or trixie (Debian 13)
#     WHAT   all (make run for 10 s, then make test; the default), test, run,
#            or cmd 'COMMAND' (runs COMMAND in the clone inside, e.g. to
#            look at one failing test: cmd 'bash tests/e2e_install.sh')
#   LEDSIGN_FRESH_KEEP=1 keeps the root (unmounted) and prints where it is.
#
# Needs root (debootstrap, chroot, mount) and the Debian mirror; installs
# debootstrap when it is missing. The root lives in a mktemp directory under
# TMPDIR (default /tmp); /proc, /sys, /dev, /dev/pts and /dev/shm are mounted
# into it, and whatever happens an EXIT trap stops what still runs inside,
# unmounts all of them and removes the root. The clone is copied in with
# its git history and uncommitted changes. The last line is make test's
# "N passed, N failed"; the exit status is make test's (or make run's).
#
# Exit status 3 with one line "test-fresh: cannot fetch SUITE from MIRROR"
# means debootstrap could not reach the mirror (no network): .ci/run then
# runs make test on the host instead.
set -eu

suite=${1:-bookworm}
what=${2:-all}
mirror=${LEDSIGN_MIRROR:-http://deb.debian.org/debian}
case "$suite" in
bookworm | trixie) ;;
*) echo "test-fresh.sh: unknown suite '$suite'; use bookworm or trixie" >&2; exit 2 ;;
esac
case "$what" in
all | test | run) ;;
cmd) command=${3:?usage: test-fresh.sh SUITE cmd COMMAND} ;;
*) echo "test-fresh.sh: unknown step '$what'; use all, test, run or cmd COMMAND" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "test-fresh.sh: needs root (debootstrap, chroot, mount); run it with sudo" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v debootstrap >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi

fresh=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-fresh-$suite.XXXXXX")
# It becomes /: other users (postgres, _apt) must be able to enter it.
chmod 0755 "$fresh"
mounts=
cleanup() {
	rc=$?
	set +e
	# Anything still running inside the root (a daemon a test left) goes first,
	# or the unmounts fail.
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$fresh" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m"; done
	if findmnt -rn -o TARGET | grep -q "^$fresh"; then
		echo "test-fresh: mounts left under $fresh; not removing it" >&2
	elif [ "${LEDSIGN_FRESH_KEEP:-0}" = 1 ]; then
		echo "test-fresh: kept the root in $fresh" >&2
	else
		rm -rf "$fresh"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

t0=$(date +%s)
if ! debootstrap --variant=minbase --include=git,ca-certificates,make,sudo \
	"$suite" "$fresh" "$mirror" >"$fresh.log" 2>&1; then
	if grep -qiE 'Failed getting release file|unable to resolve|could not resolve|connection (refused|timed out)' "$fresh.log"; then
		rm -f "$fresh.log"
		echo "test-fresh: cannot fetch $suite from $mirror"
		exit 3
	fi
	tail -n 20 "$fresh.log" >&2
	rm -f "$fresh.log"
	echo "test-fresh.sh: debootstrap $suite failed" >&2
	exit 1
fi
rm -f "$fresh.log"
t1=$(date +%s)

# A Debian installed from media also has its updates and security suites.
case "$suite" in
bookworm) sec=bookworm-security ;;
*) sec=$suite-security ;;
esac
cat >"$fresh/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $sec main
EOF
cp /etc/resolv.conf "$fresh/etc/resolv.conf"
# So is the network's trust: a proxy that re-signs TLS (its CA in this
# machine's /usr/local/share/ca-certificates) would meet a newcomer's machine
# on the same network too. Without it npm cannot fetch Playwright.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	cp /usr/local/share/ca-certificates/*.crt "$fresh/usr/local/share/ca-certificates/"
	chroot "$fresh" update-ca-certificates >/dev/null 2>&1 || true
fi
# Services installed inside (nginx) must not start: they would run on this
# machine's network, outside the root's life.
printf '#!/bin/sh\nexit 101\n' >"$fresh/usr/sbin/policy-rc.d"
chmod 0755 "$fresh/usr/sbin/policy-rc.d"

mnt() { # TYPE SOURCE TARGET [OPTIONS]
	mkdir -p "$fresh$3"
	if [ "$1" = bind ]; then mount --bind "$2" "$fresh$3"; else mount -t "$1" ${4:+-o "$4"} "$2" "$fresh$3"; fi
	mounts="$fresh$3 $mounts"
}
mnt proc proc /proc
mnt sysfs sys /sys
mnt bind /dev /dev
mnt devpts devpts /dev/pts newinstance,ptmxmode=0666,mode=620,gid=5
mount --bind "$fresh/dev/pts/ptmx" "$fresh/dev/ptmx"
mounts="$fresh/dev/ptmx $mounts"
mnt tmpfs tmpfs /dev/shm mode=1777

# The clone, with its history (tests list tracked files) and the work tree as it is.
git clone -q --no-hardlinks "$src" "$fresh/root/ledsign"
(cd "$src" && git ls-files -z | tar --null -T - -cf -) | tar -C "$fresh/root/ledsign" -xf -
pkgs0=$(chroot "$fresh" dpkg-query -W -f='.\n' | wc -l)
disk0=$(du -sxm "$fresh" | cut -f1)

inside() { chroot "$fresh" /usr/bin/env -i HOME=/root TERM="${TERM:-xterm}" LANG=C.UTF-8 \
	${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh -c "cd /root/ledsign && $1"; }

status=0
if [ "$what" = cmd ]; then
	inside "$command" || status=$?
	echo "test-fresh: $suite: $command: exit $status"
	exit $status
fi
if [ "$what" != test ]; then
	# make run first: it is the first command a newcomer tries, and it must set
	# up on its own. Bounded, and into a pty-less pipe: the frames are not kept.
	t2=$(date +%s)
	rc=0
	inside 'make run ARGS="--duration 10"' >"$fresh/run.log" 2>&1 || rc=$?
	echo "test-fresh: $suite: make run: exit $rc in $(($(date +%s) - t2)) s"
	grep -a 'ledsignd:' "$fresh/run.log" | tail -n 5
	[ $rc -eq 0 ] || { tail -n 20 "$fresh/run.log"; status=$rc; }
fi
line=
if [ "$what" != run ]; then
	t3=$(date +%s)
	rc=0
	inside "timeout ${LEDSIGN_FRESH_TIMEOUT:-45m} make test; echo \"make-test-exit=\$?\" >/root/make-test.rc" 2>&1 |
		tee "$fresh/test.log" || true
	rc=$(sed -n 's/^make-test-exit=//p' "$fresh/root/make-test.rc" 2>/dev/null)
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$fresh/test.log" | tail -n 1)
	[ -n "$line" ] && [ -n "$rc" ] || { line="0 passed, 1 failed"; rc=1; }
	# make test stopped at a stage before its summary: its last line is a stage's.
	[ "$rc" -eq 0 ] || case "$line" in *", 0 failed") line="${line%, 0 failed}, 1 failed" ;; esac
	echo "test-fresh: $suite: make test: exit $rc in $(($(date +%s) - t3)) s"
	[ "$rc" -eq 0 ] || status=1
	# A broken apt (held or half-configured packages) fails the run too.
	if ! inside 'apt-get check -q >/dev/null 2>&1 && [ -z "$(dpkg --audit)" ]'; then
		echo "test-fresh: $suite: apt is left broken after make test"
		status=1
	fi
fi
if [ "$what" = all ]; then
	# The package, installed as deploy/README.md says (on Debian 12 the
	# bookworm-backports that install-deps.sh added provide libgpiod3); systemd
	# is not running in here, as in an image build: the service must still
	# come out enabled.
	rc=0
	inside 'make -s deb >/dev/null && { apt-get install -y -q ./ledsign_*.deb >/tmp/deb-install.log 2>&1 ||
		{ tail -n 5 /tmp/deb-install.log; exit 1; }; } &&
		ledsign doctor -c /etc/ledsign/ledsign.conf 2>&1 | grep -E "^(ok|FAIL|skip) +enabled"' \
		>"$fresh/deb.log" 2>&1 || rc=$?
	if [ $rc -eq 0 ] && grep -q '^ok' "$fresh/deb.log"; then
		echo "test-fresh: $suite: apt install ./ledsign_*.deb: installed; $(cat "$fresh/deb.log")"
	else
		echo "test-fresh: $suite: apt install ./ledsign_*.deb failed or left the service disabled: $(tail -n 3 "$fresh/deb.log")"
		status=1
	fi
fi
pkgs1=$(chroot "$fresh" dpkg-query -W -f='.\n' | wc -l)
disk1=$(du -sxm "$fresh" | cut -f1)
echo "test-fresh: $suite: debootstrap $((t1 - t0)) s; total $(($(date +%s) - t0)) s;" \
	"packages $pkgs0 -> $pkgs1 (+$((pkgs1 - pkgs0))); disk $disk0 -> $disk1 MB"
[ -z "$line" ] || echo "$line"
exit $status
