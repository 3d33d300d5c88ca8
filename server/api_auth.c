/*
 * api_auth.c: staff sign-in over HTTP: login, logout, own sessions, TOTP
 * enrolment.
 *
 * Login answers one and the same 401 for an unknown user, a wrong
 * password, a disabled account and a locked one, and spends the same work
 * on each: one Argon2id verify (against a dummy hash when there is no such
 * user) and one durable write (the user's failure count, or only the
 * global failure counter), so neither the body nor the time says which it
 * was. Only with the right password does the answer differ, when a
 * second factor is needed ("totp_required").
 *
 * Lockout is per account. The record is re-read inside the write
 * transaction, so concurrent guesses all count and a recovery code or a
 * TOTP step is consumed exactly once even when two logins race.
 *
 * Logs name no user on failure (a username typed into the wrong field may
 * be a password); a successful login logs the user id only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

enum login_outcome {
	LOGIN_FAIL,		/* the one 401 */
	LOGIN_OK,
	LOGIN_TOTP,		/* right password; code missing or wrong */
	LOGIN_MAX
};

enum code_kind {
	CODE_NONE,		/* no "totp" given */
	CODE_TOTP,		/* a valid TOTP for some step (checked again) */
	CODE_RECOVERY,		/* a well-formed recovery code */
	CODE_BAD,		/* given but wrong */
	CODE_MAX
};

static void
login_failed(struct srv_reply *rp)
{
	srv_http_error(rp, 401, "unauthorized", "The username or password is wrong.");
}

static void
totp_needed(struct srv_reply *rp)
{
	srv_http_error(rp, 401, "totp_required", "A current code from the "
	    "authenticator app, or an unused recovery code, is needed in "
	    "\"totp\".");
}

static void
busy(struct srv_reply *rp)
{
	srv_http_error(rp, 503, "busy",
	    "Too many sign-ins at once; try again in "
	    "a moment.");
}

static int
staff_role(int r)
{
	return r == CORE_ROLE_CENTRAL_ADMIN || r == CORE_ROLE_AGENCY_ADMIN ||
	    r == CORE_ROLE_LIAISON || r == CORE_ROLE_AUDITOR;
}

/* ---- login ------------------------------------------------------------------ */

struct login_read {
	const char	*username;
	uint64_t	 id;		/* 0: no such user */
	json_t		*rec;
};

static int
login_read(struct store_txn *txn, void *arg)
{
	struct login_read	*r = arg;
	int			 rc;

	r->id = 0;
	r->rec = NULL;
	rc = srv_users_id(txn, r->username, &r->id);
	if (rc == STORE_OK)
		rc = srv_users_get(txn, r->id, &r->rec);
	if (rc == STORE_NOTFOUND) {
		r->id = 0;
		return STORE_OK;
	}
	return rc;
}

struct login_job {
	struct srv_ctx	*ctx;
	uint64_t	 id;
	const char	*pw_snap, *totp_snap;	/* as read before hashing */
	int		 pw_ok;
	enum code_kind	 kind;
	uint64_t	 counter;
	char		 rhash[CRYPTO_HASH_BYTES * 2 + 1];
	time_t		 now;
	const uint8_t	*session;
	/* out */
	enum login_outcome outcome;
	int		 limited;
	time_t		 locked_for, expires;
	char		 role[32];
	char		 agency[CORE_ID_MAX + 1];
};

/* Every failed login writes this counter, so a failure for an unknown
 * user costs the same durable write as one for a real account. */
static int
count_failure(struct store_txn *txn)
{
	uint64_t v;

	return store_counter_next(txn, "login_failures", &v);
}

/*
 * A failed sign-in: the failure counter and the audit entry, by "system"
 * (nobody is signed in). The entry names the account by id only when one
 * exists, never by the name that was typed: a password typed into the
 * username field must not end up in the log.
 */
static int
login_failure(struct store_txn *txn, const struct login_job *j, int known)
{
	json_t	*d = NULL;
	int	 rc;

	if ((rc = count_failure(txn)) != STORE_OK)
		return rc;
	if (known && (d = json_pack("{s:I, s:s}", "user", (json_int_t)j->id,
	    "step", j->outcome == LOGIN_TOTP ? "totp" : "password")) == NULL)
		return STORE_IO;
	rc = srv_audit_append(txn, j->ctx->keys, j->now, "system",
	    "auth.login_failed", NULL, NULL, d);
	json_decref(d);
	return rc;
}

