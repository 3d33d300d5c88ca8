/*
 * escrow_gen.c: escrow generations beyond the first install (escrow.c):
 * reshared files, which holders open which identity, and which generation
 * is current (read by every submission).
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
 *
 * Beyond that, a resharing must name (by its configuration hash) a
 * generation this server has installed, its retired holders must be that
 * generation's holders, and each dealer's signature must verify with the
 * dealer's key in THAT generation: a file cannot make up its own dealers.
 * Every file, first or reshared, also needs every holder's signature over
 * its configuration hash (srv_escrow_gen_check_signatures), so no holder set
 * goes live that a holder did not check and sign.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

#define OPEN_PREFIX	"escrow.open."
#define GEN_PREFIX	"escrow.gen."
#define SEALED_BYTES	(CRYPTO_SCALAR_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)

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

/* One holder or retired holder: index (its position), keys, commitment. */
static int
member_parse(const json_t *h, unsigned pos, struct crypto_escrow_member *m)
{
	const json_t *v = json_object_get(h, "index");

	if (!json_is_object(h) || !json_is_integer(v) ||
	    json_integer_value(v) != (json_int_t)pos ||
	    srv_record_b64_value(json_object_get(h, "sign_key"), m->sign_pk,
	    CRYPTO_SIGN_PK_BYTES) == -1 ||
	    srv_record_b64_value(json_object_get(h, "box_key"), m->box_pk,
	    CRYPTO_BOX_PK_BYTES) == -1 ||
	    b64_point(json_object_get(h, "commitment"), m->commitment) == -1)
		return -1;
	m->index = pos;
	return 0;
}

/* "dkg": {"ceremony": 32 lower-case hex digits, "transcript": base64 of
 * 32 bytes}, nothing else. */
static int
dkg_parse(const json_t *o, struct crypto_escrow_config *c)
{
	const char	*id = json_string_value(json_object_get(o, "ceremony"));
	size_t		 i;
	int		 hi, lo;

	if (!json_is_object(o) || json_object_size(o) != 2 || id == NULL ||
	    strlen(id) != 2 * CRYPTO_DKG_ID_BYTES ||
	    srv_record_b64_value(json_object_get(o, "transcript"),
	    c->transcript, CRYPTO_HASH_BYTES) == -1)
		return -1;
	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++) {
		hi = id[2 * i] >= '0' && id[2 * i] <= '9' ? id[2 * i] - '0' :
		    id[2 * i] >= 'a' && id[2 * i] <= 'f' ? id[2 * i] - 'a' + 10 :
		    -1;
		lo = id[2 * i + 1] >= '0' && id[2 * i + 1] <= '9' ?
		    id[2 * i + 1] - '0' : id[2 * i + 1] >= 'a' &&
		    id[2 * i + 1] <= 'f' ? id[2 * i + 1] - 'a' + 10 : -1;
		if (hi < 0 || lo < 0)
			return -1;
		c->dkg_id[i] = (uint8_t)(hi << 4 | lo);
	}
	c->dkg = 1;
	return 0;
}

