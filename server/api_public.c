/*
 * api_public.c: the small public endpoints: health, the agency and
 * category lists, proof-of-work challenges and the trust anchors.
 */
#include <stdio.h>
#include <string.h>

#include "server/api.h"

void
api_public_health(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	srv_http_ok(rp, 200, json_pack("{s:s}", "status", "ok"));
}

static int
list_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	json_t	*list = arg, *o;

	(void)key;
	(void)klen;
	if (vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	o = json_loadb((const char *)val + 1, vlen - 1, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return STORE_CORRUPT;
	}
	/* Every entry has id, name and parent, null for none (docs/openapi.yaml,
 * GET /agencies). */
	if (json_object_get(o, "parent") == NULL)
		json_object_set_new(o, "parent", json_null());
	return json_array_append_new(list, o) == 0 ? 0 : STORE_IO;
}

struct list_arg {
	enum store_table	 t;
	json_t			*list;
};

static int
list_read(struct store_txn *txn, void *arg)
{
	struct list_arg *a = arg;

	return store_each(txn, a->t, NULL, 0, NULL, 0, list_each, a->list);
}

static void
list_table(struct srv_ctx *ctx, enum store_table t, struct srv_reply *rp)
{
	struct list_arg	a = { t, json_array() };
	int		rc;

	if (a.list == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	if ((rc = store_read(ctx->store, list_read, &a)) != STORE_OK) {
		json_decref(a.list);
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, a.list);
}

void
api_public_agencies(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)rq;
	list_table(ctx, STORE_T_AGENCIES, rp);
}

void
api_public_categories(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)rq;
	list_table(ctx, STORE_T_CATEGORIES, rp);
}

void
api_public_challenge(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	char		text[CRYPTO_CHALLENGE_TEXT], at[21];
	uint64_t	expires = (uint64_t)rq->now + SRV_CHALLENGE_TTL;

	crypto_challenge_new(ctx->keys->challenge, expires,
	    ctx->cfg->pow_difficulty, text);
	core_time_iso((time_t)expires, at);
	srv_http_ok(rp, 200, json_pack("{s:s, s:i, s:s}", "challenge", text,
	    "difficulty", (int)ctx->cfg->pow_difficulty, "expires_at", at));
}

static int
escrow_read(struct store_txn *txn, void *arg)
{
	return srv_escrow_gen_current(txn,
	    arg) == 0 ? STORE_OK : STORE_NOTFOUND;
}

void
api_public_keys(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_escrow	 e;
	char			 rk[64], ak[64], ek[64];
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	json_t			*o;

	(void)rq;
	crypto_b64_encode(ctx->keys->receipt_pk, CRYPTO_SIGN_PK_BYTES, rk);
	crypto_b64_encode(ctx->keys->audit_pk, CRYPTO_SIGN_PK_BYTES, ak);
	o = json_pack("{s:s, s:s}", "receipt_key", rk, "audit_key", ak);
	if (o != NULL && store_read(ctx->store, escrow_read, &e) == STORE_OK) {
		crypto_b64_encode(e.Y, CRYPTO_POINT_BYTES, ek);
		crypto_escrow_fingerprint(e.Y, fp);
		json_object_set_new(o, "escrow_key", json_string(ek));
		/* For people to compare with what the agency publishes;
		 * clients compute it from escrow_key, never trust it. */
		json_object_set_new(o, "escrow_fingerprint", json_string(fp));
		json_object_set_new(o, "escrow_generation",
		    json_integer(e.generation));
		json_object_set_new(o, "escrow_threshold",
		    json_integer(e.threshold));
	}
	srv_http_ok(rp, 200, o);
}
