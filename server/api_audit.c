/*
 * api_audit.c: the audit chain over HTTP, for auditors and central admins.
 *
 *   GET /api/v1/audit?after=SEQ   up to SRV_AUDIT_PAGE entries after SEQ
 *                                 (fewer when they are large)
 *   GET /api/v1/audit/head        the signed head and the audit key
 *
 * The server does not verify here: the client does (bisik audit verify),
 * against a key it can compare with GET /keys or a pinned copy. So each
 * entry carries what recomputing needs: "canonical", the exact bytes the
 * hash covers, and "hash", h_seq as stored. The fields beside them (seq,
 * at, actor, action, case, request, detail) are a reading of the
 * canonical text, for people. A stored entry that is not valid UTF-8
 * (a damaged or tampered record) comes as "canonical_base64" instead, and
 * an unreadable record as {"seq", "damaged": true}, so that the client
 * judges exactly the bytes bisikd would and names the same entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

/* Auditors and central admins; 401/403 filled in otherwise. */
static int
audit_begin(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st;
	int			ok;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return -1;
	ok = st.role == CORE_ROLE_AUDITOR || st.role == CORE_ROLE_CENTRAL_ADMIN;
	crypto_wipe(&st, sizeof(st));
	if (!ok) {
		srv_http_error(rp, 403, "forbidden",
		    "Only auditors and central "
		    "admins may read the audit log.");
		return -1;
	}
	return 0;
}

/* The fields of an entry's text that are shown beside it. */
static const char *const shown[] = {
	"at", "actor", "action", "case", "request", "detail",
};

static json_t *
entry_json(uint64_t seq, const uint8_t *hash, const char *text, size_t len)
{
	char	 hex[CRYPTO_HASH_BYTES * 2 + 1], *b64;
	json_t	*o = NULL, *parsed;
	size_t	 i;
	int	 bad;

	o = json_pack("{s:I}", "seq", (json_int_t)seq);
	if (o == NULL)
		return NULL;
	core_hex_encode(hash, CRYPTO_HASH_BYTES, hex);
	if (json_object_set_new(o, "hash", json_string(hex)) == -1)
		goto fail;
	if (memchr(text, '\0', len) == NULL && core_utf8_len(text, len) >= 0) {
		if (json_object_set_new(o, "canonical", json_stringn(text,
		    len)) == -1)
			goto fail;
	} else {
		if ((b64 = malloc(crypto_b64_len(len))) == NULL)
			goto fail;
		crypto_b64_encode(text, len, b64);
		bad = json_object_set_new(o, "canonical_base64",
		    json_string(b64)) == -1;
		free(b64);
		if (bad)
			goto fail;
	}
	parsed = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	for (i = 0; json_is_object(parsed) && i < sizeof(shown) /
	    sizeof(shown[0]); i++)
		if (json_object_get(parsed, shown[i]) != NULL)
			json_object_set(o, shown[i], json_object_get(parsed,
			    shown[i]));
	json_decref(parsed);
	return o;
 fail:
	json_decref(o);
	return NULL;
}

/* Canonical text in one page at most: entries are a few hundred bytes,
 * but SRV_AUDIT_ENTRY_MAX allows 4 KiB; 1 MiB of them, escaped and
 * shown twice, stays within what a client accepts in one answer (the
 * client's CLIENT_REPLY_MAX is 4 MiB). A page ends early past it. */
#define PAGE_TEXT_MAX	(1024 * 1024)

struct list_read {
	uint64_t	 after;
	size_t		 text;		/* canonical bytes so far */
	json_t		*entries;
};

static int
list_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct list_read	*r = arg;
	const uint8_t		*hash;
	const char		*text;
	uint64_t		 seq;
	size_t			 len;
	json_t			*o;

	if (json_array_size(r->entries) >= SRV_AUDIT_PAGE ||
	    r->text >= PAGE_TEXT_MAX)
		return STORE_STOP;
	r->text += vlen;
	if (srv_audit_entry(key, klen, val, vlen, &seq, &hash, &text,
	    &len) == 0)
		o = entry_json(seq, hash, text, len);
	else if (klen == 8)
		o = json_pack("{s:I, s:b}", "seq",
		    (json_int_t)store_be64_get(key), "damaged", 1);
	else
		o = json_pack("{s:b}", "damaged", 1);
	if (o == NULL || json_array_append_new(r->entries, o) == -1)
		return STORE_IO;
	return 0;
}

static int
list_read(struct store_txn *txn, void *arg)
{
	struct list_read	*r = arg;
	uint8_t			 from[8];
	int			 rc;

	if (r->after == UINT64_MAX)
		return STORE_OK;
	store_be64_put(from, r->after + 1);
	rc = store_each(txn, STORE_T_AUDIT, from, sizeof(from), NULL, 0,
	    list_entry, r);
	return rc;
}

/* "after": decimal digits, at most a uint64; absent is 0. */
static int
after_param(const char *s, uint64_t *out)
{
	unsigned long long	v;
	char			*end;

	*out = 0;
	if (s == NULL)
		return 0;
	if (s[0] < '0' || s[0] > '9' || strlen(s) > 20)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = (uint64_t)v;
	return 0;
}

void
api_audit_list(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct list_read	r;
	int			rc;

	if (audit_begin(ctx, rq, rp) == -1)
		return;
	memset(&r, 0, sizeof(r));
	/* No connection: a handler called directly (unit tests). */
	if (after_param(rq->conn != NULL ? srv_http_query(rq, "after") : NULL,
	    &r.after) == -1) {
		srv_http_invalid(rp, "after", "invalid",
		    "\"after\" must be an entry number.");
		return;
	}
	if ((r.entries = json_array()) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	if ((rc = store_read(ctx->store, list_read, &r)) != STORE_OK) {
		json_decref(r.entries);
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, json_pack("{s:o}", "entries", r.entries));
}

void
api_audit_head(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_audit_tip	h;
	char			hex[CRYPTO_HASH_BYTES * 2 + 1];
	char			sig[CRYPTO_SIG_BYTES * 2];
	char			key[CRYPTO_SIGN_PK_BYTES * 2];
	int			rc;

	if (audit_begin(ctx, rq, rp) == -1)
		return;
	if ((rc = srv_audit_tip(ctx->store, &h)) != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	core_hex_encode(h.hash, sizeof(h.hash), hex);
	crypto_b64_encode(h.sig, sizeof(h.sig), sig);
	crypto_b64_encode(ctx->keys->audit_pk, CRYPTO_SIGN_PK_BYTES, key);
	/* An empty chain (no staff action yet) has no head to sign. */
	srv_http_ok(rp, 200, json_pack("{s:I, s:s?, s:s?, s:s}", "seq",
	    (json_int_t)h.seq, "hash", h.found ? hex : NULL, "signature",
	    h.found ? sig : NULL, "audit_key", key));
}
