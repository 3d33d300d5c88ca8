/*
 * identity: sealing a reporter's identity to the escrow public key Y with
 * hashed ElGamal on ristretto255 (docs/design.md, "Identity sealing"). Anyone
 * can seal; opening needs S = y·R, which only k escrow holders together can
 * produce, so neither the server nor one admin can read an identity.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

#define ID_VERSION	0x01
#define ID_R		1
#define ID_NONCE	(ID_R + CRYPTO_POINT_BYTES)
#define ID_CT		(ID_NONCE + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)

_Static_assert(CRYPTO_IDENTITY_OVERHEAD ==
    ID_CT + crypto_aead_xchacha20poly1305_ietf_ABYTES, "identity layout");

/* The 17-byte ASCII key of the key derivation, without its NUL. */
static const char id_kdf_key[] = "bisik-identity-v1";

/* k = BLAKE2b-256(key = "bisik-identity-v1", S ‖ R ‖ Y) */
static void
id_derive(const uint8_t S[CRYPTO_POINT_BYTES],
    const uint8_t R[CRYPTO_POINT_BYTES], const uint8_t Y[CRYPTO_POINT_BYTES],
    uint8_t k[CRYPTO_KEY_BYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, (const unsigned char *)id_kdf_key,
	    sizeof(id_kdf_key) - 1, CRYPTO_KEY_BYTES);
	crypto_generichash_update(&st, S, CRYPTO_POINT_BYTES);
	crypto_generichash_update(&st, R, CRYPTO_POINT_BYTES);
	crypto_generichash_update(&st, Y, CRYPTO_POINT_BYTES);
	crypto_generichash_final(&st, k, CRYPTO_KEY_BYTES);
	sodium_memzero(&st, sizeof(st));
}

int
crypto_identity_seal(const uint8_t Y[CRYPTO_POINT_BYTES], const void *msg,
    size_t len, uint8_t *out)
{
	uint8_t	r[CRYPTO_SCALAR_BYTES], R[CRYPTO_POINT_BYTES];
	uint8_t	S[CRYPTO_POINT_BYTES], k[CRYPTO_KEY_BYTES];
	int	rc = -1;

	if (len > CRYPTO_IDENTITY_MAX || (msg == NULL && len > 0) ||
	    crypto_point_check(Y) != 0)
		return -1;
	/* scalar_random never returns zero, so R and S are not the identity. */
	crypto_core_ristretto255_scalar_random(r);
	if (crypto_scalarmult_ristretto255_base(R, r) != 0 ||
	    crypto_scalarmult_ristretto255(S, r, Y) != 0)
		goto out;
	id_derive(S, R, Y, k);
	out[0] = ID_VERSION;
	memcpy(out + ID_R, R, sizeof(R));
	randombytes_buf(out + ID_NONCE,
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + ID_CT, NULL, msg, len,
	    R, sizeof(R), NULL, out + ID_NONCE, k);
	rc = 0;
out:
	sodium_memzero(r, sizeof(r));
	sodium_memzero(S, sizeof(S));
	sodium_memzero(k, sizeof(k));
	return rc;
}

int
crypto_identity_check(const uint8_t *in, size_t inlen)
{
	if (in == NULL || inlen < CRYPTO_IDENTITY_OVERHEAD ||
	    inlen - CRYPTO_IDENTITY_OVERHEAD > CRYPTO_IDENTITY_MAX)
		return -1;
	if (in[0] != ID_VERSION || crypto_point_check(in + ID_R) != 0)
		return -1;
	return 0;
}

int
crypto_identity_open(const uint8_t S[CRYPTO_POINT_BYTES],
    const uint8_t Y[CRYPTO_POINT_BYTES], const uint8_t *in, size_t inlen,
    uint8_t *out)
{
	uint8_t	k[CRYPTO_KEY_BYTES];
	int	rc = -1;

	if (crypto_identity_check(in, inlen) != 0 ||
	    crypto_point_check(S) != 0 || crypto_point_check(Y) != 0)
		return -1;
	id_derive(S, in + ID_R, Y, k);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
	    in + ID_CT, inlen - ID_CT, in + ID_R, CRYPTO_POINT_BYTES,
	    in + ID_NONCE, k) != 0) {
		sodium_memzero(out, inlen - CRYPTO_IDENTITY_OVERHEAD);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(k, sizeof(k));
	return rc;
}
