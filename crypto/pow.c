/*
 * pow: proof-of-work challenges that hold back bulk submissions without
 * tracking anyone. The server keeps no state per challenge until it is
 * spent: the challenge carries its own expiry and difficulty under a MAC,
 * and the caller records the id to make it single use.
 */
#include <assert.h>
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

#define CH_VERSION	0x01
#define CH_EXPIRES	1
#define CH_DIFFICULTY	9
#define CH_ID		10
#define CH_MAC		(CH_ID + CRYPTO_CHALLENGE_ID_BYTES)
#define CH_MAC_BYTES	16
#define CH_TEXT_LEN	(CRYPTO_CHALLENGE_TEXT - 1)
#define CH_VARIANT	sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(CH_MAC + CH_MAC_BYTES == CRYPTO_CHALLENGE_BYTES, "layout");
_Static_assert(sodium_base64_ENCODED_LEN(CRYPTO_CHALLENGE_BYTES, CH_VARIANT) ==
    CRYPTO_CHALLENGE_TEXT, "text length");

void
crypto_challenge_new(const uint8_t key[CRYPTO_KEY_BYTES], uint64_t expires,
    unsigned difficulty, char out[CRYPTO_CHALLENGE_TEXT])
{
	uint8_t	b[CRYPTO_CHALLENGE_BYTES];

	/* The configuration is validated at start; past that it is a bug. */
	assert(difficulty <= CRYPTO_POW_MAX_DIFFICULTY);
	b[0] = CH_VERSION;
	crypto_int_put_be64(b + CH_EXPIRES, expires);
	b[CH_DIFFICULTY] = (uint8_t)difficulty;
	randombytes_buf(b + CH_ID, CRYPTO_CHALLENGE_ID_BYTES);
	crypto_generichash(b + CH_MAC, CH_MAC_BYTES, b, CH_MAC, key,
	    CRYPTO_KEY_BYTES);
	sodium_bin2base64(out, CRYPTO_CHALLENGE_TEXT, b, sizeof(b), CH_VARIANT);
}

int
crypto_challenge_check(const uint8_t key[CRYPTO_KEY_BYTES], const char *text,
    size_t len, uint8_t id[CRYPTO_CHALLENGE_ID_BYTES], uint64_t *expires,
    unsigned *difficulty)
{
	uint8_t	b[CRYPTO_CHALLENGE_BYTES], mac[CH_MAC_BYTES];
	size_t	blen;

	if (text == NULL || len != CH_TEXT_LEN)
		return -1;
	/* 42 bytes are exactly 56 symbols: no leftover bits to smuggle in. */
	if (sodium_base642bin(b, sizeof(b), text, len, NULL, &blen, NULL,
	    CH_VARIANT) != 0 || blen != sizeof(b))
		return -1;
	crypto_generichash(mac, sizeof(mac), b, CH_MAC, key, CRYPTO_KEY_BYTES);
	if (crypto_verify_16(mac, b + CH_MAC) != 0)
		return -1;
	if (b[0] != CH_VERSION || b[CH_DIFFICULTY] > CRYPTO_POW_MAX_DIFFICULTY)
		return -1;
	memcpy(id, b + CH_ID, CRYPTO_CHALLENGE_ID_BYTES);
	*expires = crypto_int_get_be64(b + CH_EXPIRES);
	*difficulty = b[CH_DIFFICULTY];
	return 0;
}

/* 1 if h starts with d zero bits, counted from the first byte's top bit. */
static int
pow_zero_bits(const uint8_t h[CRYPTO_HASH_BYTES], unsigned int d)
{
	unsigned int	i, rest = d % 8;

	for (i = 0; i < d / 8; i++)
		if (h[i] != 0)
			return 0;
	if (rest != 0 && (h[d / 8] >> (8 - rest)) != 0)
		return 0;
	return 1;
}

static int
pow_nonce_ok(const char *nonce, size_t nlen)
{
	size_t	i;

	if (nonce == NULL || nlen < 1 || nlen > CRYPTO_POW_NONCE_MAX)
		return 0;
	for (i = 0; i < nlen; i++)
		if (nonce[i] < 0x20 || nonce[i] > 0x7e)
			return 0;
	return 1;
}

int
crypto_pow_verify(const char *challenge, size_t clen, const char *nonce,
    size_t nlen, unsigned difficulty)
{
	crypto_generichash_state st;
	uint8_t			 h[CRYPTO_HASH_BYTES];

	if (difficulty > CRYPTO_POW_MAX_DIFFICULTY ||
	    (challenge == NULL && clen > 0) || !pow_nonce_ok(nonce, nlen))
		return -1;
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)challenge, clen);
	crypto_generichash_update(&st, (const unsigned char *)nonce, nlen);
	crypto_generichash_final(&st, h, sizeof(h));
	return pow_zero_bits(h, difficulty) ? 0 : -1;
}

/* Adds one to a decimal string in place; -1 when it would not fit. */
static int
pow_increment(char *d, size_t *len)
{
	size_t	i = *len;

	while (i > 0) {
		if (d[i - 1] != '9') {
			d[i - 1]++;
			return 0;
		}
		d[--i] = '0';
	}
	/* All nines: becomes 1 followed by zeros. */
	if (*len == CRYPTO_POW_NONCE_MAX)
		return -1;
	memmove(d + 1, d, *len);
	d[0] = '1';
	(*len)++;
	return 0;
}

int
crypto_pow_solve(const char *challenge, size_t clen, unsigned difficulty,
    char *out)
{
	crypto_generichash_state base, st;
	uint8_t			 h[CRYPTO_HASH_BYTES];
	char			 d[CRYPTO_POW_NONCE_MAX];
	size_t			 dlen = 1;

	if (difficulty > CRYPTO_POW_MAX_DIFFICULTY ||
	    (challenge == NULL && clen > 0) || out == NULL)
		return -1;
	/* The challenge prefix is hashed once; each try only adds its nonce. */
	crypto_generichash_init(&base, NULL, 0, sizeof(h));
	crypto_generichash_update(&base, (const unsigned char *)challenge, clen);
	d[0] = '0';
	for (;;) {
		st = base;
		crypto_generichash_update(&st, (const unsigned char *)d, dlen);
		crypto_generichash_final(&st, h, sizeof(h));
		if (pow_zero_bits(h, difficulty))
			break;
		if (pow_increment(d, &dlen) != 0)
			return -1;
	}
	memcpy(out, d, dlen);
	out[dlen] = '\0';
	return 0;
}
