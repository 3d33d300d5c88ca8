/*
 * auth.c: who is calling, and what they may see.
 *
 * Staff sessions are capability tokens like the reporters' (155 random
 * bits in crypto/token.c's form) that the server stores only as a keyed
 * hash under the pepper (the records: sessions.c). A copy of the store
 * therefore holds no usable session, and a lookup is one BLAKE2b and one
 * LMDB get whose time says nothing about how close a guess was. The
 * reporter's token is looked up the same way (srv_auth_bearer_hash,
 * srv_auth_token_case).
 *
 * srv_auth_staff() is the only way a handler learns the caller; which
 * cases are in their reach is srv_directory_scope() (directory.c).
 *
 * The bound on concurrent Argon2id also lives here: 64 MiB a hash, so an
 * unbounded burst of logins would exhaust memory. Past the bound a login
 * answers 503 at once; queueing would only turn a flood into latency for
 * everyone and hold connections open. Within it, a login (API or page) runs its
 * hash on a thread of its own (srv_auth_argon_thread), one per slot at
 * most, with its connection parked.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "server/http.h"

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
srv_auth_dummy_hash(void)
{
	pthread_once(&auth_once, auth_start);
	return dummy_hash;
}

int
srv_auth_argon_enter(void)
{
	pthread_once(&auth_once, auth_start);
	if (atomic_fetch_add(&argon_busy, 1) >= argon_limit) {
		atomic_fetch_sub(&argon_busy, 1);
		return -1;
	}
	return 0;
}

void
srv_auth_argon_leave(void)
{
	atomic_fetch_sub(&argon_busy, 1);
}

int
srv_auth_argon_running(void)
{
	return atomic_load(&argon_busy);
}

struct argon_run {
	void	(*fn)(void *);
	void	 *arg;
};

static void *
argon_main(void *p)
{
	struct argon_run a = *(struct argon_run *)p;

	free(p);
	a.fn(a.arg);
	return NULL;
}

int
srv_auth_argon_thread(void (*fn)(void *), void *arg)
{
	struct argon_run	*a;
	pthread_attr_t		 at;
	pthread_t		 th;
	int			 rc;

	if ((a = malloc(sizeof(*a))) == NULL)
		return -1;
	a->fn = fn;
	a->arg = arg;
	if (pthread_attr_init(&at) != 0) {
		free(a);
		return -1;
	}
	rc = pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (rc == 0)
		rc = pthread_create(&th, &at, argon_main, a);
	pthread_attr_destroy(&at);
	if (rc != 0) {
		free(a);
		return -1;
	}
	return 0;
}

time_t
srv_auth_lock_seconds(long long failures, long long first)
{
	long long	n;
	time_t		t;

	if (failures < SRV_LOCK_AFTER)
		return 0;
	if (first < SRV_LOCK_FIRST_MIN)
		first = SRV_LOCK_FIRST_MIN;
	t = first < SRV_LOCK_MAX ? (time_t)first : SRV_LOCK_MAX;
	for (n = failures - SRV_LOCK_AFTER; n > 0 && t < SRV_LOCK_MAX; n--)
		t *= 2;
	return t < SRV_LOCK_MAX ? t : SRV_LOCK_MAX;
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
	if (!srv_sessions_live(sess, a->now)) {
		a->expired = 1;
		a->staff->user_id = (uint64_t)uid;
		rc = STORE_OK;
		goto out;
	}
	if (uid <= 0 || (rc = srv_users_get(txn, (uint64_t)uid, &user)) !=
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
		return srv_sessions_del(txn, j->hash, j->user);
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
	srv_http_error(rp, 401, "unauthorized",
	    "The session is missing, expired "
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
srv_auth_staff_ex(struct srv_ctx *ctx, const struct srv_request *rq,
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
	} else if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
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
		srv_http_error(rp, 403, "totp_enrollment_required", "Set up "
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
			srv_http_error_store(rp, rc);
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
srv_auth_staff(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *staff, struct srv_reply *rp)
{
	return srv_auth_staff_ex(ctx, rq, staff, rp, 0, NULL);
}

/* ---- the reporter's token ----------------------------------------------- */

int
srv_auth_bearer_hash(const struct srv_ctx *ctx, const char *auth,
    uint8_t hash[CRYPTO_HASH_BYTES])
{
	char	canon[CRYPTO_TOKEN_SYMBOLS + 1];
	size_t	n;

	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return -1;
	auth += 7;
	while (*auth == ' ')
		auth++;
	n = strlen(auth);
	while (n > 0 && auth[n - 1] == ' ')
		n--;
	if (crypto_token_parse(auth, n, canon) == -1)
		return -1;
	crypto_token_hash(ctx->keys->pepper, canon, hash);
	crypto_wipe(canon, sizeof(canon));
	return 0;
}

/* Token hash -> case sequence, inside a transaction. */
int
srv_auth_token_case(struct store_txn *txn,
    const uint8_t hash[CRYPTO_HASH_BYTES], uint64_t *seq)
{
	const void	*v;
	size_t		 vlen;
	int		 rc;

	if ((rc = store_get(txn, STORE_T_TOKENS, hash, CRYPTO_HASH_BYTES, &v,
	    &vlen)) != STORE_OK)
		return rc;
	if (vlen != 9 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	*seq = store_be64_get((const uint8_t *)v + 1);
	return STORE_OK;
}
