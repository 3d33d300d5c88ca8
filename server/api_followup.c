/*
 * api_followup.c: the reporter's side after submission, authorised only by
 * the capability token in "Authorization: Bearer".
 *
 * A token is looked up by its keyed hash: one BLAKE2b and one LMDB get, so
 * the time taken says nothing about how close a guess was. A missing,
 * malformed, unknown or rotated token gets one and the same 401.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/api.h"

/* Statuses in which the reporter may still write to the case. */
static int
open_for_messages(const char *status)
{
	int st = core_status_parse(status);

	return st == CORE_ST_SUBMITTED || st == CORE_ST_DISPOSITIONED ||
	    st == CORE_ST_IN_PROGRESS || st == CORE_ST_RESOLVED;
}

/*
 * The reporter's view is written straight into one buffer from the
 * records' own bytes (core_jv_object, core_jw_*): no JSON tree is built
 * for the records or for the reply, and nothing is allocated per member.
 * What it reads and decrypts is what it shows: the case's data key and
 * text, the texts of the timeline entries it shows, none of the staff's
 * redacted copies. The answer is the one jansson made from the same
 * records, byte for byte: same members, same order, same escaping
 * (tests/unit/core_jview_test.c holds the reader and the writer to
 * jansson's behaviour).
 */

/* Largest view written: every timeline entry of a case (SRV_TIMELINE_MAX)
 * holding a text of CORE_BODY_MAX characters, each 4 bytes or escaped as
 * 6, and 2 MiB for the case's own text and fields. Input limits keep a
 * real case far below it; past it the answer is 503, never cut short. */
#define VIEW_MAX	((size_t)(SRV_TIMELINE_MAX + 1) * CORE_BODY_MAX * 6 + \
			    2 * 1024 * 1024)

/* Members of a case record the view reads (case.c writes them). */
enum {
	M_REF, M_STATUS, M_KIND, M_VISIBILITY, M_AGENCY, M_CATEGORY,
	M_CREATED, M_UPDATED, M_DUE, M_DEK, M_CONTENT, M_DISPOSE_DUE,
	M_ACCEPT_DUE, M_RESPOND_DUE, M_RESPONDED_AT, M_RESOLVE_DUE,
	M_CLOSE_AT, M_RESOLVED_AT, M_CLOSED_AT, M_RATING, M_REJECT_REASON,
	M_IDENTITY, M_MERGED_INTO, M_MERGED_SEQ, M_DISCLOSURES, M_MAX
};
static const char *const meta_keys[M_MAX] = {
	"ref", "status", "kind", "visibility", "agency", "category",
	"created_at", "updated_at", "due_at", "dek", "content", "dispose_due",
	"accept_due", "respond_due", "responded_at", "resolve_due",
	"close_at", "resolved_at", "closed_at", "rating", "reject_reason",
	"identity", "merged_into", "merged_into_seq", "identity_disclosures",
};

/* Members of the case's sealed text the view shows. */
enum { C_TITLE, C_BODY, C_LOCATION, C_OCCURRED, C_RESOLUTION, C_MAX };
static const char *const content_keys[C_MAX] = {
	"title", "body", "location", "occurred_on", "resolution",
};

/* Members of a timeline entry (case.c, srv_case_timeline_add). */
enum {
	E_AT, E_TYPE, E_ACTOR, E_VISIBLE, E_STATUS, E_REASON, E_AUTOMATIC,
	E_RATING, E_TEXT, E_MAX
};
static const char *const entry_keys[E_MAX] = {
	"at", "type", "actor", "visible", "status", "reason", "automatic",
	"rating", "text",
};

/* A case record read in place: m[] borrow the record's bytes, valid as
 * long as the transaction. */
struct view_case {
	uint64_t	 seq;
	struct core_jv	 m[M_MAX];
	uint8_t		 dek[CRYPTO_KEY_BYTES];
};

/* An integer time as ISO 8601, anything else as null. */
static void
iso(struct core_jw *w, const struct core_jv *v)
{
	char	 buf[21];
	int64_t	 t;

	if (core_jv_int(v, &t) == -1) {
		core_jw_raw(w, "null", 4);
		return;
	}
	core_time_iso((time_t)t, buf);
	core_jw_raw(w, "\"", 1);
	core_jw_lit(w, buf);
	core_jw_raw(w, "\"", 1);
}

