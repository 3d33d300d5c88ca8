/*
 * http.h: the HTTP edge of bisikd (docs/design.md, "Layers of server/"):
 * requests and replies, the error shape (http.c), who is calling (auth.c)
 * and the /metrics listener (metrics.c). The slow-client guard's
 * libmicrohttpd-typed interface is in guard.h beside it.
 */
#ifndef BISIK_HTTP_H
#define BISIK_HTTP_H

#include "server/domain.h"

/* ---- Limits ---------------------------------------------------------- */

/* libmicrohttpd holds headers in this much memory per connection; larger
 * header blocks get 431/413 from the library. */
#define SRV_CONN_MEMORY		(64 * 1024)
/* Simultaneous connections; beyond it the library refuses new ones, so a
 * flood costs a bounded amount of memory. */
#define SRV_CONN_LIMIT		1000
/* Seconds a connection may stay idle or trickle (slowloris). */
#define SRV_CONN_TIMEOUT	15
/* Download names: a display name plus an added extension. */
#define SRV_DOWNLOAD_NAME_BYTES	(SRV_ATTACH_NAME_BYTES + 16)
/* Uploads held in memory at once, each up to max_attachment_bytes (160
 * MiB at the default 10 MiB); more get 503 at once. */
#define SRV_ATTACH_INFLIGHT	16
/* A multipart body may exceed its file by this much: part headers and
 * boundaries (a browser sends well under 1 KiB). */
#define SRV_MULTIPART_SLACK	(64 * 1024)
/* libmicrohttpd's post processor buffer: at least 256 (docs/design.md,
 * "Library facts we rely on"); it
 * also bounds one part header line and the boundary (2 × 70 + 2). */
#define SRV_MULTIPART_BUFFER	(16 * 1024)

/* ---- HTTP (http.c) ------------------------------------------------------ */

struct srv;			/* the running server */
struct srv_req;			/* one request */

/* An answer produced by a handler: status and a JSON body (owned). */
struct srv_reply {
	unsigned	status;
	json_t		*body;
	const char	*allow;		/* for 405 */
	/* A download instead of JSON (srv_http_ok_bytes): owned bytes, wiped
	 * and freed once sent. */
	uint8_t		*raw;
	size_t		 raw_len;
	const char	*raw_type;	/* static */
	char		 raw_name[SRV_DOWNLOAD_NAME_BYTES];
	/* Web pages (pages_*.c): raw holds the HTML or static file; an empty
	 * raw_name sends it inline. page selects the pages' CSP; cache (static
	 * text, NULL: no-store), location (303 target, a local path) and
	 * cookie (a Set-Cookie value) are sent when set. */
	int		 page;
	const char	*cache;
	char		 location[160];
	char		 cookie[160];
};

/* Path parameters ("{}" segments of a route) at most, and their length. */
#define SRV_PARAMS		2
#define SRV_PARAM_MAX		64
/* What a route takes as body. */
#define SRV_BODY_NONE		0
#define SRV_BODY_JSON		1
#define SRV_BODY_MULTIPART	2	/* multipart/form-data, one "file" */
/* A web form: application/x-www-form-urlencoded, or multipart/form-data
 * with fields and at most one file; buffered whole (pages_*.c parse it). */
#define SRV_BODY_FORM		3
/* The same, with up to SRV_RESOLVE_PHOTOS_MAX files (the resolve form):
 * its body may hold that many files and takes that many upload slots. */
#define SRV_BODY_FORM_PHOTOS	4

/* Request data given to handlers. body is the complete request body. */
struct srv_request {
	const char	*method;
	const char	*path;		/* without query */
	const char	*body;
	size_t		 len;
	const char	*authorization;	/* header value or NULL */
	const char	*content_type;
	void		*conn;		/* struct MHD_Connection * */
	const char	*param[SRV_PARAMS];	/* "{}" path segments */
	time_t		 now;
	/* SRV_BODY_MULTIPART: the one file (borrowed for the handler's run;
	 * may be empty) and its display name (srv_attach_name_clean). */
	const uint8_t	*file;
	size_t		 file_len;
	const char	*file_name;
	/* Pages calling API handlers: query arguments as NULL-terminated
	 * name, value pairs instead of the connection's (NULL: those), and the
	 * staff session from the page's cookie, used by srv_auth_staff when
	 * there is no Authorization header. http.c never sets either, so the
	 * API itself never accepts a cookie. */
	const char *const *args;
	const char	*session_cookie;
	/* http.c's own request, for srv_http_later_begin, which parks only the
	 * request http.c handed to the route's handler (not a page's copy). */
	void		*http;
};

/*
 * A reply that comes later (http.c): a handler that must wait for
 * something another thread does (a group commit) parks its connection
 * instead of its thread. srv_http_later_begin suspends the connection and
 * returns a handle, or NULL when this server cannot park it (answer at
 * once then). After a handle, the handler leaves rp empty and, exactly
 * once and from any thread, srv_http_later_ready(handle) wakes the connection;
 * its thread then calls answer(ctx, state, rp) and sends rp. drop(state)
 * runs after the answer, or alone when the connection closes without it.
 */
