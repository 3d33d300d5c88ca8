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
};

/* Error reply in API.md's shape; message must be a fixed sentence. */
void	srv_error(struct srv_reply *, unsigned status, const char *code,
	    const char *message);
/* 400/422 reply from core errors. */
void	srv_error_core(struct srv_reply *, int core_err,
	    const struct core_errors *);
void	srv_error_store(struct srv_reply *, int store_err);
void	srv_ok(struct srv_reply *, unsigned status, json_t *body);

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

/* Bearer token from an Authorization header into its keyed hash; -1 if
 * missing or malformed. */
SRV_WUR int	srv_bearer_hash(const struct srv_ctx *, const char *authorization,
		    uint8_t hash[CRYPTO_HASH_BYTES]);

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
 * fills rp with the one 401 answer and returns -1. This is the only way a
 * handler learns who is calling.
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

#endif
