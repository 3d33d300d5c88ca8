/*
 * box: a central admin's key pairs and anonymous sealed boxes to their
 * X25519 key. Escrow shares and partial decryptions travel only inside
 * such boxes, so the server that relays them never sees one in plain.
 */
#include <stdint.h>
#include <sodium.h>

#include "crypto/crypto.h"

_Static_assert(CRYPTO_BOX_SEAL_OVERHEAD == crypto_box_SEALBYTES, "seal");
_Static_assert(CRYPTO_BOX_PK_BYTES == crypto_box_PUBLICKEYBYTES, "box pk");
_Static_assert(CRYPTO_BOX_SK_BYTES == crypto_box_SECRETKEYBYTES, "box sk");

void
crypto_admin_keygen(struct crypto_admin_key *k)
{
	crypto_sign_keypair(k->sign_pk, k->sign_sk);
	crypto_box_keypair(k->box_pk, k->box_sk);
}

int
crypto_box_to(const uint8_t pk[CRYPTO_BOX_PK_BYTES], const uint8_t *msg,
    size_t len, uint8_t *out)
{
	if ((msg == NULL && len > 0) ||
	    len > SIZE_MAX - CRYPTO_BOX_SEAL_OVERHEAD)
		return -1;
	/* Fails for a low-order public key (all-zero shared secret). */
	if (crypto_box_seal(out, msg, len, pk) != 0)
		return -1;
	return 0;
}

int
crypto_box_open_with(const struct crypto_admin_key *k, const uint8_t *in,
    size_t inlen, uint8_t *out)
{
	if (in == NULL || inlen < CRYPTO_BOX_SEAL_OVERHEAD)
		return -1;
	if (crypto_box_seal_open(out, in, inlen, k->box_pk, k->box_sk) != 0) {
		sodium_memzero(out, inlen - CRYPTO_BOX_SEAL_OVERHEAD);
		return -1;
	}
	return 0;
}
