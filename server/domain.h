/*
 * domain.h: the records layer of bisikd (docs/design.md, "Layers of
 * server/"): cases and what is derived from them, the directory, staff
 * accounts and sessions, audit, attachments, duplicates, workflow,
 * retention, escrow, disclosure records, key rotation and restore.
 * No HTTP type is declared or used here.
 */
#ifndef BISIK_DOMAIN_H
#define BISIK_DOMAIN_H

#include "server/util.h"

/* ---- Limits ---------------------------------------------------------- */

/* Timeline entries shown in one follow-up view at most. */
#define SRV_TIMELINE_MAX	1000

/* Attachments (attach.c, api_attach.c). Display names keep at most 120
 * characters: enough to recognise a file, and a name is only ever shown,
 * never used as a path. */
#define SRV_ATTACH_NAME_MAX	120
#define SRV_ATTACH_NAME_BYTES	(SRV_ATTACH_NAME_MAX * 4 + 1)
/* Images re-encoded at once, each by its own worker of the image helper
 * (media.h: pixel, memory, CPU and time limits), whose memory is up to
 * SRV_MEDIA_MEMORY_MAX. */
#define SRV_ATTACH_IMAGE_JOBS	2

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
SRV_WUR int	srv_case_timeline_add(struct store_txn *,
		    const struct srv_case *,
		    json_t *meta, time_t at, const char *type,
		    const char *actor, const char *text, int visible,
		    json_t *extra);
/* Calls cb for each timeline entry with the opened text (or NULL). */
typedef int	(*srv_timeline_fn)(json_t *entry, const char *text, void *arg);
SRV_WUR int	srv_case_timeline_each(struct store_txn *,
		    const struct srv_case *, srv_timeline_fn, void *arg);
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
SRV_WUR int	srv_escrow_gen_current(struct store_txn *, struct srv_escrow *);
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

/* ---- HTTP (http.c) ------------------------------------------------------ */

/* Handler context: everything a handler may use. */
struct srv_ctx {
	struct store		*store;
	struct srv_keys		*keys;
	struct srv_config	*cfg;
};

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
 * The one scope check (directory.c): 1 if the staff member may see a
 * case routed to case_agency (NULL: not routed yet). Central admins see every case;
 * agency admins and liaisons see cases of their agency and of its
 * sub-agencies (any depth); auditors see no case. Callers answer 404
 * (not 403) when this says 0, so existence does not leak.
 */
