/*
 * dkg: the escrow key made by the holders together, so that no machine
 * ever holds it, not even at its birth (docs/dkg.md).
 *
 * Each holder deals a Shamir sharing of a random contribution under
 * Pedersen commitments, which reveal nothing about it; holders check the
 * pairs sealed to them and complain of bad ones; a dealer answers a
 * complaint in the open or is disqualified. Only when the qualified
 * dealers (QUAL) are fixed does each of them publish the B-part A_it of its
 * commitments, with a proof that it is that and nothing else, so nobody can
 * choose whether to count after seeing the others' parts (the key bias of
 * Gennaro, Jarecki, Krawczyk and Rabin). The key is the sum of the QUAL
 * dealers' points A_i0; each holder adds up only what it was dealt.
 *
 * struct crypto_dkg is the public state, built from the signed messages
 * alone, so the relay, every holder and an auditor decide alike. The
 * functions that take a seed or an admin key are a holder's own steps.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

#define DKG_VERSION	0x01
#define OFF_ID		1
#define OFF_PHASE	(OFF_ID + CRYPTO_DKG_ID_BYTES)
#define OFF_SENDER	(OFF_PHASE + 1)
#define OFF_CHECK	(OFF_SENDER + 4)
/* What a sealed pair holds: f(j) ‖ f'(j) ‖ tag. */
#define PLAIN_BYTES	(CRYPTO_DKG_PAIR_BYTES + CRYPTO_DKG_TAG_BYTES)
#define ANSWER_ENTRY	(4 + CRYPTO_DKG_PAIR_BYTES)

_Static_assert(OFF_CHECK + CRYPTO_HASH_BYTES == CRYPTO_DKG_HEADER_BYTES,
    "dkg header");
_Static_assert(CRYPTO_DKG_SEALED_BYTES ==
    PLAIN_BYTES + crypto_box_SEALBYTES, "dkg sealed pair");
_Static_assert(CRYPTO_DKG_MAX_HOLDERS <= CRYPTO_ESCROW_MAX_HOLDERS,
    "a DKG's output must fit an escrow generation");
/* An EXTRACT body (96k + 32) is never larger than a DEAL body. */
_Static_assert(3 * CRYPTO_DKG_MAX_HOLDERS * CRYPTO_POINT_BYTES +
    CRYPTO_SCALAR_BYTES <= CRYPTO_DKG_BODY_MAX, "dkg body bound");

static void
index_scalar(unsigned i, uint8_t s[CRYPTO_SCALAR_BYTES])
{
	memset(s, 0, CRYPTO_SCALAR_BYTES);
	s[0] = (uint8_t)i;
	s[1] = (uint8_t)(i >> 8);
	s[2] = (uint8_t)(i >> 16);
	s[3] = (uint8_t)(i >> 24);
}

void
crypto_dkg_generator_h(uint8_t H[CRYPTO_POINT_BYTES])
{
	uint8_t	h[crypto_core_ristretto255_HASHBYTES];

	/*
	 * Hash-to-group of a fixed tag: H comes out of BLAKE2b and the
	 * Elligator map, so nobody chose it and nobody knows log_B H. Who
	 * knew it could open a Pedersen commitment two ways, i.e. deal one
	 * contribution and extract another.
	 */
	crypto_int_hash_parts("bisik-dkg-pedersen-h-v1", NULL, 0, h, sizeof(h));
	(void)crypto_core_ristretto255_from_hash(H, h);
}

/* Non-zero and unlike the keys before it. */
static int
key_ok(const uint8_t *k, size_t i, const uint8_t (*all)[32])
{
	size_t	j;

	if (sodium_is_zero(k, 32))
		return 0;
	for (j = 0; j < i; j++)
		if (memcmp(all[j], k, 32) == 0)
			return 0;
	return 1;
}

int
crypto_dkg_ceremony_check(const struct crypto_dkg_ceremony *c)
{
	size_t	i;

	if (c == NULL)
		return -1;
	/*
	 * A threshold of one would make every holder's share the whole key:
	 * exactly what a dealerless ceremony exists to avoid.
	 */
	if (c->threshold < 2 || c->threshold > c->holders ||
	    c->holders > CRYPTO_DKG_MAX_HOLDERS)
		return -1;
	if (c->deadline[0] == 0)
		return -1;
	for (i = 1; i < CRYPTO_DKG_PHASES; i++)
		if (c->deadline[i] <= c->deadline[i - 1])
			return -1;
	if (c->expires <= c->deadline[CRYPTO_DKG_PHASES - 1])
		return -1;
	for (i = 0; i < c->holders; i++) {
		if (!key_ok(c->sign_pk[i], i, c->sign_pk) ||
		    !key_ok(c->box_pk[i], i, c->box_pk))
			return -1;
		/* On the curve, in the prime-order subgroup, not small. */
		if (crypto_core_ed25519_is_valid_point(c->sign_pk[i]) != 1)
			return -1;
	}
	return 0;
}

void
crypto_dkg_ceremony_hash(const struct crypto_dkg_ceremony *c,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[4];
	uint8_t			nums[4 + 4 + 8 * CRYPTO_DKG_PHASES + 8];
	size_t			i, o = 0;

	crypto_int_put_be32(nums + o, c->threshold);
	o += 4;
	crypto_int_put_be32(nums + o, c->holders);
	o += 4;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++, o += 8)
		crypto_int_put_be64(nums + o, c->deadline[i]);
	crypto_int_put_be64(nums + o, c->expires);
	parts[0].p = c->id;
	parts[0].len = CRYPTO_DKG_ID_BYTES;
	parts[1].p = nums;
	parts[1].len = sizeof(nums);
	parts[2].p = c->sign_pk;
	parts[2].len = (size_t)c->holders * CRYPTO_SIGN_PK_BYTES;
	parts[3].p = c->box_pk;
	parts[3].len = (size_t)c->holders * CRYPTO_BOX_PK_BYTES;
	crypto_hash_parts("bisik-dkg-ceremony-v1", parts, 4, out);
}

