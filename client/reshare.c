/*
 * reshare.c: `bisik escrow reshare deal|combine|verify`, handing an
 * escrow generation to a new set of admins (new threshold and number)
 * without ever rebuilding the escrow key (crypto/reshare.c has the
 * mathematics; SECURITY.md the ceremony).
 *
 *   deal     each of K old holders, on their own machine, opens their
 *            share and deals its Lagrange-weighted value to the new
 *            admins: one sub-share sealed to each new admin's box key,
 *            Feldman commitments, and a signature with their admin key.
 *   combine  anyone puts the K deal files together into a new escrow.pub
 *            (version 2) with the same public key, the new holders, their
 *            commitments and sealed sub-shares, and the record of the
 *            resharing (the retired holders, the dealers and what each
 *            dealt), which every reader checks again.
 *   verify   each new admin opens their sub-shares and checks each one
 *            against its dealer's commitments (and, with --previous,
 *            the record against the old generation's pinned file);
 *            `escrow sign` does the same before it signs.
 *
 * Every deal is signed over the configuration hash of the old file its
 * dealer holds, and combining checks each deal's signature with the
 * dealer's key in the old file given with --escrow, so a new file can
 * only come from the holders of the generation its makers pinned.
 *
 * A deal file holds no secret in plain: sub-shares are sealed to their new
 * holders. Combining needs no key at all.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))
/* A deal file: the escrow's public part for up to 64 new holders. */
#define DEAL_FILE_MAX	(64 * 1024)

static const char *const deal_fields[] = {
	"bisik_reshare_deal", "escrow_id", "public_key", "previous_config",
	"previous_threshold", "dealers", "dealer", "threshold", "holders",
	"commitments", "sealed_subshares", "signature"
};
static const char *const deal_holder_fields[] = {
	"index", "sign_key", "box_key"
};

/* The new holders' keys, sign ‖ box each, as the dealer digest takes them. */
static void
holder_keys(const struct client_holder *h, unsigned n, uint8_t *keys)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		memcpy(keys + (size_t)i * 64, h[i].sign_pk, 32);
		memcpy(keys + (size_t)i * 64 + 32, h[i].box_pk, 32);
	}
}

void
client_reshare_digest(const struct client_escrow *e, unsigned pos,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	uint8_t		 keys[CRYPTO_ESCROW_MAX_HOLDERS * 64];
	uint8_t		 sealed[CRYPTO_ESCROW_MAX_HOLDERS *
			     CLIENT_SEALED_SHARE_BYTES];
	unsigned	 j;

	holder_keys(e->holders, e->n, keys);
	for (j = 0; j < e->n; j++)
		memcpy(sealed + (size_t)j * CLIENT_SEALED_SHARE_BYTES,
		    e->holders[j].sealed_sub[pos], CLIENT_SEALED_SHARE_BYTES);
	crypto_reshare_digest(e->Y, e->previous, e->prev_threshold,
	    e->dealers, e->ndealers, e->dealers[pos], e->threshold, e->n, keys,
	    e->dealing[pos], sealed, out);
}

