/*
 * http.c: bisikd's HTTP front on libmicrohttpd 0.9.75.
 *
 * Everything that arrives from the network is bounded here before any
 * handler sees it: connections (SRV_CONN_LIMIT), per-connection memory
 * (SRV_CONN_MEMORY, which bounds header size), idle and trickle time
 * (SRV_CONN_TIMEOUT: libmicrohttpd has no timeout by default; docs/design.md,
 * "Library facts we rely on"),
 * body size (max_body_bytes, counted as the pieces arrive and refused with
 * 413 up front when Content-Length already says too much), content type
 * (415), method (405) and rate (429). The library's strict parsing mode is
 * on so that ambiguous requests (bare CR/LF, spaces in names) are refused
 * rather than interpreted.
 *
 * Routing is a fixed table, handed in by the caller (routes.c: this file
 * names no handler or page); a handler receives the complete body and
 * returns a status and a JSON value (or, for downloads, bytes), which is
 * serialised here with the security headers every answer carries. A
 * handler that waits for another thread (a submission for its group
 * commit) may park its connection instead (srv_http_later_begin): the thread
 * serves its other connections meanwhile, so the number of threads does
 * not bound how many submissions share one commit, and a connection does
 * not wait behind another's commit on the same thread.
 *
 * Attachment routes (SRV_BODY_MULTIPART) take multipart/form-data, parsed
 * as it streams in by libmicrohttpd's post processor: exactly one part,
 * a file named "file"; its bytes are kept up to max_attachment_bytes
 * (counted here, 413 beyond) and the whole body up to that plus
 * SRV_MULTIPART_SLACK. At most SRV_ATTACH_INFLIGHT uploads are held at
 * once. The client's file name becomes a display name only.
 *
 * Nothing about the client (its address, agent or any forwarding header)
 * is logged or stored; the per-address rate limit keeps a keyed hash of
 * the address in memory only.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server/http.h"
#include "server/guard.h"
#include "server/media.h"

#define CSP	"default-src 'none'; frame-ancestors 'none'; " \
		"form-action 'self'; base-uri 'none'"
/* Web pages: their one style sheet, the proof-of-work script and images
 * from this origin only; no inline style or script anywhere. */
#define CSP_PAGE "default-src 'none'; style-src 'self'; script-src 'self'; " \
		"img-src 'self'; form-action 'self'; frame-ancestors 'none'; " \
		"base-uri 'none'"

/* The one 404 sentence, for the API and the router alike. */
#define SRV_NOT_FOUND_TEXT	"Nothing is here."

/* Slots of the in-memory per-address rate table; a collision only makes
 * two addresses share a budget. */
#define RATE_SLOTS	4096

/* Entries of http_start's option array at most (with its end). */
#define HTTP_OPTIONS_MAX	16

/*
 * The TLS of bisikd's own listener (tls_cert, tls_key), as GnuTLS
 * priorities: TLS 1.3 and 1.2 only; AEAD ciphers only (AES-GCM,
 * ChaCha20-Poly1305: no CBC, so no padding oracle such as Lucky13); key
 * exchange by ephemeral elliptic-curve Diffie-Hellman only (forward
 * secrecy: no static RSA key exchange, no finite-field DHE); no SHA-1
 * signatures. `gnutls-cli --priority '...' -l` lists what it allows;
 * tests/e2e/e2e_tls.sh checks that older versions, CBC suites and RSA key
 * exchange are refused. contrib/nginx.conf holds the same policy.
 */
#define SRV_TLS_PRIORITIES						\
	"NONE:+VERS-TLS1.3:+VERS-TLS1.2:"				\
	"+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:"		\
	"+ECDHE-ECDSA:+ECDHE-RSA:"					\
	"+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"		\
	"+SIGN-ALL:-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1:+COMP-NULL:+CTYPE-X509"


/* A parked connection's answer to come (srv_http_later_begin). */
struct srv_later {
	struct MHD_Connection	*conn;
	srv_answer_fn		 answer;
	void			(*drop)(void *);
	void			*state;		/* NULL: none */
	atomic_int		 ready;
};

struct srv_req {
	const struct srv_route	*route;
	struct srv_later	 later;
	/* The request handed to the route's handler: a copy (a page calling
	 * an API handler) cannot park the connection. */
	const struct srv_request *handed;
	char			*body;
	size_t			 len, cap;
	int			 too_large;
	int			 early;		/* answered at first call */
	int			 close;		/* answer with Connection: close */
	int			 parked;	/* counted in g_unanswered */
	int			 page;		/* not under /api/: HTML answers */
	size_t			 body_max;	/* SRV_BODY_FORM: its cap */
	char			 param[SRV_PARAMS][SRV_PARAM_MAX + 1];
	unsigned		 status;
	struct timespec		 start;
	/* SRV_BODY_MULTIPART */
	struct MHD_PostProcessor *pp;
	uint8_t			*file;
	size_t			 flen, fcap;
	size_t			 total;		/* body bytes seen */
	uint64_t		 part_len;	/* bytes of the current part */
	int			 parts;		/* parts seen */
	int			 last_empty;	/* last call: (off 0, size 0) */
	int			 bad;		/* 400: not one "file" part */
	unsigned		 counted;	/* g_uploads slots held */
	char			 fname[SRV_ATTACH_NAME_BYTES];
};

