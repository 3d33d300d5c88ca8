/*
 * api_followup.c: the reporter's side after submission, authorised only by
 * the capability token in "Authorization: Bearer".
 *
 * A token is looked up by its keyed hash: one BLAKE2b and one LMDB get, so
 * the time taken says nothing about how close a guess was. A missing,
 * malformed, unknown or rotated token gets one and the same 401.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/server.h"

/* Statuses in which the reporter may still write to the case. */
static int
open_for_messages(const char *status)
{
	int st = core_status_parse(status);

	return st == CORE_ST_SUBMITTED || st == CORE_ST_DISPOSITIONED ||
	    st == CORE_ST_IN_PROGRESS || st == CORE_ST_RESOLVED;
}

int
srv_bearer_hash(const struct srv_ctx *ctx, const char *auth,
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
static int
token_case(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t *seq)
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

int
srv_token_case(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t *seq)
{
	return token_case(txn, hash, seq);
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

struct view_arg {
	json_t	*timeline, *messages;
};

static int
view_entry(json_t *e, const char *text, void *arg)
{
	struct view_arg	*a = arg;
	const char	*type = json_string_value(json_object_get(e, "type"));
	const char	*actor = json_string_value(json_object_get(e, "actor"));
	json_t		*o;

	if (!json_is_true(json_object_get(e, "visible")) || type == NULL)
		return 0;
	if (strcmp(type, "message") == 0) {
		o = json_pack("{s:o, s:s, s:s}", "at",
		    iso(json_object_get(e, "at")), "from",
		    actor != NULL && strcmp(actor, "reporter") == 0 ?
		    "reporter" : "staff", "body", text != NULL ? text : "");
		return o != NULL && json_array_append_new(a->messages, o) == 0 ?
		    0 : STORE_IO;
	}
	o = json_pack("{s:o, s:s}", "at", iso(json_object_get(e, "at")),
	    "event", type);
	if (o == NULL)
		return STORE_IO;
	if (json_is_string(json_object_get(e, "status")))
		json_object_set(o, "status", json_object_get(e, "status"));
	/* Who acted, by role only: never a username or a staff id. */
	if (actor != NULL)
		json_object_set_new(o, "by", json_string(actor));
	if (json_is_string(json_object_get(e, "reason")))
		json_object_set(o, "reason", json_object_get(e, "reason"));
	/* A close by the system says so; a rating says what it was. */
	if (json_is_true(json_object_get(e, "automatic")))
		json_object_set_new(o, "automatic", json_true());
	if (json_is_integer(json_object_get(e, "rating")))
		json_object_set(o, "rating", json_object_get(e, "rating"));
	if (text != NULL)
		json_object_set_new(o, "note", json_string(text));
	return json_array_append_new(a->timeline, o) == 0 ? 0 : STORE_IO;
}

/* Merge chains followed at most (a case merged into one that was merged
 * in turn); more means bad data, and the view stops there. */
#define MERGE_DEPTH	8

/*
 * A merged case: the reporter follows the surviving case with their own
 * token (docs/openapi.yaml, GET /followup: "surviving_case"), so the view
 * names it and shows its status and its
 * public timeline; never its text, messages or attachments, which belong
 * to another reporter.
 */
static int
surviving_entry(json_t *e, const char *text, void *arg)
{
	const char *actor = json_string_value(json_object_get(e, "actor"));

	/* What the other reporter wrote (reopen reasons, rating comments)
	 * stays theirs: the event shows, its text does not. */
	if (actor == NULL || strcmp(actor, "reporter") == 0)
		text = NULL;
	return view_entry(e, text, arg);
}

static int
merged_view(struct store_txn *txn, struct srv_ctx *ctx, const json_t *meta,
    json_t *v)
{
	struct srv_case	 s;
	struct view_arg	 va;
	const json_t	*next = json_object_get(meta, "merged_into_seq");
	json_t		*o;
	int		 depth, rc;

	memset(&s, 0, sizeof(s));
	for (depth = 0; json_is_integer(next) && depth < MERGE_DEPTH; depth++) {
		srv_case_free(&s);
		if ((rc = srv_case_load(txn, ctx->keys,
		    (uint64_t)json_integer_value(next), &s)) != STORE_OK)
			return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
		next = json_object_get(s.meta, "merged_into_seq");
	}
	if (s.meta == NULL)
		return STORE_OK;
	va.timeline = json_array();
	va.messages = json_array();	/* not shown */
	o = json_pack("{s:s, s:O, s:o, s:o, s:o}", "case", s.ref,
	    "status", json_object_get(s.meta, "status"),
	    "agency", json_incref(json_object_get(s.meta, "agency") ?
	    json_object_get(s.meta, "agency") : json_null()),
	    "due_at", iso(json_object_get(s.meta, "due_at")),
	    "timeline", va.timeline);
	rc = o == NULL || va.messages == NULL ? STORE_IO :
	    srv_timeline_each(txn, &s, surviving_entry, &va);
	json_decref(va.messages);
	if (rc == STORE_OK && (json_object_set(v, "merged_into",
	    json_object_get(meta, "merged_into")) == -1 ||
	    json_object_set(v, "surviving_case", o) == -1))
		rc = STORE_IO;
	json_decref(o);
	srv_case_free(&s);
	return rc;
}

/*
 * What the reporter needs to know what happens next and to see their own
 * case in full: every stage deadline (dispose, accept, first response,
 * resolve) and when the case closes by itself, when it was resolved and
 * closed and by whom (the reporter's rating, or the system 14 days after
 * the resolution), the rating given, the resolution, the rejection
 * reason, and whether an identity was given (sealed; never the identity).
 */
static int
reporter_facts(const json_t *m, const json_t *ct, json_t *v)
{
	static const char *const due[][2] = {
		{ "dispose", "dispose_due" }, { "accept", "accept_due" },
		{ "respond", "respond_due" }, { "responded_at", "responded_at" },
		{ "resolve", "resolve_due" }, { "close", "close_at" },
	};
	const json_t	*rating = json_object_get(m, "rating");
	json_t		*d;
	size_t		 i;
	int		 closed;

	if ((d = json_object()) == NULL ||
	    json_object_set_new(v, "deadlines", d) == -1)
		return -1;
	for (i = 0; i < sizeof(due) / sizeof(due[0]); i++)
		if (json_object_set_new(d, due[i][0], iso(json_object_get(m,
		    due[i][1]))) == -1)
			return -1;
	closed = core_status_parse(json_string_value(json_object_get(m,
	    "status"))) == CORE_ST_CLOSED;
	if (json_object_set_new(v, "resolved_at", iso(json_object_get(m,
	    "resolved_at"))) == -1 ||
	    json_object_set_new(v, "closed_at", iso(json_object_get(m,
	    "closed_at"))) == -1 ||
	    json_object_set_new(v, "closed_by", !closed ? json_null() :
	    json_string(json_is_integer(rating) ? "reporter" : "system")) ==
	    -1 ||
	    json_object_set_new(v, "rating", json_is_integer(rating) ?
	    json_integer(json_integer_value(rating)) : json_null()) == -1 ||
	    json_object_set_new(v, "resolution", json_is_string(
	    json_object_get(ct, "resolution")) ? json_string(json_string_value(
	    json_object_get(ct, "resolution"))) : json_null()) == -1 ||
	    json_object_set_new(v, "reject_reason", json_is_string(
	    json_object_get(m, "reject_reason")) ? json_string(
	    json_string_value(json_object_get(m, "reject_reason"))) :
	    json_null()) == -1 ||
	    json_object_set_new(v, "identity", json_boolean(json_is_true(
	    json_object_get(m, "identity")))) == -1)
		return -1;
	return 0;
}

struct get_arg {
	struct srv_ctx	*ctx;
	const uint8_t	*hash;
	json_t		*view;
};

/* The reporter's view: the text as they wrote it, never redacted. */
static int
followup_read(struct store_txn *txn, void *arg)
{
	struct get_arg	*g = arg;
	struct srv_case	 c;
	struct view_arg	 va;
	json_t		*m, *ct, *v;
	uint64_t	 seq;
	int		 rc;

	if ((rc = token_case(txn, g->hash, &seq)) != STORE_OK)
		return rc;
	if ((rc = srv_case_load(txn, g->ctx->keys, seq, &c)) != STORE_OK)
		return rc;
	m = c.meta;
	ct = c.content;
	va.timeline = json_array();
	va.messages = json_array();
	v = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O,"
	    " s:o, s:o, s:o, s:o, s:o, s:[], s:[]}",
	    "case", c.ref,
	    "status", json_object_get(m, "status"),
	    "kind", json_object_get(m, "kind"),
	    "visibility", json_object_get(m, "visibility"),
	    "title", json_object_get(ct, "title"),
	    "body", json_object_get(ct, "body"),
	    "agency", json_object_get(m, "agency") ?
	    json_object_get(m, "agency") : json_null(),
	    "category", json_object_get(m, "category") ?
	    json_object_get(m, "category") : json_null(),
	    "location", json_object_get(ct, "location") ?
	    json_object_get(ct, "location") : json_null(),
	    "occurred_on", json_object_get(ct, "occurred_on") ?
	    json_object_get(ct, "occurred_on") : json_null(),
	    "created_at", iso(json_object_get(m, "created_at")),
	    "updated_at", iso(json_object_get(m, "updated_at")),
	    "due_at", iso(json_object_get(m, "due_at")),
	    "timeline", va.timeline, "messages", va.messages,
	    "attachments", "identity_disclosures");
	if (v == NULL || va.timeline == NULL || va.messages == NULL) {
		json_decref(v);
		srv_case_free(&c);
		return STORE_IO;
	}
	if (reporter_facts(m, ct, v) == -1) {
		json_decref(v);
		srv_case_free(&c);
		return STORE_IO;
	}
	rc = srv_timeline_each(txn, &c, view_entry, &va);
	if (rc == STORE_OK)
		rc = srv_attach_list(txn, &c, SRV_AUD_REPORTER,
		    json_object_get(v, "attachments"));
	if (rc == STORE_OK && json_is_string(json_object_get(m, "merged_into")))
		rc = merged_view(txn, g->ctx, m, v);
	/* Granted disclosures of this identity (disclose.c): when, on how
	 * many admins' authority and on what legal basis; never who. */
	if (rc == STORE_OK && json_is_array(json_object_get(m,
	    "identity_disclosures")) && json_object_set_new(v,
	    "identity_disclosures", json_deep_copy(json_object_get(m,
	    "identity_disclosures"))) == -1)
		rc = STORE_IO;
	srv_case_free(&c);
	if (rc != STORE_OK) {
		json_decref(v);
		return rc;
	}
	g->view = v;
	return STORE_OK;
}

void
api_followup_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	uint8_t		hash[CRYPTO_HASH_BYTES];
	struct get_arg	g = { ctx, hash, NULL };
	int		rc;

	if (srv_bearer_hash(ctx, rq->authorization, hash) == -1) {
		srv_token_refused(rp);
		return;
	}
	rc = store_read(ctx->store, followup_read, &g);
	crypto_wipe(hash, sizeof(hash));
	if (rc == STORE_NOTFOUND) {
		srv_token_refused(rp);
		return;
	}
	if (rc != STORE_OK) {
		srv_error_store(rp, rc);
		return;
	}
	srv_ok(rp, 200, g.view);
}

