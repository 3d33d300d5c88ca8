/*
 * client_disclose_test.c: the cryptography of an identity disclosure and
 * of a resharing, end to end in memory with real crypto, through the same
 * functions `bisik disclose` and `bisik escrow reshare` use.
 *
 * 2-of-3: any two holders open an identity; one cannot; the blinded
 * partials the server relays do not open it even all together; a forged
 * partial (another R, another share), a mutated or non-canonical proof,
 * and a proof replayed to another request, case or index are refused; the
 * blinding proof binds the request to the case's R. Reshare 2-of-3 to
 * 3-of-5: Y unchanged, the file's record checks, any 3 new holders open
 * an identity sealed before, 2 cannot, tampering is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

static const char	identity[] =
    "{\"name\":\"Siti Aminah\",\"nik\":\"3174011234567890\"}";

static struct crypto_admin_key	*oldk[3], *newk[5];
static uint8_t			 sealed[CRYPTO_IDENTITY_SEALED_BYTES];
/* The case binding the identity is sealed with (any 32 bytes here: the
 * crypto tests check it is the report's content hash that binds). */
static const uint8_t		 binding[32] = { 0x42 };
static size_t			 plen;

/* Share of holder index idx in e with key k; 0 on success. */
static int
share_of(const struct client_escrow *e, const struct crypto_admin_key *k,
    unsigned want, uint8_t share[32])
{
	unsigned idx;

	return client_escrow_open_share(e, k, &idx, share) == 0 && idx == want ?
	    0 : -1;
}

/*
 * Runs a whole disclosure: requester `req` (its key rk) and approvers
 * apps[0..napps-1] (their keys ak); 1 if the identity opens to the
 * original text.
 */
static int
disclose(const struct client_escrow *e, unsigned req,
    const struct crypto_admin_key *rk, const unsigned *apps,
    const struct crypto_admin_key *const *ak, size_t napps)
{
	struct crypto_disclosure d;
	uint8_t		*share = crypto_secret_alloc(32), rho[32], bproof[64];
	uint8_t		 pts[8 * 32], proof[64], Sb[32], S[32];
	uint8_t		 plain[CRYPTO_IDENTITY_MAX];
	unsigned	 idx[8];
	size_t		 i;
	int		 ok = 0;

	memset(&d, 0, sizeof(d));
	d.case_ref = "BSK-2026-000001";
	d.request = "00112233aabbccdd";
	d.generation = 1;
	d.requester = req;
	memcpy(d.config, e->config, 32);
	memcpy(d.R, sealed + 1, 32);
	crypto_random(d.nonce, sizeof(d.nonce));
	if (crypto_disclosure_blind(rk->box_sk, &d, rho, bproof) != 0 ||
	    crypto_disclosure_blind_verify(&d, bproof) != 0)
		goto out;
	if (share_of(e, rk, req, share) != 0 ||
	    crypto_disclosure_own(share, e->holders[req - 1].commitment, &d,
	    pts) != 0)
		goto out;
	idx[0] = req;
	for (i = 0; i < napps; i++) {
		if (share_of(e, ak[i], apps[i], share) != 0 ||
		    crypto_disclosure_partial(share,
		    e->holders[apps[i] - 1].commitment, &d, apps[i],
		    pts + (i + 1) * 32, proof) != 0 ||
		    crypto_disclosure_partial_verify(
		    e->holders[apps[i] - 1].commitment, &d, apps[i],
		    pts + (i + 1) * 32, proof) != 0)
			goto out;
		idx[i + 1] = apps[i];
	}
	if (crypto_escrow_combine(idx, pts, napps + 1, Sb) != 0 ||
	    crypto_disclosure_unblind(rho, Sb, S) != 0)
		goto out;
	if (crypto_identity_open(S, e->Y, binding, sealed, sizeof(sealed),
	    plain, &plen) == 0 && plen == sizeof(identity) - 1 &&
	    memcmp(plain, identity, sizeof(identity) - 1) == 0)
		ok = 1;
out:
	crypto_secret_free(share);
	return ok;
}

/*
 * What the requester signs holds everything an approver is shown, and
 * what an approver signs holds the whole request: change any one value
 * and the digest changes, so a signature does not carry over.
 */
