/*
 * identity.c: sealed identities at rest, and the index of the R values
 * already filed.
 *
 * A case's sealed identity (table `identity`, key: case sequence, 8 BE) is
 * stored under the case's data key, padded to one size:
 *
 *   version 2: 0x02 ‖ sealed under the data key (additional data
 *              "bisik-v1:identity:<seq>") of: escrow generation (4 BE) ‖
 *              length (2 BE) ‖ the sealed identity ‖ zeros up to
 *              CRYPTO_IDENTITY_SEALED_BYTES
 *   version 1: 0x01 ‖ generation (4 BE) ‖ the sealed identity, in plain
 *              (written before; read, never written)
 *
 * Under the data key, crypto-shredding a case (destroying that key)
 * shreds its identity too, and a copy of the table alone tells nobody
 * which cases have which sealed identity; padded, every record has the
 * same length, so a record's size does not hint at what it holds.
 * `bisikd rekey --data-keys` rewrites version 1 records as version 2.
 *
 * The R index (table `identity_r`) holds, for every sealed identity filed,
 * a keyed hash of its R (BLAKE2b under a key derived from the pepper),
 * never R itself: POST /reports refuses a sealed identity whose R was
 * filed before (409), so a sealed identity copied from one case (a
 * backup, a recorded request) cannot be filed again as another's. The
 * binding inside the identity (crypto/identity.c) is what stops an
 * operator who edits the store; the index stops everyone else at the
 * door and tells the reporter why.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

#define ID_PLAIN	(4 + 2 + CRYPTO_IDENTITY_SEALED_BYTES)
#define ID_RECORD	(1 + ID_PLAIN + CRYPTO_SEAL_OVERHEAD)
#define ID_V1_HEAD	(1 + 4)

static const char r_tag[] = "bisik-identity-r-v1";

int
srv_identity_put(struct store_txn *txn, uint64_t seq, const uint8_t *dek,
    uint32_t generation, const uint8_t *sealed, size_t len)
{
	uint8_t	key[8], *plain, *rec = NULL;
	int	rc = STORE_IO;

	if (len > CRYPTO_IDENTITY_SEALED_BYTES)
		return STORE_INVALID;
	if ((plain = calloc(1, ID_PLAIN)) == NULL)
		return STORE_IO;
	store_be32_put(plain, generation);
	plain[4] = (uint8_t)(len >> 8);
	plain[5] = (uint8_t)len;
	memcpy(plain + 6, sealed, len);
	if ((rec = malloc(ID_RECORD)) == NULL)
		goto out;
	rec[0] = SRV_IDENTITY_V2;
	if (srv_case_seal_bytes(dek, seq, "identity", plain, ID_PLAIN,
	    rec + 1) == -1)
		goto out;
	store_be64_put(key, seq);
	rc = store_put(txn, STORE_T_IDENTITY, key, sizeof(key), rec, ID_RECORD,
	    0);
out:
	free(rec);		/* ciphertext only */
	crypto_wipe(plain, ID_PLAIN);
	free(plain);
	return rc;
}

/* The record's bytes as stored, checked for a known version and size. */
static int
record_get(struct store_txn *txn, uint64_t seq, const uint8_t **v,
    size_t *vlen)
{
	const void	*val;
	uint8_t		 key[8];
	int		 rc;

	store_be64_put(key, seq);
	if ((rc = store_get(txn, STORE_T_IDENTITY, key, sizeof(key), &val,
	    vlen)) != STORE_OK)
		return rc;
	*v = val;
	if (*vlen >= 1 && (*v)[0] == SRV_IDENTITY_V2 && *vlen == ID_RECORD)
		return STORE_OK;
	if (*vlen >= ID_V1_HEAD + CRYPTO_IDENTITY_V1_OVERHEAD &&
	    (*v)[0] == SRV_RECORD_V1 &&
	    *vlen - ID_V1_HEAD <= CRYPTO_IDENTITY_SEALED_BYTES)
		return STORE_OK;
	return STORE_CORRUPT;
}

int
srv_identity_open(struct store_txn *txn, uint64_t seq, const uint8_t *dek,
    struct srv_identity *out)
{
	const uint8_t	*v;
	uint8_t		*plain = NULL;
	size_t		 vlen, len, i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = record_get(txn, seq, &v, &vlen)) != STORE_OK)
		return rc;
	if (v[0] == SRV_RECORD_V1) {
		out->version = 1;
		out->generation = store_be32_get(v + 1);
		out->len = vlen - ID_V1_HEAD;
		memcpy(out->sealed, v + ID_V1_HEAD, out->len);
		return crypto_identity_check(out->sealed, out->len) == -1 ?
		    STORE_CORRUPT : STORE_OK;
	}
	if ((plain = malloc(ID_PLAIN)) == NULL)
		return STORE_IO;
	rc = STORE_CORRUPT;
	if (srv_case_open_bytes(dek, seq, "identity", v + 1, vlen - 1,
	    plain) == -1)
		goto out;
	len = (size_t)plain[4] << 8 | plain[5];
	if (len > CRYPTO_IDENTITY_SEALED_BYTES)
		goto out;
	for (i = 6 + len; i < ID_PLAIN; i++)
		if (plain[i] != 0)
			goto out;
	out->version = 2;
	out->generation = store_be32_get(plain);
	out->len = len;
	memcpy(out->sealed, plain + 6, len);
	if (crypto_identity_check(out->sealed, out->len) == -1)
		goto out;
	rc = STORE_OK;
