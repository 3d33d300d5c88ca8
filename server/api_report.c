/*
 * api_report.c: POST /api/v1/reports, the reporter's submission, and
 * api_report_case_submit(), the one way a case comes into being: the reporter's
 * web/API submission and the staff intake of POST /api/v1/cases
 * (api_cases.c) both go through it, so sealing, redaction, numbering and
 * indexing cannot drift apart between the two channels.
 *
 * Order of work, chosen so that the expensive and the secret parts happen
 * outside the single writer:
 *   1. parse and validate (core/), check the proof of work;
 *   2. compute the content hash, the case binding of the identity;
 *   3. seal the identity to the escrow key, bound to that hash, at once and
 *      wipe the plaintext (or check the layout of an identity the client
 *      sealed itself, which must be version 2: bound to its report);
 *   4. make the per-case key and the token, compute the redacted copy;
 *   5. one durable write job: consume the challenge, check the agency and
 *      category, refuse an R filed before (409), number the case, seal
 *      its text, store case, token hash, identity (under the case's key),
 *      first timeline entry and index entry together, and note the audit
 *      head;
 *   6. only after the commit is on disk, sign the receipt (content hash,
 *      sealed identity's hash, audit head) and answer 201.
 *
 * The content hash is not kept in the plain record: a copy of the store
 * must not confirm a guessed complaint text. It stays inside the sealed
 * content (as "filed", with the values it covers, for the disclosure's
 * binding check) and in the reporter's receipt.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

/* The bytes of a submission's content besides its text: the keys, the
 * redaction version, the kind, agency, category (ids of at most
 * CORE_ID_MAX), the visibility and the date. */
#define SUBMIT_CONTENT_FIXED	1024
/* The longest escape of one byte of text in JSON: "\u001F". */
#define SUBMIT_ESCAPE_MAX	6

enum submit_fail {
	SUBMIT_OK,
	SUBMIT_POW_REUSED,
	SUBMIT_NO_AGENCY,
	SUBMIT_NO_CATEGORY,
	SUBMIT_NO_ESCROW,
	SUBMIT_R_REUSED,
	SUBMIT_FAIL_MAX
};

struct submit_job {
	/* inputs, never freed by the job (it may run more than once) */
	struct srv_ctx			*ctx;
	const struct core_report	*r;
	enum core_channel		 channel;
	const char			*actor;		/* role name */
	uint64_t			 user;		/* staff id, 0 */
	const struct srv_staff		*staff;		/* intake: audited */
	time_t				 now, due;
	const uint8_t			*dek;
	const char			*content;	/* JSON text to seal */
	size_t				 content_len;
	const uint8_t			*token_hash;
	const uint8_t			*pow_id;	/* NULL: no challenge */
	uint64_t			 pow_expires;
	const uint8_t			*identity;	/* sealed, or NULL */
	size_t				 identity_len;
	int				 year;
	/* duplicates (dedup.c): the keyed hashes of the text's LSH bands,
	 * or NULL when it has nothing to compare; how many cases shared a
	 * bucket with it before (the hint) */
	const uint8_t			(*bands)[SRV_DEDUP_BAND_BYTES];
	size_t				 dup_hint;
	/* outputs */
	uint64_t			 seq;
	char				 ref[CORE_CASE_REF_MAX];
	uint64_t			 audit_seq;
	uint8_t				 audit_head[CRYPTO_HASH_BYTES];
	enum submit_fail		 fail;
};

