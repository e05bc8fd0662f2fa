#!/usr/bin/env bash
# make test-kernel: the gpiod transport and the service on a real Linux kernel.
#
# Debian's kernels do not build the GPIO simulator (CONFIG_GPIO_SIM), so this
# stage builds it, and only it, as a module for Debian's own kernel: the
# kernel image and linux-source come from apt (`apt-get download`), the
# module from the source's drivers/gpio/gpio-sim.c and the irq_sim.c it needs
# (kernel/irq/, not built in Debian's kernel either) against the installed
# linux-headers. irq_sim.c calls irq_to_desc(), which the kernel does not
# export to modules; the copy here calls generic_handle_irq() instead (the
# same flow handler; only input-line interrupts use it, which ledsign never
# asks for). Then it boots that kernel under qemu (TCG, no KVM needed) with
# an initramfs of busybox, the modules, ledsignd and tests/kernel_gpio.c with
# their shared libraries, and /init = tests/kernel-init.sh. Everything built
# or downloaded is cached in BUILD/kernel (about 65 MB with the initramfs; the .deb files are
# removed once unpacked); a run with the cache takes about 15 s here.
#
# Needs: qemu-system-x86, busybox-static, linux-headers-amd64 (the headers
# of the kernel it boots), xz-utils (deploy/install-deps.sh, test packages).
# Usage: bash tests/kernel.sh [BUILD]  (make test-kernel builds what it runs)
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
cache="$root/$build/kernel"
log="$cache/console.log"

die() {
	echo "test-kernel: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

for tool in qemu-system-x86_64 busybox dpkg-deb apt-get xz gzip cpio make; do
	command -v "$tool" >/dev/null || [ "$tool" = cpio ] ||
		die "$tool is missing; run deploy/install-deps.sh --test"
done
# The kernel to boot is the one whose headers are installed (newest first).
kver=${KVER:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' |
	sort -V | tail -n 1)}
[ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ] ||
	die "no linux-headers-*-amd64 installed; apt-get install linux-headers-amd64"
series=$(echo "$kver" | cut -d. -f1-2)
mkdir -p "$cache" || die "cannot create $cache"

# apt-get download PACKAGE into the cache, unpacked into DIR.
fetch_deb() {
	local pkg=$1 dir=$2
	[ -d "$dir" ] && return 0
	(cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) ||
		die "apt-get download $pkg failed (network, or apt-get update needed)"
	mkdir -p "$dir.tmp" && dpkg-deb -x "$cache/$pkg"_*.deb "$dir.tmp" &&
		rm -f "$cache/$pkg"_*.deb && mv "$dir.tmp" "$dir"
}

# The kernel image: vmlinuz and configfs.ko (a module in Debian's kernels).
if [ ! -f "$cache/vmlinuz-$kver" ]; then
	fetch_deb "linux-image-$kver" "$cache/image.d"
	cp "$cache/image.d/boot/vmlinuz-$kver" "$cache/vmlinuz-$kver" || die "no vmlinuz in the image"
	cfg="$cache/image.d/boot/config-$kver"
	grep -q '^CONFIG_GPIO_CDEV=y' "$cfg" || die "$kver has no GPIO character device"
	ko=$(find "$cache/image.d/lib/modules" -name 'configfs.ko*' | head -n 1)
	case $ko in
	*.xz) xz -dc "$ko" >"$cache/configfs.ko" ;;
	*.ko) cp "$ko" "$cache/configfs.ko" ;;
	*) grep -q '^CONFIG_CONFIGFS_FS=y' "$cfg" || die "no configfs in $kver" ;;
	esac
	rm -rf "$cache/image.d"
fi

# The gpio-sim module from Debian's kernel source of the same series.
mod="$cache/gpio-sim-$kver"
if [ ! -f "$mod/gpio-sim.ko" ]; then
	src="$cache/linux-source-$series"
	if [ ! -f "$src/gpio-sim.c" ]; then
		fetch_deb "linux-source-$series" "$cache/source.d"
		mkdir -p "$src"
		xz -dc "$cache/source.d/usr/src/linux-source-$series.tar.xz" |
			tar -x -C "$src" --strip-components=3 --wildcards \
				'*/drivers/gpio/gpio-sim.c' '*/drivers/gpio/gpiolib.h' '*/kernel/irq/irq_sim.c' 2>/dev/null
		rm -rf "$cache/source.d"
		[ -f "$src/gpio-sim.c" ] || die "linux-source-$series has no drivers/gpio/gpio-sim.c"
	fi
	rm -rf "$mod" && mkdir -p "$mod"
	cp "$src/gpio-sim.c" "$mod/gpio-sim-main.c"
	cp "$src/gpiolib.h" "$mod/"
	sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' \
		"$src/irq_sim.c" >"$mod/irq_sim.c"
	printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' >"$mod/Kbuild"
	make -s -C "/lib/modules/$kver/build" M="$mod" modules >"$mod/build.log" 2>&1 ||
		die "building gpio-sim.ko failed: $(tail -n 5 "$mod/build.log")"
