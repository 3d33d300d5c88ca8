/*
 * api_cases.c: the staff side of a case and the reporter's two workflow
 * actions.
 *
 *   GET  /api/v1/cases/{case}            one case, redacted, within scope
 *   POST /api/v1/cases/{case}/actions    a workflow action
 *   POST /api/v1/cases/{case}/messages   a message to the reporter
 *   POST /api/v1/cases                   staff intake from another channel
 *   POST /api/v1/followup/confirm        the reporter rates: closed
 *   POST /api/v1/followup/reopen         the reporter reopens a resolution
 *
 * (The queues, GET /cases and /cases/counts, are in queue.c.)
 *
 * Every action is one durable write job that loads the case, checks the
 * scope (404: existence does not leak), asks core_workflow_next() (403 for
 * a role that may never take the action, 409 for the wrong state),
 * validates the values (422), applies, moves the index entries, adds the
 * timeline entries and saves; any refusal returns STORE_CONFLICT from the
 * job so that its nested transaction is thrown away and nothing changes.
 * The shape of a body (types, unknown fields) is checked before the job:
 * a malformed body is 400 whoever sends it.
 *
 * What agency staff may see: the redacted title and body made at
 * submission (and reviewed at disposition), reporter-written text passed
 * through core_redact(), never the identity, the intake source or the
 * original text. Central admins also get "original" and whether an
 * identity is on file ("identity": true/false), never the identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

/* ---- replies ------------------------------------------------------------ */

static void
forbidden(struct srv_reply *rp)
{
	srv_http_error(rp, 403, "forbidden", "Your role may not do this.");
}


static void
conflict(struct srv_reply *rp, const char *status)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "This action is not allowed while the "
	    "case is %s.", status);
	srv_http_error(rp, 409, "conflict", msg);
}

/* Signs the staff member in; auditors read audit logs and statistics,
 * never cases: 403 on every /cases endpoint. */
static int
staff_begin(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *st, struct srv_reply *rp)
{
	if (srv_auth_staff(ctx, rq, st, rp) == -1)
		return -1;
	if (st->role != CORE_ROLE_CENTRAL_ADMIN &&
	    st->role != CORE_ROLE_AGENCY_ADMIN && st->role != CORE_ROLE_LIAISON) {
		forbidden(rp);
		return -1;
	}
	return 0;
}

static void
staff_end(struct srv_staff *st)
{
	crypto_wipe(st->session, sizeof(st->session));
}

/* {case} into its sequence; -1 (answer 404) if it is no case reference. */
static int
case_param(const char *param, uint64_t *seq)
{
	int year;

	return param == NULL || core_case_ref_parse(param, &year, seq) == -1 ?
	    -1 : 0;
}

/* Loads the case named by ref; STORE_NOTFOUND also when the number
 * exists under another year (the reference must match exactly). */
static int
load_ref(struct store_txn *txn, struct srv_ctx *ctx, const char *ref,
    uint64_t seq, struct srv_case *c)
{
	int rc;

	if ((rc = srv_case_load(txn, ctx->keys, seq, c)) != STORE_OK)
		return rc;
	if (strcmp(c->ref, ref) != 0) {
		srv_case_free(c);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

static void
free_text(char *t)
{
	if (t != NULL) {
		crypto_wipe(t, strlen(t));
		free(t);
	}
}

/* A redacted copy of reporter-written text as a JSON string. */
static json_t *
redacted_json(const char *s)
{
	char	*r;
	json_t	*j;

	if (s == NULL)
		return json_null();
	if ((r = core_redact(s, strlen(s))) == NULL)
		return NULL;
	j = json_string(r);
	free_text(r);
	return j;
}

/*
 * The automatic masks of one text for the central admins' review: each
 * {"kind", "start", "end", "value"} with byte offsets into the text as
 * written, so that the page can mark them and offer to undo one.
 */
static json_t *
text_masks(const char *s)
{
	struct core_redact_span	*sp = NULL;
	size_t			 nsp = 0, i;
	json_t			*a = json_array(), *o;

	if (a == NULL || s == NULL)
		return a;
	if (core_redact_find(s, strlen(s), &sp, &nsp) == -1) {
		json_decref(a);
		return NULL;
	}
	for (i = 0; i < nsp; i++) {
		o = json_pack("{s:s, s:I, s:I, s:s%}", "kind",
		    core_redact_kind_name(sp[i].kind), "start",
		    (json_int_t)sp[i].start, "end", (json_int_t)sp[i].end,
		    "value", s + sp[i].start, sp[i].end - sp[i].start);
		if (o == NULL || json_array_append_new(a, o) == -1) {
			json_decref(a);
			a = NULL;
			break;
		}
	}
	free(sp);
	return a;
}

static json_t *
masks_json(const json_t *ct)
{
	return json_pack("{s:o?, s:o?, s:o?}",
	    "title", text_masks(json_string_value(json_object_get(ct, "title"))),
	    "body", text_masks(json_string_value(json_object_get(ct, "body"))),
	    "location", json_is_string(json_object_get(ct, "location")) ?
	    text_masks(json_string_value(json_object_get(ct, "location"))) :
	    NULL);
}

/* A redaction list without its "unmask" entries (publication starts from
 * the disposition's list, but an unmask for the agency is not one for
 * the public). */
static json_t *
without_unmask(const json_t *reds)
{
	json_t	*out = json_array(), *e;
	size_t	 i;

	if (out == NULL || reds == NULL)
		return out;
	json_array_foreach(reds, i, e)
		if (json_object_get(e, "unmask") == NULL)
			json_array_append(out, e);
	return out;
}

static void
free_texts(char **t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_text(t[i]);
}

static json_t *
or_null(json_t *v)
{
	return v != NULL ? v : json_null();
}

/* ---- the staff view of a case ------------------------------------------- */

struct sview_arg {
	json_t	*timeline, *messages;
	int	 central;
};

/* Plain metadata of timeline entries that staff may see. */
static const char *const sview_extras[] = {
	"status", "reason", "agency", "liaison", "into", "from", "rating",
	"automatic", "attachments", "user",
};

static int
sview_entry(json_t *e, const char *text, void *arg)
{
	struct sview_arg *a = arg;
	const char	*type = json_string_value(json_object_get(e, "type"));
	const char	*actor = json_string_value(json_object_get(e, "actor"));
	int		 reporter, visible, filtered;
	json_t		*o, *v;
	size_t		 i;

	if (type == NULL || actor == NULL)
		return STORE_CORRUPT;
	reporter = strcmp(actor, "reporter") == 0;
	/* What the central admins write (to the reporter, before the case
	 * went to the agency) passes the filter for the agency too: it may
	 * quote the reporter. */
	filtered = reporter || (!a->central &&
	    strcmp(actor, "central_admin") == 0);
	visible = json_is_true(json_object_get(e, "visible"));
	if (strcmp(type, "message") == 0) {
		o = json_pack("{s:o, s:s, s:s, s:o}", "at",
		    srv_record_time(e, "at"), "from",
		    reporter ? "reporter" : "staff", "by", actor,
		    "body", or_null(filtered ? redacted_json(text) :
		    json_string(text != NULL ? text : "")));
		if (o != NULL && json_is_integer(json_object_get(e, "user")))
			json_object_set(o, "user", json_object_get(e, "user"));
		if (o != NULL && filtered && a->central && text != NULL)
			json_object_set_new(o, "original", json_string(text));
		return o != NULL && json_array_append_new(a->messages, o) == 0 ?
		    0 : STORE_IO;
	}
	o = json_pack("{s:o, s:s, s:s, s:b}", "at",
	    srv_record_time(e, "at"), "event", type, "by", actor,
	    "internal", !visible);
	if (o == NULL)
		return STORE_IO;
	for (i = 0; i < sizeof(sview_extras) / sizeof(sview_extras[0]); i++)
		if ((v = json_object_get(e, sview_extras[i])) != NULL)
			json_object_set(o, sview_extras[i], v);
	if (text != NULL) {
		/* Reporter-written notes (reopen reasons, rating comments)
		 * pass through the filter like their messages. */
		v = filtered ? redacted_json(text) : json_string(text);
		if (v == NULL) {
			json_decref(o);
			return STORE_IO;
		}
		json_object_set_new(o, "note", v);
	}
	return json_array_append_new(a->timeline, o) == 0 ? 0 : STORE_IO;
}

static json_t *
deadlines_json(const json_t *m)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
	    "dispose", srv_record_time(m, "dispose_due"),
	    "accept", srv_record_time(m, "accept_due"),
	    "respond", srv_record_time(m, "respond_due"),
	    "responded_at", srv_record_time(m, "responded_at"),
	    "resolve", srv_record_time(m, "resolve_due"),
	    "close", srv_record_time(m, "close_at"));
}

