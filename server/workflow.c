/*
 * workflow.c: what every case transition shares, whoever makes it (a staff
 * action, the reporter's confirm or reopen, the automatic close).
 *
 * Whether a transition is allowed is never decided here: that is
 * core_workflow_next() alone. This file keeps the consequences consistent:
 *
 *  - deadlines: each stage's due time is a field of the case record
 *    (dispose_due, accept_due, respond_due, resolve_due, close_at) and
 *    due_at, the one queues sort by, is derived from them and the status
 *    by srv_workflow_due(), so no caller computes it its own way;
 *  - indexes: srv_qindex_move() (qindex.c) moves a case between queues
 *    in the caller's transaction;
 *  - scope: srv_workflow_in_scope() turns srv_directory_scope() into "may this
 *    staff member see this case now": agency staff see a case only while
 *    it is routed to them (dispositioned and later), never while central
 *    admins are still reviewing it, even if the reporter suggested them;
 *    a liaison also sees the cases assigned to them.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

static json_int_t
int_field(const json_t *meta, const char *name, json_int_t dflt)
{
	const json_t *v = json_object_get(meta, name);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* The smaller of two due times where -1 means "none". */
static json_int_t
due_min(json_int_t a, json_int_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

void
srv_workflow_due(json_t *meta)
{
	json_int_t due = -1, respond = -1;

	/* The first reporter-visible answer is due until it is given. */
	if (!json_is_integer(json_object_get(meta, "responded_at")))
		respond = int_field(meta, "respond_due", -1);
	switch (srv_qindex_case_status(meta)) {
	case CORE_ST_SUBMITTED:
		due = int_field(meta, "dispose_due",
		    int_field(meta, "due_at", -1));
		break;
	case CORE_ST_DISPOSITIONED:
		due = due_min(int_field(meta, "accept_due", -1), respond);
		break;
	case CORE_ST_IN_PROGRESS:
		due = due_min(respond, int_field(meta, "resolve_due", -1));
		break;
	case CORE_ST_RESOLVED:
		/* Not a staff deadline: when the case closes by itself. */
		due = int_field(meta, "close_at", -1);
		break;
	default:		/* closed, rejected, merged: nothing is due */
		break;
	}
	json_object_set_new(meta, "due_at", due < 0 ? json_null() :
	    json_integer(due));
}

int
srv_workflow_overdue(const json_t *meta, time_t now)
{
	json_int_t due = int_field(meta, "due_at", -1);

	switch (srv_qindex_case_status(meta)) {
	case CORE_ST_SUBMITTED:
	case CORE_ST_DISPOSITIONED:
	case CORE_ST_IN_PROGRESS:
		return due >= 0 && due < (json_int_t)now;
	default:
		return 0;
	}
}

int
srv_workflow_status_routed(int status)
{
	return status == CORE_ST_DISPOSITIONED ||
	    status == CORE_ST_IN_PROGRESS || status == CORE_ST_RESOLVED ||
	    status == CORE_ST_CLOSED;
}

int
srv_workflow_in_scope(struct store_txn *txn, const struct srv_staff *st,
    const json_t *meta)
{
	const char *agency = json_string_value(json_object_get(meta,
	    "agency"));

	if (st->role == CORE_ROLE_CENTRAL_ADMIN)
		return srv_directory_scope(txn, st, agency);
	if (st->role != CORE_ROLE_AGENCY_ADMIN && st->role != CORE_ROLE_LIAISON)
		return 0;
	if (!srv_workflow_status_routed(srv_qindex_case_status(meta)) || agency == NULL)
		return 0;
	/* A liaison also sees the cases assigned to them, which may belong
	 * to a parent of their own agency (docs/design.md, "Threat model in
	 * short"). */
	if (st->role == CORE_ROLE_LIAISON && st->user_id != 0 &&
	    json_integer_value(json_object_get(meta, "liaison_id")) ==
	    (json_int_t)st->user_id)
		return 1;
	return srv_directory_scope(txn, st, agency);
}

int
srv_workflow_event(struct store_txn *txn, const struct srv_case *c, time_t now,
    const char *type, const struct srv_actor *who, const char *text,
    int visible, json_t *extra)
{
	json_t	*e;
	int	 rc;

	if ((e = extra != NULL ? json_copy(extra) : json_object()) == NULL)
		return STORE_IO;
	if (who->user != 0 && json_object_set_new(e, "user",
	    json_integer((json_int_t)who->user)) == -1) {
		json_decref(e);
		return STORE_IO;
	}
	rc = srv_case_timeline_add(txn, c, c->meta, now, type,
	    core_role_name(who->role), text, visible, e);
	json_decref(e);
	return rc;
}

int
srv_workflow_transition(struct store_txn *txn, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to, time_t now,
    const struct srv_actor *who, const char *text, int visible,
    json_t *extra)
{
	struct srv_qpos	 after;
	json_t		*e;
	int		 rc;

	if (json_object_set_new(c->meta, "status",
	    json_string(core_status_name(to))) == -1 ||
	    json_object_set_new(c->meta, "updated_at",
	    json_integer((json_int_t)now)) == -1)
		return STORE_IO;
	srv_workflow_due(c->meta);
	if ((e = extra != NULL ? json_copy(extra) : json_object()) == NULL)
		return STORE_IO;
	if (json_object_set_new(e, "status",
	    json_string(core_status_name(to))) == -1) {
		json_decref(e);
		return STORE_IO;
	}
	rc = srv_workflow_event(txn, c, now, "status", who, text, visible, e);
	json_decref(e);
	if (rc != STORE_OK)
		return rc;
	srv_qindex_pos_of(c->meta, &after);
	if ((rc = srv_qindex_move(txn, c->seq, before, &after)) != STORE_OK)
		return rc;
	return srv_case_put(txn, c->seq, c->meta);
}

int
srv_workflow_save(struct store_txn *txn, struct srv_case *c,
    const struct srv_qpos *before, time_t now)
{
	struct srv_qpos	after;
	int		rc;

	if (json_object_set_new(c->meta, "updated_at",
	    json_integer((json_int_t)now)) == -1)
		return STORE_IO;
	srv_workflow_due(c->meta);
	srv_qindex_pos_of(c->meta, &after);
	if ((rc = srv_qindex_move(txn, c->seq, before, &after)) != STORE_OK)
		return rc;
	return srv_case_put(txn, c->seq, c->meta);
}

int
srv_workflow_content_put(struct srv_case *c)
{
	char	*text;
	int	 rc;

	if (c->txn == NULL ||
	    (text = json_dumps(c->content, JSON_COMPACT)) == NULL)
		return -1;
	rc = srv_case_content_write(c->txn, c->seq, c->dek, text, strlen(text));
	crypto_wipe(text, strlen(text));
	core_json_free(text);
	if (rc == STORE_OK)
		json_object_del(c->meta, "content");	/* legacy copy */
	return rc == STORE_OK ? 0 : -1;
}

int
srv_workflow_responded(json_t *meta, time_t now, int agency_side)
{
	/* Only the agency's answers after a disposition count toward its
	 * first-response deadline (respond_due is set at disposition);
	 * respond_due stays for the statistics of deadlines met. */
	if (agency_side &&
	    !json_is_integer(json_object_get(meta, "responded_at")) &&
	    json_is_integer(json_object_get(meta, "respond_due")) &&
	    json_object_set_new(meta, "responded_at",
	    json_integer((json_int_t)now)) == -1)
		return -1;
	return json_object_set_new(meta, "unread", json_false());
}
