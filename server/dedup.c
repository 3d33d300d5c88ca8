/*
 * dedup.c: likely duplicates of a case, found through banded LSH buckets
 * in LMDB without any readable text, or any fingerprint of one, being
 * stored for the purpose.
 *
 * At submission api_report_case_submit signs the report's title and body
 * (core_minhash, from the text as written, before anything is sealed)
 * and the submission job stores one key per LSH band, band (1) ‖ band
 * hash (8) ‖ case (8 BE), with an empty value. The band hash is a keyed
 * BLAKE2b of the band under a key derived from the pepper: band values
 * are a function of the text alone, and unkeyed anyone holding a copy of
 * the table could test a guessed complaint ("did someone report X?")
 * against it. Keyed, the table says nothing without the server's keys.
 *
 * The signature itself is not stored: it is as much a fingerprint of the
 * text as the bands, and four times their size. A lookup reads the
 * buckets of a signature's bands, then signs each candidate again from
 * its sealed text (opened with its data key, which only the server can
 * unwrap) to estimate the similarity; a shredded case cannot be signed
 * any more, and its bands are deleted with it (they are computed from
 * its text just before). Both steps are bounded (SRV_DEDUP_*): a flood
 * of identical reports fills one bucket, and a view of one of them must
 * still answer quickly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

#define BAND_KEY_LEN	(1 + SRV_DEDUP_BAND_BYTES + 8)	/* band ‖ hash ‖ case */

int
srv_dedup_sign(const char *title, const char *body,
    uint32_t sig[CORE_MINHASH_K])
{
	size_t	 tl = strlen(title), bl = strlen(body);
	char	*text;
	int	 rc;

	if ((text = malloc(tl + bl + 2)) == NULL)
		return -1;
	memcpy(text, title, tl);
	text[tl] = '\n';
	memcpy(text + tl + 1, body, bl + 1);
	rc = core_minhash(text, tl + bl + 1, sig);
	crypto_wipe(text, tl + bl + 1);
	free(text);
	return rc;
}

/* The keyed hashes of a signature's bands. */
void
srv_dedup_bands(const struct srv_keys *keys,
    const uint32_t sig[CORE_MINHASH_K],
    uint8_t out[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES])
{
	static const char tag[] = "bisik-v1:dedup-bands";
	uint64_t	bands[CORE_LSH_BANDS];
	uint8_t		dkey[CRYPTO_HASH_BYTES], msg[9], h[CRYPTO_HASH_BYTES];
	size_t		b;

	crypto_keyed_hash(keys->pepper, tag, sizeof(tag) - 1, dkey);
	core_lsh_bands(sig, bands);
	for (b = 0; b < CORE_LSH_BANDS; b++) {
		msg[0] = (uint8_t)b;
		store_be64_put(msg + 1, bands[b]);
		crypto_keyed_hash(dkey, msg, sizeof(msg), h);
		memcpy(out[b], h, SRV_DEDUP_BAND_BYTES);
	}
	crypto_wipe(dkey, sizeof(dkey));
}

static void
band_key(uint8_t key[BAND_KEY_LEN], size_t band,
    const uint8_t hash[SRV_DEDUP_BAND_BYTES],
    uint64_t seq)
{
	key[0] = (uint8_t)band;
	memcpy(key + 1, hash, 8);
	store_be64_put(key + 9, seq);
}

