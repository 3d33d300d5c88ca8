/*
 * fuzz_minhash.c: libFuzzer target for the text side of duplicate
 * detection (core_text_normalize, core_minhash_chars/_words: every report's
 * title and body pass through them at submission) and for the period
 * syntax of GET /stats and GET /reports/periodic (core_period_parse).
 * Whatever the bytes: no crash, no leak; a normalised text is valid UTF-8
 * without a NUL, with single spaces and none at either end; a text with a
 * word has a signature (similarity 1 with itself); a period that parses
 * is an ordered pair of months within the allowed years.
 *
 * Build with clang -fsanitize=fuzzer; with -DFUZZ_STANDALONE a small main
 * replays the files named on the command line instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_norm(const char *n)
{
	size_t len = strlen(n);

	if (core_utf8_len(n, len) < 0 || (len > 0 && (n[0] == ' ' ||
	    n[len - 1] == ' ')) || strstr(n, "  ") != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	 a[CORE_MINHASH_K], b[CORE_MINHASH_K];
	uint64_t	 bands[CORE_LSH_BANDS];
	char		*n, per[32];
	int32_t		 first, last;

	if (size > 64 * 1024)
		return 0;
	if ((n = core_text_normalize((const char *)data, size)) != NULL) {
		check_norm(n);
		if (core_minhash_chars(n, CORE_SHINGLE_CHARS, a) == 0) {
			if (core_minhash_similarity(a, a) != 1.0)
				abort();
			core_lsh_bands(a, bands);
			(void)core_minhash(n, strlen(n), b);
		}
		(void)core_minhash_words(n, 2, b);
		free(n);
	}
	if (size < sizeof(per)) {
		memcpy(per, data, size);
		per[size] = '\0';
		if (core_period_parse(per, &first, &last) == 0 &&
		    (first > last || first < CORE_PERIOD_YEAR_MIN * 12 ||
		    last > CORE_PERIOD_YEAR_MAX * 12 + 11 ||
		    core_month_start(first) == (time_t)-1))
			abort();
	}
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