int
srv_escrow_gen_parse(const json_t *root, struct crypto_escrow_config *c,
    char *err, size_t errlen)
{
	const json_t	*holders, *rs, *ret, *dealers, *dc, *ds, *v;
	size_t		 i, t, n;

	memset(c, 0, sizeof(*c));
	v = json_object_get(root, "bisik_escrow");
	if (!json_is_object(root) || !json_is_integer(v) ||
	    (json_integer_value(v) != 1 && json_integer_value(v) != 2)) {
		snprintf(err, errlen, "the file is not a Bisik escrow file of "
		    "version 1 or 2.");
		return -1;
	}
	c->reshared = json_integer_value(v) == 2;
	if (b64_point(json_object_get(root, "public_key"), c->Y) == -1) {
		snprintf(err, errlen, "the escrow public key is not a valid "
		    "ristretto255 point.");
		return -1;
	}
	holders = json_object_get(root, "holders");
	n = json_is_array(holders) ? json_array_size(holders) : 0;
	if (n == 0 || n > CRYPTO_ESCROW_MAX_HOLDERS) {
		snprintf(err, errlen, "the escrow file must list 1 to %d "
		    "holders.", CRYPTO_ESCROW_MAX_HOLDERS);
		return -1;
	}
	v = json_object_get(root, "threshold");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    (size_t)json_integer_value(v) > n) {
		snprintf(err, errlen, "the threshold must be between 1 and the "
		    "number of holders.");
		return -1;
	}
	c->n = (unsigned)n;
	c->threshold = (unsigned)json_integer_value(v);
	for (i = 0; i < n; i++)
		if (member_parse(json_array_get(holders, i), (unsigned)i + 1,
		    &c->holders[i]) == -1) {
			snprintf(err, errlen, "holder %zu has a missing or "
			    "invalid index, key or commitment.", i + 1);
			return -1;
		}
	/* A key a dealerless ceremony made (docs/dkg.md): its id and
	 * transcript hash are hashed into the configuration, so the holders'
	 * signatures cover them; only a version 1 file has them. */
	if ((v = json_object_get(root, "dkg")) != NULL &&
	    (c->reshared || dkg_parse(v, c) == -1)) {
		snprintf(err, errlen, "the escrow file's dealerless ceremony "
		    "record is not valid, or is in a resharing.");
		return -1;
	}
	if ((rs = json_object_get(root, "reshare")) == NULL && !c->reshared)
		return 0;
	ret = json_object_get(rs, "retired");
	dealers = json_object_get(rs, "dealers");
	dc = json_object_get(rs, "dealer_commitments");
	ds = json_object_get(rs, "dealer_signatures");
	v = json_object_get(rs, "previous_threshold");
	if (!c->reshared || !json_is_object(rs) || json_object_size(rs) != 6 ||
	    srv_record_b64_value(json_object_get(rs, "previous_config"),
	    c->previous, CRYPTO_HASH_BYTES) == -1 || !json_is_array(ret) ||
	    json_array_size(ret) < 1 ||
	    json_array_size(ret) > CRYPTO_ESCROW_MAX_HOLDERS ||
	    !json_is_integer(v) || json_integer_value(v) < 1 ||
	    (size_t)json_integer_value(v) > json_array_size(ret)) {
		snprintf(err, errlen, "the escrow file has a resharing record "
		    "exactly when it is not of version 2, or the record is not "
		    "valid.");
		return -1;
	}
	c->nretired = (unsigned)json_array_size(ret);
	c->prev_threshold = (unsigned)json_integer_value(v);
	for (i = 0; i < c->nretired; i++)
		if (member_parse(json_array_get(ret, i), (unsigned)i + 1,
		    &c->retired[i]) == -1) {
			snprintf(err, errlen, "retired holder %zu of the "
			    "reshared escrow file is not valid.", i + 1);
			return -1;
		}
	if (!json_is_array(dealers) ||
	    json_array_size(dealers) != c->prev_threshold ||
	    !json_is_array(dc) || json_array_size(dc) != c->prev_threshold ||
	    !json_is_array(ds) || json_array_size(ds) != c->prev_threshold) {
		snprintf(err, errlen, "the resharing record must name %u "
		    "dealers with their commitments and signatures.",
		    c->prev_threshold);
		return -1;
	}
	c->ndealers = c->prev_threshold;
	for (i = 0; i < c->ndealers; i++) {
		const json_t *cl = json_array_get(dc, i);

		v = json_array_get(dealers, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    (size_t)json_integer_value(v) > c->nretired) {
			snprintf(err, errlen, "dealer %zu is not a retired "
			    "holder.", i + 1);
			return -1;
		}
		c->dealers[i] = (unsigned)json_integer_value(v);
		if (!json_is_array(cl) || json_array_size(cl) != c->threshold ||
		    srv_record_b64_value(json_array_get(ds, i),
		    c->dealer_sig[i], CRYPTO_SIG_BYTES) == -1) {
			snprintf(err, errlen, "dealer %u's dealing is not "
			    "valid.", c->dealers[i]);
			return -1;
		}
		for (t = 0; t < c->threshold; t++)
			if (b64_point(json_array_get(cl, t), c->dealing[i] +
			    t * CRYPTO_POINT_BYTES) == -1) {
				snprintf(err, errlen, "dealer %u's commitments "
				    "are not valid points.", c->dealers[i]);
				return -1;
			}
	}
	return 0;
}