static int
submit_job(struct store_txn *txn, void *arg)
{
	struct submit_job	*j = arg;
	const struct core_report *r = j->r;
	struct srv_case		 c = { 0 };
	struct srv_escrow	 esc;
	struct srv_qpos		 qpos;
	uint8_t			 wrapped[CRYPTO_KEY_BYTES +
				    CRYPTO_SEAL_OVERHEAD], tok[9], pw[9];
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	char			 ad[64], wb64[128];
	json_t			*meta = NULL, *extra = NULL;
	int			 rc = STORE_IO;

	j->fail = SUBMIT_OK;
	if (j->pow_id != NULL) {
		pw[0] = SRV_RECORD_V1;
		store_be64_put(pw + 1, j->pow_expires);
		rc = store_put(txn, STORE_T_POW_SEEN, j->pow_id,
		    CRYPTO_CHALLENGE_ID_BYTES, pw, sizeof(pw), STORE_NOOVERWRITE);
		if (rc == STORE_EXISTS) {
			j->fail = SUBMIT_POW_REUSED;
			return STORE_CONFLICT;
		}
		if (rc != STORE_OK)
			return rc;
	}
	if (r->agency != NULL && !srv_directory_agency_exists(txn, r->agency)) {
		j->fail = SUBMIT_NO_AGENCY;
		return STORE_CONFLICT;
	}
	if (r->category != NULL && !srv_directory_category_exists(txn,
		r->category)) {
		j->fail = SUBMIT_NO_CATEGORY;
		return STORE_CONFLICT;
	}
	if (j->identity != NULL && srv_escrow_gen_current(txn, &esc) == -1) {
		j->fail = SUBMIT_NO_ESCROW;
		return STORE_CONFLICT;
	}
	/* An R filed before: the same sealed identity again (a copy from
	 * a backup or a recorded request), never a fresh seal. */
	if (j->identity != NULL) {
		rc = srv_identity_r_claim(txn, j->ctx->keys,
		    j->identity + CRYPTO_IDENTITY_R_OFFSET);
		if (rc == STORE_EXISTS) {
			j->fail = SUBMIT_R_REUSED;
			return STORE_CONFLICT;
		}
		if (rc != STORE_OK)
			return rc;
	}
	/* The head the receipt names: the chain as it stands at filing. */
	rc = srv_audit_head(txn, &j->audit_seq, j->audit_head, sig);
	if (rc == STORE_NOTFOUND) {
		j->audit_seq = 0;
		memset(j->audit_head, 0, sizeof(j->audit_head));
	} else if (rc != STORE_OK)
		return rc;
	if ((rc = store_counter_next(txn, "case.seq", &j->seq)) != STORE_OK)
		return rc;
	core_case_ref(j->year, j->seq, j->ref);

	/* Wrap the data key for this case number only. */
	snprintf(ad, sizeof(ad), "bisik-v1:dek:%" PRIu64, j->seq);
	if (crypto_seal(j->ctx->keys->storage, ad, strlen(ad), j->dek,
	    CRYPTO_KEY_BYTES, wrapped) == -1)
		return STORE_IO;
	crypto_b64_encode(wrapped, sizeof(wrapped), wb64);
	if ((rc = srv_case_content_write(txn, j->seq, j->dek, j->content,
	    j->content_len)) != STORE_OK)
		return rc;

	meta = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I, s:I,"
	    " s:I, s:I, s:s, s:b, s:i}",
	    "ref", j->ref, "seq", (json_int_t)j->seq,
	    "kind", core_kind_name(r->kind),
	    "status", core_status_name(CORE_ST_SUBMITTED),
	    "visibility", core_visibility_name(r->visibility),
	    "channel", core_channel_name(j->channel),
	    "agency", r->agency, "category", r->category,
	    "created_at", (json_int_t)j->now, "updated_at", (json_int_t)j->now,
	    "due_at", (json_int_t)j->due, "dispose_due", (json_int_t)j->due,
	    "dek", wb64, "identity", j->identity != NULL, "events", 0);
	if (meta == NULL)
		return STORE_IO;
	if ((j->identity != NULL && json_object_set_new(meta,
	    "escrow_generation", json_integer(esc.generation)) == -1) ||
	    (j->dup_hint > 0 && json_object_set_new(meta, "dup_candidates",
	    json_integer((json_int_t)j->dup_hint)) == -1)) {
		json_decref(meta);
		return STORE_IO;
	}

	/* The timeline needs the case key in a struct srv_case. */
	memset(&c, 0, sizeof(c));
	c.txn = txn;
	c.seq = j->seq;
	memcpy(c.dek, j->dek, sizeof(c.dek));
	/* srv_case_timeline_add borrows extra. */
	if ((extra = json_pack("{s:s}", "status", "submitted")) == NULL ||
	    (j->user != 0 && json_object_set_new(extra, "user",
	    json_integer((json_int_t)j->user)) == -1)) {
		rc = STORE_IO;
		goto out;
	}
	rc = srv_case_timeline_add(txn, &c, meta, j->now, "status", j->actor,
	    NULL, 1, extra);
	if (rc != STORE_OK)
		goto out;
	if ((rc = srv_case_put(txn, j->seq, meta)) != STORE_OK)
		goto out;

	tok[0] = SRV_RECORD_V1;
	store_be64_put(tok + 1, j->seq);
	if ((rc = store_put(txn, STORE_T_TOKENS, j->token_hash,
	    CRYPTO_HASH_BYTES, tok, sizeof(tok), STORE_NOOVERWRITE)) != STORE_OK)
		goto out;

	if (j->identity != NULL && (rc = srv_identity_put(txn, j->seq, j->dek,
	    esc.generation, j->identity, j->identity_len)) != STORE_OK)
		goto out;

	/* Status and agency indexes, queue counters. */
	srv_qindex_pos_of(meta, &qpos);
	rc = srv_qindex_move(txn, j->seq, NULL, &qpos);
	/* Duplicate detection: keyed band hashes, never text (dedup.c). */
	if (rc == STORE_OK && j->bands != NULL)
		rc = srv_dedup_put(txn, j->seq, j->bands);
	/* Staff intake is a staff action; a reporter's own submission is
	 * never audited (the reporter is anonymous). */
	if (rc == STORE_OK && j->staff != NULL) {
		char	 actor[96];
		json_t	*d;

		srv_audit_actor(j->staff, actor, sizeof(actor));
		if ((d = json_pack("{s:s}", "channel",
		    core_channel_name(j->channel))) == NULL) {
			rc = STORE_IO;
			goto out;
		}
		rc = srv_audit_append(txn, j->ctx->keys, j->now, actor,
		    "case.intake", j->ref, NULL, d);
		json_decref(d);
	}
 out:
	crypto_wipe(c.dek, sizeof(c.dek));
	json_decref(extra);
	json_decref(meta);
	return rc;
}

