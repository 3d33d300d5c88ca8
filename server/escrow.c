/*
 * escrow.c: installing an escrow public file (`bisikd escrow set`).
 *
 * The server only ever stores public material: Y, the share commitments
 * Y_i, the admins' public keys and each share sealed to its admin. Before
 * installing, every point is checked and the commitments are checked to
 * lie on one polynomial of degree threshold-1 whose value at 0 is Y, so a
 * botched or tampered ceremony file cannot become the key that every new
 * identity is sealed to. Every holder must also have signed the file's
 * configuration hash (escrow_gen.c), so no holder set becomes live that
 * a holder did not check: holders compare what the server later serves
 * with the file they signed (SECURITY.md).
 *
 * meta "escrow.gen.<N>" holds the file as given; meta "escrow.current"
 * holds generation (4 BE) ‖ Y (32) ‖ threshold (1) ‖ holders (1) so that a
 * submission reads 38 bytes, not the whole file (srv_escrow_gen_current, in
 * escrow_gen.c, below this file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/domain.h"

static int
b64_fixed(json_t *o, const char *key, uint8_t *out, size_t len)
{
	return srv_record_b64_value(json_object_get(o, key), out, len);
}

struct install_job {
	const char	*text;
	size_t		 len;
	uint8_t		 Y[CRYPTO_POINT_BYTES];
	unsigned	 threshold, holders;
	uint32_t	 generation;
	int		 reshared;	/* version 2 (escrow_gen.c) */
	int		 current;	/* out: made current */
	unsigned	 voided;	/* out: requests voided */
};

static int
install_job(struct store_txn *txn, void *arg)
{
	struct install_job	*j = arg;
	char			 key[32];
	uint8_t			 cur[1 + SRV_ESCROW_CURRENT_LEN];
	uint64_t		 gen;
	time_t			 now = time(NULL);
	int			 rc;

	if ((rc = store_counter_next(txn, "escrow.generations", &gen)) !=
	    STORE_OK)
		return rc;
	if (gen > UINT32_MAX)
		return STORE_INVALID;
	j->generation = (uint32_t)gen;
	snprintf(key, sizeof(key), "escrow.gen.%u", j->generation);
	{
		char *rec = malloc(j->len + 1);

		if (rec == NULL)
			return STORE_IO;
		rec[0] = SRV_RECORD_V1;
		memcpy(rec + 1, j->text, j->len);
		rc = store_put(txn, STORE_T_META, key, strlen(key), rec,
		    j->len + 1, STORE_NOOVERWRITE);
		free(rec);
		if (rc != STORE_OK)
			return rc;
	}
	/* Earlier generations with the same Y are now opened by this one's
	 * holders (escrow_gen.c); a resharing of an older key is recorded
	 * without becoming current. */
	if ((rc = srv_escrow_gen_link(txn, j->generation, j->Y, j->reshared,
	    &j->current)) != STORE_OK)
		return rc;
	cur[0] = SRV_RECORD_V1;
	store_be32_put(cur + 1, j->generation);
	memcpy(cur + 5, j->Y, CRYPTO_POINT_BYTES);
	cur[5 + CRYPTO_POINT_BYTES] = (uint8_t)j->threshold;
	cur[6 + CRYPTO_POINT_BYTES] = (uint8_t)j->holders;
	if (j->current && (rc = store_put(txn, STORE_T_META,
	    SRV_ESCROW_CURRENT_KEY, strlen(SRV_ESCROW_CURRENT_KEY), cur,
	    sizeof(cur), 0)) != STORE_OK)
		return rc;
	{
		json_t *d = json_pack("{s:I, s:I, s:I}", "generation",
		    (json_int_t)j->generation, "threshold",
		    (json_int_t)j->threshold, "holders", (json_int_t)j->holders);

		if (d == NULL)
			return STORE_IO;
		rc = srv_audit_append(txn, srv_audit_keys(), now,
		    "operator", "escrow.set", NULL, NULL, d);
		json_decref(d);
		if (rc != STORE_OK)
			return rc;
	}
	/* The retired holders' pending requests die with their generation:
	 * none of them may be approved by holders who no longer hold it. */
	return j->reshared ? srv_disclose_void_stale(txn, now, &j->voided) :
	    STORE_OK;
}

