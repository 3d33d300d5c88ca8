/*
 * api_disclose.c: identity disclosure under a K-of-n authorization
 * (SECURITY.md "Identity disclosure"; crypto/disclose.c); the records and
 * the voiding of stale requests are in disclose.c.
 *
 *   GET  /api/v1/cases/{case}/disclosures       what a request needs
 *   POST /api/v1/cases/{case}/disclosures       open a request
 *   GET  /api/v1/disclosures?state=             list requests
 *   GET  /api/v1/disclosures/{request}          one request
 *   POST /api/v1/disclosures/{request}/approve  a holder's blinded partial
 *   POST /api/v1/disclosures/{request}/deny     a holder refuses
 *
 * The server is a relay and a notary, never a party that could open an
 * identity. A request carries the case's R blinded by the requester (Rb =
 * rho·R, rho known only to the requester's key) with a proof that Rb is a
 * multiple of this case's R; approvers send partials over Rb with a DLEQ
 * proof against their public commitment. The server checks every proof
 * and signature before it accepts anything, stores the blinded partials,
 * and hands them to the requester alone. K of them give rho·S, worthless
 * without rho; the requester's own partial never leaves their machine.
 *
 * The requester's client chooses the request id, its creation time and
 * expiry and a fresh nonce and signs them with everything else (the
 * reason, the legal basis, their account name and the escrow
 * configuration hash), so a request cannot be replayed: an id or nonce
 * seen before is refused (409), and so is a creation time far from our
 * clock or an expiry past the configured time to live. Partials go to
 * the requester only once the request holds its K approvals; a denied,
 * expired or voided request never releases them. A resharing voids every
 * pending request of the holders it retires.
 *
 * Who may act: central admins whose account is linked to an admin key
 * (`bisikd user set-key`) that holds a share of the generation that opens
 * the case's identity (escrow_gen.c). The requester's share counts as one,
 * so K-1 approvals from other holders, each from their own account and
 * signed with their own key, approve the request. Any holder may deny a
 * pending request; requests expire after disclosure_ttl_hours, checked
 * whenever one is read or acted on. Auditors see every request and its
 * decisions, never cryptographic material. Every step is one write job
 * with its audit entry; a refused proof or signature commits its audit
 * entry and nothing else.
 *
 * Records: STORE_T_DISCLOSURES[id (8 bytes)] = 0x01 ‖ JSON (docs/formats.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

#define ST_PENDING	SRV_DISCLOSURE_PENDING
#define ST_APPROVED	"approved"
#define ST_DENIED	"denied"
#define ST_EXPIRED	"expired"
#define ST_VOIDED	SRV_DISCLOSURE_VOIDED
/* "disclosure.nonce.<32 hex digits>" in STORE_T_META marks a nonce used. */
#define NONCE_PREFIX	"disclosure.nonce."
#define ID_TEXT		(2 * SRV_DISCLOSURE_ID_BYTES + 1)

/* ---- replies ----------------------------------------------------------- */

static void
forbidden(struct srv_reply *rp)
{
	srv_http_error(rp, 403, "forbidden", "Your role may not do this.");
}


static void
no_key(struct srv_reply *rp)
{
	srv_http_error(rp, 403, "no_admin_key",
	    "Your account has no admin key; an "
	    "operator links it with `bisikd user set-key`.");
}

static void
not_holder(struct srv_reply *rp)
{
	srv_http_error(rp, 403, "not_holder",
	    "Your admin key holds no share of "
	    "the escrow generation that opens this identity, or not the one "
	    "named.");
}

/* ---- bodies -------------------------------------------------------------- */

enum field_type { F_TEXT, F_B64, F_INT };
struct field {
	const char	*name;
	enum field_type	 type;
	long long	 min, max;	/* code points, bytes, or value */
};

/*
 * Parses a JSON object body with exactly these (required) fields: 400 for
 * malformed JSON, an unknown field or a wrong type; 422 naming every field
 * that is missing, too short or long, blank, or not base64 of the right
 * size. On success *root owns the values.
 */
static int
body_parse(const struct srv_request *rq, const struct field *f, size_t n,
    json_t **root, struct srv_reply *rp)
{
	struct core_errors	 errs;
	json_t			*o = NULL, *v;
	const char		*key;
	uint8_t			 buf[128];
	size_t			 i, len;
	long			 cp;

	memset(&errs, 0, sizeof(errs));
	if (srv_http_body_object(rq, SRV_DISCLOSURE_DEPTH, "The body must be a "
	    "JSON object.", &o, rp) == -1)
		return -1;
	json_object_foreach(o, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(key, f[i].name) == 0)
				break;
		if (i == n) {
			srv_http_error(rp, 400, "malformed", "The body holds a "
			    "field that is not known.");
			goto fail;
		}
		if ((f[i].type == F_INT && !json_is_integer(v)) ||
		    (f[i].type != F_INT && !json_is_string(v))) {
			srv_http_error(rp, 400, "malformed", "A field of the "
			    "body has the wrong type.");
			goto fail;
		}
	}
	errs.message = "Some fields are missing or not valid.";
	for (i = 0; i < n; i++) {
		if ((v = json_object_get(o, f[i].name)) == NULL) {
			core_errors_add(&errs, f[i].name, "required");
			continue;
		}
		switch (f[i].type) {
		case F_INT:
			if (json_integer_value(v) < f[i].min ||
			    json_integer_value(v) > f[i].max)
				core_errors_add(&errs, f[i].name, "out of range");
			break;
		case F_B64:
			len = json_string_length(v);
			if (crypto_b64_decode(json_string_value(v), len, buf,
			    sizeof(buf), &len) == -1 ||
			    (long long)len != f[i].min)
				core_errors_add(&errs, f[i].name, "invalid");
			break;
		case F_TEXT:
			len = json_string_length(v);
			cp = core_utf8_len(json_string_value(v), len);
			if (!core_text_ok(json_string_value(v), len) || cp < 0)
				core_errors_add(&errs, f[i].name, "invalid");
			else if (cp < f[i].min || core_text_blank(
			    json_string_value(v), len))
				core_errors_add(&errs, f[i].name, "too short");
			else if (cp > f[i].max)
				core_errors_add(&errs, f[i].name, "too long");
			break;
		}
	}
	if (errs.nfields > 0) {
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto fail;
	}
	*root = o;
	return 0;
fail:
	json_decref(o);
	return -1;
}

/* Decodes a field body_parse has checked. */
static void
b64_get(const json_t *o, const char *key, uint8_t *out, size_t len)
{
	const json_t	*v = json_object_get(o, key);
	size_t		 n;

	if (crypto_b64_decode(json_string_value(v), json_string_length(v), out,
	    len, &n) == -1 || n != len)
		memset(out, 0, len);	/* unreachable after body_parse */
}

/* Decodes a field of a stored record; -1 if it is damaged. */
static int
rec_b64(const json_t *rec, const char *key, uint8_t *out, size_t len)
{
	return srv_record_b64_value(json_object_get(rec, key), out, len);
}

static json_t *
iso_json(json_int_t t)
{
	char buf[21];

	if (t <= 0)
		return json_null();
	core_time_iso((time_t)t, buf);
	return json_string(buf);
}

/* ---- records ------------------------------------------------------------- */