int	srv_directory_scope(struct store_txn *, const struct srv_staff *,
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
/* The signed head; STORE_NOTFOUND while the chain is empty (outputs
 * untouched), STORE_CORRUPT for a damaged record. */
SRV_WUR int	srv_audit_head(struct store_txn *, uint64_t *seq,
		    uint8_t hash[32], uint8_t sig[64]);
/* The signed head read in a read transaction of its own: found is 0 (and
 * the rest zero) while the chain is empty, which is no error. */
struct srv_audit_tip {
	int		found;
	uint64_t	seq;
	uint8_t		hash[CRYPTO_HASH_BYTES];
	uint8_t		sig[CRYPTO_SIG_BYTES];
};
SRV_WUR int	srv_audit_tip(struct store *, struct srv_audit_tip *);
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

/* ---- Directory (directory.c): agencies and categories ------------------ */

SRV_WUR int	srv_directory_agency_put(struct store *, const char *id,
		    const char *name,
		    const char *parent, const char *level, char *err, size_t errlen);
/* Imports a CSV "id,name,parent,level"; prints a summary on stdout. */
SRV_WUR int	srv_directory_agency_import(struct store *, const char *buf,
		    size_t len, char *err, size_t errlen);
SRV_WUR int	srv_directory_category_seed(struct store *);
/* 1 if the agency/category exists. */
int	srv_directory_agency_exists(struct store_txn *, const char *id);
int	srv_directory_category_exists(struct store_txn *, const char *id);

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
int	srv_users_name_ok(const char *s);
/* Reads the first line of a password file (its line ending not part of
 * it) into guarded memory (*pw, NUL-terminated; free with
 * crypto_secret_free). Checks the length bounds and the text rules. */
SRV_WUR int	srv_users_password_read(const char *path, char **pw,
		    size_t *len, char *err, size_t errlen);
/* Offline user administration (bisikd user ...). Each writes one sentence
 * into err on failure and returns -1. */
SRV_WUR int	srv_users_add(struct store *, const char *username,
		    const char *role, const char *agency, const char *pw,
		    size_t len, time_t now, uint64_t *id, char *err,
		    size_t errlen);
SRV_WUR int	srv_users_disable(struct store *, const char *username,
		    char *err, size_t errlen);
/* New password; clears the lockout and ends every session of the user. */
SRV_WUR int	srv_users_reset_password(struct store *, const char *username,
		    const char *pw, size_t len, char *err, size_t errlen);
/* Removes TOTP and recovery codes (a lost phone); ends every session. */
SRV_WUR int	srv_users_reset_totp(struct store *, const char *username,
		    char *err, size_t errlen);
/* One line per user: username, role, agency, disabled, totp; no hashes. */
SRV_WUR int	srv_users_list(struct store *, FILE *out, char *err,
		    size_t errlen);
/* Records inside a transaction: STORE_T_USERS (id, 8 BE) and
 * STORE_T_USERNAMES (username -> 0x01 ‖ id). */
SRV_WUR int	srv_users_id(struct store_txn *, const char *username,
		    uint64_t *id);
SRV_WUR int	srv_users_get(struct store_txn *, uint64_t id, json_t **rec);
SRV_WUR int	srv_users_put(struct store_txn *, uint64_t id, json_t *rec);

/* Sessions (sessions.c): STORE_T_SESSIONS holds hash -> record and, as a
 * second key space, 'U' ‖ user (8 BE) ‖ hash -> 0x01 for listing. */
#define SRV_SESSION_INDEX	'U'
SRV_WUR int	srv_sessions_put(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user,
		    time_t now, time_t expires, int limited);
SRV_WUR int	srv_sessions_del(struct store_txn *,
		    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t user);
/* 1 if a session record is neither expired nor idle past
 * SRV_SESSION_IDLE at now. */
int	srv_sessions_live(json_t *rec, time_t now);
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
SRV_WUR int	srv_sessions_revoke_id(struct store_txn *, uint64_t user,
		    const char *id);

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
 * wipe and free each with srv_totp_text_free. */
SRV_WUR int	srv_totp_enrolment(const char *username,
		    const uint8_t secret[SRV_TOTP_SECRET_BYTES], char **b32,
		    char **uri, char **svg);
void	srv_totp_text_free(char *);
void	srv_totp_recovery_new(char out[SRV_RECOVERY_TEXT]);
/* Canonical form (upper case, no separators) of a typed code; -1 if not
 * one. */
SRV_WUR int	srv_totp_recovery_parse(const char *in,
		    char canon[SRV_RECOVERY_SYMBOLS + 1]);
/* Keyed hash (pepper) of a canonical code bound to the user, in hex. */
void	srv_totp_recovery_hash(const uint8_t *pepper, uint64_t user,
	    const char canon[SRV_RECOVERY_SYMBOLS + 1],
	    char out[CRYPTO_HASH_BYTES * 2 + 1]);

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

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

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
int	srv_qindex_case_status(const json_t *meta);
void	srv_qindex_pos_of(const json_t *meta, struct srv_qpos *);
/* Index and counter keys; return their length. */
size_t	srv_qindex_status_key(uint8_t key[SRV_IDX_KEY_MAX], int status,
	    uint64_t due, uint64_t seq);
size_t	srv_qindex_agency_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
	    int status, uint64_t due, uint64_t seq);
size_t	srv_qindex_counter_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
	    int status);
SRV_WUR int	srv_qindex_counter_get(struct store_txn *, const char *agency,
		    int status, uint64_t *total, uint64_t *unread);
/* Moves a case's index entries and counters from one position to another
 * (from NULL: a new case) in the caller's transaction. */
