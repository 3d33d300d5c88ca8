/*
 * api_ceremony.c: the relay of the dealerless escrow key ceremony
 * (docs/dkg.md), for central admins only.
 *
 *   POST /api/v1/escrow/ceremonies                   open one
 *   GET  /api/v1/escrow/ceremonies                   list them
 *   GET  /api/v1/escrow/ceremonies/{id}              status and transcript
 *   POST /api/v1/escrow/ceremonies/{id}/messages     a holder's message
 *   POST /api/v1/escrow/ceremonies/{id}/signatures   a holder's signature
 *                                                    over the result
 *
 * The server is a bulletin board that holds nothing secret: the terms
 * (threshold, the holders' public keys, deadlines), the signed messages
 * (commitments, sub-shares sealed to their holders, complaints, answers,
 * extractions), and at the end each holder's signature over the escrow
 * configuration with its share sealed to itself. Every message goes
 * through crypto_dkg_accept() on the public state rebuilt from the stored
 * ones before it is kept, so garbage, forgeries, replays, messages of a
 * closed phase and messages made on another history are refused (422 or
 * 409, with the reason) and cannot stop the ceremony; the relay's only
 * power is to withhold, which every holder sees.
 *
 * Time is ours: the opener's request fixes the deadlines from our clock
 * and "dkg_phase_hours" (each of the four phases closes one period after
 * the one before, and the ceremony expires one more period after the
 * last, for the holders to sign). A phase closes at its deadline or as
 * soon as nobody has anything left to say in it; closes are decided
 * before a message is looked at, so a late message is refused, and the
 * record is the same whenever someone looks. A ceremony that expires
 * before every holder signed is purged (messages and signatures deleted,
 * only its terms and state kept) at the next request that touches it or
 * lists ceremonies; its holders' clients refuse it and wipe what they
 * kept. A complete ceremony (every holder signed) is kept as it is: its
 * record is the public evidence behind the escrow file.
 *
 * Crypto runs outside the store's writer: a request reads the record,
 * replays and checks on its own thread, then writes only if the record's
 * revision is still the one it read (else it starts again). Every change
 * (open, message, refusal, phase close, signature, completion, expiry)
 * commits with its audit entry.
 *
 * DKG-NO-WHOLE-SCALAR holds here too: nothing in this file touches a
 * scalar or a holder's secret (tests/unit/crypto_dkg_test.c reads it).
 *
 * Records: STORE_T_META "dkg.<32 hex digits>" = 0x01 ‖ JSON
 * (docs/formats.md, "Dealerless ceremony on the server").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

#define KEY_PREFIX	"dkg."
#define KEY_LEN		(sizeof(KEY_PREFIX) - 1 + 2 * CRYPTO_DKG_ID_BYTES)
#define ID_TEXT		(2 * CRYPTO_DKG_ID_BYTES + 1)
#define SEALED_SHARE	(CRYPTO_SCALAR_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)
/* A request starts again at most this often when another changed the
 * record between its read and its write. */
#define RETRIES		8

#define ST_OPEN		"open"		/* phases running */
#define ST_FAILED	"failed"	/* no key can come out */
#define ST_DONE		"done"		/* key made; holders signing */
#define ST_COMPLETE	"complete"	/* every holder signed */
#define ST_EXPIRED	"expired"	/* past its time unfinished; purged */

/* Index = enum crypto_dkg_phase. */
static const char *const phase_names[CRYPTO_DKG_PHASE_MAX] = {
	NULL, "deal", "complain", "answer", "extract", "done"
};
/* Index = enum crypto_dkg_dealer. */
static const char *const dealer_names[CRYPTO_DKG_DEALER_MAX] = {
	"waiting", "dealt", "qualified", "extracted", "no_deal",
	"complaints", "unanswered", "no_extract"
};
/* Index = enum crypto_dkg_err: the field reason of a 422. */
static const char *const err_names[CRYPTO_DKG_ERR_MAX] = {
	"ok", "malformed", "wrong_ceremony", "bad_sender", "bad_signature",
	"wrong_phase", "replay", "stale", "not_due", "bad_body", "failed"
};

/* ---- small helpers -------------------------------------------------- */

static void
forbidden(struct srv_reply *rp)
{
	srv_http_error(rp, 403, "forbidden",
	    "Only central admins take part in an "
	    "escrow key ceremony.");
}

static int
central_begin(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *st, struct srv_reply *rp)
{
	if (srv_auth_staff(ctx, rq, st, rp) == -1)
		return -1;
	crypto_wipe(st->session, sizeof(st->session));
	if (st->role != CORE_ROLE_CENTRAL_ADMIN) {
		forbidden(rp);
		return -1;
	}
	return 0;
}

/* 32 lower-case hex digits into the id; -1 otherwise. */
static int
id_parse(const char *s, uint8_t id[CRYPTO_DKG_ID_BYTES])
{
	return core_hex_decode(s, id, CRYPTO_DKG_ID_BYTES);
}

static json_t *
iso_json(json_int_t t)
{
	char buf[21];

	core_time_iso((time_t)t, buf);
	return json_string(buf);
}

static const char *
phase_name(unsigned p)
{
	return p >= CRYPTO_DKG_DEAL && p < CRYPTO_DKG_PHASE_MAX ?
	    phase_names[p] : "none";
}

/* ---- the stored record -------------------------------------------------- */

/* The ceremony's terms as the record keeps them (the client's record
 * format, docs/dkg.md "The record"). */