typedef void	(*srv_answer_fn)(struct srv_ctx *, void *state,
		    struct srv_reply *);
struct srv_later;
struct srv_later *srv_http_later_begin(const struct srv_request *,
		    srv_answer_fn answer, void (*drop)(void *), void *state);
void		 srv_http_later_ready(struct srv_later *);
/* Connections parked now (for /metrics). */
int		 srv_http_parked(void);

/* Error reply in the error shape (docs/openapi.yaml, Error); message must
 * be a fixed sentence. */
void	srv_http_error(struct srv_reply *, unsigned status, const char *code,
	    const char *message);
/* The two answers that must not tell cases apart: 404 for a case that is
 * not there or not the caller's, and the reporter's 401 for a missing,
 * malformed, unknown or rotated token. Every handler uses these, so that
 * the bodies stay byte for byte the same. */
void	srv_http_not_found(struct srv_reply *);
void	srv_http_token_refused(struct srv_reply *);
/* 400/422 reply from core errors. */
void	srv_http_error_core(struct srv_reply *, int core_err,
	    const struct core_errors *);
/* 422 naming one field and why it failed, with message (NULL: the
 * general sentence). */
void	srv_http_invalid(struct srv_reply *, const char *field,
	    const char *why, const char *message);
void	srv_http_error_store(struct srv_reply *, int store_err);
/* Parses the request body as JSON no deeper than depth into *out, which
 * must be an object; else answers 400 (not_object: the message for JSON
 * that is not an object) and returns -1. */
SRV_WUR int	srv_http_body_object(const struct srv_request *, int depth,
		    const char *not_object, json_t **out, struct srv_reply *);
void	srv_http_ok(struct srv_reply *, unsigned status, json_t *body);
/* The Content-Type of every JSON answer. */
#define SRV_JSON_TYPE	"application/json; charset=utf-8"
/* 200 with bytes (ownership taken; malloc'd) sent as a download named
 * name (UTF-8; sent as Content-Disposition: attachment), or, with name
 * "", as an answer of that type (a JSON view written by core_jw_*). */
void	srv_http_ok_bytes(struct srv_reply *, uint8_t *bytes, size_t len,
	    const char *type, const char *name);
/* For callers inside the process (pages, tests): a JSON answer written
 * as text (SRV_JSON_TYPE, no name) read back into body, the text wiped;
 * a 503 if the text does not parse. Other answers are left as they are. */
void	srv_http_reply_json(struct srv_reply *);
/* A query argument of the request, or NULL. */
const char	*srv_http_query(const struct srv_request *, const char *name);

/* A route: method, path pattern ("{}" is one path parameter), handler,
 * body kind (SRV_BODY_*) and its name in logs and metrics. */
typedef void	(*srv_handler)(struct srv_ctx *, const struct srv_request *,
		    struct srv_reply *);
struct srv_route {
	const char	*method;
	const char	*path;
	srv_handler	 fn;
	int		 body;
	const char	*name;
};
/* What the HTTP front serves, handed to it by the caller (routes.c): the
 * table, the renderer of a refusal on a page path (not under /api/) as
 * an HTML page in the language asked for (NULL: none), and whom to tell
 * of each finished request, so that http.c names no handler, page or
 * counter. */
struct srv_router {
	const struct srv_route	*routes;
	size_t			 n;
	void			(*page_error)(struct srv_reply *,
				    unsigned status, const char *accept_lang);
	/* Told of every finished request (srv_metrics_request: route index
	 * or -1, its name, status, milliseconds); NULL: nobody. */
	void			(*done)(int route, const char *name,
				    unsigned status, double ms);
};
/* Serves the router on the listening socket lfd (srv_confine_listen_socket)
 * from a pool of cfg->threads threads; NULL if the listen address does not
 * parse or the library does not start. srv_http_ready() lets handlers
 * park connections (srv_http_later_begin) once everything else has started;
 * srv_http_stop() waits until none is parked and stops the daemon. */
struct MHD_Daemon;
/*
 * The libmicrohttpd options every listener of bisikd has, the front's
 * (http.c) and /metrics' (metrics.c): its listening socket (lfd; -1: none),
 * the caller's bounds on connections, idle seconds and memory per
 * connection, and the library's messages logged as one debug line without
 * their text. Writes at most SRV_HTTP_COMMON_OPTIONS items at o and
 * returns how many; the caller adds its own and MHD_OPTION_END.
 */
#define SRV_HTTP_COMMON_OPTIONS	5
struct MHD_OptionItem;
size_t	srv_http_options(struct MHD_OptionItem *o, int lfd, unsigned limit,
	    unsigned timeout, size_t memory);
struct MHD_Daemon	*srv_http_listen(struct srv_ctx *,
			    const struct srv_router *, int lfd);
