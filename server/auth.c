/*
 * auth.c: who is calling, and what they may see.
 *
 * Staff sessions are capability tokens like the reporters' (155 random
 * bits in crypto/token.c's form) that the server stores only as a keyed
 * hash under the pepper: STORE_T_SESSIONS[hash] = {user, created_at,
 * last_seen, expires_at, limited}. A copy of the store therefore holds no
 * usable session, and a lookup is one BLAKE2b and one LMDB get whose time
 * says nothing about how close a guess was. A second key space in the same
 * table, 'U' ‖ user id ‖ hash, lists a user's sessions (for "my sessions",
 * revocation, and ending them all on a password reset or disable).
 *
 * srv_staff_auth() is the only way a handler learns the caller, and
 * srv_staff_scope() the only place that decides whether a case is in
 * their reach; both are here so that one reading shows every rule.
 *
 * The bound on concurrent Argon2id also lives here: 64 MiB a hash, so an
 * unbounded burst of logins would exhaust memory. Past the bound a login
 * answers 503 at once; queueing would only turn a flood into latency for
 * everyone and hold connections open.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server.h"

/* Index keys of one user's sessions examined at most in one pass; the
 * per-user cap keeps the real number far below it. */
#define SESSIONS_SCAN	256
#define INDEX_KEY	(1 + 8 + CRYPTO_HASH_BYTES)

/* ---- Argon2id bound and the dummy hash --------------------------------- */

static pthread_once_t	auth_once = PTHREAD_ONCE_INIT;
static int		argon_limit = 2;
static atomic_int	argon_busy;
static char		dummy_hash[CRYPTO_PASSWORD_HASH_TEXT];

/* Used only if hashing at start fails (out of memory): a valid Argon2id
 * string with libsodium 1.0.18's interactive cost, of a random password
 * nobody knows. */
static const char dummy_fallback[] =
    "$argon2id$v=19$m=65536,t=2,p=1$"
    "wQIdtXnUWPOT0hf1z2vOOw$"
    "67OESFvQOO1XeAUZLLiFj5Khi0K5lwppdZ2xomYcFj0";

static void
auth_start(void)
{
	uint8_t	r[32];
	long	n;

	crypto_random(r, sizeof(r));
	if (crypto_password_hash((const char *)r, sizeof(r), dummy_hash) == -1)
		snprintf(dummy_hash, sizeof(dummy_hash), "%s", dummy_fallback);
	crypto_wipe(r, sizeof(r));
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > SRV_ARGON_MAX / SRV_ARGON_PER_CORE)
		n = SRV_ARGON_MAX / SRV_ARGON_PER_CORE;
	argon_limit = (int)n * SRV_ARGON_PER_CORE;
}

void
srv_auth_init(void)
{
	pthread_once(&auth_once, auth_start);
}

const char *
srv_dummy_hash(void)
{
	pthread_once(&auth_once, auth_start);
	return dummy_hash;
}

int
srv_argon_enter(void)
{
	pthread_once(&auth_once, auth_start);
	if (atomic_fetch_add(&argon_busy, 1) >= argon_limit) {
		atomic_fetch_sub(&argon_busy, 1);
		return -1;
	}
	return 0;
}

void
srv_argon_leave(void)
{
	atomic_fetch_sub(&argon_busy, 1);
}

time_t
srv_lock_seconds(long long failures)
{
	long long	n;
	time_t		t = 1;

	if (failures < SRV_LOCK_AFTER)
		return 0;
	for (n = failures - SRV_LOCK_AFTER; n > 0 && t < SRV_LOCK_MAX; n--)
		t *= 2;
	return t < SRV_LOCK_MAX ? t : SRV_LOCK_MAX;
}

/* ---- sessions ------------------------------------------------------------ */

static void
index_key(uint8_t k[INDEX_KEY], uint64_t user,
    const uint8_t hash[CRYPTO_HASH_BYTES])
{
	k[0] = SRV_SESSION_INDEX;
	store_be64_put(k + 1, user);
	if (hash != NULL)
		memcpy(k + 9, hash, CRYPTO_HASH_BYTES);
}

