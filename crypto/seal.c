/*
 * seal: authenticated encryption of stored records (case text, messages,
 * attachments, wrapped data keys) with XChaCha20-Poly1305-IETF. Its 192-bit
 * nonce is safe to draw at random for every record, so no counter has to
 * survive restarts; the additional data ties a ciphertext to its place.
 */
#include <stdint.h>
#include <sodium.h>

#include "crypto/crypto.h"

_Static_assert(CRYPTO_SEAL_OVERHEAD ==
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
    crypto_aead_xchacha20poly1305_ietf_ABYTES, "seal layout");
_Static_assert(CRYPTO_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    "seal key size");

#define NONCE_BYTES	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

int
crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES], const void *ad, size_t adlen,
    const void *msg, size_t len, uint8_t *out)
{
	if (len > SIZE_MAX - CRYPTO_SEAL_OVERHEAD ||
	    len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return -1;
	if ((msg == NULL && len > 0) || (ad == NULL && adlen > 0))
		return -1;
	randombytes_buf(out, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE_BYTES, NULL,
	    msg, len, ad, adlen, NULL, out, key);
	return 0;
}

int
crypto_open(const uint8_t key[CRYPTO_KEY_BYTES], const void *ad, size_t adlen,
    const uint8_t *in, size_t inlen, uint8_t *out)
{
	if (in == NULL || inlen < CRYPTO_SEAL_OVERHEAD ||
	    (ad == NULL && adlen > 0))
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
	    in + NONCE_BYTES, inlen - NONCE_BYTES, ad, adlen, in, key) != 0) {
		sodium_memzero(out, inlen - CRYPTO_SEAL_OVERHEAD);
		return -1;
	}
	return 0;
}