static void
test_digests(const struct crypto_disclosure *d, const uint8_t bproof[64],
    const uint8_t D[32], const uint8_t proof[64])
{
	struct crypto_disclosure	 x;
	uint8_t				 want[32], got[32], app[32], app2[32];
	uint8_t				 other[32];
	int				 i, ok = 1;

	crypto_disclosure_request_digest(d, bproof, want);
	for (i = 0; i < 9; i++) {
		x = *d;
		switch (i) {
		case 0: x.account = "mallory"; break;
		case 1: x.reason = "Saksi kunci."; break;
		case 2: x.legal_basis = "UU 31/1999 Pasal 1"; break;
		case 3: x.created_at = "2026-03-01T10:00:01Z"; break;
		case 4: x.expires_at = "2026-04-04T10:00:00Z"; break;
		case 5: x.config[7] ^= 1; break;
		case 6: x.request = "00112233aabbccde"; break;
		case 7: x.nonce[0] ^= 1; break;
		default: x.requester = 2; break;
		}
		crypto_disclosure_request_digest(&x, bproof, got);
		ok &= !crypto_equal(want, got, 32);
	}
	CHECK(ok, "request digest: account, reason, legal basis, times, "
	    "configuration, request id, nonce and requester each change it");
	crypto_disclosure_approval_digest(want, d, 2, D, proof, app);
	memcpy(other, want, 32);
	other[0] ^= 1;
	crypto_disclosure_approval_digest(other, d, 2, D, proof, app2);
	ok = !crypto_equal(app, app2, 32);
	x = *d;
	x.config[0] ^= 1;
	crypto_disclosure_approval_digest(want, &x, 2, D, proof, app2);
	ok &= !crypto_equal(app, app2, 32);
	x = *d;
	x.request = "ffeeddccbbaa9988";
	crypto_disclosure_approval_digest(want, &x, 2, D, proof, app2);
	ok &= !crypto_equal(app, app2, 32);
	CHECK(ok, "approval digest: the request digest, the configuration and "
	    "the request id each change it");
}

