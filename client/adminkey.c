/*
 * adminkey.c: a central admin's key file and public key file
 * (docs/formats.md), and `bisik keygen`.
 *
 * The key file holds the admin's Ed25519 and X25519 secret keys sealed
 * with a passphrase (Argon2id), beside their public keys in plain so that
 * FILE.pub can be rebuilt and the ceremony can name holders. The box key
 * opens the admin's escrow share, so the secret keys exist in plain only
 * in guarded memory, and opening the file checks that the plain public
 * keys belong to the sealed secret ones: a file whose public keys were
 * swapped must not make us seal or sign for someone else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

#define SECRET_BYTES	(CRYPTO_SIGN_SK_BYTES + CRYPTO_BOX_SK_BYTES)
#define SEALED_BYTES	(SECRET_BYTES + CRYPTO_PW_OVERHEAD)

static const char *const key_fields[] = {
	"bisik_admin_key", "sign_key", "box_key", "sealed"
};
static const char *const pub_fields[] = {
	"bisik_admin_pub", "sign_key", "box_key"
};

/* Builds {"<version key>": 1, "sign_key", "box_key"[, "sealed"]}. */
static json_t *
key_json(const char *version_key, const struct crypto_admin_key *k,
    const uint8_t *sealed)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, version_key, json_integer(1)) == -1 ||
	    json_object_set_new(o, "sign_key",
	    client_json_b64(k->sign_pk, sizeof(k->sign_pk))) == -1 ||
	    json_object_set_new(o, "box_key",
	    client_json_b64(k->box_pk, sizeof(k->box_pk))) == -1 ||
	    (sealed != NULL && json_object_set_new(o, "sealed",
	    client_json_b64(sealed, SEALED_BYTES)) == -1)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
