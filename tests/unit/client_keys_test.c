/*
 * client_keys_test.c: the admin's key files and the escrow ceremony,
 * with real crypto in a temporary directory: a key file opens with its
 * passphrase and with no other; a 2-of-3 ceremony writes an escrow.pub
 * that reads back, whose commitments are consistent with its public key,
 * and whose every sealed share opens with its admin's key to y_i with
 * y_i·B equal to that admin's commitment.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

/* The ristretto255 base point B (RFC 9496). */
static const uint8_t	base_point[CRYPTO_POINT_BYTES] = {
	0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71,
	0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
	0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d,
	0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76
};

static char	tmpdir[] = "/tmp/bisik-client-keys-XXXXXX";

/* A path in the temporary directory; the last 8 stay valid. */
static char *
tmp(const char *name)
{
	static char	path[8][256];
	static int	next;
	char		*p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void
put(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static json_t *
load_json(const char *path)
{
	return json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
}

static int
mode_of(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void
test_keyfile(void)
{
	struct crypto_admin_key	*k, *o;
	uint8_t			 spk[32], bpk[32];
	json_t			*j, *pub;
	const char		*key = tmp("admin.key");

	k = crypto_secret_alloc(sizeof(*k));
	o = crypto_secret_alloc(sizeof(*o));
	crypto_admin_keygen(k);
	CHECK(client_adminkey_save(key, k, "correct horse battery", 21,
	    CRYPTO_PW_MODERATE) == 0,
	    "keyfile: saved");
	CHECK(mode_of(key) == 0600, "keyfile: key file 0600");
	CHECK(mode_of(tmp("admin.key.pub")) == 0644, "keyfile: .pub 0644");
	j = load_json(key);
	pub = load_json(tmp("admin.key.pub"));
	CHECK(j != NULL && json_object_size(j) == 4 &&
	    json_integer_value(json_object_get(j, "bisik_admin_key")) == 1 &&
	    json_is_string(json_object_get(j, "sign_key")) &&
	    json_is_string(json_object_get(j, "box_key")) &&
	    json_is_string(json_object_get(j, "sealed")),
	    "keyfile: fields as in docs/formats.md");
	CHECK(pub != NULL && json_object_size(pub) == 3 &&
	    json_integer_value(json_object_get(pub, "bisik_admin_pub")) == 1 &&
	    json_equal(json_object_get(pub, "sign_key"),
	    json_object_get(j, "sign_key")) &&
	    json_equal(json_object_get(pub, "box_key"),
	    json_object_get(j, "box_key")),
	    "keyfile: .pub fields as in docs/formats.md");
	json_decref(pub);

	CHECK(client_adminkey_load(key, "correct horse battery", 21, o) == 0 &&
	    crypto_equal(o, k, sizeof(*k)), "keyfile: opens with passphrase");
	memset(o, 0, sizeof(*o));
	CHECK(client_adminkey_load(key, "correct horse batterz", 21, o) == -1,
	    "keyfile: wrong passphrase fails");
	CHECK(client_adminpub_load(tmp("admin.key.pub"), spk, bpk) == 0 &&
	    memcmp(spk, k->sign_pk, 32) == 0 && memcmp(bpk, k->box_pk, 32) == 0,
	    "keyfile: .pub reads back");
	CHECK(client_adminkey_save(key, k, "correct horse battery", 21,
	    CRYPTO_PW_MODERATE) == -1,
	    "keyfile: never overwrites");

	/* Swap in another admin's public box key: opening must notice. */
	crypto_admin_keygen(o);
	json_object_set_new(j, "box_key", client_json_b64(o->box_pk, 32));
	json_dump_file(j, tmp("swapped.key"), 0);
	CHECK(client_adminkey_load(tmp("swapped.key"), "correct horse battery",
	    21, o) == -1, "keyfile: mismatched public key refused");
	json_object_set_new(j, "unknown", json_true());
	json_dump_file(j, tmp("unknown.key"), 0);
	CHECK(client_adminkey_load(tmp("unknown.key"), "correct horse battery",
	    21, o) == -1, "keyfile: unknown field refused");
	json_decref(j);
	put(tmp("dup.pub"), "{\"bisik_admin_pub\":1,\"bisik_admin_pub\":1}");
	CHECK(client_adminpub_load(tmp("dup.pub"), spk, bpk) == -1,
	    "keyfile: duplicate keys refused");
	put(tmp("v2.pub"), "{\"bisik_admin_pub\":2}");
	CHECK(client_adminpub_load(tmp("v2.pub"), spk, bpk) == -1,
	    "keyfile: other version refused");
	crypto_secret_free(k);
	crypto_secret_free(o);
}

static void
write_pub(const char *path, const struct crypto_admin_key *k)
{
	char	s[64], b[64], text[256];

	crypto_b64_encode(k->sign_pk, 32, s);
	crypto_b64_encode(k->box_pk, 32, b);
	snprintf(text, sizeof(text), "{\"bisik_admin_pub\": 1, "
	    "\"sign_key\": \"%s\", \"box_key\": \"%s\"}\n", s, b);
	put(path, text);
}

static int
only_entry(const char *dir, const char *name)
{
	struct dirent	*d;
	DIR		*dp;
	int		 n = 0, found = 0;

	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		n++;
		found |= strcmp(d->d_name, name) == 0;
	}
	closedir(dp);
	return n == 1 && found;
}

static int
run(int argc, char **argv, int (*fn)(int, char *const *))
{
	int	rc;

	rc = fn(argc, argv);
	fflush(stdout);
	return rc;
}

static void
test_ceremony(void)
{
	struct crypto_admin_key	*k[3];
	struct client_escrow	*e;
	uint8_t			 share[32], yB[32], saved;
	char			 dir[256], file[256];
	json_t			*j, *h;
	unsigned		 i, idx[2];
	uint8_t			 pts[64], S[32];
	int			 ok;

	snprintf(dir, sizeof(dir), "%s", tmp("escrow"));
	snprintf(file, sizeof(file), "%s", tmp("escrow/escrow.pub"));
	e = calloc(1, sizeof(*e));
	for (i = 0; i < 3; i++) {
		char	name[32];

		k[i] = crypto_secret_alloc(sizeof(*k[i]));
		crypto_admin_keygen(k[i]);
		snprintf(name, sizeof(name), "a%u.pub", i);
		write_pub(tmp(name), k[i]);
	}
	{
		char *argv[] = { "ceremony", "--threshold", "2", "--admin",
		    tmp("a0.pub"), "--admin", tmp("a1.pub"), "--admin",
		    tmp("a2.pub"), "--out-dir", dir };
		CHECK(run(11, argv, cmd_escrow) == CLIENT_EXIT_OK,
		    "ceremony: 2-of-3 runs");
		CHECK(run(11, argv, cmd_escrow) == CLIENT_EXIT_FAIL,
		    "ceremony: refuses an existing directory");
	}
	CHECK(mode_of(dir) == 0700, "ceremony: directory 0700");
	CHECK(only_entry(dir, "escrow.pub"), "ceremony: holds only escrow.pub");
	CHECK(client_escrow_load(file, e) == 0, "ceremony: escrow.pub reads "
	    "back");
	CHECK(e->threshold == 2 && e->n == 3, "ceremony: 2-of-3 recorded");
	CHECK(crypto_point_check(e->Y) == 0, "ceremony: Y valid");
	ok = 1;
	for (i = 0; i < 3; i++)
		ok &= e->holders[i].index == i + 1 &&
		    memcmp(e->holders[i].sign_pk, k[i]->sign_pk, 32) == 0 &&
		    memcmp(e->holders[i].box_pk, k[i]->box_pk, 32) == 0 &&
		    crypto_point_check(e->holders[i].commitment) == 0;
	CHECK(ok, "ceremony: holders in --admin order with their keys");
	CHECK(client_escrow_consistent(e) == 0,
	    "ceremony: commitments consistent with Y");
	/* Any two commitments interpolate Y. */
	idx[0] = 1, idx[1] = 3;
	memcpy(pts, e->holders[0].commitment, 32);
	memcpy(pts + 32, e->holders[2].commitment, 32);
	CHECK(crypto_escrow_combine(idx, pts, 2, S) == 0 &&
	    memcmp(S, e->Y, 32) == 0, "ceremony: holders 1 and 3 give Y");
	for (i = 0; i < 3; i++) {
		char	name[64];

		snprintf(name, sizeof(name), "ceremony: share %u opens and "
		    "y_%u·B is its commitment", i + 1, i + 1);
		ok = crypto_box_open_with(k[i], e->holders[i].sealed_share,
		    sizeof(e->holders[i].sealed_share), share) == 0 &&
		    crypto_scalar_check(share) == 0 &&
		    crypto_escrow_partial(share, base_point, yB) == 0 &&
		    memcmp(yB, e->holders[i].commitment, 32) == 0;
		CHECK(ok, name);
		crypto_wipe(share, sizeof(share));
	}
	CHECK(crypto_box_open_with(k[0], e->holders[1].sealed_share,
	    sizeof(e->holders[1].sealed_share), share) == -1,
	    "ceremony: a share does not open with another admin's key");
	{
		char	id[CLIENT_ESCROW_ID_TEXT];

		client_escrow_id(e->Y, id);
		CHECK(strlen(id) == 16 && strcmp(id, e->id) == 0,
		    "ceremony: id is 16 hex digits of the hash of Y");
	}

	/* Tampering that escrow.pub readers must catch. */
	j = load_json(file);
	h = json_array_get(json_object_get(j, "holders"), 2);
	json_object_set(h, "commitment",
	    json_object_get(json_array_get(json_object_get(j, "holders"), 0),
	    "commitment"));
	json_dump_file(j, tmp("bad-commit.pub"), 0);
	CHECK(client_escrow_load(tmp("bad-commit.pub"), e) == -1,
	    "escrow.pub: a wrong third commitment is refused");
	json_decref(j);
	j = load_json(file);
	json_object_set_new(j, "id", json_string("0000000000000000"));
	json_dump_file(j, tmp("bad-id.pub"), 0);
	CHECK(client_escrow_load(tmp("bad-id.pub"), e) == -1,
	    "escrow.pub: a wrong id is refused");
	json_decref(j);
	j = load_json(file);
	json_object_set_new(j, "threshold", json_integer(4));
	json_dump_file(j, tmp("bad-k.pub"), 0);
	CHECK(client_escrow_load(tmp("bad-k.pub"), e) == -1,
	    "escrow.pub: threshold above n is refused");
	json_decref(j);
	j = load_json(file);
	h = json_array_get(json_object_get(j, "holders"), 1);
	json_object_set_new(h, "index", json_integer(3));
	json_dump_file(j, tmp("bad-index.pub"), 0);
	CHECK(client_escrow_load(tmp("bad-index.pub"), e) == -1,
	    "escrow.pub: indices out of order are refused");
	json_decref(j);
	j = load_json(file);
	json_object_set_new(j, "public_key", json_string(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	json_dump_file(j, tmp("bad-y.pub"), 0);
	CHECK(client_escrow_load(tmp("bad-y.pub"), e) == -1,
	    "escrow.pub: identity public key is refused");
	json_decref(j);

	/* In-memory: a threshold-1 split makes every commitment Y. */
	memset(e, 0, sizeof(*e));
	for (i = 0; i < 2; i++) {
		memcpy(e->holders[i].sign_pk, k[i]->sign_pk, 32);
		memcpy(e->holders[i].box_pk, k[i]->box_pk, 32);
	}
	CHECK(client_escrow_ceremony(1, 2, e) == 0 &&
	    memcmp(e->holders[0].commitment, e->Y, 32) == 0 &&
	    memcmp(e->holders[1].commitment, e->Y, 32) == 0,
	    "ceremony: 1-of-2 gives every holder Y");
	saved = e->holders[1].commitment[0];
	e->holders[1].commitment[0] ^= 1;
	CHECK(client_escrow_consistent(e) == -1,
	    "ceremony: consistency check catches a change");
	e->holders[1].commitment[0] = saved;
	memcpy(e->holders[1].box_pk, e->holders[0].box_pk, 32);
	CHECK(client_escrow_ceremony(1, 2, e) == -1,
	    "ceremony: same box key twice refused");
	CHECK(client_escrow_ceremony(3, 2, e) == -1,
	    "ceremony: threshold above n refused");

	{
		char *argv[] = { "ceremony", "--threshold", "2", "--admin",
		    tmp("a0.pub"), "--admin", tmp("a0.pub"), "--out-dir",
		    tmp("dup") };
		CHECK(run(9, argv, cmd_escrow) == CLIENT_EXIT_FAIL &&
		    !client_path_exists(tmp("dup")),
		    "ceremony: duplicate admin refused, nothing made");
	}
	{
		char *argv[] = { "ceremony", "--threshold", "3", "--admin",
		    tmp("a0.pub"), "--admin", tmp("a1.pub"), "--out-dir",
		    tmp("k3") };
		CHECK(run(9, argv, cmd_escrow) == CLIENT_EXIT_USAGE,
		    "ceremony: K > n is a usage error");
	}
	{
		char *argv[] = { "ceremony", "--threshold", "0", "--admin",
		    tmp("a0.pub"), "--out-dir", tmp("k0") };
		CHECK(run(7, argv, cmd_escrow) == CLIENT_EXIT_USAGE,
		    "ceremony: K = 0 is a usage error");
	}
	{
		char *argv[] = { "ceremony", "--threshold", "1", "--admin",
		    tmp("v2.pub"), "--out-dir", tmp("bad") };
		CHECK(run(7, argv, cmd_escrow) == CLIENT_EXIT_FAIL &&
		    !client_path_exists(tmp("bad")),
		    "ceremony: invalid admin key refused");
	}
	{
		char *argv[] = { "sermony" };
		CHECK(run(1, argv, cmd_escrow) == CLIENT_EXIT_USAGE,
		    "escrow: unknown subcommand is a usage error");
	}
	for (i = 0; i < 3; i++)
		crypto_secret_free(k[i]);
	free(e);
}

static void
test_keygen_cmd(void)
{
	struct crypto_admin_key	*k;

	put(tmp("pass"), "a long enough passphrase\r\n");
	put(tmp("short"), "too short\n");
	{
		char *argv[] = { "--out", tmp("cmd.key"), "--passphrase-file",
		    tmp("pass") };
		CHECK(run(4, argv, cmd_keygen) == CLIENT_EXIT_OK,
		    "keygen: runs with a passphrase file");
		CHECK(run(4, argv, cmd_keygen) == CLIENT_EXIT_FAIL,
		    "keygen: refuses an existing file");
	}
	k = crypto_secret_alloc(sizeof(*k));
	CHECK(client_adminkey_load(tmp("cmd.key"), "a long enough passphrase",
	    24, k) == 0, "keygen: opens with the file's first line");
	crypto_secret_free(k);
	{
		char *argv[] = { "--out", tmp("short.key"), "--passphrase-file",
		    tmp("short") };
		CHECK(run(4, argv, cmd_keygen) == CLIENT_EXIT_FAIL &&
		    !client_path_exists(tmp("short.key")),
		    "keygen: short passphrase refused, nothing written");
	}
	{
		char *argv[] = { "--passphrase-file", tmp("pass") };
		CHECK(run(2, argv, cmd_keygen) == CLIENT_EXIT_USAGE,
		    "keygen: --out is required");
	}
}

int
main(void)
{
	char	cmd[300];

	if (crypto_init() == -1 || client_alloc_init() == -1 ||
	    mkdtemp(tmpdir) == NULL) {
		printf("not ok - setup\n");
		return 1;
	}
	test_keyfile();
	test_ceremony();
	test_keygen_cmd();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	client_alloc_done();
	return tap_done();
}
