/*
 * dkg_state.c: where a holder's dealer seed lives between the steps of a
 * dealerless key ceremony (docs/dkg.md), which run at different times,
 * possibly days apart.
 *
 * The seed fixes the holder's two polynomials in one ceremony; whoever
 * has it knows the holder's contribution to the key, and a dealer without
 * it cannot answer a complaint or prove its part, which stops the
 * ceremony. So it stays on the holder's machine only, next to their key
 * file (KEY.dkg-<ceremony id>, mode 0600), sealed to the holder's own box
 * key (crypto_box_seal): the file alone is worth nothing without the key
 * file and its passphrase, and writing it needs no passphrase. The sealed
 * bytes are seed ‖ ceremony hash, so a state file of another ceremony, or
 * of the same id with other terms, is refused. It is never sent anywhere.
 * Once the holder's part is proved (EXTRACT) or the ceremony is over
 * (finished, failed or expired), the file is overwritten with zeros,
 * synced and removed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

static const char *const state_fields[] = {
	"bisik_dkg_state", "ceremony", "holder", "sealed_seed"
};
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))
/* seed ‖ ceremony hash, sealed */
#define PLAIN_BYTES	(CRYPTO_DKG_SEED_BYTES + CRYPTO_HASH_BYTES)
#define SEALED_BYTES	(PLAIN_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)

static void
id_hex(const uint8_t id[CRYPTO_DKG_ID_BYTES],
    char out[2 * CRYPTO_DKG_ID_BYTES + 1])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 0xf];
	}
	out[2 * CRYPTO_DKG_ID_BYTES] = '\0';
}

int
client_dkg_state_path(const char *keypath, const uint8_t id[CRYPTO_DKG_ID_BYTES],
    char **out)
{
	char	hex[2 * CRYPTO_DKG_ID_BYTES + 1], *p;
	size_t	n;

	id_hex(id, hex);
	n = strlen(keypath) + sizeof(".dkg-") + sizeof(hex);
	if ((p = malloc(n)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	snprintf(p, n, "%s.dkg-%s", keypath, hex);
	*out = p;
	return 0;
}

int
client_dkg_state_save(const char *path, const struct crypto_dkg *d,
    unsigned index, const uint8_t seed[CRYPTO_DKG_SEED_BYTES])
{
	uint8_t	*plain = NULL, sealed[SEALED_BYTES];
	char	 hex[2 * CRYPTO_DKG_ID_BYTES + 1], *text = NULL;
	json_t	*root = NULL;
	size_t	 len;
	int	 rc = -1;

	if (index < 1 || index > d->c.holders) {
		client_err("holder %u is not in the ceremony", index);
		return -1;
	}
	if ((plain = crypto_secret_alloc(PLAIN_BYTES)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	memcpy(plain, seed, CRYPTO_DKG_SEED_BYTES);
	crypto_dkg_ceremony_hash(&d->c, plain + CRYPTO_DKG_SEED_BYTES);
	if (crypto_box_to(d->c.box_pk[index - 1], plain, PLAIN_BYTES,
	    sealed) == -1) {
		client_err("cannot seal the dealer seed to your box key");
		goto out;
	}
	id_hex(d->c.id, hex);
	root = json_pack("{s:i, s:s, s:i, s:o}", "bisik_dkg_state", 1,
	    "ceremony", hex, "holder", (int)index, "sealed_seed",
	    client_json_b64(sealed, sizeof(sealed)));
	if (root == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_dump(root, &text, &len) == -1 ||
	    client_file_write(path, text, len, 0600, CLIENT_WRITE_EXCL,
	    "ceremony state file") == -1)
		goto out;
	rc = 0;
out:
	client_mem_free(text);
	json_decref(root);
	crypto_secret_free(plain);
	return rc;
}

int
client_dkg_state_load(const char *path, const struct crypto_dkg *d,
    unsigned index, const struct crypto_admin_key *key,
    uint8_t seed[CRYPTO_DKG_SEED_BYTES])
{
	uint8_t		 sealed[SEALED_BYTES], *plain = NULL;
	uint8_t		 chash[CRYPTO_HASH_BYTES];
	char		 hex[2 * CRYPTO_DKG_ID_BYTES + 1], *buf = NULL;
	const char	*id;
	const json_t	*v;
	json_t		*root = NULL;
	size_t		 len;
	int		 rc = -1;

	if (!client_path_exists(path))
		return 1;
	if (client_file_read(path, CLIENT_DKG_STATE_MAX, 0,
	    "ceremony state file", &buf, &len) == -1)
		return -1;
	if (client_json_object(buf, len, state_fields, NFIELDS(state_fields),
	    "bisik_dkg_state", "ceremony state file", &root) == -1)
		goto out;
	id_hex(d->c.id, hex);
	v = json_object_get(root, "holder");
	if ((id = client_json_str(root, "ceremony",
	    "ceremony state file")) == NULL)
		goto out;
	if (strcmp(id, hex) != 0 || !json_is_integer(v) ||
	    json_integer_value(v) != (json_int_t)index) {
		client_err("the ceremony state file %s belongs to another "
		    "ceremony or holder", path);
		goto out;
	}
	if (client_json_get_b64(root, "sealed_seed", sealed, sizeof(sealed),
	    "ceremony state file") == -1)
		goto out;
	if ((plain = crypto_secret_alloc(PLAIN_BYTES)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	crypto_dkg_ceremony_hash(&d->c, chash);
	if (crypto_box_open_with(key, sealed, sizeof(sealed), plain) == -1 ||
	    !crypto_equal(plain + CRYPTO_DKG_SEED_BYTES, chash,
	    sizeof(chash))) {
		client_err("the dealer seed in %s does not open with this key "
		    "for this ceremony", path);
		goto out;
	}
	memcpy(seed, plain, CRYPTO_DKG_SEED_BYTES);
	rc = 0;
out:
	crypto_secret_free(plain);
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

int
client_dkg_state_wipe(const char *path)
{
	struct stat	 sb;
	uint8_t		 zero[512];
	off_t		 left;
	ssize_t		 w;
	int		 fd = -1;

	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		client_err("cannot open the ceremony state file %s to wipe it: "
		    "%s", path, strerror(errno));
		return -1;
	}
	memset(zero, 0, sizeof(zero));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		goto fail;
	/* Overwritten before it goes, so that a file system that keeps
	 * the freed blocks keeps zeros (the content was sealed anyway). */
	for (left = sb.st_size; left > 0; left -= w) {
		w = write(fd, zero, left < (off_t)sizeof(zero) ? (size_t)left :
		    sizeof(zero));
		if (w <= 0)
			goto fail;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (unlink(path) == -1)
		goto fail;
	return 0;
fail:
	client_err("cannot wipe the ceremony state file %s: %s", path,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}