/* A member that must be there (jansson's "s:O" refused a missing one). */
static int
required(struct core_jw *w, const char *key, const struct core_jv *v)
{
	if (v->type == CORE_JV_NONE)
		return -1;
	core_jw_lit(w, key);
	core_jw_value(w, v);
	return 0;
}

/* A string member's value, or null for anything else. */
static void
string_or_null(struct core_jw *w, const struct core_jv *v)
{
	if (v->type == CORE_JV_STRING)
		core_jw_value(w, v);
	else
		core_jw_raw(w, "null", 4);
}

/*
 * Reads case seq's record and unwraps its data key: the record stays
 * where LMDB keeps it. STORE_CORRUPT when it is not a case record.
 */
static int
view_case_load(struct store_txn *txn, const struct srv_keys *keys,
    uint64_t seq, struct view_case *c)
{
	uint8_t		 key[8];
	const void	*v;
	const char	*s;
	size_t		 vlen, n;
	int		 rc;

	c->seq = seq;
	store_be64_put(key, seq);
	if ((rc = store_get(txn, STORE_T_CASES, key, 8, &v, &vlen)) !=
	    STORE_OK)
		return rc;
	if (vlen < 2 || ((const uint8_t *)v)[0] != SRV_RECORD_V1 ||
	    core_jv_object((const char *)v + 1, vlen - 1, meta_keys, M_MAX,
	    c->m) == -1)
		return STORE_CORRUPT;
	if (core_jv_str(&c->m[M_REF], &s, &n) == -1 ||
	    n >= CORE_CASE_REF_MAX ||
	    core_jv_str(&c->m[M_DEK], &s, &n) == -1 ||
	    srv_case_dek_open(keys, seq, s, n, c->dek) == -1)
		return STORE_CORRUPT;
	return STORE_OK;
}