fi

# The initramfs: busybox, the modules, the programs with their libraries and
# the data the service reads.
initrd="$cache/initramfs.cpio.gz"
rootfs="$cache/rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,lib/modules,etc,ledsign/build/tests,ledsign/deploy,usr/share/zoneinfo}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
file -L "$rootfs/bin/busybox" 2>/dev/null | grep -q 'dynamically' &&
	die "busybox is not static; apt-get install busybox-static"
cp tests/kernel-init.sh "$rootfs/init" && chmod 755 "$rootfs/init"
[ -f "$cache/configfs.ko" ] && cp "$cache/configfs.ko" "$rootfs/lib/modules/"
cp "$mod/gpio-sim.ko" "$rootfs/lib/modules/"
copy_with_libs() { # BIN DEST
	cp "$1" "$rootfs$2" || die "cannot copy $1"
	ldd "$1" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | while read -r lib; do
		mkdir -p "$rootfs$(dirname "$lib")"
		cp -L "$lib" "$rootfs$lib"
	done
}
copy_with_libs "$build/ledsignd" /ledsign/build/ledsignd
copy_with_libs "$build/tests/kernel_gpio" /ledsign/build/tests/kernel_gpio
# libcurl is not linked (src/sys/libcurl.c opens it after the first frame):
# put it, and the libraries it needs, where the guest's ld.so looks.
soname=$(make --no-print-directory -s BUILD="$build" print-curl-soname)
curl_lib=$(gcc -print-file-name="$soname")
[ -f "$curl_lib" ] || die "no $soname here (apt-get install libcurl4)"
curl_lib=$(readlink -f "$curl_lib")
mkdir -p "$rootfs$(dirname "$curl_lib")"
copy_with_libs "$curl_lib" "$(dirname "$curl_lib")/$soname"
cp -r content fonts "$rootfs/ledsign/"
rm -rf "$rootfs/ledsign/fonts/src" "$rootfs/ledsign/fonts/tools"
cp deploy/60-ledsign-gpio.rules "$rootfs/ledsign/deploy/"
for f in /usr/share/fonts/opentype/unifont/unifont.otf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf \
	/usr/share/zoneinfo/UTC /usr/share/zoneinfo/Asia/Ho_Chi_Minh; do
	[ -f "$f" ] || continue
	mkdir -p "$rootfs$(dirname "$f")"
	cp -L "$f" "$rootfs$f"
done
cat >"$rootfs/ledsign/kernel.conf" <<'EOF'
; The service in the kernel stage: a 192x16 HUB12 board on the simulated chip.
[panel]
type = hub12
module = 32x16
chain = 6

[output]
type = gpiod
chip = pinctrl-bcm2711

[feed]
url = /ledsign/content/national.json
cache_dir = /tmp/ledsign/cache
state_dir = /tmp/ledsign/state
EOF
if command -v cpio >/dev/null; then
	(cd "$rootfs" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$initrd")
else
	(cd "$rootfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$initrd")
fi
[ -s "$initrd" ] || die "cannot pack the initramfs"

echo "test-kernel: booting Linux $kver under qemu (TCG) with gpio-sim"
timeout "${KERNEL_TIMEOUT:-300}" qemu-system-x86_64 -m 512M -smp 1 -nographic -no-reboot \
	-kernel "$cache/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1" </dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" | sed -n '/^kernel-init:/,$p' | grep -v '^\[ *[0-9.]*\] reboot' >"$log.guest"
cat "$log.guest"
[ $rc -eq 0 ] || die "qemu exited with $rc (timeout or crash); see $log"
counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log.guest" | tail -n 1)
[ -n "$counts" ] || die "the guest printed no result; see $log"
grep -q '^kernel-init: done' "$log.guest" || die "the guest did not finish; see $log"
# The service fetched its feed (a file:// URL, through libcurl) and showed it.
passed=${counts%% passed*} failed=${counts#*passed, } failed=${failed%% failed}
if grep -qE '^ledsign: feed 1 [^ ]+: [0-9]+ items' "$log.guest" && ! grep -q 'libcurl cannot be opened' "$log.guest"; then
	echo "ok   the_service_fetches_its_feed_through_libcurl_and_shows_it"
	passed=$((passed + 1))
else
	echo "FAIL the_service_fetches_its_feed_through_libcurl_and_shows_it"
	grep -m 2 'ledsign: feed 1' "$log.guest" | sed 's/^/  /'
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