json_t *
api_cases_staff_view(struct store_txn *txn, const struct srv_staff *st,
    const struct srv_case *c, time_t now, int *rcp)
{
	const json_t	*m = c->meta, *ct = c->content;
	struct sview_arg a;
	json_t		*v, *orig;
	int		 overdue, rc;

	*rcp = STORE_IO;
	a.central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	a.timeline = json_array();
	a.messages = json_array();
	overdue = srv_workflow_overdue(m, now);
	v = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:o, s:o,"
	    " s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:b, s:o, s:o,"
	    " s:o, s:b, s:o, s:o, s:[], s:[]}",
	    "case", c->ref,
	    "status", json_object_get(m, "status"),
	    "kind", json_object_get(m, "kind"),
	    "visibility", json_object_get(m, "visibility"),
	    "channel", json_object_get(m, "channel"),
	    "title", json_object_get(ct, "redacted_title"),
	    "body", json_object_get(ct, "redacted_body"),
	    "agency", json_incref(or_null(json_object_get(m, "agency"))),
	    "category", json_incref(or_null(json_object_get(m, "category"))),
	    "location", json_incref(or_null(json_object_get(ct,
	    "redacted_location"))),
	    "occurred_on", json_incref(or_null(json_object_get(ct,
	    "occurred_on"))),
	    "created_at", srv_record_time(m, "created_at"),
	    "updated_at", srv_record_time(m, "updated_at"),
	    "due_at", srv_record_time(m, "due_at"),
	    "deadlines", deadlines_json(m),
	    "liaison", json_incref(or_null(json_object_get(m, "liaison"))),
	    "overdue", overdue,
	    /* Computed at read time: an overdue case is escalated to the
	     * level above (agency stage to the central admins, central
	     * stage to their own flag), with nothing to sweep or undo. */
	    "escalated", overdue,
	    "resolution", json_incref(or_null(json_object_get(ct,
	    "resolution"))),
	    "unread", json_is_true(json_object_get(m, "unread")),
	    "rating", json_incref(or_null(json_object_get(m, "rating"))),
	    "merged_into", json_incref(or_null(json_object_get(m,
	    "merged_into"))),
	    "merged_from", json_is_array(json_object_get(m, "merged_from")) ?
	    json_incref(json_object_get(m, "merged_from")) : json_array(),
	    "published", json_is_true(json_object_get(m, "published")),
	    "timeline", a.timeline, "messages", a.messages,
	    "attachments", "identity_disclosures");
	if (v == NULL || a.timeline == NULL || a.messages == NULL) {
		json_decref(v);
		return NULL;
	}
	if (a.central) {
		orig = json_pack("{s:O, s:O, s:O, s:O}",
		    "title", json_object_get(ct, "title"),
		    "body", json_object_get(ct, "body"),
		    "location", or_null(json_object_get(ct, "location")),
		    "source", or_null(json_object_get(ct, "source")));
		if (orig == NULL || json_object_set_new(orig, "masks",
		    masks_json(ct)) == -1 || json_object_set_new(orig,
		    "redactions", json_is_array(json_object_get(ct,
		    "redactions")) ? json_deep_copy(json_object_get(ct,
		    "redactions")) : json_array()) == -1 ||
		    json_object_set_new(v, "original", orig) == -1 ||
		    json_object_set_new(v, "duplicates", json_array()) == -1 ||
		    json_object_set_new(v, "identity", json_boolean(
		    json_is_true(json_object_get(m, "identity")))) == -1) {
			json_decref(v);
			return NULL;
		}
	}
	if ((rc = srv_case_timeline_each(txn, c, sview_entry,
	    &a)) != STORE_OK ||
	    (rc = api_attach_list(txn, c, a.central ? SRV_AUD_CENTRAL :
	    SRV_AUD_AGENCY, json_object_get(v, "attachments"))) != STORE_OK) {
		json_decref(v);
		*rcp = rc;
		return NULL;
	}
	*rcp = STORE_OK;
	return v;
}

/* ---- GET /cases/{case} ---------------------------------------------------- */

struct view_read {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref;
	uint64_t		 seq;
	time_t			 now;
	json_t			*view;	/* out */
};

static int
view_read(struct store_txn *txn, void *arg)
{
	struct view_read	*g = arg;
	struct srv_case		 c;
	int			 rc;

	if ((rc = load_ref(txn, g->ctx, g->ref, g->seq, &c)) != STORE_OK)
		return rc;
	if (!srv_workflow_in_scope(txn, g->st, c.meta)) {
		srv_case_free(&c);
		return STORE_NOTFOUND;
	}
	g->view = api_cases_staff_view(txn, g->st, &c, g->now, &rc);
	/* Central admins also get the likely duplicates and the legal hold
	 * (dedup.c). */
	if (g->view != NULL && rc == STORE_OK &&
	    g->st->role == CORE_ROLE_CENTRAL_ADMIN)
		rc = srv_dedup_view_central(txn, g->ctx->keys, &c, g->view);
	srv_case_free(&c);
	return rc;
}

/* Reads the staff view after a change; fills rp. */
static void
reply_view(struct srv_ctx *ctx, const struct srv_staff *st, const char *ref,
    uint64_t seq, time_t now, unsigned status, struct srv_reply *rp)
{
	struct view_read	g = { ctx, st, ref, seq, now, NULL };
	int			rc;

	rc = store_read(ctx->store, view_read, &g);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else
		srv_http_ok(rp, status, g.view);
}

void
api_cases_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	uint64_t		seq;

	if (staff_begin(ctx, rq, &st, rp) == -1)
		return;
	if (case_param(rq->param[0], &seq) == -1)
		srv_http_not_found(rp);
	else
		reply_view(ctx, &st, rq->param[0], seq, rq->now, 200, rp);
	staff_end(&st);
}

/* ---- POST /cases/{case}/preview ------------------------------------- */

/*
 * What the agency (or, for "publish", the public) would read with the
 * given redactions, without changing anything: the central admin's
 * preview before disposing or publishing. The same review as the action,
 * with the same refusals, so a preview that passes is what the action
 * will store.
 */
struct preview_read {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref;
	uint64_t		 seq;
	const json_t		*reds;
	int			 publish;
	struct core_errors	 errs;
	int			 crc;		/* core_redact_review's */
	json_t			*out;
};

