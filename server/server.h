/*
 * server.h: private header of bisikd (server/). Nothing outside server/
 * includes it except the server's unit tests and fuzz targets.
 *
 * bisikd is the only place where HTTP exists: outside bytes arrive in
 * http.c, are parsed by core/ into typed values, and leave as JSON built
 * here. The HTTP status of every outcome is chosen in this folder.
 */
#ifndef BISIK_SERVER_H
#define BISIK_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "store/store.h"

#define SRV_WUR __attribute__((warn_unused_result))

/* ---- Limits ---------------------------------------------------------- */

/* Default request body cap: a 20,000-character body in 4-byte UTF-8 with
 * JSON escaping and a sealed identity stays well below 256 KiB. */
#define SRV_BODY_DEFAULT	(256 * 1024)
#define SRV_BODY_MIN		1024
#define SRV_BODY_MAX		(64 * 1024 * 1024)
#define SRV_ATTACH_DEFAULT	(10 * 1024 * 1024)
/* libmicrohttpd holds headers in this much memory per connection; larger
 * header blocks get 431/413 from the library. */
#define SRV_CONN_MEMORY		(64 * 1024)
/* Simultaneous connections; beyond it the library refuses new ones, so a
 * flood costs a bounded amount of memory. */
#define SRV_CONN_LIMIT		1000
/* Seconds a connection may stay idle or trickle (slowloris). */
#define SRV_CONN_TIMEOUT	15
/*
 * Worker threads by default (config key "threads"): SRV_THREADS_PER_CORE
 * for each online core, from SRV_THREADS_DEFAULT_MIN to
 * SRV_THREADS_DEFAULT_MAX. A submission's thread waits for the group
 * commit, so the threads bound how many submissions share one fsync:
 * on 2 cores 8 threads cut the submission rate by a third against 16 or
 * 32. Threads that run at once cost context switches: 32 on 2 cores spent
 * about 15 % more CPU per follow-up than 4 to 16 (bench/README.md,
 * "Threads").
 */
#define SRV_THREADS_PER_CORE	8
#define SRV_THREADS_DEFAULT_MIN	8
#define SRV_THREADS_DEFAULT_MAX	64
#define SRV_THREADS_MAX		256
/* Proof-of-work challenges live this long. */
#define SRV_CHALLENGE_TTL	(30 * 60)
/* Timeline entries shown in one follow-up view at most. */
#define SRV_TIMELINE_MAX	1000
/* Largest config file read. */
#define SRV_CONFIG_MAX		(1024 * 1024)
/* holidays_dir: a path of this many bytes at most (the installed share
 * directory is far shorter). */
#define SRV_HOLIDAYS_DIR_MAX	255
/* Holiday files read from it: one a year (and perhaps a region) for
 * decades; a year's list is about 2 kB, so 64 KiB is plenty. */
#define SRV_HOLIDAY_FILES_MAX	64
#define SRV_HOLIDAY_FILE_MAX	(64 * 1024)
/* Where `make install` puts the shipped data (Makefile DATADIR). */
#ifndef SRV_SHARE_DIR
#define SRV_SHARE_DIR		"/usr/local/share/bisik"
#endif
/* The submission form without JavaScript is accepted this many seconds
 * after it was fetched at the earliest (form_min_seconds): a person takes
 * longer to write a report, a script posting at once is held back; at
 * most 10 minutes, well inside the challenge's lifetime. */
#define SRV_FORM_MIN_SECONDS	5
#define SRV_FORM_MIN_SECONDS_MAX 600

/* Attachments (attach.c, api_attach.c). Display names keep at most 120
 * characters: enough to recognise a file, and a name is only ever shown,
 * never used as a path. */
#define SRV_ATTACH_NAME_MAX	120
#define SRV_ATTACH_NAME_BYTES	(SRV_ATTACH_NAME_MAX * 4 + 1)
/* Download names: a display name plus an added extension. */
#define SRV_DOWNLOAD_NAME_BYTES	(SRV_ATTACH_NAME_BYTES + 16)
/* Per case, reporter's and staff's together: evidence for one complaint,
 * not a file store; with two sealed copies each, a case stays below
 * 40 × max_attachment_bytes. */
#define SRV_ATTACH_PER_CASE	20
/* Images re-encoded at once, each by its own worker of the image helper
 * (media.h: pixel, memory, CPU and time limits), whose memory is up to
 * SRV_MEDIA_MEMORY_MAX. */
#define SRV_ATTACH_IMAGE_JOBS	2
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

/* ---- Configuration (config.c) ---------------------------------------- */

struct srv_deadlines {
	int	dispose, accept, respond, resolve;	/* working days */
};

struct srv_config {
	char			listen_addr[64];	/* numeric host */
	unsigned		listen_port;
	unsigned		pow_difficulty;
	size_t			max_body_bytes;
	size_t			max_attachment_bytes;
	unsigned		suppression_threshold;
	struct core_calendar	calendar;	/* shipped + configured holidays */
	/* "holidays_dir": holidays-*.csv read at start (srv_holidays_load);
	 * "" means the installed SRV_SHARE_DIR, where a missing directory
	 * is no error. */
	char			holidays_dir[SRV_HOLIDAYS_DIR_MAX + 1];
	struct srv_deadlines	deadlines;
	char			*tls_cert;	/* PEM text, NULL: no TLS */
	char			*tls_key;
	unsigned		threads;
	unsigned		rate_per_address;	/* per minute, 0 off */
	unsigned		rate_global;		/* per minute, 0 off */
	int			log_level;		/* 0 error .. 3 debug */
	int			totp_required;	/* TOTP mandatory for central admins */
	/* Confinement and operations (confine.c, metrics.c) */
	char			user[64];	/* "" : "bisik" if it exists */
	int			seccomp;	/* allow-list filter, default 1 */
	unsigned		image_timeout;	/* seconds an image may take */
	int			allow_root;	/* --allow-root: serve as root */
	char			metrics_addr[64];	/* "" : no /metrics */
	unsigned		metrics_port;
	/* Web pages (pages_*.c): the least time between fetching the
	 * submission form and sending it without JavaScript (seconds), and
	 * whether cookies are Secure although bisikd speaks plain HTTP (TLS
	 * ends at a proxy in front of it). */
	unsigned		form_min_seconds;
	int			cookie_secure;
	/* Identity disclosure (disclose.c): seconds a request stays open
	 * ("disclosure_ttl_hours", default SRV_DISCLOSURE_TTL_HOURS). */
	unsigned		disclosure_ttl;
	/* Dealerless key ceremonies (api_ceremony.c): seconds from one
	 * phase's deadline to the next ("dkg_phase_hours", default
	 * SRV_DKG_PHASE_HOURS). */
	unsigned		dkg_phase;
	/* Retention (retention.c): months a case is kept once it is closed,
	 * rejected or merged (enum srv_retain), for the states whose bit is
	 * set in retention_policy (none by default: kept for ever; a zeroed
	 * config shreds nothing); "retention_unit_seconds" (for tests only)
	 * makes a "month" that many seconds instead of a calendar month. */
	int			retention_months[3];
	unsigned		retention_policy;
	unsigned		retention_unit;
	/* Seconds between two sweeps (sweeper.c). */
	unsigned		sweep_interval;
};

/* Defaults for every key. */
void	srv_config_defaults(struct srv_config *);
/*
 * Holidays without a rebuild: every holidays-*.csv (the format of
 * share/holidays-id-2026.csv) in the configured holidays_dir, else in
 * SRV_SHARE_DIR if it exists, is added to the calendar. At most
 * SRV_HOLIDAY_FILES_MAX files of SRV_HOLIDAY_FILE_MAX bytes each; a bad one
 * is named in err (file and line) and fails the start. *nfiles counts
 * the files read.
 */
SRV_WUR int	srv_holidays_load(struct srv_config *, size_t *nfiles,
		    char *err, size_t errlen);
/*
 * The first year the next CORE_HOLIDAY_LOOKAHEAD days (WIB dates from
 * now) touch that has no holiday in the calendar, 0 if none: deadlines
 * in it would count its holidays as working days. srv_holidays_warn also
 * logs it, in one line saying how to add it.
 */
int	srv_holidays_missing(const struct srv_config *, time_t now);
int	srv_holidays_warn(const struct srv_config *, time_t now);
/* The default number of worker threads for this many online cores (0 or
 * less: unknown, taken as one). */
unsigned	srv_threads_for(long cores);
/* Parses a config JSON text; on failure writes one sentence to err (which
 * never echoes values) and returns -1. */
SRV_WUR int	srv_config_parse(struct srv_config *, const char *buf,
		    size_t len, char *err, size_t errlen);
/* "ADDR:PORT" or "[ADDR]:PORT" (numeric) into the config. */
SRV_WUR int	srv_listen_parse(struct srv_config *, const char *);
void	srv_config_free(struct srv_config *);

/* ---- Logging (log.c): key=value lines on stderr, never personal data -- */

