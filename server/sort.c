/*
 * sort.c: sorting without qsort(). glibc's qsort asks the kernel for the
 * memory size (sysinfo) on arrays over a kilobyte, which the seccomp
 * allow-list of a confined server (confine.c) refuses.
 */
#include <stddef.h>

#include "server/util.h"

static void
swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char	t;
	size_t		i;

	for (i = 0; i < size; i++) {
		t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

static void
sift_down(unsigned char *base, size_t start, size_t end, size_t size,
    int (*cmp)(const void *, const void *))
{
	size_t root = start, child;

	while ((child = 2 * root + 1) < end) {
		if (child + 1 < end && cmp(base + child * size,
		    base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void
srv_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	unsigned char	*b = base;
	size_t		 i;

	if (n < 2)
		return;
	for (i = n / 2; i > 0; i--)
		sift_down(b, i - 1, n, size, cmp);
	for (i = n - 1; i > 0; i--) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}