int
srv_session_put(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t user, time_t now, time_t expires, int limited)
{
	static const uint8_t	one = SRV_RECORD_V1;
	uint8_t			k[INDEX_KEY];
	json_t			*rec;
	int			 rc;

	rec = json_pack("{s:I, s:I, s:I, s:I, s:b}", "user", (json_int_t)user,
	    "created_at", (json_int_t)now, "last_seen", (json_int_t)now,
	    "expires_at", (json_int_t)expires, "limited", limited);
	if (rec == NULL)
		return STORE_IO;
	rc = srv_record_put(txn, STORE_T_SESSIONS, hash, CRYPTO_HASH_BYTES, rec,
	    STORE_NOOVERWRITE);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	index_key(k, user, hash);
	return store_put(txn, STORE_T_SESSIONS, k, sizeof(k), &one, 1,
	    STORE_NOOVERWRITE);
}

int
srv_session_del(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t user)
{
	uint8_t	k[INDEX_KEY];
	int	rc, rc2;

	rc = store_del(txn, STORE_T_SESSIONS, hash, CRYPTO_HASH_BYTES);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	index_key(k, user, hash);
	rc2 = store_del(txn, STORE_T_SESSIONS, k, sizeof(k));
	if (rc2 != STORE_OK && rc2 != STORE_NOTFOUND)
		return rc2;
	return rc;
}

struct scan {
	uint8_t	(*hash)[CRYPTO_HASH_BYTES];
	size_t	 n;
};

static int
scan_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct scan	*s = arg;

	(void)val;
	(void)vlen;
	if (klen != INDEX_KEY)		/* a session key that starts alike */
		return 0;
	if (s->n == SESSIONS_SCAN)
		return STORE_STOP;	/* the buffer is full */
	memcpy(s->hash[s->n++], (const uint8_t *)key + 9, CRYPTO_HASH_BYTES);
	return 0;
}

/* The hashes of a user's sessions (up to SESSIONS_SCAN) into s->hash,
 * which the caller frees. */
static int
sessions_scan(struct store_txn *txn, uint64_t user, struct scan *s)
{
	uint8_t	prefix[INDEX_KEY];
	int	rc;

	s->n = 0;
	if ((s->hash = calloc(SESSIONS_SCAN, CRYPTO_HASH_BYTES)) == NULL)
		return STORE_IO;
	index_key(prefix, user, NULL);
	rc = store_each(txn, STORE_T_SESSIONS, prefix, 9, prefix, 9, scan_one,
	    s);
	if (rc != STORE_OK) {
		free(s->hash);
		s->hash = NULL;
	}
	return rc;
}

int
srv_sessions_end_user(struct store_txn *txn, uint64_t user)
{
	struct scan	s;
	size_t		i;
	int		rc;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	for (i = 0; i < s.n; i++) {
		rc = srv_session_del(txn, s.hash[i], user);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			break;
		rc = STORE_OK;
	}
	free(s.hash);
	return rc;
}

static int
session_live(json_t *rec, time_t now)
{
	json_int_t exp, seen;

	exp = json_integer_value(json_object_get(rec, "expires_at"));
	seen = json_integer_value(json_object_get(rec, "last_seen"));
	return now < exp && now - seen < SRV_SESSION_IDLE;
}

int
srv_sessions_prune(struct store_txn *txn, uint64_t user, time_t now)
{
	struct scan	 s = { 0 };
	json_int_t	*seen = NULL;
	size_t		 i, live = 0, oldest;
	json_t		*rec;
	int		 rc = STORE_IO;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	if ((seen = calloc(s.n + 1, sizeof(*seen))) == NULL) {
		free(s.hash);
		return STORE_IO;
	}
	for (i = 0; i < s.n; i++) {
		seen[i] = -1;		/* gone */
		rc = srv_record_get(txn, STORE_T_SESSIONS, s.hash[i],
		    CRYPTO_HASH_BYTES, &rec);
		if (rc == STORE_OK && session_live(rec, now)) {
			seen[i] = json_integer_value(json_object_get(rec,
			    "last_seen"));
			live++;
		}
		if (rc == STORE_OK)
			json_decref(rec);
		else if (rc != STORE_NOTFOUND && rc != STORE_CORRUPT)
			goto out;
		if (seen[i] == -1 && (rc = srv_session_del(txn, s.hash[i],
		    user)) != STORE_OK && rc != STORE_NOTFOUND)
			goto out;
	}
	/* Room for one more: end the least recently used. */
	while (live >= SRV_SESSIONS_PER_USER) {
		oldest = s.n;
		for (i = 0; i < s.n; i++)
			if (seen[i] != -1 && (oldest == s.n ||
			    seen[i] < seen[oldest]))
				oldest = i;
		if (oldest == s.n)
			break;
		if ((rc = srv_session_del(txn, s.hash[oldest], user)) !=
		    STORE_OK && rc != STORE_NOTFOUND)
			goto out;
		seen[oldest] = -1;
		live--;
	}
	rc = STORE_OK;
 out:
	free(seen);
	free(s.hash);
	return rc;
}