static json_t *
terms_json(const struct crypto_dkg_ceremony *c)
{
	json_t		*o = NULL, *dl, *hs;
	char		 id[ID_TEXT];
	unsigned	 i;

	core_hex_encode(c->id, CRYPTO_DKG_ID_BYTES, id);
	dl = json_array();
	hs = json_array();
	o = json_pack("{s:s, s:I, s:o, s:I, s:o}", "id", id, "threshold",
	    (json_int_t)c->threshold, "deadlines", dl, "expires",
	    (json_int_t)c->expires, "holders", hs);
	if (o == NULL || dl == NULL || hs == NULL)
		goto fail;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		if (json_array_append_new(dl,
		    json_integer((json_int_t)c->deadline[i])) == -1)
			goto fail;
	for (i = 0; i < c->holders; i++)
		if (json_array_append_new(hs, json_pack("{s:I, s:o, s:o}",
		    "index", (json_int_t)i + 1, "sign_key",
		    srv_record_b64_json(c->sign_pk[i], CRYPTO_SIGN_PK_BYTES),
		    "box_key", srv_record_b64_json(c->box_pk[i],
		    CRYPTO_BOX_PK_BYTES))) == -1)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* The terms back from a stored record; -1 if it is damaged. */
static int
terms_parse(const json_t *o, struct crypto_dkg_ceremony *c)
{
	const json_t	*dl = json_object_get(o, "deadlines");
	const json_t	*hs = json_object_get(o, "holders"), *h;
	json_int_t	 k = srv_record_int(o, "threshold");
	size_t		 i;

	memset(c, 0, sizeof(*c));
	if (id_parse(json_string_value(json_object_get(o, "id")), c->id) ==
	    -1 || !json_is_array(dl) || json_array_size(dl) !=
	    CRYPTO_DKG_PHASES || !json_is_array(hs) ||
	    json_array_size(hs) < 2 ||
	    json_array_size(hs) > CRYPTO_DKG_MAX_HOLDERS || k < 2 ||
	    k > (json_int_t)json_array_size(hs) ||
	    srv_record_int(o, "expires") <= 0)
		return -1;
	c->threshold = (unsigned)k;
	c->holders = (unsigned)json_array_size(hs);
	c->expires = (uint64_t)srv_record_int(o, "expires");
	for (i = 0; i < CRYPTO_DKG_PHASES; i++) {
		if (!json_is_integer(json_array_get(dl, i)) ||
		    json_integer_value(json_array_get(dl, i)) <= 0)
			return -1;
		c->deadline[i] = (uint64_t)json_integer_value(
		    json_array_get(dl, i));
	}
	json_array_foreach(hs, i, h)
		if (srv_record_b64_value(json_object_get(h, "sign_key"),
		    c->sign_pk[i], CRYPTO_SIGN_PK_BYTES) == -1 ||
		    srv_record_b64_value(json_object_get(h, "box_key"),
		    c->box_pk[i], CRYPTO_BOX_PK_BYTES) == -1)
			return -1;
	return crypto_dkg_ceremony_check(c) == 0 ? 0 : -1;
}

/*
 * The public state from a stored record: every message accepted again in
 * order (a later phase's message shows the earlier phases closed), then
 * the phases closed up to the stored one. -1 if anything is refused: the
 * record was changed behind our back.
 */
static int
replay(const json_t *rec, struct crypto_dkg *d, uint8_t *buf)
{
	struct crypto_dkg_ceremony	 c;
	const json_t			*ms = json_object_get(rec, "messages");
	const json_t			*v;
	const char			*pname = srv_record_str(rec, "phase");
	size_t				 i, len;
	unsigned			 p, target;

	for (target = CRYPTO_DKG_DEAL; target < CRYPTO_DKG_PHASE_MAX; target++)
		if (strcmp(pname, phase_names[target]) == 0)
			break;
	if (target == CRYPTO_DKG_PHASE_MAX || !json_is_array(ms) ||
	    terms_parse(json_object_get(rec, "ceremony"), &c) == -1 ||
	    crypto_dkg_init(d, &c) != 0)
		return -1;
	json_array_foreach(ms, i, v) {
		if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
		    json_string_length(v), buf, CRYPTO_DKG_MSG_MAX, &len) == -1)
			return -1;
		p = crypto_dkg_msg_phase(buf, len);
		while (d->phase < p && p < CRYPTO_DKG_DONE)
			if (crypto_dkg_advance(d) != 0)
				break;
		if (crypto_dkg_accept(d, buf, len) != CRYPTO_DKG_OK)
			return -1;
	}
	while (d->phase < target && crypto_dkg_advance(d) == 0)
		;
	return d->phase == target ? 0 : -1;
}

static void
rec_key(const char id[ID_TEXT], char key[KEY_LEN + 1])
{
	snprintf(key, KEY_LEN + 1, "%s%s", KEY_PREFIX, id);
}

/* One audit entry to write with the change: actor (NULL: "system"). */
static int
audit_add(json_t *audits, const char *actor, const char *action,
    const char *id, json_t *detail)
{
	json_t	*d = detail != NULL ? detail : json_object();

	if (d == NULL || json_object_set_new(d, "ceremony",
	    json_string(id)) == -1) {
		json_decref(d);
		return -1;
	}
	return json_array_append_new(audits, json_pack("{s:s, s:s, s:o}",
	    "actor", actor != NULL ? actor : "system", "action", action,
	    "detail", d));
}

/* The state a record should be in after d. */
static const char *
state_of(const json_t *rec, const struct crypto_dkg *d)
{
	const json_t *sigs = json_object_get(rec, "signatures");

	if (d->failed)
		return ST_FAILED;
	if (d->phase < CRYPTO_DKG_DONE)
		return ST_OPEN;
	return json_array_size(sigs) == d->c.holders ? ST_COMPLETE : ST_DONE;
}

/* Closes the open phase, with the dealers it put out in the audit. */
static int
close_phase(struct crypto_dkg *d, json_t *audits, const char *id)
{
	uint8_t		before[CRYPTO_DKG_MAX_HOLDERS];
	json_t		*out, *detail;
	unsigned	p = d->phase, i, s;

	memcpy(before, d->status, sizeof(before));
	/* -1 also when this close made it fail: d->failed says which. */
	if (crypto_dkg_advance(d) != 0 && !d->failed)
		return -1;
	if ((out = json_array()) == NULL)
		return -1;
	for (i = 1; i <= d->c.holders; i++) {
		s = crypto_dkg_dealer_status(d, i);
		if (s != before[i - 1] && s >= CRYPTO_DKG_DEALER_NO_DEAL &&
		    s < CRYPTO_DKG_DEALER_MAX && json_array_append_new(out,
		    json_integer(i)) == -1) {
			json_decref(out);
			return -1;
		}
	}
	detail = json_pack("{s:s, s:o, s:b}", "phase", phase_name(p),
	    "disqualified", out, "failed", d->failed);
	return audit_add(audits, NULL, "dkg.close", id, detail);
}

