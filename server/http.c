/*
 * http.c: bisikd's HTTP front on libmicrohttpd 0.9.75.
 *
 * Everything that arrives from the network is bounded here before any
 * handler sees it: connections (SRV_CONN_LIMIT), per-connection memory
 * (SRV_CONN_MEMORY, which bounds header size), idle and trickle time
 * (SRV_CONN_TIMEOUT: libmicrohttpd has no timeout by default, PITFALLS.md),
 * body size (max_body_bytes, counted as the pieces arrive and refused with
 * 413 up front when Content-Length already says too much), content type
 * (415), method (405) and rate (429). The library's strict parsing mode is
 * on so that ambiguous requests (bare CR/LF, spaces in names) are refused
 * rather than interpreted.
 *
 * Routing is a fixed table; a handler receives the complete body and
 * returns a status and a JSON value, which is serialised here with the
 * security headers every answer carries. Nothing about the client (its
 * address, agent or any forwarding header) is logged or stored; the
 * per-address rate limit keeps a keyed hash of the address in memory only.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "server/server.h"

#define CSP	"default-src 'none'; frame-ancestors 'none'; " \
		"form-action 'self'; base-uri 'none'"

/* Slots of the in-memory per-address rate table; a collision only makes
 * two addresses share a budget. */
#define RATE_SLOTS	4096

/* A path pattern is literal segments and "{}" segments, each of which
 * matches 1..SRV_PARAM_MAX characters of [A-Za-z0-9_-] and is passed to
 * the handler in srv_request.param[] in order. */
struct route {
	const char	*method;
	const char	*path;
	srv_handler	 fn;
	int		 body;	/* SRV_BODY_NONE, _JSON */
	const char	*name;	/* for logs */
};

static const struct route routes[] = {
	{ "GET", "/api/v1/health", api_health, SRV_BODY_NONE, "health" },
	{ "GET", "/api/v1/agencies", api_agencies, SRV_BODY_NONE, "agencies" },
	{ "GET", "/api/v1/categories", api_categories, SRV_BODY_NONE,
	    "categories" },
	{ "GET", "/api/v1/challenge", api_challenge, SRV_BODY_NONE,
	    "challenge" },
	{ "GET", "/api/v1/keys", api_keys, SRV_BODY_NONE, "keys" },
	{ "POST", "/api/v1/reports", api_report_submit, SRV_BODY_JSON,
	    "reports" },
	{ "GET", "/api/v1/followup", api_followup_get, SRV_BODY_NONE,
	    "followup" },
	{ "POST", "/api/v1/followup/messages", api_followup_message,
	    SRV_BODY_JSON, "followup_messages" },
	{ "POST", "/api/v1/followup/rotate", api_followup_rotate,
	    SRV_BODY_NONE, "followup_rotate" },
#include "server/routes.inc"
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

struct srv_req {
	const struct route	*route;
	char			*body;
	size_t			 len, cap;
	int			 too_large;
	int			 early;		/* answered at first call */
	char			 param[SRV_PARAMS][SRV_PARAM_MAX + 1];
	unsigned		 status;
	struct timespec		 start;
};

struct rate {
	pthread_mutex_t	 mu;
	time_t		 minute;
	unsigned	 global;
	unsigned	 slot[RATE_SLOTS];
	uint8_t		 key[CRYPTO_KEY_BYTES];
};

static struct srv_ctx	*g_ctx;
static struct rate	 g_rate = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* ---- replies ------------------------------------------------------------ */

void
srv_ok(struct srv_reply *rp, unsigned status, json_t *body)
{
	if (body == NULL) {
		srv_error(rp, 503, "busy", "The server is busy; try again.");
		return;
	}
	rp->status = status;
	rp->body = body;
}

void
srv_error(struct srv_reply *rp, unsigned status, const char *code,
    const char *message)
{
	json_decref(rp->body);
	rp->status = status;
	rp->body = json_pack("{s:{s:s, s:s}}", "error", "code", code,
	    "message", message);
}

void
srv_error_core(struct srv_reply *rp, int err, const struct core_errors *e)
{
	const char	*msg = e->message;
	json_t		*fields;
	size_t		 i;

	if (err == CORE_MALFORMED) {
		srv_error(rp, 400, "malformed", msg != NULL ? msg :
		    "The request body is malformed.");
		return;
	}
	if (err != CORE_INVALID) {
		srv_error(rp, 503, "busy", "The server is busy; try again.");
		return;
	}
	srv_error(rp, 422, "invalid", msg != NULL ? msg :
	    "Some fields are not valid.");
	if (rp->body == NULL || (fields = json_object()) == NULL)
		return;
	for (i = 0; i < e->nfields && i < CORE_FIELDS_MAX; i++)
		json_object_set_new(fields, e->field[i],
		    json_string(e->reason[i]));
	json_object_set_new(json_object_get(rp->body, "error"), "fields",
	    fields);
}

void
srv_error_store(struct srv_reply *rp, int err)
{
	switch (err) {
	case STORE_FULL:
		srv_log(LOG_ERR, "store_full", "detail=disk_full");
		srv_error(rp, 507, "storage_full", "The server cannot store "
		    "anything right now; nothing was saved. Try again later.");
		break;
	case STORE_NOTFOUND:
		srv_error(rp, 404, "not_found", "Nothing is here.");
		break;
	default:
		srv_log(LOG_ERR, "store_error", "error=%s", store_strerror(err));
		srv_error(rp, 503, "unavailable", "The server could not do "
		    "this right now; try again.");
		break;
	}
}

static void
add_headers(struct MHD_Response *r, const char *ctype)
{
	MHD_add_response_header(r, "Content-Type", ctype);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy",
	    "same-origin");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (g_ctx != NULL && g_ctx->cfg->tls_cert != NULL)
		MHD_add_response_header(r, "Strict-Transport-Security",
		    "max-age=31536000");
}