client_adminkey_save(const char *path, const struct crypto_admin_key *k,
    const char *pass, size_t passlen, enum crypto_pw_level level)
{
	uint8_t	*plain = NULL, sealed[SEALED_BYTES] = { 0 };
	json_t	*key = NULL, *pub = NULL;
	char	*pubpath = NULL, *text = NULL, *pubtext = NULL;
	size_t	 len, publen;
	int	 rc = -1;

	if ((pubpath = malloc(strlen(path) + sizeof(".pub"))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	strcpy(pubpath, path);
	strcat(pubpath, ".pub");
	/* Checked first so that no Argon2id work and no half pair is left. */
	if (client_path_exists(path) || client_path_exists(pubpath)) {
		client_err("%s or %s already exists; a key file is never "
		    "overwritten", path, pubpath);
		goto out;
	}
	if ((plain = crypto_secret_alloc(SECRET_BYTES)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	memcpy(plain, k->sign_sk, CRYPTO_SIGN_SK_BYTES);
	memcpy(plain + CRYPTO_SIGN_SK_BYTES, k->box_sk, CRYPTO_BOX_SK_BYTES);
	if (crypto_pw_seal(pass, passlen, plain, SECRET_BYTES, level,
	    sealed) == -1) {
		client_err("cannot seal the key with the passphrase");
		goto out;
	}
	if ((key = key_json("bisik_admin_key", k, sealed)) == NULL ||
	    (pub = key_json("bisik_admin_pub", k, NULL)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_dump(key, &text, &len) == -1 ||
	    client_json_dump(pub, &pubtext, &publen) == -1)
		goto out;
	if (client_file_write(path, text, len, 0600, CLIENT_WRITE_EXCL,
	    "key file") == -1)
		goto out;
	if (client_file_write(pubpath, pubtext, publen, 0644,
	    CLIENT_WRITE_EXCL, "public key file") == -1) {
		/* A key nobody can name as a holder is no use: take it back. */
		(void)unlink(path);
		goto out;
	}
	rc = 0;
out:
	crypto_secret_free(plain);
	crypto_wipe(sealed, sizeof(sealed));
	client_mem_free(text);
	client_mem_free(pubtext);
	json_decref(key);
	json_decref(pub);
	free(pubpath);
	return rc;
}

/* 0 if the public keys in k belong to its secret keys. */
static int
key_matches(const struct crypto_admin_key *k)
{
	uint8_t	pk[CRYPTO_SIGN_PK_BYTES], probe[32], sealed[32 + 48];
	uint8_t	*sk = NULL, *opened = NULL;
	int	rc = -1;

	sk = crypto_secret_alloc(CRYPTO_SIGN_SK_BYTES);
	opened = crypto_secret_alloc(sizeof(probe));
	if (sk == NULL || opened == NULL)
		goto out;
	/* Ed25519: the secret key is seed ‖ public key; rebuild from seed. */
	if (crypto_sign_from_seed(k->sign_sk, pk, sk) == -1 ||
	    !crypto_equal(pk, k->sign_pk, sizeof(pk)) ||
	    !crypto_equal(sk, k->sign_sk, CRYPTO_SIGN_SK_BYTES))
		goto out;
	/* X25519: what is sealed to box_pk must open with box_sk. */
	crypto_random(probe, sizeof(probe));
	if (crypto_box_to(k->box_pk, probe, sizeof(probe), sealed) == -1 ||
	    crypto_box_open_with(k, sealed, sizeof(sealed), opened) == -1 ||
	    !crypto_equal(probe, opened, sizeof(probe)))
		goto out;
	rc = 0;
out:
	crypto_secret_free(sk);
	crypto_secret_free(opened);
	return rc;
}

int
client_adminkey_load(const char *path, const char *pass, size_t passlen,
    struct crypto_admin_key *key)
{
	struct crypto_admin_key	*k = NULL;
	uint8_t			 sealed[SEALED_BYTES], *plain = NULL;
	json_t			*root = NULL;
	char			*buf = NULL, what[300];
	size_t			 len;
	int			 rc = -1;

	snprintf(what, sizeof(what), "key file %s", path);
	if (client_file_read(path, CLIENT_KEYFILE_MAX, 0, "key file", &buf,
	    &len) == -1)
		return -1;
	if (client_json_object(buf, len, key_fields,
	    sizeof(key_fields) / sizeof(key_fields[0]), "bisik_admin_key",
	    what, &root) == -1)
		goto out;
	if ((k = crypto_secret_alloc(sizeof(*k))) == NULL ||
	    (plain = crypto_secret_alloc(SECRET_BYTES)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_get_b64(root, "sign_key", k->sign_pk,
	    sizeof(k->sign_pk), what) == -1 ||
	    client_json_get_b64(root, "box_key", k->box_pk,
	    sizeof(k->box_pk), what) == -1 ||
	    client_json_get_b64(root, "sealed", sealed, sizeof(sealed),
	    what) == -1)
		goto out;
	if (crypto_pw_open(pass, passlen, sealed, sizeof(sealed),
	    plain) == -1) {
		client_err("cannot open the key file %s: wrong passphrase or "
		    "damaged file", path);
		goto out;
	}
	memcpy(k->sign_sk, plain, CRYPTO_SIGN_SK_BYTES);
	memcpy(k->box_sk, plain + CRYPTO_SIGN_SK_BYTES, CRYPTO_BOX_SK_BYTES);
	if (key_matches(k) == -1) {
		client_err("the public keys in the key file %s do not match "
		    "its secret keys", path);
		goto out;
	}
	memcpy(key, k, sizeof(*k));
	rc = 0;
out:
	crypto_secret_free(k);
	crypto_secret_free(plain);
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

int
client_adminpub_load(const char *path, uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
    uint8_t box_pk[CRYPTO_BOX_PK_BYTES])
{
	uint8_t	 s[CRYPTO_SIGN_PK_BYTES], b[CRYPTO_BOX_PK_BYTES];
	uint8_t	 zero[CRYPTO_SIGN_PK_BYTES];
	json_t	*root = NULL;
	char	*buf = NULL, what[300];
	size_t	 len;
	int	 rc = -1;

	snprintf(what, sizeof(what), "public key file %s", path);
	if (client_file_read(path, CLIENT_KEYFILE_MAX, 0, "public key file",
	    &buf, &len) == -1)
		return -1;
	if (client_json_object(buf, len, pub_fields,
	    sizeof(pub_fields) / sizeof(pub_fields[0]), "bisik_admin_pub",
	    what, &root) == -1)
		goto out;
	if (client_json_get_b64(root, "sign_key", s, sizeof(s), what) == -1 ||
	    client_json_get_b64(root, "box_key", b, sizeof(b), what) == -1)
		goto out;
	memset(zero, 0, sizeof(zero));
	if (crypto_equal(s, zero, sizeof(s)) || crypto_equal(b, zero,
	    sizeof(b))) {
		client_err("the public key file %s holds an all-zero key",
		    path);
		goto out;
	}
	memcpy(sign_pk, s, sizeof(s));
	memcpy(box_pk, b, sizeof(b));
	rc = 0;
out:
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

static const struct client_optspec keygen_opts[] = {
	{ "out", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "kdf", CLIENT_OPT_ARG },
};

/* --kdf: how much memory and time opening the key file costs, for the
 * owner and for whoever steals the file and guesses its passphrase. */
static const struct {
	const char		*name;
	enum crypto_pw_level	 level;
} kdf_levels[] = {
	{ "interactive", CRYPTO_PW_INTERACTIVE },	/* 64 MiB */
	{ "moderate", CRYPTO_PW_MODERATE },		/* 256 MiB */
	{ "sensitive", CRYPTO_PW_SENSITIVE },		/* 1 GiB */
};

void
client_adminkey_fingerprint(const uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
    const uint8_t box_pk[CRYPTO_BOX_PK_BYTES],
    char out[CLIENT_ADMIN_FP_TEXT])
{
	static const char	 hex[] = "0123456789abcdef";
	struct crypto_part	 parts[2] = {
		{ sign_pk, CRYPTO_SIGN_PK_BYTES }, { box_pk, CRYPTO_BOX_PK_BYTES }
	};
	uint8_t			 h[CRYPTO_HASH_BYTES];
	size_t			 i, o = 0;

	crypto_hash_parts("bisik-admin-key-fingerprint-v1", parts, 2, h);
	for (i = 0; i < CLIENT_ADMIN_FP_BYTES; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 0xf];
	}
	out[o] = '\0';
}

int
cmd_keygen(int argc, char *const argv[])
{
	struct client_args	 a;
	struct crypto_admin_key	*k = NULL;
	const char		*out = NULL, *kdf = NULL;
	enum crypto_pw_level	 level = CRYPTO_PW_MODERATE;
	char			 err[160], *pass = NULL;
	char			 fp[CLIENT_ADMIN_FP_TEXT];
	size_t			 passlen, i;
	int			 rc = CLIENT_EXIT_FAIL;

	if (client_args_parse(argc, argv, keygen_opts,
	    sizeof(keygen_opts) / sizeof(keygen_opts[0]), &a, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "keygen");
		return CLIENT_EXIT_OK;
	}
	out = client_arg(&a, "out");
	if ((kdf = client_arg(&a, "kdf")) != NULL) {
		for (i = 0; i < sizeof(kdf_levels) / sizeof(kdf_levels[0]); i++)
			if (strcmp(kdf, kdf_levels[i].name) == 0)
				break;
		if (i == sizeof(kdf_levels) / sizeof(kdf_levels[0])) {
			client_err("--kdf must be interactive, moderate or "
			    "sensitive");
			return CLIENT_EXIT_USAGE;
		}
		level = kdf_levels[i].level;
	}
	if (client_path_exists(out)) {
		client_err("%s already exists; a key file is never overwritten",
		    out);
		return CLIENT_EXIT_FAIL;
	}
	if (client_pass_get(client_arg(&a, "passphrase-file"),
	    "New passphrase for the admin key: ", 1, 1, &pass, &passlen) == -1)
		return CLIENT_EXIT_FAIL;
	if ((k = crypto_secret_alloc(sizeof(*k))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	crypto_admin_keygen(k);
	if (client_adminkey_save(out, k, pass, passlen, level) == -1)
		goto out;
	client_adminkey_fingerprint(k->sign_pk, k->box_pk, fp);
	printf("wrote the admin key %s (0600, sealed with the passphrase) and "
	    "its public key %s.pub\n", out, out);
	printf("key fingerprint: %s\n", fp);
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(k);
	crypto_secret_free(pass);
	return rc;
}
