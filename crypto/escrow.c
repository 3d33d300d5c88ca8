/*
 * escrow: the Shamir k-of-n split of the identity escrow scalar y and the
 * threshold decryption built on it. Holders never pool their shares: each
 * computes D_i = y_i·R on their own machine and the requester combines k of
 * them in the exponent, S = Σ λ_i·D_i, so y is never rebuilt anywhere.
 */
#include <assert.h>
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

/* Holder index i as the scalar i (little-endian, the rest zero). */
static void
index_scalar(unsigned int i, uint8_t s[CRYPTO_SCALAR_BYTES])
{
	memset(s, 0, CRYPTO_SCALAR_BYTES);
	s[0] = (uint8_t)i;
	s[1] = (uint8_t)(i >> 8);
	s[2] = (uint8_t)(i >> 16);
	s[3] = (uint8_t)(i >> 24);
}

/* Crockford base32, as reporter tokens use (token.c). */
static const char fp_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The 52 symbols of the fingerprint of Y, without separators. */
static void
fingerprint_symbols(const uint8_t Y[CRYPTO_POINT_BYTES],
    char sym[CRYPTO_ESCROW_FP_SYMBOLS])
{
	struct crypto_part	 part = { Y, CRYPTO_POINT_BYTES };
	uint8_t			 h[CRYPTO_HASH_BYTES];
	unsigned int		 acc = 0, bits = 0;
	size_t			 i, n = 0;

	crypto_hash_parts("bisik-escrow-fingerprint-v1", &part, 1, h);
	for (i = 0; i < sizeof(h); i++) {
		acc = (acc << 8) | h[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			sym[n++] = fp_alphabet[(acc >> bits) & 31];
		}
	}
	/* 256 = 51 * 5 + 1: the last symbol carries 1 bit and 4 zero bits */
	sym[n++] = fp_alphabet[(acc << (5 - bits)) & 31];
	assert(n == CRYPTO_ESCROW_FP_SYMBOLS);
}

void
crypto_escrow_fingerprint(const uint8_t Y[CRYPTO_POINT_BYTES],
    char out[CRYPTO_ESCROW_FP_TEXT])
{
	char	sym[CRYPTO_ESCROW_FP_SYMBOLS];
	size_t	i, o = 0;

	fingerprint_symbols(Y, sym);
	for (i = 0; i < CRYPTO_ESCROW_FP_SYMBOLS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = sym[i];
	}
	out[o] = '\0';
}

int
crypto_escrow_fingerprint_match(const char *text,
    const uint8_t Y[CRYPTO_POINT_BYTES])
{
	char	want[CRYPTO_ESCROW_FP_SYMBOLS];
	size_t	n = 0;
	int	c;

	if (text == NULL)
		return -1;
	fingerprint_symbols(Y, want);
	for (; *text != '\0'; text++) {
		c = (unsigned char)*text;
		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (n == CRYPTO_ESCROW_FP_SYMBOLS || c != want[n])
			return -1;
		n++;
	}
	return n == CRYPTO_ESCROW_FP_SYMBOLS ? 0 : -1;
}

