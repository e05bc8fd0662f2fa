#!/bin/sh
# The boundary check: no object of the pure core (src/core/) may call an I/O,
# clock, environment, thread, process or network function. The core is handed
# what it needs from outside as values or small provider interfaces; only
# src/sys/ and src/cmd/ touch the system. Nor may it call a function of the
# edges (any symbol an object under BUILD/obj/src/sys/ defines): the edge calls
# the core, never the other way round. Prints each offending object and
# symbol, then "N passed, N failed" (one check per object).
#
#   sh tests/check-core.sh BUILD OBJ...
set -u
build=${1:-build}
shift
# Symbols by family. A name matches exactly, or as a prefix where it ends in '*'.
forbidden='
open openat open64 creat close read write pread pwrite lseek fsync fdatasync
fopen fopen64 fdopen freopen fclose fread fwrite fgets fputs fputc putc putchar puts
printf fprintf vprintf vfprintf perror fflush fscanf scanf getline getdelim
stdin stdout stderr
stat stat64 fstat lstat fstatat access faccessat realpath readlink
mkdir rmdir unlink unlinkat rename renameat link symlink mkstemp mkstemps tmpfile
opendir readdir closedir scandir
mmap munmap mlock mlockall ioctl poll select epoll_* socket connect bind listen accept*
send sendto recv recvfrom getaddrinfo
time clock_gettime gettimeofday clock nanosleep usleep sleep
localtime localtime_r gmtime gmtime_r mktime timegm tzset strftime ctime asctime
getenv secure_getenv setenv unsetenv putenv environ
pthread_* sem_* fork vfork exec* system popen pclose wait waitpid kill raise signal sigaction
exit _exit abort atexit getpid getppid getuid
syslog openlog sd_* curl_* gpiod_* FT_New_Face FT_Open_Face FT_Init_FreeType
png_image_begin_read_from_file png_init_io EGifOpen* DGifOpen* gzopen dlopen
randombytes* getrandom
'
# What the edges define: calling it from the core would make the core impure by proxy.
edge=$(find "$build/obj/src/sys" -name '*.o' -exec nm -g --defined-only {} + 2>/dev/null |
	awk 'NF == 3 {print $3}' | sort -u)
pass=0
fail=0
for obj in "$@"; do
	rel=${obj#"$build/obj/"}
	bad=
	for sym in $(nm -u "$obj" | awk '{print $NF}' | sed 's/@.*//'); do
		if printf '%s\n' "$edge" | grep -qxF -- "$sym"; then
			bad="$bad $sym"
			continue
		fi
		for f in $forbidden; do
			# shellcheck disable=SC2254 # each forbidden name is a glob on purpose
			case "$sym" in
			$f)
				bad="$bad $sym"
				break
				;;
			esac
		done
	done
	if [ -n "$bad" ]; then
		echo "check-core: $rel calls$bad: the core may not; take it as a value or a provider from src/sys/" >&2
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "check-core: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