static void
session_id(const uint8_t hash[CRYPTO_HASH_BYTES],
    char out[SRV_SESSION_ID_BYTES * 2 + 1])
{
	size_t i;

	for (i = 0; i < SRV_SESSION_ID_BYTES; i++) {
		out[2 * i] = "0123456789abcdef"[hash[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[hash[i] & 15];
	}
	out[2 * SRV_SESSION_ID_BYTES] = '\0';
}

static json_t *
iso(json_t *t)
{
	char buf[21];

	if (!json_is_integer(t))
		return json_null();
	core_time_iso((time_t)json_integer_value(t), buf);
	return json_string(buf);
}

static int
newest_first(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a,
	    "created_at"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b,
	    "created_at"));

	return x < y ? 1 : x > y ? -1 : 0;
}

int
srv_sessions_list(struct store_txn *txn, uint64_t user, time_t now,
    const uint8_t current[CRYPTO_HASH_BYTES], json_t **out)
{
	struct scan	 s = { 0 };
	json_t		**recs = NULL, *arr = NULL, *rec, *o;
	char		 id[SRV_SESSION_ID_BYTES * 2 + 1];
	size_t		 i = 0, n = 0;
	int		 rc = STORE_IO;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	if ((recs = calloc(s.n + 1, sizeof(*recs))) == NULL ||
	    (arr = json_array()) == NULL) {
		free(recs);
		free(s.hash);
		return STORE_IO;
	}
	for (i = 0; i < s.n; i++) {
		rc = srv_record_get(txn, STORE_T_SESSIONS, s.hash[i],
		    CRYPTO_HASH_BYTES, &rec);
		if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT)
			continue;
		if (rc != STORE_OK)
			goto fail;
		if (!session_live(rec, now)) {
			json_decref(rec);
			continue;
		}
		session_id(s.hash[i], id);
		json_object_set_new(rec, "id", json_string(id));
		json_object_set_new(rec, "current", json_boolean(
		    crypto_equal(s.hash[i], current, CRYPTO_HASH_BYTES)));
		recs[n++] = rec;
	}
	qsort(recs, n, sizeof(*recs), newest_first);
	for (i = 0; i < n; i++) {
		o = json_pack("{s:O, s:o, s:o, s:o, s:O}",
		    "id", json_object_get(recs[i], "id"),
		    "created_at", iso(json_object_get(recs[i], "created_at")),
		    "last_seen", iso(json_object_get(recs[i], "last_seen")),
		    "expires_at", iso(json_object_get(recs[i], "expires_at")),
		    "current", json_object_get(recs[i], "current"));
		if (o == NULL || json_array_append_new(arr, o) == -1) {
			rc = STORE_IO;
			goto fail;
		}
	}
	for (i = 0; i < n; i++)
		json_decref(recs[i]);
	free(recs);
	free(s.hash);
	*out = arr;
	return STORE_OK;
 fail:
	for (i = 0; i < n; i++)
		json_decref(recs[i]);
	free(recs);
	free(s.hash);
	json_decref(arr);
	return rc;
}

int
srv_session_revoke_id(struct store_txn *txn, uint64_t user, const char *id)
{
	struct scan	s;
	char		sid[SRV_SESSION_ID_BYTES * 2 + 1];
	size_t		i;
	int		rc;

	if (id == NULL || strlen(id) != SRV_SESSION_ID_BYTES * 2)
		return STORE_NOTFOUND;
	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	rc = STORE_NOTFOUND;
	for (i = 0; i < s.n; i++) {
		session_id(s.hash[i], sid);
		if (strcmp(sid, id) == 0) {
			rc = srv_session_del(txn, s.hash[i], user);
			break;
		}
	}
	free(s.hash);
	return rc;
}

/* ---- staff authentication ------------------------------------------------- */