static void
test_disclosure(struct client_escrow *e)
{
	static const unsigned	 pairs[6][2] = {
		{ 1, 2 }, { 2, 1 }, { 1, 3 }, { 3, 1 }, { 2, 3 }, { 3, 2 }
	};
	struct crypto_disclosure d, d2;
	const struct crypto_admin_key *ak[2];
	uint8_t		*s1 = crypto_secret_alloc(32), *s2 =
			    crypto_secret_alloc(32), *s3 =
			    crypto_secret_alloc(32);
	uint8_t		 rho[32], bproof[64], D2[32], D3[32], p2[64], p3[64];
	uint8_t		 pts[64], Sb[32], S[32], bad[64], Dx[32];
	uint8_t		 other[CRYPTO_IDENTITY_SEALED_BYTES];
	uint8_t		 plain[CRYPTO_IDENTITY_MAX], rho2[32], bp2[64];
	unsigned	 idx[2], single[1];
	size_t		 i;
	int		 ok;

	ok = 1;
	for (i = 0; i < 6; i++) {
		ak[0] = oldk[pairs[i][1] - 1];
		ok &= disclose(e, pairs[i][0], oldk[pairs[i][0] - 1],
		    &pairs[i][1], ak, 1);
	}
	CHECK(ok, "2-of-3: every pair (requester + one approver) opens the "
	    "identity");
	ak[0] = oldk[1];
	ak[1] = oldk[2];
	idx[0] = 2;
	idx[1] = 3;
	CHECK(disclose(e, 1, oldk[0], idx, ak, 2),
	    "2-of-3: all three together open it too");

	/* One request, made by holder 1, as the server would hold it. */
	memset(&d, 0, sizeof(d));
	d.case_ref = "BSK-2026-000001";
	d.request = "00112233aabbccdd";
	d.account = "alice";
	d.reason = "Saksi kunci";
	d.legal_basis = "UU 31/1999";
	d.created_at = "2026-03-01T10:00:00Z";
	d.expires_at = "2026-03-04T10:00:00Z";
	d.generation = 1;
	d.requester = 1;
	memcpy(d.config, e->config, 32);
	memcpy(d.R, sealed + 1, 32);
	crypto_random(d.nonce, sizeof(d.nonce));
	CHECK(crypto_disclosure_blind(oldk[0]->box_sk, &d, rho, bproof) == 0 &&
	    crypto_disclosure_blind_verify(&d, bproof) == 0,
	    "blinding: the requester's proof verifies");
	CHECK(share_of(e, oldk[0], 1, s1) == 0 && share_of(e, oldk[1], 2, s2) ==
	    0 && share_of(e, oldk[2], 3, s3) == 0,
	    "every holder opens their own share");
	CHECK(client_escrow_open_share(e, newk[0], &idx[0], s3) == -1 &&
	    share_of(e, oldk[2], 3, s3) == 0,
	    "a key that holds no share opens none");

	/* One holder alone: its own partial is not enough. */
	single[0] = 1;
	CHECK(crypto_disclosure_own(s1, e->holders[0].commitment, &d, pts) ==
	    0 && crypto_escrow_combine(single, pts, 1, Sb) == 0 &&
	    crypto_disclosure_unblind(rho, Sb, S) == 0 &&
	    crypto_identity_open(S, e->Y, binding, sealed, sizeof(sealed),
	    plain, &plen) == -1,
	    "2-of-3: one holder alone cannot open");

	CHECK(crypto_disclosure_partial(s2, e->holders[1].commitment, &d, 2, D2,
	    p2) == 0 && crypto_disclosure_partial_verify(
	    e->holders[1].commitment, &d, 2, D2, p2) == 0,
	    "approval: holder 2's partial and proof verify");
	CHECK(crypto_disclosure_partial(s3, e->holders[2].commitment, &d, 3, D3,
	    p3) == 0, "approval: holder 3's partial");

	/* What the server holds: blinded partials; all of them and the
	 * requester's own (which it never sees) still give rho·S only. */
	memcpy(pts, D2, 32);
	memcpy(pts + 32, D3, 32);
	idx[0] = 2;
	idx[1] = 3;
	CHECK(crypto_escrow_combine(idx, pts, 2, Sb) == 0 &&
	    crypto_identity_open(Sb, e->Y, binding, sealed, sizeof(sealed),
	    plain, &plen) ==
	    -1, "the server's view: K blinded partials do not open the "
	    "identity");
	CHECK(crypto_disclosure_unblind(rho, Sb, S) == 0 &&
	    crypto_identity_open(S, e->Y, binding, sealed, sizeof(sealed),
	    plain, &plen) == 0,
	    "the requester's rho turns the same partials into S");

	/* Forged partials. */
	CHECK(crypto_disclosure_partial(s2, e->holders[1].commitment, &d, 3,
	    Dx, bad) == 0 && crypto_disclosure_partial_verify(
	    e->holders[2].commitment, &d, 3, Dx, bad) == -1,
	    "forged: holder 2's share passed off as holder 3 is refused");
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d, 2,
	    D3, p3) == -1, "forged: holder 3's partial and proof under index 2 "
	    "are refused");
	CHECK(crypto_disclosure_partial(s2, e->holders[1].commitment, &d, 2, Dx,
	    bad) == 0, "a second proof of the same partial");
	CHECK(crypto_identity_seal(e->Y, binding, identity, sizeof(identity) - 1,
	    other) == 0, "a second identity sealed to Y");
	d2 = d;
	memcpy(d2.R, other + 1, 32);
	CHECK(crypto_disclosure_blind(oldk[0]->box_sk, &d2, rho2, bp2) == 0,
	    "a request for another case's R");
	CHECK(crypto_disclosure_partial(s2, e->holders[1].commitment, &d2, 2,
	    Dx, bad) == 0 && crypto_disclosure_partial_verify(
	    e->holders[1].commitment, &d, 2, Dx, bad) == -1,
	    "forged: a partial for another R is refused");
	memcpy(bad, p2, 64);
	bad[40] ^= 1;
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d, 2,
	    D2, bad) == -1, "mutated: one flipped bit in the proof is refused");
	memcpy(bad, p2, 64);
	bad[0] ^= 1;
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d, 2,
	    D2, bad) == -1, "mutated: a changed challenge is refused");
	{
		/* z + L: the same value mod L, a different encoding. */
		static const uint8_t L[32] = {
			0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
			0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10
		};
		unsigned	c = 0;
		size_t		k;

		memcpy(bad, p2, 64);
		for (k = 0; k < 32; k++) {
			c += (unsigned)bad[32 + k] + L[k];
			bad[32 + k] = (uint8_t)c;
			c >>= 8;
		}
		CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment,
		    &d, 2, D2, bad) == -1,
		    "malleable: the response plus L is refused");
	}
	memset(Dx, 0, 32);
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d, 2,
	    Dx, p2) == -1, "forged: the identity point as partial is refused");

	/* Replays: the proof is bound to request, case and index. */
	d2 = d;
	d2.request = "ffeeddccbbaa9988";
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d2, 2,
	    D2, p2) == -1, "replay: the proof for another request is refused");
	d2 = d;
	d2.case_ref = "BSK-2026-000002";
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d2, 2,
	    D2, p2) == -1, "replay: the proof for another case is refused");
	d2 = d;
	d2.generation = 2;
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d2, 2,
	    D2, p2) == -1,
	    "replay: the proof for another generation is refused");
	CHECK(crypto_disclosure_partial_verify(e->holders[1].commitment, &d, 1,
	    D2, p2) == -1, "the requester's index cannot approve");

	/* The blinding binds the request to this case's R. */
	d2 = d;
	memcpy(d2.Rb, other + 1, 32);
	CHECK(crypto_disclosure_blind_verify(&d2, bproof) == -1,
	    "blinding: another case's R as the blinded point is refused");
	d2 = d;
	d2.case_ref = "BSK-2026-000002";
	CHECK(crypto_disclosure_blind_verify(&d2, bproof) == -1,
	    "blinding: the proof does not carry over to another case");
	memcpy(bad, bproof, 64);
	bad[50] ^= 0x10;
	CHECK(crypto_disclosure_blind_verify(&d, bad) == -1,
	    "blinding: a mutated proof is refused");
	d2 = d;
	CHECK(crypto_disclosure_blind(oldk[1]->box_sk, &d2, rho2, bp2) == 0 &&
	    !crypto_equal(d2.P, d.P, 32),
	    "blinding: another admin's key gives another blinding");
	d2 = d;
	d2.request = "ffeeddccbbaa9988";
	CHECK(crypto_disclosure_blind(oldk[0]->box_sk, &d2, rho2, bp2) == 0 &&
	    !crypto_equal(d2.Rb, d.Rb, 32) &&
	    crypto_disclosure_blind_verify(&d2, bproof) == -1,
	    "blinding: another request id gives another blinding, and the "
	    "proof does not carry over");

	test_digests(&d, bproof, D2, p2);

	crypto_secret_free(s1);
	crypto_secret_free(s2);
	crypto_secret_free(s3);
}