void	srv_http_ready(void);
void	srv_http_stop(struct MHD_Daemon *);
/* The same request path without a socket or thread, for the route
 * fuzzer (tests/fuzz/fuzz_routes.c): a daemon serving the connections
 * handed to it with MHD_add_connection() whenever MHD_run() is called;
 * NULL on failure. Free it with MHD_stop_daemon(). */
struct MHD_Daemon	*srv_http_embedded(struct srv_ctx *,
			    const struct srv_router *);

/* ---- Metrics (metrics.c): Prometheus text on a loopback listener ------- */

/* One finished request: route index (or -1 for none) and its name
 * (a static string), status, duration. Lock-free. */
void	srv_metrics_request(int route, const char *name, unsigned status,
	    double ms);
/* Starts the /metrics listener on fd (from srv_confine_listen_socket); -1. */
SRV_WUR int	srv_metrics_start(struct srv_ctx *, int fd);
void	srv_metrics_stop(void);
/* The Prometheus text (malloc'd) of the counters and the store. */
char	*srv_metrics_text(struct srv_ctx *, size_t *len);

/* ---- API handlers (api_*.c) -------------------------------------------- */

/* Bearer token from an Authorization header into its keyed hash; -1 if
 * missing or malformed (auth.c). */
SRV_WUR int	srv_auth_bearer_hash(const struct srv_ctx *, const char *authorization,
		    uint8_t hash[CRYPTO_HASH_BYTES]);
/* Reporter token hash -> case sequence, inside a transaction. */
SRV_WUR int	srv_auth_token_case(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t *seq);

/* ---- Staff accounts and sessions (auth.c, users.c) --------------------- */

/*
 * Resolves "Authorization: Bearer SESSION" (or, for pages, the session
 * cookie) into the staff member and refreshes the idle expiry. On failure
 * fills rp with the one 401 answer and returns -1 (403
 * "totp_enrollment_required" for a session that may only enrol TOTP,
 * see SRV_SESSION_ENROL_TTL). This is the only way a handler learns who
 * is calling.
 */
SRV_WUR int	srv_auth_staff(struct srv_ctx *, const struct srv_request *,
		    struct srv_staff *, struct srv_reply *);

/* ---- Staff sign-in: users, sessions, TOTP (users.c, sessions.c, totp.c,
 * api_auth.c) ----------------------------------------------------------- */

/* Lockout: SRV_LOCK_AFTER, SRV_LOCK_MAX and the first lock's setting are
 * in util.h, next to the configuration. */
/* Argon2id (64 MiB each) running at once: 2 per core, at most 32 (2 GiB);
 * a login beyond it answers 503 at once rather than queueing. */
#define SRV_ARGON_PER_CORE	2
#define SRV_ARGON_MAX		32
/* Like srv_auth_staff; with allow_limited an enrolment-only session also
 * passes and *limited says so. */
SRV_WUR int	srv_auth_staff_ex(struct srv_ctx *, const struct srv_request *,
		    struct srv_staff *, struct srv_reply *, int allow_limited,
		    int *limited);
/* Lock time after `failures` consecutive failures: 0 below
 * SRV_LOCK_AFTER, `first` seconds at it (clamped to
 * SRV_LOCK_FIRST_MIN..SRV_LOCK_MAX), doubling with each further failure,
 * at most SRV_LOCK_MAX. */
time_t	srv_auth_lock_seconds(long long failures, long long first);
/* The bound on concurrent Argon2id: 0 and a slot taken, or -1 when full. */
SRV_WUR int	srv_auth_argon_enter(void);
void	srv_auth_argon_leave(void);
/* Runs fn(arg) on a new detached thread, for a slot's Argon2id off the
 * HTTP workers (api_auth.c); -1 when no thread could be made. */
SRV_WUR int	srv_auth_argon_thread(void (*fn)(void *), void *arg);
/* Slots taken now (for /metrics). */
int	srv_auth_argon_running(void);
/* A password hash of random bytes with the current cost, verified in place
 * of a real one for unknown users so that both take the same time. */
const char	*srv_auth_dummy_hash(void);
/* Makes the dummy hash and sizes the Argon2 bound; call before serving. */
void	srv_auth_init(void);

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

/*
 * Completion photos sent with one resolve form (pages_staf.c): the form
 * is held whole, each file up to max_attachment_bytes, so it takes this
 * many of the SRV_ATTACH_INFLIGHT upload slots (a quarter of them): a
 * phone's few photos of the finished work. More go as evidence first
 * and are ticked, up to SRV_RESOLVE_ATTACH_MAX.
 */
#define SRV_RESOLVE_PHOTOS_MAX	4

/* ---- Transparency: duplicates, statistics, publication, retention,
 * export (dedup.c, derived.c, publish.c, retention.c, export.c, zip.c) ---- */

/* -1 (http.c) if the request's query has a parameter not in allowed[n], or one
 * twice (the API answers 400 then, as GET /cases does). */
SRV_WUR int	srv_http_query_check(const struct srv_request *,
		    const char *const *allowed, size_t n);

#endif
