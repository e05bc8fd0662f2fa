#!/bin/sh
# Cross-builds ledsign for the boards and runs the unit tests there, under
# qemu-user: "builds on a Pi" is tested, not hoped.
#
#   sh deploy/cross-test.sh [TRIPLET]     default aarch64-linux-gnu (arm64)
#
# Uses Debian's cross toolchain (gcc-aarch64-linux-gnu) and the arm64
# multiarch -dev packages, which `deploy/install-deps.sh --cross` installs
# (it adds the arm64 architecture and about 70 packages the first time,
# nothing afterwards). When they cannot be installed (the mirror lacks the
# matching versions, or they clash, as libpsl-dev does on Debian 13) the stage
# prints "cross-test: skipped: REASON" and passes; CROSS_TEST=0 (make test
# CROSS_TEST=0) skips it on purpose. The build goes to
# build-TRIPLET/ via `make CROSS=TRIPLET-`; each tests/test_* binary is then run
# with qemu-aarch64 (or directly, when binfmt_misc is registered for arm64).
# Results land in build-TRIPLET/test-results.txt; the last line printed is
# "N passed, N failed". Figures measured on the 2-core CI machine are in
# deploy/README.md ("Cross-build").
#
# armhf (TRIPLET=arm-linux-gnueabihf) works the same way once its toolchain
# and :armhf -dev packages are installed; install-deps.sh only sets up arm64.
set -eu

triplet=${1:-aarch64-linux-gnu}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build="build-$triplet"
case "$triplet" in
aarch64-linux-gnu) qemu="qemu-aarch64" ;;
arm-linux-gnueabihf) qemu="qemu-arm" ;;
*) echo "cross-test.sh: unknown triplet '$triplet'; use aarch64-linux-gnu or arm-linux-gnueabihf" >&2; exit 2 ;;
esac

skip() { # skip REASON: the stage does not run here; say why once, fail nothing
	rm -f "$build/test-results.txt" "$build/e2e-results.txt"
	echo "cross-test: skipped: $1"
	exit 0
}
[ "${CROSS_TEST:-1}" != 0 ] || skip "CROSS_TEST=0"

start=$(date +%s)
if [ "$triplet" = aarch64-linux-gnu ]; then
	# Exit 3: the arm64 packages cannot be installed here (install-deps.sh
	# said why, and left the machine's packages as they were).
	rc=0
	sh deploy/install-deps.sh --cross || rc=$?
	[ $rc -ne 3 ] || skip "the arm64 -dev packages cannot be installed on this machine (see the line above)"
	[ $rc -eq 0 ] || exit $rc
fi
deps_done=$(date +%s)

tests=
for src in tests/test_*.c; do
	[ -f "$src" ] || continue
	case "$src" in tests/test_hub_*) continue ;; esac # the hub runs on the server, not a board
	tests="$tests $build/tests/$(basename "$src" .c)"
done
# shellcheck disable=SC2086
make --no-print-directory CROSS="$triplet-" -j2 "$build/ledsignd" "$build/ledsign" $tests
build_done=$(date +%s)

file "$build/ledsignd" 2>/dev/null | grep -q 'ARM\|aarch64' || {
	echo "cross-test.sh: $build/ledsignd is not an ARM executable" >&2
	exit 1
}

# Run through qemu unless the kernel already hands ARM binaries to it. The
# multiarch libc (libc6:arm64, pulled in by the -dev packages) puts the loader
# where the binaries look for it; qemu's -L prefix is only the fallback, as it
# makes qemu 7.2 hang in fork() here.
runner=$qemu
case "$triplet" in
aarch64-linux-gnu) loader=/lib/ld-linux-aarch64.so.1 ;;
*) loader=/lib/ld-linux-armhf.so.3 ;;
esac
[ -e "$loader" ] || runner="$qemu -L /usr/$triplet"
if [ -r "/proc/sys/fs/binfmt_misc/$qemu" ] && grep -qx enabled "/proc/sys/fs/binfmt_misc/$qemu"; then
	runner=
fi
command -v "$qemu" >/dev/null || { echo "cross-test.sh: $qemu missing; apt-get install qemu-user" >&2; exit 1; }

# Tests that start the built tools find them through LEDSIGN_BUILD; without
# binfmt those need qemu in front, so point it at small wrappers.
bindir="$root/$build"
if [ -n "$runner" ]; then
	bindir="$root/$build/qemu-wrap"
	mkdir -p "$bindir"
	for b in ledsign ledsignd; do
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$runner" "$root/$build/$b" >"$bindir/$b"
		chmod 0755 "$bindir/$b"
	done
fi
export LEDSIGN_ROOT="$root" LEDSIGN_BUILD="$bindir"
results="$build/test-results.txt"
: >"$results"
status=0
for t in $tests; do
	name=$(basename "$t")
	echo "== $build (qemu): $name"
	rc=0
	out=$($runner "$t" 2>&1) || rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	[ -n "$line" ] || line="0 passed, 1 failed"
	[ $rc -eq 0 ] || status=1
	echo "$name: $line" >>"$results"
done
end=$(date +%s)
echo "cross-test: $triplet: deps $((deps_done - start)) s, build $((build_done - deps_done)) s, tests $((end - build_done)) s, total $((end - start)) s"
sh tests/summary.sh "$build" || status=1
exit $status