/* {request} into its 8-byte key; -1 if it is not 16 lower-case hex. */
static int
id_parse(const char *s, uint8_t key[SRV_DISCLOSURE_ID_BYTES])
{
	return core_hex_decode(s, key, SRV_DISCLOSURE_ID_BYTES);
}

static void
id_text(const uint8_t key[SRV_DISCLOSURE_ID_BYTES], char out[ID_TEXT])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < SRV_DISCLOSURE_ID_BYTES; i++) {
		out[2 * i] = hex[key[i] >> 4];
		out[2 * i + 1] = hex[key[i] & 0xf];
	}
	out[2 * SRV_DISCLOSURE_ID_BYTES] = '\0';
}

/* The state as of now: a pending request past its expiry is expired. */
static const char *
state_now(const json_t *rec, time_t now)
{
	const char *st = srv_record_str(rec, "state");

	if (strcmp(st, ST_PENDING) == 0 && (json_int_t)now >=
	    srv_record_int(rec, "expires_at"))
		return ST_EXPIRED;
	return st;
}

/* The public statement of a stored request (crypto_disclosure) under the
 * generation g that opens it; the times go into the caller's buffers in
 * the form the requester signed. */
static int
rec_statement(const json_t *rec, const struct srv_generation *g,
    struct crypto_disclosure *d, char created[21], char expires[21])
{
	memset(d, 0, sizeof(*d));
	d->case_ref = srv_record_str(rec, "case");
	d->request = srv_record_str(rec, "id");
	d->account = srv_record_str(rec, "requester_username");
	d->reason = srv_record_str(rec, "reason");
	d->legal_basis = srv_record_str(rec, "legal_basis");
	core_time_iso((time_t)srv_record_int(rec, "created_at"), created);
	core_time_iso((time_t)srv_record_int(rec, "expires_at"), expires);
	d->created_at = created;
	d->expires_at = expires;
	d->generation = (uint32_t)srv_record_int(rec, "holders_generation");
	d->requester = (unsigned)srv_record_int(rec, "requester_index");
	memcpy(d->config, g->config, sizeof(d->config));
	if (rec_b64(rec, "nonce", d->nonce, sizeof(d->nonce)) == -1 ||
	    rec_b64(rec, "R", d->R, sizeof(d->R)) == -1 ||
	    rec_b64(rec, "blind_key", d->P, sizeof(d->P)) == -1 ||
	    rec_b64(rec, "blinded", d->Rb, sizeof(d->Rb)) == -1)
		return -1;
	return 0;
}

/* The staff member's registered admin key; -1 if none. */
static int
staff_key(struct store_txn *txn, uint64_t user, uint8_t sign_pk[32],
    uint8_t box_pk[32])
{
	json_t	*rec;
	int	 rc;

	if (srv_users_get(txn, user, &rec) != STORE_OK)
		return -1;
	rc = srv_adminkey_get(rec, sign_pk, box_pk);
	json_decref(rec);
	return rc;
}

/* 1 if holder `index` of g has exactly these keys. */
static int
is_holder(const struct srv_generation *g, unsigned index,
    const uint8_t sign_pk[32], const uint8_t box_pk[32])
{
	return index >= 1 && index <= g->n &&
	    crypto_equal(g->holder[index - 1].sign_pk, sign_pk, 32) &&
	    crypto_equal(g->holder[index - 1].box_pk, box_pk, 32);
}

/* The holder index of these keys in g; 0 if none. */
static unsigned
holder_of(const struct srv_generation *g, const uint8_t sign_pk[32],
    const uint8_t box_pk[32])
{
	unsigned i;

	for (i = 1; i <= g->n; i++)
		if (is_holder(g, i, sign_pk, box_pk))
			return i;
	return 0;
}

/* The case record of a reference (the number must match exactly). */
static int
case_meta(struct store_txn *txn, const char *ref, uint64_t *seq,
    json_t **meta)
{
	uint8_t	key[8];
	json_t	*m;
	int	year, rc;

	if (ref == NULL || core_case_ref_parse(ref, &year, seq) == -1)
		return STORE_NOTFOUND;
	store_be64_put(key, *seq);
	if ((rc = srv_record_get(txn, STORE_T_CASES, key, 8, &m)) != STORE_OK)
		return rc;
	if (strcmp(srv_record_str(m, "ref"), ref) != 0) {
		json_decref(m);
		return STORE_NOTFOUND;
	}
	*meta = m;
	return STORE_OK;
}

static int
audit(struct store_txn *txn, struct srv_ctx *ctx, const struct srv_staff *st,
    time_t now, const char *action, const char *ref, const char *id,
    json_t *detail)
{
	char	actor[64];
	int	rc;

	srv_audit_actor(st, actor, sizeof(actor));
	rc = srv_audit_append(txn, ctx->keys, now, actor, action, ref, id,
	    detail);
	json_decref(detail);
	return rc;
}

/*
 * The disclosure is granted: the reporter's view shows when, on how many
 * admins' authority (the requester and the approvers) and on what legal
 * basis, never who (case meta "identity_disclosures").
 */
