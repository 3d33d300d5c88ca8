/*
 * identity: sealing a reporter's identity to the escrow public key Y with
 * hashed ElGamal on ristretto255 (docs/design.md, "Identity sealing";
 * layouts in docs/formats.md). Anyone can seal; opening needs S = y·R,
 * which only k escrow holders together can produce, so neither the server
 * nor one admin can read an identity.
 *
 * Version 2 ties an identity to its report and hides its length:
 *  - the case binding (the report's content hash, which the reporter's
 *    client computes before anything is sent) goes into the key
 *    derivation and the additional data, so a sealed identity copied into
 *    another case does not open as that case's: whoever files case B
 *    carrying case A's sealed identity gets holders to approve B in vain;
 *  - the plaintext is its length and the identity padded with zeros to
 *    CRYPTO_IDENTITY_MAX, so every sealed identity has the same size.
 * Version 1 (no binding, no padding) is still opened, for identities
 * sealed before; it is never made.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

#define ID_V1		0x01
#define ID_V2		0x02
#define ID_R		CRYPTO_IDENTITY_R_OFFSET
#define ID_NONCE	(ID_R + CRYPTO_POINT_BYTES)
#define ID_CT		(ID_NONCE + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define ID_TAG		crypto_aead_xchacha20poly1305_ietf_ABYTES
/* The padded plaintext of version 2: length (2, BE) ‖ identity ‖ zeros. */
#define ID_LEN_BYTES	2
#define ID_PADDED	(ID_LEN_BYTES + CRYPTO_IDENTITY_MAX)
/* Version 2's additional data: version ‖ R ‖ binding. */
#define ID_AD_BYTES	(1 + CRYPTO_POINT_BYTES + CRYPTO_HASH_BYTES)

_Static_assert(CRYPTO_IDENTITY_V1_OVERHEAD == ID_CT + ID_TAG,
    "identity layout v1");
_Static_assert(CRYPTO_IDENTITY_SEALED_BYTES == ID_CT + ID_PADDED + ID_TAG,
    "identity layout v2");
_Static_assert(CRYPTO_IDENTITY_MAX < 65536, "length fits two bytes");

/* The ASCII keys of the key derivations, without their NUL. */
static const char id_kdf_v1[] = "bisik-identity-v1";
static const char id_kdf_v2[] = "bisik-identity-v2";

/*
 * v1: k = BLAKE2b-256(key = "bisik-identity-v1", S ‖ R ‖ Y)
 * v2: k = BLAKE2b-256(key = "bisik-identity-v2", S ‖ R ‖ Y ‖ binding)
 */
static void
id_derive(int version, const uint8_t S[CRYPTO_POINT_BYTES],
    const uint8_t R[CRYPTO_POINT_BYTES], const uint8_t Y[CRYPTO_POINT_BYTES],
    const uint8_t *binding, uint8_t k[CRYPTO_KEY_BYTES])
{
	crypto_generichash_state st;
	const char		*tag = version == ID_V1 ? id_kdf_v1 : id_kdf_v2;

	crypto_generichash_init(&st, (const unsigned char *)tag,
	    sizeof(id_kdf_v1) - 1, CRYPTO_KEY_BYTES);
	crypto_generichash_update(&st, S, CRYPTO_POINT_BYTES);
	crypto_generichash_update(&st, R, CRYPTO_POINT_BYTES);
	crypto_generichash_update(&st, Y, CRYPTO_POINT_BYTES);
	if (version != ID_V1)
		crypto_generichash_update(&st, binding, CRYPTO_HASH_BYTES);
	crypto_generichash_final(&st, k, CRYPTO_KEY_BYTES);
	sodium_memzero(&st, sizeof(st));
}

static void
id_ad(const uint8_t R[CRYPTO_POINT_BYTES],
    const uint8_t binding[CRYPTO_HASH_BYTES], uint8_t ad[ID_AD_BYTES])
{
	ad[0] = ID_V2;
	memcpy(ad + 1, R, CRYPTO_POINT_BYTES);
	memcpy(ad + 1 + CRYPTO_POINT_BYTES, binding, CRYPTO_HASH_BYTES);
}

