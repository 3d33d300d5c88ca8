/*
 * server_cursor_test.c: the paging cursor codec (server/cursor.c) that
 * the public list and the staff queues share.
 *
 * Positions at the ends of the range come back as they went in; the
 * text is exactly SRV_CURSOR_LEN characters of base64url, and one
 * character fewer or more is refused; so are a padding character, the
 * standard alphabet's '+' and '/', leftover bits that would give one
 * position a second text, and a version byte other than the one written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static int
round_trip(uint64_t at, uint64_t seq)
{
	char		 s[SRV_CURSOR_LEN + 1];
	json_t		*j;
	uint64_t	 a = 0, b = 0;
	int		 ok;

	srv_cursor_text(at, seq, s);
	if (strlen(s) != SRV_CURSOR_LEN ||
	    srv_cursor_decode(s, &a, &b) != 0 || a != at || b != seq)
		return 0;
	if ((j = srv_cursor_encode(at, seq)) == NULL)
		return 0;
	ok = strcmp(json_string_value(j), s) == 0;
	json_decref(j);
	return ok;
}

int
main(void)
{
	char		 s[SRV_CURSOR_LEN + 2], t[SRV_CURSOR_LEN + 1];
	uint64_t	 a = 7, b = 9;

	if (sodium_init() < 0)
		return 1;
	CHECK(round_trip(0, 0), "0, 0 round trip");
	CHECK(round_trip(UINT64_MAX, UINT64_MAX), "max, max round trip");
	CHECK(round_trip(1765000000, 42), "a time and a case round trip");
	CHECK(round_trip(UINT64_MAX, 0) && round_trip(0, UINT64_MAX),
	    "each field kept apart");

	/* The exact text of a known position: version 1, time 1, case 2. */
	srv_cursor_text(1, 2, t);
	CHECK(strcmp(t, "AQAAAAAAAAABAAAAAAAAAAI") == 0, "known text");

	/* Length: at SRV_CURSOR_LEN decodes, one fewer and one more do not. */
	memcpy(s, t, sizeof(t));
	CHECK(srv_cursor_decode(s, &a, &b) == 0 && a == 1 && b == 2,
	    "SRV_CURSOR_LEN characters decode");
	s[SRV_CURSOR_LEN - 1] = '\0';
	a = 7, b = 9;
	CHECK(srv_cursor_decode(s, &a, &b) == -1 && a == 7 && b == 9,
	    "one character short refused, outputs untouched");
	memcpy(s, t, sizeof(t));
	s[SRV_CURSOR_LEN] = 'A';
	s[SRV_CURSOR_LEN + 1] = '\0';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "one character over refused");
	CHECK(srv_cursor_decode("", &a, &b) == -1, "empty refused");

	/* Alphabet: '=', '+', '/', a space and a byte past ASCII. */
	memcpy(s, t, sizeof(t));
	s[SRV_CURSOR_LEN - 1] = '=';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "padding refused");
	s[SRV_CURSOR_LEN - 1] = '+';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "'+' refused");
	s[SRV_CURSOR_LEN - 1] = '/';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "'/' refused");
	s[0] = ' ';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "space refused");
	s[0] = (char)0xc3;
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "non-ASCII refused");

	/* Leftover bits: the last character carries 4 bits of data and 2
	 * that must be zero; "J" (0b001001) is "I" with one of them set. */
	memcpy(s, t, sizeof(t));
	s[SRV_CURSOR_LEN - 1] = 'J';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "leftover bits refused");

	/* Version: the same position under version 2 ("Ag..."). */
	memcpy(s, t, sizeof(t));
	s[0] = 'A';
	s[1] = 'g';
	CHECK(srv_cursor_decode(s, &a, &b) == -1, "unknown version refused");
	return tap_done();
}