static int
grant(struct store_txn *txn, struct srv_ctx *ctx, const struct srv_staff *st,
    json_t *rec, time_t now)
{
	json_t		*meta = NULL, *list, *e;
	uint64_t	 seq;
	char		 at[21];
	int		 rc;

	if (json_object_set_new(rec, "state", json_string(ST_APPROVED)) == -1 ||
	    json_object_set_new(rec, "decided_at",
	    json_integer((json_int_t)now)) == -1)
		return STORE_IO;
	if ((rc = case_meta(txn, srv_record_str(rec, "case"), &seq, &meta)) !=
	    STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	core_time_iso(now, at);
	if ((list = json_object_get(meta, "identity_disclosures")) == NULL ||
	    !json_is_array(list)) {
		list = json_array();
		/* The list is the meta's once set (freed with it on failure). */
		if (list != NULL && json_object_set_new(meta,
		    "identity_disclosures", list) == -1)
			list = NULL;
	}
	e = json_pack("{s:s, s:I, s:s}", "at", at, "approvals",
	    srv_record_int(rec, "threshold"), "legal_basis", srv_record_str(rec,
	    "legal_basis"));
	if (list == NULL || e == NULL || json_array_append_new(list, e) == -1) {
		json_decref(meta);
		return STORE_IO;
	}
	rc = srv_case_put(txn, seq, meta);
	json_decref(meta);
	if (rc != STORE_OK)
		return rc;
	return audit(txn, ctx, st, now, "disclosure.grant",
	    srv_record_str(rec, "case"), srv_record_str(rec, "id"), json_pack("{s:I, s:I}", "generation",
	    srv_record_int(rec, "holders_generation"), "shares",
	    srv_record_int(rec, "threshold")));
}

/* Marks a request expired (it was pending past its time). */
static int
expire(struct store_txn *txn, struct srv_ctx *ctx, const struct srv_staff *st,
    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec, time_t now)
{
	int rc;

	if (json_object_set_new(rec, "state", json_string(ST_EXPIRED)) == -1 ||
	    json_object_set_new(rec, "decided_at",
	    json_integer(srv_record_int(rec, "expires_at"))) == -1)
		return STORE_IO;
	if ((rc = srv_disclose_save(txn, key, rec)) != STORE_OK)
		return rc;
	return audit(txn, ctx, st, now, "disclosure.expire", srv_record_str(rec,
	    "case"), srv_record_str(rec, "id"), NULL);
}

/* ---- views --------------------------------------------------------------- */

/* What anyone who may see the request sees: no cryptographic material. */
static json_t *
summary(const json_t *rec, time_t now)
{
	const json_t	*apps = json_object_get(rec, "approvals");

	return json_pack("{s:s, s:s, s:s, s:{s:I, s:s, s:I}, s:I, s:I, s:I,"
	    " s:I, s:o, s:o, s:o, s:s}",
	    "request", srv_record_str(rec, "id"), "case", srv_record_str(rec,
	    "case"), "state", state_now(rec, now),
	    "requester", "user", srv_record_int(rec, "requester"), "username",
	    srv_record_str(rec, "requester_username"), "index",
	    srv_record_int(rec, "requester_index"),
	    "generation", srv_record_int(rec, "generation"),
	    "holders_generation", srv_record_int(rec, "holders_generation"),
	    "threshold", srv_record_int(rec, "threshold"),
	    "approvals_count", (json_int_t)json_array_size(apps),
	    "created_at", iso_json(srv_record_int(rec, "created_at")),
	    "expires_at", iso_json(srv_record_int(rec, "expires_at")),
	    "decided_at", iso_json(srv_record_int(rec, "decided_at")),
	    "legal_basis", srv_record_str(rec, "legal_basis"));
}

/*
 * One request as this staff member may see it: everyone gets the facts
 * and decisions; central admins also the statement approvers need
 * (blinding, proofs, the generation's escrow file); the requester alone,
 * and only once the request is approved (it holds its K approvals), the
 * blinded partials and the sealed identity. A pending, denied, expired
 * or voided request releases no partial: approvals given to a request
 * that was then refused can never be collected.
 */
static json_t *
full_view(struct store_txn *txn, const struct srv_keys *keys,
    const json_t *rec, const struct srv_staff *st, time_t now, int *release)
{
	struct srv_generation	 g;
	const json_t		*apps = json_object_get(rec, "approvals");
	const json_t		*a, *den;
	json_t			*v = NULL, *list;
	size_t			 i;
	uint64_t		 seq;
	int			 year, central, requester;

	*release = 0;
	central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	requester = central && (json_int_t)st->user_id == srv_record_int(rec,
	    "requester") && strcmp(state_now(rec, now), ST_APPROVED) == 0;
	if ((v = summary(rec, now)) == NULL)
		return NULL;
	json_object_set_new(v, "reason", json_string(srv_record_str(rec,
	    "reason")));
	json_object_set_new(v, "approvals_needed",
	    json_integer(srv_record_int(rec, "threshold") - 1));
	if ((list = json_array()) == NULL ||
	    json_object_set_new(v, "approvals", list) == -1)
		goto fail;
	json_array_foreach(apps, i, a) {
		json_t *e = json_pack("{s:I, s:I, s:o}", "index",
		    srv_record_int(a, "index"), "user", srv_record_int(a,
		    "user"), "at",
		    iso_json(srv_record_int(a, "at")));

		if (e == NULL || json_array_append_new(list, e) == -1)
			goto fail;
		if (requester && (json_object_set(e, "partial",
		    json_object_get(a, "partial")) == -1 ||
		    json_object_set(e, "proof", json_object_get(a, "proof")) ==
		    -1 || json_object_set(e, "signature",
		    json_object_get(a, "signature")) == -1))
			goto fail;
	}
	den = json_object_get(rec, "denial");
	if (json_is_object(den))
		json_object_set_new(v, "denial", json_pack("{s:I, s:I, s:s, s:o}",
		    "user", srv_record_int(den,
		    "user"), "index", srv_record_int(den, "index"),
		    "reason", srv_record_str(den, "reason"), "at",
		    iso_json(srv_record_int(den, "at"))));
	else
		json_object_set_new(v, "denial", json_null());
	if (!central)
		return v;
	if (json_object_set(v, "nonce", json_object_get(rec, "nonce")) == -1 ||
	    json_object_set(v, "R", json_object_get(rec, "R")) == -1 ||
	    json_object_set(v, "blind_key", json_object_get(rec,
	    "blind_key")) == -1 ||
	    json_object_set(v, "blinded", json_object_get(rec, "blinded")) ==
	    -1 || json_object_set(v, "blind_proof", json_object_get(rec,
	    "blind_proof")) == -1 || json_object_set(v, "request_signature",
	    json_object_get(rec, "signature")) == -1)
		goto fail;
	if (srv_escrow_gen_load(txn, (uint32_t)srv_record_int(rec,
	    "holders_generation"), &g) != STORE_OK)
		goto fail;
	json_object_set(v, "escrow", g.file);
	srv_escrow_gen_free(&g);
	if (requester) {
		if (core_case_ref_parse(srv_record_str(rec, "case"), &year,
		    &seq) == -1 ||
		    srv_identity_release(txn, keys, seq, v) != STORE_OK)
			goto fail;
		*release = 1;
	}
	return v;
fail:
	json_decref(v);
	return NULL;
}

/* ---- GET /cases/{case}/disclosures ---------------------------------------- */

struct case_arg {
	struct srv_ctx		*ctx;
	const char		*ref;
	time_t			 now;
	json_t			*out;
};

struct scan_arg {
	const char	*ref;		/* only this case; NULL: all */
	const char	*state;		/* only this state; NULL: all */
	time_t		 now;
	json_t		*list;
};

static int
scan_each(const uint8_t key[SRV_DISCLOSURE_ID_BYTES], const json_t *rec,
    void *arg)
{
	struct scan_arg	*a = arg;
	json_t		*s;

	(void)key;
	if ((a->ref == NULL || strcmp(srv_record_str(rec, "case"),
	    a->ref) == 0) && (a->state == NULL || strcmp(state_now(rec, a->now),
	    a->state) == 0) && (s = summary(rec, a->now)) != NULL)
		json_array_append_new(a->list, s);
	return 0;
}

/* Newest first (created_at is ISO 8601, which sorts as text). */
static int
by_created_desc(const void *x, const void *y)
{
	const json_t	*a = *(const json_t *const *)x;
	const json_t	*b = *(const json_t *const *)y;
	const char	*ta = json_string_value(json_object_get(a, "created_at"));
	const char	*tb = json_string_value(json_object_get(b, "created_at"));

	return strcmp(tb != NULL ? tb : "", ta != NULL ? ta : "");
}

/*
 * A stable bottom-up merge sort. Not qsort(): glibc's asks the kernel for
 * the memory size (sysinfo) on large arrays, which the seccomp
 * allow-list of a confined server does not have.
 */
static void
merge_sort(json_t **a, json_t **tmp, size_t n)
{
	size_t	w, i, m, r, p, q, k;

	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			m = i + w < n ? i + w : n;
			r = i + 2 * w < n ? i + 2 * w : n;
			for (p = i, q = m, k = i; p < m || q < r; k++)
				tmp[k] = q >= r || (p < m &&
				    by_created_desc(&a[p], &a[q]) <= 0) ?
				    a[p++] : a[q++];
		}
		memcpy(a, tmp, n * sizeof(*a));
	}
}