int
srv_dedup_put(struct store_txn *txn, uint64_t seq,
    const uint8_t hashes[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES])
{
	uint8_t	key[BAND_KEY_LEN];
	size_t	b;
	int	rc;

	for (b = 0; b < CORE_LSH_BANDS; b++) {
		band_key(key, b, hashes[b], seq);
		if ((rc = store_put(txn, STORE_T_DEDUP_BANDS, key, sizeof(key),
		    "", 0, 0)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* The signature of a loaded case, from its sealed title and body;
 * STORE_NOTFOUND when the text has nothing to compare. */
static int
case_sig(const struct srv_case *c, uint32_t sig[CORE_MINHASH_K])
{
	const char *t = json_string_value(json_object_get(c->content, "title"));
	const char *b = json_string_value(json_object_get(c->content, "body"));

	/* A record without both (none is written so): nothing to compare,
	 * rather than a view that fails. */
	if (t == NULL || b == NULL)
		return STORE_NOTFOUND;
	return srv_dedup_sign(t, b, sig) == 0 ? STORE_OK : STORE_NOTFOUND;
}

int
srv_dedup_del(struct store_txn *txn, const struct srv_keys *keys,
    const struct srv_case *c)
{
	uint32_t	sig[CORE_MINHASH_K];
	uint8_t		hashes[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES];
	uint8_t		key[BAND_KEY_LEN];
	size_t		b;
	int		rc;

	rc = case_sig(c, sig);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	srv_dedup_bands(keys, sig, hashes);
	crypto_wipe(sig, sizeof(sig));
	for (b = 0; b < CORE_LSH_BANDS; b++) {
		band_key(key, b, hashes[b], c->seq);
		rc = store_del(txn, STORE_T_DEDUP_BANDS, key, sizeof(key));
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return rc;
	}
	return STORE_OK;
}

/* ---- lookup ---------------------------------------------------------------- */

struct bucket {
	uint64_t	*seq;
	size_t		 n, cap;
	size_t		 in_band;	/* entries taken from this band */
	size_t		 limit;		/* at most, per band */
	int		 capped;
};

static int
bucket_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct bucket	*b = arg;
	uint64_t	*ns;
	size_t		 cap;

	(void)val;
	(void)vlen;
	if (klen != BAND_KEY_LEN)
		return 0;
	if (b->in_band >= b->limit) {
		b->capped = 1;
		return STORE_STOP;
	}
	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		if ((ns = reallocarray(b->seq, cap, sizeof(*ns))) == NULL)
			return STORE_IO;
		b->seq = ns;
		b->cap = cap;
	}
	b->seq[b->n++] = store_be64_get((const uint8_t *)key + 9);
	b->in_band++;
	return 0;
}

static int
cmp_seq(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_sim(const void *a, const void *b)
{
	double x = json_real_value(json_object_get(*(json_t *const *)a,
	    "similarity"));
	double y = json_real_value(json_object_get(*(json_t *const *)b,
	    "similarity"));

	return x > y ? -1 : x < y;
}

/* Rounded to 3 decimals, the precision the estimate has at most. */
static double
round3(double x)
{
	return (double)(long)(x * 1000 + 0.5) / 1000;
}

int
srv_dedup_find(struct store_txn *txn, const struct srv_keys *keys,
    const uint32_t sig[CORE_MINHASH_K], uint64_t self, double min,
    json_t **out, int *capped)
{
	uint8_t		 hashes[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES];
	uint8_t		 prefix[1 + SRV_DEDUP_BAND_BYTES];
	uint32_t	 other[CORE_MINHASH_K];
	struct srv_case	 c;
	struct bucket	 b = { 0 };
	json_t		*list, *o, **items = NULL;
	double		 sim;
	size_t		 i, n, nitems = 0;
	int		 rc = STORE_OK;

	*out = NULL;
	*capped = 0;
	memset(&b, 0, sizeof(b));
	srv_dedup_bands(keys, sig, hashes);
	for (i = 0; i < CORE_LSH_BANDS; i++) {
		prefix[0] = (uint8_t)i;
		memcpy(prefix + 1, hashes[i], SRV_DEDUP_BAND_BYTES);
		b.in_band = 0;
		b.limit = SRV_DEDUP_BUCKET_MAX;
		rc = store_each(txn, STORE_T_DEDUP_BANDS, prefix, sizeof(prefix),
		    prefix, sizeof(prefix), bucket_each, &b);
		if (rc != STORE_OK)
			goto out;
		rc = STORE_OK;
	}
	*capped = b.capped;
	if (b.n > 0)
		srv_sort(b.seq, b.n, sizeof(*b.seq), cmp_seq);
	for (i = 0, n = 0; i < b.n; i++)
		if ((n == 0 || b.seq[n - 1] != b.seq[i]) && b.seq[i] != self)
			b.seq[n++] = b.seq[i];
	if (n > SRV_DEDUP_CANDIDATES_MAX) {
		n = SRV_DEDUP_CANDIDATES_MAX;
		*capped = 1;
	}
	if ((list = json_array()) == NULL ||
	    (n > 0 && (items = calloc(n, sizeof(*items))) == NULL)) {
		json_decref(list);
		rc = STORE_IO;
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = srv_case_load(txn, keys, b.seq[i], &c);
		if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT) {
			/* Shredded meanwhile, or a bad record: not listed. */
			rc = STORE_OK;
			continue;
		}
		if (rc != STORE_OK)
			break;
		rc = case_sig(&c, other);
		if (rc != STORE_OK) {
			srv_case_free(&c);
			if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT) {
				rc = STORE_OK;
				continue;
			}
			break;
		}
		sim = core_minhash_similarity(sig, other);
		if (sim >= min) {
			o = json_pack("{s:s, s:f, s:O}", "case", c.ref,
			    "similarity", round3(sim), "status",
			    json_object_get(c.meta, "status"));
			if (o == NULL) {
				srv_case_free(&c);
				rc = STORE_IO;
				break;
			}
			items[nitems++] = o;
		}
		srv_case_free(&c);
	}
	crypto_wipe(other, sizeof(other));
	if (rc == STORE_OK && nitems > 0) {
		srv_sort(items, nitems, sizeof(*items), cmp_sim);
		if (nitems > SRV_DEDUP_LIST_MAX)
			*capped = 1;
	}
	for (i = 0; i < nitems; i++) {
		if (rc == STORE_OK && i < SRV_DEDUP_LIST_MAX &&
		    json_array_append(list, items[i]) == -1)
			rc = STORE_IO;
		json_decref(items[i]);
	}
	free(items);
	if (rc != STORE_OK)
		json_decref(list);
	else
		*out = list;
 out:
	free(b.seq);
	return rc;
}

int
srv_dedup_candidates(struct store_txn *txn,
    const uint8_t hashes[CORE_LSH_BANDS][SRV_DEDUP_BAND_BYTES], size_t max,
    size_t *n)
{
	uint8_t		prefix[1 + SRV_DEDUP_BAND_BYTES];
	struct bucket	b;
	size_t		i, k;
	int		rc = STORE_OK;

	*n = 0;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < CORE_LSH_BANDS && b.n < max; i++) {
		prefix[0] = (uint8_t)i;
		memcpy(prefix + 1, hashes[i], SRV_DEDUP_BAND_BYTES);
		/* A few entries a band: a hint, not the list. */
		b.in_band = 0;
		b.limit = max - b.n;
		rc = store_each(txn, STORE_T_DEDUP_BANDS, prefix, sizeof(prefix),
		    prefix, sizeof(prefix), bucket_each, &b);
		if (rc != STORE_OK)
			break;
		rc = STORE_OK;
	}
	if (rc == STORE_OK && b.n > 0) {
		srv_sort(b.seq, b.n, sizeof(*b.seq), cmp_seq);
		for (i = 0, k = 0; i < b.n; i++)
			if (k == 0 || b.seq[k - 1] != b.seq[i])
				b.seq[k++] = b.seq[i];
		*n = k;
	}
	free(b.seq);
	return rc;
}

