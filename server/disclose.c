/*
 * disclose.c: the records of identity disclosure requests
 * (api_disclose.c serves them), and voiding the pending requests whose
 * holders a resharing retired (escrow.c calls it in its install job).
 *
 * Records: STORE_T_DISCLOSURES[id (8 bytes)] = 0x01 ‖ JSON (docs/formats.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

int
srv_disclose_load(struct store_txn *txn,
    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t **rec)
{
	return srv_record_get(txn, STORE_T_DISCLOSURES, key,
	    SRV_DISCLOSURE_ID_BYTES, rec);
}

int
srv_disclose_save(struct store_txn *txn,
    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec)
{
	return srv_record_put(txn, STORE_T_DISCLOSURES, key,
	    SRV_DISCLOSURE_ID_BYTES, rec, 0);
}

/* Marks a pending request voided: a resharing retired its holders. */
int
srv_disclose_void(struct store_txn *txn, struct srv_ctx *ctx,
    const uint8_t key[SRV_DISCLOSURE_ID_BYTES], json_t *rec, time_t now)
{
	json_t	*d;
	char	 actor[] = "operator";
	int	 rc;

	if (json_object_set_new(rec, "state",
	    json_string(SRV_DISCLOSURE_VOIDED)) == -1 ||
	    json_object_set_new(rec, "decided_at",
	    json_integer((json_int_t)now)) == -1)
		return STORE_IO;
	if ((rc = srv_disclose_save(txn, key, rec)) != STORE_OK)
		return rc;
	d = json_pack("{s:I}", "holders_generation", srv_record_int(rec,
	    "holders_generation"));
	rc = srv_audit_append(txn, ctx != NULL ? ctx->keys : srv_audit_keys(),
	    now, actor, "disclosure.void", srv_record_str(rec, "case"),
	    srv_record_str(rec,
	    "id"), d);
	json_decref(d);
	return rc;
}

struct each_arg {
	srv_disclose_fn	 fn;
	void		*arg;
	size_t		 seen;
};

static int
each_record(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct each_arg	*a = arg;
	json_t		*rec;
	int		 rc;

	if (++a->seen > SRV_DISCLOSURES_SCAN_MAX)
		return STORE_STOP;
	if (klen != SRV_DISCLOSURE_ID_BYTES ||
	    srv_record_decode(val, vlen, &rec) != STORE_OK)
		return 0;
	rc = a->fn(key, rec, a->arg);
	json_decref(rec);
	return rc;
}

int
srv_disclose_each(struct store_txn *txn, srv_disclose_fn fn, void *arg)
{
	struct each_arg	a = { fn, arg, 0 };

	return store_each(txn, STORE_T_DISCLOSURES, NULL, 0, NULL, 0,
	    each_record, &a);
}

struct stale_arg {
	struct store_txn	*txn;
	uint8_t			(*keys)[SRV_DISCLOSURE_ID_BYTES];
	size_t			 n;
};

/* Collects pending requests whose generation no longer opens their case. */
static int
stale_each(const uint8_t key[SRV_DISCLOSURE_ID_BYTES], const json_t *rec,
    void *arg)
{
	struct stale_arg	*a = arg;
	uint32_t		 opener;
	int			 rc;

	if (strcmp(srv_record_str(rec, "state"), SRV_DISCLOSURE_PENDING) != 0)
		return 0;
	if ((rc = srv_escrow_gen_opener(a->txn, (uint32_t)srv_record_int(rec,
	    "generation"), &opener)) != STORE_OK)
		return rc;
	if (opener != (uint32_t)srv_record_int(rec, "holders_generation"))
		memcpy(a->keys[a->n++], key, SRV_DISCLOSURE_ID_BYTES);
	return 0;
}

int
srv_disclose_void_stale(struct store_txn *txn, time_t now, unsigned *count)
{
	struct stale_arg	 a;
	json_t			*rec;
	size_t			 i;
	int			 rc;

	*count = 0;
	memset(&a, 0, sizeof(a));
	a.txn = txn;
	if ((a.keys = calloc(SRV_DISCLOSURES_SCAN_MAX + 1,
	    sizeof(*a.keys))) == NULL)
		return STORE_IO;
	/* Collected first, written after: no put while the cursor walks. */
	rc = srv_disclose_each(txn, stale_each, &a);
	for (i = 0; rc == STORE_OK && i < a.n; i++) {
		if ((rc = srv_disclose_load(txn, a.keys[i], &rec)) != STORE_OK)
			break;
		rc = srv_disclose_void(txn, NULL, a.keys[i], rec, now);
		json_decref(rec);
	}
	if (rc == STORE_OK)
		*count = (unsigned)a.n;
	free(a.keys);
	return rc;
}