static json_t *
sorted(json_t *list)
{
	json_t	**items, **tmp, *out;
	size_t	  i, n = json_array_size(list);

	if ((out = json_array()) == NULL)
		return NULL;
	if (n == 0)
		return out;
	items = calloc(n, sizeof(*items));
	tmp = calloc(n, sizeof(*tmp));
	if (items == NULL || tmp == NULL) {
		free(items);
		free(tmp);
		json_decref(out);
		return NULL;
	}
	for (i = 0; i < n; i++)
		items[i] = json_array_get(list, i);
	merge_sort(items, tmp, n);
	for (i = 0; i < n; i++)
		json_array_append(out, items[i]);
	free(items);
	free(tmp);
	return out;
}

static int
scan(struct store_txn *txn, struct scan_arg *a)
{
	int rc;

	if ((a->list = json_array()) == NULL)
		return STORE_IO;
	rc = srv_disclose_each(txn, scan_each, a);
	if (rc != STORE_OK) {
		json_decref(a->list);
		a->list = NULL;
		return rc;
	}
	return STORE_OK;
}

static int
case_read(struct store_txn *txn, void *arg)
{
	struct case_arg		*c = arg;
	struct srv_generation	 g;
	struct srv_identity	 id;
	struct scan_arg		 s;
	uint32_t		 gen, opener;
	uint64_t		 seq;
	json_t			*meta, *v;
	int			 rc;

	if ((rc = case_meta(txn, c->ref, &seq, &meta)) != STORE_OK)
		return rc;
	json_decref(meta);
	memset(&s, 0, sizeof(s));
	s.ref = c->ref;
	s.now = c->now;
	if ((rc = scan(txn, &s)) != STORE_OK)
		return rc;
	v = json_pack("{s:s, s:o}", "case", c->ref, "requests", sorted(s.list));
	json_decref(s.list);
	if (v == NULL)
		return STORE_IO;
	rc = srv_identity_get(txn, c->ctx->keys, seq, &id);
	gen = id.generation;	/* 0 unless found */
	if (rc == STORE_NOTFOUND) {
		json_object_set_new(v, "identity", json_false());
		c->out = v;
		return STORE_OK;
	}
	if (rc != STORE_OK || (rc = srv_escrow_gen_opener(txn, gen, &opener)) !=
	    STORE_OK || (rc = srv_escrow_gen_load(txn, opener, &g)) !=
	    STORE_OK) {
		json_decref(v);
		return rc;
	}
	json_object_set_new(v, "identity", json_true());
	json_object_set_new(v, "generation", json_integer(gen));
	json_object_set_new(v, "holders_generation", json_integer(opener));
	json_object_set_new(v, "threshold", json_integer(g.threshold));
	json_object_set_new(v, "request_ttl",
	    json_integer((json_int_t)c->ctx->cfg->disclosure_ttl));
	json_object_set_new(v, "R", srv_record_b64_json(id.sealed +
	    CRYPTO_IDENTITY_R_OFFSET, CRYPTO_POINT_BYTES));
	json_object_set(v, "escrow", g.file);
	srv_escrow_gen_free(&g);
	c->out = v;
	return STORE_OK;
}

/* Signs in a central admin (403 for every other role). */
static int
central_begin(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *st, struct srv_reply *rp)
{
	if (srv_auth_staff(ctx, rq, st, rp) == -1)
		return -1;
	if (st->role != CORE_ROLE_CENTRAL_ADMIN) {
		crypto_wipe(st->session, sizeof(st->session));
		forbidden(rp);
		return -1;
	}
	return 0;
}

void
api_disclose_case_list(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct case_arg		c;
	int			rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	crypto_wipe(st.session, sizeof(st.session));
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.ref = rq->param[0];
	c.now = rq->now;
	rc = store_read(ctx->store, case_read, &c);
	if (rc == STORE_NOTFOUND) {
		srv_http_not_found(rp);
		return;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, c.out);
}

/* ---- POST /cases/{case}/disclosures --------------------------------------- */

enum outcome {
	OUT_OK,
	OUT_NOT_FOUND,		/* 404 */
	OUT_NO_KEY,		/* 403 */
	OUT_NOT_HOLDER,		/* 403 */
	OUT_OWN,		/* 403: approving one's own request */
	OUT_NO_IDENTITY,	/* 409 */
	OUT_STALE,		/* 409: another generation opens it now */
	OUT_OPEN_ALREADY,	/* 409: a pending request of the same admin */
	OUT_NOT_PENDING,	/* 409 */
	OUT_EXPIRED,		/* 409, after recording the expiry */
	OUT_DUPLICATE,		/* 409: this holder approved already */
	OUT_BAD_PROOF,		/* 422, after the audit entry */
	OUT_BAD_SIGNATURE,	/* 422, after the audit entry */
	OUT_REUSED,		/* 409: request id or nonce seen before */
	OUT_BAD_TIME,		/* 422: creation or expiry not acceptable */
	OUT_VOIDED,		/* 409: a resharing retired its holders */
	OUT_MAX
};

static const struct field request_fields[] = {
	{ "request", F_TEXT, 1, 2 * SRV_DISCLOSURE_ID_BYTES },
	{ "created_at", F_TEXT, 1, 20 },
	{ "expires_at", F_TEXT, 1, 20 },
	{ "reason", F_TEXT, 1, SRV_DISCLOSURE_REASON_MAX },
	{ "legal_basis", F_TEXT, 1, SRV_DISCLOSURE_BASIS_MAX },
	{ "generation", F_INT, 1, UINT32_MAX },
	{ "requester_index", F_INT, 1, CRYPTO_ESCROW_MAX_HOLDERS },
	{ "nonce", F_B64, CRYPTO_DISCLOSURE_NONCE_BYTES, 0 },
	{ "blind_key", F_B64, CRYPTO_POINT_BYTES, 0 },
	{ "blinded", F_B64, CRYPTO_POINT_BYTES, 0 },
	{ "blind_proof", F_B64, CRYPTO_DLEQ_BYTES, 0 },
	{ "signature", F_B64, CRYPTO_SIG_BYTES, 0 },
};

struct request_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref;
	const json_t		*body;
	time_t			 now;
	uint8_t			 key[SRV_DISCLOSURE_ID_BYTES];
	time_t			 created, expires;	/* as signed */
	/* out */
	enum outcome		 out;
	char			 id[ID_TEXT];
	const char		*state;
};

struct open_arg {
	const char	*ref;
	json_int_t	 user;
	time_t		 now;
	int		 found;
};

/* Finds a pending request of this admin for this case. */
static int
open_each(const uint8_t key[SRV_DISCLOSURE_ID_BYTES], const json_t *rec,
    void *arg)
{
	struct open_arg	*a = arg;

	(void)key;
	if (strcmp(srv_record_str(rec, "case"), a->ref) == 0 &&
	    strcmp(state_now(rec, a->now), ST_PENDING) == 0 &&
	    srv_record_int(rec, "requester") == a->user)
		a->found = 1;
	return a->found ? STORE_STOP : 0;
}