/* 1 if nobody has anything left to say in the open phase. */
static int
nobody_due(const struct crypto_dkg *d)
{
	unsigned i;

	for (i = 1; i <= d->c.holders; i++)
		if (crypto_dkg_due(d, i))
			return 0;
	return 1;
}

/*
 * Brings a replayed record up to `now`: past its expiry an unfinished
 * ceremony is purged; otherwise every phase whose deadline has passed,
 * or in which nobody is due, is closed. 1 if the record changed, 0 if
 * not, -1 when out of memory.
 */
static int
settle(json_t *rec, struct crypto_dkg *d, time_t now, json_t *audits)
{
	const char	*st = srv_record_str(rec, "state");
	const char	*id = srv_record_str(json_object_get(rec, "ceremony"),
	    "id");
	unsigned	 p0;

	if (strcmp(st, ST_COMPLETE) == 0 || strcmp(st, ST_EXPIRED) == 0)
		return 0;
	p0 = d->phase;
	if ((uint64_t)now >= d->c.expires) {
		/* Nothing of an unfinished ceremony stays usable: its
		 * sealed sub-shares and shares go, its terms stay. */
		if (json_object_set_new(rec, "messages", json_array()) == -1 ||
		    json_object_set_new(rec, "signatures", json_array()) ==
		    -1 || json_object_set_new(rec, "state",
		    json_string(ST_EXPIRED)) == -1 ||
		    json_object_set_new(rec, "expired_at",
		    json_integer((json_int_t)now)) == -1 ||
		    audit_add(audits, NULL, "dkg.expire", id,
		    json_pack("{s:s}", "phase", phase_name(d->phase))) == -1)
			return -1;
		return 1;
	}
	while (!d->failed && d->phase < CRYPTO_DKG_DONE &&
	    ((uint64_t)now >= d->c.deadline[d->phase - 1] || nobody_due(d)))
		if (close_phase(d, audits, id) == -1)
			return -1;
	if (d->phase == p0 && strcmp(st, state_of(rec, d)) == 0)
		return 0;
	if (json_object_set_new(rec, "phase",
	    json_string(phase_name(d->phase))) == -1 ||
	    json_object_set_new(rec, "state",
	    json_string(state_of(rec, d))) == -1)
		return -1;
	return 1;
}

/* ---- reading and writing ------------------------------------------------ */

struct load_arg {
	char	 key[KEY_LEN + 1];
	json_t	*rec;		/* out: a copy */
};

static int
load_read(struct store_txn *txn, void *arg)
{
	struct load_arg *a = arg;

	a->rec = NULL;
	return srv_record_get(txn, STORE_T_META, a->key, strlen(a->key),
	    &a->rec);
}

struct save_job {
	struct srv_ctx	*ctx;
	const char	*key;
	json_t		*rec;		/* the new record, rev already set */
	json_int_t	 rev;		/* the revision it was made from */
	json_t		*audits;	/* [{"actor","action","detail"}] */
	time_t		 now;
};

static int
save_job(struct store_txn *txn, void *arg)
{
	struct save_job	*j = arg;
	json_t		*cur = NULL, *a;
	size_t		 i;
	int		 rc;

	if ((rc = srv_record_get(txn, STORE_T_META, j->key, strlen(j->key),
	    &cur)) != STORE_OK)
		return rc;
	rc = srv_record_int(cur, "rev") == j->rev ? STORE_OK : STORE_CONFLICT;
	json_decref(cur);
	if (rc != STORE_OK)
		return rc;
	json_array_foreach(j->audits, i, a)
		if ((rc = srv_audit_append(txn, j->ctx->keys, j->now,
		    srv_record_str(a, "actor"), srv_record_str(a,
		    "action"), NULL, NULL,
		    json_object_get(a, "detail"))) != STORE_OK)
			return rc;
	return srv_record_put(txn, STORE_T_META, j->key, strlen(j->key),
	    j->rec, 0);
}

/* Writes rec (read at revision rev) with its audit entries. */
static int
save(struct srv_ctx *ctx, const char *key, json_t *rec, json_int_t rev,
    json_t *audits, time_t now)
{
	struct save_job	j;

	if (json_object_set_new(rec, "rev", json_integer(rev + 1)) == -1)
		return STORE_IO;
	j.ctx = ctx;
	j.key = key;
	j.rec = rec;
	j.rev = rev;
	j.audits = audits;
	j.now = now;
	return store_write(ctx->store, save_job, &j);
}

/* ---- what callers see ------------------------------------------------------ */

/* The record in the format the client reads (client/dkg.c). */
static json_t *
record_json(const json_t *rec)
{
	return json_pack("{s:i, s:O, s:O, s:O}", "bisik_dkg_record", 1,
	    "ceremony", json_object_get(rec, "ceremony"), "phase",
	    json_object_get(rec, "phase"), "messages",
	    json_object_get(rec, "messages"));
}

/* One ceremony as GET /escrow/ceremonies/{id} shows it; d is its replayed
 * state (NULL for an expired one). */
