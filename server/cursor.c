/*
 * cursor.c: the one text form of a paging position.
 *
 * The public list (publish.c) and the staff queues (queue.c) walk indexes
 * sorted by (time, case) and hand the caller back where to go on from:
 * version byte ‖ time (8 bytes, big-endian) ‖ case (8 bytes, big-endian),
 * in base64url without padding. The caller names what the time is (the
 * publication time for the public list, the due time for a queue); the
 * bytes are the same.
 *
 * A cursor is outside input (a query parameter) and is not secret: it
 * names a position a caller could reach by paging anyway, and every read
 * it leads to checks scope and visibility again. Decoding is strict, so
 * each position has exactly one text: the base64 alphabet only, the
 * exact length, no leftover bits (crypto_b64_decode refuses them) and a
 * known version.
 */
#include <string.h>

#include "server/util.h"

/* Bytes of a decoded cursor: version, time, case. */
#define CURSOR_BIN	17
#define CURSOR_V1	0x01

int
srv_cursor_decode(const char *s, uint64_t *at, uint64_t *seq)
{
	char	b64[SRV_CURSOR_LEN + 2];
	uint8_t	bin[CURSOR_BIN];
	size_t	n, i, outlen;

	if (s == NULL || (n = strlen(s)) != SRV_CURSOR_LEN)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			b64[i] = '+';
		else if (s[i] == '_')
			b64[i] = '/';
		else if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
			b64[i] = s[i];
		else
			return -1;
	}
	while (i % 4 != 0)
		b64[i++] = '=';
	b64[i] = '\0';
	if (crypto_b64_decode(b64, i, bin, sizeof(bin), &outlen) == -1 ||
	    outlen != CURSOR_BIN || bin[0] != CURSOR_V1)
		return -1;
	*at = store_be64_get(bin + 1);
	*seq = store_be64_get(bin + 9);
	return 0;
}

void
srv_cursor_text(uint64_t at, uint64_t seq, char out[SRV_CURSOR_LEN + 1])
{
	uint8_t	bin[CURSOR_BIN];
	char	b64[SRV_CURSOR_LEN + 2];
	size_t	i;

	bin[0] = CURSOR_V1;
	store_be64_put(bin + 1, at);
	store_be64_put(bin + 9, seq);
	/* 24 characters, the last one '=' of padding. */
	crypto_b64_encode(bin, sizeof(bin), b64);
	for (i = 0; i < SRV_CURSOR_LEN; i++)
		if (b64[i] == '+')
			out[i] = '-';
		else if (b64[i] == '/')
			out[i] = '_';
		else
			out[i] = b64[i];
	out[SRV_CURSOR_LEN] = '\0';
}

json_t *
srv_cursor_encode(uint64_t at, uint64_t seq)
{
	char	s[SRV_CURSOR_LEN + 1];

	srv_cursor_text(at, seq, s);
	return json_string(s);
}