static int
request_job(struct store_txn *txn, void *arg)
{
	struct request_job	*j = arg;
	struct srv_generation	 g = { 0 };
	struct crypto_disclosure d;
	struct open_arg		 s;
	struct srv_identity	 id;
	const json_t		*b = j->body;
	const void		*nv;
	uint8_t			 sign_pk[32], box_pk[32];
	uint8_t			 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	uint8_t			 nonce[CRYPTO_DISCLOSURE_NONCE_BYTES];
	char			 r64[64];
	char			 nkey[sizeof(NONCE_PREFIX) + 2 *
				     CRYPTO_DISCLOSURE_NONCE_BYTES];
	uint32_t		 gen, opener;
	uint64_t		 seq;
	size_t			 nvlen, i;
	unsigned		 idx;
	json_t			*meta, *rec = NULL;
	int			 rc = STORE_IO;

	memset(&g, 0, sizeof(g));
	j->out = OUT_OK;
	if ((rc = case_meta(txn, j->ref, &seq, &meta)) != STORE_OK) {
		j->out = OUT_NOT_FOUND;
		return rc == STORE_NOTFOUND ? STORE_CONFLICT : rc;
	}
	json_decref(meta);
	if (staff_key(txn, j->st->user_id, sign_pk, box_pk) == -1) {
		j->out = OUT_NO_KEY;
		return STORE_CONFLICT;
	}
	rc = srv_identity_get(txn, j->ctx->keys, seq, &id);
	gen = id.generation;	/* 0 unless found */
	if (rc == STORE_NOTFOUND) {
		j->out = OUT_NO_IDENTITY;
		return STORE_CONFLICT;
	}
	if (rc != STORE_OK || (rc = srv_escrow_gen_opener(txn, gen, &opener)) !=
	    STORE_OK || (rc = srv_escrow_gen_load(txn, opener, &g)) !=
	    STORE_OK)
		return rc;
	if (json_integer_value(json_object_get(b, "generation")) !=
	    (json_int_t)opener) {
		j->out = OUT_STALE;
		rc = STORE_CONFLICT;
		goto out;
	}
	idx = (unsigned)json_integer_value(json_object_get(b,
	    "requester_index"));
	if (!is_holder(&g, idx, sign_pk, box_pk)) {
		j->out = OUT_NOT_HOLDER;
		rc = STORE_CONFLICT;
		goto out;
	}
	/* A replay: the id, or the nonce, of a request seen before. */
	id_text(j->key, j->id);
	b64_get(b, "nonce", nonce, sizeof(nonce));
	memcpy(nkey, NONCE_PREFIX, strlen(NONCE_PREFIX));
	for (i = 0; i < sizeof(nonce); i++)
		snprintf(nkey + strlen(NONCE_PREFIX) + 2 * i, 3, "%02x",
		    nonce[i]);
	if ((rc = srv_disclose_load(txn, j->key, &rec)) != STORE_NOTFOUND ||
	    (rc = store_get(txn, STORE_T_META, nkey, strlen(nkey), &nv,
	    &nvlen)) != STORE_NOTFOUND) {
		json_decref(rec);
		rec = NULL;
		if (rc != STORE_OK)
			goto out;
		j->out = OUT_REUSED;
		rc = STORE_CONFLICT;
		goto out;
	}
	memset(&d, 0, sizeof(d));
	d.case_ref = j->ref;
	d.request = j->id;
	d.account = j->st->username;
	d.reason = json_string_value(json_object_get(b, "reason"));
	d.legal_basis = json_string_value(json_object_get(b, "legal_basis"));
	d.created_at = json_string_value(json_object_get(b, "created_at"));
	d.expires_at = json_string_value(json_object_get(b, "expires_at"));
	d.generation = opener;
	d.requester = idx;
	memcpy(d.config, g.config, sizeof(d.config));
	memcpy(d.R, id.sealed + CRYPTO_IDENTITY_R_OFFSET, CRYPTO_POINT_BYTES);
	memcpy(d.nonce, nonce, sizeof(d.nonce));
	b64_get(b, "blind_key", d.P, sizeof(d.P));
	b64_get(b, "blinded", d.Rb, sizeof(d.Rb));
	b64_get(b, "blind_proof", proof, sizeof(proof));
	b64_get(b, "signature", sig, sizeof(sig));
	if (crypto_disclosure_blind_verify(&d, proof) == -1)
		j->out = OUT_BAD_PROOF;
	else {
		/* The digest holds the configuration hash of the generation
		 * installed here: a requester whose pinned file differs
		 * signed another one, and is refused. */
		crypto_disclosure_request_digest(&d, proof, digest);
		if (crypto_sign_check(sign_pk, digest, sizeof(digest), sig) ==
		    -1)
			j->out = OUT_BAD_SIGNATURE;
	}
	if (j->out != OUT_OK) {
		rc = audit(txn, j->ctx, j->st, j->now, "disclosure.refuse",
		    j->ref, NULL, json_pack("{s:s, s:I, s:I}", "why",
		    j->out == OUT_BAD_PROOF ? "blind_proof" : "signature",
		    "index", (json_int_t)idx, "generation", (json_int_t)opener));
		goto out;
	}
	/* One open request per admin and case: a second would only let
	 * approvers be asked twice for the same thing. */
	memset(&s, 0, sizeof(s));
	s.ref = j->ref;
	s.now = j->now;
	s.user = (json_int_t)j->st->user_id;
	rc = srv_disclose_each(txn, open_each, &s);
	if (rc != STORE_OK)
		goto out;
	if (s.found) {
		j->out = OUT_OPEN_ALREADY;
		rc = STORE_CONFLICT;
		goto out;
	}
	crypto_b64_encode(d.R, sizeof(d.R), r64);
	rec = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:O,"
	    " s:O, s:s, s:I, s:I, s:I, s:O, s:s, s:O, s:O, s:O, s:O, s:[],"
	    " s:n}",
	    "id", j->id, "case", j->ref, "seq", (json_int_t)seq,
	    "generation", (json_int_t)gen, "holders_generation",
	    (json_int_t)opener, "threshold", (json_int_t)g.threshold,
	    "requester", (json_int_t)j->st->user_id, "requester_username",
	    j->st->username, "requester_index",
	    (json_int_t)idx, "reason", json_object_get(b, "reason"),
	    "legal_basis", json_object_get(b, "legal_basis"),
	    "state", ST_PENDING, "created_at", (json_int_t)j->created,
	    "expires_at", (json_int_t)j->expires, "decided_at", (json_int_t)0,
	    "nonce", json_object_get(b, "nonce"), "R", r64,
	    "blind_key", json_object_get(b, "blind_key"),
	    "blinded", json_object_get(b, "blinded"),
	    "blind_proof", json_object_get(b, "blind_proof"),
	    "signature", json_object_get(b, "signature"),
	    "approvals", "denial");
	if (rec == NULL) {
		rc = STORE_IO;
		goto out;
	}
	if ((rc = audit(txn, j->ctx, j->st, j->now, "disclosure.request", j->ref,
	    j->id, json_pack("{s:I, s:I, s:I, s:I}", "generation",
	    (json_int_t)gen, "holders_generation", (json_int_t)opener,
	    "threshold", (json_int_t)g.threshold, "index", (json_int_t)idx))) !=
	    STORE_OK)
		goto out;
	/* 1-of-1: the requester's own share is all it takes. */
	if (g.threshold == 1 && (rc = grant(txn, j->ctx, j->st, rec,
	    j->now)) != STORE_OK)
		goto out;
	j->state = g.threshold == 1 ? ST_APPROVED : ST_PENDING;
	if ((rc = store_put(txn, STORE_T_META, nkey, strlen(nkey), "", 0,
	    STORE_NOOVERWRITE)) != STORE_OK)
		goto out;
	rc = srv_record_put(txn, STORE_T_DISCLOSURES, j->key,
	    SRV_DISCLOSURE_ID_BYTES, rec, STORE_NOOVERWRITE);
