/*
 * fuzz_token.c: libFuzzer target for the reporter token parser
 * (crypto_token_parse), which reads the Authorization header of every
 * follow-up request. A parsed token must be canonical: 32 symbols of the
 * Crockford alphabet, and parsing it again gives the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	canon[CRYPTO_TOKEN_SYMBOLS + 1], again[CRYPTO_TOKEN_SYMBOLS + 1];
	size_t	i;

	if (crypto_init() == -1)
		return 0;
	if (crypto_token_parse((const char *)data, size, canon) == -1)
		return 0;
	if (strlen(canon) != CRYPTO_TOKEN_SYMBOLS)
		abort();
	for (i = 0; i < CRYPTO_TOKEN_SYMBOLS; i++)
		if (strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", canon[i]) == NULL)
			abort();
	if (crypto_token_parse(canon, strlen(canon), again) == -1 ||
	    memcmp(canon, again, sizeof(canon)) != 0)
		abort();
	return 0;
}
