/*
 * buf.c: the one growable byte buffer with a hard maximum, used wherever
 * text is written piece by piece into memory (web pages, JSON replies,
 * the Atom feed, CSV reports, the metrics text).
 *
 * A buffer is given its maximum when it is made. Appending never fails on
 * the spot: the first failure (the text would pass the maximum, or memory
 * ran out) sticks, every later append does nothing, and the caller asks
 * once at the end (core_buf_take returns NULL). So a caller writes its
 * whole answer without a check after each piece and still never sends
 * half of one.
 *
 * What is written may be case text, so the bytes are never left behind in
 * freed memory: the buffer grows by copying into a new block and wiping
 * the old one (realloc could leave a copy), and free wipes. The wipe is
 * explicit_bzero (glibc), which the compiler may not drop; core/ does not
 * link libsodium (docs/design.md).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* The first block: most pages and replies fit in one or two doublings. */
#define BUF_FIRST	8192

void
core_buf_init(struct core_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->fail = 0;
}

int
core_buf_reserve(struct core_buf *b, size_t n)
{
	char	*np;
	size_t	 cap;

	if (b->fail)
		return -1;
	if (n > b->max || b->len > b->max - n) {
		b->fail = 1;
		return -1;
	}
	if (b->p != NULL && b->len + n < b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : BUF_FIRST;
	while (cap <= b->len + n)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if ((np = malloc(cap)) == NULL) {
		b->fail = 1;
		return -1;
	}
	if (b->p != NULL) {
		memcpy(np, b->p, b->len);
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	np[b->len] = '\0';
	b->p = np;
	b->cap = cap;
	return 0;
}

void
core_buf_add(struct core_buf *b, const void *s, size_t n)
{
	if (core_buf_reserve(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
core_buf_str(struct core_buf *b, const char *s)
{
	core_buf_add(b, s, strlen(s));
}

void
core_buf_printf(struct core_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (b->fail)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->fail = 1;
		return;
	}
	if (core_buf_reserve(b, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->p[b->len] = '\0';
		b->fail = 1;
		return;
	}
	b->len += (size_t)n;
}

void
core_buf_cut(struct core_buf *b, size_t len)
{
	if (!b->fail && b->p != NULL && len <= b->len) {
		b->len = len;
		b->p[len] = '\0';
	}
}

char *
core_buf_take(struct core_buf *b, size_t *len)
{
	char	*p;

	if (!b->fail && b->p == NULL)
		(void)core_buf_reserve(b, 0);
	if (b->fail) {
		core_buf_free(b);
		*len = 0;
		return NULL;
	}
	p = b->p;
	*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
core_buf_free(struct core_buf *b)
{
	if (b->p != NULL) {
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	b->p = NULL;
	b->len = b->cap = 0;
	b->fail = 0;
}
