/*
 * api_attach.c: attachments of a case, stored sealed, listed, downloaded.
 *
 * Storage (table `attachments`): key case sequence (8 BE) ‖ number (4 BE)
 * holds the record, plain metadata {"n", "type", "size" (agency copy),
 * "original_size", "hash", "by" ("reporter" or a role), "user" (staff),
 * "at", "same"} and the display name sealed under the case's data key: a
 * file name can identify whoever sent it. "hash" is BLAKE2b of the agency
 * copy keyed with the data key, so it names nothing once the case is
 * shredded and cannot be matched against a known file. The bytes live in
 * the same table under key ‖ 'o' (the original as uploaded) and key ‖ 'a'
 * (the agency copy: re-encoded image, redacted text): version byte ‖
 * sealed under the data key, with additional data naming case, number and
 * variant. A PDF has no separate agency copy ("same": true, only 'o').
 *
 * Who gets what:
 *  - the reporter: every attachment of the case; their own text as
 *    written, everything else as the agency copy. Their photos come back
 *    without metadata too: whoever takes the token must not learn from it
 *    where the reporter lives.
 *  - agency staff (agency admin, liaison): the agency copy; a reporter's
 *    file is named "lampiran-N.ext", since the name can identify.
 *  - central admins: the names, the agency copy by default, and the
 *    original with ?variant=original.
 *  - auditors: nothing (403).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

#define KEY_LEN		12	/* sequence ‖ number */
#define BLOB_KEY_LEN	13	/* ‖ variant */

enum why {
	WHY_NONE,
	WHY_CLOSED,	/* 409: the case takes no more files */
	WHY_FULL,	/* 409: SRV_ATTACH_PER_CASE reached */
};

/* A checked upload: its type and both copies. */
struct upload {
	int		 type;
	const uint8_t	*orig;
	size_t		 olen;
	uint8_t		*copy;		/* owned; NULL: the original */
	size_t		 clen;
	const char	*name;
};

static void
att_key(uint8_t key[BLOB_KEY_LEN], uint64_t seq, uint32_t n, char variant)
{
	store_be64_put(key, seq);
	store_be32_put(key + 8, n);
	key[KEY_LEN] = (uint8_t)variant;
}

static void
blob_ad(char *ad, size_t adlen, uint32_t n, char variant)
{
	snprintf(ad, adlen, "attachment.%" PRIu32 ".%c", n, variant);
}

static void
free_bytes(uint8_t *p, size_t len)
{
	if (p != NULL) {
		crypto_wipe(p, len);
		free(p);
	}
}

/* Statuses in which files may still be added: as for messages. */
static int
open_for_files(const json_t *meta)
{
	int st = core_status_parse(json_string_value(json_object_get(meta,
	    "status")));

	return st == CORE_ST_SUBMITTED || st == CORE_ST_DISPOSITIONED ||
	    st == CORE_ST_IN_PROGRESS || st == CORE_ST_RESOLVED;
}

/*
 * The case a request acts on: the reporter's (by token hash) or, for
 * staff, the one named in the path if it is in their scope. Anything else
 * is STORE_NOTFOUND, so existence does not leak.
 */
static int
case_open(struct store_txn *txn, struct srv_ctx *ctx, const uint8_t *hash,
    const struct srv_staff *staff, uint64_t seq, const char *ref,
    struct srv_case *c)
{
	int rc;