/* Checks the proof of work; on failure fills the reply. */
static int
check_pow(struct srv_ctx *ctx, const struct srv_request *rq,
    const struct core_report *r, uint8_t id[CRYPTO_CHALLENGE_ID_BYTES],
    uint64_t *expires, struct srv_reply *rp)
{
	struct core_errors	errs;
	unsigned		diff;
	const char		*why = NULL;

	memset(&errs, 0, sizeof(errs));
	if (r->pow_challenge == NULL)
		why = "required";
	else if (crypto_challenge_check(ctx->keys->challenge, r->pow_challenge,
	    strlen(r->pow_challenge), id, expires, &diff) == -1 ||
	    diff < ctx->cfg->pow_difficulty)
		why = "invalid";
	else if (*expires < (uint64_t)rq->now)
		why = "expired";
	else if (crypto_pow_verify(r->pow_challenge, strlen(r->pow_challenge),
	    r->pow_nonce, strlen(r->pow_nonce), diff) == -1)
		why = "not solved";
	if (why == NULL)
		return 0;
	errs.message = "The proof of work is missing, expired or wrong; "
	    "fetch a new challenge and solve it.";
	core_errors_add(&errs, "pow", why);
	srv_http_error_core(rp, CORE_INVALID, &errs);
	return -1;
}

static int
escrow_read(struct store_txn *txn, void *arg)
{
	return srv_escrow_gen_current(txn,
	    arg) == 0 ? STORE_OK : STORE_NOTFOUND;
}

/*
 * Seals a plain identity to the current escrow key. The JSON text of the
 * identity only ever exists in guarded memory and is wiped at once.
 */
