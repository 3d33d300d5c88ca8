/*
 * escrow.c: the escrow key ceremony (`bisik escrow ceremony`), the
 * escrow.pub file it makes (docs/formats.md), version 2 files made by a
 * resharing (reshare.c), and opening one's own share of either.
 *
 * The ceremony is the one moment the escrow key exists: crypto splits a
 * fresh scalar k-of-n, we seal each share to its admin's X25519 key at
 * once and wipe it. What is written holds only public values and sealed
 * shares, so escrow.pub may be handed to the server, which relays each
 * admin their sealed share and never holds one in plain. Reading
 * escrow.pub checks everything a later step relies on: a wrong commitment
 * would let a cheating admin's partial pass its proof.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

static const char *const escrow_fields[] = {
	"bisik_escrow", "id", "threshold", "public_key", "holders", "reshare",
	"dkg", "config_hash", "holder_signatures"
};
static const char *const dkg_fields[] = {
	"ceremony", "transcript"
};
static const char *const signature_fields[] = {
	"index", "signature"
};
static const char *const holder_fields[] = {
	"index", "sign_key", "box_key", "commitment", "sealed_share"
};
static const char *const holder2_fields[] = {
	"index", "sign_key", "box_key", "commitment", "sealed_subshares"
};
static const char *const reshare_fields[] = {
	"previous_config", "previous_threshold", "dealers",
	"dealer_commitments", "dealer_signatures", "retired"
};
static const char *const retired_fields[] = {
	"index", "sign_key", "box_key", "commitment"
};
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The generation's name: hex of the first 8 bytes of a domain-separated
 * BLAKE2b-256 of Y. Short enough to read aloud when admins compare what
 * they installed; 64 bits rule out accidental clashes between the few
 * generations a deployment ever has. A resharing keeps Y and so the id:
 * the id names the key, the server's generation number the holder set.
 */
void
client_escrow_id(const uint8_t Y[CRYPTO_POINT_BYTES],
    char out[CLIENT_ESCROW_ID_TEXT])
{
	static const char	 hex[] = "0123456789abcdef";
	struct crypto_part	 part = { Y, CRYPTO_POINT_BYTES };
	uint8_t			 h[CRYPTO_HASH_BYTES];
	size_t			 i;

	crypto_hash_parts("bisik-escrow-id-v1", &part, 1, h);
	for (i = 0; i < CLIENT_ESCROW_ID_BYTES; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 0xf];
	}
	out[2 * CLIENT_ESCROW_ID_BYTES] = '\0';
}

