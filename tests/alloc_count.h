/*
 * alloc_count.h: counts heap allocations in a test or benchmark program, so
 * "the hot path allocates nothing" is measured, not promised. Include it in
 * exactly one file of a program (it defines the allocator entry points).
 *
 * Plain builds interpose malloc, calloc, realloc, the aligned allocators and
 * free, counting and forwarding to glibc's __libc_* functions; every shared
 * library of the program (FreeType, libcurl, ...) then goes through them too.
 * Under AddressSanitizer interposing would fight ASan's own allocator, so
 * there the count comes from ASan's malloc hook instead. Both count every
 * thread (the refresh thread included).
 */
#ifndef LEDSIGN_TEST_ALLOC_COUNT_H
#define LEDSIGN_TEST_ALLOC_COUNT_H

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

static atomic_ulong alloc_count_n;

/* Allocations (malloc, calloc, realloc and the aligned ones) so far, all threads. */
static inline unsigned long alloc_count(void)
{
	return atomic_load(&alloc_count_n);
}

static inline void alloc_count_one(void)
{
	atomic_fetch_add_explicit(&alloc_count_n, 1, memory_order_relaxed);
}

#if defined(__SANITIZE_ADDRESS__)
/* From <sanitizer/allocator_interface.h>, which GCC does not ship. */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
					      void (*free_hook)(const volatile void *));

static void alloc_count_malloc_hook(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	alloc_count_one();
}

static void alloc_count_free_hook(const volatile void *p)
{
	(void)p;
}

__attribute__((constructor)) static void alloc_count_install(void)
{
	__sanitizer_install_malloc_and_free_hooks(alloc_count_malloc_hook, alloc_count_free_hook);
}

#define ALLOC_COUNT_HOW "ASan malloc hook"
#else
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);
void __libc_free(void *p);

void *malloc(size_t n)
{
	alloc_count_one();
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	alloc_count_one();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	alloc_count_one();
	return __libc_realloc(p, n);
}

void *memalign(size_t align, size_t n);
void *memalign(size_t align, size_t n)
{
	alloc_count_one();
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	alloc_count_one();
	return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	alloc_count_one();
	p = __libc_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void free(void *p)
{
	__libc_free(p);
}

#define ALLOC_COUNT_HOW "interposed malloc"
#endif

#endif