SRV_WUR int	srv_qindex_move(struct store_txn *, uint64_t seq,
		    const struct srv_qpos *from, const struct srv_qpos *to);
/* Sets due_at from the status and the stage deadlines of the record. */
void	srv_workflow_due(json_t *meta);
/* 1 if a staff deadline of the case has passed (not for resolved or
 * final cases). */
int	srv_workflow_overdue(const json_t *meta, time_t now);
/* 1 for the statuses in which a case is routed to its agency. */
int	srv_workflow_status_routed(int status);
/* The scope check for one case: srv_directory_scope() on its agency while it
 * is routed (agency staff never see a case central admins still review). */
int	srv_workflow_in_scope(struct store_txn *, const struct srv_staff *,
	    const json_t *meta);
/* A timeline entry by who (extra is borrowed). */
SRV_WUR int	srv_workflow_event(struct store_txn *, const struct srv_case *,
		    time_t now, const char *type, const struct srv_actor *who,
		    const char *text, int visible, json_t *extra);
/* Sets the new status, recomputes due_at, adds the "status" timeline
 * entry, moves the index entries from `before` and saves the record. */
SRV_WUR int	srv_workflow_transition(struct store_txn *, struct srv_case *,
		    const struct srv_qpos *before, enum core_status to,
		    time_t now, const struct srv_actor *who, const char *text,
		    int visible, json_t *extra);
/* Saves a changed record without a status change (indexes moved too). */
SRV_WUR int	srv_workflow_save(struct store_txn *, struct srv_case *,
		    const struct srv_qpos *before, time_t now);
/* Seals c->content back into c->meta. */
SRV_WUR int	srv_workflow_content_put(struct srv_case *);
/* A staff answer the reporter can read: clears unread and, from the
 * agency side, meets the first-response deadline. 0, or -1 if meta
 * could not be changed (out of memory). */
SRV_WUR int	srv_workflow_responded(json_t *meta, time_t now,
    int agency_side);

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
	json_t		*file;		/* owned; srv_escrow_gen_free */
};
/* Every public value of an escrow file (holder indices must be 1..n in
 * order); -1 and one sentence if one is missing or malformed. Points are
 * checked to be valid; nothing else is. */
SRV_WUR int	srv_escrow_gen_parse(const json_t *root,
		    struct crypto_escrow_config *, char *err, size_t errlen);
/* The configuration hash of c into hash, checked against the file's
 * "config_hash" if it has one; then every holder must have exactly one
 * valid signature over it in "holder_signatures". -1 and one sentence. */
SRV_WUR int	srv_escrow_gen_check_signatures(const json_t *root,
		    const struct crypto_escrow_config *c,
		    uint8_t hash[CRYPTO_HASH_BYTES], char *err, size_t errlen);
/* A resharing (c->reshared): the generation it names by configuration
 * hash is installed here, the retired holders and previous threshold are
 * that generation's, and each dealer's signature verifies with the
 * dealer's key in it. -1 and one sentence. */
SRV_WUR int	srv_escrow_gen_check_dealers(struct store *, const json_t *root,
		    const struct crypto_escrow_config *c, char *err,
		    size_t errlen);
/* Checks the resharing record of a version 2 escrow file (threshold k,
 * n holders, key Y) as far as public data allows; -1 and one sentence. */
SRV_WUR int	srv_escrow_gen_check_reshare(const json_t *root,
		    const uint8_t Y[CRYPTO_POINT_BYTES], size_t k, size_t n,
		    char *err, size_t errlen);
/* In the install job of generation gen: links every earlier generation
 * with the same Y to it ("escrow.open.<g>") and says whether it becomes
 * current (a resharing of a key that is not current does not). */
SRV_WUR int	srv_escrow_gen_link(struct store_txn *, uint32_t gen,
		    const uint8_t Y[CRYPTO_POINT_BYTES], int reshared,
		    int *make_current);
/* The generation whose holders open identities sealed under sealed_gen. */
SRV_WUR int	srv_escrow_gen_opener(struct store_txn *, uint32_t sealed_gen,
		    uint32_t *gen);
