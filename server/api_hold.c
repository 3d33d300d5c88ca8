/*
 * api_hold.c: POST /cases/{case}/hold, the legal hold that takes a case
 * out of retention (retention.c) until a central admin releases it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

struct hold_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref;
	uint64_t		 seq;
	int			 hold;
	time_t			 now;
};

static int
hold_job(struct store_txn *txn, void *arg)
{
	struct hold_job		*j = arg;
	struct srv_actor	 who = { j->st->role, j->st->user_id };
	struct srv_case		 c;
	struct srv_qpos		 before;
	char			 actor[96];
	json_t			*extra;
	int			 rc;

	if ((rc = srv_case_load(txn, j->ctx->keys, j->seq, &c)) != STORE_OK)
		return rc;
	if (strcmp(c.ref, j->ref) != 0 || !srv_workflow_in_scope(txn, j->st,
	    c.meta)) {
		srv_case_free(&c);
		return STORE_NOTFOUND;
	}
	if (json_is_true(json_object_get(c.meta, "legal_hold")) == j->hold) {
		srv_case_free(&c);
		return STORE_OK;	/* already so: nothing to record */
	}
	srv_qindex_pos_of(c.meta, &before);
	if (j->hold) {
		if (json_object_set_new(c.meta, "legal_hold", json_true()) ==
		    -1 || json_object_set_new(c.meta, "legal_hold_at",
		    json_integer((json_int_t)j->now)) == -1) {
			srv_case_free(&c);
			return STORE_IO;
		}
	} else {
		json_object_del(c.meta, "legal_hold");
		json_object_del(c.meta, "legal_hold_at");
	}
	/* Between staff: the reporter's view does not show it. */
	if ((extra = json_pack("{s:b}", "hold", j->hold)) == NULL)
		rc = STORE_IO;
	else
		rc = srv_workflow_event(txn, &c, j->now, "legal_hold", &who,
		    NULL, 0, extra);
	json_decref(extra);
	if (rc == STORE_OK)
		rc = srv_workflow_save(txn, &c, &before, j->now);
	if (rc == STORE_OK) {
		srv_audit_actor(j->st, actor, sizeof(actor));
		rc = srv_audit_append(txn, j->ctx->keys, j->now, actor,
		    j->hold ? "case.hold" : "case.release", c.ref, NULL, NULL);
	}
	srv_case_free(&c);
	return rc;
}

void
api_hold_case(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st = { 0 };
	struct core_errors	 errs;
	struct hold_job		 j;
	const char		*k;
	json_t			*root = NULL, *v, *hold = NULL;
	int			 rc, year;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	memset(&j, 0, sizeof(j));
	if (st.role != CORE_ROLE_CENTRAL_ADMIN) {
		srv_http_error(rp, 403, "forbidden", "Only central admins may "
		    "set or release a legal hold.");
		goto out;
	}
	if (rq->param[0] == NULL || core_case_ref_parse(rq->param[0], &year,
	    &j.seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	if (srv_http_body_object(rq, CORE_JSON_MAX_DEPTH, "The request body "
	    "must be a JSON object.", &root, rp) == -1)
		goto out;
	json_object_foreach(root, k, v) {
		if (strcmp(k, "hold") != 0 || !json_is_boolean(v)) {
			errs.message = strcmp(k, "hold") == 0 ? "The field "
			    "\"hold\" must be true or false." : "The body has "
			    "a field that is not known.";
			srv_http_error_core(rp, CORE_MALFORMED, &errs);
			goto out;
		}
		hold = v;
	}
	if (hold == NULL) {
		errs.message = "Say whether the case is held: {\"hold\": true} "
		    "or {\"hold\": false}.";
		core_errors_add(&errs, "hold", "required");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	j.ctx = ctx;
	j.st = &st;
	j.ref = rq->param[0];
	j.hold = json_is_true(hold);
	j.now = rq->now;
	rc = store_write(ctx->store, hold_job, &j);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else
		srv_http_ok(rp, 200, json_pack("{s:s, s:b}", "case",
		    rq->param[0], "legal_hold", j.hold));
 out:
	json_decref(root);
	crypto_wipe(&st, sizeof(st));
}
