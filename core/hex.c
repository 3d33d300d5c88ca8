/*
 * hex.c: bytes as lower-case hexadecimal and back, the one spelling of
 * ids in URLs and answers (audit heads, disclosure requests, ceremonies,
 * receipts). Reading is strict: exactly 2·len lower-case digits, so that
 * an id has one spelling and a lookup by it one answer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/core.h"

static const char digits[] = "0123456789abcdef";

void
core_hex_encode(const uint8_t *p, size_t len, char *out)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

static int
digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
core_hex_decode(const char *s, uint8_t *out, size_t len)
{
	size_t	i;
	int	hi, lo;

	if (s == NULL || strlen(s) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		if ((hi = digit(s[2 * i])) < 0 || (lo = digit(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