struct rate {
	pthread_mutex_t	 mu;
	time_t		 minute;
	unsigned	 global;
	unsigned	 slot[RATE_SLOTS];
	uint8_t		 key[CRYPTO_KEY_BYTES];
};

static struct srv_ctx	*g_ctx;
static const struct srv_router *g_router;	/* routes.c hands it in */
static struct rate	 g_rate = { .mu = PTHREAD_MUTEX_INITIALIZER };
static atomic_uint	 g_uploads;	/* multipart bodies being held */
/* Parking (srv_http_later_begin): on only for srv_http_listen's daemon, which
 * allows suspending, once it serves (srv_http_ready); off again while it
 * stops (srv_http_stop). g_parked counts connections
 * suspended and not yet resumed: the daemon may stop only at zero.
 * g_unanswered counts parked requests not yet completed (their answer
 * sent, or the connection gone): a stop waits for them too, a bounded
 * time, or the daemon would close a connection woken with its answer
 * (a committed report's token, a login) before it is sent. */
static atomic_int	 g_park_on;
static atomic_int	 g_parked;
static atomic_int	 g_unanswered;

/* ---- replies ------------------------------------------------------------ */

void
srv_http_ok(struct srv_reply *rp, unsigned status, json_t *body)
{
	if (body == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	rp->status = status;
	rp->body = body;
}

void
srv_http_ok_bytes(struct srv_reply *rp, uint8_t *bytes, size_t len,
    const char *type, const char *name)
{
	json_decref(rp->body);
	rp->body = NULL;
	rp->status = 200;
	rp->raw = bytes;
	rp->raw_len = len;
	rp->raw_type = type;
	snprintf(rp->raw_name, sizeof(rp->raw_name), "%s", name);
}

void
srv_http_reply_json(struct srv_reply *rp)
{
	json_t	*v;

	if (rp->raw == NULL || rp->raw_name[0] != '\0' || rp->raw_type ==
	    NULL || strcmp(rp->raw_type, SRV_JSON_TYPE) != 0)
		return;
	v = json_loadb((const char *)rp->raw, rp->raw_len,
	    JSON_REJECT_DUPLICATES, NULL);
	crypto_wipe(rp->raw, rp->raw_len);
	free(rp->raw);
	rp->raw = NULL;
	rp->raw_len = 0;
	rp->raw_type = NULL;
	if (v == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	json_decref(rp->body);
	rp->body = v;
}

const char *
srv_http_query(const struct srv_request *r, const char *name)
{
	const char *const *a;

	if (r->args != NULL) {
		for (a = r->args; a[0] != NULL; a += 2)
			if (strcmp(a[0], name) == 0)
				return a[1];
		return NULL;
	}
	if (r->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

void
srv_http_error(struct srv_reply *rp, unsigned status, const char *code,
    const char *message)
{
	json_decref(rp->body);
	rp->status = status;
	rp->body = json_pack("{s:{s:s, s:s}}", "error", "code", code,
	    "message", message);
}

void
srv_http_not_found(struct srv_reply *rp)
{
	srv_http_error(rp, 404, "not_found", SRV_NOT_FOUND_TEXT);
}

void
srv_http_token_refused(struct srv_reply *rp)
{
	srv_http_error(rp, 401, "unauthorized",
	    "The token is missing, malformed "
	    "or not valid.");
}

void
srv_http_error_core(struct srv_reply *rp, int err, const struct core_errors *e)
{
	const char	*msg = e->message;
	json_t		*fields;
	size_t		 i;

	if (err == CORE_MALFORMED) {
		srv_http_error(rp, 400, "malformed", msg != NULL ? msg :
		    "The request body is malformed.");
		return;
	}
	if (err != CORE_INVALID) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	srv_http_error(rp, 422, "invalid", msg != NULL ? msg :
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
srv_http_invalid(struct srv_reply *rp, const char *field, const char *why,
    const char *message)
{
	struct core_errors errs;

	memset(&errs, 0, sizeof(errs));
	errs.message = message;
	core_errors_add(&errs, field, why);
	srv_http_error_core(rp, CORE_INVALID, &errs);
}

int
srv_http_body_object(const struct srv_request *rq, int depth,
    const char *not_object, json_t **out, struct srv_reply *rp)
{
	struct core_errors	 errs;
	json_t			*o = NULL;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	if ((rc = core_json_parse(rq->body, rq->len, depth, &o, &errs)) !=
	    CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		return -1;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		srv_http_error(rp, 400, "malformed", not_object);
		return -1;
	}
	*out = o;
	return 0;
}

void
srv_http_error_store(struct srv_reply *rp, int err)
{
	switch (err) {
	case STORE_FULL:
		srv_log(LOG_ERR, "store_full", "detail=disk_full");
		srv_http_error(rp, 507, "storage_full",
		    "The server cannot store "
		    "anything right now; nothing was saved. Try again later.");
		break;
	case STORE_NOTFOUND:
		srv_http_not_found(rp);
		break;
	default:
		srv_log(LOG_ERR, "store_error", "error=%s", store_strerror(err));
		srv_http_error(rp, 503, "unavailable",
		    "The server could not do "
		    "this right now; try again.");
		break;
	}
}

static void
add_headers(struct MHD_Response *r, const char *ctype,
    const struct srv_reply *rp)
{
	MHD_add_response_header(r, "Content-Type", ctype);
	MHD_add_response_header(r, "Content-Security-Policy",
	    rp != NULL && rp->page ? CSP_PAGE : CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy",
	    "same-origin");
	MHD_add_response_header(r, "Cache-Control",
	    rp != NULL && rp->cache != NULL ? rp->cache : "no-store");
	if (g_ctx != NULL && g_ctx->cfg->tls_cert != NULL)
		MHD_add_response_header(r, "Strict-Transport-Security",
		    "max-age=31536000");
	if (rp != NULL && rp->cookie[0] != '\0')
		MHD_add_response_header(r, "Set-Cookie", rp->cookie);
	if (rp != NULL && rp->location[0] != '\0')
		MHD_add_response_header(r, "Location", rp->location);
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

/* Downloads: bytes of case files, wiped once sent. */
struct raw_body {
	uint8_t	*p;
	size_t	 len;
};

static void
free_raw(void *cls)
{
	struct raw_body *b = cls;

	crypto_wipe(b->p, b->len);
	free(b->p);
	free(b);
}

/*
 * Content-Disposition for a UTF-8 name: a plain ASCII fallback with every
 * other byte, quote and backslash as "_", and the exact name in RFC 8187
 * form for clients that read it. The name never reaches a file system.
 */
static void
disposition(const char *name, char *out, size_t outlen)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	size_t			 o;

	o = (size_t)snprintf(out, outlen, "attachment; filename=\"");
	for (p = (const unsigned char *)name; *p != '\0' && o + 2 < outlen; p++)
		out[o++] = *p < 0x20 || *p >= 0x7f || *p == '"' ||
		    *p == '\\' ? '_' : (char)*p;
	o += (size_t)snprintf(out + o, outlen - o, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p != '\0' && o + 4 < outlen; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p) != NULL)
			out[o++] = (char)*p;
		else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 0xf];
		}
	}
	out[o] = '\0';
}

static enum MHD_Result
send_raw(struct MHD_Connection *conn, struct srv_req *rq,
    struct srv_reply *rp)
{
	struct MHD_Response	*r;
	struct raw_body		*b;
	enum MHD_Result		 ret;
	char			 cd[SRV_DOWNLOAD_NAME_BYTES * 4 + 64];

	if ((b = malloc(sizeof(*b))) == NULL) {
		crypto_wipe(rp->raw, rp->raw_len);
		free(rp->raw);
		rp->raw = NULL;
		return MHD_NO;
	}
	b->p = rp->raw;
	b->len = rp->raw_len;
	rp->raw = NULL;
	r = MHD_create_response_from_buffer_with_free_callback_cls(b->len,
	    b->p, free_raw, b);
	if (r == NULL) {
		free_raw(b);
		return MHD_NO;
	}
	add_headers(r, rp->raw_type, rp);
	if (rp->raw_name[0] != '\0') {
		disposition(rp->raw_name, cd, sizeof(cd));
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
		    cd);
	}
	if (rq != NULL && rq->close)
		MHD_add_response_header(r, "Connection", "close");
	if (rp->allow != NULL)
		MHD_add_response_header(r, "Allow", rp->allow);
	ret = MHD_queue_response(conn, rp->status, r);
	MHD_destroy_response(r);
	if (rq != NULL)
		rq->status = rp->status;
	return ret;
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct srv_req *rq,
    struct srv_reply *rp)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	char			*text = NULL;

	if (rp->raw != NULL) {
		json_decref(rp->body);
		rp->body = NULL;
		return send_raw(conn, rq, rp);
	}
	if (rp->body != NULL)
		text = json_dumps(rp->body, JSON_COMPACT);
	json_decref(rp->body);
	rp->body = NULL;
	if (text == NULL && rp->status == 204)	/* logout, revoke: no body */
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	else if (text == NULL) {
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
	add_headers(r, SRV_JSON_TYPE, rp);
	if (rp->allow != NULL)
		MHD_add_response_header(r, "Allow", rp->allow);
	if (rp->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	if (rq != NULL && rq->close)
		MHD_add_response_header(r, "Connection", "close");
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
	struct srv_reply rp = { .allow = allow };

	if (rq != NULL && rq->page) {
		/* A page path: the same refusal as an HTML page. */
		g_router->page_error(&rp, status,
		    MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
		if (rp.raw != NULL)
			return send_reply(conn, rq, &rp);
	}
	srv_http_error(&rp, status, code, msg);
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
static const struct srv_route *
find_route(const char *method, const char *path, const char **allow,
    char param[][SRV_PARAM_MAX + 1])
{
	const struct srv_route	*rt = g_router->routes;
	size_t			 i;

	*allow = NULL;
	for (i = 0; i < g_router->n; i++) {
		if (!match(rt[i].path, path, param))
			continue;
		if (strcmp(rt[i].method, method) == 0)
			return &rt[i];
		*allow = rt[i].method;
	}
	return NULL;
}

static int
length_given(struct MHD_Connection *conn)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL ||
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH) != NULL;
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

/* ---- multipart (attachments) -------------------------------------------- */

/*
 * "multipart/form-data; boundary=B" and nothing else: libmicrohttpd takes
 * everything after "boundary=" as the boundary, so a parameter after it
 * would become part of it. B is 1 to 70 characters of RFC 2046's set,
 * optionally quoted; that also keeps NUL and control bytes out of the
 * parser (the NUL-in-boundary bug, CVE-2023-27371).
 */
static int
multipart_type_ok(const char *ct)
{
	static const char	 bchars[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ";
	size_t			 n = strlen("multipart/form-data"), blen;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", n) != 0)
		return 0;
	ct += n;
	ct += strspn(ct, " ");
	if (*ct++ != ';')
		return 0;
	ct += strspn(ct, " ");
	if (strncasecmp(ct, "boundary=", 9) != 0)
		return 0;
	ct += 9;
	blen = strlen(ct);
	if (blen >= 2 && ct[0] == '"' && ct[blen - 1] == '"') {
		ct++;
		blen -= 2;
	}
	return blen >= 1 && blen <= 70 && strspn(ct, bchars) == blen &&
	    ct[blen - 1] != ' ';
}

static void
drop_file(struct srv_req *rq)
{
	if (rq->file != NULL) {
		crypto_wipe(rq->file, rq->fcap);
		free(rq->file);
	}
	rq->file = NULL;
	rq->flen = rq->fcap = 0;
}

/*
 * The post processor's iterator. It is called several times per part with
 * a growing offset, and a part may begin with an empty call at offset 0
 * followed by its first bytes, again at offset 0. So a call at offset 0
 * starts a new part unless it follows such an empty start. (An empty part
 * followed by a part with data therefore counts as one part: the empty
 * file would be refused anyway.)
 */
static enum MHD_Result
on_part(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct srv_req	*rq = cls;
	size_t		 max = g_ctx->cfg->max_attachment_bytes, cap, keep;
	uint8_t		*p;

	(void)kind;
	(void)ctype;
	if (key == NULL || strcmp(key, "file") != 0 || filename == NULL ||
	    (enc != NULL && strcasecmp(enc, "binary") != 0 &&
	    strcasecmp(enc, "8bit") != 0 && strcasecmp(enc, "7bit") != 0)) {
		rq->bad = 1;	/* another field, or base64 and the like */
		return MHD_NO;
	}
	if (off == 0 && !(rq->last_empty && size > 0)) {
		if (++rq->parts > 1) {
			rq->bad = 1;
			return MHD_NO;
		}
		rq->part_len = 0;
		srv_attach_name_clean(filename, rq->fname);
	} else if (off != rq->part_len) {
		rq->bad = 1;
		return MHD_NO;
	}
	rq->last_empty = off == 0 && size == 0;
	rq->part_len += size;
	if (rq->too_large || size == 0)
		return MHD_YES;
	if (size > max - rq->flen) {
		rq->too_large = 1;	/* stop keeping bytes; 413 at the end */
		drop_file(rq);
		return MHD_YES;
	}
	if (rq->flen + size > rq->fcap) {
		cap = rq->fcap != 0 ? rq->fcap : 64 * 1024;
		while (cap < rq->flen + size)
			cap *= 2;
		if (cap > max)
			cap = max;
		/* Grown by copying so that no old buffer is left unwiped. */
		if ((p = malloc(cap)) == NULL) {
			rq->bad = 1;
			return MHD_NO;
		}
		if ((keep = rq->flen) > 0)
			memcpy(p, rq->file, keep);
		drop_file(rq);
		rq->file = p;
		rq->flen = keep;
		rq->fcap = cap;
	}
	memcpy(rq->file + rq->flen, data, size);
	rq->flen += size;
	return MHD_YES;
}

/* First call of an attachment route: type, announced size, the bound on
 * uploads held at once, then the post processor. */
static enum MHD_Result
multipart_start(struct MHD_Connection *conn, struct srv_req *rq)
{
	const char		*ct, *cl;
	char			*end;
	unsigned long long	 n;

	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->early = 1;
	if (!multipart_type_ok(ct))
		return send_error(conn, rq, 415, "unsupported_media_type",
		    "Send the file as multipart/form-data with a boundary.",
		    NULL);
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' ||
		    n > g_ctx->cfg->max_attachment_bytes + SRV_MULTIPART_SLACK)
			return send_error(conn, rq, 413, "too_large",
			    "The file is too large.", NULL);
	}
	if (atomic_fetch_add(&g_uploads, 1) >= SRV_ATTACH_INFLIGHT) {
		atomic_fetch_sub(&g_uploads, 1);
		return send_error(conn, rq, 503, "busy",
		    "The server is busy; try again.", NULL);
	}
	rq->counted = 1;
	rq->pp = MHD_create_post_processor(conn, SRV_MULTIPART_BUFFER,
	    on_part, rq);
	if (rq->pp == NULL)
		return send_error(conn, rq, 415, "unsupported_media_type",
		    "Send the file as multipart/form-data with a boundary.",
		    NULL);
	rq->early = 0;
	return MHD_YES;
}

/* A piece of a multipart body: counted against the cap, then parsed. */
static enum MHD_Result
multipart_feed(struct srv_req *rq, const char *data, size_t n)
{
	size_t cap = g_ctx->cfg->max_attachment_bytes + SRV_MULTIPART_SLACK;

	if (rq->too_large || rq->bad)
		return MHD_YES;		/* answered at the end; drop the rest */
	if (n > cap - rq->total) {
		rq->too_large = 1;
		drop_file(rq);
		return MHD_YES;
	}
	rq->total += n;
	if (MHD_post_process(rq->pp, data, n) == MHD_NO && !rq->too_large)
		rq->bad = 1;
	if (rq->bad)
		drop_file(rq);
	return MHD_YES;
}

/* End of a multipart body: -1 unless it was complete and held exactly
 * one file part (or was too large, which the caller answers). */
static int
multipart_end(struct srv_req *rq)
{
	if (rq->pp != NULL) {
		if (MHD_destroy_post_processor(rq->pp) == MHD_NO)
			rq->bad = 1;	/* cut short: no closing boundary */
		rq->pp = NULL;
	}
	if (rq->too_large)
		return 0;
	return rq->bad || rq->parts != 1 ? -1 : 0;
}

/*
 * First call of a web form (SRV_BODY_FORM): URL-encoded fields, or
 * multipart/form-data when the form carries a file. The body is kept
 * whole for the page, which parses it (pages_form.c): up to
 * max_body_bytes, plus max_attachment_bytes and SRV_MULTIPART_SLACK for a
 * multipart one, which also counts against SRV_ATTACH_INFLIGHT. A form
 * of several files (SRV_BODY_FORM_PHOTOS) may hold max_attachment_bytes
 * for each and takes a slot for each.
 */
static enum MHD_Result
form_start(struct MHD_Connection *conn, struct srv_req *rq)
{
	static const char	 urlenc[] = "application/x-www-form-urlencoded";
	const char		*ct, *cl;
	char			*end;
	unsigned long long	 n;
	size_t			 ul = strlen(urlenc);
	unsigned		 files = rq->route->body == SRV_BODY_FORM_PHOTOS ?
				    SRV_RESOLVE_PHOTOS_MAX : 1;

	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->early = 1;
	if (ct != NULL && strncasecmp(ct, urlenc, ul) == 0 &&
	    (ct[ul] == '\0' || ct[ul] == ';' || ct[ul] == ' '))
		rq->body_max = g_ctx->cfg->max_body_bytes;
	else if (multipart_type_ok(ct)) {
		rq->body_max = g_ctx->cfg->max_body_bytes +
		    files * g_ctx->cfg->max_attachment_bytes +
		    SRV_MULTIPART_SLACK;
		if (atomic_fetch_add(&g_uploads, files) + files >
		    SRV_ATTACH_INFLIGHT) {
			atomic_fetch_sub(&g_uploads, files);
			return send_error(conn, rq, 503, "busy",
			    "The server is busy; try again.", NULL);
		}
		rq->counted = files;
	} else
		return send_error(conn, rq, 415, "unsupported_media_type",
		    "Send the form as a web browser does.", NULL);
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' || n > rq->body_max)
			return send_error(conn, rq, 413, "too_large",
			    "The request body is too large.", NULL);
	}
	rq->early = 0;
	return MHD_YES;
}

/*
 * Message framing, checked before anything else (request smuggling;
 * docs/design.md, "Library facts we rely on"): libmicrohttpd 0.9.75 takes the first of two Content-Length
 * headers, lets Transfer-Encoding and Content-Length stand together,
 * keeps whitespace before a header's colon as part of its name (so that
 * "Transfer-Encoding : chunked" is some other header to it) and glues an
 * obs-folded line (one starting with a space or tab) onto the name of the
 * header before it ("Transfer-Encoding:" then " chunked" becomes a header
 * named "Transfer-Encodingchunked"). A front proxy may read such a request
 * differently, so each is refused with 400 and the connection is closed,
 * leaving nothing after it to be read as a second request (RFC 9112 5.1,
 * 5.2, 6.3). So every header name must be a token (RFC 9110 5.1), no name
 * may merely begin with a framing header's name, and no value may hold a
 * line end.
 */
struct framing {
	unsigned	cl, te;
	int		bad;
};

/* 1 if s is a token (RFC 9110 5.6.2). */
static int
token_ok(const char *s)
{
	static const char	tchar[] = "!#$%&'*+-.^_`|~0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t			n = strlen(s);

	return n > 0 && strspn(s, tchar) == n;
}

/* 1 if key is name followed by more characters (a folded line). */
static int
longer_than(const char *key, const char *name)
{
	size_t n = strlen(name);

	return strncasecmp(key, name, n) == 0 && key[n] != '\0';
}

static enum MHD_Result
framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct framing	*f = cls;
	size_t		 n;

	(void)kind;
	if (key == NULL || !token_ok(key) ||
	    longer_than(key, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
	    longer_than(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	    (value != NULL && strpbrk(value, "\r\n") != NULL)) {
		f->bad = 1;
		return MHD_YES;
	}
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		f->cl++;
		n = value != NULL ? strlen(value) : 0;
		if (n == 0 || n > 19 || strspn(value, "0123456789") != n)
			f->bad = 1;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->te++;
		if (value == NULL || strcasecmp(value, "chunked") != 0)
			f->bad = 1;
	}
	return MHD_YES;
}

static int
framing_ok(struct MHD_Connection *conn)
{
	struct framing f = { 0, 0, 0 };

	MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_header, &f);
	return !f.bad && f.cl <= 1 && f.te <= 1 && !(f.cl && f.te);
}