/* ---- resharing 2-of-3 → 3-of-5 -------------------------------------------- */

/* Builds the version 2 generation as `reshare combine` does, from the
 * deals of old holders dealers[0..1]. */
static int
reshare(const struct client_escrow *old, const unsigned dealers[2],
    struct client_escrow *n)
{
	uint8_t		*share = crypto_secret_alloc(32);
	uint8_t		*sub = crypto_secret_alloc(5 * 32);
	uint8_t		 com[3 * 32];
	uint8_t		 digest[32], pts[2 * 32];
	unsigned	 i, j;
	int		 rc = -1;

	memset(n, 0, sizeof(*n));
	n->version = 2;
	n->threshold = 3;
	n->n = 5;
	memcpy(n->Y, old->Y, 32);
	client_escrow_id(n->Y, n->id);
	n->prev_threshold = 2;
	n->nretired = 3;
	n->ndealers = 2;
	for (i = 0; i < 3; i++) {
		n->retired[i].index = i + 1;
		memcpy(n->retired[i].sign_pk, old->holders[i].sign_pk, 32);
		memcpy(n->retired[i].box_pk, old->holders[i].box_pk, 32);
		memcpy(n->retired[i].commitment, old->holders[i].commitment, 32);
	}
	for (j = 0; j < 5; j++) {
		n->holders[j].index = j + 1;
		memcpy(n->holders[j].sign_pk, newk[j]->sign_pk, 32);
		memcpy(n->holders[j].box_pk, newk[j]->box_pk, 32);
	}
	memcpy(n->previous, old->config, 32);
	n->dealers[0] = dealers[0];
	n->dealers[1] = dealers[1];
	for (i = 0; i < 2; i++) {
		if (share_of(old, oldk[dealers[i] - 1], dealers[i], share) != 0 ||
		    crypto_reshare_deal(share, dealers, 2, dealers[i], 3, 5, sub,
		    com) != 0)
			goto out;
		for (j = 0; j < 5; j++)
			if (crypto_box_to(newk[j]->box_pk, sub + j * 32, 32,
			    n->holders[j].sealed_sub[i]) != 0)
				goto out;
		memcpy(n->dealing[i], com, sizeof(com));
		client_reshare_digest(n, i, digest);
		crypto_sign_msg(oldk[dealers[i] - 1]->sign_sk, digest, 32,
		    n->dealer_sig[i]);
	}
	for (j = 0; j < 5; j++) {
		for (i = 0; i < 2; i++)
			if (crypto_feldman_eval(n->dealing[i], 3, j + 1,
			    pts + i * 32) != 0)
				goto out;
		if (crypto_point_sum(pts, 2, n->holders[j].commitment) != 0)
			goto out;
	}
	rc = client_escrow_rehash(n);
out:
	crypto_secret_free(share);
	crypto_secret_free(sub);
	return rc;
}