static int
seal_identity(struct srv_ctx *ctx, json_t *identity,
    const uint8_t binding[CRYPTO_HASH_BYTES], uint8_t **out, size_t *outlen)
{
	struct srv_escrow	 e;
	char			 plain[CRYPTO_IDENTITY_MAX];	/* wiped below */
	size_t			 n;
	uint8_t			*sealed = NULL;
	int			 rc = -1;

	if (store_read(ctx->store, escrow_read, &e) != STORE_OK)
		return -2;
	n = json_dumpb(identity, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS);
	if (n == 0 || n > sizeof(plain))
		return -1;
	if (json_dumpb(identity, plain, n, JSON_COMPACT | JSON_SORT_KEYS) == n &&
	    (sealed = malloc(CRYPTO_IDENTITY_SEALED_BYTES)) != NULL &&
	    crypto_identity_seal(e.Y, binding, plain, n, sealed) == 0) {
		*out = sealed;
		*outlen = CRYPTO_IDENTITY_SEALED_BYTES;
		sealed = NULL;
		rc = 0;
	}
	crypto_wipe(plain, n);
	free(sealed);
	return rc;
}

/* Removes the plain identity strings from the parsed request at once. */
static void
wipe_identity(json_t *identity)
{
	const char	*k;
	json_t		*v;

	if (identity == NULL)
		return;
	json_object_foreach(identity, k, v) {
		if (json_is_string(v))
			crypto_wipe((char *)(uintptr_t)json_string_value(v),
			    json_string_length(v));
	}
	json_object_clear(identity);
}

/* The signed receipt of docs/formats.md ("Receipts"). */
static json_t *
receipt_json(struct srv_ctx *ctx, const struct srv_submission *sub,
    time_t now)
{
	struct crypto_receipt	r;
	char			at[21], hb64[64], ib64[64], sb64[128];
	char			head[CRYPTO_HASH_BYTES * 2 + 1];
	uint8_t			sig[CRYPTO_SIG_BYTES];
	size_t			i;

	core_time_iso(now, at);
	memset(&r, 0, sizeof(r));
	r.case_ref = sub->ref;
	r.at = at;
	memcpy(r.content_hash, sub->content_hash, CRYPTO_HASH_BYTES);
	r.has_identity = sub->has_identity;
	memcpy(r.identity_hash, sub->identity_hash, CRYPTO_HASH_BYTES);
	r.audit_seq = sub->audit_seq;
	memcpy(r.audit_head, sub->audit_head, CRYPTO_HASH_BYTES);
	crypto_receipt_sign(ctx->keys->receipt_sk, &r, sig);
	crypto_b64_encode(sub->content_hash, CRYPTO_HASH_BYTES, hb64);
	crypto_b64_encode(sub->identity_hash, CRYPTO_HASH_BYTES, ib64);
	crypto_b64_encode(sig, sizeof(sig), sb64);
	for (i = 0; i < CRYPTO_HASH_BYTES; i++)
		snprintf(head + 2 * i, 3, "%02x", sub->audit_head[i]);
	return json_pack("{s:s, s:s, s:s, s:s*, s:I, s:s, s:s}", "case",
	    sub->ref, "at", at, "content_hash", hb64, "identity_hash",
	    sub->has_identity ? ib64 : NULL, "audit_seq",
	    (json_int_t)sub->audit_seq, "audit_head", head, "signature", sb64);
}

/* How many stored cases share an LSH bucket with a new report (read
 * before its job; the figure goes into its record as "dup_candidates",
 * a hint: the list with similarities is made when the case is viewed). */
struct dup_lookup {
	const uint8_t	(*bands)[SRV_DEDUP_BAND_BYTES];
	size_t		 found;
};

static int
dup_lookup(struct store_txn *txn, void *arg)
{
	struct dup_lookup *d = arg;

	return srv_dedup_candidates(txn, d->bands, SRV_DEDUP_SUBMIT_SCAN,
	    &d->found);
}

/*
 * What one submission holds from its parse to its answer: on the stack
 * for a synchronous submission, on the heap while a reporter's connection
 * waits for the commit (report_submit). The job points into it.
 */