static enum MHD_Result
first_call(struct MHD_Connection *conn, struct srv_req *rq,
    const char *method, const char *url)
{
	const char		*allow, *cl, *ct;
	const struct srv_route	*r;

	if (!framing_ok(conn)) {
		rq->early = 1;
		rq->close = 1;
		return send_error(conn, rq, 400, "malformed", "The request's "
		    "headers are malformed or give its length in a way that "
		    "is not allowed.", NULL);
	}

	r = find_route(method, url, &allow, rq->param);
	rq->route = r;
	/* Everything under /api is the API (JSON); the rest are pages. */
	rq->page = !(strncmp(url, "/api", 4) == 0 &&
	    (url[4] == '\0' || url[4] == '/'));
	rq->body_max = g_ctx->cfg->max_body_bytes;
	if (r == NULL && allow != NULL) {
		rq->early = 1;
		return send_error(conn, rq, 405, "method_not_allowed",
		    "This method is not allowed here.", allow);
	}
	if (r == NULL) {
		rq->early = 1;
		return send_error(conn, rq, 404, "not_found",
		    SRV_NOT_FOUND_TEXT, NULL);
	}
	if (!rate_ok(conn, time(NULL))) {
		rq->early = 1;
		return send_error(conn, rq, 429, "rate_limited",
		    "Too many requests; wait a minute and try again.", NULL);
	}
	if (r->body != SRV_BODY_NONE && !length_given(conn)) {
		/* A body route without Content-Length or chunked coding: a
		 * header may have been folded away (obs-fold), so the bytes
		 * that follow cannot be framed. Answer once and close. */
		rq->early = 1;
		rq->close = 1;
		return send_error(conn, rq, 400, "malformed", "The request "
		    "must give its length (Content-Length).", NULL);
	}
	if (r->body == SRV_BODY_MULTIPART)
		return multipart_start(conn, rq);
	if (r->body == SRV_BODY_FORM || r->body == SRV_BODY_FORM_PHOTOS)
		return form_start(conn, rq);
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

/* ---- replies that come later ---------------------------------------------- */

struct srv_later *
srv_http_later_begin(const struct srv_request *r, srv_answer_fn answer,
    void (*drop)(void *), void *state)
{
	struct srv_req	*rq = r->http;

	if (rq == NULL || rq->handed != r || r->conn == NULL ||
	    answer == NULL || drop == NULL || state == NULL)
		return NULL;
	/* Counted before the check, so that srv_later_drain, which clears
	 * g_park_on and then waits for zero, cannot miss this one. */
	atomic_fetch_add(&g_parked, 1);
	atomic_fetch_add(&g_unanswered, 1);
	if (!atomic_load(&g_park_on)) {
		atomic_fetch_sub(&g_parked, 1);
		atomic_fetch_sub(&g_unanswered, 1);
		return NULL;
	}
	rq->parked = 1;
	rq->later.conn = r->conn;
	rq->later.answer = answer;
	rq->later.drop = drop;
	rq->later.state = state;
	atomic_store(&rq->later.ready, 0);
	MHD_suspend_connection(r->conn);
	return &rq->later;
}

void
srv_http_later_ready(struct srv_later *l)
{
	struct MHD_Connection *conn = l->conn;

	atomic_store(&l->ready, 1);
	/* The connection's thread may answer and free l once it is
	 * resumed: l is not read after this. */
	MHD_resume_connection(conn);
	atomic_fetch_sub(&g_parked, 1);
}

int
srv_http_parked(void)
{
	return atomic_load(&g_parked);
}

/* Stops parking and waits until no connection is parked: libmicrohttpd
 * must not be stopped with a suspended connection. The writer, still
 * running, answers every parked job, and a login's hash always ends.
 * Then it waits, at most SRV_CONN_TIMEOUT, for the woken ones' answers
 * to be sent: a client that does not read its answer is closed by the
 * daemon's idle timeout meanwhile. */
static void
srv_later_drain(void)
{
	struct timespec	 ts = { 0, 1000000 };
	int64_t		 end;

	atomic_store(&g_park_on, 0);
	while (atomic_load(&g_parked) > 0)
		nanosleep(&ts, NULL);
	end = media_wire_now_ms() + SRV_CONN_TIMEOUT * 1000;
	while (atomic_load(&g_unanswered) > 0 && media_wire_now_ms() < end)
		nanosleep(&ts, NULL);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct srv_req		*rq = *con_cls;
	struct srv_request	 r;
	struct srv_reply	 rp = { .body = NULL };

	(void)cls;
	(void)version;
	srv_guard_step(conn, rq == NULL, *upload_data_size);	/* guard.c */
	if (rq == NULL) {
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		*con_cls = rq;
		return first_call(conn, rq, method, url);
	}
	if (rq->later.state != NULL) {
		/* Woken: the parked handler's answer. */
		if (!atomic_load(&rq->later.ready))
			return MHD_YES;
		rq->later.answer(g_ctx, rq->later.state, &rp);
		rq->later.drop(rq->later.state);
		rq->later.state = NULL;
		if (rp.status == 0)
			srv_http_error(&rp, 503, "busy",
			    "The server is busy; try again.");
		return send_reply(conn, rq, &rp);
	}
	if (rq->early) {
		*upload_data_size = 0;	/* answered: drop the rest */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (rq->route->body == SRV_BODY_MULTIPART)
			return multipart_feed(rq, upload_data, n);
		if (rq->too_large)
			return MHD_YES;
		if (n > rq->body_max - rq->len) {
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
			if (cap > rq->body_max + 1)
				cap = rq->body_max + 1;
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
	if (rq->route->body == SRV_BODY_MULTIPART && multipart_end(rq) == -1)
		return send_error(conn, rq, 400, "malformed", "Send exactly "
		    "one file, in a form field named \"file\".", NULL);
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
	if (rq->route->body == SRV_BODY_MULTIPART) {
		r.file = rq->file != NULL ? rq->file : (const uint8_t *)"";
		r.file_len = rq->flen;
		r.file_name = rq->fname;
	}
	r.http = rq;
	rq->handed = &r;
	rq->route->fn(g_ctx, &r, &rp);
	rq->handed = NULL;
	if (rq->later.state != NULL)
		return MHD_YES;		/* parked: answered once woken */
	if (rp.status == 0)
		srv_http_error(&rp, 503, "busy",
		    "The server is busy; try again.");
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
	if (g_router->done != NULL)
		g_router->done(rq->route != NULL ?
		    (int)(rq->route - g_router->routes) : -1,
		    rq->route != NULL ? rq->route->name : "none", rq->status,
		    ms);
	srv_guard_done(conn);
	if (rq->later.state != NULL)	/* closed before its answer */
		rq->later.drop(rq->later.state);
	if (rq->parked)
		atomic_fetch_sub(&g_unanswered, 1);
	if (rq->body != NULL) {
		crypto_wipe(rq->body, rq->cap);
		free(rq->body);
	}
	if (rq->pp != NULL)
		(void)MHD_destroy_post_processor(rq->pp);
	drop_file(rq);
	if (rq->counted > 0)
		atomic_fetch_sub(&g_uploads, rq->counted);
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

/*
 * Percent-decoding of paths and query values, except that "%00" stays as
 * it is: a decoded NUL would end the C string early, so that
 * "/api/v1/health%00.json" would match "/api/v1/health".
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char	*r = s, *w = s;

	(void)cls;
	(void)conn;
	while (*r != '\0') {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2]) && !(r[1] == '0' &&
		    r[2] == '0')) {
			char hex[3] = { r[1], r[2], '\0' };

			*w++ = (char)strtoul(hex, NULL, 16);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
http_opt(struct MHD_OptionItem *o, size_t *n, enum MHD_OPTION option,
    intptr_t value, void *ptr)
{
	o[*n].option = option;
	o[*n].value = value;
	o[*n].ptr_value = ptr;
	(*n)++;
}

size_t
srv_http_options(struct MHD_OptionItem *o, int lfd, unsigned limit,
    unsigned timeout, size_t memory)
{
	size_t	n = 0;

	if (lfd != -1)
		http_opt(o, &n, MHD_OPTION_LISTEN_SOCKET, lfd, NULL);
	http_opt(o, &n, MHD_OPTION_CONNECTION_LIMIT, limit, NULL);
	http_opt(o, &n, MHD_OPTION_CONNECTION_TIMEOUT, timeout, NULL);
	http_opt(o, &n, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)memory,
	    NULL);
	http_opt(o, &n, MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log,
	    NULL);
	assert(n <= SRV_HTTP_COMMON_OPTIONS);
	return n;
}

/*
 * Starts libmicrohttpd with the handlers, limits and parsing mode every
 * bisikd listener has. With a listening socket (lfd, bound to sa) it
 * serves it from a pool of threads; with lfd -1 it has no socket and no
 * thread, and serves the connections handed to it with
 * MHD_add_connection() whenever MHD_run() is called (srv_http_embedded).
 */
static struct MHD_Daemon *
http_start(struct srv_ctx *ctx, unsigned flags, const struct sockaddr *sa,
    int lfd)
{
	struct MHD_OptionItem	o[HTTP_OPTIONS_MAX];
	size_t			n = 0;

#define OPT(opt, val, ptr) do {						\
	assert(n < HTTP_OPTIONS_MAX - 1);				\
	o[n].option = (opt);						\
	o[n].value = (intptr_t)(val);					\
	o[n].ptr_value = (ptr);						\
	n++;								\
} while (0)
	n = srv_http_options(o, lfd, SRV_CONN_LIMIT, SRV_CONN_TIMEOUT,
	    SRV_CONN_MEMORY);
	if (lfd != -1) {
		OPT(MHD_OPTION_SOCK_ADDR, 0, (void *)(uintptr_t)sa);
		OPT(MHD_OPTION_THREAD_POOL_SIZE, ctx->cfg->threads, NULL);
	}
	OPT(MHD_OPTION_NOTIFY_CONNECTION, srv_guard_notify, NULL);
	OPT(MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL);
	OPT(MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL);
	if (ctx->cfg->tls_cert != NULL) {
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, ctx->cfg->tls_cert);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, ctx->cfg->tls_key);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t)SRV_TLS_PRIORITIES);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_ARRAY, o, MHD_OPTION_END);
}

