/*
 * jsonalloc.c: a jansson allocator that wipes what it frees.
 *
 * jansson copies every string it parses; once a request is answered those
 * copies are freed but their bytes stay in the heap until reused. For a
 * whistleblowing service those bytes are report text and identities, so
 * every block carries its size in a small header and is cleared with
 * explicit_bzero() (which the compiler may not remove) before free().
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Keeps the user pointer aligned for any type. */
#define HDR	16

static void *
wipe_malloc(size_t n)
{
	unsigned char *p;

	if (n > SIZE_MAX - HDR || (p = malloc(n + HDR)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + HDR;
}

static void
wipe_free(void *ptr)
{
	unsigned char	*p;
	size_t		 n;

	if (ptr == NULL)
		return;
	p = (unsigned char *)ptr - HDR;
	memcpy(&n, p, sizeof(n));
	explicit_bzero(p, n + HDR);
	free(p);
}

void
core_json_wipe_on_free(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

void
core_json_free(void *p)
{
	json_malloc_t	m;
	json_free_t	f;

	json_get_alloc_funcs(&m, &f);
	f(p);
}