struct auth_read {
	const uint8_t	*hash;
	time_t		 now;
	int		 totp_required;
	/* out */
	struct srv_staff *staff;
	int		 expired, limited;
	time_t		 last_seen;
};

static int
auth_read(struct store_txn *txn, void *arg)
{
	struct auth_read	*a = arg;
	json_t			*sess = NULL, *user = NULL;
	const char		*name, *agency;
	json_int_t		 uid;
	int			 role, rc = STORE_IO;

	a->expired = 0;
	if ((rc = srv_record_get(txn, STORE_T_SESSIONS, a->hash,
	    CRYPTO_HASH_BYTES, &sess)) != STORE_OK)
		return rc;
	uid = json_integer_value(json_object_get(sess, "user"));
	a->last_seen = (time_t)json_integer_value(json_object_get(sess,
	    "last_seen"));
	a->limited = json_is_true(json_object_get(sess, "limited"));
	if (!session_live(sess, a->now)) {
		a->expired = 1;
		a->staff->user_id = (uint64_t)uid;
		rc = STORE_OK;
		goto out;
	}
	if (uid <= 0 || (rc = srv_user_get(txn, (uint64_t)uid, &user)) !=
	    STORE_OK) {
		rc = STORE_NOTFOUND;
		goto out;
	}
	name = json_string_value(json_object_get(user, "username"));
	agency = json_string_value(json_object_get(user, "agency"));
	role = core_role_parse(json_string_value(json_object_get(user,
	    "role")) ? json_string_value(json_object_get(user, "role")) : "");
	if (json_is_true(json_object_get(user, "disabled")) || name == NULL ||
	    strlen(name) > SRV_USERNAME_MAX ||
	    (agency != NULL && strlen(agency) > CORE_ID_MAX) ||
	    (role != CORE_ROLE_CENTRAL_ADMIN && role != CORE_ROLE_AGENCY_ADMIN &&
	    role != CORE_ROLE_LIAISON && role != CORE_ROLE_AUDITOR)) {
		rc = STORE_NOTFOUND;
		goto out;
	}
	if (a->totp_required && role == CORE_ROLE_CENTRAL_ADMIN &&
	    !json_is_string(json_object_get(user, "totp")))
		a->limited = 1;
	a->staff->user_id = (uint64_t)uid;
	snprintf(a->staff->username, sizeof(a->staff->username), "%s", name);
	a->staff->role = (enum core_role)role;
	snprintf(a->staff->agency, sizeof(a->staff->agency), "%s",
	    agency != NULL ? agency : "");
	rc = STORE_OK;
 out:
	json_decref(sess);
	json_decref(user);
	return rc;
}

struct touch_job {
	const uint8_t	*hash;
	uint64_t	 user;
	time_t		 now;
	int		 drop;	/* delete instead */
};

static int
touch_job(struct store_txn *txn, void *arg)
{
	struct touch_job	*j = arg;
	json_t			*rec;
	int			 rc;

	if (j->drop)
		return srv_session_del(txn, j->hash, j->user);
	if ((rc = srv_record_get(txn, STORE_T_SESSIONS, j->hash,
	    CRYPTO_HASH_BYTES, &rec)) != STORE_OK)
		return rc;
	if (json_object_set_new(rec, "last_seen",
	    json_integer((json_int_t)j->now)) == -1)
		rc = STORE_IO;
	else
		rc = srv_record_put(txn, STORE_T_SESSIONS, j->hash,
		    CRYPTO_HASH_BYTES, rec, 0);
	json_decref(rec);
	return rc;
}

static void
unauthorized(struct srv_reply *rp)
{
	srv_error(rp, 401, "unauthorized", "The session is missing, expired "
	    "or not valid; sign in again.");
}

/* The keyed hash of a session token as the page cookie holds it. */
static int
session_cookie_hash(const struct srv_ctx *ctx, const char *value,
    uint8_t hash[CRYPTO_HASH_BYTES])
{
	char	canon[CRYPTO_TOKEN_SYMBOLS + 1];

	if (crypto_token_parse(value, strlen(value), canon) == -1)
		return -1;
	crypto_token_hash(ctx->keys->pepper, canon, hash);
	crypto_wipe(canon, sizeof(canon));
	return 0;
}

