/*
 * fuzz_form.c: libFuzzer target for the web form parser (page_form_parse,
 * server/pages_form.c), URL-encoded and multipart/form-data, with the
 * body handed over whole on a real libmicrohttpd connection as http.c
 * hands it to a page (fz_mhd.h).
 *
 * Input: the Content-Type value up to the first newline, then the body.
 * Caps are small (FZ_TEXT_MAX, FZ_FILE_MAX) so that both sides of each
 * are reached. A form that parses must keep what the header promises: at
 * most FORM_FIELDS_MAX fields with names of at most FORM_NAME_MAX bytes,
 * text values within the cap and without NUL, each file within its cap
 * and counted in f->files, every value NUL-terminated, and page_form_get
 * finding each text field. One that does not says why (bad or too large).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"
#include "tests/fuzz/fz_mhd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The page's cap on a text value and the configured file cap here. */
#define FZ_TEXT_MAX	64
#define FZ_FILE_MAX	512
/* A Content-Type value longer than this is not worth sending. */
#define FZ_CTYPE_MAX	256

static void
check(struct MHD_Connection *conn, const char *body, size_t len)
{
	struct srv_config		 cfg;
	struct srv_request		 rq;
	struct form			*f;
	const struct form_field		*ff;
	size_t				 i, files = 0;
	int				 rc;

	if ((f = malloc(sizeof(*f))) == NULL)
		abort();
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_attachment_bytes = FZ_FILE_MAX;
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = "/f";
	rq.body = body;
	rq.len = len;
	rq.conn = conn;
	rq.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	rc = page_form_parse(&rq, &cfg, FZ_TEXT_MAX, f);
	if (rc == -1 && !f->bad && !f->too_large)
		abort();
	if (rc == 0 && (f->bad || f->too_large))
		abort();
	if (f->n > FORM_FIELDS_MAX)
		abort();
	for (i = 0; rc == 0 && i < f->n; i++) {
		ff = &f->f[i];
		if (strlen(ff->name) > FORM_NAME_MAX)
			abort();
		if (ff->value != NULL && ff->value[ff->len] != '\0')
			abort();
		if (ff->value == NULL && ff->len != 0)
			abort();
		if (ff->file) {
			if (ff->len > FZ_FILE_MAX)
				abort();
			if (ff->len > 0) {
				files++;
				if (page_form_file(f, ff->name) == NULL)
					abort();
			}
			continue;
		}
		if (ff->len > FZ_TEXT_MAX || (ff->value != NULL &&
		    strlen(ff->value) != ff->len) ||
		    page_form_get(f, ff->name) == NULL)
			abort();
	}
	/* Several files may arrive (the resolve form takes up to
	 * SRV_RESOLVE_PHOTOS_MAX): the parser counts them and the page
	 * refuses more than one where it takes one (pages_common.c). */
	if (rc == 0 && f->files != files)
		abort();
	page_form_free(f);
	if (f->n != 0)
		abort();
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 req[FZ_CTYPE_MAX + FZM_BODY_MAX + 256];
	const uint8_t	*nl;
	size_t		 clen, blen, i;
	int		 n;

	fzm_start(check);
	if ((nl = memchr(data, '\n', size)) == NULL ||
	    (clen = (size_t)(nl - data)) > FZ_CTYPE_MAX)
		return 0;
	/* A header value of visible characters and spaces: anything else
	 * is the framing's business (fuzz_routes), not the form's. */
	for (i = 0; i < clen; i++)
		if (data[i] < 0x20 || data[i] > 0x7e)
			return 0;
	blen = size - clen - 1;
	if (blen > FZM_BODY_MAX)
		return 0;
	n = snprintf(req, sizeof(req), "POST /f HTTP/1.1\r\nHost: fuzz\r\n"
	    "Connection: close\r\nContent-Type: %.*s\r\n"
	    "Content-Length: %zu\r\n\r\n", (int)clen, (const char *)data,
	    blen);
	if (n < 0 || (size_t)n + blen > sizeof(req))
		return 0;
	memcpy(req + n, nl + 1, blen);
	fzm_exchange(req, (size_t)n + blen);
	/* A well-framed request: the form was looked at, once. */
	if (fzm.calls != 1)
		abort();
	return 0;
}