int
srv_dedup_case(struct store_txn *txn, const struct srv_keys *keys,
    const struct srv_case *c, json_t **out, int *capped)
{
	uint32_t	sig[CORE_MINHASH_K];
	int		rc;

	*out = NULL;
	*capped = 0;
	rc = case_sig(c, sig);
	if (rc == STORE_NOTFOUND) {
		/* A case without letters or digits: nothing to compare. */
		*out = json_array();
		return *out != NULL ? STORE_OK : STORE_IO;
	}
	if (rc != STORE_OK)
		return rc;
	rc = srv_dedup_find(txn, keys, sig, c->seq, CORE_DUPLICATE_MIN, out,
	    capped);
	crypto_wipe(sig, sizeof(sig));
	return rc;
}

int
srv_dedup_view_central(struct store_txn *txn, const struct srv_keys *keys,
    const struct srv_case *c, json_t *view)
{
	json_t	*dups = NULL;
	int	 capped, rc;

	if ((rc = srv_dedup_case(txn, keys, c, &dups, &capped)) !=
	    STORE_OK)
		return rc;
	if (json_object_set_new(view, "duplicates", dups) == -1 ||
	    (capped && json_object_set_new(view, "duplicates_capped",
	    json_true()) == -1) || json_object_set_new(view, "legal_hold",
	    json_boolean(json_is_true(json_object_get(c->meta,
	    "legal_hold")))) == -1)
		return STORE_IO;
	return STORE_OK;
}