int
srv_escrow_gen_check_signatures(const json_t *root,
    const struct crypto_escrow_config *c, uint8_t hash[CRYPTO_HASH_BYTES],
    char *err, size_t errlen)
{
	const json_t	*sigs = json_object_get(root, "holder_signatures"), *o;
	uint8_t		 h[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t		 seen[CRYPTO_ESCROW_MAX_HOLDERS];
	size_t		 i;
	unsigned	 idx, missing = 0;

	if (crypto_escrow_config_hash(c, hash) == -1) {
		snprintf(err, errlen, "the escrow file's counts are out of "
		    "bounds.");
		return -1;
	}
	if (json_object_get(root, "config_hash") != NULL &&
	    (srv_record_b64_value(json_object_get(root, "config_hash"), h,
	    sizeof(h)) == -1 || !crypto_equal(h, hash, sizeof(h)))) {
		snprintf(err, errlen, "the escrow file's configuration hash "
		    "does not match its contents.");
		return -1;
	}
	memset(seen, 0, sizeof(seen));
	if (sigs != NULL && !json_is_array(sigs)) {
		snprintf(err, errlen, "the escrow file's holder signatures are "
		    "not a list.");
		return -1;
	}
	json_array_foreach(sigs, i, o) {
		const json_t *v = json_object_get(o, "index");

		if (!json_is_object(o) || json_object_size(o) != 2 ||
		    !json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > (json_int_t)c->n ||
		    srv_record_b64_value(json_object_get(o, "signature"), sig,
		    sizeof(sig)) == -1) {
			snprintf(err, errlen, "holder signature %zu of the "
			    "escrow file is not valid.", i + 1);
			return -1;
		}
		idx = (unsigned)json_integer_value(v);
		if (seen[idx - 1]) {
			snprintf(err, errlen, "holder %u signed the escrow "
			    "configuration twice.", idx);
			return -1;
		}
		if (crypto_sign_check(c->holders[idx - 1].sign_pk, hash,
		    CRYPTO_HASH_BYTES, sig) == -1) {
			snprintf(err, errlen, "holder %u's signature over the "
			    "escrow configuration does not verify.", idx);
			return -1;
		}
		seen[idx - 1] = 1;
	}
	for (idx = c->n; idx >= 1; idx--)
		if (!seen[idx - 1]) {
			missing++;
			i = idx;
		}
	if (missing > 0) {
		snprintf(err, errlen, "%u of %u holders (holder %zu first) "
		    "have not signed the escrow configuration: each runs "
		    "`bisik escrow sign` on the file before it is installed.",
		    missing, c->n, i);
		return -1;
	}
	return 0;
}

struct previous_arg {
	const uint8_t			*want;
	struct crypto_escrow_config	*c;	/* scratch */
	struct crypto_escrow_config	*found;	/* out */
	int				 ok;
};

/* For each installed generation: is its configuration hash `want`? */
static int
previous_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct previous_arg	*a = arg;
	struct core_errors	 errs;
	json_t			*root = NULL;
	uint8_t			 h[CRYPTO_HASH_BYTES];
	char			 err[8];

	(void)key;
	(void)klen;
	if (vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return 0;
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse((const char *)val + 1, vlen - 1, SRV_ESCROW_DEPTH,
	    &root, &errs) != CORE_OK)
		return 0;
	if (srv_escrow_gen_parse(root, a->c, err, sizeof(err)) == 0 &&
	    crypto_escrow_config_hash(a->c, h) == 0 &&
	    crypto_equal(h, a->want, sizeof(h))) {
		memcpy(a->found, a->c, sizeof(*a->c));
		a->ok = 1;
	}
	json_decref(root);
	return a->ok ? STORE_STOP : 0;
}

