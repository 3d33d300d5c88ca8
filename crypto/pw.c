/*
 * pw: sealing a small secret (an admin's key file) under a passphrase with
 * Argon2id and XChaCha20-Poly1305. The cost parameters travel in the blob
 * so they can be raised later, which makes them attacker-controlled on
 * open: they are bounded there so that a hostile file cannot make us burn
 * gigabytes or accept a cost too low to protect anything.
 */
#include <stdint.h>
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

#define PW_VERSION	0x01
#define PW_OPS		1
#define PW_MEM		5
#define PW_SALT		9
#define PW_NONCE	(PW_SALT + crypto_pwhash_SALTBYTES)
#define PW_CT		(PW_NONCE + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define PW_ALG		crypto_pwhash_ALG_ARGON2ID13

_Static_assert(crypto_pwhash_SALTBYTES == 16, "salt size");
_Static_assert(CRYPTO_PW_OVERHEAD ==
    PW_CT + crypto_aead_xchacha20poly1305_ietf_ABYTES, "pw layout");

static int
pw_derive(uint8_t key[CRYPTO_KEY_BYTES], const char *pass, size_t passlen,
    const uint8_t *salt, unsigned long long ops, size_t mem)
{
	/* Fails only when the memory cannot be had. */
	if (crypto_pwhash(key, CRYPTO_KEY_BYTES, pass, passlen, salt, ops,
	    mem, PW_ALG) != 0) {
		sodium_memzero(key, CRYPTO_KEY_BYTES);
		return -1;
	}
	return 0;
}

int
crypto_pw_seal(const char *pass, size_t passlen, const uint8_t *msg,
    size_t len, enum crypto_pw_level level, uint8_t *out)
{
	uint8_t			 hdr[PW_CT], key[CRYPTO_KEY_BYTES];
	unsigned long long	 ops;
	size_t			 mem;

	switch (level) {
	case CRYPTO_PW_INTERACTIVE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
		break;
	case CRYPTO_PW_MODERATE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
		break;
	case CRYPTO_PW_SENSITIVE:
		ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
		mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
		break;
	default:
		return -1;
	}
	if ((pass == NULL && passlen > 0) || (msg == NULL && len > 0) ||
	    len > SIZE_MAX - CRYPTO_PW_OVERHEAD ||
	    len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return -1;
	hdr[0] = PW_VERSION;
	crypto_int_put_be32(hdr + PW_OPS, (uint32_t)ops);
	crypto_int_put_be32(hdr + PW_MEM, (uint32_t)(mem / 1024));
	randombytes_buf(hdr + PW_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(hdr + PW_NONCE,
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	if (pw_derive(key, pass, passlen, hdr + PW_SALT, ops, mem) != 0)
		return -1;
	/* Version, limits and salt are additional data: any change fails. */
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + PW_CT, NULL, msg, len,
	    hdr, PW_NONCE, NULL, hdr + PW_NONCE, key);
	memcpy(out, hdr, sizeof(hdr));
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
crypto_pw_open(const char *pass, size_t passlen, const uint8_t *in,
    size_t inlen, uint8_t *out)
{
	uint8_t			key[CRYPTO_KEY_BYTES];
	unsigned long long	ops;
	uint64_t		mem;
	int			rc = -1;

	if ((pass == NULL && passlen > 0) || in == NULL ||
	    inlen < CRYPTO_PW_OVERHEAD || in[0] != PW_VERSION)
		return -1;
	ops = crypto_int_get_be32(in + PW_OPS);
	mem = (uint64_t)crypto_int_get_be32(in + PW_MEM) * 1024;
	if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
	    ops > crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE ||
	    mem < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
	    mem > crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE)
		return -1;
	if (pw_derive(key, pass, passlen, in + PW_SALT, ops, (size_t)mem) != 0)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
	    in + PW_CT, inlen - PW_CT, in, PW_NONCE, in + PW_NONCE, key) != 0) {
		sodium_memzero(out, inlen - CRYPTO_PW_OVERHEAD);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(key, sizeof(key));
	return rc;
}