/* Frees a jansson-made buffer after wiping it: bodies hold case text. */
static void
free_body(void *p)
{
	if (p != NULL) {
		crypto_wipe(p, strlen(p));
		core_json_free(p);
	}
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct srv_req *rq,
    struct srv_reply *rp)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	char			*text = NULL;

	if (rp->body != NULL)
		text = json_dumps(rp->body, JSON_COMPACT);
	json_decref(rp->body);
	rp->body = NULL;
	if (text == NULL) {
		static char fallback[] = "{\"error\":{\"code\":\"busy\","
		    "\"message\":\"The server is busy; try again.\"}}";
		rp->status = 503;
		r = MHD_create_response_from_buffer(strlen(fallback), fallback,
		    MHD_RESPMEM_PERSISTENT);
	} else
		r = MHD_create_response_from_buffer_with_free_callback(
		    strlen(text), text, free_body);
	if (r == NULL) {
		free_body(text);
		return MHD_NO;
	}
	add_headers(r, "application/json; charset=utf-8");
	if (rp->allow != NULL)
		MHD_add_response_header(r, "Allow", rp->allow);
	if (rp->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	ret = MHD_queue_response(conn, rp->status, r);
	MHD_destroy_response(r);
	if (rq != NULL)
		rq->status = rp->status;
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *conn, struct srv_req *rq, unsigned status,
    const char *code, const char *msg, const char *allow)
{
	struct srv_reply rp = { 0, NULL, allow };

	srv_error(&rp, status, code, msg);
	return send_reply(conn, rq, &rp);
}

/* ---- rate limits ---------------------------------------------------------- */

/*
 * Fixed one-minute windows. The per-address budget hashes the address with
 * a key made at start, so the table holds no address and cannot be turned
 * back into one; it lives only in memory. Behind a proxy or Tor every
 * client shares one address: leave per_address at 0 there.
 */