/* "1,3,4" into distinct indices 1..max; exactly `want` of them. */
static int
parse_indices(const char *s, unsigned max, unsigned want, unsigned *out)
{
	unsigned long	v;
	unsigned	n = 0, i;
	char		word[12];
	const char	*p = s, *c;
	size_t		len;

	while (*p != '\0') {
		c = strchr(p, ',');
		len = c != NULL ? (size_t)(c - p) : strlen(p);
		if (len == 0 || len >= sizeof(word) || n == want)
			return -1;
		memcpy(word, p, len);
		word[len] = '\0';
		if (client_parse_uint(word, 1, max, &v) == -1)
			return -1;
		for (i = 0; i < n; i++)
			if (out[i] == v)
				return -1;
		out[n++] = (unsigned)v;
		p += len;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	return n == want ? 0 : -1;
}

/* ---- deal --------------------------------------------------------------- */

static const struct client_optspec deal_opts[] = {
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "dealers", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "new-threshold", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "new-admin", CLIENT_OPT_ARG | CLIENT_OPT_MULTI | CLIENT_OPT_REQUIRED },
	{ "out", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
};

/* One dealer's part: the deal file's JSON. */
static json_t *
deal_json(const struct client_escrow *e, const unsigned *dealers,
    unsigned me, unsigned k2, unsigned n2, const struct client_holder *nh,
    const uint8_t *com, const uint8_t *sealed, const uint8_t *sig)
{
	json_t		*o = NULL, *d, *h, *hs;
	unsigned	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "bisik_reshare_deal", json_integer(1)) ==
	    -1 || json_object_set_new(o, "escrow_id", json_string(e->id)) ==
	    -1 || json_object_set_new(o, "public_key", client_json_b64(e->Y,
	    sizeof(e->Y))) == -1 ||
	    json_object_set_new(o, "previous_config", client_json_b64(e->config,
	    sizeof(e->config))) == -1 ||
	    json_object_set_new(o, "previous_threshold",
	    json_integer(e->threshold)) == -1 ||
	    json_object_set_new(o, "dealers", d = json_array()) == -1 ||
	    json_object_set_new(o, "dealer", json_integer(me)) == -1 ||
	    json_object_set_new(o, "threshold", json_integer(k2)) == -1 ||
	    json_object_set_new(o, "holders", hs = json_array()) == -1 ||
	    json_object_set_new(o, "commitments", client_json_b64_list(com,
	    k2, CRYPTO_POINT_BYTES)) == -1 ||
	    json_object_set_new(o, "sealed_subshares",
	    client_json_b64_list(sealed, n2, CLIENT_SEALED_SHARE_BYTES)) ==
	    -1 ||
	    json_object_set_new(o, "signature", client_json_b64(sig,
	    CRYPTO_SIG_BYTES)) == -1)
		goto fail;
	for (i = 0; i < e->threshold; i++)
		if (json_array_append_new(d, json_integer(dealers[i])) == -1)
			goto fail;
	for (i = 0; i < n2; i++)
		if ((h = json_pack("{s:i, s:o, s:o}", "index", (int)(i + 1),
		    "sign_key", client_json_b64(nh[i].sign_pk, 32),
		    "box_key", client_json_b64(nh[i].box_pk, 32))) == NULL ||
		    json_array_append_new(hs, h) == -1)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static int
