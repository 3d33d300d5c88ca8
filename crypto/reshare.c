/*
 * reshare: handing an escrow generation to a new set of holders (new k
 * and n) without ever rebuilding the escrow scalar y.
 *
 * k old holders Q take part. Each dealer i ∈ Q weighs its share by its
 * Lagrange coefficient over Q, s_i = λ_i·y_i (so Σ s_i = y), and deals a
 * fresh Shamir sharing of s_i to the new holders: a random polynomial g_i
 * of degree k2-1 with g_i(0) = s_i, sub-share g_i(j) for new holder j, and
 * Feldman commitments C_{i,t} = a_{i,t}·B to its coefficients. Anyone can
 * check C_{i,0} = λ_i·Y_i against the old public commitment, so a dealer
 * cannot deal anything but its real share; new holder j checks
 * g_i(j)·B = Σ_t j^t·C_{i,t} and adds up y'_j = Σ_i g_i(j). The new
 * commitments Y'_j = Σ_i Σ_t j^t·C_{i,t} are public and Σ_i C_{i,0} = Y,
 * so the public key, and with it every sealed identity, stays as it is.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

static void
index_scalar(unsigned i, uint8_t s[CRYPTO_SCALAR_BYTES])
{
	memset(s, 0, CRYPTO_SCALAR_BYTES);
	s[0] = (uint8_t)i;
	s[1] = (uint8_t)(i >> 8);
	s[2] = (uint8_t)(i >> 16);
	s[3] = (uint8_t)(i >> 24);
}

int
crypto_escrow_share_check(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const uint8_t Yi[CRYPTO_POINT_BYTES])
{
	uint8_t	chk[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (crypto_scalar_check(share) != 0 || crypto_point_check(Yi) != 0)
		return -1;
	if (crypto_scalarmult_ristretto255_base(chk, share) == 0 &&
	    crypto_equal(chk, Yi, sizeof(chk)))
		rc = 0;
	sodium_memzero(chk, sizeof(chk));
	return rc;
}

int
crypto_reshare_deal(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const unsigned *dealers, size_t k, unsigned index, unsigned k2,
    unsigned n2, uint8_t *sub, uint8_t *commitments)
{
	uint8_t		coef[CRYPTO_ESCROW_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		lambda[CRYPTO_SCALAR_BYTES], x[CRYPTO_SCALAR_BYTES];
	uint8_t		acc[CRYPTO_SCALAR_BYTES], tmp[CRYPTO_SCALAR_BYTES];
	unsigned	j, t;
	int		rc = -1;

	if (sub == NULL || commitments == NULL || k2 < 1 || k2 > n2 ||
	    n2 > CRYPTO_ESCROW_MAX_HOLDERS || crypto_scalar_check(share) != 0)
		return -1;
	if (crypto_lagrange(dealers, k, index, lambda) != 0)
		return -1;
	/* a_0 = λ·y_i; the others uniform and non-zero. */
	crypto_core_ristretto255_scalar_mul(coef[0], lambda, share);
	for (t = 1; t < k2; t++)
		crypto_core_ristretto255_scalar_random(coef[t]);
	for (t = 0; t < k2; t++)
		if (crypto_scalar_check(coef[t]) != 0 ||
		    crypto_scalarmult_ristretto255_base(commitments +
		    (size_t)t * CRYPTO_POINT_BYTES, coef[t]) != 0)
			goto out;
	for (j = 1; j <= n2; j++) {
		index_scalar(j, x);
		memcpy(acc, coef[k2 - 1], sizeof(acc));
		for (t = k2 - 1; t-- > 0;) {	/* Horner */
			crypto_core_ristretto255_scalar_mul(tmp, acc, x);
			crypto_core_ristretto255_scalar_add(acc, tmp, coef[t]);
		}
		/* A zero sub-share (2^-252) could not be checked: give up. */
		if (crypto_scalar_check(acc) != 0)
			goto out;
		memcpy(sub + (size_t)(j - 1) * CRYPTO_SCALAR_BYTES, acc,
		    CRYPTO_SCALAR_BYTES);
	}
	rc = 0;
out:
	if (rc != 0) {
		sodium_memzero(sub, (size_t)n2 * CRYPTO_SCALAR_BYTES);
		sodium_memzero(commitments, (size_t)k2 * CRYPTO_POINT_BYTES);
	}
	sodium_memzero(coef, sizeof(coef));
	sodium_memzero(lambda, sizeof(lambda));
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

