/*
 * alloc_count.h - count heap allocations made by anyone in the process
 * (SDL, SDL_ttf, FreeType included) while counting is on.
 *
 * alloc_count.c defines malloc, calloc and realloc and forwards them to
 * glibc's __libc_* entry points, so it interposes on every shared library.
 * glibc only; link it into a test program, never into the product.
 */
#ifndef ALLOC_COUNT_H
#define ALLOC_COUNT_H

void alloc_count_start(void);
/* Stop counting; returns the allocations since alloc_count_start(), or -1
 * when counting is unavailable (AddressSanitizer builds). */
long alloc_count_stop(void);

#endif