struct submit_work {
	struct submit_job	 j;
	uint8_t			 token_hash[CRYPTO_HASH_BYTES];
	uint8_t			 dek[CRYPTO_KEY_BYTES];		/* wiped */
	uint8_t			 bands[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES];
	uint8_t			*identity;
	size_t			 identity_len;
	char			*content, *red_title, *red_body;
	size_t			 content_len;
};

/* Wipes and frees what submit_prepare made; w may be all zero. */
static void
submit_work_clear(struct submit_work *w)
{
	crypto_wipe(w->token_hash, sizeof(w->token_hash));
	crypto_wipe(w->bands, sizeof(w->bands));
	crypto_wipe(w->dek, sizeof(w->dek));
	free(w->identity);
	w->identity = NULL;
	if (w->content != NULL) {
		crypto_wipe(w->content, w->content_len);
		free(w->content);
		w->content = NULL;
	}
	if (w->red_title != NULL) {
		crypto_wipe(w->red_title, strlen(w->red_title));
		free(w->red_title);
		w->red_title = NULL;
	}
	if (w->red_body != NULL) {
		crypto_wipe(w->red_body, strlen(w->red_body));
		free(w->red_body);
		w->red_body = NULL;
	}
}

/* "key": the string s, or null (NULL, null_ok) or nothing at all (NULL). */
static void
content_str(struct core_jw *jw, const char *key, const char *s, int null_ok)
{
	if (s == NULL && !null_ok)
		return;
	core_jw_lit(jw, key);
	if (s == NULL)
		core_jw_lit(jw, "null");
	else
		core_jw_str(jw, s, strlen(s));
}

/*
 * The sealed content of a new case (docs/formats.md): written into one
 * buffer as json_dumps(JSON_COMPACT) wrote the object it replaces, keys
 * in the same order, without building that object: the text is copied
 * and escaped once. A redacted copy is NULL when the filter changed
 * nothing and then left out. The buffer is malloc'd; -1 on failure
 * (text that is not UTF-8, out of memory).
 */
static int
content_json(const struct core_report *r, const struct crypto_content *cc,
    const char *red_title, const char *red_body, char **out, size_t *len)
{
	struct core_jw	jw;
	size_t		max;

	/* Each byte of text escapes to at most SUBMIT_ESCAPE_MAX bytes
	 * ("\u001F"); the keys, numbers and ids fit SUBMIT_CONTENT_FIXED. */
	max = SUBMIT_CONTENT_FIXED + SUBMIT_ESCAPE_MAX * (2 * strlen(r->title) +
	    2 * strlen(r->body) + (r->location != NULL ? strlen(r->location) :
	    0) + (r->source != NULL ? strlen(r->source) : 0));
	core_jw_init(&jw, max);
	content_str(&jw, "{\"title\":", r->title, 0);
	content_str(&jw, ",\"body\":", r->body, 0);
	content_str(&jw, ",\"location\":", r->location, 1);
	content_str(&jw, ",\"occurred_on\":", r->occurred_on, 1);
	content_str(&jw, ",\"redacted_title\":", red_title, 0);
	content_str(&jw, ",\"redacted_body\":", red_body, 0);
	content_str(&jw, ",\"source\":", r->source, 1);
	core_jw_lit(&jw, ",\"redact_v\":");
	core_jw_int(&jw, CORE_REDACT_VERSION);
	content_str(&jw, ",\"filed\":{\"kind\":", cc->kind, 0);
	content_str(&jw, ",\"agency\":", r->agency, 1);
	content_str(&jw, ",\"category\":", r->category, 1);
	content_str(&jw, ",\"visibility\":", cc->visibility, 0);
	core_jw_lit(&jw, "}}");
	return core_jw_finish(&jw, out, len);
}

/*
 * The work of a submission before its durable job, outside the single
 * writer: seals the identity (wiping the plaintext in the parsed report),
 * builds the content with its automatically redacted copy, makes the case
 * key and the token, signs the text for duplicates and fills w->j. On
 * failure fills rp and returns -1; w is cleared by submit_work_clear
 * either way.
 */
