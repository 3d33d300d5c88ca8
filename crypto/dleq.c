/*
 * dleq: Chaum-Pedersen proof that a holder's partial D = y_i·R uses the
 * same scalar as their public commitment Y_i = y_i·B, so a requester can
 * reject a wrong partial before it spoils the combination. Non-interactive
 * by Fiat-Shamir over the whole statement and context (docs/design.md,
 * "Library facts we rely on": leaving any of it out is the "Frozen Heart"
 * bug class).
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

/* The ristretto255 generator B (RFC 9496, A.1, 1·B). */
static const uint8_t dleq_base[CRYPTO_POINT_BYTES] = {
	0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71,
	0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
	0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d,
	0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76
};

/*
 * c = BLAKE2b-512("bisik-dleq-v1" ‖ 0x00 ‖ len ‖ B ‖ len ‖ Yi ‖ len ‖ R ‖
 * len ‖ D ‖ len ‖ A1 ‖ len ‖ A2 ‖ len ‖ ctx) mod L, lengths 8-byte BE. The
 * 64-byte hash makes the reduction mod L unbiased.
 */
static void
dleq_challenge(const uint8_t Yi[CRYPTO_POINT_BYTES],
    const uint8_t R[CRYPTO_POINT_BYTES], const uint8_t D[CRYPTO_POINT_BYTES],
    const uint8_t A1[CRYPTO_POINT_BYTES], const uint8_t A2[CRYPTO_POINT_BYTES],
    const void *ctx, size_t ctxlen, uint8_t c[CRYPTO_SCALAR_BYTES])
{
	struct crypto_part	parts[7];
	uint8_t			h[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	size_t			i;

	parts[0].p = dleq_base;
	parts[1].p = Yi;
	parts[2].p = R;
	parts[3].p = D;
	parts[4].p = A1;
	parts[5].p = A2;
	for (i = 0; i < 6; i++)
		parts[i].len = CRYPTO_POINT_BYTES;
	parts[6].p = ctx;
	parts[6].len = ctxlen;
	crypto_int_hash_parts("bisik-dleq-v1", parts, 7, h, sizeof(h));
	crypto_core_ristretto255_scalar_reduce(c, h);
	sodium_memzero(h, sizeof(h));
}

int
crypto_dleq_prove(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const uint8_t Yi[CRYPTO_POINT_BYTES], const uint8_t R[CRYPTO_POINT_BYTES],
    const uint8_t D[CRYPTO_POINT_BYTES], const void *ctx, size_t ctxlen,
    uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	uint8_t	t[CRYPTO_SCALAR_BYTES], c[CRYPTO_SCALAR_BYTES];
	uint8_t	cs[CRYPTO_SCALAR_BYTES], z[CRYPTO_SCALAR_BYTES];
	uint8_t	A1[CRYPTO_POINT_BYTES], A2[CRYPTO_POINT_BYTES];
	uint8_t	chk[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if ((ctx == NULL && ctxlen > 0) || crypto_scalar_check(share) != 0 ||
	    crypto_point_check(Yi) != 0 || crypto_point_check(R) != 0 ||
	    crypto_point_check(D) != 0)
		return -1;
	/*
	 * Refuse to prove a false statement: such a proof would only fail
	 * at the requester, far from the bug (wrong share or wrong case).
	 */
	if (crypto_scalarmult_ristretto255_base(chk, share) != 0 ||
	    !crypto_equal(chk, Yi, sizeof(chk)) ||
	    crypto_scalarmult_ristretto255(chk, share, R) != 0 ||
	    !crypto_equal(chk, D, sizeof(chk)))
		goto out;
	/*
	 * The nonce t is fresh randomness for every proof: two proofs with
	 * the same t and different challenges reveal the share.
	 */
	crypto_core_ristretto255_scalar_random(t);
	if (crypto_scalarmult_ristretto255_base(A1, t) != 0 ||
	    crypto_scalarmult_ristretto255(A2, t, R) != 0)
		goto out;
	dleq_challenge(Yi, R, D, A1, A2, ctx, ctxlen, c);
	/* z = t + c·share (mod L) */
	crypto_core_ristretto255_scalar_mul(cs, c, share);
	crypto_core_ristretto255_scalar_add(z, t, cs);
	memcpy(proof, c, CRYPTO_SCALAR_BYTES);
	memcpy(proof + CRYPTO_SCALAR_BYTES, z, CRYPTO_SCALAR_BYTES);
	rc = 0;
out:
	sodium_memzero(t, sizeof(t));
	sodium_memzero(cs, sizeof(cs));
	sodium_memzero(z, sizeof(z));
	sodium_memzero(chk, sizeof(chk));
	return rc;
}

int
crypto_dleq_verify(const uint8_t Yi[CRYPTO_POINT_BYTES],
    const uint8_t R[CRYPTO_POINT_BYTES], const uint8_t D[CRYPTO_POINT_BYTES],
    const void *ctx, size_t ctxlen, const uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	const uint8_t	*c = proof, *z = proof + CRYPTO_SCALAR_BYTES;
	uint8_t		 zP[CRYPTO_POINT_BYTES], cP[CRYPTO_POINT_BYTES];
	uint8_t		 A1[CRYPTO_POINT_BYTES], A2[CRYPTO_POINT_BYTES];
	uint8_t		 c2[CRYPTO_SCALAR_BYTES];

	if ((ctx == NULL && ctxlen > 0) || crypto_point_check(Yi) != 0 ||
	    crypto_point_check(R) != 0 || crypto_point_check(D) != 0)
		return -1;
	/*
	 * libsodium would silently reduce c + L or z + L: without this
	 * check one proof has several encodings (malleability).
	 */
	if (!crypto_int_scalar_canonical(c) || !crypto_int_scalar_canonical(z))
		return -1;
	/* A1 = z·B − c·Yi */
	if (crypto_scalarmult_ristretto255_base(zP, z) != 0 ||
	    crypto_scalarmult_ristretto255(cP, c, Yi) != 0 ||
	    crypto_core_ristretto255_sub(A1, zP, cP) != 0)
		return -1;
	/* A2 = z·R − c·D */
	if (crypto_scalarmult_ristretto255(zP, z, R) != 0 ||
	    crypto_scalarmult_ristretto255(cP, c, D) != 0 ||
	    crypto_core_ristretto255_sub(A2, zP, cP) != 0)
		return -1;
	dleq_challenge(Yi, R, D, A1, A2, ctx, ctxlen, c2);
	if (crypto_verify_32(c2, c) != 0)
		return -1;
	return 0;
}