struct msg_job {
	struct srv_ctx	*ctx;
	const uint8_t	*hash;
	const char	*body;
	time_t		 now;
	int		 closed;	/* out: case no longer takes messages */
};

static int
message_job(struct store_txn *txn, void *arg)
{
	struct msg_job	*j = arg;
	struct srv_case	 c;
	struct srv_qpos	 before;
	uint64_t	 seq;
	int		 rc;

	j->closed = 0;
	if ((rc = token_case(txn, j->hash, &seq)) != STORE_OK)
		return rc;
	if ((rc = srv_case_load(txn, j->ctx->keys, seq, &c)) != STORE_OK)
		return rc;
	if (!open_for_messages(json_string_value(json_object_get(c.meta,
	    "status")))) {
		j->closed = 1;
		srv_case_free(&c);
		return STORE_CONFLICT;
	}
	srv_qpos_of(c.meta, &before);
	rc = srv_timeline_add(txn, &c, c.meta, j->now, "message", "reporter",
	    j->body, 1, NULL);
	if (rc == STORE_OK) {
		json_object_set_new(c.meta, "unread", json_true());
		/* Moves the queue counters of unread cases too. */
		rc = srv_case_save(txn, &c, &before, j->now);
	}
	srv_case_free(&c);
	return rc;
}