static int
rate_ok(struct MHD_Connection *conn, time_t now)
{
	const union MHD_ConnectionInfo	*ci;
	uint8_t				 h[CRYPTO_HASH_BYTES];
	size_t				 slot = 0;
	int				 ok = 1;
	const struct srv_config		*cfg = g_ctx->cfg;

	if (cfg->rate_global == 0 && cfg->rate_per_address == 0)
		return 1;
	if (cfg->rate_per_address > 0) {
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci != NULL && ci->client_addr != NULL) {
			const struct sockaddr *sa = ci->client_addr;

			if (sa->sa_family == AF_INET)
				crypto_keyed_hash(g_rate.key, &((const struct
				    sockaddr_in *)(const void *)sa)->sin_addr,
				    4, h);
			else if (sa->sa_family == AF_INET6)
				crypto_keyed_hash(g_rate.key, &((const struct
				    sockaddr_in6 *)(const void *)sa)->sin6_addr,
				    16, h);
			else
				memset(h, 0, sizeof(h));
			slot = (((size_t)h[0] << 8) | h[1]) % RATE_SLOTS;
		}
	}
	pthread_mutex_lock(&g_rate.mu);
	if (now / 60 != g_rate.minute) {
		g_rate.minute = now / 60;
		g_rate.global = 0;
		memset(g_rate.slot, 0, sizeof(g_rate.slot));
	}
	if (cfg->rate_global > 0 && g_rate.global >= cfg->rate_global)
		ok = 0;
	else if (cfg->rate_per_address > 0 &&
	    g_rate.slot[slot] >= cfg->rate_per_address)
		ok = 0;
	else {
		g_rate.global++;
		g_rate.slot[slot]++;
	}
	pthread_mutex_unlock(&g_rate.mu);
	return ok;
}

/* ---- request handling ------------------------------------------------------ */