struct MHD_Daemon *
srv_http_embedded(struct srv_ctx *ctx, const struct srv_router *router)
{
	g_ctx = ctx;
	g_router = router;
	crypto_random(g_rate.key, sizeof(g_rate.key));
	return http_start(ctx, MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET,
	    NULL, -1);
}

struct MHD_Daemon *
srv_http_listen(struct srv_ctx *ctx, const struct srv_router *router,
    int lfd)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	unsigned		 flags;

	g_ctx = ctx;
	g_router = router;
	crypto_random(g_rate.key, sizeof(g_rate.key));
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
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
		return NULL;
	if (ctx->cfg->tls_cert != NULL)
		flags |= MHD_USE_TLS;
	return http_start(ctx, flags, sa, lfd);
}

void
srv_http_ready(void)
{
	atomic_store(&g_park_on, 1);
}

void
srv_http_stop(struct MHD_Daemon *d)
{
	srv_later_drain();
	MHD_stop_daemon(d);
}

/* ---- query parameters ------------------------------------------------------------ */

struct qcheck {
	const char *const	*allowed;
	size_t			 n;
	unsigned		 seen;
	int			 bad;
};

static int
qcheck_one(struct qcheck *q, const char *key)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (strcmp(key, q->allowed[i]) == 0)
			break;
	if (i == q->n || (q->seen & (1u << i))) {
		q->bad = 1;
		return -1;
	}
	q->seen |= 1u << i;
	return 0;
}

static enum MHD_Result
qcheck_cb(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	(void)value;
	return qcheck_one(cls, key) == 0 ? MHD_YES : MHD_NO;
}

int
srv_http_query_check(const struct srv_request *rq, const char *const *allowed,
    size_t n)
{
	struct qcheck		 q = { allowed, n, 0, 0 };
	const char *const	*a;

	if (rq->args != NULL) {
		for (a = rq->args; a[0] != NULL && !q.bad; a += 2)
			(void)qcheck_one(&q, a[0]);
	} else if (rq->conn != NULL)
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND,
		    qcheck_cb, &q);
	return q.bad ? -1 : 0;
}