static int
submit_prepare(struct srv_ctx *ctx, struct srv_submission *sub,
    struct submit_work *w, struct srv_reply *rp)
{
	const struct core_report *r = sub->report;
	struct submit_job	*j = &w->j;
	struct core_errors	 errs;
	uint32_t		 sig[CORE_MINHASH_K];		/* wiped */
	struct crypto_content	 cc;
	struct tm		 tm;
	time_t			 wib;
	char			 canon[CRYPTO_TOKEN_SYMBOLS + 1];
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	memset(j, 0, sizeof(*j));
	sub->ref[0] = '\0';
	sub->token[0] = '\0';

	/* The content hash: the receipt's and the identity's binding. */
	memset(&cc, 0, sizeof(cc));
	cc.kind = core_kind_name(r->kind);
	cc.title = r->title;
	cc.body = r->body;
	cc.agency = r->agency;
	cc.category = r->category;
	cc.location = r->location;
	cc.occurred_on = r->occurred_on;
	cc.visibility = core_visibility_name(r->visibility);
	crypto_content_hash(&cc, sub->content_hash);

	/* Identity: sealed now, bound to this report, plaintext wiped now. */
	if (r->identity != NULL) {
		rc = seal_identity(ctx, r->identity, sub->content_hash,
		    &w->identity, &w->identity_len);
		wipe_identity(r->identity);
		if (rc == -2) {
			srv_http_error(rp, 503, "identity_unavailable", "This server "
			    "cannot accept an identity yet; submit without one "
			    "or try again later.");
			return -1;
		}
		if (rc == -1) {
			errs.message = "The identity could not be sealed.";
			core_errors_add(&errs, "identity", "invalid");
			srv_http_error_core(rp, CORE_INVALID, &errs);
			return -1;
		}
	} else if (r->sealed_identity != NULL) {
		size_t blen = strlen(r->sealed_identity);

		/* Version 2 only: a version 1 identity is bound to no
		 * report, so it could be anyone's (an older client). */
		if ((w->identity = malloc(blen)) == NULL ||
		    crypto_b64_decode(r->sealed_identity, blen, w->identity,
		    blen, &w->identity_len) == -1 ||
		    crypto_identity_check(w->identity, w->identity_len) != 2) {
			errs.message = "The sealed identity is not a valid "
			    "sealed identity bound to this report (version 2); "
			    "update bisik and submit again.";
			core_errors_add(&errs, "sealed_identity", "invalid");
			srv_http_error_core(rp, CORE_INVALID, &errs);
			return -1;
		}
	}

	if (w->identity != NULL) {
		crypto_identity_hash(w->identity, w->identity_len,
		    sub->identity_hash);
		sub->has_identity = 1;
	}

	/* Content: the text as written and the automatically redacted copy
	 * that agency staff will see. Sealed inside the job. The intake
	 * source (a link or a note on where the report came from) is free
	 * text too, so it is sealed with the rest, and so is "filed": the
	 * values the content hash covers that may change later (agency,
	 * category, visibility), which a disclosure's requester needs to
	 * check that an identity is bound to this report. */
	w->red_title = core_redact(r->title, strlen(r->title));
	w->red_body = core_redact(r->body, strlen(r->body));
	/* A redacted copy is stored only when the filter changed something;
	 * srv_case_load fills in the original otherwise. Most reports carry
	 * no personal data in the text, and half the bytes means half the
	 * pages each durable commit writes. */
	if (w->red_title == NULL || w->red_body == NULL ||
	    content_json(r, &cc, strcmp(w->red_title, r->title) != 0 ?
	    w->red_title : NULL, strcmp(w->red_body, r->body) != 0 ?
	    w->red_body : NULL, &w->content, &w->content_len) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return -1;
	}
	crypto_random(w->dek, CRYPTO_KEY_BYTES);