static json_t *
view_json(const json_t *rec, const struct crypto_dkg *d, int full)
{
	const json_t	*cer = json_object_get(rec, "ceremony");
	const json_t	*dl = json_object_get(cer, "deadlines"), *s;
	json_t		*o = NULL, *dls, *dealers, *due, *signed_by;
	size_t		 i;
	unsigned	 h;

	o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o}",
	    "id", srv_record_str(cer, "id"), "state", srv_record_str(rec,
	    "state"), "phase", srv_record_str(rec, "phase"), "threshold",
	    srv_record_int(cer, "threshold"), "holders",
	    (json_int_t)json_array_size(json_object_get(cer, "holders")),
	    "created_at", iso_json(srv_record_int(rec, "created_at")),
	    "expires_at", iso_json(srv_record_int(cer, "expires")),
	    "deadlines", dls = json_array());
	if (o == NULL || dls == NULL)
		goto fail;
	for (i = 0; i < json_array_size(dl); i++)
		if (json_array_append_new(dls, iso_json(json_integer_value(
		    json_array_get(dl, i)))) == -1)
			goto fail;
	if (!full)
		return o;
	if (d == NULL || strcmp(srv_record_str(rec, "state"), ST_EXPIRED) == 0)
		return json_object_set_new(o, "expired_at",
		    iso_json(srv_record_int(rec,
		    "expired_at"))) == -1 ? NULL : o;
	if (json_object_set_new(o, "dealers", dealers = json_array()) == -1 ||
	    json_object_set_new(o, "due", due = json_array()) == -1 ||
	    json_object_set_new(o, "signed", signed_by = json_array()) == -1 ||
	    json_object_set_new(o, "record", record_json(rec)) == -1 ||
	    json_object_set_new(o, "signatures",
	    json_deep_copy(json_object_get(rec, "signatures"))) == -1)
		goto fail;
	for (h = 1; h <= d->c.holders; h++) {
		unsigned st = crypto_dkg_dealer_status(d, h);

		if (json_array_append_new(dealers, json_pack("{s:I, s:s}",
		    "index", (json_int_t)h, "status", st <
		    CRYPTO_DKG_DEALER_MAX ? dealer_names[st] : "unknown")) ==
		    -1 || (crypto_dkg_due(d, h) &&
		    json_array_append_new(due, json_integer(h)) == -1))
			goto fail;
	}
	json_array_foreach(json_object_get(rec, "signatures"), i, s)
		if (json_array_append_new(signed_by,
		    json_integer(srv_record_int(s, "index"))) == -1)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- one ceremony: read, replay, settle, act, write ------------------------ */

static void
reply_clear(struct srv_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
	r->status = 0;
}

/* What a request does to the settled state; fills the reply itself. */
typedef int	(*act_fn)(struct srv_ctx *, json_t *rec, struct crypto_dkg *,
		    json_t *audits, void *arg, struct srv_reply *);

struct step {
	struct srv_ctx		*ctx;
	const struct srv_request *rq;
	act_fn			 act;	/* NULL: only settle (GET) */
	void			*arg;
	unsigned		 status;	/* of the success answer */
};

/*
 * Loads ceremony {id}, replays it, brings it up to now, lets act change
 * it, writes it back with the audit entries if anything changed, and
 * answers with its view (or act's refusal). Starts again when another
 * request changed the record in between.
 */