/* One more failed sign-in on rec: STORE_OK, or STORE_IO if the record
 * could not be changed (then nothing may be written: a counter that did
 * not advance would let a guesser go on unlocked). */
static int
bump(json_t *rec, struct login_job *j)
{
	json_int_t	f;
	time_t		lock;

	f = json_integer_value(json_object_get(rec, "failures")) + 1;
	if (json_object_set_new(rec, "failures", json_integer(f)) == -1)
		return STORE_IO;
	if ((lock = srv_auth_lock_seconds(f, j->ctx->cfg->login_lock)) > 0) {
		if (json_object_set_new(rec, "locked_until",
		    json_integer((json_int_t)(j->now + lock))) == -1)
			return STORE_IO;
		j->locked_for = lock;
	}
	return STORE_OK;
}

/* The recovery code's hash in the user's list: removed, 0; else -1. */
static int
use_recovery(json_t *rec, const char *hash)
{
	json_t	*arr = json_object_get(rec, "recovery"), *v;
	size_t	 i;

	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && json_string_length(v) == strlen(hash) &&
		    crypto_equal(json_string_value(v), hash, strlen(hash))) {
			json_array_remove(arr, i);
			return 0;
		}
	}
	return -1;
}

static int
login_job(struct store_txn *txn, void *arg)
{
	struct login_job	*j = arg;
	json_t			*rec = NULL;
	const char		*pw, *totp, *agency;
	json_int_t		 last;
	time_t			 ttl;
	int			 rc = STORE_IO, role;

	j->outcome = LOGIN_FAIL;
	j->locked_for = 0;
	j->limited = 0;
	if (j->id == 0)
		return login_failure(txn, j, 0);
	if ((rc = srv_users_get(txn, j->id, &rec)) == STORE_NOTFOUND)
		return login_failure(txn, j, 0);
	if (rc != STORE_OK)
		return rc;
	pw = json_string_value(json_object_get(rec, "pw"));
	role = core_role_parse(json_string_value(json_object_get(rec, "role")) ?
	    json_string_value(json_object_get(rec, "role")) : "");
	/* A password changed since it was checked, a disabled or locked
	 * account: fail without counting (a lock does not grow while it
	 * holds, or anyone could keep an account locked for ever cheaply). */
	if (pw == NULL || j->pw_snap == NULL || strcmp(pw, j->pw_snap) != 0 ||
	    !staff_role(role) ||
	    json_is_true(json_object_get(rec, "disabled")) ||
	    json_integer_value(json_object_get(rec, "locked_until")) > j->now) {
		json_decref(rec);
		return login_failure(txn, j, 1);
	}
	if (!j->pw_ok) {
		rc = bump(rec, j);
		goto failed;
	}
	totp = json_string_value(json_object_get(rec, "totp"));
	if (totp != NULL || j->totp_snap != NULL) {
		if (totp == NULL || j->totp_snap == NULL ||
		    strcmp(totp, j->totp_snap) != 0) {
			/* Reset or re-enrolled meanwhile. */
			json_decref(rec);
			return login_failure(txn, j, 1);
		}
		j->outcome = LOGIN_TOTP;
		switch (j->kind) {
		case CODE_NONE:
			/* The first step of a two-step sign-in: not a
			 * failure, nothing to write. */
			json_decref(rec);
			return STORE_OK;
		case CODE_TOTP:
			last = json_integer_value(json_object_get(rec,
			    "totp_last"));
			if (last >= 0 && j->counter <= (uint64_t)last) {
				rc = bump(rec, j);	/* a replayed code */
				goto failed;
			}
			if (json_object_set_new(rec, "totp_last",
			    json_integer((json_int_t)j->counter)) == -1) {
				rc = STORE_IO;
				goto out;
			}
			break;
		case CODE_RECOVERY:
			if (use_recovery(rec, j->rhash) == -1) {
				rc = bump(rec, j);
				goto failed;
			}
			break;
		default:
			rc = bump(rec, j);
			goto failed;
		}
	}
	if (json_object_set_new(rec, "failures", json_integer(0)) == -1 ||
	    json_object_set_new(rec, "locked_until", json_integer(0)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	if ((rc = srv_users_put(txn, j->id, rec)) != STORE_OK)
		goto out;
	j->limited = j->ctx->cfg->totp_required &&
	    role == CORE_ROLE_CENTRAL_ADMIN && totp == NULL;
	ttl = j->limited ? SRV_SESSION_ENROL_TTL : SRV_SESSION_ABSOLUTE;
	j->expires = j->now + ttl;
	if ((rc = srv_sessions_prune(txn, j->id, j->now)) != STORE_OK ||
	    (rc = srv_sessions_put(txn, j->session, j->id, j->now, j->expires,
	    j->limited)) != STORE_OK)
		goto out;
	snprintf(j->role, sizeof(j->role), "%s",
	    core_role_name((enum core_role)role));
	agency = json_string_value(json_object_get(rec, "agency"));
	snprintf(j->agency, sizeof(j->agency), "%s", agency ? agency : "");
	j->outcome = LOGIN_OK;
	{
		struct srv_staff	 who;
		char			 actor[96];
		json_t			*d = NULL;

		memset(&who, 0, sizeof(who));
		who.role = (enum core_role)role;
		who.user_id = j->id;
		srv_audit_actor(&who, actor, sizeof(actor));
		if (j->limited && (d = json_pack("{s:b}", "enrol_only", 1)) ==
		    NULL) {
			rc = STORE_IO;
			goto out;
		}
		rc = srv_audit_append(txn, j->ctx->keys, j->now, actor,
		    "auth.login", NULL, NULL, d);
		json_decref(d);
	}
	goto out;
 failed:
	if (rc == STORE_OK && (rc = srv_users_put(txn, j->id, rec)) ==
	    STORE_OK)
		rc = login_failure(txn, j, 1);
 out:
	json_decref(rec);
	return rc;
}

/* Classifies the "totp" value against the snapshot; only called after the
 * right password on an active, unlocked account with TOTP. */
static enum code_kind
check_code(struct srv_ctx *ctx, struct login_job *j, json_t *rec,
    const char *code)
{
	uint8_t		secret[SRV_TOTP_SECRET_BYTES];
	char		canon[SRV_RECOVERY_SYMBOLS + 1];
	json_int_t	last;
	size_t		n = strlen(code);
	enum code_kind	kind = CODE_BAD;

	if (n == SRV_TOTP_DIGITS && strspn(code, "0123456789") == n) {
		last = json_integer_value(json_object_get(rec, "totp_last"));
		if (srv_totp_open(ctx->keys->storage, j->id, 0,
		    j->totp_snap, secret) == 0 &&
		    srv_totp_check(secret, sizeof(secret), j->now,
		    SRV_TOTP_DIGITS, code, last > 0 ? (uint64_t)last : 0,
		    &j->counter) == 0)
			kind = CODE_TOTP;
		crypto_wipe(secret, sizeof(secret));
	} else if (srv_totp_recovery_parse(code, canon) == 0) {
		srv_totp_recovery_hash(ctx->keys->pepper, j->id, canon,
		    j->rhash);
		crypto_wipe(canon, sizeof(canon));
		kind = CODE_RECOVERY;
	}
	return kind;
}

/*
 * One sign-in from its parse to its answer. The API's sign-in is parked
 * (srv_http_later_begin) while its Argon2id runs on a thread of its own
 * (srv_auth_argon_thread): the HTTP worker goes on serving its other
 * connections instead of holding them for the hash's time, which under
 * a burst of logins kept queued connections waiting past the idle
 * timeout. The sign-in page parks the same way (api_auth_login_page); a
 * sign-in while the server starts or stops, or from a caller's copy of
 * the request, verifies in place.
 */
struct login_state {
	json_t			*root;		/* the body; vals point in it */
	const char		*vals[3];
	size_t			 pwlen;
	struct login_read	 r;
	time_t			 now;
	int			 pw_ok;
	struct srv_later	*later;
	/* The sign-in page's (api_auth_login_page): renders the page from
	 * the API's answer; its state, dropped with this one. */
	srv_login_render	 render;
	void			(*page_drop)(void *);
	void			*page_state;
};

static void
login_state_free(void *arg)
{
	struct login_state	*st = arg;

	if (st == NULL)
		return;
	if (st->page_drop != NULL)
		st->page_drop(st->page_state);
	json_decref(st->r.rec);
	json_decref(st->root);
	free(st);
}

/* The Argon2id verify (a dummy hash for no such user), then the slot
 * taken before the read is given back. */
static void
login_verify(struct login_state *st)
{
	const char *hash = st->r.rec != NULL ?
	    json_string_value(json_object_get(st->r.rec, "pw")) : NULL;

	st->pw_ok = crypto_password_verify(hash != NULL ? hash :
	    srv_auth_dummy_hash(), st->vals[1], st->pwlen) == 0 &&
	    hash != NULL;
	srv_auth_argon_leave();
}

/* The parked sign-in's thread: st is the connection's again once it is
 * woken, so nothing touches it after that. */
static void
login_verify_parked(void *arg)
{
	struct login_state *st = arg;

	login_verify(st);
	srv_http_later_ready(st->later);
}

/* After the verify: the second factor, the durable write, the answer. */
static void
login_answer(struct srv_ctx *ctx, void *arg, struct srv_reply *rp)
{
	struct login_state	*st = arg;
	struct login_job	 j;
	const char		*hash;
	char			 token[CRYPTO_TOKEN_TEXT];
	char			 canon[CRYPTO_TOKEN_SYMBOLS + 1], at[21];
	uint8_t			 session[CRYPTO_HASH_BYTES];
	json_t			*body;
	int			 rc, usable;

	memset(&j, 0, sizeof(j));
	memset(token, 0, sizeof(token));
	memset(canon, 0, sizeof(canon));
	memset(session, 0, sizeof(session));
	hash = st->r.rec != NULL ?
	    json_string_value(json_object_get(st->r.rec, "pw")) : NULL;
	j.pw_ok = st->pw_ok;
	j.ctx = ctx;
	j.id = st->r.id;
	j.now = st->now;
	j.pw_snap = hash;
	j.totp_snap = st->r.rec != NULL ?
	    json_string_value(json_object_get(st->r.rec, "totp")) : NULL;
	j.kind = CODE_NONE;
	usable = j.pw_ok &&
	    !json_is_true(json_object_get(st->r.rec, "disabled")) &&
	    json_integer_value(json_object_get(st->r.rec, "locked_until")) <=
	    j.now;
	if (usable && j.totp_snap != NULL && st->vals[2] != NULL)
		j.kind = check_code(ctx, &j, st->r.rec, st->vals[2]);

	crypto_token_new(token);
	if (crypto_token_parse(token, strlen(token), canon) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	crypto_token_hash(ctx->keys->pepper, canon, session);
	j.session = session;
	rc = store_write(ctx->store, login_job, &j);
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	if (j.locked_for > 0)
		srv_log(LOG_WARN, "locked", "seconds=%lld",
		    (long long)j.locked_for);
	if (j.outcome == LOGIN_TOTP) {
		srv_log(LOG_INFO, "login_failed", "step=totp");
		totp_needed(rp);
		goto out;
	}
	if (j.outcome != LOGIN_OK) {
		srv_log(LOG_INFO, "login_failed", "step=password");
		login_failed(rp);
		goto out;
	}
	srv_log(LOG_INFO, "login_ok", "user=%llu%s", (unsigned long long)j.id,
	    j.limited ? " enrol_only=1" : "");
	core_time_iso(j.expires, at);
	body = json_pack("{s:s, s:s, s:s?, s:s}", "session", token,
	    "role", j.role, "agency", j.agency[0] ? j.agency : NULL,
	    "expires_at", at);
	if (body != NULL && j.limited)
		json_object_set_new(body, "totp_enrollment_required",
		    json_true());
	srv_http_ok(rp, 200, body);
 out:
	crypto_wipe(token, sizeof(token));
	crypto_wipe(canon, sizeof(canon));
	crypto_wipe(session, sizeof(session));
	crypto_wipe(j.rhash, sizeof(j.rhash));
}

/*
 * The body's checks, an Argon2id slot and the user's record: the state of
 * a login ready for its hash, or NULL with rp answered.
 */
static struct login_state *
login_start(struct srv_ctx *ctx, const char *body, size_t len, time_t now,
    struct srv_reply *rp)
{
	static const struct core_field_spec spec[] = {
		/* Looser than the username rule: a mistyped name is a 401
		 * like any unknown one, not a validation error. */
		{ "username", 1, 256, 1 },
		{ "password", 1, SRV_PASSWORD_MAX, 1 },
		{ "totp", 1, 64, 0 },
	};
	struct core_errors	 errs;
	struct login_state	*st = NULL;
	const char		*vals[3];
	json_t			*root = NULL;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	if ((rc = core_fields_parse(body, len, spec, 3, &root, vals,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto fail;
	}
	if (strlen(vals[1]) > SRV_PASSWORD_MAX) {
		errs.message = "Some fields are not valid.";
		core_errors_add(&errs, "password", "too long");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto fail;
	}
	if (srv_auth_argon_enter() == -1) {
		busy(rp);
		goto fail;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		srv_auth_argon_leave();
		busy(rp);
		goto fail;
	}
	st->root = root;
	root = NULL;
	memcpy(st->vals, vals, sizeof(st->vals));
	st->pwlen = strlen(vals[1]);
	st->now = now;
	st->r.username = vals[0];
	if (srv_users_name_ok(vals[0]))
		rc = store_read(ctx->store, login_read, &st->r);
	else
		rc = STORE_OK;
	if (rc != STORE_OK) {
		srv_auth_argon_leave();
		srv_http_error_store(rp, rc);
		goto fail;
	}
	return st;
 fail:
	login_state_free(st);
	json_decref(root);
	return NULL;
}

/* Parks rq's connection for st's hash (answer answers it once woken);
 * 0, or -1 when this request cannot be parked. */
static int
login_park(const struct srv_request *rq, struct login_state *st,
    srv_answer_fn answer)
{
	if ((st->later = srv_http_later_begin(rq, answer, login_state_free,
	    st)) == NULL)
		return -1;
	/* Without a thread the verify runs here, and wakes it all the
	 * same. */
	if (srv_auth_argon_thread(login_verify_parked, st) == -1)
		login_verify_parked(st);
	return 0;
}

void
api_auth_login(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct login_state *st;

	if ((st = login_start(ctx, rq->body, rq->len, rq->now, rp)) == NULL)
		return;
	if (login_park(rq, st, login_answer) == 0)
		return;		/* answered by login_answer once woken */
	login_verify(st);
	login_answer(ctx, st, rp);
	login_state_free(st);
}

/* The API's answer as a page reads it (page_common_api's way). */
static void
login_api_answer(struct srv_ctx *ctx, struct login_state *st,
    struct srv_reply *api)
{
	login_answer(ctx, st, api);
	if (api->status == 0)
		busy(api);
	srv_http_reply_json(api);
}

/* The sign-in page's answer once woken: the API's answer, then the page
 * made from it. */
static void
login_page_answer(struct srv_ctx *ctx, void *arg, struct srv_reply *rp)
{
	struct login_state	*st = arg;
	struct srv_reply	 api;

	memset(&api, 0, sizeof(api));
	login_api_answer(ctx, st, &api);
	st->render(ctx, st->page_state, &api, rp);
	json_decref(api.body);
}

int
api_auth_login_page(struct srv_ctx *ctx, const struct srv_request *rq,
    const json_t *body, srv_login_render render, void (*drop)(void *),
    void *state, struct srv_reply *api)
{
	struct login_state	*st;
	char			*text;

	memset(api, 0, sizeof(*api));
	if ((text = json_dumps(body, JSON_COMPACT)) == NULL) {
		busy(api);
		return -1;
	}
	st = login_start(ctx, text, strlen(text), rq->now, api);
	crypto_wipe(text, strlen(text));
	core_json_free(text);
	if (st == NULL) {
		srv_http_reply_json(api);
		return -1;
	}
	st->render = render;
	st->page_drop = drop;
	st->page_state = state;
	if (login_park(rq, st, login_page_answer) == 0)
		return 0;
	/* Not parked: the caller keeps its state and makes the page. */
	st->page_drop = NULL;
	st->page_state = NULL;
	login_verify(st);
	login_api_answer(ctx, st, api);
	login_state_free(st);
	return -1;
}

/* ---- logout and sessions --------------------------------------------------------- */

struct sess_job {
	const struct srv_keys	*keys;		/* audit */
	const struct srv_staff	*staff;
	const char		*id;	/* revoke by id, or NULL: this one */
	time_t			 now;
	json_t			*list;	/* out, for listing */
};

/* The audit entry of a change to the caller's own sign-in. */
static int
self_audit(struct store_txn *txn, const struct srv_keys *keys,
    const struct srv_staff *st, time_t now, const char *action, json_t *d)
{
	char actor[96];

	srv_audit_actor(st, actor, sizeof(actor));
	return srv_audit_append(txn, keys, now, actor, action, NULL, NULL, d);
}

static int
logout_job(struct store_txn *txn, void *arg)
{
	struct sess_job *j = arg;
	int		 rc;

	if ((rc = srv_sessions_del(txn, j->staff->session,
	    j->staff->user_id)) != STORE_OK)
		return rc;
	return self_audit(txn, j->keys, j->staff, j->now, "auth.logout", NULL);
}

/*
 * Signs the caller in (st) and runs fn over their own sessions, in a write
 * transaction or, with write 0, a read one, with j set up for it (id: the
 * session named, or NULL); the session key is wiped after. -1 when the
 * sign-in failed (rp holds why), else 0 with the store's answer in *rc.
 */
static int
sess_run(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp, struct srv_staff *st, int write, store_fn fn,
    const char *id, struct sess_job *j, int *rc)
{
	if (srv_auth_staff_ex(ctx, rq, st, rp, 1, NULL) == -1)
		return -1;
	memset(j, 0, sizeof(*j));
	j->keys = ctx->keys;
	j->staff = st;
	j->now = rq->now;
	j->id = id;
	*rc = write ? store_write(ctx->store, fn, j) :
	    store_read(ctx->store, fn, j);
	crypto_wipe(st->session, sizeof(st->session));
	return 0;
}

static void
no_content(struct srv_reply *rp)
{
	json_decref(rp->body);
	rp->body = NULL;
	rp->status = 204;
}

void
api_auth_logout(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct sess_job		j;
	int			rc;

	if (sess_run(ctx, rq, rp, &st, 1, logout_job, NULL, &j, &rc) == -1)
		return;
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		srv_http_error_store(rp, rc);
		return;
	}
	no_content(rp);
}

static int
list_read(struct store_txn *txn, void *arg)
{
	struct sess_job *j = arg;

	return srv_sessions_list(txn, j->staff->user_id, j->now,
	    j->staff->session, &j->list);
}

void
api_auth_sessions(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct sess_job		j;
	int			rc;

	if (sess_run(ctx, rq, rp, &st, 0, list_read, NULL, &j, &rc) == -1)
		return;
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, json_pack("{s:o}", "sessions", j.list));
}

static int
revoke_job(struct store_txn *txn, void *arg)
{
	struct sess_job *j = arg;
	json_t		*d;
	int		 rc;

	if ((rc = srv_sessions_revoke_id(txn, j->staff->user_id, j->id)) !=
	    STORE_OK)
		return rc;
	/* The id names a session, not a person, and cannot be used as one. */
	if ((d = json_pack("{s:s}", "session", j->id)) == NULL)
		return STORE_IO;
	rc = self_audit(txn, j->keys, j->staff, j->now, "auth.session_revoke",
	    d);
	json_decref(d);
	return rc;
}

void
api_auth_session_revoke(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct sess_job		j;
	int			rc;

	if (sess_run(ctx, rq, rp, &st, 1, revoke_job, rq->param[0], &j,
	    &rc) == -1)
		return;
	if (rc != STORE_OK) {
		/* Someone else's session is as absent as a made-up one. */
		srv_http_error_store(rp, rc);
		return;
	}
	srv_log(LOG_INFO, "session_revoked", "user=%llu",
	    (unsigned long long)st.user_id);
	no_content(rp);
}

/* ---- TOTP enrolment ---------------------------------------------------------------- */

struct enrol_job {
	const struct srv_keys	*keys;		/* audit */
	const struct srv_staff	*staff;
	uint64_t	 user;
	time_t		 now;
	const char	*pending;	/* sealed, base64 */
	/* confirm */
	const char	*active;
	uint64_t	 counter;
	json_t		*recovery;	/* hashes */
};

static int
enrol_job(struct store_txn *txn, void *arg)
{
	struct enrol_job	*j = arg;
	json_t			*rec;
	int			 rc;

	if ((rc = srv_users_get(txn, j->user, &rec)) != STORE_OK)
		return rc;
	if (json_is_string(json_object_get(rec, "totp"))) {
		json_decref(rec);
		return STORE_CONFLICT;
	}
	if (json_object_set_new(rec, "totp_pending", json_string(j->pending))
	    == -1 || json_object_set_new(rec, "totp_pending_until",
	    json_integer((json_int_t)(j->now + SRV_TOTP_PENDING_TTL))) == -1)
		rc = STORE_IO;
	else
		rc = srv_users_put(txn, j->user, rec);
	json_decref(rec);
	if (rc == STORE_OK)
		rc = self_audit(txn, j->keys, j->staff, j->now,
		    "auth.totp_enroll", NULL);
	return rc;
}

static void
already_enrolled(struct srv_reply *rp)
{
	srv_http_error(rp, 409, "totp_enrolled",
	    "Two-factor sign-in is already "
	    "set up for this account; a user administrator can reset it.");
}

void
api_auth_totp_enroll(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st = { 0 };
	struct enrol_job	 j;
	uint8_t			 secret[SRV_TOTP_SECRET_BYTES] = { 0 };
	char			*pending = NULL, *b32 = NULL, *uri = NULL;
	char			*svg = NULL, at[21];
	int			 rc;

	if (srv_auth_staff_ex(ctx, rq, &st, rp, 1, NULL) == -1)
		return;
	crypto_random(secret, sizeof(secret));
	if (srv_totp_seal(ctx->keys->storage, st.user_id, 1, secret,
	    &pending) == -1 || srv_totp_enrolment(st.username, secret, &b32,
	    &uri, &svg) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.keys = ctx->keys;
	j.staff = &st;
	j.user = st.user_id;
	j.now = rq->now;
	j.pending = pending;
	rc = store_write(ctx->store, enrol_job, &j);
	if (rc == STORE_CONFLICT) {
		already_enrolled(rp);
		goto out;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	core_time_iso(rq->now + SRV_TOTP_PENDING_TTL, at);
	srv_http_ok(rp, 200, json_pack("{s:s, s:s, s:s, s:s}", "secret", b32,
	    "otpauth", uri, "qr_svg", svg, "expires_at", at));
 out:
	crypto_wipe(secret, sizeof(secret));
	crypto_wipe(st.session, sizeof(st.session));
	free(pending);
	srv_totp_text_free(b32);
	srv_totp_text_free(uri);
	srv_totp_text_free(svg);
}

struct confirm_read {
	uint64_t	 user;
	json_t		*rec;
};

static int
confirm_read(struct store_txn *txn, void *arg)
{
	struct confirm_read *c = arg;

	return srv_users_get(txn, c->user, &c->rec);
}

static int
confirm_job(struct store_txn *txn, void *arg)
{
	struct enrol_job	*j = arg;
	json_t			*rec;
	const char		*p;
	int			 rc;

	if ((rc = srv_users_get(txn, j->user, &rec)) != STORE_OK)
		return rc;
	p = json_string_value(json_object_get(rec, "totp_pending"));
	if (json_is_string(json_object_get(rec, "totp")) || p == NULL ||
	    strcmp(p, j->pending) != 0) {
		json_decref(rec);
		return STORE_CONFLICT;
	}
	if (json_object_set_new(rec, "totp", json_string(j->active)) == -1 ||
	    json_object_set_new(rec, "totp_last",
	    json_integer((json_int_t)j->counter)) == -1 ||
	    json_object_set_new(rec, "totp_pending", json_null()) == -1 ||
	    json_object_set_new(rec, "totp_pending_until", json_integer(0)) ==
	    -1 || json_object_set(rec, "recovery", j->recovery) == -1)
		rc = STORE_IO;
	else
		rc = srv_users_put(txn, j->user, rec);
	json_decref(rec);
	if (rc == STORE_OK)
		rc = self_audit(txn, j->keys, j->staff, j->now,
		    "auth.totp_confirm", NULL);
	return rc;
}

void
api_auth_totp_confirm(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const struct core_field_spec spec[] = {
		{ "code", 1, 16, 1 },
	};
	struct core_errors	 errs;
	struct srv_staff	 st = { 0 };
	struct confirm_read	 c = { 0, NULL };
	struct enrol_job	 j;
	uint8_t			 secret[SRV_TOTP_SECRET_BYTES] = { 0 };
	char			 codes[SRV_RECOVERY_CODES][SRV_RECOVERY_TEXT] =
			     { { 0 } };
	char			 canon[SRV_RECOVERY_SYMBOLS + 1];
	char			 h[CRYPTO_HASH_BYTES * 2 + 1] = "";
	char			*active = NULL;
	const char		*vals[1], *pending;
	json_t			*root = NULL, *hashes = NULL, *shown = NULL;
	size_t			 i;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	memset(&st, 0, sizeof(st));
	memset(secret, 0, sizeof(secret));
	memset(codes, 0, sizeof(codes));
	memset(&j, 0, sizeof(j));
	if ((rc = core_fields_parse(rq->body, rq->len, spec, 1, &root, vals,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	if (srv_auth_staff_ex(ctx, rq, &st, rp, 1, NULL) == -1)
		goto out;
	c.user = st.user_id;
	if ((rc = store_read(ctx->store, confirm_read, &c)) != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	if (json_is_string(json_object_get(c.rec, "totp"))) {
		already_enrolled(rp);
		goto out;
	}
	pending = json_string_value(json_object_get(c.rec, "totp_pending"));
	if (pending == NULL || json_integer_value(json_object_get(c.rec,
	    "totp_pending_until")) <= rq->now ||
	    srv_totp_open(ctx->keys->storage, st.user_id, 1, pending,
	    secret) == -1) {
		srv_http_error(rp, 409, "no_enrollment",
		    "No two-factor set-up is "
		    "waiting (or it expired); start again with "
		    "POST /api/v1/auth/totp/enroll.");
		goto out;
	}
	if (srv_totp_check(secret, sizeof(secret), rq->now, SRV_TOTP_DIGITS,
	    vals[0], 0, &j.counter) == -1) {
		errs.message = "The code is wrong or too old; check the "
		    "clock of the device and try the current code.";
		core_errors_add(&errs, "code", "wrong");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	if ((hashes = json_array()) == NULL || (shown = json_array()) == NULL ||
	    srv_totp_seal(ctx->keys->storage, st.user_id, 0, secret,
	    &active) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	for (i = 0; i < SRV_RECOVERY_CODES; i++) {
		srv_totp_recovery_new(codes[i]);
		if (srv_totp_recovery_parse(codes[i], canon) == -1) {
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
		srv_totp_recovery_hash(ctx->keys->pepper, st.user_id, canon, h);
		crypto_wipe(canon, sizeof(canon));
		if (json_array_append_new(hashes, json_string(h)) == -1 ||
		    json_array_append_new(shown, json_string(codes[i])) == -1) {
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
	}
	j.keys = ctx->keys;
	j.staff = &st;
	j.user = st.user_id;
	j.now = rq->now;
	j.pending = pending;
	j.active = active;
	j.recovery = hashes;
	rc = store_write(ctx->store, confirm_job, &j);
	if (rc == STORE_CONFLICT) {
		srv_http_error(rp, 409, "no_enrollment",
		    "The two-factor set-up "
		    "changed meanwhile; start again.");
		goto out;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	srv_log(LOG_INFO, "totp_enrolled", "user=%llu",
	    (unsigned long long)st.user_id);
	srv_http_ok(rp, 200, json_pack("{s:O}", "recovery_codes", shown));
 out:
	crypto_wipe(secret, sizeof(secret));
	crypto_wipe(codes, sizeof(codes));
	crypto_wipe(h, sizeof(h));
	crypto_wipe(st.session, sizeof(st.session));
	free(active);
	json_decref(shown);
	json_decref(hashes);
	json_decref(c.rec);
	json_decref(root);
}
