/*
 * fuzz_json.c: libFuzzer target for the strict JSON intake
 * (core_json_parse), the small-body parser (core_fields_parse) and the
 * redaction filter (core_redact) run on the raw bytes.
 *
 * Beyond not crashing: an accepted document had no NUL byte, was valid
 * UTF-8 and nests no deeper than asked; the filter's output is valid UTF-8
 * without NUL, and running the filter on it again changes nothing. The
 * in-place reader of stored records (core_jv_object) accepts nothing
 * jansson refuses, and each member it finds, written back by core_jw_value,
 * is JSON that jansson reads.
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

static const struct core_field_spec specs[] = {
	{ "body", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX, 1 },
	{ "comment", 0, 20, 0 },
};

/* Members core_jv_object looks for: names short enough that the fuzzer
 * finds them. */
static const char *const jv_keys[] = { "a", "b", "ref", "" };
#define JV_KEYS	(sizeof(jv_keys) / sizeof(jv_keys[0]))

static void
check_jview(const char *s, size_t size)
{
	struct core_jv	 v[JV_KEYS];
	struct core_jw	 w;
	json_t		*j;
	char		*out;
	size_t		 i, n;

	if (core_jv_object(s, size, jv_keys, JV_KEYS, v) == -1)
		return;
	if ((j = json_loadb(s, size, 0, NULL)) == NULL || !json_is_object(j))
		abort();
	json_decref(j);
	for (i = 0; i < JV_KEYS; i++) {
		core_jw_init(&w, 2 * size + 16);
		core_jw_value(&w, &v[i]);
		if (core_jw_finish(&w, &out, &n) == -1)
			abort();
		if ((j = json_loadb(out, n, JSON_DECODE_ANY, NULL)) == NULL)
			abort();
		json_decref(j);
		free(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct core_errors	 e;
	const char		*values[2];
	json_t			*v = NULL;
	char			*r, *r2;
	int			 rc;

	check_jview(s, size);
	rc = core_json_parse(s, size, 4, &v, &e);
	if (rc == CORE_OK) {
		if (v == NULL || memchr(s, '\0', size) != NULL ||
		    core_utf8_len(s, size) < 0)
			abort();
		json_decref(v);
	} else if (v != NULL || e.message == NULL)
		abort();

	rc = core_fields_parse(s, size, specs, 2, &v, values, &e);
	if (rc == CORE_OK) {
		if (v == NULL || values[0] == NULL ||
		    !core_text_ok(values[0], strlen(values[0])))
			abort();
		json_decref(v);
	} else if (v != NULL || values[0] != NULL || e.message == NULL)
		abort();

	if ((r = core_redact(s, size)) == NULL)
		abort();
	if (core_utf8_len(r, strlen(r)) < 0)
		abort();
	if ((r2 = core_redact(r, strlen(r))) == NULL)
		abort();
	if (strcmp(r, r2) != 0)
		abort();
	free(r2);
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