/* Lagrange-combines the commitments of `count` holders; 0 if it gives Y. */
static int
combine_is_Y(const unsigned *idx, const uint8_t *com, size_t count,
    const uint8_t Y[CRYPTO_POINT_BYTES])
{
	uint8_t S[CRYPTO_POINT_BYTES];

	if (crypto_escrow_combine(idx, com, count, S) == -1)
		return -1;
	return crypto_equal(S, Y, sizeof(S)) ? 0 : -1;
}

int
srv_escrow_install(struct store *s, const char *text, size_t len,
    struct srv_escrow_result *res, char *err, size_t errlen)
{
	struct core_errors		 errs;
	struct install_job		 j;
	struct crypto_escrow_config	*c = NULL;
	json_t				*root = NULL, *holders, *h;
	uint8_t				 tmp[CRYPTO_SCALAR_BYTES +
					     CRYPTO_BOX_SEAL_OVERHEAD];
	uint8_t				 hash[CRYPTO_HASH_BYTES];
	unsigned			 sub[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t				 subc[CRYPTO_ESCROW_MAX_HOLDERS]
					     [CRYPTO_POINT_BYTES];
	size_t				 i, k, n;
	int				 rc = -1;

	memset(&errs, 0, sizeof(errs));
	memset(&j, 0, sizeof(j));
	if (core_json_parse(text, len, SRV_ESCROW_DEPTH, &root, &errs) !=
	    CORE_OK ||
	    !json_is_object(root)) {
		snprintf(err, errlen, "the escrow file is not a JSON object.");
		goto out;
	}
	if ((c = malloc(sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory.");
		goto out;
	}
	if (srv_escrow_gen_parse(root, c, err, errlen) == -1)
		goto out;
	j.reshared = c->reshared;
	memcpy(j.Y, c->Y, sizeof(j.Y));
	k = c->threshold;
	n = c->n;
	holders = json_object_get(root, "holders");
	json_array_foreach(holders, i, h) {
		if (!j.reshared &&
		    b64_fixed(h, "sealed_share", tmp, sizeof(tmp)) == -1) {
			snprintf(err, errlen, "holder %zu has a missing or "
			    "invalid sealed share.", i + 1);
			goto out;
		}
	}
	/* The first k commitments determine the polynomial; each other
	 * holder, swapped in for the k-th, must give the same Y. */
	for (i = 0; i < k; i++) {
		sub[i] = c->holders[i].index;
		memcpy(subc[i], c->holders[i].commitment, CRYPTO_POINT_BYTES);
	}
	if (combine_is_Y(sub, subc[0], k, j.Y) == -1) {
		snprintf(err, errlen, "the share commitments do not match the "
		    "escrow public key.");
		goto out;
	}
	for (i = k; i < n; i++) {
		sub[k - 1] = c->holders[i].index;
		memcpy(subc[k - 1], c->holders[i].commitment,
		    CRYPTO_POINT_BYTES);
		if (combine_is_Y(sub, subc[0], k, j.Y) == -1) {
			snprintf(err, errlen, "the commitment of holder %zu "
			    "does not match the escrow public key.", i + 1);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		size_t m;

		for (m = 0; m < i; m++)
			if (crypto_equal(c->holders[i].sign_pk,
			    c->holders[m].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
			    crypto_equal(c->holders[i].box_pk,
			    c->holders[m].box_pk, CRYPTO_BOX_PK_BYTES)) {
				snprintf(err, errlen, "holders %zu and %zu "
				    "have the same key.", m + 1, i + 1);
				goto out;
			}
	}
	if (j.reshared && (srv_escrow_gen_check_reshare(root, j.Y, k, n, err,
	    errlen) == -1 || srv_escrow_gen_check_dealers(s, root, c, err,
	    errlen) == -1))
		goto out;
	/* Last, so that a file refused for its contents says so first. */
	if (srv_escrow_gen_check_signatures(root, c, hash, err, errlen) == -1)
		goto out;
	j.text = text;
	j.len = len;
	j.threshold = (unsigned)k;
	j.holders = (unsigned)n;
	if (store_write(s, install_job, &j) != STORE_OK) {
		snprintf(err, errlen, "the escrow file could not be stored.");
		goto out;
	}
	memset(res, 0, sizeof(*res));
	res->generation = j.generation;
	memcpy(res->Y, j.Y, sizeof(res->Y));
	res->current = j.current;
	res->voided = j.voided;
	rc = 0;
 out:
	free(c);
	json_decref(root);
	return rc;
}