static int
preview_read(struct store_txn *txn, void *arg)
{
	struct preview_read	*g = arg;
	struct srv_case		 c;
	const char		*texts[3];
	char			*outs[3] = { NULL, NULL, NULL };
	json_t			*all = NULL;
	int			 rc;

	if ((rc = load_ref(txn, g->ctx, g->ref, g->seq, &c)) != STORE_OK)
		return rc;
	if (!srv_workflow_in_scope(txn, g->st, c.meta)) {
		srv_case_free(&c);
		return STORE_NOTFOUND;
	}
	texts[0] = json_string_value(json_object_get(c.content, "body"));
	texts[1] = json_string_value(json_object_get(c.content, "title"));
	texts[2] = json_string_value(json_object_get(c.content, g->publish ?
	    "resolution" : "location"));
	g->crc = core_redact_review(texts, 3, g->reds, CORE_REVIEW_FOUND, outs,
	    NULL, &g->errs);
	if (g->crc == CORE_OK && g->publish) {
		free_texts(outs, 3);
		if ((all = without_unmask(json_object_get(c.content,
		    "redactions"))) == NULL) {
			srv_case_free(&c);
			return STORE_IO;
		}
		json_array_extend(all, (json_t *)(uintptr_t)g->reds);
		g->crc = core_redact_review(texts, 3, all, 0, outs, NULL,
		    &g->errs);
		json_decref(all);
	}
	if (g->crc == CORE_OK)
		g->out = json_pack("{s:s?, s:s?, s:s?}", "body", outs[0],
		    "title", outs[1], g->publish ? "resolution" : "location",
		    outs[2]);
	free_texts(outs, 3);
	srv_case_free(&c);
	return g->crc == CORE_OK && g->out == NULL ? STORE_IO : STORE_OK;
}