out:
	if (rc != STORE_OK)
		memset(out, 0, sizeof(*out));
	crypto_wipe(plain, ID_PLAIN);
	free(plain);
	return rc;
}

int
srv_identity_get(struct store_txn *txn, const struct srv_keys *keys,
    uint64_t seq, struct srv_identity *out)
{
	uint8_t		 dek[CRYPTO_KEY_BYTES];
	const uint8_t	*v;
	size_t		 vlen;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = record_get(txn, seq, &v, &vlen)) != STORE_OK)
		return rc;
	if ((rc = srv_case_dek(txn, keys, seq, dek)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	rc = srv_identity_open(txn, seq, dek, out);
	crypto_wipe(dek, sizeof(dek));
	return rc;
}

/* "filed"'s value, or the record's when the case predates "filed". */
static const json_t *
filed_value(const struct srv_case *c, const char *key)
{
	const json_t *f = json_object_get(c->content, "filed");

	if (json_is_object(f))
		return json_object_get(f, key);
	return json_object_get(c->meta, key);
}

int
srv_identity_release(struct store_txn *txn, const struct srv_keys *keys,
    uint64_t seq, json_t *view)
{
	static const char *const from_content[] = { "title", "body",
	    "location", "occurred_on" };
	static const char *const from_filed[] = { "kind", "agency",
	    "category", "visibility" };
	struct srv_identity	*id = NULL;
	struct srv_case		 c;
	const json_t		*x;
	json_t			*filed = NULL;
	char			*b64 = NULL;
	size_t			 i;
	int			 rc;

	if ((rc = srv_case_load(txn, keys, seq, &c)) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
	if ((id = malloc(sizeof(*id))) == NULL ||
	    (filed = json_object()) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	if ((rc = srv_identity_open(txn, seq, c.dek, id)) != STORE_OK) {
		rc = rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
		goto out;
	}
	for (i = 0; i < sizeof(from_content) / sizeof(from_content[0]); i++) {
		x = json_object_get(c.content, from_content[i]);
		json_object_set(filed, from_content[i], json_is_string(x) ?
		    (json_t *)(uintptr_t)x : json_null());
	}
	for (i = 0; i < sizeof(from_filed) / sizeof(from_filed[0]); i++) {
		x = filed_value(&c, from_filed[i]);
		json_object_set(filed, from_filed[i], json_is_string(x) ?
		    (json_t *)(uintptr_t)x : json_null());
	}
	if ((b64 = malloc(crypto_b64_len(id->len))) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	crypto_b64_encode(id->sealed, id->len, b64);
	if (json_object_set_new(view, "sealed_identity", json_string(b64)) ==
	    -1 || json_object_set(view, "filed", filed) == -1)
		rc = STORE_IO;
out:
	free(b64);
	json_decref(filed);
	free(id);
	srv_case_free(&c);
	return rc;
}

static void
r_hash(const struct srv_keys *keys, const uint8_t R[CRYPTO_POINT_BYTES],
    uint8_t out[CRYPTO_HASH_BYTES])
{
	uint8_t	k[CRYPTO_KEY_BYTES];

	crypto_keyed_hash(keys->pepper, r_tag, sizeof(r_tag) - 1, k);
	crypto_keyed_hash(k, R, CRYPTO_POINT_BYTES, out);
	crypto_wipe(k, sizeof(k));
}

int
srv_identity_r_claim(struct store_txn *txn, const struct srv_keys *keys,
    const uint8_t R[CRYPTO_POINT_BYTES])
{
	uint8_t	h[CRYPTO_HASH_BYTES], v = SRV_RECORD_V1;

	r_hash(keys, R, h);
	return store_put(txn, STORE_T_IDENTITY_R, h, sizeof(h), &v, 1,
	    STORE_NOOVERWRITE);
}

int
srv_identity_r_release(struct store_txn *txn, const struct srv_keys *keys,
    const uint8_t R[CRYPTO_POINT_BYTES])
{
	uint8_t	h[CRYPTO_HASH_BYTES];
	int	rc;

	r_hash(keys, R, h);
	rc = store_del(txn, STORE_T_IDENTITY_R, h, sizeof(h));
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