int
srv_staff_auth_ex(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *staff, struct srv_reply *rp, int allow_limited,
    int *limited)
{
	struct auth_read	a;
	struct touch_job	t;
	struct srv_staff	s;
	uint8_t			hash[CRYPTO_HASH_BYTES];
	int			rc;

	memset(&s, 0, sizeof(s));
	if (rq->authorization == NULL && rq->session_cookie != NULL) {
		/* A staff page: the session from its cookie, which only the
		 * pages pass (after their CSRF check), never the API. */
		if (session_cookie_hash(ctx, rq->session_cookie, hash) == -1) {
			unauthorized(rp);
			return -1;
		}
	} else if (srv_bearer_hash(ctx, rq->authorization, hash) == -1) {
		unauthorized(rp);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.hash = hash;
	a.now = rq->now;
	a.totp_required = ctx->cfg->totp_required;
	a.staff = &s;
	rc = store_read(ctx->store, auth_read, &a);
	if (rc == STORE_OK && a.expired) {
		/* Clean up now; a failure only leaves it for the next prune. */
		t.hash = hash;
		t.user = s.user_id;
		t.now = rq->now;
		t.drop = 1;
		if (store_write(ctx->store, touch_job, &t) != STORE_OK)
			srv_log(LOG_DEBUG, "session_cleanup", "deferred=1");
		rc = STORE_NOTFOUND;
	}
	if (rc == STORE_OK && a.limited && !allow_limited) {
		crypto_wipe(hash, sizeof(hash));
		srv_error(rp, 403, "totp_enrollment_required", "Set up "
		    "two-factor sign-in first (POST /api/v1/auth/totp/enroll), "
		    "then sign in again.");
		return -1;
	}
	if (rc == STORE_OK && rq->now - a.last_seen >= SRV_SESSION_TOUCH) {
		t.hash = hash;
		t.user = s.user_id;
		t.now = rq->now;
		t.drop = 0;
		rc = store_write(ctx->store, touch_job, &t);
		/* Revoked meanwhile: 401. Any other write failure (a full
		 * disk) must not lock staff out of reading; the idle clock
		 * then simply runs from the last successful write. */
		if (rc != STORE_NOTFOUND)
			rc = STORE_OK;
	}
	if (rc != STORE_OK) {
		crypto_wipe(hash, sizeof(hash));
		if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT)
			unauthorized(rp);
		else
			srv_error_store(rp, rc);
		return -1;
	}
	memcpy(s.session, hash, sizeof(s.session));
	crypto_wipe(hash, sizeof(hash));
	*staff = s;
	if (limited != NULL)
		*limited = a.limited;
	return 0;
}

int
srv_staff_auth(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *staff, struct srv_reply *rp)
{
	return srv_staff_auth_ex(ctx, rq, staff, rp, 0, NULL);
}

/* ---- scope ------------------------------------------------------------------- */

int
srv_staff_scope(struct store_txn *txn, const struct srv_staff *staff,
    const char *case_agency)
{
	char		 cur[CORE_ID_MAX + 1];
	const char	*parent;
	json_t		*rec;
	int		 depth, found = 0;

	switch (staff->role) {
	case CORE_ROLE_CENTRAL_ADMIN:
		return 1;
	case CORE_ROLE_AGENCY_ADMIN:
	case CORE_ROLE_LIAISON:
		break;
	default:
		return 0;	/* auditors see no case; nobody else is staff */
	}
	if (case_agency == NULL || staff->agency[0] == '\0' ||
	    strlen(case_agency) > CORE_ID_MAX)
		return 0;
	snprintf(cur, sizeof(cur), "%s", case_agency);
	/* Up from the case's agency towards the root: the staff member's
	 * agency on that path means the case is in their subtree. */
	for (depth = 0; depth < SRV_SCOPE_DEPTH; depth++) {
		if (strcmp(cur, staff->agency) == 0)
			return 1;
		if (srv_record_get(txn, STORE_T_AGENCIES, cur, strlen(cur),
		    &rec) != STORE_OK)
			return 0;
		parent = json_string_value(json_object_get(rec, "parent"));
		if (parent != NULL && strlen(parent) <= CORE_ID_MAX) {
			snprintf(cur, sizeof(cur), "%s", parent);
			found = 1;
		} else
			found = 0;
		json_decref(rec);
		if (!found)
			return 0;
	}
	return 0;
}