static int
previous_read(struct store_txn *txn, void *arg)
{
	int rc;

	rc = store_each(txn, STORE_T_META, GEN_PREFIX, strlen(GEN_PREFIX),
	    GEN_PREFIX, strlen(GEN_PREFIX), previous_each, arg);
	return rc;
}

int
srv_escrow_gen_check_dealers(struct store *s, const json_t *root,
    const struct crypto_escrow_config *c, char *err, size_t errlen)
{
	struct previous_arg	 a = { 0 };
	const json_t		*holders = json_object_get(root, "holders");
	uint8_t			*keys = NULL, *sealed = NULL;
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	unsigned		 i, j;
	int			 rc = -1;

	memset(&a, 0, sizeof(a));
	a.want = c->previous;
	a.c = malloc(sizeof(*a.c));
	a.found = malloc(sizeof(*a.found));
	keys = malloc((size_t)c->n * 64);
	sealed = malloc((size_t)c->n * SEALED_BYTES);
	if (a.c == NULL || a.found == NULL || keys == NULL || sealed == NULL) {
		snprintf(err, errlen, "out of memory.");
		goto out;
	}
	if (store_read(s, previous_read, &a) != STORE_OK || !a.ok) {
		snprintf(err, errlen, "the reshared escrow file names a "
		    "previous generation this server has not installed.");
		goto out;
	}
	if (!crypto_equal(a.found->Y, c->Y, CRYPTO_POINT_BYTES) ||
	    a.found->threshold != c->prev_threshold ||
	    a.found->n != c->nretired) {
		snprintf(err, errlen, "the resharing record does not match the "
		    "previous generation's key, threshold or holders.");
		goto out;
	}
	for (i = 0; i < c->nretired; i++)
		if (memcmp(&a.found->holders[i], &c->retired[i],
		    sizeof(c->retired[i])) != 0) {
			snprintf(err, errlen, "retired holder %u is not holder "
			    "%u of the previous generation.", i + 1, i + 1);
			goto out;
		}
	for (j = 0; j < c->n; j++) {
		memcpy(keys + (size_t)j * 64, c->holders[j].sign_pk, 32);
		memcpy(keys + (size_t)j * 64 + 32, c->holders[j].box_pk, 32);
	}
	for (i = 0; i < c->ndealers; i++) {
		for (j = 0; j < c->n; j++) {
			const json_t *subs = json_object_get(json_array_get(
			    holders, j), "sealed_subshares");

			if (srv_record_b64_value(json_array_get(subs, i),
			    sealed + (size_t)j * SEALED_BYTES, SEALED_BYTES) ==
			    -1) {
				snprintf(err, errlen, "holder %u has an "
				    "invalid sealed sub-share.", j + 1);
				goto out;
			}
		}
		crypto_reshare_digest(c->Y, c->previous, c->prev_threshold,
		    c->dealers, c->ndealers, c->dealers[i], c->threshold, c->n,
		    keys, c->dealing[i], sealed, digest);
		/* The key of the installed generation, not the file's claim. */
		if (crypto_sign_check(a.found->holders[c->dealers[i] -
		    1].sign_pk, digest, sizeof(digest), c->dealer_sig[i]) ==
		    -1) {
			snprintf(err, errlen, "dealer %u's signature does not "
			    "verify with their key in the previous generation.",
			    c->dealers[i]);
			goto out;
		}
	}
	rc = 0;
out:
	free(a.c);
	free(a.found);
	free(keys);
	free(sealed);
	return rc;
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
srv_escrow_gen_check_reshare(const json_t *root,
    const uint8_t Y[CRYPTO_POINT_BYTES], size_t k, size_t n, char *err,
    size_t errlen)
{
	const json_t	*rs, *ret, *dealers, *dc, *ds, *holders, *v;
	unsigned	 ridx[CRYPTO_ESCROW_MAX_HOLDERS];
	unsigned	 didx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		*rcom = NULL, *deal = NULL;
	uint8_t		 pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		 com[CRYPTO_POINT_BYTES], sum[CRYPTO_POINT_BYTES];
	size_t		 nret, kprev, i, j = 0, t, len;
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
	    json_object_size(rs) != 6) {
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
			snprintf(err, errlen, "dealer %u's dealing does not "
			    "match their retired share.", didx[i]);
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
				snprintf(err, errlen, "holder %zu has an "
				    "invalid sealed sub-share.", j + 1);
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
srv_escrow_gen_current(struct store_txn *txn, struct srv_escrow *e)
{
	const uint8_t	*v;
	const void	*vv;
	size_t		 vlen;

	if (store_get(txn, STORE_T_META, SRV_ESCROW_CURRENT_KEY,
	    strlen(SRV_ESCROW_CURRENT_KEY), &vv, &vlen) != STORE_OK ||
	    vlen != 1 + SRV_ESCROW_CURRENT_LEN)
		return -1;
	v = vv;
	if (v[0] != SRV_RECORD_V1)
		return -1;
	e->generation = store_be32_get(v + 1);
	memcpy(e->Y, v + 5, CRYPTO_POINT_BYTES);
	e->threshold = v[5 + CRYPTO_POINT_BYTES];
	e->holders = v[6 + CRYPTO_POINT_BYTES];
	return 0;
}

int
srv_escrow_gen_link(struct store_txn *txn, uint32_t gen,
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
	*make_current = !reshared || srv_escrow_gen_current(txn, &cur) == -1 ||
	    crypto_equal(cur.Y, Y, CRYPTO_POINT_BYTES);
	return STORE_OK;
}

int
srv_escrow_gen_opener(struct store_txn *txn, uint32_t sealed_gen, uint32_t *gen)
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
srv_escrow_gen_load(struct store_txn *txn, uint32_t gen,
    struct srv_generation *g)
{
	struct core_errors		 errs;
	struct crypto_escrow_config	*c = NULL;
	const void			*v;
	size_t				 vlen, i;
	char				 name[32], err[8];
	int				 rc;

	memset(g, 0, sizeof(*g));
	snprintf(name, sizeof(name), GEN_PREFIX "%u", gen);
	if ((rc = store_get(txn, STORE_T_META, name, strlen(name), &v,
	    &vlen)) != STORE_OK)
		return rc;
	if (vlen < 2 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	if ((c = malloc(sizeof(*c))) == NULL)
		return STORE_IO;
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse((const char *)v + 1, vlen - 1, SRV_ESCROW_DEPTH,
	    &g->file, &errs) != CORE_OK || !json_is_object(g->file) ||
	    srv_escrow_gen_parse(g->file, c, err, sizeof(err)) == -1 ||
	    crypto_escrow_config_hash(c, g->config) == -1)
		goto corrupt;
	g->generation = gen;
	g->n = c->n;
	g->threshold = c->threshold;
	memcpy(g->Y, c->Y, sizeof(g->Y));
	for (i = 0; i < c->n; i++) {
		memcpy(g->holder[i].sign_pk, c->holders[i].sign_pk,
		    CRYPTO_SIGN_PK_BYTES);
		memcpy(g->holder[i].box_pk, c->holders[i].box_pk,
		    CRYPTO_BOX_PK_BYTES);
		memcpy(g->holder[i].commitment, c->holders[i].commitment,
		    CRYPTO_POINT_BYTES);
	}
	free(c);
	return STORE_OK;
corrupt:
	free(c);
	json_decref(g->file);
	g->file = NULL;
	return STORE_CORRUPT;
}

void
srv_escrow_gen_free(struct srv_generation *g)
{
	if (g == NULL)
		return;
	json_decref(g->file);
	g->file = NULL;
}