/* The case's sealed text, opened (the caller wipes and frees it). */
static int
view_content(struct store_txn *txn, const struct view_case *c, char **text,
    size_t *len)
{
	uint8_t		 key[8];
	const void	*blob;
	const uint8_t	*b;
	const char	*s;
	char		*t;
	size_t		 blen, n;
	int		 rc;

	store_be64_put(key, c->seq);
	rc = store_get(txn, STORE_T_CONTENT, key, 8, &blob, &blen);
	if (rc == STORE_NOTFOUND && core_jv_str(&c->m[M_CONTENT], &s, &n) ==
	    0) {
		/* Records written before the content table. */
		if (srv_case_open_textn(c->dek, c->seq, "content", s, n, text) ==
		    -1)
			return STORE_CORRUPT;
		*len = strlen(*text);
		return STORE_OK;
	}
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	b = blob;
	if (blen < 1 + CRYPTO_SEAL_OVERHEAD || b[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	n = blen - 1 - CRYPTO_SEAL_OVERHEAD;
	if ((t = malloc(n + 1)) == NULL)
		return STORE_IO;
	if (srv_case_open_bytes(c->dek, c->seq, "content", b + 1, blen - 1,
	    (uint8_t *)t) == -1) {
		free(t);
		return STORE_CORRUPT;
	}
	t[n] = '\0';
	*text = t;
	*len = n;
	return STORE_OK;
}

/* Frees text after wiping it: opened case text is personal data. */
static void
free_text(char *t, size_t len)
{
	if (t != NULL) {
		crypto_wipe(t, len);
		free(t);
	}
}

struct walk {
	const struct view_case	*c;
	struct core_jw		*timeline, *messages;
	int			 surviving;	/* another reporter's case */
	size_t			 count;		/* entries read */
	size_t			 ntimeline, nmessages;	/* written */
};

/*
 * One timeline entry as the reporter sees it: status changes and public
 * notes in the timeline, messages in both directions apart. Who acted is
 * given by role only, never a username or a staff id; a close by the
 * system says so; a rating says what it was. In the surviving case of a
 * merge what the other reporter wrote (messages, reopen reasons, rating
 * comments) stays theirs: the event shows, its text is not even opened.
 */
static int
walk_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct walk		*a = arg;
	struct core_jv		 e[E_MAX];
	struct core_jw		*w;
	const char		*sealed;
	char			*text = NULL, name[32];
	size_t			 slen;
	int			 message, reporter, shown;
	int64_t			 rating;

	if (klen != 12 || vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	if (++a->count > SRV_TIMELINE_MAX)
		return STORE_STOP;
	if (core_jv_object((const char *)val + 1, vlen - 1, entry_keys, E_MAX,
	    e) == -1)
		return STORE_CORRUPT;
	if (e[E_VISIBLE].type != CORE_JV_TRUE || e[E_TYPE].type !=
	    CORE_JV_STRING)
		return 0;
	message = core_jv_is(&e[E_TYPE], "message");
	if (message && a->surviving)
		return 0;
	reporter = core_jv_is(&e[E_ACTOR], "reporter");
	shown = !a->surviving || (e[E_ACTOR].type == CORE_JV_STRING &&
	    !reporter);
	if (shown && e[E_TEXT].type == CORE_JV_STRING) {
		snprintf(name, sizeof(name), "timeline.%" PRIu32,
		    store_be32_get((const uint8_t *)key + 8));
		if (core_jv_str(&e[E_TEXT], &sealed, &slen) == -1 ||
		    srv_case_open_textn(a->c->dek, a->c->seq, name, sealed,
		    slen, &text) == -1)
			return STORE_CORRUPT;
	}
	w = message ? a->messages : a->timeline;
	if ((message ? a->nmessages++ : a->ntimeline++) > 0)
		core_jw_raw(w, ",", 1);
	core_jw_raw(w, "{\"at\":", 6);
	iso(w, &e[E_AT]);
	if (message) {
		core_jw_lit(w, reporter ? ",\"from\":\"reporter\",\"body\":" :
		    ",\"from\":\"staff\",\"body\":");
		core_jw_str(w, text != NULL ? text : "", text != NULL ?
		    strlen(text) : 0);
		core_jw_raw(w, "}", 1);
		goto out;
	}
	core_jw_lit(w, ",\"event\":");
	core_jw_value(w, &e[E_TYPE]);
	if (e[E_STATUS].type == CORE_JV_STRING) {
		core_jw_lit(w, ",\"status\":");
		core_jw_value(w, &e[E_STATUS]);
	}
	if (e[E_ACTOR].type == CORE_JV_STRING) {
		core_jw_lit(w, ",\"by\":");
		core_jw_value(w, &e[E_ACTOR]);
	}
	if (e[E_REASON].type == CORE_JV_STRING) {
		core_jw_lit(w, ",\"reason\":");
		core_jw_value(w, &e[E_REASON]);
	}
	if (e[E_AUTOMATIC].type == CORE_JV_TRUE)
		core_jw_lit(w, ",\"automatic\":true");
	if (core_jv_int(&e[E_RATING], &rating) == 0) {
		core_jw_lit(w, ",\"rating\":");
		core_jw_int(w, rating);
	}
	if (text != NULL) {
		core_jw_lit(w, ",\"note\":");
		core_jw_str(w, text, strlen(text));
	}
	core_jw_raw(w, "}", 1);
 out:
	free_text(text, text != NULL ? strlen(text) : 0);
	return 0;
}

static int
walk_timeline(struct store_txn *txn, struct walk *a)
{
	uint8_t	 prefix[8];
	int	 rc;

	store_be64_put(prefix, a->c->seq);
	rc = store_each(txn, STORE_T_TIMELINE, prefix, 8, prefix, 8,
	    walk_entry, a);
	return rc;
}

/* Merge chains followed at most (a case merged into one that was merged
 * in turn); more means bad data, and the view stops there. */
#define MERGE_DEPTH	8

/*
 * A merged case: the reporter follows the surviving case with their own
 * token (docs/openapi.yaml, GET /followup: "surviving_case"), so the view
 * names it and shows its status and its public timeline; never its text,
 * messages or attachments, which belong to another reporter.
 */
static int
merged_view(struct store_txn *txn, struct srv_ctx *ctx,
    const struct view_case *c, struct core_jw *w)
{
	struct view_case	 s = { 0 };
	struct core_jw		 none = { { NULL, 0, 0, 0, 0 } };
	struct walk		 a;
	const struct core_jv	*next = &c->m[M_MERGED_SEQ];
	int64_t			 seq;
	int			 depth, loaded = 0, rc = STORE_OK;

	core_jw_init(&none, 0);
	for (depth = 0; core_jv_int(next, &seq) == 0 && depth < MERGE_DEPTH;
	    depth++) {
		if ((rc = view_case_load(txn, ctx->keys, (uint64_t)seq, &s)) !=
		    STORE_OK) {
			rc = rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
			goto out;
		}
		loaded = 1;
		next = &s.m[M_MERGED_SEQ];
	}
	if (!loaded)
		goto out;
	core_jw_lit(w, ",\"merged_into\":");
	core_jw_value(w, &c->m[M_MERGED_INTO]);
	core_jw_lit(w, ",\"surviving_case\":{\"case\":");
	core_jw_value(w, &s.m[M_REF]);
	if (required(w, ",\"status\":", &s.m[M_STATUS]) == -1) {
		rc = STORE_CORRUPT;
		goto out;
	}
	core_jw_lit(w, ",\"agency\":");
	core_jw_value(w, &s.m[M_AGENCY]);
	core_jw_lit(w, ",\"due_at\":");
	iso(w, &s.m[M_DUE]);
	core_jw_lit(w, ",\"timeline\":[");
	memset(&a, 0, sizeof(a));
	a.c = &s;
	a.timeline = w;
	a.messages = &none;
	a.surviving = 1;
	rc = walk_timeline(txn, &a);
	core_jw_raw(w, "]}", 2);
 out:
	crypto_wipe(s.dek, sizeof(s.dek));
	core_jw_free(&none);
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
static void
reporter_facts(struct core_jw *w, const struct core_jv *m,
    const struct core_jv *ct)
{
	static const struct {
		const char	*key;
		int		 member;
	} due[] = {
		{ "{\"dispose\":", M_DISPOSE_DUE },
		{ ",\"accept\":", M_ACCEPT_DUE },
		{ ",\"respond\":", M_RESPOND_DUE },
		{ ",\"responded_at\":", M_RESPONDED_AT },
		{ ",\"resolve\":", M_RESOLVE_DUE },
		{ ",\"close\":", M_CLOSE_AT },
	};
	size_t		 i;
	int64_t		 rating;
	int		 rated = core_jv_int(&m[M_RATING], &rating) == 0;

	core_jw_lit(w, ",\"deadlines\":");
	for (i = 0; i < sizeof(due) / sizeof(due[0]); i++) {
		core_jw_lit(w, due[i].key);
		iso(w, &m[due[i].member]);
	}
	core_jw_lit(w, "},\"resolved_at\":");
	iso(w, &m[M_RESOLVED_AT]);
	core_jw_lit(w, ",\"closed_at\":");
	iso(w, &m[M_CLOSED_AT]);
	core_jw_lit(w, ",\"closed_by\":");
	if (!core_jv_is(&m[M_STATUS], core_status_name(CORE_ST_CLOSED)))
		core_jw_raw(w, "null", 4);
	else
		core_jw_lit(w, rated ? "\"reporter\"" : "\"system\"");
	core_jw_lit(w, ",\"rating\":");
	if (rated)
		core_jw_int(w, rating);
	else
		core_jw_raw(w, "null", 4);
	core_jw_lit(w, ",\"resolution\":");
	string_or_null(w, &ct[C_RESOLUTION]);
	core_jw_lit(w, ",\"reject_reason\":");
	string_or_null(w, &m[M_REJECT_REASON]);
	core_jw_lit(w, m[M_IDENTITY].type == CORE_JV_TRUE ?
	    ",\"identity\":true" : ",\"identity\":false");
}

/* Appends jansson's dump of a value to a writer. */
static int
jw_sink(const char *p, size_t n, void *arg)
{
	struct core_jw *w = arg;

	core_jw_raw(w, p, n);
	return w->b.fail ? -1 : 0;
}

struct get_arg {
	struct srv_ctx	*ctx;
	const uint8_t	*hash;
	struct core_jw	 view;
};

/* The reporter's view: the text as they wrote it, never redacted. */
static int
followup_read(struct store_txn *txn, void *arg)
{
	struct get_arg	*g = arg;
	struct core_jw	*w = &g->view;
	struct core_jw	 msgs = { { NULL, 0, 0, 0, 0 } };
	struct view_case c = { 0 };
	struct srv_case	 sc = { 0 };
	struct core_jv	 ct[C_MAX];
	struct walk	 a;
	json_t		*att = NULL;
	char		*text = NULL;
	size_t		 tlen = 0;
	uint64_t	 seq;
	int		 rc;

	core_jw_init(&msgs, VIEW_MAX);
	if ((rc = srv_auth_token_case(txn, g->hash, &seq)) != STORE_OK)
		goto out;
	if ((rc = view_case_load(txn, g->ctx->keys, seq, &c)) != STORE_OK ||
	    (rc = view_content(txn, &c, &text, &tlen)) != STORE_OK)
		goto out;
	if (core_jv_object(text, tlen, content_keys, C_MAX, ct) == -1) {
		rc = STORE_CORRUPT;
		goto out;
	}
	rc = STORE_CORRUPT;
	core_jw_lit(w, "{\"case\":");
	core_jw_value(w, &c.m[M_REF]);
	if (required(w, ",\"status\":", &c.m[M_STATUS]) == -1 ||
	    required(w, ",\"kind\":", &c.m[M_KIND]) == -1 ||
	    required(w, ",\"visibility\":", &c.m[M_VISIBILITY]) == -1 ||
	    required(w, ",\"title\":", &ct[C_TITLE]) == -1 ||
	    required(w, ",\"body\":", &ct[C_BODY]) == -1)
		goto out;
	core_jw_lit(w, ",\"agency\":");
	core_jw_value(w, &c.m[M_AGENCY]);
	core_jw_lit(w, ",\"category\":");
	core_jw_value(w, &c.m[M_CATEGORY]);
	core_jw_lit(w, ",\"location\":");
	core_jw_value(w, &ct[C_LOCATION]);
	core_jw_lit(w, ",\"occurred_on\":");
	core_jw_value(w, &ct[C_OCCURRED]);
	core_jw_lit(w, ",\"created_at\":");
	iso(w, &c.m[M_CREATED]);
	core_jw_lit(w, ",\"updated_at\":");
	iso(w, &c.m[M_UPDATED]);
	core_jw_lit(w, ",\"due_at\":");
	iso(w, &c.m[M_DUE]);

	core_jw_lit(w, ",\"timeline\":[");
	memset(&a, 0, sizeof(a));
	a.c = &c;
	a.timeline = w;
	a.messages = &msgs;
	if ((rc = walk_timeline(txn, &a)) != STORE_OK)
		goto out;
	core_jw_lit(w, "],\"messages\":[");
	core_jw_raw(w, msgs.b.p, msgs.b.len);
	core_jw_lit(w, "],\"attachments\":");
	/* Names and sizes, as api_attach.c lists them for every view. */
	sc.seq = c.seq;
	sc.txn = txn;
	memcpy(sc.dek, c.dek, sizeof(sc.dek));
	if ((att = json_array()) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	if ((rc = api_attach_list(txn, &sc, SRV_AUD_REPORTER, att)) !=
	    STORE_OK)
		goto out;
	if (json_dump_callback(att, jw_sink, w, JSON_COMPACT) == -1) {
		rc = STORE_IO;
		goto out;
	}
	/* Granted disclosures of this identity (disclose.c): when, on how
	 * many admins' authority and on what legal basis; never who. */
	core_jw_lit(w, ",\"identity_disclosures\":");
	if (c.m[M_DISCLOSURES].type == CORE_JV_ARRAY)
		core_jw_value(w, &c.m[M_DISCLOSURES]);
	else
		core_jw_raw(w, "[]", 2);
	reporter_facts(w, c.m, ct);
	if (c.m[M_MERGED_INTO].type == CORE_JV_STRING &&
	    (rc = merged_view(txn, g->ctx, &c, w)) != STORE_OK)
		goto out;
	core_jw_raw(w, "}", 1);
	rc = w->b.fail || msgs.b.fail ? STORE_IO : STORE_OK;
 out:
	json_decref(att);	/* the allocator wipes freed JSON */
	core_jw_free(&msgs);
	free_text(text, tlen);
	crypto_wipe(sc.dek, sizeof(sc.dek));
	crypto_wipe(c.dek, sizeof(c.dek));
	return rc;
}

void
api_followup_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	uint8_t		hash[CRYPTO_HASH_BYTES];
	struct get_arg	g = { ctx, hash, { { NULL, 0, 0, 0, 0 } } };
	char		*out = NULL;
	size_t		 len = 0;
	int		rc;

	if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
		srv_http_token_refused(rp);
		return;
	}
	core_jw_init(&g.view, VIEW_MAX);
	rc = store_read(ctx->store, followup_read, &g);
	crypto_wipe(hash, sizeof(hash));
	if (rc == STORE_NOTFOUND) {
		core_jw_free(&g.view);
		srv_http_token_refused(rp);
		return;
	}
	if (rc != STORE_OK) {
		core_jw_free(&g.view);
		srv_http_error_store(rp, rc);
		return;
	}
	if (core_jw_finish(&g.view, &out, &len) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	srv_http_ok_bytes(rp, (uint8_t *)out, len, SRV_JSON_TYPE, "");
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
	if ((rc = srv_auth_token_case(txn, j->hash, &seq)) != STORE_OK)
		return rc;
	if ((rc = srv_case_load(txn, j->ctx->keys, seq, &c)) != STORE_OK)
		return rc;
	if (!open_for_messages(json_string_value(json_object_get(c.meta,
	    "status")))) {
		j->closed = 1;
		srv_case_free(&c);
		return STORE_CONFLICT;
	}
	srv_qindex_pos_of(c.meta, &before);
	rc = srv_case_timeline_add(txn, &c, c.meta, j->now, "message",
	    "reporter", j->body, 1, NULL);
	if (rc == STORE_OK && json_object_set_new(c.meta, "unread",
	    json_true()) == -1)
		rc = STORE_IO;
	/* Moves the queue counters of unread cases too. */
	if (rc == STORE_OK)
		rc = srv_workflow_save(txn, &c, &before, j->now);
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
	if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
		srv_http_token_refused(rp);
		return;
	}
	if ((rc = core_fields_parse(rq->body, rq->len, spec, 1, &root, vals,
	    &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	if (!core_text_ok(vals[0], strlen(vals[0]))) {
		errs.message = "The message has characters that are not allowed.";
		core_errors_add(&errs, "body", "invalid");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.hash = hash;
	j.body = vals[0];
	j.now = rq->now;
	rc = store_write(ctx->store, message_job, &j);
	if (rc == STORE_NOTFOUND)
		srv_http_token_refused(rp);
	else if (rc == STORE_CONFLICT)
		srv_http_error(rp, 409, "case_closed",
		    "This case no longer takes "
		    "messages.");
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else {
		core_time_iso(rq->now, at);
		srv_http_ok(rp, 201, json_pack("{s:s, s:s}", "status", "sent",
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

	if ((rc = srv_auth_token_case(txn, j->old_hash, &seq)) != STORE_OK)
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
	rc = srv_case_timeline_add(txn, &c, c.meta, j->now, "token_rotated",
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

	if (srv_auth_bearer_hash(ctx, rq->authorization, old_hash) == -1) {
		srv_http_token_refused(rp);
		return;
	}
	crypto_token_new(token);
	if (crypto_token_parse(token, strlen(token), canon) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	crypto_token_hash(ctx->keys->pepper, canon, new_hash);
	j.old_hash = old_hash;
	j.new_hash = new_hash;
	j.now = rq->now;
	j.ctx = ctx;
	rc = store_write(ctx->store, rotate_job, &j);
	if (rc == STORE_NOTFOUND)
		srv_http_token_refused(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else
		srv_http_ok(rp, 200, json_pack("{s:s}", "token", token));
 out:
	crypto_wipe(canon, sizeof(canon));
	crypto_wipe(token, sizeof(token));
	crypto_wipe(old_hash, sizeof(old_hash));
	crypto_wipe(new_hash, sizeof(new_hash));
}