/* Loads generation gen; STORE_NOTFOUND if there is none. */
SRV_WUR int	srv_escrow_gen_load(struct store_txn *, uint32_t gen,
		    struct srv_generation *);
void	srv_escrow_gen_free(struct srv_generation *);

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
SRV_WUR int	srv_disclose_load(struct store_txn *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t **rec);
SRV_WUR int	srv_disclose_save(struct store_txn *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec);
/* Marks a pending request voided (a resharing retired its holders) and
 * audits it, as ctx's keys or, with ctx NULL, srv_audit_keys(). */
SRV_WUR int	srv_disclose_void(struct store_txn *, struct srv_ctx *,
		    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec,
		    time_t now);
/* In the install job of a resharing: every pending request whose
 * generation's identities are now opened by other holders becomes
 * "voided" (audited); *count says how many. */
SRV_WUR int	srv_disclose_void_stale(struct store_txn *, time_t now,
		    unsigned *count);
/* Request records one list or per-case lookup walks at most; disclosures
 * are rare events (a few a year per case at most). */
#define SRV_DISCLOSURES_SCAN_MAX	10000
/* Calls fn with each request record in id order, the first
 * SRV_DISCLOSURES_SCAN_MAX records at most; a damaged record is passed
 * over. fn returns 0 to go on, STORE_STOP to end the walk (STORE_OK is
 * returned) or a store error, which ends it and is returned. */
typedef int	(*srv_disclose_fn)(const uint8_t key[SRV_DISCLOSURE_ID_BYTES],
		    const json_t *rec, void *arg);
SRV_WUR int	srv_disclose_each(struct store_txn *, srv_disclose_fn,
		    void *arg);

/* ---- Dealerless escrow key ceremony (api_ceremony.c) ------------------------- */

/*
 * `bisikd user set-key --username U --public-key A.pub`: links a central
 * admin's account to their admin key (the FILE.pub of `bisik keygen`):
 * the user record gets "sign_key" and "box_key". Disclosure requests and
 * approvals must then be signed with that key and come from that account,
 * so the server knows which escrow holder acts. A key belongs to one
 * account at most. Audited ("user.set_key").
 */
SRV_WUR int	srv_adminkey_set(struct store *, const char *username,
		    const char *pubtext, size_t len, char *err, size_t errlen);
/* The admin key registered for a user record; -1 if none. */
SRV_WUR int	srv_adminkey_get(const json_t *rec,
		    uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
		    uint8_t box_pk[CRYPTO_BOX_PK_BYTES]);

/* ---- Storage key rotation (rekey.c) ---------------------------------------- */

/* Cases re-wrapped per durable write transaction by default: 1000 keeps
 * one commit well under a second and a resumed run repeats little. */
#define SRV_REKEY_BATCH		1000
#define SRV_REKEY_BATCH_MAX	100000
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
SRV_WUR int	srv_rekey_datadir_lock(const char *datadir, int *fd, char *err,
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
SRV_WUR int	srv_dedup_case(struct store_txn *, const struct srv_keys *,
		    const struct srv_case *, json_t **out, int *capped);
/* Adds what only central admins see to a staff view (api_cases_staff_view):
 * "duplicates" (and "duplicates_capped": true when a bound stopped the
 * search) and "legal_hold". */
SRV_WUR int	srv_dedup_view_central(struct store_txn *,
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
SRV_WUR int	srv_derived_update(struct store_txn *, uint64_t seq,
		    const json_t *old, const json_t *meta);
/* Called by srv_case_put with the stored record read first. */
SRV_WUR int	srv_derived_put(struct store_txn *, uint64_t seq,
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
SRV_WUR int	srv_derived_rebuild(struct store *, FILE *out, int fix,
		    size_t *diffs);
SRV_WUR int	srv_retention_sweep(struct srv_ctx *, time_t now,
		    size_t *shredded);
/* The sweeper's share of it (sweeper.c, once a minute): the deadline
 * watch every time, retention at the first call and then every
 * SRV_RETAIN_INTERVAL seconds; failures are logged. */
void	srv_retention_transparency_sweep(struct srv_ctx *, time_t now);

#endif