int
crypto_reshare_check_dealer(const uint8_t Yi[CRYPTO_POINT_BYTES],
    const unsigned *dealers, size_t k, unsigned index,
    const uint8_t C0[CRYPTO_POINT_BYTES])
{
	uint8_t	lambda[CRYPTO_SCALAR_BYTES], want[CRYPTO_POINT_BYTES];

	if (crypto_point_check(Yi) != 0 || crypto_point_check(C0) != 0 ||
	    crypto_lagrange(dealers, k, index, lambda) != 0 ||
	    crypto_escrow_partial(lambda, Yi, want) != 0)
		return -1;
	return crypto_equal(want, C0, sizeof(want)) ? 0 : -1;
}

int
crypto_feldman_eval(const uint8_t *commitments, unsigned k2, unsigned j,
    uint8_t out[CRYPTO_POINT_BYTES])
{
	uint8_t		x[CRYPTO_SCALAR_BYTES], acc[CRYPTO_POINT_BYTES];
	uint8_t		term[CRYPTO_POINT_BYTES];
	unsigned	t;

	if (commitments == NULL || k2 < 1 || k2 > CRYPTO_ESCROW_MAX_HOLDERS ||
	    j == 0)
		return -1;
	for (t = 0; t < k2; t++)
		if (crypto_point_check(commitments +
		    (size_t)t * CRYPTO_POINT_BYTES) != 0)
			return -1;
	/* Horner in the exponent: acc = (..(C_{k-1}·j + C_{k-2})·j ..) + C_0 */
	memcpy(acc, commitments + (size_t)(k2 - 1) * CRYPTO_POINT_BYTES,
	    sizeof(acc));
	index_scalar(j, x);
	for (t = k2 - 1; t-- > 0;) {
		/* Fails on the identity, which a valid sharing never gives. */
		if (crypto_scalarmult_ristretto255(term, x, acc) != 0 ||
		    crypto_core_ristretto255_add(acc, term, commitments +
		    (size_t)t * CRYPTO_POINT_BYTES) != 0)
			return -1;
	}
	if (crypto_point_check(acc) != 0)
		return -1;
	memcpy(out, acc, sizeof(acc));
	return 0;
}

int
crypto_feldman_verify(const uint8_t *commitments, unsigned k2, unsigned j,
    const uint8_t sub[CRYPTO_SCALAR_BYTES])
{
	uint8_t	want[CRYPTO_POINT_BYTES];

	if (crypto_feldman_eval(commitments, k2, j, want) != 0)
		return -1;
	return crypto_escrow_share_check(sub, want);
}

int
crypto_scalar_sum(const uint8_t *scalars, size_t n,
    uint8_t out[CRYPTO_SCALAR_BYTES])
{
	uint8_t	acc[CRYPTO_SCALAR_BYTES], tmp[CRYPTO_SCALAR_BYTES];
	size_t	i;
	int	rc = -1;

	if (scalars == NULL || n == 0 || n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	memset(acc, 0, sizeof(acc));
	for (i = 0; i < n; i++) {
		if (!crypto_int_scalar_canonical(scalars +
		    i * CRYPTO_SCALAR_BYTES))
			goto out;
		crypto_core_ristretto255_scalar_add(tmp, acc,
		    scalars + i * CRYPTO_SCALAR_BYTES);
		memcpy(acc, tmp, sizeof(acc));
	}
	if (crypto_scalar_check(acc) != 0)
		goto out;
	memcpy(out, acc, sizeof(acc));
	rc = 0;
out:
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

int
crypto_point_sum(const uint8_t *points, size_t n,
    uint8_t out[CRYPTO_POINT_BYTES])
{
	uint8_t	acc[CRYPTO_POINT_BYTES], tmp[CRYPTO_POINT_BYTES];
	size_t	i;

	if (points == NULL || n == 0 || n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (i = 0; i < n; i++) {
		if (crypto_point_check(points + i * CRYPTO_POINT_BYTES) != 0)
			return -1;
		if (i == 0) {
			memcpy(acc, points, sizeof(acc));
			continue;
		}
		if (crypto_core_ristretto255_add(tmp, acc,
		    points + i * CRYPTO_POINT_BYTES) != 0)
			return -1;
		memcpy(acc, tmp, sizeof(acc));
	}
	if (crypto_point_check(acc) != 0)
		return -1;
	memcpy(out, acc, sizeof(acc));
	return 0;
}
