/*
 * fuzz_report.c: libFuzzer target for core_report_parse, which reads every
 * POST /reports body (flags 0) and every staff intake body
 * (CORE_REPORT_INTAKE). Whatever the bytes, the parser must not crash or
 * leak, must give a known result, and an accepted report must hold what
 * the contract promises: required fields present, limits kept, text valid.
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
check_text(const char *s, size_t min, size_t max)
{
	long	 n;

	if (s == NULL)
		abort();
	n = core_utf8_len(s, strlen(s));
	if (n < (long)min || n > (long)max || !core_text_ok(s, strlen(s)))
		abort();
}

static void
one(const uint8_t *data, size_t size, int flags)
{
	struct core_report	 r;
	struct core_errors	 e;
	char			*red;
	int			 rc;

	rc = core_report_parse((const char *)data, size, flags, &r, &e);
	switch (rc) {
	case CORE_OK:
		check_text(r.title, CORE_TITLE_MIN, CORE_TITLE_MAX);
		check_text(r.body, CORE_BODY_MIN, CORE_BODY_MAX);
		if (r.kind >= CORE_KIND_MAX || r.visibility >= CORE_VIS_MAX ||
		    r.channel >= CORE_CH_MAX ||
		    (r.identity != NULL && r.sealed_identity != NULL) ||
		    (r.agency != NULL && !core_id_ok(r.agency)) ||
		    (r.occurred_on != NULL &&
		    core_date_parse(r.occurred_on, NULL) != 0) ||
		    ((flags & CORE_REPORT_INTAKE) &&
		    r.channel == CORE_CH_WEB) ||
		    (!(flags & CORE_REPORT_INTAKE) && r.channel != CORE_CH_WEB))
			abort();
		/* What the server does next with the body. */
		if ((red = core_redact(r.body, strlen(r.body))) == NULL)
			abort();
		free(red);
		core_report_free(&r);
		break;
	case CORE_MALFORMED:
	case CORE_INVALID:
		if (e.message == NULL || r.root != NULL ||
		    (rc == CORE_INVALID && e.nfields == 0))
			abort();
		break;
	case CORE_NOMEM:
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, 0);
	one(data, size, CORE_REPORT_INTAKE);
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
