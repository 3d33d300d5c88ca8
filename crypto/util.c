/*
 * util: the small shared pieces of the crypto module: library start-up,
 * guarded memory for secrets, constant-time comparison, domain-separated
 * hashing and strict base64. Every other file goes through these so that
 * each of them has one audited implementation.
 */
#include <sodium.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

int
crypto_init(void)
{
	/* 1 means "already initialised", which is success for us. */
	if (sodium_init() < 0)
		return -1;
	return 0;
}

void *
crypto_secret_alloc(size_t len)
{
	/* sodium_malloc adds guard pages and a canary and mlocks the pages. */
	return sodium_malloc(len);
}

void
crypto_secret_free(void *p)
{
	/* sodium_free wipes, unlocks and accepts NULL. */
	sodium_free(p);
}

void
crypto_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

int
crypto_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

void
crypto_random(void *p, size_t len)
{
	randombytes_buf(p, len);
}

void
crypto_int_hash_parts(const char *tag, const struct crypto_part *parts,
    size_t nparts, uint8_t *out, size_t outlen)
{
	crypto_generichash_state st;
	uint8_t		 len[8];
	size_t		 i;

	/*
	 * The tag is taken with its NUL: no tag contains a NUL, so the
	 * tag ends unambiguously, and the length prefixes keep the parts
	 * from sliding into each other ("ab","c" differs from "a","bc").
	 */
	crypto_generichash_init(&st, NULL, 0, outlen);
	crypto_generichash_update(&st, (const unsigned char *)tag,
	    strlen(tag) + 1);
	for (i = 0; i < nparts; i++) {
		crypto_int_put_be64(len, (uint64_t)parts[i].len);
		crypto_generichash_update(&st, len, sizeof(len));
		if (parts[i].len > 0)
			crypto_generichash_update(&st, parts[i].p,
			    parts[i].len);
	}
	crypto_generichash_final(&st, out, outlen);
	/* The parts may be secret (a token, a share's commitment input). */
	sodium_memzero(&st, sizeof(st));
}

void
crypto_hash_parts(const char *tag, const struct crypto_part *parts,
    size_t nparts, uint8_t out[CRYPTO_HASH_BYTES])
{
	crypto_int_hash_parts(tag, parts, nparts, out, CRYPTO_HASH_BYTES);
}

void
crypto_keyed_hash(const uint8_t key[CRYPTO_KEY_BYTES], const void *msg,
    size_t len, uint8_t out[CRYPTO_HASH_BYTES])
{
	crypto_generichash(out, CRYPTO_HASH_BYTES, msg, len, key,
	    CRYPTO_KEY_BYTES);
}

size_t
crypto_b64_len(size_t binlen)
{
	return sodium_base64_ENCODED_LEN(binlen,
	    sodium_base64_VARIANT_ORIGINAL);
}

void
crypto_b64_encode(const void *bin, size_t len, char *out)
{
	sodium_bin2base64(out, crypto_b64_len(len), bin, len,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
crypto_b64_decode(const char *text, size_t textlen, uint8_t *out,
    size_t maxlen, size_t *outlen)
{
	size_t	n;

	if (text == NULL || outlen == NULL)
		return -1;
	/*
	 * With no ignore set and no end pointer, libsodium refuses any
	 * character it does not consume, missing or extra padding and
	 * non-zero leftover bits, so every value has exactly one text.
	 * It may have written part of the output before failing: wipe it,
	 * since callers decode keys and shares with this.
	 */
	if (sodium_base642bin(out, maxlen, text, textlen, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		if (maxlen > 0)
			sodium_memzero(out, maxlen);
		return -1;
	}
	*outlen = n;
	return 0;
}