static void
step_run(struct step *s, struct srv_reply *rp)
{
	struct load_arg		 la = { 0 };
	struct crypto_dkg	*d = NULL;
	struct srv_reply	 refusal = { 0 };
	json_t			*audits = NULL;
	uint8_t			 id[CRYPTO_DKG_ID_BYTES];
	uint8_t			*buf = NULL;
	int			 rc, changed, attempt, refused;

	memset(&la, 0, sizeof(la));
	memset(&refusal, 0, sizeof(refusal));
	if (id_parse(s->rq->param[0], id) == -1) {
		srv_http_not_found(rp);
		return;
	}
	rec_key(s->rq->param[0], la.key);
	d = calloc(1, sizeof(*d));
	buf = malloc(CRYPTO_DKG_MSG_MAX);
	if (d == NULL || buf == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	for (attempt = 0; attempt < RETRIES; attempt++) {
		json_decref(la.rec);
		json_decref(audits);
		la.rec = NULL;
		reply_clear(&refusal);
		if ((audits = json_array()) == NULL) {
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
		if ((rc = store_read(s->ctx->store, load_read, &la)) !=
		    STORE_OK) {
			if (rc == STORE_NOTFOUND)
				srv_http_not_found(rp);
			else
				srv_http_error_store(rp, rc);
			goto out;
		}
		if (strcmp(srv_record_str(la.rec, "state"), ST_EXPIRED) != 0 &&
		    replay(la.rec, d, buf) == -1) {
			srv_log(LOG_ERR, "dkg_record_damaged", "detail=replay");
			srv_http_error_store(rp, STORE_CORRUPT);
			goto out;
		}
		if ((changed = settle(la.rec, d, s->rq->now, audits)) == -1) {
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
		refused = 0;
		if (s->act != NULL) {
			rc = s->act(s->ctx, la.rec, d, audits, s->arg,
			    &refusal);
			if (rc == -1)
				refused = 1;
			else
				changed = 1;
		}
		if (changed || json_array_size(audits) > 0) {
			rc = save(s->ctx, la.key, la.rec, srv_record_int(la.rec,
			    "rev"), audits, s->rq->now);
			if (rc == STORE_CONFLICT)
				continue;
			if (rc != STORE_OK) {
				srv_http_error_store(rp, rc);
				goto out;
			}
		}
		if (refused) {
			*rp = refusal;
			memset(&refusal, 0, sizeof(refusal));
			goto out;
		}
		srv_http_ok(rp, s->status, view_json(la.rec,
		    strcmp(srv_record_str(la.rec, "state"), ST_EXPIRED) == 0 ?
		    NULL :
		    d, 1));
		goto out;
	}
	srv_http_error(rp, 503, "busy",
	    "The ceremony is changing too fast; try "
	    "again.");
out:
	reply_clear(&refusal);
	json_decref(la.rec);
	json_decref(audits);
	free(buf);
	free(d);
}

/* step_run() for one request: act (NULL: only settle) with arg, and the
 * status of the success answer. */
static void
step(struct srv_ctx *ctx, const struct srv_request *rq, act_fn act,
    void *arg, unsigned status, struct srv_reply *rp)
{
	struct step	s;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.rq = rq;
	s.act = act;
	s.arg = arg;
	s.status = status;
	step_run(&s, rp);
}

/* ---- POST /escrow/ceremonies ------------------------------------------------ */

/* The body: {"threshold": k, "holders": [{"sign_key", "box_key"}, ...]}. */
static int
create_parse(const struct srv_request *rq, struct crypto_dkg_ceremony *c,
    struct srv_reply *rp)
{
	struct core_errors	 errs;
	json_t			*o = NULL, *hs, *h, *v;
	const char		*key;
	size_t			 i;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	memset(c, 0, sizeof(*c));
	if ((rc = core_json_parse(rq->body, rq->len, SRV_DKG_DEPTH, &o,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		return -1;
	}
	hs = json_object_get(o, "holders");
	v = json_object_get(o, "threshold");
	if (!json_is_object(o) || json_object_size(o) != 2 ||
	    !json_is_integer(v) || !json_is_array(hs)) {
		srv_http_error(rp, 400, "malformed", "The body must be "
		    "{\"threshold\": K, \"holders\": [{\"sign_key\", "
		    "\"box_key\"}, ...]} and nothing else.");
		goto fail;
	}
	json_array_foreach(hs, i, h) {
		if (!json_is_object(h)) {
			srv_http_error(rp, 400, "malformed",
			    "Each holder must be "
			    "{\"sign_key\", \"box_key\"}.");
			goto fail;
		}
		json_object_foreach(h, key, v)
			if ((strcmp(key, "sign_key") != 0 &&
			    strcmp(key, "box_key") != 0) || !json_is_string(v)) {
				srv_http_error(rp, 400, "malformed",
				    "Each holder "
				    "must be {\"sign_key\", \"box_key\"}.");
				goto fail;
			}
	}
	if (json_array_size(hs) < 2 ||
	    json_array_size(hs) > CRYPTO_DKG_MAX_HOLDERS) {
		srv_http_invalid(rp, "holders", "out of range", "A ceremony "
		    "has 2 to 32 holders.");
		goto fail;
	}
	c->holders = (unsigned)json_array_size(hs);
	v = json_object_get(o, "threshold");
	if (json_integer_value(v) < 2 ||
	    json_integer_value(v) > (json_int_t)c->holders) {
		srv_http_invalid(rp, "threshold", "out of range", "The "
		    "threshold must be from 2 to the number of holders.");
		goto fail;
	}
	c->threshold = (unsigned)json_integer_value(v);
	json_array_foreach(hs, i, h)
		if (srv_record_b64_value(json_object_get(h, "sign_key"),
		    c->sign_pk[i], CRYPTO_SIGN_PK_BYTES) == -1 ||
		    srv_record_b64_value(json_object_get(h, "box_key"),
		    c->box_pk[i], CRYPTO_BOX_PK_BYTES) == -1) {
			srv_http_invalid(rp, "holders", "invalid", "Each "
			    "holder's keys must be base64 of 32 bytes.");
			goto fail;
		}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	return -1;
}

struct create_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const struct crypto_dkg_ceremony *c;
	json_t			*rec;
	time_t			 now;
	int			 full;		/* out: too many open */
};

/*
 * Purges every ceremony past its expiry that did not complete (one
 * scan, in the caller's write transaction) and counts those still open;
 * the count covers SRV_DKG_SCAN_MAX records at most.
 */
struct sweep_arg {
	struct store_txn	*txn;
	struct srv_ctx		*ctx;
	time_t			 now;
	unsigned		 open;
	size_t			 seen;
	char			 keys[SRV_DKG_OPEN_MAX * 4][KEY_LEN + 1];
	size_t			 nkeys;		/* to purge */
};

static int
sweep_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct sweep_arg	*a = arg;
	json_t			*o;
	const char		*st;

	if (++a->seen > SRV_DKG_SCAN_MAX)
		return STORE_STOP;
	if (klen != KEY_LEN || vlen < 2 ||
	    ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return 0;
	o = json_loadb((const char *)val + 1, vlen - 1,
	    JSON_REJECT_DUPLICATES, NULL);
	st = srv_record_str(o, "state");
	if (o != NULL && strcmp(st, ST_COMPLETE) != 0 &&
	    strcmp(st, ST_EXPIRED) != 0) {
		if ((uint64_t)a->now >= (uint64_t)srv_record_int(
		    json_object_get(o, "ceremony"), "expires")) {
			if (a->nkeys < sizeof(a->keys) / sizeof(a->keys[0])) {
				memcpy(a->keys[a->nkeys], key, KEY_LEN);
				a->keys[a->nkeys++][KEY_LEN] = '\0';
			}
		} else
			a->open++;
	}
	json_decref(o);
	return 0;
}

static int
sweep(struct store_txn *txn, struct srv_ctx *ctx, time_t now,
    unsigned *open)
{
	struct sweep_arg	*a;
	json_t			*o = NULL;
	size_t			 i;
	int			 rc;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return STORE_IO;
	a->txn = txn;
	a->ctx = ctx;
	a->now = now;
	rc = store_each(txn, STORE_T_META, KEY_PREFIX, strlen(KEY_PREFIX),
	    KEY_PREFIX, strlen(KEY_PREFIX), sweep_each, a);
	for (i = 0; rc == STORE_OK && i < a->nkeys; i++) {
		json_t *d;

		if ((rc = srv_record_get(txn, STORE_T_META, a->keys[i],
		    KEY_LEN, &o)) != STORE_OK)
			break;
		d = json_pack("{s:s, s:s}", "ceremony", a->keys[i] +
		    strlen(KEY_PREFIX), "phase", srv_record_str(o, "phase"));
		if (d == NULL || json_object_set_new(o, "messages",
		    json_array()) == -1 || json_object_set_new(o, "signatures",
		    json_array()) == -1 || json_object_set_new(o, "state",
		    json_string(ST_EXPIRED)) == -1 || json_object_set_new(o,
		    "expired_at", json_integer((json_int_t)now)) == -1 ||
		    json_object_set_new(o, "rev",
		    json_integer(srv_record_int(o, "rev") + 1)) == -1) {
			json_decref(d);
			rc = STORE_IO;
			break;
		}
		rc = srv_audit_append(txn, ctx->keys, now, "system",
		    "dkg.expire", NULL, NULL, d);
		json_decref(d);
		if (rc == STORE_OK)
			rc = srv_record_put(txn, STORE_T_META, a->keys[i],
			    KEY_LEN, o, 0);
		json_decref(o);
		o = NULL;
	}
	if (open != NULL)
		*open = a->open;
	free(a);
	return rc;
}

static int
create_job(struct store_txn *txn, void *arg)
{
	struct create_job	*j = arg;
	char			 key[KEY_LEN + 1], actor[64];
	unsigned		 open;
	json_t			*d;
	int			 rc;

	j->full = 0;
	if ((rc = sweep(txn, j->ctx, j->now, &open)) != STORE_OK)
		return rc;
	if (open >= SRV_DKG_OPEN_MAX) {
		j->full = 1;
		return STORE_OK;
	}
	rec_key(srv_record_str(json_object_get(j->rec, "ceremony"), "id"), key);
	srv_audit_actor(j->st, actor, sizeof(actor));
	d = json_pack("{s:s, s:I, s:I}", "ceremony",
	    srv_record_str(json_object_get(j->rec, "ceremony"),
	    "id"), "threshold",
	    (json_int_t)j->c->threshold, "holders", (json_int_t)j->c->holders);
	if (d == NULL)
		return STORE_IO;
	rc = srv_audit_append(txn, j->ctx->keys, j->now, actor, "dkg.open",
	    NULL, NULL, d);
	json_decref(d);
	if (rc != STORE_OK)
		return rc;
	return srv_record_put(txn, STORE_T_META, key, strlen(key), j->rec,
	    STORE_NOOVERWRITE);
}

void
api_ceremony_create(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff		 st;
	struct crypto_dkg_ceremony	 c;
	struct create_job		 j;
	struct crypto_dkg		*d = NULL;
	json_t				*rec = NULL, *terms;
	unsigned			 i;
	uint64_t			 period;
	int				 rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	if (create_parse(rq, &c, rp) == -1)
		return;
	/* Deadlines from our clock: each phase one period after the one
	 * before, and the signing period after the last. */
	crypto_random(c.id, sizeof(c.id));
	period = ctx->cfg->dkg_phase;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		c.deadline[i] = (uint64_t)rq->now + (i + 1) * period;
	c.expires = (uint64_t)rq->now + (CRYPTO_DKG_PHASES + 1) * period;
	if (crypto_dkg_ceremony_check(&c) != 0) {
		srv_http_invalid(rp, "holders", "invalid", "The holders' keys "
		    "must be distinct and valid signing and box keys.");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL ||
	    crypto_dkg_init(d, &c) != 0 || (terms = terms_json(&c)) == NULL ||
	    (rec = json_pack("{s:o, s:s, s:[], s:s, s:I, s:I, s:[], s:I}",
	    "ceremony", terms, "phase", phase_name(CRYPTO_DKG_DEAL),
	    "messages", "state", ST_OPEN, "created_at", (json_int_t)rq->now,
	    "opened_by", (json_int_t)st.user_id, "signatures", "rev",
	    (json_int_t)1)) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.st = &st;
	j.c = &c;
	j.rec = rec;
	j.now = rq->now;
	if ((rc = store_write(ctx->store, create_job, &j)) != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	if (j.full) {
		srv_http_error(rp, 409, "too_many_ceremonies",
		    "Too many escrow key "
		    "ceremonies are open; finish or let one expire first.");
		goto out;
	}
	srv_log(LOG_INFO, "dkg_opened", "user=%llu threshold=%u holders=%u",
	    (unsigned long long)st.user_id, c.threshold, c.holders);
	srv_http_ok(rp, 201, view_json(rec, d, 1));
out:
	json_decref(rec);
	free(d);
}

/* ---- GET /escrow/ceremonies ------------------------------------------------ */

struct list_job {
	struct srv_ctx	*ctx;
	time_t		 now;
	json_t		*list;		/* out */
};

static int
list_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	json_t	*list = arg, *o, *v;

	(void)key;
	if (json_array_size(list) >= SRV_DKG_SCAN_MAX)
		return STORE_STOP;
	if (klen != KEY_LEN || vlen < 2 ||
	    ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return 0;
	if ((o = json_loadb((const char *)val + 1, vlen - 1,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	v = view_json(o, NULL, 0);
	json_decref(o);
	if (v == NULL || json_array_append_new(list, v) == -1)
		return STORE_IO;
	return 0;
}

static int
list_job(struct store_txn *txn, void *arg)
{
	struct list_job	*j = arg;
	int		 rc;

	json_decref(j->list);
	if ((j->list = json_array()) == NULL)
		return STORE_IO;
	if ((rc = sweep(txn, j->ctx, j->now, NULL)) != STORE_OK)
		return rc;
	rc = store_each(txn, STORE_T_META, KEY_PREFIX, strlen(KEY_PREFIX),
	    KEY_PREFIX, strlen(KEY_PREFIX), list_each, j->list);
	return rc;
}

static int
by_created(const void *a, const void *b)
{
	const char	*x = srv_record_str(*(json_t *const *)a, "created_at");
	const char	*y = srv_record_str(*(json_t *const *)b, "created_at");

	return strcmp(x, y);
}

void
api_ceremony_list(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st;
	struct list_job		 j;
	json_t			**v = NULL, *sorted = NULL;
	size_t			 i, n;
	int			 rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.now = rq->now;
	if ((rc = store_write(ctx->store, list_job, &j)) != STORE_OK) {
		json_decref(j.list);
		srv_http_error_store(rp, rc);
		return;
	}
	n = json_array_size(j.list);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL ||
	    (sorted = json_array()) == NULL) {
		free(v);
		json_decref(j.list);
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(j.list, i);
	srv_sort(v, n, sizeof(*v), by_created);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_decref(j.list);
	srv_http_ok(rp, 200, json_pack("{s:o}", "ceremonies", sorted));
}

/* ---- GET /escrow/ceremonies/{id} ---------------------------------------------- */

void
api_ceremony_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	step(ctx, rq, NULL, NULL, 200, rp);
}

/* ---- POST /escrow/ceremonies/{id}/messages ---------------------------------- */

struct msg_arg {
	const uint8_t	*msg;
	size_t		 len;
	char		 actor[64];
};

/* Why a ceremony in this state takes nothing more: 409. */
static int
closed_state(const json_t *rec, struct srv_reply *rp)
{
	const char *st = srv_record_str(rec, "state");

	if (strcmp(st, ST_EXPIRED) == 0)
		srv_http_error(rp, 409, "expired", "The ceremony has expired; "
		    "nothing of it can be used. Open a new one.");
	else if (strcmp(st, ST_FAILED) == 0)
		srv_http_error(rp, 409, "ceremony_failed",
		    "The ceremony has failed "
		    "and takes no more messages; open a new one.");
	else if (strcmp(st, ST_COMPLETE) == 0)
		srv_http_error(rp, 409, "complete",
		    "Every holder has signed this "
		    "ceremony's result already.");
	else
		return 0;
	return -1;
}

static int
msg_act(struct srv_ctx *ctx, json_t *rec, struct crypto_dkg *d,
    json_t *audits, void *arg, struct srv_reply *rp)
{
	struct msg_arg	*a = arg;
	const char	*id = srv_record_str(json_object_get(rec, "ceremony"),
	    "id");
	char		 msg[160], b64[(CRYPTO_DKG_MSG_MAX + 2) / 3 * 4 + 1];
	unsigned	 phase = crypto_dkg_msg_phase(a->msg, a->len);
	unsigned	 sender = 0;
	int		 e;

	(void)ctx;
	if (closed_state(rec, rp) == -1)
		return -1;
	if (a->len >= CRYPTO_DKG_HEADER_BYTES)
		sender = (unsigned)a->msg[1 + CRYPTO_DKG_ID_BYTES + 1] << 24 |
		    (unsigned)a->msg[1 + CRYPTO_DKG_ID_BYTES + 2] << 16 |
		    (unsigned)a->msg[1 + CRYPTO_DKG_ID_BYTES + 3] << 8 |
		    a->msg[1 + CRYPTO_DKG_ID_BYTES + 4];
	e = crypto_dkg_accept(d, a->msg, a->len);
	if (e != CRYPTO_DKG_OK) {
		/* The refusal is recorded, nothing else changes. */
		if (audit_add(audits, a->actor, "dkg.refuse", id,
		    json_pack("{s:s, s:s, s:I}", "why", e < CRYPTO_DKG_ERR_MAX ?
		    err_names[e] : "unknown", "phase", phase_name(phase),
		    "sender", (json_int_t)(sender <= CRYPTO_DKG_MAX_HOLDERS ?
		    sender : 0))) == -1)
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
		else if (e == CRYPTO_DKG_REPLAY)
			srv_http_error(rp, 409, "replayed", "This holder has "
			    "already spoken in this phase; a message is taken "
			    "once.");
		else if (e == CRYPTO_DKG_WRONG_PHASE) {
			snprintf(msg, sizeof(msg), "The message is for the %s "
			    "phase; the %s phase is open.", phase_name(phase),
			    phase_name(d->phase));
			srv_http_error(rp, 409, "wrong_phase", msg);
		} else if (e == CRYPTO_DKG_STALE)
			srv_http_error(rp, 409, "stale",
			    "The message was made on "
			    "another record of the earlier phases; fetch the "
			    "ceremony again.");
		else if (e == CRYPTO_DKG_FAILED)
			srv_http_error(rp, 409, "ceremony_failed", "The "
			    "ceremony has failed and takes no more messages.");
		else {
			snprintf(msg, sizeof(msg), "The message is refused: %s.",
			    crypto_dkg_strerror(e));
			srv_http_invalid(rp, "message", e < CRYPTO_DKG_ERR_MAX ?
			    err_names[e] : "invalid", msg);
		}
		srv_log(LOG_WARN, "dkg_refused", "why=%s",
		    e < CRYPTO_DKG_ERR_MAX ? err_names[e] : "unknown");
		return -1;
	}
	crypto_b64_encode(a->msg, a->len, b64);
	if (json_array_append_new(json_object_get(rec, "messages"),
	    json_string(b64)) == -1 || audit_add(audits, a->actor,
	    "dkg.message", id, json_pack("{s:s, s:I}", "phase",
	    phase_name(phase), "sender", (json_int_t)sender)) == -1)
		goto busy;
	/* A phase in which nobody is due any more closes now. */
	while (!d->failed && d->phase < CRYPTO_DKG_DONE && nobody_due(d))
		if (close_phase(d, audits, id) == -1)
			goto busy;
	if (json_object_set_new(rec, "phase",
	    json_string(phase_name(d->phase))) == -1 ||
	    json_object_set_new(rec, "state",
	    json_string(state_of(rec, d))) == -1)
		goto busy;
	return 0;
busy:
	srv_http_error(rp, 503, "busy", "The server is busy; try again.");
	return -1;
}

void
api_ceremony_message(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st;
	struct core_errors	 errs;
	struct msg_arg		 a;
	json_t			*o = NULL, *v;
	uint8_t			*msg = NULL;
	int			 rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	if ((rc = core_json_parse(rq->body, rq->len, SRV_DKG_DEPTH, &o,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		return;
	}
	v = json_object_get(o, "message");
	if (!json_is_object(o) || json_object_size(o) != 1 ||
	    !json_is_string(v)) {
		srv_http_error(rp, 400, "malformed", "The body must be "
		    "{\"message\": \"<base64>\"} and nothing else.");
		goto out;
	}
	memset(&a, 0, sizeof(a));
	if ((msg = malloc(CRYPTO_DKG_MSG_MAX)) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	if (crypto_b64_decode(json_string_value(v), json_string_length(v), msg,
	    CRYPTO_DKG_MSG_MAX, &a.len) == -1) {
		srv_http_invalid(rp, "message", "invalid", "The message must "
		    "be base64 of at most 5238 bytes.");
		goto out;
	}
	a.msg = msg;
	srv_audit_actor(&st, a.actor, sizeof(a.actor));
	step(ctx, rq, msg_act, &a, 201, rp);
out:
	free(msg);
	json_decref(o);
}

/* ---- POST /escrow/ceremonies/{id}/signatures ----------------------------------- */

struct sign_arg {
	unsigned	index;
	uint8_t		sealed[SEALED_SHARE];
	uint8_t		sig[CRYPTO_SIG_BYTES];
	char		actor[64];
};

static int
sign_act(struct srv_ctx *ctx, json_t *rec, struct crypto_dkg *d,
    json_t *audits, void *arg, struct srv_reply *rp)
{
	struct sign_arg			*a = arg;
	struct crypto_escrow_config	*c = NULL;
	const char			*id = srv_record_str(json_object_get(rec,
					    "ceremony"), "id");
	json_t				*sigs = json_object_get(rec,
					    "signatures"), *s;
	uint8_t				 hash[CRYPTO_HASH_BYTES];
	size_t				 i;
	int				 rc = -1;

	(void)ctx;
	if (closed_state(rec, rp) == -1)
		return -1;
	if (strcmp(srv_record_str(rec, "state"), ST_DONE) != 0) {
		srv_http_error(rp, 409, "not_done",
		    "The ceremony has not made its "
		    "key yet; its phases are still open.");
		return -1;
	}
	if (a->index < 1 || a->index > d->c.holders) {
		srv_http_invalid(rp, "index", "out of range", "The index must "
		    "be one of the ceremony's holders.");
		return -1;
	}
	json_array_foreach(sigs, i, s)
		if (srv_record_int(s, "index") == (json_int_t)a->index) {
			srv_http_error(rp, 409, "already_signed",
			    "This holder has "
			    "signed the result already.");
			return -1;
		}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    crypto_dkg_escrow_config(d, c) != 0 ||
	    crypto_escrow_config_hash(c, hash) != 0) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	if (crypto_sign_check(d->c.sign_pk[a->index - 1], hash, sizeof(hash),
	    a->sig) == -1) {
		if (audit_add(audits, a->actor, "dkg.refuse", id,
		    json_pack("{s:s, s:s, s:I}", "why", "bad_signature",
		    "phase", "sign", "sender", (json_int_t)a->index)) == -1)
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
		else
			srv_http_invalid(rp, "signature", "invalid", "The "
			    "signature does not verify over this ceremony's "
			    "escrow configuration with the holder's key.");
		goto out;
	}
	if (json_array_append_new(sigs, json_pack("{s:I, s:o, s:o}", "index",
	    (json_int_t)a->index, "sealed_share", srv_record_b64_json(a->sealed,
	    sizeof(a->sealed)), "signature", srv_record_b64_json(a->sig,
	    sizeof(a->sig)))) == -1 || audit_add(audits, a->actor, "dkg.sign",
	    id, json_pack("{s:I}", "index", (json_int_t)a->index)) == -1 ||
	    json_object_set_new(rec, "state",
	    json_string(state_of(rec, d))) == -1 ||
	    (strcmp(state_of(rec, d), ST_COMPLETE) == 0 &&
	    audit_add(audits, NULL, "dkg.complete", id, json_pack("{s:I}",
	    "holders", (json_int_t)d->c.holders)) == -1)) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	rc = 0;
out:
	free(c);
	return rc;
}

void
api_ceremony_sign(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st;
	struct core_errors	 errs;
	struct sign_arg		 a;
	json_t			*o = NULL, *v;
	const char		*key;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	if (srv_http_body_object(rq, SRV_DKG_DEPTH, "The body must be a JSON "
	    "object.", &o, rp) == -1)
		return;
	json_object_foreach(o, key, v)
		if ((strcmp(key, "index") == 0 && !json_is_integer(v)) ||
		    ((strcmp(key, "sealed_share") == 0 ||
		    strcmp(key, "signature") == 0) && !json_is_string(v)) ||
		    (strcmp(key, "index") != 0 &&
		    strcmp(key, "sealed_share") != 0 &&
		    strcmp(key, "signature") != 0)) {
			srv_http_error(rp, 400, "malformed", "The body must be "
			    "{\"index\", \"sealed_share\", \"signature\"} and "
			    "nothing else.");
			goto out;
		}
	memset(&a, 0, sizeof(a));
	memset(&errs, 0, sizeof(errs));
	errs.message = "Some fields are missing or not valid.";
	v = json_object_get(o, "index");
	if (v == NULL)
		core_errors_add(&errs, "index", "required");
	else if (json_integer_value(v) < 1 ||
	    json_integer_value(v) > CRYPTO_DKG_MAX_HOLDERS)
		core_errors_add(&errs, "index", "out of range");
	else
		a.index = (unsigned)json_integer_value(v);
	if (srv_record_b64_value(json_object_get(o, "sealed_share"), a.sealed,
	    sizeof(a.sealed)) == -1)
		core_errors_add(&errs, "sealed_share", "invalid");
	if (srv_record_b64_value(json_object_get(o, "signature"), a.sig,
	    sizeof(a.sig)) == -1)
		core_errors_add(&errs, "signature", "invalid");
	if (errs.nfields > 0) {
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	srv_audit_actor(&st, a.actor, sizeof(a.actor));
	step(ctx, rq, sign_act, &a, 201, rp);
out:
	json_decref(o);
}
