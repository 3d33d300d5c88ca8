/*
 * fuzz_query.c: libFuzzer target for the query-string check
 * (srv_http_query_check), which refuses a request whose query has a
 * parameter the route does not know or one given twice. The query is
 * parsed by libmicrohttpd on a real connection (fz_mhd.h), as for every
 * request; the check then runs both ways a handler can call it: on the
 * connection (the API) and on name, value pairs (a page calling an API
 * handler). Both must give what the rule says, computed here on its own
 * from the parameters the connection holds.
 *
 * Input: the query, the bytes after '?' in the request line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "tests/fuzz/fz_mhd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The public list's parameters (publish.c). */
static const char *const allowed[] = { "q", "cursor", "limit", "category" };
#define NALLOWED	(sizeof(allowed) / sizeof(allowed[0]))
/* Parameters kept for the model; a longer query is cut by the daemon's
 * memory limit long before. */
#define FZ_PARAMS_MAX	4096
#define FZ_QUERY_MAX	8192

struct params {
	const char	*kv[2 * FZ_PARAMS_MAX + 2];
	size_t		 n;
	int		 cut;
};

static enum MHD_Result
collect(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct params *p = cls;

	(void)kind;
	if (p->n == FZ_PARAMS_MAX) {
		p->cut = 1;
		return MHD_NO;
	}
	p->kv[2 * p->n] = key;
	p->kv[2 * p->n + 1] = value != NULL ? value : "";
	p->n++;
	return MHD_YES;
}

static void
check(struct MHD_Connection *conn, const char *body, size_t len)
{
	static struct params	 p;
	struct srv_request	 rq;
	size_t			 i, j, k;
	int			 want = 0, got;

	(void)body;
	(void)len;
	memset(&p, 0, sizeof(p));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &p);
	if (p.cut)
		return;
	p.kv[2 * p.n] = NULL;
	for (i = 0; i < p.n && want == 0; i++) {
		for (k = 0; k < NALLOWED; k++)
			if (strcmp(p.kv[2 * i], allowed[k]) == 0)
				break;
		if (k == NALLOWED)
			want = -1;
		for (j = 0; j < i && want == 0; j++)
			if (strcmp(p.kv[2 * i], p.kv[2 * j]) == 0)
				want = -1;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/q";
	rq.conn = conn;
	if ((got = srv_http_query_check(&rq, allowed, NALLOWED)) != want)
		abort();
	rq.args = p.kv;
	if ((got = srv_http_query_check(&rq, allowed, NALLOWED)) != want)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	req[FZ_QUERY_MAX + 128];
	size_t		i;
	int		n;

	fzm_start(check);
	if (size > FZ_QUERY_MAX)
		return 0;
	/* Bytes a request target may hold (RFC 9112): the rest is the
	 * framing's business, which fuzz_routes covers. */
	for (i = 0; i < size; i++)
		if (data[i] <= 0x20 || data[i] >= 0x7f || data[i] == '#')
			return 0;
	n = snprintf(req, sizeof(req), "GET /q?%.*s HTTP/1.1\r\nHost: fuzz\r\n"
	    "Connection: close\r\n\r\n", (int)size, (const char *)data);
	if (n < 0 || (size_t)n >= sizeof(req))
		return 0;
	fzm_exchange(req, (size_t)n);
	if (fzm.calls != 1)
		abort();
	return 0;
}