/* -1 if two holders share a signing or a box key. */
static int
holders_distinct(const struct client_escrow *e)
{
	unsigned	i, j;

	for (i = 0; i < e->n; i++)
		for (j = i + 1; j < e->n; j++)
			if (crypto_equal(e->holders[i].sign_pk,
			    e->holders[j].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
			    crypto_equal(e->holders[i].box_pk,
			    e->holders[j].box_pk, CRYPTO_BOX_PK_BYTES))
				return -1;
	return 0;
}

/*
 * k points determine a polynomial of degree k-1. Interpolating Y from
 * indices 1..k-1 plus j, for every j from k to n, shows that each
 * commitment lies on the one polynomial through the first k whose value
 * at 0 is Y (for k = 1: every Y_j equals Y). com holds n points.
 */
static int
points_consistent(const unsigned *index, const uint8_t *com, unsigned n,
    unsigned k, const uint8_t Y[CRYPTO_POINT_BYTES])
{
	unsigned	idx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		S[CRYPTO_POINT_BYTES];
	unsigned	i, j;

	if (k < 1 || k > n || n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (i = 0; i + 1 < k; i++) {
		idx[i] = index[i];
		memcpy(pts + i * CRYPTO_POINT_BYTES, com + i * CRYPTO_POINT_BYTES,
		    CRYPTO_POINT_BYTES);
	}
	for (j = k - 1; j < n; j++) {
		idx[k - 1] = index[j];
		memcpy(pts + (k - 1) * CRYPTO_POINT_BYTES,
		    com + j * CRYPTO_POINT_BYTES, CRYPTO_POINT_BYTES);
		if (crypto_escrow_combine(idx, pts, k, S) == -1 ||
		    !crypto_equal(S, Y, CRYPTO_POINT_BYTES))
			return -1;
	}
	return 0;
}

int
client_escrow_consistent(const struct client_escrow *e)
{
	unsigned	idx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		com[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	unsigned	i;

	if (e->n < 1 || e->n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (i = 0; i < e->n; i++) {
		idx[i] = e->holders[i].index;
		memcpy(com + i * CRYPTO_POINT_BYTES, e->holders[i].commitment,
		    CRYPTO_POINT_BYTES);
	}
	return points_consistent(idx, com, e->n, e->threshold, e->Y);
}

int
client_escrow_ceremony(unsigned k, unsigned n, struct client_escrow *e)
{
	uint8_t		*shares = NULL;
	uint8_t		 commitments[CRYPTO_ESCROW_MAX_HOLDERS *
			     CRYPTO_POINT_BYTES];
	unsigned	 i;
	int		 rc = -1;

	if (k < 1 || k > n || n > CRYPTO_ESCROW_MAX_HOLDERS) {
		client_err("the threshold must be between 1 and the number of "
		    "admins, at most %d", CRYPTO_ESCROW_MAX_HOLDERS);
		return -1;
	}
	e->n = n;
	e->threshold = k;
	e->version = 1;
	if (holders_distinct(e) == -1) {
		client_err("two admins have the same key");
		return -1;
	}
	if ((shares = crypto_secret_alloc((size_t)n * CRYPTO_SCALAR_BYTES)) ==
	    NULL) {
		client_err("out of memory");
		return -1;
	}
	if (crypto_escrow_split(k, n, e->Y, shares, commitments) == -1) {
		client_err("cannot split a new escrow key");
		goto out;
	}
	for (i = 0; i < n; i++) {
		e->holders[i].index = i + 1;
		memcpy(e->holders[i].commitment,
		    commitments + i * CRYPTO_POINT_BYTES, CRYPTO_POINT_BYTES);
		if (crypto_box_to(e->holders[i].box_pk,
		    shares + i * CRYPTO_SCALAR_BYTES, CRYPTO_SCALAR_BYTES,
		    e->holders[i].sealed_share) == -1) {
			client_err("cannot seal a share to admin %u: the "
			    "box key is not usable", i + 1);
			goto out;
		}
	}
	client_escrow_id(e->Y, e->id);
	/* What we write must pass the checks every later reader makes. */
	if (crypto_point_check(e->Y) == -1 || client_escrow_consistent(e) ==
	    -1 || client_escrow_rehash(e) == -1) {
		client_err("the new escrow key fails its own consistency "
		    "check");
		goto out;
	}
	rc = 0;
out:
	crypto_secret_free(shares);
	return rc;
}

static json_t *
holder_json(const struct client_escrow *e, const struct client_holder *h)
{
	json_t	*o = NULL;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "index", json_integer(h->index)) == -1 ||
	    json_object_set_new(o, "sign_key",
	    client_json_b64(h->sign_pk, sizeof(h->sign_pk))) == -1 ||
	    json_object_set_new(o, "box_key",
	    client_json_b64(h->box_pk, sizeof(h->box_pk))) == -1 ||
	    json_object_set_new(o, "commitment",
	    client_json_b64(h->commitment, sizeof(h->commitment))) == -1)
		goto fail;
	if (e->version == 2) {
		if (json_object_set_new(o, "sealed_subshares",
		    client_json_b64_list(h->sealed_sub[0], e->ndealers,
		    CLIENT_SEALED_SHARE_BYTES)) == -1)
			goto fail;
	} else if (json_object_set_new(o, "sealed_share",
	    client_json_b64(h->sealed_share, sizeof(h->sealed_share))) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* The "reshare" record of a version 2 file. */
static json_t *
reshare_json(const struct client_escrow *e)
{
	json_t		*o = NULL, *dealers, *dc, *ret, *r;
	unsigned	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "previous_config",
	    client_json_b64(e->previous, sizeof(e->previous))) == -1 ||
	    json_object_set_new(o, "previous_threshold",
	    json_integer(e->prev_threshold)) == -1 ||
	    json_object_set_new(o, "dealers", dealers = json_array()) == -1 ||
	    json_object_set_new(o, "dealer_commitments", dc = json_array()) ==
	    -1 || json_object_set_new(o, "dealer_signatures",
	    client_json_b64_list(e->dealer_sig[0], e->ndealers,
	    CRYPTO_SIG_BYTES)) == -1 ||
	    json_object_set_new(o, "retired", ret = json_array()) == -1)
		goto fail;
	for (i = 0; i < e->ndealers; i++)
		if (json_array_append_new(dealers,
		    json_integer(e->dealers[i])) == -1 ||
		    json_array_append_new(dc, client_json_b64_list(e->dealing[i],
		    e->threshold, CRYPTO_POINT_BYTES)) == -1)
			goto fail;
	for (i = 0; i < e->nretired; i++) {
		const struct client_retired *h = &e->retired[i];

		if ((r = json_object()) == NULL ||
		    json_array_append_new(ret, r) == -1 ||
		    json_object_set_new(r, "index", json_integer(h->index)) ==
		    -1 || json_object_set_new(r, "sign_key",
		    client_json_b64(h->sign_pk, sizeof(h->sign_pk))) == -1 ||
		    json_object_set_new(r, "box_key",
		    client_json_b64(h->box_pk, sizeof(h->box_pk))) == -1 ||
		    json_object_set_new(r, "commitment",
		    client_json_b64(h->commitment, sizeof(h->commitment))) ==
		    -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* The "dkg" record of a file a dealerless ceremony made. */
static json_t *
dkg_json(const struct client_escrow *e)
{
	static const char	hex[] = "0123456789abcdef";
	char			id[2 * CRYPTO_DKG_ID_BYTES + 1];
	size_t			i;

	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++) {
		id[2 * i] = hex[e->dkg_id[i] >> 4];
		id[2 * i + 1] = hex[e->dkg_id[i] & 0xf];
	}
	id[sizeof(id) - 1] = '\0';
	return json_pack("{s:s, s:o}", "ceremony", id, "transcript",
	    client_json_b64(e->transcript, sizeof(e->transcript)));
}

json_t *
client_escrow_json(const struct client_escrow *e)
{
	json_t		*root = NULL, *holders, *sigs;
	unsigned	 i;

	if ((root = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(root, "bisik_escrow",
	    json_integer(e->version == 2 ? 2 : 1)) == -1 ||
	    json_object_set_new(root, "id", json_string(e->id)) == -1 ||
	    json_object_set_new(root, "threshold",
	    json_integer(e->threshold)) == -1 ||
	    json_object_set_new(root, "public_key",
	    client_json_b64(e->Y, sizeof(e->Y))) == -1 ||
	    json_object_set_new(root, "holders", holders = json_array()) == -1)
		goto fail;
	for (i = 0; i < e->n; i++)
		if (json_array_append_new(holders,
		    holder_json(e, &e->holders[i])) == -1)
			goto fail;
	if (e->version == 2 &&
	    json_object_set_new(root, "reshare", reshare_json(e)) == -1)
		goto fail;
	if (e->version != 2 && e->dkg && json_object_set_new(root, "dkg",
	    dkg_json(e)) == -1)
		goto fail;
	if (json_object_set_new(root, "config_hash",
	    client_json_b64(e->config, sizeof(e->config))) == -1 ||
	    json_object_set_new(root, "holder_signatures",
	    sigs = json_array()) == -1)
		goto fail;
	for (i = 0; i < e->n; i++)
		if (e->signed_by[i] && json_array_append_new(sigs,
		    json_pack("{s:i, s:o}", "index", (int)e->holders[i].index,
		    "signature", client_json_b64(e->holder_sig[i],
		    CRYPTO_SIG_BYTES))) == -1)
			goto fail;
	return root;
fail:
	json_decref(root);
	return NULL;
}

int
client_escrow_save(const char *path, const struct client_escrow *e)
{
	json_t		*root = NULL;
	char		*text = NULL;
	size_t		 len;
	int		 rc = -1;

	if ((root = client_escrow_json(e)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (client_json_dump(root, &text, &len) == -1)
		goto out;
	if (client_file_write(path, text, len, 0644, CLIENT_WRITE_EXCL,
	    "escrow file") == -1)
		goto out;
	rc = 0;
out:
	client_mem_free(text);
	json_decref(root);
	return rc;
}

static int
holder_parse(const json_t *o, unsigned pos, unsigned version,
    unsigned ndealers, struct client_holder *h, const char *what)
{
	const json_t	*v;
	char		 part[32];

	snprintf(part, sizeof(part), "holder %u", pos);
	if (!json_is_object(o)) {
		client_err("%s in the %s is not an object", part, what);
		return -1;
	}
	if (client_json_only(o, version == 2 ? holder2_fields :
	    holder_fields, version == 2 ? NFIELDS(holder2_fields) :
	    NFIELDS(holder_fields),
	    what, part) == -1)
		return -1;
	v = json_object_get(o, "index");
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)pos) {
		client_err("%s in the %s does not have index %u", part, what,
		    pos);
		return -1;
	}
	h->index = pos;
	if (client_json_get_b64(o, "sign_key", h->sign_pk, sizeof(h->sign_pk),
	    what) == -1 ||
	    client_json_get_b64(o, "box_key", h->box_pk, sizeof(h->box_pk),
	    what) == -1 ||
	    client_json_get_b64(o, "commitment", h->commitment,
	    sizeof(h->commitment), what) == -1)
		return -1;
	if (version == 2) {
		if (client_json_get_b64_list(o, "sealed_subshares", ndealers,
		    CLIENT_SEALED_SHARE_BYTES, h->sealed_sub[0], what) == -1)
			return -1;
	} else if (client_json_get_b64(o, "sealed_share", h->sealed_share,
	    sizeof(h->sealed_share), what) == -1)
		return -1;
	if (crypto_point_check(h->commitment) == -1) {
		client_err("%s in the %s has an invalid commitment", part, what);
		return -1;
	}
	return 0;
}

/* The "reshare" record: who dealt, from which generation, and checks
 * that tie the new commitments to the retired ones through the dealings. */
static int
reshare_parse(const json_t *o, struct client_escrow *e, const char *what)
{
	const json_t	*v, *ret, *dc;
	unsigned	 idx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		 com[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	size_t		 i, j;

	if (!json_is_object(o) || client_json_only(o, reshare_fields,
	    NFIELDS(reshare_fields), what, "the resharing record") == -1) {
		if (!json_is_object(o))
			client_err("the %s has no valid resharing record", what);
		return -1;
	}
	ret = json_object_get(o, "retired");
	if (!json_is_array(ret) || json_array_size(ret) < 1 ||
	    json_array_size(ret) > CRYPTO_ESCROW_MAX_HOLDERS) {
		client_err("the %s must list 1 to %d retired holders", what,
		    CRYPTO_ESCROW_MAX_HOLDERS);
		return -1;
	}
	e->nretired = (unsigned)json_array_size(ret);
	for (i = 0; i < e->nretired; i++) {
		struct client_retired	*r = &e->retired[i];
		const json_t		*h = json_array_get(ret, i);

		v = json_object_get(h, "index");
		if (!json_is_object(h) || client_json_only(h,
		    retired_fields, NFIELDS(retired_fields), what,
		    "a retired holder") == -1 ||
		    !json_is_integer(v) ||
		    json_integer_value(v) != (json_int_t)(i + 1) ||
		    client_json_get_b64(h, "sign_key", r->sign_pk,
		    sizeof(r->sign_pk), what) == -1 ||
		    client_json_get_b64(h, "box_key", r->box_pk,
		    sizeof(r->box_pk), what) == -1 ||
		    client_json_get_b64(h, "commitment", r->commitment,
		    sizeof(r->commitment), what) == -1 ||
		    crypto_point_check(r->commitment) == -1) {
			client_err("retired holder %zu in the %s is not valid",
			    i + 1, what);
			return -1;
		}
		r->index = (unsigned)(i + 1);
		idx[i] = r->index;
		memcpy(com + i * CRYPTO_POINT_BYTES, r->commitment,
		    CRYPTO_POINT_BYTES);
	}
	if (client_json_get_b64(o, "previous_config", e->previous,
	    sizeof(e->previous), what) == -1)
		return -1;
	v = json_object_get(o, "previous_threshold");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > (json_int_t)e->nretired) {
		client_err("the %s's previous threshold is not between 1 and "
		    "the number of retired holders", what);
		return -1;
	}
	e->prev_threshold = (unsigned)json_integer_value(v);
	if (points_consistent(idx, com, e->nretired, e->prev_threshold,
	    e->Y) == -1) {
		client_err("the retired holders' commitments in the %s do not "
		    "match its public key", what);
		return -1;
	}
	v = json_object_get(o, "dealers");
	if (!json_is_array(v) || json_array_size(v) != e->prev_threshold) {
		client_err("the %s must name exactly %u dealers", what,
		    e->prev_threshold);
		return -1;
	}
	e->ndealers = e->prev_threshold;
	for (i = 0; i < e->ndealers; i++) {
		const json_t *d = json_array_get(v, i);

		if (!json_is_integer(d) || json_integer_value(d) < 1 ||
		    json_integer_value(d) > (json_int_t)e->nretired) {
			client_err("dealer %zu in the %s is not a retired "
			    "holder", i + 1, what);
			return -1;
		}
		e->dealers[i] = (unsigned)json_integer_value(d);
		for (j = 0; j < i; j++)
			if (e->dealers[j] == e->dealers[i]) {
				client_err("the %s names a dealer twice", what);
				return -1;
			}
	}
	dc = json_object_get(o, "dealer_commitments");
	if (!json_is_array(dc) || json_array_size(dc) != e->ndealers) {
		client_err("the %s must hold commitments of every dealer", what);
		return -1;
	}
	for (i = 0; i < e->ndealers; i++) {
		json_t *wrap = json_pack("{s:O}", "c", json_array_get(dc, i));

		if (wrap == NULL || client_json_get_b64_list(wrap, "c",
		    e->threshold, CRYPTO_POINT_BYTES, e->dealing[i],
		    what) == -1) {
			json_decref(wrap);
			return -1;
		}
		json_decref(wrap);
		/* The dealer dealt λ·y_d and nothing else. */
		if (crypto_reshare_check_dealer(
		    e->retired[e->dealers[i] - 1].commitment, e->dealers,
		    e->ndealers, e->dealers[i], e->dealing[i]) == -1) {
			client_err("dealer %u's dealing in the %s does not match "
			    "their retired share", e->dealers[i], what);
			return -1;
		}
	}
	return client_json_get_b64_list(o, "dealer_signatures", e->ndealers,
	    CRYPTO_SIG_BYTES, e->dealer_sig[0], what);
}

/* The "dkg" record: the ceremony's id (32 lower-case hex digits) and its
 * transcript hash. What they are worth is checked by whoever signs: the
 * holders' clients compute both from the record they replayed. */
static int
dkg_parse(const json_t *o, struct client_escrow *e, const char *what)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*id;
	size_t			 i;

	if (!json_is_object(o) || client_json_only(o, dkg_fields,
	    NFIELDS(dkg_fields), what, "the ceremony record") == -1) {
		if (!json_is_object(o))
			client_err("the %s's \"dkg\" is not an object", what);
		return -1;
	}
	if ((id = client_json_str(o, "ceremony", what)) == NULL)
		return -1;
	if (strlen(id) != 2 * CRYPTO_DKG_ID_BYTES ||
	    strspn(id, hex) != 2 * CRYPTO_DKG_ID_BYTES) {
		client_err("the ceremony id in the %s is not %d lower-case hex "
		    "digits", what, 2 * CRYPTO_DKG_ID_BYTES);
		return -1;
	}
	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++)
		e->dkg_id[i] = (uint8_t)((strchr(hex, id[2 * i]) - hex) << 4 |
		    (strchr(hex, id[2 * i + 1]) - hex));
	if (client_json_get_b64(o, "transcript", e->transcript,
	    sizeof(e->transcript), what) == -1)
		return -1;
	e->dkg = 1;
	return 0;
}

/*
 * Version 2: each new commitment is the sum of the dealings at its index,
 * and each dealer's signature verifies with the key the record lists for
 * it. That only shows the file agrees with itself: who the dealers really
 * are is checked against the pinned previous file
 * (client_escrow_check_previous), by whoever signs or combines it.
 */
static int
reshare_check(const struct client_escrow *e, const char *what)
{
	uint8_t		 pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		 sum[CRYPTO_POINT_BYTES], digest[CRYPTO_HASH_BYTES];
	unsigned	 i, j;

	for (j = 0; j < e->n; j++) {
		for (i = 0; i < e->ndealers; i++)
			if (crypto_feldman_eval(e->dealing[i], e->threshold,
			    e->holders[j].index, pts + i * CRYPTO_POINT_BYTES) ==
			    -1) {
				client_err("a dealing in the %s is not valid",
				    what);
				return -1;
			}
		if (crypto_point_sum(pts, e->ndealers, sum) == -1 ||
		    !crypto_equal(sum, e->holders[j].commitment,
		    CRYPTO_POINT_BYTES)) {
			client_err("holder %u's commitment in the %s does not "
			    "follow from the dealings", j + 1, what);
			return -1;
		}
	}
	for (i = 0; i < e->ndealers; i++) {
		client_reshare_digest(e, i, digest);
		if (crypto_sign_check(e->retired[e->dealers[i] - 1].sign_pk,
		    digest, sizeof(digest), e->dealer_sig[i]) == -1) {
			client_err("dealer %u's signature in the %s does not "
			    "verify", e->dealers[i], what);
			return -1;
		}
	}
	return 0;
}

void
client_escrow_to_config(const struct client_escrow *e,
    struct crypto_escrow_config *c)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	memcpy(c->Y, e->Y, sizeof(c->Y));
	c->threshold = e->threshold;
	c->n = e->n;
	for (i = 0; i < e->n && i < CRYPTO_ESCROW_MAX_HOLDERS; i++) {
		c->holders[i].index = e->holders[i].index;
		memcpy(c->holders[i].sign_pk, e->holders[i].sign_pk,
		    CRYPTO_SIGN_PK_BYTES);
		memcpy(c->holders[i].box_pk, e->holders[i].box_pk,
		    CRYPTO_BOX_PK_BYTES);
		memcpy(c->holders[i].commitment, e->holders[i].commitment,
		    CRYPTO_POINT_BYTES);
	}
	if (e->version != 2) {
		c->dkg = e->dkg;
		memcpy(c->dkg_id, e->dkg_id, sizeof(c->dkg_id));
		memcpy(c->transcript, e->transcript, sizeof(c->transcript));
		return;
	}
	c->reshared = 1;
	memcpy(c->previous, e->previous, sizeof(c->previous));
	c->prev_threshold = e->prev_threshold;
	c->nretired = e->nretired;
	for (i = 0; i < e->nretired && i < CRYPTO_ESCROW_MAX_HOLDERS; i++) {
		c->retired[i].index = e->retired[i].index;
		memcpy(c->retired[i].sign_pk, e->retired[i].sign_pk,
		    CRYPTO_SIGN_PK_BYTES);
		memcpy(c->retired[i].box_pk, e->retired[i].box_pk,
		    CRYPTO_BOX_PK_BYTES);
		memcpy(c->retired[i].commitment, e->retired[i].commitment,
		    CRYPTO_POINT_BYTES);
	}
	c->ndealers = e->ndealers;
	memcpy(c->dealers, e->dealers, sizeof(c->dealers));
	memcpy(c->dealing, e->dealing, sizeof(c->dealing));
	memcpy(c->dealer_sig, e->dealer_sig, sizeof(c->dealer_sig));
}

int
client_escrow_rehash(struct client_escrow *e)
{
	struct crypto_escrow_config	*c;
	int				 rc;

	if ((c = malloc(sizeof(*c))) == NULL)
		return -1;
	client_escrow_to_config(e, c);
	rc = crypto_escrow_config_hash(c, e->config);
	free(c);
	return rc;
}

unsigned
client_escrow_signatures(const struct client_escrow *e)
{
	unsigned i, n = 0;

	for (i = 0; i < e->n; i++)
		n += e->signed_by[i] != 0;
	return n;
}

/*
 * "holder_signatures": [{"index", "signature"}...], each a holder's
 * Ed25519 signature over the configuration hash; any listed must verify.
 * A file may be signed by some holders only (while it goes round them);
 * the server installs it only when every holder has signed.
 */
static int
signatures_parse(const json_t *a, struct client_escrow *e, const char *what)
{
	const json_t	*o, *v;
	size_t		 i;
	unsigned	 idx;
	uint8_t		 sig[CRYPTO_SIG_BYTES];

	if (!json_is_array(a) || json_array_size(a) > e->n) {
		client_err("the %s's holder signatures are not a list of at "
		    "most %u", what, e->n);
		return -1;
	}
	json_array_foreach(a, i, o) {
		v = json_object_get(o, "index");
		if (!json_is_object(o) || client_json_only(o,
		    signature_fields, NFIELDS(signature_fields), what,
		    "a holder signature") == -1 || !json_is_integer(v) ||
		    json_integer_value(v) < 1 ||
		    json_integer_value(v) > (json_int_t)e->n ||
		    client_json_get_b64(o, "signature", sig, sizeof(sig),
		    what) == -1) {
			client_err("holder signature %zu in the %s is not "
			    "valid", i + 1, what);
			return -1;
		}
		idx = (unsigned)json_integer_value(v);
		if (e->signed_by[idx - 1]) {
			client_err("holder %u signed the %s twice", idx, what);
			return -1;
		}
		if (crypto_sign_check(e->holders[idx - 1].sign_pk, e->config,
		    sizeof(e->config), sig) == -1) {
			client_err("holder %u's signature over the %s's "
			    "configuration does not verify", idx, what);
			return -1;
		}
		e->signed_by[idx - 1] = 1;
		memcpy(e->holder_sig[idx - 1], sig, sizeof(sig));
	}
	return 0;
}

int
client_escrow_from_json(const json_t *root, const char *what,
    struct client_escrow *out)
{
	struct client_escrow	*e = NULL;
	const json_t		*v, *holders;
	const char		*id;
	size_t			 n, i;
	int			 rc = -1;

	if (!json_is_object(root)) {
		client_err("the %s is not a JSON object", what);
		return -1;
	}
	if (client_json_only(root, escrow_fields, NFIELDS(escrow_fields), what,
	    "the top level") == -1)
		return -1;
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	v = json_object_get(root, "bisik_escrow");
	if (!json_is_integer(v) || (json_integer_value(v) != 1 &&
	    json_integer_value(v) != 2)) {
		client_err("the %s is not a version 1 or 2 \"bisik_escrow\" "
		    "file", what);
		goto out;
	}
	e->version = (unsigned)json_integer_value(v);
	if ((e->version == 2) != (json_object_get(root, "reshare") != NULL)) {
		client_err("the %s has a resharing record exactly when it is "
		    "not of version 2", what);
		goto out;
	}
	holders = json_object_get(root, "holders");
	n = json_array_size(holders);
	if (!json_is_array(holders) || n < 1 ||
	    n > CRYPTO_ESCROW_MAX_HOLDERS) {
		client_err("the %s must list 1 to %d holders", what,
		    CRYPTO_ESCROW_MAX_HOLDERS);
		goto out;
	}
	e->n = (unsigned)n;
	v = json_object_get(root, "threshold");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > (json_int_t)n) {
		client_err("the %s's threshold is not between 1 and the number "
		    "of holders", what);
		goto out;
	}
	e->threshold = (unsigned)json_integer_value(v);
	if (client_json_get_b64(root, "public_key", e->Y, sizeof(e->Y),
	    what) == -1)
		goto out;
	if (crypto_point_check(e->Y) == -1) {
		client_err("the %s's public key is not a valid point", what);
		goto out;
	}
	if (e->version == 2 && reshare_parse(json_object_get(root, "reshare"),
	    e, what) == -1)
		goto out;
	if ((v = json_object_get(root, "dkg")) != NULL) {
		if (e->version == 2) {
			client_err("the %s is a resharing: it has no dealerless "
			    "ceremony record", what);
			goto out;
		}
		if (dkg_parse(v, e, what) == -1)
			goto out;
	}
	for (i = 0; i < n; i++)
		if (holder_parse(json_array_get(holders, i), (unsigned)i + 1,
		    e->version, e->ndealers, &e->holders[i], what) == -1)
			goto out;
	if ((id = client_json_str(root, "id", what)) == NULL)
		goto out;
	client_escrow_id(e->Y, e->id);
	if (strcmp(id, e->id) != 0) {
		client_err("the %s's id does not match its public key", what);
		goto out;
	}
	if (holders_distinct(e) == -1) {
		client_err("two holders in the %s have the same key", what);
		goto out;
	}
	if (client_escrow_consistent(e) == -1) {
		client_err("the %s's commitments do not match its public key",
		    what);
		goto out;
	}
	if (e->version == 2 && reshare_check(e, what) == -1)
		goto out;
	if (client_escrow_rehash(e) == -1) {
		client_err("out of memory");
		goto out;
	}
	/* The hash the file states is only a convenience for people
	 * comparing files; what counts is the one computed here. */
	if ((v = json_object_get(root, "config_hash")) != NULL) {
		uint8_t h[CRYPTO_HASH_BYTES];

		if (client_json_get_b64(root, "config_hash", h, sizeof(h),
		    what) == -1)
			goto out;
		if (!crypto_equal(h, e->config, sizeof(h))) {
			client_err("the %s's configuration hash does not match "
			    "its contents", what);
			goto out;
		}
	}
	if ((v = json_object_get(root, "holder_signatures")) != NULL &&
	    signatures_parse(v, e, what) == -1)
		goto out;
	memcpy(out, e, sizeof(*e));
	rc = 0;
out:
	free(e);
	return rc;
}

int
client_escrow_load(const char *path, struct client_escrow *out)
{
	json_t	*root = NULL;
	char	*buf = NULL;
	size_t	 len;
	int	 rc = -1;

	if (client_file_read(path, CLIENT_ESCROWFILE_MAX, 0, "escrow file",
	    &buf, &len) == -1)
		return -1;
	if (client_json_object(buf, len, escrow_fields, NFIELDS(escrow_fields),
	    NULL, "escrow file", &root) == -1)
		goto out;
	rc = client_escrow_from_json(root, "escrow file", out);
out:
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

int
client_escrow_open_share(const struct client_escrow *e,
    const struct crypto_admin_key *key, unsigned *index,
    uint8_t share[CRYPTO_SCALAR_BYTES])
{
	const struct client_holder	*h = NULL;
	uint8_t				*subs = NULL, *s = NULL;
	unsigned			 i;
	int				 rc = -1;

	for (i = 0; i < e->n; i++)
		if (crypto_equal(e->holders[i].sign_pk, key->sign_pk,
		    CRYPTO_SIGN_PK_BYTES) && crypto_equal(e->holders[i].box_pk,
		    key->box_pk, CRYPTO_BOX_PK_BYTES))
			h = &e->holders[i];
	if (h == NULL) {
		client_err("this admin key holds no share of escrow generation "
		    "%s", e->id);
		return -1;
	}
	s = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	subs = crypto_secret_alloc((size_t)CRYPTO_ESCROW_MAX_HOLDERS *
	    CRYPTO_SCALAR_BYTES);
	if (s == NULL || subs == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (e->version != 2) {
		if (crypto_box_open_with(key, h->sealed_share,
		    sizeof(h->sealed_share), s) == -1) {
			client_err("the escrow share of holder %u does not open "
			    "with this key", h->index);
			goto out;
		}
	} else {
		/* Feldman: every sub-share must be what its dealer committed
		 * to at our index, or the sum would be a useless share. */
		for (i = 0; i < e->ndealers; i++) {
			uint8_t *sub = subs + (size_t)i * CRYPTO_SCALAR_BYTES;

			if (crypto_box_open_with(key, h->sealed_sub[i],
			    CLIENT_SEALED_SHARE_BYTES, sub) == -1) {
				client_err("the sub-share of dealer %u does not "
				    "open with this key", e->dealers[i]);
				goto out;
			}
			if (crypto_feldman_verify(e->dealing[i], e->threshold,
			    h->index, sub) == -1) {
				client_err("the sub-share of dealer %u does not "
				    "match the dealer's commitments: ask for a "
				    "new resharing", e->dealers[i]);
				goto out;
			}
		}
		if (crypto_scalar_sum(subs, e->ndealers, s) == -1) {
			client_err("the sub-shares do not add up to a share");
			goto out;
		}
	}
	if (crypto_escrow_share_check(s, h->commitment) == -1) {
		client_err("the share of holder %u does not match its public "
		    "commitment", h->index);
		goto out;
	}
	memcpy(share, s, CRYPTO_SCALAR_BYTES);
	*index = h->index;
	rc = 0;
out:
	crypto_secret_free(s);
	crypto_secret_free(subs);
	return rc;
}

static const struct client_optspec ceremony_opts[] = {
	{ "threshold", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "admin", CLIENT_OPT_ARG | CLIENT_OPT_MULTI | CLIENT_OPT_REQUIRED },
	{ "out-dir", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
};

int
cmd_escrow(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*e = NULL;
	const char *const	*admins;
	const char		*dir = NULL;
	char			 err[160], *path = NULL;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	unsigned long		 k;
	size_t			 n, i, j;
	int			 rc = CLIENT_EXIT_FAIL, made = 0;

	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	if (argc >= 1 && strcmp(argv[0], "reshare") == 0)
		return cmd_escrow_reshare(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "sign") == 0)
		return cmd_escrow_sign(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "fingerprint") == 0)
		return cmd_escrow_fingerprint(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "dkg") == 0)
		return cmd_escrow_dkg(argc - 1, argv + 1);
	if (argc < 1 || strcmp(argv[0], "ceremony") != 0) {
		client_err("usage: bisik escrow ceremony|sign|fingerprint ..., "
		    "bisik escrow dkg start|deal|check|finish ..., or bisik "
		    "escrow reshare deal|combine|verify ...; `bisik help "
		    "escrow` says more");
		return CLIENT_EXIT_USAGE;
	}
	if (client_args_parse(argc - 1, argv + 1, ceremony_opts,
	    NFIELDS(ceremony_opts), &a, err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	admins = client_arg_multi(&a, "admin", &n);
	dir = client_arg(&a, "out-dir");
	if (client_parse_uint(client_arg(&a, "threshold"), 1, n, &k) == -1) {
		client_err("--threshold must be a number from 1 to the number "
		    "of --admin keys (%zu)", n);
		return CLIENT_EXIT_USAGE;
	}
	if (client_path_exists(dir)) {
		client_err("%s already exists; the ceremony makes a new "
		    "directory", dir);
		return CLIENT_EXIT_FAIL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		client_err("out of memory");
		return CLIENT_EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (client_adminpub_load(admins[i], e->holders[i].sign_pk,
		    e->holders[i].box_pk) == -1)
			goto out;
		for (j = 0; j < i; j++)
			if (crypto_equal(e->holders[i].sign_pk,
			    e->holders[j].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
			    crypto_equal(e->holders[i].box_pk,
			    e->holders[j].box_pk, CRYPTO_BOX_PK_BYTES)) {
				client_err("%s and %s hold the same admin key",
				    admins[j], admins[i]);
				goto out;
			}
	}
	if (client_escrow_ceremony((unsigned)k, (unsigned)n, e) == -1)
		goto out;
	if ((path = malloc(strlen(dir) + sizeof("/escrow.pub"))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	strcpy(path, dir);
	strcat(path, "/escrow.pub");
	if (mkdir(dir, 0700) == -1) {
		client_err("cannot create the directory %s: %s", dir,
		    errno == EEXIST ? "it already exists" : strerror(errno));
		goto out;
	}
	made = 1;
	if (chmod(dir, 0700) == -1) {
		client_err("cannot set the mode of %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	if (client_escrow_save(path, e) == -1)
		goto out;
	crypto_escrow_fingerprint(e->Y, fp);
	printf("escrow key %lu-of-%zu, id %s, written to %s\n", k, n, e->id,
	    path);
	printf("fingerprint: %s\n", fp);
	printf("each share is sealed to its admin's key; the key itself no "
	    "longer exists. Every admin now checks their share and signs the "
	    "configuration with `bisik escrow sign --escrow %s --key "
	    "THEIR.key`, and keeps a copy; then install it with `bisikd "
	    "escrow set --public-key %s` and publish the fingerprint where "
	    "the server has no say\n", path, path);
	printf("this is the weaker, single-machine form: this machine held "
	    "the whole escrow key while it ran. For production use the "
	    "dealerless ceremony, `bisik escrow dkg` (SECURITY.md)\n");
	rc = CLIENT_EXIT_OK;
out:
	if (rc != CLIENT_EXIT_OK && made)
		(void)rmdir(dir);
	free(path);
	free(e);
	return rc;
}