int
crypto_escrow_split(unsigned k, unsigned n, uint8_t Y[CRYPTO_POINT_BYTES],
    uint8_t *shares, uint8_t *commitments)
{
	/* f(x) = a_0 + a_1 x + ... + a_{k-1} x^{k-1}, a_0 = y */
	uint8_t		coef[CRYPTO_ESCROW_MAX_HOLDERS][CRYPTO_SCALAR_BYTES];
	uint8_t		x[CRYPTO_SCALAR_BYTES], acc[CRYPTO_SCALAR_BYTES];
	uint8_t		tmp[CRYPTO_SCALAR_BYTES], Ytmp[CRYPTO_POINT_BYTES];
	unsigned int	i, j;
	int		rc = -1;

	if (k < 1 || k > n || n > CRYPTO_ESCROW_MAX_HOLDERS ||
	    shares == NULL || commitments == NULL)
		return -1;
	/* scalar_random gives uniform non-zero scalars, so y != 0. */
	for (j = 0; j < k; j++)
		crypto_core_ristretto255_scalar_random(coef[j]);
	if (crypto_scalarmult_ristretto255_base(Ytmp, coef[0]) != 0)
		goto out;
	for (i = 1; i <= n; i++) {
		index_scalar(i, x);
		memcpy(acc, coef[k - 1], sizeof(acc));
		for (j = k - 1; j-- > 0;) {	/* Horner */
			crypto_core_ristretto255_scalar_mul(tmp, acc, x);
			crypto_core_ristretto255_scalar_add(acc, tmp, coef[j]);
		}
		/*
		 * A zero share (probability 2^-252) would have the identity
		 * as commitment, which every checker rejects: give up rather
		 * than hand out a share that cannot be used.
		 */
		if (crypto_scalar_check(acc) != 0)
			goto out;
		memcpy(shares + (size_t)(i - 1) * CRYPTO_SCALAR_BYTES, acc,
		    CRYPTO_SCALAR_BYTES);
		if (crypto_scalarmult_ristretto255_base(commitments +
		    (size_t)(i - 1) * CRYPTO_POINT_BYTES, acc) != 0)
			goto out;
	}
	memcpy(Y, Ytmp, CRYPTO_POINT_BYTES);
	rc = 0;
out:
	if (rc != 0) {
		sodium_memzero(shares, (size_t)n * CRYPTO_SCALAR_BYTES);
		sodium_memzero(commitments, (size_t)n * CRYPTO_POINT_BYTES);
	}
	sodium_memzero(coef, sizeof(coef));
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

int
crypto_lagrange(const unsigned *indices, size_t count, unsigned i,
    uint8_t lambda[CRYPTO_SCALAR_BYTES])
{
	uint8_t	num[CRYPTO_SCALAR_BYTES], den[CRYPTO_SCALAR_BYTES];
	uint8_t	xi[CRYPTO_SCALAR_BYTES], xj[CRYPTO_SCALAR_BYTES];
	uint8_t	diff[CRYPTO_SCALAR_BYTES], tmp[CRYPTO_SCALAR_BYTES];
	size_t	a, b, found = 0;

	if (indices == NULL || count == 0 ||
	    count > CRYPTO_ESCROW_MAX_HOLDERS || i == 0)
		return -1;
	/*
	 * A repeated index would make a denominator zero (scalar_invert
	 * would catch that too), but say why here, before any arithmetic.
	 */
	for (a = 0; a < count; a++) {
		if (indices[a] == 0)
			return -1;
		if (indices[a] == i)
			found++;
		for (b = 0; b < a; b++)
			if (indices[a] == indices[b])
				return -1;
	}
	if (found != 1)
		return -1;

	/* λ_i = Π_{j≠i} x_j / (x_j − x_i), evaluated at x = 0 */
	index_scalar(1, num);
	index_scalar(1, den);
	index_scalar(i, xi);
	for (a = 0; a < count; a++) {
		if (indices[a] == i)
			continue;
		index_scalar(indices[a], xj);
		crypto_core_ristretto255_scalar_mul(tmp, num, xj);
		memcpy(num, tmp, sizeof(num));
		crypto_core_ristretto255_scalar_sub(diff, xj, xi);
		crypto_core_ristretto255_scalar_mul(tmp, den, diff);
		memcpy(den, tmp, sizeof(den));
	}
	if (crypto_core_ristretto255_scalar_invert(tmp, den) != 0)
		return -1;
	crypto_core_ristretto255_scalar_mul(lambda, num, tmp);
	return 0;
}

int
crypto_escrow_partial(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const uint8_t R[CRYPTO_POINT_BYTES], uint8_t D[CRYPTO_POINT_BYTES])
{
	uint8_t	tmp[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (crypto_scalar_check(share) != 0 || crypto_point_check(R) != 0)
		return -1;
	if (crypto_scalarmult_ristretto255(tmp, share, R) != 0)
		goto out;
	memcpy(D, tmp, sizeof(tmp));
	rc = 0;
out:
	sodium_memzero(tmp, sizeof(tmp));
	return rc;
}

int
crypto_escrow_combine(const unsigned *indices, const uint8_t *partials,
    size_t count, uint8_t S[CRYPTO_POINT_BYTES])
{
	uint8_t	lambda[CRYPTO_SCALAR_BYTES], term[CRYPTO_POINT_BYTES];
	uint8_t	acc[CRYPTO_POINT_BYTES], sum[CRYPTO_POINT_BYTES];
	size_t	a;
	int	rc = -1;

	if (indices == NULL || partials == NULL || count == 0 ||
	    count > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (a = 0; a < count; a++) {
		const uint8_t *D = partials + a * CRYPTO_POINT_BYTES;

		if (crypto_point_check(D) != 0 ||
		    crypto_lagrange(indices, count, indices[a], lambda) != 0 ||
		    crypto_scalarmult_ristretto255(term, lambda, D) != 0)
			goto out;
		if (a == 0)
			memcpy(acc, term, sizeof(acc));
		else {
			if (crypto_core_ristretto255_add(sum, acc, term) != 0)
				goto out;
			memcpy(acc, sum, sizeof(acc));
		}
	}
	/* add() does not refuse the identity; a sum of forged partials can be. */
	if (crypto_point_check(acc) != 0)
		goto out;
	memcpy(S, acc, sizeof(acc));
	rc = 0;
out:
	/* S opens identities: none of its ingredients may linger. */
	sodium_memzero(term, sizeof(term));
	sodium_memzero(acc, sizeof(acc));
	sodium_memzero(sum, sizeof(sum));
	return rc;
}