	crypto_token_new(sub->token);
	if (crypto_token_parse(sub->token, strlen(sub->token), canon) == -1) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return -1;
	}
	crypto_token_hash(ctx->keys->pepper, canon, w->token_hash);
	crypto_wipe(canon, sizeof(canon));

	wib = sub->now + CORE_TZ_OFFSET;
	gmtime_r(&wib, &tm);
	j->ctx = ctx;
	j->r = r;
	j->channel = r->channel;
	j->actor = sub->staff != NULL ? core_role_name(sub->staff->role) :
	    "reporter";
	j->user = sub->staff != NULL ? sub->staff->user_id : 0;
	j->staff = sub->staff;
	j->now = sub->now;
	j->due = core_add_working_days(&ctx->cfg->calendar, sub->now,
	    ctx->cfg->deadlines.dispose);
	j->dek = w->dek;
	j->content = w->content;
	j->content_len = w->content_len;
	j->token_hash = w->token_hash;
	j->pow_id = sub->pow_id;
	j->pow_expires = sub->pow_expires;
	j->identity = w->identity;
	j->identity_len = w->identity_len;
	j->year = tm.tm_year + 1900;
	/* Signed from the text as written, before it is sealed; the band
	 * hashes are made once, and the LSH buckets looked up now, both
	 * outside the single writer. */
	if (srv_dedup_sign(r->title, r->body, sig) == 0) {
		struct dup_lookup dl = { w->bands, 0 };

		srv_dedup_bands(ctx->keys, sig, w->bands);
		j->bands = w->bands;
		if (store_read(ctx->store, dup_lookup, &dl) == STORE_OK)
			j->dup_hint = dl.found;
	}
	crypto_wipe(sig, sizeof(sig));
	return 0;
}

/* The answer to a submission whose job the store answered with rc: on
 * success fills sub's outputs and returns 0, else fills rp, -1. */
static int
submit_finish(struct srv_submission *sub, const struct submit_work *w,
    int rc, struct srv_reply *rp)
{
	struct core_errors	 errs;

	memset(&errs, 0, sizeof(errs));
	if (rc == STORE_CONFLICT) {
		switch (w->j.fail) {
		case SUBMIT_POW_REUSED:
			errs.message = "This proof of work was used already; "
			    "fetch a new challenge.";
			core_errors_add(&errs, "pow", "already used");
			break;
		case SUBMIT_NO_AGENCY:
			errs.message = "The agency does not exist.";
			core_errors_add(&errs, "agency", "unknown");
			break;
		case SUBMIT_NO_CATEGORY:
			errs.message = "The category does not exist.";
			core_errors_add(&errs, "category", "unknown");
			break;
		case SUBMIT_R_REUSED:
			srv_http_error(rp, 409, "identity_reused",
			    "This sealed "
			    "identity was filed with another report already; "
			    "seal the identity anew for this one.");
			return -1;
		default:
			srv_http_error(rp, 503, "identity_unavailable", "This server "
			    "cannot accept an identity yet; submit without one "
			    "or try again later.");
			return -1;
		}
		srv_http_error_core(rp, CORE_INVALID, &errs);
		return -1;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		return -1;
	}
	memcpy(sub->ref, w->j.ref, sizeof(sub->ref));
	sub->audit_seq = w->j.audit_seq;
	memcpy(sub->audit_head, w->j.audit_head, sizeof(sub->audit_head));
	srv_log(LOG_INFO, "case_submitted", "channel=%s identity=%s",
	    core_channel_name(sub->report->channel), w->identity != NULL ?
	    "sealed" : "none");
	return 0;
}

/*
 * The one submission path, for the reporter's POST /reports and the staff
 * intake of POST /cases: submit_prepare, one durable job, submit_finish.
 * On failure fills rp and returns -1.
 */
int
api_report_case_submit(struct srv_ctx *ctx, struct srv_submission *sub,
    struct srv_reply *rp)
{
	struct submit_work	 w;
	int			 ret = -1;

	memset(&w, 0, sizeof(w));
	if (submit_prepare(ctx, sub, &w, rp) == 0)
		ret = submit_finish(sub, &w, store_write(ctx->store,
		    submit_job, &w.j), rp);
	if (ret == -1)
		crypto_wipe(sub->token, sizeof(sub->token));
	submit_work_clear(&w);
	return ret;
}

