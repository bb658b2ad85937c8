/*
 * alloc_count.c - see alloc_count.h.
 */
#include "alloc_count.h"

#include <stdatomic.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer owns malloc: counting is unavailable (-1). */
void alloc_count_start(void)
{
}

long alloc_count_stop(void)
{
    return -1;
}
#else

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);

static atomic_long count;
static atomic_int on;

void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);

void *malloc(size_t n)
{
    if (atomic_load_explicit(&on, memory_order_relaxed))
        atomic_fetch_add(&count, 1);
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    if (atomic_load_explicit(&on, memory_order_relaxed))
        atomic_fetch_add(&count, 1);
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    if (atomic_load_explicit(&on, memory_order_relaxed))
        atomic_fetch_add(&count, 1);
    return __libc_realloc(p, n);
}

void alloc_count_start(void)
{
    atomic_store(&count, 0);
    atomic_store(&on, 1);
}

long alloc_count_stop(void)
{
    atomic_store(&on, 0);
    return atomic_load(&count);
}
#endif