static int
json_type_ok(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Matches path against a pattern, capturing "{}" segments. */
static int
match(const char *pat, const char *path, char param[][SRV_PARAM_MAX + 1])
{
	size_t	np = 0, n;

	for (;;) {
		if (*pat == '\0' || *path == '\0')
			return *pat == '\0' && *path == '\0';
		if (pat[0] == '{' && pat[1] == '}') {
			n = strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789_-");
			if (n == 0 || n > SRV_PARAM_MAX || np == SRV_PARAMS ||
			    (path[n] != '/' && path[n] != '\0'))
				return 0;
			memcpy(param[np], path, n);
			param[np++][n] = '\0';
			pat += 2;
			path += n;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
}

/* The route for method and path; *allow names the method a known path
 * takes when the method is wrong. */
static const struct route *
find_route(const char *method, const char *path, const char **allow,
    char param[][SRV_PARAM_MAX + 1])
{
	size_t i;

	*allow = NULL;
	for (i = 0; i < NROUTES; i++) {
		if (!match(routes[i].path, path, param))
			continue;
		if (strcmp(routes[i].method, method) == 0)
			return &routes[i];
		*allow = routes[i].method;
	}
	return NULL;
}

static int
has_body(struct MHD_Connection *conn)
{
	const char *cl, *te;

	te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	return te != NULL || (cl != NULL && strcmp(cl, "0") != 0);
}

static enum MHD_Result
first_call(struct MHD_Connection *conn, struct srv_req *rq,
    const char *method, const char *url)
{
	const char		*allow, *cl, *ct;
	const struct route	*r;

	r = find_route(method, url, &allow, rq->param);
	rq->route = r;
	if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/") != 0) {
		rq->early = 1;
		return send_error(conn, rq, 404, "not_found",
		    "Nothing is here.", NULL);
	}
	if (r == NULL && allow != NULL) {
		rq->early = 1;
		return send_error(conn, rq, 405, "method_not_allowed",
		    "This method is not allowed here.", allow);
	}
	if (r == NULL) {
		rq->early = 1;
		return send_error(conn, rq, 404, "not_found",
		    "Nothing is here.", NULL);
	}
	if (!rate_ok(conn, time(NULL))) {
		rq->early = 1;
		return send_error(conn, rq, 429, "rate_limited",
		    "Too many requests; wait a minute and try again.", NULL);
	}
	if (has_body(conn)) {
		ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!json_type_ok(ct)) {
			rq->early = 1;
			return send_error(conn, rq, 415, "unsupported_media_type",
			    "Send the body as application/json.", NULL);
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno != 0 || *end != '\0' ||
			    n > g_ctx->cfg->max_body_bytes) {
				rq->early = 1;
				return send_error(conn, rq, 413, "too_large",
				    "The request body is too large.", NULL);
			}
		}
	}
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct srv_req		*rq = *con_cls;
	struct srv_request	 r;
	struct srv_reply	 rp = { 0, NULL, NULL };

	(void)cls;
	(void)version;
	if (rq == NULL) {
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		*con_cls = rq;
		return first_call(conn, rq, method, url);
	}
	if (rq->early) {
		*upload_data_size = 0;	/* answered: drop the rest */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (rq->too_large)
			return MHD_YES;
		if (n > g_ctx->cfg->max_body_bytes - rq->len) {
			/* Chunked body past the cap: stop keeping it. */
			rq->too_large = 1;
			free(rq->body);
			rq->body = NULL;
			rq->len = rq->cap = 0;
			return MHD_YES;
		}
		if (rq->len + n + 1 > rq->cap) {
			size_t	 cap = rq->cap ? rq->cap : 4096;
			char	*p;

			while (cap < rq->len + n + 1)
				cap *= 2;
			if (cap > g_ctx->cfg->max_body_bytes + 1)
				cap = g_ctx->cfg->max_body_bytes + 1;
			if ((p = realloc(rq->body, cap)) == NULL)
				return MHD_NO;
			rq->body = p;
			rq->cap = cap;
		}
		memcpy(rq->body + rq->len, upload_data, n);
		rq->len += n;
		rq->body[rq->len] = '\0';
		return MHD_YES;
	}
	if (rq->too_large)
		return send_error(conn, rq, 413, "too_large",
		    "The request body is too large.", NULL);

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.path = url;
	r.body = rq->body != NULL ? rq->body : "";
	r.len = rq->len;
	r.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	r.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	r.conn = conn;
	r.param[0] = rq->param[0];
	r.param[1] = rq->param[1];
	r.now = time(NULL);
	rq->route->fn(g_ctx, &r, &rp);
	if (rp.status == 0)
		srv_error(&rp, 503, "busy", "The server is busy; try again.");
	return send_reply(conn, rq, &rp);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct srv_req	*rq = *con_cls;
	struct timespec	 end;
	double		 ms;

	(void)cls;
	(void)conn;
	if (rq == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - rq->start.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - rq->start.tv_nsec) / 1e6;
	srv_log(LOG_INFO, "http", "route=%s status=%u ms=%.2f%s",
	    rq->route != NULL ? rq->route->name : "none", rq->status, ms,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	if (rq->body != NULL) {
		crypto_wipe(rq->body, rq->cap);
		free(rq->body);
	}
	free(rq);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages can include client data: keep only the
 * fact that something happened, at debug level. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
	srv_log(LOG_DEBUG, "mhd", "detail=library_message");
}

int
srv_run(struct srv_ctx *ctx)
{
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	unsigned		 flags;
	sigset_t		 set;
	int			 sig;

	g_ctx = ctx;
	crypto_random(g_rate.key, sizeof(g_rate.key));
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, ctx->cfg->listen_addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)ctx->cfg->listen_port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, ctx->cfg->listen_addr,
	    &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)ctx->cfg->listen_port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else
		return -1;
	if (ctx->cfg->tls_cert != NULL)
		flags |= MHD_USE_TLS;

	/* Handle SIGTERM/SIGINT here, in this thread only: block them before
	 * the library starts its threads, which inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (ctx->cfg->tls_cert != NULL)
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
		    MHD_OPTION_SOCK_ADDR, sa,
		    MHD_OPTION_THREAD_POOL_SIZE, ctx->cfg->threads,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_CONN_TIMEOUT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
		    MHD_OPTION_STRICT_FOR_CLIENT, 1,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_HTTPS_MEM_CERT, ctx->cfg->tls_cert,
		    MHD_OPTION_HTTPS_MEM_KEY, ctx->cfg->tls_key,
		    MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
		    MHD_OPTION_SOCK_ADDR, sa,
		    MHD_OPTION_THREAD_POOL_SIZE, ctx->cfg->threads,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_CONN_TIMEOUT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
		    MHD_OPTION_STRICT_FOR_CLIENT, 1,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_END);
	if (d == NULL)
		return -1;
	srv_log(LOG_INFO, "listening", "addr=%s port=%u threads=%u pow=%u",
	    ctx->cfg->listen_addr, ctx->cfg->listen_port, ctx->cfg->threads,
	    ctx->cfg->pow_difficulty);
	sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	srv_log(LOG_INFO, "stopping", "signal=%d", sig);
	MHD_stop_daemon(d);
	return 0;
}