void
api_followup_message(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const struct core_field_spec spec[] = {
		{ "body", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX, 1 },
	};
	uint8_t			 hash[CRYPTO_HASH_BYTES] = { 0 };
	struct core_errors	 errs;
	struct msg_job		 j;
	const char		*vals[1];
	json_t			*root = NULL;
	char			 at[21];
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	if (srv_bearer_hash(ctx, rq->authorization, hash) == -1) {
		srv_token_refused(rp);
		return;
	}
	if ((rc = core_fields_parse(rq->body, rq->len, spec, 1, &root, vals,
	    &errs)) != CORE_OK) {
		srv_error_core(rp, rc, &errs);
		goto out;
	}
	if (!core_text_ok(vals[0], strlen(vals[0]))) {
		errs.message = "The message has characters that are not allowed.";
		core_errors_add(&errs, "body", "invalid");
		srv_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.hash = hash;
	j.body = vals[0];
	j.now = rq->now;
	rc = store_write(ctx->store, message_job, &j);
	if (rc == STORE_NOTFOUND)
		srv_token_refused(rp);
	else if (rc == STORE_CONFLICT)
		srv_error(rp, 409, "case_closed", "This case no longer takes "
		    "messages.");
	else if (rc != STORE_OK)
		srv_error_store(rp, rc);
	else {
		core_time_iso(rq->now, at);
		srv_ok(rp, 201, json_pack("{s:s, s:s}", "status", "sent",
		    "at", at));
	}
 out:
	crypto_wipe(hash, sizeof(hash));
	json_decref(root);
}

struct rotate_job {
	const uint8_t	*old_hash, *new_hash;
	time_t		 now;
	struct srv_ctx	*ctx;
};

static int
rotate_job(struct store_txn *txn, void *arg)
{
	struct rotate_job	*j = arg;
	struct srv_case		 c;
	uint8_t			 rec[9];
	uint64_t		 seq;
	int			 rc;

	if ((rc = token_case(txn, j->old_hash, &seq)) != STORE_OK)
		return rc;
	if ((rc = store_del(txn, STORE_T_TOKENS, j->old_hash,
	    CRYPTO_HASH_BYTES)) != STORE_OK)
		return rc;
	rec[0] = SRV_RECORD_V1;
	store_be64_put(rec + 1, seq);
	if ((rc = store_put(txn, STORE_T_TOKENS, j->new_hash, CRYPTO_HASH_BYTES,
	    rec, sizeof(rec), STORE_NOOVERWRITE)) != STORE_OK)
		return rc;
	if ((rc = srv_case_load(txn, j->ctx->keys, seq, &c)) != STORE_OK)
		return rc;
	rc = srv_timeline_add(txn, &c, c.meta, j->now, "token_rotated",
	    "reporter", NULL, 1, NULL);
	if (rc == STORE_OK)
		rc = srv_case_put(txn, seq, c.meta);
	srv_case_free(&c);
	return rc;
}

void
api_followup_rotate(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	uint8_t			old_hash[CRYPTO_HASH_BYTES] = { 0 };
	uint8_t			new_hash[CRYPTO_HASH_BYTES] = { 0 };
	char			token[CRYPTO_TOKEN_TEXT] = "";
	char			canon[CRYPTO_TOKEN_SYMBOLS + 1] = "";
	struct rotate_job	j;
	int			rc;

	if (srv_bearer_hash(ctx, rq->authorization, old_hash) == -1) {
		srv_token_refused(rp);
		return;
	}
	crypto_token_new(token);
	if (crypto_token_parse(token, strlen(token), canon) == -1) {
		srv_error(rp, 503, "busy", "The server is busy; try again.");
		goto out;
	}
	crypto_token_hash(ctx->keys->pepper, canon, new_hash);
	j.old_hash = old_hash;
	j.new_hash = new_hash;
	j.now = rq->now;
	j.ctx = ctx;
	rc = store_write(ctx->store, rotate_job, &j);
	if (rc == STORE_NOTFOUND)
		srv_token_refused(rp);
	else if (rc != STORE_OK)
		srv_error_store(rp, rc);
	else
		srv_ok(rp, 200, json_pack("{s:s}", "token", token));
 out:
	crypto_wipe(canon, sizeof(canon));
	crypto_wipe(token, sizeof(token));
	crypto_wipe(old_hash, sizeof(old_hash));
	crypto_wipe(new_hash, sizeof(new_hash));
}
