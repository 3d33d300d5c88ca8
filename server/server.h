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
#define SRV_THREADS_DEFAULT	16
#define SRV_THREADS_MAX		256
/* Proof-of-work challenges live this long. */
#define SRV_CHALLENGE_TTL	(30 * 60)
/* Timeline entries shown in one follow-up view at most. */
#define SRV_TIMELINE_MAX	1000
/* Largest config file read. */
#define SRV_CONFIG_MAX		(1024 * 1024)

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
/* Decoded pixels of an image: phones take 12 to 50 MP; 40 MP at 4 bytes
 * is 160 MiB while it is re-encoded. A small file whose header claims
 * more (a decompression bomb) is refused before any pixel is decoded. */
#define SRV_ATTACH_PIXELS_MAX	(40ULL * 1000 * 1000)
/* Images re-encoded at once: each may hold 160 MiB of pixels. */
#define SRV_ATTACH_IMAGE_JOBS	2
/* JPEG and WebP quality of re-encoded images: visually lossless for
 * evidence photos at about half the size of camera output. */
#define SRV_ATTACH_QUALITY	85
/* Uploads held in memory at once, each up to max_attachment_bytes (160
 * MiB at the default 10 MiB); more get 503 at once. */
#define SRV_ATTACH_INFLIGHT	16
/* A multipart body may exceed its file by this much: part headers and
 * boundaries (a browser sends well under 1 KiB). */
#define SRV_MULTIPART_SLACK	(64 * 1024)
/* libmicrohttpd's post processor buffer: at least 256 (PITFALLS.md); it
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
	struct srv_deadlines	deadlines;
	char			*tls_cert;	/* PEM text, NULL: no TLS */
	char			*tls_key;
	unsigned		threads;
	unsigned		rate_per_address;	/* per minute, 0 off */
	unsigned		rate_global;		/* per minute, 0 off */
	int			log_level;		/* 0 error .. 3 debug */
	int			totp_required;	/* TOTP mandatory for central admins */
};

/* Defaults for every key. */
void	srv_config_defaults(struct srv_config *);
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
	uint8_t		*dek;		/* secret memory, 32 */
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
/* The same for bytes, kept binary: out holds len + CRYPTO_SEAL_OVERHEAD
 * (seal) or len - CRYPTO_SEAL_OVERHEAD (open; wiped on failure). */
SRV_WUR int	srv_case_seal_bytes(const uint8_t *dek, uint64_t seq,
		    const char *ad, const void *in, size_t len, uint8_t *out);
SRV_WUR int	srv_case_open_bytes(const uint8_t *dek, uint64_t seq,
		    const char *ad, const uint8_t *in, size_t len, uint8_t *out);

/* ---- Escrow (escrow.c) ------------------------------------------------- */

/* Current escrow public key and generation; -1 if none installed. */
struct srv_escrow {
	uint32_t	generation;
	uint8_t		Y[CRYPTO_POINT_BYTES];
	unsigned	threshold, holders;
};
SRV_WUR int	srv_escrow_current(struct store_txn *, struct srv_escrow *);
/* Validates an escrow.pub text and installs it as a new generation. */
SRV_WUR int	srv_escrow_install(struct store *, const char *text,
		    size_t len, uint32_t *generation, char *err, size_t errlen);

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
};

/* Error reply in API.md's shape; message must be a fixed sentence. */
void	srv_error(struct srv_reply *, unsigned status, const char *code,
	    const char *message);
/* 400/422 reply from core errors. */
void	srv_error_core(struct srv_reply *, int core_err,
	    const struct core_errors *);
void	srv_error_store(struct srv_reply *, int store_err);
void	srv_ok(struct srv_reply *, unsigned status, json_t *body);
/* 200 with bytes (ownership taken; malloc'd) sent as a download named
 * name (UTF-8; sent as Content-Disposition: attachment). */
void	srv_ok_bytes(struct srv_reply *, uint8_t *bytes, size_t len,
	    const char *type, const char *name);
/* A query argument of the request, or NULL. */
const char	*srv_query(const struct srv_request *, const char *name);

SRV_WUR int	srv_run(struct srv_ctx *);	/* blocks until SIGTERM/SIGINT */

/* ---- API handlers (api_*.c) -------------------------------------------- */

typedef void	(*srv_handler)(struct srv_ctx *, const struct srv_request *,
		    struct srv_reply *);
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
 * missing or malformed. */
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
 * The one scope check: 1 if the staff member may see a case routed to
 * case_agency (NULL: not routed yet). Central admins see every case;
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


/* ---- Staff sign-in: users, sessions, TOTP (users.c, auth.c, totp.c,
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

/* Sessions (auth.c): STORE_T_SESSIONS holds hash -> record and, as a
 * second key space, 'U' ‖ user (8 BE) ‖ hash -> 0x01 for listing. */
#define SRV_SESSION_INDEX	'U'
SRV_WUR int	srv_session_put(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user,
		    time_t now, time_t expires, int limited);
SRV_WUR int	srv_session_del(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user);
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
	SRV_ATTACH_TOO_BIG,	/* 422: more than SRV_ATTACH_PIXELS_MAX */
	SRV_ATTACH_CORRUPT,	/* 422: an image that does not decode */
	SRV_ATTACH_NOMEM,	/* 503 */
	SRV_ATTACH_ERR_MAX
};
/* Starts libvips once (thread-safe, idempotent); -1 if it cannot. */
SRV_WUR int	srv_attach_init(void);
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
 * re-encoded in the same format, upright, without any metadata. Text: the
 * automatic redaction. PDF: *out NULL, meaning the original itself (its
 * metadata is not removed). *out is malloc'd; may block while
 * SRV_ATTACH_IMAGE_JOBS images are being processed.
 */
SRV_WUR int	srv_attach_clean(int type, const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen);
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
/* The sweeper wakes once a minute and closes at most 100 cases in one
 * durable job, so a backlog never makes one long write transaction. */
#define SRV_SWEEP_INTERVAL	60
#define SRV_SWEEP_BATCH		100
/* Cases merged into one, listed in its record. */
#define SRV_MERGED_FROM_MAX	256
/* Evidence named by one resolution. */
#define SRV_RESOLVE_ATTACH_MAX	20
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
/* Where a case sits in the indexes and counters. */
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
 * agency side, meets the first-response deadline. */
void	srv_case_responded(json_t *meta, time_t now, int agency_side);
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
};
/* Seals, numbers and stores a new case; on failure fills rp, -1. */
SRV_WUR int	srv_case_submit(struct srv_ctx *, struct srv_submission *,
		    struct srv_reply *);

/* The automatic close (sweeper.c). srv_sweep closes resolved cases whose
 * 14 days are over, SRV_SWEEP_BATCH at most, in one durable job. */
SRV_WUR int	srv_sweep(struct srv_ctx *, time_t now, size_t *closed);
SRV_WUR int	srv_sweeper_start(struct srv_ctx *);
void	srv_sweeper_stop(void);

void	api_cases_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_counts(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_action(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_case_intake(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_reopen(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

#endif