/* JSON round trip through every reader check. */
static int
roundtrip(const struct client_escrow *n, struct client_escrow *back)
{
	json_t	*j = client_escrow_json(n);
	int	 rc;

	rc = j != NULL ? client_escrow_from_json(j, "test escrow", back) : -1;
	json_decref(j);
	return rc;
}

static void
test_reshare(const struct client_escrow *old)
{
	static const unsigned	 dealers[2] = { 1, 3 };
	static const unsigned	 triples[4][3] = {
		{ 1, 2, 3 }, { 5, 4, 1 }, { 2, 4, 5 }, { 3, 5, 2 }
	};
	struct client_escrow	*n = calloc(1, sizeof(*n));
	struct client_escrow	*b = calloc(1, sizeof(*b));
	const struct crypto_admin_key *ak[4];
	uint8_t			*share = crypto_secret_alloc(32);
	json_t			*j;
	unsigned		 idx;
	size_t			 t;
	int			 ok;

	CHECK(reshare(old, dealers, n) == 0, "reshare: holders 1 and 3 deal "
	    "to 5 new admins, threshold 3");
	CHECK(memcmp(n->Y, old->Y, 32) == 0 && strcmp(n->id, old->id) == 0,
	    "reshare: the public key and the id are unchanged");
	CHECK(roundtrip(n, b) == 0 && b->version == 2 && b->threshold == 3 &&
	    b->n == 5 && b->nretired == 3,
	    "reshare: the version 2 file passes every reader check");
	ok = 1;
	for (t = 0; t < 5; t++)
		ok &= client_escrow_open_share(b, newk[t], &idx, share) == 0 &&
		    idx == t + 1;
	CHECK(ok, "reshare: each new holder's sub-shares pass Feldman and sum "
	    "to their commitment");
	ok = 1;
	for (t = 0; t < 4; t++) {
		ak[0] = newk[triples[t][1] - 1];
		ak[1] = newk[triples[t][2] - 1];
		ok &= disclose(b, triples[t][0], newk[triples[t][0] - 1],
		    &triples[t][1], ak, 2);
	}
	CHECK(ok, "reshare: any 3 of the 5 new holders open an identity sealed "
	    "before the resharing");
	ak[0] = newk[3];
	idx = 4;
	CHECK(!disclose(b, 2, newk[1], &idx, ak, 1),
	    "reshare: 2 of the new holders cannot");
	CHECK(client_escrow_open_share(b, oldk[1], &idx, share) == -1,
	    "reshare: a retired holder holds no share of the new generation");

	/* Tampering. */
	memcpy(b, n, sizeof(*n));
	memcpy(b->holders[1].sealed_sub[0], n->holders[2].sealed_sub[0],
	    CLIENT_SEALED_SHARE_BYTES);
	CHECK(roundtrip(b, b) == -1, "reshare: a swapped sub-share breaks the "
	    "dealer's signature");
	memcpy(b, n, sizeof(*n));
	b->dealing[1][32] ^= 1;
	CHECK(roundtrip(b, b) == -1, "reshare: a changed dealer commitment is "
	    "refused");
	memcpy(b, n, sizeof(*n));
	memcpy(b->dealing[0], b->dealing[1], 32);
	CHECK(roundtrip(b, b) == -1, "reshare: a dealing not of the dealer's "
	    "own share is refused (C0 != λ·Y_i)");
	memcpy(b, n, sizeof(*n));
	memcpy(b->holders[4].commitment, b->holders[3].commitment, 32);
	CHECK(roundtrip(b, b) == -1, "reshare: a new commitment that does not "
	    "follow from the dealings is refused");
	/* A dealer who seals garbage to one holder: that holder finds out
	 * when opening (Feldman), not later at a disclosure. */
	memcpy(b, n, sizeof(*n));
	{
		uint8_t junk[32];

		crypto_random(junk, sizeof(junk));
		junk[31] &= 0x0f;
		CHECK(crypto_box_to(newk[1]->box_pk, junk, 32,
		    b->holders[1].sealed_sub[1]) == 0 &&
		    client_escrow_open_share(b, newk[1], &idx, share) == -1,
		    "reshare: a sub-share that does not match its dealer's "
		    "commitments is refused by the new holder");
	}
	j = client_escrow_json(n);
	json_object_set_new(j, "bisik_escrow", json_integer(1));
	CHECK(client_escrow_from_json(j, "test escrow", b) == -1,
	    "reshare: a resharing record in a version 1 file is refused");
	json_decref(j);

	crypto_secret_free(share);
	free(n);
	free(b);
}