enum srv_log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void	srv_log_set_level(int);
void	srv_log(int level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* ---- Keys of the data directory (keys.c) ------------------------------- */

struct srv_keys {
	uint8_t	*storage;	/* KEK, 32, secret memory */
	uint8_t	*pepper;	/* 32 */
	uint8_t	*challenge;	/* 32 */
	uint8_t	*receipt_sk;	/* 64 */
	uint8_t	 receipt_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t	*audit_sk;	/* 64 */
	uint8_t	 audit_pk[CRYPTO_SIGN_PK_BYTES];
};
SRV_WUR int	srv_keys_create(const char *datadir);
SRV_WUR int	srv_keys_load(const char *datadir, struct srv_keys *);
void	srv_keys_free(struct srv_keys *);

/* ---- Cases (case.c): records, sealing, timeline ------------------------ */

/* What one follow-up or staff view needs; loaded by srv_case_load. */
struct srv_case {
	uint64_t	seq;
	char		ref[CORE_CASE_REF_MAX];
	json_t		*meta;		/* record metadata (owned) */
	json_t		*content;	/* opened content (owned; wiped on free) */
	/* The case's data key. Inline, not sodium_malloc: guarded pages cost
	 * mmap, mprotect and a TLB shootdown on every request; the struct
	 * lives on a handler's stack and srv_case_free wipes it. */
	uint8_t		 dek[CRYPTO_KEY_BYTES];
	struct store_txn *txn;		/* the transaction it was loaded in */
};
SRV_WUR int	srv_case_load(struct store_txn *, const struct srv_keys *,
		    uint64_t seq, struct srv_case *out);
void	srv_case_free(struct srv_case *);
/* Writes meta (+ sealed content blob kept in meta) back. */
SRV_WUR int	srv_case_put(struct store_txn *, uint64_t seq, json_t *meta);
/* Appends a timeline event; text (may be NULL) is sealed under the DEK. */
SRV_WUR int	srv_timeline_add(struct store_txn *, const struct srv_case *,
		    json_t *meta, time_t at, const char *type,
		    const char *actor, const char *text, int visible,
		    json_t *extra);
/* Calls cb for each timeline entry with the opened text (or NULL). */
typedef int	(*srv_timeline_fn)(json_t *entry, const char *text, void *arg);
SRV_WUR int	srv_timeline_each(struct store_txn *, const struct srv_case *,
		    srv_timeline_fn, void *arg);
/* Seals/opens with the case's key; ad names the field. */
SRV_WUR int	srv_case_seal_text(const uint8_t *dek, uint64_t seq,
		    const char *ad, const char *text, size_t len, char **b64);
SRV_WUR int	srv_case_open_text(const uint8_t *dek, uint64_t seq,
		    const char *ad, const char *b64, char **text);
/* The same for b64 of blen bytes, not NUL-terminated. */
SRV_WUR int	srv_case_open_textn(const uint8_t *dek, uint64_t seq,
		    const char *ad, const char *b64, size_t blen, char **text);
/* Unwraps the data key of case seq from its record's "dek" (base64 of
 * len bytes) with the storage key; -1 (dek wiped) if it does not open. */
SRV_WUR int	srv_case_dek_open(const struct srv_keys *, uint64_t seq,
		    const char *b64, size_t len, uint8_t dek[CRYPTO_KEY_BYTES]);
/* The same for bytes, kept binary: out holds len + CRYPTO_SEAL_OVERHEAD
 * (seal) or len - CRYPTO_SEAL_OVERHEAD (open; wiped on failure). */
/*
 * The case's free text (title, body, location, redacted copies, ...) as
 * JSON, sealed under the data key and stored as raw bytes in the content
 * table (key: sequence, 8 BE; value 0x01 ‖ nonce ‖ ciphertext ‖ tag) so
 * that no JSON parser or base64 coder touches it on the hot path.
 */
SRV_WUR int	srv_case_content_write(struct store_txn *, uint64_t seq,
		    const uint8_t *dek, const char *text, size_t len);
SRV_WUR int	srv_case_seal_bytes(const uint8_t *dek, uint64_t seq,
		    const char *ad, const void *in, size_t len, uint8_t *out);
SRV_WUR int	srv_case_open_bytes(const uint8_t *dek, uint64_t seq,
		    const char *ad, const uint8_t *in, size_t len, uint8_t *out);

/* The case's data key, unwrapped with the storage key (case.c). */
SRV_WUR int	srv_case_dek(struct store_txn *, const struct srv_keys *,
		    uint64_t seq, uint8_t dek[CRYPTO_KEY_BYTES]);

/* ---- Sealed identities at rest (identity.c) ---------------------------- */

/* Record versions of the `identity` table: 0x01 (plain, read only) and
 * 0x02 (under the case's data key, padded to one size). */
#define SRV_IDENTITY_V2	0x02
struct srv_identity {
	int		version;	/* of the record: 1 or 2 */
	uint32_t	generation;	/* escrow generation sealed to */
	size_t		len;
	uint8_t		sealed[CRYPTO_IDENTITY_SEALED_BYTES];
};
/* Writes (or replaces) the case's identity record, version 2. */
SRV_WUR int	srv_identity_put(struct store_txn *, uint64_t seq,
		    const uint8_t *dek, uint32_t generation,
		    const uint8_t *sealed, size_t len);
/* Reads it with the case's data key (dek may be NULL for a version 1
 * record); STORE_NOTFOUND if the case has none. */
SRV_WUR int	srv_identity_open(struct store_txn *, uint64_t seq,
		    const uint8_t *dek, struct srv_identity *);
/* The same, unwrapping the case's data key itself. */
SRV_WUR int	srv_identity_get(struct store_txn *, const struct srv_keys *,
		    uint64_t seq, struct srv_identity *);
/* For the requester of an approved disclosure: sets "sealed_identity"
 * and "filed" (the report's values its content hash covers: kind, title,
 * body, agency, category, location, occurred_on, visibility as filed, so
 * that the requester's client checks the identity is bound to this
 * report) in view. */
SRV_WUR int	srv_identity_release(struct store_txn *,
		    const struct srv_keys *, uint64_t seq, json_t *view);
/* Records that R was filed: STORE_EXISTS if it was before. */
SRV_WUR int	srv_identity_r_claim(struct store_txn *,
		    const struct srv_keys *,
		    const uint8_t R[CRYPTO_POINT_BYTES]);
/* Forgets R (the case is shredded). */
SRV_WUR int	srv_identity_r_release(struct store_txn *,
		    const struct srv_keys *,
		    const uint8_t R[CRYPTO_POINT_BYTES]);

/* ---- Escrow (escrow.c, escrow_gen.c) ----------------------------------- */

/* meta key of the current generation: generation (4 BE) ‖ Y ‖ threshold
 * (1) ‖ holders (1), after the record's version byte. */
#define SRV_ESCROW_CURRENT_KEY	"escrow.current"
#define SRV_ESCROW_CURRENT_LEN	(4 + CRYPTO_POINT_BYTES + 2)

/* Current escrow public key and generation; -1 if none installed
 * (escrow_gen.c). */
struct srv_escrow {
	uint32_t	generation;
	uint8_t		Y[CRYPTO_POINT_BYTES];
	unsigned	threshold, holders;
};
SRV_WUR int	srv_escrow_current(struct store_txn *, struct srv_escrow *);
/* What installing an escrow file did. */
struct srv_escrow_result {
	uint32_t	generation;
	uint8_t		Y[CRYPTO_POINT_BYTES];
	int		current;	/* it is the key for new reports */
	unsigned	voided;		/* pending requests of retired holders */
};
/* Validates an escrow.pub text (every holder's signature included) and
 * installs it as a new generation; -1 and one sentence in err. */
SRV_WUR int	srv_escrow_install(struct store *, const char *text,
		    size_t len, struct srv_escrow_result *, char *err,
		    size_t errlen);

/* ---- Paging cursors (cursor.c) ----------------------------------------- */

/* Characters of a cursor: 17 bytes (version, time, case) in base64url
 * without padding. */
#define SRV_CURSOR_LEN	23
/* A (time, case) position from its text; -1 (outputs untouched) for any
 * text that is not exactly one encoded position. */
SRV_WUR int	srv_cursor_decode(const char *, uint64_t *at, uint64_t *seq);
/* The text of (at, seq), NUL-terminated. */
void		srv_cursor_text(uint64_t at, uint64_t seq,
		    char out[SRV_CURSOR_LEN + 1]);
/* The same as a JSON string (NULL when out of memory). */
json_t		*srv_cursor_encode(uint64_t at, uint64_t seq);

/* ---- HTTP (http.c) ------------------------------------------------------ */

struct srv;			/* the running server */
struct srv_req;			/* one request */

/* An answer produced by a handler: status and a JSON body (owned). */
struct srv_reply {
	unsigned	status;
	json_t		*body;
	const char	*allow;		/* for 405 */
	/* A download instead of JSON (srv_ok_bytes): owned bytes, wiped and
	 * freed once sent. */
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

/* Handler context: everything a handler may use. */
struct srv_ctx {
	struct store		*store;
	struct srv_keys		*keys;
	struct srv_config	*cfg;
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
	 * staff session from the page's cookie, used by srv_staff_auth when
	 * there is no Authorization header. http.c never sets either, so the
	 * API itself never accepts a cookie. */
	const char *const *args;
	const char	*session_cookie;
	/* http.c's own request, for srv_later_begin, which parks only the
	 * request http.c handed to the route's handler (not a page's copy). */
	void		*http;
};

/*
 * A reply that comes later (http.c): a handler that must wait for
 * something another thread does (a group commit) parks its connection
 * instead of its thread. srv_later_begin suspends the connection and
 * returns a handle, or NULL when this server cannot park it (answer at
 * once then). After a handle, the handler leaves rp empty and, exactly
 * once and from any thread, srv_later_ready(handle) wakes the connection;
 * its thread then calls answer(ctx, state, rp) and sends rp. drop(state)
 * runs after the answer, or alone when the connection closes without it.
 */
typedef void	(*srv_answer_fn)(struct srv_ctx *, void *state,
		    struct srv_reply *);
struct srv_later;
struct srv_later *srv_later_begin(const struct srv_request *,
		    srv_answer_fn answer, void (*drop)(void *), void *state);
void		 srv_later_ready(struct srv_later *);

/* Error reply in the error shape (docs/openapi.yaml, Error); message must
 * be a fixed sentence. */
void	srv_error(struct srv_reply *, unsigned status, const char *code,
	    const char *message);
/* The two answers that must not tell cases apart: 404 for a case that is
 * not there or not the caller's, and the reporter's 401 for a missing,
 * malformed, unknown or rotated token. Every handler uses these, so that
 * the bodies stay byte for byte the same. */
void	srv_not_found(struct srv_reply *);
void	srv_token_refused(struct srv_reply *);
/* 400/422 reply from core errors. */
void	srv_error_core(struct srv_reply *, int core_err,
	    const struct core_errors *);
/* 422 naming one field and why it failed, with message (NULL: the
 * general sentence). */
void	srv_invalid(struct srv_reply *, const char *field, const char *why,
	    const char *message);
void	srv_error_store(struct srv_reply *, int store_err);
/* Parses the request body as JSON no deeper than depth into *out, which
 * must be an object; else answers 400 (not_object: the message for JSON
 * that is not an object) and returns -1. */
SRV_WUR int	srv_body_object(const struct srv_request *, int depth,
		    const char *not_object, json_t **out, struct srv_reply *);
void	srv_ok(struct srv_reply *, unsigned status, json_t *body);
/* The Content-Type of every JSON answer. */
#define SRV_JSON_TYPE	"application/json; charset=utf-8"
/* 200 with bytes (ownership taken; malloc'd) sent as a download named
 * name (UTF-8; sent as Content-Disposition: attachment), or, with name
 * "", as an answer of that type (a JSON view written by core_jw_*). */
void	srv_ok_bytes(struct srv_reply *, uint8_t *bytes, size_t len,
	    const char *type, const char *name);
/* For callers inside the process (pages, tests): a JSON answer written
 * as text (SRV_JSON_TYPE, no name) read back into body, the text wiped;
 * a 503 if the text does not parse. Other answers are left as they are. */
void	srv_reply_json(struct srv_reply *);
/* A query argument of the request, or NULL. */
const char	*srv_query(const struct srv_request *, const char *name);

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
 * table, and the renderer of a refusal on a page path (not under /api/)
 * as an HTML page in the language asked for (NULL: none). */
struct srv_router {
	const struct srv_route	*routes;
	size_t			 n;
	void			(*page_error)(struct srv_reply *,
				    unsigned status, const char *accept_lang);
};
/* Serves the router on the listening socket lfd (srv_listen_socket) from
 * a pool of cfg->threads threads; NULL if the listen address does not
 * parse or the library does not start. srv_http_ready() lets handlers
 * park connections (srv_later_begin) once everything else has started;
 * srv_http_stop() waits until none is parked and stops the daemon. */
struct MHD_Daemon;
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

/* ---- Route table (routes.c) -------------------------------------------- */

/* bisikd's routes: every API handler and page. */
extern const struct srv_router srv_routes;
/* Route i of the table: method, path pattern ("{}" is one path
 * parameter) and body kind (SRV_BODY_*); -1 past the last. */
SRV_WUR int	srv_route(size_t i, const char **method, const char **path,
		    int *body);

/* ---- Confinement (confine.c) ------------------------------------------- */

/* A bound, listening, non-blocking TCP socket on a numeric address; -1. */
SRV_WUR int	srv_listen_socket(const char *addr, unsigned port);
/* 1 if addr is 127.0.0.0/8 or ::1. */
int	srv_addr_loopback(const char *addr);
/* Drops root, sets no-new-privileges and not-dumpable, installs the
 * seccomp allow-list (see confine.c); on failure one sentence in err. */
SRV_WUR int	srv_confine(const struct srv_config *, char *err,
		    size_t errlen);
/* The user srv_confine will change to: 1 with its ids when running as
 * root and it exists (and is not root), else 0. */
int	srv_service_user(const struct srv_config *, uint32_t *uid,
	    uint32_t *gid);

/* ---- The image helper (media.c; the helper itself: media.h) ----------- */

/* Starts build/bisik-media (path, else the one beside our executable)
 * with a control socket; first thing in `bisikd serve`, before any key
 * is read. One sentence in err on failure. */
SRV_WUR int	srv_media_start(const char *path, char *err, size_t errlen);
/* Tells it the service user, image_timeout, seccomp and the log level,
 * and waits until its first worker is ready (or says why not). */
SRV_WUR int	srv_media_configure(const struct srv_config *, char *err,
		    size_t errlen);
/* Closes the control socket: the helper and its workers exit. */
void	srv_media_stop(void);
/* One image (type SRV_ATTACH_JPEG, _PNG or _WEBP) through a worker, as
 * enum srv_attach_err; *out malloc'd with SRV_ATTACH_OK. The result is
 * what the worker said: srv_attach_clean checks it. Thread-safe. */
SRV_WUR int	srv_media_clean(int type, const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen);

/* bisikd restore (restore.c): a backup file into a new data directory,
 * checked before it is called restored; keys_from may be NULL. On
 * failure nothing is left behind and one sentence is in err. */
SRV_WUR int	srv_restore(const char *in, const char *data,
		    const char *keys_from, FILE *out, char *err, size_t errlen);

/* ---- Metrics (metrics.c): Prometheus text on a loopback listener ------- */

/* One finished request: route index (or -1 for none) and its name
 * (a static string), status, duration. Lock-free. */
void	srv_metrics_request(int route, const char *name, unsigned status,
	    double ms);
/* Starts the /metrics listener on fd (from srv_listen_socket); -1. */
SRV_WUR int	srv_metrics_start(struct srv_ctx *, int fd);
void	srv_metrics_stop(void);
/* The Prometheus text (malloc'd) of the counters and the store. */
char	*srv_metrics_text(struct srv_ctx *, size_t *len);

/* ---- API handlers (api_*.c) -------------------------------------------- */

void	api_health(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_agencies(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_categories(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_challenge(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_keys(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_report_submit(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_rotate(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_attach(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_attach_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_attach(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_attach_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* Bearer token from an Authorization header into its keyed hash; -1 if
 * missing or malformed (auth.c). */
SRV_WUR int	srv_bearer_hash(const struct srv_ctx *, const char *authorization,
		    uint8_t hash[CRYPTO_HASH_BYTES]);
/* Reporter token hash -> case sequence, inside a transaction. */
SRV_WUR int	srv_token_case(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t *seq);

/* ---- Staff accounts and sessions (auth.c, users.c) --------------------- */

#define SRV_USERNAME_MAX	64
/* The signed-in staff member a request acts for. */
struct srv_staff {
	uint64_t	user_id;
	char		username[SRV_USERNAME_MAX + 1];
	enum core_role	role;		/* never REPORTER or SYSTEM */
	char		agency[CORE_ID_MAX + 1];	/* "" if none */
	uint8_t		session[CRYPTO_HASH_BYTES];	/* keyed hash */
};
/*
 * Resolves "Authorization: Bearer SESSION" (or, for pages, the session
 * cookie) into the staff member and refreshes the idle expiry. On failure
 * fills rp with the one 401 answer and returns -1 (403
 * "totp_enrollment_required" for a session that may only enrol TOTP,
 * see SRV_SESSION_ENROL_TTL). This is the only way a handler learns who
 * is calling.
 */
SRV_WUR int	srv_staff_auth(struct srv_ctx *, const struct srv_request *,
		    struct srv_staff *, struct srv_reply *);
/*
 * The one scope check (directory.c): 1 if the staff member may see a
 * case routed to case_agency (NULL: not routed yet). Central admins see every case;
 * agency admins and liaisons see cases of their agency and of its
 * sub-agencies (any depth); auditors see no case. Callers answer 404
 * (not 403) when this says 0, so existence does not leak.
 */
int	srv_staff_scope(struct store_txn *, const struct srv_staff *,
	    const char *case_agency);

/* ---- Audit chain (audit.c) --------------------------------------------- */

/*
 * Appends one entry to the tamper-evident audit chain inside the caller's
 * write transaction, so the entry commits together with the change it
 * records, or not at all. Entry n is the canonical JSON (compact, keys
 * sorted) of {"seq","at","actor","action","case"?,"request"?,"detail"?}
 * and h_n = BLAKE2b-256(h_{n-1} || entry n) (h_0 = 32 zero bytes); the
 * head (seq, h_n) is signed with the audit key in the same transaction.
 * actor is "role:user-id", "system" or "operator" (offline commands);
 * never a username, never personal data; detail (borrowed, may be NULL)
 * holds only non-personal facts (ids, statuses, counts, reasons' codes).
 */
SRV_WUR int	srv_audit_append(struct store_txn *, const struct srv_keys *,
		    time_t at, const char *actor, const char *action,
		    const char *case_ref, const char *request, json_t *detail);
/* "role:id" for a staff member into buf. */
void	srv_audit_actor(const struct srv_staff *, char *buf, size_t len);
/* One entry's canonical JSON at most: the fields above with ids, codes
 * and counts take a few hundred bytes; a larger entry means something
 * that does not belong in the log (free text) was put into detail. */
#define SRV_AUDIT_ENTRY_MAX	4096
/* Entries in one GET /audit page: 1000 entries of about 300 bytes each
 * keep a page well under a megabyte. */
#define SRV_AUDIT_PAGE		1000
/* The signed head; STORE_NOTFOUND while the chain is empty (outputs
 * untouched), STORE_CORRUPT for a damaged record. */
SRV_WUR int	srv_audit_head(struct store_txn *, uint64_t *seq,
		    uint8_t hash[32], uint8_t sig[64]);
/* Offline commands (bisikd user, agency, escrow, init) run their changes
 * through store jobs that cannot take keys; they sign with the keys given
 * here once (loaded from the data directory), and fail without them.
 * srv_audit_keys() is NULL until then. */
void	srv_audit_init(const struct srv_keys *);
const struct srv_keys	*srv_audit_keys(void);
/* Splits a stored entry (key, value as in STORE_T_AUDIT) into its number,
 * stored hash and canonical text (borrowed from val); -1 if malformed. */
SRV_WUR int	srv_audit_entry(const void *key, size_t klen, const void *val,
		    size_t vlen, uint64_t *seq, const uint8_t **hash,
		    const char **text, size_t *len);
/* The "seq" an entry's text names; 0 if it names none. */
uint64_t	srv_audit_claimed(const char *text, size_t len);
/* Walks the whole chain and its head against the audit public key (the
 * one check of crypto/audit.c); the outcome is in *c. STORE_OK when the
 * walk ran, whatever it found; a store error otherwise. */
SRV_WUR int	srv_audit_verify(struct store_txn *,
		    const uint8_t pk[CRYPTO_SIGN_PK_BYTES],
		    struct crypto_audit_check *c);
/* GET /api/v1/audit?after=SEQ and GET /api/v1/audit/head (api_audit.c):
 * auditors and central admins. */
void	api_audit_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_audit_head(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Directory (directory.c): agencies and categories ------------------ */

SRV_WUR int	srv_agency_put(struct store *, const char *id, const char *name,
		    const char *parent, const char *level, char *err, size_t errlen);
/* Imports a CSV "id,name,parent,level"; prints a summary on stdout. */
SRV_WUR int	srv_agency_import(struct store *, const char *buf, size_t len,
		    char *err, size_t errlen);
SRV_WUR int	srv_category_seed(struct store *);
/* 1 if the agency/category exists. */
int	srv_agency_exists(struct store_txn *, const char *id);
int	srv_category_exists(struct store_txn *, const char *id);

/* Record helpers: value = version byte 0x01 ‖ compact JSON. */
#define SRV_RECORD_V1	0x01
SRV_WUR int	srv_record_put(struct store_txn *, enum store_table,
		    const void *key, size_t klen, json_t *obj, int flags);
SRV_WUR int	srv_record_get(struct store_txn *, enum store_table,
		    const void *key, size_t klen, json_t **obj);
/* A record's value (as read from a scan) into an object; STORE_CORRUPT
 * when it is not a version 1 record of a JSON object. */
SRV_WUR int	srv_record_decode(const void *val, size_t vlen, json_t **obj);
/* A record's member read without checks: 0 or "" when absent or of
 * another type (the record was checked when it was read). */
json_int_t	srv_rec_int(const json_t *, const char *key);
const char	*srv_rec_str(const json_t *, const char *key);
/* -1 unless v is a base64 string of exactly len bytes, decoded into out. */
SRV_WUR int	srv_rec_b64_value(const json_t *v, uint8_t *out, size_t len);
/* len bytes at p as a base64 JSON string; NULL when the text would pass
 * 255 characters or out of memory. */
json_t		*srv_rec_b64_json(const void *p, size_t len);
/* A member that is a time (seconds) as ISO 8601 UTC text, for a view:
 * JSON null when absent, not an integer or before 1970; NULL when out of
 * memory. */
json_t		*srv_rec_time(const json_t *, const char *key);


/* ---- Staff sign-in: users, sessions, TOTP (users.c, sessions.c, totp.c,
 * api_auth.c) ----------------------------------------------------------- */

#define SRV_USERNAME_MIN	3	/* usernames: [a-z0-9._-]{3,64} */
/* Passwords: 12 characters at least (staff reach case data; NIST 800-63B
 * asks for 8 and more for higher assurance); 1024 bytes at most, which
 * bounds what Argon2 hashes and what a login body carries. */
#define SRV_PASSWORD_MIN	12
#define SRV_PASSWORD_MAX	1024
/* Session lifetimes: idle expiry after 30 minutes without a request,
 * absolute expiry 12 hours (one working day) after sign-in. An
 * enrolment-only session (central admin without TOTP while totp_required
 * is on) lives 15 minutes and may only enrol TOTP, list/revoke sessions
 * and log out. last_seen is written at most once a minute, so a busy
 * session costs one durable write a minute, not one per request. */
#define SRV_SESSION_IDLE	(30 * 60)
#define SRV_SESSION_ABSOLUTE	(12 * 3600)
#define SRV_SESSION_ENROL_TTL	(15 * 60)
#define SRV_SESSION_TOUCH	60
/* Live sessions kept per user; a new sign-in beyond it ends the oldest,
 * so one account cannot grow the sessions table without bound. */
#define SRV_SESSIONS_PER_USER	32
/* Lockout: from the 5th consecutive failure an account is locked for
 * 2^(failures-5) seconds, at most 15 minutes; per account, not per
 * address (behind Tor or a proxy every client has one address). */
#define SRV_LOCK_AFTER		5
#define SRV_LOCK_MAX		(15 * 60)
/* Argon2id (64 MiB each) running at once: 2 per core, at most 32 (2 GiB);
 * a login beyond it answers 503 at once rather than queueing. */
#define SRV_ARGON_PER_CORE	2
#define SRV_ARGON_MAX		32
/* Agency tree depth walked by the scope check (national, province,
 * regency, office ... is 4 to 5 levels; 16 stops a cycle in bad data). */
#define SRV_SCOPE_DEPTH		16
/* TOTP per RFC 6238 as authenticator apps expect: HMAC-SHA1, 6 digits,
 * 30-second steps, one step of clock drift either way; 160-bit secrets
 * (RFC 4226's recommendation). An enrolment not confirmed within 10
 * minutes is void. */
#define SRV_TOTP_DIGITS		6
#define SRV_TOTP_STEP		30
#define SRV_TOTP_WINDOW		1
#define SRV_TOTP_SECRET_BYTES	20
#define SRV_TOTP_PENDING_TTL	(10 * 60)
/* Recovery codes: 10, each 10 Crockford base32 symbols (50 bits) shown
 * as XXXXX-XXXXX; single use; guessing is held back by the lockout. */
#define SRV_RECOVERY_CODES	10
#define SRV_RECOVERY_SYMBOLS	10
#define SRV_RECOVERY_TEXT	(SRV_RECOVERY_SYMBOLS + 2)

/* 1 if s is a valid username. */
int	srv_username_ok(const char *s);
/* Reads the first line of a password file (its line ending not part of
 * it) into guarded memory (*pw, NUL-terminated; free with
 * crypto_secret_free). Checks the length bounds and the text rules. */
SRV_WUR int	srv_password_read(const char *path, char **pw, size_t *len,
		    char *err, size_t errlen);
/* Offline user administration (bisikd user ...). Each writes one sentence
 * into err on failure and returns -1. */
SRV_WUR int	srv_user_add(struct store *, const char *username,
		    const char *role, const char *agency, const char *pw,
		    size_t len, time_t now, uint64_t *id, char *err,
		    size_t errlen);
SRV_WUR int	srv_user_disable(struct store *, const char *username,
		    char *err, size_t errlen);
/* New password; clears the lockout and ends every session of the user. */
SRV_WUR int	srv_user_reset_password(struct store *, const char *username,
		    const char *pw, size_t len, char *err, size_t errlen);
/* Removes TOTP and recovery codes (a lost phone); ends every session. */
SRV_WUR int	srv_user_reset_totp(struct store *, const char *username,
		    char *err, size_t errlen);
/* One line per user: username, role, agency, disabled, totp; no hashes. */
SRV_WUR int	srv_user_list(struct store *, FILE *out, char *err,
		    size_t errlen);
/* Records inside a transaction: STORE_T_USERS (id, 8 BE) and
 * STORE_T_USERNAMES (username -> 0x01 ‖ id). */
SRV_WUR int	srv_user_id(struct store_txn *, const char *username,
		    uint64_t *id);
SRV_WUR int	srv_user_get(struct store_txn *, uint64_t id, json_t **rec);
SRV_WUR int	srv_user_put(struct store_txn *, uint64_t id, json_t *rec);

/* Sessions (sessions.c): STORE_T_SESSIONS holds hash -> record and, as a
 * second key space, 'U' ‖ user (8 BE) ‖ hash -> 0x01 for listing. */
#define SRV_SESSION_INDEX	'U'
SRV_WUR int	srv_session_put(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user,
		    time_t now, time_t expires, int limited);
SRV_WUR int	srv_session_del(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user);
/* 1 if a session record is neither expired nor idle past
 * SRV_SESSION_IDLE at now. */
int	srv_session_live(json_t *rec, time_t now);
/* Ends every session of a user. */
SRV_WUR int	srv_sessions_end_user(struct store_txn *, uint64_t user);
/* Drops the user's expired sessions and, past SRV_SESSIONS_PER_USER - 1,
 * the least recently used, making room for one more. */
SRV_WUR int	srv_sessions_prune(struct store_txn *, uint64_t user,
		    time_t now);
/* The user's live sessions as [{"id","created_at","last_seen",
 * "expires_at","current"}], newest first; "id" is the hex of the first
 * SRV_SESSION_ID_BYTES of the hash (not enough to use a session). */
#define SRV_SESSION_ID_BYTES	8
SRV_WUR int	srv_sessions_list(struct store_txn *, uint64_t user, time_t now,
		    const uint8_t current[CRYPTO_HASH_BYTES], json_t **out);
/* Ends the user's session with that id; STORE_NOTFOUND if none of theirs. */
SRV_WUR int	srv_session_revoke_id(struct store_txn *, uint64_t user,
		    const char *id);
/* Like srv_staff_auth; with allow_limited an enrolment-only session also
 * passes and *limited says so. */
SRV_WUR int	srv_staff_auth_ex(struct srv_ctx *, const struct srv_request *,
		    struct srv_staff *, struct srv_reply *, int allow_limited,
		    int *limited);
/* Lock time after `failures` consecutive failures (0 below the bound). */
time_t	srv_lock_seconds(long long failures);
/* The bound on concurrent Argon2id: 0 and a slot taken, or -1 when full. */
SRV_WUR int	srv_argon_enter(void);
void	srv_argon_leave(void);
/* A password hash of random bytes with the current cost, verified in place
 * of a real one for unknown users so that both take the same time. */
const char	*srv_dummy_hash(void);
/* Makes the dummy hash and sizes the Argon2 bound; call before serving. */
void	srv_auth_init(void);

/* TOTP and recovery codes (totp.c). Codes are compared in constant time. */
SRV_WUR int	srv_totp_generate(const uint8_t *secret, size_t len, time_t now,
		    unsigned digits, char *out /* digits + 1 */);
/* 0 if code is valid at now +- SRV_TOTP_WINDOW steps and its step counter
 * is above `after` (a code is used once); *counter gets its step. */
SRV_WUR int	srv_totp_check(const uint8_t *secret, size_t len, time_t now,
		    unsigned digits, const char *code, uint64_t after,
		    uint64_t *counter);
/* Seals/opens a TOTP secret under the storage key; the additional data
 * names the user and whether the secret is pending or active. */
SRV_WUR int	srv_totp_seal(const uint8_t *storage, uint64_t user,
		    int pending, const uint8_t secret[SRV_TOTP_SECRET_BYTES],
		    char **b64);
SRV_WUR int	srv_totp_open(const uint8_t *storage, uint64_t user,
		    int pending, const char *b64,
		    uint8_t secret[SRV_TOTP_SECRET_BYTES]);
/* Base32 secret, otpauth:// URI and an SVG QR code of the URI; malloc'd,
 * wipe and free each with srv_secret_text_free. */
SRV_WUR int	srv_totp_enrolment(const char *username,
		    const uint8_t secret[SRV_TOTP_SECRET_BYTES], char **b32,
		    char **uri, char **svg);
void	srv_secret_text_free(char *);
void	srv_recovery_new(char out[SRV_RECOVERY_TEXT]);
/* Canonical form (upper case, no separators) of a typed code; -1 if not
 * one. */
SRV_WUR int	srv_recovery_parse(const char *in,
		    char canon[SRV_RECOVERY_SYMBOLS + 1]);
/* Keyed hash (pepper) of a canonical code bound to the user, in hex. */
void	srv_recovery_hash(const uint8_t *pepper, uint64_t user,
	    const char canon[SRV_RECOVERY_SYMBOLS + 1],
	    char out[CRYPTO_HASH_BYTES * 2 + 1]);

/* Handlers (api_auth.c). */
void	api_auth_login(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_logout(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_sessions(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_session_revoke(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_totp_enroll(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_totp_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Attachments (attach.c: content; api_attach.c: storage, API) ------- */

/* The allow-list, told apart by content (srv_attach_sniff). */
enum srv_attach_type {
	SRV_ATTACH_JPEG,
	SRV_ATTACH_PNG,
	SRV_ATTACH_WEBP,
	SRV_ATTACH_PDF,
	SRV_ATTACH_TEXT,	/* UTF-8, no NUL, no controls but \t \n \f \r */
	SRV_ATTACH_TYPE_MAX
};
enum srv_attach_err {
	SRV_ATTACH_OK = 0,
	SRV_ATTACH_UNSUPPORTED,	/* 415: not on the allow-list */
	SRV_ATTACH_TOO_BIG,	/* 422: more than SRV_MEDIA_PIXELS_MAX */
	SRV_ATTACH_CORRUPT,	/* 422: an image that does not decode */
	SRV_ATTACH_FAILED,	/* 422: the helper died, timed out, or gave
				 * back what is not a bare image of the type */
	SRV_ATTACH_NOMEM,	/* 503: no memory, or no helper worker */
	SRV_ATTACH_ERR_MAX
};
/* The type of a file from its first bytes; -1 if not allowed (also for
 * an empty file, markup, executables, archives, SVG). */
int	srv_attach_sniff(const uint8_t *, size_t);
const char	*srv_attach_mime(int type);	/* NULL if out of range */
const char	*srv_attach_ext(int type);
int	srv_attach_type_parse(const char *mime);	/* -1 if none */
/* Display name from a client's file name: last path segment, valid UTF-8
 * only, no control or bidirectional-override characters, no leading dots,
 * at most SRV_ATTACH_NAME_MAX characters; "attachment" if nothing is
 * left. raw may be NULL. */
void	srv_attach_name_clean(const char *raw,
	    char out[SRV_ATTACH_NAME_BYTES]);
/* The name with the type's extension added unless it has a fitting one. */
void	srv_attach_download_name(const char *name, int type, char *out,
	    size_t outlen);
/*
 * The copy agency staff get, as enum srv_attach_err. Images: decoded and
 * re-encoded in the same format, upright, without any metadata, by a
 * worker of the image helper (srv_media_clean), and the result checked
 * here. Text: the automatic redaction. PDF: *out NULL, meaning the
 * original itself (its metadata is not removed). *out is malloc'd; may
 * block while SRV_ATTACH_IMAGE_JOBS images are being processed, at most
 * "image_timeout" seconds for an image.
 */
SRV_WUR int	srv_attach_clean(int type, const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen);
/* 0 if p is an image of type whose structure holds no metadata block
 * (JPEG: only APP0 and APP14 before the scan; PNG: only pixel chunks);
 * a WebP is rewritten in place without its EXIF, XMP and ICC chunks
 * (*len shrinks). -1 otherwise. For what the image helper returns. */
SRV_WUR int	srv_attach_bare(int type, uint8_t *p, size_t *len);
/* Who looks: names and copies differ (api_attach.c). */
enum srv_attach_audience {
	SRV_AUD_REPORTER,
	SRV_AUD_AGENCY,
	SRV_AUD_CENTRAL,
	SRV_AUD_MAX
};
/* Appends the case's attachments to array as the audience sees them:
 * {"attachment", "name", "type", "size", "at", "from"}. */
SRV_WUR int	srv_attach_list(struct store_txn *, const struct srv_case *,
		    int audience, json_t *array);

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

/* A queue page holds 50 summaries unless the client asks for up to 200:
 * each summary opens a sealed record, 200 keep a page under ~50 ms. */
#define SRV_QUEUE_LIMIT_DEFAULT	50
#define SRV_QUEUE_LIMIT_MAX	200
/* A page filtered by assignee= or q= looks at most at this many index
 * entries (each opens a sealed record); when it stops early, next_cursor
 * goes on from there. */
#define SRV_QUEUE_SCAN_MAX	1000
/* q= is a short search text (characters). */
#define SRV_QUEUE_Q_MAX		100
/* Agencies one scope spans at most (Indonesia has ~600 central and local
 * government bodies, each with a few units); a wider scope is refused
 * (503) rather than walked without bound. */
#define SRV_SCOPE_AGENCIES_MAX	4096
/* Overdue index entries counted per GET /cases/counts; beyond it the
 * figure is a lower bound and "overdue_capped" is true. */
#define SRV_COUNTS_SCAN_MAX	100000
/* The reporter may reopen for 14 (calendar) days after a resolution;
 * then the case closes by itself. */
#define SRV_REOPEN_SECONDS	(14 * 86400)
/* The sweeper wakes once a minute (config "sweep_interval_seconds":
 * from once a second, for tests, to once an hour) and closes at most 100
 * cases in one durable job, so a backlog never makes one long write
 * transaction. */
#define SRV_SWEEP_INTERVAL	60
#define SRV_SWEEP_INTERVAL_MIN	1
#define SRV_SWEEP_INTERVAL_MAX	3600
#define SRV_SWEEP_BATCH		100
/* Cases merged into one, listed in its record. */
#define SRV_MERGED_FROM_MAX	256
/* Evidence named by one resolution. */
#define SRV_RESOLVE_ATTACH_MAX	20
/*
 * Completion photos sent with one resolve form (pages_staf.c): the form
 * is held whole, each file up to max_attachment_bytes, so it takes this
 * many of the SRV_ATTACH_INFLIGHT upload slots (a quarter of them): a
 * phone's few photos of the finished work. More go as evidence first
 * and are ticked, up to SRV_RESOLVE_ATTACH_MAX.
 */
#define SRV_RESOLVE_PHOTOS_MAX	4
/* Index due of a case with nothing due (closed, rejected, merged): last. */
#define SRV_DUE_NONE		UINT64_MAX
/* Longest index or counter key: agency ‖ NUL ‖ status ‖ due ‖ sequence. */
#define SRV_IDX_KEY_MAX		(CORE_ID_MAX + 18)
/* Queue counters in STORE_T_STATS: "q:" ‖ agency ‖ NUL ‖ status ->
 * 0x01 ‖ total (8 BE) ‖ unread (8 BE); agency "" for none. */
#define SRV_COUNTER_PREFIX	"q:"

/* Who makes a transition: a role and, for staff, the user id (the
 * timeline keeps both; the reporter's view shows only the role). */
struct srv_actor {
	enum core_role	role;
	uint64_t	user;		/* 0: reporter or system */
};
/* Where a case sits in the indexes and counters (qindex.c). */
struct srv_qpos {
	int		status;		/* enum core_status */
	uint64_t	due;		/* SRV_DUE_NONE: nothing due */
	char		agency[CORE_ID_MAX + 1];	/* "": none */
	int		unread;
};
/* enum core_status of a case record; -1 if it has none. */
int	srv_case_status(const json_t *meta);
void	srv_qpos_of(const json_t *meta, struct srv_qpos *);
/* Index and counter keys; return their length. */
size_t	srv_idx_status_key(uint8_t key[SRV_IDX_KEY_MAX], int status,
	    uint64_t due, uint64_t seq);
size_t	srv_idx_agency_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
	    int status, uint64_t due, uint64_t seq);
size_t	srv_counter_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
	    int status);
SRV_WUR int	srv_counter_get(struct store_txn *, const char *agency,
		    int status, uint64_t *total, uint64_t *unread);
/* Moves a case's index entries and counters from one position to another
 * (from NULL: a new case) in the caller's transaction. */
SRV_WUR int	srv_queue_move(struct store_txn *, uint64_t seq,
		    const struct srv_qpos *from, const struct srv_qpos *to);
/* Sets due_at from the status and the stage deadlines of the record. */
void	srv_case_due(json_t *meta);
/* 1 if a staff deadline of the case has passed (not for resolved or
 * final cases). */
int	srv_case_overdue(const json_t *meta, time_t now);
/* 1 for the statuses in which a case is routed to its agency. */
int	srv_status_routed(int status);
/* The scope check for one case: srv_staff_scope() on its agency while it
 * is routed (agency staff never see a case central admins still review). */
int	srv_case_in_scope(struct store_txn *, const struct srv_staff *,
	    const json_t *meta);
/* A timeline entry by who (extra is borrowed). */
SRV_WUR int	srv_case_event(struct store_txn *, const struct srv_case *,
		    time_t now, const char *type, const struct srv_actor *who,
		    const char *text, int visible, json_t *extra);
/* Sets the new status, recomputes due_at, adds the "status" timeline
 * entry, moves the index entries from `before` and saves the record. */
SRV_WUR int	srv_case_transition(struct store_txn *, struct srv_case *,
		    const struct srv_qpos *before, enum core_status to,
		    time_t now, const struct srv_actor *who, const char *text,
		    int visible, json_t *extra);
/* Saves a changed record without a status change (indexes moved too). */
SRV_WUR int	srv_case_save(struct store_txn *, struct srv_case *,
		    const struct srv_qpos *before, time_t now);
/* Seals c->content back into c->meta. */
SRV_WUR int	srv_case_content_put(struct srv_case *);
/* A staff answer the reporter can read: clears unread and, from the
 * agency side, meets the first-response deadline. 0, or -1 if meta
 * could not be changed (out of memory). */
SRV_WUR int	srv_case_responded(json_t *meta, time_t now, int agency_side);
/* The staff view of a loaded case (GET /cases/{case}); *rc says why NULL. */
json_t	*srv_staff_case_view(struct store_txn *, const struct srv_staff *,
	    const struct srv_case *, time_t now, int *rc);

/* The one submission path (api_report.c): reporter or staff intake. */
struct srv_submission {
	struct core_report	*report;	/* its identity is wiped */
	const struct srv_staff	*staff;		/* intake; NULL: reporter */
	time_t			 now;
	const uint8_t		*pow_id;	/* NULL: no challenge */
	uint64_t		 pow_expires;
	/* out */
	char			 ref[CORE_CASE_REF_MAX];
	char			 token[CRYPTO_TOKEN_TEXT];	/* wipe it */
	uint8_t			 content_hash[CRYPTO_HASH_BYTES];
	int			 has_identity;
	uint8_t			 identity_hash[CRYPTO_HASH_BYTES];
	uint64_t		 audit_seq;	/* the head at filing */
	uint8_t			 audit_head[CRYPTO_HASH_BYTES];
};
/* Seals, numbers and stores a new case; on failure fills rp, -1. */
SRV_WUR int	srv_case_submit(struct srv_ctx *, struct srv_submission *,
		    struct srv_reply *);
/* POST /reports as the web form sends it without JavaScript: the same
 * parse, submission and answer as api_report_submit, with the form's
 * challenge (already checked for its waiting time, pages_lapor.c) made
 * single use in place of a proof of work. */
void	srv_report_submit_waited(struct srv_ctx *, const struct srv_request *,
	    const uint8_t id[CRYPTO_CHALLENGE_ID_BYTES], uint64_t expires,
	    struct srv_reply *);

/* The automatic close (sweeper.c). srv_sweep closes resolved cases whose
 * 14 days are over, SRV_SWEEP_BATCH at most, in one durable job. */
SRV_WUR int	srv_sweep(struct srv_ctx *, time_t now, size_t *closed);
SRV_WUR int	srv_sweeper_start(struct srv_ctx *);
void	srv_sweeper_stop(void);

void	api_cases_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_counts(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* The shape check of a staff action body (POST /cases/{case}/actions)
 * alone, as the handler makes it first: CORE_OK with the action
 * (enum core_action) and the number of fields it takes besides "action",
 * or the error code and errs the handler answers 400 or 422 with.
 * tests/fuzz/fuzz_action.c drives it. */
SRV_WUR int	srv_action_parse(const char *, size_t, int *action,
		    size_t *nfields, struct core_errors *);
void	api_case_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_action(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_preview(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_intake(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_reopen(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/*
 * GET /api/v1/liaisons?agency=ID (users.c): the liaisons a case of that
 * agency may be given to (accept): users with the liaison role, not
 * disabled, of the agency or one of its sub-agencies, sorted by username,
 * at most SRV_LIAISONS_MAX. Agency admins (default: their own agency; one
 * outside their scope is 404) and central admins (without an agency:
 * every agency's, by agency then username, "agency": null).
 */
#define SRV_LIAISONS_MAX	500	/* a long <select> already */
void	api_liaisons(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Escrow generations (escrow_gen.c) ------------------------------------ */

/* JSON depth of an escrow file: root, reshare, dealer_commitments, one
 * dealer's list, and a value. */
#define SRV_ESCROW_DEPTH	6
/* One installed generation: the file as installed and what the
 * disclosure checks need of each holder (index i+1 at holder[i]). */
struct srv_generation {
	uint32_t	generation;
	unsigned	threshold, n;
	uint8_t		Y[CRYPTO_POINT_BYTES];
	struct {
		uint8_t	sign_pk[CRYPTO_SIGN_PK_BYTES];
		uint8_t	box_pk[CRYPTO_BOX_PK_BYTES];
		uint8_t	commitment[CRYPTO_POINT_BYTES];
	}		holder[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		config[CRYPTO_HASH_BYTES];	/* configuration hash */
	json_t		*file;		/* owned; srv_generation_free */
};
/* Every public value of an escrow file (holder indices must be 1..n in
 * order); -1 and one sentence if one is missing or malformed. Points are
 * checked to be valid; nothing else is. */
SRV_WUR int	srv_escrow_parse(const json_t *root,
		    struct crypto_escrow_config *, char *err, size_t errlen);
/* The configuration hash of c into hash, checked against the file's
 * "config_hash" if it has one; then every holder must have exactly one
 * valid signature over it in "holder_signatures". -1 and one sentence. */
SRV_WUR int	srv_escrow_check_signatures(const json_t *root,
		    const struct crypto_escrow_config *c,
		    uint8_t hash[CRYPTO_HASH_BYTES], char *err, size_t errlen);
/* A resharing (c->reshared): the generation it names by configuration
 * hash is installed here, the retired holders and previous threshold are
 * that generation's, and each dealer's signature verifies with the
 * dealer's key in it. -1 and one sentence. */
SRV_WUR int	srv_escrow_check_dealers(struct store *, const json_t *root,
		    const struct crypto_escrow_config *c, char *err,
		    size_t errlen);
/* Checks the resharing record of a version 2 escrow file (threshold k,
 * n holders, key Y) as far as public data allows; -1 and one sentence. */
SRV_WUR int	srv_escrow_check_reshare(const json_t *root,
		    const uint8_t Y[CRYPTO_POINT_BYTES], size_t k, size_t n,
		    char *err, size_t errlen);
/* In the install job of generation gen: links every earlier generation
 * with the same Y to it ("escrow.open.<g>") and says whether it becomes
 * current (a resharing of a key that is not current does not). */
SRV_WUR int	srv_escrow_link(struct store_txn *, uint32_t gen,
		    const uint8_t Y[CRYPTO_POINT_BYTES], int reshared,
		    int *make_current);
/* The generation whose holders open identities sealed under sealed_gen. */
SRV_WUR int	srv_escrow_opener(struct store_txn *, uint32_t sealed_gen,
		    uint32_t *gen);
/* Loads generation gen; STORE_NOTFOUND if there is none. */
SRV_WUR int	srv_escrow_generation(struct store_txn *, uint32_t gen,
		    struct srv_generation *);
void	srv_generation_free(struct srv_generation *);

/* ---- Identity disclosure (disclose.c, api_disclose.c, adminkey.c) -------- */

/* Request ids: 8 random bytes as 16 hex digits, chosen by the requester's
 * client and signed with the request, so a request cannot be replayed
 * under another id. */
#define SRV_DISCLOSURE_ID_BYTES		8

/* A request's state while it waits for approvals, and once a resharing
 * retired its holders. */
#define SRV_DISCLOSURE_PENDING	"pending"
#define SRV_DISCLOSURE_VOIDED	"voided"
/* A request record by its id (disclose.c). */
SRV_WUR int	srv_disclosure_load(struct store_txn *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t **rec);
SRV_WUR int	srv_disclosure_save(struct store_txn *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec);
/* Marks a pending request voided (a resharing retired its holders) and
 * audits it, as ctx's keys or, with ctx NULL, srv_audit_keys(). */
SRV_WUR int	srv_disclosure_void(struct store_txn *, struct srv_ctx *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec,
		    time_t now);
/* In the install job of a resharing: every pending request whose
 * generation's identities are now opened by other holders becomes
 * "voided" (audited); *count says how many. */
SRV_WUR int	srv_disclosure_void_stale(struct store_txn *, time_t now,
		    unsigned *count);

/* A request is open for 72 hours unless configured (1 second to 30
 * days): long enough for admins in other time zones and on leave to
 * answer, short enough that a forgotten request cannot be approved
 * months later under other circumstances. */
#define SRV_DISCLOSURE_TTL_HOURS	72
#define SRV_DISCLOSURE_TTL_MAX		(30 * 24 * 3600)
/* Reason and legal basis (code points): a paragraph and a citation. */
#define SRV_DISCLOSURE_REASON_MAX	2000
#define SRV_DISCLOSURE_BASIS_MAX	500
/* How far a request's signed creation time may be from the server's
 * clock: admins' machines keep time by NTP; five minutes forgive a bad
 * one without letting a request signed long ago be brought in late. */
#define SRV_DISCLOSURE_CLOCK_SKEW	300
/* Request records one list or per-case lookup walks at most; disclosures
 * are rare events (a few a year per case at most). */
#define SRV_DISCLOSURES_SCAN_MAX	10000
/* JSON depth of the request bodies. */
#define SRV_DISCLOSURE_DEPTH		2

void	api_case_disclosures(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_disclosure_request(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclosures_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclosure_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclosure_approve(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclosure_deny(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Dealerless escrow key ceremony (api_ceremony.c) ------------------------- */

/* A ceremony's four phases each close one period after the one before
 * (the first one period after it opens) and it expires one more period
 * after the last, for the holders to sign: 24 hours by default, so that
 * each holder, in any time zone and with a day's other duties, can act in
 * each phase; configurable from one second (tests) to 7 days (a ceremony
 * then lasts at most 35 days, after which an unfinished one is purged). */
#define SRV_DKG_PHASE_HOURS	24
#define SRV_DKG_PHASE_MAX	(7 * 24 * 3600)
/* Ceremonies unfinished and unexpired at once: a key ceremony is a rare,
 * planned event; more at once is a mistake or an attempt to fill the
 * disk (each record grows to about 400 KiB with 32 holders). */
#define SRV_DKG_OPEN_MAX	8
/* Ceremony records (expired ones included, a few hundred bytes each)
 * one listing or sweep looks at. */
#define SRV_DKG_SCAN_MAX	1000
/* JSON depth of the bodies: {"holders": [{"sign_key", ...}]}. */
#define SRV_DKG_DEPTH		3
void	api_ceremony_create(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_sign(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/*
 * `bisikd user set-key --username U --public-key A.pub`: links a central
 * admin's account to their admin key (the FILE.pub of `bisik keygen`):
 * the user record gets "sign_key" and "box_key". Disclosure requests and
 * approvals must then be signed with that key and come from that account,
 * so the server knows which escrow holder acts. A key belongs to one
 * account at most. Audited ("user.set_key").
 */
SRV_WUR int	srv_user_set_key(struct store *, const char *username,
		    const char *pubtext, size_t len, char *err, size_t errlen);
/* The admin key registered for a user record; -1 if none. */
SRV_WUR int	srv_user_admin_key(const json_t *rec,
		    uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
		    uint8_t box_pk[CRYPTO_BOX_PK_BYTES]);

/* ---- Storage key rotation (rekey.c) ---------------------------------------- */

/* Cases re-wrapped per durable write transaction by default: 1000 keeps
 * one commit well under a second and a resumed run repeats little. */
#define SRV_REKEY_BATCH		1000
#define SRV_REKEY_BATCH_MAX	100000
/* With --data-keys a case is all of its text, messages and files
 * (up to 40 copies of max_attachment_bytes): 50 a transaction by
 * default keeps one commit's dirty pages within memory. */
#define SRV_REKEY_DATA_BATCH	50
/*
 * `bisikd rekey`: a new storage key, every case's data key and every
 * TOTP secret re-wrapped under it in batches (progress in meta "rekey",
 * so a run killed at any point resumes where it stopped), then the key
 * files swapped by rename and the old key wiped. With data_keys, every
 * case also gets a new data key and everything sealed under the old one
 * (text, timeline, attachments and their names, identity record) is
 * re-encrypted under it, so an old storage key and an old copy of the
 * store no longer open today's text. batch: cases per transaction;
 * max_rate: cases per second at most (0: no limit); progress on stderr.
 * -1 with one sentence in err.
 */
SRV_WUR int	srv_rekey(const char *datadir, size_t batch, unsigned max_rate,
		    int data_keys, char *err, size_t errlen);
/* 1 if a rotation is under way in the store (serve refuses to start). */
int	srv_rekey_pending(struct store *);
/*
 * An exclusive lock on the data directory (flock on DIR/keys) held for as
 * long as *fd stays open: serve and rekey take it, so that the storage
 * key is never rotated under a running server. -1 with the reason in err
 * (another holds it, or DIR is not a data directory).
 */
SRV_WUR int	srv_datadir_lock(const char *datadir, int *fd, char *err,
		    size_t errlen);

/* ---- Transparency: duplicates, statistics, publication, retention,
 * export (dedup.c, derived.c, publish.c, retention.c, export.c, zip.c) ---- */

/*
 * Duplicates (dedup.c). At submission the title and body are signed
 * (core_minhash) before they are sealed; STORE_T_DEDUP_BANDS then holds,
 * per case, one key per LSH band: band (1) ‖ band hash (8) ‖ case (8 BE)
 * -> empty, where the band hash is keyed with a key derived from the
 * pepper (a dump of the table cannot be matched against a guessed text).
 * The signature is not stored: a lookup signs each candidate again from
 * its sealed text. Lookups read at most SRV_DEDUP_BUCKET_MAX entries per
 * band and open at most SRV_DEDUP_CANDIDATES_MAX cases (a flood of
 * identical reports cannot make one view slow); beyond, the list says
 * "duplicates_capped". At most SRV_DEDUP_LIST_MAX are listed, most
 * similar first.
 */
#define SRV_DEDUP_BUCKET_MAX	1000
#define SRV_DEDUP_CANDIDATES_MAX 2000
#define SRV_DEDUP_LIST_MAX	100
/* Bucket entries a submission looks at for its hint ("dup_candidates"):
 * no other case is opened on the reporter's path. */
#define SRV_DEDUP_SUBMIT_SCAN	64
/* The signature of a report's title and body (normalised together);
 * -1 if the text has no letter or digit (nothing to compare). */
SRV_WUR int	srv_dedup_sign(const char *title, const char *body,
		    uint32_t sig[CORE_MINHASH_K]);
/* The bytes of a band hash kept in a band key. */
#define SRV_DEDUP_BAND_BYTES	8
/* The keyed hashes of sig's bands: computed once a submission, outside
 * the single writer, for both its hint and its band keys. */
void		srv_dedup_bands(const struct srv_keys *,
		    const uint32_t sig[CORE_MINHASH_K],
		    uint8_t out[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES]);
/* Stores a new case's band keys (its submission job). */
SRV_WUR int	srv_dedup_put(struct store_txn *, uint64_t seq,
		    const uint8_t bands[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES]);
/* Removes a loaded case's band keys, computed from its text (shredding;
 * before its data key goes). */
SRV_WUR int	srv_dedup_del(struct store_txn *, const struct srv_keys *,
		    const struct srv_case *);
/* Cases other than `self` at least `min` similar to sig, as a JSON array
 * [{"case","similarity","status"}], most similar first; *capped is set
 * when a bound stopped the search. */
SRV_WUR int	srv_dedup_find(struct store_txn *, const struct srv_keys *,
		    const uint32_t sig[CORE_MINHASH_K], uint64_t self,
		    double min, json_t **out, int *capped);
/* How many stored cases share an LSH bucket with the band hashes of
 * srv_dedup_bands, looking at max bucket entries at most and opening
 * nothing (submission's hint). */
SRV_WUR int	srv_dedup_candidates(struct store_txn *,
		    const uint8_t bands[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES],
		    size_t max, size_t *n);
/* The "duplicates" of a loaded case (GET /cases/{case}, central admins):
 * every other case at least CORE_DUPLICATE_MIN similar. */
SRV_WUR int	srv_case_duplicates(struct store_txn *, const struct srv_keys *,
		    const struct srv_case *, json_t **out, int *capped);
/* Adds what only central admins see to a staff view (srv_staff_case_view):
 * "duplicates" (and "duplicates_capped": true when a bound stopped the
 * search) and "legal_hold". */
SRV_WUR int	srv_staff_view_central(struct store_txn *,
		    const struct srv_keys *, const struct srv_case *,
		    json_t *view);

/*
 * Derived data (derived.c; the deadline watch: watch.c). Every write of a case record (srv_case_put)
 * also brings, in the same transaction, what is derived from the record
 * up to date by the difference between the stored and the new record:
 *   "s:" ‖ month (4 BE) ‖ agency ‖ 0 ‖ category ‖ 0 ‖ stat (1) ‖ arg (2 BE)
 *        -> 0x01 ‖ count (8 BE): the statistics counters (core_stat_items;
 *        month of submission in WIB; the agency the case is routed to,
 *        "" while it is not; absent when zero);
 *   "r:" ‖ same: the counts of shredded cases, kept (see retention.c);
 *   "d:" ‖ due (8 BE) ‖ case (8 BE) ‖ stage (1): deadlines to watch;
 *   "x:" ‖ status (1) ‖ since (8 BE) ‖ case (8 BE): final cases without
 *        a legal hold, by the time they became final (retention);
 *   "p:" ‖ published_at (8 BE) ‖ case (8 BE): published cases.
 * `bisikd stats rebuild` recomputes all of them (and the queue counters)
 * from the records and compares.
 */
#define SRV_STATS_PREFIX	"s:"
#define SRV_RETAINED_PREFIX	"r:"
#define SRV_WATCH_PREFIX	"d:"
#define SRV_RETAIN_PREFIX	"x:"
#define SRV_PUBLIC_PREFIX	"p:"
/* Deadline watch: passed deadlines written into their records ("missed")
 * per durable job at most; the sweeper runs it every minute. */
#define SRV_WATCH_BATCH		500
/* Brings the derived data from `old` (NULL: a new case) to `meta` (NULL:
 * the case is being shredded; its counts then move to "r:"). */
SRV_WUR int	srv_case_derived(struct store_txn *, uint64_t seq,
		    const json_t *old, const json_t *meta);
/* Called by srv_case_put with the stored record read first. */
SRV_WUR int	srv_case_derived_put(struct store_txn *, uint64_t seq,
		    const json_t *meta);
/* The value of an "s:" or "r:" counter: 0x01 ‖ count (8 BE). */
#define SRV_DERIVED_COUNT_LEN	9
/* A counter key ("s:" or "r:") read back; -1 if it is not one. */
struct srv_derived_key {
	int32_t		 month;
	char		 agency[CORE_ID_MAX + 1];
	char		 category[CORE_ID_MAX + 1];
	int		 stat, arg;
};
SRV_WUR int	srv_derived_key_parse(const uint8_t *k, size_t len,
		    struct srv_derived_key *);
/* Marks deadlines that passed by `now` (one durable job); *n: marked. */
SRV_WUR int	srv_watch_sweep(struct srv_ctx *, time_t now, size_t *n);
/* `bisikd stats rebuild`: recounts from the case records and compares
 * with the stored counters and indexes, one line per difference on out;
 * with fix, replaces the stored ones. *diffs: differences found. */
SRV_WUR int	srv_stats_rebuild(struct store *, FILE *out, int fix,
		    size_t *diffs);
/* `bisikd stats rebuild [--data DIR] [--fix]` and `bisikd compact [--data
 * DIR]` (cmd_data.c): argv after the command word; exit codes. */
int	srv_cmd_stats(int argc, char **argv);
int	srv_cmd_compact(int argc, char **argv);

/* Statistics and reports (api_stats.c). GET /stats is public: every figure
 * from fewer than suppression_threshold cases is null, and so is a second
 * figure wherever a total minus the figures shown would give a suppressed
 * one back (core_suppress). Periods: YYYY, YYYY-MM or YYYY-Qn. */
void	api_stats(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* GET /reports/periodic?period=&format=json|csv: auditors, central
 * admins; one row per agency and the audit head at the period's end. */
void	api_reports_periodic(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* An in-place heap sort (sort.c; not stable) with qsort's arguments. Not qsort():
 * glibc's asks the kernel for the memory size (sysinfo) on arrays over a
 * kilobyte, which the seccomp allow-list of a confined server refuses. */
void	srv_sort(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));
/* -1 (http.c) if the request's query has a parameter not in allowed[n], or one
 * twice (the API answers 400 then, as GET /cases does). */
SRV_WUR int	srv_query_check(const struct srv_request *,
		    const char *const *allowed, size_t n);

/* Publication (publish.c): published public cases, redacted as the
 * central admin approved them. Pages: SRV_PUBLIC_LIMIT_DEFAULT cases, at
 * most SRV_PUBLIC_LIMIT_MAX; a search (q=, at most SRV_QUEUE_Q_MAX
 * characters, matched on the normalised published title and body) opens
 * at most SRV_PUBLIC_SCAN_MAX cases a page and hands back a cursor to go
 * on. The feed holds the SRV_FEED_ENTRIES latest. Evidence: only images
 * that staff attached to the resolution, as the agency copy (re-encoded,
 * no metadata), only while the case is published. */
#define SRV_PUBLIC_LIMIT_DEFAULT 20
#define SRV_PUBLIC_LIMIT_MAX	100
#define SRV_PUBLIC_SCAN_MAX	500
#define SRV_FEED_ENTRIES	50
void	api_public_cases(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_feed(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_attachment(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* The bytes of attachment n of a loaded case as an audience gets them
 * (api_attach.c): *out malloc'd (wipe and free it), its type and the
 * name the audience sees. STORE_NOTFOUND if the case has no such file. */
SRV_WUR int	srv_attach_get(struct store_txn *, const struct srv_case *,
		    uint32_t n, int audience, uint8_t **out, size_t *len,
		    int *type, char name[SRV_ATTACH_NAME_BYTES]);

/*
 * Retention (retention.c). A closed, rejected or merged case without a
 * legal hold is shredded once its retention (config "retention") is
 * over: its wrapped data key, identity record, content, timeline,
 * attachments, LSH band keys, token and indexes are deleted in one
 * transaction with an audit entry "case_shredded"; its counts stay (in
 * "r:"). A surviving case takes the cases merged into it along. The
 * sweeper runs it at start and every SRV_RETAIN_INTERVAL seconds, at most
 * SRV_RETAIN_BATCH cases a job. Deleted bytes stay in LMDB's free pages
 * until `bisikd compact` rewrites the file (store_compact).
 */
enum srv_retain {
	SRV_RETAIN_CLOSED,
	SRV_RETAIN_REJECTED,
	SRV_RETAIN_MERGED,
	SRV_RETAIN_MAX
};
#define SRV_RETAIN_INTERVAL	3600
#define SRV_RETAIN_BATCH	100
#define SRV_RETAIN_MONTHS_MAX	1200	/* 100 years */
SRV_WUR int	srv_retention_sweep(struct srv_ctx *, time_t now,
		    size_t *shredded);
/* The sweeper's share of it (sweeper.c, once a minute): the deadline
 * watch every time, retention at the first call and then every
 * SRV_RETAIN_INTERVAL seconds; failures are logged. */
void	srv_transparency_sweep(struct srv_ctx *, time_t now);
/* POST /cases/{case}/hold {"hold": true|false}: central admins
 * (api_hold.c). */
void	api_case_hold(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* Export (export.c, zip.c): GET /cases/{case}/export, a store-only ZIP of
 * case.json, timeline.json and attachments/ as the caller may see them
 * (agency staff: the redacted view and agency copies). At most
 * SRV_EXPORT_JOBS are built at once (each holds the case's files in
 * memory, up to 20 x max_attachment_bytes). Audited ("case.export"). */
#define SRV_EXPORT_JOBS		2
void	api_case_export(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* A store-only ZIP built in memory. Entry names are UTF-8 without "..",
 * leading "/" or backslashes; at most SRV_ZIP_ENTRIES entries and
 * SRV_ZIP_MAX bytes in all (no ZIP64). */
#define SRV_ZIP_ENTRIES		256
#define SRV_ZIP_MAX		((size_t)1 << 31)
struct srv_zip;
struct srv_zip	*srv_zip_new(time_t mtime);
SRV_WUR int	srv_zip_add(struct srv_zip *, const char *name,
		    const void *data, size_t len);
/* Finishes the archive: *out (malloc'd) and *len; frees z either way. */
SRV_WUR int	srv_zip_finish(struct srv_zip *, uint8_t **out, size_t *len);
void	srv_zip_free(struct srv_zip *);

#endif
