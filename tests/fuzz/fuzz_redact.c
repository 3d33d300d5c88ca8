/*
 * fuzz_redact.c: libFuzzer target for the redaction filter (core_redact,
 * core_redact_find) and the central admin's review (core_redact_review):
 * every report's title, body and location, every reporter message and
 * every text attachment pass through the filter before agency staff see
 * them. Whatever the bytes:
 *
 *   - the output is valid UTF-8 without a NUL;
 *   - the filter is idempotent: redacting the output changes nothing;
 *   - every mask is whole code points of the (sanitised) input, in order,
 *     not overlapping, and the output is exactly the input with each mask
 *     replaced by its marker;
 *   - a review with a phrase cut from the input gives valid UTF-8 and
 *     keeps every automatic marker (or hides it in a manual one).
 *
 * Build with clang -fsanitize=fuzzer; with -DFUZZ_STANDALONE a small main
 * replays the files named on the command line instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as the filter reads it: NUL and invalid UTF-8 made U+FFFD. */
static char *
sanitised(const uint8_t *d, size_t n, size_t *len)
{
	char	*o = malloc(n * 3 + 1);
	size_t	 i = 0, k = 0, l;
	long	 ok;

	if (o == NULL)
		abort();
	while (i < n) {
		for (l = 4; l > 0; l--)
			if (i + l <= n && memchr(d + i, 0, l) == NULL &&
			    (ok = core_utf8_len((const char *)d + i, l)) == 1)
				break;
		if (l == 0) {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		} else {
			memcpy(o + k, d + i, l);
			k += l;
			i += l;
		}
	}
	o[k] = '\0';
	*len = k;
	return o;
}

/* Markers of the automatic filter in s. */
static size_t
count_markers(const char *s)
{
	size_t	n = 0, k;
	int	kind;

	for (; *s != '\0'; s++)
		for (kind = 0; kind < CORE_RK_MANUAL; kind++) {
			k = strlen(core_redact_marker(kind));
			if (strncmp(s, core_redact_marker(kind), k) == 0)
				n++;
		}
	return n;
}

static int
cp_edge(const char *s, size_t len, size_t pos)
{
	return pos == len || ((unsigned char)s[pos] & 0xc0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_redact_span	*sp = NULL;
	size_t			 nsp = 0, len, i, pos, o, ml, plen;
	char			*in, *r, *r2, *outs[1], *phrase;
	const char		*texts[1];
	json_t			*reds;

	if (size > 64 * 1024)
		return 0;
	if ((r = core_redact((const char *)data, size)) == NULL)
		abort();
	if (core_utf8_len(r, strlen(r)) < 0)
		abort();
	if ((r2 = core_redact(r, strlen(r))) == NULL || strcmp(r, r2) != 0)
		abort();	/* not idempotent */
	free(r2);

	in = sanitised(data, size, &len);
	if (core_redact_find(in, len, &sp, &nsp) == -1)
		abort();
	for (i = 0, pos = 0, o = 0; i < nsp; i++) {
		if (sp[i].start < pos || sp[i].end <= sp[i].start ||
		    sp[i].end > len || !cp_edge(in, len, sp[i].start) ||
		    !cp_edge(in, len, sp[i].end) ||
		    core_redact_marker(sp[i].kind) == NULL)
			abort();	/* a mask that splits a code point */
		if (memcmp(r + o, in + pos, sp[i].start - pos) != 0)
			abort();	/* text outside masks changed */
		o += sp[i].start - pos;
		ml = strlen(core_redact_marker(sp[i].kind));
		if (memcmp(r + o, core_redact_marker(sp[i].kind), ml) != 0)
			abort();
		o += ml;
		pos = sp[i].end;
	}
	if (strcmp(r + o, in + pos) != 0)
		abort();
	free(sp);

	/* A review with a phrase cut from the input: the automatic masks
	 * stay (nothing is undone without an unmask). */
	if (len > 2) {
		plen = (size_t)data[0] % 24 + 1;
		if (plen > len / 2)
			plen = len / 2;
		while (plen > 0 && !cp_edge(in, len, plen))
			plen--;
		if ((phrase = strndup(in, plen)) == NULL)
			abort();
		reds = json_pack("[{s:s}]", "phrase", phrase);
		texts[0] = in;
		if (reds != NULL && core_redact_review(texts, 1, reds, 0, outs,
		    NULL, NULL) == CORE_OK) {
			if (core_utf8_len(outs[0], strlen(outs[0])) < 0)
				abort();
			/* every automatic marker is still there, or inside
			 * a manual one */
			if (count_markers(outs[0]) > count_markers(r) ||
			    (count_markers(outs[0]) < count_markers(r) &&
			    strstr(outs[0], "[disamarkan]") == NULL))
				abort();
			free(outs[0]);
		}
		json_decref(reds);
		free(phrase);
	}
	free(in);
	free(r);
	return 0;
}

#ifdef FUZZ_STANDALONE
int
main(int argc, char *argv[])
{
	static uint8_t	 buf[1 << 20];
	FILE		*f;
	size_t		 n;
	int		 i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL)
			return 1;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