/* ---- the configuration hash, holder signatures and pins ------------------- */

static void
test_pins(const struct client_escrow *e)
{
	static const unsigned		 dealers[2] = { 1, 2 };
	struct client_escrow		*a = calloc(1, sizeof(*a));
	struct client_escrow		*b = calloc(1, sizeof(*b));
	struct client_escrow		*n = calloc(1, sizeof(*n));
	struct crypto_admin_key		*mal = crypto_secret_alloc(sizeof(*mal));
	uint8_t				 digest[32];
	json_t				*j;
	unsigned			 i;
	int				 ok;

	crypto_admin_keygen(mal);
	memcpy(a, e, sizeof(*a));
	for (i = 0; i < 3; i++) {
		crypto_sign_msg(oldk[i]->sign_sk, a->config, 32,
		    a->holder_sig[i]);
		a->signed_by[i] = 1;
	}
	CHECK(roundtrip(a, b) == 0 && client_escrow_signatures(b) == 3 &&
	    crypto_equal(b->config, a->config, 32),
	    "config: a file signed by all three holders reads back with 3 "
	    "signatures and the same configuration hash");
	memcpy(b, a, sizeof(*b));
	memcpy(b->holder_sig[1], b->holder_sig[0], 64);
	CHECK(roundtrip(b, b) == -1,
	    "config: holder 1's signature given as holder 2's is refused");
	memcpy(b, a, sizeof(*b));
	crypto_sign_msg(mal->sign_sk, b->config, 32, b->holder_sig[2]);
	CHECK(roundtrip(b, b) == -1,
	    "config: a signature by a key that is not holder 3's is refused");
	j = client_escrow_json(a);
	json_object_set_new(j, "config_hash", client_json_b64(e->Y, 32));
	CHECK(client_escrow_from_json(j, "test escrow", b) == -1,
	    "config: a stated configuration hash that is not the file's is "
	    "refused");
	json_decref(j);

	/* Every public value is in the hash; a sealed share is not. */
	ok = 1;
	for (i = 0; i < 5; i++) {
		memcpy(b, e, sizeof(*b));
		switch (i) {
		case 0: b->holders[1].sign_pk[3] ^= 1; break;
		case 1: b->holders[1].box_pk[3] ^= 1; break;
		case 2: memcpy(b->holders[1].commitment,
		    b->holders[2].commitment, 32); break;
		case 3: b->threshold = 3; break;
		default: b->holders[2].index = 4; break;
		}
		ok &= client_escrow_rehash(b) == 0 &&
		    !crypto_equal(b->config, e->config, 32);
	}
	CHECK(ok, "config: a holder's signing key, box key, commitment or "
	    "index, or the threshold, changes the hash");
	memcpy(b, e, sizeof(*b));
	b->holders[0].sealed_share[0] ^= 1;
	CHECK(client_escrow_rehash(b) == 0 &&
	    crypto_equal(b->config, e->config, 32),
	    "config: a sealed share is not part of it");

	/* The pin: a server copy with one holder's keys swapped. */
	memcpy(b, a, sizeof(*b));
	CHECK(client_escrow_same(a, b, "server copy") == 0,
	    "pin: the same file passes");
	memcpy(b->holders[1].sign_pk, mal->sign_pk, 32);
	memcpy(b->holders[1].box_pk, mal->box_pk, 32);
	b->signed_by[1] = 0;
	CHECK(client_escrow_rehash(b) == 0 &&
	    client_escrow_consistent(b) == 0 &&
	    client_escrow_same(a, b, "server copy") == -1,
	    "pin: holder 2's keys swapped (Y and commitments unchanged, the "
	    "file still consistent) is refused");
	memcpy(b, a, sizeof(*b));
	b->threshold = 1;
	CHECK(client_escrow_same(a, b, "server copy") == -1,
	    "pin: another threshold is refused");

	/* A resharing checked against the pinned previous file. */
	CHECK(reshare(a, dealers, n) == 0 &&
	    client_escrow_check_previous(n, a, "old.pub") == 0,
	    "previous: a resharing of the pinned file passes");
	memcpy(b, a, sizeof(*b));
	b->threshold = 3;
	CHECK(client_escrow_rehash(b) == 0 &&
	    client_escrow_check_previous(n, b, "old.pub") == -1,
	    "previous: against another configuration it is refused");
	/* The file names an operator's key as dealer 1 and signs with it:
	 * it agrees with itself, but not with the pinned file. */
	memcpy(b, n, sizeof(*b));
	memcpy(b->retired[0].sign_pk, mal->sign_pk, 32);
	client_reshare_digest(b, 0, digest);
	crypto_sign_msg(mal->sign_sk, digest, 32, b->dealer_sig[0]);
	CHECK(client_escrow_rehash(b) == 0 && roundtrip(b, n) == 0 &&
	    client_escrow_check_previous(b, a, "old.pub") == -1,
	    "previous: a dealer's signature by a key the new file names, not "
	    "the pinned file, is refused");
	crypto_secret_free(mal);
	free(a);
	free(b);
	free(n);
}