	if (hash != NULL && (rc = srv_auth_token_case(txn, hash,
		&seq)) != STORE_OK) return rc;
	if ((rc = srv_case_load(txn, ctx->keys, seq, c)) != STORE_OK)
		return rc;
	if (staff != NULL && (strcmp(c->ref, ref) != 0 ||
	    !srv_workflow_in_scope(txn, staff, c->meta))) {
		srv_case_free(c);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

static int
blob_put(struct store_txn *txn, const struct srv_case *c, uint32_t n,
    char variant, const uint8_t *p, size_t len)
{
	uint8_t	 key[BLOB_KEY_LEN], *box;
	char	 ad[48];
	int	 rc;

	att_key(key, c->seq, n, variant);
	blob_ad(ad, sizeof(ad), n, variant);
	if ((box = malloc(1 + len + CRYPTO_SEAL_OVERHEAD)) == NULL)
		return STORE_IO;
	box[0] = SRV_RECORD_V1;
	if (srv_case_seal_bytes(c->dek, c->seq, ad, p, len, box + 1) == -1)
		rc = STORE_IO;
	else
		rc = store_put(txn, STORE_T_ATTACHMENTS, key, sizeof(key), box,
		    1 + len + CRYPTO_SEAL_OVERHEAD, STORE_NOOVERWRITE);
	free(box);		/* ciphertext only */
	return rc;
}

/* Opens a blob into a new buffer (wipe and free it). */
static int
blob_get(struct store_txn *txn, const struct srv_case *c, uint32_t n,
    char variant, uint8_t **out, size_t *outlen)
{
	uint8_t		 key[BLOB_KEY_LEN], *p;
	const uint8_t	*v;
	const void	*val;
	char		 ad[48];
	size_t		 vlen, len;
	int		 rc;

	att_key(key, c->seq, n, variant);
	if ((rc = store_get(txn, STORE_T_ATTACHMENTS, key, sizeof(key), &val,
	    &vlen)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	v = val;
	if (vlen < 1 + CRYPTO_SEAL_OVERHEAD + 1 || v[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	len = vlen - 1 - CRYPTO_SEAL_OVERHEAD;
	if ((p = malloc(len)) == NULL)
		return STORE_IO;
	blob_ad(ad, sizeof(ad), n, variant);
	if (srv_case_open_bytes(c->dek, c->seq, ad, v + 1, vlen - 1, p) == -1) {
		free(p);
		return STORE_CORRUPT;
	}
	*out = p;
	*outlen = len;
	return STORE_OK;
}

/* Which copy an audience gets ('o' or 'a'). */
static char
variant_for(int audience, const json_t *rec, int type, int original)
{
	const char *by = json_string_value(json_object_get(rec, "by"));

	if (original || json_is_true(json_object_get(rec, "same")))
		return 'o';
	if (audience == SRV_AUD_REPORTER && type == SRV_ATTACH_TEXT &&
	    by != NULL && strcmp(by, "reporter") == 0)
		return 'o';
	return 'a';
}

/* Replaces *name (wiped and freed) by its redacted copy; -1 if out of
 * memory (*name left). */
static int
redact_name(char **name)
{
	char *r;

	if ((r = core_redact(*name, strlen(*name))) == NULL)
		return -1;
	crypto_wipe(*name, strlen(*name));
	free(*name);
	*name = r;
	return 0;
}

/* The name an audience sees, into out. */
static int
name_for(const struct srv_case *c, int audience, const json_t *rec,
    uint32_t n, int type, char out[SRV_ATTACH_NAME_BYTES])
{
	const char	*by = json_string_value(json_object_get(rec, "by"));
	const char	*sealed = json_string_value(json_object_get(rec, "name"));
	char		 ad[48], *name;
	size_t		 e;

	if (audience == SRV_AUD_AGENCY && (by == NULL ||
	    strcmp(by, "reporter") == 0)) {
		snprintf(out, SRV_ATTACH_NAME_BYTES, "lampiran-%" PRIu32 ".%s",
		    n, srv_attach_ext(type));
		return STORE_OK;
	}
	snprintf(ad, sizeof(ad), "attachment.%" PRIu32 ".name", n);
	if (sealed == NULL ||
	    srv_case_open_text(c->dek, c->seq, ad, sealed, &name) == -1)
		return STORE_CORRUPT;
	/* A name a central admin gave passes the filter for the agency:
	 * it may be the reporter's ("KTP Budi 3201....jpg"). */
	if (audience == SRV_AUD_AGENCY && strcmp(by, "central_admin") == 0 &&
	    redact_name(&name) == -1) {
		crypto_wipe(name, strlen(name));
		free(name);
		return STORE_IO;
	}
	snprintf(out, SRV_ATTACH_NAME_BYTES, "%s", name);
	/* a marker may make it longer: cut at a character's edge */
	for (e = strlen(out); e > 0 && core_utf8_len(out, e) < 0; e--)
		out[e - 1] = '\0';
	crypto_wipe(name, strlen(name));
	free(name);
	return STORE_OK;
}

/* ---- listing -------------------------------------------------------------- */

struct list_arg {
	const struct srv_case	*c;
	int			 audience;
	json_t			*array;
};

static int
list_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct list_arg	*a = arg;
	const char	*by;
	json_t		*rec, *o;
	char		 name[SRV_ATTACH_NAME_BYTES], at[21];
	uint32_t	 n;
	int		 type, rc;
	char		 v;

	if (klen != KEY_LEN)
		return 0;		/* a blob */
	if (vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	rec = json_loadb((const char *)val + 1, vlen - 1,
	    JSON_REJECT_DUPLICATES, NULL);
	n = store_be32_get((const uint8_t *)key + 8);
	type = srv_attach_type_parse(json_string_value(json_object_get(rec,
	    "type")));
	by = json_string_value(json_object_get(rec, "by"));
	if (!json_is_object(rec) || type < 0 || by == NULL) {
		json_decref(rec);
		return STORE_CORRUPT;
	}
	if ((rc = name_for(a->c, a->audience, rec, n, type, name)) !=
	    STORE_OK) {
		json_decref(rec);
		return rc;
	}
	v = variant_for(a->audience, rec, type, 0);
	core_time_iso((time_t)json_integer_value(json_object_get(rec, "at")),
	    at);
	o = json_pack("{s:I, s:s, s:s, s:O, s:s, s:s}",
	    "attachment", (json_int_t)n, "name", name,
	    "type", srv_attach_mime(type),
	    "size", json_object_get(rec, v == 'o' ? "original_size" : "size"),
	    "at", at, "from", strcmp(by, "reporter") == 0 ? "reporter" : "staff");
	crypto_wipe(name, sizeof(name));
	json_decref(rec);
	if (o == NULL || json_array_append_new(a->array, o) == -1)
		return STORE_IO;
	return 0;
}

int
api_attach_list(struct store_txn *txn, const struct srv_case *c,
    int audience, json_t *array)
{
	struct list_arg	a = { c, audience, array };
	uint8_t		prefix[8];

	if (!json_is_array(array))
		return STORE_INVALID;
	store_be64_put(prefix, c->seq);
	return store_each(txn, STORE_T_ATTACHMENTS, prefix, 8, prefix, 8,
	    list_entry, &a);
}

/* ---- upload ----------------------------------------------------------------- */

struct put_job {
	struct srv_ctx		*ctx;
	const uint8_t		*hash;		/* reporter, or NULL */
	const struct srv_staff	*staff;		/* staff, or NULL */
	uint64_t		 seq;		/* staff: from the path */
	const char		*ref;
	const struct upload	*u;
	time_t			 now;
	int			 dry;		/* checks only */
	uint32_t		 n;		/* out */
	int			 why;		/* out, with STORE_CONFLICT */
};

static int
put_record(struct store_txn *txn, const struct srv_case *c,
    const struct put_job *j, uint32_t n)
{
	const struct upload	*u = j->u;
	const uint8_t		*copy = u->copy != NULL ? u->copy : u->orig;
	size_t			 clen = u->copy != NULL ? u->clen : u->olen;
	uint8_t			 key[BLOB_KEY_LEN], h[CRYPTO_HASH_BYTES];
	char			 ad[48], hb[CRYPTO_HASH_BYTES * 2];
	char			*sealed = NULL;
	json_t			*rec;
	int			 rc;

	snprintf(ad, sizeof(ad), "attachment.%" PRIu32 ".name", n);
	if (srv_case_seal_text(c->dek, c->seq, ad, u->name, strlen(u->name),
	    &sealed) == -1)
		return STORE_IO;
	crypto_keyed_hash(c->dek, copy, clen, h);
	crypto_b64_encode(h, sizeof(h), hb);
	rec = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:I, s:b}",
	    "n", (json_int_t)n, "name", sealed, "type", srv_attach_mime(u->type),
	    "size", (json_int_t)clen, "original_size", (json_int_t)u->olen,
	    "hash", hb, "by", j->staff != NULL ?
	    core_role_name(j->staff->role) : "reporter",
	    "at", (json_int_t)j->now, "same", u->copy == NULL);
	free(sealed);
	if (rec == NULL)
		return STORE_IO;
	if (j->staff != NULL && json_object_set_new(rec, "user",
	    json_integer((json_int_t)j->staff->user_id)) == -1) {
		json_decref(rec);
		return STORE_IO;
	}
	att_key(key, c->seq, n, 0);
	rc = srv_record_put(txn, STORE_T_ATTACHMENTS, key, KEY_LEN, rec,
	    STORE_NOOVERWRITE);
	json_decref(rec);
	if (rc == STORE_OK)
		rc = blob_put(txn, c, n, 'o', u->orig, u->olen);
	if (rc == STORE_OK && u->copy != NULL)
		rc = blob_put(txn, c, n, 'a', u->copy, u->clen);
	return rc;
}

/* The audit entry of a staff upload or of reading an original: the case,
 * the attachment's number and type, never its name. */
static int
attach_audit(struct store_txn *txn, struct srv_ctx *ctx,
    const struct srv_staff *st, time_t now, const char *action,
    const char *ref, uint32_t n, const char *type)
{
	char	 actor[96];
	json_t	*d;
	int	 rc;

	srv_audit_actor(st, actor, sizeof(actor));
	if ((d = json_pack("{s:I, s:s?}", "attachment", (json_int_t)n, "type",
	    type)) == NULL)
		return STORE_IO;
	rc = srv_audit_append(txn, ctx->keys, now, actor, action, ref, NULL, d);
	json_decref(d);
	return rc;
}

/* Runs twice: first read-only (dry) to refuse early before an image is
 * processed, then in the write transaction, which checks again. */
static int
put_job(struct store_txn *txn, void *arg)
{
	struct put_job	*j = arg;
	struct srv_case	 c = { 0 };
	struct srv_qpos	 before;
	struct srv_actor who;
	json_int_t	 count;
	json_t		*extra;
	int		 rc = STORE_IO;

	j->why = WHY_NONE;
	if ((rc = case_open(txn, j->ctx, j->hash, j->staff, j->seq, j->ref,
	    &c)) != STORE_OK)
		return rc;
	count = json_integer_value(json_object_get(c.meta, "attachments"));
	if (!open_for_files(c.meta)) {
		j->why = WHY_CLOSED;
		rc = STORE_CONFLICT;
	} else if (count < 0 || count >= SRV_ATTACH_PER_CASE) {
		j->why = WHY_FULL;
		rc = STORE_CONFLICT;
	}
	if (rc != STORE_OK || j->dry)
		goto out;
	j->n = (uint32_t)count + 1;
	srv_qindex_pos_of(c.meta, &before);
	if ((rc = put_record(txn, &c, j, j->n)) != STORE_OK)
		goto out;
	if ((extra = json_pack("{s:I}", "attachment", (json_int_t)j->n)) ==
	    NULL) {
		rc = STORE_IO;
		goto out;
	}
	/* Visible to the reporter: their own file, or evidence for them. */
	who.role = j->staff != NULL ? j->staff->role : CORE_ROLE_REPORTER;
	who.user = j->staff != NULL ? j->staff->user_id : 0;
	rc = srv_workflow_event(txn, &c, j->now, "attachment", &who, NULL, 1,
	    extra);
	json_decref(extra);
	if (rc != STORE_OK)
		goto out;
	if (json_object_set_new(c.meta, "attachments",
	    json_integer(j->n)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	if (j->staff == NULL && json_object_set_new(c.meta, "unread",
	    json_true()) == -1) {
		rc = STORE_IO;
		goto out;
	}
	/* Moves the queue counters of unread cases too. */
	rc = srv_workflow_save(txn, &c, &before, j->now);
	/* Evidence from staff is audited; the reporter's files are not
	 * (the reporter is anonymous). */
	if (rc == STORE_OK && j->staff != NULL)
		rc = attach_audit(txn, j->ctx, j->staff, j->now,
		    "attachment.upload", c.ref, j->n, srv_attach_mime(j->u->type));
 out:
	srv_case_free(&c);
	return rc;
}

/* 422 in the error shape (docs/openapi.yaml, Error), naming one field. */
static void
unprocessable(struct srv_reply *rp, const char *code, const char *msg,
    const char *field, const char *reason)
{
	json_t *fields;

	srv_http_error(rp, 422, code, msg);
	if (rp->body != NULL && (fields = json_pack("{s:s}", field,
	    reason)) != NULL)
		json_object_set_new(json_object_get(rp->body, "error"),
		    "fields", fields);
}

/* Type by content, then the agency copy; fills rp and returns -1 when the
 * file is refused. */
static int
upload_prepare(const struct srv_request *rq, struct upload *u,
    struct srv_reply *rp)
{
	int rc;

	memset(u, 0, sizeof(*u));
	u->orig = rq->file;
	u->olen = rq->file_len;
	u->name = rq->file_name != NULL ? rq->file_name : "attachment";
	if ((u->type = srv_attach_sniff(rq->file, rq->file_len)) < 0) {
		srv_http_error(rp, 415, "unsupported_type",
		    "Only JPEG, PNG and "
		    "WebP images, PDF documents and plain text files are "
		    "accepted.");
		return -1;
	}
	rc = srv_attach_clean(u->type, u->orig, u->olen, &u->copy, &u->clen);
	switch (rc) {
	case SRV_ATTACH_OK:
		return 0;
	case SRV_ATTACH_TOO_BIG:
		unprocessable(rp, "image_too_large", "The image has too many "
		    "pixels.", "file", "too many pixels");
		return -1;
	case SRV_ATTACH_CORRUPT:
		unprocessable(rp, "invalid_image", "The image cannot be read.",
		    "file", "not a readable image");
		return -1;
	case SRV_ATTACH_FAILED:
		/* The image helper died on it, ran out of time or gave back
		 * something else: most likely a file made to do that. */
		unprocessable(rp, "image_unprocessable", "The image could not "
		    "be processed.", "file", "could not be processed");
		return -1;
	default:
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return -1;
	}
}

static void
put_error(struct srv_reply *rp, int rc, int why, int reporter)
{
	if (rc == STORE_NOTFOUND && reporter)
		srv_http_token_refused(rp);
	else if (rc == STORE_CONFLICT && why == WHY_FULL)
		srv_http_error(rp, 409, "attachment_limit",
		    "This case has as many "
		    "attachments as it can take.");
	else if (rc == STORE_CONFLICT)
		srv_http_error(rp, 409, "case_closed",
		    "This case no longer takes "
		    "attachments.");
	else
		srv_http_error_store(rp, rc);
}

/* Shared by both upload routes: check, process, store. */
static int
upload(struct srv_ctx *ctx, const struct srv_request *rq,
    struct put_job *j, struct upload *u, struct srv_reply *rp)
{
	int rc;

	j->ctx = ctx;
	j->now = rq->now;
	j->u = u;
	j->dry = 1;
	if ((rc = store_read(ctx->store, put_job, j)) != STORE_OK) {
		put_error(rp, rc, j->why, j->staff == NULL);
		return -1;
	}
	if (upload_prepare(rq, u, rp) == -1)
		return -1;
	j->dry = 0;
	if ((rc = store_write(ctx->store, put_job, j)) != STORE_OK) {
		put_error(rp, rc, j->why, j->staff == NULL);
		return -1;
	}
	return 0;
}

void
api_attach_followup(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	uint8_t		hash[CRYPTO_HASH_BYTES];
	struct put_job	j;
	struct upload	u;
	json_t		*size;

	memset(&j, 0, sizeof(j));
	memset(&u, 0, sizeof(u));
	if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
		put_error(rp, STORE_NOTFOUND, 0, 1);
		return;
	}
	j.hash = hash;
	if (upload(ctx, rq, &j, &u, rp) == 0) {
		/* The reporter's size: their text as sent, else the copy. */
		size = json_integer((json_int_t)(u.type == SRV_ATTACH_TEXT ||
		    u.copy == NULL ? u.olen : u.clen));
		srv_http_ok(rp, 201, json_pack("{s:I, s:s, s:s, s:o}",
		    "attachment", (json_int_t)j.n, "name", u.name,
		    "type", srv_attach_mime(u.type), "size", size));
	}
	free_bytes(u.copy, u.clen);
	crypto_wipe(hash, sizeof(hash));
}

/* Staff who may touch case files at all: not auditors (403). */
static int
staff_allowed(const struct srv_staff *s)
{
	return s->role == CORE_ROLE_CENTRAL_ADMIN ||
	    s->role == CORE_ROLE_AGENCY_ADMIN || s->role == CORE_ROLE_LIAISON;
}

/* "{case}" of the path into its sequence; -1 if it names nothing. */
static int
case_param(const char *ref, uint64_t *seq)
{
	int year;

	return ref != NULL && core_case_ref_parse(ref, &year, seq) == 0 ?
	    0 : -1;
}


void
api_attach_case(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	staff = { 0 };
	struct put_job		j;
	struct upload		u = { 0 };

	memset(&j, 0, sizeof(j));
	memset(&u, 0, sizeof(u));
	if (srv_auth_staff(ctx, rq, &staff, rp) == -1)
		return;
	if (!staff_allowed(&staff)) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	if (case_param(rq->param[0], &j.seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	j.staff = &staff;
	j.ref = rq->param[0];
	if (upload(ctx, rq, &j, &u, rp) == 0)
		srv_http_ok(rp, 201, json_pack("{s:I}", "attachment",
		    (json_int_t)j.n));
 out:
	free_bytes(u.copy, u.clen);
	crypto_wipe(&staff, sizeof(staff));
}

/* ---- download ------------------------------------------------------------------ */

struct get_job {
	struct srv_ctx		*ctx;
	const uint8_t		*hash;
	const struct srv_staff	*staff;
	uint64_t		 seq;
	const char		*ref;
	uint32_t		 n;
	int			 audience, original;
	time_t			 now;		/* original: audited */
	int			 case_ok;	/* out: the case was found */
	uint8_t			*data;		/* out */
	size_t			 len;
	int			 type;
	char			 name[SRV_ATTACH_NAME_BYTES];
};

static int
get_job(struct store_txn *txn, void *arg)
{
	struct get_job	*j = arg;
	struct srv_case	 c = { 0 };
	uint8_t		 key[BLOB_KEY_LEN];
	json_t		*rec = NULL;
	int		 rc = STORE_IO;

	j->case_ok = 0;
	/* A write job may run again (store.h): drop an earlier run's copy. */
	free_bytes(j->data, j->len);
	j->data = NULL;
	if ((rc = case_open(txn, j->ctx, j->hash, j->staff, j->seq, j->ref,
	    &c)) != STORE_OK)
		return rc;
	j->case_ok = 1;
	att_key(key, c.seq, j->n, 0);
	if ((rc = srv_record_get(txn, STORE_T_ATTACHMENTS, key, KEY_LEN,
	    &rec)) != STORE_OK)
		goto out;
	if ((j->type = srv_attach_type_parse(json_string_value(
	    json_object_get(rec, "type")))) < 0) {
		rc = STORE_CORRUPT;
		goto out;
	}
	if ((rc = name_for(&c, j->audience, rec, j->n, j->type, j->name)) !=
	    STORE_OK)
		goto out;
	rc = blob_get(txn, &c, j->n, variant_for(j->audience, rec, j->type,
	    j->original), &j->data, &j->len);
	/* Reading an original (metadata, a reporter's own words) is
	 * recorded, in this job's write transaction. */
	if (rc == STORE_OK && j->original && j->staff != NULL)
		rc = attach_audit(txn, j->ctx, j->staff, j->now,
		    "attachment.original", c.ref, j->n,
		    srv_attach_mime(j->type));
 out:
	json_decref(rec);
	srv_case_free(&c);
	return rc;
}

/* "{n}" of the path: 1 to 10 digits without a leading zero. */
static int
number_param(const char *s, uint32_t *n)
{
	unsigned long long	v = 0;
	size_t			i;

	if (s == NULL || s[0] == '\0' || s[0] == '0' || strlen(s) > 10)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*n = (uint32_t)v;
	return 0;
}

static void
download(struct srv_ctx *ctx, struct get_job *j, struct srv_reply *rp)
{
	char	name[SRV_DOWNLOAD_NAME_BYTES];
	int	rc;

	j->ctx = ctx;
	/* An original is read in a durable write job: no original leaves
	 * without its audit entry on disk. */
	rc = j->original ? store_write(ctx->store, get_job, j) :
	    store_read(ctx->store, get_job, j);
	if (rc != STORE_OK) {
		free_bytes(j->data, j->len);
		j->data = NULL;
	}
	if (rc == STORE_NOTFOUND && j->hash != NULL && !j->case_ok)
		put_error(rp, rc, 0, 1);	/* the token names no case */
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else {
		srv_attach_download_name(j->name, j->type, name, sizeof(name));
		srv_http_ok_bytes(rp, j->data, j->len,
		    j->type == SRV_ATTACH_TEXT ?
		    "text/plain; charset=utf-8" : srv_attach_mime(j->type),
		    name);
		j->data = NULL;
		crypto_wipe(name, sizeof(name));
	}
	crypto_wipe(j->name, sizeof(j->name));
}

void
api_attach_followup_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	uint8_t		hash[CRYPTO_HASH_BYTES];
	struct get_job	j;

	memset(&j, 0, sizeof(j));
	if (srv_auth_bearer_hash(ctx, rq->authorization, hash) == -1) {
		put_error(rp, STORE_NOTFOUND, 0, 1);
		return;
	}
	j.hash = hash;
	j.audience = SRV_AUD_REPORTER;
	/* A number that cannot exist still goes through the token check,
	 * so that a bad token always gets the one 401. */
	if (number_param(rq->param[0], &j.n) == -1)
		j.n = 0;
	download(ctx, &j, rp);
	crypto_wipe(hash, sizeof(hash));
}

void
api_attach_case_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 staff = { 0 };
	struct get_job		 j;
	const char		*variant;

	memset(&j, 0, sizeof(j));
	if (srv_auth_staff(ctx, rq, &staff, rp) == -1)
		return;
	if (!staff_allowed(&staff)) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	j.audience = staff.role == CORE_ROLE_CENTRAL_ADMIN ? SRV_AUD_CENTRAL :
	    SRV_AUD_AGENCY;
	variant = srv_http_query(rq, "variant");
	if (variant != NULL && strcmp(variant, "original") == 0) {
		if (j.audience != SRV_AUD_CENTRAL) {
			srv_http_error(rp, 403, "forbidden",
			    "Only central admins "
			    "may download an original.");
			goto out;
		}
		j.original = 1;
	} else if (variant != NULL && strcmp(variant, "agency") != 0) {
		unprocessable(rp, "invalid", "The variant is not known.",
		    "variant", "must be agency or original");
		goto out;
	}
	if (case_param(rq->param[0], &j.seq) == -1 ||
	    number_param(rq->param[1], &j.n) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	j.staff = &staff;
	j.ref = rq->param[0];
	j.now = rq->now;
	download(ctx, &j, rp);
	if (j.original && rp->status == 200)
		srv_log(LOG_INFO, "attachment_original", "role=central_admin");
 out:
	crypto_wipe(&staff, sizeof(staff));
}

/* ---- for exports and published evidence (export.c, publish.c) ---------- */

int
api_attach_get(struct store_txn *txn, const struct srv_case *c, uint32_t n,
    int audience, uint8_t **out, size_t *len, int *type,
    char name[SRV_ATTACH_NAME_BYTES])
{
	uint8_t	 key[BLOB_KEY_LEN];
	json_t	*rec = NULL;
	int	 rc = STORE_IO;

	*out = NULL;
	*len = 0;
	att_key(key, c->seq, n, 0);
	if ((rc = srv_record_get(txn, STORE_T_ATTACHMENTS, key, KEY_LEN,
	    &rec)) != STORE_OK)
		return rc;
	if ((*type = srv_attach_type_parse(json_string_value(
	    json_object_get(rec, "type")))) < 0) {
		rc = STORE_CORRUPT;
		goto out;
	}
	if ((rc = name_for(c, audience, rec, n, *type, name)) != STORE_OK)
		goto out;
	rc = blob_get(txn, c, n, variant_for(audience, rec, *type, 0), out,
	    len);
 out:
	json_decref(rec);
	return rc;
}