/*
 * The dealer's coefficients a_t (poly 0) and b_t (poly 1) from its seed:
 * BLAKE2b-512("bisik-dkg-coef-v1", ceremony hash, dealer, poly, t, seed)
 * mod L. Bound to the ceremony, so one seed never deals twice alike.
 */
static int
coefs(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t seed[CRYPTO_DKG_SEED_BYTES],
    uint8_t a[][CRYPTO_SCALAR_BYTES], uint8_t b[][CRYPTO_SCALAR_BYTES])
{
	struct crypto_part	parts[5];
	uint8_t			h[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	uint8_t			be_dealer[4], be_poly[4], be_t[4];
	unsigned		t, poly;
	int			rc = -1;

	crypto_int_put_be32(be_dealer, dealer);
	parts[0].p = d->chash;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = be_dealer;
	parts[1].len = 4;
	parts[2].p = be_poly;
	parts[2].len = 4;
	parts[3].p = be_t;
	parts[3].len = 4;
	parts[4].p = seed;
	parts[4].len = CRYPTO_DKG_SEED_BYTES;
	for (t = 0; t < d->c.threshold; t++) {
		for (poly = 0; poly < 2; poly++) {
			uint8_t *out = poly == 0 ? a[t] : b[t];

			crypto_int_put_be32(be_poly, poly);
			crypto_int_put_be32(be_t, t);
			crypto_int_hash_parts("bisik-dkg-coef-v1", parts, 5,
			    h, sizeof(h));
			crypto_core_ristretto255_scalar_reduce(out, h);
			/* Zero (2^-252) would make a commitment degenerate. */
			if (crypto_scalar_check(out) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	sodium_memzero(h, sizeof(h));
	return rc;
}

/* f(j) by Horner's rule; 0 unless the value is zero (2^-252). */
static int
poly_eval(const uint8_t coef[][CRYPTO_SCALAR_BYTES], unsigned k, unsigned j,
    uint8_t out[CRYPTO_SCALAR_BYTES])
{
	uint8_t		x[CRYPTO_SCALAR_BYTES], acc[CRYPTO_SCALAR_BYTES];
	uint8_t		tmp[CRYPTO_SCALAR_BYTES];
	unsigned	t;
	int		rc = -1;

	index_scalar(j, x);
	memcpy(acc, coef[k - 1], sizeof(acc));
	for (t = k - 1; t-- > 0;) {
		crypto_core_ristretto255_scalar_mul(tmp, acc, x);
		crypto_core_ristretto255_scalar_add(acc, tmp, coef[t]);
	}
	if (crypto_scalar_check(acc) == 0) {
		memcpy(out, acc, sizeof(acc));
		rc = 0;
	}
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

/* out = a·B + b·H */
static int
pedersen(const uint8_t a[CRYPTO_SCALAR_BYTES],
    const uint8_t b[CRYPTO_SCALAR_BYTES], const uint8_t H[CRYPTO_POINT_BYTES],
    uint8_t out[CRYPTO_POINT_BYTES])
{
	uint8_t	aB[CRYPTO_POINT_BYTES], bH[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (crypto_scalarmult_ristretto255_base(aB, a) == 0 &&
	    crypto_scalarmult_ristretto255(bH, b, H) == 0 &&
	    crypto_core_ristretto255_add(out, aB, bH) == 0 &&
	    crypto_point_check(out) == 0)
		rc = 0;
	sodium_memzero(aB, sizeof(aB));
	sodium_memzero(bH, sizeof(bH));
	return rc;
}

static void
box_tag(const uint8_t chash[CRYPTO_HASH_BYTES], unsigned dealer, unsigned j,
    uint8_t tag[CRYPTO_DKG_TAG_BYTES])
{
	struct crypto_part	parts[3];
	uint8_t			be_dealer[4], be_j[4], h[CRYPTO_HASH_BYTES];

	crypto_int_put_be32(be_dealer, dealer);
	crypto_int_put_be32(be_j, j);
	parts[0].p = chash;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = be_dealer;
	parts[1].len = 4;
	parts[2].p = be_j;
	parts[2].len = 4;
	crypto_hash_parts("bisik-dkg-box-v1", parts, 3, h);
	memcpy(tag, h, CRYPTO_DKG_TAG_BYTES);
}

int
crypto_dkg_pair_verify(const uint8_t *C, unsigned k, unsigned j,
    const uint8_t pair[CRYPTO_DKG_PAIR_BYTES])
{
	uint8_t	want[CRYPTO_POINT_BYTES], got[CRYPTO_POINT_BYTES];
	uint8_t	sB[CRYPTO_POINT_BYTES], tH[CRYPTO_POINT_BYTES];
	uint8_t	H[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (C == NULL || pair == NULL || k < 1 || k > CRYPTO_DKG_MAX_HOLDERS ||
	    j < 1 || j > CRYPTO_DKG_MAX_HOLDERS)
		return -1;
	/* Both halves canonical and non-zero (PITFALLS: no silent mod L). */
	if (crypto_scalar_check(pair) != 0 ||
	    crypto_scalar_check(pair + CRYPTO_SCALAR_BYTES) != 0)
		return -1;
	/* Σ_t j^t·C_t; refuses an identity C_t or sum. */
	if (crypto_feldman_eval(C, k, j, want) != 0)
		return -1;
	crypto_dkg_generator_h(H);
	if (crypto_scalarmult_ristretto255_base(sB, pair) != 0 ||
	    crypto_scalarmult_ristretto255(tH, pair + CRYPTO_SCALAR_BYTES,
	    H) != 0 || crypto_core_ristretto255_add(got, sB, tH) != 0)
		goto out;
	if (crypto_equal(got, want, sizeof(got)))
		rc = 0;
out:
	sodium_memzero(sB, sizeof(sB));
	sodium_memzero(tH, sizeof(tH));
	sodium_memzero(got, sizeof(got));
	return rc;
}

int
crypto_dkg_init(struct crypto_dkg *d, const struct crypto_dkg_ceremony *c)
{
	if (d == NULL || crypto_dkg_ceremony_check(c) != 0)
		return -1;
	memset(d, 0, sizeof(*d));
	memcpy(&d->c, c, sizeof(*c));
	crypto_dkg_ceremony_hash(c, d->chash);
	memcpy(d->checkpoint, d->chash, CRYPTO_HASH_BYTES);
	d->phase = CRYPTO_DKG_DEAL;
	return 0;
}

/* Complaints against dealer i (0-based). */
static unsigned
complaints(const struct crypto_dkg *d, unsigned i)
{
	unsigned	j, n = 0;

	for (j = 0; j < d->c.holders; j++)
		n += d->complaint[i][j];
	return n;
}

int
crypto_dkg_due(const struct crypto_dkg *d, unsigned holder)
{
	unsigned	i;

	if (d == NULL || d->failed || holder < 1 || holder > d->c.holders)
		return 0;
	i = holder - 1;
	if (d->spoke[i])
		return 0;
	switch (d->phase) {
	case CRYPTO_DKG_DEAL:
	case CRYPTO_DKG_COMPLAIN:
		return 1;
	case CRYPTO_DKG_ANSWER:
		return d->status[i] == CRYPTO_DKG_DEALER_DEALT &&
		    complaints(d, i) > 0;
	case CRYPTO_DKG_EXTRACT:
		return d->status[i] == CRYPTO_DKG_DEALER_QUALIFIED;
	default:
		return 0;
	}
}

static void
msg_digest(const uint8_t chash[CRYPTO_HASH_BYTES], const uint8_t *header,
    const uint8_t *body, size_t len, uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[3];

	parts[0].p = chash;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = header;
	parts[1].len = CRYPTO_DKG_HEADER_BYTES;
	parts[2].p = body;
	parts[2].len = len;
	crypto_hash_parts("bisik-dkg-msg-v1", parts, 3, out);
}

static int
take_deal(struct crypto_dkg *d, unsigned i, const uint8_t *body, size_t len)
{
	size_t		 k = d->c.threshold, n = d->c.holders, t;
	const uint8_t	*sealed = body + k * CRYPTO_POINT_BYTES;

	if (len != k * CRYPTO_POINT_BYTES + n * CRYPTO_DKG_SEALED_BYTES)
		return CRYPTO_DKG_MALFORMED;
	for (t = 0; t < k; t++)
		if (crypto_point_check(body + t * CRYPTO_POINT_BYTES) != 0)
			return CRYPTO_DKG_BAD_BODY;
	/* The sealed pairs are for their holders to judge (COMPLAIN). */
	memcpy(d->C[i], body, k * CRYPTO_POINT_BYTES);
	memcpy(d->sealed[i], sealed, n * CRYPTO_DKG_SEALED_BYTES);
	return CRYPTO_DKG_OK;
}

static int
take_complaint(struct crypto_dkg *d, unsigned j, const uint8_t *body,
    size_t len)
{
	unsigned	against[CRYPTO_DKG_MAX_HOLDERS];
	size_t		m, a;

	if (len % 4 != 0 || len / 4 >= d->c.holders)
		return CRYPTO_DKG_MALFORMED;
	m = len / 4;
	for (a = 0; a < m; a++) {
		against[a] = crypto_int_get_be32(body + 4 * a);
		/* In 1..n, rising (so distinct), never oneself, a dealer. */
		if (against[a] < 1 || against[a] > d->c.holders ||
		    (a > 0 && against[a] <= against[a - 1]) ||
		    against[a] == j + 1 ||
		    d->status[against[a] - 1] != CRYPTO_DKG_DEALER_DEALT)
			return CRYPTO_DKG_BAD_BODY;
	}
	for (a = 0; a < m; a++)
		d->complaint[against[a] - 1][j] = 1;
	return CRYPTO_DKG_OK;
}

static int
take_answer(struct crypto_dkg *d, unsigned i, const uint8_t *body,
    size_t len)
{
	unsigned	j, m = 0;
	size_t		o = 0;

	/* One entry for each complaint, in holder order, each checking. */
	for (j = 0; j < d->c.holders; j++) {
		if (!d->complaint[i][j])
			continue;
		if (len < o + ANSWER_ENTRY)
			return CRYPTO_DKG_MALFORMED;
		if (crypto_int_get_be32(body + o) != j + 1 ||
		    crypto_dkg_pair_verify(d->C[i][0], d->c.threshold, j + 1,
		    body + o + 4) != 0)
			return CRYPTO_DKG_BAD_BODY;
		o += ANSWER_ENTRY;
		m++;
	}
	if (o != len || m == 0)
		return CRYPTO_DKG_MALFORMED;
	for (o = 0, j = 0; j < d->c.holders; j++) {
		if (!d->complaint[i][j])
			continue;
		memcpy(d->answer[i][j], body + o + 4, CRYPTO_DKG_PAIR_BYTES);
		d->answered[i][j] = 1;
		o += ANSWER_ENTRY;
	}
	return CRYPTO_DKG_OK;
}

/*
 * The challenge of the extraction proof: every element of the statement
 * (B, H, C_*, A_*) and the prover's first messages (R_*, S_*), with the
 * ceremony and dealer as context, each length-prefixed.
 */
static void
extract_challenge(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t *C, const uint8_t *A, const uint8_t *R, const uint8_t *S,
    uint8_t c[CRYPTO_SCALAR_BYTES])
{
	struct crypto_part	parts[8];
	uint8_t			h[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	uint8_t			be_dealer[4], one[CRYPTO_SCALAR_BYTES];
	uint8_t			B[CRYPTO_POINT_BYTES], H[CRYPTO_POINT_BYTES];
	size_t			blk = (size_t)d->c.threshold *
				    CRYPTO_POINT_BYTES;

	index_scalar(1, one);
	(void)crypto_scalarmult_ristretto255_base(B, one);
	crypto_dkg_generator_h(H);
	crypto_int_put_be32(be_dealer, dealer);
	parts[0].p = d->chash;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = be_dealer;
	parts[1].len = 4;
	parts[2].p = B;
	parts[2].len = CRYPTO_POINT_BYTES;
	parts[3].p = H;
	parts[3].len = CRYPTO_POINT_BYTES;
	parts[4].p = C;
	parts[4].len = blk;
	parts[5].p = A;
	parts[5].len = blk;
	parts[6].p = R;
	parts[6].len = blk;
	parts[7].p = S;
	parts[7].len = blk;
	crypto_int_hash_parts("bisik-dkg-extract-v1", parts, 8, h, sizeof(h));
	crypto_core_ristretto255_scalar_reduce(c, h);
}

/* 0 if the EXTRACT body proves A_t is the B-part of C_t for every t. */
static int
extract_verify(const struct crypto_dkg *d, unsigned i, const uint8_t *body)
{
	size_t		 k = d->c.threshold, t;
	const uint8_t	*C = d->C[i][0], *A = body;
	const uint8_t	*c = body + k * CRYPTO_POINT_BYTES;
	const uint8_t	*z = c + CRYPTO_SCALAR_BYTES;
	const uint8_t	*w = z + k * CRYPTO_SCALAR_BYTES;
	uint8_t		 R[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	uint8_t		 S[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	uint8_t		 D[CRYPTO_POINT_BYTES], H[CRYPTO_POINT_BYTES];
	uint8_t		 p1[CRYPTO_POINT_BYTES], p2[CRYPTO_POINT_BYTES];
	uint8_t		 c2[CRYPTO_SCALAR_BYTES];

	crypto_dkg_generator_h(H);
	if (!crypto_int_scalar_canonical(c))
		return -1;
	for (t = 0; t < k; t++) {
		const uint8_t *At = A + t * CRYPTO_POINT_BYTES;

		if (crypto_point_check(At) != 0 ||
		    !crypto_int_scalar_canonical(z + t * CRYPTO_SCALAR_BYTES) ||
		    !crypto_int_scalar_canonical(w + t * CRYPTO_SCALAR_BYTES))
			return -1;
		/* D_t = C_t − A_t must be a real point: b_t is never 0. */
		if (crypto_core_ristretto255_sub(D, C + t * CRYPTO_POINT_BYTES,
		    At) != 0 || crypto_point_check(D) != 0)
			return -1;
		/* R_t = z_t·B − c·A_t */
		if (crypto_scalarmult_ristretto255_base(p1,
		    z + t * CRYPTO_SCALAR_BYTES) != 0 ||
		    crypto_scalarmult_ristretto255(p2, c, At) != 0 ||
		    crypto_core_ristretto255_sub(R[t], p1, p2) != 0)
			return -1;
		/* S_t = w_t·H − c·D_t */
		if (crypto_scalarmult_ristretto255(p1,
		    w + t * CRYPTO_SCALAR_BYTES, H) != 0 ||
		    crypto_scalarmult_ristretto255(p2, c, D) != 0 ||
		    crypto_core_ristretto255_sub(S[t], p1, p2) != 0)
			return -1;
	}
	extract_challenge(d, i + 1, C, A, R[0], S[0], c2);
	return crypto_verify_32(c2, c) == 0 ? 0 : -1;
}

static int
take_extract(struct crypto_dkg *d, unsigned i, const uint8_t *body,
    size_t len)
{
	size_t	k = d->c.threshold;

	if (len != 3 * k * CRYPTO_POINT_BYTES + CRYPTO_SCALAR_BYTES)
		return CRYPTO_DKG_MALFORMED;
	if (extract_verify(d, i, body) != 0)
		return CRYPTO_DKG_BAD_BODY;
	memcpy(d->A[i], body, k * CRYPTO_POINT_BYTES);
	d->status[i] = CRYPTO_DKG_DEALER_EXTRACTED;
	return CRYPTO_DKG_OK;
}

unsigned
crypto_dkg_msg_phase(const uint8_t *msg, size_t len)
{
	if (msg == NULL || len <= OFF_PHASE)
		return 0;
	return msg[OFF_PHASE];
}

int
crypto_dkg_accept(struct crypto_dkg *d, const uint8_t *msg, size_t len)
{
	uint8_t		 digest[CRYPTO_HASH_BYTES];
	const uint8_t	*body;
	size_t		 bodylen;
	unsigned	 sender, i;
	int		 rc;

	if (d == NULL || msg == NULL ||
	    len < CRYPTO_DKG_HEADER_BYTES + CRYPTO_SIG_BYTES ||
	    len > CRYPTO_DKG_MSG_MAX || msg[0] != DKG_VERSION)
		return CRYPTO_DKG_MALFORMED;
	if (memcmp(msg + OFF_ID, d->c.id, CRYPTO_DKG_ID_BYTES) != 0)
		return CRYPTO_DKG_WRONG_CEREMONY;
	sender = crypto_int_get_be32(msg + OFF_SENDER);
	if (sender < 1 || sender > d->c.holders)
		return CRYPTO_DKG_BAD_SENDER;
	i = sender - 1;
	body = msg + CRYPTO_DKG_HEADER_BYTES;
	bodylen = len - CRYPTO_DKG_HEADER_BYTES - CRYPTO_SIG_BYTES;
	/*
	 * The signature covers the whole ceremony (hash), the phase, the
	 * sender, the checkpoint and the body: nothing of a message can be
	 * moved to another ceremony, phase, sender or history.
	 */
	msg_digest(d->chash, msg, body, bodylen, digest);
	if (crypto_sign_check(d->c.sign_pk[i], digest, sizeof(digest),
	    msg + len - CRYPTO_SIG_BYTES) != 0)
		return CRYPTO_DKG_BAD_SIGNATURE;
	if (d->failed)
		return CRYPTO_DKG_FAILED;
	if (msg[OFF_PHASE] != d->phase)
		return CRYPTO_DKG_WRONG_PHASE;
	if (d->spoke[i])
		return CRYPTO_DKG_REPLAY;
	if (memcmp(msg + OFF_CHECK, d->checkpoint, CRYPTO_HASH_BYTES) != 0)
		return CRYPTO_DKG_STALE;
	if (!crypto_dkg_due(d, sender))
		return CRYPTO_DKG_NOT_DUE;
	switch (d->phase) {
	case CRYPTO_DKG_DEAL:
		rc = take_deal(d, i, body, bodylen);
		break;
	case CRYPTO_DKG_COMPLAIN:
		rc = take_complaint(d, i, body, bodylen);
		break;
	case CRYPTO_DKG_ANSWER:
		rc = take_answer(d, i, body, bodylen);
		break;
	case CRYPTO_DKG_EXTRACT:
		rc = take_extract(d, i, body, bodylen);
		break;
	default:
		rc = CRYPTO_DKG_WRONG_PHASE;
		break;
	}
	if (rc != CRYPTO_DKG_OK)
		return rc;
	d->spoke[i] = 1;
	memcpy(d->digest[i], digest, sizeof(digest));
	return CRYPTO_DKG_OK;
}

/*
 * DKG-NO-WHOLE-SCALAR: this is where the escrow key comes from, and it is
 * a sum of points. Y = Σ_{i∈QUAL} A_i0, where A_i0 = a_i0·B is dealer
 * i's public, proved constant; the scalars a_i0 stay on their dealers'
 * machines and no function anywhere adds them up, so y = Σ a_i0 exists
 * nowhere. The holders' commitments come the same way: the coefficient-
 * wise sums of the A_it are the Feldman commitments of the joint
 * polynomial, evaluated at each index.
 */
static int
dkg_public_key(struct crypto_dkg *d)
{
	uint8_t		pts[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	uint8_t		sum[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	unsigned	i, j, t, q;

	for (t = 0; t < d->c.threshold; t++) {
		for (q = 0, i = 0; i < d->c.holders; i++)
			if (d->status[i] == CRYPTO_DKG_DEALER_EXTRACTED)
				memcpy(pts[q++], d->A[i][t], CRYPTO_POINT_BYTES);
		if (crypto_point_sum(pts[0], q, sum[t]) != 0)
			return -1;
	}
	memcpy(d->Y, sum[0], CRYPTO_POINT_BYTES);
	for (j = 1; j <= d->c.holders; j++)
		if (crypto_feldman_eval(sum[0], d->c.threshold, j,
		    d->Yi[j - 1]) != 0)
			return -1;
	return 0;
}

static void
close_checkpoint(struct crypto_dkg *d)
{
	struct crypto_part	parts[2 + CRYPTO_DKG_MAX_HOLDERS];
	uint8_t			be_phase[4], out[CRYPTO_HASH_BYTES];
	unsigned		i;

	crypto_int_put_be32(be_phase, d->phase);
	parts[0].p = d->checkpoint;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = be_phase;
	parts[1].len = 4;
	/* In sender order: the order of arrival does not count. */
	for (i = 0; i < d->c.holders; i++) {
		parts[2 + i].p = d->digest[i];
		parts[2 + i].len = d->spoke[i] ? CRYPTO_HASH_BYTES : 0;
	}
	crypto_hash_parts("bisik-dkg-checkpoint-v1", parts, 2 + d->c.holders,
	    out);
	memcpy(d->checkpoint, out, sizeof(out));
}

int
crypto_dkg_advance(struct crypto_dkg *d)
{
	unsigned	i, q = 0;
	uint8_t		*st;

	if (d == NULL || d->failed || d->phase < CRYPTO_DKG_DEAL ||
	    d->phase >= CRYPTO_DKG_DONE)
		return -1;
	for (i = 0; i < d->c.holders; i++) {
		st = &d->status[i];
		switch (d->phase) {
		case CRYPTO_DKG_DEAL:
			*st = d->spoke[i] ? CRYPTO_DKG_DEALER_DEALT :
			    CRYPTO_DKG_DEALER_NO_DEAL;
			break;
		case CRYPTO_DKG_COMPLAIN:
			/*
			 * At most k-1 holders are assumed to cheat, so an
			 * honest dealer gets at most k-1 complaints; answering
			 * k of them in the open would publish its secret.
			 */
			if (*st == CRYPTO_DKG_DEALER_DEALT &&
			    complaints(d, i) > d->c.threshold - 1)
				*st = CRYPTO_DKG_DEALER_COMPLAINTS;
			break;
		case CRYPTO_DKG_ANSWER:
			if (*st != CRYPTO_DKG_DEALER_DEALT)
				break;
			if (complaints(d, i) > 0 && !d->spoke[i])
				*st = CRYPTO_DKG_DEALER_UNANSWERED;
			else {
				*st = CRYPTO_DKG_DEALER_QUALIFIED;
				q++;
			}
			break;
		case CRYPTO_DKG_EXTRACT:
			/*
			 * A missing extraction cannot be told from one the
			 * relay withheld, and a QUAL dealer must not be able
			 * to leave after seeing the others' parts (that is
			 * the bias): no key comes out, and the ceremony's
			 * record names the dealer.
			 */
			if (*st == CRYPTO_DKG_DEALER_QUALIFIED) {
				*st = CRYPTO_DKG_DEALER_NO_EXTRACT;
				d->failed = 1;
			}
			break;
		}
	}
	/*
	 * With at most k-1 cheating holders, k qualified dealers include an
	 * honest one, whose uniform secret makes the key uniform and unknown.
	 */
	if (d->phase == CRYPTO_DKG_ANSWER && q < d->c.threshold)
		d->failed = 1;
	if (d->phase == CRYPTO_DKG_EXTRACT && !d->failed &&
	    dkg_public_key(d) != 0)
		d->failed = 1;
	close_checkpoint(d);
	memset(d->spoke, 0, sizeof(d->spoke));
	memset(d->digest, 0, sizeof(d->digest));
	d->phase++;
	return d->failed ? -1 : 0;
}

unsigned
crypto_dkg_dealer_status(const struct crypto_dkg *d, unsigned i)
{
	if (d == NULL || i < 1 || i > d->c.holders)
		return CRYPTO_DKG_DEALER_MAX;
	return d->status[i - 1];
}

const char *
crypto_dkg_dealer_describe(unsigned status)
{
	static const char *const words[CRYPTO_DKG_DEALER_MAX] = {
		"has not dealt yet",
		"dealt; complaints are being settled",
		"qualified",
		"qualified; its part of the key is proved",
		"disqualified: it did not deal in time",
		"disqualified: more than threshold-1 holders complained of "
		    "its deal",
		"disqualified: it did not answer a complaint with a "
		    "sub-share that checks",
		"qualified but gave no valid proof of its part of the key, "
		    "so the ceremony cannot finish",
	};

	if (status >= CRYPTO_DKG_DEALER_MAX)
		return "is not a holder of this ceremony";
	return words[status];
}

const char *
crypto_dkg_strerror(int e)
{
	static const char *const words[CRYPTO_DKG_ERR_MAX] = {
		"accepted",
		"the message is not a well-formed ceremony message",
		"the message belongs to another ceremony",
		"the message names a sender who is not a holder",
		"the message is not signed by its sender for this ceremony",
		"the message is for a phase that is not open",
		"the sender has already spoken in this phase",
		"the message was made on another record of the earlier phases",
		"the sender has nothing to say in this phase",
		"the message's content does not check",
		"the ceremony has failed and takes no more messages",
	};

	if (e < 0 || e >= CRYPTO_DKG_ERR_MAX)
		return "unknown ceremony error";
	return words[e];
}

void
crypto_dkg_checkpoint(const struct crypto_dkg *d,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	memcpy(out, d->checkpoint, CRYPTO_HASH_BYTES);
}

int
crypto_dkg_result(const struct crypto_dkg *d, uint8_t Y[CRYPTO_POINT_BYTES],
    uint8_t *commitments)
{
	if (d == NULL || d->failed || d->phase != CRYPTO_DKG_DONE ||
	    commitments == NULL)
		return -1;
	memcpy(Y, d->Y, CRYPTO_POINT_BYTES);
	memcpy(commitments, d->Yi, (size_t)d->c.holders * CRYPTO_POINT_BYTES);
	return 0;
}

/* `key` is the ceremony's holder `index`. */
static int
own_key(const struct crypto_dkg *d, const struct crypto_admin_key *key,
    unsigned index)
{
	if (key == NULL || index < 1 || index > d->c.holders)
		return 0;
	return memcmp(key->sign_pk, d->c.sign_pk[index - 1],
	    CRYPTO_SIGN_PK_BYTES) == 0 &&
	    memcmp(key->box_pk, d->c.box_pk[index - 1],
	    CRYPTO_BOX_PK_BYTES) == 0;
}

/* The dealer's commitments as its seed gives them match what it dealt. */
static int
seed_matches(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t a[][CRYPTO_SCALAR_BYTES],
    const uint8_t b[][CRYPTO_SCALAR_BYTES], const uint8_t H[CRYPTO_POINT_BYTES])
{
	uint8_t		C[CRYPTO_POINT_BYTES];
	unsigned	t;

	for (t = 0; t < d->c.threshold; t++)
		if (pedersen(a[t], b[t], H, C) != 0 ||
		    !crypto_equal(C, d->C[dealer - 1][t], sizeof(C)))
			return 0;
	return 1;
}

int
crypto_dkg_deal(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body, size_t *len)
{
	uint8_t		a[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		b[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		plain[PLAIN_BYTES], H[CRYPTO_POINT_BYTES];
	size_t		k, n, o;
	unsigned	t, j;
	int		rc = -1;

	if (d == NULL || seed == NULL || body == NULL || len == NULL ||
	    d->failed || d->phase != CRYPTO_DKG_DEAL || dealer < 1 ||
	    dealer > d->c.holders)
		return -1;
	k = d->c.threshold;
	n = d->c.holders;
	crypto_dkg_generator_h(H);
	if (coefs(d, dealer, seed, a, b) != 0)
		goto out;
	for (t = 0; t < k; t++)
		if (pedersen(a[t], b[t], H, body + t * CRYPTO_POINT_BYTES) != 0)
			goto out;
	o = k * CRYPTO_POINT_BYTES;
	for (j = 1; j <= n; j++, o += CRYPTO_DKG_SEALED_BYTES) {
		if (poly_eval((const uint8_t (*)[32])a, (unsigned)k, j,
		    plain) != 0 ||
		    poly_eval((const uint8_t (*)[32])b, (unsigned)k, j,
		    plain + CRYPTO_SCALAR_BYTES) != 0)
			goto out;
		box_tag(d->chash, dealer, j, plain + CRYPTO_DKG_PAIR_BYTES);
		/* To holder j alone; the dealer's own pair comes back to it
		 * the same way, so between steps it keeps only its seed. */
		if (crypto_box_to(d->c.box_pk[j - 1], plain, sizeof(plain),
		    body + o) != 0)
			goto out;
	}
	*len = o;
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(body, CRYPTO_DKG_BODY_MAX);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(b, sizeof(b));
	sodium_memzero(plain, sizeof(plain));
	return rc;
}

/* The pair dealer i sealed to holder j, if it opens, carries the right
 * tag and checks against the dealer's commitments. */
static int
box_pair(const struct crypto_dkg *d, const struct crypto_admin_key *key,
    unsigned dealer, unsigned j, uint8_t pair[CRYPTO_DKG_PAIR_BYTES])
{
	uint8_t	plain[PLAIN_BYTES], tag[CRYPTO_DKG_TAG_BYTES];
	int	rc = -1;

	if (crypto_box_open_with(key, d->sealed[dealer - 1][j - 1],
	    CRYPTO_DKG_SEALED_BYTES, plain) != 0)
		goto out;
	box_tag(d->chash, dealer, j, tag);
	if (!crypto_equal(tag, plain + CRYPTO_DKG_PAIR_BYTES, sizeof(tag)) ||
	    crypto_dkg_pair_verify(d->C[dealer - 1][0], d->c.threshold, j,
	    plain) != 0)
		goto out;
	memcpy(pair, plain, CRYPTO_DKG_PAIR_BYTES);
	rc = 0;
out:
	sodium_memzero(plain, sizeof(plain));
	return rc;
}

int
crypto_dkg_complain(const struct crypto_dkg *d,
    const struct crypto_admin_key *key, unsigned holder, uint8_t *body,
    size_t *len, unsigned *count)
{
	uint8_t		pair[CRYPTO_DKG_PAIR_BYTES];
	unsigned	i, m = 0;

	if (d == NULL || body == NULL || len == NULL || d->failed ||
	    d->phase != CRYPTO_DKG_COMPLAIN || !own_key(d, key, holder))
		return -1;
	for (i = 1; i <= d->c.holders; i++) {
		if (i == holder ||
		    d->status[i - 1] != CRYPTO_DKG_DEALER_DEALT)
			continue;
		if (box_pair(d, key, i, holder, pair) != 0)
			crypto_int_put_be32(body + 4 * m++, i);
	}
	sodium_memzero(pair, sizeof(pair));
	*len = 4 * (size_t)m;
	if (count != NULL)
		*count = m;
	return 0;
}

int
crypto_dkg_answer(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body, size_t *len)
{
	uint8_t		a[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		b[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		H[CRYPTO_POINT_BYTES];
	size_t		o = 0;
	unsigned	j;
	int		rc = -1;

	if (d == NULL || seed == NULL || body == NULL || len == NULL ||
	    d->phase != CRYPTO_DKG_ANSWER || !crypto_dkg_due(d, dealer))
		return -1;
	crypto_dkg_generator_h(H);
	if (coefs(d, dealer, seed, a, b) != 0 || !seed_matches(d, dealer,
	    (const uint8_t (*)[32])a, (const uint8_t (*)[32])b, H))
		goto out;
	for (j = 1; j <= d->c.holders; j++) {
		if (!d->complaint[dealer - 1][j - 1])
			continue;
		/* Only what the complainer was owed, and it knew it already. */
		crypto_int_put_be32(body + o, j);
		if (poly_eval((const uint8_t (*)[32])a, d->c.threshold, j,
		    body + o + 4) != 0 ||
		    poly_eval((const uint8_t (*)[32])b, d->c.threshold, j,
		    body + o + 4 + CRYPTO_SCALAR_BYTES) != 0)
			goto out;
		o += ANSWER_ENTRY;
	}
	*len = o;
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(body, CRYPTO_DKG_BODY_MAX);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(b, sizeof(b));
	return rc;
}

/* Proof of knowledge of a_t, b_t with A_t = a_t·B, C_t − A_t = b_t·H. */
static int
extract_prove(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t a[][CRYPTO_SCALAR_BYTES],
    const uint8_t b[][CRYPTO_SCALAR_BYTES], const uint8_t *A,
    const uint8_t H[CRYPTO_POINT_BYTES], uint8_t *proof)
{
	uint8_t		r[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		q[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		R[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	uint8_t		S[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
	uint8_t		c[CRYPTO_SCALAR_BYTES], tmp[CRYPTO_SCALAR_BYTES];
	size_t		k = d->c.threshold, t;
	uint8_t		*z = proof + CRYPTO_SCALAR_BYTES;
	uint8_t		*w = z + k * CRYPTO_SCALAR_BYTES;
	int		rc = -1;

	/*
	 * Fresh random nonces for every proof: two proofs with one nonce
	 * and different challenges would give away a_t and b_t.
	 */
	for (t = 0; t < k; t++) {
		crypto_core_ristretto255_scalar_random(r[t]);
		crypto_core_ristretto255_scalar_random(q[t]);
		if (crypto_scalarmult_ristretto255_base(R[t], r[t]) != 0 ||
		    crypto_scalarmult_ristretto255(S[t], q[t], H) != 0)
			goto out;
	}
	extract_challenge(d, dealer, d->C[dealer - 1][0], A, R[0], S[0], c);
	memcpy(proof, c, CRYPTO_SCALAR_BYTES);
	for (t = 0; t < k; t++) {
		/* z_t = r_t + c·a_t, w_t = q_t + c·b_t */
		crypto_core_ristretto255_scalar_mul(tmp, c, a[t]);
		crypto_core_ristretto255_scalar_add(z + t * CRYPTO_SCALAR_BYTES,
		    r[t], tmp);
		crypto_core_ristretto255_scalar_mul(tmp, c, b[t]);
		crypto_core_ristretto255_scalar_add(w + t * CRYPTO_SCALAR_BYTES,
		    q[t], tmp);
	}
	rc = 0;
out:
	sodium_memzero(r, sizeof(r));
	sodium_memzero(q, sizeof(q));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

int
crypto_dkg_extract(const struct crypto_dkg *d, unsigned dealer,
    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body, size_t *len)
{
	uint8_t		a[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		b[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		H[CRYPTO_POINT_BYTES];
	size_t		k;
	unsigned	t;
	int		rc = -1;

	if (d == NULL || seed == NULL || body == NULL || len == NULL ||
	    d->phase != CRYPTO_DKG_EXTRACT || !crypto_dkg_due(d, dealer))
		return -1;
	k = d->c.threshold;
	crypto_dkg_generator_h(H);
	if (coefs(d, dealer, seed, a, b) != 0 || !seed_matches(d, dealer,
	    (const uint8_t (*)[32])a, (const uint8_t (*)[32])b, H))
		goto out;
	for (t = 0; t < k; t++)
		if (crypto_scalarmult_ristretto255_base(body +
		    t * CRYPTO_POINT_BYTES, a[t]) != 0)
			goto out;
	if (extract_prove(d, dealer, (const uint8_t (*)[32])a,
	    (const uint8_t (*)[32])b, body, H,
	    body + k * CRYPTO_POINT_BYTES) != 0)
		goto out;
	*len = 3 * k * CRYPTO_POINT_BYTES + CRYPTO_SCALAR_BYTES;
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(body, CRYPTO_DKG_BODY_MAX);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(b, sizeof(b));
	return rc;
}

int
crypto_dkg_sign(const struct crypto_dkg *d, unsigned sender,
    const struct crypto_admin_key *key, const uint8_t *body, size_t len,
    uint8_t *out, size_t *outlen)
{
	uint8_t	digest[CRYPTO_HASH_BYTES];

	if (d == NULL || out == NULL || outlen == NULL ||
	    (body == NULL && len > 0) || len > CRYPTO_DKG_BODY_MAX ||
	    d->phase < CRYPTO_DKG_DEAL || d->phase >= CRYPTO_DKG_DONE ||
	    key == NULL || sender < 1 || sender > d->c.holders ||
	    memcmp(key->sign_pk, d->c.sign_pk[sender - 1],
	    CRYPTO_SIGN_PK_BYTES) != 0)
		return -1;
	out[0] = DKG_VERSION;
	memcpy(out + OFF_ID, d->c.id, CRYPTO_DKG_ID_BYTES);
	out[OFF_PHASE] = (uint8_t)d->phase;
	crypto_int_put_be32(out + OFF_SENDER, sender);
	memcpy(out + OFF_CHECK, d->checkpoint, CRYPTO_HASH_BYTES);
	if (len > 0)
		memmove(out + CRYPTO_DKG_HEADER_BYTES, body, len);
	msg_digest(d->chash, out, out + CRYPTO_DKG_HEADER_BYTES, len, digest);
	crypto_sign_msg(key->sign_sk, digest, sizeof(digest),
	    out + CRYPTO_DKG_HEADER_BYTES + len);
	*outlen = CRYPTO_DKG_HEADER_BYTES + len + CRYPTO_SIG_BYTES;
	return 0;
}

int
crypto_dkg_share(const struct crypto_dkg *d,
    const struct crypto_admin_key *key, unsigned holder,
    uint8_t share[CRYPTO_SCALAR_BYTES])
{
	uint8_t		pair[CRYPTO_DKG_PAIR_BYTES];
	uint8_t		acc[CRYPTO_SCALAR_BYTES], tmp[CRYPTO_SCALAR_BYTES];
	unsigned	i;
	int		rc = -1;

	if (d == NULL || share == NULL || d->failed ||
	    d->phase != CRYPTO_DKG_DONE || !own_key(d, key, holder))
		return -1;
	memset(acc, 0, sizeof(acc));
	/*
	 * One holder's share: what each QUAL dealer dealt to this index.
	 * It is a point of the joint polynomial, not its value at 0.
	 */
	for (i = 1; i <= d->c.holders; i++) {
		if (d->status[i - 1] != CRYPTO_DKG_DEALER_EXTRACTED)
			continue;
		if (d->answered[i - 1][holder - 1])
			memcpy(pair, d->answer[i - 1][holder - 1], sizeof(pair));
		else if (box_pair(d, key, i, holder, pair) != 0)
			goto out;	/* a bad pair nobody complained of */
		crypto_core_ristretto255_scalar_add(tmp, acc, pair);
		memcpy(acc, tmp, sizeof(acc));
	}
	if (crypto_escrow_share_check(acc, d->Yi[holder - 1]) != 0)
		goto out;
	memcpy(share, acc, sizeof(acc));
	rc = 0;
out:
	sodium_memzero(pair, sizeof(pair));
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}
