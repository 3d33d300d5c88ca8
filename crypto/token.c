/*
 * token: the reporter's capability token, the only thing that links a
 * person to their case. It is Crockford base32 so it can be read aloud and
 * copied by hand, with a check symbol so that a typo is told apart from a
 * wrong token. The symbol work is done without table lookups or branches
 * on the token's value, since the token is a secret.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

#define TOKEN_RANDOM	(CRYPTO_TOKEN_SYMBOLS - 1)	/* 31 symbols */
#define TOKEN_GROUP	4

_Static_assert(CRYPTO_TOKEN_TEXT == CRYPTO_TOKEN_SYMBOLS +
    CRYPTO_TOKEN_SYMBOLS / TOKEN_GROUP - 1 + 1, "display form");

static const char token_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/* Key of the check-symbol hash: 17 ASCII bytes, without the NUL. */
static const char token_check_key[] = "bisik-token-check";

/* 0xff if a == b, else 0 (a, b < 256). */
static unsigned int
ct_eq(unsigned int a, unsigned int b)
{
	return (((a ^ b) - 1) >> 8) & 0xff;
}

/* 0xff if lo <= a <= hi, else 0 (all < 256). */
static unsigned int
ct_in(unsigned int a, unsigned int lo, unsigned int hi)
{
	return (~((a - lo) >> 8) & ~((hi - a) >> 8)) & 0xff;
}

/* Symbol for a value 0..31, touching every alphabet entry. */
static char
sym_encode(unsigned int v)
{
	unsigned int	c = 0, j;

	for (j = 0; j < 32; j++)
		c |= (unsigned char)token_alphabet[j] & ct_eq(v, j);
	return (char)c;
}

/*
 * Value of a symbol, folding case and the look-alikes O -> 0, I/L -> 1;
 * *ok is cleared for anything else (U included).
 */
static unsigned int
sym_decode(unsigned char ch, unsigned int *ok)
{
	unsigned int	up, v = 0, found, m, j;

	up = ch ^ (ct_in(ch, 'a', 'z') & 0x20);
	found = 0;
	for (j = 0; j < 32; j++) {
		m = ct_eq(up, (unsigned char)token_alphabet[j]);
		v |= j & m;
		found |= m;
	}
	found |= ct_eq(up, 'O');		/* value 0: nothing to add */
	m = ct_eq(up, 'I') | ct_eq(up, 'L');
	v |= 1 & m;
	found |= m;
	*ok &= found;
	return v;
}

/* Top 5 bits of BLAKE2b-256(key = "bisik-token-check", 31 symbols). */
static char
check_symbol(const char sym[TOKEN_RANDOM])
{
	uint8_t	h[32];
	char	c;

	crypto_generichash(h, sizeof(h), (const unsigned char *)sym,
	    TOKEN_RANDOM, (const unsigned char *)token_check_key,
	    sizeof(token_check_key) - 1);
	c = sym_encode(h[0] >> 3);
	sodium_memzero(h, sizeof(h));
	return c;
}

void
crypto_token_new(char out[CRYPTO_TOKEN_TEXT])
{
	uint8_t	rnd[TOKEN_RANDOM];
	char	sym[CRYPTO_TOKEN_SYMBOLS];
	size_t	i, o = 0;

	/* 256 is a multiple of 32: the low 5 bits of a byte are uniform. */
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < TOKEN_RANDOM; i++)
		sym[i] = sym_encode(rnd[i] & 31);
	sym[TOKEN_RANDOM] = check_symbol(sym);
	for (i = 0; i < CRYPTO_TOKEN_SYMBOLS; i++) {
		if (i > 0 && i % TOKEN_GROUP == 0)
			out[o++] = '-';
		out[o++] = sym[i];
	}
	out[o] = '\0';
	sodium_memzero(rnd, sizeof(rnd));
	sodium_memzero(sym, sizeof(sym));
}

int
crypto_token_parse(const char *in, size_t len,
    char canon[CRYPTO_TOKEN_SYMBOLS + 1])
{
	char		buf[CRYPTO_TOKEN_SYMBOLS];
	unsigned int	ok = 0xff, v;
	size_t		i, n = 0;
	int		rc = -1;

	/* The bound keeps a hostile client from making us walk megabytes. */
	if (in == NULL || len > CRYPTO_TOKEN_MAX_INPUT)
		return -1;
	for (i = 0; i < len; i++) {
		/* Where the separators are says nothing about the token. */
		if (in[i] == '-' || in[i] == ' ')
			continue;
		if (n == CRYPTO_TOKEN_SYMBOLS)
			goto out;
		v = sym_decode((unsigned char)in[i], &ok);
		buf[n++] = sym_encode(v);
	}
	if (n != CRYPTO_TOKEN_SYMBOLS)
		goto out;
	ok &= ct_eq((unsigned char)check_symbol(buf),
	    (unsigned char)buf[TOKEN_RANDOM]);
	if (ok != 0xff)
		goto out;
	memcpy(canon, buf, CRYPTO_TOKEN_SYMBOLS);
	canon[CRYPTO_TOKEN_SYMBOLS] = '\0';
	rc = 0;
out:
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

void
crypto_token_hash(const uint8_t pepper[CRYPTO_KEY_BYTES],
    const char canon[CRYPTO_TOKEN_SYMBOLS + 1], uint8_t out[CRYPTO_HASH_BYTES])
{
	crypto_generichash(out, CRYPTO_HASH_BYTES,
	    (const unsigned char *)canon, CRYPTO_TOKEN_SYMBOLS, pepper,
	    CRYPTO_KEY_BYTES);
}