reshare_deal(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*e = NULL;
	struct client_holder	*nh = NULL;
	struct crypto_admin_key	*key = NULL;
	const char *const	*admins;
	unsigned		 dealers[CRYPTO_ESCROW_MAX_HOLDERS], me = 0;
	uint8_t			*share = NULL, *sub = NULL;
	uint8_t			 com[CRYPTO_ESCROW_MAX_HOLDERS *
				     CRYPTO_POINT_BYTES];
	uint8_t			*sealed = NULL, sig[CRYPTO_SIG_BYTES];
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	uint8_t			 keys[CRYPTO_ESCROW_MAX_HOLDERS * 64];
	unsigned long		 k2;
	size_t			 n2, i, j, passlen, len;
	char			 err[160], *pass = NULL, *text = NULL;
	json_t			*out = NULL;
	int			 rc = CLIENT_EXIT_FAIL, inset = 0;

	if (client_args_parse(argc, argv, deal_opts, NOPTS(deal_opts), &a, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	admins = client_arg_multi(&a, "new-admin", &n2);
	if (client_parse_uint(client_arg(&a, "new-threshold"), 1, n2, &k2) ==
	    -1) {
		client_err("--new-threshold must be a number from 1 to the "
		    "number of --new-admin keys (%zu)", n2);
		return CLIENT_EXIT_USAGE;
	}
	if (client_path_exists(client_arg(&a, "out"))) {
		client_err("%s already exists; a deal file is never overwritten",
		    client_arg(&a, "out"));
		return CLIENT_EXIT_FAIL;
	}
	e = calloc(1, sizeof(*e));
	nh = calloc(CRYPTO_ESCROW_MAX_HOLDERS, sizeof(*nh));
	sealed = malloc(CRYPTO_ESCROW_MAX_HOLDERS * CLIENT_SEALED_SHARE_BYTES);
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	sub = crypto_secret_alloc(CRYPTO_ESCROW_MAX_HOLDERS *
	    CRYPTO_SCALAR_BYTES);
	key = crypto_secret_alloc(sizeof(*key));
	if (e == NULL || nh == NULL || sealed == NULL || share == NULL ||
	    sub == NULL || key == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_load(client_arg(&a, "escrow"), e) == -1)
		goto out;
	if (parse_indices(client_arg(&a, "dealers"), e->n, e->threshold,
	    dealers) == -1) {
		client_err("--dealers must list exactly %u distinct holder "
		    "indices of the escrow file (1 to %u), like 1,2",
		    e->threshold, e->n);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < n2; i++) {
		nh[i].index = (unsigned)i + 1;
		if (client_adminpub_load(admins[i], nh[i].sign_pk,
		    nh[i].box_pk) == -1)
			goto out;
		for (j = 0; j < i; j++)
			if (crypto_equal(nh[i].sign_pk, nh[j].sign_pk, 32) ||
			    crypto_equal(nh[i].box_pk, nh[j].box_pk, 32)) {
				client_err("%s and %s hold the same admin key",
				    admins[j], admins[i]);
				goto out;
			}
	}
	if (client_pass_get(client_arg(&a, "passphrase-file"),
	    "Passphrase of the admin key: ", 0, 0, &pass, &passlen) == -1 ||
	    client_adminkey_load(client_arg(&a, "key"), pass, passlen,
	    key) == -1)
		goto out;
	if (client_escrow_open_share(e, key, &me, share) == -1)
		goto out;
	for (i = 0; i < e->threshold; i++)
		inset |= dealers[i] == me;
	if (!inset) {
		client_err("this key is holder %u, which --dealers does not "
		    "name", me);
		goto out;
	}
	if (crypto_reshare_deal(share, dealers, e->threshold, me,
	    (unsigned)k2, (unsigned)n2, sub, com) == -1) {
		client_err("cannot deal the share");
		goto out;
	}
	for (i = 0; i < n2; i++)
		if (crypto_box_to(nh[i].box_pk, sub + i * CRYPTO_SCALAR_BYTES,
		    CRYPTO_SCALAR_BYTES, sealed + i * CLIENT_SEALED_SHARE_BYTES) ==
		    -1) {
			client_err("cannot seal a sub-share to %s: the box key "
			    "is not usable", admins[i]);
			goto out;
		}
	/* Signed over the configuration of the file this dealer holds: the
	 * new file can only name the generation the dealer pinned. */
	holder_keys(nh, (unsigned)n2, keys);
	crypto_reshare_digest(e->Y, e->config, e->threshold, dealers,
	    e->threshold, me, (unsigned)k2, (unsigned)n2, keys, com, sealed,
	    digest);
	crypto_sign_msg(key->sign_sk, digest, sizeof(digest), sig);
	if ((out = deal_json(e, dealers, me, (unsigned)k2, (unsigned)n2, nh,
	    com, sealed, sig)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_dump(out, &text, &len) == -1 ||
	    client_file_write(client_arg(&a, "out"), text, len, 0644,
	    CLIENT_WRITE_EXCL, "deal file") == -1)
		goto out;
	printf("holder %u dealt its share of escrow %s to %zu new admins "
	    "(%lu-of-%zu); deal written to %s\n", me, e->id, n2, k2, n2,
	    client_arg(&a, "out"));
	rc = CLIENT_EXIT_OK;
out:
	client_mem_free(text);
	json_decref(out);
	crypto_secret_free(pass);
	crypto_secret_free(key);
	crypto_secret_free(share);
	crypto_secret_free(sub);
	free(sealed);
	free(nh);
	free(e);
	return rc;
}

/* ---- combine -------------------------------------------------------------- */

static const struct client_optspec combine_opts[] = {
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "deal", CLIENT_OPT_ARG | CLIENT_OPT_MULTI | CLIENT_OPT_REQUIRED },
	{ "out-dir", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
};

/*
 * Reads one deal file into the new generation n at dealer position pos
 * (the order of the dealers list). The first deal fixes the dealers, the
 * new threshold and the new holders; every other deal must agree.
 */
static int
deal_read(const char *path, const struct client_escrow *old,
    struct client_escrow *n, int first, unsigned *dealer)
{
	json_t		*root = NULL;
	const json_t	*v, *hs;
	char		*buf = NULL, what[300] = "";
	uint8_t		 Y[CRYPTO_POINT_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t		 com[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		 prev[CRYPTO_HASH_BYTES], digest[CRYPTO_HASH_BYTES];
	uint8_t		 keys[CRYPTO_ESCROW_MAX_HOLDERS * 64];
	uint8_t		*sealed = NULL;
	unsigned	 dealers[CRYPTO_ESCROW_MAX_HOLDERS], k2, n2, me, pos;
	size_t		 len, i;
	int		 rc = -1;

	snprintf(what, sizeof(what), "deal file %s", path);
	if (client_file_read(path, DEAL_FILE_MAX, 0, "deal file", &buf,
	    &len) == -1)
		return -1;
	if (client_json_object(buf, len, deal_fields, NOPTS(deal_fields),
	    "bisik_reshare_deal", what, &root) == -1)
		goto out;
	if (client_json_get_b64(root, "public_key", Y, sizeof(Y), what) == -1)
		goto out;
	v = json_object_get(root, "escrow_id");
	if (!crypto_equal(Y, old->Y, sizeof(Y)) || !json_is_string(v) ||
	    strcmp(json_string_value(v), old->id) != 0) {
		client_err("the %s is for another escrow key than %s", what,
		    old->id);
		goto out;
	}
	if (client_json_get_b64(root, "previous_config", prev, sizeof(prev),
	    what) == -1)
		goto out;
	if (!crypto_equal(prev, old->config, sizeof(prev))) {
		client_err("the %s was dealt from another configuration of "
		    "escrow %s than the file given with --escrow", what,
		    old->id);
		goto out;
	}
	v = json_object_get(root, "previous_threshold");
	if (!json_is_integer(v) ||
	    json_integer_value(v) != (json_int_t)old->threshold) {
		client_err("the %s was dealt for another threshold", what);
		goto out;
	}
	v = json_object_get(root, "dealers");
	if (!json_is_array(v) || json_array_size(v) != old->threshold) {
		client_err("the %s does not name %u dealers", what,
		    old->threshold);
		goto out;
	}
	for (i = 0; i < old->threshold; i++) {
		const json_t *d = json_array_get(v, i);

		if (!json_is_integer(d) || json_integer_value(d) < 1 ||
		    json_integer_value(d) > (json_int_t)old->n) {
			client_err("the %s names a dealer that is no holder",
			    what);
			goto out;
		}
		dealers[i] = (unsigned)json_integer_value(d);
	}
	v = json_object_get(root, "dealer");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > (json_int_t)old->n) {
		client_err("the %s names no valid dealer", what);
		goto out;
	}
	me = (unsigned)json_integer_value(v);
	v = json_object_get(root, "threshold");
	hs = json_object_get(root, "holders");
	if (!json_is_array(hs) || json_array_size(hs) < 1 ||
	    json_array_size(hs) > CRYPTO_ESCROW_MAX_HOLDERS ||
	    !json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > (json_int_t)json_array_size(hs)) {
		client_err("the %s has no valid new threshold and holders",
		    what);
		goto out;
	}
	k2 = (unsigned)json_integer_value(v);
	n2 = (unsigned)json_array_size(hs);
	if (first) {
		n->threshold = k2;
		n->n = n2;
		n->ndealers = old->threshold;
		memcpy(n->dealers, dealers, sizeof(dealers));
		for (i = 0; i < n2; i++) {
			struct client_holder	*h = &n->holders[i];
			const json_t		*o = json_array_get(hs, i);
			const char		*key;
			json_t			*x;
			size_t			 f;

			if (!json_is_object(o))
				goto badholder;
			json_object_foreach((json_t *)(uintptr_t)o, key, x) {
				for (f = 0; f < NOPTS(deal_holder_fields); f++)
					if (strcmp(key,
					    deal_holder_fields[f]) == 0)
						break;
				if (f == NOPTS(deal_holder_fields))
					goto badholder;
			}
			x = json_object_get(o, "index");
			if (!json_is_integer(x) ||
			    json_integer_value(x) != (json_int_t)(i + 1) ||
			    client_json_get_b64(o, "sign_key", h->sign_pk, 32,
			    what) == -1 || client_json_get_b64(o, "box_key",
			    h->box_pk, 32, what) == -1)
				goto badholder;
			h->index = (unsigned)i + 1;
		}
	} else {
		if (k2 != n->threshold || n2 != n->n ||
		    memcmp(dealers, n->dealers,
		    old->threshold * sizeof(dealers[0])) != 0) {
			client_err("the %s does not agree with the first deal "
			    "on the dealers, the new threshold or the new "
			    "admins", what);
			goto out;
		}
		for (i = 0; i < n2; i++) {
			const json_t	*o = json_array_get(hs, i);
			uint8_t		 s[32], b[32];

			if (client_json_get_b64(o, "sign_key", s, 32, what) ==
			    -1 || client_json_get_b64(o, "box_key", b, 32,
			    what) == -1 || !crypto_equal(s,
			    n->holders[i].sign_pk, 32) || !crypto_equal(b,
			    n->holders[i].box_pk, 32)) {
				client_err("the %s does not agree with the "
				    "first deal on new admin %zu", what, i + 1);
				goto out;
			}
		}
	}
	for (pos = 0; pos < n->ndealers; pos++)
		if (n->dealers[pos] == me)
			break;
	if (pos == n->ndealers) {
		client_err("the %s was dealt by holder %u, whom the dealers "
		    "list does not name", what, me);
		goto out;
	}
	if ((sealed = malloc((size_t)n2 * CLIENT_SEALED_SHARE_BYTES)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_get_b64_list(root, "commitments", k2,
	    CRYPTO_POINT_BYTES, com, what) == -1 ||
	    client_json_get_b64_list(root, "sealed_subshares", n2,
	    CLIENT_SEALED_SHARE_BYTES, sealed, what) == -1 ||
	    client_json_get_b64(root, "signature", sig, sizeof(sig), what) ==
	    -1)
		goto out;
	/* The dealer is known by its key in the pinned old file, never by a
	 * key the deal or the new file names. */
	holder_keys(n->holders, n2, keys);
	crypto_reshare_digest(old->Y, old->config, old->threshold, dealers,
	    old->threshold, me, k2, n2, keys, com, sealed, digest);
	if (crypto_sign_check(old->holders[me - 1].sign_pk, digest,
	    sizeof(digest), sig) == -1) {
		client_err("the %s is not signed by holder %u's key in the "
		    "file given with --escrow", what, me);
		goto out;
	}
	memcpy(n->dealing[pos], com, (size_t)k2 * CRYPTO_POINT_BYTES);
	memcpy(n->dealer_sig[pos], sig, sizeof(sig));
	for (i = 0; i < n2; i++)
		memcpy(n->holders[i].sealed_sub[pos],
		    sealed + i * CLIENT_SEALED_SHARE_BYTES,
		    CLIENT_SEALED_SHARE_BYTES);
	*dealer = me;
	rc = 0;
	goto out;
badholder:
	client_err("the %s lists a new admin that is not valid", what);
out:
	free(sealed);
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

static int
reshare_combine(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*old = NULL, *n = NULL, *chk = NULL;
	const char *const	*deals;
	const char		*dir = NULL;
	uint8_t			 pts[CRYPTO_ESCROW_MAX_HOLDERS *
				     CRYPTO_POINT_BYTES];
	unsigned		 seen[CRYPTO_ESCROW_MAX_HOLDERS], d, i, j;
	size_t			 ndeals;
	char			 err[160], *path = NULL;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	json_t			*j_new = NULL;
	int			 rc = CLIENT_EXIT_FAIL, made = 0;

	if (client_args_parse(argc, argv, combine_opts, NOPTS(combine_opts),
	    &a, err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	deals = client_arg_multi(&a, "deal", &ndeals);
	dir = client_arg(&a, "out-dir");
	if (client_path_exists(dir)) {
		client_err("%s already exists; combining makes a new directory",
		    dir);
		return CLIENT_EXIT_FAIL;
	}
	old = calloc(1, sizeof(*old));
	n = calloc(1, sizeof(*n));
	chk = calloc(1, sizeof(*chk));
	if (old == NULL || n == NULL || chk == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_load(client_arg(&a, "escrow"), old) == -1)
		goto out;
	if (ndeals != old->threshold) {
		client_err("escrow %s is %u-of-%u: give exactly %u --deal files",
		    old->id, old->threshold, old->n, old->threshold);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < ndeals; i++) {
		if (deal_read(deals[i], old, n, i == 0, &d) == -1)
			goto out;
		seen[i] = d;
		for (j = 0; j < i; j++)
			if (seen[j] == d) {
				client_err("%s and %s were dealt by the same "
				    "holder %u", deals[j], deals[i], d);
				goto out;
			}
	}
	n->version = 2;
	memcpy(n->previous, old->config, sizeof(n->previous));
	memcpy(n->Y, old->Y, sizeof(n->Y));
	client_escrow_id(n->Y, n->id);
	n->prev_threshold = old->threshold;
	n->nretired = old->n;
	for (i = 0; i < old->n; i++) {
		n->retired[i].index = old->holders[i].index;
		memcpy(n->retired[i].sign_pk, old->holders[i].sign_pk, 32);
		memcpy(n->retired[i].box_pk, old->holders[i].box_pk, 32);
		memcpy(n->retired[i].commitment, old->holders[i].commitment,
		    32);
	}
	/* Y'_j = Σ over dealers of their committed polynomial at j. */
	for (j = 0; j < n->n; j++) {
		for (i = 0; i < n->ndealers; i++)
			if (crypto_feldman_eval(n->dealing[i], n->threshold,
			    j + 1, pts + i * CRYPTO_POINT_BYTES) == -1) {
				client_err("a dealing holds an invalid "
				    "commitment");
				goto out;
			}
		if (crypto_point_sum(pts, n->ndealers,
		    n->holders[j].commitment) == -1) {
			client_err("the dealings do not give new admin %u a "
			    "valid commitment", j + 1);
			goto out;
		}
	}
	/* Whatever we write must pass every reader's checks: the dealers'
	 * commitments against their retired shares, their signatures, the
	 * new commitments against Y. */
	if (client_escrow_rehash(n) == -1 ||
	    (j_new = client_escrow_json(n)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_from_json(j_new, "combined escrow file", chk) == -1)
		goto out;
	if ((path = malloc(strlen(dir) + sizeof("/escrow.pub"))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	strcpy(path, dir);
	strcat(path, "/escrow.pub");
	if (mkdir(dir, 0700) == -1) {
		client_err("cannot create the directory %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	made = 1;
	if (client_escrow_save(path, n) == -1)
		goto out;
	crypto_escrow_fingerprint(n->Y, fp);
	printf("escrow %s reshared from %u-of-%u to %u-of-%u (same public "
	    "key), written to %s\n", n->id, old->threshold, old->n,
	    n->threshold, n->n, path);
	printf("fingerprint: %s\n", fp);
	printf("each new admin checks their share and signs with `bisik "
	    "escrow sign --escrow %s --previous OLD/escrow.pub --key "
	    "THEIR.key` before `bisikd escrow set --public-key %s`\n", path,
	    path);
	rc = CLIENT_EXIT_OK;
out:
	if (rc != CLIENT_EXIT_OK && made)
		(void)rmdir(dir);
	json_decref(j_new);
	free(path);
	free(old);
	free(n);
	free(chk);
	return rc;
}

/* ---- verify ------------------------------------------------------------------ */

static const struct client_optspec verify_opts[] = {
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "previous", CLIENT_OPT_ARG },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
};

static int
reshare_verify(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*e = NULL, *prev = NULL;
	struct crypto_admin_key	*key = NULL;
	uint8_t			*share = NULL;
	unsigned		 idx;
	size_t			 passlen;
	char			 err[160], *pass = NULL;
	int			 rc = CLIENT_EXIT_FAIL;

	if (client_args_parse(argc, argv, verify_opts, NOPTS(verify_opts), &a,
	    err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	e = calloc(1, sizeof(*e));
	prev = calloc(1, sizeof(*prev));
	key = crypto_secret_alloc(sizeof(*key));
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	if (e == NULL || prev == NULL || key == NULL || share == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_load(client_arg(&a, "escrow"), e) == -1)
		goto out;
	if (client_arg(&a, "previous") != NULL && (client_escrow_load(
	    client_arg(&a, "previous"), prev) == -1 ||
	    client_escrow_check_previous(e, prev,
	    client_arg(&a, "previous")) == -1))
		goto out;
	if (
	    client_pass_get(client_arg(&a, "passphrase-file"),
	    "Passphrase of the admin key: ", 0, 0, &pass, &passlen) == -1 ||
	    client_adminkey_load(client_arg(&a, "key"), pass, passlen,
	    key) == -1 || client_escrow_open_share(e, key, &idx, share) == -1)
		goto out;
	printf("holder %u of escrow %s (%u-of-%u): share %s\n", idx, e->id,
	    e->threshold, e->n, e->version == 2 ? "verified against every "
	    "dealer's commitments and the holder's commitment" :
	    "verified against the holder's commitment");
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(pass);
	crypto_secret_free(key);
	crypto_secret_free(share);
	free(prev);
	free(e);
	return rc;
}

int
cmd_escrow_reshare(int argc, char *const argv[])
{
	if (argc >= 1 && strcmp(argv[0], "deal") == 0)
		return reshare_deal(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "combine") == 0)
		return reshare_combine(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return reshare_verify(argc - 1, argv + 1);
	client_err("usage: bisik escrow reshare deal|combine|verify ...; "
	    "`bisik help escrow` says more");
	return CLIENT_EXIT_USAGE;
}