out:
	json_decref(rec);
	srv_escrow_gen_free(&g);
	return rc;
}

/* The answer of a refused job. */
static void
refusal(struct srv_reply *rp, enum outcome out, const char *state)
{
	char	msg[96];

	switch (out) {
	case OUT_NOT_FOUND:
		srv_http_not_found(rp);
		break;
	case OUT_NO_KEY:
		no_key(rp);
		break;
	case OUT_NOT_HOLDER:
		not_holder(rp);
		break;
	case OUT_OWN:
		srv_http_error(rp, 403, "own_request",
		    "You cannot approve your own "
		    "request; your share already counts.");
		break;
	case OUT_NO_IDENTITY:
		srv_http_error(rp, 409, "no_identity",
		    "This case has no identity "
		    "on file.");
		break;
	case OUT_STALE:
		srv_http_error(rp, 409, "stale_generation", "Another escrow "
		    "generation opens this identity now; fetch the case's "
		    "disclosure data again.");
		break;
	case OUT_OPEN_ALREADY:
		srv_http_error(rp, 409, "request_open",
		    "You have a pending request "
		    "for this case already.");
		break;
	case OUT_NOT_PENDING:
		snprintf(msg, sizeof(msg), "The request is %s, no longer "
		    "pending.", state != NULL ? state : "closed");
		srv_http_error(rp, 409, "not_pending", msg);
		break;
	case OUT_EXPIRED:
		srv_http_error(rp, 409, "expired", "The request has expired.");
		break;
	case OUT_REUSED:
		srv_http_error(rp, 409, "replayed", "A request with this id or "
		    "nonce was made before; a request is made once.");
		break;
	case OUT_VOIDED:
		srv_http_error(rp, 409, "voided", "The request was voided: its "
		    "escrow holders were replaced by a resharing.");
		break;
	case OUT_DUPLICATE:
		srv_http_error(rp, 409, "already_approved", "This share has "
		    "approved the request already.");
		break;
	case OUT_BAD_PROOF:
		srv_http_invalid(rp, "proof", "invalid", "The proof does not "
		    "verify; the refusal is recorded.");
		break;
	case OUT_BAD_SIGNATURE:
		srv_http_invalid(rp, "signature", "invalid", "The signature "
		    "does not verify; the refusal is recorded.");
		break;
	default:
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		break;
	}
}

/* "YYYY-MM-DDTHH:MM:SSZ", exactly as core_time_iso writes it, so that the
 * text shown later is the text that was signed. */
static int
signed_time(const json_t *body, const char *key, time_t *out)
{
	const char	*text = json_string_value(json_object_get(body, key));
	char		 again[21];

	if (text == NULL || core_time_iso_parse(text, out) == -1)
		return -1;
	core_time_iso(*out, again);
	return strcmp(again, text) == 0 ? 0 : -1;
}

/*
 * The request's id and signed times: an id of 16 hex digits, a creation
 * time within SRV_DISCLOSURE_CLOCK_SKEW of our clock, an expiry after it
 * and no further than the configured time to live (422), and not already
 * past (409 "expired": a request brought in after its time).
 */
static int
request_times(struct srv_ctx *ctx, const json_t *body, struct request_job *j,
    struct srv_reply *rp)
{
	if (id_parse(json_string_value(json_object_get(body, "request")),
	    j->key) == -1) {
		srv_http_invalid(rp, "request", "invalid", "The request id "
		    "must be 16 lower-case hexadecimal digits.");
		return -1;
	}
	if (signed_time(body, "created_at", &j->created) == -1 ||
	    j->created > j->now + SRV_DISCLOSURE_CLOCK_SKEW ||
	    j->created < j->now - SRV_DISCLOSURE_CLOCK_SKEW) {
		srv_http_invalid(rp, "created_at", "invalid", "The request's "
		    "creation time must be the present, as "
		    "YYYY-MM-DDTHH:MM:SSZ.");
		return -1;
	}
	if (signed_time(body, "expires_at", &j->expires) == -1 ||
	    j->expires <= j->created || j->expires - j->created >
	    (time_t)ctx->cfg->disclosure_ttl) {
		srv_http_invalid(rp, "expires_at", "invalid", "The request's "
		    "expiry must follow its creation by at most the configured "
		    "time to live.");
		return -1;
	}
	if (j->expires <= j->now) {
		refusal(rp, OUT_EXPIRED, NULL);
		return -1;
	}
	return 0;
}

