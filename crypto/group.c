/*
 * group: validation of ristretto255 elements and scalars received from
 * outside. libsodium 1.0.18 accepts the identity as a valid point and
 * silently reduces scalars >= L; both are holes for escrow (a partial of
 * identity, a malleable DLEQ proof), so every received value passes here.
 */
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[CRYPTO_SCALAR_BYTES] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10
};

int
crypto_int_scalar_canonical(const uint8_t s[CRYPTO_SCALAR_BYTES])
{
	unsigned int	borrow = 0, d;
	size_t		i;

	/*
	 * s < L exactly when s - L borrows out of the top byte. Every byte
	 * is visited and no branch depends on the value, since a share is
	 * checked with this too.
	 */
	for (i = 0; i < CRYPTO_SCALAR_BYTES; i++) {
		d = (unsigned int)s[i] - group_order[i] - borrow;
		borrow = (d >> 8) & 1;
	}
	return (int)borrow;
}

int
crypto_scalar_check(const uint8_t s[CRYPTO_SCALAR_BYTES])
{
	unsigned int	acc = 0, zero;
	size_t		i;

	for (i = 0; i < CRYPTO_SCALAR_BYTES; i++)
		acc |= s[i];
	zero = ((acc - 1) >> 8) & 1;
	if ((crypto_int_scalar_canonical(s) & (zero ^ 1)) == 0)
		return -1;
	return 0;
}

int
crypto_point_check(const uint8_t p[CRYPTO_POINT_BYTES])
{
	/* The identity's only canonical encoding is 32 zero bytes. */
	if (crypto_core_ristretto255_is_valid_point(p) != 1 ||
	    sodium_is_zero(p, CRYPTO_POINT_BYTES))
		return -1;
	return 0;
}
