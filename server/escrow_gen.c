/*
 * escrow_gen.c: escrow generations beyond the first install (escrow.c):
 * reshared files and which holders open which identity.
 *
 * A resharing (`bisik escrow reshare`) hands a generation's key to a new
 * set of holders without changing Y, so identities sealed under the old
 * generation number stay openable by the new holders. Its escrow.pub
 * (version 2) is installed like any other as the next generation N, and
 * every earlier generation with the same Y is linked to it: meta
 * "escrow.open.<g>" = 0x01 ‖ N (4 BE) says "identities sealed under g are
 * opened by the holders of N". Linking every earlier one directly (not as
 * a chain) keeps the lookup one get. The old holders are thereby retired
 * for disclosures through this server: a request always names the
 * linked generation and only its holders can approve.
 *
 * The server checks a version 2 file as far as public data allows: the
 * retired holders' commitments against Y, each dealer's first commitment
 * against its retired commitment weighted by its Lagrange coefficient
 * (it dealt its real share), and each new commitment against the sum of
 * the dealings at its index. Whether each sealed sub-share matches its
 * dealer's commitments only the new holder can check (`bisik escrow
 * reshare verify`); a file that fails that gives unusable shares, never a
 * different key, since the commitments pin the sum to Y.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

#define OPEN_PREFIX	"escrow.open."
#define GEN_PREFIX	"escrow.gen."

static int
b64_point(const json_t *v, uint8_t out[CRYPTO_POINT_BYTES])
{
	size_t n;

	if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
	    json_string_length(v), out, CRYPTO_POINT_BYTES, &n) == -1 ||
	    n != CRYPTO_POINT_BYTES || crypto_point_check(out) == -1)
		return -1;
	return 0;
}

/* Lagrange-interpolates Y from the first k-1 points and each later one. */
static int
consistent(const unsigned *idx, const uint8_t *com, size_t n, size_t k,
    const uint8_t Y[CRYPTO_POINT_BYTES])
{
	unsigned	sub[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		S[CRYPTO_POINT_BYTES];
	size_t		i, j;

	if (k < 1 || k > n || n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (i = 0; i + 1 < k; i++) {
		sub[i] = idx[i];
		memcpy(pts + i * CRYPTO_POINT_BYTES, com + i * CRYPTO_POINT_BYTES,
		    CRYPTO_POINT_BYTES);
	}
	for (j = k - 1; j < n; j++) {
		sub[k - 1] = idx[j];
		memcpy(pts + (k - 1) * CRYPTO_POINT_BYTES,
		    com + j * CRYPTO_POINT_BYTES, CRYPTO_POINT_BYTES);
		if (crypto_escrow_combine(sub, pts, k, S) == -1 ||
		    !crypto_equal(S, Y, CRYPTO_POINT_BYTES))
			return -1;
	}
	return 0;
}

int
srv_escrow_check_reshare(const json_t *root,
    const uint8_t Y[CRYPTO_POINT_BYTES], size_t k, size_t n, char *err,
    size_t errlen)
{
	const json_t	*rs, *ret, *dealers, *dc, *ds, *holders, *v;
	unsigned	 ridx[CRYPTO_ESCROW_MAX_HOLDERS];
	unsigned	 didx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		*rcom = NULL, *deal = NULL;
	uint8_t		 pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		 com[CRYPTO_POINT_BYTES], sum[CRYPTO_POINT_BYTES];
	size_t		 nret, kprev, i, j, t, len;
	int		 rc = -1;

	rs = json_object_get(root, "reshare");
	ret = json_object_get(rs, "retired");
	dealers = json_object_get(rs, "dealers");
	dc = json_object_get(rs, "dealer_commitments");
	ds = json_object_get(rs, "dealer_signatures");
	holders = json_object_get(root, "holders");
	v = json_object_get(rs, "previous_threshold");
	nret = json_array_size(ret);
	if (!json_is_object(rs) || !json_is_array(ret) || nret < 1 ||
	    nret > CRYPTO_ESCROW_MAX_HOLDERS || !json_is_integer(v) ||
	    json_integer_value(v) < 1 || (size_t)json_integer_value(v) > nret ||
	    json_object_size(rs) != 5) {
		snprintf(err, errlen, "the reshared escrow file has no valid "
		    "resharing record.");
		return -1;
	}
	kprev = (size_t)json_integer_value(v);
	rcom = malloc(CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES);
	deal = malloc((size_t)CRYPTO_ESCROW_MAX_HOLDERS *
	    CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES);
	if (rcom == NULL || deal == NULL) {
		snprintf(err, errlen, "out of memory.");
		goto out;
	}
	for (i = 0; i < nret; i++) {
		const json_t *h = json_array_get(ret, i);

		v = json_object_get(h, "index");
		if (!json_is_integer(v) || json_integer_value(v) !=
		    (json_int_t)(i + 1) || b64_point(json_object_get(h,
		    "commitment"), rcom + i * CRYPTO_POINT_BYTES) == -1) {
			snprintf(err, errlen, "retired holder %zu of the "
			    "reshared escrow file is not valid.", i + 1);
			goto out;
		}
		ridx[i] = (unsigned)(i + 1);
	}
	if (consistent(ridx, rcom, nret, kprev, Y) == -1) {
		snprintf(err, errlen, "the retired holders' commitments do not "
		    "match the escrow public key.");
		goto out;
	}
	if (!json_is_array(dealers) || json_array_size(dealers) != kprev ||
	    !json_is_array(dc) || json_array_size(dc) != kprev ||
	    !json_is_array(ds) || json_array_size(ds) != kprev) {
		snprintf(err, errlen, "the resharing record must name %zu "
		    "dealers with their commitments and signatures.", kprev);
		goto out;
	}
	for (i = 0; i < kprev; i++) {
		v = json_array_get(dealers, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    (size_t)json_integer_value(v) > nret) {
			snprintf(err, errlen, "dealer %zu is not a retired "
			    "holder.", i + 1);
			goto out;
		}
		didx[i] = (unsigned)json_integer_value(v);
		for (j = 0; j < i; j++)
			if (didx[j] == didx[i]) {
				snprintf(err, errlen, "the resharing record "
				    "names a dealer twice.");
				goto out;
			}
	}
	for (i = 0; i < kprev; i++) {
		const json_t *c = json_array_get(dc, i);

		v = json_array_get(ds, i);
		if (!json_is_array(c) || json_array_size(c) != k ||
		    !json_is_string(v) || json_string_length(v) !=
		    crypto_b64_len(CRYPTO_SIG_BYTES) - 1) {
			snprintf(err, errlen, "dealer %u's dealing is not "
			    "valid.", didx[i]);
			goto out;
		}
		for (t = 0; t < k; t++)
			if (b64_point(json_array_get(c, t), deal +
			    (i * CRYPTO_ESCROW_MAX_HOLDERS + t) *
			    CRYPTO_POINT_BYTES) == -1) {
				snprintf(err, errlen, "dealer %u's commitments "
				    "are not valid points.", didx[i]);
				goto out;
			}
		if (crypto_reshare_check_dealer(rcom + (didx[i] - 1) *
		    CRYPTO_POINT_BYTES, didx, kprev, didx[i], deal +
		    i * CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES) == -1) {
			snprintf(err, errlen, "dealer %u's dealing does not match "
			    "their retired share.", didx[i]);
			goto out;
		}
	}
	for (j = 0; j < n; j++) {
		const json_t *h = json_array_get(holders, j);
		const json_t *subs = json_object_get(h, "sealed_subshares");

		if (!json_is_array(subs) || json_array_size(subs) != kprev ||
		    json_object_get(h, "sealed_share") != NULL ||
		    b64_point(json_object_get(h, "commitment"), com) == -1) {
			snprintf(err, errlen, "holder %zu needs one sealed "
			    "sub-share from each dealer.", j + 1);
			goto out;
		}
		for (i = 0; i < kprev; i++) {
			v = json_array_get(subs, i);
			len = crypto_b64_len(CRYPTO_SCALAR_BYTES +
			    CRYPTO_BOX_SEAL_OVERHEAD) - 1;
			if (!json_is_string(v) || json_string_length(v) != len) {
				snprintf(err, errlen, "holder %zu has an invalid "
				    "sealed sub-share.", j + 1);
				goto out;
			}
			if (crypto_feldman_eval(deal + i *
			    CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES,
			    (unsigned)k, (unsigned)(j + 1),
			    pts + i * CRYPTO_POINT_BYTES) == -1)
				goto badcom;
		}
		if (crypto_point_sum(pts, kprev, sum) == -1 ||
		    !crypto_equal(sum, com, sizeof(com)))
			goto badcom;
	}
	rc = 0;
	goto out;
badcom:
	snprintf(err, errlen, "holder %zu's commitment does not follow from "
	    "the dealings.", j + 1);
out:
	free(rcom);
	free(deal);
	return rc;
}

/* Generations of one key a deployment has at most (one a year for a
 * century, with room for resharings); more are left unlinked. */
#define LINK_MAX	1024

struct link_arg {
	uint32_t		 gen;
	const uint8_t		*Y;
	uint32_t		 same[LINK_MAX];
	size_t			 nsame;
};

/* For each stored generation with the same Y: link it to the new one. */
static int
link_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct link_arg	*a = arg;
	json_t		*root;
	char		 name[48];
	uint8_t		 Yg[CRYPTO_POINT_BYTES];
	unsigned long	 g;
	char		*end;

	if (klen <= strlen(GEN_PREFIX) || klen >= sizeof(name) || vlen < 2 ||
	    ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return 0;
	memcpy(name, key, klen);
	name[klen] = '\0';
	g = strtoul(name + strlen(GEN_PREFIX), &end, 10);
	if (*end != '\0' || g == 0 || g >= a->gen)
		return 0;
	root = json_loadb((const char *)val + 1, vlen - 1, 0, NULL);
	if (root == NULL || b64_point(json_object_get(root, "public_key"),
	    Yg) == -1) {
		json_decref(root);
		return 0;
	}
	json_decref(root);
	if (crypto_equal(Yg, a->Y, sizeof(Yg)) && a->nsame < LINK_MAX)
		a->same[a->nsame++] = (uint32_t)g;
	return 0;
}

int
srv_escrow_link(struct store_txn *txn, uint32_t gen,
    const uint8_t Y[CRYPTO_POINT_BYTES], int reshared, int *make_current)
{
	struct link_arg		*a;
	struct srv_escrow	 cur;
	char			 name[32];
	uint8_t			 rec[5];
	size_t			 i;
	int			 rc;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return STORE_IO;
	a->gen = gen;
	a->Y = Y;
	/* Collected first, written after: no put while the cursor walks. */
	rc = store_each(txn, STORE_T_META, GEN_PREFIX, strlen(GEN_PREFIX),
	    GEN_PREFIX, strlen(GEN_PREFIX), link_each, a);
	for (i = 0; rc == STORE_OK && i < a->nsame; i++) {
		snprintf(name, sizeof(name), OPEN_PREFIX "%u", a->same[i]);
		rec[0] = SRV_RECORD_V1;
		store_be32_put(rec + 1, gen);
		rc = store_put(txn, STORE_T_META, name, strlen(name), rec,
		    sizeof(rec), 0);
	}
	free(a);
	if (rc != STORE_OK)
		return rc;
	/*
	 * A new ceremony is always the key for new submissions. A resharing
	 * only replaces the current generation when it reshares the current
	 * key; the resharing of an older key must not bring it back.
	 */
	*make_current = !reshared || srv_escrow_current(txn, &cur) == -1 ||
	    crypto_equal(cur.Y, Y, CRYPTO_POINT_BYTES);
	return STORE_OK;
}

int
srv_escrow_opener(struct store_txn *txn, uint32_t sealed_gen, uint32_t *gen)
{
	const void	*v;
	size_t		 vlen;
	char		 name[32];
	int		 rc;

	snprintf(name, sizeof(name), OPEN_PREFIX "%u", sealed_gen);
	rc = store_get(txn, STORE_T_META, name, strlen(name), &v, &vlen);
	if (rc == STORE_NOTFOUND) {
		*gen = sealed_gen;
		return STORE_OK;
	}
	if (rc != STORE_OK)
		return rc;
	if (vlen != 5 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	*gen = store_be32_get((const uint8_t *)v + 1);
	return STORE_OK;
}

int
srv_escrow_generation(struct store_txn *txn, uint32_t gen,
    struct srv_generation *g)
{
	struct core_errors	 errs;
	const json_t		*holders, *h;
	const void		*v;
	size_t			 vlen, i, n;
	char			 name[32];
	int			 rc;

	memset(g, 0, sizeof(*g));
	snprintf(name, sizeof(name), GEN_PREFIX "%u", gen);
	if ((rc = store_get(txn, STORE_T_META, name, strlen(name), &v,
	    &vlen)) != STORE_OK)
		return rc;
	if (vlen < 2 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse((const char *)v + 1, vlen - 1, SRV_ESCROW_DEPTH,
	    &g->file, &errs) != CORE_OK || !json_is_object(g->file))
		goto corrupt;
	holders = json_object_get(g->file, "holders");
	n = json_array_size(holders);
	if (n < 1 || n > CRYPTO_ESCROW_MAX_HOLDERS ||
	    b64_point(json_object_get(g->file, "public_key"), g->Y) == -1 ||
	    !json_is_integer(json_object_get(g->file, "threshold")))
		goto corrupt;
	g->generation = gen;
	g->n = (unsigned)n;
	g->threshold = (unsigned)json_integer_value(json_object_get(g->file,
	    "threshold"));
	if (g->threshold < 1 || g->threshold > n)
		goto corrupt;
	for (i = 0; i < n; i++) {
		const json_t	*s, *b;
		size_t		 m;

		h = json_array_get(holders, i);
		s = json_object_get(h, "sign_key");
		b = json_object_get(h, "box_key");
		if (b64_point(json_object_get(h, "commitment"),
		    g->holder[i].commitment) == -1 || !json_is_string(s) ||
		    !json_is_string(b) ||
		    crypto_b64_decode(json_string_value(s), json_string_length(s),
		    g->holder[i].sign_pk, CRYPTO_SIGN_PK_BYTES, &m) == -1 ||
		    m != CRYPTO_SIGN_PK_BYTES ||
		    crypto_b64_decode(json_string_value(b), json_string_length(b),
		    g->holder[i].box_pk, CRYPTO_BOX_PK_BYTES, &m) == -1 ||
		    m != CRYPTO_BOX_PK_BYTES)
			goto corrupt;
	}
	return STORE_OK;
corrupt:
	json_decref(g->file);
	g->file = NULL;
	return STORE_CORRUPT;
}

void
srv_generation_free(struct srv_generation *g)
{
	if (g == NULL)
		return;
	json_decref(g->file);
	g->file = NULL;
}