void
api_disclose_request(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st = { 0 };
	struct request_job	 j;
	json_t			*body = NULL;
	int			 rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	if (body_parse(rq, request_fields, sizeof(request_fields) /
	    sizeof(request_fields[0]), &body, rp) == -1)
		goto out;
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.st = &st;
	j.ref = rq->param[0];
	j.body = body;
	j.now = rq->now;
	if (request_times(ctx, body, &j, rp) == -1)
		goto out;
	rc = store_write(ctx->store, request_job, &j);
	if (rc == STORE_CONFLICT || (rc == STORE_OK && j.out != OUT_OK)) {
		if (j.out == OUT_BAD_PROOF || j.out == OUT_BAD_SIGNATURE)
			srv_log(LOG_WARN, "disclosure_refused", "step=request "
			    "why=%s", j.out == OUT_BAD_PROOF ? "blind_proof" :
			    "signature");
		if (j.out == OUT_BAD_PROOF) {
			srv_http_invalid(rp, "blind_proof", "invalid", "The "
			    "blinding proof does not verify; the refusal is "
			    "recorded.");
			goto out;
		}
		refusal(rp, j.out, NULL);
		goto out;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	srv_log(LOG_INFO, "disclosure_requested", "user=%llu",
	    (unsigned long long)st.user_id);
	srv_http_ok(rp, 201, json_pack("{s:s, s:s, s:o}", "request", j.id,
	    "state", j.state, "expires_at", iso_json((json_int_t)j.expires)));
out:
	json_decref(body);
	crypto_wipe(st.session, sizeof(st.session));
}

/* ---- GET /disclosures and /disclosures/{request} ---------------------------- */

/* Central admins and auditors. */
static int
reader_begin(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_staff *st, struct srv_reply *rp)
{
	if (srv_auth_staff(ctx, rq, st, rp) == -1)
		return -1;
	crypto_wipe(st->session, sizeof(st->session));
	if (st->role != CORE_ROLE_CENTRAL_ADMIN &&
	    st->role != CORE_ROLE_AUDITOR) {
		forbidden(rp);
		return -1;
	}
	return 0;
}

static int
list_read(struct store_txn *txn, void *arg)
{
	return scan(txn, arg);
}

void
api_disclose_list(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st;
	struct scan_arg		 s;
	const char		*state = srv_http_query(rq, "state");
	json_t			*list;
	int			 rc;

	if (reader_begin(ctx, rq, &st, rp) == -1)
		return;
	if (state != NULL && strcmp(state, ST_PENDING) != 0 &&
	    strcmp(state, ST_APPROVED) != 0 && strcmp(state, ST_DENIED) != 0 &&
	    strcmp(state, ST_EXPIRED) != 0 && strcmp(state, ST_VOIDED) != 0) {
		srv_http_invalid(rp, "state", "unknown", "state must be "
		    "pending, approved, denied, expired or voided.");
		return;
	}
	memset(&s, 0, sizeof(s));
	s.state = state;
	s.now = rq->now;
	if ((rc = store_read(ctx->store, list_read, &s)) != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	list = sorted(s.list);
	json_decref(s.list);
	if (list == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	srv_http_ok(rp, 200, json_pack("{s:o}", "disclosures", list));
}

struct get_arg {
	const struct srv_keys	*keys;
	const struct srv_staff	*st;
	const uint8_t		*key;
	time_t			 now;
	json_t			*view;
	int			 release;
	char			 ref[CORE_CASE_REF_MAX];
};

static int
get_read(struct store_txn *txn, void *arg)
{
	struct get_arg	*g = arg;
	json_t		*rec;
	int		 rc;

	if ((rc = srv_disclose_load(txn, g->key, &rec)) != STORE_OK)
		return rc;
	snprintf(g->ref, sizeof(g->ref), "%s", srv_record_str(rec, "case"));
	g->view = full_view(txn, g->keys, rec, g->st, g->now, &g->release);
	json_decref(rec);
	return g->view != NULL ? STORE_OK : STORE_IO;
}

struct release_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref, *id;
	time_t			 now;
};

/* Handing the sealed identity to the requester is a disclosure step. */
static int
release_job(struct store_txn *txn, void *arg)
{
	struct release_job *j = arg;

	return audit(txn, j->ctx, j->st, j->now, "disclosure.release", j->ref,
	    j->id, NULL);
}

void
api_disclose_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	struct get_arg		g;
	struct release_job	r;
	uint8_t			key[SRV_DISCLOSURE_ID_BYTES];
	int			rc;

	if (reader_begin(ctx, rq, &st, rp) == -1)
		return;
	if (id_parse(rq->param[0], key) == -1) {
		srv_http_not_found(rp);
		return;
	}
	memset(&g, 0, sizeof(g));
	g.keys = ctx->keys;
	g.st = &st;
	g.key = key;
	g.now = rq->now;
	rc = store_read(ctx->store, get_read, &g);
	if (rc == STORE_NOTFOUND) {
		srv_http_not_found(rp);
		return;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	if (g.release) {
		r.ctx = ctx;
		r.st = &st;
		r.ref = g.ref;
		r.id = rq->param[0];
		r.now = rq->now;
		/* No audit entry, no sealed identity. */
		if ((rc = store_write(ctx->store, release_job, &r)) !=
		    STORE_OK) {
			json_decref(g.view);
			srv_http_error_store(rp, rc);
			return;
		}
	}
	srv_http_ok(rp, 200, g.view);
}

/* ---- POST /disclosures/{request}/approve ------------------------------------ */

static const struct field approve_fields[] = {
	{ "index", F_INT, 1, CRYPTO_ESCROW_MAX_HOLDERS },
	{ "partial", F_B64, CRYPTO_POINT_BYTES, 0 },
	{ "proof", F_B64, CRYPTO_DLEQ_BYTES, 0 },
	{ "signature", F_B64, CRYPTO_SIG_BYTES, 0 },
};

struct act_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const uint8_t		*key;
	const json_t		*body;
	time_t			 now;
	int			 deny;
	/* out */
	enum outcome		 out;
	char			 state[16];
	json_int_t		 approvals, needed;
};

/* Loads the request, the caller's key and the generation, and settles
 * what every action needs: the request exists and is pending. */
static int
act_begin(struct store_txn *txn, struct act_job *j, json_t **recp,
    struct srv_generation *g, uint8_t sign_pk[32], uint8_t box_pk[32])
{
	json_t		*rec;
	uint32_t	 opener;
	int		 rc;

	*recp = NULL;
	if ((rc = srv_disclose_load(txn, j->key, &rec)) == STORE_NOTFOUND) {
		j->out = OUT_NOT_FOUND;
		return STORE_CONFLICT;
	}
	if (rc != STORE_OK)
		return rc;
	*recp = rec;
	snprintf(j->state, sizeof(j->state), "%s", state_now(rec, j->now));
	if (staff_key(txn, j->st->user_id, sign_pk, box_pk) == -1) {
		j->out = OUT_NO_KEY;
		return STORE_CONFLICT;
	}
	/* A pending request whose identities another generation's holders
	 * open now was voided by the resharing (void_stale); one the install
	 * missed is voided here, and its retired holders cannot act on it. */
	if (strcmp(j->state, ST_PENDING) == 0) {
		if ((rc = srv_escrow_gen_opener(txn,
		    (uint32_t)srv_record_int(rec,
		    "generation"), &opener)) != STORE_OK)
			return rc;
		if (opener != (uint32_t)srv_record_int(rec,
		    "holders_generation")) {
			j->out = OUT_VOIDED;
			return srv_disclose_void(txn, j->ctx, j->key, rec, j->now);
		}
	}
	if ((rc = srv_escrow_gen_load(txn, (uint32_t)srv_record_int(rec,
	    "holders_generation"), g)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	if (holder_of(g, sign_pk, box_pk) == 0) {
		j->out = OUT_NOT_HOLDER;
		return STORE_CONFLICT;
	}
	if (strcmp(j->state, ST_EXPIRED) == 0 &&
	    strcmp(srv_record_str(rec, "state"), ST_PENDING) == 0) {
		j->out = OUT_EXPIRED;
		return expire(txn, j->ctx, j->st, j->key, rec, j->now);
	}
	if (strcmp(j->state, ST_PENDING) != 0) {
		j->out = OUT_NOT_PENDING;
		return STORE_CONFLICT;
	}
	return STORE_OK;
}

static int
approve_job(struct store_txn *txn, void *arg)
{
	struct act_job		*j = arg;
	struct srv_generation	 g = { 0 };
	struct crypto_disclosure d;
	const json_t		*b = j->body, *a;
	json_t			*rec = NULL, *apps, *e;
	uint8_t			 sign_pk[32], box_pk[32], D[CRYPTO_POINT_BYTES];
	uint8_t			 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	uint8_t			 rdigest[CRYPTO_HASH_BYTES];
	uint8_t			 bproof[CRYPTO_DLEQ_BYTES];
	char			 created[21], expires[21];
	unsigned		 idx;
	size_t			 i;
	int			 rc = STORE_IO;

	memset(&g, 0, sizeof(g));
	j->out = OUT_OK;
	if ((rc = act_begin(txn, j, &rec, &g, sign_pk, box_pk)) != STORE_OK ||
	    j->out != OUT_OK)
		goto out;
	if ((json_int_t)j->st->user_id == srv_record_int(rec, "requester")) {
		j->out = OUT_OWN;
		rc = STORE_CONFLICT;
		goto out;
	}
	idx = (unsigned)json_integer_value(json_object_get(b, "index"));
	if (!is_holder(&g, idx, sign_pk, box_pk)) {
		j->out = OUT_NOT_HOLDER;
		rc = STORE_CONFLICT;
		goto out;
	}
	if (idx == (unsigned)srv_record_int(rec, "requester_index")) {
		j->out = OUT_OWN;
		rc = STORE_CONFLICT;
		goto out;
	}
	apps = json_object_get(rec, "approvals");
	json_array_foreach(apps, i, a)
		if ((unsigned)srv_record_int(a, "index") == idx) {
			j->out = OUT_DUPLICATE;
			rc = STORE_CONFLICT;
			goto out;
		}
	if (rec_statement(rec, &g, &d, created, expires) == -1 ||
	    rec_b64(rec, "blind_proof", bproof, sizeof(bproof)) == -1) {
		rc = STORE_CORRUPT;
		goto out;
	}
	crypto_disclosure_request_digest(&d, bproof, rdigest);
	b64_get(b, "partial", D, sizeof(D));
	b64_get(b, "proof", proof, sizeof(proof));
	b64_get(b, "signature", sig, sizeof(sig));
	/* The proof binds case, request, generation and index: a partial
	 * for another R, another request or made with another share fails. */
	if (crypto_disclosure_partial_verify(g.holder[idx - 1].commitment, &d,
	    idx, D, proof) == -1)
		j->out = OUT_BAD_PROOF;
	else {
		/* The approver signed the whole request as stored here:
		 * reason, legal basis, requester, times, configuration. */
		crypto_disclosure_approval_digest(rdigest, &d, idx, D, proof,
		    digest);
		if (crypto_sign_check(sign_pk, digest, sizeof(digest), sig) ==
		    -1)
			j->out = OUT_BAD_SIGNATURE;
	}
	if (j->out != OUT_OK) {
		rc = audit(txn, j->ctx, j->st, j->now, "disclosure.refuse",
		    srv_record_str(rec, "case"), srv_record_str(rec,
		    "id"), json_pack(
		    "{s:s, s:I}", "why", j->out == OUT_BAD_PROOF ? "proof" :
		    "signature", "index", (json_int_t)idx));
		goto out;
	}
	e = json_pack("{s:I, s:I, s:I, s:O, s:O, s:O}", "index",
	    (json_int_t)idx, "user", (json_int_t)j->st->user_id, "at",
	    (json_int_t)j->now, "partial", json_object_get(b, "partial"),
	    "proof", json_object_get(b, "proof"), "signature",
	    json_object_get(b, "signature"));
	if (e == NULL || json_array_append_new(apps, e) == -1) {
		rc = STORE_IO;
		goto out;
	}
	j->approvals = (json_int_t)json_array_size(apps);
	j->needed = srv_record_int(rec, "threshold") - 1;
	if ((rc = audit(txn, j->ctx, j->st, j->now, "disclosure.approve",
	    srv_record_str(rec, "case"), srv_record_str(rec, "id"),
	    json_pack("{s:I, s:I, s:I}", "index", (json_int_t)idx, "approvals", j->approvals,
	    "needed", j->needed))) != STORE_OK)
		goto out;
	if (j->approvals >= j->needed && (rc = grant(txn, j->ctx, j->st, rec,
	    j->now)) != STORE_OK)
		goto out;
	snprintf(j->state, sizeof(j->state), "%s", srv_record_str(rec,
	    "state"));
	rc = srv_disclose_save(txn, j->key, rec);
out:
	json_decref(rec);
	srv_escrow_gen_free(&g);
	return rc;
}

static const struct field deny_fields[] = {
	{ "reason", F_TEXT, 1, SRV_DISCLOSURE_REASON_MAX },
};

static int
deny_job(struct store_txn *txn, void *arg)
{
	struct act_job		*j = arg;
	struct srv_generation	 g = { 0 };
	json_t			*rec = NULL, *den;
	uint8_t			 sign_pk[32], box_pk[32];
	int			 rc = STORE_IO;

	memset(&g, 0, sizeof(g));
	j->out = OUT_OK;
	if ((rc = act_begin(txn, j, &rec, &g, sign_pk, box_pk)) != STORE_OK ||
	    j->out != OUT_OK)
		goto out;
	den = json_pack("{s:I, s:I, s:O, s:I}", "user",
	    (json_int_t)j->st->user_id, "index",
	    (json_int_t)holder_of(&g, sign_pk, box_pk), "reason",
	    json_object_get(j->body, "reason"), "at", (json_int_t)j->now);
	if (den == NULL) {
		rc = STORE_IO;
		goto out;
	}
	if (json_object_set_new(rec, "denial", den) == -1 ||
	    json_object_set_new(rec, "state", json_string(ST_DENIED)) == -1 ||
	    json_object_set_new(rec, "decided_at",
	    json_integer((json_int_t)j->now)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	snprintf(j->state, sizeof(j->state), ST_DENIED);
	if ((rc = srv_disclose_save(txn, j->key, rec)) != STORE_OK)
		goto out;
	rc = audit(txn, j->ctx, j->st, j->now, "disclosure.deny",
	    srv_record_str(rec,
	    "case"), srv_record_str(rec, "id"), json_pack("{s:I}", "index",
	    (json_int_t)holder_of(&g, sign_pk, box_pk)));
out:
	json_decref(rec);
	srv_escrow_gen_free(&g);
	return rc;
}

static void
act(struct srv_ctx *ctx, const struct srv_request *rq, struct srv_reply *rp,
    int deny)
{
	struct srv_staff	 st = { 0 };
	struct act_job		 j;
	uint8_t			 key[SRV_DISCLOSURE_ID_BYTES];
	json_t			*body = NULL;
	int			 rc;

	if (central_begin(ctx, rq, &st, rp) == -1)
		return;
	if (id_parse(rq->param[0], key) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	if (body_parse(rq, deny ? deny_fields : approve_fields, deny ?
	    sizeof(deny_fields) / sizeof(deny_fields[0]) :
	    sizeof(approve_fields) / sizeof(approve_fields[0]), &body, rp) ==
	    -1)
		goto out;
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.st = &st;
	j.key = key;
	j.body = body;
	j.now = rq->now;
	j.deny = deny;
	rc = store_write(ctx->store, deny ? deny_job : approve_job, &j);
	if (rc == STORE_CONFLICT || (rc == STORE_OK && j.out != OUT_OK)) {
		if (j.out == OUT_BAD_PROOF || j.out == OUT_BAD_SIGNATURE)
			srv_log(LOG_WARN, "disclosure_refused", "step=approve "
			    "user=%llu why=%s", (unsigned long long)st.user_id,
			    j.out == OUT_BAD_PROOF ? "proof" : "signature");
		refusal(rp, j.out, j.state);
		goto out;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	srv_log(LOG_INFO, deny ? "disclosure_denied" : "disclosure_approved",
	    "user=%llu state=%s", (unsigned long long)st.user_id, j.state);
	if (deny)
		srv_http_ok(rp, 200, json_pack("{s:s, s:s}", "request",
		    rq->param[0], "state", j.state));
	else
		srv_http_ok(rp, 200, json_pack("{s:s, s:s, s:I, s:I}",
		    "request",
		    rq->param[0], "state", j.state, "approvals", j.approvals,
		    "approvals_needed", j.needed));
out:
	json_decref(body);
	crypto_wipe(st.session, sizeof(st.session));
}

void
api_disclose_approve(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	act(ctx, rq, rp, 0);
}

void
api_disclose_deny(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	act(ctx, rq, rp, 1);
}