int
crypto_identity_seal(const uint8_t Y[CRYPTO_POINT_BYTES],
    const uint8_t binding[CRYPTO_HASH_BYTES], const void *msg, size_t len,
    uint8_t out[CRYPTO_IDENTITY_SEALED_BYTES])
{
	uint8_t	r[CRYPTO_SCALAR_BYTES], R[CRYPTO_POINT_BYTES];
	uint8_t	S[CRYPTO_POINT_BYTES], k[CRYPTO_KEY_BYTES];
	uint8_t	ad[ID_AD_BYTES], pad[ID_PADDED];
	int	rc = -1;

	if (len > CRYPTO_IDENTITY_MAX || (msg == NULL && len > 0) ||
	    binding == NULL || crypto_point_check(Y) != 0)
		return -1;
	/* scalar_random never returns zero, so R and S are not the identity. */
	crypto_core_ristretto255_scalar_random(r);
	if (crypto_scalarmult_ristretto255_base(R, r) != 0 ||
	    crypto_scalarmult_ristretto255(S, r, Y) != 0)
		goto out;
	id_derive(ID_V2, S, R, Y, binding, k);
	id_ad(R, binding, ad);
	memset(pad, 0, sizeof(pad));
	pad[0] = (uint8_t)(len >> 8);
	pad[1] = (uint8_t)len;
	if (len > 0)
		memcpy(pad + ID_LEN_BYTES, msg, len);
	out[0] = ID_V2;
	memcpy(out + ID_R, R, sizeof(R));
	randombytes_buf(out + ID_NONCE,
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + ID_CT, NULL, pad,
	    sizeof(pad), ad, sizeof(ad), NULL, out + ID_NONCE, k);
	rc = 0;
out:
	sodium_memzero(r, sizeof(r));
	sodium_memzero(S, sizeof(S));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(pad, sizeof(pad));
	return rc;
}

int
crypto_identity_check(const uint8_t *in, size_t inlen)
{
	if (in == NULL || inlen < CRYPTO_IDENTITY_V1_OVERHEAD)
		return -1;
	if (crypto_point_check(in + ID_R) != 0)
		return -1;
	if (in[0] == ID_V2 && inlen == CRYPTO_IDENTITY_SEALED_BYTES)
		return 2;
	if (in[0] == ID_V1 &&
	    inlen - CRYPTO_IDENTITY_V1_OVERHEAD <= CRYPTO_IDENTITY_MAX)
		return 1;
	return -1;
}

int
crypto_identity_open(const uint8_t S[CRYPTO_POINT_BYTES],
    const uint8_t Y[CRYPTO_POINT_BYTES], const uint8_t *binding,
    const uint8_t *in, size_t inlen, uint8_t out[CRYPTO_IDENTITY_MAX],
    size_t *outlen)
{
	uint8_t	k[CRYPTO_KEY_BYTES], ad[ID_AD_BYTES], pad[ID_PADDED];
	size_t	len, i;
	uint8_t	nz;
	int	version, rc = -1;

	if ((version = crypto_identity_check(in, inlen)) == -1 ||
	    crypto_point_check(S) != 0 || crypto_point_check(Y) != 0 ||
	    (version == 2 && binding == NULL))
		return -1;
	if (version == 1) {
		id_derive(ID_V1, S, in + ID_R, Y, NULL, k);
		len = inlen - CRYPTO_IDENTITY_V1_OVERHEAD;
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
		    in + ID_CT, inlen - ID_CT, in + ID_R, CRYPTO_POINT_BYTES,
		    in + ID_NONCE, k) != 0)
			goto out;
		*outlen = len;
		rc = 0;
		goto out;
	}
	id_derive(ID_V2, S, in + ID_R, Y, binding, k);
	id_ad(in + ID_R, binding, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pad, NULL, NULL,
	    in + ID_CT, inlen - ID_CT, ad, sizeof(ad), in + ID_NONCE, k) != 0)
		goto out;
	len = (size_t)pad[0] << 8 | pad[1];
	/* Authentic, so only a broken sealer makes a bad length or padding;
	 * refused all the same: the size must say nothing. */
	if (len > CRYPTO_IDENTITY_MAX)
		goto out;
	for (i = ID_LEN_BYTES + len, nz = 0; i < sizeof(pad); i++)
		nz |= pad[i];
	if (nz != 0)
		goto out;
	memcpy(out, pad + ID_LEN_BYTES, len);
	*outlen = len;
	rc = 0;
out:
	if (rc == -1)
		sodium_memzero(out, CRYPTO_IDENTITY_MAX);
	sodium_memzero(k, sizeof(k));
	sodium_memzero(pad, sizeof(pad));
	return rc;
}

void
crypto_identity_hash(const uint8_t *in, size_t inlen,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part p;

	p.p = in;
	p.len = inlen;
	crypto_hash_parts("bisik-sealed-identity-v1", &p, 1, out);
}
