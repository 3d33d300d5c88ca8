/*
 * fuzz_cursor.c: libFuzzer target for the paging cursor codec
 * (server/cursor.c), which reads the cursor= and before= query values of
 * the public list and the staff queues. A text that decodes must be the
 * one text of its position: encoding the position again gives the same
 * characters back. Every input's first 16 bytes are also taken as a
 * position, which must survive encode then decode unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, text[SRV_CURSOR_LEN + 1];
	uint64_t	 at = 0, seq = 0, at2 = 0, seq2 = 0;
	uint8_t		 pos[16];
	json_t		*j;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (srv_cursor_decode(s, &at, &seq) == 0) {
		srv_cursor_text(at, seq, text);
		if (strcmp(text, s) != 0)
			abort();
	}
	free(s);

	memset(pos, 0, sizeof(pos));
	memcpy(pos, data, size < sizeof(pos) ? size : sizeof(pos));
	memcpy(&at, pos, 8);
	memcpy(&seq, pos + 8, 8);
	if ((j = srv_cursor_encode(at, seq)) == NULL)
		return 0;
	if (strlen(json_string_value(j)) != SRV_CURSOR_LEN ||
	    srv_cursor_decode(json_string_value(j), &at2, &seq2) != 0 ||
	    at2 != at || seq2 != seq)
		abort();
	json_decref(j);
	return 0;
}
