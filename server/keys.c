/*
 * keys.c: the server's own keys in DIR/keys/.
 *
 * Each key is a separate 0600 file of random bytes so that one can be
 * rotated (the storage key by `bisikd rekey`) or protected differently
 * without touching the others. They are read once at start into guarded
 * sodium_malloc memory; the signing keys are stored as 32-byte seeds and
 * expanded here. The escrow key is not among them: the server never holds
 * anything that opens an identity.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "server/domain.h"

static const char *key_names[] = {
	"storage.key", "pepper.key", "challenge.key", "receipt.key",
	"audit.key"
};

int
srv_keys_create(const char *datadir)
{
	char	path[PATH_MAX];
	size_t	i;

	if (snprintf(path, sizeof(path), "%s/keys", datadir) >=
	    (int)sizeof(path))
		return -1;
	if (mkdir(path, 0700) == -1)
		return -1;
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (snprintf(path, sizeof(path), "%s/keys/%s", datadir,
		    key_names[i]) >= (int)sizeof(path))
			return -1;
		if (crypto_keyfile_create(path, CRYPTO_KEY_BYTES) == -1)
			return -1;
	}
	return 0;
}

static uint8_t *
load_one(const char *datadir, const char *name)
{
	char	 path[PATH_MAX];
	uint8_t	*k;

	if (snprintf(path, sizeof(path), "%s/keys/%s", datadir, name) >=
	    (int)sizeof(path))
		return NULL;
	if ((k = crypto_secret_alloc(CRYPTO_KEY_BYTES)) == NULL)
		return NULL;
	if (crypto_keyfile_read(path, k, CRYPTO_KEY_BYTES) == -1) {
		crypto_secret_free(k);
		return NULL;
	}
	return k;
}

/* Expands a seed file into an Ed25519 key pair; the seed is wiped. */
static uint8_t *
load_sign(const char *datadir, const char *name, uint8_t pk[32])
{
	uint8_t	*seed, *sk;

	if ((seed = load_one(datadir, name)) == NULL)
		return NULL;
	if ((sk = crypto_secret_alloc(CRYPTO_SIGN_SK_BYTES)) == NULL ||
	    crypto_sign_from_seed(seed, pk, sk) == -1) {
		crypto_secret_free(sk);
		crypto_secret_free(seed);
		return NULL;
	}
	crypto_secret_free(seed);
	return sk;
}

int
srv_keys_load(const char *datadir, struct srv_keys *k)
{
	memset(k, 0, sizeof(*k));
	if ((k->storage = load_one(datadir, "storage.key")) == NULL ||
	    (k->pepper = load_one(datadir, "pepper.key")) == NULL ||
	    (k->challenge = load_one(datadir, "challenge.key")) == NULL ||
	    (k->receipt_sk = load_sign(datadir, "receipt.key",
	    k->receipt_pk)) == NULL ||
	    (k->audit_sk = load_sign(datadir, "audit.key", k->audit_pk)) == NULL) {
		srv_keys_free(k);
		return -1;
	}
	return 0;
}

void
srv_keys_free(struct srv_keys *k)
{
	if (k == NULL)
		return;
	crypto_secret_free(k->storage);
	crypto_secret_free(k->pepper);
	crypto_secret_free(k->challenge);
	crypto_secret_free(k->receipt_sk);
	crypto_secret_free(k->audit_sk);
	memset(k, 0, sizeof(*k));
}