void
api_cases_preview(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st = { 0 };
	struct core_errors	 errs;
	struct preview_read	 g = { 0 };
	const char		*k, *act;
	json_t			*root = NULL, *v;
	int			 rc;

	memset(&g, 0, sizeof(g));
	if (staff_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	if (st.role != CORE_ROLE_CENTRAL_ADMIN) {
		forbidden(rp);
		goto out;
	}
	if (srv_http_body_object(rq, CORE_JSON_MAX_DEPTH, "The request body "
	    "must be a JSON object.", &root, rp) == -1)
		goto out;
	json_object_foreach(root, k, v)
		if (strcmp(k, "redactions") != 0 && strcmp(k, "action") != 0) {
			srv_http_error(rp, 400, "malformed",
			    "The body has a field "
			    "a preview does not take.");
			goto out;
		}
	g.reds = json_object_get(root, "redactions");
	act = json_string_value(json_object_get(root, "action"));
	if (json_object_get(root, "action") != NULL && (act == NULL ||
	    (strcmp(act, "dispose") != 0 && strcmp(act, "publish") != 0))) {
		errs.message = "The action of a preview is dispose or publish.";
		core_errors_add(&errs, "action", "invalid");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	if (g.reds == NULL) {
		errs.message = "Give the redactions to preview.";
		core_errors_add(&errs, "redactions", "required");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	if (case_param(rq->param[0], &g.seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	g.ctx = ctx;
	g.st = &st;
	g.ref = rq->param[0];
	g.publish = act != NULL && strcmp(act, "publish") == 0;
	rc = store_read(ctx->store, preview_read, &g);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else if (g.crc != CORE_OK)
		srv_http_error_core(rp, g.crc, &g.errs);
	else {
		srv_http_ok(rp, 200, g.out);
		g.out = NULL;
	}
 out:
	json_decref(g.out);
	json_decref(root);
	staff_end(&st);
}

/* ---- action bodies ------------------------------------------------------------ */

enum afield {
	AF_AGENCY,
	AF_REDACTIONS,
	AF_REASON,
	AF_NOTE,
	AF_INTO,
	AF_LIAISON,
	AF_INTERNAL,
	AF_RESOLUTION,
	AF_ATTACHMENTS,
	AF_MAX
};

static const struct {
	const char	*name;
	int		 type;	/* JSON_* ; JSON_TRUE stands for a boolean */
} afields[AF_MAX] = {
	[AF_AGENCY] =		{ "agency", JSON_STRING },
	[AF_REDACTIONS] =	{ "redactions", JSON_ARRAY },
	[AF_REASON] =		{ "reason", JSON_STRING },
	[AF_NOTE] =		{ "note", JSON_STRING },
	[AF_INTO] =		{ "into", JSON_STRING },
	[AF_LIAISON] =		{ "liaison", JSON_STRING },
	[AF_INTERNAL] =		{ "internal", JSON_TRUE },
	[AF_RESOLUTION] =	{ "resolution", JSON_STRING },
	[AF_ATTACHMENTS] =	{ "attachments", JSON_ARRAY },
};

#define B(f)	(1u << (f))
/* Fields each staff action takes; the first listed string is required
 * (checked after the workflow, so that a refused role hears 403 first). */
static const struct {
	unsigned	allowed;
	int		required;	/* AF_* or -1 */
} aspec[CORE_ACT_MAX] = {
	[CORE_ACT_DISPOSE] =	{ B(AF_AGENCY) | B(AF_REDACTIONS), AF_AGENCY },
	[CORE_ACT_REJECT] =	{ B(AF_REASON) | B(AF_NOTE), AF_REASON },
	[CORE_ACT_MERGE] =	{ B(AF_INTO), AF_INTO },
	[CORE_ACT_ACCEPT] =	{ B(AF_LIAISON), AF_LIAISON },
	[CORE_ACT_RETURN] =	{ B(AF_REASON), AF_REASON },
	[CORE_ACT_RESPOND] =	{ B(AF_NOTE) | B(AF_INTERNAL), AF_NOTE },
	[CORE_ACT_RESOLVE] =	{ B(AF_RESOLUTION) | B(AF_ATTACHMENTS),
				    AF_RESOLUTION },
	[CORE_ACT_PUBLISH] =	{ B(AF_REDACTIONS), -1 },
	/* Not staff actions: any known field, so the answer is 403. */
	[CORE_ACT_CONFIRM] =	{ ~0u, -1 },
	[CORE_ACT_REOPEN] =	{ ~0u, -1 },
	[CORE_ACT_CLOSE] =	{ ~0u, -1 },
};

/* Rejection reasons (shown to the reporter): the three grounds on which a
 * central admin may refuse a report. */
static const char *const reject_reasons[] = {
	"not_a_complaint", "not_our_authority", "incomplete",
};

struct act_req {
	json_t			*root;
	enum core_action	 action;
	const json_t		*f[AF_MAX];	/* borrowed from root */
};

static const char *
fstr(const struct act_req *a, int f)
{
	return json_string_value(a->f[f]);
}

/* Shape of an action body: 400 for what a correct client never sends. */
static int
action_parse(const char *buf, size_t len, struct act_req *a,
    struct core_errors *errs)
{
	const char	*k, *name;
	json_t		*v;
	size_t		 i;
	int		 rc, act, f;

	memset(a, 0, sizeof(*a));
	if ((rc = core_json_parse(buf, len, CORE_JSON_MAX_DEPTH, &a->root,
	    errs)) != CORE_OK)
		return rc;
	if (!json_is_object(a->root)) {
		errs->message = "The request body must be a JSON object.";
		return CORE_MALFORMED;
	}
	v = json_object_get(a->root, "action");
	if (v == NULL) {
		errs->message = "Name the action.";
		core_errors_add(errs, "action", "required");
		return CORE_INVALID;
	}
	if (!json_is_string(v)) {
		errs->message = "The field \"action\" must be a string.";
		return CORE_MALFORMED;
	}
	name = json_string_value(v);
	if ((act = core_action_parse(name)) < 0) {
		errs->message = "This action is not known.";
		core_errors_add(errs, "action", "unknown");
		return CORE_INVALID;
	}
	a->action = (enum core_action)act;
	json_object_foreach(a->root, k, v) {
		if (strcmp(k, "action") == 0)
			continue;
		for (f = 0; f < AF_MAX; f++)
			if (strcmp(k, afields[f].name) == 0)
				break;
		if (f == AF_MAX || !(aspec[act].allowed & B(f))) {
			errs->message = "The body has a field this action "
			    "does not take.";
			return CORE_MALFORMED;
		}
		if (afields[f].type == JSON_TRUE ? !json_is_boolean(v) :
		    (int)json_typeof(v) != afields[f].type) {
			errs->message = "A field of the body has the wrong "
			    "type.";
			return CORE_MALFORMED;
		}
		a->f[f] = v;
	}
	if (a->f[AF_ATTACHMENTS] != NULL) {
		json_array_foreach(a->f[AF_ATTACHMENTS], i, v)
			if (!json_is_integer(v) && !json_is_string(v)) {
				errs->message = "Attachments are listed by "
				    "their ids.";
				return CORE_MALFORMED;
			}
	}
	if (a->f[AF_REDACTIONS] != NULL) {
		char *out = NULL;

		/* Shape only: spans over "" fail later as 422, a wrong
		 * shape fails here as 400. */
		rc = core_redact_manual("", a->f[AF_REDACTIONS], &out, errs);
		free(out);
		if (rc == CORE_MALFORMED || rc == CORE_NOMEM)
			return rc;
		memset(errs, 0, sizeof(*errs));
	}
	return CORE_OK;
}

int
api_cases_action_parse(const char *buf, size_t len, int *action,
    size_t *nfields, struct core_errors *errs)
{
	struct act_req	a;
	size_t		i, n = 0;
	int		rc;

	rc = action_parse(buf, len, &a, errs);
	if (rc == CORE_OK) {
		for (i = 0; i < AF_MAX; i++)
			if (a.f[i] != NULL)
				n++;
		*action = (int)a.action;
		*nfields = n;
	}
	json_decref(a.root);
	return rc;
}

/* A text value: 422 (field, reason) unless min..max characters of
 * allowed text and not blank. NULL text is "required". */
static int
text_check(const char *s, const char *field, size_t min, size_t max,
    struct core_errors *errs)
{
	long n;

	if (s == NULL) {
		core_errors_add(errs, field, "required");
		return -1;
	}
	n = core_utf8_len(s, strlen(s));
	if (!core_text_ok(s, strlen(s)) || n < 0) {
		core_errors_add(errs, field, "invalid");
		return -1;
	}
	if ((size_t)n < min || core_text_blank(s, strlen(s))) {
		core_errors_add(errs, field, "too short");
		return -1;
	}
	if ((size_t)n > max) {
		core_errors_add(errs, field, "too long");
		return -1;
	}
	return 0;
}

/* ---- the action job -------------------------------------------------------- */

enum act_fail {
	FAIL_NONE,
	FAIL_NOTFOUND,		/* 404 */
	FAIL_FORBIDDEN,		/* 403 */
	FAIL_CONFLICT,		/* 409 wrong state */
	FAIL_NOT_PUBLIC,	/* 409 publish of a confidential case */
	FAIL_LATE,		/* 409 reopen after 14 days */
	FAIL_INVALID,		/* 422 */
	FAIL_MALFORMED,		/* 400 */
	FAIL_MAX
};

struct act_job {
	struct srv_ctx		*ctx;
	struct srv_actor	 who;
	const struct srv_staff	*st;		/* NULL: the reporter */
	const struct act_req	*req;
	const char		*ref;
	uint64_t		 seq;
	time_t			 now;
	/* reporter actions */
	const uint8_t		*token_hash;
	json_int_t		 rating;
	const char		*text;
	/* out */
	enum act_fail		 fail;
	char			 status[24];	/* before */
	char			 to[24];	/* after */
	char			 out_ref[CORE_CASE_REF_MAX];
	struct core_redact_result rres;		/* what a review did */
	struct core_errors	 errs;
};

static int
refuse(struct act_job *j, enum act_fail f)
{
	j->fail = f;
	return STORE_CONFLICT;
}

static int
invalid(struct act_job *j, const char *message, const char *field,
    const char *reason)
{
	if (message != NULL)
		j->errs.message = message;
	if (field != NULL)
		core_errors_add(&j->errs, field, reason);
	return refuse(j, FAIL_INVALID);
}

/* The case's place in the queue before the job changes it (its status
 * also in j->status); a case without a valid status is freed and is
 * STORE_CORRUPT. */
static int
position(struct act_job *j, struct srv_case *c, struct srv_qpos *before)
{
	srv_qindex_pos_of(c->meta, before);
	if (before->status < 0) {
		srv_case_free(c);
		return STORE_CORRUPT;
	}
	snprintf(j->status, sizeof(j->status), "%s",
	    core_status_name(before->status));
	return STORE_OK;
}

/* Loads the job's case for a staff member and its position(); a case
 * outside the caller's scope is as absent as a missing one (404). The
 * case is freed on failure. */
static int
staff_case(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    struct srv_qpos *before)
{
	int	rc;

	if ((rc = load_ref(txn, j->ctx, j->ref, j->seq, c)) != STORE_OK)
		return rc == STORE_NOTFOUND ? refuse(j, FAIL_NOTFOUND) : rc;
	if (!srv_workflow_in_scope(txn, j->st, c->meta)) {
		srv_case_free(c);
		return refuse(j, FAIL_NOTFOUND);
	}
	return position(j, c, before);
}

/* The transition an action ends with, made by the job's caller; extra (the
 * event's own fields, or NULL) is taken. */
static int
transition(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to, const char *note,
    json_t *extra)
{
	int	rc;

	rc = srv_workflow_transition(txn, c, before, to, j->now, &j->who, note,
	    1, extra);
	json_decref(extra);
	return rc;
}

static time_t
deadline(struct act_job *j, int days)
{
	return core_add_working_days(&j->ctx->cfg->calendar, j->now, days);
}

/*
 * Runs a review (redact_manual.c) over the texts (body first: spans
 * count there) into outs; on a refused entry the job fails with the
 * entry's reason (422), on a wrong shape with 400.
 */
static int
review(struct act_job *j, const char *const *texts, size_t n,
    const json_t *reds, int flags, char **outs)
{
	int	rc;
	size_t	i;

	rc = core_redact_review(texts, n, reds, flags, outs, &j->rres,
	    &j->errs);
	if (rc == CORE_OK)
		return STORE_OK;
	for (i = 0; i < n; i++)
		outs[i] = NULL;
	if (rc == CORE_INVALID)
		return refuse(j, FAIL_INVALID);
	if (rc == CORE_MALFORMED)
		return refuse(j, FAIL_MALFORMED);
	return STORE_IO;
}

static int
act_dispose(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char	*agency = fstr(j->req, AF_AGENCY);
	const json_t	*reds = j->req->f[AF_REDACTIONS];
	const char	*texts[3];
	char		*outs[3] = { NULL, NULL, NULL };
	json_t		*m = c->meta, *extra;
	int		 rc;

	if (!core_id_ok(agency) || !srv_directory_agency_exists(txn, agency))
		return invalid(j, "The agency does not exist.", "agency",
		    "unknown");
	if (reds != NULL) {
		/* Body, title and location as the agency will read them;
		 * every phrase and unmask must be somewhere in them. */
		texts[0] = json_string_value(json_object_get(c->content,
		    "body"));
		texts[1] = json_string_value(json_object_get(c->content,
		    "title"));
		texts[2] = json_string_value(json_object_get(c->content,
		    "location"));
		if ((rc = review(j, texts, 3, reds, CORE_REVIEW_FOUND,
		    outs)) != STORE_OK)
			return rc;
		rc = json_object_set_new(c->content, "redacted_body",
		    json_string(outs[0])) | json_object_set_new(c->content,
		    "redacted_title", json_string(outs[1])) |
		    json_object_set_new(c->content, "redactions",
		    json_deep_copy(reds)) | json_object_set_new(c->content,
		    "redact_v", json_integer(CORE_REDACT_VERSION));
		if (outs[2] != NULL)
			rc |= json_object_set_new(c->content,
			    "redacted_location", json_string(outs[2]));
		free_texts(outs, 3);
		if (rc != 0 || srv_workflow_content_put(c) == -1)
			return STORE_IO;
	}
	if (json_object_set_new(m, "agency", json_string(agency)) == -1 ||
	    json_object_set_new(m, "disposed_at", json_integer(j->now)) == -1 ||
	    json_object_set_new(m, "accept_due", json_integer(deadline(j,
	    j->ctx->cfg->deadlines.accept))) == -1 ||
	    json_object_set_new(m, "respond_due", json_integer(deadline(j,
	    j->ctx->cfg->deadlines.respond))) == -1)
		return STORE_IO;
	json_object_del(m, "responded_at");
	json_object_del(m, "accepted_at");
	json_object_del(m, "resolve_due");
	json_object_del(m, "liaison");
	json_object_del(m, "liaison_id");
	if ((extra = json_pack("{s:s}", "agency", agency)) == NULL)
		return STORE_IO;
	return transition(txn, j, c, before, to, NULL, extra);
}

static int
act_reject(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char	*reason = fstr(j->req, AF_REASON);
	const char	*note = fstr(j->req, AF_NOTE);
	json_t		*extra;
	size_t		 i;

	for (i = 0; i < sizeof(reject_reasons) / sizeof(reject_reasons[0]); i++)
		if (strcmp(reason, reject_reasons[i]) == 0)
			break;
	if (i == sizeof(reject_reasons) / sizeof(reject_reasons[0]))
		invalid(j, "The reason must be not_a_complaint, "
		    "not_our_authority or incomplete.", "reason", "invalid");
	if (note != NULL && text_check(note, "note", 1, CORE_REASON_MAX,
	    &j->errs) == -1)
		invalid(j, NULL, NULL, NULL);
	if (j->fail != FAIL_NONE)
		return STORE_CONFLICT;
	if (json_object_set_new(c->meta, "rejected_at", json_integer(j->now))
	    == -1 || json_object_set_new(c->meta, "reject_reason",
	    json_string(reason)) == -1)
		return STORE_IO;
	/* The reason (and the note, if any) is for the reporter to read. */
	if ((extra = json_pack("{s:s}", "reason", reason)) == NULL)
		return STORE_IO;
	return transition(txn, j, c, before, to, note, extra);
}

static int
act_merge(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char	*into = fstr(j->req, AF_INTO);
	struct srv_case	 t;
	json_t		*from, *extra;
	uint64_t	 tseq;
	int		 year, rc, tst;

	if (core_case_ref_parse(into, &year, &tseq) == -1)
		return invalid(j, "Name the case to merge into by its "
		    "reference.", "into", "invalid");
	if (tseq == c->seq)
		return invalid(j, "A case cannot be merged into itself.",
		    "into", "same case");
	rc = load_ref(txn, j->ctx, into, tseq, &t);
	if (rc == STORE_NOTFOUND)
		return invalid(j, "The case to merge into does not exist.",
		    "into", "unknown");
	if (rc != STORE_OK)
		return rc;
	tst = srv_qindex_case_status(t.meta);
	if (tst == CORE_ST_MERGED || tst == CORE_ST_REJECTED) {
		srv_case_free(&t);
		return invalid(j, "The case to merge into was itself merged "
		    "or rejected.", "into", "not open");
	}
	from = json_object_get(t.meta, "merged_from");
	if (!json_is_array(from)) {
		from = json_array();
		/* The list is the meta's once set (freed with it on failure). */
		if (from != NULL && json_object_set_new(t.meta, "merged_from",
		    from) == -1)
			from = NULL;
	}
	if (from == NULL || json_array_size(from) >= SRV_MERGED_FROM_MAX) {
		srv_case_free(&t);
		return from == NULL ? STORE_IO : invalid(j, "The case to "
		    "merge into has too many merged cases.", "into", "full");
	}
	if (json_array_append_new(from, json_string(c->ref)) == -1 ||
	    json_object_set_new(t.meta, "updated_at", json_integer(j->now)) ==
	    -1 || (extra = json_pack("{s:s}", "from", c->ref)) == NULL) {
		srv_case_free(&t);
		return STORE_IO;
	}
	rc = srv_workflow_event(txn, &t, j->now, "merged", &j->who, NULL, 0,
	    extra);
	json_decref(extra);
	if (rc == STORE_OK)
		rc = srv_case_put(txn, t.seq, t.meta);
	srv_case_free(&t);
	if (rc != STORE_OK)
		return rc;

	if (json_object_set_new(c->meta, "merged_into", json_string(into)) ==
	    -1 || json_object_set_new(c->meta, "merged_into_seq", json_integer(
	    (json_int_t)tseq)) == -1 || json_object_set_new(c->meta,
	    "merged_at", json_integer(j->now)) == -1 ||
	    (extra = json_pack("{s:s}", "into", into)) == NULL)
		return STORE_IO;
	return transition(txn, j, c, before, to, NULL, extra);
}

static int
act_accept(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char		*name = fstr(j->req, AF_LIAISON);
	const char		*role, *agency;
	struct srv_staff	 probe;
	json_t			*u = NULL, *extra;
	uint64_t		 id = 0;
	int			 rc, ok;

	/* A liaison of the case's agency or of one of its sub-agencies:
	 * the scope an admin of the case's agency would have. */
	rc = srv_users_name_ok(name) ? srv_users_id(txn, name, &id) :
	    STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = srv_users_get(txn, id, &u);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	ok = 0;
	if (rc == STORE_OK) {
		role = json_string_value(json_object_get(u, "role"));
		agency = json_string_value(json_object_get(u, "agency"));
		memset(&probe, 0, sizeof(probe));
		probe.role = CORE_ROLE_AGENCY_ADMIN;
		snprintf(probe.agency, sizeof(probe.agency), "%s",
		    before->agency);
		ok = role != NULL && strcmp(role, "liaison") == 0 &&
		    !json_is_true(json_object_get(u, "disabled")) &&
		    agency != NULL && before->agency[0] != '\0' &&
		    srv_directory_scope(txn, &probe, agency);
	}
	json_decref(u);
	if (!ok)
		return invalid(j, "The liaison must be the username of a "
		    "liaison of this agency or of one of its sub-agencies.",
		    "liaison", "unknown");
	if (json_object_set_new(c->meta, "liaison", json_string(name)) == -1 ||
	    json_object_set_new(c->meta, "liaison_id", json_integer(
	    (json_int_t)id)) == -1 || json_object_set_new(c->meta,
	    "accepted_at", json_integer(j->now)) == -1 ||
	    json_object_set_new(c->meta, "resolve_due", json_integer(deadline(j,
	    j->ctx->cfg->deadlines.resolve))) == -1 ||
	    (extra = json_pack("{s:I}", "liaison", (json_int_t)id)) == NULL)
		return STORE_IO;
	return transition(txn, j, c, before, to, NULL, extra);
}

static int
act_return(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char	*reason = fstr(j->req, AF_REASON);
	json_t		*m = c->meta;
	int		 rc;

	if (text_check(reason, "reason", 1, CORE_REASON_MAX, &j->errs) == -1)
		return invalid(j, "Say why the case goes back.", NULL, NULL);
	/* Back to the central admins, who get a fresh disposition
	 * deadline: the agency's time is over. */
	if (json_object_set_new(m, "returned_at", json_integer(j->now)) == -1 ||
	    json_object_set_new(m, "dispose_due", json_integer(deadline(j,
	    j->ctx->cfg->deadlines.dispose))) == -1)
		return STORE_IO;
	json_object_del(m, "accept_due");
	json_object_del(m, "respond_due");
	json_object_del(m, "responded_at");
	json_object_del(m, "liaison");
	json_object_del(m, "liaison_id");
	/* The reason is between staff; the reporter sees the status. */
	if ((rc = srv_workflow_event(txn, c, j->now, "returned", &j->who,
	    reason, 0, NULL)) != STORE_OK)
		return rc;
	return transition(txn, j, c, before, to, NULL, NULL);
}

static int
act_respond(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before)
{
	const char	*note = fstr(j->req, AF_NOTE);
	int		 internal = json_is_true(j->req->f[AF_INTERNAL]);
	int		 rc;

	if (text_check(note, "note", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX,
	    &j->errs) == -1)
		return invalid(j, "The note is missing or not valid.", NULL,
		    NULL);
	if ((rc = srv_workflow_event(txn, c, j->now, "response", &j->who, note,
	    !internal, NULL)) != STORE_OK)
		return rc;
	if (!internal && srv_workflow_responded(c->meta, j->now, 1) == -1)
		return STORE_IO;
	return srv_workflow_save(txn, c, before, j->now);
}

/*
 * 1 if the attachment id (the number POST /cases/{case}/attachments gave,
 * as a JSON number or its decimal text) names a file of this case: its
 * record is STORE_T_ATTACHMENTS[case sequence (8 BE) ‖ number (4 BE)].
 */
static int
attachment_of_case(struct store_txn *txn, uint64_t seq, const json_t *id)
{
	uint8_t		 key[12];
	const void	*v;
	const char	*s;
	size_t		 vlen;
	json_int_t	 n = 0;

	if (json_is_integer(id))
		n = json_integer_value(id);
	else if ((s = json_string_value(id)) != NULL && *s != '\0' &&
	    strlen(s) <= 10 && strspn(s, "0123456789") == strlen(s))
		n = strtoll(s, NULL, 10);
	if (n < 1 || n > (json_int_t)UINT32_MAX)
		return 0;
	store_be64_put(key, seq);
	store_be32_put(key + 8, (uint32_t)n);
	return store_get(txn, STORE_T_ATTACHMENTS, key, sizeof(key), &v,
	    &vlen) == STORE_OK;
}

static int
act_resolve(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before, enum core_status to)
{
	const char	*res = fstr(j->req, AF_RESOLUTION);
	const json_t	*att = j->req->f[AF_ATTACHMENTS];
	json_t		*v;
	size_t		 i;

	if (text_check(res, "resolution", CORE_MESSAGE_MIN, CORE_BODY_MAX,
	    &j->errs) == -1)
		return invalid(j, "The resolution is missing or not valid.",
		    NULL, NULL);
	if (att != NULL && json_array_size(att) > SRV_RESOLVE_ATTACH_MAX)
		return invalid(j, "Too many attachments.", "attachments",
		    "too long");
	json_array_foreach(att, i, v)
		if (!attachment_of_case(txn, c->seq, v))
			return invalid(j, "An attachment is not evidence of "
			    "this case.", "attachments", "unknown");
	if (json_object_set_new(c->content, "resolution", json_string(res)) ==
	    -1 || srv_workflow_content_put(c) == -1)
		return STORE_IO;
	if (json_object_set_new(c->meta, "resolved_at", json_integer(j->now))
	    == -1 || json_object_set_new(c->meta, "close_at",
	    json_integer(j->now + SRV_REOPEN_SECONDS)) == -1 ||
	    json_object_set_new(c->meta, "resolution_attachments", att != NULL ?
	    json_deep_copy(att) : json_array()) == -1 ||
	    srv_workflow_responded(c->meta, j->now, 1) == -1)
		return STORE_IO;
	/* The resolution is the answer the reporter reads. */
	return transition(txn, j, c, before, to, res, NULL);
}

static int
act_publish(struct store_txn *txn, struct act_job *j, struct srv_case *c,
    const struct srv_qpos *before)
{
	const json_t	*more = j->req->f[AF_REDACTIONS];
	const char	*texts[3];
	char		*outs[3] = { NULL, NULL, NULL };
	json_t		*all;
	int		 rc;

	if (!json_is_string(json_object_get(c->meta, "visibility")) ||
	    strcmp(json_string_value(json_object_get(c->meta, "visibility")),
	    "public") != 0)
		return refuse(j, FAIL_NOT_PUBLIC);
	/* Body, title and the resolution (staff wrote it; it still gets
	 * the filter and the phrases) as the public will read them. */
	texts[0] = json_string_value(json_object_get(c->content, "body"));
	texts[1] = json_string_value(json_object_get(c->content, "title"));
	texts[2] = json_string_value(json_object_get(c->content, "resolution"));
	/* What this publication adds must be found in them ... */
	if (more != NULL) {
		if ((rc = review(j, texts, 3, more, CORE_REVIEW_FOUND,
		    outs)) != STORE_OK)
			return rc;
		free_texts(outs, 3);
	}
	/* ... and comes on top of the disposition's reviewed list, whose
	 * masks stay; both count over the same automatically redacted
	 * text. An unmask made for the agency is not one for the public. */
	if ((all = without_unmask(json_object_get(c->content,
	    "redactions"))) == NULL)
		return STORE_IO;
	if (more != NULL)
		json_array_extend(all, (json_t *)(uintptr_t)more);
	rc = review(j, texts, 3, all, 0, outs);
	json_decref(all);
	if (rc != STORE_OK)
		return rc;
	if ((json_object_set_new(c->content, "published_title",
	    json_string(outs[1])) | json_object_set_new(c->content,
	    "published_body", json_string(outs[0])) | json_object_set_new(
	    c->content, "published_resolution", outs[2] != NULL ?
	    json_string(outs[2]) : json_null())) != 0)
		rc = STORE_IO;
	free_texts(outs, 3);
	if (rc != STORE_OK)
		return rc;
	if (srv_workflow_content_put(c) == -1)
		return STORE_IO;
	if (json_object_set_new(c->meta, "published", json_true()) == -1 ||
	    json_object_set_new(c->meta, "published_at", json_integer(j->now))
	    == -1)
		return STORE_IO;
	if ((rc = srv_workflow_event(txn, c, j->now, "published", &j->who, NULL,
	    1, NULL)) != STORE_OK)
		return rc;
	return srv_workflow_save(txn, c, before, j->now);
}

/*
 * What a review did, for the audit log: how many phrases and spans, and
 * for each automatic mask undone its kind, with the reasons given;
 * never the text of a phrase or of a value. NULL if it could not be
 * built whole (the caller's set then fails: no partial audit entry).
 */
static json_t *
review_audit(const json_t *reds, const struct core_redact_result *res)
{
	json_t		*kinds = NULL, *reasons = NULL;
	const json_t	*e;
	size_t		 i, manual = 0;
	int		 k;

	kinds = json_object();
	reasons = json_array();
	if (kinds == NULL || reasons == NULL)
		goto fail;
	json_array_foreach(reds, i, e) {
		if (json_object_get(e, "unmask") == NULL)
			manual++;
		else if (json_array_append(reasons, json_object_get(e,
		    "reason")) == -1)
			goto fail;
	}
	for (k = 0; k < CORE_RK_MAX; k++)
		if (res->unmasked[k] > 0 && json_object_set_new(kinds,
		    core_redact_kind_name(k),
		    json_integer((json_int_t)res->unmasked[k])) == -1)
			goto fail;
	/* "o" takes both references, also when it fails. */
	return json_pack("{s:I, s:o, s:o}", "manual", (json_int_t)manual,
	    "unmasked", kinds, "reasons", reasons);
 fail:
	json_decref(kinds);
	json_decref(reasons);
	return NULL;
}

/*
 * The audit entry of a staff action, in the action's transaction: who,
 * which action on which case, from which status to which, and the ids and
 * codes it took; never a note, a reason's text or a resolution.
 */
static int
action_audit(struct store_txn *txn, const struct act_job *j,
    const struct srv_case *c)
{
	const struct act_req	*a = j->req;
	char			 actor[96], action[48];
	json_t			*d;
	int			 rc = 0;

	srv_audit_actor(j->st, actor, sizeof(actor));
	snprintf(action, sizeof(action), "case.%s",
	    core_action_name(a->action));
	if ((d = json_pack("{s:s, s:s}", "from", j->status, "to", j->to)) ==
	    NULL)
		return STORE_IO;
	if (a->f[AF_REDACTIONS] != NULL)
		rc = json_object_set_new(d, "redactions",
		    review_audit(a->f[AF_REDACTIONS], &j->rres));
	switch (a->action) {
	case CORE_ACT_DISPOSE:
		rc |= json_object_set_new(d, "agency",
		    json_string(fstr(a, AF_AGENCY)));
		break;
	case CORE_ACT_REJECT:
		rc |= json_object_set_new(d, "reason",
		    json_string(fstr(a, AF_REASON)));
		break;
	case CORE_ACT_MERGE:
		rc |= json_object_set_new(d, "into",
		    json_string(fstr(a, AF_INTO)));
		break;
	case CORE_ACT_ACCEPT:
		rc |= json_object_set(d, "liaison", json_object_get(c->meta,
		    "liaison_id"));
		break;
	case CORE_ACT_RESPOND:
		rc |= json_object_set_new(d, "internal",
		    json_boolean(json_is_true(a->f[AF_INTERNAL])));
		break;
	case CORE_ACT_RESOLVE:
		rc |= json_object_set_new(d, "attachments", json_integer(
		    (json_int_t)json_array_size(a->f[AF_ATTACHMENTS])));
		break;
	default:
		break;
	}
	if (rc != 0) {
		json_decref(d);
		return STORE_IO;
	}
	rc = srv_audit_append(txn, j->ctx->keys, j->now, actor, action, c->ref,
	    NULL, d);
	json_decref(d);
	return rc;
}

static int
action_job(struct store_txn *txn, void *arg)
{
	struct act_job		*j = arg;
	const struct act_req	*a = j->req;
	struct srv_case		 c;
	struct srv_qpos		 before;
	enum core_status	 to;
	int			 rc, wf;

	j->fail = FAIL_NONE;
	memset(&j->errs, 0, sizeof(j->errs));
	if ((rc = staff_case(txn, j, &c, &before)) != STORE_OK)
		return rc;
	wf = core_workflow_next(before.status, a->action, j->who.role, &to);
	if (wf != CORE_WF_OK) {
		srv_case_free(&c);
		return refuse(j, wf == CORE_WF_FORBIDDEN ? FAIL_FORBIDDEN :
		    FAIL_CONFLICT);
	}
	snprintf(j->to, sizeof(j->to), "%s", core_status_name(to));
	if (aspec[a->action].required >= 0 &&
	    a->f[aspec[a->action].required] == NULL) {
		srv_case_free(&c);
		return invalid(j, "A required field is missing.",
		    afields[aspec[a->action].required].name, "required");
	}
	switch (a->action) {
	case CORE_ACT_DISPOSE:
		rc = act_dispose(txn, j, &c, &before, to);
		break;
	case CORE_ACT_REJECT:
		rc = act_reject(txn, j, &c, &before, to);
		break;
	case CORE_ACT_MERGE:
		rc = act_merge(txn, j, &c, &before, to);
		break;
	case CORE_ACT_ACCEPT:
		rc = act_accept(txn, j, &c, &before, to);
		break;
	case CORE_ACT_RETURN:
		rc = act_return(txn, j, &c, &before, to);
		break;
	case CORE_ACT_RESPOND:
		rc = act_respond(txn, j, &c, &before);
		break;
	case CORE_ACT_RESOLVE:
		rc = act_resolve(txn, j, &c, &before, to);
		break;
	case CORE_ACT_PUBLISH:
		rc = act_publish(txn, j, &c, &before);
		break;
	default:
		/* Reporter and system actions never pass the table for a
		 * staff role. */
		rc = refuse(j, FAIL_FORBIDDEN);
		break;
	}
	if (rc == STORE_OK)
		rc = action_audit(txn, j, &c);
	srv_case_free(&c);
	return rc;
}

/* The answer to a refused or failed job. */
static void
job_reply(struct act_job *j, int rc, struct srv_reply *rp)
{
	if (rc != STORE_CONFLICT || j->fail == FAIL_NONE) {
		srv_http_error_store(rp, rc);
		return;
	}
	switch (j->fail) {
	case FAIL_NOTFOUND:
		srv_http_not_found(rp);
		break;
	case FAIL_FORBIDDEN:
		forbidden(rp);
		break;
	case FAIL_CONFLICT:
		conflict(rp, j->status);
		break;
	case FAIL_NOT_PUBLIC:
		srv_http_error(rp, 409, "conflict",
		    "Only a case its reporter made "
		    "public can be published.");
		break;
	case FAIL_LATE:
		srv_http_error(rp, 409, "conflict",
		    "This case can no longer be "
		    "reopened: more than 14 days have passed since its "
		    "resolution.");
		break;
	case FAIL_MALFORMED:
		srv_http_error_core(rp, CORE_MALFORMED, &j->errs);
		break;
	default:
		if (j->errs.nfields == 0)
			core_errors_add(&j->errs, "body", "invalid");
		srv_http_error_core(rp, CORE_INVALID, &j->errs);
		break;
	}
}

void
api_cases_action(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st = { 0 };
	struct core_errors	errs;
	struct act_req		a = { 0 };
	struct act_job		j;
	uint64_t		seq;
	int			rc;

	memset(&a, 0, sizeof(a));
	if (staff_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	if (case_param(rq->param[0], &seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	if ((rc = action_parse(rq->body, rq->len, &a, &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.who.role = st.role;
	j.who.user = st.user_id;
	j.st = &st;
	j.req = &a;
	j.ref = rq->param[0];
	j.seq = seq;
	j.now = rq->now;
	rc = store_write(ctx->store, action_job, &j);
	if (rc != STORE_OK) {
		job_reply(&j, rc, rp);
		goto out;
	}
	srv_log(LOG_INFO, "case_action", "action=%s role=%s user=%llu",
	    core_action_name(a.action), core_role_name(st.role),
	    (unsigned long long)st.user_id);
	reply_view(ctx, &st, rq->param[0], seq, rq->now, 200, rp);
	if (rp->status == 404) {
		/* The action took the case out of the caller's scope (an
		 * agency returning it to central): say what happened, show
		 * nothing more. */
		json_decref(rp->body);
		rp->body = NULL;
		srv_http_ok(rp, 200, json_pack("{s:s, s:s}", "case",
		    rq->param[0], "status", j.to));
	}
 out:
	json_decref(a.root);
	staff_end(&st);
}

/* ---- POST /cases/{case}/messages ------------------------------------------- */

static int
message_job(struct store_txn *txn, void *arg)
{
	struct act_job	*j = arg;
	struct srv_case	 c;
	struct srv_qpos	 before;
	int		 rc;

	j->fail = FAIL_NONE;
	if ((rc = staff_case(txn, j, &c, &before)) != STORE_OK)
		return rc;
	/* Any status that is not final (README: the reporter's side is
	 * open in the same ones). */
	if (before.status == CORE_ST_CLOSED ||
	    before.status == CORE_ST_REJECTED ||
	    before.status == CORE_ST_MERGED) {
		srv_case_free(&c);
		return refuse(j, FAIL_CONFLICT);
	}
	rc = srv_workflow_event(txn, &c, j->now, "message", &j->who, j->text, 1,
	    NULL);
	if (rc == STORE_OK && srv_workflow_responded(c.meta, j->now,
	    j->who.role != CORE_ROLE_CENTRAL_ADMIN) == -1)
		rc = STORE_IO;
	if (rc == STORE_OK)
		rc = srv_workflow_save(txn, &c, &before, j->now);
	if (rc == STORE_OK) {
		char actor[96];

		srv_audit_actor(j->st, actor, sizeof(actor));
		rc = srv_audit_append(txn, j->ctx->keys, j->now, actor,
		    "case.message", c.ref, NULL, NULL);
	}
	srv_case_free(&c);
	return rc;
}

void
api_cases_message(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const struct core_field_spec spec[] = {
		{ "body", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX, 1 },
	};
	struct srv_staff	 st = { 0 };
	struct core_errors	 errs;
	struct act_job		 j;
	const char		*vals[1];
	json_t			*root = NULL;
	uint64_t		 seq;
	char			 at[21];
	int			 rc;

	if (staff_begin(ctx, rq, &st, rp) == -1)
		return;
	memset(&errs, 0, sizeof(errs));
	if (case_param(rq->param[0], &seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	if ((rc = core_fields_parse(rq->body, rq->len, spec, 1, &root, vals,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	if (core_text_blank(vals[0], strlen(vals[0]))) {
		errs.message = "The message is empty.";
		core_errors_add(&errs, "body", "too short");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.who.role = st.role;
	j.who.user = st.user_id;
	j.st = &st;
	j.ref = rq->param[0];
	j.seq = seq;
	j.now = rq->now;
	j.text = vals[0];
	rc = store_write(ctx->store, message_job, &j);
	if (rc != STORE_OK) {
		job_reply(&j, rc, rp);
		goto out;
	}
	core_time_iso(rq->now, at);
	srv_http_ok(rp, 201, json_pack("{s:s, s:s}", "status", "sent", "at",
	    at));
 out:
	json_decref(root);
	staff_end(&st);
}

/* ---- POST /cases (intake) ----------------------------------------------------- */

void
api_cases_intake(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct core_report	r;
	struct core_errors	errs;
	struct srv_submission	sub;
	int			rc;

	if (staff_begin(ctx, rq, &st, rp) == -1)
		return;
	if (st.role != CORE_ROLE_CENTRAL_ADMIN) {
		forbidden(rp);
		staff_end(&st);
		return;
	}
	memset(&errs, 0, sizeof(errs));
	memset(&sub, 0, sizeof(sub));
	if ((rc = core_report_parse(rq->body, rq->len, CORE_REPORT_INTAKE, &r,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		staff_end(&st);
		return;
	}
	/* Staff do not solve proofs of work; a pow sent along is ignored. */
	sub.report = &r;
	sub.staff = &st;
	sub.now = rq->now;
	if (api_report_case_submit(ctx, &sub, rp) == 0) {
		srv_log(LOG_INFO, "case_intake", "user=%llu",
		    (unsigned long long)st.user_id);
		srv_http_ok(rp, 201, json_pack("{s:s, s:s}", "case", sub.ref,
		    "token", sub.token));
	}
	crypto_wipe(sub.token, sizeof(sub.token));
	core_report_free(&r);
	staff_end(&st);
}

/* ---- the reporter: confirm and reopen -------------------------------------- */


static int
reporter_job(struct store_txn *txn, void *arg)
{
	struct act_job		*j = arg;
	enum core_action	 act = j->req->action;
	struct srv_case		 c;
	struct srv_qpos		 before;
	enum core_status	 to;
	json_t			*extra = NULL;
	json_int_t		 resolved;
	uint64_t		 seq;
	int			 rc;

	j->fail = FAIL_NONE;
	if ((rc = srv_auth_token_case(txn, j->token_hash, &seq)) != STORE_OK)
		return rc;
	if ((rc = srv_case_load(txn, j->ctx->keys, seq, &c)) != STORE_OK)
		return rc;
	memcpy(j->out_ref, c.ref, sizeof(j->out_ref));
	if ((rc = position(j, &c, &before)) != STORE_OK)
		return rc;
	if (core_workflow_next(before.status, act, CORE_ROLE_REPORTER, &to) !=
	    CORE_WF_OK) {
		srv_case_free(&c);
		return refuse(j, FAIL_CONFLICT);
	}
	resolved = json_integer_value(json_object_get(c.meta, "resolved_at"));
	if (act == CORE_ACT_REOPEN) {
		if ((json_int_t)j->now >= resolved + SRV_REOPEN_SECONDS) {
			srv_case_free(&c);
			return refuse(j, FAIL_LATE);
		}
		json_object_del(c.meta, "close_at");
		/* Like a message: the agency has something new to read. */
		if (json_object_set_new(c.meta, "reopened_at",
		    json_integer(j->now)) == -1 || json_object_set_new(c.meta,
		    "resolve_due", json_integer(deadline(j,
		    j->ctx->cfg->deadlines.resolve))) == -1 ||
		    json_object_set_new(c.meta, "unread", json_true()) == -1) {
			srv_case_free(&c);
			return STORE_IO;
		}
	} else {
		if (json_object_set_new(c.meta, "rating",
		    json_integer(j->rating)) == -1 || json_object_set_new(c.meta,
		    "closed_at", json_integer(j->now)) == -1 ||
		    (extra = json_pack("{s:I}", "rating", j->rating)) == NULL) {
			srv_case_free(&c);
			return STORE_IO;
		}
	}
	rc = transition(txn, j, &c, &before, to, j->text, extra);
	srv_case_free(&c);
	return rc;
}

static void
reporter_action(struct srv_ctx *ctx, const struct srv_request *rq,
    struct act_job *j, struct srv_reply *rp)
{
	uint8_t	hash[CRYPTO_HASH_BYTES];
	int	rc;

	if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
		srv_http_token_refused(rp);
		return;
	}
	j->ctx = ctx;
	j->who.role = CORE_ROLE_REPORTER;
	j->who.user = 0;
	j->token_hash = hash;
	j->now = rq->now;
	rc = store_write(ctx->store, reporter_job, j);
	crypto_wipe(hash, sizeof(hash));
	if (rc == STORE_NOTFOUND)
		srv_http_token_refused(rp);
	else if (rc != STORE_OK)
		job_reply(j, rc, rp);
	else
		srv_http_ok(rp, 200, json_pack("{s:s, s:s}", "case", j->out_ref,
		    "status", j->req->action == CORE_ACT_CONFIRM ? "closed" :
		    "in_progress"));
}

void
api_cases_followup_confirm(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct core_errors	 errs;
	struct act_req		 a;
	struct act_job		 j;
	const char		*k, *comment = NULL;
	json_t			*root = NULL, *v, *rating = NULL;

	memset(&errs, 0, sizeof(errs));
	if (srv_http_body_object(rq, CORE_JSON_MAX_DEPTH, "The request body "
	    "must be a JSON object.", &root, rp) == -1)
		return;
	json_object_foreach(root, k, v) {
		if (strcmp(k, "rating") == 0 && json_is_integer(v))
			rating = v;
		else if (strcmp(k, "comment") == 0 && json_is_string(v))
			comment = json_string_value(v);
		else {
			errs.message = strcmp(k, "rating") == 0 ||
			    strcmp(k, "comment") == 0 ? "A field of the body "
			    "has the wrong type." : "The body has a field that "
			    "is not known.";
			srv_http_error_core(rp, CORE_MALFORMED, &errs);
			goto out;
		}
	}
	if (rating == NULL || json_integer_value(rating) < 1 ||
	    json_integer_value(rating) > 5)
		core_errors_add(&errs, "rating", rating == NULL ? "required" :
		    "out of range");
	if (comment != NULL)
		(void)text_check(comment, "comment", 1, CORE_MESSAGE_MAX, &errs);
	if (errs.nfields > 0) {
		errs.message = "Rate the answer from 1 to 5; a comment is "
		    "optional.";
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.action = CORE_ACT_CONFIRM;
	memset(&j, 0, sizeof(j));
	j.req = &a;
	j.rating = json_integer_value(rating);
	j.text = comment;
	reporter_action(ctx, rq, &j, rp);
 out:
	json_decref(root);
}

void
api_cases_followup_reopen(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const struct core_field_spec spec[] = {
		{ "reason", 1, CORE_REASON_MAX, 1 },
	};
	struct core_errors	 errs;
	struct act_req		 a;
	struct act_job		 j;
	const char		*vals[1];
	json_t			*root = NULL;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	if ((rc = core_fields_parse(rq->body, rq->len, spec, 1, &root, vals,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		return;
	}
	if (core_text_blank(vals[0], strlen(vals[0]))) {
		errs.message = "Say why the answer does not settle it.";
		core_errors_add(&errs, "reason", "too short");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.action = CORE_ACT_REOPEN;
	memset(&j, 0, sizeof(j));
	j.req = &a;
	j.text = vals[0];
	reporter_action(ctx, rq, &j, rp);
 out:
	json_decref(root);
}