int
main(void)
{
	struct client_escrow	*e;
	unsigned		 i;

	if (crypto_init() != 0)
		return 1;
	for (i = 0; i < 3; i++) {
		oldk[i] = crypto_secret_alloc(sizeof(*oldk[i]));
		crypto_admin_keygen(oldk[i]);
	}
	for (i = 0; i < 5; i++) {
		newk[i] = crypto_secret_alloc(sizeof(*newk[i]));
		crypto_admin_keygen(newk[i]);
	}
	e = calloc(1, sizeof(*e));
	for (i = 0; i < 3; i++) {
		memcpy(e->holders[i].sign_pk, oldk[i]->sign_pk, 32);
		memcpy(e->holders[i].box_pk, oldk[i]->box_pk, 32);
	}
	CHECK(client_escrow_ceremony(2, 3, e) == 0, "ceremony: 2-of-3");
	CHECK(crypto_identity_seal(e->Y, binding, identity, sizeof(identity) - 1,
	    sealed) == 0, "an identity sealed to Y");
	test_disclosure(e);
	test_reshare(e);
	test_pins(e);
	for (i = 0; i < 3; i++)
		crypto_secret_free(oldk[i]);
	for (i = 0; i < 5; i++)
		crypto_secret_free(newk[i]);
	free(e);
	return tap_done();
}
