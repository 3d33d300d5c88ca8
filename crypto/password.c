/*
 * password: staff login passwords, stored as Argon2id strings that carry
 * their own salt and cost. Logins are online, so the "interactive" cost is
 * used; the server bounds how many run at once (docs/design.md, "Tokens").
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

_Static_assert(CRYPTO_PASSWORD_HASH_TEXT == crypto_pwhash_STRBYTES, "str");

int
crypto_password_hash(const char *pass, size_t len,
    char out[CRYPTO_PASSWORD_HASH_TEXT])
{
	char	tmp[CRYPTO_PASSWORD_HASH_TEXT];

	if (pass == NULL && len > 0)
		return -1;
	if (crypto_pwhash_argon2id_str(tmp, pass, len,
	    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
		return -1;
	memcpy(out, tmp, sizeof(tmp));
	return 0;
}

int
crypto_password_verify(const char *hash, const char *pass, size_t len)
{
	if (hash == NULL || (pass == NULL && len > 0))
		return -1;
	/* The stored string must end within its bound before libsodium
	 * reads it; only Argon2id strings are ours. */
	if (memchr(hash, '\0', CRYPTO_PASSWORD_HASH_TEXT) == NULL ||
	    strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
	    strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0)
		return -1;
	if (crypto_pwhash_argon2id_str_verify(hash, pass, len) != 0)
		return -1;
	return 0;
}