/*
 * One reporter's submission, from its parse to its answer. It lives on the
 * heap: while its connection waits for the group commit (srv_http_later_begin)
 * the HTTP thread serves other connections, and the writer's callback
 * only stores the result and wakes the connection; the receipt is signed
 * on the connection's thread (report_answer).
 */
struct report_state {
	struct srv_ctx		*ctx;
	struct core_report	 r;
	struct srv_submission	 sub;
	uint8_t			 pow_id[CRYPTO_CHALLENGE_ID_BYTES];
	time_t			 now;
	struct submit_work	 w;
	int			 rc;		/* the store's answer */
	struct srv_later	*later;
};

static void
report_state_free(void *arg)
{
	struct report_state	*st = arg;

	if (st == NULL)
		return;
	submit_work_clear(&st->w);
	crypto_wipe(st->sub.token, sizeof(st->sub.token));
	core_report_free(&st->r);
	free(st);
}

/* 201 with the case, the token and the signed receipt, or the error. */
static void
report_answer(struct srv_ctx *ctx, void *arg, struct srv_reply *rp)
{
	struct report_state	*st = arg;

	if (submit_finish(&st->sub, &st->w, st->rc, rp) == -1)
		return;
	srv_http_ok(rp, 201, json_pack("{s:s, s:s, s:s, s:o}", "case",
	    st->sub.ref, "token", st->sub.token, "status", "submitted",
	    "receipt", receipt_json(ctx, &st->sub, st->now)));
}

/* The writer's callback: the result, then the connection is woken; st
 * is not touched after that. */
static void
report_written(void *arg, int rc)
{
	struct report_state	*st = arg;

	st->rc = rc;
	srv_http_later_ready(st->later);
}

/*
 * POST /reports, and the web form's submission without JavaScript
 * (waited != NULL): there the form's signed challenge, whose waiting time
 * the page checked, is made single use instead of checking a proof of
 * work; everything else is the same path. The API's submission waits for
 * its commit with its connection parked (srv_http_later_begin) when the server
 * can park it; otherwise, and for the form, on this thread.
 */
static void
report_submit(struct srv_ctx *ctx, const struct srv_request *rq,
    const uint8_t *waited, uint64_t waited_expires, struct srv_reply *rp)
{
	struct report_state	*st;
	struct core_errors	 errs;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	st->ctx = ctx;
	st->now = rq->now;
	if ((rc = core_report_parse(rq->body, rq->len, 0, &st->r, &errs)) !=
	    CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	if (waited != NULL) {
		memcpy(st->pow_id, waited, sizeof(st->pow_id));
		st->sub.pow_id = st->pow_id;
		st->sub.pow_expires = waited_expires;
	} else if (ctx->cfg->pow_difficulty > 0) {
		if (check_pow(ctx, rq, &st->r, st->pow_id, &st->sub.pow_expires,
		    rp) == -1)
			goto out;
		st->sub.pow_id = st->pow_id;
	}
	st->sub.report = &st->r;
	st->sub.now = rq->now;
	if (submit_prepare(ctx, &st->sub, &st->w, rp) == -1)
		goto out;
	if (waited == NULL && (st->later = srv_http_later_begin(rq,
	    report_answer, report_state_free, st)) != NULL) {
		/* Parked: answered by report_answer once woken. */
		if ((rc = store_write_async(ctx->store, submit_job, &st->w.j,
		    report_written, st)) != STORE_OK)
			report_written(st, rc);
		return;
	}
	st->rc = store_write(ctx->store, submit_job, &st->w.j);
	report_answer(ctx, st, rp);
 out:
	report_state_free(st);
}

void
api_report_submit(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	report_submit(ctx, rq, NULL, 0, rp);
}

void
api_report_submit_waited(struct srv_ctx *ctx, const struct srv_request *rq,
    const uint8_t id[CRYPTO_CHALLENGE_ID_BYTES], uint64_t expires,
    struct srv_reply *rp)
{
	report_submit(ctx, rq, id, expires, rp);
}
